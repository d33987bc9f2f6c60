#include "search_synonyms.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <set>

#include "bp/text.h"
#include "schema.h"
#include "search_cognates.h"
#include "search_document.h"
#include "search_revision_cache.h"
#include "search_tokens.h"

namespace bp::search {

std::string SynonymTable::key_of(const std::string& plain_word, Analyzer& analyzer) const {
  if (plain_word.empty()) return plain_word;
  const unsigned char first = static_cast<unsigned char>(plain_word[0]);
  if (first >= '0' && first <= '9') return plain_word;
  return analyzer.stemmer()(plain_word);
}

namespace {
// Acronyms are registered under this prefix and their folded lower-case
// form, never under a stem.
constexpr char kAcronymKey = '=';
// A phrase led by a verb ("dare una mano") is also registered with its
// verb as this prefix and the verb's first letter ("~d un man"), and a
// query word gets that key too ("danno" -> "~d"): the other forms of the
// verb, which neither the stemmer nor Hunspell's Italian dictionary relate
// to the infinitive ("danno", "diamo", "stanno"), keep their first letter.
constexpr char kVerbSlotKey = '~';
// A word's English stem ("^volunt" for "volunteers" and "volunteering"):
// a key of the English phrases and of the query words that are not
// Italian and are a form of one of their words (english_forms_), so that
// an English word in another inflection than the taxonomy's ("refugee",
// "volunteer") still finds its phrase.
constexpr char kEnglishKey = '^';
// Only phrases of at least this many words (the verb and an object that
// is not only stopwords): "dare" alone, or "andare a", says too little.
constexpr std::size_t kMinVerbPhraseWords = 3;

bool is_ascii_letter(char c) { return c >= 'a' && c <= 'z'; }

bool is_vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

bool is_ascii_word(const std::string& w) {
  return !w.empty() && std::all_of(w.begin(), w.end(), is_ascii_letter);
}

// "^" + the word's stem by Xapian's English stemmer (Porter 2).
std::string english_key(const std::string& plain_word) {
  thread_local const Xapian::Stem stem("english");  // a Stem is not thread-safe
  return std::string(1, kEnglishKey) + stem(plain_word);
}

// The names a query gives a sustainability dimension: its synonyms and
// English synonyms. Not its bare labels: "sociale" is a word of most case
// files, and the English "Social" has the same stem.
std::vector<std::string> dimension_names(const Term& term) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const auto* list : {&term.synonyms, &term.synonyms_en})
    for (const std::string& s : *list)
      if (!s.empty() && seen.insert(text::fold_lower(s)).second) out.push_back(s);
  return out;
}

// Everything build() reads from the taxonomy, in one string: two
// taxonomies with the same source give the same table.
std::string synonym_source(const Taxonomy& taxonomy) {
  std::string out;
  auto add = [&out](const std::string& s) {
    out += s;
    out += '\x1f';
  };
  auto add_all = [&](const std::vector<std::string>& list) {
    for (const std::string& s : list) add(s);
    out += '\x1e';
  };
  for (const Vocabulary& vocabulary : taxonomy.vocabularies()) {
    if (vocabulary.name != "theme") continue;
    for (const Term& term : vocabulary.terms) {
      add(term.slug);
      add(term.label);
      add_all(search_synonyms(term));
    }
  }
  out += '\x1d';
  if (const Vocabulary* dimensions = taxonomy.vocabulary("dimension"))
    for (const Term& term : dimensions->terms) {
      add(term.slug);
      add_all(dimension_names(term));
    }
  out += '\x1d';
  for (const Acronym& a : taxonomy.acronyms()) {
    add(a.acronym);
    add_all(a.expansion);
    add_all(a.en);
    add(a.lowercase ? "1" : "0");
  }
  out += '\x1d';
  if (const Vocabulary* sdgs = taxonomy.vocabulary("sdg"))
    for (const Term& term : sdgs->terms) {
      add(term.slug);
      add(term.label);
    }
  out += '\x1d';
  for (const bp::SynonymGroup& g : taxonomy.synonyms()) add_all(g.terms);
  out += '\x1d';
  for (const Expression& x : taxonomy.expressions()) {
    add(x.phrase);
    add_all(x.means);
  }
  out += '\x1d';
  if (const Vocabulary* levels = taxonomy.vocabulary("level"))
    for (const Term& term : levels->terms) {
      add(term.slug);
      add_all(term.everyday);
    }
  out += '\x1d';
  for (const EverydayWords& x : taxonomy.everyday_words()) {
    add(x.word);
    add_all(x.everyday);
  }
  out += '\x1d';
  for (const BlockedExpansion& x : taxonomy.blocked_expansions()) {
    add(x.word);
    add_all(x.blocked);
  }
  out += '\x1d';
  for (const Vocabulary& vocabulary : taxonomy.vocabularies())
    for (const Term& term : vocabulary.terms) {
      add(term.label_en);
      add_all(term.synonyms_en);
    }
  return out;
}

// The words of the taxonomy's English names, folded: every vocabulary's
// `label_en` and `synonyms_en`, and the acronyms' `en`.
std::set<std::string> english_vocabulary(const Taxonomy& taxonomy) {
  std::set<std::string> out;
  auto add = [&out](const std::string& phrase) {
    for (const std::string& w : split_words(text::fold_lower(phrase)))
      if (!w.empty()) out.insert(w);
  };
  for (const Vocabulary& vocabulary : taxonomy.vocabularies())
    for (const Term& term : vocabulary.terms) {
      add(term.label_en);
      for (const std::string& s : term.synonyms_en) add(s);
    }
  for (const Acronym& a : taxonomy.acronyms())
    for (const std::string& s : a.en) add(s);
  return out;
}
}  // namespace

