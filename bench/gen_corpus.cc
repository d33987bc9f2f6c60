// bp-gen-corpus: writes a benchmark library of N valid case files, and the
// fixed query mix, deterministically from a seed.
//
//   bp-gen-corpus --n N [--seed S] [--content library-content] [--editors-words] --out DIR
//   bp-gen-corpus --queries-only [--seed S] [--content library-content] --out DIR
//
// DIR/taxonomy.yaml      copy of the starter library's taxonomy (and
//                        programme.yaml, which bp-server reads)
// DIR/practices/<hub>/<slug>.md
// DIR/queries.txt        300 queries, one per line: kind TAB q TAB filters
// DIR/queries-filtered.txt  the same queries, every third with facet filters
//
// The prose is Italian: sentences taken from the starter library's bodies
// (per section: a "Contesto" sentence stays in Contesto) mixed with the
// templates of corpus_words.h, whose slots take places, organisations,
// numbers and the theme's label and taxonomy synonyms, so no two documents
// are alike. Every document draws from its own generator seeded by (seed,
// index): document i is the same whatever N is. With --editors-words every
// document also has plain words and questions drawn from the starter
// library's (the relevance collection's distractors: docs/search-quality.md).
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "bp/cli.h"
#include "corpus.h"
#include "queries.h"

namespace fs = std::filesystem;
using namespace bp::bench;

int main(int argc, char** argv) try {
  std::size_t n = 0;
  std::uint64_t seed = 1;
  fs::path content = "library-content";
  fs::path out;
  bool queries_only = false;
  bp::cli::App app("Scrive una biblioteca di prova di N schede valide e le query dei benchmark,\n"
                   "in modo deterministico a partire dal seme.",
                   "bp-gen-corpus");
  app.add_option("--n", n, "numero di schede")->type_name("N");
  app.add_option("--seed", seed, "seme (default 1)")->type_name("S");
  app.add_option("--content", content, "biblioteca di partenza (default library-content)")->type_name("DIR");
  app.add_option("--out", out, "cartella da scrivere")->type_name("DIR")->required();
  app.add_flag("--queries-only", queries_only, "scrive solo queries.txt e queries-filtered.txt");
  bool editors_words = false;
  app.add_flag("--editors-words", editors_words,
               "anche parole semplici e domande, tratte da quelle della biblioteca di partenza");
  if (auto exit = bp::cli::parse(app, argc, argv)) return *exit;
  const CorpusVocabulary vocab = load_vocabulary(content / "taxonomy.yaml");
  const SentenceBank bank = load_bank(content);
  fs::create_directories(out);
  const auto queries = make_queries(seed, vocab, bank);
  write_queries(out / "queries.txt", queries, false);
  write_queries(out / "queries-filtered.txt", queries, true);
  if (queries_only) return bp::cli::kExitOk;

  fs::copy_file(content / "taxonomy.yaml", out / "taxonomy.yaml", fs::copy_options::overwrite_existing);
  // The server's registration module reads the programme from the same folder.
  if (fs::exists(content / "programme.yaml"))
    fs::copy_file(content / "programme.yaml", out / "programme.yaml", fs::copy_options::overwrite_existing);
  for (const auto& hub : vocab.hubs) fs::create_directories(out / "practices" / hub);
  std::vector<std::string> slugs;
  slugs.reserve(n);
  std::uint64_t bytes = 0, words = 0;
  for (std::size_t i = 0; i < n; ++i) {
    Generated g = make_practice(i, seed, vocab, bank, slugs, editors_words);
    std::ofstream(out / "practices" / g.hub / (g.slug + ".md"), std::ios::binary) << g.text;
    bytes += g.text.size();
    words += word_count(g.text);
    slugs.push_back(std::move(g.slug));
  }
  std::cout << "bp-gen-corpus: " << n << " case files, " << bytes / 1e6 << " MB, "
            << (n ? words / n : 0) << " words per file on average, in " << out.string() << "\n";
  return bp::cli::kExitOk;
} catch (const std::exception& e) {
  std::cerr << "bp-gen-corpus: errore: " << e.what() << "\n";
  return bp::cli::kExitFailure;
}
