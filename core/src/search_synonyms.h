// Query synonyms: groups of equivalent words and phrases from the taxonomy
// (each theme's label with its synonyms, and the free `synonyms:` groups)
// and from the index's own synonym table. Matching is on stems, so
// "gruppi di acquisto" finds the group of "gruppo di acquisto solidale".
#pragma once

#include <xapian.h>

#include <algorithm>
#include <cstddef>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "analyzer.h"
#include "bp/taxonomy.h"
#include "bp/text.h"
#include "search_thesaurus.h"

namespace bp::search {

struct SynonymGroup {
  std::vector<std::string> phrases;  // as written ("gruppo di acquisto solidale")
  // For each phrase, the terms a document must all have (stems of its
  // non-stopwords, plain words for numbers).
  std::vector<std::vector<std::string>> phrase_terms;
  // The filter terms of the theme or dimensions the group means, any of
  // them ("XTHEME<slug>"; "XDIM<slug>", several for a name the editors
  // gave several dimensions, as "sostenibilità"); empty when none.
  std::vector<std::string> theme_terms;
  std::string theme_label;  // the theme's label, as written, when the group is a theme's
  // A theme's group keyed by one of the theme's names (its label, its
  // English label): the theme is what was typed. A group keyed by one of
  // its synonyms or everyday words ("after school", "vecchietti") is a
  // looser association: the theme is one way to the concept, not all of it.
  bool names_theme = false;
  // An acronym's group (taxonomy `acronyms:`): its phrases mean exactly the
  // acronym, so they count as much as the typed words.
  bool exact = false;
  // An everyday expression of the lexicon (taxonomy `expressions:`):
  // phrases[0] is the expression ("dare una mano"), the others the plain
  // words that say it ("aiutare", "aiuto"), searched at a lower weight
  // (QueryUnderstanding::kExpressionWeight); only the expression is a key.
  bool expression = false;
};

// Warnings (for `bp-index check`) for the entries of `blocked_expansions:`
// that block nothing: no automatic expansion the index does not decide
// gives the word that alternative, neither the thesaurus (in either
// reading, with its lemmas), nor the altered words' bases, nor the English
// cognates' spellings, nor the editors' everyday words. Derived words'
// bases depend on the index and are not looked at. Empty when the
// thesaurus is not loaded: nothing can be said then.
Diagnostics unused_blocked_expansions(const Taxonomy& taxonomy, const Thesaurus& thesaurus,
                                      const std::string& file);

class SynonymTable {
 public:
  // The table of `taxonomy` and `db` as it is now: built on first use, then
  // shared by every Searcher of the process that reads the same database
  // revision with the same taxonomy (search_revision_cache.h), immutable.
  // May throw Xapian::Error (reading the database's UUID and revision).
  static std::shared_ptr<const SynonymTable> of(const Taxonomy& taxonomy, const Xapian::Database& db);

  // Reads the taxonomy and `db`'s synonym table into this table. Never throws.
  void build(const Taxonomy& taxonomy, const Xapian::Database& db, Analyzer& analyzer);

  // The key of a query word: the stem of its folded lower-case form.
  std::string key_of(const std::string& plain_word, Analyzer& analyzer) const;

  // The keys a query word may match: its stem, and the word itself as an
  // acronym (an acronym matches only as typed: "casa" is not "CAS"), unless
  // it is also an Italian word typed in small letters ("sai dove…" is the
  // verb, "SAI" the reception system; "runts" is the register). The
  // stems of its Hunspell lemmas were measured as keys too: no gain, and
  // "straniere" -> "straniero" cost a teachers' query. An Italian word
  // that is not a stopword also gets a verb-slot key (its first letter), so
  // that it may lead a phrase of three words or more that starts with an
  // infinitive: "danno una mano" matches "dare una mano" (irregular forms
  // keep the verb's first letter; the stemmer and Hunspell's Italian
  // dictionary do not relate "danno" to "dare"). A word that is not
  // Italian and is an inflection of an English word of the phrases gets
  // the key of its English stem ("refugee" -> "^refuge", the key of
  // "refugees"), which English phrases have (their Italian words keep
  // their Italian keys).
  std::vector<std::string> keys_of(const std::string& plain_word, bool typed_in_capitals,
                                   Analyzer& analyzer) const;

