// Test helpers for the registration module: a temporary content folder with
// the real taxonomy and a small test programme, and the real HTTP server on a
// free loopback port.
#pragma once

#include "temp_dir.h"
#include "test_programme.h"

#include <httplib.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <thread>

#include "bp/registration/registration.h"

namespace bp::registration::test {

namespace fs = std::filesystem;

inline const char* kProgramme = bp::test_util::kTestProgramme;

// A temporary folder per test, named after this suite.
class TempDir : public bp::test_util::TempDir {
 public:
  TempDir() : bp::test_util::TempDir("bp-registration-test") {}
};
using bp::test_util::write_file;

// <dir>/content with taxonomy.yaml (the real one) and programme.yaml.
inline fs::path make_content(const fs::path& dir, const std::string& programme = kProgramme) {
  const fs::path content = dir / "content";
  fs::create_directories(content);
  fs::copy_file(fs::path(BP_SOURCE_DIR) / "library-content" / "taxonomy.yaml", content / "taxonomy.yaml",
                fs::copy_options::overwrite_existing);
  write_file(content / "programme.yaml", programme);
  return content;
}

// The registration routes on a real httplib server in a background thread.
class TestServer {
 public:
  explicit TestServer(Options options) {
    server_.set_payload_max_length(64 * 1024);
    auto m = mount(server_, options);
    if (!m.ok()) {
      error_ = m.status().message();
      return;
    }
    module_ = std::move(*m);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    for (int i = 0; i < 500 && !server_.is_running(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ~TestServer() {
    if (thread_.joinable()) {
      server_.stop();
      thread_.join();
    }
  }
  bool ok() const { return module_ != nullptr; }
  const std::string& error() const { return error_; }
  int port() const { return port_; }
  std::unique_ptr<httplib::Client> client() const {
    auto c = std::make_unique<httplib::Client>("127.0.0.1", port_);
    c->set_read_timeout(60, 0);
    return c;
  }

 private:
  httplib::Server server_;
  std::unique_ptr<Module> module_;
  std::string error_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace bp::registration::test
