#include "json_view.h"

#include "bp/site/respond.h"

namespace bp::server {

using nlohmann::json;

std::string practice_url(const std::string& slug) { return "/pratiche/" + slug; }

std::string dump(const json& value) { return site::json_text(value); }

json error_json(const ApiError& error) {
  return {{"error", error.code}, {"message", error.message}};
}

namespace {

json summary_json(const PracticeSummary& p) {
  return {{"slug", p.slug},       {"url", practice_url(p.slug)},
          {"title", p.title},     {"summary", p.summary},
          {"hub", p.hub},         {"region", p.region},
          {"city", p.city},       {"themes", p.themes},
          {"dimensions", p.dimensions}, {"sdgs", p.sdgs},
          {"year", p.year},       {"date", p.date},
          {"levels", p.levels},   {"subjects", p.subjects},
          {"duration_minutes", p.duration_minutes}};
}

}  // namespace

json search_json(const SearchResponse& r, double took_ms) {
  json results = json::array();
  for (const auto& hit : r.results) {
    json item = summary_json(hit.practice);
    item["snippet"] = hit.snippet_html;
    results.push_back(std::move(item));
  }
  json facets = json::object();
  for (const auto& name : facet_names()) facets[name] = json::object();
  for (const auto& [name, values] : r.facets) {
    json& counts = facets[name];
    for (const auto& [value, count] : values) counts[value] = count;
  }
  const auto& in = r.interpretation;
  json corrected = json::object();
  for (const auto& [from, to] : in.corrected) corrected[from] = to;
  return {{"query", r.query},
          {"total", r.total},
          {"page", r.page},
          {"per_page", r.per_page},
          {"results", std::move(results)},
          {"facets", std::move(facets)},
          {"suggestion", r.suggestion ? json(*r.suggestion) : json(nullptr)},
          {"interpretation",
           {{"relaxed", in.relaxed},
            {"dropped", in.dropped},
            {"ignored", in.ignored},
            {"required", in.required},
            {"expanded", in.expanded},
            {"corrected", std::move(corrected)},
            {"synonyms", in.synonyms}}},
          {"took_ms", took_ms}};
}

json suggest_json(const std::string& query, const std::vector<Suggestion>& suggestions) {
  json list = json::array();
  for (const auto& s : suggestions) {
    json item = {{"text", s.text}, {"kind", s.kind}};
    if (!s.slug.empty()) {
      item["slug"] = s.slug;
      item["url"] = practice_url(s.slug);
    }
    list.push_back(std::move(item));
  }
  return {{"query", query}, {"suggestions", std::move(list)}};
}

json practice_json(const PracticePage& page) {
  json out = summary_json(page.practice);
  out["organisation"] = page.practice.organisation;
  out["audience"] = page.practice.audience;
  out["modules"] = page.practice.modules;
  // The full front matter as the engine stored it; left out if unreadable.
  json metadata = json::parse(page.json, nullptr, false);
  out["metadata"] = metadata.is_discarded() ? json::object() : std::move(metadata);
  out["body_html"] = page.body_html;
  json related = json::array();
  for (const auto& p : page.related) related.push_back(summary_json(p));
  out["related"] = std::move(related);
  return out;
}

json taxonomy_json(const Taxonomy& taxonomy, const FacetCounts& counts) {
  json vocabularies = json::object();
  for (const auto& vocabulary : taxonomy.vocabularies()) {
    const auto found = counts.find(vocabulary.name);
    json terms = json::array();
    for (const auto& term : vocabulary.terms) {
      json t = {{"slug", term.slug}, {"label", term.label}};
      if (!term.label_en.empty()) t["label_en"] = term.label_en;
      if (!term.description.empty()) t["description"] = term.description;
      if (!term.hub.empty()) t["hub"] = term.hub;
      if (!term.group.empty()) t["group"] = term.group;
      if (!term.color.empty()) t["color"] = term.color;
      std::uint64_t count = 0;
      if (found != counts.end()) {
        auto c = found->second.find(term.slug);
        if (c != found->second.end()) count = c->second;
      }
      if (found != counts.end() || vocabulary.name != "macro_action") t["count"] = count;
      terms.push_back(std::move(t));
    }
    vocabularies[vocabulary.name] = std::move(terms);
  }
  return {{"vocabularies", std::move(vocabularies)}};
}

}  // namespace bp::server
