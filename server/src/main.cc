// bp-server: serves the search API, the practice pages, the static front end
// and (through bp::registration) the programme and its registrations.
// `bp-server --help` lists the options and the environment variables they
// read (flags win over the environment).
// Without --database nor BP_DATABASE_URL registrations are kept in SQLite in
// the data folder.
// SIGHUP reopens the index on every thread; SIGINT/SIGTERM stop the server.
// mimalloc's operator new and delete (see CMakeLists.txt): in one source
// file of the program only.
#ifdef BP_MIMALLOC
#include <arpa/inet.h>
#include <mimalloc-new-delete.h>
#endif

#include <signal.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <thread>

#include "bp/cli.h"
#include "bp/registration/registration.h"
#include "bp/search.h"
#include "bp/text.h"
#include "bp/server/server.h"
#include "bp/site/pages.h"
#include "bp/taxonomy.h"

namespace {

struct Flags {
  bp::server::Options server;
  std::string admin_token_file;
  std::string database_url;  // empty: BP_DATABASE_URL, else SQLite in the data folder
  std::vector<std::string> trusted_proxies;
  bool thread_per_connection = false;
};

// Parses the command line (and PORT, BP_HOST); returns the exit status when
// the program should stop there (--help, a wrong flag).
std::optional<int> parse_flags(int argc, char** argv, Flags* f) {
  bp::cli::App app(
      "Serve l'API di ricerca, le pagine delle pratiche, il sito statico e le iscrizioni\n"
      "al programma. Esce con 0 quando viene fermato (Ctrl-C, SIGTERM), 1 se non può\n"
      "partire, 2 se il comando è scritto male. SIGHUP fa riaprire l'indice.\n"
      "Altre variabili d'ambiente: BP_ADMIN_TOKEN, BP_RATE_LIMIT, BP_MAIL_COMMAND,\n"
      "BP_METRICS_TOKEN (apre /metrics da ogni indirizzo con Authorization: Bearer)\n"
      "(vedi docs/registration.md e docs/api.md).",
      "bp-server");
  auto& o = f->server;
  app.add_option("--index", o.index_dir, "cartella dell'indice (default var/index)")->type_name("DIR");
  app.add_option("--content", o.content_root, "cartella dei contenuti (default library-content)")
      ->type_name("DIR");
  app.add_option("--web", o.web_root, "sito statico (default web)")->type_name("DIR");
  app.add_option("--data", o.data_dir, "cartella dei dati, le iscrizioni (default var)")->type_name("DIR");
  app.add_option("--port", o.port, "porta (default 8080; 0 = una porta libera)")
      ->envname("PORT")
      ->check(bp::cli::integer_between(0, 65535))
      ->type_name("N");
  app.add_option("--threads", o.threads, "thread di lavoro (default 8)")
      ->check(bp::cli::integer_between(1, 256))
      ->type_name("N");
  app.add_option("--host", o.host, "indirizzo di ascolto (default 127.0.0.1)")
      ->envname("BP_HOST")
      ->type_name("ADDR");
  app.add_option("--admin-token-file", f->admin_token_file,
                 "file con il token di amministrazione (prima riga; vince su BP_ADMIN_TOKEN)")
      ->type_name("FILE");
  app.add_option("--public-url", o.public_base_url,
                 "indirizzo pubblico del sito, per i link canonici e quelli nei messaggi\n"
                 "(default BP_PUBLIC_URL, altrimenti http://localhost:PORT)")
      ->type_name("URL");
  app.add_option("--database", f->database_url,
                 "database delle iscrizioni, postgresql://UTENTE@HOST:PORTA/NOME\n"
                 "(default BP_DATABASE_URL, altrimenti SQLite nella cartella dei dati)")
      ->type_name("URL");
  app.add_option("--admin-email", o.admin_email,
                 "casella della redazione per l'adminEmail di OAI-PMH")
      ->envname("BP_ADMIN_EMAIL")
      ->type_name("ADDR");
  app.add_option("--metrics-allow", o.metrics_allow,
                 "indirizzi dei client che possono leggere /metrics, separati da virgole\n"
                 "(default 127.0.0.1,::1,::ffff:127.0.0.1)")
      ->envname("BP_METRICS_ALLOW")
      ->delimiter(',')
      ->type_name("ADDR");
  app.add_option("--trusted-proxy", f->trusted_proxies,
                 "proxy fidati (indirizzi o reti, separati da virgole, es. 127.0.0.1,10.0.0.0/8):\n"
                 "solo da questi si accettano X-Forwarded-For e X-Forwarded-Proto\n"
                 "(default nessuno)")
      ->envname("BP_TRUSTED_PROXIES")
      ->delimiter(',')
      ->type_name("ADDR");
  app.add_option("--request-timeout", o.request_timeout_ms,
                 "millisecondi entro cui deve arrivare una richiesta intera, poi 408 (default 10000)")
      ->check(bp::cli::integer_between(100, 600'000))
      ->type_name("MS");
  app.add_option("--keep-alive-timeout", o.keep_alive_timeout_ms,
                 "millisecondi dopo cui si chiude una connessione inattiva (default 15000)")
      ->check(bp::cli::integer_between(100, 600'000))
      ->type_name("MS");
  app.add_option("--max-connections", o.max_connections,
                 "connessioni aperte al massimo; oltre, si chiude quella in attesa da più tempo\n"
                 "(default 1024, e non oltre il limite dei descrittori meno 64)")
      ->check(bp::cli::integer_between(16, 1'000'000))
      ->type_name("N");
  app.add_flag("--thread-per-connection", f->thread_per_connection,
               "ogni connessione tiene un thread per tutta la sua vita, come cpp-httplib da solo\n"
               "(il comportamento precedente, per i confronti in bench/: sconsigliato)");
  return bp::cli::parse(app, argc, argv);
}

}  // namespace

int main(int argc, char** argv) try {
  Flags flags;
  if (auto exit = parse_flags(argc, argv, &flags)) return *exit;
  auto& options = flags.server;
  options.buffer_requests = !flags.thread_per_connection;
  auto proxies = bp::site::TrustedProxies::parse(flags.trusted_proxies);
  if (!proxies.ok()) {
    std::cerr << "bp-server: --trusted-proxy: " << proxies.status().message() << "\n";
    return bp::cli::kExitUsage;
  }
  options.trusted_proxies = *proxies;
  // /metrics is opened to these exact addresses: a typo («garbage», a
  // comment copied into the environment file) would close it silently.
  for (const std::string& address : options.metrics_allow) {
    in6_addr any{};
    if (inet_pton(AF_INET, address.c_str(), &any) != 1 && inet_pton(AF_INET6, address.c_str(), &any) != 1) {
      std::cerr << "bp-server: --metrics-allow (BP_METRICS_ALLOW): '" << address
                << "' non è un indirizzo IP (es. 127.0.0.1,::1)\n";
      return bp::cli::kExitUsage;
    }
  }
  // The editors' address is published (OAI-PMH's adminEmail, DCAT-AP_IT's
  // contact point): a comment or a space copied with it would be too.
  if (const std::string& mail = options.admin_email;
      mail.find('@') == std::string::npos || mail.front() == '@' || mail.back() == '@' ||
      // OAI-PMH's schema wants a dotted domain (\S+@(\S+\.)+\S+): not "redazione@localhost".
      mail.substr(mail.rfind('@') + 1).find('.') == std::string::npos || mail.back() == '.' ||
      mail[mail.rfind('@') + 1] == '.' || std::any_of(mail.begin(), mail.end(), [](unsigned char c) {
        return c <= ' ' || c == 0x7f || c == '#' || c == '<' || c == '>' || c == '"' || c == ',';
      })) {
    std::cerr << "bp-server: --admin-email (BP_ADMIN_EMAIL): '" << mail
              << "' non è un indirizzo e-mail (uno solo, senza spazi né commenti, con un dominio come esempio.org)\n";
    return bp::cli::kExitUsage;
  }

  // The registration module's settings from the environment: BP_DATABASE_URL,
  // BP_ADMIN_TOKEN, BP_RATE_LIMIT, BP_MAIL_COMMAND, BP_PUBLIC_URL, ... (the
  // flags below win).
  bp::registration::Options reg;
  reg.data_dir = options.data_dir;
  reg.content_root = options.content_root;
  reg.index_dir = options.index_dir;
  reg.public_base_url.clear();
  reg.trusted_proxies = options.trusted_proxies;
  if (bp::Status env = bp::registration::apply_environment(&reg); !env.is_ok()) {
    std::cerr << "bp-server: " << env.message() << "\n";
    return bp::cli::kExitUsage;
  }
  if (!flags.admin_token_file.empty()) {
    if (bp::Status s = bp::registration::read_admin_token_file(flags.admin_token_file, &reg); !s.is_ok()) {
      std::cerr << "bp-server: " << s.message() << "\n";
      return bp::cli::kExitFailure;
    }
  }
  // /metrics from any address with this bearer token (never a flag: a
  // command line is visible to every user of the machine).
  if (const char* token = std::getenv("BP_METRICS_TOKEN"); token && *token) options.metrics_token = token;
  // One public URL for the pages and the messages: --public-url, else the
  // environment, else (when empty) the server derives it from the bound port.
  if (options.public_base_url.empty()) options.public_base_url = reg.public_base_url;
  if (!options.public_base_url.empty()) {
    // In every canonical link and every e-mail's link: a value without its
    // scheme, or with a comment copied into an environment file, would
    // break them all. A trailing "/" is dropped.
    std::string& url = options.public_base_url;
    while (url.size() > 1 && url.back() == '/') url.pop_back();
    const bool scheme = url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0;
    const std::size_t host_at = url.find("://") + 3;
    const bool clean = std::none_of(url.begin(), url.end(), [](unsigned char c) {
      return c <= ' ' || c == 0x7f || c == '#' || c == '?' || c == '"' || c == '<' || c == '>';
    });
    if (!scheme || !clean || host_at >= url.size() || url[host_at] == '/') {
      std::cerr << "bp-server: indirizzo pubblico non valido: '" << url
                << "' (--public-url o BP_PUBLIC_URL: https://nome.del.sito, senza spazi, commenti né / finale)\n";
      return bp::cli::kExitUsage;
    }
    // A public site without the editors' address: harvesters and portals
    // read a placeholder in OAI-PMH's Identify and no contact point in
    // DCAT-AP_IT, which requires one. Said, not refused (the library works).
    if (!bp::text::is_local_url(url) && !bp::server::has_admin_email(options))
      std::cerr << "bp-server: attenzione: BP_ADMIN_EMAIL (--admin-email) non è impostato: il catalogo DCAT-AP_IT "
                   "non ha il punto di contatto che richiede e OAI-PMH dichiara un indirizzo segnaposto\n";
  }

  bp::Diagnostics diagnostics;
  auto taxonomy = bp::Taxonomy::load(options.content_root / "taxonomy.yaml", &diagnostics);
  for (const auto& d : diagnostics) std::cerr << d.format() << "\n";
  if (!taxonomy) {
    std::cerr << "bp-server: impossibile caricare " << (options.content_root / "taxonomy.yaml").generic_string()
              << "\n";
    return bp::cli::kExitFailure;
  }

  // Signals are handled by one thread with sigwait: blocked here, before any
  // other thread starts, so every thread inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGHUP);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto pages = bp::site::Pages::load(options.web_root / "templates");
  if (!pages.ok()) {
    std::cerr << "bp-server: modelli delle pagine (--web " << options.web_root.generic_string()
              << "): " << pages.status().message() << "\n";
    return bp::cli::kExitFailure;
  }

  const std::filesystem::path index_dir = options.index_dir;
  // The server starts without an index (the search answers 503 meanwhile):
  // said once, so that a wrong folder is seen in the log.
  if (std::error_code ec; !std::filesystem::exists(index_dir, ec))
    std::cerr << "bp-server: attenzione: nessun indice in " << index_dir.generic_string()
              << ": la ricerca risponde 503 finché non c'è (bp-index build --index)\n";
  const bp::Taxonomy& shared_taxonomy = *taxonomy;
  bp::server::Server server(options, shared_taxonomy, *pages, [index_dir, &shared_taxonomy] {
    // The index's taxonomy: a rebuild after an editor's change reaches
    // every thread's searcher, whenever it was opened, without a restart.
    return bp::Searcher::open(index_dir, shared_taxonomy, bp::Searcher::TaxonomySource::kIndex);
  });

  if (!flags.database_url.empty()) reg.database_url = flags.database_url;
  reg.public_base_url = options.public_base_url.empty()
                            ? "http://localhost:" + std::to_string(options.port)
                            : options.public_base_url;
  auto registration = bp::registration::open(reg, shared_taxonomy, *pages);
  if (!registration.ok()) {
    std::cerr << "bp-server: modulo delle iscrizioni: " << registration.status().message() << "\n";
    return bp::cli::kExitFailure;
  }
  server.mount((*registration)->routes());
  server.add_metrics([module = registration->get()] { return module->metrics(); });
  // What people search, for the editors (/staff/ricerche): the module stores it.
  server.count_searches((*registration)->search_tally());

  const int port = server.bind();
  if (port < 0) {
    std::cerr << "bp-server: impossibile ascoltare su " << options.host << ":" << options.port
              << " (la porta è già usata da un altro processo, o l'indirizzo --host non è di questa macchina)\n";
    return bp::cli::kExitFailure;
  }

  std::thread signal_thread([&server, signals] {
    for (;;) {
      int sig = 0;
      if (sigwait(&signals, &sig) != 0) continue;
      if (sig == SIGHUP) {
        std::fprintf(stderr, "bp-server: SIGHUP, reopening the index\n");
        server.reload();
      } else {
        server.stop();
        return;
      }
    }
  });

  std::fprintf(stderr, "bp-server: serving http://%s:%d/ (index %s, %d threads, registrations in %s)\n",
               options.host.c_str(), port, options.index_dir.c_str(), options.threads,
               reg.database_url.empty() ? "SQLite" : "PostgreSQL");
  const bool served = server.listen();
  if (!served) {
    // The signal thread waits for a signal that will not come: send it one.
    kill(getpid(), SIGTERM);
  }
  signal_thread.join();
  return served ? bp::cli::kExitOk : bp::cli::kExitFailure;
} catch (const std::exception& e) {
  std::cerr << "bp-server: errore: " << e.what() << "\n";
  return bp::cli::kExitFailure;
}
