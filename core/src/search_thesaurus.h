// The Italian thesaurus behind query expansion: LibreOffice's Italian
// thesaurus (Debian's mythes-it, read with libmythes) for the synonyms of a
// word, and the Italian Hunspell dictionary (hunspell-it, read with
// libhunspell) for its lemmas, so that an inflected query word ("vecchi",
// "prestati") reaches the thesaurus entry ("vecchio", "prestare").
//
// Loaded once per process (Thesaurus::shared()) and cached per word. A
// missing or unreadable file is never an error: one warning on stderr, and
// the search goes on without the thesaurus (or without lemmas).
//
// Thread-safe: lookups are serialised behind a mutex (MyThes and Hunspell
// are not thread-safe), and their results cached.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

class MyThes;
class Hunspell;

namespace bp::search {

// Where the dictionaries are: `mythes_idx`/`mythes_dat` (th_it_IT_v2.idx and
// .dat) and `hunspell_aff`/`hunspell_dic` (it_IT.aff and .dic). Empty paths
// mean "not found".
struct ThesaurusFiles {
  std::filesystem::path mythes_idx, mythes_dat, hunspell_aff, hunspell_dic;
};

// One alternative for a query word: a thesaurus synonym as written
// ("energia elettrica"), with the part of speech of the meaning it comes
// from.
struct ThesaurusAlternative {
  enum class Pos { kNoun, kVerb, kAdjective, kOther };
  std::string phrase;
  Pos pos = Pos::kOther;
};

class Thesaurus {
 public:
  // The files under BP_THESAURUS_DIR when set (a folder with th_it_IT*.idx/.dat
  // and, optionally, it_IT.aff/.dic), else under /usr/share/mythes and
  // /usr/share/hunspell (Debian's paths).
  static ThesaurusFiles discover();

  // Opens the given files. Never fails: a missing or unreadable thesaurus
  // gives an empty Thesaurus and a sentence in `*warning`; missing Hunspell
  // files give a thesaurus without lemmas (words are looked up as typed)
  // and a sentence in `*warning`.
  static std::unique_ptr<Thesaurus> open(const ThesaurusFiles& files, std::string* warning);

  // The process's thesaurus, opened from discover() on the first call; its
  // warning, if any, is printed once on stderr.
  static const Thesaurus& shared();

  ~Thesaurus();
  Thesaurus(const Thesaurus&) = delete;
  Thesaurus& operator=(const Thesaurus&) = delete;

  bool loaded() const { return thes_ != nullptr; }
  // True when Hunspell's Italian dictionary is loaded (is_word() can say no).
  bool has_dictionary() const { return hunspell_ != nullptr; }

  // The lemmas of a folded lower-case word that are thesaurus entries, the
  // word itself first when it is one ("vecchi" -> "vecchio").
  std::vector<std::string> lemmas(const std::string& folded_word) const;

  // True when Hunspell's Italian dictionary accepts the lower-case word as
  // spelled, folded or with its accents ("soldi", "povertà"; not
  // "micrcredito", nor "poverta" without its accent, nor a proper noun in
  // small letters: "lecce", "salento"). False without Hunspell.
  bool is_word(const std::string& lower_word) const;

  // The base words of an Italian altered word (diminutive, augmentative,
  // pejorative: "giardinetto" -> "giardino", "vecchietti" -> "vecchio",
  // "casette" -> "case"): the word without its suffix, with the endings
  // -o, -a, -e, -i, that Hunspell accepts as a noun's or an adjective's
  // form, most likely first. Empty for a word that the thesaurus lists as
  // an entry of its own ("panino" is not a small "pane"), for bases under 3
  // letters, and without Hunspell. A base Hunspell reads only as a verb's
  // form is none: "pagella" (a school report) is not a small "paga", which
  // Hunspell knows as a form of "pagare".
  std::vector<std::string> altered_bases(const std::string& folded_word) const;

  // The thesaurus's one-word entries (folded, lower case) within
  // `max_edits` edits of a folded lower-case word, with its first letter,
  // that Hunspell accepts: fewest edits first, then in the entries' order
  // ("riciclagio" -> "riciclaggio"). Empty without Hunspell, for the word
  // itself and for `max_edits` <= 0.
  std::vector<std::string> close_entries(const std::string& folded_word, int max_edits) const;

  // True for an Italian infinitive the thesaurus lists as a verb ("dare",
  // "coltivare"; not "quartiere").
  bool is_infinitive(const std::string& folded_word) const;

  // The synonyms of the word's lemmas, each once, in the thesaurus's order;
  // multi-word synonyms included. A word that is a headword itself has its
  // own entry's synonyms only, not those of the other lemmas Hunspell reads
  // it as ("stufa", a stove: not "seccare" of "stufare"). Without the verb senses for a word
  // Hunspell reads only as a verb that is also a noun's plural ("scolare":
  // schoolgirls, not "vuotare"), nor the word's own base when it reads as
  // an altered word ("borsa" for "borsetta": see altered_bases()). Empty
  // when the thesaurus is not loaded or the word is unknown. Cached per
  // word.
  //
  // With `noun_reading` (the word follows an article: "gli scarti"), the
  // word is a noun's or an adjective's form: the verb senses are left out,
  // and a plural reaches the thesaurus's noun entry for its singular even
  // when Hunspell reads the word as a verb's form only ("scarti" ->
  // "scarto", leftovers; not "scartare", to throw away).
  std::shared_ptr<const std::vector<ThesaurusAlternative>> alternatives(
      const std::string& folded_word, bool noun_reading = false) const;

 private:
  Thesaurus() = default;
  std::vector<std::string> lemmas_locked(const std::string& folded_word) const;
  bool is_infinitive_locked(const std::string& folded_word) const;
  // True when one of the word's Hunspell lemmas is not a verb of the
  // thesaurus: a noun's or an adjective's form ("giardini", "case"; not
  // "paga", a form of "pagare"). False without Hunspell.
  bool nominal_locked(const std::string& folded_word) const;
  // True for a word Hunspell reads only as a verb's form (not
  // nominal_locked()) that is also the plural of a noun or adjective it
  // knows: "scolare" ("scolara"). Such a word's verb senses are not used.
  bool only_verb_but_a_plural_locked(const std::string& folded_word) const;

  std::unique_ptr<MyThes> thes_;
  std::unique_ptr<Hunspell> hunspell_;
  // Folded lower-case entry -> entries as written ("poverta" -> "povertà").
  std::unordered_map<std::string, std::vector<std::string>> entries_;
  // The keys of entries_ made of one word, sorted (close_entries()).
  std::vector<std::string> one_word_entries_;
  mutable std::mutex mutex_;
  mutable std::unordered_map<std::string, std::shared_ptr<const std::vector<ThesaurusAlternative>>>
      cache_;
};

}  // namespace bp::search
