// The lookups around search: completions while typing, related practices,
// whole-index facet counts.
#pragma once

#include <functional>
#include <string>
#include <vector>
#include <xapian.h>

#include "analyzer.h"
#include "bp/search.h"
#include "bp/taxonomy.h"

namespace bp::search {

// How the words that complete the last one are chosen after other words;
// the default is what /api/suggest answers. bench/suggest-quality measures
// the choices (docs/search-quality.md, "Completions after other words,
// measured").
// The terms of the editors' plain words and questions (schema.h,
// kPlainWordsPrefix, kQuestionsPrefix) that some practice has for a word
// (its stem's, or the word's for one without): where a practice has the
// word besides its text. Empty when none.
std::vector<std::string> editors_terms(const Xapian::Database& db, const Analyzer::WordTerms& terms);

struct CompletionOptions {
  // Words typed before that no practice has ("fatoria so", a typo) are left
  // out of the words a completion must occur with. Otherwise nothing occurs
  // with them and no word is offered (as before 1 December 2026).
  bool skip_unknown = true;
  // With skip_unknown: the word the search corrects such a word to
  // (QueryUnderstanding::correction), "" when it corrects it to none (a
  // word Hunspell knows is not "corrected" into another: "patentino" is
  // not "salentino"). The correction stands for it ("comunità enregetica
  // rin" counts with "energetica") and the completions are written with it
  // ("comunità energetica rinnovabile"), unless then no candidate occurs
  // with the words typed: then it is left out and written as typed. Empty,
  // or "": it is left out, written as typed.
  std::function<std::string(const std::string&)> correction;
  // The words that continue the words typed before the last one (folded)
  // in the taxonomy's English phrases and complete the last one
  // (SynonymTable::english_continuations): offered first, as the words
  // of the library that occur with an English word seldom follow it
  // ("energy com" -> "energy community", not "energy comune"). Empty: none.
  std::function<std::vector<std::string>(const std::vector<std::string>&, const std::string&)> continuations;
  // The school levels' names that complete the last word after the words
  // typed before it (folded) when those end as a class or a school
  // (SynonymTable::level_name_completions): "terza m" -> "terza media".
  // Offered first, those the library writes. Empty: none.
  std::function<std::vector<std::string>(const std::vector<std::string>&, const std::string&)> level_names;
  // A school level named at the start of the words given (folded)
  // (SynonymTable::school_level_at): how many words name it and its
  // filter term; {0, ""} when none. The completions after it occur with
  // the level's practices (a lesson sheet for it, or its words in a row),
  // not with its words anywhere: "terza media e" -> "energia", "educazione".
  std::function<std::pair<std::size_t, std::string>(const std::vector<std::string>&)> level_at;
  // Whether a folded lower-case word typed before the last one is a word
  // as typed (Hunspell's Italian dictionary, Thesaurus::is_word). A word
  // typed without its accent is written as the library writes it only when
  // it is not ("citta" -> "città"): "si", "e", "da", "la" stay as typed,
  // not the "sì", "è", "dà", "là" the library also has. Empty: every such
  // word as the library writes it.
  std::function<bool(const std::string&)> is_word;
  // True for a folded word that is an Italian infinitive
  // (Thesaurus::is_infinitive): right after a word that asks for a verb
  // ("posso pa", "come ridu", "far rin"), infinitives are offered first.
  // Empty: no word is.
  std::function<bool(const std::string&)> is_infinitive;
  // After a space, the phrases of the practices' titles, summaries,
  // headings, tags and editors' words that continue the last word
  // ("spreco " -> "spreco alimentare"); false: none (as before 4 December
  // 2026; bench/suggest-quality --after-space measures both).
  bool next_words = true;
};

// Titles whose words start with the typed words (kind "title", two at
// most first; the others after the words, if there is room), then
// frequent words of the index that complete the last one (kind "term");
// after other words, those that occur with them in a practice, first those
// right after the previous word in most practices, then those sharing most
// practices with the words typed; when no practice has every word typed
// before the last one, those that occur with most of them ("bicibus a
// scuola e spreco al" -> "spreco alimentare"); when none occurs with any,
// the commonest. After a space (a prefix that ends with one), the phrases
// that continue the words typed (CompletionOptions::next_words), those in
// the most practices with every word typed first. May throw Xapian::Error.
std::vector<Suggestion> suggestions(const Xapian::Database& db, Analyzer& analyzer,
                                    const std::string& prefix, int limit,
                                    const CompletionOptions& options = {});

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
