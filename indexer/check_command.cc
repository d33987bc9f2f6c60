// bp-index check: the editors' checks, one `file:line: message` per line.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "bp/catalogue.h"
#include "bp/library.h"
#include "bp/taxonomy.h"
#include "bp/text.h"
#include "commands.h"
#include "search_synonyms.h"

namespace bp::indexer {
namespace {

namespace fs = std::filesystem;

// More files than this show a progress line (only on a terminal).
constexpr std::size_t kProgressThreshold = 200;

bool is_named(const fs::path& p, const char* name) { return p.filename() == name; }

}  // namespace

int run_check(const CheckOptions& given) {
  CheckOptions options = given;
  std::error_code ec;
  // Run from inside the content folder itself: it is the content root.
  if (!options.content_given && !fs::is_directory(options.content, ec) && fs::exists("taxonomy.yaml", ec))
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
  if (show_taxonomy && taxonomy) print(missing_search_names(*taxonomy, taxonomy_file.generic_string()));
  // The thesaurus is opened only for a taxonomy that blocks expansions.
  if (show_taxonomy && taxonomy && !taxonomy->blocked_expansions().empty())
    print(search::unused_blocked_expansions(*taxonomy, search::Thesaurus::shared(),
                                            taxonomy_file.generic_string()));
  // The whole library's vocabulary values, and the diagnostics that come
  // after the taxonomy's: a slug mistyped in taxonomy.yaml is reported on
  // its line, before the files it makes fail (taxonomy_slug_typos).
  // The pre-commit hook names the practices folder when taxonomy.yaml changed.
  const bool whole_library =
      options.paths.empty() || std::any_of(case_paths.begin(), case_paths.end(), [&](const fs::path& p) {
        return fs::equivalent(p, options.content / "practices", ec) || fs::equivalent(p, options.content, ec);
      });
  std::vector<TermUse> terms;
  Diagnostics files_diagnostics;
  bool programme_read = false;
  if (taxonomy) {
    for (const auto& p : other_yaml) {
      if (is_named(p, "programme.yaml")) {
        Diagnostics d = check_catalogue(p, *taxonomy, whole_library ? &terms : nullptr);
        files_diagnostics.insert(files_diagnostics.end(), d.begin(), d.end());
        programme_read = true;
      } else {
        print({{p.generic_string(), 0, 0, Severity::kError,
                "non è un file della biblioteca: controllo solo le schede .md, taxonomy.yaml e "
                "programme.yaml"}});
      }
    }
  }
  if (!taxonomy) {
    std::cout << text::count_noun(errors, "errore", "errori") << " e " << text::count_noun(warnings, "avviso", "avvisi")
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
    files_diagnostics.insert(files_diagnostics.end(), check.diagnostics.begin(), check.diagnostics.end());
    terms.insert(terms.end(), check.terms.begin(), check.terms.end());
    files = check.files;
  }
  // Not asked for, programme.yaml still tells which slugs are in use.
  if (whole_library && !programme_read && fs::exists(options.content / "programme.yaml", ec))
    check_catalogue(options.content / "programme.yaml", *taxonomy, &terms);
  if (whole_library) print(taxonomy_slug_typos(*taxonomy, taxonomy_file.generic_string(), terms, &files_diagnostics));
  print(files_diagnostics);
  std::cout << text::count_noun(errors, "errore", "errori") << " e " << text::count_noun(warnings, "avviso", "avvisi")
            << " in " << text::count_noun(files, "scheda", "schede") << '\n';
  return errors > 0 ? 1 : 0;
}

}  // namespace bp::indexer
