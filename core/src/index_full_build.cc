// The full build (first build, --rebuild, taxonomy or schema changed): each
// worker gets a contiguous run of files (balanced by size) and its own
// WritableDatabase, then the shards are merged with Database::compact().
// Xapian's inverter and position encoding run inside add_document(), so a
// single writer thread caps a build at one core; compaction is a cheap
// sequential merge, keeps documents in file order (shard k's ids follow
// shard k-1's) and leaves a smaller, faster index.
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <exception>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>

#include "bp/catalogue.h"
#include "bp/library.h"
#include "bp/text.h"
#include "index_pipeline.h"
#include "schema.h"

namespace bp::index_build {
namespace fs = std::filesystem;
namespace {

// Item positions where each of `shards` runs starts, plus the end, so that
// every run holds about the same number of bytes.
std::vector<std::size_t> shard_bounds(const std::vector<Item>& items, std::size_t shards) {
  std::vector<std::uint64_t> sizes(items.size());
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string& st = items[i].stat;
    const std::size_t colon = st.find(':');
    sizes[i] = colon == std::string::npos ? 0 : std::stoull(st.substr(colon + 1));
    total += sizes[i] + 1;
  }
  std::vector<std::size_t> bounds{0};
  std::uint64_t acc = 0;
  for (std::size_t i = 0; i < items.size() && bounds.size() < shards; ++i) {
    acc += sizes[i] + 1;
    if (acc * shards >= total * bounds.size()) bounds.push_back(i + 1);
  }
  while (bounds.size() < shards) bounds.push_back(items.size());
  bounds.push_back(items.size());
  return bounds;
}

// A full build writes a new database (a new UUID), which replicas receive
// as a whole copy: changesets of its commits would never be read, and
// writing them copied every block each commit touched (a changeset as big
// as the shard itself). Xapian reads XAPIAN_MAX_CHANGESETS at each commit
// (bp-index sets it for incremental builds, docs/index-replication.md), so
// it is 0 while the full build runs and restored after. The variable is
// changed before the workers start and after they end; nothing else in the
// build reads it.
class NoChangesets {
 public:
  NoChangesets() {
    if (const char* v = std::getenv(kVariable)) saved_ = v;
    ::setenv(kVariable, "0", 1);
  }
  ~NoChangesets() {
    if (saved_)
      ::setenv(kVariable, saved_->c_str(), 1);
    else
      ::unsetenv(kVariable);
  }
  NoChangesets(const NoChangesets&) = delete;
  NoChangesets& operator=(const NoChangesets&) = delete;

 private:
  static constexpr const char* kVariable = "XAPIAN_MAX_CHANGESETS";
  std::optional<std::string> saved_;
};

// fsync()s every file of the database folder `dir`, then the folder. Throws
// filesystem_error when one cannot be flushed.
void sync_folder(const fs::path& dir) {
  auto sync = [](const fs::path& p, int flags) {
    const int fd = ::open(p.c_str(), flags | O_CLOEXEC);
    const bool ok = fd >= 0 && ::fsync(fd) == 0;
    const int err = errno;
    if (fd >= 0) ::close(fd);
    if (!ok)
      throw fs::filesystem_error("impossibile scrivere su disco", p, std::error_code(err, std::generic_category()));
  };
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.is_regular_file()) sync(entry.path(), O_RDONLY);
  sync(dir, O_RDONLY | O_DIRECTORY);
}

// Removes the shard folders when the build ends, whichever way.
struct ShardCleanup {
  const std::vector<fs::path>& dirs;
  ~ShardCleanup() {
    std::error_code ec;
    for (const auto& d : dirs) fs::remove_all(d, ec);
  }
};

// Lists at most this many lines of the files' errors in a refusal.
constexpr std::size_t kRefusalLines = 20;

