// A bp-registration-testserver child process for the tests that need real
// processes (SIGKILL, several servers on one PostgreSQL): spawned with the
// test's environment plus `env`, waited for until it has written its port,
// killed with SIGKILL on destruction.
#pragma once

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace bp::registration::test {

class ChildServer {
 public:
  // `env` entries ("NAME=value") come first, so they win over the test's own.
  ChildServer(const std::filesystem::path& data, const std::filesystem::path& content,
              const std::filesystem::path& port_file, std::vector<std::string> env_strings) {
    std::filesystem::remove(port_file);
    for (char** e = environ; *e; ++e) env_strings.emplace_back(*e);
    std::vector<char*> env;
    for (auto& s : env_strings) env.push_back(s.data());
    env.push_back(nullptr);
    std::string exe = BP_TESTSERVER, d = data.string(), c = content.string(), p = port_file.string();
    char* argv[] = {exe.data(), d.data(), c.data(), p.data(), nullptr};
    if (posix_spawn(&pid_, exe.c_str(), nullptr, nullptr, argv, env.data()) != 0) pid_ = 0;
    for (int i = 0; i < 3000 && port_ == 0 && pid_ > 0; ++i) {
      std::ifstream in(port_file);
      if (!(in >> port_)) port_ = 0;
      if (port_ != 0) break;
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) pid_ = 0;  // it exited: it will not start
      else std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  ~ChildServer() { kill_now(); }
  ChildServer(const ChildServer&) = delete;
  ChildServer& operator=(const ChildServer&) = delete;

  void kill_now() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      waitpid(pid_, &status, 0);
      pid_ = 0;
    }
  }
  // The port it listens on; 0 when it did not start.
  int port() const { return port_; }

 private:
  pid_t pid_ = 0;
  int port_ = 0;
};

}  // namespace bp::registration::test
