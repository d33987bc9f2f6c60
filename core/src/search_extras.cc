#include "search_extras.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "bp/text.h"
#include "schema.h"
#include "search_document.h"
#include "search_query.h"
#include "search_tokens.h"

namespace bp::search {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Stems of content words only: no prefixed terms (filters, ids, titles),
// no stopwords, nothing too short to mean much.
class StemsOnly : public Xapian::ExpandDecider {
 public:
  bool operator()(const std::string& term) const override {
    if (term.size() < 4 || term[0] != 'Z' || term[1] < 'a' || term[1] > 'z') return false;
    return text::italian_stopwords().count(term.substr(1)) == 0;
  }
};

}  // namespace

std::string inflection_key(const std::string& word) {
  if (word.size() < 6 || std::string_view("aeio").find(word.back()) == std::string_view::npos) return {};
  std::string key = word.substr(0, word.size() - 1);
  if (key.back() == 'h' && (key[key.size() - 2] == 'c' || key[key.size() - 2] == 'g')) key.pop_back();
  else if (key.back() == 'i') key.pop_back();
  return key;
}

namespace {

// The words typed before the last one, as the completions write them: a
// respelled word (`respellings`) as the library writes its spelling, a word
// typed in lower case without its accents that is no word so
// (`is_word`) as the library writes it ("comunita" -> "comunità", but
// "si" stays "si"), any other word as typed.
std::string written_lead(const Xapian::Database& db, const std::string& prefix, const std::vector<Token>& typed,
                         const std::map<std::string, std::string>& respellings,
                         const std::function<bool(const std::string&)>& is_word) {
  if (typed.empty()) return {};
  std::string lead = prefix.substr(0, typed.front().begin);
  for (std::size_t k = 0; k + 1 < typed.size(); ++k) {
    const std::string word = prefix.substr(typed[k].begin, typed[k].end - typed[k].begin);
    const std::string folded = text::fold_lower(text::fold(word));
    auto it = respellings.find(folded);
    if (it != respellings.end()) {
      lead += written_form(db, it->second);
    } else if (word == folded && !(is_word && is_word(folded))) {
      const std::string written = written_form(db, folded);
      lead += text::fold_lower(text::fold(written)) == folded ? written : word;
    } else {
      lead += word;
    }
    lead += prefix.substr(typed[k].end, typed[k + 1].begin - typed[k].end);
  }
  return lead;
}

// The start of the terms of the phrases that continue `words` (folded,
// complete) in the practices' short fields (schema::kNextWordsPrefix): the
// last content word and the stopwords typed after it, two at most ("raccolta
// delle "); empty when there is none.
std::string next_words_key(const std::vector<std::string>& words) {
  std::size_t last = words.size();
  while (last > 0 && text::italian_stopwords().count(words[last - 1]) != 0) --last;
  if (last == 0 || words.size() - last > 2) return {};
  std::string key(schema::kNextWordsPrefix);
  for (std::size_t i = last - 1; i < words.size(); ++i) key += words[i] + " ";
  return key;
}

// The practices that match a query, exactly (no ranking).
class PracticeCount {
 public:
  explicit PracticeCount(const Xapian::Database& db) : db_(db), enquire_(db) {
    enquire_.set_weighting_scheme(Xapian::BoolWeight());
  }
  Xapian::doccount operator()(const Xapian::Query& q) {
    enquire_.set_query(q);
    return enquire_.get_mset(0, 0, db_.get_doccount()).get_matches_estimated();
  }
  // A completion's word wherever a practice has it: its text, or the
  // editors' plain words and questions ("solari" in the energy
  // communities' plain words).
  Xapian::Query anywhere(const std::string& term) const {
    std::vector<Xapian::Query> where = {Xapian::Query(term)};
    for (const std::string& t : editors_terms(db_, {term, ""})) where.emplace_back(t);
    return where.size() == 1 ? where.front() : Xapian::Query(Xapian::Query::OP_OR, where.begin(), where.end());
  }
  // The practices where `second` comes right after `first` in the text,
  // and those whose short fields write it after `phrase_key`
  // (next_words_key() of the words typed before it; empty: none), as the
  // editors' plain words do ("pannelli solari").
  Xapian::doccount next_to(const std::string& first, const std::string& second, const std::string& phrase_key) {
    const std::vector<std::string> pair = {first, second};
    const Xapian::doccount in_text = (*this)(Xapian::Query(Xapian::Query::OP_PHRASE, pair.begin(), pair.end(), 2));
    return in_text + (phrase_key.empty() ? 0 : db_.get_termfreq(phrase_key + second));
  }

