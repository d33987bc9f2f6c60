#include "search_query.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>
#include <set>
#include <tuple>
#include <unordered_map>

#include "bp/search.h"
#include "bp/text.h"
#include "schema.h"
#include "search_cognates.h"
#include "search_extras.h"
#include "search_thesaurus.h"
#include "search_tokens.h"

namespace bp::search {

struct QueryUnderstanding::Item {
  std::vector<std::string> words;  // folded, lower-case
  bool capitals = false;  // typed in capital letters ("SAI"): an acronym for sure
  bool phrase = false;
  bool negated = false;
  bool required = false;
  bool partial = false;  // the last word, typed without a space after it
  int or_group = -1;
};

namespace {

// The words the editors never want a query word expanded to (the
// taxonomy's `blocked_expansions:`, SynonymTable::blocked_expansions()),
// looked up on the first candidate only: most words have none.
class BlockedWords {
 public:
  BlockedWords(const SynonymTable& table, const std::string& plain) : table_(table), plain_(plain) {}
  // True when the word or phrase, folded, is one of them.
  bool operator()(const std::string& word) {
    if (!blocked_) blocked_ = table_.blocked_expansions(plain_);
    return !blocked_->empty() && blocked_->count(text::fold_lower(word)) != 0;
  }

 private:
  const SynonymTable& table_;
  const std::string& plain_;
  std::optional<std::set<std::string>> blocked_;
};

// The least idf a plain-words term is weighed by (a word in more than half
// the practices has a negative BM25 idf).
constexpr double kMinPlainWordsIdf = 0.1;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

bool is_stopword(const std::string& plain) { return text::italian_stopwords().count(plain) != 0; }

// An article or an articulated preposition: the word after it is a noun's
// or an adjective's form ("gli scarti", "delle ferie"). Folded, lower case;
// "l" and "un" as "l'" and "un'" leave them.
bool is_determiner(const std::string& w) {
  static const std::unordered_set<std::string> kDeterminers = {
      "il", "lo", "la", "i", "gli", "le", "l", "un", "uno", "una",
      "del", "dello", "della", "dei", "degli", "delle", "dell",
      "al", "allo", "alla", "ai", "agli", "alle", "all",
      "dal", "dallo", "dalla", "dai", "dagli", "dalle", "dall",
      "nel", "nello", "nella", "nei", "negli", "nelle", "nell",
      "sul", "sullo", "sulla", "sui", "sugli", "sulle", "sull",
      "col", "coi"};
  return kDeterminers.count(w) != 0;
}

// A simple preposition ("di", "a", "in", "per"…), folded.
bool is_preposition(const std::string& w) {
  static const std::unordered_set<std::string> kPrepositions = {"di", "a",   "da",  "in", "con",
                                                                "su", "per", "tra", "fra"};
  return kPrepositions.count(w) != 0;
}

// The words as the page shows them: joined by a space, or by the
// apostrophe after an elided word («gruppo d'acquisto», not «gruppo d
// acquisto»). Display only: terms never come from it.
std::string written_join(const std::vector<std::string>& words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += is_elided(words[i - 1]) ? "'" : " ";
    out += words[i];
  }
  return out;
}

// The terms Query(OP_WILDCARD, prefix, limit, WILDCARD_LIMIT_MOST_FREQUENT)
// expands to, in the order Xapian 1.4 puts them (QueryWildcard::postlist:
// every term with the prefix in term order, then std::nth_element by
// descending frequency when there are more than `limit`), so that the
// explicit OP_SYNONYM over them matches and weighs the same. Spelled out so
// that the counting pass (search_match_set.h) can read the terms' posting
// lists as bitmaps, where the wildcard would need Xapian's matcher.
std::vector<std::string> most_frequent_completions(const Xapian::Database& db, const std::string& prefix,
                                                   Xapian::termcount limit) {
  std::vector<std::pair<std::string, Xapian::doccount>> found;
  for (auto it = db.allterms_begin(prefix); it != db.allterms_end(prefix); ++it)
    found.emplace_back(*it, it.get_termfreq());
  if (found.size() > limit) {
    std::nth_element(found.begin(), found.begin() + (limit - 1), found.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    found.resize(limit);
  }
  std::vector<std::string> terms;
  for (auto& f : found) terms.push_back(std::move(f.first));
  return terms;
}

// A word the library writes with the stemmed term `term` ("Zpellegrin" ->
// "pellegrini"), for the page: its plain forms with an Italian ending, the
// commonest; the stem itself when none is in the index.
std::string family_word(const Xapian::Database& db, Analyzer& analyzer, const std::string& term) {
  const std::string stem = term.substr(1);
  std::string best = stem;
  Xapian::doccount best_freq = 0;
  for (const char* ending : {"o", "a", "e", "i"}) {
    const std::string word = stem + ending;
    const Xapian::doccount f = db.get_termfreq(word);
    if (f > best_freq && analyzer.terms_for(word).stemmed == term) {
      best = word;
      best_freq = f;
    }
  }
  return written_form(db, best);
}

}  // namespace

void HighlightSpec::add(const std::vector<std::string>& alternative) {
  if (alternative.size() == 1) {
    terms.insert(alternative.front());
    return;
  }
  const std::uint64_t bit = std::uint64_t{1} << std::min(phrases, 63);
  ++phrases;
  for (const std::string& t : alternative) phrase_words[t] |= bit;
}

// Words that shape a question or a request but say nothing about what is
// sought ("come posso fare…", "esempi di…", "how to…"). Query-side only: the
// index keeps them, so a phrase or a query made of nothing else still finds
// them. Italian stopwords are already left out by is_stopword().
bool is_filler_word(const std::string& plain) {
  static const std::unordered_set<std::string> kWords = {
      // Italian: question words, modal and light verbs, "example", "way".
      "cosa", "qual", "quali", "quando", "posso", "puoi", "puo", "possiamo", "potete", "possono", "potrei", "potremmo",
      "vorrei", "voglio", "vogliamo", "devo", "dobbiamo", "bisogna", "fare", "far", "fa", "esempio", "esempi", "idea",
      "idee", "trovo", "trovare", "cerco", "cercare", "sapere", "modo", "modi", "qualche", "qualcosa", "buon", "buono",
      "buona", "buoni", "buone", "ecco", "tipo", "cioe",
      // Italian: the verbs of "how do I start…", which every practice could answer.
      "aprire", "avviare", "creare", "organizzare", "iniziare", "cominciare", "fondare", "realizzare", "attivare",
      // Italian function words the stop list lacks (quantifiers, adverbs).
      "alcuni", "alcune", "alcuno", "alcuna", "almeno", "altro", "altra", "altri", "altre", "ancora", "sempre", "molto",
      "molta", "molti", "molte", "poco", "pochi", "poche", "ogni", "tanto", "tanti", "troppo", "proprio", "quasi",
      "gia", "mai", "oltre", "invece", "poi", "cosi", "allora", "quindi", "pero", "mentre", "circa",
      // Italian: what the library holds, as "esempi" above ("esperienze di
      // orti sociali", "pratiche in puglia"): every case file is one.
      "esperienza", "esperienze", "pratica", "pratiche", "progetto", "progetti", "iniziativa", "iniziative",
      // Italian texting shorthand for the function words above and the
      // stopwords, as typed on a phone: "x" (per), "ke" (che), "xke",
      // "xche", "pk" (perché), "nn" (non), "anke" (anche), "xo" (però),
      // "qnd" (quando), "qlc", "qlcs" (qualcosa), "cm" (come), "dv" (dove),
      // "sn" (sono), "qnt" (quanto). Not "cn", Cuneo's plate.
      "x", "ke", "xke", "xche", "pk", "nn", "anke", "xo", "qnd", "qlc", "qlcs", "cm", "dv", "sn", "qnt",
      // Italian: greetings and courtesy around a request ("salve, cerco…",
      // "cordiali saluti"), and "sapete se…". Not "sai" ("SAI" is an
      // acronym) nor "grazie", which "grazie al sole" shares with the
      // practices (measured: two held-out queries lower among distractors).
      "ciao", "salve", "buongiorno", "buonasera", "prego", "gentilmente", "cortesemente", "favore", "saluti",
      "cordiali", "sapete", "sapreste", "potreste",
      // English: the function words of a question.
      "how", "what", "where", "who", "which", "why", "when", "to", "the", "an", "of", "for", "on", "and", "with", "my",
      "our", "is", "are", "do", "does", "can", "we", "you", "it", "at", "by", "from", "about", "into", "some", "any",
      // English: "near me", "nearby", and the verbs of "how to start…", as
      // the Italian ones above.
      "near", "nearby", "me", "start", "starting", "create", "creating", "begin", "launch", "organise", "organize",
      "organising", "organizing", "hello", "hi", "please", "thanks", "thank"};
  return kWords.count(plain) != 0;
}

bool is_lesson_word(const std::string& plain) {
  static const std::unordered_set<std::string> kWords = {
      "laboratorio", "laboratori", "lezione",    "lezioni",   "unita",  "didattica", "didattico",
      "scheda",      "schede",     "didattiche", "didattici", "classe", "classi"};
  return kWords.count(plain) != 0;
}

bool is_function_word(const std::string& plain) {
  static const std::unordered_set<std::string> kWords = {
      // Prepositions and prepositional adverbs.
      "durante", "attraverso", "attorno", "verso", "presso", "tramite", "mediante", "dentro",
      "fuori", "sopra", "sotto", "dietro", "davanti", "accanto", "senza", "dopo", "entro", "fino",
      "fra",
      // Adverbs and conjunctions.
      "altrimenti", "subito", "spesso", "talvolta", "ormai", "appena", "forse", "anzi", "inoltre",
      "infatti", "tuttavia", "comunque", "dunque", "percio", "pure", "oppure", "nemmeno",
      "neanche", "neppure", "soprattutto", "piuttosto", "abbastanza", "davvero", "ovvero",
      "ossia", "nonche", "affinche", "poiche", "sebbene", "benche", "siccome", "finche",
      "altrettanto", "qui", "qua", "ecc", "etc", "anziche", "eppure", "pertanto", "nonostante",
      "malgrado", "qualora", "purche", "ovunque", "dovunque", "finora", "tuttora", "po",
      // Indefinites, demonstratives and pronouns.
      "qualsiasi", "qualunque", "tutta", "tutte", "ciascuno", "ciascuna", "nessuno", "nessuna",
      "ognuno", "ognuna", "entrambi", "entrambe", "stesso", "stessa", "tale", "tali", "tanta",
      "tante", "parecchi", "parecchie", "cio", "esso", "essa", "essi", "esse", "quel", "quei",
      "quegli", "chiunque",
      // Auxiliary and modal verbs.
      "essere", "avere", "viene", "vengono", "deve", "devono"};
  return is_stopword(plain) || is_filler_word(plain) || kWords.count(plain) != 0;
}

std::vector<std::string> QueryUnderstanding::close_spellings(const std::string& plain) {
  if (memo_) return memo_->spellings(plain, [&] { return scan_spellings(plain); });
  return scan_spellings(plain);
}

bool QueryUnderstanding::unread_misspelling(const std::string& plain) {
  // A misspelling is not an Italian word, as Hunspell knows them: without
  // the dictionary, none.
  if (text::code_points(plain) < 5 || is_function_word(plain) || thesaurus_ == nullptr ||
      !thesaurus_->has_dictionary() || thesaurus_->is_word(plain))
    return false;
  const Analyzer::WordTerms terms = analyzer_.terms_for(plain);
  if (frequency(terms.plain) > 0 || (!terms.stemmed.empty() && frequency(terms.stemmed) > 0) ||
      !editors_term(terms, schema::kPlainWordsPrefix).empty() || !editors_term(terms, schema::kQuestionsPrefix).empty())
    return false;
  return close_spellings(plain).empty();
}

std::string QueryUnderstanding::taxonomy_spelling(const std::string& plain) {
  if (!unread_misspelling(plain)) return {};
  const std::size_t length = text::code_points(plain);
  // A word no dictionary knows is as often English, and so are many of
  // the taxonomy's words ("refuse" is not "reuse", "leave" not "lease",
  // "safely" not "safety"): an Italian one only.
  for (const std::string& w : synonyms_.close_phrase_words(plain, length >= 9 ? 2 : 1))
    if (thesaurus_->is_word(w)) return w;
  return {};
}

std::vector<std::string> QueryUnderstanding::thesaurus_spellings(const std::string& plain) {
  if (!unread_misspelling(plain)) return {};
  // In a query with another word neither Italian nor the library's, the
  // word is as likely English ("the banks refuse" is not "refuso", "shops
  // leave" not "leva"): the thesaurus is Italian only.
  for (const std::string& other : query_sequence_) {
    if (other == plain || frequency(analyzer_.terms_for(other).plain) > 0) continue;
    if (!thesaurus_->is_word(other) && thesaurus_->lemmas(other).empty()) return {};
  }
  return thesaurus_->close_entries(plain, text::code_points(plain) >= 9 ? 2 : 1);
}

std::string QueryUnderstanding::correction(const std::string& plain) {
  // A word typed alone: no other word to choose its spelling by.
  query_words_.clear();
  query_sequence_.clear();
  ParsedQuery scratch;
  word_clause(plain, /*partial=*/false, &scratch);
  auto it = scratch.corrected.find(plain);
  return it == scratch.corrected.end() ? std::string() : it->second;
}

std::vector<std::string> QueryUnderstanding::scan_spellings(const std::string& plain) {
  const std::size_t length = text::code_points(plain);
  // A word of four letters gets one edit of one kind only: a letter left
  // out, most often one of a double ("aqua", "acua" for "acqua"; "tera"
  // for "terra"), keeping the typed first letter. Any edit of a short word
  // reaches too many others ("casa": "cosa", "cara", "cassa").
  const bool short_word = length == kShortTypoLength;
  const int max_edits = length >= 9 ? 2 : length >= 5 || short_word ? 1 : 0;
  if (max_edits == 0) return {};
  // (distance, first letter differs, -frequency, term): fewest edits first,
  // then words that keep the typed first letter (typos there are rare:
  // "socali" is "sociali" rather than "locali"), then the commonest.
  std::set<std::tuple<int, bool, std::int64_t, std::string>> found;
  // A word's frequency is that of the text where it is, or of the editors'
  // plain words and questions when only they use it ("pannelli": the case
  // files write "fotovoltaici").
  auto words_frequency = [&](const std::string& term) -> Xapian::doccount {
    if (const Xapian::doccount f = db_.get_termfreq(term); f > 0) return f;
    return std::max(db_.get_termfreq(std::string(schema::kPlainWordsPrefix) + term),
                    db_.get_termfreq(std::string(schema::kQuestionsPrefix) + term));
  };
  // A function word is never the correction: it says nothing of what is
  // sought ("trnto" is "trento", not "tanto"; "ancoma" "ancona", not
  // "ancora").
  auto consider = [&](const std::string& term) {
    if (term.empty() || term == plain || is_stopword(term) || is_filler_word(term)) return;
    if (short_word && (text::code_points(term) != length + 1 || term[0] != plain[0])) return;
    const int d = text::edit_distance(term, plain);
    if (d <= max_edits) found.emplace(d, term[0] != plain[0], -static_cast<std::int64_t>(words_frequency(term)), term);
  };
  consider(db_.get_spelling_suggestion(plain, static_cast<unsigned>(max_edits)));
  // The spelling table may be missing or stale: also scan the words that
  // share the first letter (a typo on the first letter is rare, and this
  // keeps the scan to a slice of the term list).
  std::size_t first_len = 1;
  while (first_len < plain.size() && (static_cast<unsigned char>(plain[first_len]) & 0xC0) == 0x80)
    ++first_len;
  const std::string first = plain.substr(0, first_len);
  constexpr int kMaxScanned = 20000;
  int scanned = 0;
  for (auto it = db_.allterms_begin(first); it != db_.allterms_end(first) && scanned < kMaxScanned;
       ++it, ++scanned) {
    const std::string term = *it;
    const std::size_t diff = term.size() > plain.size() ? term.size() - plain.size()
                                                        : plain.size() - term.size();
    if (diff > static_cast<std::size_t>(max_edits) * 2) continue;
    consider(term);
  }
  // The words people type are often the editors' everyday words, which
  // only the plain words and the questions may have ("panneli solari":
  // "pannelli"): their spellings too, within the same bounds.
  for (std::string_view field : {schema::kPlainWordsPrefix, schema::kQuestionsPrefix}) {
    const std::string start = std::string(field) + first;
    scanned = 0;
    for (auto it = db_.allterms_begin(start); it != db_.allterms_end(start) && scanned < kMaxScanned; ++it, ++scanned) {
      const std::string term = (*it).substr(field.size());
      const std::size_t diff = term.size() > plain.size() ? term.size() - plain.size() : plain.size() - term.size();
      if (diff > static_cast<std::size_t>(max_edits) * 2) continue;
      consider(term);
    }
  }
  std::vector<std::string> out;
  for (const auto& [d, other_first, f, term] : found) {
    if (out.size() == kSpellingCandidates) break;
    if (std::find(out.begin(), out.end(), term) == out.end()) out.push_back(term);
  }
  return out;
}

std::vector<std::string> QueryUnderstanding::library_terms(const std::string& word) const {
  const Analyzer::WordTerms t = analyzer_.terms_for(word);
  std::vector<std::string> out;
  for (const std::string& term :
       {t.stemmed, t.plain, editors_term(t, schema::kPlainWordsPrefix), editors_term(t, schema::kQuestionsPrefix)})
    if (!term.empty() && frequency(term) > 0) out.push_back(term);
  return out;
}

void QueryUnderstanding::context_spelling(const std::string& plain, std::vector<std::string>* spellings) const {
  if (spellings->size() < 2 || query_words_.size() < 2) return;
  const int best = text::edit_distance(spellings->front(), plain);
  std::size_t close = 1;
  while (close < spellings->size() && text::edit_distance((*spellings)[close], plain) == best) ++close;
  if (close < 2) return;
  auto to_front = [&](std::size_t i) {
    std::rotate(spellings->begin(), spellings->begin() + i, spellings->begin() + i + 1);
  };
  // First, a spelling that some practice writes next to the word typed
  // before or after it, over linking words only ("pannelli solari",
  // "gruppo di acquisto": schema::kNextWordsPrefix).
  const auto at = std::find(query_sequence_.begin(), query_sequence_.end(), plain);
  if (at != query_sequence_.end()) {
    const std::size_t k = static_cast<std::size_t>(at - query_sequence_.begin());
    // "gruppo di " before "aquisto", " di acquisto" after "grupo": the
    // nearest content word on each side, with the linking words between.
    std::string before, after;
    for (std::size_t i = k, n = 0; i-- > 0 && n <= schema::kNextWordsMaxLinking; ++n) {
      if (!is_stopword(query_sequence_[i])) {
        for (std::size_t j = i; j < k; ++j) before += query_sequence_[j] + " ";
        break;
      }
    }
    for (std::size_t i = k + 1, n = 0; i < query_sequence_.size() && n <= schema::kNextWordsMaxLinking; ++i, ++n) {
      if (!is_stopword(query_sequence_[i])) {
        for (std::size_t j = k + 1; j <= i; ++j) after += " " + query_sequence_[j];
        break;
      }
    }
    const std::string next(schema::kNextWordsPrefix);
    for (std::size_t i = 0; i < close; ++i) {
      const std::string& c = (*spellings)[i];
      if ((!before.empty() && frequency(next + before + c) > 0) ||
          (!after.empty() && frequency(next + c + after) > 0)) {
        if (i > 0) to_front(i);
        return;
      }
    }
  }
  // Else, when the closest spelling is in no practice with the query's
  // other words, one equally close that is.
  std::vector<Xapian::Query> others;
  for (const std::string& w : query_words_) {
    if (w == plain) continue;
    const std::vector<std::string> terms = library_terms(w);
    if (!terms.empty()) others.emplace_back(Xapian::Query::OP_OR, terms.begin(), terms.end());
  }
  if (others.empty()) return;
  const Xapian::Query context(Xapian::Query::OP_OR, others.begin(), others.end());
  auto with_context = [&](const std::string& spelling) {
    const std::vector<std::string> terms = library_terms(spelling);
    if (terms.empty()) return false;
    Xapian::Enquire enquire(db_);
    enquire.set_query(
        Xapian::Query(Xapian::Query::OP_AND, Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()), context));
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    return !enquire.get_mset(0, 1).empty();
  };
  if (with_context(spellings->front())) return;
  for (std::size_t i = 1; i < close; ++i)
    if (with_context((*spellings)[i])) return to_front(i);
}