  // Longest phrase starting at keys[from] that is a synonym, each position
  // matching any of its keys; returns how many words it covers (0 = none)
  // and the groups it belongs to.
  // `expressions`: only the everyday expressions' groups (SynonymGroup::
  // expression), matched apart from the others; else only the others.
  std::size_t match(const std::vector<std::vector<std::string>>& keys, std::size_t from,
                    std::vector<const SynonymGroup*>* groups, bool expressions = false) const;

  bool empty() const { return by_key_.empty(); }

  // The filter term of the school level a one-word everyday name stands for
  // ("superiori" -> "XLEVELsecondaria-2"), from the levels' `everyday`
  // words in the taxonomy; nullptr when the folded word names none.
  const std::string* level_term(const std::string& plain_word) const;

  // A school level as a teacher names it with a class or a school: "terza
  // media", "quinta elementare", "scuola primaria", "secondaria di primo
  // grado" (QueryUnderstanding reads those). `names`: the level's one-word
  // names (its `everyday` words and a one-word label, folded: "medie",
  // "primaria"); `phrases`: its names of several words (a label of several
  // words, `everyday` phrases), folded and split into words.
  struct SchoolLevel {
    std::string term;   // the level's filter term ("XLEVELsecondaria-1")
    std::string label;  // as the taxonomy writes it ("Secondaria di primo grado")
    std::vector<std::string> names;
    std::vector<std::vector<std::string>> phrases;
  };
  // A school level named at the start of `words` (folded, as typed): one
  // of its names of several words ("secondaria di primo grado", "scuola
  // materna"), or [scuola|scuole] [classe|classi ordinal | ordinal] and
  // one of its one-word names in any gender and number ending, with a
  // school or an ordinal before it ("terza media", "scuole elementari",
  // "classe quinta primaria"; ordinals "prima" to "quinta" in any gender
  // and number, "1a" to "5a", "1" to "5"). "classe media" is the middle
  // class and a name alone ("medie") is a word: no level.
  // The level one of whose one-word names (the label's, the everyday
  // names') is `word` exactly, folded ("medie", "primaria"); nullptr when
  // none.
  const SchoolLevel* level_named(const std::string& word) const;
  static constexpr std::size_t kMaxLevelMentionWords = 8;
  struct LevelMention {
    const SchoolLevel* level = nullptr;  // nullptr: none
    std::size_t words = 0;               // how many words of `words` name it
    std::size_t name_at = 0;             // where its name starts among them
  };
  LevelMention school_level_at(const std::vector<std::string>& words, Analyzer& analyzer) const;
  // The levels' one-word names that complete `partial` after `lead`, words
  // typed before it (folded) that end as a level's name may start ("terza",
  // "scuole", "classe quinta"), in the number of the last of them: "terza
  // m" -> "media", "scuole el" -> "elementari". Candidates only (the caller
  // keeps those its library writes); empty when the lead asks for no name.
  std::vector<std::string> level_name_completions(const std::vector<std::string>& lead,
                                                  const std::string& partial) const;

  // The level one of whose one-word names has the stem key `key` (key_of():
  // "medi" for "media" and "medie"); nullptr when none.
  const SchoolLevel* level_of_key(const std::string& key) const;

  // The case files' words an everyday word stands for ("sabbia" ->
  // "spiaggia", "napoletani" -> "Napoli"), as the taxonomy's
  // `everyday_words:` list writes them (not folded), matched on
  // the word as listed, or on its stem when Hunspell knows the word
  // ("cartaccia" is listed as "cartacce"; "pos", a word being typed, is no
  // form of "posate"); nullptr when the word is not listed.
  const std::vector<std::string>* everyday_meanings(const std::string& plain_word, Analyzer& analyzer) const;
  // Whether the folded word is a word of the name of a case file's city or
  // region ("roma", "sardegna", "reggio", "emilia"), as the index has them.
  bool is_place_word(const std::string& folded_word) const { return places_.count(folded_word) != 0; }
  // The names of the case files' cities and regions of two words or more
  // besides function words ("reggio emilia", "valle d aosta": its words,
  // folded, stopwords included), as the index has them.
  const std::vector<std::vector<std::string>>& place_names() const { return place_names_; }
  // The region a query names by these folded content words, in order
  // ({"umbria"}, {"emilia", "romagna"}, {"valle", "aosta"}): its slug as
  // the case files have it; "" when they name no case file's region.
  std::string region_named(const std::vector<std::string>& content_words) const;
  // The taxonomy's label of the sustainable development goal numbered
  // `number` ("11": "Città e comunità sostenibili"); nullptr when none.
  const std::string* goal_label(const std::string& number) const {
    const auto it = goals_.find(number);
    return it == goals_.end() ? nullptr : &it->second;
  }