 private:
  const Xapian::Database& db_;
  Xapian::Enquire enquire_;
};

// A completion counted with the words typed: the practices where it comes
// right after the previous word, those it shares with the words, the term.
using Counted = std::tuple<Xapian::doccount, Xapian::doccount, std::string>;

// When no candidate occurs with every word typed (`lead`, each a query; a
// long question, "come si fa a creare una comunità ene"; two concepts,
// "bicibus a scuola e spreco al"): those that occur with most of them,
// then right after the previous word (`before`, PracticeCount::next_to()),
// then with the last of them, in that order; none that occurs with none.
// Was: no completion (bench/suggest-quality, success@5 0.681 -> 0.722).
std::vector<Counted> counted_with_most(PracticeCount& count,
                                       const std::vector<std::pair<Xapian::doccount, std::string>>& candidates,
                                       const std::vector<Xapian::Query>& lead, const std::string& before,
                                       const std::string& phrase_key) {
  std::vector<std::tuple<std::size_t, Counted>> found;
  for (const auto& [freq, term] : candidates) {
    std::size_t with_words = 0;
    Xapian::doccount with_last = 0;
    for (std::size_t j = 0; j < lead.size(); ++j) {
      const Xapian::doccount c = count(Xapian::Query(Xapian::Query::OP_AND, lead[j], count.anywhere(term)));
      with_words += c > 0;
      if (j + 1 == lead.size()) with_last = c;
    }
    if (with_words == 0) continue;
    found.emplace_back(with_words, Counted{count.next_to(before, term, phrase_key), with_last, term});
  }
  std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    const auto& [na, ca] = a;
    const auto& [nb, cb] = b;
    return std::tie(na, std::get<0>(ca), std::get<1>(ca)) > std::tie(nb, std::get<0>(cb), std::get<1>(cb));
  });
  std::vector<Counted> out;
  for (auto& [n, c] : found) out.push_back(std::move(c));
  return out;
}

// What an Italian article, articulated preposition or determiner asks of
// the noun or adjective right after it: its number, and for some its
// gender ("le ma" -> "mamme", "maestre" rather than "mattina").
enum class Agreement {
  kNone,
  kMasculineSingular,
  kFeminineSingular,
  kSingular,  // elided: "l'", "dell'", "nell'"
  kMasculinePlural,
  kFemininePlural,
  kPlural,
};

Agreement agreement_after(const std::string& folded_word) {
  using enum Agreement;
  static const std::unordered_map<std::string, Agreement> kWords = {
      {"il", kMasculineSingular},
      {"lo", kMasculineSingular},
      {"un", kMasculineSingular},
      {"uno", kMasculineSingular},
      {"del", kMasculineSingular},
      {"dello", kMasculineSingular},
      {"al", kMasculineSingular},
      {"allo", kMasculineSingular},
      {"dal", kMasculineSingular},
      {"dallo", kMasculineSingular},
      {"nel", kMasculineSingular},
      {"nello", kMasculineSingular},
      {"sul", kMasculineSingular},
      {"sullo", kMasculineSingular},
      {"col", kMasculineSingular},
      {"quel", kMasculineSingular},
      {"quello", kMasculineSingular},
      {"questo", kMasculineSingular},
      {"la", kFeminineSingular},
      {"una", kFeminineSingular},
      {"della", kFeminineSingular},
      {"alla", kFeminineSingular},
      {"dalla", kFeminineSingular},
      {"nella", kFeminineSingular},
      {"sulla", kFeminineSingular},
      {"quella", kFeminineSingular},
      {"questa", kFeminineSingular},
      {"l", kSingular},
      {"dell", kSingular},
      {"all", kSingular},
      {"dall", kSingular},
      {"nell", kSingular},
      {"sull", kSingular},
      {"quell", kSingular},
      {"quest", kSingular},
      {"i", kMasculinePlural},
      {"gli", kMasculinePlural},
      {"dei", kMasculinePlural},
      {"degli", kMasculinePlural},
      {"ai", kMasculinePlural},
      {"agli", kMasculinePlural},
      {"dai", kMasculinePlural},
      {"dagli", kMasculinePlural},
      {"nei", kMasculinePlural},
      {"negli", kMasculinePlural},
      {"sui", kMasculinePlural},
      {"sugli", kMasculinePlural},
      {"coi", kMasculinePlural},
      {"quei", kMasculinePlural},
      {"quegli", kMasculinePlural},
      {"questi", kMasculinePlural},
      {"le", kFemininePlural},
      {"delle", kFemininePlural},
      {"alle", kFemininePlural},
      {"dalle", kFemininePlural},
      {"nelle", kFemininePlural},
      {"sulle", kFemininePlural},
      {"quelle", kFemininePlural},
      {"queste", kFemininePlural},
  };
  auto it = kWords.find(folded_word);
  return it == kWords.end() ? kNone : it->second;
}

