// bp-index and its commands. run() parses a command line with the tools'
// shared conventions (bp/cli.h) and runs the command it names; the run_*
// functions take options already parsed. Each returns the process exit
// status: 0 done, 1 failed or found errors, 2 wrong command line.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "bp/index_builder.h"

namespace bp::indexer {

// bp-index with `args` (without the program name), as main calls it.
int run(const std::vector<std::string>& args);

struct CheckOptions {
  // Content root: taxonomy.yaml, programme.yaml and practices/.
  std::filesystem::path content = "library-content";
  // Whether --content was given (otherwise `check` run from inside the
  // content folder takes "." as the root).
  bool content_given = false;
  // Files or folders to check; empty means the whole library.
  std::vector<std::filesystem::path> paths;
};

// The git commit the content folder is at ("<sha>", "<sha>-dirty" with
// uncommitted changes under it), or "" when it is not inside a git checkout
// or git cannot be run. Stored in the index by build and watch.
std::string content_commit(const std::filesystem::path& content_root);  // replication.cc

// Changesets Xapian keeps for replication (XAPIAN_MAX_CHANGESETS) unless
// the environment already sets them: xapian-replicate catches up from the
// last 10 builds without a full copy (a build that changes something
// commits twice: its documents, then their publication for harvesters).
inline constexpr int kDefaultChangesets = 20;

// `options` set to find the content commit (content_commit(), run by the
// build on a thread of its own while it walks the library: find_content_commit),
// after turning Xapian's changesets on (XAPIAN_MAX_CHANGESETS=kDefaultChangesets
// unless already set). Called by build and watch before each build.
BuildOptions for_replication(BuildOptions options);  // replication.cc

int run_check(const CheckOptions& options);     // check_command.cc
int run_build(const BuildOptions& options);     // build_command.cc
int run_watch(const BuildOptions& options);     // watch_command.cc

struct ExportOptions {
  // "json" or "csv".
  std::string format;
  std::filesystem::path index_dir = "var/index";
  // The site's public address for the pages' URLs (default BP_PUBLIC_URL,
  // otherwise http://localhost:8080).
  std::string base_url;
  // The file to write; empty means standard output.
  std::string output;
};

int run_export(const ExportOptions& options);   // export_command.cc

struct PullOptions {
  // The running server, "http://host:port" or "https://host".
  std::string server;
  // A file whose first line is the server's admin token (never a flag: a
  // command line is visible to every user of the machine).
  std::filesystem::path token_file;
  // The library the files go into.
  std::filesystem::path content = "library-content";
};

// Writes every accepted proposal not pulled yet as
// practices/<hub>/<slug>.md with its media folder, checks it, tells the
// server the slug, and prints the `git add` line. A file already written
// for the proposal is not written again. 0 done, 1 when a proposal failed.
// The work is done by the program bp-index-pull, which run_pull starts and
// waits for (pull_launch.cc): it talks HTTP(S) through cpp-httplib, whose
// shared library initialises OpenSSL when it is loaded, about 13 ms of CPU
// that every other bp-index command (a one-file build included) would pay.
// bp-index-pull is looked for in $BP_INDEX_PULL, else next to the running
// program.
int run_pull(const PullOptions& options);       // pull_launch.cc
int run_pull_here(const PullOptions& options);  // pull_command.cc, in bp-index-pull

}  // namespace bp::indexer
