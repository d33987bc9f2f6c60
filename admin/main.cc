// bp-admin: operators' commands on the registration store.
//
//   bp-admin migrate --from sqlite:DATA_DIR --to postgresql://USER@HOST:PORT/DBNAME
//
// Messages are in Italian (for the staff); exit status 0 on success, 1 when
// the copy fails (with the reason; nothing is written), other non-zero
// values on a usage error.
#include <CLI/CLI.hpp>
#include <iostream>
#include <string>

#include "bp/registration/store_copy.h"

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

}  // namespace

int main(int argc, char** argv) try {
  CLI::App app{"Comandi per chi gestisce lo sportello iscrizioni"};
  app.require_subcommand(1);
  std::string from, to;
  auto* cmd = app.add_subcommand(
      "migrate", "copia tutte le iscrizioni da SQLite a PostgreSQL (a server fermo, in un database senza iscrizioni)");
  cmd->add_option("--from", from, "sqlite:CARTELLA, la cartella dei dati (registrations.sqlite3)")->required();
  cmd->add_option("--to", to, "postgresql://UTENTE@HOST:PORTA/DATABASE")->required();
  CLI11_PARSE(app, argc, argv);
  return migrate(from, to);
} catch (const std::exception& e) {
  std::cerr << "bp-admin: " << e.what() << "\n";
  return 1;
}
