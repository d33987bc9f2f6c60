#include "bp/index_builder.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <optional>
#include <sstream>

#include "bp/file_bytes.h"
#include "bp/library.h"
#include "bp/taxonomy.h"
#include "bp/text.h"
#include "index_pipeline.h"
#include "record_store.h"
#include "index_store.h"
#include "schema.h"

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

// The files come from walking root/practices, so their paths start with
// `root` as written: the relative path is lexical (fs::relative resolves
// every component of both paths with system calls: at 100,000 files that
// was most of the time a build that changes nothing took).
std::string relative_path(const fs::path& file, const fs::path& root) {
  const std::string& f = file.native();
  const std::string& r = root.native();
  if (!r.empty() && r.back() != '/' && f.size() > r.size() + 1 && f.compare(0, r.size(), r) == 0 &&
      f[r.size()] == '/' && f.find("/.", r.size()) == std::string::npos)
    return f.substr(r.size() + 1);
  fs::path rel = file.lexically_relative(root);
  if (rel.empty() || *rel.begin() == "..") {
    std::error_code ec;
    rel = fs::relative(file, root, ec);
    if (ec || rel.empty()) rel = file;
  }
  return rel.generic_string();
}

class Builder {
 public:
  explicit Builder(const BuildOptions& options) : build_(options) {}

  Result<BuildReport> run();

 private:
  Status load_taxonomy();
  void list_files();

  index_build::Build build_;
};

Status Builder::load_taxonomy() {
  const fs::path file = build_.options.content_root / "taxonomy.yaml";
  Result<std::string> bytes = read_file(file);
  if (!bytes.ok()) return Status::not_found("tassonomia non trovata: " + file.string());
  build_.taxonomy_hash = fnv1a_hex(*bytes);
  Diagnostics diags;
  build_.taxonomy = Taxonomy::load(file, &diags);
  if (!build_.taxonomy || has_errors(diags)) {
    std::string msg = "la tassonomia " + file.string() + " non è utilizzabile:";
    for (const auto& d : diags) msg += "\n" + d.format();
    return Status::invalid(msg);
  }
  build_.report.diagnostics.insert(build_.report.diagnostics.end(), diags.begin(), diags.end());
  return Status::ok();
}

void Builder::list_files() {
  BuildReport& report = build_.report;
  std::vector<std::string> slugs;
  for (const fs::path& file : find_case_files(build_.options.content_root)) {
    ++report.files;
    const std::string& name = file.native();
    const std::size_t slash = name.rfind('/');
    // A walked case file ends in ".md" (find_case_files).
    const std::string slug = name.substr(slash + 1, name.size() - slash - 1 - 3);
    const std::string rel = relative_path(file, build_.options.content_root);
    auto [it, inserted] = build_.files.emplace(slug, std::make_pair(file, rel));
    if (!inserted) {
      ++report.skipped;
      report.diagnostics.push_back(
          {file.string(), 0, 0, Severity::kError,
           "slug '" + slug + "' già usato da " + it->second.second +
               ": ogni scheda deve avere un nome di file diverso (file ignorato)"});
    }
    slugs.push_back(slug);
  }
  build_.slugs = std::make_unique<LibrarySlugs>(std::move(slugs));
}

Result<BuildReport> Builder::run() {
  const auto t0 = std::chrono::steady_clock::now();
  if (Status s = load_taxonomy(); !s.is_ok()) return s;

  std::error_code ec;
  fs::create_directories(build_.options.index_dir, ec);
  if (ec) return Status::io("impossibile creare la cartella dell'indice " + build_.options.index_dir.string() +
                            ": " + ec.message());
  BuildLock lock(build_.options.index_dir / "LOCK");
  if (lock.busy())
    return Status::conflict("un'altra costruzione dell'indice è in corso su " + build_.options.index_dir.string());
  if (lock.failed()) return Status::io("impossibile bloccare " + (build_.options.index_dir / "LOCK").string());

  const std::string live = index_store::read_current(build_.options.index_dir);
  // Databases no longer live were kept for readers of the previous build.
  index_store::remove_databases_except(build_.options.index_dir, live);

  list_files();
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
    if (db) {
      index_build::update_incremental(build_, *db);
      const BuildReport& r = build_.report;
      if (r.added + r.updated + r.removed > 0 ||
          db->get_metadata(std::string(schema::kMetaContentCommit)) != build_.options.content_commit)
        index_build::stamp_build(build_, *db);
      db->commit();
      db->close();
    } else {
      build_.report.full_rebuild = true;
      name = index_store::next_database_name(build_.options.index_dir);
      if (auto previous = index_store::current_database(build_.options.index_dir)) {
        try {
          build_.history = records::read_history(Xapian::Database(previous->string()), build_.now);
        } catch (const Xapian::Error&) {
          // An unreadable database has no history worth keeping.
        }
      }
      try {
        index_build::build_full(build_, build_.options.index_dir / name);
      } catch (...) {
        fs::remove_all(build_.options.index_dir / name, ec);
        throw;
      }
      if (Status s = index_store::write_current(build_.options.index_dir, name); !s.is_ok()) return s;
    }
    if (Status s = index_store::link_live(build_.options.index_dir, name); !s.is_ok()) return s;
    build_.report.database = name;
  } catch (const Xapian::DatabaseLockError& e) {
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
      << text::count_noun(removed, "rimossa", "rimosse") << ", "
      << text::count_noun(skipped, "saltata", "saltate") << ", "
      << text::count_noun(unchanged, "invariata", "invariate") << " in " << s << " s";
  return out.str();
}

Result<BuildReport> build_index(const BuildOptions& options) {
  Builder builder(options);
  return builder.run();
}

}  // namespace bp
