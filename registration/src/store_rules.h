// What both store engines do to a registration inside their transactions, so
// SQLite and PostgreSQL cannot drift apart: token sizes, how addresses are
// compared, how links are renewed and how a waiting person gets a seat. The
// engines own the SQL; these functions only change the Registration value.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "bp/registration/store.h"

namespace bp::registration {

// Personal and confirmation tokens: 160 bits, as the Desk's.
inline constexpr int kTokenBytes = 20;

// How long a request's idempotency key is remembered.
inline constexpr std::int64_t kIdempotencyTtl = 24 * 3600;

// `s` with A–Z lowered: how addresses are compared (email_norm). Other bytes,
// UTF-8 included, are left alone.
std::string lower_ascii(std::string s);

// Issues `r` a fresh personal link (token in clear for the message, its hash
// for the row) and, while `r` is pending, a fresh confirmation link too; a
// registration in another status keeps no confirmation hash change.
void renew_links(Registration& r);

// Applies the staff's correction `c` to `r` (Store::correct_contact) and
// says whether the address changed, case apart. When it did and `r` is
// active (pending, confirmed, waiting), its links are renewed, and a pending
// hold runs at least until `now` + `hold_seconds`.
bool apply_correction(Registration& r, const ContactCorrection& c, std::int64_t now, int hold_seconds);

// Whether `status` blocks a second registration of the address in the
// edition (pending, confirmed, waitlisted).
bool is_active(const std::string& status);

// The parent or guardian who registered `r`, a child under 14, as the staff
// call them and the e-mails greet them; "" for anyone else, and once the
// person's data are erased.
std::string guardian_of(const Registration& r);

// Whether `a` and `b` are registrations of one person: the same address,
// ASCII case apart, and either both a child's (a guardian's name) with the
// same first and last name, case apart (every letter's), or neither. The one definition: the
// engines select an address's active rows and keep those this accepts.
bool same_person(const Registration& a, const Registration& b);

// An active registration (pending, confirmed, waiting) of one person: its
// edition and code. What an engine reads (its `places_of`) before a person
// takes, takes again or keeps a place.
struct HeldPlace {
  std::string edition_id, code;
};

// The first of `held` in `edition`, else the first in one of `siblings`;
// nullptr when there is none.
const HeldPlace* held_among(const std::vector<HeldPlace>& held, const std::string& edition,
                            const std::vector<std::string>& siblings);

// Why `in` cannot be registered, given the same person's places `held`:
// Conflict with already_registered for its own edition, with
// already_in_activity for another edition of its activity
// (NewRegistration::sibling_editions); Ok otherwise.
Status duplicate_refusal(const NewRegistration& in, const std::vector<HeldPlace>& held);

// Why the lapsed hold `r` cannot take its seat again («Conferma comunque»),
// given the same person's other places `held`: kHoldLapsedRegisteredAgain
// in its edition, kAlreadyInActivity in one of `siblings`; Ok otherwise.
Status registered_since(const Registration& r, const std::vector<std::string>& siblings,
                        const std::vector<HeldPlace>& held);

// `r` with the address and names of correction `c`: the person it will be.
Registration corrected_person(const Registration& r, const ContactCorrection& c);

// Why correction `c` of `r` cannot stand, given the corrected person's
// other places `held`: Conflict naming the other registration in the same
// edition or in one of `c.sibling_editions`; Ok otherwise.
Status correction_refusal(const Registration& r, const ContactCorrection& c, const std::vector<HeldPlace>& held);
// The Conflict of a correction to an erased registration.
Status nothing_to_correct();

// Why a hold that is neither confirmed, lapsed nor waiting cannot be
// confirmed: Conflict for an erased registration (its data are gone) and for
// a cancelled one; Ok for a pending hold.
Status check_confirm(const Registration& r);

// Why registration `r` cannot move from edition `from` to edition `to`
// before the seat is looked at (Store::move): Conflict when it is no longer
// in `from`, Invalid for its own edition, Conflict when it is not active or
// erased; Ok otherwise.
Status check_move(const Registration& r, const std::string& from, const std::string& to);
// The Conflict of a move to an edition without a free seat.
Status no_seat_to_move(const std::string& to);
// The Conflict of a move to edition `to`, where the address has the active
// registration `other_code`.
Status already_in(const std::string& to, const std::string& other_code);
// `r` in edition `to`: the status a move gives it (waiting becomes
// confirmed at `now`, the others keep theirs), no position, attendance and
// certificate cleared.
void apply_move(Registration& r, const std::string& to, const std::string& now);

// The waiting person `next` gets the freed seat at `now`: `promoted_at` set;
// with `hold_until` > 0 pending until then with a new confirmation link,
// otherwise confirmed at once.
void promote(Registration& next, std::int64_t now, std::int64_t hold_until);

// How long a seat freed for the first person waiting is held, before the
// first meeting cuts it (StoreOptions::offer_seconds): never less than a new
// registration's hold; 0 when holds are off. The store, the messages and
// the programme page all say this one figure.
int offer_hold_seconds(int hold_seconds, int offer_seconds);

// Until when a seat freed at `now` in an edition is held for the first
// person waiting (StoreOptions::offer_seconds): both engines ask it, and
// learn the editions' first meetings from Store::sync_editions.
// Thread-safe.
class OfferTerms {
 public:
  OfferTerms(int hold_seconds, int offer_seconds);

  // Remembers each edition's first meeting (the last call wins).
  void learn(const std::vector<EditionSeats>& editions);

  // 0 when holds are off (the person is confirmed at once); else `now` +
  // the offer, cut to the edition's first meeting when that comes sooner,
  // and never shorter than a new registration's hold.
  std::int64_t hold_until(const std::string& edition, std::int64_t now) const;

  // Whether a seat freed at `now` goes to the first person waiting: not
  // once the edition has ended (EditionSeats::ends); they would be told
  // «Si è liberato un posto» for a course already over, and counted in it.
  bool fills_freed_seats(const std::string& edition, std::int64_t now) const;

 private:
  const int hold_seconds_;
  const int offer_seconds_;
  mutable std::mutex mu_;
  std::map<std::string, std::int64_t> first_meeting_;
  std::map<std::string, std::int64_t> ends_;
};

// Many texts found in a string in one reading, ASCII capitals apart (an
// address typed «Giulia@Example.org» is the same address): each text is
// filed under its first four bytes, looked up at every position. Texts of
// three bytes or fewer are left out (they would blank parts of words). What
// an erasure blanks in free text: the audit log, the editors' comments.
class Redactor {
 public:
  explicit Redactor(const std::vector<std::string>& texts);
  bool empty() const { return by_start_.empty(); }
  // `s` with each occurrence of a text replaced by `replacement`, left to
  // right and the longest text first at each place, as SQL's REPLACE does
  // for one text.
  std::string apply(const std::string& s, const std::string& replacement) const;

 private:
  std::unordered_map<std::string, std::vector<std::string>> by_start_;
};

}  // namespace bp::registration
