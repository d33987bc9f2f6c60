// bp-server: serves the search API, the practice pages, the static front end
// and (through bp::registration) the programme and its registrations.
//
//   bp-server [--index DIR] [--content DIR] [--web DIR] [--data DIR]
//             [--port N] [--threads N] [--host ADDR] [--admin-token-file F]
//             [--public-url URL] [--database postgresql://…] [--admin-email ADDR]
//
// Environment: PORT, BP_HOST, BP_PUBLIC_URL, BP_ADMIN_TOKEN, BP_DATABASE_URL,
// BP_ADMIN_EMAIL (flags win). Without --database nor BP_DATABASE_URL
// registrations are kept in SQLite in the data folder.
// SIGHUP reopens the index on every thread; SIGINT/SIGTERM stop the server.
#include <httplib.h>
#include <signal.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <thread>

#include "bp/search.h"
#include "bp/server/server.h"
#include "bp/taxonomy.h"
#include "bp/registration/registration.h"
#include "bp/site/pages.h"

namespace {

struct Flags {
  bp::server::Options server;
  std::string admin_token;
  std::string database_url;  // empty: BP_DATABASE_URL, else SQLite in the data folder
};

const char* kUsage =
    "usage: bp-server [--index DIR] [--content DIR] [--web DIR] [--data DIR] [--port N]\n"
    "                 [--threads N] [--host ADDR] [--admin-token-file FILE] [--public-url URL]\n"
    "                 [--database postgresql://USER@HOST:PORT/DBNAME] [--admin-email ADDR]\n";

std::optional<int> to_int(const std::string& s) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// The admin token from a file: its first line, without surrounding blanks.
std::optional<std::string> read_token(const std::string& file) {
  std::ifstream in(file);
  if (!in) return std::nullopt;
  std::string line;
  std::getline(in, line);
  const auto b = line.find_first_not_of(" \t\r");
  if (b == std::string::npos) return std::string();
  return line.substr(b, line.find_last_not_of(" \t\r") - b + 1);
}

std::optional<Flags> parse_flags(int argc, char** argv) {
  Flags f;
  if (auto port = env("PORT"); !port.empty()) {
    auto n = to_int(port);
    if (!n) return std::nullopt;
    f.server.port = *n;
  }
  if (auto host = env("BP_HOST"); !host.empty()) f.server.host = host;
  f.server.public_base_url = env("BP_PUBLIC_URL");
  f.admin_token = env("BP_ADMIN_TOKEN");
  if (auto email = env("BP_ADMIN_EMAIL"); !email.empty()) f.server.admin_email = email;

  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (flag == "-h" || flag == "--help") return std::nullopt;
    std::string value;
    if (auto eq = flag.find('='); eq != std::string::npos) {
      value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      std::cerr << "bp-server: " << flag << " needs a value\n";
      return std::nullopt;
    }
    auto& o = f.server;
    if (flag == "--index") o.index_dir = value;
    else if (flag == "--content") o.content_root = value;
    else if (flag == "--web") o.web_root = value;
    else if (flag == "--data") o.data_dir = value;
    else if (flag == "--host") o.host = value;
    else if (flag == "--public-url") o.public_base_url = value;
    else if (flag == "--database") f.database_url = value;
    else if (flag == "--admin-email") o.admin_email = value;
    else if (flag == "--port" || flag == "--threads") {
      auto n = to_int(value);
      if (!n || *n < 0 || *n > 65535 || (flag == "--threads" && (*n < 1 || *n > 256))) {
        std::cerr << "bp-server: bad value for " << flag << ": " << value << "\n";
        return std::nullopt;
      }
      (flag == "--port" ? o.port : o.threads) = *n;
    } else if (flag == "--admin-token-file") {
      auto token = read_token(value);
      if (!token) {
        std::cerr << "bp-server: cannot read the admin token file " << value << "\n";
        return std::nullopt;
      }
      f.admin_token = *token;
    } else {
      std::cerr << "bp-server: unknown option " << flag << "\n";
      return std::nullopt;
    }
  }
  return f;
}

}  // namespace

int main(int argc, char** argv) try {
  auto flags = parse_flags(argc, argv);
  if (!flags) {
    std::cerr << kUsage;
    return 2;
  }
  const auto& options = flags->server;

  bp::Diagnostics diagnostics;
  auto taxonomy = bp::Taxonomy::load(options.content_root / "taxonomy.yaml", &diagnostics);
  for (const auto& d : diagnostics) std::cerr << d.format() << "\n";
  if (!taxonomy) {
    std::cerr << "bp-server: cannot load " << (options.content_root / "taxonomy.yaml") << "\n";
    return 1;
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
    std::cerr << "bp-server: page templates: " << pages.status().message() << "\n";
    return 1;
  }

  const std::filesystem::path index_dir = options.index_dir;
  const bp::Taxonomy& shared_taxonomy = *taxonomy;
  bp::server::Server server(options, shared_taxonomy, *pages, [index_dir, &shared_taxonomy] {
    return bp::Searcher::open(index_dir, shared_taxonomy);
  });

  bp::registration::Options reg;
  reg.data_dir = options.data_dir;
  reg.content_root = options.content_root;
  // BP_RATE_LIMIT, BP_MAIL_COMMAND (and BP_ADMIN_TOKEN, BP_PUBLIC_BASE_URL,
  // which the flags below override).
  if (bp::Status env = bp::registration::apply_environment(&reg); !env.is_ok()) {
    std::cerr << "bp-server: " << env.message() << "\n";
    return 1;
  }
  reg.admin_token = flags->admin_token;
  if (!flags->database_url.empty()) reg.database_url = flags->database_url;
  if (!options.public_base_url.empty()) reg.public_base_url = options.public_base_url;
  auto registration = bp::registration::open(reg, shared_taxonomy, *pages);
  if (!registration.ok()) {
    std::cerr << "bp-server: registration module: " << registration.status().message() << "\n";
    return 1;
  }
  server.mount((*registration)->routes());

  const int port = server.bind();
  if (port < 0) {
    std::cerr << "bp-server: cannot listen on " << options.host << ":" << options.port << "\n";
    return 1;
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
  return served ? 0 : 1;
} catch (const std::exception& e) {
  std::cerr << "bp-server: " << e.what() << "\n";
  return 1;
}
