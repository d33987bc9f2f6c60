// The library as a set of records with a history, for harvesters and open
// data (OAI-PMH, sitemap, feeds, exports): every practice in the index with
// the datestamp of its current content, and the tombstones of the removed
// ones (schema.h: kSlotModified, kMetaDeletedPrefix). Knows nothing of HTTP
// or XML.
#pragma once

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bp/status.h"

namespace bp {

// "YYYY-MM-DDThh:mm:ssZ" (UTC, whole seconds): the datestamps of records.
std::string utc_datestamp(std::chrono::system_clock::time_point t);

// What a harvester sees of a record without its metadata.
struct RecordHeader {
  std::string slug;
  std::string datestamp;  // utc_datestamp() form; "" for a document indexed before datestamps
  bool deleted = false;   // a tombstone: the practice was removed at `datestamp`
  // Sets the practice is (or was, for a tombstone) in, minimal specs only:
  // "hub:<slug>", "theme:<slug>", "dimension:<slug>", "sdg:<n>".
  std::vector<std::string> sets;
};

struct Record {
  RecordHeader header;
  // The stored document data (schema.h): the whole front matter under its
  // YAML names plus "slug", "path", "text" (plain text of the body) and
  // "headings"; "body_html" is left out. Empty for a tombstone.
  nlohmann::json data;
};

// Sets of a practice from its facet values (the sets OAI-PMH lists).
std::vector<std::string> practice_sets(const std::string& hub, const std::vector<std::string>& themes,
                                       const std::vector<std::string>& dimensions,
                                       const std::vector<std::string>& sdgs);

// Every record of the index folder `index_dir` (live practices in slug
// order, then nothing else), read directly without a Searcher: for
// `bp-index export`. kNotFound when there is no index, kIo when it cannot be
// read.
Result<std::vector<Record>> read_all_records(const std::filesystem::path& index_dir);

}  // namespace bp
