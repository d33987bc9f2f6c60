// The store on its own, on both engines (the conformance suite with
// holds_test.cc): seats, waiting list, promotion, idempotency, erasure,
// attendance, outbox, migrations and the counter's backstop.
#include "bp/registration/store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <ctime>
#include <thread>

#include "schema_migrations.h"
#include "store_engines.h"

namespace bp::registration {
namespace {

using test::Engine;

Composer simple_composer() {
  return [](MessageKind kind, const Registration& r) {
    OutboxMessage m;
    m.recipient = r.email;
    m.subject = "kind " + std::to_string(static_cast<int>(kind)) + " " + r.code;
    m.body = "body";
    return m;
  };
}

NewRegistration person(const std::string& edition, const std::string& email) {
  static int n = 0;
  NewRegistration in = test::sample_person("code" + std::to_string(++n), edition, email);
  in.person.token_hash = std::string(32, 'x');
  in.person.confirm_hash.clear();
  return in;
}

class StoreTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    BP_REQUIRE_ENGINE(loc_);
    open();
  }
  void open() {
    store_.reset();
    auto s = loc_.open(simple_composer());
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
    ASSERT_TRUE(store_->sync_editions({{"e2", 2}, {"e5", 5}}).is_ok());
  }
  Registration reg(const std::string& edition, const std::string& email) {
    auto r = store_->register_person(person(edition, email));
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? r->registration : Registration{};
  }
  test::StoreLocation loc_{GetParam()};
  std::unique_ptr<Store> store_;  // closed before loc_ goes
};

TEST_P(StoreTest, FillsSeatsThenWaitlistsInOrder) {
  EXPECT_EQ(reg("e2", "a@x.it").status, "confirmed");
  EXPECT_EQ(reg("e2", "b@x.it").status, "confirmed");
  Registration c = reg("e2", "c@x.it");
  Registration d = reg("e2", "d@x.it");
  EXPECT_EQ(c.status, "waitlisted");
  EXPECT_EQ(c.position, 1);
  EXPECT_EQ(d.position, 2);
  auto counts = store_->counts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ((*counts)[0].edition_id, "e2");
  EXPECT_EQ((*counts)[0].confirmed, 2);
  EXPECT_EQ((*counts)[0].waitlisted, 2);
}

TEST_P(StoreTest, CancellingASeatPromotesTheFirstPersonWaiting) {
  Registration a = reg("e2", "a@x.it");
  reg("e2", "b@x.it");
  Registration c = reg("e2", "c@x.it");
  Registration d = reg("e2", "d@x.it");
  auto cancelled = store_->cancel(a.code);
  ASSERT_TRUE(cancelled.ok());
  EXPECT_EQ(cancelled->status, "cancelled");
  EXPECT_EQ(store_->find(c.code)->status, "confirmed");
  EXPECT_FALSE(store_->find(c.code)->promoted_at.empty());
  EXPECT_EQ(store_->find(d.code)->status, "waitlisted");
  EXPECT_EQ(store_->find(d.code)->position, 1);
  // Cancelling someone waiting frees no seat and promotes nobody.
  ASSERT_TRUE(store_->cancel(d.code).ok());
  auto again = store_->cancel(d.code);
  EXPECT_EQ(again.status().code(), Code::kConflict);
  auto counts = store_->counts();
  EXPECT_EQ((*counts)[0].confirmed, 2);
  EXPECT_EQ((*counts)[0].waitlisted, 0);
  EXPECT_EQ((*counts)[0].cancelled, 2);
}

// A seat freed after the edition's end goes to nobody: the first person
// waiting would be told «Si è liberato un posto» for a course already over,
// and counted as a participant. Before the end it goes to them as usual.
TEST_P(StoreTest, ASeatFreedAfterTheEditionEndedGoesToNobody) {
  const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
  ASSERT_TRUE(
      store_->sync_editions({{"e2", 2}, {"e5", 5}, {"fine", 1, 0, now - 3600}, {"dopo", 1, 0, now + 86400}}).is_ok());
  for (const std::string edition : {"fine", "dopo"}) {
    Registration a = reg(edition, "a@x.it");
    Registration b = reg(edition, "b@x.it");
    ASSERT_EQ(b.status, "waitlisted");
    ASSERT_TRUE(store_->cancel(a.code).ok());
    EXPECT_EQ(store_->find(b.code)->status, edition == "fine" ? "waitlisted" : "confirmed") << edition;
  }
}

