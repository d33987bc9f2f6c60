// bp-index watch: builds the index, then rebuilds it incrementally about
// 300 ms after the last change under practices/ or to taxonomy.yaml, so that
// the running server shows a case file moments after the editor saves it.
#include <fcntl.h>
#include <poll.h>
#include <sys/file.h>
#include <signal.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "bp/index_builder.h"
#include "commands.h"

namespace bp::indexer {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Quiet time after the last change before re-indexing: editors save in bursts
// (temporary file, rename, attributes).
constexpr std::chrono::milliseconds kSettle{300};
// How long to wait before building again when another build held the index.
constexpr std::chrono::seconds kBusyRetry{2};

constexpr uint32_t kDirMask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE |
                              IN_DELETE_SELF | IN_MOVE_SELF;

class Watcher {
 public:
  explicit Watcher(fs::path content) : content_(std::move(content)) {
    fd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  }
  ~Watcher() {
    if (fd_ >= 0) close(fd_);
  }
  Watcher(const Watcher&) = delete;
  Watcher& operator=(const Watcher&) = delete;

  int fd() const { return fd_; }
  bool ok() const { return fd_ >= 0; }

  // Watches the content root (for taxonomy.yaml and practices/ itself) and
  // every folder under practices/.
  void watch_all() {
    add(content_);
    add_tree(content_ / "practices");
  }

  // Reads pending events; returns true when something relevant changed and
  // records changed case files in `changed`.
  bool drain(std::set<std::string>* changed) {
    bool relevant = false;
    alignas(struct inotify_event) char buf[16384];
    for (;;) {
      const ssize_t n = read(fd_, buf, sizeof buf);
      if (n <= 0) break;
      for (char* p = buf; p < buf + n;) {
        const auto* ev = reinterpret_cast<const struct inotify_event*>(p);
        p += sizeof(struct inotify_event) + ev->len;
        auto dir = dirs_.find(ev->wd);
        if (dir == dirs_.end()) continue;
        if (ev->mask & IN_IGNORED) {
          dirs_.erase(dir);
          continue;
        }
        const std::string name = ev->len > 0 ? std::string(ev->name) : std::string();
        const fs::path path = name.empty() ? dir->second : dir->second / name;
        if (dir->second == content_) {
          if (name == "taxonomy.yaml") relevant = true;
          if (name == "practices") {
            relevant = true;
            if (ev->mask & (IN_CREATE | IN_MOVED_TO)) add_tree(path);
          }
          continue;
        }
        if (ev->mask & IN_ISDIR) {
          relevant = true;
          if (ev->mask & (IN_CREATE | IN_MOVED_TO)) add_tree(path);
          continue;
        }
        if (path.extension() == ".md") {
          relevant = true;
          changed->insert(path.lexically_normal().generic_string());
        } else if (!name.starts_with(".") && !name.ends_with("~") && path.extension() != ".swp" &&
                   path.extension() != ".swx") {
          // An image or an attachment a case file shows: its page changes
          // (a missing image added makes the file publishable). An editor's
          // own temporary files are not.
          relevant = true;
        }
      }
    }
    return relevant;
  }

 private:
  void add(const fs::path& dir) {
    const int wd = inotify_add_watch(fd_, dir.c_str(), kDirMask | IN_ONLYDIR);
    if (wd >= 0) dirs_[wd] = dir;
  }
  void add_tree(const fs::path& root) {
    std::error_code ec;
    if (!fs::is_directory(root, ec)) return;
    add(root);
    for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec))
      if (it->is_directory(ec)) add(it->path());
  }

  fs::path content_;
  int fd_ = -1;
  std::map<int, fs::path> dirs_;
};

std::string clock_time() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%H:%M:%S", &tm);
  return buf;
}

// One build; prints the diagnostics (only those of `changed` files when
// given) and the summary line. False when another build held the index
// (a `bp-index build` run by hand): the saves are still to index.
// `say_busy`: whether to say so when the index is busy (once per wait).
bool build_once(const BuildOptions& options, const std::set<std::string>& changed, bool say_busy = true) {
  Result<BuildReport> report = build_index(for_replication(options));
  if (!report.ok()) {
    const bool busy = report.status().code() == Code::kConflict;
    if (!busy || say_busy)
      std::cerr << clock_time() << " bp-index watch: " << report.status().message()
                << (busy ? " (riprovo appena finisce)" : "") << '\n';
    return !busy;
  }
  for (const auto& d : report->diagnostics) {
    if (!changed.empty() && !changed.count(fs::path(d.file).lexically_normal().generic_string()))
      continue;
    std::cerr << d.format() << '\n';
  }
  std::cout << clock_time() << ' ' << report->summary() << std::endl;
  return true;
}

