#include "search_extras.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <utility>

#include "schema.h"
#include "bp/text.h"
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

// A word that completes the last one typed, and what ranks it.
struct Completion {
  std::string term;                // folded, as indexed
  Xapian::doccount freq = 0;       // practices having it
  Xapian::doccount with = 0;       // ... and the content words typed before it
  Xapian::doccount next_to = 0;    // ... right after the previous word
  int tier = 0;                    // higher first, then `score`
  double score = 0;
};

// At most this many candidates are counted with the words before (one or
// two small queries each).
constexpr std::size_t kCounted = 30;

// The commonest words of the index that complete `last`, commonest first.
// Function words ("alcuni", "almeno") are never suggested. The scan is
// bounded for very short prefixes.
std::vector<Completion> commonest_completions(const Xapian::Database& db, const std::string& last) {
  std::vector<Completion> found;
  constexpr int kMaxScanned = 5000;
  int scanned = 0;
  for (auto it = db.allterms_begin(last); it != db.allterms_end(last) && scanned < kMaxScanned;
       ++it, ++scanned) {
    const std::string term = *it;
    if (is_function_word(term)) continue;
    found.push_back({term, it.get_termfreq()});
  }
  std::sort(found.begin(), found.end(), [](const Completion& a, const Completion& b) {
    return a.freq != b.freq ? a.freq > b.freq : a.term < b.term;
  });
  return found;
}

// Practices matching `q` (exact: every match is checked).
Xapian::doccount count_of(Xapian::Enquire& enquire, const Xapian::Database& db, const Xapian::Query& q) {
  enquire.set_query(q);
  return enquire.get_mset(0, 0, db.get_doccount()).get_matches_estimated();
}

// Counts each of `found` with the words before; those that never occur with
// them are left out.
void count_with(const Xapian::Database& db, const Xapian::Query& lead, std::vector<Completion>* found) {
  Xapian::Enquire together(db);
  together.set_weighting_scheme(Xapian::BoolWeight());
  for (Completion& c : *found)
    c.with = count_of(together, db, Xapian::Query(Xapian::Query::OP_AND, lead, Xapian::Query(c.term)));
  std::erase_if(*found, [](const Completion& c) { return c.with == 0; });
}

// The words that complete `last` in the `practices` that best match the
// words before it, each counted over them, most shared first.
std::vector<Completion> completions_in_practices(const Xapian::Database& db, const Xapian::Query& lead,
                                                 const std::string& last, Xapian::doccount practices) {
  Xapian::Enquire enquire(db);
  enquire.set_query(lead);
  const Xapian::MSet mset = enquire.get_mset(0, practices);
  std::map<std::string, Xapian::doccount> with;
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    auto t = db.termlist_begin(*it);
    for (t.skip_to(last); t != db.termlist_end(*it); ++t) {
      const std::string term = *t;
      if (term.compare(0, last.size(), last) != 0) break;
      if (!is_function_word(term)) ++with[term];
    }
  }
  std::vector<Completion> found;
  for (const auto& [term, n] : with) found.push_back({term, db.get_termfreq(term), n});
  std::sort(found.begin(), found.end(), [](const Completion& a, const Completion& b) {
    return a.with != b.with ? a.with > b.with : a.freq != b.freq ? a.freq > b.freq : a.term < b.term;
  });
  return found;
}

// Dunning's log-likelihood ratio G2 of the 2x2 table of practices with and
// without the words before (`lead` of `n`) and the candidate (`freq`),
// `with` having both; negative when they occur together less than by chance.
double log_likelihood(double with, double lead, double freq, double n) {
  auto cell = [n](double k, double row, double col) { return k > 0 ? k * std::log(k * n / (row * col)) : 0.0; };
  const double g2 = 2 * (cell(with, lead, freq) + cell(lead - with, lead, n - freq) +
                         cell(freq - with, n - lead, freq) + cell(n - lead - freq + with, n - lead, n - freq));
  return with * n >= lead * freq ? g2 : -g2;
}

