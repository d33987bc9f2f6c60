// AccountStore and BackOfficeStore on both engines (one implementation over
// each engine's SQL runner): accounts, sessions, tokens, the audit log,
// attendance per meeting and tutoring cases.
#include <gtest/gtest.h>

#include <set>
#include <tuple>
#include <vector>

#include "bp/registration/back_office_store.h"
#include "bp/registration/store.h"
#include "schema_migrations.h"
#include "store_engines.h"

namespace bp::registration {
namespace {

using test::Engine;

class AccountStoreTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    BP_REQUIRE_ENGINE(loc_);
    StoreTestHooks hooks;
    hooks.clock = [this] { return now_; };
    auto s = loc_.open([](MessageKind, const Registration& r) {
      OutboxMessage m;
      m.recipient = r.email;
      m.subject = "s";
      m.body = "b";
      return m;
    }, {}, hooks);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
    ASSERT_TRUE(store_->sync_editions({{"e4", 4}}).is_ok());
  }
  AccountStore& accounts() { return store_->accounts(); }
  Registration reg(const std::string& code, const std::string& email, const std::string& edition = "e4") {
    NewRegistration in;
    in.person.code = code;
    in.person.token_hash = std::string(32, 'x');
    in.person.edition_id = edition;
    in.person.first_name = "Giulia";
    in.person.last_name = "Ferrero";
    in.person.email = email;
    in.person.consent = true;
    in.person.consent_at = "2026-11-26T10:00:00Z";
    in.person.privacy_version = "2026-11";
    auto r = store_->register_person(in);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? r->registration : Registration{};
  }

  std::int64_t now_ = 4102444800;
  test::StoreLocation loc_{GetParam()};
  std::unique_ptr<Store> store_;
};

TEST_P(AccountStoreTest, AccountsAreUniqueByEmailWhateverTheCase) {
  EXPECT_EQ(*accounts().count_accounts(), 0);
  auto a = accounts().add_account("Anna@Example.org", Role::kAdmin, "$argon2id$hash");
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(a->email, "anna@example.org");
  EXPECT_EQ(accounts().add_account("ANNA@example.org", Role::kStaff, "h").status().code(), Code::kConflict);
  auto found = accounts().find_account("anna@EXAMPLE.org");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->role, Role::kAdmin);
  EXPECT_EQ(accounts().find_account("nobody@example.org").status().code(), Code::kNotFound);
  ASSERT_TRUE(accounts().set_role(a->id, Role::kEditor).is_ok());
  EXPECT_EQ(accounts().account_by_id(a->id)->role, Role::kEditor);
  EXPECT_EQ(*accounts().count_accounts(), 1);
}

TEST_P(AccountStoreTest, SessionsExpireWhenIdleOrTooOldAndEndWithANewPassword) {
  auto a = accounts().add_account("anna@example.org", Role::kStaff, "h1");
  ASSERT_TRUE(a.ok());
  const SessionLimits limits{1800, 43200};
  ASSERT_TRUE(accounts().create_session("s1", a->id, now_).is_ok());
  EXPECT_TRUE(accounts().touch_session("s1", now_ + 1700, limits).ok());
  EXPECT_TRUE(accounts().touch_session("s1", now_ + 3400, limits).ok()) << "the idle clock restarted";
  EXPECT_EQ(accounts().touch_session("s1", now_ + 5300, limits).status().code(), Code::kNotFound);
  ASSERT_TRUE(accounts().create_session("s2", a->id, now_).is_ok());
  ASSERT_TRUE(accounts().set_password(a->id, "h2").is_ok());
  EXPECT_EQ(accounts().touch_session("s2", now_ + 10, limits).status().code(), Code::kNotFound);
  EXPECT_EQ(accounts().account_by_id(a->id)->password_hash, "h2");
}

