// bp-index build: builds or updates the Xapian index of the library.
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "bp/index_builder.h"
#include "commands.h"

namespace bp::indexer {
namespace {

constexpr const char* kBuildUsage =
    "uso: bp-index build [--content DIR] [--index DIR] [--rebuild]\n"
    "  costruisce l'indice della biblioteca DIR (default library-content) nella\n"
    "  cartella --index (default var/index); aggiorna solo le schede cambiate.\n"
    "  --rebuild ricostruisce tutto da capo. Le schede non valide sono segnalate e\n"
    "  saltate; in quel caso esce con 1.\n";

// Builds with more files to read than this show their progress (on a terminal).
constexpr std::size_t kProgressThreshold = 200;

}  // namespace

int run_build(const std::vector<std::string>& args) {
  BuildOptions options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](const char* flag, std::filesystem::path* out) {
      if (i + 1 >= args.size()) {
        std::cerr << "bp-index build: manca la cartella dopo " << flag << "\n\n" << kBuildUsage;
        return false;
      }
      *out = args[++i];
      return true;
    };
    if (a == "-h" || a == "--help") {
      std::cout << kBuildUsage;
      return 0;
    } else if (a == "--content") {
      if (!value("--content", &options.content_root)) return 2;
    } else if (a.rfind("--content=", 0) == 0) {
      options.content_root = a.substr(10);
    } else if (a == "--index") {
      if (!value("--index", &options.index_dir)) return 2;
    } else if (a.rfind("--index=", 0) == 0) {
      options.index_dir = a.substr(8);
    } else if (a == "--rebuild") {
      options.rebuild = true;
    } else {
      std::cerr << "bp-index build: argomento sconosciuto '" << a << "'\n\n" << kBuildUsage;
      return 2;
    }
  }
  std::error_code ec;
  if (!std::filesystem::is_directory(options.content_root, ec)) {
    std::cerr << "bp-index build: la cartella dei contenuti '" << options.content_root.generic_string()
              << "' non esiste\n";
    return 1;
  }

  const bool tty = isatty(STDERR_FILENO) != 0;
  bool shown = false;
  if (tty) {
    options.progress = [&shown](std::size_t done, std::size_t total) {
      if (total <= kProgressThreshold) return;
      if (done % 50 != 0 && done != total) return;
      std::cerr << "\rindicizzazione delle schede: " << done << "/" << total << std::flush;
      shown = true;
    };
  }
  Result<BuildReport> report = build_index(options);
  if (shown) std::cerr << '\n';
  if (!report.ok()) {
    std::cerr << "bp-index build: " << report.status().message() << '\n';
    return 1;
  }
  for (const auto& d : report->diagnostics) std::cerr << d.format() << '\n';
  std::cout << report->summary() << '\n';
  return report->skipped > 0 ? 1 : 0;
}

}  // namespace bp::indexer
