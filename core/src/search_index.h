// The live database of an index folder, and how a reader follows rebuilds
// and commits. Two layouts (schema.h): the builder's (DIR/CURRENT names the
// live db-N folder) and a replica's written by xapian-replicate (the stub
// file DIR/XAPIANDB names replica_0 or replica_1).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <xapian.h>

#include "bp/status.h"

namespace bp::search {

class IndexHandle {
 public:
  // Opens DIR/<name in DIR/CURRENT>; a folder that is itself a Xapian
  // database or a replica (no CURRENT) is opened as it is. kNotFound when
  // neither exists, kIo when the database cannot be opened.
  Status open(const std::filesystem::path& dir);

  // Cheap when nothing changed (one stat of CURRENT or of the replica's stub,
  // one of the database's version file, and Database::reopen() only when
  // that file changed, or always for a replica). Opens the new
  // folder when CURRENT names another one, and opens the replica afresh when
  // its stub was replaced (after a full copy: Database::reopen() does not
  // read the stub again and would keep the removed copy). Returns true when
  // the database may have changed. Never throws; on failure keeps the
  // database it had.
  bool refresh();

  // Database::reopen() after a DatabaseModifiedError; may throw.
  void reopen() {
    if (db_.reopen()) ++generation_;
  }

  Xapian::Database& db() { return db_; }
  // Changes whenever refresh() picked up something new; lets callers keep
  // caches keyed by it.
  std::uint64_t generation() const { return generation_; }

 private:
  struct Stamp {
    std::int64_t mtime_ns = 0;
    std::uint64_t inode = 0;
    std::uint64_t size = 0;
    bool operator==(const Stamp&) const = default;
  };
  static bool stamp_of(const std::filesystem::path& file, Stamp* out);
  Status open_named(const std::string& name);

  // Which file names the live database: CURRENT, the replica's stub, or
  // none (a plain database folder).
  enum class Pointer { kNone, kCurrent, kStub };

  std::filesystem::path dir_;
  Pointer pointer_ = Pointer::kNone;
  Stamp current_stamp_;
  std::string current_name_;
  // The open database's version file (glass's `iamglass`, replaced by every
  // commit) and its stat when refresh() last reopened: an unchanged file
  // skips Database::reopen(), which opens and reads it (4 system calls per
  // search against 1). Not used for a replica, whose copy changes by
  // changesets.
  std::filesystem::path version_file_;
  std::optional<Stamp> version_stamp_;
  Xapian::Database db_;
  std::uint64_t generation_ = 0;
};

}  // namespace bp::search
