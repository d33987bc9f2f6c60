#include "index_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <system_error>

#include "schema.h"

namespace bp::index_store {
namespace fs = std::filesystem;

namespace {

bool is_database_name(const std::string& name) {
  if (name.size() < 4 || name.size() > 15 || name.compare(0, 3, "db-") != 0) return false;
  for (std::size_t i = 3; i < name.size(); ++i)
    if (name[i] < '0' || name[i] > '9') return false;
  return true;
}

bool fsync_path(const fs::path& p, int flags) {
  const int fd = ::open(p.c_str(), flags);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

std::string read_current(const fs::path& index_dir) {
  std::ifstream in(index_dir / std::string(schema::kCurrentFile));
  std::string name;
  if (!in || !std::getline(in, name)) return {};
  while (!name.empty() && (name.back() == '\r' || name.back() == ' ')) name.pop_back();
  return is_database_name(name) ? name : std::string();
}

std::optional<fs::path> current_database(const fs::path& index_dir) {
  const std::string name = read_current(index_dir);
  if (name.empty()) return std::nullopt;
  std::error_code ec;
  const fs::path db = index_dir / name;
  if (!fs::is_directory(db, ec)) return std::nullopt;
  return db;
}

Status write_current(const fs::path& index_dir, const std::string& name) {
  const fs::path tmp = index_dir / (std::string(schema::kCurrentFile) + ".tmp");
  const fs::path current = index_dir / std::string(schema::kCurrentFile);
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << name << '\n';
    out.close();
    if (!out) return Status::io("impossibile scrivere " + tmp.string());
  }
  fsync_path(tmp, O_RDONLY);
  std::error_code ec;
  fs::rename(tmp, current, ec);
  if (ec) return Status::io("impossibile aggiornare " + current.string() + ": " + ec.message());
  fsync_path(index_dir, O_RDONLY | O_DIRECTORY);
  return Status::ok();
}

Status link_live(const fs::path& index_dir, const std::string& name) {
  const fs::path link = index_dir / std::string(schema::kLiveLink);
  const fs::path tmp = index_dir / (std::string(schema::kLiveLink) + ".tmp");
  std::error_code ec;
  if (fs::is_symlink(link, ec) && fs::read_symlink(link, ec) == fs::path(name) && !ec) return Status::ok();
  fs::remove(tmp, ec);
  fs::create_directory_symlink(name, tmp, ec);
  if (!ec) fs::rename(tmp, link, ec);
  if (ec) return Status::io("impossibile aggiornare " + link.string() + ": " + ec.message());
  fsync_path(index_dir, O_RDONLY | O_DIRECTORY);
  return Status::ok();
}

std::string next_database_name(const fs::path& index_dir) {
  long highest = 0;
  std::error_code ec;
  for (fs::directory_iterator it(index_dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (is_database_name(name)) highest = std::max(highest, std::stol(name.substr(3)));
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "db-%06ld", highest + 1);
  return buf;
}

int remove_databases_except(const fs::path& index_dir, const std::string& keep) {
  int removed = 0;
  std::error_code ec;
  std::vector<fs::path> doomed;
  for (fs::directory_iterator it(index_dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    // Also the shards of a full build that was interrupted ("db-N.shard-K").
    const bool shard = name.rfind("db-", 0) == 0 && name.find(".shard-") != std::string::npos;
    if ((is_database_name(name) && name != keep) || shard) doomed.push_back(it->path());
  }
  for (const auto& p : doomed) {
    std::error_code rm;
    fs::remove_all(p, rm);
    if (!rm) ++removed;
  }
  return removed;
}

}  // namespace bp::index_store
