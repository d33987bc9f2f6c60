// Issue 18, items 3 and 8 at the store level: seats held until the person
// confirms, holds that lapse, the waiting list behind them, the cap on
// pending holds per address, capacities lowered in programme.yaml, and the
// upgrade of a schema-1 database; on both engines (the conformance suite).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>

#include "bp/registration/store.h"
#include "schema_migrations.h"
#include "store_engines.h"

namespace bp::registration {
namespace {

using test::Engine;

constexpr std::int64_t kT0 = 4000000000;  // a fixed "now" (2096)
constexpr int kHold = 1800;

Composer kinds_composer() {
  return [](MessageKind kind, const Registration& r) {
    OutboxMessage m;
    m.recipient = r.email;
    m.subject = std::to_string(static_cast<int>(kind));
    m.body = r.confirm_token.empty() ? "no link" : "link " + r.confirm_token;
    return m;
  };
}

NewRegistration person(const std::string& edition, const std::string& email) {
  static int n = 0;
  NewRegistration in = test::sample_person("hold" + std::to_string(++n), edition, email);
  in.person.token_hash = std::string(32, 'x');
  in.person.confirm_token = "confirm-" + in.person.code;
  return in;
}

class HoldsTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    BP_REQUIRE_ENGINE(loc_);
    open();
  }
  void open(int hold = kHold, int cap = 2, int offer = 0) {
    store_.reset();
    StoreOptions o;
    o.hold_seconds = hold;
    o.max_pending_per_address = cap;
    o.offer_seconds = offer;
    StoreTestHooks hooks;
    hooks.clock = [this] { return now_.load(); };
    auto s = loc_.open(kinds_composer(), o, hooks);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
    ASSERT_TRUE(store_->sync_editions({{"e2", 2}, {"e3", 3}, {"e5", 5}}).is_ok());
  }
  Registration reg(const std::string& edition, const std::string& email) {
    auto r = store_->register_person(person(edition, email));
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? r->registration : Registration{};
  }
  EditionCounts counts(const std::string& edition) {
    const auto all = store_->counts();
    for (const auto& c : *all)
      if (c.edition_id == edition) return c;
    return {};
  }
  std::string last_subject_to(const std::string& email) {
    const auto box = store_->outbox(false, 1000);
    for (const auto& m : *box)
      if (m.recipient == email) return m.subject;  // newest first
    return "";
  }

  test::StoreLocation loc_{GetParam()};
  std::atomic<std::int64_t> now_{kT0};
  std::unique_ptr<Store> store_;  // closed before loc_ goes
};

TEST_P(HoldsTest, ANewRegistrationHoldsItsSeatUntilConfirmed) {
  Registration a = reg("e2", "a@x.it");
  EXPECT_EQ(a.status, "pending");
  EXPECT_EQ(a.hold_expires_at, kT0 + kHold);
  EXPECT_EQ(last_subject_to("a@x.it"), std::to_string(static_cast<int>(MessageKind::kHeld)));
  EXPECT_EQ(counts("e2").pending, 1);
  EXPECT_EQ(counts("e2").taken, 1);
  auto c = store_->confirm(a.code, {});
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->status, "confirmed");
  EXPECT_FALSE(c->confirmed_at.empty());
  EXPECT_EQ(store_->confirm(a.code, {})->status, "confirmed");  // a second click changes nothing
  EXPECT_EQ(counts("e2").confirmed, 1);
  EXPECT_EQ(counts("e2").taken, 1);
  // Now long past the hold: a confirmed seat never expires.
  now_ = kT0 + 10 * kHold;
  EXPECT_EQ(*store_->expire_holds(now_), 0);
  EXPECT_EQ(store_->find(a.code)->status, "confirmed");
}

