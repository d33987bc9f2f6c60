// The text analysis shared by the index builder and the searcher, so that a
// query word turns into exactly the terms the indexer produced.
//
// Pipeline: text::fold() (accents removed, typographic apostrophes made
// straight, Italian elisions split: "dell'ambiente" -> "dell ambiente"), then
// the words and terms Xapian::TermGenerator would make with Stem("italian"),
// the stopwords of text::italian_stopwords() in a Stopper and STEM_SOME:
// every word gives an unstemmed term with its position (the lower-case
// folded word, used by phrases) and, unless it is a stopword or does not
// start with a letter (a digit, '_'), a stemmed term "Z" + stem without
// positions. With a prefix P
// the terms are "P" + word and "ZP" + stem. Words longer than 64 bytes are
// dropped (TermGenerator's default limit) and take no position.
//
// The Analyzer makes those terms itself (term_words.h splits the words by
// TermGenerator's rules): the same terms, wdf and positions as a
// TermGenerator, for less work. A TermGenerator stems each occurrence,
// asks the stopper and adds the stemmed term to the document once per
// occurrence; here what a word stems to is remembered across documents,
// the unstemmed terms are added as the words come (add_posting, as
// TermGenerator does) and each stemmed term once per document, with its
// summed wdf, when the document is released. docs/performance.md, "Sixth
// round", has the measurements; analyzer_test.cc compares both on tricky
// text. With XAPIAN_CJK_NGRAM in the environment (CJK n-grams, which
// term_words.h does not make) a TermGenerator does the work, as before.
//
// Not thread-safe (Xapian objects are not): one Analyzer per thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>
#include <xapian.h>

namespace bp {

// Xapian::Stem("italian") behind a cache, so each distinct word is stemmed
// once per thread. Gives the same stems as Stem("italian"); pass it to a
// QueryParser or a TermGenerator. The returned Stem shares its cache with its
// copies: keep it, and its copies, on one thread.
Xapian::Stem make_caching_italian_stemmer(std::size_t max_entries = 200000);

// A Stopper answering from text::italian_stopwords() (folded, lower-case).
// The object is immutable once built; reference counted by Xapian (give it to
// set_stopper() with release() or keep it alive as long as the user).
const Xapian::Stopper& italian_stopper();

class Analyzer {
 public:
  Analyzer();

  // Starts indexing into `doc` (positions from 1). The document is not owned
  // and must outlive the calls that follow, up to release_document().
  void set_document(Xapian::Document& doc);

  // Folds `text` and indexes it with positions: every term's wdf grows by
  // `wdf_inc` per occurrence. Consecutive calls continue the positions;
  // separate_fields() puts a gap between fields so phrases don't span them.
  void index_text(std::string_view text, Xapian::termcount wdf_inc = 1,
                  std::string_view prefix = "");
  void separate_fields();

  // Adds the terms indexed since set_document() to the document and stops
  // indexing into it: call it before reading the document's terms or
  // handing it to another thread.
  void release_document();

  // The terms one query word gives: `plain` is the folded lower-case word,
  // `stemmed` is "Z" + its stem, or "" for a stopword or a word that starts
  // with a digit (the indexer makes no stemmed term for those). Elisions
  // are not split here: pass words, not text ("dell'ambiente" folds to two
  // words; use index_text() semantics for text).
  struct WordTerms {
    std::string plain;
    std::string stemmed;
  };
  WordTerms terms_for(std::string_view word);

  // Shorthand: terms_for(word).stemmed.
  std::string stem_term(std::string_view word);

  const Xapian::Stem& stemmer() const { return stem_; }

 private:
  static constexpr std::uint32_t kNoStem = ~0u;

  // The stemmed terms of the current document under one prefix: for each
  // stem id its wdf + 1 (0: not in the document), and the ids it holds.
  struct PrefixStems {
    std::string prefix;
    std::vector<Xapian::termcount> wdf_plus_one;
    std::vector<std::uint32_t> present;
  };

  PrefixStems& stems_under(std::string_view prefix);
  std::uint32_t stem_id_of(const std::string& word);
  void add_stemmed_terms();

  Xapian::Stem stem_;
  Xapian::Document* doc_ = nullptr;
  Xapian::termpos pos_ = 0;
  // Folded word -> the id of its stem, or kNoStem for a stopword, a word
  // that does not start with a letter or one without a stem; kept across
  // documents (cleared between two when it grows past its limit).
  std::unordered_map<std::string, std::uint32_t> word_stems_;
  std::unordered_map<std::string, std::uint32_t> stem_ids_;
  std::vector<std::string> stems_;  // stem id -> stem
  std::vector<PrefixStems> fields_;
  std::string word_;  // reused buffers
  std::string term_;
  std::string folded_;
  // Only with XAPIAN_CJK_NGRAM set (see above).
  std::unique_ptr<Xapian::TermGenerator> generator_;
};

}  // namespace bp
