// bp-index proposals pull: starts bp-index-pull with the same options and
// waits for it (why a program of its own: commands.h, run_pull).
#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "bp/cli.h"
#include "commands.h"

extern char** environ;

namespace bp::indexer {
namespace {

std::filesystem::path pull_program() {
  if (const char* env = std::getenv("BP_INDEX_PULL"); env != nullptr && *env != '\0') return env;
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "bp-index-pull";
  return self.parent_path() / "bp-index-pull";
}

}  // namespace

int run_pull(const PullOptions& options) {
  const std::filesystem::path program = pull_program();
  std::vector<std::string> args = {program.string(), "--server", options.server, "--token-file",
                                   options.token_file.string(), "--content", options.content.string()};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (const int error = ::posix_spawn(&pid, program.c_str(), nullptr, nullptr, argv.data(), environ); error != 0) {
    std::cerr << "bp-index: non riesco ad avviare " << program.string() << " (" << std::strerror(error)
              << "): il programma che scarica le proposte va installato accanto a bp-index\n";
    return cli::kExitFailure;
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return cli::kExitFailure;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : cli::kExitFailure;
}

}  // namespace bp::indexer
