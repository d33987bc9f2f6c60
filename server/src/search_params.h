// Turns the query-string parameters of /api/search and /api/suggest into
// engine requests, validating them. No HTTP types: handlers pass the
// decoded parameters (httplib::Params is this multimap).
#pragma once

#include <map>
#include <string>
#include <variant>

#include "api_error.h"
#include "bp/search.h"

namespace bp::server {

using Params = std::multimap<std::string, std::string>;

// Longest facet value accepted (vocabulary slugs are far shorter).
inline constexpr std::size_t kMaxFacetValueBytes = 100;
// Most filter values in one request, all facets together (every hub,
// region, dimension and module ticked at once is 38). A page shows one
// link per value holding all of them: 900 values made 12 MB of HTML.
inline constexpr std::size_t kMaxFilterValues = 60;
// Highest page number accepted (keeps page * per_page far from overflow).
inline constexpr int kMaxPage = 10000;

// Parses q, the facets (repeatable), year_from, year_to, duration_max
// (minutes), sort, page and per_page. Unknown parameters are ignored; unknown facet values are kept
// (they match nothing).
std::variant<SearchRequest, ApiError> parse_search_params(const Params& params);

// The search parameters of a link a person followed (the search page, the
// teachers' page): a parameter the API would refuse that is not the query
// (a stale sort, page or filter value, edited by hand) is left out, as the
// front end's url-state.js does, so the page shows the results rather than
// an error. Only the query's own errors (too long, not UTF-8) remain.
std::variant<SearchRequest, ApiError> lenient_search_params(Params params);

// Whether `value` can be a value of the filter `facet` (at most
// kMaxFacetValueBytes of UTF-8; an integer for sdg and year). A value the
// taxonomy lacks can: it matches nothing.
bool is_facet_value(const std::string& facet, const std::string& value);

// A query as typed, with its control characters (a NUL, a tab or a line
// break pasted in) made spaces, never echoed into a page nor part of a
// word, and each run of spaces one space, none in front: «orti   sociali»
// is «orti sociali». One space at the end stays (the last word is
// complete, not a prefix). The API and the search page read q through it,
// and the 500-character limit counts what it returns.
std::string query_text(std::string q);

// Parses q for /api/suggest.
std::variant<std::string, ApiError> parse_suggest_params(const Params& params);

}  // namespace bp::server
