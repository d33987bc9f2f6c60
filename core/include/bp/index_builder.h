// Building and updating the Xapian index of the library (bp-index build).
//
// Layout and atomicity: see schema.h and index_store.h. An incremental
// build commits into the live database; a full build (first build, --rebuild,
// taxonomy.yaml or kSchemaVersion changed) writes a new db-N and then swaps
// CURRENT, so readers never see a half-built index. Folders of databases
// that are no longer live are removed at the start of the next build.
//
// Incremental rules, per case file (slug = file name without ".md"):
//  * same path and same stat ("<mtime_ns>:<size>", kSlotStat) as indexed:
//    unchanged, the file is not even read;
//  * otherwise the bytes are hashed (FNV-1a 64, kSlotHash): same hash and
//    path as indexed: unchanged (only the stored stat is refreshed);
//  * a file modified less than 2 s before the build that read it (or
//    later) has its stat stored marked as racy: mtime and size do not prove
//    that it has not been rewritten since, in the same tick of the file
//    system's clock, so the next build hashes it (and stores the plain stat
//    once the file is older, with the next change it writes). A file whose
//    older mtime is put back by a tool after a same-size edit is not seen:
//    `--rebuild`, or any touch, picks it up;
//  * otherwise the file is loaded and checked (load_practice) and its
//    document added, or replaced by its Q<slug> term;
//  * an invalid file is reported (the check's file:line diagnostics) and
//    skipped: the rest is indexed, and a version indexed earlier stays
//    searchable until the file is fixed or removed;
//  * a slug used by two files: the first path in sorted order wins, the
//    other is skipped with an error;
//  * documents whose file is gone are removed.
// Spelling data (for "did you mean"): every unprefixed word term of each
// document, counted once per document; the counts of replaced and removed
// documents are taken back. Synonyms: synonym_pairs() (index_document.h),
// written on full builds.
//
// Replication: the live database is also reachable as DIR/live (schema.h),
// and an incremental build commits into it, so with XAPIAN_MAX_CHANGESETS
// set (bp-index does) each build writes a changeset that xapian-replicate
// applies to replicas; a full build is a new database (new UUID), which
// replicas receive as a whole copy (docs/index-replication.md).
//
// Deciding what changed (list_case_files, library.h): one readdir per
// folder and one fstatat per file relative to it, on a thread of its own
// while the taxonomy is parsed and the database's path and stat streams are
// read; files and stamps are then matched by slug in one pass, and only
// files whose stamp differs are read (a one-file build of 100,000 files
// takes about 0.45 s of CPU, docs/performance.md).
//
// Speed: files are read, parsed, rendered and turned into documents on
// `worker_threads` threads, each with its own Analyzer (and its cache of
// stems). A full build gives each worker a contiguous share of the files and
// its own shard database, then merges the shards with Database::compact():
// Xapian's inverter, position encoding and compression run inside
// add_document() and commit(), which made a single writer fed by the workers
// two thirds of the CPU time of a build (measured, docs/performance.md). An
// incremental build has the workers hand documents to one writer (the
// caller's thread) on the live database. Either way documents get ids in
// file order, so builds are reproducible. A full build writes no Xapian
// changesets (replicas get a new database whole) and syncs its files once.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "bp/diagnostic.h"
#include "bp/status.h"

