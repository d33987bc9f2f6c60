#include "json_view.h"

#include <map>
#include <string_view>

#include "bp/site/respond.h"

namespace bp::server {

using nlohmann::json;

std::string practice_url(const std::string& slug) { return "/pratiche/" + slug; }

std::string dump(const json& value) { return site::json_text(value); }

json error_json(const ApiError& error) {
  return {{"error", error.code}, {"message", error.message}};
}

namespace {

// The summary fields of a practice as members of the object being written,
// with "snippet" (and "found_in" when the snippet comes from the plain
// words, "missing" when a relaxed answer's practice lacks some of the
// query's words) for a search hit: the one definition of a result's shape (keys
// in json_text()'s order).
void write_summary(site::JsonWriter& w, const PracticeSummary& p, const SearchHit* hit) {
  w.key("city").string(p.city);
  w.key("date").string(p.date);
  w.key("dimensions").strings(p.dimensions);
  w.key("duration_minutes").integer(p.duration_minutes);
  if (hit && hit->found_in_plain_words) w.key("found_in").string("in_parole_semplici");
  if (hit && hit->found_in_questions) w.key("found_in").string("domande");
  w.key("hub").string(p.hub);
  w.key("language").string(p.language);
  w.key("levels").strings(p.levels);
  if (hit && !hit->missing.empty()) w.key("missing").strings(hit->missing);
  w.key("region").string(p.region);
  w.key("sdgs").begin_array();
  for (int sdg : p.sdgs) w.integer(sdg);
  w.end_array();
  w.key("slug").string(p.slug);
  if (hit) w.key("snippet").string(hit->snippet_html);
  w.key("subjects").strings(p.subjects);
  w.key("summary").string(p.summary);
  w.key("themes").strings(p.themes);
  w.key("title").string(p.title);
  w.key("url").string(practice_url(p.slug));
  w.key("year").integer(p.year);
}

json summary_json(const PracticeSummary& p) {
  site::JsonWriter w;
  w.begin_object();
  write_summary(w, p, nullptr);
  w.end_object();
  return json::parse(w.take());
}

}  // namespace

std::string search_json_text(const SearchResponse& r, double took_ms) {
  site::JsonWriter w;
  w.begin_object();
  // Every facet of the API, then any other the engine counted, in key order.
  std::map<std::string_view, const std::map<std::string, std::uint64_t>*> facets;
  for (const auto& name : facet_names()) facets.emplace(name, nullptr);
  for (const auto& [name, values] : r.facets) facets[name] = &values;
  w.key("facets").begin_object();
  for (const auto& [name, values] : facets) {
    w.key(name).begin_object();
    if (values)
      for (const auto& [value, count] : *values) w.key(value).unsigned_integer(count);
    w.end_object();
  }
  w.end_object();
  const auto& in = r.interpretation;
  w.key("interpretation").begin_object();
  w.key("corrected").begin_object();
  for (const auto& [from, to] : in.corrected) w.key(from).string(to);
  w.end_object();
  w.key("dropped").strings(in.dropped);
  w.key("expanded").begin_object();
  for (const auto& [from, to] : in.expanded) w.key(from).strings(to);
  w.end_object();
  w.key("ignored").strings(in.ignored);
  w.key("relaxed").boolean(in.relaxed);
  w.key("required").strings(in.required);
  w.key("synonyms").strings(in.synonyms);
  w.key("unread").strings(in.unread);
  w.end_object();
  w.key("page").integer(r.page);
  w.key("per_page").integer(r.per_page);
  w.key("query").string(r.query);
  w.key("results").begin_array();
  for (const auto& hit : r.results) {
    w.begin_object();
    write_summary(w, hit.practice, &hit);
    w.end_object();
  }
  w.end_array();
  w.key("suggestion");
  if (r.suggestion) w.string(*r.suggestion);
  else w.null();
  w.key("took_ms").number(took_ms);
  w.key("total").unsigned_integer(r.total);
  w.end_object();
  return w.take();
}

json search_json(const SearchResponse& r, double took_ms) { return json::parse(search_json_text(r, took_ms)); }

json suggest_json(const std::string& query, const std::vector<Suggestion>& suggestions) {
  json list = json::array();
  for (const auto& s : suggestions) {
    json item = {{"text", s.text}, {"kind", s.kind}};
    if (!s.slug.empty()) {
      item["slug"] = s.slug;
      // A theme leads to the search filtered by it, a title to its practice.
      item["url"] = s.kind == "theme" ? "/?theme=" + s.slug : practice_url(s.slug);
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