std::shared_ptr<const SynonymTable> SynonymTable::of(const Taxonomy& taxonomy, const Xapian::Database& db) {
  static RevisionCache<SynonymTable> tables;
  std::string key = revision_key(db);
  if (!key.empty()) key += "\n" + synonym_source(taxonomy);
  return tables.get(key, [&] {
    auto table = std::make_shared<SynonymTable>();
    Analyzer analyzer;  // only for building: each Searcher keeps its own
    table->build(taxonomy, db, analyzer);
    return std::shared_ptr<const SynonymTable>(std::move(table));
  });
}

std::vector<std::string> SynonymTable::keys_of(const std::string& plain_word, bool typed_in_capitals,
                                               Analyzer& analyzer) const {
  std::vector<std::string> keys = {key_of(plain_word, analyzer)};
  auto add = [&keys](std::string k) {
    if (!k.empty() && std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(std::move(k));
  };
  const bool italian_word = thesaurus_ != nullptr && thesaurus_->is_word(plain_word);
  if (typed_in_capitals || !italian_word || lowercase_acronyms_.count(plain_word) != 0)
    add(std::string(1, kAcronymKey) + plain_word);
  if (!italian_word && !english_forms_.empty()) {
    auto it = english_forms_.find(plain_word);
    if (it != english_forms_.end()) add(it->second);
  }
  // Any Italian word but a function word may be a form of the verb leading a phrase.
  if (italian_word && plain_word.size() >= 2 && is_ascii_letter(plain_word[0]) &&
      text::italian_stopwords().count(plain_word) == 0)
    add(std::string(1, kVerbSlotKey) + plain_word[0]);
  return keys;
}

void SynonymTable::add_group(const std::vector<std::string>& phrases, const std::vector<std::string>& theme_terms,
                             Analyzer& analyzer, bool first_is_key_only, bool exact, bool expression) {
  SynonymGroup group;
  group.theme_terms = theme_terms;
  group.exact = exact;
  group.expression = expression;
  std::vector<std::string> keys, verb_keys;
  // Per phrase: its key with the English stem of each word that is not
  // Italian ("^refuge" for "refugees"), or "" when it has none.
  std::vector<std::string> english_keys;
  for (const std::string& phrase : phrases) {
    std::vector<std::string> words;
    std::vector<std::string> terms;
    std::string key;
    // Entries of the index's synonym table may already be stemmed terms
    // ("Zgas"): used as they are.
    for (const std::string& raw : split_words(text::fold(phrase))) {
      if (raw.size() > 1 && raw[0] == 'Z' && raw[1] >= 'a' && raw[1] <= 'z') {
        terms.push_back(raw);
        key += (key.empty() ? "" : " ") + raw.substr(1);
        words.push_back(raw);
        continue;
      }
      const std::string plain = text::fold_lower(raw);
      if (plain.empty()) continue;
      words.push_back(plain);
      key += (key.empty() ? "" : " ") + key_of(plain, analyzer);
      Analyzer::WordTerms t = analyzer.terms_for(plain);
      if (!t.stemmed.empty()) {
        terms.push_back(t.stemmed);
      } else if (text::italian_stopwords().count(plain) == 0) {
        terms.push_back(t.plain);
      }
    }
    if (terms.empty() || words.size() > kMaxWords) continue;
    if (words.size() == 1 && words[0][0] != 'Z') {
      std::vector<std::string>& on_stem = stem_words_[key];
      if (std::find(on_stem.begin(), on_stem.end(), words[0]) == on_stem.end()) on_stem.push_back(words[0]);
    }
    if (exact && group.phrases.empty()) key = std::string(1, kAcronymKey) + text::fold_lower(phrase);
    keys.push_back(key);
    std::string english;
    // (Only the first phrase's when only the first is a key.)
    if (!(exact && group.phrases.empty()) && !(first_is_key_only && !group.phrases.empty()) &&
        thesaurus_ != nullptr && thesaurus_->has_dictionary() && !is_italian(text::fold_lower(phrase))) {
      bool any = false;
      for (const std::string& w : words) {
        if (w.size() > 1 && w[0] == 'Z') {  // an index entry's stemmed term
          any = false;
          break;
        }
        const bool en = is_ascii_word(w) && !is_italian_word(w);
        english += (english.empty() ? "" : " ") + (en ? add_english_forms(w) : key_of(w, analyzer));
        any = any || en;
      }
      if (!any) english.clear();
    }
    english_keys.push_back(std::move(english));
    // "dare una mano": also "~d un man", for the verb's other forms.
    bool object = false;
    for (std::size_t w = 1; w < words.size(); ++w) object = object || text::italian_stopwords().count(words[w]) == 0;
    if (!exact && object && words.size() >= kMinVerbPhraseWords && thesaurus_ != nullptr &&
        is_ascii_letter(words[0][0]) && thesaurus_->is_infinitive(words[0]))
      verb_keys.push_back(std::string(1, kVerbSlotKey) + words[0][0] + key.substr(key.find(' ')));
    else
      verb_keys.emplace_back();
    group.phrases.push_back(phrase);
    group.phrase_terms.push_back(std::move(terms));
  }
  if (group.phrases.size() < 2 && theme_terms.empty()) return;
  // A free group that only translates an Italian phrase into words that
  // are neither Italian nor the library's ("scuola": "school", "schools")
  // is not that phrase's: an Italian query gains nothing from them, and a
  // group would take the word out of its own way (plain words, thesaurus). Measured on
  // the relevance collection (docs/search-quality.md, "Everyday words that
  // generalise"): no kind lower, English and the questions higher.
  if (theme_terms.empty() && !exact && !first_is_key_only) {
    // A phrase means something to an Italian query when it is Italian or
    // a word of the library ("repair café", "tutoring").
    std::vector<bool> italian, used;
    for (const std::string& phrase : group.phrases) {
      italian.push_back(is_italian(text::fold_lower(phrase)));
      used.push_back(italian.back() || in_library(phrase, analyzer));
    }
    const auto n_used = std::count(used.begin(), used.end(), true);
    std::vector<std::string> kept, kept_verbs;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (italian[i] && n_used == 1) {
        italian_only_keys_.insert(keys[i]);
      } else if (n_used == 1 && !english_keys[i].empty()) {
        // The translation itself is found by its English key only: its
        // Italian stem may be an Italian word's ("sold" and "soldi"). The
        // index's copy of the group is left out under that stem too.
        translation_keys_.insert(keys[i]);
        kept.emplace_back();
        kept_verbs.emplace_back();
      } else {
        kept.push_back(keys[i]);
        kept_verbs.push_back(verb_keys[i]);
      }
    }
    // An English word whose stem is the Italian word's ("emissions",
    // "emissioni") would bring the group back under its key.
    for (std::size_t i = 0; i < kept.size(); ++i)
      if (italian_only_keys_.count(kept[i]) != 0) kept[i].clear();
    keys = std::move(kept);
    verb_keys = std::move(kept_verbs);
  }
  const std::size_t index = groups_.size();
  groups_.push_back(std::move(group));
  if (first_is_key_only && !keys.empty()) {
    keys.resize(1);
    verb_keys.resize(1);
  }
  if (first_is_key_only && !english_keys.empty()) english_keys.resize(1);
  for (std::string& k : english_keys)
    if (!k.empty()) keys.push_back(std::move(k));
  for (std::string& k : verb_keys)
    if (!k.empty()) keys.push_back(std::move(k));
  for (const std::string& key : keys) {
    if (key.empty()) continue;
    auto& list = by_key_[key];
    if (std::find(list.begin(), list.end(), index) == list.end()) list.push_back(index);
  }
}

