// The teachers' page (/docenti) rendered on the server: a GET form with the
// lesson-sheet filters (school level, subject, duration band) plus module
// and theme, with disjunctive counts, and the practices that have a lesson
// sheet, each with its levels, subjects and total duration. The parameters
// are /api/search's (level=, subject=, duration=, module=, theme=, q=,
// duration_max=), so a filtered page is a link and works without JavaScript.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "bp/search.h"
#include "bp/taxonomy.h"
#include "search_params.h"

namespace bp::server {

inline constexpr int kTeachersPerPage = 50;

// The engine request for /docenti's parameters: practices with a lesson
// sheet (any known level) unless levels are chosen, sorted by title unless
// there is a query. InvalidArgument-like errors come back as ApiError.
std::variant<SearchRequest, ApiError> teachers_request(const Params& params, const Taxonomy& taxonomy);

// The view of web/templates/docenti.mustache. `answer` is null when the
// search could not run; `error` then says why, in Italian. `level_in_words`,
// when given, is the level the typed words named (Searcher::level_in_words):
// `request` already filters by it and searches the other words; the page
// shows it ticked and says which words named it.
nlohmann::json teachers_page_view(const SearchRequest& request, const SearchResponse* answer, const std::string& error,
                                  const Taxonomy& taxonomy, bool levels_chosen,
                                  const LevelInWords* level_in_words = nullptr);

}  // namespace bp::server
