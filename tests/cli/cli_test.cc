// bp-index and bp-server as a person or a script meets them: the same
// --help layout, the same one-line errors and the same exit codes (0 done,
// 1 failed, 2 wrong command line). Runs the real binaries.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "temp_dir.h"

extern char** environ;

namespace {

struct Outcome {
  int status = -1;
  std::string out, err;
};

std::string slurp(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Runs `binary args...` with the environment plus `env` (NAME=value), PORT
// and BP_* variables removed unless given; returns its exit status and output.
Outcome run(const std::string& binary, const std::vector<std::string>& args,
        const std::vector<std::string>& env = {}) {
  bp::test_util::TempDir tmp("bp-cli-test");
  const std::string out = (tmp.path() / "out").string(), err = (tmp.path() / "err").string();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<std::string> argv_s = {binary};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_s = env;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string var = *e;
    if (var.rfind("PORT=", 0) == 0 || var.rfind("BP_", 0) == 0) continue;
    env_s.push_back(var);
  }
  std::vector<char*> envp;
  for (auto& e : env_s) envp.push_back(e.data());
  envp.push_back(nullptr);
  Outcome r;
  pid_t pid = 0;
  if (posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(), envp.data()) == 0) {
    int status = 0;
    waitpid(pid, &status, 0);
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  posix_spawn_file_actions_destroy(&actions);
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

const std::vector<std::pair<std::string, std::string>> kTools = {{BP_INDEX, "bp-index"},
                                                                  {BP_SERVER, "bp-server"}};

TEST(Cli, BothToolsPrintTheirHelpOnStdoutAndExitWithZero) {
  for (const auto& [binary, name] : kTools) {
    const Outcome r = run(binary, {"--help"});
    EXPECT_EQ(r.status, 0) << name;
    EXPECT_NE(r.out.find("uso: " + name + " [OPZIONI]"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Opzioni:\n  -h,--help"), std::string::npos) << r.out;
    EXPECT_EQ(r.err, "") << name;
  }
  EXPECT_EQ(run(BP_INDEX, {"help"}).status, 0);  // the older spelling still works
  const Outcome check = run(BP_INDEX, {"check", "-h"});
  EXPECT_EQ(check.status, 0);
  EXPECT_NE(check.out.find("uso: bp-index check [OPZIONI] [PERCORSO...]"), std::string::npos) << check.out;
  EXPECT_NE(check.out.find("--content DIR"), std::string::npos) << check.out;
  // A command of a command: one "Opzioni" group, help included, in Italian.
  const Outcome pull = run(BP_INDEX, {"proposals", "pull", "--help"});
  EXPECT_EQ(pull.status, 0);
  EXPECT_NE(pull.out.find("uso: bp-index proposals pull [OPZIONI]"), std::string::npos) << pull.out;
  EXPECT_NE(pull.out.find("Opzioni:\n  -h,--help"), std::string::npos) << pull.out;
  EXPECT_EQ(pull.out.find("Options"), std::string::npos) << pull.out;
  EXPECT_EQ(pull.out.find("Opzioni:"), pull.out.rfind("Opzioni:")) << pull.out;
  EXPECT_NE(pull.out.find("--token-file FILE"), std::string::npos) << pull.out;
}

TEST(Cli, AnUnknownOptionIsOneItalianLineOnStderrAndExitCodeTwo) {
  Outcome r = run(BP_SERVER, {"--boh"});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err, "bp-server: opzione sconosciuta '--boh'\n(bp-server --help elenca le opzioni)\n");
  EXPECT_EQ(r.out, "");
  r = run(BP_INDEX, {"build", "--boh"});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err, "bp-index build: opzione sconosciuta '--boh'\n(bp-index build --help elenca le opzioni)\n");
  r = run(BP_INDEX, {});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err.rfind("bp-index: manca il comando\n", 0), 0u) << r.err;
  // A word that is no command is named, not reported as a missing one.
  r = run(BP_INDEX, {"costruisci"});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err.rfind("bp-index: comando sconosciuto 'costruisci'\n", 0), 0u) << r.err;
  r = run(BP_INDEX, {"proposals", "scarica"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("comando sconosciuto 'scarica'"), std::string::npos) << r.err;
}

TEST(Cli, ABadValueIsAUsageErrorWhetherFromAFlagOrTheEnvironment) {
  Outcome r = run(BP_SERVER, {"--port", "80000"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("valore non valido per --port: '80000'"), std::string::npos) << r.err;
  r = run(BP_SERVER, {}, {"PORT=abc"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("valore non valido per --port: 'abc'"), std::string::npos) << r.err;
  r = run(BP_SERVER, {"--threads"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("manca il valore dopo --threads"), std::string::npos) << r.err;
}

TEST(Cli, AToolThatCannotDoItsWorkExitsWithOne) {
  bp::test_util::TempDir tmp("bp-cli-test");
  Outcome r = run(BP_INDEX, {"build", "--content", (tmp.path() / "manca").string(), "--index",
                         (tmp.path() / "index").string()});
  EXPECT_EQ(r.status, 1) << r.err;
  r = run(BP_SERVER, {"--content", (tmp.path() / "manca").string(), "--port", "0"});
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.err.find("taxonomy.yaml"), std::string::npos) << r.err;
}

TEST(Cli, ExportNeedsAFormatAndAnIndex) {
  Outcome r = run(BP_INDEX, {"export", "-h"});
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("--format"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--public-url URL"), std::string::npos) << r.out;
  r = run(BP_INDEX, {"export"});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err.rfind("bp-index export: ", 0), 0u) << r.err;
  bp::test_util::TempDir tmp("bp-cli-test");
  r = run(BP_INDEX, {"export", "--format", "json", "--index", (tmp.path() / "manca").string()});
  EXPECT_EQ(r.status, 1) << r.err;
}

}  // namespace