const std::vector<std::string>* SynonymTable::everyday_meanings(const std::string& plain_word,
                                                                Analyzer& analyzer) const {
  if (everyday_meanings_.empty()) return nullptr;
  if (auto exact = everyday_words_.find(plain_word); exact != everyday_words_.end()) return &exact->second;
  // Another form of a listed word, only for a word Hunspell knows: a word
  // being typed ("pos") is no form of "posate".
  if (thesaurus_ == nullptr || !thesaurus_->is_word(plain_word)) return nullptr;
  auto it = everyday_meanings_.find(key_of(plain_word, analyzer));
  return it == everyday_meanings_.end() ? nullptr : &it->second;
}

void SynonymTable::read_word_lists(const Taxonomy& taxonomy, Analyzer& analyzer) {
  everyday_meanings_.clear();
  everyday_words_.clear();
  for (const EverydayWords& x : taxonomy.everyday_words()) {
    // As the taxonomy writes it: the page names "Napoli", not "napoli".
    const std::string& word = x.word;
    const std::string folded_word = text::fold_lower(word);
    auto same = [&](const std::string& listed) { return text::fold_lower(listed) == folded_word; };
    for (const std::string& w : x.everyday) {
      const std::string folded = text::fold_lower(w);
      for (std::vector<std::string>* meanings :
           {&everyday_meanings_[key_of(folded, analyzer)], &everyday_words_[folded]})
        if (std::none_of(meanings->begin(), meanings->end(), same)) meanings->push_back(word);
    }
  }
  blocked_.clear();
  for (const BlockedExpansion& x : taxonomy.blocked_expansions()) {
    std::vector<std::string>& blocked = blocked_[text::fold_lower(x.word)];
    for (const std::string& w : x.blocked) blocked.push_back(text::fold_lower(w));
  }
}

void SynonymTable::drop_blocked(const std::string& plain_word, Analyzer& analyzer,
                                std::vector<const SynonymGroup*>* groups) const {
  if (blocked_.empty()) return;
  const std::set<std::string> blocked = blocked_expansions(plain_word);
  if (blocked.empty()) return;
  const std::string key = key_of(plain_word, analyzer);
  std::erase_if(*groups, [&](const SynonymGroup* g) {
    const std::vector<std::string> through = one_word_phrases(*g, key, analyzer);
    return !through.empty() && std::all_of(through.begin(), through.end(),
                                           [&](const std::string& p) { return blocked.count(p) != 0; });
  });
}

std::vector<std::string> SynonymTable::one_word_phrases(const SynonymGroup& group, const std::string& key,
                                                        Analyzer& analyzer) const {
  std::vector<std::string> out;
  for (const std::string& phrase : group.phrases) {
    if (phrase.size() == key.size() + 1 && phrase[0] == 'Z' && phrase.compare(1, key.size(), key) == 0) {
      if (auto it = stem_words_.find(key); it != stem_words_.end())
        for (const std::string& w : it->second)
          if (std::find(out.begin(), out.end(), w) == out.end()) out.push_back(w);
      continue;
    }
    std::string folded = text::fold_lower(phrase);
    if (folded.find(' ') == std::string::npos && key_of(folded, analyzer) == key &&
        std::find(out.begin(), out.end(), folded) == out.end())
      out.push_back(std::move(folded));
  }
  return out;
}

