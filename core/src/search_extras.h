// The lookups around search: completions while typing, related practices,
// whole-index facet counts.
#pragma once

#include <string>
#include <utility>
#include <vector>
#include <xapian.h>

#include "analyzer.h"
#include "bp/search.h"
#include "bp/taxonomy.h"

namespace bp::search {

// How the words that complete the last one are chosen and ranked after
// other words ("spreco al"). bench/suggest_quality.cc measures the variants
// (docs/search-quality.md, "Completions after other words, measured"); the
// default is what /api/suggest uses.
struct CompletionRanking {
  // Where the candidates come from: the commonest words of the index that
  // complete the last one (a bounded scan, then the 30 commonest), or the
  // words that complete it in the practices matching the words before it
  // (the 200 best of them; every candidate counted exactly).
  enum class Candidates { commonest, from_practices };
  // How a candidate that occurs with the words before it is scored, from
  // `with` (practices having both), `lead` (practices having the words
  // before), `freq` (practices having the candidate) and N (all):
  // count: `with`; pmi: log(with N / (lead freq)), candidates with fewer
  // than `min_count` practices after the others; g2: Dunning's signed
  // log-likelihood ratio of the 2x2 table; conditional: P(candidate | words
  // before) smoothed towards the candidate's frequency,
  // (with + mu freq / N) / (lead + mu).
  enum class Score { count, pmi, g2, conditional };
  // Right after the previous word in some practice ("comunità energetica"):
  // not considered, first by how many practices have it so (then the
  // score), first whenever one does (then the score), or each such
  // practice counted once more in the score (Score::count only).
  enum class Adjacency { none, count_first, first, bonus };
  Candidates candidates = Candidates::commonest;
  Score score = Score::count;
  Adjacency adjacency = Adjacency::count_first;
  int min_count = 2;   // pmi
  double mu = 5;       // conditional
  // Also offer the best adjacent completion with the word that follows it
  // most often in the practices' text, before the word alone ("comunità
  // ener" -> "comunità energetica rinnovabile"), when two or more
  // occurrences agree.
  bool phrases = false;
  // Words typed before that no practice has (a typo: "fatoria so") are left
  // out of the words the completion must occur with.
  bool skip_unknown = false;
  // "Right after the previous word" reaches over function words to the last
  // content word typed ("raccolta di" -> "raccolta differenziata", "scuola
  // in bi" -> "scuola in bicicletta"); with only function words before, no
  // completion is adjacent.
  bool adjacency_from_content_word = false;
  // With Candidates::commonest, also the words that complete the last one in
  // this many of the practices that best match the words before it.
  int extra_practices = 0;
  // One completion per stem of five letters or more ("alimentare" stands
  // for "alimenta" and "alimentata" too), not only per inflection key.
  bool one_per_stem = false;

  bool operator==(const CompletionRanking&) const = default;
  // The named rankings bench/suggest_quality.cc measures.
  static const std::vector<std::pair<std::string, CompletionRanking>>& variants();
};

// Titles whose words start with the typed words (kind "title"), then
// frequent words of the index that complete the last one (kind "term"),
// after other words only those that occur with them, ranked by `ranking`.
// May throw Xapian::Error.
std::vector<Suggestion> suggestions(const Xapian::Database& db, Analyzer& analyzer,
                                    const std::string& prefix, int limit,
                                    const CompletionRanking& ranking = {});

// What the forms of an Italian noun or adjective share, for a word of six
// letters or more ending in a vowel: the word without its last vowel, the
// "h" of "-che"/"-ghi" and the "i" of "-io"/"-i" ("energetica" and
// "energetiche" -> "energetic"; "volontario" and "volontari" -> "volontar").
// Empty for other words. The stem would merge too much: "educazione" and
// "educatori" share "educ".
std::string inflection_key(const std::string& word);

// The themes' names as theme_suggestions() compares them, folded once per
// taxonomy (no accents, no case, spaces collapsed).
struct ThemeNames {
  struct Theme {
    std::string slug;
    std::string label;          // as written, for people
    std::string folded_label;
    std::vector<std::string> folded_others;  // English label, synonyms, everyday names, English synonyms
  };
  std::vector<Theme> themes;
  static ThemeNames of(const Taxonomy& taxonomy);
};

// Themes one of whose names starts with what was typed (kind "theme", with
// the theme's slug; the text is its Italian label): "spreco al" ->
// "Spreco alimentare" (the label, from three letters), "pannelli sul" ->
// "Comunità energetiche rinnovabili" (an everyday name, from its second
// word on), "gas" -> "Gruppi di acquisto solidale" (a synonym, whole). One
// word that only begins another name is too little to say a theme
// ("scuola"). Only themes with practices in the index; at most `limit`,
// label matches first.
std::vector<Suggestion> theme_suggestions(const ThemeNames& names, const Xapian::Database& db,
                                          const std::string& prefix, int limit);

// Up to `limit` practices like `docid` (more-like-this over its most
// telling stems, with a bonus for each theme in common). May throw
// Xapian::Error.
std::vector<PracticeSummary> related_practices(const Xapian::Database& db, Xapian::docid docid,
                                               const std::vector<std::string>& themes,
                                               const std::string& slug, int limit);

// Documents per facet value over the whole index, from the filter terms'
// frequencies (exact, and no document is read). May throw Xapian::Error.
FacetCounts whole_index_counts(const Xapian::Database& db);

// The written form of a folded index word ("citta" -> "città"), as the
// builder recorded it (schema::kMetaWordPrefix); the word itself otherwise.
std::string written_form(const Xapian::Database& db, const std::string& folded_word);

}  // namespace bp::search
