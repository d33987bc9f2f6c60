// bp-index check: the editors' checks, one `file:line: message` per line.
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "bp/library.h"
#include "bp/catalogue.h"
#include "bp/taxonomy.h"
#include "commands.h"

namespace bp::indexer {
namespace {

namespace fs = std::filesystem;

constexpr const char* kCheckUsage =
    "uso: bp-index check [--content DIR] [PERCORSO...]\n"
    "  controlla le schede indicate (file o cartelle, e taxonomy.yaml o programme.yaml se\n"
    "  indicati); senza percorsi controlla tutta la biblioteca, taxonomy.yaml e\n"
    "  programme.yaml. DIR è la cartella dei contenuti (default library-content).\n"
    "  Stampa un problema per riga (file:riga: messaggio); esce con 1 se trova errori,\n"
    "  0 se ci sono solo avvisi o nessun problema, 2 se il comando è scritto male.\n";

// More files than this show a progress line (only on a terminal).
constexpr std::size_t kProgressThreshold = 200;

struct CheckOptions {
  fs::path content = "library-content";  // content root: taxonomy.yaml and practices/
  std::vector<fs::path> paths;            // files or folders; empty = the whole library
};

std::string plural(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

bool is_named(const fs::path& p, const char* name) { return p.filename() == name; }

}  // namespace

int run_check(const std::vector<std::string>& args) {
  CheckOptions options;
  bool content_given = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "-h" || a == "--help") {
      std::cout << kCheckUsage;
      return 0;
    } else if (a == "--content") {
      if (i + 1 >= args.size()) {
        std::cerr << "bp-index check: manca la cartella dopo --content\n\n" << kCheckUsage;
        return 2;
      }
      options.content = args[++i];
      content_given = true;
    } else if (a.rfind("--content=", 0) == 0) {
      options.content = a.substr(10);
      content_given = true;
    } else if (a.size() > 1 && a[0] == '-') {
      std::cerr << "bp-index check: opzione sconosciuta '" << a << "'\n\n" << kCheckUsage;
      return 2;
    } else {
      options.paths.emplace_back(a);
    }
  }
  std::error_code ec;
  // Run from inside the content folder itself: it is the content root.
  if (!content_given && !fs::is_directory(options.content, ec) && fs::exists("taxonomy.yaml", ec))
    options.content = ".";
  if (!fs::is_directory(options.content, ec)) {
    std::cerr << "bp-index check: la cartella dei contenuti '" << options.content.generic_string()
              << "' non esiste (indicala con --content DIR)\n";
    return 2;
  }

  // taxonomy.yaml and programme.yaml are not case files: they are checked on
  // their own when named, and when the whole library is.
  const fs::path taxonomy_file = options.content / "taxonomy.yaml";
  std::vector<fs::path> case_paths;
  std::vector<fs::path> other_yaml;
  bool show_taxonomy = options.paths.empty();
  if (options.paths.empty() && fs::exists(options.content / "programme.yaml", ec))
    other_yaml.push_back(options.content / "programme.yaml");
  for (const auto& p : options.paths) {
    if (is_named(p, "taxonomy.yaml"))
      show_taxonomy = true;
    else if (p.extension() == ".yaml" || p.extension() == ".yml")
      other_yaml.push_back(p);
    else
      case_paths.push_back(p);
  }

  Diagnostics taxonomy_diagnostics;
  std::optional<Taxonomy> taxonomy = Taxonomy::load(taxonomy_file, &taxonomy_diagnostics);
  std::size_t errors = 0, warnings = 0;
  auto print = [&](const Diagnostics& ds) {
    for (const auto& d : ds) {
      std::cout << d.format() << '\n';
      (d.severity == Severity::kError ? errors : warnings)++;
    }
  };
  if (show_taxonomy || !taxonomy) print(taxonomy_diagnostics);
  if (taxonomy) {
    for (const auto& p : other_yaml) {
      if (is_named(p, "programme.yaml")) {
        print(check_catalogue(p, *taxonomy));
      } else {
        print({{p.generic_string(), 0, 0, Severity::kError,
                "non è un file della biblioteca: controllo solo le schede .md, taxonomy.yaml e "
                "programme.yaml"}});
      }
    }
  }
  if (!taxonomy) {
    std::cout << plural(errors, "errore", "errori") << " e " << plural(warnings, "avviso", "avvisi")
              << ": " << taxonomy_file.generic_string()
              << " non è utilizzabile, le schede non sono state controllate\n";
    return 1;
  }

  std::size_t files = 0;
  if (options.paths.empty() || !case_paths.empty()) {
    const bool tty = isatty(STDERR_FILENO) != 0;
    bool shown = false;
    CheckProgress progress;
    if (tty) {
      progress = [&](std::size_t done, std::size_t total) {
        if (total <= kProgressThreshold || (done % 50 != 0 && done != total)) return;
        std::cerr << "\rcontrollo delle schede: " << done << "/" << total << std::flush;
        shown = true;
      };
    }
    LibraryCheck check = check_library(options.content, *taxonomy, case_paths, progress);
    if (shown) std::cerr << '\n';
    print(check.diagnostics);
    files = check.files;
  }
  std::cout << plural(errors, "errore", "errori") << " e " << plural(warnings, "avviso", "avvisi")
            << " in " << plural(files, "scheda", "schede") << '\n';
  return errors > 0 ? 1 : 0;
}

}  // namespace bp::indexer
