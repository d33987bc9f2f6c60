#include "bp/index_builder.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <exception>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "bp/analyzer.h"
#include "bp/index_document.h"
#include "bp/index_store.h"
#include "bp/library.h"
#include "bp/records.h"
#include "bp/schema.h"
#include "bp/taxonomy.h"
#include "bp/text.h"
#include "record_store.h"

namespace bp {
namespace fs = std::filesystem;
namespace {

// Releases the build lock (an flock on DIR/LOCK) when it goes out of scope.
class BuildLock {
 public:
  explicit BuildLock(const fs::path& file) {
    fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ >= 0 && ::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      ::close(fd_);
      fd_ = -2;
    }
  }
  ~BuildLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  BuildLock(const BuildLock&) = delete;
  BuildLock& operator=(const BuildLock&) = delete;
  bool busy() const { return fd_ == -2; }
  bool failed() const { return fd_ == -1; }

 private:
  int fd_ = -1;
};

std::optional<std::string> read_bytes(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return std::nullopt;
  return bytes;
}

// "<mtime_ns>:<size>", or "" when the file cannot be stat()ed.
std::string stat_stamp(const fs::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) return {};
  const long long ns = static_cast<long long>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
  return std::to_string(ns) + ":" + std::to_string(static_cast<long long>(st.st_size));
}

std::string relative_path(const fs::path& file, const fs::path& root) {
  std::error_code ec;
  fs::path rel = fs::relative(file, root, ec);
  if (ec || rel.empty()) rel = file;
  return rel.generic_string();
}

std::string italian_count(std::size_t n, const char* singular, const char* plural) {
  return std::to_string(n) + " " + (n == 1 ? singular : plural);
}

// What the index holds about one case file.
struct Indexed {
  Xapian::docid docid = 0;
  std::string path;
  std::string stat;
  std::string hash;
};

// A case file that has to be read.
struct Item {
  fs::path file;
  std::string path;  // relative to the content root
  std::string slug;
  std::string stat;
  const Indexed* indexed = nullptr;  // same slug in the index, if any
};

struct Outcome {
  enum Kind { kIndexed, kTouched, kSkipped } kind = kSkipped;
  std::optional<MadeDocument> made;
  Diagnostics diagnostics;
  std::string hash;
  std::uint64_t bytes = 0;
};

Outcome process(const Item& item, const fs::path& content_root, const Taxonomy& taxonomy,
                const std::set<std::string>& slugs, Analyzer& analyzer) {
  Outcome out;
  std::optional<std::string> bytes = read_bytes(item.file);
  if (!bytes) {
    out.diagnostics.push_back({item.file.string(), 0, 0, Severity::kError,
                               "impossibile leggere il file"});
    return out;
  }
  out.hash = fnv1a_hex(*bytes);
  out.bytes = bytes->size();
  if (item.indexed != nullptr && item.indexed->path == item.path && item.indexed->hash == out.hash) {
    out.kind = Outcome::kTouched;
    return out;
  }
  LoadedPractice loaded = load_practice(item.file, content_root, taxonomy);
  out.diagnostics = std::move(loaded.diagnostics);
  if (!loaded.practice || has_errors(out.diagnostics)) return out;
  Practice& p = *loaded.practice;
  p.slug = item.slug;
  p.path = item.path;
  p.content_hash = out.hash;
  for (const auto& r : p.related) {
    if (!slugs.count(r))
      out.diagnostics.push_back({item.file.string(), 0, 0, Severity::kWarning,
                                 "'related': la pratica '" + r + "' non esiste nella biblioteca"});
  }
  out.made = make_document(p, taxonomy, analyzer, item.stat, out.hash);
  out.kind = Outcome::kIndexed;
  return out;
}

// Reads `slot` of every document into `into[docid]`.
void read_slot(const Xapian::Database& db, Xapian::valueno slot,
               std::unordered_map<Xapian::docid, Indexed>& into, std::string Indexed::*field) {
  for (auto it = db.valuestream_begin(slot); it != db.valuestream_end(slot); ++it)
    into[it.get_docid()].*field = *it;
}

