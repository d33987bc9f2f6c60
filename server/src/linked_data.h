// JSON-LD for search engines and open-data portals: schema.org on practice
// pages, DCAT-AP_IT for the open-data catalogue (/opendata/catalogo.jsonld).
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "bp/search.h"
#include "bp/taxonomy.h"

namespace bp::server {

// schema.org description of a practice: @type [Article, LearningResource]
// (no case-study type exists; LearningResource is meant as an addition to a
// primary type), headline/name, description, keywords, about (themes as
// DefinedTerm), spatialCoverage (region and city as Place), license, author
// (the organisation), publisher (the library), datePublished (the sheet's
// date), dateModified (the record's datestamp), inLanguage, isPartOf (the
// library), image, and — with a `didattica` block — educationalLevel,
// teaches, timeRequired (ISO 8601 duration) and learningResourceType.
nlohmann::json practice_jsonld(const PracticePage& page, const Taxonomy& taxonomy, const std::string& base_url);

// `value` serialised for a <script type="application/ld+json"> data block:
// "<" written as \u003c so no "</script>" can end it early.
std::string script_safe_json(const nlohmann::json& value);

struct CatalogueFacts {
  std::string base_url;   // absolute site root, no trailing slash
  std::string modified;   // latest datestamp in the index ("YYYY-MM-DDThh:mm:ssZ"), or ""
  std::size_t practices = 0;
  std::string contact_email;  // the editors' mailbox (--admin-email), or "": no contact point
  // The practices' licences (front matter `license`, "CC-BY-NC-4.0"), each
  // once: the distributions' licence is the one the most restrictive of
  // them make (all CC BY 4.0, the default, today).
  std::set<std::string> licences;
};

// DCAT-AP_IT (dati.gov.it/onto/dcatapit) description of the open-data
// catalogue, its one dataset and the JSON and CSV distributions.
nlohmann::json dcat_catalogue(const CatalogueFacts& facts);

}  // namespace bp::server
