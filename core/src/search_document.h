// Reading a practice back from its Xapian document data (schema.h: a JSON
// object with the front matter plus slug, body_html, text, headings).
#pragma once

#include <string>
#include <nlohmann/json.hpp>

#include "bp/search.h"

namespace bp::search {

// The parsed data; an empty object when it is not a JSON object. With
// `for_results`, only what summary_from() and snippets read (the summary
// fields and "text") is parsed; the rest is skipped.
nlohmann::json parse_data(const std::string& data, bool for_results = false);

// Missing or mistyped fields are left empty; never throws.
PracticeSummary summary_from(const nlohmann::json& data);

// A list of texts (numbers written as text); empty when absent or not a list.
std::vector<std::string> strings_field(const nlohmann::json& data, const char* name);

// A string field, "" when absent or not a string.
std::string string_field(const nlohmann::json& data, const char* name);

}  // namespace bp::search
