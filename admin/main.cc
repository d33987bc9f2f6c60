// bp-admin: operators' commands on the registration store.
//
//   bp-admin migrate --from sqlite:DATA_DIR --to postgresql://USER@HOST:PORT/DBNAME
//   bp-admin user add --role ROLE EMAIL                 [--data DIR] [--database URL]
//   bp-admin user passwd EMAIL                          [--data DIR] [--database URL]
//   bp-admin user list                                  [--data DIR] [--database URL]
//   bp-admin user role EMAIL ROLE                       [--data DIR] [--database URL]
//   bp-admin token add EMAIL [--label TEXT]             [--data DIR] [--database URL]
//   bp-admin token list [EMAIL]                         [--data DIR] [--database URL]
//   bp-admin token revoke ID                            [--data DIR] [--database URL]
//   bp-admin backup --to FILE                           [--data DIR] [--database URL]
//   bp-admin restore --from FILE [--force]              [--data DIR] [--database URL]
//
// ROLE is admin, staff or editor, or as the back office names them:
// amministrazione, personale, redazione.
//
// Passwords are read from the terminal with echo off (twice), or from the
// first line of standard input when it is not a terminal; never from the
// arguments, which every user of the machine can see. A new token is
// printed once on standard output, and only there.
//
// The store is named as bp-server names it: --database (or BP_DATABASE_URL)
// for PostgreSQL, else SQLite in the data folder (--data, default var);
// both may also come before the command ("bp-admin --data DIR user add …").
// Messages are in Italian (for the staff); exit status 0 on success, 1 when
// the command fails (with the reason; a failed migrate writes nothing), 2
// on a usage error.
#include <termios.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>

#include "bp/civil_time.h"
#include "bp/cli.h"
#include "bp/registration/account_admin.h"
#include "bp/registration/store.h"
#include "bp/registration/store_backup.h"
#include "bp/registration/store_copy.h"
#include "bp/text.h"

