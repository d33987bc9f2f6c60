#include "search_index.h"

#include <sys/stat.h>

#include <fstream>

#include "schema.h"

namespace bp::search {
namespace fs = std::filesystem;

namespace {

std::string read_current(const fs::path& file) {
  std::ifstream in(file);
  std::string name;
  std::getline(in, name);
  while (!name.empty() && (name.back() == '\r' || name.back() == ' ' || name.back() == '\t'))
    name.pop_back();
  return name;
}

// A name from CURRENT must be a plain folder name inside the index folder.
bool is_safe_name(const std::string& name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos;
}

// Whether folder `dir` cannot be listed (the reason in `*ec`): there, but
// not this user's to read.
bool unlistable(const fs::path& dir, std::error_code* ec) {
  const fs::directory_iterator probe(dir, *ec);
  return static_cast<bool>(*ec);
}

}  // namespace

bool IndexHandle::stamp_of(const fs::path& file, Stamp* out) {
  struct stat st{};
  if (::stat(file.c_str(), &st) != 0) return false;
  out->mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  out->inode = st.st_ino;
  out->size = static_cast<std::uint64_t>(st.st_size);
  return true;
}

Status IndexHandle::open_named(const std::string& name) {
  const fs::path path = name.empty() ? dir_ : dir_ / name;
  try {
    db_ = Xapian::Database(path.string());
  } catch (const Xapian::DatabaseNotFoundError& e) {
    // A folder that is there but cannot be read (the service user is not
    // its owner) is no missing index: the reason is the permission.
    std::error_code ec;
    if (fs::exists(path, ec) && unlistable(path, &ec))
      return Status::io("cannot read the index at " + path.string() + ": " + ec.message());
    return Status::not_found("no index at " + path.string() + ": " + e.get_msg());
  } catch (const Xapian::Error& e) {
    return Status::io("cannot open the index at " + path.string() + ": " + e.get_description());
  }
  current_name_ = name;
  version_file_ = path / "iamglass";
  version_stamp_.reset();
  ++generation_;
  return Status::ok();
}

Status IndexHandle::open(const fs::path& dir) {
  dir_ = dir;
  const fs::path current = dir / std::string(schema::kCurrentFile);
  Stamp stamp;
  if (stamp_of(current, &stamp)) {
    pointer_ = Pointer::kCurrent;
    current_stamp_ = stamp;
    const std::string name = read_current(current);
    if (!is_safe_name(name))
      return Status::corruption(current.string() + " does not name a database folder");
    return open_named(name);
  }
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Status::not_found("no index folder " + dir.string());
  if (unlistable(dir, &ec)) return Status::io("cannot read the index folder " + dir.string() + ": " + ec.message());
  pointer_ = Pointer::kNone;
  if (stamp_of(dir / std::string(schema::kReplicaStubFile), &stamp)) {
    pointer_ = Pointer::kStub;
    current_stamp_ = stamp;
  }
  return open_named("");
}

bool IndexHandle::refresh() {
  try {
    if (pointer_ != Pointer::kNone) {
      const bool stub = pointer_ == Pointer::kStub;
      const fs::path pointer =
          dir_ / std::string(stub ? schema::kReplicaStubFile : schema::kCurrentFile);
      Stamp stamp;
      if (stamp_of(pointer, &stamp) && !(stamp == current_stamp_)) {
        const std::string name = stub ? std::string() : read_current(pointer);
        if (stub || (is_safe_name(name) && name != current_name_)) {
          Xapian::Database fresh((stub ? dir_ : dir_ / name).string());
          db_ = fresh;
          current_name_ = name;
          version_file_ = (stub ? dir_ : dir_ / name) / "iamglass";
          version_stamp_.reset();
          current_stamp_ = stamp;
          ++generation_;
          return true;
        }
        current_stamp_ = stamp;
      }
    }
    Stamp version;
    const bool stamped = pointer_ != Pointer::kStub && stamp_of(version_file_, &version);
    if (stamped && version_stamp_ == version) return false;
    const bool reopened = db_.reopen();
    // Only after a reopen that did not throw: else the next call tries again.
    if (stamped) version_stamp_ = version;
    if (reopened) {
      ++generation_;
      return true;
    }
  } catch (const Xapian::Error&) {
    // A rebuild in progress or a folder already removed: keep serving the
    // database we have; the next refresh() tries again.
  }
  return false;
}

}  // namespace bp::search
