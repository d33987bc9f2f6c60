#include "index_document.h"

#include <algorithm>
#include <map>
#include <set>

#include <nlohmann/json.hpp>
#include <xapian/unicode.h>

#include "bp/teaching.h"
#include "markdown.h"
#include "schema.h"
#include "search_document.h"
#include "search_snippet.h"
#include "bp/text.h"

namespace bp {
namespace {

using nlohmann::json;
namespace schema = bp::schema;

std::string join(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& v : values) {
    if (!out.empty()) out += schema::kFacetSeparator;
    out += v;
  }
  return out;
}

std::string label_of(const Taxonomy& taxonomy, const std::string& vocabulary,
                     const std::string& slug) {
  if (const Vocabulary* v = taxonomy.vocabulary(vocabulary))
    if (const Term* t = v->find(slug)) return t->label;
  return {};
}

void add_boolean(Xapian::Document& doc, std::string_view prefix, const std::string& value) {
  if (value.empty()) return;
  std::string term(prefix);
  term += value;
  doc.add_boolean_term(term);
}

// "2023-03-14" -> "20230314"; year only -> "YYYY0000"; else "".
std::string date_key(const Practice& p) {
  if (p.date.size() == 10 && p.date[4] == '-' && p.date[7] == '-')
    return p.date.substr(0, 4) + p.date.substr(5, 2) + p.date.substr(8, 2);
  if (p.year > 0) {
    std::string y = std::to_string(p.year);
    if (y.size() < 4) y.insert(0, 4 - y.size(), '0');
    return y + "0000";
  }
  return {};
}

// The guide puts the cover in the slug's folder and names it alone
// ("copertina.jpg"); "<slug>/copertina.jpg", relative to the case file like
// the body's images, is accepted too (as `check` does).
std::string cover_url(const Practice& p) {
  const std::string dir = media_dir_of(p.path);
  if (p.cover->src.starts_with(p.slug + "/")) return rewrite_media_url(p.cover->src, dir);
  return rewrite_media_url(p.cover->src, dir + "/" + p.slug);
}

// The editors' plain-words description `in_parole_semplici` is indexed
// under its own prefix at wdf 0: its terms say only which practices use a
// word (the query scores them with a fixed weight, below the literal words,
// and only when those find too little: search_query.h), and they stay out
// of the document length BM25 normalises by. Measured on the relevance
// collection (docs/search-quality.md, "Plain words: candidates that keep
// every kind"): unprefixed at wdf 1, or prefixed at wdf 1 (in the length),
// lowered a kind.
constexpr Xapian::termcount kPlainWordsWdf = 0;

json practice_json(const Practice& p, const RenderedMarkdown& body) {
  json j;
  j["slug"] = p.slug;
  j["path"] = p.path;
  j["title"] = p.title;
  j["summary"] = p.summary;
  j["in_parole_semplici"] = p.plain_words;
  j["domande"] = p.questions;
  j["hub"] = p.hub;
  j["region"] = p.region;
  j["city"] = p.city;
  j["themes"] = p.themes;
  j["dimensions"] = p.dimensions;
  j["sdgs"] = p.sdgs;
  j["organisation"] = p.organisation;
  j["year"] = p.year > 0 ? json(p.year) : json(nullptr);
  j["audience"] = p.audience;
  j["modules"] = p.modules;
  j["date"] = p.date;
  j["tags"] = p.tags;
  j["contacts"] = json::array();
  for (const auto& c : p.contacts)
    j["contacts"].push_back({{"name", c.name},
                             {"role", c.role},
                             {"email", c.email_public ? c.email : std::string()},
                             {"url", c.url}});
  j["resources"] = json::array();
  for (const auto& r : p.resources) j["resources"].push_back({{"title", r.title}, {"url", r.url}});
  j["language"] = p.language;
  j["status"] = p.status;
  j["transferability"] =
      p.transferability.empty()
          ? json(nullptr)
          : json{{"level", p.transferability}, {"notes", p.transferability_notes}};
  j["results"] = json::array();
  for (const auto& r : p.results)
    j["results"].push_back({{"indicator", r.indicator}, {"value", r.value}, {"unit", r.unit}});
  j["license"] = p.license;
  if (p.cover) {
    j["cover"] = {{"src", p.cover->src},
                  {"alt", p.cover->alt},
                  {"url", cover_url(p)}};
  } else {
    j["cover"] = nullptr;
  }
  j["related"] = p.related;
  j["last_reviewed"] = p.last_reviewed;
  if (p.didattica) {
    const Teaching& t = *p.didattica;
    json acts = json::array();
    for (const auto& a : t.activities)
      acts.push_back({{"title", a.title},
                      {"description", a.description},
                      {"duration_minutes", a.duration_minutes}});
    j["didattica"] = {{"levels", t.levels},
                      {"subjects", t.subjects},
                      {"objectives", t.objectives},
                      {"duration_minutes", t.duration_minutes},
                      {"activities", acts}};
  } else {
    j["didattica"] = nullptr;
  }
  j["body_html"] = body.html;
  j["headings"] = body.section_headings;
  return j;
}

// Words of folded, lower-case text as the TermGenerator splits them.
std::vector<std::string> split_words(const std::string& folded_lower) {
  std::vector<std::string> words;
  std::string word;
  for (Xapian::Utf8Iterator it(folded_lower); it != Xapian::Utf8Iterator(); ++it) {
    const unsigned ch = *it;
    if (Xapian::Unicode::is_wordchar(ch)) {
      Xapian::Unicode::append_utf8(word, ch);
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

// Adds to `doc` the phrases of `text` that the completions after a space
// offer (schema::kNextWordsPrefix): each content word with the words after
// it in the same clause (only spaces or an apostrophe between them) up to
// and including the next content word.
void add_next_words(std::string_view text, std::set<std::string>* phrases) {
  struct Word {
    std::string text;
    std::string before;  // " ", "'" or "" (a clause ends before it)
  };
  std::vector<Word> words;
  std::string word;
  std::string before;
  const std::string folded = text::fold_lower(text);
  for (Xapian::Utf8Iterator it(folded); it != Xapian::Utf8Iterator(); ++it) {
    const unsigned ch = *it;
    if (Xapian::Unicode::is_wordchar(ch)) {
      Xapian::Unicode::append_utf8(word, ch);
      continue;
    }
    if (!word.empty()) {
      words.push_back({std::move(word), before});
      word.clear();
      before = " ";
    }
    if (ch == '\'' || ch == 0x2019) {
      if (before == " ") before = "'";
    } else if (ch != ' ') {
      before.clear();
    }
  }
  if (!word.empty()) words.push_back({std::move(word), before});
  // A phrase links its words with prepositions and articles only ("gruppi
  // di acquisto", "raccolta delle eccedenze"); "e", "che", "sono" start
  // another clause ("energia è hanno dato").
  static const std::set<std::string> kLinking = {
      "di",    "a",     "da",    "in",    "con",   "su",  "per",   "tra",   "fra", "il",    "lo",    "la",
      "i",     "gli",   "le",    "l",     "un",    "uno", "una",   "d",     "del", "dello", "della", "dei",
      "degli", "delle", "al",    "allo",  "alla",  "ai",  "agli",  "alle",  "dal", "dallo", "dalla", "dai",
      "dagli", "dalle", "nel",   "nello", "nella", "nei", "negli", "nelle", "col", "coi",   "sul",   "sullo",
      "sulla", "sui",   "sugli", "sulle", "dell",  "all", "dall",  "nell",  "sull"};
  const auto& stopwords = text::italian_stopwords();
  auto is_content = [&](const std::string& w) {
    return stopwords.count(w) == 0 && std::any_of(w.begin(), w.end(), [](char c) { return !(c >= '0' && c <= '9'); });
  };
  for (std::size_t i = 0; i + 1 < words.size(); ++i) {
    if (!is_content(words[i].text)) continue;
    std::string phrase = words[i].text;
    for (std::size_t j = i + 1; j < words.size() && j <= i + 1 + schema::kNextWordsMaxLinking; ++j) {
      if (words[j].before.empty()) break;
      phrase += words[j].before + words[j].text;
      if (!is_content(words[j].text)) {
        if (kLinking.count(words[j].text) == 0) break;
        continue;
      }
      // Xapian's terms are at most 245 bytes.
      if (phrase.size() + schema::kNextWordsPrefix.size() <= 200) phrases->insert(phrase);
      break;
    }
  }
}

}  // namespace

std::string media_dir_of(std::string_view relative_path) {
  const std::size_t slash = relative_path.rfind('/');
  if (slash == std::string_view::npos) return {};
  std::string_view dir = relative_path.substr(0, slash);
  // /media/ serves the practices/ folder: its name is not part of the URL.
  if (dir == "practices") return {};
  if (dir.starts_with("practices/")) dir.remove_prefix(std::string_view("practices/").size());
  return std::string(dir);
}

MadeDocument make_document(const Practice& p, const Taxonomy& taxonomy, Analyzer& analyzer,
                           const std::string& stat, const std::string& hash) {
  MadeDocument out;
  Xapian::Document& doc = out.document;
  const RenderedMarkdown body = render_markdown(p.body, media_dir_of(p.path));

  analyzer.set_document(doc);
  analyzer.index_text(p.title, 6);
  analyzer.index_text(p.title, 1, schema::kTitlePrefix);
  analyzer.separate_fields();
  analyzer.index_text(p.summary, 3);
  analyzer.separate_fields();
  // Absent, it adds nothing (not even a position gap): a library without the
  // field indexes exactly as before.
  if (!p.plain_words.empty()) {
    analyzer.index_text(p.plain_words, kPlainWordsWdf, schema::kPlainWordsPrefix);
    analyzer.separate_fields();
  }
  // The questions (`domande`) are the editors' words for the practice too:
  // indexed as the plain words are, under a prefix of their own so that the
  // query can weigh them apart (search_query.h, kQuestionsWeight).
  for (const auto& q : p.questions) {
    analyzer.index_text(q, kPlainWordsWdf, schema::kQuestionsPrefix);
    analyzer.separate_fields();
  }
  for (const auto& h : body.headings) {
    analyzer.index_text(h, 2);
    analyzer.separate_fields();
  }
  for (const auto& tag : p.tags) {
    analyzer.index_text(tag, 2);
    analyzer.separate_fields();
  }
  analyzer.index_text(p.city, 2);
  analyzer.separate_fields();
  analyzer.index_text(p.organisation, 2);
  analyzer.separate_fields();
  analyzer.index_text(body.text, 1);
  analyzer.separate_fields();
  // The phrases the completions after a space offer: the short fields,
  // where the practice names what it is about (not the body's every pair).
  std::set<std::string> phrases;
  add_next_words(p.title, &phrases);
  add_next_words(p.summary, &phrases);
  add_next_words(p.plain_words, &phrases);
  for (const auto& q : p.questions) add_next_words(q, &phrases);
  for (const auto& h : body.headings) add_next_words(h, &phrases);
  for (const auto& tag : p.tags) add_next_words(tag, &phrases);
  for (const std::string& phrase : phrases) add_boolean(doc, schema::kNextWordsPrefix, phrase);
  text::collect_display_forms(p.title, &out.display_forms);
  text::collect_display_forms(p.summary, &out.display_forms);
  text::collect_display_forms(p.plain_words, &out.display_forms);
  for (const auto& q : p.questions) text::collect_display_forms(q, &out.display_forms);
  for (const auto& h : body.headings) text::collect_display_forms(h, &out.display_forms);
  text::collect_display_forms(body.text, &out.display_forms);

  // Labels, so that "torino" or "economia circolare" match the facets too.
  auto index_label = [&](const std::string& vocabulary, const std::string& slug) {
    analyzer.index_text(label_of(taxonomy, vocabulary, slug), 1);
    analyzer.separate_fields();
  };
  index_label("hub", p.hub);
  index_label("region", p.region);
  for (const auto& t : p.themes) index_label("theme", t);
  for (const auto& d : p.dimensions) index_label("dimension", d);

  if (p.didattica) {
    // "primaria", "secondaria di primo grado": how teachers search.
    for (const auto& l : p.didattica->levels) index_label("level", l);
    for (const auto& s : p.didattica->subjects) {
      analyzer.index_text(s, 1);
      analyzer.separate_fields();
    }
    for (const auto& o : p.didattica->objectives) {
      analyzer.index_text(o, 1);
      analyzer.separate_fields();
    }
    for (const auto& a : p.didattica->activities) {
      analyzer.index_text(a.title, 1);
      analyzer.separate_fields();
      analyzer.index_text(a.description, 1);
      analyzer.separate_fields();
    }
  }
  for (const auto& r : p.results) {
    analyzer.index_text(r.indicator, 1);
    analyzer.separate_fields();
  }
  for (const auto& r : p.resources) {
    analyzer.index_text(r.title, 1);
    analyzer.separate_fields();
  }
  analyzer.index_text(p.transferability_notes, 1);
  analyzer.release_document();

  // Boolean terms.
  out.id_term = std::string(schema::kIdPrefix) + p.slug;
  doc.add_boolean_term(out.id_term);
  if (p.didattica) doc.add_boolean_term(std::string(schema::kLessonSheetTerm));
  add_boolean(doc, schema::kHubPrefix, p.hub);
  add_boolean(doc, schema::kRegionPrefix, p.region);
  for (const auto& v : p.themes) add_boolean(doc, schema::kThemePrefix, v);
  for (const auto& v : p.dimensions) add_boolean(doc, schema::kDimensionPrefix, v);
  std::vector<std::string> sdgs;
  for (int s : p.sdgs) sdgs.push_back(std::to_string(s));
  for (const auto& v : sdgs) add_boolean(doc, schema::kSdgPrefix, v);
  for (const auto& v : p.audience) add_boolean(doc, schema::kAudiencePrefix, v);
  for (const auto& v : p.modules) add_boolean(doc, schema::kModulePrefix, v);
  const std::string year = p.year > 0 ? std::to_string(p.year) : std::string();
  add_boolean(doc, schema::kYearPrefix, year);
  std::vector<std::string> levels, subjects;
  std::string duration;
  if (p.didattica) {
    levels = p.didattica->levels;
    subjects = p.didattica->subjects;
    duration = duration_band(p.didattica->duration_minutes);
    for (const auto& v : levels) add_boolean(doc, schema::kLevelPrefix, v);
    for (const auto& v : subjects) add_boolean(doc, schema::kSubjectPrefix, v);
    add_boolean(doc, schema::kDurationPrefix, duration);
    if (p.didattica->duration_minutes > 0)
      doc.add_value(schema::kSlotDuration, Xapian::sortable_serialise(p.didattica->duration_minutes));
  }

  // Values.
  doc.add_value(schema::kSlotDate, date_key(p));
  if (p.year > 0) doc.add_value(schema::kSlotYear, Xapian::sortable_serialise(p.year));
  doc.add_value(schema::kSlotTitle, text::fold_lower(p.title));
  doc.add_value(schema::kSlotHash, hash);
  doc.add_value(schema::kSlotStat, stat);
  doc.add_value(schema::kSlotPath, p.path);
  doc.add_value(schema::kSlotHub, p.hub);
  doc.add_value(schema::kSlotRegion, p.region);
  doc.add_value(schema::kSlotTheme, join(p.themes));
  doc.add_value(schema::kSlotDimension, join(p.dimensions));
  doc.add_value(schema::kSlotSdg, join(sdgs));
  doc.add_value(schema::kSlotAudience, join(p.audience));
  doc.add_value(schema::kSlotModule, join(p.modules));
  doc.add_value(schema::kSlotYearFacet, year);
  doc.add_value(schema::kSlotLevel, join(levels));
  doc.add_value(schema::kSlotSubject, join(subjects));
  doc.add_value(schema::kSlotDurationFacet, duration);

  // The page data and the result record in their slots, no document data
  // (search_document.h); the summary is read from the page data, so that
  // pages and result lists show the same.
  const json page = practice_json(p, body);
  doc.add_value(schema::kSlotPage, search::encode_page(page, body.text));
  const std::string plain_words_words = search::encode_snippet_words(p.plain_words);
  std::string questions;
  for (const auto& q : p.questions) questions += (questions.empty() ? "" : " ") + q;
  const std::string questions_words = search::encode_snippet_words(questions);
  doc.add_value(schema::kSlotResult, search::encode_result(search::summary_from(page), body.text,
                                                           search::encode_snippet_words(body.text),
                                                           {p.plain_words, plain_words_words},
                                                           {questions, questions_words}));

  // Word terms sort before prefixed ones only partly ('Z' < 'a'), so filter.
  for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) {
    const std::string& term = *it;
    const unsigned char c = static_cast<unsigned char>(term[0]);
    if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) continue;
    out.spelling_words.push_back(term);
  }
  return out;
}

std::vector<SynonymPair> synonym_pairs(const Taxonomy& taxonomy, Analyzer& analyzer) {
  struct Member {
    std::string key;   // words joined by one space
    std::string stem;  // "Z"+stem for a single word that has one, else ""
  };
  auto member_of = [&analyzer](const std::string& raw) {
    Member m;
    const std::vector<std::string> words = split_words(text::fold_lower(raw));
    for (const auto& w : words) {
      if (!m.key.empty()) m.key += ' ';
      m.key += w;
    }
    if (words.size() == 1) m.stem = analyzer.stem_term(words[0]);
    return m;
  };

  std::set<std::string> theme_labels;
  if (const Vocabulary* themes = taxonomy.vocabulary("theme"))
    for (const auto& t : themes->terms) theme_labels.insert(member_of(t.label).key);

  std::set<std::pair<std::string, std::string>> pairs;
  auto link = [&pairs](const Member& a, const Member& b) {
    if (a.key.empty() || b.key.empty() || a.key == b.key) return;
    // The plain key of `a` gives `b` as written and, for a word, its stem.
    pairs.emplace(a.key, b.key);
    if (!b.stem.empty()) pairs.emplace(a.key, b.stem);
    // The stemmed key of a single word `a`.
    if (!a.stem.empty()) {
      if (!b.stem.empty()) {
        if (b.stem != a.stem) pairs.emplace(a.stem, b.stem);
      } else {
        pairs.emplace(a.stem, b.key);
      }
    }
  };

  for (const SynonymGroup& group : taxonomy.synonyms()) {
    std::vector<Member> members;
    for (const auto& t : group.terms) members.push_back(member_of(t));
    if (members.empty()) continue;
    const bool star = theme_labels.count(members[0].key) != 0;
    for (std::size_t i = 0; i < members.size(); ++i) {
      for (std::size_t j = 0; j < members.size(); ++j) {
        if (i == j) continue;
        if (star && i != 0 && j != 0) continue;
        link(members[i], members[j]);
      }
    }
  }
  std::vector<SynonymPair> out;
  out.reserve(pairs.size());
  for (const auto& [k, v] : pairs) out.push_back({k, v});
  return out;
}

}  // namespace bp