TEST_P(HoldsTest, ARegistrationTakenByTheStaffIsConfirmedAtOnceWithoutAHold) {
  // Someone who asked by phone: the staff heard them, so no link to confirm
  // and no hold that could lapse; the message is the confirmation's.
  NewRegistration in = person("e2", "phone@x.it");
  in.person.confirm_token.clear();
  in.taken_by_staff = true;
  auto r = store_->register_person(in);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->registration.status, "confirmed");
  EXPECT_EQ(r->registration.hold_expires_at, 0);
  EXPECT_EQ(last_subject_to("phone@x.it"), std::to_string(static_cast<int>(MessageKind::kConfirmed)));
  EXPECT_EQ(counts("e2").confirmed, 1);
  EXPECT_EQ(counts("e2").taken, 1);
  now_ = kT0 + 10 * kHold;
  EXPECT_EQ(*store_->expire_holds(now_), 0);
  EXPECT_EQ(store_->find(r->registration.code)->status, "confirmed");
  // Nor does the cap on an address's holds stop the staff (cap 2 here).
  reg("e5", "busy@x.it");
  reg("e3", "busy@x.it");
  NewRegistration third = person("e2", "busy@x.it");
  third.taken_by_staff = true;
  EXPECT_EQ(store_->register_person(third)->registration.status, "confirmed");
  // A full edition still puts the person on its waiting list.
  NewRegistration late = person("e2", "late@x.it");
  late.taken_by_staff = true;
  auto waiting = store_->register_person(late);
  ASSERT_TRUE(waiting.ok()) << waiting.status().message();
  EXPECT_EQ(waiting->registration.status, "waitlisted");
  EXPECT_EQ(waiting->registration.position, 1);
  EXPECT_TRUE(store_->find(waiting->registration.code)->taken_by_staff);
  EXPECT_TRUE(store_->find(third.person.code)->taken_by_staff);
}

// Someone the staff put on the waiting list by phone may have no e-mail
// they read: when a seat frees, it is theirs, confirmed, not a hold that
// lapses unread. Someone who registered on the site gets the hold, as
// before, and is behind them only by order.
TEST_P(HoldsTest, APersonTheStaffPutOnTheWaitingListIsConfirmedWhenPromoted) {
  Registration a = reg("e2", "a@x.it");
  reg("e2", "b@x.it");
  NewRegistration phoned = person("e2", "phone@x.it");
  phoned.person.confirm_token.clear();
  phoned.taken_by_staff = true;
  auto waiting = store_->register_person(phoned);
  ASSERT_TRUE(waiting.ok()) << waiting.status().message();
  ASSERT_EQ(waiting->registration.status, "waitlisted");
  Registration site = reg("e2", "site@x.it");
  ASSERT_EQ(site.status, "waitlisted");

  ASSERT_TRUE(store_->cancel(a.code).ok());
  const Registration promoted = *store_->find(waiting->registration.code);
  EXPECT_EQ(promoted.status, "confirmed");
  EXPECT_EQ(promoted.hold_expires_at, 0);
  EXPECT_FALSE(promoted.confirmed_at.empty());
  EXPECT_FALSE(promoted.promoted_at.empty());
  EXPECT_EQ(last_subject_to("phone@x.it"), std::to_string(static_cast<int>(MessageKind::kPromoted)));
  now_ = kT0 + 10 * kHold;
  EXPECT_EQ(*store_->expire_holds(now_), 1) << "b's hold, not the promoted seat";
  EXPECT_EQ(store_->find(promoted.code)->status, "confirmed");
  // The seat b let lapse goes to the site's registration: a hold, as before.
  const Registration next = *store_->find(site.code);
  EXPECT_EQ(next.status, "pending");
  EXPECT_EQ(next.hold_expires_at, kT0 + 10 * kHold + kHold);
}

