// A query string's (or form body's) pairs exactly as sent, in order and
// with repeats: cpp-httplib 0.11's req.params drops a key=value pair
// repeated verbatim ("n=&n=" becomes one "n="), which shifts every
// parameter that is paired with another by position.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bp::server {

using QueryPairs = std::vector<std::pair<std::string, std::string>>;

// Appends the decoded pairs of `text` ("a=1&b=&c", '+' as a space) to `out`.
void append_query_pairs(std::string_view text, QueryPairs* out);

// The decoded pairs of the query of a request target ("/path?a=1&a=1").
QueryPairs target_query_pairs(std::string_view target);

}  // namespace bp::server