  // Whether the folded word is listed, as written, in `everyday_words:`.
  bool lists_everyday_word(const std::string& plain_word) const {
    return everyday_words_.find(plain_word) != everyday_words_.end();
  }

  // The folded words and phrases a query word must never be expanded to
  // (taxonomy `blocked_expansions:`): those listed for the folded word,
  // and for its thesaurus lemmas, so that "ospizi" is blocked as
  // "ospizio" is. Empty when none (at once when the list is empty).
  std::set<std::string> blocked_expansions(const std::string& plain_word) const;

  // The words that continue `lead`, folded English words typed before the
  // last one (none of them an Italian word), in the groups' English phrases
  // and start with `partial` without being it ("energy", "com" ->
  // "community", from "energy community"): most phrases first, at most
  // `limit`. Empty for an Italian lead and without Hunspell.
  std::vector<std::string> english_continuations(const std::vector<std::string>& lead, const std::string& partial,
                                                 std::size_t limit) const;

  // The groups' one-word phrases (folded, five letters or more) within
  // `max_edits` of `word` (text::edit_distance) and with its first letter,
  // closest first, then alphabetical: the spellings of a word only the
  // taxonomy has ("riciclagio": "riciclaggio", which no case file writes).
  std::vector<std::string> close_phrase_words(const std::string& word, int max_edits) const;
  // Whether the folded word is one of those phrases ("senzatetto").
  bool has_phrase_word(const std::string& word) const {
    return std::binary_search(phrase_words_.begin(), phrase_words_.end(), word);
  }

  // Whether the phrase, as a group writes it, is English: each of its
  // words is a word of the taxonomy's English names (`label_en`,
  // `synonyms_en`, an acronym's `en`) and not Italian to Hunspell
  // ("energy", "Science", "homeless"; not "cer", "bicibus", "energia").
  // The results page, in Italian, does not name them (Searcher).
  bool english_name(const std::string& phrase) const { return english_names_.count(text::fold_lower(phrase)) != 0; }

  // Leaves out of `groups`, which `plain_word` matched alone, those it
  // reaches only through one-word phrases the editors blocked for it
  // (blocked_expansions()): "presto" (soon) and "prestito" (a loan) have
  // the same stem, and `presto: [prestito, prestiti]` keeps the adverb out
  // of ethical finance. Nothing to do, at once, for a word with no entry.
  void drop_blocked(const std::string& plain_word, Analyzer& analyzer,
                    std::vector<const SynonymGroup*>* groups) const;
  // The group's one-word phrases, folded, whose key is `key` (key_of()):
  // those through which a word of that key matches the group alone. A
  // stemmed term of the index's table ("Zrinnov") stands for the groups'
  // one-word phrases on that stem ("rinnovabili").
  std::vector<std::string> one_word_phrases(const SynonymGroup& group, const std::string& key,
                                            Analyzer& analyzer) const;

  // The Italian thesaurus for the words no group covers: the process's
  // (Thesaurus::shared()) once build() has run, or the one given to
  // set_thesaurus(); nullptr before.
  const Thesaurus* thesaurus() const { return thesaurus_; }
  void set_thesaurus(const Thesaurus* thesaurus) { thesaurus_ = thesaurus; }

