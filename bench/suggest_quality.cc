// bp-suggest-quality: measures the completions offered while typing
// (/api/suggest) on a completion collection derived mechanically from the
// queries people type, and prints per prefix length success@1, success@5,
// MRR, the share of weak lists, the time per completion list and the exact
// form@5 and MRR (the word in the form typed among the first 5). See
// docs/search-quality.md ("Completions after other words, measured").
//
//   bp-suggest-quality --index DIR --content DIR --queries TSV [--mix FILE]...
//                      [--variant NAME]... [--details] [--heldout | --kind KIND...]
//
// --heldout measures on the held-out kinds instead, without the mixes, and
// prints only the figures (--details is refused): how the completions do
// on queries nobody tuned them on. --kind KIND (repeatable) measures on
// those kinds alone, held-out or not; --details with a held-out kind is
// for the sets docs/search-quality.md lists as opened.
//
// The collection. Every query of the relevance collection (--queries; kinds
// with "heldout" in their name are skipped unread: they are held out) and of
// the query mixes (--mix, bench/queries*.txt: kind, query, filters), each
// distinct query text once. For each query of two words or more, each word
// after the first that a completion could be (not a function word, no digit,
// longer than the letters typed) is typed as a person types it: the words
// before it in full, as written, a space, then its first 2, 3 or 4 letters
// ("spreco al", "spreco ali", "spreco alim"). With --after-space, only the
// words before it and the space ("spreco "): what the list offers before a
// letter of the next word is typed (letters 0).
//
// Success: that word, or another form of it (same inflection key or same
// stem: "alimentari" for "alimentare"), is among the first 5 completions as a
// word completion (kind "term": its first completed word) or a title or theme
// that contains it. MRR over the first 5 (0 when absent).
//
// Exact form@5 and exact form MRR: the word itself, in the form typed
// (accents folded), among the first 5 ("aiutare" after "come posso aiut", where "aiuto" is a
// success): how often the list offers what the person was about to type.
//
// Weak list: one of its first 5 completions is a word completion whose
// completed words include a function word, or whose first completed word
// never occurs in a practice with the content words typed before it (those
// of them that some practice has: after a typo, "fatoria so", nothing
// occurs with "fatoria"). A completed word that no practice has at all
// comes from the taxonomy's English phrases ("carbon fo" -> "carbon
// footprint", SynonymTable::english_continuations), which the search reads
// through the glossary: not weak. A lead that names a school level
// ("terza media", SynonymTable::school_level_at) counts as the level, as
// the search reads it: its practices (a lesson sheet for it, or its words
// in a row), not its words anywhere; and a level's name that completes a
// class ("terza me" -> "terza media") is not weak.
//
// Time: wall clock and CPU time of the thread per completion list (themes,
// titles and words, as Searcher::suggest composes them), p50 and p95. The
// variants run one after the other on each prefix, so their times share the
// machine's load.
//
// --variant NAME (repeatable; default: all three) picks what to measure:
// "main: ..." (search::suggestions as before 1 December 2026: a typed word
// no practice has leaves nothing to occur with), "typed words no practice
// has left out" (search::CompletionOptions without close spellings) and
// "default: ..." (bp::Searcher::suggest itself, what /api/suggest answers);
// "the same without the next words after a space" is the second without
// CompletionOptions::next_words, for --after-space.
// The rankings measured and rejected (PMI, G2, conditional probability,
// adjacency, phrases, ...) are in commit 8918c1b, whose bp-suggest-quality
// measures each of them.
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "analyzer.h"
#include "bp/cli.h"
#include "bp/search.h"
#include "bp/taxonomy.h"
#include "bp/text.h"
#include "relevance_collection.h"
#include "schema.h"
#include "search_extras.h"
#include "search_query.h"
#include "search_synonyms.h"
#include "search_tokens.h"

namespace fs = std::filesystem;
using bp::search::CompletionOptions;