std::string QueryUnderstanding::library_term(const std::string& word) const {
  const Analyzer::WordTerms t = analyzer_.terms_for(word);
  if (!t.stemmed.empty() && frequency(t.stemmed) > 0) return t.stemmed;
  return frequency(t.plain) > 0 ? t.plain : std::string();
}

std::vector<std::string> QueryUnderstanding::typed_together(const std::string& plain) const {
  // A part of the split: a content word of the library (its term's
  // frequency), or 0.
  auto part = [&](const std::string& w) -> Xapian::doccount {
    if (text::code_points(w) < kMinSplitPart || is_stopword(w) || is_filler_word(w)) return 0;
    // As written in the case files, not only by its stem ("topare" is not
    // a word of the library because "top" is).
    return frequency(analyzer_.terms_for(w).plain);
  };
  // Cuts between code points only.
  auto cuts = [](const std::string& w) {
    std::vector<std::size_t> at;
    for (std::size_t i = 1; i < w.size(); ++i)
      if ((static_cast<unsigned char>(w[i]) & 0xC0) != 0x80) at.push_back(i);
    return at;
  };
  std::vector<std::string> best;
  Xapian::doccount best_rarest = 0;
  for (std::size_t i : cuts(plain)) {
    const std::string left = plain.substr(0, i), right = plain.substr(i);
    const Xapian::doccount l = part(left);
    if (l == 0) continue;
    if (const Xapian::doccount r = part(right); r > 0 && std::min(l, r) > best_rarest) {
      best = {left, right};
      best_rarest = std::min(l, r);
    }
  }
  if (!best.empty()) return best;
  for (std::size_t i : cuts(plain)) {
    const std::string left = plain.substr(0, i), rest = plain.substr(i);
    const Xapian::doccount l = part(left);
    if (l == 0) continue;
    for (std::size_t j : cuts(rest)) {
      const std::string middle = rest.substr(0, j), right = rest.substr(j);
      const Xapian::doccount m = part(middle);
      if (m == 0) continue;
      if (const Xapian::doccount r = part(right); r > 0 && std::min({l, m, r}) > best_rarest) {
        best = {left, middle, right};
        best_rarest = std::min({l, m, r});
      }
    }
  }
  return best;
}

std::vector<std::string> QueryUnderstanding::hyphen_split(const std::string& plain) const {
  for (std::size_t cut = 2; cut <= 3 && cut + 4 <= plain.size(); ++cut) {
    // Letters a-z only in the prefix: a cut inside a code point is none.
    if (!std::all_of(plain.begin(), plain.begin() + static_cast<std::ptrdiff_t>(cut),
                     [](char c) { return c >= 'a' && c <= 'z'; }))
      return {};
    const std::string left = plain.substr(0, cut), right = plain.substr(cut);
    // An article typed onto its noun ("lasostenibilita") is no prefix.
    if (is_stopword(left) || frequency(left) == 0 || frequency(right) == 0) continue;
    Xapian::Enquire together(db_);
    const std::vector<std::string> pair = {left, right};
    together.set_query(Xapian::Query(Xapian::Query::OP_PHRASE, pair.begin(), pair.end(), 2));
    together.set_weighting_scheme(Xapian::BoolWeight());
    if (!together.get_mset(0, 1).empty()) return pair;
  }
  return {};
}

std::string QueryUnderstanding::joined_term(const std::string& first, const std::string& second) const {
  if (is_stopword(first) || is_stopword(second) || is_filler_word(first) || is_filler_word(second)) return {};
  if (text::code_points(first) < 2 || text::code_points(second) < 2) return {};
  const std::string plain = analyzer_.terms_for(first + second).plain;
  return frequency(plain) > 0 ? library_term(first + second) : std::string();
}

std::string QueryUnderstanding::editors_term(const Analyzer::WordTerms& terms, std::string_view prefix) const {
  if (terms.plain.empty()) return {};
  const std::string term = terms.stemmed.empty() || place_name(terms.plain)
                               ? std::string(prefix) + terms.plain
                               : "Z" + std::string(prefix) + terms.stemmed.substr(1);
  return frequency(term) > 0 ? term : std::string();
}

std::string QueryUnderstanding::plain_words_term(const Analyzer::WordTerms& terms) const {
  return editors_term(terms, schema::kPlainWordsPrefix);
}

