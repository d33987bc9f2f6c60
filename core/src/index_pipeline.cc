#include "index_pipeline.h"

#include <algorithm>
#include <charconv>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>

#include "bp/file_bytes.h"
#include "bp/library.h"
#include "schema.h"

namespace bp::index_build {
namespace fs = std::filesystem;

std::string stat_stamp(const CaseFile& file) {
  return std::to_string(file.mtime_ns) + ":" + std::to_string(file.size);
}

bool same_stamp(std::string_view stamp, const CaseFile& file) {
  char buf[48];
  // Two 64-bit numbers and a colon fit in buf (at most 20 + 1 + 20 bytes).
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf - 1, file.mtime_ns);
  if (ec != std::errc()) return false;
  *end++ = ':';
  const auto [last, ec2] = std::to_chars(end, buf + sizeof buf, file.size);
  if (ec2 != std::errc()) return false;
  return stamp == std::string_view(buf, static_cast<std::size_t>(last - buf));
}

Item item_for(const Build& build, const Build::File& file) {
  Item item;
  item.file = file.found.path;
  item.path = file.relative;
  item.slug = file.found.slug();
  item.stat = stat_stamp(file.found);
  const std::chrono::system_clock::time_point mtime(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(std::chrono::nanoseconds(file.found.mtime_ns)));
  item.racy = mtime + kRacyWindow > build.started;
  return item;
}

std::vector<Item> all_items(const Build& build) {
  std::vector<Item> items;
  items.reserve(build.files.size());
  for (const auto& file : build.files) items.push_back(item_for(build, file));
  return items;
}

Outcome process(const Item& item, const Build& build, Analyzer& analyzer) {
  Outcome out;
  Result<std::string> bytes = read_file(item.file);
  if (!bytes.ok()) {
    out.diagnostics.push_back({item.file.string(), 0, 0, Severity::kError, "impossibile leggere il file"});
    return out;
  }
  out.bytes = bytes->size();
  if (item.indexed != nullptr && item.indexed->path == item.path) {
    out.hash = fnv1a_hex(*bytes);
    if (item.indexed->hash == out.hash) {
      out.kind = Outcome::kTouched;
      return out;
    }
  }
  LoadedPractice loaded =
      parse_practice(*bytes, item.file, build.options.content_root, *build.taxonomy, *build.slugs);
  out.diagnostics = std::move(loaded.diagnostics);
  if (!loaded.practice || has_errors(out.diagnostics)) {
    // Compared with the version the index holds (build_full).
    if (out.hash.empty()) out.hash = fnv1a_hex(*bytes);
    return out;
  }
  Practice& p = *loaded.practice;
  p.slug = item.slug;
  p.path = item.path;
  // The file is read once: the practice comes from the bytes hashed here,
  // and parse_practice() hashed them (content_hash) when this did not.
  if (out.hash.empty()) out.hash = p.content_hash;
  out.made = make_document(p, *build.taxonomy, analyzer, item.stored_stat(), out.hash);
  out.kind = Outcome::kIndexed;
  return out;
}

bool guard_file(const fs::path& file, Diagnostics* diagnostics, const std::function<void()>& step) {
  std::string why;
  try {
    step();
    return true;
  } catch (const Xapian::DatabaseError&) {
    throw;
  } catch (const Xapian::Error& e) {
    why = e.get_description();
  } catch (const std::exception& e) {
    why = e.what();
  }
  diagnostics->push_back({file.string(), 0, 0, Severity::kError,
                          "impossibile indicizzare la scheda (" + why + "): file saltato"});
  return false;
}

std::vector<std::string> spelling_words_of(const Xapian::Document& doc) {
  std::vector<std::string> words;
  for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) {
    const std::string& term = *it;
    const unsigned char c = static_cast<unsigned char>(term[0]);
    if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) continue;
    words.push_back(term);
  }
  return words;
}

Diagnostic kept_previous_version(const fs::path& file) {
  return {file.string(), 0, 0, Severity::kWarning,
          "sul sito resta la versione precedente di questa scheda, finché non correggi gli errori"};
}

std::string taxonomy_file(const Build& build) { return (build.options.content_root / "taxonomy.yaml").generic_string(); }

void stamp_build(const Build& build, Xapian::WritableDatabase& db) {
  db.set_metadata(std::string(schema::kMetaBuiltAt), build.now);
  db.set_metadata(std::string(schema::kMetaContentCommit), build.content_commit);
  if (!build.taxonomy_stored && build.taxonomy)
    db.set_metadata(std::string(schema::kMetaParsedTaxonomy),
                    build.taxonomy->to_bytes(build.taxonomy_diagnostics, taxonomy_file(build)));
}

void run_pipeline(const std::vector<Item>& items, const Build& build,
                  const std::function<void(std::size_t, Outcome&)>& apply) {
  const std::size_t n = items.size();
  if (n == 0) return;
  constexpr std::size_t kWindow = 64;
  std::mutex mu;
  std::condition_variable ready, space;
  std::vector<std::optional<Outcome>> outcomes(n);
  std::size_t next_claim = 0, next_write = 0;
  bool stop = false;

  auto worker = [&] {
    Analyzer analyzer;
    for (;;) {
      std::size_t i;
      {
        std::unique_lock lk(mu);
        space.wait(lk, [&] { return stop || next_claim >= n || next_claim < next_write + kWindow; });
        if (stop || next_claim >= n) return;
        i = next_claim++;
      }
      Outcome o;
      Diagnostics failure;
      if (!guard_file(items[i].file, &failure, [&] { o = process(items[i], build, analyzer); })) {
        o = Outcome{};
        o.diagnostics = std::move(failure);
      }
      {
        std::lock_guard lk(mu);
        outcomes[i] = std::move(o);
      }
      ready.notify_all();
    }
  };

  std::vector<std::thread> pool;
  const int count = std::max(1, std::min<int>(build.options.worker_threads, static_cast<int>(n)));
  for (int t = 0; t < count; ++t) pool.emplace_back(worker);
  auto finish = [&] {
    {
      std::lock_guard lk(mu);
      stop = true;
    }
    space.notify_all();
    for (auto& t : pool) t.join();
  };
  try {
    for (std::size_t i = 0; i < n; ++i) {
      Outcome o;
      {
        std::unique_lock lk(mu);
        ready.wait(lk, [&] { return outcomes[i].has_value(); });
        o = std::move(*outcomes[i]);
        outcomes[i].reset();
        next_write = i + 1;
      }
      space.notify_all();
      apply(i, o);
    }
  } catch (...) {
    finish();
    throw;
  }
  finish();
}

}  // namespace bp::index_build
