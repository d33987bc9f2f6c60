#include "bp/index_builder.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <future>
#include <optional>
#include <sstream>

#include "bp/file_bytes.h"
#include "bp/library.h"
#include "bp/taxonomy.h"
#include "bp/text.h"
#include "index_pipeline.h"
#include "index_store.h"
#include "record_store.h"
#include "schema.h"

namespace bp {
namespace fs = std::filesystem;
namespace {

// Releases the build lock (an flock on DIR/LOCK) when it goes out of scope.
class BuildLock {
 public:
  explicit BuildLock(const fs::path& file) {
    fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) error_ = errno;
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
  // Why it failed (errno of open).
  int error() const { return error_; }

 private:
  int fd_ = -1;
  int error_ = 0;
};

// The files come from walking root/practices, so their paths start with
// `root` as written: the relative path is lexical (fs::relative resolves
// every component of both paths with system calls: at 100,000 files that
// was most of the time a build that changes nothing took).
std::string relative_path(const std::string& f, const fs::path& root) {
  const std::string& r = root.native();
  if (!r.empty() && r.back() != '/' && f.size() > r.size() + 1 && f.compare(0, r.size(), r) == 0 &&
      f[r.size()] == '/' && f.find("/.", r.size()) == std::string::npos)
    return f.substr(r.size() + 1);
  const fs::path file = f;
  fs::path rel = file.lexically_relative(root);
  if (rel.empty() || *rel.begin() == "..") {
    std::error_code ec;
    rel = fs::relative(file, root, ec);
    if (ec || rel.empty()) rel = file;
  }
  return rel.generic_string();
}

// The bytes of the files under `dir` (0 when it cannot be read).
std::uint64_t folder_bytes(const fs::path& dir) {
  std::uint64_t total = 0;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code size_ec;
    if (it->is_regular_file(size_ec)) {
      const auto size = it->file_size(size_ec);
      if (!size_ec) total += size;
    }
  }
  return total;
}

std::optional<std::uint64_t> statvfs_free_bytes(const fs::path& dir) {
  struct statvfs st {};
  if (::statvfs(dir.c_str(), &st) != 0) return std::nullopt;
  return static_cast<std::uint64_t>(st.f_bavail) * st.f_frsize;
}

std::string megabytes(std::uint64_t bytes) { return std::to_string((bytes + (1 << 20) - 1) >> 20) + " MB"; }

// Refuses a full build into `index_dir` when the disk cannot hold it
// (full_build_bytes_needed): an error that says how much to free, instead
// of an abort inside libxapian half-way.
Status check_room(const BuildOptions& options, const std::optional<fs::path>& previous,
                  const index_build::Build::Files& files) {
  std::uint64_t previous_bytes = previous ? folder_bytes(*previous) : 0;
  std::uint64_t text_bytes = 0;
  if (previous_bytes == 0)
    for (const auto& f : files) text_bytes += static_cast<std::uint64_t>(std::max<std::int64_t>(0, f.found.size));
  const std::uint64_t need = full_build_bytes_needed(previous_bytes, text_bytes);
  const std::optional<std::uint64_t> free =
      options.free_bytes ? options.free_bytes(options.index_dir) : statvfs_free_bytes(options.index_dir);
  if (!free || *free >= need) return Status::ok();
  return Status::io("spazio su disco insufficiente per costruire l'indice da capo: servono circa " + megabytes(need) +
                    " liberi in " + options.index_dir.string() + ", ce ne sono " + megabytes(*free) +
                    ". L'indice in uso non è stato cambiato: libera spazio e riprova");
}

class Builder {
 public:
  explicit Builder(const BuildOptions& options) : build_(options) {}

  Result<BuildReport> run();

 private:
  // Reads taxonomy.yaml for its hash (taxonomy_hash).
  Status read_taxonomy();
  // Sets taxonomy (and its diagnostics) from the parsed form `db` holds, or
  // by parsing taxonomy.yaml when db is null or holds none; an error when it
  // cannot be used.
  Status load_taxonomy(const Xapian::Database* db);
  void list_files(std::vector<CaseFile> found);
  std::chrono::system_clock::time_point now() const {
    return build_.options.clock ? build_.options.clock() : std::chrono::system_clock::now();
  }
  // Publishes the records of `db` that are visible but not yet published,
  // in commits of their own.
  void publish(Xapian::WritableDatabase& db) const;

