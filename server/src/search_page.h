// The search home page rendered on the server: GET /?q=…&theme=…&page=…
// takes the parameters of /api/search and renders the result list, the facet
// form with counts, "did you mean" and pagination, so the page works without
// JavaScript and a shared link shows the same results. The JS front end
// takes over from this HTML, reading the embedded first answer instead of
// asking for it again.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "bp/search.h"
#include "bp/taxonomy.h"
#include "search_params.h"

namespace bp::server {

// The state the page shows, as the JS front end keeps it in the URL.
struct SearchPageState {
  std::string q;
  std::map<std::string, std::vector<std::string>> filters;  // URL facets only
  std::string sort = "relevance";
  int page = 1;
};

// The state of a request's parameters (unknown facets and values ignored,
// duplicates dropped), as web/js/url-state.js parseState() reads it.
SearchPageState search_page_state(const Params& params);

// "?q=…&theme=…" for a state, as web/js/url-state.js toQueryString() writes
// it (same order, same encoding), "" for the default state.
std::string search_query_string(const SearchPageState& state);

// What the results page says of how a query was read, in Italian
// («Abbiamo corretto…», «Non tutte le parole sono presenti in ogni
// risultato (…)», «Risultati anche per: …», or «Abbiamo cercato anche: …»
// when nothing was `found`); "" when nothing is worth saying. The
// teachers' page says the same.
std::string interpretation_text(const QueryInterpretation& interpretation, bool found);

// «a», «b»: a result's missing words as «Non contiene: …» quotes them.
std::string missing_words_text(const std::vector<std::string>& missing);

// The view of web/templates/search.mustache. `answer` is null when the
// search could not run; `error` then says why, in Italian. `answer_json` is
// the /api/search answer embedded for the JS front end.
nlohmann::json search_page_view(const SearchPageState& state, const SearchResponse* answer,
                                const std::string& error, const Taxonomy& taxonomy,
                                const nlohmann::json& embedded);

// The themes offered when a search found nothing («prova uno di questi
// temi»): the four with the most practices in `browse` (an answer without
// words, whose theme counts are read), each a link to `base`'s filters with
// that theme alone, its count in words ("12 pratiche").
nlohmann::json empty_themes_view(const SearchPageState& base, const SearchResponse& browse, const Taxonomy& taxonomy);

}  // namespace bp::server