TEST_P(HoldsTest, AnUnconfirmedHoldExpiresAndTheFirstPersonWaitingGetsAHoldAndIsTold) {
  Registration a = reg("e2", "a@x.it");
  reg("e2", "b@x.it");
  Registration c = reg("e2", "c@x.it");
  Registration d = reg("e2", "d@x.it");
  ASSERT_EQ(c.status, "waitlisted");
  ASSERT_TRUE(store_->confirm(a.code, {}).ok());
  now_ = kT0 + kHold;  // b's hold ends now
  // Lazily, on access: the next read sees b expired and c holding the seat.
  auto b_now = store_->list("e2");
  ASSERT_TRUE(b_now.ok());
  EXPECT_EQ((*b_now)[1].status, "expired");
  auto promoted = store_->find(c.code);
  EXPECT_EQ(promoted->status, "pending");
  EXPECT_EQ(promoted->hold_expires_at, kT0 + 2 * kHold);
  EXPECT_FALSE(promoted->promoted_at.empty());
  EXPECT_EQ(last_subject_to("b@x.it"), std::to_string(static_cast<int>(MessageKind::kExpired)));
  EXPECT_EQ(last_subject_to("c@x.it"), std::to_string(static_cast<int>(MessageKind::kPromoted)));
  // The message to c carries a fresh confirmation link, made by the store.
  EXPECT_EQ((*store_->outbox(false, 1))[0].body.rfind("link ", 0), 0u);
  EXPECT_EQ(store_->find(d.code)->position, 1);
  // An expired hold can be neither confirmed nor cancelled.
  EXPECT_EQ(store_->confirm((*b_now)[1].code, {}).status().code(), Code::kConflict);
  EXPECT_EQ(store_->cancel((*b_now)[1].code).status().code(), Code::kConflict);
  const EditionCounts e = counts("e2");
  EXPECT_EQ(e.confirmed, 1);
  EXPECT_EQ(e.pending, 1);
  EXPECT_EQ(e.expired, 1);
  EXPECT_EQ(e.waitlisted, 1);
  EXPECT_EQ(e.taken, 2);
  // The same address may register again after its hold expired.
  now_ = kT0 + 2 * kHold;  // c's hold lapses too: d is promoted
  EXPECT_EQ(*store_->expire_holds(now_), 1);
  EXPECT_EQ(store_->find(d.code)->status, "pending");
  EXPECT_EQ(reg("e2", "b@x.it").status, "waitlisted");
}

// A seat freed for a person waiting is held for the offer (a day), not for
// a new registration's half hour: they may read their mail the next
// morning. Never past the first meeting still ahead, never under the hold.
TEST_P(HoldsTest, ASeatOfferedToAPersonWaitingLastsADayButNotPastTheFirstMeeting) {
  constexpr int kDay = 24 * 3600;
  open(kHold, 10, kDay);
  const auto offered_until = [&](std::int64_t first_meeting) {
    EXPECT_TRUE(store_->sync_editions({{"e2", 2, first_meeting}}).is_ok());
    const std::string tag = std::to_string(first_meeting);
    Registration a = reg("e2", "a" + tag + "@x.it");
    reg("e2", "b" + tag + "@x.it");
    Registration c = reg("e2", "c" + tag + "@x.it");
    EXPECT_EQ(c.status, "waitlisted");
    EXPECT_TRUE(store_->cancel(a.code).ok());
    auto promoted = store_->find(c.code);
    EXPECT_EQ(promoted->status, "pending");
    const std::int64_t until = promoted->hold_expires_at - now_;
    // Empty the edition for the next case: its people are all cancelled.
    const auto everyone = store_->list("e2");
    EXPECT_TRUE(everyone.ok());
    for (const auto& r : *everyone)
      if (r.status == "pending" || r.status == "confirmed" || r.status == "waitlisted") {
        EXPECT_TRUE(store_->cancel(r.code).ok());
      }
    return until;
  };
  EXPECT_EQ(offered_until(0), kDay);                   // no meeting (on request)
  EXPECT_EQ(offered_until(kT0 + 10 * kDay), kDay);     // a meeting well ahead
  EXPECT_EQ(offered_until(kT0 + 3 * 3600), 3 * 3600);  // until the meeting
  EXPECT_EQ(offered_until(kT0 + 600), kHold);          // never less than a new hold
  EXPECT_EQ(offered_until(kT0 - 7 * kDay), kDay);      // the edition has started
  // A new registration still gets the short hold.
  EXPECT_EQ(reg("e2", "new@x.it").hold_expires_at, kT0 + kHold);
}