  index_build::Build build_;
};

void Builder::publish(Xapian::WritableDatabase& db) const {
  const auto before = now();
  bool changed = false;
  const std::vector<std::string> stamps =
      records::publish(db, records::publication_datestamp(before, build_.options.publish_delay), &changed);
  if (!changed) return;
  db.commit();
  // The date must be later than the moment the commit made the records
  // visible, which publication_datestamp's margin (the rest of the second)
  // covers only for a commit that quick. After a slower one (a loaded disk),
  // a harvester may have asked between that date and the commit: the
  // records are dated again, after it. They were visible all along, so
  // whoever asked since has them.
  const auto after = now();
  if (std::chrono::floor<std::chrono::seconds>(after) > std::chrono::floor<std::chrono::seconds>(before) &&
      !stamps.empty()) {
    records::redate(db, stamps, records::publication_datestamp(after, build_.options.publish_delay));
    db.commit();
  }
}

Status Builder::read_taxonomy() {
  const fs::path file = build_.options.content_root / "taxonomy.yaml";
  Result<std::string> bytes = read_file(file);
  if (!bytes.ok()) return Status::not_found("tassonomia non trovata: " + file.string());
  build_.taxonomy_hash = fnv1a_hex(*bytes);
  return Status::ok();
}

Status Builder::load_taxonomy(const Xapian::Database* db) {
  const std::string file = index_build::taxonomy_file(build_);
  Diagnostics diags;
  if (db != nullptr) {
    // Stored by a build that read the same bytes (the caller checked the hash).
    build_.taxonomy = Taxonomy::from_bytes(db->get_metadata(std::string(schema::kMetaParsedTaxonomy)), file, &diags);
    build_.taxonomy_stored = build_.taxonomy.has_value();
  }
  if (!build_.taxonomy) {
    diags.clear();
    build_.taxonomy = Taxonomy::load(build_.options.content_root / "taxonomy.yaml", &diags);
  }
  if (!build_.taxonomy || has_errors(diags)) {
    std::string msg = "la tassonomia " + file + " non è utilizzabile:";
    for (const auto& d : diags) msg += "\n" + d.format();
    return Status::invalid(msg);
  }
  build_.taxonomy_diagnostics = diags;
  build_.report.diagnostics.insert(build_.report.diagnostics.end(), diags.begin(), diags.end());
  return Status::ok();
}

// Sorts `order` by `less`, merging the runs already in order (a walk gives
// each folder's files in name order, which is nearly slug order): a few
// merges instead of a sort of the whole library.
template <typename Less>
void sort_runs(std::vector<std::uint32_t>& order, Less less) {
  std::vector<std::size_t> runs{0};
  for (std::size_t i = 1; i < order.size(); ++i)
    if (less(order[i], order[i - 1])) runs.push_back(i);
  runs.push_back(order.size());
  while (runs.size() > 2) {
    std::vector<std::size_t> merged{0};
    for (std::size_t r = 0; r + 1 < runs.size(); r += 2) {
      const std::size_t end = r + 2 < runs.size() ? runs[r + 2] : runs[r + 1];
      if (r + 2 < runs.size())
        std::inplace_merge(order.begin() + static_cast<std::ptrdiff_t>(runs[r]),
                           order.begin() + static_cast<std::ptrdiff_t>(runs[r + 1]),
                           order.begin() + static_cast<std::ptrdiff_t>(end), less);
      merged.push_back(end);
    }
    runs = std::move(merged);
  }
}

void Builder::list_files(std::vector<CaseFile> found) {
  BuildReport& report = build_.report;
  report.files = found.size();
  // By slug; among files with the same slug, the oldest (the one already
  // published: a copy saved under another hub's folder is newer) wins, then
  // the first in path order.
  std::vector<std::uint32_t> order(found.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  sort_runs(order, [&found](std::uint32_t a, std::uint32_t b) {
    const int c = found[a].slug().compare(found[b].slug());
    if (c != 0) return c < 0;
    if (found[a].mtime_ns != found[b].mtime_ns) return found[a].mtime_ns < found[b].mtime_ns;
    return a < b;
  });
  build_.files.reserve(found.size());
  std::vector<std::string> slugs;
  slugs.reserve(found.size());
  std::vector<std::pair<std::uint32_t, Diagnostic>> duplicates;  // reported in path order
  for (std::uint32_t i : order) {
    CaseFile& file = found[i];
    if (!build_.files.empty() && build_.files.back().found.slug() == file.slug()) {
      ++report.skipped;
      duplicates.push_back(
          {i, {file.path, 0, 0, Severity::kError,
               "slug '" + std::string(file.slug()) + "' già usato da " + build_.files.back().relative +
                   ": ogni scheda deve avere un nome di file diverso (file ignorato)"}});
      continue;
    }
    std::string relative = relative_path(file.path, build_.options.content_root);
    slugs.emplace_back(file.slug());
    build_.files.push_back({std::move(file), std::move(relative)});
  }
  std::sort(duplicates.begin(), duplicates.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& d : duplicates) report.diagnostics.push_back(std::move(d.second));
  build_.slugs = std::make_unique<LibrarySlugs>(std::move(slugs));
}

Result<BuildReport> Builder::run() {
  const auto t0 = std::chrono::steady_clock::now();
  // The walk of the library (most of an incremental build of a large one)
  // runs while the taxonomy is read and the index opened and its stamps read.
  struct Walked {
    std::vector<CaseFile> files;
    std::vector<std::string> unreadable;
  };
  std::future<Walked> walk = std::async(std::launch::async, [root = build_.options.content_root / "practices"] {
    Walked w;
    w.files = list_case_files(root, &w.unreadable);
    return w;
  });
  // A folder the build cannot read would look like practices removed, and
  // the removal would reach every server and the open library's harvesters:
  // the build stops and leaves the index as it was.
  auto take_walk = [&]() -> Status {
    Walked w = walk.get();
    if (!w.unreadable.empty())
      return Status::io(relative_path(w.unreadable.front(), build_.options.content_root) + ": " + kUnreadableFolder +
                        "; l'indice non è stato cambiato");
    list_files(std::move(w.files));
    return Status::ok();
  };
  // So is the content commit (a git child process: mostly waiting).
  std::future<std::string> commit;
  if (build_.options.find_content_commit)
    commit = std::async(std::launch::async, build_.options.find_content_commit);
  auto settle_commit = [&] {
    build_.content_commit = commit.valid() ? commit.get() : build_.options.content_commit;
  };
  if (Status s = read_taxonomy(); !s.is_ok()) return s;
  // The first build: nothing is created when the taxonomy cannot be used.
  std::error_code ec;
  if (!fs::exists(build_.options.index_dir, ec))
    if (Status s = load_taxonomy(nullptr); !s.is_ok()) return s;


  fs::create_directories(build_.options.index_dir, ec);
  if (ec) return Status::io("impossibile creare la cartella dell'indice " + build_.options.index_dir.string() +
                            ": " + ec.message());
  BuildLock lock(build_.options.index_dir / "LOCK");
  if (lock.busy())
    return Status::conflict("un'altra costruzione dell'indice è in corso su " + build_.options.index_dir.string());
  if (lock.failed())
    return Status::io("impossibile bloccare " + (build_.options.index_dir / "LOCK").string() + ": " +
                      std::strerror(lock.error()) +
                      (lock.error() == EACCES || lock.error() == EPERM || lock.error() == EROFS
                           ? " (la cartella dell'indice appartiene a un altro utente? la costruzione gira come "
                             "l'utente che poi la rifà, per esempio quello del servizio)"
                           : ""));

  const std::string live = index_store::read_current(build_.options.index_dir);

  // ICU creates its normaliser lazily behind synchronisation ThreadSanitizer
  // cannot see; creating it here, before any worker starts, keeps the
  // workers' first fold() from racing on it (and TSan quiet).
  text::fold("\u00e0");
  try {
    std::optional<Xapian::WritableDatabase> db;
    std::string name = live;
    if (!build_.options.rebuild && index_store::current_database(build_.options.index_dir)) {
      try {
        db.emplace((build_.options.index_dir / live).string(), Xapian::DB_OPEN);
        if (db->get_metadata(std::string(schema::kMetaSchema)) !=
                std::to_string(schema::kSchemaVersion) ||
            db->get_metadata(std::string(schema::kMetaTaxonomyHash)) != build_.taxonomy_hash)
          db.reset();
      } catch (const Xapian::DatabaseLockError&) {
        throw;
      } catch (const Xapian::DatabaseError&) {
        // An unreadable live database is rebuilt from the files.
        db.reset();
      }
    }
    // Parsed again only when the live database does not hold it (a full
    // build, or an index written before it did).
    if (!build_.taxonomy)
      if (Status s = load_taxonomy(db ? &*db : nullptr); !s.is_ok()) return s;
    // Databases no longer live were kept for readers of the previous build.
    index_store::remove_databases_except(build_.options.index_dir, live);
    if (db) {
      build_.now = records::unused_stamp(*db, build_.started);
      records::adopt_publications(*db);  // committed with the build's first commit
      std::vector<index_build::Indexed> indexed = index_build::read_indexed(*db);
      if (Status s = take_walk(); !s.is_ok()) return s;
      index_build::update_incremental(build_, *db, std::move(indexed));
      const BuildReport& r = build_.report;
      settle_commit();
      if (r.added + r.updated + r.removed > 0 ||
          db->get_metadata(std::string(schema::kMetaContentCommit)) != build_.content_commit)
        index_build::stamp_build(build_, *db);
      db->commit();
      // Published in a commit of its own, dated after the one that made
      // the records visible.
      publish(*db);
      db->close();
    } else {
      if (Status s = take_walk(); !s.is_ok()) return s;
      settle_commit();
      build_.report.full_rebuild = true;
      name = index_store::next_database_name(build_.options.index_dir);
      if (auto previous = index_store::current_database(build_.options.index_dir)) {
        try {
          const Xapian::Database before(previous->string());
          build_.now = records::unused_stamp(before, build_.started);
          build_.history = records::read_history(before, build_.now);
          build_.history.carry_datestamps =
              before.get_metadata(std::string(schema::kMetaTaxonomyHash)) == build_.taxonomy_hash;
          // Its documents can stand in for files that fail now only when
          // this build would write them the same way.
          if (before.get_metadata(std::string(schema::kMetaSchema)) == std::to_string(schema::kSchemaVersion)) {
            build_.previous = *previous;
            build_.previous_taxonomy_hash = before.get_metadata(std::string(schema::kMetaTaxonomyHash));
          }
        } catch (const Xapian::Error&) {
          // An unreadable database has no history worth keeping.
        }
      }
      if (Status s = check_room(build_.options, index_store::current_database(build_.options.index_dir), build_.files);
          !s.is_ok())
        return s;
      try {
        if (Status s = index_build::build_full(build_, build_.options.index_dir / name); !s.is_ok()) {
          fs::remove_all(build_.options.index_dir / name, ec);
          return s;
        }
      } catch (...) {
        fs::remove_all(build_.options.index_dir / name, ec);
        throw;
      }
      if (Status s = index_store::write_current(build_.options.index_dir, name); !s.is_ok()) return s;
      // Readers see the new database from here on: its records are
      // published now, dated after this moment.
      Xapian::WritableDatabase published((build_.options.index_dir / name).string(), Xapian::DB_OPEN);
      publish(published);
      published.close();
    }
    if (Status s = index_store::link_live(build_.options.index_dir, name); !s.is_ok()) return s;
    build_.report.database = name;
  } catch (const Xapian::DatabaseLockError& e) {
    // Xapian reports a lock file it may not create as a lock it cannot
    // take: after a build run once as root, the service user's builds all
    // fail so. The cause is the files' owner, not another process.
    if (e.get_msg().find("Permission denied") != std::string::npos)
      return Status::conflict(
          "non posso scrivere l'indice: i suoi file appartengono a un altro utente (una build "
          "eseguita come root?). Esegui bp-index come l'utente del servizio, dopo aver "
          "ridato a lui i file (chown -R). Dettaglio: " +
          e.get_msg());
    return Status::conflict("l'indice è già aperto in scrittura da un altro processo: " + e.get_msg());
  } catch (const Xapian::DatabaseCorruptError& e) {
    return Status::corruption("indice danneggiato (usa --rebuild): " + e.get_msg());
  } catch (const Xapian::Error& e) {
    return Status::io("errore di Xapian: " + e.get_description());
  } catch (const fs::filesystem_error& e) {
    return Status::io(e.what());
  }
  build_.report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return std::move(build_.report);
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
      << text::count_noun(added, "aggiunta", "aggiunte") << ", "
      << text::count_noun(updated, "aggiornata", "aggiornate") << ", "
      << text::count_noun(removed, "rimossa", "rimosse") << ", " << text::count_noun(skipped, "saltata", "saltate");
  if (kept == 1 && skipped == 1)
    out << " (ne resta la versione precedente)";
  else if (kept > 0)
    out << " (di " << kept << " resta la versione precedente)";
  out << ", " << text::count_noun(unchanged, "invariata", "invariate") << " in " << s << " s";
  return out.str();
}

std::uint64_t full_build_bytes_needed(std::uint64_t previous_db_bytes, std::uint64_t text_bytes) {
  constexpr std::uint64_t kFloor = 16u << 20;
  return kFloor + (previous_db_bytes > 0 ? 3 * previous_db_bytes : 8 * text_bytes);
}

Result<BuildReport> build_index(const BuildOptions& options) {
  Builder builder(options);
  return builder.run();
}

}  // namespace bp
