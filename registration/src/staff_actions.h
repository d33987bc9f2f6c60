// What the staff do to registrations, shared by the admin API
// (http_admin.cc) and the back-office pages (staff_*.cc): each action makes
// the change through the store and writes its line in the audit log, so the
// two doors cannot drift apart.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "http_context.h"

namespace bp::registration {

struct CancelOutcome {
  Registration cancelled;
  std::optional<Registration> promoted;  // who got the freed seat
};

// The person who would get the seat if `r` were cancelled now (the first
// waiting, when `r` holds a seat and the edition would drop below its
// capacity), or nullopt.
Result<std::optional<Registration>> who_would_be_promoted(Context& ctx, const Registration& r);

// Cancels `code` by the staff and says who was promoted.
Result<CancelOutcome> staff_cancel(Context& ctx, const Principal& who, const Req& req, const std::string& code);

struct MoveOutcome {
  Registration moved;                    // in its new edition
  std::string from;                      // the edition it left
  std::optional<Registration> promoted;  // who got the seat it left
};

// Whether «Sposta» is offered for `r`: an active registration, not erased,
// of an activity with another edition to go to (a residency has one).
bool can_be_moved(const Catalogue& catalogue, const Registration& r);
// Whether «Annulla» is offered for `r`: an active registration, not erased.
bool can_be_cancelled(const Registration& r);
// Whether «Conferma» is offered for `r`: a pending hold, or one that lapsed
// and keeps its link's token (Store::confirm says when no seat is free),
// not erased.
bool can_be_confirmed(const Registration& r);

// Moves `code` from edition `from` (the one the staff saw it in; "" for
// wherever it is) to edition `to` (Desk::move), and says who got its old
// seat.
Result<MoveOutcome> staff_move(Context& ctx, const Principal& who, const Req& req, const std::string& code,
                               const std::string& from, const std::string& to);

// Confirms the pending hold of `code` (the staff vouch for the address).
Result<Registration> staff_confirm(Context& ctx, const Principal& who, const Req& req, const std::string& code);

// Pauses (`pause`) or resumes the site's registrations to `edition_id`
// (BackOfficeStore::pause_registrations) by `who`, logged. NotFound for an
// edition not in the catalogue.
Status staff_pause(Context& ctx, const Principal& who, const Req& req, const std::string& edition_id, bool pause);

struct CorrectOutcome {
  Registration registration;         // as stored now
  std::vector<std::string> changed;  // the fields changed, in Italian ("e-mail", "cognome")
  bool links_sent = false;           // new links went to the new address
};

// The staff's correction of `code`'s contact details from the form's
// `fields` (Desk::correct_contact); the audit log names the fields changed,
// never their values. Invalid with `errors` for a field the desk refuses.
Result<CorrectOutcome> staff_correct(Context& ctx, const Principal& who, const Req& req, const std::string& code,
                                     const std::map<std::string, std::string>& fields, FieldErrors* errors);

// Sends the staff's message `m` (checked by Desk::check_edition_message) to
// its edition's participants, signed by `who`; the audit log has its subject
// and how many received it, the outbox each copy.
Result<EditionMessage> staff_write_edition(Context& ctx, const Principal& who, const Req& req, EditionMessage m);

// The person holding `r`: `r` first, then every other registration with
// the same e-mail (case apart), erased ones included, in the store's order.
// What the person page lists, the data export gives and the erasure blanks.
Result<std::vector<Registration>> registrations_of_person(Context& ctx, const Registration& r);

// GDPR erasure of the person holding `code`: every registration with the
// same e-mail is blanked by the store, and the audit log loses their e-mail
// and name; the erasure itself is logged by codes only.
Status staff_erase(Context& ctx, const Principal& who, const Req& req, const std::string& code);

// GDPR erasure of the proposer of proposal `code` on their request
// (ProposalStore::erase_proposers); the audit log loses their e-mail and
// name and logs the erasure by the code. Done already: only logged again.
Status staff_erase_proposer(Context& ctx, const Principal& who, const Req& req, const std::string& code);

// The erasure at the end of the programme (the privacy notice: data kept
// for the programme and its reporting, then erased, the anonymous counts
// kept): every person none of whose registrations is in an edition still
// running or to come at `ended_before` (Unix seconds, never later than the
// desk's now). People are told apart as staff_erase() does, by e-mail; an
// edition no longer in the catalogue counts as ended.
struct ClosingErasure {
  std::vector<Store::Erasure> registrations;  // to erase, each with its person's first code
  std::map<std::string, int> by_edition;      // edition id -> registrations to erase
  int people = 0;                             // people to erase
  int people_left = 0;                        // people with something not ended by then
  // Proposals whose course is over by then (published, rejected or
  // withdrawn, last changed before `ended_before`) and whose proposer's data
  // are still there: ProposalStore::erase_proposers.
  std::vector<std::string> proposals;
  std::vector<std::string> redact;  // the people's and proposers' e-mails and names, for the audit log
};
Result<ClosingErasure> plan_closing_erasure(Context& ctx, std::int64_t ended_before);

// Erases what plan_closing_erasure() finds at `ended_before` (read again
// now: what the page showed may have changed), the proposers' data too,
// blanks their e-mails and names in the audit log and logs one line with
// the figures; returns what was erased. Status and attendance stay, so the
// report does not change.
Result<ClosingErasure> staff_erase_closed(Context& ctx, const Principal& who, const Req& req,
                                          std::int64_t ended_before);

// Writes a line in the audit log (the guard's record()).
void audit(Context& ctx, const Principal& who, const Req& req, const std::string& action, const std::string& target,
           const std::string& details = "");

}  // namespace bp::registration
