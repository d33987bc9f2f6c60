// The per-file half of an index build (bp/index_builder.h): the state one
// build shares between its phases, turning one case file into its document,
// the worker pipeline of the incremental build, and the one place where an
// exception thrown while indexing a file becomes a diagnostic about that
// file. The full build is in index_full_build.cc, the incremental one in
// index_incremental_build.cc, the orchestration in index_builder.cc.
#pragma once

#include <xapian.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analyzer.h"
#include "bp/diagnostic.h"
#include "bp/index_builder.h"
#include "bp/library.h"
#include "bp/taxonomy.h"
#include "bp/records.h"
#include "index_document.h"
#include "record_store.h"

namespace bp::index_build {

// One build: its options, what it found and what it reports.
struct Build {
  explicit Build(const BuildOptions& o) : options(o) {}
  const BuildOptions& options;
  BuildReport report;
  std::optional<Taxonomy> taxonomy;
  // options.content_commit, or what options.find_content_commit found (set
  // before stamp_build is called).
  std::string content_commit;
  std::string taxonomy_hash;  // fnv1a_hex of taxonomy.yaml
  Diagnostics taxonomy_diagnostics;  // what loading it reported (also in report)
  // The database holds the parsed taxonomy already (schema.h
  // kMetaParsedTaxonomy): stamp_build does not write it again.
  bool taxonomy_stored = false;
  // A case file of the library: as walked (with its stat) and its path
  // relative to the content root.
  struct File {
    CaseFile found;
    std::string relative;
  };
  // The case files, sorted by slug, one per slug (the first path in sorted
  // order wins).
  using Files = std::vector<File>;
  Files files;
  // Every slug found, for the references check `bp-index check` makes too
  // (set by list_files, before any file is processed).
  std::unique_ptr<LibrarySlugs> slugs;
  // When the build started, and the stamp of what it adds, changes or
  // removes (records.h): its start, or the next second a publication of the
  // database does not hold (records::unused_stamp, set before any record is
  // written). Harvesters see the stamp's publication as the datestamp.
  const std::chrono::system_clock::time_point started =
      options.clock ? options.clock() : std::chrono::system_clock::now();
  std::string now = utc_datestamp(started);
  records::History history;  // of the database a full build replaces
  // The live database a full build replaces, when it was written with this
  // schema (else empty), and the hash of the taxonomy it was built with: a
  // file that fails now keeps the version that database holds
  // (keep_previous_versions), unless the taxonomy's change is what made an
  // unchanged file fail.
  std::filesystem::path previous;
  std::string previous_taxonomy_hash;
};

// What the index holds about one case file.
struct Indexed {
  Xapian::docid docid = 0;
  std::string path;
  std::string stat;  // Item::stored_stat() of the file when it was indexed
  std::string hash;
  bool seen = false;  // its file was found by this build
  std::uint32_t slug_at = 0, slug_size = 0;  // the slug: the file name of `path` without ".md"
  std::string_view slug() const { return std::string_view(path).substr(slug_at, slug_size); }
};

// Modification time and size can fool a build: a file rewritten with the
// same size within the file system's timestamp granularity of the moment it
// was read (a jiffy on ext4, 1-2 s on FAT and some network file systems)
// keeps its stat stamp. As git does with "racily clean" index entries, a
// file whose modification time is not at least this much older than the
// start of the build that reads it is stored with a marked stamp, so the
// next build hashes it instead of trusting its stamp.
inline constexpr std::chrono::seconds kRacyWindow{2};

// A case file that has to be read.
struct Item {
  std::filesystem::path file;
  std::string path;  // relative to the content root
  std::string slug;
  std::string stat;  // stat_stamp(file)
  bool racy = false;  // modified within kRacyWindow of the build's start (or later)
  const Indexed* indexed = nullptr;  // same slug in the index, if any