std::vector<std::string> SynonymTable::english_continuations(const std::vector<std::string>& lead,
                                                             const std::string& partial, std::size_t limit) const {
  std::vector<std::string> out;
  if (lead.empty() || partial.empty() || english_phrases_.empty() || thesaurus_ == nullptr ||
      !thesaurus_->has_dictionary())
    return out;
  for (const std::string& w : lead)
    if (thesaurus_->is_word(w)) return out;  // an Italian word: the library's own completions
  std::map<std::string, int> phrases_with;  // the next word -> how many phrases continue with it
  for (const std::vector<std::string>& words : english_phrases_) {
    if (words.size() <= lead.size() || !std::equal(lead.begin(), lead.end(), words.begin())) continue;
    const std::string& next = words[lead.size()];
    if (next.size() > partial.size() && next.compare(0, partial.size(), partial) == 0) ++phrases_with[next];
  }
  std::vector<std::pair<int, std::string>> ranked;
  for (const auto& [word, n] : phrases_with) ranked.emplace_back(n, word);
  // Most phrases first, then the shorter word ("community" before
  // "communities"), then alphabetical.
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first > b.first;
    if (a.second.size() != b.second.size()) return a.second.size() < b.second.size();
    return a.second < b.second;
  });
  // One form of a word: "communities" after "community".
  auto singular = [](const std::string& w) {
    if (w.size() > 4 && w.compare(w.size() - 3, 3, "ies") == 0) return w.substr(0, w.size() - 3) + "y";
    if (w.size() > 3 && w.back() == 's') return w.substr(0, w.size() - 1);
    return w;
  };
  std::set<std::string> forms;
  for (const auto& [n, word] : ranked) {
    if (out.size() >= limit) break;
    if (!forms.insert(singular(word)).second) continue;
    out.push_back(word);
  }
  return out;
}

std::set<std::string> SynonymTable::blocked_expansions(const std::string& plain_word) const {
  std::set<std::string> out;
  if (blocked_.empty()) return out;
  auto add = [&](const std::string& word) {
    if (auto it = blocked_.find(text::fold_lower(word)); it != blocked_.end()) out.insert(it->second.begin(), it->second.end());
  };
  add(plain_word);
  if (thesaurus_ != nullptr)
    for (const std::string& lemma : thesaurus_->lemmas(text::fold_lower(plain_word))) add(lemma);
  return out;
}

const std::string* SynonymTable::level_term(const std::string& plain_word) const {
  auto it = level_terms_.find(plain_word);
  return it == level_terms_.end() ? nullptr : &it->second;
}

namespace {

// A class's ordinal as teachers write it: "prima" to "quinta" (any gender
// and number: "terze"), "1a" to "5a", "3°" folded to "3".
bool is_class_ordinal(const std::string& w) {
  static const std::set<std::string> words = {"prima",  "prime", "primo",  "seconda", "seconde", "secondo", "terza",
                                              "terze",  "terzo", "quarta", "quarte",  "quarto",  "quinta",  "quinte",
                                              "quinto", "1a",    "2a",     "3a",      "4a",      "5a",      "1",
                                              "2",      "3",     "4",      "5"};
  return words.count(w) != 0;
}

bool is_school_word(const std::string& w) { return w == "scuola" || w == "scuole"; }
bool is_class_word(const std::string& w) { return w == "classe" || w == "classi"; }

// How many words of `words` from `from` ask for a level's one-word name
// next ("terza", "scuole", "classe quinta"), 0 when they do not.
std::size_t level_name_lead(const std::vector<std::string>& words, std::size_t from) {
  std::size_t p = from;
  if (p < words.size() && is_school_word(words[p])) ++p;
  const bool school = p > from;
  const bool class_word = p < words.size() && is_class_word(words[p]);
  if (class_word) ++p;
  const bool ordinal = p < words.size() && is_class_ordinal(words[p]);
  if (ordinal) ++p;
  if ((class_word && !ordinal) || (!school && !ordinal)) return 0;
  return p - from;
}

// A name's singular and plural ("medie": "media", "medie"; "elementari":
// "elementare", "elementari"; "primaria": "primaria", "primarie").
std::string singular_of(const std::string& n) {
  if (n.size() > 2 && n.compare(n.size() - 2, 2, "ie") == 0) return n.substr(0, n.size() - 1) + "a";
  if (!n.empty() && n.back() == 'i') return n.substr(0, n.size() - 1) + "e";
  return n;
}
std::string plural_of(const std::string& singular) {
  if (!singular.empty() && singular.back() == 'a') return singular.substr(0, singular.size() - 1) + "e";
  if (!singular.empty() && singular.back() == 'e') return singular.substr(0, singular.size() - 1) + "i";
  return singular;
}

}  // namespace

SynonymTable::LevelMention SynonymTable::school_level_at(const std::vector<std::string>& words,
                                                         Analyzer& analyzer) const {
  LevelMention found;
  if (levels_.empty() || words.size() < 2) return found;
  // Stems only from where a name may start (one stem for most words).
  std::vector<std::string> keys(words.size());
  auto phrase_at = [&](std::size_t from) -> std::size_t {
    keys[from] = key_of(words[from], analyzer);
    if (level_phrase_starts_.count(keys[from]) == 0) return 0;
    for (std::size_t x = from + 1; x < words.size(); ++x) keys[x] = key_of(words[x], analyzer);
    return match_level_phrase(keys, from, &found.level);
  };
  // A name that begins with "scuola" ("scuola dell'infanzia") first.
  if (std::size_t n = phrase_at(0); n > 0) {
    found.words = n;
    return found;
  }
  const std::size_t lead = level_name_lead(words, 0);
  if (lead == 0 || lead >= words.size()) return found;
  found.name_at = lead;
  if (std::size_t n = phrase_at(lead); n > 0) {
    found.words = lead + n;
    return found;
  }
  found.level = level_of_key(keys[lead]);
  found.words = found.level != nullptr ? lead + 1 : 0;
  return found;
}