TEST_P(AccountStoreTest, TokensFindTheirAccountUntilRevoked) {
  auto a = accounts().add_account("anna@example.org", Role::kStaff, "h");
  ASSERT_TRUE(a.ok());
  auto t = accounts().add_token(a->id, "script", "abc123");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(accounts().account_for_token("abc123")->email, "anna@example.org");
  EXPECT_EQ(accounts().list_tokens(a->id)->front().last_used_at.empty(), false);
  EXPECT_EQ(accounts().revoke_token(t->id, a->id + 1).code(), Code::kNotFound) << "another account's token";
  ASSERT_TRUE(accounts().revoke_token(t->id, a->id).is_ok());
  EXPECT_EQ(accounts().account_for_token("abc123").status().code(), Code::kNotFound);
}

TEST_P(AccountStoreTest, AuditCountsByTargetOrAddressAndRedactsErasedPeople) {
  AuditEntry e;
  e.actor = "x";
  e.address = "10.0.0.1";
  e.action = "login_failed";
  e.target = "anna@example.org";
  ASSERT_TRUE(accounts().append_audit(e).is_ok());
  e.address = "10.0.0.2";
  ASSERT_TRUE(accounts().append_audit(e).is_ok());
  e.action = "search";
  e.target = "persone";
  e.details = "ricerca: giulia@example.org";
  ASSERT_TRUE(accounts().append_audit(e).is_ok());
  EXPECT_EQ(*accounts().count_audit("login_failed", now_ - 60, "anna@example.org", ""), 2);
  EXPECT_EQ(*accounts().count_audit("login_failed", now_ - 60, "", "10.0.0.1"), 1);
  EXPECT_EQ(*accounts().count_audit("login_failed", now_ + 1, "anna@example.org", ""), 0);
  ASSERT_TRUE(accounts().redact_audit({"giulia@example.org"}, "[dati cancellati]").is_ok());
  auto rows = accounts().audit({});
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ(rows->front().details, "ricerca: [dati cancellati]");
  // Many people at once (the end of the programme): each text wherever it
  // is, capitals apart, the longest at each place; short texts are left.
  e.action = "write";
  e.target = "Anna Maria Rossi";
  e.details = "messaggi a Anna Maria Rossi, ANNA@example.org e Anna Maria; e-mail anna@example.org.";
  ASSERT_TRUE(accounts().append_audit(e).is_ok());
  ASSERT_TRUE(
      accounts().redact_audit({"Anna Maria", "anna@example.org", "Anna Maria Rossi", "Ann", ""}, "[x]").is_ok());
  rows = accounts().audit({});
  EXPECT_EQ(rows->front().target, "[x]");
  EXPECT_EQ(rows->front().details, "messaggi a [x], [x] e [x]; e-mail [x].");
  AuditQuery only;
  only.action = "search";
  EXPECT_EQ(accounts().audit(only)->size(), 1u);
}

