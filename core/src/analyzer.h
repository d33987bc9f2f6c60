// The text analysis shared by the index builder and the searcher, so that a
// query word turns into exactly the terms the indexer produced.
//
// Pipeline: text::fold() (accents removed, typographic apostrophes made
// straight, Italian elisions split: "dell'ambiente" -> "dell ambiente"), then
// Xapian::TermGenerator, which lower-cases and splits into words, with
// Stem("italian"), the stopwords of text::italian_stopwords() in a
// Stopper and STEM_SOME: every word gives an unstemmed term (the
// lower-case folded word, used by phrases) and, unless it is a stopword or
// starts with a digit, a stemmed term "Z" + stem. With a prefix P the terms
// are "P" + word and "ZP" + stem.
//
// Not thread-safe (Xapian objects are not): one Analyzer per thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
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
  // and must outlive the calls to index_text() that follow.
  void set_document(Xapian::Document& doc);

  // Folds `text` and indexes it with positions: every term's wdf grows by
  // `wdf_inc` per occurrence. Consecutive calls continue the positions;
  // separate_fields() puts a gap between fields so phrases don't span them.
  void index_text(std::string_view text, Xapian::termcount wdf_inc = 1,
                  std::string_view prefix = "");
  void separate_fields();

  // Stops indexing into the current document. Call it before handing the
  // document to another thread: the generator otherwise keeps a (non
  // thread-safe) reference to it.
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
  Xapian::Stem stem_;
  Xapian::TermGenerator generator_;
};

}  // namespace bp