std::vector<std::string> SynonymTable::level_name_completions(const std::vector<std::string>& lead,
                                                              const std::string& partial) const {
  std::vector<std::string> out;
  if (lead.empty() || partial.empty()) return out;
  bool asks = false;
  for (std::size_t from = lead.size() > 3 ? lead.size() - 3 : 0; from < lead.size() && !asks; ++from)
    asks = level_name_lead(lead, from) == lead.size() - from;
  if (!asks) return out;
  const std::string& last = lead.back();
  const bool plural = !last.empty() && (last.back() == 'e' || last.back() == 'i');
  for (const SchoolLevel& level : levels_)
    for (const std::string& name : level.names) {
      const std::string singular = singular_of(name);
      const std::string form = plural ? plural_of(singular) : singular;
      if (form.size() > partial.size() && form.compare(0, partial.size(), partial) == 0 &&
          std::find(out.begin(), out.end(), form) == out.end())
        out.push_back(form);
    }
  return out;
}

const SynonymTable::SchoolLevel* SynonymTable::level_named(const std::string& word) const {
  for (const SchoolLevel& level : levels_)
    if (std::find(level.names.begin(), level.names.end(), word) != level.names.end()) return &level;
  return nullptr;
}

const SynonymTable::SchoolLevel* SynonymTable::level_of_key(const std::string& key) const {
  auto it = level_keys_.find(key);
  return it == level_keys_.end() ? nullptr : &levels_[it->second];
}

std::size_t SynonymTable::match_level_phrase(const std::vector<std::string>& keys, std::size_t from,
                                             const SchoolLevel** level) const {
  std::size_t best = 0;
  for (const auto& [phrase, index] : level_phrases_) {
    if (phrase.size() <= best || from + phrase.size() > keys.size()) continue;
    if (std::equal(phrase.begin(), phrase.end(), keys.begin() + static_cast<std::ptrdiff_t>(from))) {
      best = phrase.size();
      *level = &levels_[index];
    }
  }
  return best;
}

std::string SynonymTable::add_english_forms(const std::string& word) {
  // The same words recur across groups (a theme's synonyms, the index's copy).
  if (auto done = english_words_.find(word); done != english_words_.end()) return done->second;
  const std::string key = english_key(word);
  english_words_.emplace(word, key);
  // A form the stemmer gives another stem is not the word's ("news" is
  // not "new"); forms made by appending -ing, -ed, -ies are the word's
  // without asking it (a form that is no word costs one table entry).
  auto add = [&](const std::string& form) {
    if (form.size() >= 3 && english_key(form) == key) english_forms_.emplace(form, key);
  };
  auto add_unchecked = [&](const std::string& form) { english_forms_.emplace(form, key); };
  const std::size_t n = word.size();
  auto ends = [&](const char* suffix) {
    const std::size_t k = std::char_traits<char>::length(suffix);
    return n > k + 1 && word.compare(n - k, k, suffix) == 0;
  };
  add_unchecked(word);
  for (const char* suffix : {"s", "es"}) add(word + suffix);
  for (const char* suffix : {"ing", "ed"}) add_unchecked(word + suffix);
  if (ends("e")) {
    add_unchecked(word.substr(0, n - 1) + "ing");
    add_unchecked(word + "d");
  }
  if (ends("y")) {
    add_unchecked(word.substr(0, n - 1) + "ies");
    add_unchecked(word.substr(0, n - 1) + "ied");
  }
  if (n > 2 && !is_vowel(word[n - 1]) && is_vowel(word[n - 2])) {  // "shop" -> "shopping"
    add_unchecked(word + word[n - 1] + "ing");
    add_unchecked(word + word[n - 1] + "ed");
  }
  if (ends("ies")) add(word.substr(0, n - 3) + "y");
  if (ends("es")) add(word.substr(0, n - 2));
  if (ends("s")) add(word.substr(0, n - 1));
  if (ends("ing")) {
    add(word.substr(0, n - 3));
    add(word.substr(0, n - 3) + "e");
  }
  if (ends("ed")) {
    add(word.substr(0, n - 2));
    add(word.substr(0, n - 1));
  }
  return key;
}

bool SynonymTable::is_italian_word(const std::string& word) {
  if (thesaurus_ == nullptr) return false;
  auto it = italian_words_.find(word);
  if (it == italian_words_.end())
    it = italian_words_.emplace(word, thesaurus_->is_word(word) || !thesaurus_->lemmas(word).empty()).first;
  return it->second;
}

bool SynonymTable::is_italian(const std::string& phrase) {
  if (thesaurus_ == nullptr) return false;
  bool any = false;
  for (const std::string& w : split_words(phrase)) {
    if (w.empty() || text::italian_stopwords().count(w) != 0) continue;
    if (!is_italian_word(w)) return false;
    any = true;
  }
  return any;
}

bool SynonymTable::in_library(const std::string& phrase, Analyzer& analyzer) const {
  if (db_ == nullptr) return false;
  bool any = false;
  for (const std::string& raw : split_words(text::fold(phrase))) {
    const std::string w = text::fold_lower(raw);
    if (w.empty() || text::italian_stopwords().count(w) != 0) continue;
    try {
      if (db_->get_termfreq(analyzer.terms_for(w).plain) == 0) return false;
    } catch (const Xapian::Error&) {
      return false;
    }
    any = true;
  }
  return any;
}

namespace {
// The words joined by a space: regions_'s key.
std::string space_joined(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}
}  // namespace

std::string SynonymTable::region_named(const std::vector<std::string>& content_words) const {
  const auto it = regions_.find(space_joined(content_words));
  return it == regions_.end() ? std::string() : it->second;
}