// For each file that failed (outcomes[i] not kIndexed) whose practice the
// replaced database holds, sets (*kept)[i] to that database's document: the
// version before stays on the site, as an incremental build leaves it. When
// the taxonomy changed and such a file did not (same bytes), the taxonomy's
// change is what broke it: returns kInvalidArgument naming those files and
// their errors, and the caller writes nothing.
Status keep_previous_versions(const Build& build, const std::vector<Item>& items, const std::vector<Outcome>& outcomes,
                              std::vector<Xapian::Document>* kept) {
  if (build.previous.empty()) return Status::ok();
  const Xapian::Database before(build.previous.string());
  const bool taxonomy_changed = build.previous_taxonomy_hash != build.taxonomy_hash;
  std::vector<std::size_t> broken;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (outcomes[i].kind == Outcome::kIndexed) continue;
    const std::string id = std::string(schema::kIdPrefix) + items[i].slug;
    const Xapian::PostingIterator p = before.postlist_begin(id);
    if (p == before.postlist_end(id)) continue;
    Xapian::Document doc = before.get_document(*p);
    if (taxonomy_changed && !outcomes[i].hash.empty() && doc.get_value(schema::kSlotHash) == outcomes[i].hash) {
      broken.push_back(i);
    } else {
      // Harvesters are told of a new taxonomy's labels on it too.
      if (!build.history.carry_datestamps) doc.add_value(schema::kSlotModified, build.now);
      (*kept)[i] = std::move(doc);
    }
  }
  if (broken.empty()) return Status::ok();

  std::string m = "taxonomy.yaml è cambiata e " +
                  text::count_noun(broken.size(), "scheda pubblicata, che non è cambiata,",
                                   "schede pubblicate, che non sono cambiate,") +
                  (broken.size() == 1 ? " non è più valida" : " non sono più valide") +
                  ": l'indice resta com'era. Se uno slug è scritto male in taxonomy.yaml, correggilo lì; se lo "
                  "hai rinominato, aggiorna anche le schede (nello stesso commit). Gli errori:";
  // The errors as bp-index check words them: a slug mistyped in
  // taxonomy.yaml is named on its line, first, and the files' errors point
  // there (taxonomy_slug_typos needs the whole library's values: read again,
  // on this rare path only).
  Diagnostics errors;
  for (std::size_t i : broken)
    for (const auto& d : outcomes[i].diagnostics)
      if (d.severity == Severity::kError) errors.push_back(d);
  LibraryCheck check = check_library(build.options.content_root, *build.taxonomy);
  const fs::path programme = build.options.content_root / "programme.yaml";
  std::error_code ec;
  if (fs::exists(programme, ec)) check_catalogue(programme, *build.taxonomy, &check.terms);
  Diagnostics typos = taxonomy_slug_typos(*build.taxonomy, taxonomy_file(build), check.terms, &errors);
  errors.insert(errors.begin(), typos.begin(), typos.end());
  std::size_t lines = 0, more = 0;
  for (const auto& d : errors) {
    if (lines++ < kRefusalLines)
      m += "\n" + d.format();
    else
      ++more;
  }
  if (more > 0)
    m += "\n… e " + text::count_noun(more, "altro errore", "altri errori") + ": bp-index check li elenca tutti";
  return Status::invalid(m);
}

}  // namespace

