// bp-index's command line: the commands, their options and their help.
#include "bp/cli.h"
#include "commands.h"

namespace bp::indexer {
namespace {

// --content and --index, shared by build and watch.
void add_folders(CLI::App* command, BuildOptions* options) {
  command->add_option("--content", options->content_root, "cartella dei contenuti (default library-content)")
      ->type_name("DIR");
  command->add_option("--index", options->index_dir, "cartella dell'indice (default var/index)")
      ->type_name("DIR");
  command
      ->add_option_function<int>(
          "--publish-delay", [options](int s) { options->publish_delay = std::chrono::seconds(s); },
          "secondi da aggiungere alla data con cui OAI-PMH annuncia le schede cambiate: con repliche, più "
          "del tempo che impiegano a ricevere l'indice (default 0)")
      ->type_name("SECONDI")
      ->check(CLI::Range(0, 86400));
}

}  // namespace

int run(const std::vector<std::string>& args) {
  cli::App app(
      "Controlla le schede della biblioteca e ne costruisce l'indice di ricerca.\n"
      "Esce con 0 se tutto va bene, 1 se trova errori o il lavoro fallisce, 2 se il\n"
      "comando è scritto male.",
      "bp-index");
  app.require_subcommand(1);

  CheckOptions check;
  CLI::App* check_cmd = app.add_command(
      "check", "controlla le schede (senza percorsi: tutta la biblioteca)",
      "Controlla le schede indicate (file o cartelle, e taxonomy.yaml o programme.yaml se\n"
      "indicati); senza percorsi controlla tutta la biblioteca, taxonomy.yaml e\n"
      "programme.yaml. Stampa un problema per riga (file:riga: messaggio); esce con 1 se\n"
      "trova errori, 0 se ci sono solo avvisi o nessun problema.");
  check_cmd->add_option("--content", check.content, "cartella dei contenuti (default library-content)")
      ->type_name("DIR");
  check_cmd->add_option("PERCORSO", check.paths, "schede o cartelle da controllare")->type_name("");

  BuildOptions build;
  CLI::App* build_cmd =
      app.add_command("build", "costruisce o aggiorna l'indice",
                      "Costruisce l'indice della biblioteca nella cartella --index; aggiorna solo le\n"
                      "schede cambiate. Le schede non valide sono segnalate e saltate; in quel caso\n"
                      "esce con 3 (1 se l'indice non è stato costruito). Scrive i changeset di Xapian per le repliche "
                      "(XAPIAN_MAX_CHANGESETS,\n"
                      "default 20, due per costruzione) e annota nell'indice l'ora e il commit git dei contenuti.");
  add_folders(build_cmd, &build);
  build_cmd->add_flag("--rebuild", build.rebuild, "ricostruisce tutto da capo");

  BuildOptions watch;
  CLI::App* watch_cmd = app.add_command(
      "watch", "riindicizza ogni scheda appena viene salvata",
      "Costruisce l'indice, poi lo aggiorna ogni volta che una scheda o taxonomy.yaml\n"
      "vengono salvati. Ctrl-C per uscire. Se un altro watch (per esempio quello di\n"
      "scripts/run) aggiorna già lo stesso indice, controlla soltanto le schede salvate.");
  add_folders(watch_cmd, &watch);

  ExportOptions exp;
  CLI::App* export_cmd = app.add_command(
      "export", "scrive tutte le schede come dati aperti",
      "Scrive tutte le schede indicizzate come dati aperti, uguali a\n"
      "/opendata/pratiche.json e /opendata/pratiche.csv: JSON (un array) o CSV\n"
      "(UTF-8, una riga per scheda, valori multipli uniti da \" | \").");
  export_cmd->add_option("--format", exp.format, "json oppure csv")
      ->type_name("json|csv")
      ->required()
      ->check(CLI::IsMember({"json", "csv"}));
  export_cmd->add_option("--index", exp.index_dir, "cartella dell'indice (default var/index)")
      ->type_name("DIR");
  export_cmd->add_option("--public-url", exp.base_url,
                         "indirizzo pubblico del sito per gli URL delle pagine\n"
                         "(default BP_PUBLIC_URL, altrimenti http://localhost:8080)")
      ->type_name("URL");
  export_cmd->add_option("--output", exp.output, "il file da scrivere (default: lo standard output)")
      ->type_name("FILE");

  PullOptions pull;
  CLI::App* proposals_cmd = app.add_command(
      "proposals", "le proposte arrivate dal sito (/proponi)",
      "Le proposte di pratiche inviate dal sito e accettate dalla redazione.");
  proposals_cmd->require_subcommand(1);
  // A command of a command: its help flag in "Opzioni" too, its own footer.
  CLI::App* pull_cmd = proposals_cmd->add_subcommand("pull", "scrive le proposte accettate come schede della biblioteca");
  pull_cmd->footer(
      "Scarica dal server ogni proposta accettata non ancora scaricata e la scrive in\n"
      "practices/<hub>/<slug>.md con la sua cartella di immagini, controlla la scheda e\n"
      "stampa la riga `git add` da eseguire. Dopo il commit e `bp-index build` il server\n"
      "segna la proposta come pubblicata e avvisa chi l'ha proposta (subito, se\n"
      "`bp-index watch` segue la cartella che il server pubblica: scaricate in una\n"
      "copia che il server non legge). Scaricare due volte non scrive niente due volte.");
  if (CLI::Option* help = pull_cmd->get_help_ptr()) help->group("Opzioni");
  pull_cmd->add_option("--server", pull.server, "indirizzo del server, per esempio http://127.0.0.1:8080")
      ->type_name("URL")
      ->required();
  pull_cmd->add_option("--token-file", pull.token_file, "file con il token di amministrazione (prima riga)")
      ->type_name("FILE")
      ->required();
  pull_cmd->add_option("--content", pull.content, "cartella dei contenuti (default library-content)")
      ->type_name("DIR");

  // `bp-index help` is an older spelling of --help.
  std::vector<std::string> line = args;
  if (line.size() == 1 && line[0] == "help") line[0] = "--help";
  if (auto exit = cli::parse(app, line)) return *exit;
  if (check_cmd->parsed()) {
    check.content_given = check_cmd->count("--content") > 0;
    return run_check(check);
  }
  if (build_cmd->parsed()) return run_build(build);
  if (export_cmd->parsed()) return run_export(exp);
  if (pull_cmd->parsed()) return run_pull(pull);
  return run_watch(watch);
}

}  // namespace bp::indexer
