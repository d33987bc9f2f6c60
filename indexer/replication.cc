// What bp-index build and watch do for replicas (docs/index-replication.md):
// Xapian changesets on, and the content's git commit stored in the index
// (BuildOptions::content_commit), reported by /healthz.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "commands.h"

extern char** environ;

namespace bp::indexer {
namespace {

// Runs `git -C root args...` with stdin and stderr on /dev/null; its
// standard output when it exits with 0, nullopt otherwise (git missing, not
// a checkout, a repository git refuses to read).
std::optional<std::string> git(const std::filesystem::path& root, std::vector<std::string> args) {
  args.insert(args.begin(), {"git", "-C", root.string()});
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) return std::nullopt;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  const int spawned = ::posix_spawnp(&pid, "git", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);
  std::string text;
  if (spawned == 0) {
    char buf[4096];
    ssize_t n;
    while ((n = ::read(out[0], buf, sizeof buf)) > 0) text.append(buf, static_cast<std::size_t>(n));
  }
  ::close(out[0]);
  if (spawned != 0) return std::nullopt;
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return std::nullopt;
  return text;
}

}  // namespace

std::string content_commit(const std::filesystem::path& content_root) {
  std::optional<std::string> head = git(content_root, {"rev-parse", "--verify", "--quiet", "HEAD"});
  if (!head) return {};
  while (!head->empty() && (head->back() == '\n' || head->back() == '\r')) head->pop_back();
  if (head->empty()) return {};
  // Uncommitted changes (new files included) under the content folder only.
  std::optional<std::string> changes = git(content_root, {"status", "--porcelain", "--", "."});
  return *head + (changes && changes->empty() ? "" : "-dirty");
}

BuildOptions for_replication(BuildOptions options) {
  // Xapian reads the variable when it opens a database for writing; set
  // before any thread starts. An operator's own value (0 turns them off) wins.
  ::setenv("XAPIAN_MAX_CHANGESETS", std::to_string(kDefaultChangesets).c_str(), 0);
  options.content_commit = content_commit(options.content_root);
  return options;
}

}  // namespace bp::indexer