// False when the ending of a word as the library writes it contradicts
// `agreement`: a singular in -o or -a after a plural article, a plural in
// -i after a singular one, a masculine singular in -o after a feminine
// one. A word ending in an accented vowel or a consonant ("comunità",
// "market") is the same in both numbers: it agrees with every article; so
// does any word when `agreement` is kNone.
bool is_singular(Agreement agreement) {
  using enum Agreement;
  return agreement == kMasculineSingular || agreement == kFeminineSingular || agreement == kSingular;
}

bool agrees(const std::string& written, Agreement agreement) {
  using enum Agreement;
  if (agreement == kNone || written.empty()) return true;
  const bool singular = is_singular(agreement);
  switch (written.back()) {
    case 'o':
      return agreement == kMasculineSingular || agreement == kSingular;
    case 'a':
      return singular;  // "la scuola", "il tema"
    case 'e':
      return agreement != kMasculinePlural;  // "la gente", "le scuole"
    case 'i':
      return !singular;  // "i nonni", "le notti"
    default:
      return true;
  }
}

// True when the ending of a word as the library writes it says its number
// (and, after a singular, its gender) as `agreement` asks: -o or -a after
// a singular article (-o not after a feminine one), -i after a plural one.
// An ending in -e never does ("scuole", "gente").
bool agrees_surely(const std::string& written, Agreement agreement) {
  if (agreement == Agreement::kNone || written.empty() || !agrees(written, agreement)) return false;
  const char last = written.back();
  return is_singular(agreement) ? (last == 'o' || last == 'a') : last == 'i';
}

// Whether a word written `written`, after a word asking `agreement`, comes
// first only where the library writes it after that word: an ending that
// contradicts it ("la scientifici"; but "la crisi"); an -e after a
// singular, which plurals have too ("la scienze"; but "la gente"), save
// -ione after a feminine or elided article, a feminine singular ("la
// formazione"), which after a plural ("le manutenzione") or a masculine
// ("il comunicazione"; but "il campione") needs the library's use too; an
// -a after a masculine singular ("il parrocchia"; but "il tema").
bool needs_the_librarys_use(const std::string& written, Agreement agreement) {
  if (!agrees(written, agreement)) return true;
  const bool ione = written.ends_with("ione");
  if (!is_singular(agreement)) return ione;
  if (agreement == Agreement::kMasculineSingular) return written.ends_with('e') || written.ends_with('a');
  return written.ends_with('e') && !ione;
}

// True when the word typed before the last one asks for a verb: a modal
// verb ("posso", "vogliono"), a question word that opens a how-to ("come",
// "dove", "cosa") or "fare" ("far rinascere"). Measured and not kept: "a"
// or "di" after an infinitive ("imparare a par"), and "per"
// (docs/search-quality.md, "Completions on the held-out queries; after an
// article or a verb").
bool asks_for_a_verb(const std::string& before) {
  static const std::set<std::string> kWords = {
      "posso",  "puoi", "puo",   "possiamo", "potete", "possono",  "potrei", "potremmo",
      "voglio", "vuoi", "vuole", "vogliamo", "volete", "vogliono", "vorrei", "vorremmo",
      "devo",   "devi", "deve",  "dobbiamo", "dovete", "devono",   "riesco", "riusciamo",
      "come",   "dove", "cosa",  "far",      "fare",   "bisogna",  "serve"};
  return kWords.count(before) != 0;
}

// How many of a list's first candidates the rules on the word before the
// last one read (put_first(), the surely agreeing forms): each costs a
// metadata read or a thesaurus lookup.
constexpr std::size_t kChecked = 30;

// Moves the candidates `fits` accepts before the others, the order kept
// within each part; only among the first kChecked.
void put_first(std::vector<std::pair<Xapian::doccount, std::string>>* candidates,
               const std::function<bool(const std::string&)>& fits) {
  const auto end = candidates->begin() + static_cast<std::ptrdiff_t>(std::min(candidates->size(), kChecked));
  std::stable_partition(candidates->begin(), end, [&](const auto& c) { return fits(c.second); });
}

