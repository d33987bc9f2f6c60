#include "queries.h"

#include <algorithm>
#include <fstream>
#include <set>

#include "bp/text.h"
#include "corpus_words.h"

namespace bp::bench {
namespace fs = std::filesystem;
namespace w = words;
namespace {

const std::set<std::string>& query_stopwords() {
  static const std::set<std::string> k = {
      "della", "delle", "degli", "dalla", "dalle", "dagli", "nella", "nelle", "negli", "sulla",
      "sulle", "sugli", "alla", "alle", "agli", "sono", "stato", "stata", "stati", "state", "anche",
      "come", "questo", "questa", "questi", "queste", "quello", "quella", "quelli", "quelle", "dove",
      "quando", "perché", "però", "loro", "ogni", "tutto", "tutti", "tutte", "tutta", "molto",
      "molti", "molte", "più", "hanno", "viene", "vengono", "essere", "fare", "così", "dopo",
      "prima", "senza", "mentre", "oltre", "circa", "altri", "altre", "altro", "altra", "ancora",
      "solo", "sempre", "parte", "dell", "nell", "dall", "sull", "quale", "quali", "proprio",
      "invece", "verso", "fino", "nostro", "nostra", "nostri", "loro", "abbiamo", "erano", "anni",
      "aveva", "avevano", "qualche", "della", "ciascuno", "dell'", "nell'", "sull'", "all'",
  };
  return k;
}

// Words of a sentence: letters (ASCII or UTF-8 multi-byte) and apostrophes
// inside; elided articles stay attached ("dell'ambiente") and are skipped.
std::vector<std::string> words_of(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty()) out.push_back(cur);
    cur.clear();
  };
  for (char c : s) {
    const unsigned char u = static_cast<unsigned char>(c);
    if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || u >= 0x80) cur += c;
    else flush();
    // An apostrophe ends the elided word: keep only what follows.
    if (c == '\'') cur.clear();
  }
  flush();
  return out;
}

std::string lower_ascii(std::string s) {
  for (auto& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

bool content_word(const std::string& word) {
  return text::code_points(word) >= 4 && !query_stopwords().count(word);
}

bool has_accent(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

// One typo in a word of at least 5 ASCII letters: swap, drop, double or
// replace a letter away from the first one.
std::string with_typo(std::string word, Rng& rng) {
  std::vector<std::size_t> ascii;
  for (std::size_t i = 1; i + 1 < word.size(); ++i)
    if (word[i] >= 'a' && word[i] <= 'z' && word[i + 1] >= 'a' && word[i + 1] <= 'z') ascii.push_back(i);
  if (ascii.empty()) return word;
  const std::size_t i = rng.pick(ascii);
  switch (rng.below(4)) {
    case 0: std::swap(word[i], word[i + 1]); break;
    case 1: word.erase(i, 1); break;
    case 2: word.insert(i, 1, word[i]); break;
    default: word[i] = static_cast<char>('a' + (word[i] - 'a' + 1 + rng.below(25)) % 26); break;
  }
  return word;
}

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
  return out;
}

}  // namespace

std::vector<Query> make_queries(std::uint64_t seed, const CorpusVocabulary& v, const SentenceBank& bank) {
  Rng rng(seed ^ 0x51A7E5EEDull);
  // Word runs from real sentences (content words only, lower-case).
  std::vector<std::vector<std::string>> runs;
  for (int s = 0; s < kSectionCount; ++s)
    for (const auto* list : {&bank.sentences[s], &bank.bullets[s]})
      for (const auto& sent : *list) {
        std::vector<std::string> run;
        for (auto& word : words_of(sent)) {
          std::string l = lower_ascii(word);
          if (content_word(l)) run.push_back(l);
        }
        if (!run.empty()) runs.push_back(run);
      }
  std::vector<std::string> phrases;  // theme labels and synonyms of <= 3 words
  for (const auto& t : v.themes) {
    phrases.push_back(lower_ascii(t.label));
    for (const auto& s : t.synonyms)
      if (word_count(s) <= 3 && s.find('\'') == std::string::npos) phrases.push_back(s);
  }
  std::vector<std::string> cities;
  for (const auto& r : w::kRegions)
    for (auto c : r.cities)
      if (c.find('\'') == std::string_view::npos) cities.emplace_back(c);

  auto base = [&]() {
    const std::size_t nwords = rng.chance(0.45) ? 1 : rng.chance(0.6) ? 2 : 3;
    const double r = static_cast<double>(rng.below(100)) / 100.0;
    if (r < 0.55) {
      const auto& run = rng.pick(runs);
      const std::size_t k = std::min(nwords, run.size());
      const std::size_t at = rng.below(run.size() - k + 1);
      std::vector<std::string> q(run.begin() + static_cast<std::ptrdiff_t>(at),
                                 run.begin() + static_cast<std::ptrdiff_t>(at + k));
      return join(q, " ");
    }
    if (r < 0.85) return std::string(rng.pick(phrases));
    const auto& run = rng.pick(runs);
    return lower_ascii(rng.pick(run)) + " " + rng.pick(cities);
  };

  std::vector<Query> out;
  for (int i = 0; i < 300; ++i) {
    const int kind = i % 20;  // 11 plain, 3 unaccented, 3 typo, 3 prefix in 20
    Query q;
    if (kind < 11) {
      q = {"plain", base(), ""};
    } else if (kind < 14) {
      std::string s = base();
      for (int tries = 0; tries < 30 && !has_accent(s); ++tries) s = base();
      q = {"unaccented", text::fold(s), ""};
    } else if (kind < 17) {
      auto ws = words_of(base());
      std::size_t longest = 0;
      for (std::size_t k = 0; k < ws.size(); ++k)
        if (ws[k].size() > ws[longest].size()) longest = k;
      if (!ws.empty() && ws[longest].size() >= 5) ws[longest] = with_typo(ws[longest], rng);
      q = {"typo", join(ws, " "), ""};
    } else {
      auto ws = words_of(base());
      std::string& last = ws.back();
      const std::size_t n = text::code_points(last);
      if (n > 3) {
        std::size_t keep = 3 + rng.below(n - 3);  // code points
        std::size_t bytes = 0;
        for (std::size_t cp = 0; bytes < last.size() && cp < keep; ++cp) {
          ++bytes;
          while (bytes < last.size() && (static_cast<unsigned char>(last[bytes]) & 0xC0) == 0x80) ++bytes;
        }
        last.resize(bytes);
      }
      q = {"prefix", join(ws, " "), ""};
    }
    out.push_back(q);
  }
  // Filtered variant: every third query gets facet filters (hub, theme,
  // dimension; sometimes two values of one facet, OR-ed).
  for (std::size_t i = 0; i < out.size(); i += 3) {
    std::vector<std::string> f;
    const int what = rng.range(0, 5);
    if (what == 0 || what == 3) f.push_back("hub=" + rng.pick(v.hubs));
    if (what == 1 || what == 3 || what == 4) {
      const auto idx = sample(rng, v.themes.size(), rng.chance(0.3) ? 2 : 1);
      for (auto k : idx) f.push_back("theme=" + v.themes[k].slug);
    }
    if (what == 2 || what == 4 || what == 5) f.push_back("dimension=" + rng.pick(v.dimensions));
    out[i].filters = join(f, "&");
  }
  return out;
}

void write_queries(const fs::path& file, const std::vector<Query>& queries, bool with_filters) {
  std::ofstream o(file);
  for (const auto& q : queries) o << q.kind << '\t' << q.q << '\t' << (with_filters ? q.filters : "") << '\n';
}

}  // namespace bp::bench