TEST_P(StoreTest, CancellingWithNobodyWaitingFreesTheSeat) {
  Registration a = reg("e2", "a@x.it");
  reg("e2", "b@x.it");
  ASSERT_TRUE(store_->cancel(a.code).ok());
  EXPECT_EQ(reg("e2", "c@x.it").status, "confirmed");
  EXPECT_EQ(reg("e2", "d@x.it").status, "waitlisted");
}

TEST_P(StoreTest, SameEmailOnSameEditionIsAConflictWhateverTheCase) {
  reg("e5", "Mario.Rossi@Example.it");
  auto again = store_->register_person(person("e5", "mario.rossi@example.IT"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), Code::kConflict);
  EXPECT_NE(again.status().message().find("già iscritto"), std::string::npos);
  // Another edition is fine.
  EXPECT_TRUE(store_->register_person(person("e2", "mario.rossi@example.it")).ok());
}

// One place per person among an activity's editions (another hub's
// edition of the same module); a parent's two children are two people.
TEST_P(StoreTest, APersonHoldsOnePlaceAmongAnActivitysEditions) {
  ASSERT_TRUE(store_->sync_editions({{"e2", 2}, {"e5", 5}, {"e9", 9}}).is_ok());
  auto sibling = [](const std::string& edition, const std::string& email) {
    NewRegistration in = person(edition, email);
    for (const char* e : {"e2", "e5"})
      if (e != edition) in.sibling_editions.push_back(e);
    return in;
  };
  ASSERT_TRUE(store_->register_person(sibling("e5", "a@x.it")).ok());
  auto other_hub = store_->register_person(sibling("e2", "A@x.it"));
  ASSERT_FALSE(other_hub.ok());
  EXPECT_EQ(other_hub.status().code(), Code::kConflict);
  EXPECT_EQ(other_hub.status().message(), kAlreadyInActivity);
  // Another activity (no sibling) is fine.
  EXPECT_TRUE(store_->register_person(person("e9", "a@x.it")).ok());

  // Children under 14 registered by one parent with one address.
  auto child = [&](const std::string& edition, const std::string& first) {
    NewRegistration in = sibling(edition, "genitore@x.it");
    in.person.first_name = first;
    in.person.guardian_name = "Maria Rossi";
    in.person.guardian_consent = true;
    return in;
  };
  ASSERT_TRUE(store_->register_person(child("e5", "Luca")).ok());
  auto second = store_->register_person(child("e5", "Anna"));
  ASSERT_TRUE(second.ok()) << second.status().message();
  auto twice = store_->register_person(child("e5", "LUCA"));
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.status().message(), kAlreadyRegistered);
  // Every letter's case, on both engines (not PostgreSQL's generic
  // conflict from its index, nor a second place on SQLite).
  ASSERT_TRUE(store_->register_person(child("e5", "Élia")).ok());
  auto accented = store_->register_person(child("e5", "éLIA"));
  ASSERT_FALSE(accented.ok());
  EXPECT_EQ(accented.status().message(), kAlreadyRegistered);
  auto elsewhere = store_->register_person(child("e2", "Anna"));
  ASSERT_FALSE(elsewhere.ok());
  EXPECT_EQ(elsewhere.status().message(), kAlreadyInActivity);
  // The parent themselves is a third person on the same address.
  EXPECT_TRUE(store_->register_person(sibling("e5", "genitore@x.it")).ok());
  // A child moves into an edition where the parent's other child is: not
  // the same person (the move checks as a registration would).
  NewRegistration bruno = child("e9", "Bruno");
  bruno.sibling_editions.clear();
  auto in_e9 = store_->register_person(bruno);
  ASSERT_TRUE(in_e9.ok()) << in_e9.status().message();
  ASSERT_TRUE(store_
                  ->register_person([&] {
                    NewRegistration carla = child("e2", "Carla");
                    carla.sibling_editions.clear();
                    return carla;
                  }())
                  .ok());
  auto moved = store_->move(in_e9->registration.code, "e9", "e2");
  EXPECT_TRUE(moved.ok()) << moved.status().message();
}

TEST_P(StoreTest, ReRegisteringAfterCancellingIsAllowed) {
  Registration a = reg("e5", "a@x.it");
  ASSERT_TRUE(store_->cancel(a.code).ok());
  EXPECT_EQ(reg("e5", "a@x.it").status, "confirmed");
}

