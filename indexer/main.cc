// bp-index: checks editors' case files and builds the Xapian index.
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "commands.h"

namespace {

constexpr const char* kUsage =
    "uso: bp-index <comando> [opzioni]\n"
    "\n"
    "comandi:\n"
    "  check [--content DIR] [PERCORSO...]   controlla le schede (default: tutta la biblioteca)\n"
    "  build [--content DIR] [--index DIR] [--rebuild]\n"
    "                                        costruisce o aggiorna l'indice (default var/index)\n"
    "  watch [--content DIR] [--index DIR]   riindicizza ogni scheda appena viene salvata\n"
    "  export --format json|csv [--index DIR] [--public-url URL] [--output FILE]\n"
    "                                        scrive tutte le schede come dati aperti\n";

}  // namespace

int main(int argc, char** argv) try {
  if (argc < 2) {
    std::cerr << kUsage;
    return 2;
  }
  const std::string command = argv[1];
  const std::vector<std::string> args(argv + 2, argv + argc);
  if (command == "check") return bp::indexer::run_check(args);
  if (command == "build") return bp::indexer::run_build(args);
  if (command == "watch") return bp::indexer::run_watch(args);
  if (command == "export") return bp::indexer::run_export(args);
  if (command == "-h" || command == "--help" || command == "help") {
    std::cout << kUsage;
    return 0;
  }
  std::cerr << "bp-index: comando sconosciuto '" << command << "'\n\n" << kUsage;
  return 2;
} catch (const std::exception& e) {
  std::cerr << "bp-index: errore: " << e.what() << "\n";
  return 1;
}