// The phrases that continue the complete words typed (`words`, folded),
// written as the library writes them, best first: what follows the last
// content word, after the stopwords typed after it, in the practices'
// short fields (schema::kNextWordsPrefix). When other content words were
// typed (`with_words`: all of them, nullopt when the last is the only
// one), those in the most practices with them first; when none occurs with
// them, or without them, the commonest. Never a phrase ending in a
// function word.
std::vector<std::string> next_words(const Xapian::Database& db, const std::vector<std::string>& words,
                                    const std::optional<Xapian::Query>& with_words, std::size_t limit) {
  std::vector<std::string> out;
  const std::string key = next_words_key(words);
  if (key.empty()) return out;
  std::vector<std::pair<Xapian::doccount, std::string>> found;  // practices, the rest of the phrase
  constexpr int kMaxScanned = 2000;
  int scanned = 0;
  for (auto it = db.allterms_begin(key); it != db.allterms_end(key) && scanned < kMaxScanned; ++it, ++scanned) {
    const std::string rest = (*it).substr(key.size());
    const std::size_t space = rest.find_last_of(" '");
    if (is_function_word(space == std::string::npos ? rest : rest.substr(space + 1))) continue;
    found.emplace_back(it.get_termfreq(), rest);
  }
  auto commonest = [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  };
  std::sort(found.begin(), found.end(), commonest);
  // With the other words typed: only the commonest candidates are counted,
  // one small query each (as the completions of a word are).
  constexpr std::size_t kCounted = 30;
  if (with_words) {
    if (found.size() > kCounted) found.resize(kCounted);
    PracticeCount count(db);
    std::vector<std::pair<Xapian::doccount, std::string>> counted;
    for (const auto& [freq, rest] : found) {
      const Xapian::doccount with = count(Xapian::Query(Xapian::Query::OP_AND, *with_words, Xapian::Query(key + rest)));
      if (with > 0) counted.emplace_back(with, rest);
    }
    if (!counted.empty()) {
      std::stable_sort(counted.begin(), counted.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
      found = std::move(counted);
    }
  }
  // One phrase per form of its last word ("alimentare", "alimentari").
  std::set<std::string> seen;
  for (const auto& [freq, rest] : found) {
    if (out.size() >= limit) break;
    const std::size_t cut = rest.find_last_of(" '") + 1;  // 0 when one word
    const std::string key_of_rest = rest.substr(0, cut) + inflection_key(rest.substr(cut));
    if (!seen.insert(key_of_rest).second) continue;
    // Each word as the library writes it ("comunita" -> "comunità").
    std::string written;
    std::string word;
    for (std::size_t i = 0; i <= rest.size(); ++i) {
      const char c = i < rest.size() ? rest[i] : '\0';
      if (c != ' ' && c != '\'' && c != '\0') {
        word += c;
        continue;
      }
      // A linking word as it is ("da", not the "dà" the library also has).
      written += text::italian_stopwords().count(word) != 0 ? word : written_form(db, word);
      // The index splits an elision as the search does ("all aperto"): a
      // word that is only ever elided gets its apostrophe back.
      if (c != '\0') written += c == ' ' && is_elided(word) ? '\'' : c;
      word.clear();
    }
    out.push_back(std::move(written));
  }
  return out;
}

}  // namespace

std::vector<std::string> editors_terms(const Xapian::Database& db, const Analyzer::WordTerms& terms) {
  std::vector<std::string> out;
  if (terms.plain.empty()) return out;
  for (std::string_view field : {schema::kPlainWordsPrefix, schema::kQuestionsPrefix}) {
    const std::string term =
        terms.stemmed.empty() ? std::string(field) + terms.plain : "Z" + std::string(field) + terms.stemmed.substr(1);
    if (db.get_termfreq(term) > 0) out.push_back(term);
  }
  return out;
}