Clause QueryUnderstanding::word_clause(const std::string& plain, bool partial, ParsedQuery* out) {
  Clause clause;
  clause.display = plain;
  const Analyzer::WordTerms terms = analyzer_.terms_for(plain);
  const Xapian::doccount tf_plain = frequency(terms.plain);
  const Xapian::doccount tf_stem = terms.stemmed.empty() ? 0 : frequency(terms.stemmed);
  std::vector<Xapian::Query> parts;
  if (tf_stem > 0 && !(tf_plain > 0 && place_name(plain))) {
    parts.emplace_back(terms.stemmed);
  } else if (tf_plain > 0) {
    parts.emplace_back(terms.plain);
  }
  out->highlight.terms.insert(terms.plain);
  if (!terms.stemmed.empty()) out->highlight.terms.insert(terms.stemmed);
  clause.frequency = std::max(tf_plain, tf_stem);
  // A word of the editors' plain words is a word of the library: not
  // corrected, nor expanded unless the editors listed it
  // (thesaurus_alternatives).
  const std::string plain_term = plain_words_term(terms);
  // Whose plain words and questions the clause reaches: the typed word's,
  // or its correction's.
  Analyzer::WordTerms editors_terms = terms;
  // The last word of a long query, spelled as the library spells it, is
  // finished (kMinWordsForFinishedLastWord).
  if (partial && query_words_.size() >= kMinWordsForFinishedLastWord && tf_plain > 0) partial = false;
  if (partial && !plain.empty()) {
    auto it = db_.allterms_begin(plain);
    if (it != db_.allterms_end(plain)) {
      auto complete = [&] { return most_frequent_completions(db_, plain, kMaxPrefixExpansion); };
      const std::vector<std::string> completions = memo_ ? memo_->completions(plain, complete) : complete();
      // One completion stays a wildcard: OP_SYNONYM over one term would be
      // simplified to the term, which weighs differently.
      if (completions.size() >= 2)
        parts.emplace_back(Xapian::Query::OP_SYNONYM, completions.begin(), completions.end());
      else
        parts.emplace_back(Xapian::Query::OP_WILDCARD, plain, kMaxPrefixExpansion,
                           Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
      out->highlight.prefixes.push_back(plain);
      clause.frequency = std::max(clause.frequency, it.get_termfreq());
    }
  }
  // A word Hunspell knows is spelled right, absent from the library but
  // with thesaurus synonyms in it, is not "corrected" into another word
  // ("soldi" is not "soli", "scolari" not "solari"): expand_with_thesaurus()
  // expands it. Without such synonyms the closest spelling of its family
  // stays the best bridge ("ragazzini" -> "ragazzi"; same_family_spelling()).
  const bool real_word =
      parts.empty() && plain_term.empty() && thesaurus_ != nullptr && thesaurus_->is_word(plain);
  // A word of the editors' everyday words is not corrected either; its
  // own family still comes first (below), its meanings are added to it.
  bool thesaurus_word = false, editors_word = false;
  // What the editors never want this word expanded to
  // (`blocked_expansions:`): no base, family word or cognate below is one,
  // nor a thesaurus or everyday word (thesaurus_alternatives()).
  BlockedWords is_blocked(synonyms_, plain);
  // So is one Hunspell does not know, once the editors listed it ("turin":
  // Torino, not "turni").
  if (real_word || (parts.empty() && plain_term.empty()))
    for (const ThesaurusMatch& m : thesaurus_alternatives(plain))
      if (real_word || m.editors) (m.editors ? editors_word : thesaurus_word) = true;
  // An altered word absent from the library ("giardinetto") means its base
  // word ("giardino") when the library uses that: a better bridge than the
  // closest spelling.
  if (parts.empty() && plain_term.empty() && !thesaurus_word && thesaurus_ != nullptr) {
    for (const std::string& base : thesaurus_->altered_bases(plain)) {
      if (is_blocked(base)) continue;
      const Analyzer::WordTerms t = analyzer_.terms_for(base);
      const std::string& term = t.stemmed.empty() ? t.plain : t.stemmed;
      const Xapian::doccount f = frequency(term);
      if (f == 0) continue;
      parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(term), kAlteredWeight);
      out->highlight.terms.insert(term);
      out->highlight.terms.insert(t.plain);
      clause.frequency = std::max(clause.frequency, f);
      if (std::find(out->synonyms.begin(), out->synonyms.end(), base) == out->synonyms.end())
        out->synonyms.push_back(base);
      out->expanded[plain].push_back(base);
      break;
    }
  }
  // A derived Italian word absent from the library ("pellegrinaggio")
  // reaches its base when the library uses it ("pellegrini"): a member of
  // the family, closer than a close spelling (a misspelling, which Hunspell
  // rejects, is corrected instead). Its thesaurus synonyms still count.
  if (real_word && parts.empty()) {
    const std::string term = family_term(terms);
    const std::string base = term.empty() ? std::string() : family_word(db_, analyzer_, term);
    if (!term.empty() && !is_blocked(base)) {
      parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(term), kFamilyWeight);
      out->highlight.terms.insert(term);
      clause.frequency = std::max(clause.frequency, frequency(term));
      if (std::find(out->synonyms.begin(), out->synonyms.end(), base) == out->synonyms.end())
        out->synonyms.push_back(base);
      out->expanded[plain].push_back(base);
    }
  }
  // An English word, neither Italian (Hunspell rejects it) nor the
  // library's ("regeneration"), reaches its Italian cognates that the
  // library uses ("rigenerazione"; search_cognates.h): a better bridge
  // than the closest spelling ("service" is "servizio", not "servire"),
  // which is then not tried. As much as a derived word's base
  // (kCognateWeight, measured: 0.3 and 0.5 gained less).
  if (parts.empty() && plain_term.empty() && !real_word && thesaurus_ != nullptr &&
      thesaurus_->has_dictionary()) {
    const std::vector<std::string> found = cognates(plain);
    for (std::size_t i = 0; i + 1 < found.size(); i += 2) {
      const std::string& word = found[i];
      const std::string& term = found[i + 1];
      if (is_blocked(word)) continue;
      clause.cognate = true;
      parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(term), kCognateWeight);
      out->highlight.terms.insert(term);
      clause.frequency = std::max(clause.frequency, frequency(term));
      if (std::find(out->synonyms.begin(), out->synonyms.end(), word) == out->synonyms.end())
        out->synonyms.push_back(word);
      out->expanded[plain].push_back(word);
    }
  }
  // Typed without the hyphen the library writes ("coprogettazione"): the
  // two words next to each other, not a spelling of the longer one
  // ("progettazione").
  if (parts.empty() && plain_term.empty() && !real_word) {
    if (const std::vector<std::string> pair = hyphen_split(plain); !pair.empty()) {
      parts.emplace_back(Xapian::Query::OP_PHRASE, pair.begin(), pair.end(), 2);
      for (const std::string& w : pair) out->highlight.terms.insert(w);
      clause.frequency = std::min(frequency(pair.front()), frequency(pair.back()));
      out->corrected[plain] = pair.front() + "-" + pair.back();
    }
  }
  if (parts.empty() && plain_term.empty() && !thesaurus_word && !editors_word) {
    std::vector<std::string> spellings = close_spellings(plain);
    // An English false friend is not corrected into the Italian word it
    // looks like either ("lecture" is not "letture").
    if (!real_word && !spellings.empty() && is_english_false_friend(plain)) spellings.clear();
    // A word Hunspell knows is spelled right: a close spelling is its
    // correction only when of the same family, never a word of another
    // meaning that happens to be close ("patentino" is not "salentino",
    // "pesare" is not "Pesaro"). Left uncorrected, it matches nothing and
    // the relaxed query ranks by the other words.
    if (real_word)
      std::erase_if(spellings, [&](const std::string& s) { return !same_family_spelling(plain, s); });
    context_spelling(plain, &spellings);
    if (spellings.size() > kMaxSpellings) spellings.resize(kMaxSpellings);
    for (const std::string& s : spellings) {
      const Analyzer::WordTerms t = analyzer_.terms_for(s);
      const std::string& term = t.stemmed.empty() || place_name(s) ? t.plain : t.stemmed;
      parts.emplace_back(term);
      out->highlight.terms.insert(term);
      out->highlight.terms.insert(t.plain);
      clause.frequency = std::max(clause.frequency, frequency(term));
    }
    if (!spellings.empty()) {
      out->corrected[plain] = spellings.front();
      // The correction's plain words and questions count as a typed word's
      // (below): "panneli" finds the practices whose everyday words say
      // "pannelli".
      // A word the questions have keeps its own.
      if (editors_term(terms, schema::kQuestionsPrefix).empty()) editors_terms = analyzer_.terms_for(spellings.front());
    }
  }
  // Words typed together: the library's words, all required, as if typed
  // apart; the answer says so as a correction ("frigo solidali").
  if (parts.empty() && plain_term.empty() && !real_word) {
    const std::vector<std::string> split = typed_together(plain);
    std::vector<Xapian::Query> all;
    std::string apart;
    for (const std::string& w : split) {
      const std::string term = library_term(w);
      all.emplace_back(term);
      out->highlight.terms.insert(term);
      out->highlight.terms.insert(w);
      apart += (apart.empty() ? "" : " ") + w;
      clause.frequency = clause.frequency == 0 ? frequency(term) : std::min(clause.frequency, frequency(term));
    }
    if (!all.empty()) {
      parts.emplace_back(Xapian::Query::OP_AND, all.begin(), all.end());
      out->corrected[plain] = apart;
    }
  }
  if (parts.empty()) {
    clause.matches_nothing = true;
    clause.query = Xapian::Query(terms.plain);
  } else if (parts.size() == 1) {
    clause.query = parts.front();
  } else {
    clause.query = Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
  }
  if (!clause.matches_nothing) clause.typed = clause.query;
  // A teacher's word for a lesson: a practice with a lesson sheet has one
  // ("laboratorio sul clima per la primaria" finds the school garden
  // practice whose sheet is the lab, though its text never says
  // "laboratorio"); a level's everyday name ("superiori"): a practice whose
  // sheet is for that level has it. At no weight: the topic's words rank.
  // Measured with 1,000 distractors (docs/search-quality.md, "Among
  // distractors, second round"): a weight of 1 for each such word, or once
  // for the query, lowered other kinds.
  std::string sheet_term;
  if (const std::string* level = synonyms_.level_term(plain)) sheet_term = *level;
  else if (is_lesson_word(plain)) sheet_term = schema::kLessonSheetTerm;
  if (!sheet_term.empty() && frequency(sheet_term) > 0) {
    Xapian::Query sheet(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(sheet_term), 0.0);
    clause.query = clause.matches_nothing ? sheet : Xapian::Query(Xapian::Query::OP_OR, clause.query, sheet);
    clause.matches_nothing = false;
  }
  const std::string question_term = editors_term(editors_terms, schema::kQuestionsPrefix);
  const std::string words_term = plain_term.empty() ? plain_words_term(editors_terms) : plain_term;
  if (!words_term.empty() || !question_term.empty()) {
    // A fixed weight where the word is (its wdf is 0: BM25 would give none):
    // its idf among the plain words, or among the questions for a word only
    // they have. A practice whose questions have the word and whose plain
    // words do not gets kQuestionsWeight of it.
    const double n = frequency(words_term.empty() ? question_term : words_term);
    const double N = db_.get_doccount();
    const double idf = std::max(std::log((N - n + 0.5) / (n + 0.5)), kMinPlainWordsIdf);
    auto fixed = [](const Xapian::Query& where, double weight) {
      Xapian::Query bonus((new Xapian::FixedWeightPostingSource(weight))->release());
      return Xapian::Query(Xapian::Query::OP_AND, Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, where, 0.0), bonus);
    };
    if (!words_term.empty()) clause.plain = fixed(Xapian::Query(words_term), idf);
    if (!question_term.empty()) {
      const Xapian::Query only =
          words_term.empty()
              ? Xapian::Query(question_term)
              : Xapian::Query(Xapian::Query::OP_AND_NOT, Xapian::Query(question_term), Xapian::Query(words_term));
      const Xapian::Query asked = fixed(only, idf * kQuestionsWeight);
      clause.plain = clause.plain ? Xapian::Query(Xapian::Query::OP_OR, *clause.plain, asked) : asked;
    }
  }
  return clause;
}

std::string QueryUnderstanding::family_term(const Analyzer::WordTerms& terms) const {
  // Italian derivational suffixes as a Snowball stem ends with them (the
  // stemmer removes them only from long words): -aggio, -ato/-ata, -ale,
  // -ario, -oso, -ico, -ista, -ismo, -mento, -zione, -tore/-trice, -iere,
  // -ezza, -ivo, -abile/-ibile, -evole, -ante/-ente, -anza/-enza. Longest
  // first, so "pensionati" -> "pension", not "pensiona".
  static const char* const kSuffixes[] = {"ment", "zion", "abil", "ibil", "evol", "tric", "agg", "ist", "ism",
                                          "tor", "ier", "ezz", "ant", "ent", "anz", "enz", "at", "al",
                                          "ar", "os", "ic", "iv"};
  if (terms.stemmed.size() < 2 || terms.stemmed[0] != 'Z') return {};
  const std::string stem = terms.stemmed.substr(1);
  // The stemmer took no more than a gender and number ending ("-i",
  // "-io"): a longer one is a verb's ("organicare", "sostentando"), whose
  // stem ends like a suffix by chance.
  if (terms.plain.size() > stem.size() + 2 || terms.plain.compare(0, stem.size(), stem) != 0) return {};
  for (const char* suffix : kSuffixes) {
    const std::string sfx = suffix;
    if (stem.size() < sfx.size() + kMinFamilyRoot || stem.compare(stem.size() - sfx.size(), sfx.size(), sfx) != 0) continue;
    const std::string base = "Z" + stem.substr(0, stem.size() - sfx.size());
    if (frequency(base) > 0) return base;
  }
  return {};
}

std::vector<std::string> QueryUnderstanding::cognates(const std::string& plain) {
  if (memo_) return memo_->cognates(plain, [&] { return scan_cognates(plain); });
  return scan_cognates(plain);
}

std::vector<std::string> QueryUnderstanding::scan_cognates(const std::string& plain) {
  // term -> the word to show, and whether the library spells it so.
  std::vector<std::tuple<std::string, std::string, bool>> found;
  for (const std::string& written : italian_cognates(plain)) {
    const std::string candidate = text::fold_lower(written);
    if (is_function_word(candidate)) continue;
    const Analyzer::WordTerms t = analyzer_.terms_for(candidate);
    const std::string& term = t.stemmed.empty() ? t.plain : t.stemmed;
    if (term.empty()) continue;
    auto same = std::find_if(found.begin(), found.end(), [&](const auto& f) { return std::get<0>(f) == term; });
    if (same != found.end() && std::get<2>(*same)) continue;
    const bool spelled = frequency(t.plain) > 0;
    if (same != found.end()) {
      if (spelled) *same = {term, written_form(db_, t.plain), true};
      continue;
    }
    if (spelled) {
      found.emplace_back(term, written_form(db_, t.plain), true);
    } else if (t.stemmed.size() > kMinFamilyRoot && frequency(term) > 0) {
      // The library's commonest form of the family when it has one with
      // an Italian ending, else the cognate as Italian writes it
      // ("integrazione" for "integr", found in "integrare").
      std::string word = family_word(db_, analyzer_, term);
      if (word == term.substr(1)) word = written;
      found.emplace_back(term, std::move(word), false);
    }
  }
  std::stable_partition(found.begin(), found.end(), [](const auto& f) { return std::get<2>(f); });
  std::vector<std::string> out;
  for (const auto& [term, word, spelled] : found) {
    if (out.size() == 2 * kMaxCognates) break;
    out.push_back(word);
    out.push_back(term);
  }
  return out;
}

bool QueryUnderstanding::same_family_spelling(const std::string& plain, const std::string& spelling) const {
  // A lower-case Italian word as the library writes it (accents and all):
  // not a proper noun (Hunspell knows "Pesaro", "Salento" capitalised
  // only), nor a name the dictionary lacks.
  if (!thesaurus_->is_word(written_form(db_, spelling))) return false;
  // Of the same family: the typed word begins with the other's stem
  // ("ragazzini" and "ragazzi": "ragazz"; not "patentino" and "salentino").
  const std::string stem = analyzer_.stemmer()(spelling);
  return stem.size() >= 3 && plain.compare(0, stem.size(), stem) == 0;
}