// Runs `process` over `items` on worker threads and hands the outcomes to
// `apply` on the calling thread, in item order. A bounded window keeps the
// workers from racing ahead of the writer (memory stays flat).
template <typename Apply>
void run_pipeline(const std::vector<Item>& items, int threads, const fs::path& content_root,
                  const Taxonomy& taxonomy, const std::set<std::string>& slugs, Apply apply) {
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
      try {
        o = process(items[i], content_root, taxonomy, slugs, analyzer);
      } catch (const std::exception& e) {
        o = Outcome{};
        o.diagnostics.push_back({items[i].file.string(), 0, 0, Severity::kError,
                                 std::string("errore inatteso: ") + e.what()});
      } catch (const Xapian::Error& e) {
        o = Outcome{};
        o.diagnostics.push_back({items[i].file.string(), 0, 0, Severity::kError,
                                 "errore inatteso: " + e.get_description()});
      }
      {
        std::lock_guard lk(mu);
        outcomes[i] = std::move(o);
      }
      ready.notify_all();
    }
  };

  std::vector<std::thread> pool;
  const int count = std::max(1, std::min<int>(threads, static_cast<int>(n)));
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

class Builder {
 public:
  explicit Builder(const BuildOptions& options) : opt_(options) {}

  Result<BuildReport> run();

 private:
  Status load_taxonomy();
  void list_files();
  void read_index(const Xapian::Database& db);
  void write(Xapian::WritableDatabase& db);
  void build_full(const fs::path& target);
  std::vector<Item> all_items() const;
  void add_spelling_of(const Xapian::Document& doc, int delta);
  void flush_spelling(Xapian::WritableDatabase& db);

  const BuildOptions& opt_;
  BuildReport report_;
  std::optional<Taxonomy> taxonomy_;
  std::string taxonomy_hash_;
  // Case files by slug (first path in sorted order), and the files to read.
  std::map<std::string, std::pair<fs::path, std::string>> files_;  // slug -> (file, rel path)
  std::set<std::string> slugs_;
  std::unordered_map<std::string, Indexed> indexed_;  // slug -> what the index has
  std::unordered_map<std::string, int> spelling_delta_;
  std::unordered_set<std::string> words_written_;  // display forms set in this run
  // Datestamp of what this run adds, changes or removes (records.h).
  const std::string now_ = utc_datestamp(std::chrono::system_clock::now());
  records::History history_;  // of the database a full build replaces
};

Status Builder::load_taxonomy() {
  const fs::path file = opt_.content_root / "taxonomy.yaml";
  std::optional<std::string> bytes = read_bytes(file);
  if (!bytes) return Status::not_found("tassonomia non trovata: " + file.string());
  taxonomy_hash_ = fnv1a_hex(*bytes);
  Diagnostics diags;
  taxonomy_ = Taxonomy::load(file, &diags);
  if (!taxonomy_ || has_errors(diags)) {
    std::string msg = "la tassonomia " + file.string() + " non è utilizzabile:";
    for (const auto& d : diags) msg += "\n" + d.format();
    return Status::invalid(msg);
  }
  report_.diagnostics.insert(report_.diagnostics.end(), diags.begin(), diags.end());
  return Status::ok();
}

void Builder::list_files() {
  for (const fs::path& file : find_case_files(opt_.content_root)) {
    ++report_.files;
    const std::string slug = file.stem().string();
    const std::string rel = relative_path(file, opt_.content_root);
    auto [it, inserted] = files_.emplace(slug, std::make_pair(file, rel));
    if (!inserted) {
      ++report_.skipped;
      report_.diagnostics.push_back(
          {file.string(), 0, 0, Severity::kError,
           "slug '" + slug + "' già usato da " + it->second.second +
               ": ogni scheda deve avere un nome di file diverso (file ignorato)"});
    }
    slugs_.insert(slug);
  }
}