void SynonymTable::build(const Taxonomy& taxonomy, const Xapian::Database& db,
                         Analyzer& analyzer) {
  groups_.clear();
  by_key_.clear();
  stem_words_.clear();
  level_terms_.clear();
  levels_.clear();
  level_keys_.clear();
  level_phrases_.clear();
  level_phrase_starts_.clear();
  places_.clear();
  place_names_.clear();
  regions_.clear();
  goals_.clear();
  lowercase_acronyms_.clear();
  // The places of the case files, from each one's stored summary: the words
  // of its city and region ("Reggio Emilia", "emilia-romagna"). A database
  // that cannot be read leaves none: the search goes on without the place
  // rule (search_query.h, kPlaceBonus).
  try {
    for (auto it = db.valuestream_begin(schema::kSlotResult); it != db.valuestream_end(schema::kSlotResult); ++it) {
      PracticeSummary practice;
      if (!decode_summary(*it, &practice)) continue;
      for (const std::string* name : {&practice.city, &practice.region}) {
        std::vector<std::string> words;
        std::size_t content = 0;
        for (const std::string& word : split_words(text::fold(*name))) {
          std::string w = text::fold_lower(word);
          if (w.size() >= 3) places_.insert(w);
          content += text::italian_stopwords().count(w) == 0 ? 1 : 0;
          words.push_back(std::move(w));
        }
        if (name == &practice.region && content >= 1) {
          std::vector<std::string> named;
          std::copy_if(words.begin(), words.end(), std::back_inserter(named),
                       [](const std::string& w) { return text::italian_stopwords().count(w) == 0; });
          regions_.emplace(space_joined(named), practice.region);
        }
        if (content >= 2 && std::find(place_names_.begin(), place_names_.end(), words) == place_names_.end())
          place_names_.push_back(std::move(words));
      }
    }
  } catch (const Xapian::Error&) {
    places_.clear();
    place_names_.clear();
    regions_.clear();
  }
  // A school level's one-word everyday names ("superiori", "medie"), and
  // every name of it for the classes and schools a teacher names.
  if (const Vocabulary* levels = taxonomy.vocabulary("level"))
    for (const Term& term : levels->terms) {
      SchoolLevel level{std::string(schema::kLevelPrefix) + term.slug, term.label, {}, {}};
      std::vector<std::string> names = {term.label};
      names.insert(names.end(), term.everyday.begin(), term.everyday.end());
      for (std::size_t n = 0; n < names.size(); ++n) {
        std::vector<std::string> words;
        for (const std::string& raw : split_words(text::fold(names[n]))) {
          const std::string w = text::fold_lower(raw);
          if (!w.empty()) words.push_back(w);
        }
        if (words.empty()) continue;
        if (words.size() > 1) {
          std::vector<std::string> keys;
          for (const std::string& w : words) keys.push_back(key_of(w, analyzer));
          level_phrase_starts_.insert(keys.front());
          level_phrases_.emplace_back(std::move(keys), levels_.size());
          level.phrases.push_back(std::move(words));
          continue;
        }
        if (n > 0) level_terms_.emplace(words.front(), level.term);
        level.names.push_back(words.front());
        // "elementare" and "elementari" have two stems: the key of each
        // gender and number ending.
        const std::string& w = words.front();
        level_keys_.emplace(key_of(w, analyzer), levels_.size());
        if (w.size() > 3)
          for (const char vowel : {'a', 'e', 'i', 'o'})
            level_keys_.emplace(key_of(w.substr(0, w.size() - 1) + vowel, analyzer), levels_.size());
      }
      levels_.push_back(std::move(level));
    }
  read_word_lists(taxonomy, analyzer);
  italian_only_keys_.clear();
  translation_keys_.clear();
  italian_words_.clear();
  english_words_.clear();
  english_forms_.clear();
  db_ = &db;
  if (thesaurus_ == nullptr) thesaurus_ = &Thesaurus::shared();
  // Theme groups get the theme's filter term too, so "gas" also finds a
  // practice filed under the theme that never spells the acronym out.
  std::set<std::string> theme_labels;
  for (const Vocabulary& vocabulary : taxonomy.vocabularies()) {
    if (vocabulary.name != "theme") continue;
    for (const Term& term : vocabulary.terms) {
      // A star, as the index builder writes it (index_document.h): the
      // label means each of its synonyms, a synonym means the label; the
      // synonyms are loose associations, not synonyms of each other.
      const std::vector<std::string> more = search_synonyms(term);
      std::vector<std::string> phrases = {term.label};
      phrases.insert(phrases.end(), more.begin(), more.end());
      const std::size_t first = groups_.size();
      add_group(phrases, {"XTHEME" + term.slug}, analyzer, true);
      for (const std::string& synonym : more) add_group({synonym, term.label}, {"XTHEME" + term.slug}, analyzer, true);
      for (std::size_t g = first; g < groups_.size(); ++g) {
        groups_[g].theme_label = term.label;
        groups_[g].names_theme =
            g == first || text::fold_lower(groups_[g].phrases.front()) == text::fold_lower(term.label_en);
      }
      theme_labels.insert(term.label);
    }
  }
  // A sustainability dimension, by the names its `synonyms` give it
  // ("sostenibilità ambientale", "ambiente", "environment"), is a concept
  // as a theme is: its practices match with the theme's fixed weight. Its
  // bare label is no key: "sociale" is a word of most practices' text
  // ("cooperativa sociale"), not a request for the dimension. A name the
  // editors gave several dimensions ("sostenibilità", the programme's
  // umbrella word) means any of them, once: a practice of two dimensions
  // gets no more than one of one, and the dimensions' first names are
  // searched as its phrases ("Risultati anche per: sostenibilità sociale").
  if (const Vocabulary* dimensions = taxonomy.vocabulary("dimension")) {
    std::vector<std::string> shared;  // as first written, in the taxonomy's order
    std::map<std::string, std::vector<const Term*>> owners;
    for (const Term& term : dimensions->terms)
      for (const std::string& name : dimension_names(term)) {
        std::vector<const Term*>& of = owners[text::fold_lower(name)];
        if (of.size() == 1) shared.push_back(name);
        of.push_back(&term);
      }
    for (const Term& term : dimensions->terms) {
      std::vector<std::string> names;
      for (const std::string& name : dimension_names(term))
        if (owners[text::fold_lower(name)].size() == 1) names.push_back(name);
      if (names.empty()) continue;
      const std::size_t first = groups_.size();
      add_group(names, {"XDIM" + term.slug}, analyzer, true);
      for (std::size_t i = 1; i < names.size(); ++i)
        add_group({names[i], names.front()}, {"XDIM" + term.slug}, analyzer, true);
      for (std::size_t g = first; g < groups_.size(); ++g) {
        groups_[g].theme_label = names.front();
        groups_[g].names_theme = true;
      }
    }
    for (const std::string& name : shared) {
      std::vector<std::string> phrases = {name}, terms;
      for (const Term* term : owners[text::fold_lower(name)]) {
        terms.push_back("XDIM" + term->slug);
        for (const std::string& own : dimension_names(*term))
          if (owners[text::fold_lower(own)].size() == 1) {
            phrases.push_back(own);
            break;
          }
      }
      const std::size_t first = groups_.size();
      add_group(phrases, terms, analyzer, true);
      for (std::size_t g = first; g < groups_.size(); ++g) {
        groups_[g].theme_label = name;
        groups_[g].names_theme = true;
      }
    }
  }
  // A sustainable development goal by its name ("città e comunità
  // sostenibili", "sustainable cities and communities") is the practices
  // filed under it (the `sdgs:` facet) as a theme is; by its number
  // ("sdg 11"), QueryUnderstanding::goal_clause.
  if (const Vocabulary* sdgs = taxonomy.vocabulary("sdg")) {
    for (const Term& term : sdgs->terms) {
      goals_[term.slug] = term.label;
      // Each name a key of its own that means the goal, said by its label.
      const std::size_t first = groups_.size();
      const std::vector<std::string> filed = {std::string(schema::kSdgPrefix) + term.slug};
      add_group({term.label}, filed, analyzer, true);
      if (!term.label_en.empty()) add_group({term.label_en, term.label}, filed, analyzer, true);
      for (std::size_t g = first; g < groups_.size(); ++g) {
        groups_[g].theme_label = term.label;
        groups_[g].names_theme = true;
      }
    }
  }
  // Acronyms first: where a phrase is both an acronym's expansion and a
  // looser synonym, the exact meaning wins.
  std::set<std::string> acronyms;
  for (const Acronym& a : taxonomy.acronyms()) {
    std::vector<std::string> phrases = {a.acronym};
    phrases.insert(phrases.end(), a.expansion.begin(), a.expansion.end());
    phrases.insert(phrases.end(), a.en.begin(), a.en.end());
    add_group(phrases, {}, analyzer, false, true);
    acronyms.insert(a.acronym);
    if (a.lowercase) lowercase_acronyms_.insert(text::fold_lower(a.acronym));
  }
  for (const bp::SynonymGroup& g : taxonomy.synonyms()) {
    if (!g.terms.empty() && theme_labels.count(g.terms.front()) != 0) continue;  // done above
    if (!g.terms.empty() && acronyms.count(g.terms.front()) != 0) continue;      // done above
    add_group(g.terms, {}, analyzer, false);
  }
  // The everyday expressions: only the expression is a key (a query with
  // "aiutare" does not search "dare una mano"); led by a verb, it has a
  // verb slot as the taxonomy's phrases ("danno una mano").
  for (const Expression& x : taxonomy.expressions()) {
    std::vector<std::string> phrases = {x.phrase};
    phrases.insert(phrases.end(), x.means.begin(), x.means.end());
    add_group(phrases, {}, analyzer, true, false, true);
  }
  // The index's table repeats the taxonomy's groups, acronyms under their
  // stem too ("Zcas"), which would make "casa" mean "CAS": those are left
  // out, the acronyms being matched above as typed.
  std::set<std::string> acronym_keys;
  for (const std::string& a : acronyms) {
    const std::string plain = text::fold_lower(a);
    acronym_keys.insert(plain);
    acronym_keys.insert("Z" + key_of(plain, analyzer));
  }
  try {
    for (auto k = db.synonym_keys_begin(); k != db.synonym_keys_end(); ++k) {
      if (acronym_keys.count(*k) != 0) continue;
      // Its key as the taxonomy's phrases have it: a stemmed term ("Zscuol")
      // or words ("pista ciclabile").
      const std::string entry = *k;
      std::string key;
      if (entry.size() > 1 && entry[0] == 'Z' && entry[1] >= 'a' && entry[1] <= 'z') {
        key = entry.substr(1);
      } else {
        for (const std::string& w : split_words(entry)) key += (key.empty() ? "" : " ") + key_of(w, analyzer);
      }
      if (italian_only_keys_.count(key) != 0 || translation_keys_.count(key) != 0) continue;
      std::vector<std::string> phrases = {*k};
      for (auto s = db.synonyms_begin(*k); s != db.synonyms_end(*k); ++s) phrases.push_back(*s);
      add_group(phrases, {}, analyzer, true);
    }
  } catch (const Xapian::Error&) {
    // An index without a usable synonym table still has the taxonomy's.
  }
  // A verb slot only where the rest of the phrase means nothing by itself:
  // "a piedi" is a phrase of its own, so "alunni a piedi" keeps "alunni"
  // instead of reading it as a form of "andare a piedi".
  std::erase_if(by_key_, [this](const auto& entry) {
    const std::string& key = entry.first;
    return key.size() > 3 && key[0] == kVerbSlotKey && by_key_.count(key.substr(3)) != 0;
  });
  // The English phrases of two words or more, for completions; and the
  // groups' English names: each word one of the taxonomy's English names
  // has ("energy" of [energia, energy]), none Italian to Hunspell (not an
  // acronym: "cer" is in no English name).
  english_phrases_.clear();
  english_names_.clear();
  phrase_words_.clear();
  const std::set<std::string> english = english_vocabulary(taxonomy);
  std::set<std::vector<std::string>> seen;
  for (const SynonymGroup& g : groups_)
    for (const std::string& phrase : g.phrases) {
      if (phrase.size() > 1 && phrase[0] == 'Z') continue;  // an index entry's stemmed term
      const std::string folded = text::fold_lower(phrase);
      std::vector<std::string> words = split_words(folded);
      std::erase_if(words, [](const std::string& w) { return w.empty(); });
      if (words.size() == 1 && text::code_points(words.front()) >= 5 &&
          text::italian_stopwords().count(words.front()) == 0)
        phrase_words_.push_back(words.front());
      if (words.empty() || !std::all_of(words.begin(), words.end(), is_ascii_word)) continue;
      if (std::all_of(words.begin(), words.end(),
                      [&](const std::string& w) { return english.count(w) != 0 && !is_italian_word(w); }))
        english_names_.insert(folded);
      if (words.size() >= 2 && !is_italian(folded) && seen.insert(words).second)
        english_phrases_.push_back(std::move(words));
    }
  std::sort(phrase_words_.begin(), phrase_words_.end());
  phrase_words_.erase(std::unique(phrase_words_.begin(), phrase_words_.end()), phrase_words_.end());
  db_ = nullptr;
  italian_words_.clear();
  english_words_.clear();
}