Clause QueryUnderstanding::phrase_clause(const std::vector<std::string>& words, ParsedQuery* out) {
  Clause clause;
  clause.display = "\"" + written_join(words) + "\"";
  Xapian::doccount least = db_.get_doccount();
  for (const auto& w : words) {
    out->highlight.terms.insert(w);
    least = std::min(least, frequency(w));
  }
  clause.frequency = least;
  clause.matches_nothing = least == 0;
  if (words.size() == 1) {
    clause.query = Xapian::Query(words.front());
  } else {
    clause.query = Xapian::Query(Xapian::Query::OP_PHRASE, words.begin(), words.end(),
                                 static_cast<Xapian::termcount>(words.size()));
  }
  return clause;
}

std::optional<Xapian::Query> QueryUnderstanding::own_words_query(
    const std::vector<std::pair<std::string, Clause>>& words, std::set<std::vector<std::string>>* taken,
    const std::string& display, ParsedQuery* out) {
  if (thesaurus_ == nullptr || !thesaurus_->has_dictionary()) return std::nullopt;
  // Italian: Hunspell's word, or a thesaurus entry's folded form
  // ("comunita" typed without its accent), as the synonym table's one-way rule.
  auto italian_word = [&](const std::string& w) { return thesaurus_->is_word(w) || !thesaurus_->lemmas(w).empty(); };
  bool english = false;
  for (const auto& [w, c] : words) english = english || !italian_word(w);
  if (!english) return std::nullopt;
  std::vector<Xapian::Query> per_word;
  std::vector<std::string> shown;
  for (const auto& [w, c] : words) {
    if (is_filler_word(w)) continue;
    std::vector<Xapian::Query> parts;
    const bool italian = italian_word(w);
    // Its literal terms when Italian, its cognates when English ("garden"
    // has none, "regeneration" has "rigenerazione"); not a correction.
    if (!c.matches_nothing && c.typed && (italian || c.cognate)) parts.push_back(*c.typed);
    // The word's own synonym groups, as if typed alone (not a theme's: the
    // phrase brought its theme already).
    std::vector<std::vector<std::string>> keys = {synonyms_.keys_of(w, false, analyzer_)};
    std::vector<const SynonymGroup*> groups;
    std::vector<Xapian::Query> expansions;
    if (synonyms_.match(keys, 0, &groups) == 1) {
      synonyms_.drop_blocked(w, analyzer_, &groups);
      for (const SynonymGroup* g : groups) {
        if (!g->theme_terms.empty()) continue;
        for (std::size_t p = 0; p < g->phrases.size(); ++p) {
          const auto& terms = g->phrase_terms[p];
          if (!taken->insert(terms).second) continue;
          const std::string& phrase = g->phrases[p];
          const bool stem_term = phrase.size() > 1 && phrase[0] == 'Z' && phrase.find(' ') == std::string::npos &&
                                 std::islower(static_cast<unsigned char>(phrase[1]));
          bool found = true;
          for (const auto& t : terms) found = found && frequency(t) > 0;
          if (!found) continue;
          out->highlight.add(terms);
          expansions.emplace_back(Xapian::Query::OP_AND, terms.begin(), terms.end());
          if (!stem_term && text::fold_lower(phrase) != w) shown.push_back(phrase);
        }
      }
    }
    if (!expansions.empty())
      parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT,
                         Xapian::Query(Xapian::Query::OP_SYNONYM, expansions.begin(), expansions.end()),
                         kExpansionWeight);
    if (parts.empty()) continue;
    per_word.push_back(parts.size() == 1 ? parts.front() : Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end()));
  }
  if (per_word.empty()) return std::nullopt;
  for (const std::string& phrase : shown) {
    if (std::find(out->synonyms.begin(), out->synonyms.end(), phrase) == out->synonyms.end())
      out->synonyms.push_back(phrase);
    auto& mine = out->expanded[display];
    if (std::find(mine.begin(), mine.end(), phrase) == mine.end()) mine.push_back(phrase);
  }
  return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                       Xapian::Query(Xapian::Query::OP_OR, per_word.begin(), per_word.end()), kOwnWordsWeight);
}

Clause QueryUnderstanding::concept_clause(const std::vector<Item>& items, std::size_t from,
                                          std::size_t count,
                                          const std::vector<const SynonymGroup*>& groups,
                                          ParsedQuery* out) {
  Clause clause;
  std::vector<std::string> typed;
  std::vector<Xapian::Query> typed_parts, italian_parts;
  std::size_t content_words = 0;
  bool typed_missing = false;
  // The content words' own clauses, for own_words_query().
  std::vector<std::pair<std::string, Clause>> own;
  // The words corrected here that do not count as Italian (below).
  std::vector<std::string> foreign_corrections;
  for (std::size_t i = from; i < from + count; ++i) {
    const std::string& w = items[i].words.front();
    typed.push_back(w);
    if (is_stopword(w)) continue;
    ++content_words;
    const bool corrected_before = out->corrected.count(w) != 0;
    Clause c = word_clause(w, items[i].partial, out);
    own.emplace_back(w, c);
    const bool italian = thesaurus_ != nullptr && (thesaurus_->is_word(w) || c.cognate);
    if (!corrected_before && !italian && out->corrected.count(w) != 0) foreign_corrections.push_back(w);
    if (!c.matches_nothing) {
      typed_parts.push_back(c.query);
      if (italian) italian_parts.push_back(c.query);
    } else {
      typed_missing = true;
    }
    clause.frequency = std::max(clause.frequency, c.frequency);
  }
  // The typed words count as typed only all together: with one of them
  // found nowhere, the others alone are not the concept ("renewable energy
  // community" is not "energy" and "comun" anywhere, nor "solidarity
  // purchasing group" the Italian "solidarietà" alone): the synonyms say
  // it. Only the Italian words among them (Hunspell's) still count as
  // typed ("mafia" in "confiscated mafia property"). Measured with 1,000
  // distractors (docs/search-quality.md, "Distractors"): English 0.41 ->
  // 0.47 success@3, no kind lower. So do English words found through
  // their Italian cognates ("confiscated": "confiscato"; "English words as
  // Italian cognates": English 0.59 -> 0.65 with distractors, no kind
  // lower).
  // Nor is such a word's correction used, so the answer does not claim it
  // ("solidarity" is not searched as "solidarietà" in "solidarity
  // purchasing group", nor offered as "did you mean").
  if (typed_missing) {
    typed_parts = italian_parts;
    for (const std::string& w : foreign_corrections) out->corrected.erase(w);
  }
  clause.display = written_join(typed);
  std::vector<Xapian::Query> alternatives;
  if (!typed_parts.empty())
    alternatives.emplace_back(Xapian::Query::OP_AND, typed_parts.begin(), typed_parts.end());
  // The synonyms are one lower-weighted alternative (OP_SYNONYM: a practice
  // that uses several of them is not counted several times), so a practice
  // with the typed words outranks one that only has their synonyms.
  std::set<std::vector<std::string>> seen;
  {
    std::vector<std::string> typed_terms;
    for (const auto& w : typed) {
      const Analyzer::WordTerms t = analyzer_.terms_for(w);
      if (!t.stemmed.empty()) typed_terms.push_back(t.stemmed);
    }
    seen.insert(typed_terms);
  }
  std::vector<Xapian::Query> expansions, exact_expansions, strict_expansions, theme_alternatives;
  std::set<std::string> themes;
  std::vector<const SynonymGroup*> ordered(groups.begin(), groups.end());
  std::stable_partition(ordered.begin(), ordered.end(), [](const SynonymGroup* g) { return g->exact; });
  for (const SynonymGroup* g : ordered) {
    for (std::size_t p = 0; p < g->phrases.size(); ++p) {
      const auto& terms = g->phrase_terms[p];
      if (!seen.insert(terms).second) continue;
      out->highlight.add(terms);
      if (g->exact) {
        // An acronym's expansion is a name: its words in that order.
        std::vector<std::string> words;
        for (const std::string& w : split_words(text::fold(g->phrases[p]))) words.push_back(text::fold_lower(w));
        if (words.size() > 1) {
          exact_expansions.emplace_back(Xapian::Query::OP_PHRASE, words.begin(), words.end(),
                                        static_cast<Xapian::termcount>(words.size()));
          // Its words in any order count as a looser synonym.
          expansions.emplace_back(Xapian::Query::OP_AND, terms.begin(), terms.end());
        } else
          exact_expansions.emplace_back(Xapian::Query::OP_AND, terms.begin(), terms.end());
      } else {
        // Ranked by its words anywhere (as phrases only, or both, lost with
        // the distractors); a match of every clause needs the phrase. The
        // index's own entries may be stemmed terms ("Zgas"): no phrase.
        std::vector<std::string> words;
        bool stemmed_entry = false;
        for (const std::string& w : split_words(text::fold(g->phrases[p]))) {
          stemmed_entry = stemmed_entry || (w.size() > 1 && w[0] == 'Z' && std::islower(static_cast<unsigned char>(w[1])));
          const std::string f = text::fold_lower(w);
          if (!f.empty()) words.push_back(f);
        }
        Xapian::Query loose(Xapian::Query::OP_AND, terms.begin(), terms.end());
        expansions.push_back(loose);
        if (!g->names_theme && !g->theme_label.empty() && g->phrases[p] == g->theme_label) {
          // The theme's label in the case files' text is the theme: below.
        } else if (words.size() > 1 && !stemmed_entry)
          strict_expansions.emplace_back(Xapian::Query::OP_PHRASE, words.begin(), words.end(),
                                         static_cast<Xapian::termcount>(words.size()));
        else
          strict_expansions.push_back(loose);
      }
      const std::string folded = text::fold_lower(g->phrases[p]);
      // Stemmed keys from the index's table ("Zambient") match but are not words to show.
      const bool stem_term = g->phrases[p].size() > 1 && g->phrases[p][0] == 'Z' &&
                             g->phrases[p].find(' ') == std::string::npos &&
                             std::islower(static_cast<unsigned char>(g->phrases[p][1]));
      // `expanded` says what was searched; `synonyms`, which the page names
      // («Risultati anche per»), only what the library has: every one of
      // its words, or, for a theme's label, the theme. An alternative no
      // practice uses found nothing ("riparazione" is not said to be
      // searched as "fixing").
      if (!stem_term && folded != text::fold_lower(clause.display)) {
        bool in_library = true;
        if (!g->theme_label.empty() && g->phrases[p] == g->theme_label) {
          in_library = std::any_of(g->theme_terms.begin(), g->theme_terms.end(),
                                   [this](const std::string& t) { return frequency(t) > 0; });
        } else {
          for (const auto& t : terms) in_library = in_library && frequency(t) > 0;
        }
        if (in_library && std::find(out->synonyms.begin(), out->synonyms.end(), g->phrases[p]) == out->synonyms.end())
          out->synonyms.push_back(g->phrases[p]);
        auto& mine = out->expanded[clause.display];
        if (std::find(mine.begin(), mine.end(), g->phrases[p]) == mine.end()) mine.push_back(g->phrases[p]);
      }
    }
    std::string filed_key;  // the group's filter terms, one key for the set
    for (const std::string& t : g->theme_terms) filed_key += t + ' ';
    if (!g->theme_terms.empty() && themes.insert(filed_key).second) {
      // The practices the editors filed under the theme match too, with a
      // small fixed weight (a filter term has none of its own): enough to
      // rank them above practices that merely share a common word, well
      // below one that uses the typed words. Typed as one of the theme's
      // names, the theme is the concept; typed as one of its synonyms or
      // everyday words, the theme is one way to it (SynonymGroup::
      // names_theme): such a practice matches the clause, but not for the
      // full tier of combine_any() (Clause::theme). A name of several
      // dimensions gives the weight once, whichever of them a practice has.
      Xapian::Query bonus((new Xapian::FixedWeightPostingSource(kThemeWeight))->release());
      Xapian::Query filed(Xapian::Query::OP_OR, g->theme_terms.begin(), g->theme_terms.end());
      (g->names_theme ? alternatives : theme_alternatives)
          .emplace_back(Xapian::Query::OP_AND, Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, filed, 0.0), bonus);
      Xapian::doccount filed_count = 0;
      for (const std::string& t : g->theme_terms) filed_count += frequency(t);
      clause.frequency = std::max(clause.frequency, std::min(filed_count, db_.get_doccount()));
    }
  }
  if (!exact_expansions.empty())
    alternatives.emplace_back(
        Xapian::Query::OP_SCALE_WEIGHT,
        Xapian::Query(Xapian::Query::OP_SYNONYM, exact_expansions.begin(), exact_expansions.end()),
        kAcronymWeight);
  std::vector<Xapian::Query> strict = alternatives;
  alternatives.insert(alternatives.end(), theme_alternatives.begin(), theme_alternatives.end());
  if (!expansions.empty())
    alternatives.emplace_back(
        Xapian::Query::OP_SCALE_WEIGHT,
        Xapian::Query(Xapian::Query::OP_SYNONYM, expansions.begin(), expansions.end()),
        kExpansionWeight);
  if (!strict_expansions.empty())
    strict.emplace_back(Xapian::Query::OP_SYNONYM, strict_expansions.begin(), strict_expansions.end());
  clause.query = Xapian::Query(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end());
  // A theme's name whose typed words are not all the library's gives every
  // practice of the theme the same weight: what its own words mean tells
  // those that talk about it ("elderly people": "anziani"; "beach
  // cleanup": "spiaggia"), without matching more. (With every typed word
  // found, misspellings corrected included, the typed words rank them
  // already: "welfare di comunita", "prestio solidale" are left alone.)
  bool any_cognate = false;
  for (const auto& [w, c] : own) any_cognate = any_cognate || c.cognate;
  bool ranked_by_words = false;
  if (!themes.empty() && (typed_missing || any_cognate)) {
    if (std::optional<Xapian::Query> words = own_words_query(own, &seen, clause.display, out)) {
      clause.query = Xapian::Query(Xapian::Query::OP_AND_MAYBE, clause.query, *words);
      ranked_by_words = true;
    }
  }
  // Reached through one of a theme's loose phrases ("vestiti usati" for the
  // circular economy), every practice of the theme matches the clause
  // alike: those that use the phrase's first content word, its head in
  // Italian ("vestiti"), rank first among them (the repair cafés), without
  // matching more.
  if (!ranked_by_words && !theme_alternatives.empty() && content_words >= 2) {
    const Clause& head = own.front().second;
    if (!head.matches_nothing && head.typed && !is_filler_word(own.front().first))
      clause.query = Xapian::Query(Xapian::Query::OP_AND_MAYBE, clause.query,
                                   Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, *head.typed, kHeadWordWeight));
  }
  if (!strict.empty()) clause.strict = Xapian::Query(Xapian::Query::OP_OR, strict.begin(), strict.end());
  if (!theme_alternatives.empty())
    clause.theme = Xapian::Query(Xapian::Query::OP_OR, theme_alternatives.begin(), theme_alternatives.end());
  // Every typed content word matches something: the concept as typed.
  if (!typed_parts.empty() && typed_parts.size() == content_words)
    clause.typed = Xapian::Query(Xapian::Query::OP_AND, typed_parts.begin(), typed_parts.end());
  return clause;
}

