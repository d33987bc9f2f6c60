// bp-index-pull: the work of `bp-index proposals pull`, which starts this
// program with the options it parsed (commands.h, run_pull). Editors run
// `bp-index proposals pull`; its --help describes the options.
#include <exception>
#include <iostream>

#include "bp/cli.h"
#include "commands.h"

int main(int argc, char** argv) try {
  bp::indexer::PullOptions options;
  bp::cli::App app("scarica le proposte accettate (da `bp-index proposals pull`)", "bp-index-pull");
  app.add_option("--server", options.server, "indirizzo del server")->type_name("URL")->required();
  app.add_option("--token-file", options.token_file, "file con il token di amministrazione")
      ->type_name("FILE")
      ->required();
  app.add_option("--content", options.content, "cartella dei contenuti")->type_name("DIR");
  if (auto exit = bp::cli::parse(app, argc, argv)) return *exit;
  return bp::indexer::run_pull_here(options);
} catch (const std::exception& e) {
  std::cerr << "bp-index: errore: " << e.what() << "\n";
  return bp::cli::kExitFailure;
}
