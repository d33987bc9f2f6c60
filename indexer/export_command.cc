// bp-index export: the whole library as open data (the files bp-server
// serves under /opendata/), read from the index.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "bp/open_data.h"
#include "bp/records.h"
#include "commands.h"

namespace bp::indexer {
namespace {

constexpr const char* kExportUsage =
    "uso: bp-index export --format json|csv [--index DIR] [--public-url URL] [--output FILE]\n"
    "  scrive tutte le schede indicizzate come dati aperti, uguali a\n"
    "  /opendata/pratiche.json e /opendata/pratiche.csv: JSON (un array) o CSV\n"
    "  (UTF-8, una riga per scheda, valori multipli uniti da \" | \").\n"
    "  --index DIR       l'indice (default var/index)\n"
    "  --public-url URL  l'indirizzo pubblico del sito per gli URL delle pagine\n"
    "                    (default BP_PUBLIC_URL, altrimenti http://localhost:8080)\n"
    "  --output FILE     il file da scrivere (default: lo standard output)\n";

}  // namespace

int run_export(const std::vector<std::string>& args) {
  std::string format, output;
  std::filesystem::path index_dir = "var/index";
  const char* env_url = std::getenv("BP_PUBLIC_URL");
  std::string base_url = env_url && *env_url ? env_url : "http://localhost:8080";
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string flag = args[i], value;
    if (flag == "-h" || flag == "--help") {
      std::cout << kExportUsage;
      return 0;
    }
    if (auto eq = flag.find('='); eq != std::string::npos) {
      value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      std::cerr << "bp-index export: manca il valore dopo " << flag << "\n\n" << kExportUsage;
      return 2;
    }
    if (flag == "--format") format = value;
    else if (flag == "--index") index_dir = value;
    else if (flag == "--public-url") base_url = value;
    else if (flag == "--output") output = value;
    else {
      std::cerr << "bp-index export: argomento sconosciuto '" << flag << "'\n\n" << kExportUsage;
      return 2;
    }
  }
  if (format != "json" && format != "csv") {
    std::cerr << "bp-index export: indica --format json oppure --format csv\n\n" << kExportUsage;
    return 2;
  }
  while (!base_url.empty() && base_url.back() == '/') base_url.pop_back();
  auto records = read_all_records(index_dir);
  if (!records.ok()) {
    std::cerr << "bp-index export: impossibile leggere l'indice " << index_dir.generic_string() << ": "
              << records.status().message() << " (esegui prima bp-index build)\n";
    return 1;
  }
  const std::string data =
      format == "json" ? open_data_json(*records, base_url) : open_data_csv(*records, base_url);
  if (output.empty()) {
    std::cout << data;
    return std::cout.flush() ? 0 : 1;
  }
  std::ofstream out(output, std::ios::binary);
  out << data;
  if (!out.flush()) {
    std::cerr << "bp-index export: impossibile scrivere " << output << "\n";
    return 1;
  }
  std::cerr << "bp-index export: " << records->size() << " schede scritte in " << output << "\n";
  return 0;
}

}  // namespace bp::indexer