std::optional<Xapian::Query> QueryUnderstanding::expression_meanings(
    const std::vector<const SynonymGroup*>& groups, const std::string& display, ParsedQuery* out) {
  std::vector<Xapian::Query> found;
  std::set<std::vector<std::string>> seen;
  // A word one practice uses is never too common (a small library).
  const double most_practices = std::max(1.0, kMaxExpressionShare * db_.get_doccount());
  for (const SynonymGroup* g : groups) {
    if (!g->expression) continue;
    for (std::size_t p = 1; p < g->phrases.size(); ++p) {
      const auto& terms = g->phrase_terms[p];
      if (!seen.insert(terms).second) continue;
      bool usable = true;
      for (const auto& t : terms) {
        const Xapian::doccount f = frequency(t);
        usable = usable && f > 0 && static_cast<double>(f) <= most_practices;
      }
      if (!usable) continue;
      out->highlight.add(terms);
      found.emplace_back(Xapian::Query::OP_AND, terms.begin(), terms.end());
      if (std::find(out->synonyms.begin(), out->synonyms.end(), g->phrases[p]) == out->synonyms.end())
        out->synonyms.push_back(g->phrases[p]);
      auto& mine = out->expanded[display];
      if (std::find(mine.begin(), mine.end(), g->phrases[p]) == mine.end()) mine.push_back(g->phrases[p]);
    }
  }
  if (found.empty()) return std::nullopt;
  return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                       Xapian::Query(Xapian::Query::OP_SYNONYM, found.begin(), found.end()),
                       kExpressionWeight);
}

Xapian::Query QueryUnderstanding::excluded_query(const Item& item) {
  if (item.phrase && item.words.size() > 1)
    return Xapian::Query(Xapian::Query::OP_PHRASE, item.words.begin(), item.words.end(),
                         static_cast<Xapian::termcount>(item.words.size()));
  std::vector<Xapian::Query> parts;
  for (const auto& w : item.words) {
    parts.emplace_back(w);
    if (!item.phrase) {
      const std::string stem = analyzer_.terms_for(w).stemmed;
      if (!stem.empty()) parts.emplace_back(stem);
    }
  }
  return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
}

std::string join_dotted_acronyms(std::string_view q) {
  auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  auto alnum = [&](char c) { return letter(c) || (c >= '0' && c <= '9') || static_cast<unsigned char>(c) >= 0x80; };
  std::string out;
  std::size_t i = 0;
  while (i < q.size()) {
    // At a word's start: single letters each followed by a dot, at least
    // two of them ("C.E.R.", "a.p.s", "S.p.A."), are one word.
    if (letter(q[i]) && (i == 0 || !alnum(q[i - 1]))) {
      std::string letters;
      std::size_t j = i;
      while (j + 1 < q.size() && letter(q[j]) && q[j + 1] == '.') {
        letters += q[j];
        j += 2;
      }
      // A last letter without its dot ("a.p.s").
      if (letters.size() >= 1 && j < q.size() && letter(q[j]) && (j + 1 >= q.size() || !alnum(q[j + 1]))) {
        letters += q[j];
        ++j;
      }
      if (letters.size() >= 2) {
        out += letters;
        i = j;
        continue;
      }
    }
    out += q[i++];
  }
  return out;
}

ParsedQuery QueryUnderstanding::parse(std::string_view as_typed) {
  // "C.E.R." is the acronym CER, not the letters c, e (a stopword) and r.
  const std::string joined = join_dotted_acronyms(as_typed);
  const std::string_view q = joined;
  ParsedQuery out = parse_folded(q);
  // What the answer names (required, dropped, missing, expanded) is read
  // as the person wrote it: «attività», not the folded «attivita», which
  // would look like a typo of theirs. Capitals aside.
  std::map<std::string, std::string> typed;
  const std::string s(q);
  for (const Token& t : tokenize(s)) {
    const std::string_view word = std::string_view(s).substr(t.begin, t.end - t.begin);
    const std::string folded = text::fold_lower(word), written = text::lower(word);
    if (folded != written) typed.emplace(folded, written);
  }
  if (typed.empty()) return out;
  for (Clause& c : out.clauses) c.display = corrected_query(c.display, typed);
  std::map<std::string, std::vector<std::string>> expanded;
  for (auto& [display, synonyms] : out.expanded) expanded[corrected_query(display, typed)] = std::move(synonyms);
  out.expanded = std::move(expanded);
  return out;
}

ParsedQuery QueryUnderstanding::parse_folded(std::string_view q) {
  ParsedQuery out;
  build_clauses(lex(text::fold(q)), &out);
  // A split word is corrected to its parts, each as the case files write it.
  for (const auto& [typed, used] : out.corrected) {
    std::string written;
    for (std::size_t from = 0; from <= used.size();) {
      const std::size_t space = std::min(used.find(' ', from), used.size());
      written += (from == 0 ? "" : " ") + written_form(db_, used.substr(from, space - from));
      from = space + 1;
    }
    out.corrected_written[typed] = written;
  }
  if (out.corrected_written.empty()) return out;
  out.suggestion = corrected_query(q, out.corrected_written);
  // The concepts are named as searched: after «Abbiamo corretto
  // «doposcula» in «doposcuola»» the page says a result lacks «doposcuola»,
  // not the typo.
  std::map<std::string, std::vector<std::string>> expanded;
  for (auto& [display, synonyms] : out.expanded)
    expanded[corrected_query(display, out.corrected_written)] = std::move(synonyms);
  out.expanded = std::move(expanded);
  for (Clause& c : out.clauses) c.display = corrected_query(c.display, out.corrected_written);
  // A correction that completes the name of a concept ("orti socali": the
  // theme "orti sociali") is the query as corrected: its words read as one
  // concept, with that concept's synonyms, rather than as a word and a
  // guess at another. The page then shows what it searched for, not a
  // "did you mean" that answers otherwise.
  ParsedQuery fixed;
  build_clauses(lex(text::fold(*out.suggestion)), &fixed);
  if (fixed.clauses.size() >= out.clauses.size() || !fixed.corrected.empty()) return out;
  fixed.corrected = std::move(out.corrected);
  fixed.corrected_written = std::move(out.corrected_written);
  fixed.suggestion = std::move(out.suggestion);
  return fixed;
}

std::vector<QueryUnderstanding::Item> QueryUnderstanding::lex(std::string_view folded, bool operators) {
  const std::string f(folded);
  bool saw_operator = false;
  const std::size_t n = f.size();
  std::vector<Item> items;
  bool pending_not = false;
  bool pending_required = false;
  bool pending_or = false;
  int next_group = 0;
  std::size_t i = 0;
  while (i < n) {
    if (is_space(f[i])) {
      ++i;
      continue;
    }
    Item item;
    item.negated = pending_not;
    item.required = pending_required;
    pending_not = pending_required = false;
    if ((f[i] == '-' || f[i] == '+') && i + 1 < n && !is_space(f[i + 1]) && f[i + 1] != '-' &&
        f[i + 1] != '+') {
      (f[i] == '-' ? item.negated : item.required) = true;
      ++i;
    }
    std::vector<std::string> words;
    bool at_end = false;
    if (f[i] == '"') {
      const std::size_t close = f.find('"', i + 1);
      const std::size_t stop = close == std::string::npos ? n : close;
      words = split_words(std::string_view(f).substr(i + 1, stop - i - 1));
      item.phrase = true;
      i = close == std::string::npos ? n : close + 1;
    } else {
      std::size_t j = i;
      while (j < n && !is_space(f[j]) && f[j] != '"') ++j;
      const std::string chunk = f.substr(i, j - i);
      at_end = j == n;
      i = j;
      if (operators && !item.negated && !item.required) {
        if (chunk == "OR" || chunk == "|" || chunk == "||") {
          pending_or = !items.empty();
          saw_operator = true;
          continue;
        }
        if (chunk == "AND" || chunk == "&&" || chunk == "NOT") {
          pending_not = pending_not || chunk == "NOT";
          saw_operator = true;
          continue;
        }
      }
      words = split_words(chunk);
    }
    std::vector<bool> capitals;
    for (const auto& w : words)
      capitals.push_back(w.size() >= 2 && std::none_of(w.begin(), w.end(), [](char c) { return c >= 'a' && c <= 'z'; }) &&
                         std::any_of(w.begin(), w.end(), [](char c) { return c >= 'A' && c <= 'Z'; }));
    for (auto& w : words) w = text::fold_lower(w);
    std::erase_if(words, [](const std::string& w) { return w.empty(); });
    if (words.empty()) continue;
    // "-dell'orto", "+l'orto": text::fold made the elision a space; the
    // operator is the next word's, not the article's.
    if (!item.phrase && (item.negated || item.required) && words.size() == 1 &&
        (is_elided(words[0]) || words[0] == "un") && i < n) {
      pending_not = item.negated;
      pending_required = item.required;
      continue;
    }
    auto join_or = [&](Item& it) {
      if (pending_or && !it.negated && !items.empty() && !items.back().negated) {
        if (items.back().or_group < 0) items.back().or_group = next_group++;
        it.or_group = items.back().or_group;
      }
      pending_or = false;
    };
    if (item.phrase) {
      item.words = std::move(words);
      join_or(item);
      items.push_back(std::move(item));
      continue;
    }
    // "co-progettazione" or "l'energia": one item per word, same flags.
    for (std::size_t k = 0; k < words.size(); ++k) {
      Item w = item;
      w.words = {words[k]};
      w.capitals = capitals[k];
      w.partial = at_end && k + 1 == words.size() && !item.negated;
      if (k == 0) join_or(w);
      items.push_back(std::move(w));
    }
  }
  if (items.empty() && saw_operator) return lex(folded, false);
  return items;
}

std::size_t QueryUnderstanding::how_to_verb(const std::vector<Item>& items) const {
  constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  // "cm": "come" as typed on a phone.
  if (items.empty() || items[0].phrase || items[0].negated ||
      (items[0].words.front() != "come" && items[0].words.front() != "cm"))
    return kNone;
  // What may stand between "come" and the verb: "come si fa a", "come
  // posso", "come far".
  static const std::unordered_set<std::string> kBefore = {
      "fa", "far", "fare", "posso", "puoi", "puo", "possiamo", "potete", "possono", "potrei",
      "potremmo", "devo", "dobbiamo", "bisogna", "vorrei", "voglio", "vogliamo"};
  for (std::size_t i = 1; i < items.size(); ++i) {
    const Item& it = items[i];
    if (it.phrase || it.negated || it.required || it.or_group >= 0) return kNone;
    const std::string& w = it.words.front();
    if (kBefore.count(w) != 0 || is_stopword(w)) continue;
    // A filler verb ("creare", "aprire") is left out anyway; a word
    // Hunspell does not know is not taken for a verb, nor one after an
    // article: "come si fa un orto?" asks for an orto.
    if (is_filler_word(w) || thesaurus_ == nullptr || !thesaurus_->is_word(w)) return kNone;
    if (is_determiner(items[i - 1].words.front())) return kNone;
    return i;
  }
  return kNone;
}

bool QueryUnderstanding::place_name(const std::string& plain) const {
  return synonyms_.is_place_word(plain) || located_.count(plain) != 0;
}

std::size_t QueryUnderstanding::place_locator(const std::vector<Item>& items, std::size_t i) const {
  static const std::unordered_set<std::string> kLocators = {"vicino", "vicina", "pressi",    "dintorni", "paraggi",
                                                            "zona",   "parti",  "provincia", "area",     "intorno"};
  const Item& it = items[i];
  if (it.phrase || it.negated || it.required || it.or_group >= 0 || kLocators.count(it.words.front()) == 0) return 0;
  if (thesaurus_ == nullptr || !thesaurus_->has_dictionary()) return 0;
  bool article = false;
  for (std::size_t j = i + 1; j < items.size(); ++j) {
    const Item& next = items[j];
    if (next.phrase || next.negated || next.or_group >= 0) return 0;
    const std::string& w = next.words.front();
    if (is_stopword(w)) {
      article = article || is_determiner(w);
      continue;
    }
    if (frequency(w) == 0) return 0;
    if (!thesaurus_->is_word(w)) return j;
    return !article && synonyms_.is_place_word(w) ? j : 0;
  }
  return 0;
}