TEST_P(StoreTest, IdempotencyKeyReplaysTheFirstAnswer) {
  NewRegistration in = person("e5", "a@x.it");
  in.idempotency_key = "key-1";
  in.fingerprint = "f1";
  in.answer_url = "http://x/iscrizione/abc?token=t";
  auto first = store_->register_person(in);
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE(first->replayed);
  NewRegistration again = person("e5", "a@x.it");
  again.idempotency_key = "key-1";
  again.fingerprint = "f1";
  auto second = store_->register_person(again);
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_TRUE(second->replayed);
  EXPECT_EQ(second->registration.code, first->registration.code);
  EXPECT_EQ(second->answer_url, in.answer_url);
  EXPECT_EQ(store_->list("e5")->size(), 1u);
  again.fingerprint = "different";
  EXPECT_EQ(store_->register_person(again).status().code(), Code::kConflict);
}

TEST_P(StoreTest, UnknownEditionIsNotFound) {
  EXPECT_EQ(store_->register_person(person("nope", "a@x.it")).status().code(), Code::kNotFound);
}

TEST_P(StoreTest, RegistrationsSurviveReopeningAndMigrationsAreVersioned) {
  Registration a = reg("e5", "a@x.it");
  open();
  auto found = store_->find(a.code);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->email, "a@x.it");
  EXPECT_EQ(found->token_hash, std::string(32, 'x'));
  EXPECT_EQ(loc_.schema_version(), static_cast<int>(schema::kMigrationCount));
  if (GetParam() == Engine::kSqlite) {
    EXPECT_EQ(loc_.query("PRAGMA journal_mode"), std::vector<std::string>{"wal"});
  }
  // The backstop: the seat counter can never pass the capacity.
  EXPECT_EQ(loc_.exec("UPDATE editions SET taken = 3 WHERE id = 'e2'").code(), Code::kConflict);
}

// One schema: the same tables with the same columns in the same order on
// both engines, whatever migrations each applied.
TEST_P(StoreTest, BothEnginesHaveTheSameTablesAndColumns) {
  test::StoreLocation sqlite(Engine::kSqlite);
  ASSERT_TRUE(sqlite.open(simple_composer()).ok());
  for (const char* table : {"editions", "registrations", "idempotency", "outbox", "accounts", "staff_sessions",
                            "api_tokens", "audit_log", "meeting_attendance", "tutoring_cases", "proposals",
                            "proposal_events", "search_queries", "search_positions", "search_filters"}) {
    const auto expected = sqlite.columns(table);
    EXPECT_FALSE(expected.empty()) << table;
    EXPECT_EQ(loc_.columns(table), expected) << table;
  }
}

TEST_P(StoreTest, LargerCapacityLetsWaitingPeopleIn) {
  reg("e2", "a@x.it");
  reg("e2", "b@x.it");
  Registration c = reg("e2", "c@x.it");
  ASSERT_TRUE(store_->sync_editions({{"e2", 3}}).is_ok());
  EXPECT_EQ(store_->find(c.code)->status, "confirmed");
  // Lowering below the seats taken keeps everyone confirmed.
  ASSERT_TRUE(store_->sync_editions({{"e2", 1}}).is_ok());
  EXPECT_EQ(store_->find(c.code)->status, "confirmed");
  EXPECT_EQ(reg("e2", "d@x.it").status, "waitlisted");
}

TEST_P(StoreTest, ErasureBlanksPersonalDataAndKeepsCounts) {
  Registration a = reg("e2", "a@x.it");
  ASSERT_TRUE(store_->erase(a.code).is_ok());
  auto r = store_->find(a.code);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, "confirmed");
  EXPECT_TRUE(r->first_name.empty());
  EXPECT_TRUE(r->email.empty());
  EXPECT_FALSE(r->erased_at.empty());
  EXPECT_NE(r->token_hash, std::string(32, 'x'));
  EXPECT_EQ((*store_->counts())[0].confirmed, 1);
  auto messages = store_->messages_for(r->id);
  ASSERT_TRUE(messages.ok());
  for (const auto& m : *messages) {
    EXPECT_TRUE(m.recipient.empty());
    EXPECT_TRUE(m.body.empty());
  }
  EXPECT_TRUE(store_->due_messages(INT64_MAX, 100)->empty());
  EXPECT_EQ(store_->erase("nope").code(), Code::kNotFound);
}