std::vector<Suggestion> suggestions(const Xapian::Database& db, Analyzer& analyzer,
                                    const std::string& prefix, int limit, const CompletionOptions& options) {
  std::vector<Suggestion> out;
  limit = std::clamp(limit, 1, 50);
  std::vector<std::string> words = split_words(text::fold(prefix));
  for (auto& w : words) w = text::fold_lower(w);
  std::erase_if(words, [](const std::string& w) { return w.empty(); });
  if (words.empty()) return out;
  const bool last_partial = !prefix.empty() && !is_space(prefix.back());
  // «cos'è», «c'è», «la »: only short function words, typed whole, nothing
  // to complete («è» as a start would match every title with a word in e).
  // A word is whole after a space or an accented last letter (Italian
  // writes the accent only at a word's end); «al», «l'a», «la di» may still
  // become «alimentare», «l'acqua», «la didattica».
  const auto ends_accented = [&prefix] {
    for (const char* accented : {"\u00e0", "\u00e8", "\u00e9", "\u00ec", "\u00f2", "\u00f9"})
      if (prefix.ends_with(accented)) return true;
    return false;
  };
  if ((!last_partial || ends_accented()) && std::all_of(words.begin(), words.end(), [](const std::string& w) {
        return w.size() <= 3 && text::italian_stopwords().count(w) != 0;
      }))
    return out;

  std::vector<Xapian::Query> parts;
  std::vector<Xapian::Query> lead_parts;  // the words before the last one, anywhere in the text
  // The same with the close spelling of each word no practice has, and the
  // words with those spellings (options.correction).
  std::vector<Xapian::Query> spelled_parts;
  std::vector<std::string> spelled = words;
  std::map<std::string, std::string> respellings;  // a typed word no practice has -> its spelling
  bool respelled = false;
  // The words before the last one that name a school level ("terza
  // media") count as the level: its practices, not its words anywhere.
  const std::size_t lead_words = last_partial ? words.size() - 1 : words.size();
  std::vector<bool> taken(words.size(), false);
  std::size_t level_end = 0;
  for (std::size_t i = 0; options.level_at && i + 1 < lead_words && level_end == 0; ++i) {
    const std::vector<std::string> rest(words.begin() + static_cast<std::ptrdiff_t>(i),
                                        words.begin() + static_cast<std::ptrdiff_t>(lead_words));
    const auto [count, term] = options.level_at(rest);
    if (count == 0) continue;
    level_end = i + count;
    std::vector<Xapian::Query> in_a_row;
    for (std::size_t x = i; x < level_end; ++x) in_a_row.emplace_back(words[x]);
    const Xapian::Query level(Xapian::Query::OP_OR, Xapian::Query(term),
                              Xapian::Query(Xapian::Query::OP_PHRASE, in_a_row.begin(), in_a_row.end(),
                                            static_cast<Xapian::termcount>(in_a_row.size())));
    lead_parts.push_back(level);
    spelled_parts.push_back(level);
    for (std::size_t x = i; x < level_end; ++x) {
      parts.emplace_back("S" + words[x]);  // titles: the words themselves
      taken[x] = true;
    }
  }
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (taken[i]) continue;  // a level's word (above)
    if (i + 1 == words.size() && last_partial) {
      parts.emplace_back(Xapian::Query::OP_WILDCARD, "S" + w, 50,
                         Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
      continue;
    }
    if (text::italian_stopwords().count(w) != 0) continue;
    std::vector<Xapian::Query> forms = {Xapian::Query("S" + w)};
    const Analyzer::WordTerms terms = analyzer.terms_for(w);
    if (!terms.stemmed.empty()) forms.emplace_back("ZS" + terms.stemmed.substr(1));
    parts.emplace_back(Xapian::Query::OP_OR, forms.begin(), forms.end());
    const std::string& lead_term = terms.stemmed.empty() ? terms.plain : terms.stemmed;
    // A word no practice has ("fatoria", a typo) would leave nothing to
    // occur with: its close spelling stands for it, or the completions go
    // with the other words typed.
    // Where a practice has the word: its text, or the editors' plain words
    // and questions ("pannelli" is in the energy communities' plain words,
    // their text writes "fotovoltaici").
    const std::vector<std::string> editors = editors_terms(db, terms);
    if (options.skip_unknown && db.get_termfreq(lead_term) == 0 && db.get_termfreq(terms.plain) == 0 &&
        editors.empty()) {
      const std::string spelling = options.correction ? options.correction(w) : std::string();
      if (spelling.empty()) continue;
      spelled[i] = spelling;
      respellings[w] = spelling;
      const Analyzer::WordTerms fixed = analyzer.terms_for(spelled[i]);
      spelled_parts.emplace_back(fixed.stemmed.empty() ? fixed.plain : fixed.stemmed);
      respelled = true;
      continue;
    }
    std::vector<Xapian::Query> where = {Xapian::Query(lead_term)};
    for (const std::string& term : editors) where.emplace_back(term);
    const Xapian::Query lead_word(Xapian::Query::OP_OR, where.begin(), where.end());
    lead_parts.push_back(lead_word);
    spelled_parts.push_back(lead_word);
  }
  auto and_of = [](const std::vector<Xapian::Query>& qs) -> std::optional<Xapian::Query> {
    if (qs.empty()) return std::nullopt;
    return Xapian::Query(Xapian::Query::OP_AND, qs.begin(), qs.end());
  };
  const std::optional<Xapian::Query> lead_query = and_of(lead_parts);
  std::vector<Suggestion> titles;
  if (!parts.empty()) {
    Xapian::Enquire enquire(db);
    enquire.set_query(Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end()));
    const Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(limit));
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      const PracticeSummary p = summary_of(it.get_document());
      if (p.title.empty()) continue;
      titles.push_back({p.title, "title", p.slug});
    }
  }
  // Two titles lead the list, the words follow, and the other titles fill
  // what the words leave: a short last word ("per la sc", "come ri") no
  // longer fills the list with titles that merely have a word starting so
  // (bench/suggest-quality: every figure level or higher with 2, on every
  // set; docs/search-quality.md, "Two titles, then the words").
  constexpr std::size_t kTitlesFirst = 2;
  const auto first = static_cast<std::ptrdiff_t>(std::min(titles.size(), kTitlesFirst));
  out.assign(titles.begin(), titles.begin() + first);

  const std::string& last = words.back();
  if (last_partial && last.size() >= 2 && static_cast<int>(out.size()) < limit) {
    // What the practices' short fields write after the words typed before
    // the last one (PracticeCount::next_to()).
    const std::string before_key = words.size() >= 2 ? next_words_key({words.begin(), words.end() - 1}) : std::string();
    // The words before the last one as they were typed, with the accents
    // a word typed without them has in the library.
    const std::vector<Token> typed = tokenize(prefix);
    std::string lead = written_lead(db, prefix, typed, {}, options.is_word);
    const std::string typed_lead = lead;
    // After English words, the taxonomy's English phrases that continue
    // them (options.continuations).
    std::vector<std::string> continued;
    if (options.continuations && words.size() >= 2)
      continued = options.continuations(std::vector<std::string>(words.begin(), words.end() - 1), last);
    // After a class or a school, the levels' names the library writes.
    std::vector<std::string> named;
    if (options.level_names && words.size() >= 2)
      for (const std::string& name :
           options.level_names(std::vector<std::string>(words.begin(), words.end() - 1), last))
        if (db.get_termfreq(name) > 0) named.push_back(name);
    // The commonest completions; the scan is bounded for very short prefixes.
    // Function words ("alcuni", "almeno") are never suggested.
    std::vector<std::pair<Xapian::doccount, std::string>> found;
    constexpr int kMaxScanned = 5000;
    int scanned = 0;
    for (auto it = db.allterms_begin(last); it != db.allterms_end(last) && scanned < kMaxScanned;
         ++it, ++scanned) {
      const std::string term = *it;
      if (is_function_word(term)) continue;
      found.emplace_back(it.get_termfreq(), term);
    }
    std::sort(found.begin(), found.end(),
              [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
    const std::optional<Xapian::Query> spelled_query = respelled ? and_of(spelled_parts) : std::nullopt;
    bool counted = false;  // the candidates were counted with the words typed
    if ((lead_query || spelled_query) && !found.empty()) {
      counted = true;
      // After other words, completions that occur with them come first, most
      // shared practices first ("spreco al" -> "spreco alimentare"); those
      // that never do are left out, unless none occurs with any of the
      // words (below). Only the commonest candidates are
      // counted, one small query each.
      // Right after the previous word ("comunità energetica") ranks first.
      constexpr std::size_t kCounted = 30;
      if (found.size() > kCounted) found.resize(kCounted);
      PracticeCount count(db);
      std::vector<Counted> ranked;
      auto rank = [&](const Xapian::Query& with_words, const std::string& before) {
        for (const auto& [freq, term] : found) {
          const Xapian::doccount with = count(Xapian::Query(Xapian::Query::OP_AND, with_words, count.anywhere(term)));
          if (with == 0) continue;
          ranked.emplace_back(count.next_to(before, term, before_key), with, term);
        }
      };
      // Respelled first; when nothing occurs with the respelled words (a
      // wrong spelling), with the others.
      if (spelled_query) {
        rank(*spelled_query, spelled[spelled.size() - 2]);
        // The list then says what it completes: "fatoria so" ->
        // "fattoria sociale", as the search would correct it.
        if (!ranked.empty()) lead = written_lead(db, prefix, typed, respellings, options.is_word);
      }
      if (ranked.empty() && lead_query) rank(*lead_query, words[words.size() - 2]);
      // Nothing occurs with every word typed: with most of them.
      if (ranked.empty() && lead_query && lead_parts.size() > 1)
        ranked = counted_with_most(count, found, lead_parts, words[words.size() - 2], before_key);
      else
        std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
          return std::tie(std::get<0>(a), std::get<1>(a)) > std::tie(std::get<0>(b), std::get<1>(b));
        });
      // None occurs with any word typed (a rare word, "vorrei cr", or only
      // a wrongly respelled one): the commonest, as after the last word
      // alone, not nothing (bench/suggest-quality: 25 prefixes better,
      // none worse).
      if (!ranked.empty()) {
        found.clear();
        for (const auto& [next_to, with, term] : ranked) found.emplace_back(with, term);
      }
      // After English words that a phrase continues, only the library's
      // words that follow them in a text ("energy manager"): "energy
      // comune" means nothing. So after a class that a level's name
      // completes ("terza me": "terza media", not "terza mesi").
      if (!continued.empty() || !named.empty()) {
        found.clear();
        for (const auto& [next_to, with, term] : ranked)
          if (next_to > 0) found.emplace_back(with, term);
      }
    }
    // Nor the commonest words, when nothing was counted with them ("food
    // ba" -> "food bambini").
    if ((!continued.empty() || !named.empty()) && !counted) found.clear();
    // Nothing to count with (the word before is only in the editors' plain
    // words: "pannelli sol"): the words a practice writes right after it
    // come first ("solari", not the commoner "solidali").
    if (!counted && !before_key.empty())
      put_first(&found, [&](const std::string& term) { return db.get_termfreq(before_key + term) > 0; });
    // Right after an article, the words that agree with it first ("le ma"
    // -> "mamme" before "mattina"), and of those whose ending may say the
    // other number ("la scienze", "la gente") or contradicts it ("la
    // crisi") only the ones the library writes right after that article
    // (bench/suggest-quality: with any article of its kind, the same
    // figures at a quarter more time): "per la qu" offers "quota", "quantità" before "quarte", "alla
    // ma" "mafia" before "mare", "la cri" still "crisi". Put after, not
    // left out: "la scien" still offers "scienze" (the library has no
    // "scienza"), whose search finds the same practices. After a word that
    // asks for a verb, the infinitives ("far rin" -> "rinunciare" before
    // "rinnovabili").
    const Agreement agreement = words.size() >= 2 ? agreement_after(words[words.size() - 2]) : Agreement::kNone;
    if (agreement != Agreement::kNone) {
      PracticeCount count(db);
      put_first(&found, [&](const std::string& term) {
        return !needs_the_librarys_use(written_form(db, term), agreement) ||
               count.next_to(words[words.size() - 2], term, "") > 0;
      });
    } else if (words.size() >= 2 && options.is_infinitive && asks_for_a_verb(words[words.size() - 2])) {
      put_first(&found, options.is_infinitive);
    }
    // One completion per word, not per form: "alimentare" stands for
    // "alimentari", "energetica" for "energetiche", "volontario" for
    // "volontari", so the list offers other words instead.
    std::set<std::string> seen;
    // After an article, the form of a word whose ending surely agrees with
    // it stands for the word: "la sc" -> "scuola", not "scuole", which an
    // ending in -e leaves open ("la gente"). Among the first candidates, as
    // put_first() checks them.
    std::map<std::string, std::string> sure_form;  // inflection key -> its surely agreeing form
    if (agreement != Agreement::kNone)
      for (std::size_t i = 0; i < found.size() && i < kChecked; ++i) {
        const std::string key = inflection_key(found[i].second);
        if (!key.empty() && sure_form.count(key) == 0 && agrees_surely(written_form(db, found[i].second), agreement))
          sure_form.emplace(key, found[i].second);
      }
    for (const std::string& word : named) {
      if (static_cast<int>(out.size()) >= limit) break;
      out.push_back({typed_lead + written_form(db, word), "term", ""});
    }
    for (const std::string& word : continued) {
      if (static_cast<int>(out.size()) >= limit) break;
      out.push_back({typed_lead + word, "term", ""});
    }
    // A level's name offered above, in either number ("media", "medie").
    auto named_already = [&](const std::string& term) {
      return std::any_of(named.begin(), named.end(), [&](const std::string& n) {
        return term.size() == n.size() && term.compare(0, n.size() - 1, n, 0, n.size() - 1) == 0;
      });
    };
    for (const auto& [freq, term] : found) {
      if (std::find(continued.begin(), continued.end(), term) != continued.end() || named_already(term)) continue;
      if (static_cast<int>(out.size()) >= limit) break;
      const std::string word = inflection_key(term);
      if (!word.empty() && !seen.insert(word).second) continue;
      const auto sure = sure_form.find(word);
      out.push_back({lead + written_form(db, sure == sure_form.end() ? term : sure->second), "term", ""});
    }
  }
  // After a space, the phrases that continue the words typed: "spreco "
  // -> "spreco alimentare", "gruppi di " -> "gruppi di acquisto"
  // (docs/search-quality.md, "After a space, the next word").
  if (!last_partial && options.next_words && static_cast<int>(out.size()) < limit) {
    // The words typed, as the completions write them: written_lead() of
    // the prefix and one word more.
    std::string typed = prefix;
    while (!typed.empty() && is_space(typed.back())) typed.pop_back();
    typed += " x";
    const std::string lead = written_lead(db, typed, tokenize(typed), {}, options.is_word);
    // Counted with the words typed only when there are others than the
    // last: with it alone, each count would be the phrase's own.
    const std::optional<Xapian::Query> with_words = lead_parts.size() >= 2 ? lead_query : std::nullopt;
    for (const std::string& next : next_words(db, words, with_words, static_cast<std::size_t>(limit) - out.size()))
      out.push_back({lead + next, "term", ""});
  }
  for (std::size_t i = static_cast<std::size_t>(first); i < titles.size(); ++i) {
    if (static_cast<int>(out.size()) >= limit) break;
    out.push_back(std::move(titles[i]));
  }
  if (static_cast<int>(out.size()) > limit) out.resize(static_cast<std::size_t>(limit));
  return out;
}