void QueryUnderstanding::build_clauses(const std::vector<Item>& all_items, ParsedQuery* out) {
  // Stopwords count only when the query has nothing else (a required
  // stopword is content too).
  auto content = [&](const Item& it) {
    return !it.negated && (it.phrase || (!is_stopword(it.words.front()) && !is_filler_word(it.words.front())));
  };
  // The query is read up to its kMaxQueryWords-th distinct content word;
  // the answer names the content words after it that it did not read.
  // query_words_ counts a phrase's every word, and a word typed twice
  // once, as its clause (below).
  std::unordered_set<std::string> words;
  std::size_t read = all_items.size();
  for (std::size_t i = 0; i < all_items.size(); ++i) {
    const Item& it = all_items[i];
    if (!content(it)) continue;
    std::size_t grown = words.size();
    for (const auto& w : it.words) grown += words.count(w) == 0 ? 1 : 0;
    if (grown > kMaxQueryWords && !words.empty()) {
      read = i;
      break;
    }
    words.insert(it.words.begin(), it.words.end());
  }
  for (std::size_t i = read; i < all_items.size(); ++i) {
    const std::string w = written_join(all_items[i].words);
    if (content(all_items[i]) && words.count(w) == 0 &&
        std::find(out->unread.begin(), out->unread.end(), w) == out->unread.end())
      out->unread.push_back(w);
  }
  std::vector<Item> kept;
  if (read < all_items.size()) kept.assign(all_items.begin(), all_items.begin() + static_cast<std::ptrdiff_t>(read));
  const std::vector<Item>& items = read < all_items.size() ? kept : all_items;
  bool has_content = false;
  for (const auto& it : items) has_content = has_content || content(it) || (!it.negated && it.required);
  query_words_.assign(words.begin(), words.end());
  query_sequence_.clear();
  for (const Item& it : items)
    if (!it.negated) query_sequence_.insert(query_sequence_.end(), it.words.begin(), it.words.end());
  how_to_verb_ = how_to_verb(items);
  located_.clear();
  std::vector<Xapian::Query> excluded;
  std::size_t k = 0;
  while (k < items.size()) {
    const Item& it = items[k];
    if (it.negated) {
      // "-d", "-il", "-e": a stray minus before a letter, an article or a
      // simple preposition excludes nothing (it left out every practice
      // that writes "d'acqua"). Other stopwords ("-contro", "-sara", a
      // name) and numbers still exclude.
      const std::string& w = it.words.front();
      const bool letter = w.size() == 1 && w[0] >= 'a' && w[0] <= 'z';  // "-e", "-o" too
      if (!it.phrase && it.words.size() == 1 &&
          (letter || is_elided(w) || is_determiner(w) || is_preposition(w) || w == "ed" || w == "od"))
        out->ignored.push_back(w);
      else
        excluded.push_back(excluded_query(it));
      ++k;
    } else if (it.or_group >= 0) {
      k = or_group_clause(items, k, out);
    } else if (it.phrase) {
      Clause c = phrase_clause(it.words, out);
      c.droppable = !it.required;
      out->clauses.push_back(std::move(c));
      ++k;
    } else {
      k = word_run_clauses(items, k, has_content, out);
    }
  }
  if (!excluded.empty())
    out->excluded = Xapian::Query(Xapian::Query::OP_OR, excluded.begin(), excluded.end());
  // A word or concept typed twice is one clause: it asks for nothing more
  // the second time, and each clause reads its postings again, so a query
  // that repeats its words up to kMaxQueryBytes cost a hundred clauses.
  std::unordered_map<std::string, std::size_t> first_at;  // display -> index in `distinct`
  std::vector<Clause> distinct;
  distinct.reserve(out->clauses.size());
  for (Clause& c : out->clauses) {
    auto [it, first] = first_at.emplace(c.display, distinct.size());
    if (first)
      distinct.push_back(std::move(c));
    else
      distinct[it->second].droppable = distinct[it->second].droppable && c.droppable;
  }
  out->clauses = std::move(distinct);
  // And a filler word typed twice is named once among the ignored.
  std::unordered_set<std::string> named;
  out->ignored.erase(std::remove_if(out->ignored.begin(), out->ignored.end(),
                                    [&](const std::string& w) { return !named.insert(w).second; }),
                     out->ignored.end());
}

std::size_t QueryUnderstanding::or_group_clause(const std::vector<Item>& items, std::size_t k,
                                                ParsedQuery* out) {
  Clause group;
  std::vector<Xapian::Query> parts;
  const int id = items[k].or_group;
  while (k < items.size() && items[k].or_group == id) {
    const Item& m = items[k];
    Clause c = m.phrase ? phrase_clause(m.words, out) : word_clause(m.words.front(), m.partial, out);
    if (!c.matches_nothing) parts.push_back(c.query);
    group.display += (group.display.empty() ? "" : " OR ") + c.display;
    group.frequency += c.frequency;
    ++k;
  }
  group.matches_nothing = parts.empty();
  group.query = parts.empty() ? Xapian::Query(group.display)
                              : Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
  out->clauses.push_back(std::move(group));
  return k;
}

std::size_t QueryUnderstanding::taxonomy_join_clause(const std::vector<Item>& items, std::size_t m, std::size_t end,
                                                     const std::vector<std::vector<std::string>>& keys, std::size_t k,
                                                     ParsedQuery* out) {
  if (m + 1 >= end || thesaurus_ == nullptr || !thesaurus_->has_dictionary()) return 0;
  const std::string& a = items[m].words.front();
  const std::string& b = items[m + 1].words.front();
  const std::string joined = a + b;
  if (!synonyms_.has_phrase_word(joined) || !thesaurus_->is_word(joined)) return 0;
  if (frequency(analyzer_.terms_for(joined).plain) > 0) return 0;  // the library's: joined_term()
  std::vector<const SynonymGroup*> pair;
  if (synonyms_.match(keys, m - k, &pair) >= 2) return 0;  // a phrase of its own
  std::optional<Clause> c = word_concept_clause(items[m], joined, out);
  if (!c) return 0;
  c->droppable = !items[m].required && !items[m + 1].required;
  out->expanded[a + " " + b].push_back(joined);
  out->clauses.push_back(std::move(*c));
  return 2;
}

std::optional<Clause> QueryUnderstanding::word_concept_clause(const Item& typed, const std::string& word,
                                                              ParsedQuery* out) {
  const std::vector<std::vector<std::string>> keys = {synonyms_.keys_of(word, false, analyzer_)};
  std::vector<const SynonymGroup*> groups;
  if (synonyms_.match(keys, 0, &groups) != 1) return std::nullopt;
  synonyms_.drop_blocked(word, analyzer_, &groups);
  if (groups.empty()) return std::nullopt;
  Item fixed = typed;
  fixed.words = {word};
  return concept_clause({fixed}, 0, 1, groups, out);
}

std::size_t QueryUnderstanding::word_run_clauses(const std::vector<Item>& items, std::size_t k,
                                                 bool has_content, ParsedQuery* out) {
  // A run of plain words: look for synonyms (longest first) on stems.
  std::size_t end = k;
  while (end < items.size() && !items[end].negated && !items[end].phrase && items[end].or_group < 0)
    ++end;
  std::vector<std::vector<std::string>> keys;
  for (std::size_t m = k; m < end; ++m)
    keys.push_back(synonyms_.keys_of(items[m].words.front(), items[m].capitals, analyzer_));
  // The everyday expressions of the lexicon, matched apart from the other
  // groups ("fare la spesa insieme" is still "spesa insieme" too): the
  // plain words that say one are OR-ed into each clause made of its words,
  // whatever those clauses are (words, concepts), which keep their own
  // ways (plain words, thesaurus, derived words). Measured on the
  // relevance collection (docs/search-quality.md, "Everyday expressions"):
  // the expression as a concept clause of its own, with its words
  // together or replaced by the expression, lowered kinds; so did the
  // words' clauses with meanings more common than kMaxExpressionShare.
  std::vector<std::optional<Xapian::Query>> meaning_at(end - k);
  for (std::size_t e = k; e < end;) {
    std::vector<const SynonymGroup*> groups;
    const std::size_t len = synonyms_.match(keys, e - k, &groups, true);
    if (len == 0) {
      ++e;
      continue;
    }
    std::vector<std::string> typed;
    for (std::size_t x = e; x < e + len; ++x) typed.push_back(items[x].words.front());
    const std::optional<Xapian::Query> meanings = expression_meanings(groups, written_join(typed), out);
    for (std::size_t x = e; x < e + len; ++x) meaning_at[x - k] = meanings;
    e += len;
  }
  // The clauses from `first_clause` on, made of items[from, from + count).
  auto attach = [&](std::size_t from, std::size_t count, std::size_t first_clause) {
    std::optional<Xapian::Query> meanings;
    for (std::size_t x = from; x < from + count && !meanings; ++x) meanings = meaning_at[x - k];
    if (!meanings) return;
    for (std::size_t i = first_clause; i < out->clauses.size(); ++i) {
      Clause& c = out->clauses[i];
      c.query = c.matches_nothing ? *meanings : Xapian::Query(Xapian::Query::OP_OR, c.query, *meanings);
      if (c.strict) c.strict = Xapian::Query(Xapian::Query::OP_OR, *c.strict, *meanings);
      c.matches_nothing = false;
    }
  };
  // A question's or request's filler word, left out of a query that says more.
  auto left_out_filler = [&](std::size_t x) {
    return has_content && !items[x].required && is_filler_word(items[x].words.front());
  };
  std::size_t m = k;
  while (m < end) {
    // "vicino", "zona" before a place's name: where, not what.
    if (const std::size_t place = has_content ? place_locator(items, m) : 0; place > 0) {
      located_.insert(items[place].words.front());
      out->ignored.push_back(items[m].words.front());
      ++m;
      continue;
    }
    if (const std::size_t taken = place_name_clause(items, m, end, out); taken > 0) {
      attach(m, taken, out->clauses.size() - 1);
      after_determiner_ = false;
      m += taken;
      continue;
    }
    if (const std::size_t taken = school_level_clause(items, m, end, out); taken > 0) {
      for (std::size_t x = m; x < m + taken; ++x) out->clauses.back().droppable &= !items[x].required;
      m += taken;
      continue;
    }
    if (const std::size_t taken = goal_clause(items, m, end, out); taken > 0) {
      for (std::size_t x = m; x < m + taken; ++x) out->clauses.back().droppable &= !items[x].required;
      m += taken;
      continue;
    }
    // Two words typed apart that make an Italian word only the taxonomy has
    // ("senza tetto": "senzatetto"), and no phrase of their own: that
    // word's concept. (A word the library writes meets each word's clause
    // below instead: "bici bus".)
    if (const std::size_t taken = taxonomy_join_clause(items, m, end, keys, k, out); taken > 0) {
      attach(m, taken, out->clauses.size() - 1);
      m += taken;
      continue;
    }
    std::vector<const SynonymGroup*> groups;
    std::size_t len = synonyms_.match(keys, m - k, &groups);
    if (len == 1) {
      const std::string& word = items[m].words.front();
      synonyms_.drop_blocked(word, analyzer_, &groups);
      // A place's name meets only the groups that write it so: "bari" is
      // not the "bar" of [bar, caffetteria…], whose stem it shares.
      if (place_name(word))
        std::erase_if(groups, [&](const SynonymGroup* g) {
          return std::none_of(g->phrases.begin(), g->phrases.end(),
                              [&](const std::string& p) { return text::fold_lower(p) == word; });
        });
      if (groups.empty()) len = 0;
    }
    // A synonym made of stopwords only ("di") is not one; nor a filler word
    // alone ("can" of "how can I…", which meets "cans" of [scatolame, cans]
    // on the stem).
    bool all_stop = true;
    for (std::size_t x = m; x < m + len; ++x)
      all_stop = all_stop && (is_stopword(items[x].words.front()) || (len == 1 && left_out_filler(x)));
    if (len > 0 && !all_stop) {
      Clause c = concept_clause(items, m, len, groups, out);
      for (std::size_t x = m; x < m + len; ++x) c.droppable = c.droppable && !items[x].required;
      out->clauses.push_back(std::move(c));
      attach(m, len, out->clauses.size() - 1);
      m += len;
      continue;
    }
    const Item& w = items[m];
    const std::string& plain = w.words.front();
    ++m;
    if (has_content && !w.required && is_stopword(plain)) continue;
    if (left_out_filler(m - 1) || (has_content && !w.required && m - 1 == how_to_verb_)) {
      out->ignored.push_back(plain);
      continue;
    }
    after_determiner_ = m >= 2 && m - 2 >= k && is_determiner(items[m - 2].words.front());
    Clause c = word_clause(plain, w.partial, out);
    // The word the clause reads: the typed one, or its thesaurus spelling.
    std::string read_as = plain;
    // A misspelling of a word only the taxonomy has ("senzateto"), which
    // nothing above reads: the concept of its spelling, stated as a
    // correction.
    if (c.matches_nothing && !w.phrase && !(w.partial && db_.allterms_begin(plain) != db_.allterms_end(plain))) {
      const std::string spelled = taxonomy_spelling(plain);
      if (std::optional<Clause> concept_of = spelled.empty() ? std::nullopt : word_concept_clause(w, spelled, out)) {
        concept_of->droppable = !w.required;
        out->corrected[plain] = spelled;
        out->clauses.push_back(std::move(*concept_of));
        attach(m - 1, 1, out->clauses.size() - 1);
        continue;
      }
      // A misspelling of a word only the thesaurus has ("riciclagio"): the
      // first of its spellings that the library reaches (its family, its
      // meanings), read as if typed, stated as a correction.
      for (const std::string& s : thesaurus_spellings(plain)) {
        ParsedQuery scratch;
        Clause tried = word_clause(s, /*partial=*/false, &scratch);
        expand_with_thesaurus(s, &tried, &scratch);
        if (tried.matches_nothing) continue;
        c = word_clause(s, /*partial=*/false, out);
        out->corrected[plain] = s;
        read_as = s;
        break;
      }
    }
    // Two words the library writes as one ("bici bus": "bicibus"): either
    // word's clause is met by the word they make together.
    for (const std::size_t x : {m - 2, m - 1}) {
      if (x < k || x + 1 >= end || (x == m - 2 && m < 2)) continue;
      const std::string& a = items[x].words.front();
      const std::string& b = items[x + 1].words.front();
      const std::string joined = joined_term(a, b);
      if (joined.empty()) continue;
      const Xapian::Query one(joined);
      c.query = c.matches_nothing ? one : Xapian::Query(Xapian::Query::OP_OR, c.query, one);
      if (c.strict) c.strict = Xapian::Query(Xapian::Query::OP_OR, *c.strict, one);
      if (c.typed)
        c.typed = Xapian::Query(Xapian::Query::OP_OR, *c.typed, one);
      else
        c.typed = one;
      c.matches_nothing = false;
      c.frequency = std::max(c.frequency, frequency(joined));
      out->highlight.terms.insert(joined);
      out->highlight.terms.insert(a + b);
      // Said once for the pair, whichever of its words met it here (the
      // other may be a concept's: "bici" of the theme's "bici bus").
      auto& listed = out->expanded[a + " " + b];
      if (listed.empty()) listed.push_back(written_form(db_, a + b));
    }
    c.droppable = !w.required;
    c.place = located_.count(plain) != 0 || (synonyms_.is_place_word(plain) && thesaurus_ != nullptr &&
                                             thesaurus_->has_dictionary() && !thesaurus_->is_word(plain));
    // A region's name: the practices filed there first, a weight and no
    // filter. Where Hunspell knows the word ("marche", brands; "veneto"),
    // only after a preposition ("nelle marche", "in veneto") or alone
    // (region_first()): «marche biologiche» are not the Marche.
    if (const std::string region = synonyms_.region_named({plain}); !region.empty()) {
      c.region = std::string(schema::kRegionPrefix) + region;
      const bool after_preposition =
          m >= 2 && m - 2 >= k && (is_preposition(items[m - 2].words.front()) || after_determiner_);
      c.region_only_alone = thesaurus_ != nullptr && thesaurus_->is_word(plain) && !after_preposition;
    }
    expand_with_thesaurus(read_as, &c, out);
    after_determiner_ = false;
    out->clauses.push_back(std::move(c));
    attach(m - 1, 1, out->clauses.size() - 1);
  }
  return end;
}

