// bp-admin migrate: a SQLite store with registrations in every state moves to
// PostgreSQL with nothing lost and keeps working there.
#include "bp/registration/store_copy.h"

#include <gtest/gtest.h>

#include "bp/registration/back_office_store.h"
#include "bp/registration/proposal_store.h"
#include "bp/registration/store.h"
#include "bp/registration/store_backup.h"
#include "store_engines.h"

namespace bp::registration {
namespace {

using test::Engine;

Composer composer() { return test::label_composer(); }

NewRegistration person(const std::string& code, const std::string& edition, const std::string& email) {
  return test::sample_person(code, edition, email);
}

TEST(StoreCopy, ASqliteStoreMovesToPostgresWithNothingLost) {
  test::StoreLocation sqlite(Engine::kSqlite), pg(Engine::kPostgresql);
  BP_REQUIRE_ENGINE(pg);
  StoreOptions o;
  o.hold_seconds = 1800;
  std::vector<Registration> before;
  std::vector<EditionCounts> counts_before;
  {
    auto s = sqlite.open(composer(), o);
    ASSERT_TRUE(s.ok());
    auto& store = **s;
    ASSERT_TRUE(store.sync_editions({{"e2", 2}, {"e5", 5}}).is_ok());
    NewRegistration keyed = person("c1", "e2", "a@x.it");
    keyed.idempotency_key = "k1";
    keyed.fingerprint = "f1";
    keyed.answer_url = "http://x/iscrizione/c1?token=t";
    ASSERT_TRUE(store.register_person(keyed).ok());
    for (const auto& [code, email] : {std::pair{"c2", "b@x.it"}, {"c3", "c@x.it"}, {"c4", "d@x.it"}})
      ASSERT_TRUE(store.register_person(person(code, "e2", email)).ok());
    ASSERT_TRUE(store.confirm("c1", {}).ok());
    ASSERT_TRUE(store.cancel("c2").ok());  // c3 promoted, c4 waiting
    ASSERT_TRUE(store.register_person(person("c5", "e5", "e@x.it")).ok());
    ASSERT_TRUE(store.erase("c5").is_ok());
    auto admin = store.accounts().add_account("admin@x.it", Role::kAdmin, "$argon2id$h");
    ASSERT_TRUE(admin.ok());
    ASSERT_TRUE(store.accounts().add_token(admin->id, "script", "abc").ok());
    // The staff wrote to e2's waiting list (c4): the message and its copy move.
    EditionMessage note;
    note.send_key = "k-note";
    note.edition_id = "e2";
    note.statuses = {"waitlisted"};
    note.subject = "Posti in arrivo";
    note.body = "Stiamo aprendo un'altra edizione.";
    note.account_id = admin->id;
    note.sent_by = "admin@x.it";
    ASSERT_TRUE(store.back_office()
                    .send_edition_message(note,
                                          [](const Registration& r) {
                                            OutboxMessage m;
                                            m.subject = "Posti in arrivo";
                                            m.body = r.code;
                                            return m;
                                          })
                    .ok());
    // A note of the staff on c1: it moves, and the next one gets a new id.
    StaffNote remark;
    remark.registration_id = store.find("c1")->id;
    remark.account_id = admin->id;
    remark.author = "admin@x.it";
    remark.body = "Richiamare giovedì";
    ASSERT_TRUE(store.back_office().add_note(remark).ok());
    // A proposal of a practice, with its image and a comment: it moves too.
    StoredProposal proposal;
    proposal.code = "pr1";
    proposal.token_hash = std::string(32, 'h');
    proposal.proposer_name = "Giulia";
    proposal.proposer_email = "g@x.it";
    proposal.consent_at = "2026-11-30T10:00:00Z";
    proposal.privacy_version = "2026-11";
    OutboxMessage received;
    received.subject = "Ricevuta";
    ASSERT_TRUE(
        store.proposals()
            .create(proposal,
                    {"{}", "---\n", "Titolo", "nord", true, std::string("\x89PNG\0", 5), "copertina.png", "image/png"},
                    received, {}, nullptr)
            .ok());
    ASSERT_TRUE(store.proposals().change("pr1", {{}, "", "redazione", "Bella", {}, {}}).ok());
    // The staff paused e2's site registrations: still paused after the copy.
    ASSERT_TRUE(store.back_office().pause_registrations("e2", true, "admin@x.it").is_ok());
    before = *store.list("");
    counts_before = *store.counts();
  }
  // A server was started on the target once: it holds the editions already.
  {
    auto p = pg.open(composer(), o);
    ASSERT_TRUE(p.ok());
    ASSERT_TRUE((*p)->sync_editions({{"e2", 2}, {"e5", 5}}).is_ok());
  }

  auto copied = copy_sqlite_to_postgresql(sqlite.data_dir(), pg.database_url());
  ASSERT_TRUE(copied.ok()) << copied.status().message();
  EXPECT_EQ(*copied, (TableCounts{{"editions", 2},
                                  {"registrations", 5},
                                  {"idempotency", 1},
                                  {"outbox", 10},
                                  {"accounts", 1},
                                  {"staff_sessions", 0},
                                  {"api_tokens", 1},
                                  {"audit_log", 0},
                                  {"meeting_attendance", 0},
                                  {"tutoring_cases", 0},
                                  {"proposals", 1},
                                  {"proposal_events", 2},
                                  {"search_queries", 0},
                                  {"search_positions", 0},
                                  {"search_filters", 0},
                                  {"edition_messages", 1},
                                  {"staff_notes", 1}}));

  auto p = pg.open(composer(), o);
  {
    ASSERT_TRUE(p.ok());
    auto notes = (*p)->back_office().edition_messages("e2");
    ASSERT_TRUE(notes.ok()) << notes.status().message();
    ASSERT_EQ(notes->size(), 1u);
    EXPECT_EQ(notes->front().recipients, 1);
    EXPECT_EQ(notes->front().sent_by, "admin@x.it");
    const std::int64_t c1 = (*p)->find("c1")->id;
    auto remarks = (*p)->back_office().notes({c1});
    ASSERT_TRUE(remarks.ok()) << remarks.status().message();
    ASSERT_EQ(remarks->size(), 1u);
    EXPECT_EQ(remarks->front().body, "Richiamare giovedì");
    StaffNote next = remarks->front();
    next.body = "Richiamata";
    auto added = (*p)->back_office().add_note(next);
    ASSERT_TRUE(added.ok()) << added.status().message();
    EXPECT_GT(added->id, remarks->front().id);
    auto moved = (*p)->proposals().find("pr1");
    ASSERT_TRUE(moved.ok()) << moved.status().message();
    EXPECT_EQ(moved->history.size(), 2u);
    EXPECT_EQ(*(*p)->proposals().image("pr1"), std::string("\x89PNG\0", 5));
  }
  ASSERT_TRUE(p.ok());
  auto& store = **p;
  // The staff's accounts came along: the token still opens the account.
  EXPECT_EQ(store.accounts().account_for_token("abc")->email, "admin@x.it");
  auto another = store.accounts().add_account("staff@x.it", Role::kStaff, "h");
  ASSERT_TRUE(another.ok()) << "the identity sequence was moved past the copied ids";
  test::expect_same_registrations(*store.list(""), before);
  const auto counts_after = *store.counts();
  ASSERT_EQ(counts_after.size(), counts_before.size());
  for (std::size_t i = 0; i < counts_after.size(); ++i) {
    EXPECT_EQ(counts_after[i].taken, counts_before[i].taken);
    EXPECT_EQ(counts_after[i].waitlisted, counts_before[i].waitlisted);
    EXPECT_EQ(counts_after[i].paused_at, counts_before[i].paused_at) << counts_after[i].edition_id;
    EXPECT_EQ(counts_after[i].paused_by, counts_before[i].paused_by) << counts_after[i].edition_id;
  }
  ASSERT_FALSE(counts_after.front().paused_at.empty()) << "e2 is paused";
  // The idempotency key still replays, and new rows get new ids.
  NewRegistration again = person("c1", "e2", "a@x.it");
  again.idempotency_key = "k1";
  again.fingerprint = "f1";
  auto replay = store.register_person(again);
  ASSERT_TRUE(replay.ok()) << replay.status().message();
  EXPECT_TRUE(replay->replayed);
  auto fresh = store.register_person(person("c6", "e5", "f@x.it"));
  ASSERT_TRUE(fresh.ok()) << fresh.status().message();
  EXPECT_GT(fresh->registration.id, before.back().id);

  // A second copy would duplicate: refused, nothing written.
  auto twice = copy_sqlite_to_postgresql(sqlite.data_dir(), pg.database_url());
  EXPECT_EQ(twice.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(store.list("")->size(), before.size() + 1);
}

// A copy (bp-admin migrate) is refused while a server serves the SQLite
// folder: what it wrote after its rows were read would be lost.
TEST(StoreCopy, RefusedWhileAServerServesTheSqliteFolder) {
  test::StoreLocation sqlite(Engine::kSqlite);
  {
    auto s = sqlite.open(composer());
    ASSERT_TRUE(s.ok());
  }
  auto claim = claim_store_for_server({"", sqlite.data_dir()});
  ASSERT_TRUE(claim.ok()) << claim.status().message();
  auto refused = copy_sqlite_to_postgresql(sqlite.data_dir(), "postgresql://nessuno@127.0.0.1:1/niente");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), Code::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("un bp-server sta usando questo archivio"), std::string::npos)
      << refused.status().message();
  *claim = ServerClaim();
  // Without the server, the copy goes on (here to a database that is not there).
  auto tried = copy_sqlite_to_postgresql(sqlite.data_dir(), "postgresql://nessuno@127.0.0.1:1/niente");
  ASSERT_FALSE(tried.ok());
  EXPECT_EQ(tried.status().message().find("bp-server"), std::string::npos) << tried.status().message();
}

}  // namespace
}  // namespace bp::registration
