// Test helpers for real programs run as child processes (bp-index,
// bp-server, xapian-replicate, nginx): start, wait, kill; free loopback
// ports and readiness checks. Every program's output goes to a log file the
// test can print when something fails.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace bp::test_util {

// The whole text of `file` ("" when it cannot be read).
inline std::string file_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A program running as a child of the test, in a process group of its own;
// SIGTERM to that group (then waited for) on destruction if it still runs.
class ChildProcess {
 public:
  // Starts argv[0] (searched in PATH when it has no '/') with the test's
  // environment plus `env` ("NAME=value", these win); standard output and
  // error are appended to `log`, standard input is /dev/null. started() is
  // false when it could not be spawned.
  ChildProcess(std::vector<std::string> argv, const std::filesystem::path& log,
               std::vector<std::string> env = {})
      : log_(log), name_(argv.empty() ? "" : argv[0]) {
    for (char** e = environ; *e; ++e) env.emplace_back(*e);
    std::vector<char*> args, vars;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    for (auto& v : env) vars.push_back(v.data());
    vars.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    // A process group of its own: signals reach its own children too, and
    // a program that signals its group on exit (xapian-replicate-server
    // sends SIGTERM to group 0) cannot reach the test.
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    if (::posix_spawnp(&pid_, args[0], &actions, &attr, args.data(), vars.data()) != 0) pid_ = -1;
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&actions);
  }
  ~ChildProcess() { stop(SIGTERM); }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  bool started() const { return pid_ > 0 || exited_; }
  pid_t pid() const { return pid_; }

  // True while it has not exited (reaps it when it has).
  bool running() {
    if (pid_ <= 0) return false;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      record(status);
      return false;
    }
    return true;
  }

  // Waits for it to exit; its exit code, or 128 + signal, or -1 if it never ran.
  int wait() {
    if (pid_ > 0) {
      int status = 0;
      while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
      }
      record(status);
    }
    return exit_code_;
  }

  // Sends `sig` to its process group and waits for it to exit.
  int stop(int sig) {
    if (pid_ > 0) ::kill(-pid_, sig);
    return wait();
  }

  // What it wrote so far, for failure messages.
  std::string log() const { return name_ + " (" + log_.string() + "):\n" + file_text(log_); }

 private:
  void record(int status) {
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    exited_ = true;
    pid_ = -1;
  }

  std::filesystem::path log_;
  std::string name_;
  pid_t pid_ = -1;
  bool exited_ = false;
  int exit_code_ = -1;
};

// Runs a program to its end; its exit code (see ChildProcess::wait).
inline int run_program(std::vector<std::string> argv, const std::filesystem::path& log,
                       std::vector<std::string> env = {}) {
  ChildProcess child(std::move(argv), log, std::move(env));
  return child.wait();
}

// A TCP port nobody listens on at the moment, on 127.0.0.1.
inline int unused_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
    port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
}

// Whether something accepts connections on 127.0.0.1:port.
inline bool loopback_accepts(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

// Polls `done` every 20 ms until it holds or `deadline` passes; whether it held.
inline bool eventually(std::chrono::milliseconds deadline, const std::function<bool()>& done) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  for (;;) {
    if (done()) return true;
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace bp::test_util
