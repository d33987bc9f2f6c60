#include "teachers_page.h"

#include <algorithm>
#include <iterator>
#include <set>

#include "bp/text.h"
#include "json_view.h"
#include "practice_sections.h"
#include "search_page.h"

namespace bp::server {
namespace {

using nlohmann::json;

struct FilterGroup {
  const char* facet;
  const char* legend;
};

// The form's groups, in the order a teacher chooses: who, what, how long,
// then the programme's modules and the themes.
constexpr FilterGroup kGroups[] = {{"level", "Ordine di scuola"},
                                   {"subject", "Disciplina"},
                                   {"duration", "Durata"},
                                   {"module", "Modulo formativo"},
                                   {"theme", "Tema"}};

json labels(const Taxonomy& taxonomy, const char* vocabulary, const std::vector<std::string>& slugs) {
  json out = json::array();
  for (const auto& s : slugs) out.push_back(taxonomy.label(vocabulary, s));
  return out;
}

}  // namespace

std::variant<SearchRequest, ApiError> teachers_request(const Params& params, const Taxonomy& taxonomy) {
  auto parsed = lenient_search_params(params);
  if (auto* error = std::get_if<ApiError>(&parsed)) return *error;
  SearchRequest request = std::get<SearchRequest>(std::move(parsed));
  // Only the filters the form offers: another one (`hub=nord` in a shared
  // link) narrowed the list without a word or a box to untick, and the
  // next «Cerca» dropped it.
  std::erase_if(request.filters, [](const auto& filter) {
    return std::none_of(std::begin(kGroups), std::end(kGroups),
                        [&](const FilterGroup& g) { return filter.first == g.facet; });
  });
  request.per_page = kTeachersPerPage;
  request.page = 1;  // one page, no pagination: ?page=2 showed «le prime 0»
  if (request.q.empty()) request.sort = SortOrder::kTitle;
  // Only practices with a lesson sheet: any level of the vocabulary.
  if (request.filters["level"].empty())
    if (const Vocabulary* levels = taxonomy.vocabulary("level")) request.filters["level"] = levels->slugs();
  return request;
}

json teachers_page_view(const SearchRequest& request, const SearchResponse* answer, const std::string& error,
                        const Taxonomy& taxonomy, bool levels_chosen, const LevelInWords* level_in_words) {
  json groups = json::array();
  bool any_chosen = !request.q.empty() || request.duration_max.has_value();
  // The filters chosen, in words, for the line above the results (which is
  // what a printed list keeps of the form).
  std::vector<std::string> chosen_words;
  if (!request.q.empty()) chosen_words.push_back("parole «" + request.q + "»");
  for (const auto& group : kGroups) {
    const Vocabulary* vocabulary = taxonomy.vocabulary(group.facet);
    if (!vocabulary) continue;
    std::set<std::string> chosen;
    if (auto it = request.filters.find(group.facet); it != request.filters.end())
      chosen.insert(it->second.begin(), it->second.end());
    if (std::string(group.facet) == "level" && !levels_chosen) chosen.clear();
    any_chosen = any_chosen || !chosen.empty();
    const std::map<std::string, std::uint64_t>* counts = nullptr;
    if (answer)
      if (auto it = answer->facets.find(group.facet); it != answer->facets.end()) counts = &it->second;
    json items = json::array();
    std::string chosen_labels;
    for (const auto& term : vocabulary->terms)
      if (chosen.count(term.slug) > 0)
        chosen_labels += (chosen_labels.empty() ? "" : ", ") + (term.label.empty() ? term.slug : term.label);
    // A value the vocabulary lacks (an old or mistyped link) finds nothing:
    // said, so that the empty list has its reason.
    for (const auto& slug : chosen)
      if (vocabulary->find(slug) == nullptr)
        chosen_labels += (chosen_labels.empty() ? "" : ", ") + ("«" + slug + "», che non esiste");
    if (!chosen_labels.empty()) chosen_words.push_back(std::string(group.legend) + ": " + chosen_labels);
    for (const auto& term : vocabulary->terms) {
      std::uint64_t n = 0;
      if (counts)
        if (auto c = counts->find(term.slug); c != counts->end()) n = c->second;
      const bool checked = chosen.count(term.slug) > 0;
      // Values no practice has are left out, unless chosen (to be unticked).
      if (n == 0 && !checked) continue;
      items.push_back({{"value", term.slug}, {"label", term.label.empty() ? term.slug : term.label},
                       {"n", n}, {"checked", checked},
                       {"id", std::string("d-") + group.facet + "-" + term.slug}});
    }
    if (items.empty()) continue;
    groups.push_back({{"facet", group.facet}, {"legend", group.legend}, {"items", std::move(items)},
                      {"open", !chosen.empty() || std::string(group.facet) == "level" ||
                                   std::string(group.facet) == "subject"}});
  }

  if (request.duration_max) chosen_words.push_back("al massimo " + italian_duration(*request.duration_max));
  std::string chosen_line;
  for (const auto& words : chosen_words) chosen_line += (chosen_line.empty() ? "" : "; ") + words;

  json results = json::array();
  std::string status;
  if (answer) {
    for (const auto& hit : answer->results) {
      const PracticeSummary& p = hit.practice;
      std::string place = taxonomy.label("region", p.region);
      if (!p.city.empty()) place = p.city + " · " + place;
      const std::string duration = italian_duration(p.duration_minutes);
      results.push_back({{"slug", p.slug},
                         {"url", practice_url(p.slug)},
                         {"sheet_url", practice_url(p.slug) + "/scheda-didattica"},
                         {"title", p.title},
                         {"summary", p.summary},
                         {"place", place},
                         {"levels", labels(taxonomy, "level", p.levels)},
                         {"has_levels", !p.levels.empty()},
                         {"subjects", labels(taxonomy, "subject", p.subjects)},
                         {"has_subjects", !p.subjects.empty()},
                         {"duration", duration.empty() ? json(false) : json(duration)},
                         {"missing", hit.missing.empty() ? json(false) : json(missing_words_text(hit.missing))}});
    }
    status = answer->total == 0 ? "Nessuna pratica con scheda didattica corrisponde ai filtri scelti."
                                : text::count_noun(answer->total, "pratica", "pratiche") + " con scheda didattica";
    if (answer->total > results.size())
      status += " (qui le prime " + std::to_string(results.size()) + ": restringi i filtri per vederle tutte)";
  }
  // No practice has every choice: one link per choice that takes it away,
  // the others kept, so the teacher sees which one emptied the list (as
  // the search page's «togli uno o più filtri»).
  json relax = json::array();
  if (answer && answer->total == 0) {
    struct Choice {
      std::string facet, slug, label;
    };
    std::vector<Choice> choices;
    for (const auto& group : kGroups) {
      const std::string facet = group.facet;
      // The levels put in when none is chosen are no choice of the teacher.
      if (facet == "level" && !levels_chosen && !level_in_words) continue;
      auto it = request.filters.find(facet);
      if (it == request.filters.end()) continue;
      for (const auto& slug : it->second) choices.push_back({facet, slug, taxonomy.label(facet, slug)});
    }
    auto without = [&](const Choice* skip, bool keep_words, bool keep_max) {
      std::string query;
      auto add = [&query](const std::string& key, const std::string& value) {
        query += (query.empty() ? "?" : "&") + key + "=" + text::form_encode(value);
      };
      if (keep_words && !request.q.empty()) add("q", request.q);
      for (const auto& c : choices)
        if (&c != skip) add(c.facet, c.slug);
      if (keep_max && request.duration_max) add("duration_max", std::to_string(*request.duration_max));
      return "/docenti" + query + "#per-la-scuola";
    };
    const std::size_t offered = choices.size() + (request.q.empty() ? 0 : 1) + (request.duration_max ? 1 : 0);
    if (offered >= 2) {
      for (const auto& c : choices) relax.push_back({{"url", without(&c, true, true)}, {"label", "«" + c.label + "»"}});
      if (!request.q.empty())
        relax.push_back({{"url", without(nullptr, false, true)}, {"label", "le parole «" + request.q + "»"}});
      if (request.duration_max)
        relax.push_back({{"url", without(nullptr, true, false)},
                         {"label", "«al massimo " + italian_duration(*request.duration_max) + "»"}});
    }
  }
  std::string interpretation = answer ? interpretation_text(answer->interpretation, answer->total > 0) : "";
  if (level_in_words)
    interpretation = "«" + level_in_words->words + "»: abbiamo scelto l'ordine di scuola " +
                     taxonomy.label("level", level_in_words->level) + " (puoi cambiarlo nei filtri)." +
                     (interpretation.empty() ? "" : " " + interpretation);
  return {
      {"interpretation", interpretation.empty() ? json(false) : json(interpretation)},
      {"q", request.q},
      {"groups", std::move(groups)},
      {"results", results},
      {"has_results", !results.empty()},
      {"relax", relax},
      {"has_relax", !relax.empty()},
      {"status", status},
      {"error", error.empty() ? json(false) : json(error)},
      {"any_chosen", any_chosen},
      {"chosen", chosen_line.empty() ? json(false) : json(chosen_line)},
  };
}

}  // namespace bp::server