// Ranks `found` (counted with the words before, in the order to keep on
// ties) by `ranking`, keeping the kCounted best; `run` is the words typed
// right before the last one that an adjacent completion follows (empty:
// none is adjacent).
void rank_after_words(const Xapian::Database& db, const Xapian::Query& lead, const std::vector<std::string>& run,
                      const CompletionRanking& ranking, std::vector<Completion>* found) {
  using Score = CompletionRanking::Score;
  using Adjacency = CompletionRanking::Adjacency;
  Xapian::Enquire together(db);
  together.set_weighting_scheme(Xapian::BoolWeight());
  const double n = db.get_doccount();
  const double lead_n = ranking.score == Score::count ? 0 : count_of(together, db, lead);
  for (Completion& c : *found) {
    const double with = c.with, freq = std::max<double>(c.freq, c.with);
    switch (ranking.score) {
      case Score::count: c.score = with; break;
      case Score::pmi:
        c.tier = c.with >= static_cast<Xapian::doccount>(ranking.min_count);
        c.score = c.tier ? std::log(with * n / (lead_n * freq)) : with;
        break;
      case Score::g2: c.score = log_likelihood(with, lead_n, freq, n); break;
      case Score::conditional: c.score = (with + ranking.mu * freq / n) / (lead_n + ranking.mu); break;
    }
  }
  auto by_score = [](const Completion& a, const Completion& b) {
    return a.tier != b.tier ? a.tier > b.tier : a.score > b.score;
  };
  std::stable_sort(found->begin(), found->end(), by_score);
  if (found->size() > kCounted) found->resize(kCounted);
  if ((ranking.adjacency == Adjacency::none && !ranking.phrases) || run.empty()) return;
  for (Completion& c : *found) {
    std::vector<std::string> phrase = run;
    phrase.push_back(c.term);
    c.next_to = count_of(together, db,
                         Xapian::Query(Xapian::Query::OP_PHRASE, phrase.begin(), phrase.end(), phrase.size()));
  }
  if (ranking.adjacency == Adjacency::count_first)
    std::stable_sort(found->begin(), found->end(),
                     [](const Completion& a, const Completion& b) { return a.next_to > b.next_to; });
  else if (ranking.adjacency == Adjacency::first)
    std::stable_sort(found->begin(), found->end(),
                     [](const Completion& a, const Completion& b) { return (a.next_to > 0) > (b.next_to > 0); });
  else if (ranking.adjacency == Adjacency::bonus) {
    for (Completion& c : *found) c.score += c.next_to;
    std::stable_sort(found->begin(), found->end(), by_score);
  }
}

// The word that most often follows "`before` `term`" in the practices'
// text (three practices read at most), when two occurrences or more agree
// and it is not a function word; "" otherwise.
std::string next_word(const Xapian::Database& db, const std::string& before, const std::string& term) {
  const std::vector<std::string> pair = {before, term};
  Xapian::Enquire enquire(db);
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  enquire.set_query(Xapian::Query(Xapian::Query::OP_PHRASE, pair.begin(), pair.end(), 2));
  const Xapian::MSet mset = enquire.get_mset(0, 3);
  std::map<std::string, int> next;
  std::string buffer;
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    const std::string stored = it.get_document().get_value(schema::kSlotResult);
    ResultRecord record;
    if (!decode_result(stored, &record, &buffer)) continue;
    const std::string_view text = record.body.text;
    const std::vector<Token> tokens = tokenize(text);
    auto word = [&](std::size_t i) { return text::fold_lower(text.substr(tokens[i].begin, tokens[i].end - tokens[i].begin)); };
    auto spaces_only = [&](std::size_t from, std::size_t to) {
      return std::all_of(text.begin() + static_cast<std::ptrdiff_t>(from), text.begin() + static_cast<std::ptrdiff_t>(to),
                         [](char c) { return is_space(c); });
    };
    for (std::size_t i = 0; i + 2 < tokens.size(); ++i) {
      if (!spaces_only(tokens[i + 1].end, tokens[i + 2].begin)) continue;
      if (word(i + 1) != term || word(i) != before) continue;
      const std::string w = word(i + 2);
      if (w.empty() || is_function_word(w) || (w[0] >= '0' && w[0] <= '9')) continue;
      ++next[w];
    }
  }
  std::string best;
  int most = 1;
  for (const auto& [w, n] : next)
    if (n > most) most = n, best = w;
  return best;
}

}  // namespace

