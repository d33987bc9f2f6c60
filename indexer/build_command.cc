// bp-index build: builds or updates the Xapian index of the library.
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "bp/cli.h"
#include "bp/index_builder.h"
#include "commands.h"

namespace bp::indexer {
namespace {

// Builds with more files to read than this show their progress (on a terminal).
constexpr std::size_t kProgressThreshold = 200;

}  // namespace

int run_build(const BuildOptions& given) {
  BuildOptions options = for_replication(given);
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
  return report->skipped > 0 ? cli::kExitPartial : cli::kExitOk;
}

}  // namespace bp::indexer