TEST_P(AccountStoreTest, MeetingAttendanceGivesTheCertificateAtTheShare) {
  const Registration a = reg("codea", "a@example.org");
  const Registration b = reg("codeb", "b@example.org");
  auto rejected = store_->back_office().save_meeting_attendance("e4", {{"codea", {0, 1, 2}}, {"codeb", {0, 1}},
                                                                       {"nessuno", {0}}}, 4, 75);
  ASSERT_TRUE(rejected.ok()) << rejected.status().message();
  EXPECT_EQ(*rejected, std::vector<std::string>{"nessuno"});
  EXPECT_TRUE(store_->find("codea")->attended);
  EXPECT_FALSE(store_->find("codeb")->attended);
  auto met = store_->back_office().meeting_attendance("e4");
  EXPECT_EQ(met->at(a.id).size(), 3u);
  EXPECT_EQ(met->at(b.id).size(), 2u);
  EXPECT_EQ(store_->back_office().save_meeting_attendance("e4", {{"codea", {4}}}, 4, 75).status().code(),
            Code::kInvalidArgument);
  // A second save replaces the first.
  ASSERT_TRUE(store_->back_office().save_meeting_attendance("e4", {{"codea", {0}}}, 4, 75).ok());
  EXPECT_FALSE(store_->find("codea")->attended);
  // Unticked again, a meeting ticked before is an absence.
  ASSERT_TRUE(store_->back_office().save_meeting_attendance("e4", {{"codeb", {}}}, 4, 75).ok());
  EXPECT_FALSE(store_->back_office().meeting_attendance("e4")->count(b.id));
  // Present as a whole (the admin API), no meeting ticked: the page's save
  // with no box ticked for the person keeps the certificate.
  const Registration c = reg("codec", "c@example.org");
  ASSERT_TRUE(store_->set_attendance("e4", {"codec"}, true).ok());
  ASSERT_TRUE(store_->back_office().save_meeting_attendance("e4", {{"codec", {}}, {"codea", {}}}, 4, 75).ok());
  EXPECT_TRUE(store_->find("codec")->attended);
  EXPECT_FALSE(store_->find("codea")->attended);
  // Ticking its meetings one by one replaces it.
  ASSERT_TRUE(store_->back_office().save_meeting_attendance("e4", {{"codec", {0}}}, 4, 75).ok());
  EXPECT_FALSE(store_->find("codec")->attended);
  EXPECT_EQ(store_->back_office().meeting_attendance("e4")->at(c.id).size(), 1u);
}

// The reminder before the first meeting goes once to each person holding a
// confirmed seat: not to people waiting, cancelled or erased, and again to
// nobody; a person promoted later gets theirs at the next round.
TEST_P(AccountStoreTest, EachConfirmedPersonIsRemindedOnce) {
  reg("codea", "a@example.org");
  reg("codeb", "b@example.org");
  reg("codec", "c@example.org");
  reg("coded", "d@example.org");
  ASSERT_EQ(reg("codee", "e@example.org").status, "waitlisted");
  ASSERT_TRUE(store_->erase("coded").is_ok());
  const Composer remind = [](MessageKind kind, const Registration& r) {
    OutboxMessage m;
    m.recipient = r.email;
    m.subject = kind == MessageKind::kReminder ? "promemoria" : "altro";
    m.body = r.first_name + " " + r.code;
    return m;
  };
  const auto reminded = [this] {
    std::set<std::string> to;
    const auto box = store_->outbox(false, 100);
    for (const auto& m : *box)
      if (m.subject == "promemoria") to.insert(m.recipient + " " + m.body);
    return to;
  };
  auto n = store_->back_office().queue_reminders("e4", remind);
  ASSERT_TRUE(n.ok()) << n.status().message();
  EXPECT_EQ(*n, 3);
  EXPECT_EQ(reminded(), (std::set<std::string>{"a@example.org Giulia codea", "b@example.org Giulia codeb",
                                               "c@example.org Giulia codec"}));
  EXPECT_EQ(*store_->back_office().queue_reminders("e4", remind), 0);
  ASSERT_TRUE(store_->cancel("codec").ok());  // e gets the seat
  EXPECT_EQ(*store_->back_office().queue_reminders("e4", remind), 1);
  EXPECT_EQ(reminded().count("e@example.org Giulia codee"), 1u);
  EXPECT_EQ(reminded().size(), 4u);
  EXPECT_EQ(*store_->back_office().queue_reminders("e4", remind), 0);
  // A corrected address gets the reminder too: the first went to the wrong one.
  ASSERT_TRUE(
      store_->correct_contact("codea", {"Giulia", "Ferrero", "a.giusta@example.org", "", "", "", "over-35", {}}).ok());
  EXPECT_EQ(*store_->back_office().queue_reminders("e4", remind), 1);
  EXPECT_EQ(reminded().count("a.giusta@example.org Giulia codea"), 1u);
}

