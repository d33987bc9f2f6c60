// bp-index: checks editors' case files and builds the Xapian index. The
// commands and their options are in cli.cc.
// mimalloc's operator new and delete (see CMakeLists.txt): in one source
// file of the program only.
#ifdef BP_MIMALLOC
#include <mimalloc-new-delete.h>
#include <mimalloc.h>
#endif

#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "bp/cli.h"
#include "commands.h"

int main(int argc, char** argv) try {
#ifdef BP_MIMALLOC
  // Memory from the system in 2 MiB pages where the kernel allows it
  // (transparent huge pages in "madvise" or "always" mode), from the first
  // segment of each thread on: the first touch of every 4 KiB page is a page
  // fault, and a one-file build of 100,000 files touched 19,000 of them
  // (8,200 now; CPU time -28 % there, -12 % at 10,000; a full build of 1,000
  // -13 % CPU, peak RSS 75 -> 87 MB: docs/performance.md, "Seventh round").
  // mimalloc reads MIMALLOC_LARGE_OS_PAGES when it starts, before main; an
  // operator who sets it (0 turns this off) is obeyed.
  if (std::getenv("MIMALLOC_LARGE_OS_PAGES") == nullptr) {
    mi_option_set_enabled(mi_option_large_os_pages, true);
    mi_option_set(mi_option_eager_commit_delay, 0);
  }
#endif
  return bp::indexer::run(std::vector<std::string>(argv + (argc > 0 ? 1 : 0), argv + argc));
} catch (const std::exception& e) {
  std::cerr << "bp-index: errore: " << e.what() << "\n";
  return bp::cli::kExitFailure;
}
