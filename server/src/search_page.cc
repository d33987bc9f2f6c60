#include "search_page.h"

#include <algorithm>
#include <set>

#include "bp/italian_number.h"
#include "bp/text.h"
#include "html_pages.h"
#include "search_analytics.h"
#include "search_params.h"

namespace bp::server {
namespace {

using nlohmann::json;

// Facet panels in display order, then `module` (a chip only), as
// web/js/url-state.js FACETS and URL_FACETS.
const std::vector<std::string> kPanels = {"theme",    "hub",   "region",  "dimension", "sdg",
                                          "audience", "level", "subject", "duration",  "year"};
const std::vector<std::string> kUrlFacets = {"theme", "hub",     "region",   "dimension", "sdg",   "audience",
                                             "level", "subject", "duration", "year",      "module"};

const std::map<std::string, std::string> kFacetLabels = {
    {"theme", "Tema"},         {"hub", "Hub"},
    {"region", "Regione"},     {"dimension", "Dimensione"},
    {"sdg", "Obiettivo di sviluppo sostenibile"},
    {"audience", "Destinatari"}, {"year", "Anno di avvio"},
    {"level", "Ordine di scuola"}, {"subject", "Disciplina"},
    {"duration", "Durata della scheda didattica"},
    {"module", "Modulo formativo"}};

constexpr int kPerPage = 10;
// Themes offered when a search finds nothing.
constexpr std::size_t kEmptyThemes = 4;

std::string url_of(const SearchPageState& state) { return "/" + search_query_string(state); }


// The live-region text, as web/js/results.js statusText().
std::string status_text(const SearchPageState& state, const SearchResponse& r) {
  std::string text;
  if (!state.q.empty() && !text::has_word_character(state.q))
    // «😀», «?!»: nothing to search, so every practice is listed, as for an
    // empty box; not "44 found for «😀»".
    text = "Nessuna parola da cercare in «" + state.q +
           "»: " + (r.total == 0 ? std::string("nessuna pratica") : text::count_noun(r.total, "pratica", "pratiche"));
  else {
    text = r.total == 0 ? "Nessuna pratica trovata" : text::count_noun(r.total, "pratica trovata", "pratiche trovate");
    if (!state.q.empty()) text += " per «" + state.q + "»";
  }
  const std::uint64_t pages = std::max<std::uint64_t>(1, (r.total + kPerPage - 1) / kPerPage);
  if (r.total > 0 && pages > 1)
    text += " – pagina " + italian_thousands(static_cast<std::uint64_t>(r.page)) + " di " + italian_thousands(pages);
  return text;
}

json facet_items(const std::string& facet, const std::vector<std::string>& values,
                 const std::map<std::string, std::uint64_t>& counts,
                 const std::set<std::string>& selected, const Taxonomy& taxonomy, bool* any_visible) {
  json items = json::array();
  for (const auto& value : values) {
    const auto found = counts.find(value);
    const std::uint64_t n = found == counts.end() ? 0 : found->second;
    const bool checked = selected.count(value) > 0;
    std::string label = taxonomy.label(facet, value);
    if (facet == "sdg") {
      // "12. Consumo e produzione responsabili" -> "Consumo e produzione responsabili"
      const auto dot = label.find(". ");
      if (dot != std::string::npos && dot <= 2) label = label.substr(dot + 2);
    }
    std::string id = "f-" + facet + "-" + value;
    for (char& c : id)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') c = '-';
    const bool visible = n > 0 || checked;
    *any_visible = *any_visible || visible;
    // Values that match nothing are left out (the JS panels add them when
    // another answer counts them): the page stays light on a phone.
    if (!visible) continue;
    items.push_back({{"value", value}, {"label", label}, {"n", italian_thousands(n)}, {"zero", n == 0},
                     {"checked", checked}, {"visible", visible}, {"id", id},
                     {"sdg", facet == "sdg"}, {"unit", n == 1 ? "pratica" : "pratiche"}});
  }
  return items;
}

// Values of a facet in the order web/js/facets.js shows them.
std::vector<std::string> ordered_values(const std::string& facet, const Taxonomy& taxonomy,
                                        const std::map<std::string, std::uint64_t>& counts,
                                        const std::set<std::string>& selected) {
  std::vector<std::string> values;
  std::set<std::string> seen;
  auto add = [&](const std::string& v) {
    if (seen.insert(v).second) values.push_back(v);
  };
  if (const Vocabulary* v = taxonomy.vocabulary(facet))
    for (const auto& t : v->terms) add(t.slug);
  for (const auto& [value, n] : counts) add(value);
  for (const auto& value : selected) add(value);
  auto count = [&](const std::string& v) {
    auto it = counts.find(v);
    return it == counts.end() ? std::uint64_t{0} : it->second;
  };
  if (facet == "theme" || facet == "audience") {
    std::stable_sort(values.begin(), values.end(), [&](const auto& a, const auto& b) {
      if (count(a) != count(b)) return count(a) > count(b);
      return text::fold(taxonomy.label(facet, a)) < text::fold(taxonomy.label(facet, b));
    });
  } else if (facet == "year") {
    std::stable_sort(values.begin(), values.end(),
                     [](const auto& a, const auto& b) { return std::atoi(a.c_str()) > std::atoi(b.c_str()); });
  } else if (facet == "sdg") {
    std::stable_sort(values.begin(), values.end(),
                     [](const auto& a, const auto& b) { return std::atoi(a.c_str()) < std::atoi(b.c_str()); });
  }
  return values;
}

json facets_view(const SearchPageState& state, const SearchResponse* answer, const Taxonomy& taxonomy) {
  static const std::map<std::string, std::uint64_t> kNone;
  json facets = json::array();
  for (const auto& facet : kPanels) {
    const auto found = answer ? answer->facets.find(facet) : decltype(answer->facets.end()){};
    const auto& counts = answer && found != answer->facets.end() ? found->second : kNone;
    std::set<std::string> selected;
    if (auto it = state.filters.find(facet); it != state.filters.end())
      selected.insert(it->second.begin(), it->second.end());
    const auto values = ordered_values(facet, taxonomy, counts, selected);
    bool any_visible = false;
    json groups = json::array();
    if (facet == "region") {
      for (const char* hub : {"nord", "centro", "sud"}) {
        std::vector<std::string> own;
        for (const auto& v : values) {
          std::string h = taxonomy.hub_of_region(v);
          if ((h.empty() ? "nord" : h) == hub) own.push_back(v);
        }
        bool group_visible = false;
        json items = facet_items(facet, own, counts, selected, taxonomy, &group_visible);
        any_visible = any_visible || group_visible;
        groups.push_back({{"hub", hub}, {"hub_label", taxonomy.label("hub", hub)},
                          {"visible", group_visible}, {"items", std::move(items)}});
      }
    } else {
      json items = facet_items(facet, values, counts, selected, taxonomy, &any_visible);
      groups.push_back({{"hub", false}, {"visible", true}, {"items", std::move(items)}});
    }
    facets.push_back({{"facet", facet}, {"legend", kFacetLabels.at(facet)}, {"grouped", facet == "region"},
                      {"visible", !values.empty() && any_visible}, {"groups", std::move(groups)}});
  }
  return facets;
}

json pagination_view(const SearchPageState& state, const SearchResponse& r) {
  const int pages = static_cast<int>((r.total + kPerPage - 1) / kPerPage);
  if (pages <= 1) return nullptr;
  const int current = r.page;
  auto at = [&](int page) {
    SearchPageState s = state;
    s.page = page;
    return url_of(s);
  };
  json items = json::array();
  auto link = [&](int page, const std::string& text, const std::string& rel) {
    items.push_back({{"link", {{"url", at(page)}, {"n", std::to_string(page)},
                               {"text", text.empty() ? json(false) : json(text)},
                               {"rel", rel.empty() ? json(false) : json(rel)}}}});
  };
  if (current > 1) link(current - 1, "‹ Precedente", "prev");
  std::set<int> shown;
  for (int p : {1, pages, current - 1, current, current + 1})
    if (p >= 1 && p <= pages) shown.insert(p);
  int last = 0;
  for (int page : shown) {
    if (page - last > 1) items.push_back({{"gap", true}});
    if (page == current) items.push_back({{"current", {{"n", std::to_string(page)}}}});
    else link(page, "", "");
    last = page;
  }
  if (current < pages) link(current + 1, "Successiva ›", "next");
  return {{"items", std::move(items)}};
}

// «a», «b»: the query's words as the page quotes them.
std::string quoted_words(const std::vector<std::string>& words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) out += (i ? ", " : "") + std::string("«") + words[i] + "»";
  return out;
}

// The first `n` of `words`: a theme brings dozens of synonyms, a pasted
// paragraph dozens of unread words.
std::vector<std::string> first_of(const std::vector<std::string>& words, std::size_t n) {
  return {words.begin(), words.begin() + static_cast<std::ptrdiff_t>(std::min(n, words.size()))};
}

std::string interpretation_line(const QueryInterpretation& in, bool found) {
  std::string out;
  if (!in.corrected.empty()) {
    out = "Abbiamo corretto ";
    bool first = true;
    for (const auto& [from, to] : in.corrected) {
      out += (first ? "" : ", ") + std::string("«") + from + "» in «" + to + "»";
      first = false;
    }
    out += ".";
  }
  // With no result there is no result to lack a word: «Nessuna pratica
  // trovata» says it all.
  if (in.relaxed && !in.dropped.empty() && found) {
    out += out.empty() ? "" : " ";
    out += "Non tutte le parole sono presenti in ogni risultato (" + quoted_words(in.dropped) + ").";
  }
  constexpr std::size_t kShown = 5;
  if (!in.synonyms.empty()) {
    out += out.empty() ? "" : " ";
    // With no result, what was also searched for, not results that do not exist.
    out += (found ? "Risultati anche per: " : "Abbiamo cercato anche: ") + quoted_words(first_of(in.synonyms, kShown)) +
           (in.synonyms.size() > kShown ? "…" : ".");
  }
  if (!in.unread.empty()) {
    out += out.empty() ? "" : " ";
    out += "Ricerca troppo lunga: non abbiamo cercato le ultime parole (" + quoted_words(first_of(in.unread, kShown)) +
           (in.unread.size() > kShown ? ", …" : "") + ").";
  }
  return out;
}

}  // namespace