// Only one watcher builds an index. The lock is a file beside the index
// folder ("var/index.watch.lock"), held with flock() for the watcher's life
// (the kernel drops it when the process dies). Returns its descriptor, or
// -1 when another watcher holds it.
int take_watch_lock(const fs::path& index_dir) {
  std::error_code ec;
  const fs::path dir = index_dir.lexically_normal();
  const fs::path parent = dir.has_parent_path() ? dir.parent_path() : fs::path(".");
  fs::create_directories(parent, ec);
  const fs::path lock = parent / (dir.filename().string() + ".watch.lock");
  const int fd = open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return -2;  // no lock possible (read-only folder): build as before
  if (flock(fd, LOCK_EX | LOCK_NB) == 0) return fd;
  close(fd);
  return -1;
}

}  // namespace

int run_watch(const BuildOptions& options) {
  std::error_code ec;
  if (!fs::is_directory(options.content_root, ec)) {
    std::cerr << "bp-index watch: la cartella dei contenuti '" << options.content_root.generic_string()
              << "' non esiste\n";
    return 1;
  }

  // Ctrl-C and SIGTERM arrive on a file descriptor, so the loop ends cleanly
  // between builds rather than in the middle of a commit.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  const int sig_fd = signalfd(-1, &signals, SFD_CLOEXEC);

  Watcher watcher(options.content_root);
  if (!watcher.ok() || sig_fd < 0) {
    std::cerr << "bp-index watch: inotify non disponibile\n";
    return 1;
  }
  watcher.watch_all();
  // A second watcher (started by hand while scripts/run watches) would only
  // find the index busy on every save: it says so once, then checks the
  // saved files without building.
  const int lock_fd = take_watch_lock(options.index_dir);
  const bool check_only = lock_fd == -1;
  if (check_only)
    std::cout << "bp-index watch: un altro 'bp-index watch' (per esempio quello di scripts/run) aggiorna già "
                 "l'indice " << options.index_dir.generic_string()
              << ": qui controllo soltanto le schede che salvi, senza reindicizzarle." << std::endl;
  else
    build_once(options, {});
  std::cout << "in attesa di modifiche in " << options.content_root.generic_string()
            << " (Ctrl-C per uscire)" << std::endl;

  std::set<std::string> changed;
  bool pending = false;
  bool busy = false;  // the last build found the index held by another
  Clock::time_point last_change{};
  for (;;) {
    pollfd fds[2] = {{watcher.fd(), POLLIN, 0}, {sig_fd, POLLIN, 0}};
    int timeout = -1;
    if (pending) {
      const auto left = kSettle - (Clock::now() - last_change);
      timeout = static_cast<int>(
          std::max<long long>(0, std::chrono::duration_cast<std::chrono::milliseconds>(left).count()));
    }
    const int n = poll(fds, 2, timeout);
    if (n < 0 && errno != EINTR) break;
    if (fds[1].revents & POLLIN) break;
    if (fds[0].revents & POLLIN) {
      if (watcher.drain(&changed)) {
        pending = true;
        last_change = Clock::now();
      }
      continue;
    }
    if (pending && Clock::now() - last_change >= kSettle) {
      if (check_only) {
        CheckOptions check;
        check.content = options.content_root;
        check.content_given = true;
        for (const auto& f : changed)
          if ((f.ends_with(".md") || f.ends_with(".yaml")) && fs::exists(f)) check.paths.push_back(f);
        if (!check.paths.empty()) {
          std::cout << clock_time() << " controllo delle schede salvate" << std::endl;
          run_check(check);
          std::cout << std::flush;
        }
      } else if (!build_once(options, changed, !busy)) {
        // Another build holds the index: the same saves again after a while
        // (the saves it started from may not be in it).
        busy = true;
        last_change = Clock::now() + kBusyRetry;
        continue;
      }
      busy = false;
      changed.clear();
      pending = false;
    }
  }
  close(sig_fd);
  if (lock_fd >= 0) close(lock_fd);
  std::cout << "bp-index watch: uscita" << std::endl;
  return 0;
}

}  // namespace bp::indexer
