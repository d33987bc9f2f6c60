// bp-admin: operators' commands on the registration store.
//
//   bp-admin migrate --from sqlite:DATA_DIR --to postgresql://USER@HOST:PORT/DBNAME
//   bp-admin backup  [--data DIR | --database URL] --to FILE
//   bp-admin restore --from FILE [--data DIR | --database URL] [--force]
//
// The store is named as bp-server names it: --database (or BP_DATABASE_URL)
// for PostgreSQL, else SQLite in the data folder (--data, default var).
// Messages are in Italian (for the staff); exit status 0 on success, 1 when
// the command fails (with the reason), 2 on a usage error.
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>
#include <string>

#include "bp/registration/store_backup.h"
#include "bp/registration/store_copy.h"

namespace {

namespace reg = bp::registration;

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
  auto copied = reg::copy_sqlite_to_postgresql(from.substr(prefix.size()), to);
  if (!copied.ok()) {
    std::cerr << "bp-admin: copia non riuscita, nulla è stato scritto: " << copied.status().message() << "\n";
    return 1;
  }
  std::cout << "Copia completata e verificata (righe per tabella, uguali nei due archivi):\n";
  for (const auto& [table, rows] : *copied) std::cout << "  " << table << ": " << rows << "\n";
  return 0;
}

// The store for messages; a password in the URL (which docs/registration.md
// advises against) is not echoed.
std::string describe(const reg::StoreAddress& a) {
  if (a.database_url.empty()) return "SQLite in " + (a.data_dir / "registrations.sqlite3").string();
  std::string url = a.database_url;
  const auto scheme = url.find("://");
  const auto at = url.find('@');
  const auto colon = url.find(':', scheme + 3);
  if (scheme != std::string::npos && at != std::string::npos && colon < at) url.replace(colon + 1, at - colon - 1, "***");
  return "PostgreSQL " + url;
}

void print(const reg::StoreSnapshot& snap) {
  std::cout << "  versione dello schema: " << snap.schema_version << "\n";
  for (const auto& [table, rows] : snap.tables) std::cout << "  " << table << ": " << rows << " righe\n";
}

int backup(const reg::StoreAddress& from, const std::string& to) {
  auto done = reg::backup_store(from, to);
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

int restore(const std::string& from, const reg::StoreAddress& to, bool force) {
  reg::RestoreOptions options;
  options.force = force;
  auto done = reg::restore_store(from, to, options);
  if (!done.ok()) {
    std::cerr << "bp-admin: ripristino non eseguito (" << describe(to) << "): " << done.status().message() << "\n";
    return 1;
  }
  std::cout << "Ripristino completato in " << describe(to) << " e verificato (righe per tabella e versione\n"
            << "dello schema uguali a quelle della copia). Ora si possono riavviare i server.\n";
  print(*done);
  return 0;
}

}  // namespace

int main(int argc, char** argv) try {
  CLI::App app{"Comandi per chi gestisce lo sportello iscrizioni"};
  app.require_subcommand(1);

  std::string from, to;
  auto* mig = app.add_subcommand(
      "migrate", "copia tutte le iscrizioni da SQLite a PostgreSQL (a server fermo, in un database senza iscrizioni)");
  mig->add_option("--from", from, "sqlite:CARTELLA, la cartella dei dati (registrations.sqlite3)")->required();
  mig->add_option("--to", to, "postgresql://UTENTE@HOST:PORTA/DATABASE")->required();

  reg::StoreAddress store;
  store.data_dir = "var";
  if (const char* url = std::getenv("BP_DATABASE_URL")) store.database_url = url;
  std::string data_dir = "var";
  auto add_store = [&](CLI::App* cmd) {
    cmd->add_option("--data", data_dir, "cartella dei dati con registrations.sqlite3 (default var)")
        ->type_name("DIR");
    cmd->add_option("--database", store.database_url,
                    "postgresql://UTENTE@HOST:PORTA/DATABASE (default BP_DATABASE_URL, altrimenti SQLite)")
        ->type_name("URL");
  };
  std::string file;
  auto* bak = app.add_subcommand(
      "backup", "scrive una copia di sicurezza verificata dell'archivio delle iscrizioni (anche a server acceso)");
  add_store(bak);
  bak->add_option("--to", file, "file della copia (nuovo: non ne sovrascrive uno esistente)")
      ->required()
      ->type_name("FILE");

  bool force = false;
  auto* res = app.add_subcommand(
      "restore", "sostituisce l'archivio delle iscrizioni con una copia di sicurezza (a server fermi)");
  add_store(res);
  res->add_option("--from", file, "file della copia fatta con bp-admin backup")->required()->type_name("FILE");
  res->add_flag("--force", force, "sostituisce anche un archivio che contiene già iscrizioni");

  CLI11_PARSE(app, argc, argv);
  store.data_dir = data_dir;
  if (mig->parsed()) return migrate(from, to);
  if (bak->parsed()) return backup(store, file);
  return restore(file, store, force);
} catch (const std::exception& e) {
  std::cerr << "bp-admin: " << e.what() << "\n";
  return 1;
}
