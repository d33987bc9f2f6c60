// Records (bp/records.h) read from and written to a Xapian database: the
// datestamp slot and the tombstones (schema.h). Shared by the builder, which
// writes them, and the searcher, which reads them. Every function may throw
// Xapian::Error; callers turn it into a Status.
#pragma once

#include <xapian.h>

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "bp/records.h"

namespace bp::records {

// The metadata key of `slug`'s tombstone.
std::string tombstone_key(const std::string& slug);
// The tombstone of a document removed at `datestamp`: its sets, from its
// facet slots.
std::string tombstone_value(const std::string& datestamp, const Xapian::Document& doc);

// The publications of `db` (schema.h kMetaPublishedPrefix): a record's
// datestamp is the publication of its build's stamp.
// Read one stamp at a time, each once: a page of GetRecord or ListRecords
// reads a handful of stamps, not every publication the index holds.
class Publications {
 public:
  explicit Publications(const Xapian::Database& db);
  // The datestamp of a record stamped `stamp`; nullopt while no build has
  // published it (a build in progress). A database written before
  // publications existed answers `stamp` itself.
  std::optional<std::string> datestamp(const std::string& stamp);

 private:
  const Xapian::Database& db_;
  bool legacy_ = true;
  std::unordered_map<std::string, std::string> read_;  // stamp -> publication ("" when none)
};

// The stamps `db`'s records carry: every live document's and tombstone's.
std::set<std::string> carried_stamps(const Xapian::Database& db);

// On a database written before publications existed, publishes every stamp
// its records carry as itself (the datestamps harvesters already have) and
// marks it as publishing; nothing otherwise. Returns whether it wrote.
bool adopt_publications(Xapian::WritableDatabase& db);

// The datestamp a publication made at `now` gets: the whole second after
// `now`, plus `delay` (for replicas that receive the index later:
// docs/index-replication.md). Always later than `now`, so later than any
// responseDate given before the publication was visible.
std::string publication_datestamp(std::chrono::system_clock::time_point now, std::chrono::seconds delay);

// The stamp of a build started at `started` that `db`'s publications do not
// hold yet (its seconds, or the next free second): records of a second
// build in the same second must not take the first one's publication.
std::string unused_stamp(const Xapian::Database& db, std::chrono::system_clock::time_point started);

// Publishes, dated `at`, every stamp a record of `db` carries that has no
// publication yet, and forgets the publications no record carries any more.
// `db` is marked as publishing already (adopt_publications for an
// incremental build, write_tombstones for a full one).
// Returns the stamps it published; `*changed` says whether it wrote anything
// (the caller commits): a build that changed nothing writes nothing.
std::vector<std::string> publish(Xapian::WritableDatabase& db, const std::string& at, bool* changed);
// Dates the publication of `stamps` `at` instead (a commit slower than the
// publication's margin: index_builder.cc).
void redate(Xapian::WritableDatabase& db, const std::vector<std::string>& stamps, const std::string& at);

// Every published live document's header (from value slots only: no
// document data is parsed) and every published tombstone, with their
// publication as datestamp, sorted by (datestamp, slug).
std::vector<RecordHeader> read_headers(const Xapian::Database& db);

// The record of `slug`: live, else its tombstone, else nullopt. Its
// datestamp is "" while its build is not published.
std::optional<Record> read_record(const Xapian::Database& db, const std::string& slug);

// Every live record, in slug order (datestamps as read_record's).
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
  // Its publications, as stored (key, value): the carried datestamps and
  // tombstones keep their publication.
  std::vector<std::pair<std::string, std::string>> publications;
  // False when the database was built from another taxonomy.yaml: what a
  // record disseminates (its subjects' labels) may have changed, so every
  // record gets the rebuild's datestamp.
  bool carry_datestamps = true;
};
// Reads `db`'s history; tombstones made from it are dated `now`.
History read_history(const Xapian::Database& db, const std::string& now);
// The datestamp a document of `slug` with content `hash` gets in a rebuild:
// the previous one when the content is unchanged, else `now`.
std::string carried_datestamp(const History& history, const std::string& slug,
                              const std::string& hash, const std::string& now);
// Writes into `db` the tombstones of `history` (earlier ones, and one for
// each previously live practice) whose slug is not in `indexed`, and its
// publications (publish() then forgets those no record carries).
void write_tombstones(Xapian::WritableDatabase& db, const History& history,
                      const std::set<std::string>& indexed);

}  // namespace bp::records