// «Scrivi agli iscritti»: the people of the chosen statuses get one copy
// each, erased people none; the same form sent twice is one message.
TEST_P(AccountStoreTest, AMessageToAnEditionReachesTheChosenPeopleOnce) {
  reg("codea", "a@example.org");
  reg("codeb", "b@example.org");
  reg("codec", "c@example.org");
  reg("coded", "d@example.org");
  ASSERT_EQ(reg("codee", "e@example.org").status, "waitlisted");
  ASSERT_TRUE(store_->erase("coded").is_ok());
  auto author = accounts().add_account("desk@example.org", Role::kStaff, "h");
  ASSERT_TRUE(author.ok());
  const auto copy = [](const Registration& r) {
    OutboxMessage m;
    m.subject = "Cambio aula";
    m.body = r.first_name + " " + r.code + " " + r.status;
    return m;
  };
  const auto copies = [this] {
    std::set<std::string> to;
    const auto box = store_->outbox(false, 100);
    for (const auto& m : *box)
      if (m.subject == "Cambio aula") to.insert(m.recipient + " " + m.body);
    return to;
  };
  EditionMessage m;
  m.send_key = "chiave1";
  m.edition_id = "e4";
  m.statuses = {"confirmed"};
  m.subject = "Cambio aula";
  m.body = "Ci vediamo in aula 3.";
  m.account_id = author->id;
  m.sent_by = "desk@example.org";
  auto sent = store_->back_office().send_edition_message(m, copy);
  ASSERT_TRUE(sent.ok()) << sent.status().message();
  EXPECT_EQ(sent->recipients, 3);
  EXPECT_EQ(copies(),
            (std::set<std::string>{"a@example.org Giulia codea confirmed", "b@example.org Giulia codeb confirmed",
                                   "c@example.org Giulia codec confirmed"}));
  // Sent again with the same key (a double click): nothing more queued.
  EXPECT_EQ(store_->back_office().send_edition_message(m, copy).status().code(), Code::kConflict);
  EXPECT_EQ(copies().size(), 3u);

  m.send_key = "chiave2";
  m.statuses = {"waitlisted", "pending"};
  sent = store_->back_office().send_edition_message(m, copy);
  ASSERT_TRUE(sent.ok()) << sent.status().message();
  EXPECT_EQ(sent->recipients, 1);
  EXPECT_EQ(copies().count("e@example.org Giulia codee waitlisted"), 1u);

  m.send_key = "chiave3";
  m.statuses = {"cancelled"};
  EXPECT_EQ(store_->back_office().send_edition_message(m, copy).status().code(), Code::kInvalidArgument);
  m.statuses = {};
  EXPECT_EQ(store_->back_office().send_edition_message(m, copy).status().code(), Code::kInvalidArgument);
  m.statuses = {"confirmed"};
  m.send_key = "";
  EXPECT_EQ(store_->back_office().send_edition_message(m, copy).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(copies().size(), 4u);

  auto history = store_->back_office().edition_messages("e4");
  ASSERT_TRUE(history.ok()) << history.status().message();
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].send_key, "chiave2") << "newest first";
  EXPECT_EQ((*history)[0].statuses, (std::vector<std::string>{"waitlisted", "pending"}));
  EXPECT_EQ((*history)[1].recipients, 3);
  EXPECT_EQ((*history)[1].body, "Ci vediamo in aula 3.");
  EXPECT_EQ((*history)[1].sent_by, "desk@example.org");
  EXPECT_EQ((*history)[1].account_id, author->id);
  EXPECT_FALSE((*history)[1].sent_at.empty());
  EXPECT_TRUE(store_->back_office().edition_messages("e5")->empty());
}

