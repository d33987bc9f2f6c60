// Test helpers for the registration module: a temporary content folder with
// the real taxonomy and a small test programme, and the real HTTP server on a
// free loopback port.
#pragma once

#include "temp_dir.h"

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
#include "bp/server/server.h"
#include "bp/site/pages.h"

namespace bp::registration::test {

namespace fs = std::filesystem;

// Editions: open (far future), small (2 seats), thirty (30 seats), past,
// late (deadline passed), closed (open: false), tutoring per hub.
inline const char* kProgramme = R"(version: 1
targets: {modulo: 120, tutoraggio: 30, residenza: 30, corso-docenti: 40}
activities:
  - id: m03
    kind: modulo
    module: m03
    macro_action: a1
    title: "Consumo responsabile e gruppi di acquisto solidale"
    description: "Modulo di prova."
    themes: [gruppi-di-acquisto-solidale]
    editions:
      - {id: m03-nord, hub: nord, city: online, start: "2099-03-02T17:00", end: "2099-03-23T19:00", capacity: 60, deadline: "2099-02-27"}
      - {id: small, hub: centro, city: online, start: "2099-03-02T17:00", end: "2099-03-23T19:00", capacity: 2, deadline: "2099-02-27"}
      - {id: thirty, hub: sud, city: online, start: "2099-03-02T17:00", end: "2099-03-23T19:00", capacity: 30, deadline: "2099-02-27"}
      - {id: past, hub: nord, city: online, start: "2020-03-02T17:00", end: "2020-03-23T19:00", capacity: 60, deadline: "2020-02-27"}
      - {id: late, hub: nord, city: online, start: "2099-03-02T17:00", end: "2099-03-23T19:00", capacity: 60, deadline: "2020-02-27"}
      - {id: closed, hub: nord, city: online, start: "2099-03-02T17:00", end: "2099-03-23T19:00", capacity: 60, deadline: "2099-02-27", open: false}
  - id: tutoraggio
    kind: tutoraggio
    title: "Tutoraggio su richiesta"
    description: "Tutoraggio di prova."
    themes: [decarbonizzazione, gruppi-di-acquisto-solidale]
    topics: [decarbonizzazione, gruppi-di-acquisto-solidale]
    editions:
      - {id: tutoraggio-nord, hub: nord, city: online, start: "2020-01-11T09:00", end: "2099-12-17T18:00", capacity: 10, deadline: "2099-11-30"}
      - {id: tutoraggio-sud, hub: sud, city: online, start: "2020-01-11T09:00", end: "2099-12-17T18:00", capacity: 10, deadline: "2099-11-30"}
  - id: residenza-lecce
    kind: residenza
    title: "Residenza di Lecce"
    description: "Residenza di prova."
    themes: [comunita-energetiche]
    workshops: ["Laboratorio: CER solidale"]
    editions:
      - {id: residenza-lecce-2099, hub: sud, city: Lecce, start: "2099-09-23T10:00", end: "2099-09-25T16:00", capacity: 30, deadline: "2099-09-01"}
)";

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

// The registration module mounted on the real bp::server::Server (its hooks,
// route tables and templates; no search index) in a background thread.
class TestServer {
 public:
  explicit TestServer(Options options) {
    Diagnostics diagnostics;
    taxonomy_ = Taxonomy::load(options.content_root / "taxonomy.yaml", &diagnostics);
    auto pages = site::Pages::load(fs::path(BP_SOURCE_DIR) / "web" / "templates");
    if (!taxonomy_ || !pages.ok()) {
      error_ = "taxonomy or templates";
      return;
    }
    pages_ = std::make_unique<site::Pages>(std::move(*pages));
    auto m = open(options, *taxonomy_, *pages_);
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
