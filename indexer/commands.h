// bp-index subcommands. Each takes the arguments after its name and returns
// the process exit status.
#pragma once

#include <string>
#include <vector>

namespace bp::indexer {

int run_check(const std::vector<std::string>& args);  // check_command.cc
int run_build(const std::vector<std::string>& args);  // build_command.cc
int run_watch(const std::vector<std::string>& args);  // watch_command.cc
int run_export(const std::vector<std::string>& args);  // export_command.cc

}  // namespace bp::indexer