// «Sposta»: a registration moves to a free seat of another edition, its
// old seat goes to the first person waiting there, and nobody jumps a
// waiting list.
// The staff pause an edition's registrations from its page (a venue in
// doubt, a room to check): a person registering is refused with the
// reason; the staff still register someone; the rest goes on; a
// catalogue sync keeps the pause; resuming lets people in again.
TEST_P(AccountStoreTest, PausedRegistrationsRefuseAPersonButNotTheStaff) {
  reg("codea", "a@example.org");
  ASSERT_TRUE(store_->back_office().pause_registrations("e4", true, "staff@example.org").is_ok());
  const auto paused = [this] {
    const std::vector<EditionCounts> all = *store_->counts();
    for (const auto& c : all)
      if (c.edition_id == "e4") return c;
    return EditionCounts{};
  };
  EXPECT_EQ(paused().paused_by, "staff@example.org");
  const std::string at = paused().paused_at;
  EXPECT_FALSE(at.empty());
  // Pausing again keeps the first time and author.
  now_ += 60;
  ASSERT_TRUE(store_->back_office().pause_registrations("e4", true, "altro@example.org").is_ok());
  EXPECT_EQ(paused().paused_by, "staff@example.org");
  EXPECT_EQ(paused().paused_at, at);

  NewRegistration in;
  in.person.code = "codeb";
  in.person.token_hash = std::string(32, 'x');
  in.person.edition_id = "e4";
  in.person.first_name = "Bruno";
  in.person.last_name = "Neri";
  in.person.email = "b@example.org";
  in.person.consent = true;
  in.person.consent_at = "2026-11-26T10:00:00Z";
  in.person.privacy_version = "2026-11";
  const auto refused = store_->register_person(in);
  EXPECT_EQ(refused.status().code(), Code::kConflict);
  EXPECT_EQ(refused.status().message(), kRegistrationsPaused);
  EXPECT_EQ(store_->find("codeb").status().code(), Code::kNotFound) << "nothing kept";
  in.taken_by_staff = true;
  ASSERT_TRUE(store_->register_person(in).ok()) << "the staff still register";
  EXPECT_TRUE(store_->cancel("codea").ok()) << "a cancellation goes on";

  ASSERT_TRUE(store_->sync_editions({{"e4", 5}}).is_ok());
  EXPECT_FALSE(paused().paused_at.empty()) << "the catalogue's sync keeps the pause";
  EXPECT_EQ(store_->back_office().pause_registrations("nessuna", true, "s").code(), Code::kNotFound);

  ASSERT_TRUE(store_->back_office().pause_registrations("e4", false, "staff@example.org").is_ok());
  EXPECT_TRUE(paused().paused_at.empty());
  EXPECT_TRUE(paused().paused_by.empty());
  EXPECT_EQ(reg("codec", "c@example.org").status, "confirmed");
}