void Builder::read_index(const Xapian::Database& db) {
  std::unordered_map<Xapian::docid, Indexed> by_id;
  read_slot(db, schema::kSlotPath, by_id, &Indexed::path);
  read_slot(db, schema::kSlotStat, by_id, &Indexed::stat);
  read_slot(db, schema::kSlotHash, by_id, &Indexed::hash);
  for (auto& [docid, info] : by_id) {
    if (info.path.empty()) continue;
    info.docid = docid;
    std::string slug = fs::path(info.path).stem().string();
    indexed_.emplace(std::move(slug), std::move(info));
  }
}

void Builder::add_spelling_of(const Xapian::Document& doc, int delta) {
  for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) {
    const std::string& term = *it;
    const unsigned char c = static_cast<unsigned char>(term[0]);
    if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) continue;
    spelling_delta_[term] += delta;
  }
}

void Builder::flush_spelling(Xapian::WritableDatabase& db) {
  for (const auto& [word, delta] : spelling_delta_) {
    if (delta > 0) db.add_spelling(word, static_cast<Xapian::termcount>(delta));
    if (delta < 0) db.remove_spelling(word, static_cast<Xapian::termcount>(-delta));
  }
  spelling_delta_.clear();
}

void Builder::write(Xapian::WritableDatabase& db) {
  // Documents whose file is gone.
  for (const auto& [slug, info] : indexed_) {
    if (files_.count(slug)) continue;
    const Xapian::Document gone = db.get_document(info.docid);
    add_spelling_of(gone, -1);
    db.set_metadata(records::tombstone_key(slug), records::tombstone_value(now_, gone));
    db.delete_document(info.docid);
    ++report_.removed;
  }

  std::vector<Item> items;
  std::vector<std::size_t> order;  // items' positions in files_ order, for diagnostics
  for (const auto& [slug, file] : files_) {
    Item item;
    item.file = file.first;
    item.path = file.second;
    item.slug = slug;
    item.stat = stat_stamp(file.first);
    if (auto it = indexed_.find(slug); it != indexed_.end()) {
      item.indexed = &it->second;
      if (it->second.path == item.path && !item.stat.empty() && it->second.stat == item.stat) {
        ++report_.unchanged;
        continue;
      }
    }
    items.push_back(std::move(item));
  }
  report_.read = items.size();

  std::size_t pending = 0;
  std::vector<Diagnostics> per_item(items.size());
  run_pipeline(items, opt_.worker_threads, opt_.content_root, *taxonomy_, slugs_,
               [&](std::size_t i, Outcome& o) {
                 const Item& item = items[i];
                 per_item[i] = std::move(o.diagnostics);
                 switch (o.kind) {
                   case Outcome::kSkipped:
                     ++report_.skipped;
                     break;
                   case Outcome::kTouched: {
                     Xapian::Document doc = db.get_document(item.indexed->docid);
                     doc.add_value(schema::kSlotStat, item.stat);
                     db.replace_document(item.indexed->docid, doc);
                     ++report_.unchanged;
                     break;
                   }
                   case Outcome::kIndexed: {
                     MadeDocument& made = *o.made;
                     if (item.indexed != nullptr) {
                       add_spelling_of(db.get_document(item.indexed->docid), -1);
                       ++report_.updated;
                     } else {
                       ++report_.added;
                     }
                     for (const auto& w : made.spelling_words) spelling_delta_[w] += 1;
                     for (const auto& [folded, written] : made.display_forms) {
                       if (words_written_.insert(folded).second)
                         db.set_metadata(std::string(schema::kMetaWordPrefix) + folded, written);
                     }
                     made.document.add_value(schema::kSlotModified, now_);
                     db.set_metadata(records::tombstone_key(item.slug), "");
                     db.replace_document(made.id_term, made.document);
                     report_.bytes_indexed += o.bytes;
                     if (++pending >= opt_.commit_every) {
                       flush_spelling(db);
                       db.commit();
                       pending = 0;
                     }
                     break;
                   }
                 }
                 if (opt_.progress) opt_.progress(i + 1, items.size());
               });
  for (auto& d : per_item) report_.diagnostics.insert(report_.diagnostics.end(), d.begin(), d.end());
  flush_spelling(db);
}