const std::vector<std::pair<std::string, CompletionRanking>>& CompletionRanking::variants() {
  using C = CompletionRanking;
  using S = C::Score;
  using A = C::Adjacency;
  static const std::vector<std::pair<std::string, CompletionRanking>> k = [] {
    std::vector<std::pair<std::string, CompletionRanking>> v;
    struct Extra {
      bool skip_unknown = false, span = false, phrases = false, stem = false;
      int practices = 0;
      C::Candidates from = C::Candidates::commonest;
    };
    auto add = [&](std::string name, S score, A adjacency, Extra e) {
      C c;
      c.score = score;
      c.adjacency = adjacency;
      c.candidates = e.from;
      c.phrases = e.phrases;
      c.skip_unknown = e.skip_unknown;
      c.adjacency_from_content_word = e.span;
      c.extra_practices = e.practices;
      c.one_per_stem = e.stem;
      v.emplace_back(std::move(name), c);
    };
    add("count, adjacent by count", S::count, A::count_first, {});
    add("count, adjacent first", S::count, A::first, {});
    add("count", S::count, A::none, {});
    add("pmi>=2, adjacent by count", S::pmi, A::count_first, {});
    add("pmi>=2", S::pmi, A::none, {});
    add("g2, adjacent by count", S::g2, A::count_first, {});
    add("g2", S::g2, A::none, {});
    add("conditional, adjacent by count", S::conditional, A::count_first, {});
    add("conditional", S::conditional, A::none, {});
    add("count, adjacent by count, phrases", S::count, A::count_first, {.phrases = true});
    add("count, adjacent by count, from 200 practices", S::count, A::count_first,
        {.from = C::Candidates::from_practices});
    add("g2, adjacent by count, from 200 practices", S::g2, A::count_first, {.from = C::Candidates::from_practices});
    add("count, adjacent by count, skip unknown", S::count, A::count_first, {.skip_unknown = true});
    add("count, adjacent from content word", S::count, A::count_first, {.span = true});
    add("count, adjacent from content word, skip unknown", S::count, A::count_first,
        {.skip_unknown = true, .span = true});
    add("g2, adjacent from content word, skip unknown", S::g2, A::count_first, {.skip_unknown = true, .span = true});
    add("pmi>=2, adjacent from content word, skip unknown", S::pmi, A::count_first,
        {.skip_unknown = true, .span = true});
    add("count, adjacent as bonus, skip unknown", S::count, A::bonus, {.skip_unknown = true});
    add("count, adjacent by count, skip unknown, one per stem", S::count, A::count_first,
        {.skip_unknown = true, .stem = true});
    add("count, adjacent as bonus, skip unknown, one per stem", S::count, A::bonus,
        {.skip_unknown = true, .stem = true});
    add("count, adjacent by count, skip unknown, one per stem, +10 practices", S::count, A::count_first,
        {.skip_unknown = true, .stem = true, .practices = 10});
    add("count, adjacent from content word, skip unknown, +10 practices", S::count, A::count_first,
        {.skip_unknown = true, .span = true, .practices = 10});
    add("count, adjacent from content word, skip unknown, +30 practices", S::count, A::count_first,
        {.skip_unknown = true, .span = true, .practices = 30});
    return v;
  }();
  return k;
}

