#include "bp/cli.h"

#include <algorithm>
#include <iostream>
#include <memory>

namespace bp::cli {
namespace {

// CLI11's own messages are in English and only loosely structured: the
// option a message is about is the first word that starts with a dash.
std::string first_option(const std::string& text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '-' && (i == 0 || text[i - 1] == ' ')) {
      const std::size_t end = text.find_first_of(" ,:", i);
      return text.substr(i, end == std::string::npos ? std::string::npos : end - i);
    }
  }
  return {};
}

// The text after the last ": " of a CLI11 message (the offending value).
std::string after_colon(const std::string& text) {
  const std::size_t at = text.rfind(": ");
  return at == std::string::npos ? text : text.substr(at + 2);
}

// "bp-index check": the names of the app and of its selected subcommands.
std::string command_name(const CLI::App& app) {
  std::string name = app.get_name();
  const CLI::App* at = &app;
  for (;;) {
    const auto selected = at->get_subcommands();
    if (selected.empty()) break;
    at = selected.front();
    name += " " + at->get_name();
  }
  return name;
}

}  // namespace

App::App(std::string description, std::string name) : CLI::App(std::move(description), std::move(name)) {
  option_defaults()->group("Opzioni");
  set_help_flag("-h,--help", "mostra questo aiuto ed esce");
  auto formatter = std::make_shared<CLI::Formatter>();
  formatter->label("Usage", "uso");
  formatter->label("OPTIONS", "OPZIONI");
  formatter->label("SUBCOMMAND", "COMANDO");
  formatter->label("SUBCOMMANDS", "COMANDI");
  formatter->label("Positionals", "Argomenti");
  formatter->label("Subcommands", "Comandi");
  formatter->label("REQUIRED", "(obbligatorio)");
  formatter->label("Env", "variabile");
  formatter->label("TEXT", "TESTO");
  formatter->label("INT", "NUMERO");
  formatter->column_width(28);
  this->formatter(formatter);
}

CLI::App* App::add_command(const std::string& name, const std::string& summary,
                           const std::string& details) {
  CLI::App* command = add_subcommand(name, summary);
  command->group("Comandi");
  command->footer(details);
  if (CLI::Option* help = command->get_help_ptr()) help->group("Opzioni");
  return command;
}

CLI::Validator integer_between(int min, int max) {
  const std::string expected =
      "atteso un numero intero da " + std::to_string(min) + " a " + std::to_string(max);
  return CLI::Validator(
      [min, max, expected](std::string& value) -> std::string {
        long long n = 0;
        std::size_t used = 0;
        try {
          n = std::stoll(value, &used);
        } catch (const std::exception&) {
          return "'" + value + "': " + expected;
        }
        if (used != value.size() || n < min || n > max) return "'" + value + "': " + expected;
        return {};
      },
      "");
}

// CLI11 names some errors after the subcommand that raised them, so the
// kind of error is told by its type, not by get_name().
std::string message(const CLI::ParseError& e) {
  const std::string what = e.what();
  if (dynamic_cast<const CLI::ExtrasError*>(&e)) {
    // CLI11 lists the positionals before the options ("--prot 18305" is
    // "18305 --prot"): the mistyped option is what the person must see.
    const std::string extra = after_colon(what);
    std::string first;
    for (std::size_t at = 0; at < extra.size();) {
      const std::size_t end = std::min(extra.find(' ', at), extra.size());
      const std::string word = extra.substr(at, end - at);
      if (!word.empty() && word[0] == '-') return "opzione sconosciuta '" + word + "'";
      if (first.empty()) first = word;
      at = end + 1;
    }
    return "argomento non previsto '" + first + "'";
  }
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&e)) {
    const std::string option = first_option(what);
    return option.empty() ? "numero di argomenti sbagliato" : "manca il valore dopo " + option;
  }
  if (dynamic_cast<const CLI::ValidationError*>(&e)) {
    // "--port: '70000': atteso un numero intero da 0 a 65535"
    const std::string option = first_option(what);
    const std::size_t colon = what.find(": ");
    return "valore non valido per " + option + ": " + what.substr(colon == std::string::npos ? 0 : colon + 2);
  }
  if (dynamic_cast<const CLI::ConversionError*>(&e)) {
    const std::string option = first_option(what);
    if (!option.empty()) return "valore non valido per " + option;
    // A positional's: "Could not convert: ID = abc".
    const std::string named = after_colon(what);
    const std::size_t eq = named.find(" = ");
    if (eq != std::string::npos)
      return "valore non valido per " + named.substr(0, eq) + ": '" + named.substr(eq + 3) + "'";
    return "valore non valido: " + what;
  }
  if (dynamic_cast<const CLI::RequiredError*>(&e)) {
    if (what.rfind("A subcommand", 0) == 0) return "manca il comando";
    // "--role is required", or a positional's "EMAIL is required".
    const std::string option = first_option(what);
    return "manca " + (option.empty() ? what.substr(0, what.find(' ')) : option);
  }
  return what;
}

namespace {

// A word typed where a command was expected ("bp-admin frobnicate", "user
// foo") is what CLI11 reports as a missing command: say which word it was.
std::string message_in(const CLI::App& app, const CLI::ParseError& e) {
  const std::string said = message(e);
  if (said != "manca il comando") return said;
  for (const std::string& word : app.remaining(true))
    if (!word.empty() && word[0] != '-') return "comando sconosciuto '" + word + "'";
  return said;
}

}  // namespace

std::optional<int> parse(App& app, std::vector<std::string> args) {
  std::reverse(args.begin(), args.end());  // CLI11 takes them last first
  try {
    app.parse(args);
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help();
    return kExitOk;
  } catch (const CLI::CallForAllHelp&) {
    std::cout << app.help("", CLI::AppFormatMode::All);
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    const std::string command = command_name(app);
    std::cerr << command << ": " << message_in(app, e) << "\n"
              << "(" << command << " --help elenca le opzioni)\n";
    return kExitUsage;
  }
  return std::nullopt;
}

std::optional<int> parse(App& app, int argc, const char* const* argv) {
  return parse(app, std::vector<std::string>(argv + std::min(argc, 1), argv + argc));
}

}  // namespace bp::cli
