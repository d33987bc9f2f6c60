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
#include <string_view>
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
  // One git process (it is a fifth of a one-file build at 10k): the commit
  // from the "# branch.oid" header, uncommitted changes (new files
  // included) under the content folder only from the other lines.
  std::optional<std::string> status =
      git(content_root, {"status", "--porcelain=v2", "--branch", "--", "."});
  if (!status) return {};
  constexpr std::string_view kOid = "# branch.oid ";
  std::string head;
  bool dirty = false;
  std::size_t at = 0;
  while (at < status->size()) {
    std::size_t end = status->find('\n', at);
    if (end == std::string::npos) end = status->size();
    const std::string_view line = std::string_view(*status).substr(at, end - at);
    if (line.starts_with(kOid)) {
      head = line.substr(kOid.size());
    } else if (!line.empty() && line[0] != '#') {
      dirty = true;
    }
    at = end + 1;
  }
  while (!head.empty() && (head.back() == '\r' || head.back() == ' ')) head.pop_back();
  if (head.empty() || head == "(initial)") return {};
  return head + (dirty ? "-dirty" : "");
}

BuildOptions for_replication(BuildOptions options) {
  // Xapian reads the variable when it opens a database for writing; set
  // before any thread starts. An operator's own value (0 turns them off) wins.
  ::setenv("XAPIAN_MAX_CHANGESETS", std::to_string(kDefaultChangesets).c_str(), 0);
  options.find_content_commit = [root = options.content_root] { return content_commit(root); };
  return options;
}

}  // namespace bp::indexer
