// bp-admin user add|passwd and token add (issue 10, item 1), as a person
// types them: the password from standard input (not a terminal here), never
// from the arguments; the account and token land in the same store the
// server opens.
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "bp/registration/store.h"
#include "crypto.h"
#include "temp_dir.h"

extern char** environ;

namespace bp::registration {
namespace {

struct Outcome {
  int status = -1;
  std::string out, err;
};

// Runs bp-admin with `args`, `input` on its standard input.
Outcome bp_admin(const std::vector<std::string>& args, const std::string& input) {
  int in[2], out[2], err[2];
  if (pipe(in) != 0 || pipe(out) != 0 || pipe(err) != 0) return {};
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in[0], 0);
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  posix_spawn_file_actions_adddup2(&fa, err[1], 2);
  for (int fd : {in[1], out[0], err[0]}) posix_spawn_file_actions_addclose(&fa, fd);
  std::vector<std::string> all{BP_ADMIN};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, BP_ADMIN, &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  close(in[0]);
  close(out[1]);
  close(err[1]);
  Outcome r;
  if (spawned != 0) return r;
  (void)!write(in[1], input.data(), input.size());
  close(in[1]);
  auto drain = [](int fd) {
    std::string s;
    char buf[4096];
    for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) s.append(buf, static_cast<std::size_t>(n));
    close(fd);
    return s;
  };
  r.out = drain(out[0]);
  r.err = drain(err[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

TEST(AdminCli, CreatesAccountsWithAPasswordFromStdinAndPrintsTokensOnce) {
  bp::test_util::TempDir dir("bp-admin-cli");
  const std::string data = (dir.path() / "var").string();
  Outcome weak = bp_admin({"user", "add", "--role", "admin", "anna@example.org", "--data", data}, "password1234\n");
  EXPECT_EQ(weak.status, 1);
  EXPECT_NE(weak.err.find("tra quelle più usate"), std::string::npos) << weak.err;
  Outcome arg = bp_admin({"user", "add", "--role", "admin", "anna@example.org", "--password", "x", "--data", data}, "");
  EXPECT_EQ(arg.status, 2) << "a password is never an argument";
  // The tools' conventions (bp/cli.h): one Italian line, the help in Italian.
  EXPECT_EQ(arg.err.rfind("bp-admin user add: ", 0), 0u) << arg.err;
  EXPECT_NE(arg.err.find("(bp-admin user add --help elenca le opzioni)"), std::string::npos) << arg.err;
  Outcome help = bp_admin({"backup", "--help"}, "");
  EXPECT_EQ(help.status, 0);
  EXPECT_NE(help.out.find("uso: bp-admin backup [OPZIONI]"), std::string::npos) << help.out;
  EXPECT_EQ(help.out.find("Print this help"), std::string::npos) << help.out;
  // A mistyped data folder makes no empty archive: only the first account
  // creates one, and says where.
  const std::string typo = (dir.path() / "vra").string();
  Outcome lost = bp_admin({"token", "add", "anna@example.org", "--data", typo}, "");
  EXPECT_EQ(lost.status, 1);
  EXPECT_NE(lost.err.find("nessun archivio delle iscrizioni in " + typo), std::string::npos) << lost.err;
  EXPECT_FALSE(std::filesystem::exists(typo));
  EXPECT_NE(weak.err.find("Archivio nuovo: " + data + "/registrations.sqlite3"), std::string::npos) << weak.err;
  // A missing address is named.
  Outcome no_email = bp_admin({"user", "add", "--role", "admin", "--data", data}, "");
  EXPECT_EQ(no_email.status, 2);
  EXPECT_EQ(no_email.err.rfind("bp-admin user add: manca EMAIL\n", 0), 0u) << no_email.err;
  Outcome role = bp_admin({"user", "add", "--role", "capo", "anna@example.org", "--data", data}, "");
  EXPECT_EQ(role.status, 2);
  Outcome ok = bp_admin({"user", "add", "--role", "admin", "Anna@Example.org", "--data", data},
                    "cavallo-batteria-graffetta\n");
  ASSERT_EQ(ok.status, 0) << ok.err;
  EXPECT_EQ(ok.out, "");
  EXPECT_EQ(ok.err.find("cavallo"), std::string::npos);
  Outcome again = bp_admin({"user", "add", "--role", "staff", "anna@example.org", "--data", data},
                       "cavallo-batteria-graffetta\n");
  EXPECT_EQ(again.status, 1) << "one account per e-mail";
  Outcome nobody = bp_admin({"token", "add", "nessuno@example.org", "--data", data}, "");
  EXPECT_EQ(nobody.status, 1);
  EXPECT_NE(nobody.err.find("nessun account con l'indirizzo nessuno@example.org"), std::string::npos) << nobody.err;
  Outcome token = bp_admin({"token", "add", "anna@example.org", "--label", "notte", "--data", data}, "");
  ASSERT_EQ(token.status, 0) << token.err;
  const std::string clear = token.out.substr(0, token.out.find('\n'));
  EXPECT_EQ(clear.rfind("bp_", 0), 0u);
  Outcome passwd = bp_admin({"user", "passwd", "anna@example.org", "--data", data}, "mela-treno-lampada-9\n");
  ASSERT_EQ(passwd.status, 0) << passwd.err;
  // The data folder may also come before the command, or between its words.
  Outcome first =
      bp_admin({"--data", data, "user", "add", "--role", "editor", "bruno@example.org"}, "pioggia-sedano-tromba-4\n");
  ASSERT_EQ(first.status, 0) << first.err;
  Outcome between = bp_admin({"token", "--data", data, "add", "bruno@example.org"}, "");
  ASSERT_EQ(between.status, 0) << between.err;

  auto store = open_store("", dir.path() / "var", [](MessageKind, const Registration&) { return OutboxMessage{}; });
  ASSERT_TRUE(store.ok());
  auto account = (*store)->accounts().find_account("anna@example.org");
  ASSERT_TRUE(account.ok());
  EXPECT_EQ(account->role, Role::kAdmin);
  EXPECT_EQ(account->password_hash.rfind("$argon2id$", 0), 0u);
  EXPECT_EQ((*store)->accounts().account_for_token(to_hex(sha256(clear)))->email, "anna@example.org");
  const auto log = (*store)->accounts().audit({});
  std::string actions;
  for (const auto& e : *log) actions += e.action + " ";
  EXPECT_EQ(actions, "token_add account_add password_reset token_add account_add ");
  EXPECT_EQ((*store)->accounts().find_account("bruno@example.org")->role, Role::kEditor);
}

// An operator sees who has an account and which tokens exist, and revokes
// one, without the back office; the roles may be typed as it names them.
TEST(AdminCli, ListsAccountsAndTokensAndRevokesOne) {
  bp::test_util::TempDir dir("bp-admin-list");
  const std::string data = (dir.path() / "var").string();
  Outcome italian =
      bp_admin({"user", "add", "--role", "Redazione", "eva@example.org", "--data", data}, "tromba-sedano-pioggia-4\n");
  ASSERT_EQ(italian.status, 0) << italian.err;
  ASSERT_EQ(bp_admin({"user", "add", "--role", "amministrazione", "ugo@example.org", "--data", data},
                     "lampada-treno-mela-77\n")
                .status,
            0);
  Outcome unknown = bp_admin({"user", "add", "--role", "capo", "x@example.org", "--data", data}, "");
  EXPECT_EQ(unknown.status, 2);
  EXPECT_NE(unknown.err.find("editor (redazione)"), std::string::npos) << unknown.err;

  Outcome users = bp_admin({"user", "list", "--data", data}, "");
  ASSERT_EQ(users.status, 0) << users.err;
  // In columns (address, role, state, last login), as the accounts page.
  EXPECT_NE(users.out.find("eva@example.org  redazione        attivo       ultimo accesso —\n"), std::string::npos)
      << users.out;
  EXPECT_NE(users.out.find("ugo@example.org  amministrazione  attivo       ultimo accesso —\n"), std::string::npos)
      << users.out;

  // Eva moves to the secretariat: her role changes, said in the log.
  Outcome moved = bp_admin({"user", "role", "eva@example.org", "personale", "--data", data}, "");
  ASSERT_EQ(moved.status, 0) << moved.err;
  EXPECT_NE(moved.err.find("eva@example.org: ruolo personale, prima redazione."), std::string::npos) << moved.err;
  EXPECT_EQ(bp_admin({"user", "role", "eva@example.org", "capo", "--data", data}, "").status, 2);
  Outcome nobody = bp_admin({"user", "role", "zoe@example.org", "staff", "--data", data}, "");
  EXPECT_EQ(nobody.status, 1);
  EXPECT_NE(nobody.err.find("nessun account con l'indirizzo zoe@example.org"), std::string::npos) << nobody.err;
  EXPECT_NE(bp_admin({"user", "list", "--data", data}, "").out.find("eva@example.org  personale"), std::string::npos);
  ASSERT_EQ(bp_admin({"user", "role", "eva@example.org", "editor", "--data", data}, "").status, 0);

  Outcome none = bp_admin({"token", "list", "--data", data}, "");
  EXPECT_EQ(none.status, 0);
  EXPECT_EQ(none.out, "");
  EXPECT_NE(none.err.find("Nessun token"), std::string::npos);
  Outcome made = bp_admin({"token", "add", "eva@example.org", "--label", "report notturno", "--data", data}, "");
  ASSERT_EQ(made.status, 0) << made.err;
  ASSERT_EQ(bp_admin({"token", "add", "ugo@example.org", "--data", data}, "").status, 0);
  const std::string clear = made.out.substr(0, made.out.find('\n'));

  Outcome evas = bp_admin({"token", "list", "eva@example.org", "--data", data}, "");
  ASSERT_EQ(evas.status, 0) << evas.err;
  EXPECT_EQ(evas.out.rfind("1  eva@example.org  «report notturno»  creato ", 0), 0u) << evas.out;
  EXPECT_EQ(evas.out.find("ugo@"), std::string::npos) << evas.out;
  EXPECT_EQ(evas.out.find(clear), std::string::npos) << "the clear token is never shown again";
  EXPECT_EQ(evas.out.find(clear.substr(3, 12)), std::string::npos);

  Outcome wrong = bp_admin({"token", "revoke", "9", "--data", data}, "");
  EXPECT_EQ(wrong.status, 1);
  EXPECT_NE(wrong.err.find("nessun token numero 9"), std::string::npos) << wrong.err;
  Outcome word = bp_admin({"token", "revoke", "primo", "--data", data}, "");
  EXPECT_EQ(word.status, 2);
  EXPECT_NE(word.err.find("valore non valido per ID: 'primo'"), std::string::npos) << word.err;
  Outcome revoked = bp_admin({"token", "revoke", "1", "--data", data}, "");
  ASSERT_EQ(revoked.status, 0) << revoked.err;
  Outcome twice = bp_admin({"token", "revoke", "1", "--data", data}, "");
  EXPECT_EQ(twice.status, 0);
  EXPECT_NE(twice.err.find("Il token 1 era già revocato"), std::string::npos) << twice.err;

  auto store = open_store("", dir.path() / "var", [](MessageKind, const Registration&) { return OutboxMessage{}; });
  ASSERT_TRUE(store.ok());
  EXPECT_EQ((*store)->accounts().find_account("eva@example.org")->role, Role::kEditor);
  EXPECT_EQ((*store)->accounts().find_account("ugo@example.org")->role, Role::kAdmin);
  EXPECT_FALSE((*store)->accounts().account_for_token(to_hex(sha256(clear))).ok())
      << "the revoked token no longer works";
  EXPECT_EQ((*store)->accounts().audit({})->front().action, "token_revoke");
  Outcome after = bp_admin({"token", "list", "--data", data}, "");
  EXPECT_NE(after.out.find("«report notturno»  creato "), std::string::npos);
  EXPECT_NE(after.out.find(", revocato "), std::string::npos) << after.out;
  EXPECT_EQ(after.out.find("2  ugo@example.org  «token»            creato "), 0u)
      << "newest first, in columns: " << after.out;
  // In Italian time, as the back office shows it, not UTC.
  EXPECT_TRUE(std::regex_search(after.out, std::regex("creato [0-9]{2}/[0-9]{2}/20[0-9]{2} [0-9]{2}:[0-9]{2}, ")))
      << after.out;
  EXPECT_EQ(after.out.find("UTC"), std::string::npos) << after.out;
}

}  // namespace
}  // namespace bp::registration