namespace {

// Lower case, no accents, single spaces, no spaces at the ends.
std::string folded_name(std::string_view text) {
  std::string out;
  for (const std::string& w : split_words(text::fold_lower(text))) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

}  // namespace

ThemeNames ThemeNames::of(const Taxonomy& taxonomy) {
  ThemeNames out;
  const Vocabulary* themes = taxonomy.vocabulary("theme");
  if (themes == nullptr) return out;
  for (const Term& theme : themes->terms) {
    Theme t{theme.slug, theme.label, folded_name(theme.label), {}};
    if (!theme.label_en.empty()) t.folded_others.push_back(folded_name(theme.label_en));
    for (const auto* names : {&theme.synonyms, &theme.everyday, &theme.synonyms_en})
      for (const std::string& name : *names) t.folded_others.push_back(folded_name(name));
    out.themes.push_back(std::move(t));
  }
  return out;
}

std::vector<Suggestion> theme_suggestions(const ThemeNames& names, const Xapian::Database& db,
                                          const std::string& prefix, int limit) {
  std::vector<Suggestion> out;
  // "spreco " (a space typed after the word) is still "spreco".
  const std::string typed = folded_name(prefix);
  if (typed.size() < 3 || limit < 1) return out;
  const bool multi_word = typed.find(' ') != std::string::npos;
  // Another name fits whole ("gas"), or from its second word on
  // ("pannelli sul", "food w").
  auto fits = [&](const std::string& name) { return name == typed || (multi_word && name.rfind(typed, 0) == 0); };
  std::vector<std::pair<int, const ThemeNames::Theme*>> found;  // (0 label, 1 another name), theme
  for (const ThemeNames::Theme& theme : names.themes) {
    int rank = -1;
    if (theme.folded_label.rfind(typed, 0) == 0) rank = 0;
    else if (std::any_of(theme.folded_others.begin(), theme.folded_others.end(), fits)) rank = 1;
    if (rank < 0) continue;
    if (db.get_termfreq(std::string(schema::kThemePrefix) + theme.slug) == 0) continue;
    found.emplace_back(rank, &theme);
  }
  std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [rank, theme] : found) {
    if (static_cast<int>(out.size()) >= limit) break;
    out.push_back({theme->label, "theme", theme->slug});
  }
  return out;
}