TEST_P(AccountStoreTest, AMoveTakesAFreeSeatElsewhereAndGivesTheOldOneToTheFirstWaiting) {
  ASSERT_TRUE(store_->sync_editions({{"e4", 4}, {"e2", 2}}).is_ok());
  for (const char* c : {"codea", "codeb", "codec", "coded"}) reg(c, std::string(c) + "@example.org");
  ASSERT_EQ(reg("codee", "e@example.org").status, "waitlisted");
  reg("codex", "x@example.org", "e2");
  ASSERT_TRUE(store_->back_office().save_meeting_attendance("e4", {{"codea", {0}}}, 2, 50).ok());
  const auto messages_to = [this](const std::string& email) {
    const auto box = store_->outbox(false, 100);
    int n = 0;
    for (const auto& m : *box) n += m.recipient == email ? 1 : 0;
    return n;
  };
  const int before = messages_to("codea@example.org");

  auto moved = store_->move("codea", "e4", "e2");
  ASSERT_TRUE(moved.ok()) << moved.status().message();
  EXPECT_EQ(moved->edition_id, "e2");
  EXPECT_EQ(moved->status, "confirmed");
  EXPECT_FALSE(store_->find("codea")->attended) << "attendance starts again";
  EXPECT_EQ(store_->back_office().meeting_attendance("e4")->count(moved->id), 0u);
  EXPECT_EQ(store_->find("codee")->status, "confirmed") << "the freed seat went to the first waiting";
  EXPECT_EQ(messages_to("codea@example.org"), before + 1) << "the person is told";
  const auto counts = *store_->counts();
  for (const auto& c : counts) {
    if (c.edition_id == "e4") {
      EXPECT_EQ(c.taken, 4);
    }
    if (c.edition_id == "e2") {
      EXPECT_EQ(c.taken, 2);
    }
  }

  EXPECT_EQ(store_->move("codeb", "e4", "e2").status().code(), Code::kConflict) << "e2 is full";
  EXPECT_EQ(store_->move("codea", "e2", "e2").status().code(), Code::kInvalidArgument) << "already there";
  EXPECT_EQ(store_->move("codea", "e4", "e4").status().code(), Code::kConflict) << "a stale form: it left e4 already";
  EXPECT_EQ(store_->move("codeb", "e4", "nessuna").status().code(), Code::kNotFound);
  EXPECT_EQ(store_->move("nessuno", "e4", "e2").status().code(), Code::kNotFound);
  // The same address active in the target edition.
  ASSERT_TRUE(store_->cancel("codex").ok());
  reg("codey", "codeb@example.org", "e2");
  EXPECT_EQ(store_->move("codeb", "e4", "e2").status().code(), Code::kConflict);
  // A waiting person moved to a free seat is confirmed; a cancelled one
  // does not move.
  ASSERT_TRUE(store_->sync_editions({{"e4", 4}, {"e2", 2}, {"e9", 3}}).is_ok());
  reg("codew", "w@example.org");
  ASSERT_EQ(store_->find("codew")->status, "waitlisted");
  moved = store_->move("codew", "e4", "e9");
  ASSERT_TRUE(moved.ok()) << moved.status().message();
  EXPECT_EQ(moved->status, "confirmed");
  ASSERT_TRUE(store_->cancel("codec").ok());
  EXPECT_EQ(store_->move("codec", "e4", "e9").status().code(), Code::kConflict);
}

TEST_P(AccountStoreTest, TutoringCasesMoveFromNewToAssignedToDone) {
  const Registration r = reg("codet", "t@example.org");
  auto staff = accounts().add_account("tutor@example.org", Role::kStaff, "h");
  TutoringCase c;
  c.registration_id = r.id;
  c.state = "assegnata";
  EXPECT_EQ(store_->back_office().save_tutoring_case(c, std::nullopt).code(), Code::kInvalidArgument) << "nobody assigned";
  c.assignee_id = staff->id;
  c.notes = "prima telefonata";
  ASSERT_TRUE(store_->back_office().save_tutoring_case(c, std::nullopt).is_ok());
  c.state = "conclusa";
  ASSERT_TRUE(store_->back_office().save_tutoring_case(c, std::nullopt).is_ok());
  auto cases = store_->back_office().tutoring_cases();
  ASSERT_EQ(cases->size(), 1u);
  EXPECT_EQ(cases->at(r.id).state, "conclusa");
  EXPECT_EQ(cases->at(r.id).assignee_email, "tutor@example.org");
  EXPECT_EQ(cases->at(r.id).notes, "prima telefonata");
}

// «Scrivi» to one person keeps the staff's words in the edition's history;
// erasing the person takes them along (a message to a group stays whole).
TEST_P(AccountStoreTest, ErasingAPersonErasesTheStaffsMessageToThem) {
  reg("codea", "a@example.org");
  reg("codeb", "b@example.org");
  const auto copy = [](const Registration& r) {
    OutboxMessage m;
    m.subject = "Per te";
    m.body = r.first_name;
    return m;
  };
  EditionMessage one;
  one.send_key = "uno";
  one.edition_id = "e4";
  one.registration_code = "codea";
  one.subject = "Giulia, il tuo attestato";
  one.body = "Ti abbiamo sentita al 333 1234567.";
  one.sent_by = "desk@example.org";
  ASSERT_TRUE(store_->back_office().send_edition_message(one, copy).ok());
  EditionMessage all = one;
  all.send_key = "tutti";
  all.registration_code = "";
  all.statuses = {"confirmed"};
  all.subject = "Cambio aula";
  all.body = "Ci vediamo in aula 3.";
  ASSERT_TRUE(store_->back_office().send_edition_message(all, copy).ok());
  ASSERT_TRUE(store_->erase("codea").is_ok());
  auto history = store_->back_office().edition_messages("e4");
  ASSERT_TRUE(history.ok()) << history.status().message();
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[1].registration_code, "codea") << "that a message went stays";
  EXPECT_EQ((*history)[1].subject, "");
  EXPECT_EQ((*history)[1].body, "");
  EXPECT_EQ((*history)[0].body, "Ci vediamo in aula 3.");
}