  // What kSlotStat stores: the stamp, "~"-marked when racy (it then never
  // equals a file's stamp, so the file is hashed by the next build).
  std::string stored_stat() const {
    if (!racy) return stat;
    std::string marked(1, '~');
    return marked.append(stat);
  }
  // Whether the index holds this file's current stamp marked racy.
  bool indexed_racy() const {
    return indexed != nullptr && indexed->stat.size() == stat.size() + 1 && indexed->stat[0] == '~' &&
           indexed->stat.compare(1, std::string::npos, stat) == 0;
  }
};

// What reading one case file gave.
struct Outcome {
  enum Kind { kIndexed, kTouched, kSkipped } kind = kSkipped;
  std::optional<MadeDocument> made;  // set when kIndexed
  Diagnostics diagnostics;
  std::string hash;  // fnv1a_hex of the file's bytes (empty when they could not be read)
  std::uint64_t bytes = 0;
};

// The stat stamp of a walked file: "<mtime_ns>:<size>".
std::string stat_stamp(const CaseFile& file);
// Whether `stamp` is stat_stamp(file), without building it.
bool same_stamp(std::string_view stamp, const CaseFile& file);

// The item of the case file `file` of `build.files`, with its stat stamp
// and whether it is racy.
Item item_for(const Build& build, const Build::File& file);

// The files of `build` as items, in slug order.
std::vector<Item> all_items(const Build& build);

// Reads, checks and turns `item` into its document (kIndexed), or finds it
// unchanged by its hash (kTouched), or reports why it is skipped.
Outcome process(const Item& item, const Build& build, Analyzer& analyzer);

// Runs `step`, the indexing of `file`. When it throws (a Xapian::Error other
// than a database error, or a std::exception), appends an error diagnostic
// naming `file` to `*diagnostics` and returns false: one bad file is skipped,
// it never aborts a build. Database errors (I/O, corruption, lock) are not
// about the file and propagate.
bool guard_file(const std::filesystem::path& file, Diagnostics* diagnostics,
                const std::function<void()>& step);

// Runs process() over `items` on the build's worker threads and hands the
// outcomes to `apply` on the calling thread, in item order. A bounded window
// keeps the workers from racing ahead of the writer (memory stays flat).
void run_pipeline(const std::vector<Item>& items, const Build& build,
                  const std::function<void(std::size_t, Outcome&)>& apply);

// The terms of `doc` that count for spelling: unprefixed words.
std::vector<std::string> spelling_words_of(const Xapian::Document& doc);

// The warning that a file which fails now keeps the version of it the
// index holds (both builds say it the same way).
Diagnostic kept_previous_version(const std::filesystem::path& file);

// Stores the build time and the content commit of `build` in `db`
// (schema.h kMetaBuiltAt, kMetaContentCommit), and the parsed taxonomy
// unless `db` holds it already (kMetaParsedTaxonomy, Build::taxonomy_stored).
void stamp_build(const Build& build, Xapian::WritableDatabase& db);

// The path of taxonomy.yaml of the build, as its diagnostics name it.
std::string taxonomy_file(const Build& build);

// Writes every file of `build` into a new database at `target` (shards
// merged with compact()) and fills the report. A file that fails whose
// practice build.previous holds keeps that version, as in an incremental
// build; when a changed taxonomy is what makes files fail that did not
// change, nothing is written (kInvalidArgument naming them and their
// errors): a slug mistyped or renamed in taxonomy.yaml alone would drop
// those practices from the site and tell harvesters they were deleted.
// Throws Xapian::Error or std::filesystem::filesystem_error when the
// database cannot be written.
Status build_full(Build& build, const std::filesystem::path& target);

// What `db` holds about each case file: docid, path and stat stamp (the
// hash is left empty, read later for the files whose stamp changed), sorted
// by slug. Throws Xapian::Error.
std::vector<Indexed> read_indexed(const Xapian::Database& db);

// Brings the live database `db`, which holds `indexed` (read_indexed()), up
// to date with the files of `build` and fills the report. Throws
// Xapian::Error when the database cannot be written.
void update_incremental(Build& build, Xapian::WritableDatabase& db, std::vector<Indexed> indexed);

}  // namespace bp::index_build