// The end of the programme's erasure: many registrations in one call, each
// with the code of its person; one unknown code and nothing is erased.
TEST_P(StoreTest, ErasingManyTiesEachToItsPersonOrErasesNothing) {
  Registration a = reg("e2", "a@x.it");
  Registration a2 = reg("e5", "a@x.it");
  Registration b = reg("e2", "b@x.it");
  EXPECT_EQ(store_->erase_all({{a.code, a.code}, {a2.code, a.code}, {"nope", ""}}).code(), Code::kNotFound);
  EXPECT_EQ(store_->find(a.code)->email, "a@x.it") << "rolled back";
  ASSERT_TRUE(store_->erase_all({{a.code, a.code}, {a2.code, a.code}, {b.code, ""}}).is_ok());
  for (const auto& code : {a.code, a2.code, b.code}) {
    auto r = store_->find(code);
    EXPECT_TRUE(r->email.empty()) << code;
    EXPECT_FALSE(r->erased_at.empty()) << code;
    EXPECT_EQ(r->status, "confirmed") << code;
  }
  EXPECT_EQ(store_->find(a2.code)->erased_person, a.code);
  EXPECT_EQ(store_->find(b.code)->erased_person, b.code);
  EXPECT_TRUE(store_->due_messages(INT64_MAX, 100)->empty());
}

TEST_P(StoreTest, AttendanceOnlyForConfirmedPeopleOfTheEdition) {
  Registration a = reg("e2", "a@x.it");
  reg("e2", "b@x.it");
  Registration c = reg("e2", "c@x.it");  // waiting
  Registration other = reg("e5", "o@x.it");
  auto rejected = store_->set_attendance("e2", {a.code, c.code, other.code, "nope"}, true);
  ASSERT_TRUE(rejected.ok());
  EXPECT_EQ(*rejected, (std::vector<std::string>{c.code, other.code, "nope"}));
  EXPECT_TRUE(store_->find(a.code)->attended);
  EXPECT_EQ((*store_->counts())[0].attended, 1);
}

TEST_P(StoreTest, EveryChangeWritesItsMessageToTheOutbox) {
  Registration a = reg("e2", "a@x.it");
  reg("e2", "b@x.it");
  Registration c = reg("e2", "c@x.it");
  ASSERT_TRUE(store_->cancel(a.code).ok());
  auto all = store_->outbox(false, 100);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 5u);  // 2 confirmed, 1 waitlisted, 1 cancelled, 1 promoted
  EXPECT_EQ((*all)[0].subject, "kind 2 " + c.code);
  EXPECT_EQ((*all)[0].recipient, "c@x.it");
  auto due = store_->due_messages(INT64_MAX, 100);
  ASSERT_EQ(due->size(), 5u);
  ASSERT_TRUE(store_->mark_failed((*due)[0].id, "down", INT64_MAX).is_ok());
  ASSERT_TRUE(store_->mark_delivered((*due)[1].id).is_ok());
  EXPECT_EQ(store_->due_messages(1000000000000, 100)->size(), 3u);
  EXPECT_EQ(store_->outbox(true, 100)->size(), 4u);
}

// The text of a delivered message, with the person's links in clear, is
// forgotten after its time; the line stays, and a message not delivered
// yet keeps its text whatever its age.
TEST_P(StoreTest, TheTextOfADeliveredMessageIsForgottenAndItsLineStays) {
  reg("e2", "a@x.it");
  reg("e2", "b@x.it");
  auto due = store_->due_messages(INT64_MAX, 100);
  ASSERT_EQ(due->size(), 2u);
  ASSERT_TRUE(store_->mark_delivered((*due)[0].id).is_ok());
  EXPECT_EQ(*store_->forget_sent_texts("2000-01-01T00:00:00Z"), 0) << "delivered after that day";
  EXPECT_EQ(*store_->forget_sent_texts("9999-12-31T00:00:00Z"), 1);
  EXPECT_EQ(*store_->forget_sent_texts("9999-12-31T00:00:00Z"), 0) << "already forgotten";
  const auto all = store_->outbox(false, 100);
  ASSERT_TRUE(all.ok());
  for (const auto& m : *all) {
    EXPECT_FALSE(m.subject.empty());
    EXPECT_FALSE(m.recipient.empty());
    if (m.id == (*due)[0].id) {
      EXPECT_EQ(m.body, "") << "delivered: its text is gone";
    } else {
      EXPECT_FALSE(m.body.empty()) << "not delivered yet: its text stays";
    }
  }
}

