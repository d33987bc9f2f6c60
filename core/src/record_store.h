// Records (bp/records.h) read from and written to a Xapian database: the
// datestamp slot and the tombstones (schema.h). Shared by the builder, which
// writes them, and the searcher, which reads them. Every function may throw
// Xapian::Error; callers turn it into a Status.
#pragma once

#include <optional>
#include <set>
#include <unordered_map>
#include <string>
#include <vector>
#include <xapian.h>

#include "bp/records.h"

namespace bp::records {

// The metadata key of `slug`'s tombstone.
std::string tombstone_key(const std::string& slug);
// The tombstone of a document removed at `datestamp`: its sets, from its
// facet slots.
std::string tombstone_value(const std::string& datestamp, const Xapian::Document& doc);

// Every live document's header (from value slots only: no document data is
// parsed) and every tombstone, sorted by (datestamp, slug).
std::vector<RecordHeader> read_headers(const Xapian::Database& db);

// The record of `slug`: live, else its tombstone, else nullopt.
std::optional<Record> read_record(const Xapian::Database& db, const std::string& slug);

// Every live record, in slug order.
std::vector<Record> read_live(const Xapian::Database& db);

// Every tombstone: slug -> stored value (for carrying them over a rebuild).
std::vector<std::pair<std::string, std::string>> read_tombstones(const Xapian::Database& db);

// What a full rebuild keeps from the database it replaces: datestamps of
// unchanged content and tombstones.
struct PreviousRecord {
  std::string hash;       // kSlotHash
  std::string datestamp;  // kSlotModified
  std::string tombstone;  // its tombstone, should it be gone from the rebuild
};
struct History {
  std::unordered_map<std::string, PreviousRecord> live;  // by slug
  std::vector<std::pair<std::string, std::string>> tombstones;
};
// Reads `db`'s history; tombstones made from it are dated `now`.
History read_history(const Xapian::Database& db, const std::string& now);
// The datestamp a document of `slug` with content `hash` gets in a rebuild:
// the previous one when the content is unchanged, else `now`.
std::string carried_datestamp(const History& history, const std::string& slug,
                              const std::string& hash, const std::string& now);
// Writes into `db` the tombstones of `history` (earlier ones, and one for
// each previously live practice) whose slug is not in `indexed`.
void write_tombstones(Xapian::WritableDatabase& db, const History& history,
                      const std::set<std::string>& indexed);

}  // namespace bp::records