namespace {

// One typed prefix and the word it should complete to.
struct Probe {
  std::string typed;   // "spreco al"
  std::string target;  // folded, lower case: "alimentare"
  int letters = 0;     // 2, 3 or 4; 0 after a space (--after-space)
  std::string source;  // the query
};

std::vector<std::string> folded_words(std::string_view text) {
  std::vector<std::string> out;
  for (const std::string& w : bp::search::split_words(bp::text::fold(text))) {
    std::string f = bp::text::fold_lower(w);
    if (!f.empty()) out.push_back(std::move(f));
  }
  return out;
}

// The first `n` code points of a UTF-8 word.
std::string first_letters(std::string_view word, int n) {
  std::size_t i = 0;
  for (int k = 0; k < n && i < word.size(); ++k) {
    ++i;
    while (i < word.size() && (static_cast<unsigned char>(word[i]) & 0xC0) == 0x80) ++i;
  }
  return std::string(word.substr(0, i));
}

int letter_count(std::string_view word) {
  int n = 0;
  for (char c : word) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// The probes of one query (see the top of the file).
void probes_of(const std::string& q, bool after_space, std::vector<Probe>* out) {
  const std::vector<bp::search::Token> tokens = bp::search::tokenize(q);
  if (tokens.size() < 2) return;
  for (std::size_t i = 1; i < tokens.size(); ++i) {
    const std::string written = q.substr(tokens[i].begin, tokens[i].end - tokens[i].begin);
    const std::string target = bp::text::fold_lower(bp::text::fold(written));
    if (target.empty() || bp::search::is_function_word(target)) continue;
    if (std::any_of(target.begin(), target.end(), [](char c) { return c >= '0' && c <= '9'; })) continue;
    if (after_space) {
      // After a space only ("dell'acqua" is no word after a space).
      if (tokens[i].begin > 0 && q[tokens[i].begin - 1] == ' ')
        out->push_back({q.substr(0, tokens[i].begin), target, 0, q});
      continue;
    }
    for (int letters = 2; letters <= 4; ++letters) {
      if (letter_count(written) <= letters) continue;
      out->push_back({q.substr(0, tokens[i].begin) + first_letters(written, letters), target, letters, q});
    }
  }
}

class Judge {
 public:
  Judge(const Xapian::Database& db, bp::Analyzer& analyzer, const bp::search::SynonymTable& synonyms)
      : db_(db), analyzer_(analyzer), synonyms_(synonyms) {}

  // `a` and `b` folded lower-case words: the same word or forms of it.
  bool same_word(const std::string& a, const std::string& b) {
    if (a == b) return true;
    const std::string ka = bp::search::inflection_key(a);
    if (!ka.empty() && ka == bp::search::inflection_key(b)) return true;
    const std::string sa = analyzer_.terms_for(a).stemmed;
    return !sa.empty() && sa == analyzer_.terms_for(b).stemmed;
  }

  // Whether a suggestion completes the probe's word.
  bool hits(const Probe& p, const bp::Suggestion& s) {
    const std::vector<std::string> words = folded_words(s.text);
    if (s.kind == "term") {
      const std::size_t at = typed_words(p);
      return at < words.size() && same_word(words[at], p.target);
    }
    return std::any_of(words.begin(), words.end(), [&](const std::string& w) { return same_word(w, p.target); });
  }

  // Whether a suggestion completes the probe's word in the form typed
  // ("aiutare", not "aiuto", after "come posso aiut").
  bool hits_exactly(const Probe& p, const bp::Suggestion& s) {
    const std::vector<std::string> words = folded_words(s.text);
    if (s.kind == "term") {
      const std::size_t at = typed_words(p);
      return at < words.size() && words[at] == p.target;
    }
    return std::find(words.begin(), words.end(), p.target) != words.end();
  }
  // A word completion offering a function word, or a first completed word
  // that no practice has with the content words typed before it.
  bool weak(const Probe& p, const bp::Suggestion& s) {
    if (s.kind != "term") return false;
    const std::vector<std::string> words = folded_words(s.text);
    const std::size_t at = typed_words(p);
    if (at >= words.size()) return true;
    for (std::size_t i = at; i < words.size(); ++i)
      if (bp::search::is_function_word(words[i])) return true;
    // The words typed before, with the completed word: a level's name
    // completing a class is what the search reads.
    const std::vector<std::string> typed = folded_words(p.typed);
    std::vector<std::string> lead(typed.begin(), typed.begin() + static_cast<std::ptrdiff_t>(at));
    std::vector<std::string> with_word = lead;
    with_word.push_back(words[at]);
    for (std::size_t i = 0; i < lead.size(); ++i) {
      const auto named =
          synonyms_.school_level_at({with_word.begin() + static_cast<std::ptrdiff_t>(i), with_word.end()}, analyzer_);
      if (named.level != nullptr && i + named.words == with_word.size()) return false;
    }
    std::vector<Xapian::Query> parts;
    for (std::size_t i = 0; i < lead.size(); ++i) {
      const auto level =
          synonyms_.school_level_at({lead.begin() + static_cast<std::ptrdiff_t>(i), lead.end()}, analyzer_);
      if (level.level != nullptr) {
        std::vector<Xapian::Query> in_a_row;
        for (std::size_t x = i; x < i + level.words; ++x) in_a_row.emplace_back(lead[x]);
        parts.emplace_back(Xapian::Query::OP_OR, Xapian::Query(level.level->term),
                           Xapian::Query(Xapian::Query::OP_PHRASE, in_a_row.begin(), in_a_row.end(),
                                         static_cast<Xapian::termcount>(in_a_row.size())));
        i += level.words - 1;
        continue;
      }
      if (bp::text::italian_stopwords().count(lead[i]) != 0) continue;
      const bp::Analyzer::WordTerms t = analyzer_.terms_for(lead[i]);
      // Where a practice has the word: its text, or the editors' plain
      // words and questions, as the search reads it.
      const std::string term = t.stemmed.empty() ? t.plain : t.stemmed;
      std::vector<std::string> where = bp::search::editors_terms(db_, t);
      if (db_.get_termfreq(term) > 0) where.push_back(term);
      if (!where.empty())
        parts.emplace_back(Xapian::Query::OP_OR, where.begin(),
                           where.end());  // a word no practice has goes with nothing
    }
    if (parts.empty()) return false;
    // The completed word, in the text or the editors' words.
    std::vector<std::string> completed = bp::search::editors_terms(db_, {words[at], ""});
    if (db_.get_termfreq(words[at]) > 0) completed.push_back(words[at]);
    if (completed.empty()) return false;  // an English phrase's word
    parts.emplace_back(Xapian::Query::OP_OR, completed.begin(), completed.end());
    Xapian::Enquire e(db_);
    e.set_weighting_scheme(Xapian::BoolWeight());
    e.set_query(Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end()));
    return e.get_mset(0, 1).empty();
  }

 private:
  // How many words the probe has before the one being completed.
  // The words typed before the one completed (all of them after a space).
  static std::size_t typed_words(const Probe& p) { return folded_words(p.typed).size() - (p.letters == 0 ? 0 : 1); }

  const Xapian::Database& db_;
  bp::Analyzer& analyzer_;
  const bp::search::SynonymTable& synonyms_;
};

struct Tally {
  double s1 = 0, s5 = 0, mrr = 0, weak = 0, exact5 = 0, exact_mrr = 0;
  int n = 0;
  std::vector<double> wall_ms, cpu_ms;
};

double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

std::string fmt(double v, int digits = 2) {
  std::ostringstream o;
  o << std::fixed << std::setprecision(digits) << v;
  return o.str();
}

}  // namespace

