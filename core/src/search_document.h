// What the index stores of a practice, in two value slots (schema.h),
// written by the builder (index_document.cc) and read back here:
//  * kSlotResult holds the result record: what a result list shows (the
//    PracticeSummary fields) and the snippet source (the plain text of the
//    body, with its words found and folded at index time:
//    search_snippet.h), the latter LZ4-compressed by us. It is all a hit
//    reads. It is a value, not the document data, because Xapian
//    compresses document data with zlib, whose inflate of about 11 KB per
//    hit was the largest cost of a search at 1k (docs/performance.md,
//    "Third round"); LZ4 decodes the same bytes with a tenth of the
//    instructions, and values are stored as given. The document data is
//    empty.
//  * kSlotPage holds the page data: the whole front matter as JSON under
//    its YAML names plus "slug", "path", "body_html" and "headings",
//    zlib-compressed with the body text as dictionary (body_html is mostly
//    that text); read only for a practice's page, its records (records.h)
//    and open data.
#pragma once

#include <string>
#include <string_view>
#include <nlohmann/json.hpp>
#include <xapian.h>

#include "bp/search.h"
#include "search_snippet.h"

namespace bp::search {

// A result record. The views point into the buffer given to
// decode_result(): keep it alive.
struct ResultRecord {
  PracticeSummary practice;  // without `updated` (a value slot)
  SnippetSource body;        // the plain text of the body and its words
};

// The value of kSlotResult for `practice` with its body text;
// `snippet_words` is search::encode_snippet_words(text).
std::string encode_result(const PracticeSummary& practice, std::string_view text,
                          std::string_view snippet_words);

// Decodes `stored` (a value of kSlotResult), decompressing the body into
// `*buffer`. False when it is not a result record of this schema (a
// damaged or older index); `out` is then left partly filled and its body
// empty.
bool decode_result(std::string_view stored, ResultRecord* out, std::string* buffer);

// The summary alone, without decompressing the body.
bool decode_summary(std::string_view stored, PracticeSummary* out);

// The value of kSlotPage for `page` (JSON object) of a document whose body
// text is `text`: compressed with that text as the
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
