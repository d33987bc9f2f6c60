// Command-line conventions shared by every tool (bp-index, bp-server, bp-admin), on
// CLI11: the same Italian --help layout, the same error line and the same
// exit codes, so a script or a person can treat the tools alike.
//
//   bp::cli::App app("costruisce l'indice", "bp-index");
//   app.add_option("--index", dir, "cartella dell'indice")->type_name("DIR");
//   if (auto exit = bp::cli::parse(app, argc, argv)) return *exit;
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

namespace bp::cli {

// Exit codes of every tool.
inline constexpr int kExitOk = 0;       // done (also after --help)
inline constexpr int kExitFailure = 1;  // the work failed or found errors
inline constexpr int kExitUsage = 2;    // the command line is wrong
// Done, but some of the input was left out and said why (bp-index build:
// the index holds every case file but those with errors). Apart from
// kExitFailure, so that a service counts it as done and a failure as one.
inline constexpr int kExitPartial = 3;

// A CLI11 app with the shared conventions: -h/--help, Italian labels in the
// help, options grouped under "Opzioni".
class App : public CLI::App {
 public:
  App(std::string description, std::string name);

  // A command of this tool (`bp-index check`) with the same conventions:
  // `summary` is its line in the tool's help, `details` closes its own help.
  CLI::App* add_command(const std::string& name, const std::string& summary, const std::string& details);
};

// Validates an integer between `min` and `max` (inclusive), with an Italian
// message ("atteso un numero intero da 1 a 256").
CLI::Validator integer_between(int min, int max);

// Parses `args` (without the program name). Returns nothing when the command
// line is valid and the caller should go on; otherwise the exit status to
// return: kExitOk after printing the help on stdout (-h/--help), kExitUsage
// after printing one error line, "<tool> <command>: <messaggio>", and a hint
// to use --help on stderr.
std::optional<int> parse(App& app, std::vector<std::string> args);
std::optional<int> parse(App& app, int argc, const char* const* argv);

// The Italian message for a CLI11 parse error ("opzione sconosciuta
// '--boh'", "manca il valore dopo --port").
std::string message(const CLI::ParseError& error);

}  // namespace bp::cli