// Several delivery workers (one per server process) on one database: each
// message is claimed by exactly one of them; a claim nobody settles (the
// worker died mid-delivery) is claimed again once its lease is over.
TEST_P(StoreTest, TwoWorkersClaimEveryMessageExactlyOnce) {
  for (int i = 0; i < 12; ++i) reg("e5", "p" + std::to_string(i) + "@x.it");  // 5 seats, 7 waiting
  auto other = loc_.open(simple_composer());  // the second process's store
  ASSERT_TRUE(other.ok()) << other.status().message();
  std::vector<std::int64_t> claimed[2];
  auto drain = [](Store& store, std::vector<std::int64_t>* ids) {
    for (;;) {
      auto batch = store.claim_due_messages(1000, 2, 600);
      ASSERT_TRUE(batch.ok()) << batch.status().message();
      if (batch->empty()) return;
      for (const auto& m : *batch) ids->push_back(m.id);
    }
  };
  std::thread second([&] { drain(**other, &claimed[1]); });
  drain(*store_, &claimed[0]);
  second.join();
  std::vector<std::int64_t> all = claimed[0];
  all.insert(all.end(), claimed[1].begin(), claimed[1].end());
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all.size(), 12u) << "first worker " << claimed[0].size() << ", second " << claimed[1].size();
  EXPECT_EQ(std::unique(all.begin(), all.end()), all.end()) << "a message was claimed twice";
  EXPECT_TRUE(store_->claim_due_messages(1599, 100, 600)->empty());
  EXPECT_EQ(store_->claim_due_messages(1600, 100, 600)->size(), 12u);
  ASSERT_TRUE(store_->mark_delivered(all[0]).is_ok());
  EXPECT_EQ(store_->claim_due_messages(INT64_MAX / 2, 100, 600)->size(), 11u);
}

// PostgreSQL only: its connections can drop (a restart, a failover, an
// idle timeout) while the server keeps running.
TEST(PostgresStore, ADroppedConnectionIsReplacedAndTheNextCallSucceeds) {
  test::StoreLocation loc(Engine::kPostgresql);
  BP_REQUIRE_ENGINE(loc);
  const std::string app = "bp-test-" + std::to_string(::getpid()) + "-" + std::to_string(rand());
  auto s = open_postgresql_store(loc.database_url() + "&application_name=" + app, simple_composer());
  ASSERT_TRUE(s.ok()) << s.status().message();
  auto store = std::move(*s);
  ASSERT_TRUE(store->sync_editions({{"e2", 2}}).is_ok());
  auto first = store->register_person(person("e2", "a@x.it"));
  ASSERT_TRUE(first.ok());
  // What a restart of PostgreSQL does to the pool's idle connections.
  const auto killed = loc.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '" +
                                app + "'");
  ASSERT_FALSE(killed.empty());
  auto second = store->register_person(person("e2", "b@x.it"));
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(second->registration.status, "confirmed");
  EXPECT_EQ(store->list("e2")->size(), 2u);
}

TEST(PostgresStore, AnUnreachableDatabaseIsAnIoErrorThatSaysSo) {
  auto s = open_postgresql_store("postgresql://bp@127.0.0.1:1/nessuno", simple_composer());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Code::kIo);
  EXPECT_NE(s.status().message().find("PostgreSQL"), std::string::npos) << s.status().message();
  EXPECT_EQ(open_store("mysql://x", "/nonexistent", simple_composer()).status().code(), Code::kInvalidArgument);
}

// A server that answers and refuses (here: a database that does not exist)
// is a setting to correct, said as such, not a moment to wait out.
TEST(PostgresStore, ARefusedConnectionSaysWhichSettingToCheck) {
  test::StoreLocation loc(Engine::kPostgresql);
  BP_REQUIRE_ENGINE(loc);
  std::string url = test::test_database_url();
  const std::size_t slash = url.rfind('/');
  ASSERT_NE(slash, std::string::npos);
  url = url.substr(0, slash) + "/non_esiste_proprio";
  auto s = open_postgresql_store(url, simple_composer());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("rifiuta l'accesso: controllare BP_DATABASE_URL"), std::string::npos)
      << s.status().message();
  EXPECT_EQ(s.status().message().find("riprovare tra poco"), std::string::npos);
  EXPECT_EQ(s.status().message().find('\n'), std::string::npos) << "one line in the journal";
}

INSTANTIATE_TEST_SUITE_P(Engines, StoreTest, ::testing::Values(Engine::kSqlite, Engine::kPostgresql),
                         test::engine_name);

}  // namespace
}  // namespace bp::registration