int main(int argc, char** argv) try {
  fs::path index, content = "library-content", queries = "bench/relevance/queries.tsv";
  std::vector<fs::path> mixes;
  std::vector<std::string> variant_names;
  bool details = false;
  bool heldout = false;
  bool after_space = false;
  std::vector<std::string> kinds;
  int passes = 1;
  bp::cli::App app("Misura i completamenti mentre si scrive (/api/suggest) su query vere:\n"
                   "per lunghezza del prefisso success@1, success@5, MRR, liste deboli, tempo.",
                   "bp-suggest-quality");
  app.add_option("--index", index, "indice costruito da bp-index build")->type_name("DIR")->required();
  app.add_option("--content", content, "biblioteca (taxonomy.yaml)")->type_name("DIR");
  app.add_option("--queries", queries, "collezione di rilevanza (i tipi heldout sono saltati)")->type_name("FILE");
  app.add_option("--mix", mixes, "miscela di query (tipo, query, filtri)")->type_name("FILE");
  app.add_option("--variant", variant_names, "classifica da misurare (default: tutte)")->type_name("NAME");
  app.add_option("--passes", passes, "passate per i tempi (default 1)")->type_name("N");
  app.add_flag("--details", details, "stampa le liste della prima variante");
  app.add_flag("--after-space", after_space, "dopo le parole e uno spazio, prima di una lettera della successiva");
  auto* heldout_flag =
      app.add_flag("--heldout", heldout,
                   "misura invece sulle query dei tipi heldout, senza --mix (solo le cifre: --details non vale)");
  app.add_option("--kind", kinds,
                 "misura solo sulle query di questo tipo, anche heldout se aperto (docs/search-quality.md), "
                 "senza --mix")
      ->type_name("KIND")
      ->excludes(heldout_flag);
  if (auto exit = bp::cli::parse(app, argc, argv)) return *exit;

  const std::optional<bp::Taxonomy> taxonomy = bp::relevance::load_taxonomy(content);
  if (!taxonomy) return bp::cli::kExitFailure;
  // What is measured (see the top of the file): search::suggestions with
  // main's options and with the typo left out (no close spellings), and
  // bp::Searcher::suggest itself ("default", whose options are its own).
  // search::suggestions without Searcher::suggest's callbacks (close
  // spellings, English phrases, levels, Hunspell).
  auto plain = [](bool skip_unknown, bool next_words) {
    CompletionOptions options;
    options.skip_unknown = skip_unknown;
    options.next_words = next_words;
    return options;
  };
  const std::vector<std::pair<std::string, CompletionOptions>> all_variants = {
      {"main: typed words no practice has kept", plain(false, false)},
      {"typed words no practice has left out", plain(true, true)},
      {"the same without the next words after a space", plain(true, false)},
      {"default: typed words no practice has respelled, or left out", CompletionOptions{}},
  };
  std::vector<std::pair<std::string, CompletionOptions>> variants;
  if (variant_names.empty()) variants.assign(all_variants.begin(), all_variants.end());
  for (const std::string& name : variant_names) {
    auto it = std::find_if(all_variants.begin(), all_variants.end(), [&](const auto& v) { return v.first == name; });
    if (it == all_variants.end()) {
      std::cerr << "bp-suggest-quality: unknown variant '" << name << "'\n";
      return bp::cli::kExitUsage;
    }
    variants.push_back(*it);
  }

  if (heldout && details) {
    std::cerr << "bp-suggest-quality: --heldout stampa solo le cifre: le query tenute da parte non si leggono\n";
    return bp::cli::kExitUsage;
  }
  if (heldout || !kinds.empty()) mixes.clear();
  auto measured = [&](const std::string& kind) {
    if (!kinds.empty()) return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
    return (kind.find("heldout") != std::string::npos) == heldout;
  };

  // The distinct query texts: the relevance collection without its held-out
  // kinds (never read further than their kind), then the mixes; with
  // --heldout, the held-out kinds alone (only their figures are printed);
  // with --kind, those kinds alone.
  std::vector<std::string> texts;
  std::set<std::string> seen;
  std::vector<std::string> errors;
  for (const auto& j : bp::relevance::read_collection(queries, &errors))
    if (measured(j.kind) && seen.insert(j.q).second) texts.push_back(j.q);
  for (const fs::path& mix : mixes) {
    std::ifstream in(mix);
    if (!in) errors.push_back(mix.string() + ": cannot read the file");
    for (std::string line; std::getline(in, line);) {
      const std::vector<std::string> cols = bp::relevance::split(line, '\t');
      if (cols.size() >= 2 && seen.insert(cols[1]).second) texts.push_back(cols[1]);
    }
  }
  for (const auto& e : errors) std::cerr << e << "\n";
  if (!errors.empty()) return bp::cli::kExitFailure;

  Xapian::Database db = bp::relevance::open_index(index);
  bp::Analyzer analyzer;
  std::vector<Probe> probes;
  for (const std::string& q : texts) probes_of(q, after_space, &probes);

  // Targets no practice has in any form (typos, English words): no
  // completion can be right for them, yet they count.
  std::size_t unreachable = 0;
  for (const Probe& p : probes) {
    const bp::Analyzer::WordTerms t = analyzer.terms_for(p.target);
    unreachable += db.get_termfreq(t.plain) == 0 && (t.stemmed.empty() || db.get_termfreq(t.stemmed) == 0);
  }

  auto searcher = bp::Searcher::open(index, *taxonomy);
  if (!searcher.ok()) {
    std::cerr << "bp-suggest-quality: " << searcher.status().message() << "\n";
    return bp::cli::kExitFailure;
  }
  const bp::search::ThemeNames theme_names = bp::search::ThemeNames::of(*taxonomy);
  const auto synonyms = bp::search::SynonymTable::of(*taxonomy, db);
  Judge judge(db, analyzer, *synonyms);
  constexpr int kLimit = 8;  // what /api/suggest asks for
  constexpr std::size_t kShown = 5;

  // What Searcher::suggest composes: themes (two at most), then titles and words.
  auto complete = [&](const std::string& typed, const CompletionOptions& options) {
    std::vector<bp::Suggestion> out = bp::search::theme_suggestions(
        theme_names, db, typed, std::min(kLimit, bp::kMaxThemeSuggestions));
    const int rest = kLimit - static_cast<int>(out.size());
    if (rest > 0)
      for (auto& s : bp::search::suggestions(db, analyzer, typed, rest, options)) out.push_back(std::move(s));
    return out;
  };

  std::map<std::string, std::map<int, Tally>> tallies;  // variant -> letters (0: all)
  for (int pass = 0; pass < passes; ++pass) {
    for (const Probe& p : probes) {
      for (const auto& [name, options] : variants) {
        const double cpu0 = thread_cpu_ms();
        const auto wall0 = std::chrono::steady_clock::now();
        std::vector<bp::Suggestion> list;
        if (name.rfind("default", 0) == 0) {
          auto answer = (*searcher)->suggest(p.typed, kLimit);
          if (!answer.ok()) throw std::runtime_error(answer.status().message());
          list = std::move(*answer);
        } else {
          list = complete(p.typed, options);
        }
        const double wall =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - wall0).count();
        const double cpu = thread_cpu_ms() - cpu0;
        // Letters 0 (after a space) is counted once, as "all".
        const std::vector<int> keys = p.letters == 0 ? std::vector<int>{0} : std::vector<int>{p.letters, 0};
        for (int k : keys) {
          Tally& t = tallies[name][k];
          t.wall_ms.push_back(wall);
          t.cpu_ms.push_back(cpu);
        }
        if (pass > 0) continue;
        int rank = 0;
        int exact = 0;
        bool weak = false;
        for (std::size_t i = 0; i < list.size() && i < kShown; ++i) {
          if (rank == 0 && judge.hits(p, list[i])) rank = static_cast<int>(i) + 1;
          weak = weak || judge.weak(p, list[i]);
          if (exact == 0 && judge.hits_exactly(p, list[i])) exact = static_cast<int>(i) + 1;
        }
        for (int k : keys) {
          Tally& t = tallies[name][k];
          ++t.n;
          t.s1 += rank == 1;
          t.s5 += rank >= 1;
          t.mrr += rank >= 1 ? 1.0 / rank : 0.0;
          t.weak += weak;
          t.exact5 += exact >= 1;
          t.exact_mrr += exact >= 1 ? 1.0 / exact : 0.0;
        }
        if (details && name == variants.front().first) {
          std::cout << (rank == 0 ? "MISS " : "HIT@" + std::to_string(rank) + " ") << "\"" << p.typed
                    << "\" -> " << p.target << (weak ? " (weak)" : "") << ":";
          for (std::size_t i = 0; i < list.size() && i < kShown; ++i)
            std::cout << " [" << list[i].kind << "] " << list[i].text << ";";
          std::cout << "\n";
        }
      }
    }
  }
  std::cout << "documents in the index: " << db.get_doccount() << "; queries: " << texts.size()
            << "; typed prefixes: " << probes.size() << " (the word of " << unreachable
            << " of them is in no practice)\n\n"
            << "| variant | letters | prefixes | success@1 | success@5 | MRR | weak lists | p50 ms | p95 ms | p50 CPU ms | exact form@5 | exact form MRR |\n"
            << "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n";
  for (const auto& [name, options] : variants) {
    for (int k : {2, 3, 4, 0}) {
      const Tally& t = tallies[name][k];
      if (after_space && k != 0) continue;
      const double n = t.n > 0 ? t.n : 1;
      const std::string letters = k != 0 ? std::to_string(k) : after_space ? "0 (after a space)" : "all";
      std::cout << "| " << name << " | " << letters << " | " << t.n << " | " << fmt(t.s1 / n, 3) << " | "
                << fmt(t.s5 / n, 3) << " | " << fmt(t.mrr / n, 3) << " | " << fmt(t.weak / n, 3) << " | "
                << fmt(percentile(t.wall_ms, 0.5)) << " | " << fmt(percentile(t.wall_ms, 0.95)) << " | "
                << fmt(percentile(t.cpu_ms, 0.5)) << " | " << fmt(t.exact5 / n, 3) << " | " << fmt(t.exact_mrr / n, 3)
                << " |\n";
    }
  }
  return bp::cli::kExitOk;
} catch (const std::exception& e) {
  std::cerr << "bp-suggest-quality: errore: " << e.what() << "\n";
  return bp::cli::kExitFailure;
}