std::string interpretation_text(const QueryInterpretation& interpretation, bool found) {
  return interpretation_line(interpretation, found);
}

std::string missing_words_text(const std::vector<std::string>& missing) { return quoted_words(missing); }

SearchPageState search_page_state(const Params& params) {
  SearchPageState state;
  if (auto it = params.find("q"); it != params.end()) {
    // As the JS reads the box (web/js/search-page.js trims it): the words
    // with one space between them, so «orti  » is quoted as «orti», and at
    // most kMaxQueryChars characters (url-state.js keeps as many).
    std::string words;
    std::size_t chars = 0;
    bool space = false;
    for (const char c : query_text(it->second)) {
      if (c == ' ') {
        space = !words.empty();
        continue;
      }
      const bool starts_char = (static_cast<unsigned char>(c) & 0xC0) != 0x80;
      if (starts_char && chars + (space ? 1 : 0) >= kMaxQueryChars) break;
      if (space) {
        words += ' ';
        ++chars;
        space = false;
      }
      if (starts_char) ++chars;
      words += c;
    }
    state.q = std::move(words);
  }
  // At most kMaxFilterValues in all, as the search takes: the page (its
  // 400 too) shows one link per value holding every other one.
  std::size_t kept = 0;
  for (const auto& facet : kUrlFacets) {
    auto [begin, end] = params.equal_range(facet);
    std::vector<std::string> values;
    for (auto it = begin; it != end && kept < kMaxFilterValues; ++it) {
      if (it->second.empty() || !is_facet_value(facet, it->second) ||
          std::find(values.begin(), values.end(), it->second) != values.end())
        continue;
      values.push_back(it->second);
      ++kept;
    }
    if (!values.empty()) state.filters[facet] = std::move(values);
  }
  if (auto it = params.find("sort"); it != params.end() && (it->second == "date" || it->second == "title"))
    state.sort = it->second;
  if (auto it = params.find("page"); it != params.end()) {
    const int page = std::atoi(it->second.c_str());
    state.page = page >= 1 ? page : 1;
  }
  return state;
}

