// bp-admin backup / restore on both engines: a backup taken while the store
// is open restores every row (same ids, codes, token hashes, statuses), a
// store that holds registrations is only replaced when told, and files that
// are not a backup of the engine are refused with the reason.
#include "bp/registration/store_backup.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <fstream>

#include "bp/registration/store.h"
#include "store_engines.h"
#include "temp_dir.h"

namespace bp::registration {
namespace {

using test::Engine;

class StoreBackupTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    BP_REQUIRE_ENGINE(loc_);
    auto s = loc_.open(test::label_composer());
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
    ASSERT_TRUE(store_->sync_editions({{"e2", 2}, {"e5", 5}}).is_ok());
    for (const auto& [code, email] : {std::pair{"c1", "a@x.it"}, {"c2", "b@x.it"}, {"c3", "c@x.it"}})
      ASSERT_TRUE(store_->register_person(test::sample_person(code, "e2", email)).ok());
    ASSERT_TRUE(store_->cancel("c1").ok());  // c3 promoted
    NewRegistration keyed = test::sample_person("c4", "e5", "d@x.it");
    keyed.idempotency_key = "k1";
    keyed.fingerprint = "f1";
    ASSERT_TRUE(store_->register_person(keyed).ok());
    // The staff's tables come along too (every table of the store is copied).
    ASSERT_TRUE(store_->accounts().add_account("admin@x.it", Role::kAdmin, "$argon2id$h").ok());
  }

  StoreAddress address() const { return {loc_.database_url(), loc_.data_dir()}; }

  // The store back to nothing, as a new data folder or a new database.
  void wipe() {
    store_.reset();
    if (loc_.engine() == Engine::kSqlite) {
      for (const char* f : {"registrations.sqlite3", "registrations.sqlite3-wal", "registrations.sqlite3-shm"})
        std::filesystem::remove(loc_.data_dir() / f);
      return;
    }
    const std::string schema = loc_.query("SELECT current_schema()").at(0);
    ASSERT_TRUE(loc_.exec("DROP SCHEMA " + schema + " CASCADE; CREATE SCHEMA " + schema).is_ok());
  }

  void expect_same(const std::vector<Registration>& want) {
    auto s = loc_.open(test::label_composer());
    ASSERT_TRUE(s.ok()) << s.status().message();
    test::expect_same_registrations(*(*s)->list(""), want);
    auto admin = (*s)->accounts().find_account("admin@x.it");
    ASSERT_TRUE(admin.ok()) << admin.status().message();
    EXPECT_EQ(admin->role, Role::kAdmin);
    // It keeps working: the key replays, a new row gets a new id.
    NewRegistration again = test::sample_person("c4", "e5", "d@x.it");
    again.idempotency_key = "k1";
    again.fingerprint = "f1";
    auto replay = (*s)->register_person(again);
    ASSERT_TRUE(replay.ok()) << replay.status().message();
    EXPECT_TRUE(replay->replayed);
    auto fresh = (*s)->register_person(test::sample_person("c9", "e5", "z@x.it"));
    ASSERT_TRUE(fresh.ok()) << fresh.status().message();
    EXPECT_GT(fresh->registration.id, want.back().id);
  }

  test::StoreLocation loc_{GetParam()};
  std::unique_ptr<Store> store_;
  bp::test_util::TempDir backups_{"bp-backup-test"};
};

TEST_P(StoreBackupTest, RestoresEveryRowIntoAnEmptyStore) {
  const auto before = *store_->list("");
  const auto file = backups_.path() / "copia";
  auto made = backup_store(address(), file);  // the store is open, as with a running server
  ASSERT_TRUE(made.ok()) << made.status().message();
  EXPECT_EQ(made->rows("registrations"), 4);
  EXPECT_EQ(made->rows("editions"), 2);
  EXPECT_EQ(made->rows("idempotency"), 1);
  EXPECT_GT(made->rows("outbox"), 0);
  EXPECT_EQ(made->rows("accounts"), 1);
  EXPECT_EQ(made->schema_version, loc_.schema_version());
  EXPECT_EQ(std::filesystem::status(file).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);

  wipe();
  auto restored = restore_store(file, address(), {});
  ASSERT_TRUE(restored.ok()) << restored.status().message();
  EXPECT_EQ(restored->tables, made->tables);
  EXPECT_EQ(restored->schema_version, made->schema_version);
  expect_same(before);
}