std::vector<std::string> SynonymTable::close_phrase_words(const std::string& word, int max_edits) const {
  return text::close_words(phrase_words_, word, max_edits);
}

std::size_t SynonymTable::match(const std::vector<std::vector<std::string>>& keys, std::size_t from,
                                std::vector<const SynonymGroup*>* groups, bool expressions) const {
  if (by_key_.empty()) return 0;
  std::size_t best = 0;
  std::vector<std::size_t> best_list;
  // Every combination of the positions' keys, phrase by phrase (a query
  // word has one to three keys; at most kMaxCombinations are tried).
  constexpr std::size_t kMaxCombinations = 64;
  std::vector<std::string> partial = {""};
  for (std::size_t n = 1; n <= kMaxWords && from + n <= keys.size(); ++n) {
    std::vector<std::string> longer;
    for (const std::string& prefix : partial)
      for (const std::string& k : keys[from + n - 1]) {
        if (longer.size() == kMaxCombinations) break;
        // An acronym is a phrase of its own.
        if (k[0] == kAcronymKey && n > 1) continue;
        // A verb slot leads a phrase.
        if (k[0] == kVerbSlotKey && n > 1) continue;
        longer.push_back(prefix + (n == 1 ? "" : " ") + k);
      }
    std::vector<std::size_t> found;
    for (const std::string& key : longer) {
      auto it = by_key_.find(key);
      if (it == by_key_.end()) continue;
      for (std::size_t i : it->second)
        if (groups_[i].expression == expressions &&
            std::find(found.begin(), found.end(), i) == found.end())
          found.push_back(i);
    }
    if (!found.empty()) {
      best = n;
      best_list = std::move(found);
    }
    partial = std::move(longer);
    if (partial.empty()) break;
  }
  for (std::size_t i : best_list) groups->push_back(&groups_[i]);
  return best;
}

