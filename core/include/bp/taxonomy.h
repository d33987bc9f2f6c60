// The controlled vocabularies of the library, loaded from
// library-content/taxonomy.yaml (never hard-coded in C++).
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bp/diagnostic.h"
#include "bp/status.h"

namespace bp {

struct Term {
  std::string slug;      // e.g. "gruppi-di-acquisto-solidale", "nord", "12", "m03"
  std::string label;     // Italian label
  std::string label_en;  // English label (may be empty)
  std::string description;
  std::vector<std::string> synonyms;  // words or phrases that mean the same (GAS, ...)
  // Themes: how people say it in everyday words ("pannelli sul tetto"),
  // searched like the synonyms; levels: what teachers call the level
  // ("superiori"), which finds the practices whose lesson sheet has it.
  std::vector<std::string> everyday;
  // Themes only: English synonyms ("food waste"); searched like the synonyms.
  std::vector<std::string> synonyms_en;
  std::string hub;           // regions: the hub they belong to
  std::string group;         // modules: their macro-action id
  std::string color;         // sdgs: official colour "#E5243B"

  friend bool operator==(const Term&, const Term&) = default;
};

struct Vocabulary {
  std::string name;  // "hub", "region", "theme", "dimension", "sdg", "audience", "module", "macro_action"
  std::vector<Term> terms;

  friend bool operator==(const Vocabulary&, const Vocabulary&) = default;
  const Term* find(const std::string& slug) const;
  std::vector<std::string> slugs() const;
};

// A group of equivalent query words (from themes' synonyms and the
// free-standing `synonyms:` list), e.g. {"gas", "gruppo di acquisto solidale"}.
struct SynonymGroup {
  std::vector<std::string> terms;

  friend bool operator==(const SynonymGroup&, const SynonymGroup&) = default;
};

// One entry of the `acronyms:` list: an acronym of the sector (legal forms,
// registers, school, welfare, environment, funding) and what it stands for.
struct Acronym {
  std::string acronym;                 // as written: "APS", "RUNTS"
  std::vector<std::string> expansion;  // "associazione di promozione sociale" (and variants)
  std::vector<std::string> en;         // English equivalents, may be empty
  std::string area;                    // "terzo settore", "scuola", ... (free text, may be empty)
  // `lowercase: true`: typed in small letters it is still the acronym,
  // although Italian has the word ("bes", a Roman weight; "indire"). Without
  // it, such a word typed in small letters is the word, and only "BES" the
  // acronym ("sai dove…" is not SAI).
  bool lowercase = false;

  friend bool operator==(const Acronym&, const Acronym&) = default;
};

// One entry of the `expressions:` lexicon: an everyday Italian expression or
// idiom ("dare una mano", "arrivare a fine mese") and the plain words that
// say it literally ("aiutare", "aiuto"). A query with the expression also
// searches those words (SynonymTable, search_synonyms.h); a query with the
// words does not search the expression.
struct Expression {
  std::string phrase;              // as written, at least two words
  std::vector<std::string> means;  // the plain words or phrases, at least one
  std::string domain;              // "aiuto e relazioni", "soldi e lavoro", ...

  friend bool operator==(const Expression&, const Expression&) = default;
};

// One entry of the `everyday_words:` list: a word of the case files
// ("spiaggia") and the single everyday words people type for it that the
// case files do not use ("sabbia", "lido"). A query word of that list that
// no practice uses is also searched as the case files' word, at the
// thesaurus's lower weight (search_query.h); one way only.
struct EverydayWords {
  std::string word;                   // as the case files write it, one word
  std::vector<std::string> everyday;  // one word each, at least one

  friend bool operator==(const EverydayWords&, const EverydayWords&) = default;
};

// One entry of the `blocked_expansions:` list: a query word as people type
// it ("ospizio") and the words or phrases the search must never expand it
// to ("asilo"): senses of the thesaurus, or other automatic expansions,
// that are wrong for this library. Matched folded (lower case, no
// accents), on the query word and on its thesaurus lemmas (search_query.h).
struct BlockedExpansion {
  std::string word;                  // as written, one word
  std::vector<std::string> blocked;  // as written, at least one
  int line = 0;                      // the word's line in taxonomy.yaml, for bp-index check

  friend bool operator==(const BlockedExpansion&, const BlockedExpansion&) = default;
};

// What a query for the term's label also searches: its synonyms, everyday
// words, English label and English synonyms (the label itself excluded,
// duplicates by folded form removed).
std::vector<std::string> search_synonyms(const Term& term);

// Warnings (for `bp-index check`) for the names people search by that a
// term lacks: an English label for every hub, dimension, theme, audience,
// school level and subject (English labels are search synonyms:
// Taxonomy::synonyms()), and for every theme its everyday words
// (`everyday`) and English synonyms (`synonyms_en`). The library works
// without them; a person searching in those words does not find the term.
class Taxonomy;
Diagnostics missing_search_names(const Taxonomy& taxonomy, const std::string& file);

class Taxonomy {
 public:
  // Loads `file`. Problems are appended to `diagnostics` (file:line); returns
  // nullopt only when the file cannot be used at all.
  static std::optional<Taxonomy> load(const std::filesystem::path& file, Diagnostics* diagnostics);

