// Walking the library for case files (library.h list_case_files). An
// incremental build of a large library is mostly this walk: at 100,000 files,
// std::filesystem's recursive iterator kept every path as a list of
// components (several allocations each) and the build then stat()ed each
// file by its full path, resolving every folder of it again in the kernel.
// Here each folder is read once (readdir on a descriptor) and each case file
// stat()ed relative to its folder's descriptor (fstatat), with plain strings.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "bp/library.h"

namespace bp {
namespace {

// Folders with at least this many entries are stat()ed by two threads.
constexpr std::size_t kParallelStat = 2048;

bool is_case_file_name(std::string_view name) {
  // As path::extension() sees it: "x.md", not ".md" (a hidden file).
  return name.size() > 3 && name.ends_with(".md");
}

// One entry of a folder; its name is names[name_at, name_at + name_size)
// of the folder's walk (one buffer instead of a string per entry: at
// 100,000 files the allocations were a good part of the walk's own time).
struct Entry {
  std::uint32_t name_at = 0, name_size = 0;
  unsigned char type = DT_UNKNOWN;  // DT_* of readdir, resolved when DT_UNKNOWN
  bool regular = false;  // a case file: stat() (following links) says regular file
  std::int64_t mtime_ns = 0;
  std::int64_t size = 0;
};

// Walks the folder open as `fd` (closed here), whose path is `prefix`;
// folders that cannot be read go to `unreadable` (may be null).
void walk(int fd, std::string& prefix, std::vector<CaseFile>* out, std::vector<std::string>* unreadable) {
  DIR* dir = ::fdopendir(fd);
  if (dir == nullptr) {
    ::close(fd);
    if (unreadable) unreadable->push_back(prefix);
    return;
  }
  std::vector<Entry> entries;
  std::string names;  // each name followed by a NUL, for fstatat
  while (const dirent* e = ::readdir(dir)) {
    const std::string_view name = e->d_name;
    if (name == "." || name == "..") continue;
    unsigned char type = e->d_type;
    if (type == DT_UNKNOWN) {
      struct stat st {};
      if (::fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
      type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISLNK(st.st_mode) ? DT_LNK : S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
    }
    if (type == DT_DIR || ((type == DT_REG || type == DT_LNK) && is_case_file_name(name))) {
      Entry entry;
      entry.name_at = static_cast<std::uint32_t>(names.size());
      entry.name_size = static_cast<std::uint32_t>(name.size());
      entry.type = type;
      entries.push_back(entry);
      names.append(name).push_back('\0');
    }
  }
  auto name_of = [&names](const Entry& e) { return std::string_view(names).substr(e.name_at, e.name_size); };
  // Follows a symbolic link, as reading the file will. A large folder is
  // stat()ed by two threads: the system calls are most of a walk.
  auto stat_range = [&entries, &names, fd](std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i) {
      Entry& e = entries[i];
      if (e.type == DT_DIR) continue;
      struct stat st {};
      e.regular = ::fstatat(fd, names.data() + e.name_at, &st, 0) == 0 && S_ISREG(st.st_mode);
      e.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
      e.size = static_cast<std::int64_t>(st.st_size);
    }
  };
  if (entries.size() >= kParallelStat) {
    std::thread half(stat_range, entries.size() / 2, entries.size());
    stat_range(0, entries.size() / 2);
    half.join();
  } else {
    stat_range(0, entries.size());
  }
  // Sorted by name, each folder walked at its place: the order of
  // path::operator< over the whole walk.
  std::vector<const Entry*> sorted(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) sorted[i] = &entries[i];
  std::sort(sorted.begin(), sorted.end(),
            [&name_of](const Entry* a, const Entry* b) { return name_of(*a) < name_of(*b); });
  auto regular_file = [&sorted, &name_of](const std::string& name) {
    auto it = std::lower_bound(sorted.begin(), sorted.end(), name,
                               [&name_of](const Entry* e, const std::string& n) { return name_of(*e) < n; });
    return it != sorted.end() && name_of(**it) == name && (*it)->regular;
  };

  const std::size_t prefix_size = prefix.size();
  for (const Entry* entry : sorted) {
    const Entry& e = *entry;
    const std::string_view name = name_of(e);
    if (e.type != DT_DIR) {
      if (!e.regular) continue;
      CaseFile f;
      f.path.reserve(prefix_size + 1 + name.size());
      f.path.append(prefix).append(1, '/').append(name);
      f.name_at = prefix_size + 1;
      f.mtime_ns = e.mtime_ns;
      f.size = e.size;
      out->push_back(std::move(f));
      continue;
    }
    // A folder named like a case file beside it holds that file's media.
    if (regular_file(std::string(name) + ".md")) continue;
    const int child = ::openat(fd, names.data() + e.name_at, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    prefix.append(1, '/').append(name);
    if (child < 0) {
      if (unreadable) unreadable->push_back(prefix);
    } else {
      walk(child, prefix, out, unreadable);
    }
    prefix.resize(prefix_size);
  }
  ::closedir(dir);
}

}  // namespace

std::vector<CaseFile> list_case_files(const std::filesystem::path& dir, std::vector<std::string>* unreadable) {
  std::vector<CaseFile> out;
  std::string prefix = dir.native();
  while (prefix.size() > 1 && prefix.back() == '/') prefix.pop_back();
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    // Absent is empty; there but closed to us is unreadable.
    if (unreadable && errno != ENOENT) unreadable->push_back(prefix);
    return out;
  }
  walk(fd, prefix, &out, unreadable);
  return out;
}

}  // namespace bp