TEST_P(AccountStoreTest, ErasingAPersonErasesTheStaffsNotesOnTheirTutoring) {
  const Registration r = reg("codee", "irene@example.org");
  auto staff = accounts().add_account("tutor@example.org", Role::kStaff, "h");
  TutoringCase c;
  c.registration_id = r.id;
  c.state = "assegnata";
  c.assignee_id = staff->id;
  c.notes = "Sentita Irene al 333 1234567, orto a Lucca";
  ASSERT_TRUE(store_->back_office().save_tutoring_case(c, std::nullopt).is_ok());
  ASSERT_TRUE(store_->erase("codee").is_ok());
  auto cases = store_->back_office().tutoring_cases();
  ASSERT_EQ(cases->size(), 1u);
  EXPECT_EQ(cases->at(r.id).notes, "");
  EXPECT_EQ(cases->at(r.id).state, "assegnata") << "the case itself still counts";
}

TEST_P(AccountStoreTest, TheStaffsNotesOnARegistrationAreKeptInOrderAndGoWithAnErasure) {
  const Registration r = reg("noted", "nora@example.org");
  const Registration other = reg("other", "otto@example.org");
  auto staff = accounts().add_account("segreteria@example.org", Role::kStaff, "h");
  StaffNote n;
  n.registration_id = r.id;
  n.account_id = staff->id;
  n.author = staff->email;
  n.body = "Ha telefonato: arriva in ritardo al primo incontro";
  auto first = store_->back_office().add_note(n);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_GT(first->id, 0);
  EXPECT_FALSE(first->written_at.empty());
  n.body = "Chiede la sala accessibile";
  ASSERT_TRUE(store_->back_office().add_note(n).ok());
  n.registration_id = other.id;
  n.body = "Altra persona";
  ASSERT_TRUE(store_->back_office().add_note(n).ok());
  auto mine = store_->back_office().notes({r.id});
  ASSERT_TRUE(mine.ok()) << mine.status().message();
  ASSERT_EQ(mine->size(), 2u);
  EXPECT_EQ((*mine)[0].body, "Ha telefonato: arriva in ritardo al primo incontro");
  EXPECT_EQ((*mine)[1].body, "Chiede la sala accessibile");
  EXPECT_EQ((*mine)[1].author, "segreteria@example.org");
  EXPECT_EQ(store_->back_office().notes({r.id, other.id})->size(), 3u);
  // Corrected (author and time kept), deleted; never through another
  // registration's id.
  const std::int64_t second = (*mine)[1].id;
  EXPECT_EQ(store_->back_office().change_note(second, other.id, "x").code(), Code::kNotFound);
  ASSERT_TRUE(store_->back_office().change_note(second, r.id, "Chiede la sala al piano terra").is_ok());
  EXPECT_EQ(store_->back_office().notes({r.id})->at(1).body, "Chiede la sala al piano terra");
  EXPECT_EQ(store_->back_office().notes({r.id})->at(1).written_at, (*mine)[1].written_at);
  EXPECT_EQ(store_->back_office().notes({r.id})->at(1).author, "segreteria@example.org");
  ASSERT_TRUE(store_->back_office().change_note(second, r.id, "").is_ok());
  EXPECT_EQ(store_->back_office().notes({r.id})->size(), 1u);
  EXPECT_EQ(store_->back_office().change_note(second, r.id, "di nuovo").code(), Code::kNotFound);
  // The person's data erased: the notes about them go; none can be added.
  ASSERT_TRUE(store_->erase("noted").is_ok());
  EXPECT_TRUE(store_->back_office().notes({r.id})->empty());
  n.registration_id = r.id;
  EXPECT_EQ(store_->back_office().add_note(n).status().code(), Code::kNotFound);
  EXPECT_EQ(store_->back_office().notes({other.id})->size(), 1u);
  n.registration_id = 999999;
  EXPECT_EQ(store_->back_office().add_note(n).status().code(), Code::kNotFound);
}

