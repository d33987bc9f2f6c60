// What the index stores of a practice, in two value slots (schema.h),
// written by the builder (index_document.cc) and read back here:
//  * kSlotResult holds the result record: what a result list shows (the
//    PracticeSummary fields) and the snippet source (the plain text of the
//    body, with its words found and folded at index time:
//    search_snippet.h), the latter LZ4-compressed by us, then the editors'
//    plain words (`in_parole_semplici`) and their words in a block of their
//    own, and the questions (`domande`) in another, each decompressed only
//    for a hit whose summary and body mark no query word (the snippet then
//    comes from them). It is all a hit reads. It is a value, not the document data, because Xapian
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

#include <cstdint>
#include <string>
#include <string_view>
#include <nlohmann/json.hpp>
#include <xapian.h>

#include "bp/search.h"
#include "search_snippet.h"

namespace bp::search {

// A text and its snippet words as the record stores them: one LZ4 block,
// decompressed by unpack(). The view points into the stored value.
struct PackedText {
  std::uint64_t size = 0;       // of the text and its words
  std::uint64_t text_size = 0;  // of the text alone
  std::string_view packed;      // the LZ4 block
};

// A result record. The views point into the value and the buffer given to
// decode_result(): keep both alive.
struct ResultRecord {
  PracticeSummary practice;  // without `updated` (a value slot)
  SnippetSource body;        // the plain text of the body and its words
  PackedText plain_words;    // the editors' plain words, still compressed (size 0: none)
  PackedText questions;      // the questions it answers, one text, still compressed (size 0: none)
};

// The value of kSlotResult for `practice` with its body text;
// `snippet_words` is search::encode_snippet_words(text); `plain_words` the
// editors' plain words and encode_snippet_words() of them (empty: none);
// `questions` the same of the questions it answers (`domande`, joined by
// spaces; empty: none).
std::string encode_result(const PracticeSummary& practice, std::string_view text,
                          std::string_view snippet_words, SnippetSource plain_words = {},
                          SnippetSource questions = {});

// Decodes `stored` (a value of kSlotResult), decompressing the body into
// `*buffer` (not the plain words: unpack() them when needed). False when
// it is not a result record of this schema (a damaged or older index);
// `out` is then left partly filled and its body empty.
bool decode_result(std::string_view stored, ResultRecord* out, std::string* buffer);

// The text and words of `packed`, decompressed into `*buffer` (the views
// point into it). Empty when there are none or the block is damaged.
SnippetSource unpack(const PackedText& packed, std::string* buffer);

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
