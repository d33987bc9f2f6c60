// The whole library as open data (served under /opendata/ and written by
// `bp-index export`): one JSON array or one CSV table of every practice's
// front matter, plain text and page URL.
#pragma once

#include <string>
#include <vector>

#include "bp/records.h"

namespace bp {

// Multi-valued fields of the CSV hold their values joined by this.
inline constexpr const char* kCsvJoin = " | ";

// The CSV columns, in order: slug, url, the front-matter fields, text.
const std::vector<std::string>& open_data_columns();

// A JSON array, one object per record in the given order: the front matter
// under its YAML names, "slug", "path", "url" (base_url + "/pratiche/" +
// slug) and "text" (the plain text of the body). `base_url` has no
// trailing slash.
std::string open_data_json(const std::vector<Record>& records, const std::string& base_url);

// RFC 4180 CSV (UTF-8 with a byte-order mark, CRLF line ends, fields quoted
// when needed), a header row with open_data_columns() then one row per
// record: lists of strings or numbers joined with kCsvJoin, objects and
// lists of objects as JSON text, null as an empty cell.
std::string open_data_csv(const std::vector<Record>& records, const std::string& base_url);

}  // namespace bp