// The activity log's lines written before staff searches stopped logging
// the words searched lose those words when the schema is upgraded; the
// other lines stay as they were.
TEST_P(AccountStoreTest, UpgradingForgetsTheWordsOfOldStaffSearches) {
  for (const auto& [action, target, details] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"search", "persone", "ricerca: giulia.fe (2 risultati)"},
           {"list", "m03-nord", "ricerca nell'elenco iscritti: ferrero"},
           {"search", "persone", "ricerca (1 risultato: abc)"},
           {"list", "m03-nord", "elenco iscritti"},
           {"export", "m03-nord", "ricerca: non una ricerca"}}) {
    AuditEntry e;
    e.actor = "staff@example.org";
    e.address = "127.0.0.1";
    e.action = action;
    e.target = target;
    e.details = details;
    ASSERT_TRUE(accounts().append_audit(e).is_ok());
  }
  store_.reset();
  // Back to the schema before that migration (version 7): the ones after
  // it (8, reminded_at; 9, edition_messages, with 12's column; 10,
  // staff_notes; 11, taken_by_staff; 13, paused_at and paused_by; 14, the
  // index of a person's registrations) are undone too.
  const int latest = static_cast<int>(schema::kMigrationCount);
  constexpr int kForgetSearches = 7;
  ASSERT_EQ(latest, 14) << "undo the newer migrations here too";
  ASSERT_TRUE(loc_.exec("DROP INDEX registrations_active_email").is_ok());
  ASSERT_TRUE(loc_.exec("CREATE UNIQUE INDEX registrations_active_email ON registrations(edition_id, email_norm)"
                        " WHERE status IN ('pending', 'confirmed', 'waitlisted') AND email_norm IS NOT NULL")
                  .is_ok());
  ASSERT_TRUE(loc_.exec("ALTER TABLE editions DROP COLUMN paused_by").is_ok());
  ASSERT_TRUE(loc_.exec("ALTER TABLE editions DROP COLUMN paused_at").is_ok());
  ASSERT_TRUE(loc_.exec("ALTER TABLE registrations DROP COLUMN taken_by_staff").is_ok());
  ASSERT_TRUE(loc_.exec("DROP TABLE staff_notes").is_ok());
  ASSERT_TRUE(loc_.exec("DROP TABLE edition_messages").is_ok());
  ASSERT_TRUE(loc_.exec("ALTER TABLE registrations DROP COLUMN reminded_at").is_ok());
  ASSERT_TRUE(loc_.exec(GetParam() == Engine::kSqlite
                            ? "PRAGMA user_version = " + std::to_string(kForgetSearches - 1)
                            : "DELETE FROM schema_migrations WHERE version >= " + std::to_string(kForgetSearches))
                  .is_ok());
  auto s = loc_.open({}, {}, {});
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(loc_.schema_version(), latest);
  EXPECT_EQ(loc_.query("SELECT details FROM audit_log ORDER BY id"),
            (std::vector<std::string>{"ricerca (parole non conservate)",
                                      "ricerca nell'elenco iscritti (parole non conservate)",
                                      "ricerca (1 risultato: abc)", "elenco iscritti", "ricerca: non una ricerca"}));
}

INSTANTIATE_TEST_SUITE_P(Engines, AccountStoreTest, ::testing::Values(Engine::kSqlite, Engine::kPostgresql),
                         test::engine_name);

}  // namespace
}  // namespace bp::registration