namespace bp {

struct BuildOptions {
  // Library folder holding taxonomy.yaml and practices/.
  std::filesystem::path content_root = "library-content";
  // Index folder (created when missing).
  std::filesystem::path index_dir = "var/index";
  // Rebuild everything into a new database even when nothing changed.
  bool rebuild = false;
  // The git commit the content was read at ("" when unknown; bp-index passes
  // `git rev-parse HEAD`, with "-dirty" for uncommitted changes). Stored in
  // the index with the build time (schema.h kMetaBuiltAt) whenever the build
  // changes the index or the commit differs from the stored one; /healthz
  // reports both.
  std::string content_commit;
  // When set, called once on a thread of its own at the start of the build
  // (while the library is walked) and its answer used as content_commit:
  // bp-index runs `git status` here, which took a fifth of a one-file
  // build of 10,000 files when it ran before the walk (docs/performance.md,
  // "Seventh round"). Waited for only when the commit is needed, after the
  // files are compared; a failed build still waits for it before returning.
  std::function<std::string()> find_content_commit;
  // Threads that parse files and generate terms (>= 1). Two matches the
  // 2-core servers the programme runs on; the writer is a third, lighter one.
  int worker_threads = 2;
  // Commit after this many added or replaced documents, over all shards:
  // Xapian holds the postings of uncommitted documents in memory, so this
  // bounds the build's memory (full build of 10k practices: peak RSS
  // 96 MB with 500, 141 MB with 1000, 225 MB with 2000, 389 MB with 4000,
  // and no more CPU time with the smaller batches: docs/performance.md). A
  // reader of the live database may see an incremental build half-way.
  std::size_t commit_every = 500;
  // Called on the caller's thread after each file that had to be read:
  // (files done, files to read). May be empty.
  std::function<void(std::size_t, std::size_t)> progress;
  // The bytes free for the index folder (statvfs when empty; tests give
  // less). A full build first checks that the new database fits beside
  // the live one (full_build_bytes_needed): on a disk that fills up,
  // libxapian's commit may abort the process and leave its shards behind.
  std::function<std::optional<std::uint64_t>(const std::filesystem::path&)> free_bytes;
  // How much later than the moment its records are visible here a build
  // dates their publication, the datestamp OAI-PMH harvesters see
  // (schema.h kMetaPublishedPrefix). 0 for one server; with replicas, more
  // than they take to receive a build, so that a harvester asking a replica
  // does not miss records that reach it late (docs/index-replication.md).
  // Tests that harvest at once give -1 s (the build's own second).
  std::chrono::seconds publish_delay{0};
  // The time (system_clock::now when empty; tests give a clock they move):
  // read once when the build starts (the stamp of what it writes) and when
  // it publishes.
  std::function<std::chrono::system_clock::time_point()> clock;
};

// The disk a full build needs while it runs, its shards and their merge
// together: 3 times the live database `previous_db_bytes` (measured 2.7 at
// 5,000 practices), or, for a first build, 8 times the case files'
// `text_bytes` (measured 8.1), plus 16 MB.
std::uint64_t full_build_bytes_needed(std::uint64_t previous_db_bytes, std::uint64_t text_bytes);

struct BuildReport {
  std::size_t added = 0;
  std::size_t updated = 0;
  std::size_t removed = 0;
  std::size_t skipped = 0;    // invalid files (and duplicate slugs)
  std::size_t kept = 0;       // of the skipped: files whose previous version stays in the index
  std::size_t unchanged = 0;
  std::size_t files = 0;      // case files found
  std::size_t read = 0;       // files that had to be read
  std::uint64_t bytes_indexed = 0;  // bytes of the files turned into documents
  double seconds = 0;
  bool full_rebuild = false;
  std::string database;       // name of the live database folder afterwards
  Diagnostics diagnostics;    // problems of the taxonomy and of the files, in file order

  // One line in Italian: "indice aggiornato: 40 aggiunte, 2 aggiornate,
  // 1 rimossa, 0 saltate, 37 invariate in 0,84 s" ("indice ricostruito" for
  // a full build).
  std::string summary() const;
};

// Builds or updates the index. Fails (and changes nothing visible to
// readers) when the taxonomy cannot be used (kInvalidArgument, the message
// lists its diagnostics), when a changed taxonomy makes case files fail that
// did not change (kInvalidArgument, listing them: see build_full in
// index_pipeline.h), when another build holds the index (kConflict) or on a
// Xapian or file-system error (kIo, kCorruption). Other invalid case files
// do not fail the build: see BuildReport::skipped, ::kept and ::diagnostics.
Result<BuildReport> build_index(const BuildOptions& options);

}  // namespace bp