std::vector<PracticeSummary> related_practices(const Xapian::Database& db, Xapian::docid docid,
                                               const std::vector<std::string>& themes,
                                               const std::string& slug, int limit) {
  std::vector<PracticeSummary> out;
  Xapian::Enquire enquire(db);
  Xapian::RSet rset;
  rset.add_document(docid);
  StemsOnly decider;
  const Xapian::ESet eset = enquire.get_eset(25, rset, &decider);
  std::vector<Xapian::Query> parts;
  for (auto it = eset.begin(); it != eset.end(); ++it) parts.emplace_back(*it);
  // Sharing a theme alone is enough to be related (a filter term adds no
  // weight; the bonus comes below).
  for (const auto& t : themes)
    parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT,
                       Xapian::Query(std::string(schema::kThemePrefix) + t), 0.0);
  if (parts.empty()) return out;
  Xapian::Query query(Xapian::Query::OP_OR, parts.begin(), parts.end());
  query = Xapian::Query(Xapian::Query::OP_AND_NOT, query,
                        Xapian::Query(std::string(schema::kIdPrefix) + slug));
  enquire.set_query(query);
  const Xapian::MSet mset = enquire.get_mset(0, 30);
  const double top = mset.empty() ? 0 : std::max(mset.get_max_attained(), 1e-9);
  std::vector<std::pair<double, PracticeSummary>> ranked;
  const std::set<std::string> mine(themes.begin(), themes.end());
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    PracticeSummary p = summary_of(it.get_document());
    if (p.slug.empty() || p.slug == slug) continue;
    int shared = 0;
    for (const auto& t : p.themes) shared += static_cast<int>(mine.count(t));
    ranked.emplace_back(it.get_weight() / top + 0.3 * shared, std::move(p));
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (auto& [score, p] : ranked) {
    if (static_cast<int>(out.size()) >= limit) break;
    out.push_back(std::move(p));
  }
  return out;
}

FacetCounts whole_index_counts(const Xapian::Database& db) {
  FacetCounts counts;
  for (const auto& facet : schema::kFacets) {
    auto& values = counts[std::string(facet.name)];
    const std::string prefix(facet.prefix);
    for (auto it = db.allterms_begin(prefix); it != db.allterms_end(prefix); ++it) {
      const std::string term = *it;
      values[term.substr(prefix.size())] = it.get_termfreq();
    }
  }
  return counts;
}

std::string written_form(const Xapian::Database& db, const std::string& folded_word) {
  // Prefixed terms ("Zambient", "XHUBnord") start with a capital: not words.
  if (folded_word.empty() || (folded_word[0] >= 'A' && folded_word[0] <= 'Z')) return folded_word;
  std::string written = db.get_metadata(std::string(schema::kMetaWordPrefix) + folded_word);
  return written.empty() ? folded_word : written;
}

}  // namespace bp::search