std::size_t QueryUnderstanding::place_name_clause(const std::vector<Item>& items, std::size_t m, std::size_t end,
                                                  ParsedQuery* out) {
  auto word = [&](std::size_t x) -> const std::string& { return items[x].words.front(); };
  auto plain = [&](std::size_t x) { return !items[x].phrase && !items[x].negated && items[x].or_group < 0; };
  if (!plain(m) || is_stopword(word(m)) || !synonyms_.is_place_word(word(m))) return 0;
  std::size_t taken = 0;
  std::vector<std::string> named;
  for (const auto& name : synonyms_.place_names()) {
    for (std::size_t start = 0; start < name.size(); ++start) {
      if (name[start] != word(m)) continue;
      // The name's words in order; a function word on either side may be
      // left out ("valle aosta", "casal principe").
      std::size_t q = m, n = start, last = m;
      std::vector<std::string> content;
      while (q < end && n < name.size() && plain(q)) {
        if (word(q) == name[n]) {
          if (!is_stopword(name[n])) {
            content.push_back(name[n]);
            last = q;
          }
          ++q;
          ++n;
        } else if (is_stopword(word(q))) {
          ++q;
        } else if (is_stopword(name[n])) {
          ++n;
        } else {
          break;
        }
      }
      if (content.size() >= 2 && last + 1 - m > taken) {
        taken = last + 1 - m;
        named = std::move(content);
      }
    }
  }
  if (taken == 0) return 0;
  Clause c;
  std::vector<Xapian::Query> all;
  for (const std::string& w : named) {
    const Xapian::doccount f = frequency(w);
    if (f == 0) return 0;
    c.frequency = c.frequency == 0 ? f : std::min(c.frequency, f);
    all.emplace_back(w);
    out->highlight.terms.insert(w);
  }
  std::vector<std::string> typed;
  for (std::size_t x = m; x < m + taken; ++x) {
    typed.push_back(word(x));
    c.droppable = c.droppable && !items[x].required;
  }
  c.display = written_join(typed);
  c.query = Xapian::Query(Xapian::Query::OP_AND, all.begin(), all.end());
  c.typed = c.query;
  c.place = true;
  if (const std::string region = synonyms_.region_named(named); !region.empty())
    c.region = std::string(schema::kRegionPrefix) + region;
  out->clauses.push_back(std::move(c));
  return taken;
}

std::size_t QueryUnderstanding::school_level_clause(const std::vector<Item>& items, std::size_t m, std::size_t end,
                                                    ParsedQuery* out) {
  auto word = [&](std::size_t x) -> const std::string& { return items[x].words.front(); };
  std::vector<std::string> words;
  for (std::size_t x = m; x < end && x < m + SynonymTable::kMaxLevelMentionWords; ++x) words.push_back(word(x));
  const SynonymTable::LevelMention mention = synonyms_.school_level_at(words, analyzer_);
  if (mention.level == nullptr) return 0;
  const SynonymTable::SchoolLevel* level = mention.level;
  const std::size_t p = m + mention.name_at;
  const std::size_t name_words = mention.words - mention.name_at;
  const std::size_t taken = mention.words;
  std::vector<std::string> typed;
  for (std::size_t x = m; x < m + taken; ++x) typed.push_back(word(x));
  Clause clause;
  clause.display = written_join(typed);
  std::vector<Xapian::Query> ways;
  std::optional<Xapian::Query> sheet;
  if (frequency(level->term) > 0) {
    Xapian::Query bonus((new Xapian::FixedWeightPostingSource(kLevelSheetWeight))->release());
    sheet = Xapian::Query(Xapian::Query::OP_AND,
                          Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(level->term), 0.0), bonus);
    clause.frequency = frequency(level->term);
  }
  auto phrase = [](const std::vector<Xapian::Query>& words) {
    return Xapian::Query(Xapian::Query::OP_PHRASE, words.begin(), words.end(),
                         static_cast<Xapian::termcount>(words.size()));
  };
  // The words as typed, in a row ("terza media").
  std::vector<Xapian::Query> as_typed;
  for (const std::string& w : typed) as_typed.emplace_back(w);
  if (as_typed.size() > 1) ways.push_back(phrase(as_typed));
  // The level's names of several words ("secondaria di primo grado").
  for (const auto& words : level->phrases) {
    std::vector<Xapian::Query> parts(words.begin(), words.end());
    ways.push_back(phrase(parts));
  }
  // A school of the level: "scuola"/"scuole" before any form of its
  // one-word names or of the typed name that the library writes ("scuole
  // medie", "scuola media": the plural and singular of the same stem).
  std::set<std::string> forms;
  std::vector<std::string> names = level->names;
  if (name_words == 1) names.push_back(word(p));
  for (const std::string& n : names)
    for (const char vowel : {'a', 'e', 'i', 'o'}) {
      const std::string form = n.substr(0, n.size() - 1) + vowel;
      if (frequency(form) > 0 && synonyms_.level_of_key(synonyms_.key_of(form, analyzer_)) == level) forms.insert(form);
    }
  if (!forms.empty()) {
    std::vector<Xapian::Query> school{
        Xapian::Query(Xapian::Query::OP_OR, Xapian::Query("scuola"), Xapian::Query("scuole")),
        Xapian::Query(Xapian::Query::OP_OR, forms.begin(), forms.end())};
    ways.push_back(phrase(school));
    for (const std::string& f : forms) out->highlight.terms.insert(f);
  }
  clause.query = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                               Xapian::Query(Xapian::Query::OP_OR, ways.begin(), ways.end()), kLevelTextWeight);
  if (sheet) clause.query = Xapian::Query(Xapian::Query::OP_OR, *sheet, clause.query);
  clause.typed = clause.query;
  for (const std::string& w : typed) out->highlight.terms.insert(w);
  if (std::find(out->synonyms.begin(), out->synonyms.end(), level->label) == out->synonyms.end())
    out->synonyms.push_back(level->label);
  out->expanded[clause.display].push_back(level->label);
  out->clauses.push_back(std::move(clause));
  return taken;
}

std::size_t QueryUnderstanding::goal_clause(const std::vector<Item>& items, std::size_t m, std::size_t end,
                                            ParsedQuery* out) {
  auto plain = [&](std::size_t x) { return !items[x].phrase && !items[x].negated && items[x].or_group < 0; };
  if (!plain(m)) return 0;
  const std::string& first = items[m].words.front();
  auto is_number = [](const std::string& w) {
    return !w.empty() && w.size() <= 2 && std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  std::string number;
  std::size_t taken = 0;
  std::vector<std::string> typed;
  if (first.size() > 3 && first.compare(0, 3, "sdg") == 0 && is_number(first.substr(3))) {
    number = first.substr(3);
    taken = 1;
    typed = {"sdg", number};
  } else if ((first == "sdg" || first == "goal" || first == "obiettivo") && m + 1 < end && plain(m + 1) &&
             is_number(items[m + 1].words.front())) {
    number = items[m + 1].words.front();
    taken = 2;
    typed = {first, number};
  }
  if (taken == 0) return 0;
  if (number.size() == 2 && number[0] == '0') number.erase(0, 1);  // "sdg 04"
  const std::string* label = synonyms_.goal_label(number);
  if (label == nullptr) return 0;
  const std::string filed = std::string(schema::kSdgPrefix) + number;
  Clause clause;
  clause.display = taken == 1 ? first : written_join(typed);
  Xapian::Query bonus((new Xapian::FixedWeightPostingSource(kGoalFiledWeight))->release());
  std::vector<Xapian::Query> ways = {Xapian::Query(
      Xapian::Query::OP_AND, Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(filed), 0.0), bonus)};
  std::vector<Xapian::Query> words(typed.begin(), typed.end());
  ways.emplace_back(Xapian::Query::OP_PHRASE, words.begin(), words.end(), static_cast<Xapian::termcount>(words.size()));
  if (taken == 1) ways.emplace_back(first);  // "SDG11" as the text writes it
  clause.query = Xapian::Query(Xapian::Query::OP_OR, ways.begin(), ways.end());
  clause.typed = clause.query;
  const Xapian::doccount filed_count = frequency(filed);
  clause.frequency = std::max<Xapian::doccount>(filed_count, 1);
  // The lead word only: the bare number would light up every «4».
  out->highlight.terms.insert(taken == 1 ? first : typed.front());
  // Said only when some practice is filed under it.
  if (filed_count > 0 && std::find(out->synonyms.begin(), out->synonyms.end(), *label) == out->synonyms.end())
    out->synonyms.push_back(*label);
  out->expanded[clause.display].push_back(*label);
  out->clauses.push_back(std::move(clause));
  return taken;
}

namespace {
// "misurarsi", "accasciarsi", "arrendersi", "pentirsi": a one-word verb in -rsi.
bool is_pronominal_verb(const std::string& phrase) {
  if (phrase.find(' ') != std::string::npos || phrase.size() < 6) return false;
  const std::string end = phrase.substr(phrase.size() - 4);
  return end == "arsi" || end == "ersi" || end == "irsi";
}
}  // namespace

std::vector<QueryUnderstanding::ThesaurusMatch> QueryUnderstanding::thesaurus_alternatives(
    const std::string& plain) {
  std::vector<ThesaurusMatch> out;
  if (is_stopword(plain) || is_filler_word(plain)) return out;
  const Analyzer::WordTerms own = analyzer_.terms_for(plain);
  if (own.stemmed.empty()) return out;  // numbers
  // Only a word the library never uses: expanding the words it does use
  // (always, or when rare) cost an everyday query with the distractors and
  // gained nothing elsewhere (docs/search-quality.md).
  // A word whose stem the library has, but not the word itself, is the
  // editors' to expand: they listed it because its stem is another word's
  // ("compere", shopping, is "comp" like "compiti", homework); the
  // thesaurus's synonyms are then left out.
  if (frequency(own.plain) > 0) return out;
  const bool stem_in_library = frequency(own.stemmed) > 0;
  // So is a word of the plain words of a few practices
  // (kMaxPlainWordsPracticesToExpand); other words of the plain words are
  // found there, as the library's.
  const bool listed = synonyms_.lists_everyday_word(plain);
  if (stem_in_library && !listed) return out;
  if (const std::string in_plain = plain_words_term(own);
      !in_plain.empty() && !(listed && frequency(in_plain) <= kMaxPlainWordsPracticesToExpand))
    return out;
  const Xapian::doccount doccount = db_.get_doccount();
  std::set<std::vector<std::string>> seen = {{own.stemmed}};
  // The editors' `blocked_expansions:` for the word: never one of these.
  BlockedWords is_blocked(synonyms_, plain);
  // The editors' everyday words first ("sabbia" -> "spiaggia"), as the
  // thesaurus's synonyms are used.
  if (const std::vector<std::string>* meanings = synonyms_.everyday_meanings(plain, analyzer_)) {
    for (const std::string& word : *meanings) {
      if (is_blocked(word)) continue;
      const Analyzer::WordTerms t = analyzer_.terms_for(text::fold_lower(word));
      // By its stem, so every form of the word counts ("spiagge" for
      // "spiaggia"), unless the stem is mostly other words' ("port" of
      // "porto" is also "porta", "portare"): then as written.
      const Xapian::doccount written = frequency(t.plain);
      const Xapian::doccount by_stem = t.stemmed.empty() ? 0 : frequency(t.stemmed);
      const bool as_written =
          t.stemmed.empty() || (written > 0 && static_cast<double>(by_stem) > kMaxEverydayStemSpread * written);
      const std::string& term = as_written ? t.plain : t.stemmed;
      const Xapian::doccount f = as_written ? written : by_stem;
      if (f == 0 || static_cast<double>(f) > kMaxThesaurusShare * doccount) continue;
      if (!seen.insert({term}).second) continue;
      out.push_back({word, {term}, true});
    }
  }
  if (stem_in_library || thesaurus_ == nullptr || !thesaurus_->loaded()) return out;
  for (const ThesaurusAlternative& alt : *thesaurus_->alternatives(plain, after_determiner_)) {
    if (out.size() >= kMaxThesaurusAlternatives) break;
    // Adverbs, conjunctions, prepositions: function words, not concepts.
    if (alt.pos == ThesaurusAlternative::Pos::kOther || is_blocked(alt.phrase)) continue;
    // A pronominal verb ("misurarsi", to compete) for a word that is not
    // one: its stem is the plain verb's ("misurare", to measure), another
    // meaning.
    if (is_pronominal_verb(alt.phrase) && !is_pronominal_verb(plain)) continue;
    std::vector<std::string> terms;
    bool usable = true;
    for (const std::string& word : split_words(text::fold(alt.phrase))) {
      const std::string w = text::fold_lower(word);
      if (w.empty() || is_stopword(w)) continue;
      if (is_filler_word(w)) {
        usable = false;
        break;
      }
      const Analyzer::WordTerms t = analyzer_.terms_for(w);
      const std::string& term = t.stemmed.empty() ? t.plain : t.stemmed;
      const Xapian::doccount f = frequency(term);
      // Absent, or so common that it tells nothing ("scuola" for "corrente").
      if (f == 0 || static_cast<double>(f) > kMaxThesaurusShare * doccount) {
        usable = false;
        break;
      }
      terms.push_back(term);
    }
    if (!usable || terms.empty() || !seen.insert(terms).second) continue;
    out.push_back({alt.phrase, std::move(terms)});
  }
  return out;
}