TEST_P(StoreBackupTest, ReplacesAStoreWithRegistrationsOnlyWithForce) {
  const auto before = *store_->list("");
  const auto file = backups_.path() / "copia";
  ASSERT_TRUE(backup_store(address(), file).ok());
  ASSERT_TRUE(store_->register_person(test::sample_person("c5", "e5", "e@x.it")).ok());
  store_.reset();

  auto refused = restore_store(file, address(), {});
  ASSERT_EQ(refused.status().code(), Code::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("--force"), std::string::npos) << refused.status().message();
  EXPECT_EQ(loc_.query("SELECT COUNT(*) FROM registrations").at(0), "5");  // untouched

  RestoreOptions force;
  force.force = true;
  auto restored = restore_store(file, address(), force);
  ASSERT_TRUE(restored.ok()) << restored.status().message();
  expect_same(before);
}

TEST_P(StoreBackupTest, NeverOverwritesAFileAndRefusesWhatIsNotABackup) {
  const auto file = backups_.path() / "esistente";
  bp::test_util::write_file(file, "appunti");
  auto made = backup_store(address(), file);
  EXPECT_EQ(made.status().code(), Code::kInvalidArgument);
  EXPECT_NE(made.status().message().find("esiste già"), std::string::npos) << made.status().message();
  std::ifstream in(file);
  std::string text;
  std::getline(in, text);
  EXPECT_EQ(text, "appunti");

  RestoreOptions force;
  force.force = true;
  auto garbage = restore_store(file, address(), force);
  EXPECT_EQ(garbage.status().code(), Code::kInvalidArgument);
  EXPECT_NE(garbage.status().message().find("non è una copia"), std::string::npos) << garbage.status().message();
  auto missing = restore_store(backups_.path() / "assente", address(), force);
  EXPECT_EQ(missing.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(loc_.query("SELECT COUNT(*) FROM registrations").at(0), "4");
}

// A copy killed half-way leaves its file under another name, never the
// one asked for; the next copy to that name says what to do with it.
TEST_P(StoreBackupTest, AnUnfinishedCopyNeverHasTheBackupsName) {
  const auto file = backups_.path() / "copia.bak";
  const auto partial = backups_.path() / "copia.bak.incompleto";
  bp::test_util::write_file(partial, "pagine troncate");
  auto refused = backup_store(address(), file);
  EXPECT_EQ(refused.status().code(), Code::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("copia interrotta"), std::string::npos) << refused.status().message();
  EXPECT_FALSE(std::filesystem::exists(file));

  std::filesystem::remove(partial);
  auto made = backup_store(address(), file);
  ASSERT_TRUE(made.ok()) << made.status().message();
  EXPECT_FALSE(std::filesystem::exists(partial));
  EXPECT_EQ(std::filesystem::status(file).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  wipe();
  auto restored = restore_store(file, address(), {});
  ASSERT_TRUE(restored.ok()) << restored.status().message();
  EXPECT_EQ(loc_.query("SELECT COUNT(*) FROM registrations").at(0), "4");
}

INSTANTIATE_TEST_SUITE_P(Engines, StoreBackupTest, ::testing::Values(Engine::kSqlite, Engine::kPostgresql),
                         test::engine_name);

// A backup of one engine restored onto the other is refused with the reason.
TEST(StoreBackup, RefusesABackupOfTheOtherEngine) {
  test::StoreLocation sqlite(Engine::kSqlite), pg(Engine::kPostgresql);
  BP_REQUIRE_ENGINE(pg);
  bp::test_util::TempDir dir("bp-backup-test");
  for (auto* loc : {&sqlite, &pg}) {
    auto s = loc->open(test::label_composer());
    ASSERT_TRUE(s.ok()) << s.status().message();
  }
  ASSERT_TRUE(backup_store({"", sqlite.data_dir()}, dir.path() / "lite").ok());
  ASSERT_TRUE(backup_store({pg.database_url(), {}}, dir.path() / "pg").ok());
  auto onto_pg = restore_store(dir.path() / "lite", {pg.database_url(), {}}, {});
  EXPECT_EQ(onto_pg.status().code(), Code::kInvalidArgument);
  EXPECT_NE(onto_pg.status().message().find("SQLite"), std::string::npos) << onto_pg.status().message();
  auto onto_lite = restore_store(dir.path() / "pg", {"", sqlite.data_dir()}, {});
  EXPECT_EQ(onto_lite.status().code(), Code::kInvalidArgument);
  EXPECT_NE(onto_lite.status().message().find("PostgreSQL"), std::string::npos) << onto_lite.status().message();
}

// The database password reaches pg_dump and pg_restore in their
// environment, never on their command line, which every local user can
// read (ps).
TEST(StoreBackup, ThePasswordIsNeverOnTheToolsCommandLine) {
  test::StoreLocation pg(Engine::kPostgresql);
  BP_REQUIRE_ENGINE(pg);
  {
    auto s = pg.open(test::label_composer());
    ASSERT_TRUE(s.ok()) << s.status().message();
    ASSERT_TRUE((*s)->sync_editions({{"e2", 2}}).is_ok());
    ASSERT_TRUE((*s)->register_person(test::sample_person("c1", "e2", "a@x.it")).ok());
  }
  bp::test_util::TempDir dir("bp-backup-test");
  // pg_dump and pg_restore as found first on PATH: they write down what
  // they were given, then run the real tools.
  const auto bin = dir.path() / "bin";
  const auto log = dir.path() / "tools.log";
  std::filesystem::create_directories(bin);
  for (const std::string tool : {"pg_dump", "pg_restore"}) {
    std::ofstream(bin / tool) << "#!/bin/sh\nprintf '%s %s\\n' " << tool << " \"$*\" >> '" << log.string()
                              << "'\nprintf '" << tool << " PGPASSWORD=%s\\n' \"$PGPASSWORD\" >> '" << log.string()
                              << "'\nexec /usr/bin/" << tool << " \"$@\"\n";
    std::filesystem::permissions(bin / tool, std::filesystem::perms::owner_all);
  }
  const std::string path = std::getenv("PATH") ? std::getenv("PATH") : "/usr/bin:/bin";
  ::setenv("PATH", (bin.string() + ":" + path).c_str(), 1);
  // The test cluster's own password when its URL has one (scripts/test
  // gives the superuser one), else one the server ignores (trust).
  std::string url = pg.database_url(), secret = "segreto-42";
  const auto user = url.find("://") + 3, at = url.find('@', user), colon = url.find(':', user);
  if (at != std::string::npos && colon < at)
    secret = url.substr(colon + 1, at - colon - 1);
  else
    url += (url.find('?') == std::string::npos ? "?" : "&") + std::string("password=") + secret;
  auto made = backup_store({url, {}}, dir.path() / "copia");
  RestoreOptions force;
  force.force = true;
  auto restored = restore_store(dir.path() / "copia", {url, {}}, force);
  ::setenv("PATH", path.c_str(), 1);
  ASSERT_TRUE(made.ok()) << made.status().message();
  ASSERT_TRUE(restored.ok()) << restored.status().message();
  std::ifstream in(log);
  std::string line, all;
  int given = 0;
  while (std::getline(in, line)) {
    all += line + "\n";
    if (line == "pg_dump PGPASSWORD=" + secret || line == "pg_restore PGPASSWORD=" + secret)
      ++given;
    else
      EXPECT_EQ(line.find(secret), std::string::npos) << line;
  }
  EXPECT_GE(given, 2) << all;
  EXPECT_NE(all.find("pg_dump --format=custom"), std::string::npos) << all;
}

// On SQLite, a restore is refused while a server serves the folder, and a
// server does not start while a restore runs.
TEST(StoreBackup, ARestoreNeverReplacesAStoreAServerServes) {
  test::StoreLocation loc(Engine::kSqlite);
  bp::test_util::TempDir dir("bp-backup-test");
  {
    auto s = loc.open(test::label_composer());
    ASSERT_TRUE(s.ok()) << s.status().message();
    ASSERT_TRUE((*s)->sync_editions({{"e2", 2}}).is_ok());
    ASSERT_TRUE((*s)->register_person(test::sample_person("c1", "e2", "a@x.it")).ok());
  }
  const StoreAddress address{"", loc.data_dir()};
  ASSERT_TRUE(backup_store(address, dir.path() / "copia").ok());
  RestoreOptions force;
  force.force = true;

  auto claim = claim_store_for_server(address);
  ASSERT_TRUE(claim.ok()) << claim.status().message();
  auto second = claim_store_for_server(address);  // another server on the same folder
  ASSERT_TRUE(second.ok()) << second.status().message();
  auto refused = restore_store(dir.path() / "copia", address, force);
  ASSERT_EQ(refused.status().code(), Code::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("bp-server"), std::string::npos) << refused.status().message();
  *claim = ServerClaim();
  EXPECT_EQ(restore_store(dir.path() / "copia", address, force).status().code(), Code::kInvalidArgument);
  *second = ServerClaim();  // every server stopped
  auto restored = restore_store(dir.path() / "copia", address, force);
  EXPECT_TRUE(restored.ok()) << restored.status().message();

  // A restore holds the folder's lock file exclusively while it runs.
  const int fd = ::open((loc.data_dir() / "registrations.lock").c_str(), O_RDWR | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
  auto during = claim_store_for_server(address);
  EXPECT_EQ(during.status().code(), Code::kInvalidArgument);
  EXPECT_NE(during.status().message().find("ripristino"), std::string::npos) << during.status().message();
  ::close(fd);
  EXPECT_TRUE(claim_store_for_server(address).ok());
}

}  // namespace
}  // namespace bp::registration