std::vector<Item> Builder::all_items() const {
  std::vector<Item> items;
  items.reserve(files_.size());
  for (const auto& [slug, file] : files_) {
    Item item;
    item.file = file.first;
    item.path = file.second;
    item.slug = slug;
    item.stat = stat_stamp(file.first);
    items.push_back(std::move(item));
  }
  return items;
}

// A full build gives each worker a contiguous run of files (balanced by
// size) and its own WritableDatabase, then merges the shards with
// Database::compact(). Xapian's inverter and position encoding run inside
// add_document(), so a single writer thread caps a build at one core;
// compaction is a cheap sequential merge, keeps documents in file order
// (shard k's ids follow shard k-1's) and leaves a smaller, faster index.
void Builder::build_full(const fs::path& target) {
  const std::vector<Item> items = all_items();
  report_.read = items.size();
  const std::size_t shards =
      std::max<std::size_t>(1, std::min<std::size_t>(std::max(1, opt_.worker_threads), items.size()));

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

  std::vector<fs::path> shard_dirs;
  for (std::size_t k = 0; k < shards; ++k)
    shard_dirs.push_back(fs::path(target.string() + ".shard-" + std::to_string(k)));
  struct ShardCleanup {
    const std::vector<fs::path>& dirs;
    ~ShardCleanup() {
      std::error_code ec;
      for (const auto& d : dirs) fs::remove_all(d, ec);
    }
  } cleanup{shard_dirs};

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
        try {
          o = process(items[i], opt_.content_root, *taxonomy_, slugs_, analyzer);
        } catch (const std::exception& e) {
          o = Outcome{};
          o.diagnostics.push_back({items[i].file.string(), 0, 0, Severity::kError,
                                   std::string("errore inatteso: ") + e.what()});
        }
        if (o.made) {
          for (const auto& w : o.made->spelling_words) ++spelling[w];
          forms.insert(o.made->display_forms.begin(), o.made->display_forms.end());
          o.made->document.add_value(
              schema::kSlotModified, records::carried_datestamp(history_, items[i].slug, o.hash, now_));
          db.add_document(o.made->document);
          o.made.reset();
          if (++pending * shards >= opt_.commit_every) {
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
    if (opt_.progress) {
      std::size_t shown = 0;
      while (done < items.size() && !failed) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        if (done != shown) opt_.progress(shown = done, items.size());
      }
    }
    for (auto& t : pool) t.join();
  }
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);

  std::set<std::string> indexed;
  for (std::size_t i = 0; i < items.size(); ++i) {
    Outcome& o = outcomes[i];
    if (o.kind == Outcome::kIndexed) {
      indexed.insert(items[i].slug);
      ++report_.added;
      report_.bytes_indexed += o.bytes;
    } else {
      ++report_.skipped;
    }
    report_.diagnostics.insert(report_.diagnostics.end(), o.diagnostics.begin(), o.diagnostics.end());
  }

  {
    Xapian::WritableDatabase first(shard_dirs[0].string(), Xapian::DB_OPEN);
    Analyzer analyzer;
    for (const auto& pair : synonym_pairs(*taxonomy_, analyzer)) first.add_synonym(pair.key, pair.value);
    first.set_metadata(std::string(schema::kMetaSchema), std::to_string(schema::kSchemaVersion));
    first.set_metadata(std::string(schema::kMetaTaxonomyHash), taxonomy_hash_);
    records::write_tombstones(first, history_, indexed);
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

Result<BuildReport> Builder::run() {
  const auto t0 = std::chrono::steady_clock::now();
  if (Status s = load_taxonomy(); !s.is_ok()) return s;

  std::error_code ec;
  fs::create_directories(opt_.index_dir, ec);
  if (ec) return Status::io("impossibile creare la cartella dell'indice " + opt_.index_dir.string() +
                            ": " + ec.message());
  BuildLock lock(opt_.index_dir / "LOCK");
  if (lock.busy())
    return Status::conflict("un'altra costruzione dell'indice è in corso su " + opt_.index_dir.string());
  if (lock.failed()) return Status::io("impossibile bloccare " + (opt_.index_dir / "LOCK").string());

  const std::string live = index_store::read_current(opt_.index_dir);
  // Databases no longer live were kept for readers of the previous build.
  index_store::remove_databases_except(opt_.index_dir, live);

  list_files();
  // ICU creates its normaliser lazily behind synchronisation ThreadSanitizer
  // cannot see; creating it here, before any worker starts, keeps the
  // workers' first fold() from racing on it (and TSan quiet).
  text::fold("\u00e0");
  try {
    std::optional<Xapian::WritableDatabase> db;
    std::string name = live;
    if (!opt_.rebuild && index_store::current_database(opt_.index_dir)) {
      try {
        db.emplace((opt_.index_dir / live).string(), Xapian::DB_OPEN);
        if (db->get_metadata(std::string(schema::kMetaSchema)) !=
                std::to_string(schema::kSchemaVersion) ||
            db->get_metadata(std::string(schema::kMetaTaxonomyHash)) != taxonomy_hash_)
          db.reset();
      } catch (const Xapian::DatabaseLockError&) {
        throw;
      } catch (const Xapian::DatabaseError&) {
        // An unreadable live database is rebuilt from the files.
        db.reset();
      }
    }
    if (db) {
      read_index(*db);
      write(*db);
      db->commit();
      db->close();
    } else {
      report_.full_rebuild = true;
      name = index_store::next_database_name(opt_.index_dir);
      if (auto previous = index_store::current_database(opt_.index_dir)) {
        try {
          history_ = records::read_history(Xapian::Database(previous->string()), now_);
        } catch (const Xapian::Error&) {
          // An unreadable database has no history worth keeping.
        }
      }
      try {
        build_full(opt_.index_dir / name);
      } catch (...) {
        fs::remove_all(opt_.index_dir / name, ec);
        throw;
      }
      if (Status s = index_store::write_current(opt_.index_dir, name); !s.is_ok()) return s;
    }
    report_.database = name;
  } catch (const Xapian::DatabaseLockError& e) {
    return Status::conflict("l'indice è già aperto in scrittura da un altro processo: " + e.get_msg());
  } catch (const Xapian::DatabaseCorruptError& e) {
    return Status::corruption("indice danneggiato (usa --rebuild): " + e.get_msg());
  } catch (const Xapian::Error& e) {
    return Status::io("errore di Xapian: " + e.get_description());
  } catch (const fs::filesystem_error& e) {
    return Status::io(e.what());
  }
  report_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return std::move(report_);
}

}  // namespace

std::string BuildReport::summary() const {
  char secs[32];
  std::snprintf(secs, sizeof secs, "%.2f", seconds);
  std::string s = secs;
  for (char& c : s)
    if (c == '.') c = ',';
  std::ostringstream out;
  out << (full_rebuild ? "indice ricostruito: " : "indice aggiornato: ")
      << italian_count(added, "aggiunta", "aggiunte") << ", "
      << italian_count(updated, "aggiornata", "aggiornate") << ", "
      << italian_count(removed, "rimossa", "rimosse") << ", "
      << italian_count(skipped, "saltata", "saltate") << ", "
      << italian_count(unchanged, "invariata", "invariate") << " in " << s << " s";
  return out.str();
}

Result<BuildReport> build_index(const BuildOptions& options) {
  Builder builder(options);
  return builder.run();
}

}  // namespace bp
