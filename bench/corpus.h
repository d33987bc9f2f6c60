// The benchmark corpus (bp-gen-corpus): the generator's random numbers, the
// taxonomy's vocabularies, the sentences borrowed from the starter library
// and the case files made from them. The query mix is in queries.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <iterator>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace bp::bench {

// splitmix64: tiny, fast, and the same sequence on every platform (the
// standard distributions are not).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : s_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }
  int range(int lo, int hi) { return lo + static_cast<int>(below(static_cast<std::size_t>(hi - lo + 1))); }
  bool chance(double p) { return static_cast<double>(next() >> 11) * 0x1.0p-53 < p; }
  template <class C>
  const auto& pick(const C& c) {
    return *(std::begin(c) + static_cast<std::ptrdiff_t>(below(std::size(c))));
  }

 private:
  std::uint64_t s_;
};

// Distinct indices [0, n) in random order, k of them, sorted.
std::vector<std::size_t> sample(Rng& rng, std::size_t n, std::size_t k);

struct Theme {
  std::string slug;
  std::string label;
  std::vector<std::string> synonyms;
};

// The slugs of the taxonomy a generated case file draws from.
struct CorpusVocabulary {
  std::vector<std::string> hubs, dimensions, audiences, modules;
  std::vector<Theme> themes;
  std::map<std::string, std::string> region_hub;
  std::vector<int> sdgs;
};

// The vocabularies of <content>/taxonomy.yaml, read with bp::Taxonomy.
// Throws std::runtime_error (with the taxonomy's diagnostics) when it
// cannot be used.
CorpusVocabulary load_vocabulary(const std::filesystem::path& taxonomy_file);

// Body sections, in the order of docs/dev/formats.md.
inline constexpr std::string_view kSections[] = {
    "Contesto",   "Obiettivi", "Cosa è stato fatto", "Risultati", "Risorse necessarie",
    "Difficoltà e lezioni apprese", "Trasferibilità", "Per approfondire"};
inline constexpr int kSectionCount = 8;
inline constexpr bool kBulletSection[kSectionCount] = {false, true, false, false, true, false, false, false};
// Share of a document's words per section.
inline constexpr double kSectionShare[kSectionCount] = {0.18, 0.10, 0.30, 0.13, 0.08, 0.11, 0.05, 0.05};

// Sentences and bullet items of the starter library's case files, by section.
struct SentenceBank {
  std::vector<std::string> sentences[kSectionCount];
  std::vector<std::string> bullets[kSectionCount];
  // The sentences of the editors' plain words (`in_parole_semplici`) and
  // their questions (`domande`).
  std::vector<std::string> plain_words;
  std::vector<std::string> questions;
};

// The sentences of every case file under <content>/practices.
SentenceBank load_bank(const std::filesystem::path& content);

// Words separated by spaces, tabs or newlines.
std::size_t word_count(std::string_view s);

struct Generated {
  std::string hub;
  std::string slug;
  std::string text;  // the whole case file
};

// Case file number `index` of the corpus of `seed`: the same whatever the
// size of the corpus. `earlier_slugs` are those of the files before it
// (for `related`). With `editors_words`, the case file also has plain words
// (2-4 sentences) and questions (3-10), drawn from the starter library's as
// its body's sentences are, so that a generated practice is not told apart
// by lacking them; the rest of the file is then drawn differently.
Generated make_practice(std::size_t index, std::uint64_t seed, const CorpusVocabulary& v,
                        const SentenceBank& bank, const std::vector<std::string>& earlier_slugs,
                        bool editors_words = false);

}  // namespace bp::bench
