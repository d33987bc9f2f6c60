// bp-index and bp-server as a person or a script meets them: the same
// --help layout, the same one-line errors and the same exit codes (0 done,
// 1 failed, 2 wrong command line). Runs the real binaries.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

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

TEST(Cli, AMistypedOptionBeforeItsValueIsNamed) {
  const Outcome r = run(BP_SERVER, {"--prot", "18305"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("opzione sconosciuta '--prot'"), std::string::npos) << r.err;
}

// A port another process listens on (as a second bp-server would, with
// httplib's default SO_REUSEPORT) is refused, not shared: two servers on
// one port would each get half the requests.
TEST(Cli, AServerOnAPortAlreadyInUseExitsWithOneAndSaysSo) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  int yes = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &yes, sizeof(yes));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(::listen(fd, 4), 0);
  socklen_t len = sizeof(addr);
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const std::string port = std::to_string(ntohs(addr.sin_port));
  bp::test_util::TempDir tmp("bp-cli-test");
  const Outcome r =
      run(BP_SERVER, {"--content", BP_CONTENT, "--web", BP_WEB, "--index", (tmp.path() / "index").string(), "--data",
                      (tmp.path() / "data").string(), "--port", port});
  ::close(fd);
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.err.find("impossibile ascoltare su 127.0.0.1:" + port + " (la porta è già usata"), std::string::npos)
      << r.err;
}

// The public URL is in every canonical link and every e-mail's links: a
// comment copied into the environment file, or no scheme, stops the server
// at once rather than sending broken links.
TEST(Cli, APublicUrlThatWouldBreakTheLinksIsRefusedAtStart) {
  for (const std::string url :
       {"https://buonepratiche.example.org   # CAMBIARE", "buonepratiche.example.org", "https://"}) {
    const Outcome r =
        run(BP_SERVER, {"--content", BP_CONTENT, "--web", BP_WEB, "--port", "0"}, {"BP_PUBLIC_URL=" + url});
    EXPECT_EQ(r.status, 2) << url << ": " << r.err;
    EXPECT_NE(r.err.find("indirizzo pubblico non valido"), std::string::npos) << r.err;
  }
}

// The addresses that may read /metrics, and the editors' address that is
// published: a typo or a comment stops the server rather than closing the
// metrics silently or publishing the comment.
TEST(Cli, AMetricsAddressOrAnAdminEmailThatIsNotOneIsRefusedAtStart) {
  Outcome r = run(BP_SERVER, {"--content", BP_CONTENT, "--web", BP_WEB, "--port", "0"}, {"BP_METRICS_ALLOW=garbage"});
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("'garbage' non è un indirizzo IP"), std::string::npos) << r.err;
  for (const std::string mail :
       {"redazione@example.org # editors", "redazione", "a@b.it, c@d.it", "redazione@localhost"}) {
    r = run(BP_SERVER, {"--content", BP_CONTENT, "--web", BP_WEB, "--port", "0"}, {"BP_ADMIN_EMAIL=" + mail});
    EXPECT_EQ(r.status, 2) << mail << ": " << r.err;
    EXPECT_NE(r.err.find("non è un indirizzo e-mail"), std::string::npos) << r.err;
  }
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

// bp-index as the service runs it, not as root: root reads every folder
// whatever its mode (runuser, Debian's util-linux, drops to nobody).
Outcome run_unprivileged(const std::vector<std::string>& args) {
  if (::geteuid() != 0) return run(BP_INDEX, args);
  std::vector<std::string> all = {"-u", "nobody", "--", BP_INDEX};
  all.insert(all.end(), args.begin(), args.end());
  return run("/usr/sbin/runuser", all);
}

// A build that cannot read a folder of practices stops and leaves the
// index alone: its practices would otherwise be removed from every server
// and reported deleted to the open library's harvesters. A build that
// leaves out a broken case file exits with 3, which the service counts as
// done, apart from a failure.
TEST(Cli, AnUnreadableFolderStopsTheBuildAndABrokenCaseFileIsExitCodeThree) {
  namespace fs = std::filesystem;
  bp::test_util::TempDir tmp("bp-cli-test");
  fs::permissions(tmp.path(), fs::perms::all);
  const fs::path content = tmp.path() / "content", index = tmp.path() / "index";
  fs::copy(BP_CONTENT, content, fs::copy_options::recursive);
  for (const auto& e : fs::recursive_directory_iterator(content))
    fs::permissions(e.path(), e.is_directory() ? fs::perms::all : fs::perms(0644));
  fs::permissions(content, fs::perms::all);
  const std::vector<std::string> build = {"build", "--content", content.string(), "--index", index.string()};
  Outcome r = run_unprivileged(build);
  ASSERT_EQ(r.status, 0) << r.err;

  fs::permissions(content / "practices" / "nord", fs::perms::none);
  r = run_unprivileged(build);
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.err.find("practices/nord: cartella non leggibile"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("l'indice non è stato cambiato"), std::string::npos) << r.err;
  r = run_unprivileged({"check", "--content", content.string()});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE((r.out + r.err).find("practices/nord: cartella non leggibile"), std::string::npos) << r.out << r.err;
  fs::permissions(content / "practices" / "nord", fs::perms::all);
  r = run_unprivileged(build);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find(" 0 rimosse"), std::string::npos) << "nothing was removed meanwhile: " << r.out;

  std::ofstream(content / "practices" / "nord" / "rotta.md") << "---\ntitle: senza chiusura\n";
  fs::permissions(content / "practices" / "nord" / "rotta.md", fs::perms(0644));
  r = run_unprivileged(build);
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_NE(r.err.find("rotta.md"), std::string::npos) << r.err;
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