Diagnostics unused_blocked_expansions(const Taxonomy& taxonomy, const Thesaurus& thesaurus,
                                      const std::string& file) {
  Diagnostics out;
  if (!thesaurus.loaded()) return out;
  Analyzer analyzer;
  // The editors' everyday words and the taxonomy's groups (with no index:
  // its synonym table is the index's, not the editors'), matched as the
  // search matches them.
  SynonymTable table;
  table.set_thesaurus(&thesaurus);
  const Xapian::Database no_index;
  table.build(taxonomy, no_index, analyzer);
  for (const BlockedExpansion& x : taxonomy.blocked_expansions()) {
    const std::string word = text::fold_lower(x.word);
    // What the word may be expanded to without the index.
    std::set<std::string> expansions;
    for (bool noun_reading : {false, true})
      for (const ThesaurusAlternative& alt : *thesaurus.alternatives(word, noun_reading))
        expansions.insert(text::fold_lower(alt.phrase));
    for (const std::string& base : thesaurus.altered_bases(word)) expansions.insert(text::fold_lower(base));
    for (const std::string& cognate : italian_cognates(word)) expansions.insert(text::fold_lower(cognate));
    if (const std::vector<std::string>* meanings = table.everyday_meanings(word, analyzer))
      for (const std::string& m : *meanings) expansions.insert(text::fold_lower(m));
    // One-word phrases of the groups the word matches alone (drop_blocked()).
    std::vector<const SynonymGroup*> groups;
    if (table.match({table.keys_of(word, false, analyzer)}, 0, &groups) == 1) {
      const std::string key = table.key_of(word, analyzer);
      for (const SynonymGroup* g : groups)
        for (const std::string& phrase : table.one_word_phrases(*g, key, analyzer)) expansions.insert(phrase);
    }
    for (const std::string& blocked : x.blocked)
      if (expansions.count(text::fold_lower(blocked)) == 0)
        out.push_back({file, x.line, 0, Severity::kWarning,
                       "blocked_expansions '" + x.word + "': '" + blocked +
                           "' non è tra le parole con cui la ricerca amplia '" + x.word +
                           "' (dizionario dei sinonimi, parole di tutti i giorni): la voce non blocca nulla"});
  }
  return out;
}

}  // namespace bp::search
