#include "atom_feed.h"

#include "bp/records.h"
#include "open_metadata.h"
#include "xml_writer.h"

namespace bp::server {

std::string atom_feed(const SearchResponse& answer, const FeedRequest& request, const Taxonomy& taxonomy,
                      std::chrono::system_clock::time_point now) {
  const std::string suffix = request.query.empty() ? "" : "?" + request.query;
  const std::string self = request.base_url + "/feed.xml" + suffix;
  std::string updated;
  for (const auto& hit : answer.results)
    if (hit.practice.updated > updated) updated = hit.practice.updated;
  if (updated.empty()) updated = utc_datestamp(now);

  XmlWriter xml;
  xml.open("feed", {{"xmlns", "http://www.w3.org/2005/Atom"}, {"xml:lang", "it"}});
  xml.leaf("id", self);
  xml.leaf("title", std::string("Buone Pratiche – nuove pratiche") +
                        (request.filters_label.empty() ? "" : ": " + request.filters_label));
  xml.leaf("subtitle", "Le schede nuove e aggiornate della biblioteca delle buone pratiche del programma «" +
                           std::string(kProgrammeName) + "».");
  xml.leaf("updated", updated);
  xml.leaf("link", "", {{"rel", "self"}, {"type", "application/atom+xml"}, {"href", self}});
  xml.leaf("link", "", {{"rel", "alternate"}, {"type", "text/html"}, {"href", request.base_url + "/" + suffix}});
  xml.open("author");
  xml.leaf("name", kLibraryName);
  xml.leaf("uri", request.base_url + "/");
  xml.close();
  xml.leaf("rights", "Metadati: CC BY 4.0; ogni scheda ha la licenza indicata nella scheda stessa.");
  xml.leaf("generator", "bp-server");
  for (const auto& hit : answer.results) {
    const PracticeSummary& p = hit.practice;
    const std::string url = request.base_url + "/pratiche/" + p.slug;
    // A case file in another language: its entry's texts say so.
    if (p.language.empty() || p.language == "it")
      xml.open("entry");
    else
      xml.open("entry", {{"xml:lang", p.language}});
    xml.leaf("id", url);
    xml.leaf("title", p.title);
    xml.leaf("updated", p.updated.empty() ? updated : p.updated);
    if (p.date.size() == 10) xml.leaf("published", p.date + "T00:00:00Z");
    xml.open("author");
    xml.leaf("name", p.organisation.empty() ? kLibraryName : p.organisation);
    xml.close();
    xml.leaf("link", "", {{"rel", "alternate"}, {"type", "text/html"}, {"href", url}});
    xml.leaf("summary", p.summary);
    const std::string scheme = request.base_url + "/api/taxonomy#";
    for (const auto& theme : p.themes)
      xml.leaf("category", "", {{"term", theme}, {"scheme", scheme + "theme"},
                                {"label", taxonomy.label("theme", theme)}});
    if (!p.hub.empty())
      xml.leaf("category", "", {{"term", p.hub}, {"scheme", scheme + "hub"},
                                {"label", taxonomy.label("hub", p.hub)}});
    if (!p.region.empty())
      xml.leaf("category", "", {{"term", p.region}, {"scheme", scheme + "region"},
                                {"label", taxonomy.label("region", p.region)}});
    xml.close();
  }
  return xml.finish();
}

}  // namespace bp::server