// "Conferma comunque": a hold confirmed after it lapsed takes a seat again
// while one is free (nobody is waiting then); not when the seats went to
// others meanwhile, nor when the address registered again.
TEST_P(HoldsTest, ALapsedHoldIsConfirmedWhileASeatIsStillFree) {
  Registration late = reg("e2", "late@x.it");
  now_ = kT0 + kHold;
  EXPECT_EQ(*store_->expire_holds(now_), 1);
  ASSERT_EQ(store_->find(late.code)->status, "expired");
  EXPECT_EQ(counts("e2").taken, 0);
  auto again = store_->confirm(late.code, {});
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->status, "confirmed");
  EXPECT_TRUE(again->expired_at.empty());
  EXPECT_EQ(store_->find(late.code)->status, "confirmed");
  EXPECT_EQ(last_subject_to("late@x.it"), std::to_string(static_cast<int>(MessageKind::kConfirmed)));
  EditionCounts e = counts("e2");
  EXPECT_EQ(e.confirmed, 1);
  EXPECT_EQ(e.expired, 0);
  EXPECT_EQ(e.taken, 1);

  // The last seat went to someone else while the hold lapsed.
  Registration slow = reg("e2", "slow@x.it");
  now_ = kT0 + 2 * kHold;
  EXPECT_EQ(*store_->expire_holds(now_), 1);
  reg("e2", "quick@x.it");
  auto full = store_->confirm(slow.code, {});
  EXPECT_EQ(full.status().code(), Code::kConflict);
  EXPECT_EQ(full.status().message(), kHoldLapsedNoSeat);
  EXPECT_EQ(store_->find(slow.code)->status, "expired");
  EXPECT_EQ(counts("e2").taken, 2);

  // The address registered again: the new registration is the one.
  Registration first = reg("e3", "twice@x.it");
  now_ = kT0 + 3 * kHold;
  EXPECT_EQ(*store_->expire_holds(now_), 2);  // quick's and twice's
  Registration second = reg("e3", "twice@x.it");
  auto twice = store_->confirm(first.code, {});
  EXPECT_EQ(twice.status().code(), Code::kConflict);
  EXPECT_EQ(twice.status().message(), kHoldLapsedRegisteredAgain);
  EXPECT_EQ(store_->find(second.code)->status, "pending");
  EXPECT_EQ(counts("e3").taken, 1);
}

TEST_P(HoldsTest, CancellingAHeldSeatPromotesLikeAConfirmedOne) {
  Registration a = reg("e2", "a@x.it");
  reg("e2", "b@x.it");
  Registration c = reg("e2", "c@x.it");
  ASSERT_TRUE(store_->cancel(a.code).ok());
  EXPECT_EQ(store_->find(c.code)->status, "pending");
  EXPECT_EQ(counts("e2").taken, 2);
}

TEST_P(HoldsTest, OneAddressCannotHoldMoreThanItsCapOfUnconfirmedSeats) {
  reg("e2", "bot@x.it");
  reg("e3", "bot@x.it");
  auto third = store_->register_person(person("e5", "BOT@x.it"));
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(third.status().code(), Code::kConflict);
  EXPECT_NE(third.status().message().find("in attesa di conferma"), std::string::npos);
  EXPECT_EQ(counts("e5").taken, 0);
  // Confirming one frees a place under the cap.
  auto list = store_->list("e2");
  ASSERT_TRUE(store_->confirm((*list)[0].code, {}).ok());
  EXPECT_EQ(reg("e5", "bot@x.it").status, "pending");
}

TEST_P(HoldsTest, WithoutConfirmationSeatsAreConfirmedAtOnceAsBefore) {
  open(/*hold=*/0);
  EXPECT_EQ(reg("e2", "a@x.it").status, "confirmed");
  EXPECT_EQ(reg("e2", "b@x.it").status, "confirmed");
  EXPECT_EQ(reg("e2", "c@x.it").status, "waitlisted");
}

TEST_P(HoldsTest, ResendGivesNewWorkingLinksAndNothingForAnUnknownAddress) {
  Registration a = reg("e2", "a@x.it");
  reg("e5", "A@x.it");
  const auto before = store_->outbox(false, 1000)->size();
  auto sent = store_->resend_links("a@X.it");
  ASSERT_TRUE(sent.ok());
  EXPECT_EQ(*sent, 2);
  auto box = *store_->outbox(false, 1000);
  EXPECT_EQ(box.size(), before + 2);
  EXPECT_EQ(box[0].subject, std::to_string(static_cast<int>(MessageKind::kLinks)));
  auto found = store_->find(a.code);
  EXPECT_NE(found->token_hash, std::string(32, 'x'));  // a new personal token
  EXPECT_NE(found->confirm_hash, std::string(32, 'c'));
  EXPECT_EQ(*store_->resend_links("nobody@x.it"), 0);
  EXPECT_EQ(store_->outbox(false, 1000)->size(), before + 2);
}

