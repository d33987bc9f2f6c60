// bp-registration-testserver: the registration routes on the real server,
// without a search index, for the crash test.
// Usage: bp-registration-testserver DATA_DIR CONTENT_ROOT PORT_FILE
// Reads the module's environment (BP_ADMIN_TOKEN, BP_RATE_LIMIT, ...) and
// BP_TEST_HOLD_SECONDS (a hold shorter than BP_HOLD_MINUTES allows, for the
// seats offered to people waiting too, with the worker polling every second), BP_TEST_SEAT_CHECK_DELAY_MS (a pause
// between the seat check and the insert, to widen the race window) and BP_TEST_UNSAFE_NO_LOCKING=1 (the control run
// without the store's locks); writes the bound port to PORT_FILE.
#include <httplib.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>

#include <fstream>
#include <iostream>
#include <string>
#include <thread>

#include "bp/registration/registration.h"
#include "bp/server/server.h"
#include "bp/site/pages.h"
#include "store_test_hooks.h"

int main(int argc, char** argv) try {
  // Die with the test that started us, even if it crashes before killing us.
  const pid_t parent = getppid();
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) return 1;
  if (argc != 4) {
    std::cerr << "uso: bp-registration-testserver DATA_DIR CONTENT_ROOT PORT_FILE\n";
    return 2;
  }
  bp::registration::Options options;
  options.data_dir = argv[1];
  options.content_root = argv[2];
  if (auto s = bp::registration::apply_environment(&options); !s.is_ok()) {
    std::cerr << s.message() << "\n";
    return 2;
  }
  if (const char* hold = std::getenv("BP_TEST_HOLD_SECONDS"); hold && *hold) {
    options.hold_seconds = std::atoi(hold);
    options.offer_seconds = options.hold_seconds;  // promoted people's holds lapse too
    options.worker_poll_seconds = 1;
  }
  // Test-only hooks into the store (store_test_hooks.h).
  bp::registration::StoreTestHooks hooks;
  if (const char* delay = std::getenv("BP_TEST_SEAT_CHECK_DELAY_MS"); delay && *delay) {
    const int ms = std::atoi(delay);
    hooks.after_seat_check = [ms] { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); };
  }
  if (const char* unsafe = std::getenv("BP_TEST_UNSAFE_NO_LOCKING"); unsafe && std::string(unsafe) == "1")
    hooks.unsafe_no_locking = true;
  bp::Diagnostics diagnostics;
  auto taxonomy = bp::Taxonomy::load(options.content_root / "taxonomy.yaml", &diagnostics);
  auto pages = bp::site::Pages::load(std::filesystem::path(BP_SOURCE_DIR) / "web" / "templates");
  if (!taxonomy || !pages.ok()) return 1;
  auto module = bp::registration::open_with_hooks(options, *taxonomy, *pages, std::move(hooks));
  if (!module.ok()) {
    std::cerr << module.status().message() << "\n";
    return 1;
  }
  bp::server::Options so;
  so.port = 0;
  so.access_log = nullptr;
  so.index_dir = options.data_dir / "no-index";
  bp::server::Server server(so, *taxonomy, *pages, [] {
    return bp::Result<std::unique_ptr<bp::Searcher>>(bp::Status::not_found("no index"));
  });
  server.mount((*module)->routes());
  const int port = server.bind();
  if (port <= 0) return 1;
  {
    const std::string tmp = std::string(argv[3]) + ".tmp";
    std::ofstream(tmp) << port << "\n";
    std::rename(tmp.c_str(), argv[3]);
  }
  return server.listen() ? 0 : 1;
} catch (const std::exception& e) {
  std::cerr << "bp-registration-testserver: " << e.what() << "\n";
  return 1;
}