Status build_full(Build& build, const fs::path& target) {
  const NoChangesets no_changesets;
  const BuildOptions& opt = build.options;
  const std::vector<Item> items = all_items(build);
  build.report.read = items.size();
  const std::size_t shards =
      std::max<std::size_t>(1, std::min<std::size_t>(std::max(1, opt.worker_threads), items.size()));
  const std::vector<std::size_t> bounds = shard_bounds(items, shards);

  std::vector<fs::path> shard_dirs;
  for (std::size_t k = 0; k < shards; ++k)
    shard_dirs.push_back(fs::path(target.string() + ".shard-" + std::to_string(k)));
  ShardCleanup cleanup{shard_dirs};

  std::vector<Outcome> outcomes(items.size());
  // Per shard: spelling counts and written forms, kept out of the shards
  // and written once into the merged database (below).
  std::vector<std::unordered_map<std::string, Xapian::termcount>> spellings(shards);
  std::vector<std::unordered_map<std::string, std::string>> forms_of(shards);
  std::vector<std::exception_ptr> errors(shards);
  std::atomic<std::size_t> done{0};
  std::atomic<bool> failed{false};
  auto work = [&](std::size_t k) {
    try {
      Analyzer analyzer;
      // No fsync per commit: nobody reads a shard before the build ends,
      // and the database CURRENT will name is synced once, at the end.
      Xapian::WritableDatabase db(shard_dirs[k].string(), Xapian::DB_CREATE_OR_OVERWRITE |
                                                              Xapian::DB_BACKEND_GLASS | Xapian::DB_NO_SYNC);
      auto& spelling = spellings[k];
      auto& forms = forms_of[k];
      std::size_t pending = 0;
      for (std::size_t i = bounds[k]; i < bounds[k + 1] && !failed; ++i) {
        Outcome o;
        Diagnostics failure;
        // Reading, checking and adding the document are one step: whatever
        // of them throws skips this file only.
        const bool ok = guard_file(items[i].file, &failure, [&] {
          o = process(items[i], build, analyzer);
          if (o.made) {
            o.made->document.add_value(
                schema::kSlotModified,
                records::carried_datestamp(build.history, items[i].slug, o.hash, build.now));
            db.add_document(o.made->document);
          }
        });
        if (!ok) {
          o = Outcome{};
          o.diagnostics = std::move(failure);
        } else if (o.made) {
          for (const auto& w : o.made->spelling_words) ++spelling[w];
          forms.insert(o.made->display_forms.begin(), o.made->display_forms.end());
          o.made.reset();
          if (++pending * shards >= opt.commit_every) {
            db.commit();
            pending = 0;
          }
        }
        outcomes[i] = std::move(o);
        ++done;
      }
      db.commit();
      db.close();
    } catch (...) {
      errors[k] = std::current_exception();
      failed = true;
    }
  };
  {
    std::vector<std::thread> pool;
    for (std::size_t k = 0; k < shards; ++k) pool.emplace_back(work, k);
    if (opt.progress) {
      std::size_t shown = 0;
      while (done < items.size() && !failed) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        if (done != shown) opt.progress(shown = done, items.size());
      }
    }
    for (auto& t : pool) t.join();
  }
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);

  std::vector<Xapian::Document> kept(items.size());
  if (Status s = keep_previous_versions(build, items, outcomes, &kept); !s.is_ok()) return s;

  BuildReport& report = build.report;
  std::set<std::string> indexed;
  for (std::size_t i = 0; i < items.size(); ++i) {
    Outcome& o = outcomes[i];
    if (o.kind == Outcome::kIndexed) {
      indexed.insert(items[i].slug);
      ++report.added;
      report.bytes_indexed += o.bytes;
    } else {
      ++report.skipped;
      if (kept[i].get_docid() != 0) {
        indexed.insert(items[i].slug);
        ++report.kept;
        o.diagnostics.push_back(kept_previous_version(items[i].file));
      }
    }
    report.diagnostics.insert(report.diagnostics.end(), o.diagnostics.begin(), o.diagnostics.end());
  }

  // Merge first, then add what is not per document: Xapian compresses each
  // entry of the spelling table when it writes it, and a merge writes the
  // tables it merges again, so spelling data written into the shards was
  // compressed three times (once per shard, again by the merge): 14 % of a
  // build's instructions went to zlib's deflateReset alone.
  fs::path merged = shard_dirs[0];
  if (shards > 1) {
    Xapian::Database all;
    for (const auto& d : shard_dirs) all.add_database(Xapian::Database(d.string()));
    all.compact(target.string());
    all.close();
    merged = target;
  }
  {
    for (std::size_t k = 1; k < shards; ++k) {
      for (const auto& [word, freq] : spellings[k]) spellings[0][word] += freq;
      forms_of[0].merge(forms_of[k]);
    }
    Xapian::WritableDatabase db(merged.string(), Xapian::DB_OPEN | Xapian::DB_NO_SYNC);
    for (const Xapian::Document& doc : kept) {
      if (doc.get_docid() == 0) continue;
      db.add_document(doc);
      for (const auto& w : spelling_words_of(doc)) ++spellings[0][w];
    }
    for (const auto& [word, freq] : spellings[0]) db.add_spelling(word, freq);
    for (const auto& [folded, written] : forms_of[0])
      db.set_metadata(std::string(schema::kMetaWordPrefix) + folded, written);
    Analyzer analyzer;
    for (const auto& pair : synonym_pairs(*build.taxonomy, analyzer)) db.add_synonym(pair.key, pair.value);
    db.set_metadata(std::string(schema::kMetaSchema), std::to_string(schema::kSchemaVersion));
    db.set_metadata(std::string(schema::kMetaTaxonomyHash), build.taxonomy_hash);
    stamp_build(build, db);
    records::write_tombstones(db, build.history, indexed);
    db.commit();
    db.close();
  }
  sync_folder(merged);
  if (shards == 1) fs::rename(shard_dirs[0], target);
  return Status::ok();
}

}  // namespace bp::index_build