  // Same from YAML text already in memory; `file` names it in diagnostics.
  static std::optional<Taxonomy> from_yaml(const std::string& yaml, const std::string& file,
                                           Diagnostics* diagnostics);

  // The loaded taxonomy and the `diagnostics` its load reported about
  // `file`, in a compact binary form, and back: the index keeps it
  // (schema.h kMetaParsedTaxonomy) so that an incremental build does not
  // parse taxonomy.yaml again (yaml-cpp took a fifth of the CPU time of a
  // one-file build at 10,000 practices, docs/performance.md). from_bytes
  // appends the diagnostics, naming `file` where they named the file given
  // to to_bytes; nullopt when `bytes` is not such a form (another format
  // version, truncated). Every field of Term, Vocabulary, SynonymGroup,
  // Acronym, Expression, EverydayWords and BlockedExpansion is kept (taxonomy_test compares with operator==).
  std::string to_bytes(const Diagnostics& diagnostics, const std::string& file) const;
  static std::optional<Taxonomy> from_bytes(std::string_view bytes, const std::string& file,
                                            Diagnostics* diagnostics);
  friend bool operator==(const Taxonomy&, const Taxonomy&) = default;

  // Vocabulary by name ("hub", "region", "theme", "dimension", "sdg",
  // "audience", "module", "macro_action", and when taxonomy.yaml has them
  // "level", "subject", "duration"); nullptr when unknown or absent.
  const Vocabulary* vocabulary(const std::string& name) const;
  const std::vector<Vocabulary>& vocabularies() const { return vocabularies_; }
  // Each theme's label with search_synonyms(), then the free `synonyms:`
  // groups, then one group per acronym (acronym, expansions, English) and
  // one per other label that has an English label ("Scienze", "Science").
  const std::vector<SynonymGroup>& synonyms() const { return synonyms_; }
  const std::vector<Acronym>& acronyms() const { return acronyms_; }
  // The `expressions:` lexicon, in the file's order (not in synonyms()).
  const std::vector<Expression>& expressions() const { return expressions_; }
  // The `everyday_words:` list, in the file's order (not in synonyms()).
  const std::vector<EverydayWords>& everyday_words() const { return everyday_words_; }
  // The `blocked_expansions:` list, in the file's order.
  const std::vector<BlockedExpansion>& blocked_expansions() const { return blocked_expansions_; }

  // The Italian label of `slug` in `vocabulary`, for people ("Economia
  // circolare"); the slug itself when the vocabulary or the term is unknown
  // or has no label, so a page never shows an empty name.
  std::string label(const std::string& vocabulary, const std::string& slug) const;

  // The hub a region (slug) belongs to, or "" when the region is unknown.
  std::string hub_of_region(const std::string& region_slug) const;

  // Closest slug of `vocabulary` to `value` (edit distance, accent and case
  // insensitive), for "forse 'economia-circolare'?" hints; "" when none is close.
  // A label ("Valle d'Aosta", "Economia circolare"), a theme's synonym ("GAS")
  // or a slug written loosely also counts as close, with distance 0.
  std::string closest(const std::string& vocabulary, const std::string& value) const;

  // The slug whose label (Italian or English, accent and case insensitive) is
  // `value`, or whose slug equals text::slugify(value); "" when none.
  std::string slug_for_label(const std::string& vocabulary, const std::string& value) const;

 private:
  std::vector<Vocabulary> vocabularies_;
  std::vector<SynonymGroup> synonyms_;
  std::vector<Acronym> acronyms_;
  std::vector<Expression> expressions_;
  std::vector<EverydayWords> everyday_words_;
  std::vector<BlockedExpansion> blocked_expansions_;
};

// A vocabulary value written in an editor's file (a case file's `themes:`,
// an activity's in programme.yaml), known to the taxonomy or not.
struct TermUse {
  std::string file;  // as the file's diagnostics name it
  int line = 0;
  std::string vocabulary;
  std::string value;  // the slug when known (also when written as its label)
  bool known = false;
};

// A slug mistyped in taxonomy.yaml shows up as every file that uses the
// right one failing with "tema sconosciuto 'x': forse <the typo>?". When a
// value the taxonomy lacks is used by two files or more, and the taxonomy
// has a slug one or two letters away from it that none of `uses` uses (they
// must be the whole library's) and that is further than the value from the
// term's label made a slug, the mistake is likely the taxonomy's:
// returns an error on that slug's line of `taxonomy_file`, and rewrites the
// files' matching errors in `*diagnostics` to point there instead of
// suggesting the mistyped slug. A rename (a slug far from the old one) is
// left to the files' own errors.
Diagnostics taxonomy_slug_typos(const Taxonomy& taxonomy, const std::string& taxonomy_file,
                                const std::vector<TermUse>& uses, Diagnostics* diagnostics);

}  // namespace bp