std::vector<Suggestion> suggestions(const Xapian::Database& db, Analyzer& analyzer,
                                    const std::string& prefix, int limit,
                                    const CompletionRanking& ranking) {
  std::vector<Suggestion> out;
  limit = std::clamp(limit, 1, 50);
  std::vector<std::string> words = split_words(text::fold(prefix));
  for (auto& w : words) w = text::fold_lower(w);
  std::erase_if(words, [](const std::string& w) { return w.empty(); });
  if (words.empty()) return out;
  const bool last_partial = !prefix.empty() && !is_space(prefix.back());

  std::vector<Xapian::Query> parts;
  std::vector<Xapian::Query> lead_parts;  // the words before the last one, anywhere in the text
  std::set<std::size_t> unknown;          // words before no practice has (ranking.skip_unknown)
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
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
    if (ranking.skip_unknown && db.get_termfreq(lead_term) == 0 && db.get_termfreq(terms.plain) == 0) {
      unknown.insert(i);
      continue;
    }
    lead_parts.emplace_back(lead_term);
  }
  std::optional<Xapian::Query> lead_query;
  if (!lead_parts.empty())
    lead_query = Xapian::Query(Xapian::Query::OP_AND, lead_parts.begin(), lead_parts.end());
  if (!parts.empty()) {
    Xapian::Enquire enquire(db);
    enquire.set_query(Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end()));
    const Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(limit));
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      const PracticeSummary p = summary_of(it.get_document());
      if (p.title.empty()) continue;
      out.push_back({p.title, "title", p.slug});
    }
  }

  const std::string& last = words.back();
  if (last_partial && last.size() >= 2 && static_cast<int>(out.size()) < limit) {
    // The words before the last one as they were typed (accents kept).
    std::string lead;
    const std::vector<Token> typed = tokenize(prefix);
    if (!typed.empty()) lead = prefix.substr(0, typed.back().begin);
    std::vector<Completion> found;
    if (lead_query && ranking.candidates == CompletionRanking::Candidates::from_practices) {
      found = completions_in_practices(db, *lead_query, last, 200);
    } else {
      found = commonest_completions(db, last);
      // After other words, only the commonest candidates are counted, one
      // small query each; those that never occur with the words before
      // are left out.
      if (lead_query) {
        if (found.size() > kCounted) found.resize(kCounted);
        if (ranking.extra_practices > 0) {
          std::set<std::string> have;
          for (const Completion& c : found) have.insert(c.term);
          for (Completion& c : completions_in_practices(db, *lead_query, last,
                                                        static_cast<Xapian::doccount>(ranking.extra_practices)))
            if (have.insert(c.term).second) found.push_back(std::move(c));
        }
        count_with(db, *lead_query, &found);
      }
    }
    // The words an adjacent completion follows.
    std::vector<std::string> run;
    if (words.size() >= 2 && !ranking.adjacency_from_content_word) run = {words[words.size() - 2]};
    for (std::size_t i = words.size() - 1; ranking.adjacency_from_content_word && i-- > 0;) {
      run.insert(run.begin(), words[i]);
      if (unknown.count(i) != 0 || run.size() > 3) run.clear();
      if (run.empty() || text::italian_stopwords().count(words[i]) == 0) break;
      if (i == 0) run.clear();
    }
    if (lead_query && !found.empty()) rank_after_words(db, *lead_query, run, ranking, &found);
    // One completion per word, not per form: "alimentare" stands for
    // "alimentari", "energetica" for "energetiche", "volontario" for
    // "volontari", so the list offers other words instead.
    std::set<std::string> seen;
    bool phrase_tried = false;
    for (const Completion& c : found) {
      if (static_cast<int>(out.size()) >= limit) break;
      const std::string word = inflection_key(c.term);
      if (!word.empty() && !seen.insert(word).second) continue;
      if (ranking.one_per_stem) {
        const std::string stem = analyzer.terms_for(c.term).stemmed;
        if (stem.size() >= 6 && !seen.insert(stem).second) continue;  // "Z" + five letters
      }
      if (ranking.phrases && lead_query && !phrase_tried && c.next_to > 0) {
        phrase_tried = true;
        const std::string next = next_word(db, run.back(), c.term);
        if (!next.empty())
          out.push_back({lead + written_form(db, c.term) + " " + written_form(db, next), "term", ""});
        if (static_cast<int>(out.size()) >= limit) break;
      }
      out.push_back({lead + written_form(db, c.term), "term", ""});
    }
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
