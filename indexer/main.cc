// bp-index: checks editors' case files and builds the Xapian index. The
// commands and their options are in cli.cc.
// mimalloc's operator new and delete (see CMakeLists.txt): in one source
// file of the program only.
#ifdef BP_MIMALLOC
#include <mimalloc-new-delete.h>
#endif

#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "bp/cli.h"
#include "commands.h"

int main(int argc, char** argv) try {
  return bp::indexer::run(std::vector<std::string>(argv + (argc > 0 ? 1 : 0), argv + argc));
} catch (const std::exception& e) {
  std::cerr << "bp-index: errore: " << e.what() << "\n";
  return bp::cli::kExitFailure;
}
