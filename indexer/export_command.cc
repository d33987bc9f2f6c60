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

int run_export(const ExportOptions& options) {
  const std::string& format = options.format;
  const std::string& output = options.output;
  const std::filesystem::path& index_dir = options.index_dir;
  std::string base_url = options.base_url;
  if (base_url.empty()) {
    const char* env_url = std::getenv("BP_PUBLIC_URL");
    base_url = env_url && *env_url ? env_url : "http://localhost:8080";
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
