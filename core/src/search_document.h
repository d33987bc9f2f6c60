// What the index stores of a practice, in two parts (schema.h), written by
// the builder (index_document.cc) and read back here:
//  * the document data is the result record: what a result list shows (the
//    PracticeSummary fields) and the snippet source (the plain text of the
//    body, with its words found and folded at index time: search_snippet.h).
//    It is all a hit reads: a few kilobytes instead of the whole page.
//  * the value slot kSlotPage holds the page data: the whole front matter
//    as JSON under its YAML names plus "slug", "path", "body_html" and
//    "headings", zlib-compressed with the record's text as dictionary
//    (body_html is mostly that text); read only for a practice's page, its
//    records (records.h) and open data.
#pragma once

#include <string>
#include <string_view>
#include <nlohmann/json.hpp>
#include <xapian.h>

#include "bp/search.h"

namespace bp::search {

// The result record of a document. The views point into the record's
// bytes: keep them alive.
struct ResultRecord {
  PracticeSummary practice;       // without `updated` (a value slot)
  std::string_view text;          // the plain text of the body
  std::string_view snippet_words; // encode_snippet_words(text)
};

// The document data of `practice` with its body text; `snippet_words` is
// search::encode_snippet_words(text).
std::string encode_result(const PracticeSummary& practice, std::string_view text,
                          std::string_view snippet_words);

// False when `data` is not a result record of this schema (a damaged or
// older index); `out` is then left partly filled.
bool decode_result(std::string_view data, ResultRecord* out);

// The value of kSlotPage for `page` (JSON object) of a document whose body
// text (the result record's) is `text`: compressed with that text as the
// dictionary, so it can only be read back next to its result record.
std::string encode_page(const nlohmann::json& page, std::string_view text);

// The page data of `doc` plus "text" from its result record: the whole
// front matter, slug, path, body_html, text and headings. An empty object
// when the document holds none. May throw Xapian::Error.
nlohmann::json page_data(const Xapian::Document& doc);

// The PracticeSummary of a document (empty fields when unreadable). May
// throw Xapian::Error.
PracticeSummary summary_of(const Xapian::Document& doc);

// The summary fields of page data (page_data()); missing or mistyped
// fields are left empty; never throws.
PracticeSummary summary_from(const nlohmann::json& data);

// A list of texts (numbers written as text); empty when absent or not a list.
std::vector<std::string> strings_field(const nlohmann::json& data, const char* name);

// A string field, "" when absent or not a string.
std::string string_field(const nlohmann::json& data, const char* name);

}  // namespace bp::search
