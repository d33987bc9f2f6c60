// The JSON shapes of the API (documented in docs/api.md), from engine types.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "api_error.h"
#include "bp/search.h"
#include "bp/taxonomy.h"

namespace bp::server {

// "/pratiche/<slug>": where a practice's page lives.
std::string practice_url(const std::string& slug);

nlohmann::json error_json(const ApiError& error);
// The search answer as JSON text (what /api/search sends), written
// directly; search_json() is the same parsed, for pages that embed it.
std::string search_json_text(const SearchResponse& response, double took_ms);
nlohmann::json search_json(const SearchResponse& response, double took_ms);
nlohmann::json suggest_json(const std::string& query, const std::vector<Suggestion>& suggestions);
nlohmann::json practice_json(const PracticePage& page);
// Every vocabulary with labels and document counts (0 when `counts` lacks a value).
nlohmann::json taxonomy_json(const Taxonomy& taxonomy, const FacetCounts& counts);

// Serialises without ever throwing: invalid UTF-8 is replaced by U+FFFD.
std::string dump(const nlohmann::json& value);

}  // namespace bp::server
