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
#include "store_test_hooks.h"

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

// The registration routes on a real httplib server in a background thread;
// `hooks` reach into the store (the concurrency test's race window).
class TestServer {
 public:
  explicit TestServer(Options options, StoreTestHooks hooks = {}) {
    server_.set_payload_max_length(64 * 1024);
    auto m = mount_with_hooks(server_, options, std::move(hooks));
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
