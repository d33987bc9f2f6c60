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
#include <optional>
#include <random>
#include <string>
#include <thread>

#include "bp/registration/registration.h"
#include "bp/server/server.h"
#include "bp/site/pages.h"
#include "store_test_hooks.h"

namespace bp::registration::test {

namespace fs = std::filesystem;

inline const char* kProgramme = bp::test_util::kTestProgramme;

using bp::test_util::TempDir;
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

// The registration module mounted on the real bp::server::Server (its hooks,
// route tables and templates; no search index) in a background thread;
// `hooks` reach into the store (the concurrency test's race window, a clock).
class TestServer {
 public:
  explicit TestServer(Options options, StoreTestHooks hooks = {}) {
    Diagnostics diagnostics;
    taxonomy_ = Taxonomy::load(options.content_root / "taxonomy.yaml", &diagnostics);
    auto pages = site::Pages::load(fs::path(BP_SOURCE_DIR) / "web" / "templates");
    if (!taxonomy_ || !pages.ok()) {
      error_ = "taxonomy or templates";
      return;
    }
    pages_ = std::make_unique<site::Pages>(std::move(*pages));
    auto m = open_with_hooks(options, *taxonomy_, *pages_, std::move(hooks));
    if (!m.ok()) {
      error_ = m.status().message();
      return;
    }
    module_ = std::move(*m);
    server::Options so;
    so.host = "127.0.0.1";
    so.port = 0;
    so.access_log = nullptr;
    so.index_dir = options.data_dir / "no-index";
    so.web_root = fs::path(BP_SOURCE_DIR) / "web";
    so.content_root = options.content_root;
    server_ = std::make_unique<server::Server>(
        so, *taxonomy_, *pages_, [] { return Result<std::unique_ptr<Searcher>>(Status::not_found("no index")); });
    server_->mount(module_->routes());
    port_ = server_->bind();
    thread_ = std::thread([this] { server_->listen(); });
    server_->wait_until_ready();
  }
  ~TestServer() {
    if (thread_.joinable()) {
      server_->stop();
      thread_.join();
    }
  }
  bool ok() const { return module_ != nullptr; }
  const std::string& error() const { return error_; }
  int port() const { return port_; }
  const Module& module() const { return *module_; }
  std::unique_ptr<httplib::Client> client() const {
    auto c = std::make_unique<httplib::Client>("127.0.0.1", port_);
    c->set_read_timeout(60, 0);
    return c;
  }

 private:
  std::optional<Taxonomy> taxonomy_;
  std::unique_ptr<site::Pages> pages_;
  std::unique_ptr<Module> module_;
  std::unique_ptr<server::Server> server_;
  std::string error_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace bp::registration::test