ContactCorrection correction(const Registration& r, const std::string& email, const std::string& age_band = "") {
  return {"Ada", "Rossi", email, "Circolo Arci", r.role, r.region, age_band.empty() ? r.age_band : age_band, {}};
}

// The staff correct a mistyped address (GDPR art. 16): the new address gets
// working links and the whole hold, and the old address gets nothing more.
TEST_P(HoldsTest, ACorrectedAddressGetsNewLinksAndAFullHoldAndTheOldLinksStop) {
  Registration a = reg("e2", "a@x.it");
  ASSERT_EQ(a.status, "pending");
  now_ += kHold - 100;  // the hold would lapse in 100 s
  ASSERT_NE(a.age_band, "over-35");
  auto fixed = store_->correct_contact(a.code, correction(a, "ada@x.it", "over-35"));
  ASSERT_TRUE(fixed.ok()) << fixed.status().message();
  EXPECT_FALSE(fixed->token.empty());
  EXPECT_FALSE(fixed->confirm_token.empty());
  EXPECT_EQ(fixed->hold_expires_at, now_.load() + kHold);
  auto found = store_->find(a.code);
  EXPECT_EQ(found->email, "ada@x.it");
  EXPECT_EQ(found->first_name, "Ada");
  EXPECT_EQ(found->organisation, "Circolo Arci");
  EXPECT_EQ(found->age_band, "over-35");       // the funder's report counts it
  EXPECT_NE(found->token_hash, a.token_hash);  // the old personal link stops working
  EXPECT_NE(found->confirm_hash, std::string(32, 'c'));
  // The held message to the old address would carry dead links: it goes.
  const auto waiting = store_->outbox(/*undelivered_only=*/true, 1000);
  ASSERT_TRUE(waiting.ok());
  for (const auto& m : *waiting) EXPECT_NE(m.recipient, "a@x.it");
  EXPECT_EQ(last_subject_to("ada@x.it"), std::to_string(static_cast<int>(MessageKind::kCorrected)));
  // Past the old deadline the seat is still held for the new address.
  now_ += 200;
  EXPECT_EQ(store_->find(a.code)->status, "pending");
  EXPECT_TRUE(store_->confirm(a.code, {}).ok());
}

TEST_P(HoldsTest, ACorrectionToAnAddressActiveInTheSameEditionIsRefused) {
  Registration a = reg("e5", "a@x.it");
  Registration b = reg("e5", "b@x.it");
  auto fixed = store_->correct_contact(a.code, correction(a, "B@x.it"));
  ASSERT_FALSE(fixed.ok());
  EXPECT_EQ(fixed.status().code(), Code::kConflict);
  EXPECT_NE(fixed.status().message().find(b.code), std::string::npos) << fixed.status().message();
  EXPECT_EQ(store_->find(a.code)->email, "a@x.it");
  EXPECT_EQ(store_->find(a.code)->first_name, "Giulia");
  // Another edition's registration of that address is no obstacle.
  reg("e3", "c@x.it");
  EXPECT_TRUE(store_->correct_contact(a.code, correction(a, "c@x.it")).ok());
}