 private:
  // The longest of the levels' phrases that starts at keys[from] (each word
  // by its key_of()), with its level; 0 words when none.
  std::size_t match_level_phrase(const std::vector<std::string>& keys, std::size_t from,
                                 const SchoolLevel** level) const;
  // Registers the group under the key of each phrase, or of the first one
  // only (a star's branch, or an entry of the index's synonym table). A
  // free group (`synonyms:`) is not registered under an Italian phrase
  // whose other phrases are neither Italian nor words of the library
  // (italian_only_keys_).
  void add_group(const std::vector<std::string>& phrases, const std::vector<std::string>& theme_terms,
                 Analyzer& analyzer, bool first_is_key_only, bool exact = false, bool expression = false);
  // Reads the taxonomy's `everyday_words:` and `blocked_expansions:`
  // (everyday_meanings(), blocked_expansions()); no database needed.
  void read_word_lists(const Taxonomy& taxonomy, Analyzer& analyzer);
  friend Diagnostics unused_blocked_expansions(const Taxonomy&, const Thesaurus&, const std::string&);
  // True when the folded lower-case phrase is Italian to Hunspell (each of
  // its words but stopwords is a word or a thesaurus entry's folded form).
  bool is_italian(const std::string& phrase);
  // True when Hunspell knows the folded lower-case word or it is a
  // thesaurus entry's folded form; remembered during build() only
  // (italian_words_), as the same words recur across groups.
  bool is_italian_word(const std::string& word);
  // Registers in english_forms_ the inflections of an English word of a
  // phrase ("refugees": "refugee"; "volunteering": "volunteer",
  // "volunteers") that Xapian's English stemmer gives its stem; returns
  // the key of that stem ("^refuge").
  std::string add_english_forms(const std::string& word);
  // True when every word of the phrase but stopwords is, as written, a
  // word of the library (`db_`'s plain terms).
  bool in_library(const std::string& phrase, Analyzer& analyzer) const;

  static constexpr std::size_t kMaxWords = 8;
  const Thesaurus* thesaurus_ = nullptr;
  const Xapian::Database* db_ = nullptr;  // during build() only
  // Keys of Italian phrases that a free group translates only (into English
  // words the library never uses: [scuola, school, schools]): an Italian
  // query word keeps its own way through the query (plain words, thesaurus),
  // as if the group did not exist; the English words still lead to it. The
  // index's copy of such a group is left out under these keys too.
  std::set<std::string> italian_only_keys_;
  // The Italian stems of such a group's English phrases ("sold" for
  // [venduti, sold]): not keys of it, here or in the index's copy, so
  // that an Italian word of that stem ("soldi") does not mean the group.
  std::set<std::string> translation_keys_;
  std::unordered_map<std::string, bool> italian_words_;  // during build() only
  std::unordered_map<std::string, std::string> english_words_;  // during build() only: word -> its key
  // An inflection of an English word of the phrases -> its English stem
  // key ("volunteer" -> "^volunt"): a query word's English key is one hash
  // lookup, no stemming, and only a form of the phrases' words gets one.
  std::unordered_map<std::string, std::string> english_forms_;
  // The folded acronyms the editors mark `lowercase: true`: keys_of() reads
  // them as the acronym even when Italian has the word.
  std::unordered_set<std::string> lowercase_acronyms_;
  std::vector<SynonymGroup> groups_;
  // The English phrases of the groups, of two words or more, folded and
  // split into words, each once (english_continuations()).
  std::vector<std::vector<std::string>> english_phrases_;
  std::unordered_set<std::string> english_names_;                     // folded (english_name())
  std::vector<std::string> phrase_words_;                             // sorted, once each (close_phrase_words())
  std::unordered_map<std::string, std::vector<std::size_t>> by_key_;  // joined keys -> groups
  // A one-word key -> the groups' one-word phrases with that key, folded
  // ("rinnov" -> "rinnovabili"): what the index's stemmed terms stand for.
  std::unordered_map<std::string, std::vector<std::string>> stem_words_;
  std::unordered_map<std::string, std::string> level_terms_;  // folded word -> level filter term
  std::vector<SchoolLevel> levels_;
  std::unordered_map<std::string, std::size_t> level_keys_;  // a one-word name's key -> levels_ index
  // The keys of each of the levels' phrases, with its levels_ index.
  std::vector<std::pair<std::vector<std::string>, std::size_t>> level_phrases_;
  std::set<std::string> level_phrase_starts_;  // the key of each one's first word
  // The stem key of an everyday word -> the case files' words it stands for.
  std::unordered_map<std::string, std::vector<std::string>> everyday_meanings_;
  // The same by the everyday word itself, folded.
  std::unordered_map<std::string, std::vector<std::string>> everyday_words_;
  // A folded query word -> the folded words it is never expanded to.
  std::unordered_map<std::string, std::vector<std::string>> blocked_;
  // The folded words of the case files' cities and regions (is_place_word()).
  std::set<std::string> places_;
  std::vector<std::vector<std::string>> place_names_;
  // The case files' regions by their content words, joined by a space.
  std::map<std::string, std::string> regions_;
  // The goals' labels by number (the `sdgs:` vocabulary's slugs).
  std::map<std::string, std::string> goals_;
};

}  // namespace bp::search