namespace {

int migrate(const std::string& from, const std::string& to) {
  const std::string prefix = "sqlite:";
  if (from.rfind(prefix, 0) != 0) {
    std::cerr << "bp-admin: --from deve essere sqlite:CARTELLA (la cartella dei dati con registrations.sqlite3)\n";
    return 2;
  }
  if (to.rfind("postgresql://", 0) != 0 && to.rfind("postgres://", 0) != 0) {
    std::cerr << "bp-admin: --to deve essere un indirizzo postgresql://…\n";
    return 2;
  }
  auto copied = bp::registration::copy_sqlite_to_postgresql(from.substr(prefix.size()), to);
  if (!copied.ok()) {
    std::cerr << "bp-admin: copia non riuscita, nulla è stato scritto: " << copied.status().message() << "\n";
    return 1;
  }
  std::cout << "Copia completata e verificata (righe per tabella, uguali nei due archivi):\n";
  for (const auto& [table, rows] : *copied) std::cout << "  " << table << ": " << rows << "\n";
  return 0;
}

// Where the accounts live: the same flags and defaults as bp-server.
struct StoreFlags {
  std::string data_dir = "var";
  std::string database_url;  // empty: BP_DATABASE_URL, else SQLite in data_dir
};

// The store the flags name (the URL from BP_DATABASE_URL when not given).
bp::registration::StoreAddress store_address(const StoreFlags& f) {
  std::string url = f.database_url;
  if (url.empty())
    if (const char* v = std::getenv("BP_DATABASE_URL"); v && *v) url = v;
  return {url, f.data_dir};
}

// `create`: a SQLite file that does not exist yet is made (the first
// account, before the server's first start), and said; otherwise a data
// folder without one is an error, so that a mistyped --data never makes an
// empty archive the server does not read.
bp::Result<std::unique_ptr<bp::registration::Store>> open_accounts(const StoreFlags& f, bool create) {
  const auto address = store_address(f);
  const std::filesystem::path file = address.data_dir / "registrations.sqlite3";
  const bool fresh = address.database_url.empty() && !std::filesystem::exists(file);
  if (fresh && !create)
    return bp::Status::not_found("nessun archivio delle iscrizioni in " + file.string() +
                                 ": controlla --data (la cartella dei dati di bp-server) o --database");
  if (fresh)
    std::cerr << "Archivio nuovo: " << file.string() << " (bp-server deve usare la stessa cartella: --data "
              << address.data_dir.string() << ")\n";
  // Account commands write no message: the composer is never called.
  auto compose = [](bp::registration::MessageKind, const bp::registration::Registration&) {
    return bp::registration::OutboxMessage{};
  };
  return bp::registration::open_store(address.database_url, address.data_dir, compose);
}

// The store for messages; a password in the URL (which docs/registration.md
// advises against) is not echoed.
std::string describe(const bp::registration::StoreAddress& a) {
  if (a.database_url.empty()) return "SQLite in " + (a.data_dir / "registrations.sqlite3").string();
  std::string url = a.database_url;
  const auto scheme = url.find("://");
  const auto at = url.find('@');
  const auto colon = url.find(':', scheme + 3);
  if (scheme != std::string::npos && at != std::string::npos && colon < at) url.replace(colon + 1, at - colon - 1, "***");
  return "PostgreSQL " + url;
}

void print(const bp::registration::StoreSnapshot& snap) {
  std::cout << "  versione dello schema: " << snap.schema_version << "\n";
  for (const auto& [table, rows] : snap.tables)
    std::cout << "  " << table << ": " << bp::text::count_noun(rows, "riga", "righe") << "\n";
}

int backup(const StoreFlags& flags, const std::string& to) {
  const auto from = store_address(flags);
  auto done = bp::registration::backup_store(from, to);
  if (!done.ok()) {
    std::cerr << "bp-admin: copia di sicurezza non riuscita (" << describe(from) << "): " << done.status().message()
              << "\n";
    return 1;
  }
  std::cout << "Copia di sicurezza scritta in " << to << " e verificata (righe per tabella uguali a quelle\n"
            << "dell'archivio nello stesso istante). Contiene dati personali: conservarla cifrata.\n";
  print(*done);
  return 0;
}

int restore(const std::string& from, const StoreFlags& flags, bool force) {
  const auto to = store_address(flags);
  bp::registration::RestoreOptions options;
  options.force = force;
  auto done = bp::registration::restore_store(from, to, options);
  if (!done.ok()) {
    std::cerr << "bp-admin: ripristino non eseguito (" << describe(to) << "): " << done.status().message() << "\n";
    return 1;
  }
  std::cout << "Ripristino completato in " << describe(to) << " e verificato (righe per tabella e versione\n"
            << "dello schema uguali a quelle della copia). Ora si possono riavviare i server.\n";
  print(*done);
  return 0;
}

// One line from the terminal with echo off, or from stdin when it is not a
// terminal. Empty on end of input.
std::string read_secret(const char* prompt) {
  const bool tty = isatty(STDIN_FILENO);
  termios old{};
  if (tty) {
    std::cerr << prompt << std::flush;
    tcgetattr(STDIN_FILENO, &old);
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::cerr << "\n";
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// The new password, asked twice on a terminal.
bool read_new_password(std::string* out) {
  *out = read_secret("Nuova password (almeno 12 caratteri): ");
  if (isatty(STDIN_FILENO) && read_secret("Ripeti la password: ") != *out) {
    std::cerr << "bp-admin: le due password non coincidono\n";
    return false;
  }
  return true;
}

// The command's line in the audit log (who: the command line itself).
void audit(bp::registration::Store& store, const std::string& action, const std::string& target,
           const std::string& details = "") {
  bp::registration::AuditEntry e;
  e.actor = "bp-admin";
  e.address = "riga di comando";
  e.action = action;
  e.target = target;
  e.details = details;
  if (bp::Status s = store.accounts().append_audit(e); !s.is_ok())
    std::cerr << "bp-admin: registro attività non scritto: " << s.message() << "\n";
}

int fail(const bp::Status& s) {
  std::cerr << "bp-admin: " << s.message() << "\n";
  return 1;
}

// A role by its stored name (admin) or its label in the back office
// (amministrazione), any case; nullopt, said on stderr, for anything else.
std::optional<bp::registration::Role> role_named(const std::string& typed) {
  std::string name = typed;
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  using bp::registration::Role;
  for (Role role : {Role::kAdmin, Role::kStaff, Role::kEditor})
    if (name == bp::registration::role_name(role) || name == bp::registration::role_label(role)) return role;
  std::cerr << "bp-admin: ruolo sconosciuto '" << typed
            << "': admin (amministrazione), staff (personale) oppure editor (redazione)\n";
  return std::nullopt;
}

// The account of `email`, NotFound said in Italian.
bp::Result<bp::registration::Account> account_named(bp::registration::Store& store, const std::string& email) {
  auto account = store.accounts().find_account(email);
  if (account.status().code() == bp::Code::kNotFound)
    return bp::Status::not_found("nessun account con l'indirizzo " + email);
  return account;
}

int user_add(const StoreFlags& f, const std::string& role_name, const std::string& email) {
  const auto role = role_named(role_name);
  if (!role) return 2;
  auto store = open_accounts(f, true);
  if (!store.ok()) return fail(store.status());
  std::string password;
  if (!read_new_password(&password)) return 1;
  auto account = bp::registration::create_account((*store)->accounts(), email, *role, password);
  if (!account.ok()) return fail(account.status());
  audit(**store, "account_add", account->email, std::string("ruolo ") + bp::registration::role_label(*role));
  std::cerr << "Account creato: " << account->email << " (" << bp::registration::role_label(*role) << ")\n";
  return 0;
}

int user_passwd(const StoreFlags& f, const std::string& email) {
  auto store = open_accounts(f, false);
  if (!store.ok()) return fail(store.status());
  std::string password;
  if (!read_new_password(&password)) return 1;
  if (bp::Status s = bp::registration::reset_password((*store)->accounts(), email, password); !s.is_ok())
    return fail(s);
  audit(**store, "password_reset", email);
  std::cerr << "Password cambiata; le sessioni aperte di " << email << " sono state chiuse.\n";
  return 0;
}

// Another role for an account, from its next request (the back office's
// «Cambia» on /staff/account, for the operator's first admin too).
int user_role(const StoreFlags& f, const std::string& email, const std::string& role_name) {
  const auto role = role_named(role_name);
  if (!role) return 2;
  auto store = open_accounts(f, false);
  if (!store.ok()) return fail(store.status());
  auto account = account_named(**store, email);
  if (!account.ok()) return fail(account.status());
  const char* before = bp::registration::role_label(account->role);
  if (account->role != *role) {
    if (bp::Status s = (*store)->accounts().set_role(account->id, *role); !s.is_ok()) return fail(s);
    audit(**store, "account_role", account->email,
          std::string("da ") + before + " a " + bp::registration::role_label(*role));
  }
  std::cerr << account->email << ": ruolo " << bp::registration::role_label(*role)
            << (account->role == *role ? " (era già questo)" : std::string(", prima ") + before) << ".\n";
  return 0;
}

int token_add(const StoreFlags& f, const std::string& email, const std::string& label) {
  auto store = open_accounts(f, false);
  if (!store.ok()) return fail(store.status());
  auto account = account_named(**store, email);
  if (!account.ok()) return fail(account.status());
  auto token = bp::registration::create_api_token((*store)->accounts(), account->id, label);
  if (!token.ok()) return fail(token.status());
  audit(**store, "token_add", account->email, "token «" + label + "»");
  std::cerr << "Token creato per " << account->email
            << " (ruolo " << bp::registration::role_label(account->role)
            << "): copialo ora, non sarà più mostrato.\n";
  std::cout << *token << "\n";
  return 0;
}

// "—" for a date that never happened ("" in the store); otherwise in
// Italian time, as the back office shows it ("12/03/2026 14:05").
std::string when(const std::string& iso) { return iso.empty() ? "—" : bp::rome_short(iso); }

// `text` padded with spaces to `width` characters (code points, so
// «Zoë» lines up).
std::string padded(const std::string& text, std::size_t width) {
  const std::size_t n = bp::text::code_points(text);
  return text + std::string(width > n ? width - n : 0, ' ');
}

// One line per account, for a person reading a terminal: address, role,
// state, last login.
int user_list(const StoreFlags& f) {
  auto store = open_accounts(f, false);
  if (!store.ok()) return fail(store.status());
  auto accounts = (*store)->accounts().list_accounts();
  if (!accounts.ok()) return fail(accounts.status());
  if (accounts->empty()) {
    std::cerr << "Nessun account: crealo con bp-admin user add.\n";
    return 0;
  }
  std::size_t email_width = 0, role_width = 0;
  for (const auto& a : *accounts) {
    email_width = std::max(email_width, bp::text::code_points(a.email));
    role_width = std::max(role_width, bp::text::code_points(bp::registration::role_label(a.role)));
  }
  for (const auto& a : *accounts)
    std::cout << padded(a.email, email_width + 2) << padded(bp::registration::role_label(a.role), role_width + 2)
              << padded(a.disabled ? "disattivato" : "attivo", 13) << "ultimo accesso " << when(a.last_login_at)
              << "\n";
  return 0;
}

// The tokens of one account (or of every account), newest first: the
// number to revoke, the owner, the label, when made and last used.
int token_list(const StoreFlags& f, const std::string& email) {
  auto store = open_accounts(f, false);
  if (!store.ok()) return fail(store.status());
  std::int64_t owner = 0;
  if (!email.empty()) {
    auto account = (*store)->accounts().find_account(email);
    if (account.status().code() == bp::Code::kNotFound)
      return fail(bp::Status::not_found("nessun account con l'indirizzo " + email));
    if (!account.ok()) return fail(account.status());
    owner = account->id;
  }
  auto tokens = (*store)->accounts().list_tokens(owner);
  if (!tokens.ok()) return fail(tokens.status());
  if (tokens->empty()) {
    std::cerr << "Nessun token" << (email.empty() ? "" : " per " + email) << ".\n";
    return 0;
  }
  std::size_t id_width = 0, email_width = 0, label_width = 0;
  for (const auto& t : *tokens) {
    id_width = std::max(id_width, std::to_string(t.id).size());
    email_width = std::max(email_width, bp::text::code_points(t.account_email));
    label_width = std::max(label_width, bp::text::code_points(t.label) + 2);
  }
  for (const auto& t : *tokens) {
    std::cout << padded(std::to_string(t.id), id_width + 2) << padded(t.account_email, email_width + 2)
              << padded("«" + t.label + "»", label_width + 2) << "creato " << when(t.created_at) << ", ultimo uso "
              << when(t.last_used_at);
    if (!t.revoked_at.empty()) std::cout << ", revocato " << when(t.revoked_at);
    std::cout << "\n";
  }
  return 0;
}

int token_revoke(const StoreFlags& f, std::int64_t id) {
  auto store = open_accounts(f, false);
  if (!store.ok()) return fail(store.status());
  if (auto tokens = (*store)->accounts().list_tokens(0); tokens.ok())
    for (const auto& t : *tokens)
      if (t.id == id && !t.revoked_at.empty()) {
        std::cerr << "Il token " << id << " era già revocato (" << when(t.revoked_at) << "): nulla da fare.\n";
        return 0;
      }
  if (bp::Status s = (*store)->accounts().revoke_token(id, 0); !s.is_ok()) {
    if (s.code() == bp::Code::kNotFound)
      return fail(
          bp::Status::not_found("nessun token numero " + std::to_string(id) + ": bp-admin token list li elenca"));
    return fail(s);
  }
  audit(**store, "token_revoke", "token " + std::to_string(id));
  std::cerr << "Token " << id << " revocato: chi lo usa riceve 401 da ora.\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) try {
  bp::cli::App app("Comandi per chi gestisce lo sportello iscrizioni", "bp-admin");
  app.require_subcommand(1);
  std::string from, to;
  auto* cmd = app.add_command(
      "migrate", "copia tutte le iscrizioni da SQLite a PostgreSQL (a server fermo, in un database senza iscrizioni)", "");
  cmd->add_option("--from", from, "sqlite:CARTELLA, la cartella dei dati (registrations.sqlite3)")->required();
  cmd->add_option("--to", to, "postgresql://UTENTE@HOST:PORTA/DATABASE")->required();

  StoreFlags store;
  auto store_flags = [&store](CLI::App* c) {
    c->add_option("--data", store.data_dir, "cartella dei dati, come per bp-server (default var)")->type_name("DIR");
    c->add_option("--database", store.database_url,
                  "database postgresql://…, come per bp-server (default BP_DATABASE_URL, altrimenti SQLite)")
        ->type_name("URL");
  };
  // Also before the command and between its words ("bp-admin --data DIR
  // user add …"), as an operator may type them: the same two settings.
  store_flags(&app);
  std::string email, role, label = "token";
  auto* user = app.add_command("user", "account dello staff (la password si digita, non va negli argomenti)", "");
  user->require_subcommand(1);
  store_flags(user);
  auto* user_add_cmd = user->add_subcommand("add", "crea un account");
  user_add_cmd->add_option("--role", role, "admin (amministrazione), staff (personale) oppure editor (redazione)")
      ->required();
  user_add_cmd->add_option("EMAIL", email, "indirizzo e-mail dell'account")->required();
  store_flags(user_add_cmd);
  auto* passwd_cmd = user->add_subcommand("passwd", "cambia la password di un account e ne chiude le sessioni");
  passwd_cmd->add_option("EMAIL", email, "indirizzo e-mail dell'account")->required();
  store_flags(passwd_cmd);
  auto* user_list_cmd = user->add_subcommand("list", "elenca gli account: ruolo, stato, ultimo accesso");
  store_flags(user_list_cmd);
  auto* user_role_cmd = user->add_subcommand("role", "cambia il ruolo di un account (vale dalla sua prossima pagina)");
  user_role_cmd->add_option("EMAIL", email, "indirizzo e-mail dell'account")->required();
  user_role_cmd->add_option("ROLE", role, "admin (amministrazione), staff (personale) oppure editor (redazione)")
      ->required();
  store_flags(user_role_cmd);
  auto* token = app.add_command("token", "token personali per l'API /api/admin/", "");
  token->require_subcommand(1);
  store_flags(token);
  auto* token_add_cmd = token->add_subcommand("add", "crea un token e lo stampa una volta sola");
  token_add_cmd->add_option("EMAIL", email, "account a cui appartiene il token")->required();
  token_add_cmd->add_option("--label", label, "a cosa serve (per riconoscerlo e revocarlo)");
  store_flags(token_add_cmd);
  auto* token_list_cmd = token->add_subcommand("list", "elenca i token (di un account, o di tutti) con il loro numero");
  token_list_cmd->add_option("EMAIL", email, "solo i token di questo account");
  store_flags(token_list_cmd);
  std::int64_t token_id = 0;
  auto* token_revoke_cmd = token->add_subcommand("revoke", "revoca un token: smette subito di funzionare");
  token_revoke_cmd->add_option("ID", token_id, "numero del token, da bp-admin token list")->required();
  store_flags(token_revoke_cmd);
  std::string file;
  auto* backup_cmd = app.add_command(
      "backup", "scrive una copia di sicurezza verificata dell'archivio delle iscrizioni (anche a server acceso)", "");
  backup_cmd->add_option("--to", file, "file della copia (nuovo: non ne sovrascrive uno esistente)")
      ->required()
      ->type_name("FILE");
  store_flags(backup_cmd);
  bool force = false;
  auto* restore_cmd = app.add_command(
      "restore", "sostituisce l'archivio delle iscrizioni con una copia di sicurezza (a server fermi)", "");
  restore_cmd->add_option("--from", file, "file della copia fatta con bp-admin backup")->required()->type_name("FILE");
  restore_cmd->add_flag("--force", force, "sostituisce anche un archivio che contiene già iscrizioni");
  store_flags(restore_cmd);
  // The nested commands (user add, token add) with the tools' help layout.
  for (CLI::App* parent : {user, token})
    for (CLI::App* sub : parent->get_subcommands({}))
      if (CLI::Option* help = sub->get_help_ptr()) help->group("Opzioni");
  // --help exits 0; any other mistake on the command line exits 2 with one
  // Italian line (bp/cli.h).
  if (auto exit = bp::cli::parse(app, argc, argv)) return *exit;
  if (backup_cmd->parsed()) return backup(store, file);
  if (restore_cmd->parsed()) return restore(file, store, force);
  if (user_add_cmd->parsed()) return user_add(store, role, email);
  if (passwd_cmd->parsed()) return user_passwd(store, email);
  if (token_add_cmd->parsed()) return token_add(store, email, label);
  if (user_list_cmd->parsed()) return user_list(store);
  if (user_role_cmd->parsed()) return user_role(store, email, role);
  if (token_list_cmd->parsed()) return token_list(store, email);
  if (token_revoke_cmd->parsed()) return token_revoke(store, token_id);
  return migrate(from, to);
} catch (const std::exception& e) {
  std::cerr << "bp-admin: " << e.what() << "\n";
  return 1;
}