// One place per person among an activity's editions holds for the staff's
// corrections too. A child under 14 is a person of their own: a child's
// mistyped address corrected to the parent's, who holds a place, stands; a
// child's name corrected to a brother's already there is refused by name,
// not by the database's generic conflict.
TEST_P(HoldsTest, ACorrectionKeepsOnePlacePerPersonAmongTheActivitysEditions) {
  Registration a = reg("e5", "a@x.it");
  Registration b = reg("e3", "b@x.it");
  ContactCorrection onto_b = correction(a, "b@x.it");
  onto_b.sibling_editions = {"e3"};
  auto refused = store_->correct_contact(a.code, onto_b);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), Code::kConflict);
  EXPECT_NE(refused.status().message().find("all'edizione e3 della stessa attività (codice " + b.code + ")"),
            std::string::npos)
      << refused.status().message();
  EXPECT_EQ(store_->find(a.code)->email, "a@x.it");
  // e3 of another activity: no obstacle.
  EXPECT_TRUE(store_->correct_contact(a.code, correction(a, "b@x.it")).ok());

  auto child = [&](const std::string& first, const std::string& email) {
    NewRegistration in = person("e5", email);
    in.person.first_name = first;
    in.person.last_name = "Bianchi";
    in.person.guardian_name = "Marta Bianchi";
    in.person.guardian_consent = true;
    in.person.age_band = "under-14";
    auto r = store_->register_person(in);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? r->registration : Registration{};
  };
  reg("e5", "marta@x.it");  // the parent
  Registration luca = child("Luca", "marta@x.it");
  Registration anna = child("Anna", "mrta@x.it");
  ContactCorrection fix = {"Anna", "Bianchi", "marta@x.it", "", anna.role, anna.region, anna.age_band, {}};
  auto fixed = store_->correct_contact(anna.code, fix);
  ASSERT_TRUE(fixed.ok()) << fixed.status().message();
  EXPECT_EQ(store_->find(anna.code)->email, "marta@x.it");
  fix.first_name = "LUCA";
  auto twin = store_->correct_contact(anna.code, fix);
  ASSERT_FALSE(twin.ok());
  EXPECT_EQ(twin.status().message(),
            "LUCA Bianchi con l'indirizzo marta@x.it ha già un'iscrizione attiva a questa "
            "edizione (codice " +
                luca.code + "): annulla una delle due prima di correggere i dati");
  EXPECT_EQ(store_->find(anna.code)->first_name, "Anna");
}

// «Conferma comunque» of a lapsed hold is refused, in the store's own
// transaction, while the person holds a place in another edition of the
// activity (two requests at once cannot both pass).
TEST_P(HoldsTest, ALapsedHoldIsNotTakenAgainOverAPlaceInAnotherEditionOfItsActivity) {
  Registration a = reg("e5", "a@x.it");
  now_ += kHold + 1;
  ASSERT_TRUE(store_->expire_holds(now_.load()).ok());
  ASSERT_EQ(store_->find(a.code)->status, "expired");
  reg("e3", "A@x.it");
  auto late = store_->confirm(a.code, {"e2", "e3"});
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.status().message(), kAlreadyInActivity);
  EXPECT_EQ(store_->find(a.code)->status, "expired");
  EXPECT_EQ(counts("e5").taken, 0);
  // e3 of another activity: the seat is taken again.
  auto again = store_->confirm(a.code, {"e2"});
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->status, "confirmed");
}

TEST_P(HoldsTest, ANameCorrectionSendsNothingAndKeepsTheLinks) {
  Registration a = reg("e2", "a@x.it");
  const auto before = store_->outbox(false, 1000)->size();
  auto fixed = store_->correct_contact(a.code, correction(a, "A@x.it"));  // the case of the address only
  ASSERT_TRUE(fixed.ok()) << fixed.status().message();
  EXPECT_TRUE(fixed->token.empty());
  auto found = store_->find(a.code);
  EXPECT_EQ(found->last_name, "Rossi");
  EXPECT_EQ(found->email, "A@x.it");
  EXPECT_EQ(found->token_hash, a.token_hash);
  EXPECT_EQ(store_->outbox(false, 1000)->size(), before);
  // A cancelled registration's address is corrected without a message, and
  // what still waited for the old address is not sent there.
  ASSERT_TRUE(store_->cancel(a.code).ok());
  ASSERT_TRUE(store_->correct_contact(a.code, correction(a, "ada@x.it")).ok());
  EXPECT_EQ(store_->find(a.code)->email, "ada@x.it");
  EXPECT_EQ(last_subject_to("ada@x.it"), "");
  EXPECT_TRUE(store_->outbox(/*undelivered_only=*/true, 1000)->empty());
}