std::string search_query_string(const SearchPageState& state) {
  std::string out;
  auto add = [&](const std::string& key, const std::string& value) {
    out += (out.empty() ? "?" : "&") + key + "=" + text::form_encode(value);
  };
  if (!state.q.empty()) add("q", state.q);
  for (const auto& facet : kUrlFacets)
    if (auto it = state.filters.find(facet); it != state.filters.end())
      for (const auto& value : it->second) add(facet, value);
  if (state.sort != "relevance") add("sort", state.sort);
  if (state.page > 1) add("page", std::to_string(state.page));
  return out;
}

json empty_themes_view(const SearchPageState& base, const SearchResponse& browse, const Taxonomy& taxonomy) {
  std::vector<std::pair<std::uint64_t, std::size_t>> ranked;  // count, vocabulary position
  const Vocabulary* vocabulary = taxonomy.vocabulary("theme");
  auto counts = browse.facets.find("theme");
  if (vocabulary && counts != browse.facets.end()) {
    for (std::size_t i = 0; i < vocabulary->terms.size(); ++i) {
      auto it = counts->second.find(vocabulary->terms[i].slug);
      if (it != counts->second.end() && it->second > 0) ranked.emplace_back(it->second, i);
    }
  }
  // Most practices first; the vocabulary's order among equals.
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  if (ranked.size() > kEmptyThemes) ranked.resize(kEmptyThemes);
  json themes = json::array();
  for (std::size_t n = 0; n < ranked.size(); ++n) {
    const Term& term = vocabulary->terms[ranked[n].second];
    SearchPageState target = base;
    target.q.clear();
    target.sort = "relevance";
    target.page = 1;
    target.filters["theme"] = {term.slug};
    themes.push_back({{"url", url_of(target)},
                      {"label", term.label},
                      {"count", text::count_noun(ranked[n].first, "pratica", "pratiche")},
                      {"last", n + 1 == ranked.size()}});
  }
  return themes;
}