void QueryUnderstanding::expand_with_thesaurus(const std::string& plain, Clause* clause,
                                               ParsedQuery* out) {
  const std::vector<ThesaurusMatch> found = thesaurus_alternatives(plain);
  if (found.empty()) return;
  // The editors' words and the thesaurus's, each one synonym at its weight.
  std::vector<Xapian::Query> editors, thesaurus;
  for (const ThesaurusMatch& m : found) {
    out->highlight.add(m.terms);
    (m.editors ? editors : thesaurus).emplace_back(Xapian::Query::OP_AND, m.terms.begin(), m.terms.end());
  }
  std::vector<Xapian::Query> parts;
  if (!editors.empty())
    parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT,
                       Xapian::Query(Xapian::Query::OP_SYNONYM, editors.begin(), editors.end()), kEverydayWeight);
  if (!thesaurus.empty())
    parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT,
                       Xapian::Query(Xapian::Query::OP_SYNONYM, thesaurus.begin(), thesaurus.end()),
                       kThesaurusWeight);
  const Xapian::Query expansion =
      parts.size() == 1 ? parts.front() : Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
  // A guess: the full tier of combine_any() asks for the word itself (its
  // stem, when the library has that), the near-full tier takes the guesses.
  if (!clause->strict) clause->strict = clause->matches_nothing ? Xapian::Query() : clause->query;
  clause->guessed = true;
  // A place's adjective ("nel catanese", "i contadini sardi"), which the
  // editors' everyday words list under the place alone, is the place.
  bool only_places = !editors.empty() && thesaurus.empty();
  for (const ThesaurusMatch& m : found)
    only_places = only_places && synonyms_.is_place_word(text::fold_lower(m.phrase));
  if (only_places) clause->place = true;
  clause->query = clause->matches_nothing ? expansion
                                          : Xapian::Query(Xapian::Query::OP_OR, clause->query, expansion);
  clause->matches_nothing = false;
  for (const ThesaurusMatch& m : found) {
    if (std::find(out->synonyms.begin(), out->synonyms.end(), m.phrase) == out->synonyms.end())
      out->synonyms.push_back(m.phrase);
    out->expanded[clause->display].push_back(m.phrase);
  }
}

std::string QueryUnderstanding::corrected_query(std::string_view q, const std::map<std::string, std::string>& written) {
  // The query as typed, with each misspelled word replaced.
  const std::string s(q);
  std::string fixed;
  std::size_t last = 0;
  for (const Token& t : tokenize(s)) {
    const std::string word = text::fold_lower(std::string_view(s).substr(t.begin, t.end - t.begin));
    auto it = written.find(word);
    if (it == written.end()) continue;
    fixed += s.substr(last, t.begin - last) + it->second;
    last = t.end;
  }
  fixed += s.substr(last);
  return fixed;
}

namespace {

// The AND of every clause: its query (a practice matching each concept in
// some way), or with `in_full` its strict query where it has one (the full
// tier's sense: a loose theme or a guess is not enough, Clause::strict).
// Minus nothing: the callers apply the excluded words.
Xapian::Query every_clause(const ParsedQuery& parsed, bool in_full) {
  std::vector<Xapian::Query> all;
  for (const Clause& c : parsed.clauses) all.push_back(in_full && c.strict ? *c.strict : c.query);
  return Xapian::Query(Xapian::Query::OP_AND, all.begin(), all.end());
}

}  // namespace

Xapian::Query QueryUnderstanding::combine(const ParsedQuery& parsed) {
  Xapian::Query q = parsed.clauses.empty()
                        // Not Query::MatchAll: that is one static object whose reference
                        // count is not atomic, so copying it on several threads is a data race.
                        ? Xapian::Query(std::string())
                        : every_clause(parsed, /*in_full=*/false);
  if (parsed.excluded) q = Xapian::Query(Xapian::Query::OP_AND_NOT, q, *parsed.excluded);
  return q;
}

Xapian::Query QueryUnderstanding::region_first(const ParsedQuery& parsed, const Xapian::Query& strict) {
  std::vector<Xapian::Query> regions;
  for (const Clause& c : parsed.clauses)
    if (!c.region.empty() && (!c.region_only_alone || parsed.clauses.size() == 1)) regions.emplace_back(c.region);
  if (regions.empty()) return strict;
  Xapian::Query there(Xapian::Query::OP_SCALE_WEIGHT,
                      Xapian::Query(Xapian::Query::OP_OR, regions.begin(), regions.end()), 0.0);
  Xapian::Query bonus((new Xapian::FixedWeightPostingSource(kRegionBonus))->release());
  return Xapian::Query(Xapian::Query::OP_AND_MAYBE, strict, Xapian::Query(Xapian::Query::OP_AND, there, bonus));
}

bool QueryUnderstanding::has_plain_words(const ParsedQuery& parsed) {
  return std::any_of(parsed.clauses.begin(), parsed.clauses.end(), [](const Clause& c) { return c.plain.has_value(); });
}

std::optional<Xapian::Query> QueryUnderstanding::relaxed_clause(const Clause& c) {
  if (!c.droppable) return c.query;
  if (c.plain) {
    Xapian::Query where(Xapian::Query::OP_SCALE_WEIGHT, *c.plain, kPlainWordsWeight);
    return c.matches_nothing ? where : Xapian::Query(Xapian::Query::OP_OR, c.query, where);
  }
  if (c.matches_nothing) return std::nullopt;
  return c.query;
}

std::vector<Xapian::Query> QueryUnderstanding::relaxed_clauses(const ParsedQuery& parsed) {
  std::vector<Xapian::Query> out;
  for (const Clause& c : parsed.clauses)
    if (std::optional<Xapian::Query> q = relaxed_clause(c)) out.push_back(std::move(*q));
  return out;
}

std::optional<Xapian::Query> QueryUnderstanding::combine_full(const ParsedQuery& parsed) {
  const bool other_ways =
      std::any_of(parsed.clauses.begin(), parsed.clauses.end(), [](const Clause& c) { return c.theme || c.guessed; });
  if (!other_ways || parsed.clauses.size() < 2) return std::nullopt;
  Xapian::Query q = every_clause(parsed, /*in_full=*/true);
  if (parsed.excluded) q = Xapian::Query(Xapian::Query::OP_AND_NOT, q, *parsed.excluded);
  return q;
}

Xapian::Query QueryUnderstanding::combine_any(const ParsedQuery& parsed, bool full_match_first, bool any_way_tier) {
  std::vector<Xapian::Query> required;
  std::vector<Xapian::Query> optional;
  for (const Clause& c : parsed.clauses) {
    if (std::optional<Xapian::Query> q = relaxed_clause(c)) (c.droppable ? optional : required).push_back(std::move(*q));
  }
  Xapian::Query q;
  if (required.empty() && optional.empty()) {
    // Every word matches nothing (words the library never uses, left
    // uncorrected): so does the query, rather than the whole library in
    // no order.
    q = Xapian::Query();
  } else if (required.empty()) {
    q = Xapian::Query(Xapian::Query::OP_OR, optional.begin(), optional.end());
  } else {
    q = Xapian::Query(Xapian::Query::OP_AND, required.begin(), required.end());
    if (!optional.empty())
      q = Xapian::Query(Xapian::Query::OP_AND_MAYBE, q,
                        Xapian::Query(Xapian::Query::OP_OR, optional.begin(), optional.end()));
  }
  if (optional.size() >= 2 && full_match_first) {
    // A practice that matches every clause gets a weight no partial match
    // reaches (BM25 term weights stay far below it), so it ranks first.
    Xapian::Query every(Xapian::Query::OP_SCALE_WEIGHT, every_clause(parsed, /*in_full=*/true), 0.0);
    Xapian::Query bonus((new Xapian::FixedWeightPostingSource(kFullMatchBonus))->release());
    q = Xapian::Query(Xapian::Query::OP_OR, q, Xapian::Query(Xapian::Query::OP_AND, every, bonus));
    // A practice that has the typed words of every clause but one in its
    // own text, and that one in its plain words or, for a guessed clause
    // (Clause::guessed), through its everyday words or thesaurus synonyms,
    // or, for a concept typed as a theme's loose word (Clause::theme),
    // through the theme, matches every concept too: it ranks above the
    // partial matches, below the full literal ones. From
    // kNearFullMatchClauses clauses (with two, one common word in the text
    // and one in the plain words was no match of both concepts).
    const bool other_ways =
        std::any_of(parsed.clauses.begin(), parsed.clauses.end(), [](const Clause& c) { return c.guessed || c.theme; });
    if (optional.size() >= kNearFullMatchClauses && (has_plain_words(parsed) || other_ways)) {
      std::vector<Xapian::Query> own;
      for (const Clause& c : parsed.clauses) {
        if (c.typed)
          own.push_back(*c.typed);
        else if (c.plain)
          own.push_back(Xapian::Query());  // matches nothing: only its plain words can
        else
          own.push_back(c.strict ? *c.strict : c.query);
      }
      std::vector<Xapian::Query> ways;
      for (std::size_t i = 0; i < parsed.clauses.size(); ++i) {
        const Clause& c = parsed.clauses[i];
        if (!c.plain && !c.guessed && !c.theme) continue;
        // The one concept found in other ways: its plain words, its guesses,
        // its theme.
        std::vector<Xapian::Query> others;
        if (c.plain) others.push_back(*c.plain);
        if (c.guessed) others.push_back(c.query);
        if (c.theme) others.push_back(*c.theme);
        const Xapian::Query other =
            others.size() == 1 ? others.front() : Xapian::Query(Xapian::Query::OP_OR, others.begin(), others.end());
        std::vector<Xapian::Query> parts;
        for (std::size_t j = 0; j < parsed.clauses.size(); ++j)
          parts.push_back(j == i ? Xapian::Query(Xapian::Query::OP_OR, own[j], other) : own[j]);
        ways.emplace_back(Xapian::Query::OP_AND, parts.begin(), parts.end());
      }
      Xapian::Query near(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(Xapian::Query::OP_OR, ways.begin(), ways.end()),
                         0.0);
      Xapian::Query near_bonus((new Xapian::FixedWeightPostingSource(kNearFullMatchBonus))->release());
      q = Xapian::Query(Xapian::Query::OP_OR, q, Xapian::Query(Xapian::Query::OP_AND, near, near_bonus));
    }
  }
  if (optional.size() >= 2 && full_match_first && any_way_tier) {
    // Relaxed because no practice matches every concept in its own words
    // (combine_full()): those that match every concept in some way (a
    // loose theme, a guess), which the strict query had found, still come
    // before the partial matches.
    Xapian::Query every(Xapian::Query::OP_SCALE_WEIGHT, every_clause(parsed, /*in_full=*/false), 0.0);
    Xapian::Query bonus((new Xapian::FixedWeightPostingSource(kAnyWayMatchBonus))->release());
    q = Xapian::Query(Xapian::Query::OP_OR, q, Xapian::Query(Xapian::Query::OP_AND, every, bonus));
  }
  if (optional.size() >= 2 && full_match_first) {
    // The place typed ("comprare dai contadini in sardegna"): among the
    // practices that match some of the rest, those of the place first, as
    // an optional filter applies to the records that match the query. A
    // practice with the place alone gains nothing from it. One branch for
    // all the places typed: a long query of places costs as much as one.
    std::vector<Xapian::Query> places, rest;
    for (const Clause& c : parsed.clauses) {
      if (c.place && c.droppable)
        places.push_back(c.query);
      else if (!c.place && !c.matches_nothing)
        rest.push_back(c.query);
    }
    if (!places.empty() && !rest.empty()) {
      Xapian::Query there(Xapian::Query::OP_AND, Xapian::Query(Xapian::Query::OP_OR, places.begin(), places.end()),
                          Xapian::Query(Xapian::Query::OP_OR, rest.begin(), rest.end()));
      Xapian::Query bonus((new Xapian::FixedWeightPostingSource(kPlaceBonus))->release());
      q = Xapian::Query(
          Xapian::Query::OP_OR, q,
          Xapian::Query(Xapian::Query::OP_AND, Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, there, 0.0), bonus));
    }
  }
  if (parsed.excluded) q = Xapian::Query(Xapian::Query::OP_AND_NOT, q, *parsed.excluded);
  return q;
}

}  // namespace bp::search