TEST_P(HoldsTest, AnErasedOrUnknownRegistrationCannotBeCorrected) {
  Registration a = reg("e2", "a@x.it");
  ASSERT_TRUE(store_->erase(a.code).is_ok());
  auto erased = store_->correct_contact(a.code, correction(a, "ada@x.it"));
  ASSERT_FALSE(erased.ok());
  EXPECT_EQ(erased.status().code(), Code::kConflict);
  EXPECT_TRUE(store_->find(a.code)->email.empty());
  EXPECT_EQ(store_->correct_contact("NOSUCHCODE", correction(a, "ada@x.it")).status().code(), Code::kNotFound);
}

// Finding: "lowering an edition's capacity below its confirmed count and
// restarting keeps the old capacity; a cancellation then promotes".
TEST_P(HoldsTest, ALoweredCapacityPromotesNobodyUntilTheConfirmedFallBelowIt) {
  open(/*hold=*/0);
  Registration a = reg("e3", "a@x.it");
  Registration b = reg("e3", "b@x.it");
  Registration c = reg("e3", "c@x.it");
  Registration w = reg("e3", "w@x.it");
  ASSERT_EQ(w.status, "waitlisted");
  ASSERT_TRUE(store_->sync_editions({{"e3", 1}}).is_ok());  // programme.yaml now says 1
  open(/*hold=*/0);                                           // a restart
  ASSERT_TRUE(store_->sync_editions({{"e3", 1}}).is_ok());
  EditionCounts e = counts("e3");
  EXPECT_EQ(e.capacity, 1);  // the stored capacity follows the catalogue
  EXPECT_EQ(e.confirmed, 3);  // nobody lost a seat
  ASSERT_TRUE(store_->cancel(a.code).ok());
  EXPECT_EQ(store_->find(w.code)->status, "waitlisted") << "promoted with 2 confirmed for 1 seat";
  ASSERT_TRUE(store_->cancel(b.code).ok());
  EXPECT_EQ(store_->find(w.code)->status, "waitlisted") << "promoted with 1 confirmed for 1 seat";
  EXPECT_EQ(reg("e3", "n@x.it").status, "waitlisted");
  ASSERT_TRUE(store_->cancel(c.code).ok());
  EXPECT_EQ(store_->find(w.code)->status, "confirmed");  // now there is room
  e = counts("e3");
  EXPECT_EQ(e.confirmed, 1);
  EXPECT_EQ(e.taken, 1);
}

TEST_P(HoldsTest, TheSeatCounterCanNeverGrowPastTheCapacity) {
  reg("e2", "a@x.it");
  EXPECT_EQ(loc_.exec("UPDATE editions SET taken = 3 WHERE id = 'e2'").code(), Code::kConflict);
  // Lowering the capacity below the counter is what sync_editions does.
  EXPECT_TRUE(loc_.exec("UPDATE editions SET capacity = 0 WHERE id = 'e2'").is_ok());
}

class HoldsMigration : public ::testing::TestWithParam<Engine> {};

// The schema-1 rows every engine starts from (SQLite spells bytes x'00').
const char* kSchemaOneRows = R"sql(
INSERT INTO editions VALUES ('e2', 2, 2);
INSERT INTO registrations(code, token_hash, edition_id, status, email, email_norm, consent, consent_at,
  privacy_version, created_at) VALUES
  ('old1', BYTES, 'e2', 'confirmed', 'a@x.it', 'a@x.it', 1, 'c', '2026-11', '2026-11-26T10:00:00Z'),
  ('old2', BYTES, 'e2', 'confirmed', 'b@x.it', 'b@x.it', 1, 'c', '2026-11', '2026-11-26T10:00:00Z'),
  ('old3', BYTES, 'e2', 'waitlisted', 'c@x.it', 'c@x.it', 1, 'c', '2026-11', '2026-11-26T10:00:00Z');
INSERT INTO outbox(registration_id, recipient, subject, body, created_at) VALUES (3, 'c@x.it', 's', 'b', 'c');
)sql";

std::string schema_one_rows(const std::string& bytes) {
  std::string sql = kSchemaOneRows;
  for (auto at = sql.find("BYTES"); at != std::string::npos; at = sql.find("BYTES"))
    sql.replace(at, 5, bytes);
  return sql;
}

