// The full build (first build, --rebuild, taxonomy or schema changed): each
// worker gets a contiguous run of files (balanced by size) and its own
// WritableDatabase, then the shards are merged with Database::compact().
// Xapian's inverter and position encoding run inside add_document(), so a
// single writer thread caps a build at one core; compaction is a cheap
// sequential merge, keeps documents in file order (shard k's ids follow
// shard k-1's) and leaves a smaller, faster index.
#include <atomic>
#include <chrono>
#include <exception>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>

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

// Removes the shard folders when the build ends, whichever way.
struct ShardCleanup {
  const std::vector<fs::path>& dirs;
  ~ShardCleanup() {
    std::error_code ec;
    for (const auto& d : dirs) fs::remove_all(d, ec);
  }
};

}  // namespace

void build_full(Build& build, const fs::path& target) {
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
  std::vector<std::exception_ptr> errors(shards);
  std::atomic<std::size_t> done{0};
  std::atomic<bool> failed{false};
  auto work = [&](std::size_t k) {
    try {
      Analyzer analyzer;
      Xapian::WritableDatabase db(shard_dirs[k].string(),
                                  Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS);
      std::unordered_map<std::string, Xapian::termcount> spelling;
      std::unordered_map<std::string, std::string> forms;
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
      for (const auto& [word, freq] : spelling) db.add_spelling(word, freq);
      for (const auto& [folded, written] : forms)
        db.set_metadata(std::string(schema::kMetaWordPrefix) + folded, written);
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

  BuildReport& report = build.report;
  std::set<std::string> indexed;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Outcome& o = outcomes[i];
    if (o.kind == Outcome::kIndexed) {
      indexed.insert(items[i].slug);
      ++report.added;
      report.bytes_indexed += o.bytes;
    } else {
      ++report.skipped;
    }
    report.diagnostics.insert(report.diagnostics.end(), o.diagnostics.begin(), o.diagnostics.end());
  }

  {
    Xapian::WritableDatabase first(shard_dirs[0].string(), Xapian::DB_OPEN);
    Analyzer analyzer;
    for (const auto& pair : synonym_pairs(*build.taxonomy, analyzer)) first.add_synonym(pair.key, pair.value);
    first.set_metadata(std::string(schema::kMetaSchema), std::to_string(schema::kSchemaVersion));
    first.set_metadata(std::string(schema::kMetaTaxonomyHash), build.taxonomy_hash);
    stamp_build(build, first);
    records::write_tombstones(first, build.history, indexed);
    first.commit();
    first.close();
  }
  if (shards == 1) {
    fs::rename(shard_dirs[0], target);
    return;
  }
  Xapian::Database all;
  for (const auto& d : shard_dirs) all.add_database(Xapian::Database(d.string()));
  all.compact(target.string());
  all.close();
}

}  // namespace bp::index_build