json search_page_view(const SearchPageState& state, const SearchResponse* answer,
                      const std::string& error, const Taxonomy& taxonomy, const json& embedded) {
  json view = {{"q", state.q}, {"sort_param", state.sort == "relevance" ? json(false) : json(state.sort)}};

  json sorts = json::array();
  for (const auto& [value, label] : std::vector<std::pair<std::string, std::string>>{
           {"relevance", "Pertinenza"}, {"date", "Più recenti"}, {"title", "Titolo (A–Z)"}})
    sorts.push_back({{"value", value}, {"label", label}, {"selected", value == state.sort}});
  view["sorts"] = std::move(sorts);

  json active = json::array();
  for (const auto& facet : kUrlFacets) {
    auto it = state.filters.find(facet);
    if (it == state.filters.end()) continue;
    for (const auto& value : it->second) {
      SearchPageState without = state;
      auto& values = without.filters[facet];
      values.erase(std::remove(values.begin(), values.end(), value), values.end());
      if (values.empty()) without.filters.erase(facet);
      without.page = 1;
      active.push_back({{"facet", facet}, {"value", value},
                        {"text", kFacetLabels.at(facet) + ": " + taxonomy.label(facet, value)},
                        {"remove_url", url_of(without)}});
    }
  }
  view["active_count"] = active.empty() ? json(false) : json(text::count_noun(active.size(), "attivo", "attivi"));
  view["active"] = std::move(active);
  // `module` has no panel (a chip only): the filters' form carries it, or
  // «Mostra» and «Ordina» without JavaScript drop it.
  json modules = json::array();
  if (auto it = state.filters.find("module"); it != state.filters.end())
    for (const auto& value : it->second) modules.push_back(value);
  view["kept_modules"] = std::move(modules);
  SearchPageState cleared = state;
  cleared.filters.clear();
  cleared.page = 1;
  view["clear_url"] = url_of(cleared);
  view["facets"] = facets_view(state, answer, taxonomy);

  if (!answer) {
    view["status"] = error;
    view["empty"] = false;
    view["results"] = json::array();
    view["start"] = "1";
    view["total_text"] = "le pratiche";
    view["initial_data"] = "";
    return view;
  }

  view["status"] = status_text(state, *answer);
  view["total_text"] = answer->total == 0 ? "i risultati" : text::count_noun(answer->total, "pratica", "pratiche");
  view["start"] = std::to_string((answer->page - 1) * kPerPage + 1);
  json results = json::array();
  for (const auto& hit : answer->results) {
    const auto& p = hit.practice;
    json themes = json::array();
    for (std::size_t i = 0; i < p.themes.size() && i < 4; ++i) themes.push_back(taxonomy.label("theme", p.themes[i]));
    std::string place = taxonomy.label("region", p.region);
    if (p.region.empty()) place.clear();
    if (!p.city.empty()) place += (place.empty() ? "" : " · ") + p.city;
    const int position = (answer->page - 1) * kPerPage + static_cast<int>(results.size()) + 1;
    // From a search, the link counts the click (search_analytics.h) and is nofollow.
    results.push_back({{"url", result_link(state.q, position, p.slug)},
                       {"counted", !state.q.empty()},
                       {"title", p.title.empty() ? p.slug : p.title},
                       // A case file in another language says so (screen readers read it so).
                       {"content_lang", p.language.empty() || p.language == "it" ? json(false) : json(p.language)},
                       {"hub", p.hub.empty() ? json(false) : json(p.hub)},
                       {"hub_label", taxonomy.label("hub", p.hub)},
                       {"place", place.empty() ? json(false) : json(place)},
                       {"year", p.year > 0 ? json(std::to_string(p.year)) : json(false)},
                       // Escaped by the engine, with <mark> around matches.
                       {"snippet_html", hit.snippet_html.empty() ? text::html_escape(p.summary) : hit.snippet_html},
                       {"found_in_plain_words", hit.found_in_plain_words},
                       {"found_in_questions", hit.found_in_questions},
                       {"missing", hit.missing.empty() ? json(false) : json(quoted_words(hit.missing))},
                       {"has_themes", !themes.empty()},
                       {"themes", std::move(themes)}});
  }
  view["results"] = std::move(results);
  const bool empty = answer->total == 0;
  view["empty"] = empty;
  bool has_filters = !state.filters.empty();
  view["empty_message"] = !state.q.empty()
                              ? "Non abbiamo trovato pratiche per «" + state.q + "»" +
                                    (has_filters ? " con i filtri scelti" : "") + ". Qualche idea:"
                              : "Nessuna pratica corrisponde ai filtri scelti. Qualche idea:";
  // The themes to try come from a second search (empty_themes_view),
  // asked by the route only when this one found nothing.
  view["empty_themes"] = json::array();
  view["empty_themes_within"] = false;
  view["filters_tip"] = has_filters;
  view["words_tip"] = !state.q.empty();  // not when the words found something without the filters
  // No "did you mean" beside "Abbiamo corretto": the answer is already the
  // corrected search (QueryUnderstanding::parse), and two sentences about
  // one correction read as two different searches. `suggestion` stays in
  // the API for its clients.
  const std::string interpretation = interpretation_line(answer->interpretation, answer->total > 0);
  view["interpretation"] = interpretation.empty() ? json(false) : json(interpretation);
  view["pages"] = pagination_view(state, *answer);
  // The first answer and the vocabularies for the JS front end: a data
  // block (never executed, so the CSP allows it). "<" is escaped so the
  // JSON can never close the element.
  std::string data = embedded.dump(-1, ' ', false, json::error_handler_t::replace);
  std::string safe;
  for (char c : data) safe += c == '<' ? std::string("\\u003c") : std::string(1, c);
  view["initial_data"] = "<script type=\"application/json\" id=\"search-data\">" + safe + "</script>";
  return view;
}

}  // namespace bp::server