TEST_P(HoldsMigration, ASchemaOneDatabaseIsUpgradedWithItsRegistrations) {
  test::StoreLocation loc(GetParam());
  BP_REQUIRE_ENGINE(loc);
  if (GetParam() == Engine::kPostgresql) {
    // Version 1 as the shared list has it, recorded as a store would.
    ASSERT_TRUE(loc.exec(std::string(schema::kMigrations[0].postgresql) +
                         "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, summary TEXT NOT NULL,"
                         " applied_at TIMESTAMPTZ NOT NULL DEFAULT now());"
                         "INSERT INTO schema_migrations(version, summary) VALUES (1, 'v1');" +
                         schema_one_rows("'\\x00'::bytea"))
                    .is_ok());
  } else {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((loc.data_dir() / "registrations.sqlite3").c_str(), &db), SQLITE_OK);
    // The schema-1 tables as an existing installation has them.
    ASSERT_EQ(sqlite3_exec(db, (R"sql(
CREATE TABLE editions (id TEXT PRIMARY KEY, capacity INTEGER NOT NULL CHECK (capacity >= 0),
  taken INTEGER NOT NULL DEFAULT 0, CHECK (taken >= 0 AND taken <= capacity));
CREATE TABLE registrations (id INTEGER PRIMARY KEY AUTOINCREMENT, code TEXT NOT NULL UNIQUE,
  token_hash BLOB NOT NULL, edition_id TEXT NOT NULL REFERENCES editions(id),
  status TEXT NOT NULL CHECK (status IN ('confirmed', 'waitlisted', 'cancelled')),
  first_name TEXT, last_name TEXT, email TEXT, email_norm TEXT, organisation TEXT,
  role TEXT, region TEXT, age_band TEXT, guardian_name TEXT,
  guardian_consent INTEGER NOT NULL DEFAULT 0, consent INTEGER NOT NULL CHECK (consent = 1),
  consent_at TEXT NOT NULL, privacy_version TEXT NOT NULL, notes TEXT, topic TEXT, needs TEXT,
  created_at TEXT NOT NULL, cancelled_at TEXT, promoted_at TEXT, erased_at TEXT,
  attended INTEGER NOT NULL DEFAULT 0);
CREATE UNIQUE INDEX registrations_active_email ON registrations(edition_id, email_norm)
  WHERE status <> 'cancelled' AND email_norm IS NOT NULL;
CREATE INDEX registrations_edition_status ON registrations(edition_id, status, id);
CREATE TABLE idempotency (key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL,
  registration_id INTEGER NOT NULL REFERENCES registrations(id), answer_url TEXT NOT NULL,
  status TEXT NOT NULL, position INTEGER NOT NULL, created_at INTEGER NOT NULL);
CREATE TABLE outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, registration_id INTEGER REFERENCES registrations(id),
  recipient TEXT NOT NULL, subject TEXT NOT NULL, body TEXT NOT NULL, created_at TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL DEFAULT 0, delivered_at TEXT,
  last_error TEXT);
PRAGMA user_version = 1;
)sql" + schema_one_rows("x'00'")).c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  StoreOptions o;
  o.hold_seconds = kHold;
  auto s = loc.open(kinds_composer(), o);
  ASSERT_TRUE(s.ok()) << s.status().message();
  auto store = std::move(*s);
  EXPECT_EQ(store->find("old1")->status, "confirmed");
  EXPECT_FALSE(store->find("old1")->confirmed_at.empty());
  EXPECT_EQ(store->find("old3")->position, 1);
  EXPECT_EQ(store->messages_for(3)->size(), 1u);
  // The new rules work on the upgraded tables: a cancellation hands a held seat on.
  ASSERT_TRUE(store->cancel("old1").ok());
  EXPECT_EQ(store->find("old3")->status, "pending");
  EXPECT_EQ(store->register_person(person("e2", "c@x.it")).status().code(), Code::kConflict);
  EXPECT_EQ(loc.schema_version(), static_cast<int>(schema::kMigrationCount));
}

INSTANTIATE_TEST_SUITE_P(Engines, HoldsTest, ::testing::Values(Engine::kSqlite, Engine::kPostgresql),
                         test::engine_name);
INSTANTIATE_TEST_SUITE_P(Engines, HoldsMigration, ::testing::Values(Engine::kSqlite, Engine::kPostgresql),
                         test::engine_name);

}  // namespace
}  // namespace bp::registration
