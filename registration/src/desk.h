// The registration desk: the rules of issue 4 (validation, open editions,
// tutoring requests, tokens) on top of a Store. Knows nothing of HTTP.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "bp/catalogue.h"
#include "bp/civil_time.h"
#include "bp/italian_date.h"  // the texts for people write dates with it
#include "bp/registration/back_office_store.h"
#include "bp/registration/store.h"
#include "bp/status.h"
#include "bp/taxonomy.h"

namespace bp::registration {

// One answer the registration form offers: the code stored and sent by the
// API, and the words the form shows (and the staff pages repeat).
struct Choice {
  std::string code;
  std::string label;
};
// The roles a person may declare ("volontario" / "Volontaria/volontario").
const std::vector<Choice>& role_choices();
// The age bands: under-14, 14-17, 18-35, over-35 ("meno di 14 anni", …).
const std::vector<Choice>& age_band_choices();
// The codes of `choices`, in order (the API's `form.roles`, `form.age_bands`).
std::vector<std::string> choice_codes(const std::vector<Choice>& choices);
// The form's words for `code`; the code itself when `choices` lacks it (data
// stored by an older version).
std::string choice_label(const std::vector<Choice>& choices, const std::string& code);

// Why `email` is not a usable e-mail address, in Italian; "" when it is.
std::string email_address_problem(const std::string& email);

// Field name -> Italian message, for 400 answers and the HTML form.
using FieldErrors = std::map<std::string, std::string>;

struct DeskOptions {
  std::string public_base_url = "http://localhost:8080";
  // Version of the privacy notice recorded with every consent (what the
  // client sends is ignored).
  std::string privacy_version = "2026-12";
  // The store's hold (StoreOptions::hold_seconds): > 0 makes a confirmation
  // token for each registration; 0 means confirmed at once.
  int hold_seconds = 0;
  // Seconds since the epoch; empty means the system clock (tests set it).
  std::function<std::int64_t()> clock;
};

struct RegisterResult {
  // ok; invalid (see `fields`); conflict (duplicate e-mail, reused
  // Idempotency-Key); io (store unavailable).
  Status status;
  FieldErrors fields;
  RegisterOutcome outcome;  // when ok
  bool honeypot = false;    // a bot filled the hidden field: nothing stored
};

class Desk {
 public:
  // Keeps references to `store`; `catalogue` and `taxonomy` are copied.
  Desk(Catalogue catalogue, Taxonomy taxonomy, Store& store, DeskOptions options);

  // Validates the submitted fields (strings; booleans as "true"/"on"/"1")
  // and registers. `idempotency_key` may be empty. The Idempotency-Key's
  // fingerprint covers every submitted field. A filled honeypot field
  // (`website`) after valid fields gives an answer shaped like a real one
  // (`honeypot` set) and stores nothing.
  RegisterResult register_person(const std::map<std::string, std::string>& fields,
                                 const std::string& idempotency_key);
  // The staff's registration of a person who asked by phone or at a desk:
  // the same fields and checks (`consent`: the person agreed to the privacy
  // notice when told it), then confirmed at once when a seat is free, with
  // no link to confirm (NewRegistration::taken_by_staff); a full edition
  // puts them on its waiting list. The person gets the usual message with
  // their personal link. No honeypot, no Idempotency-Key.
  RegisterResult register_by_staff(const std::map<std::string, std::string>& fields);

  // The registration `code` if `token` is its confirmation token (constant-
  // time check; still true once confirmed, and after the hold lapsed).
  // NotFound for an unknown code or a wrong token alike; Conflict when the
  // hold expired before lapsed holds kept their token.
  Result<Registration> check_confirm_token(const std::string& code, const std::string& token);
  // check_confirm_token() then Store::confirm(); a lapsed hold only while
  // its edition takes registrations (lapsed_refusal).
  Result<Registration> confirm(const std::string& code, const std::string& token);
  // Why the lapsed hold `r` cannot be confirmed any more by its edition's
  // dates (closed, begun, past the deadline, gone from the calendar), in
  // Italian; "" when its edition still takes registrations (the seat is the
  // store's to check).
  std::string lapsed_refusal(const Registration& r) const;
  // Why the lapsed hold `r` cannot take its seat again because its person
  // (same_person) registered since, in its edition or another edition of
  // its activity (kHoldLapsedRegisteredAgain, kAlreadyInActivity); "" when
  // not. The confirmation page's early answer: Store::confirm decides.
  std::string registered_again(const Registration& r);
  // The other editions of `edition_id`'s activity that have not ended: a
  // person holds one place among them (NewRegistration::sibling_editions).
  // None when `edition_id` itself has ended: a registration there holds no
  // place in its activity, so it meets no other edition's.
  std::vector<std::string> sibling_editions(const std::string& edition_id) const;

  // Sends new personal links to `email` (Store::resend_links). Invalid with
  // `errors` for a malformed address; Ok whether or not it is registered.
  Status resend_links(const std::string& email, FieldErrors* errors);

  // The staff's correction of registration `code`'s contact details (name,
  // e-mail, organisation, role, region: the fields of `fields` the form
  // sends), validated as a registration's are; then Store::correct_contact.
  // Invalid with `errors`; otherwise as the store says.
  Result<Registration> correct_contact(const std::string& code, const std::map<std::string, std::string>& fields,
                                       FieldErrors* errors);

  // The registration `code` if `token` is its token (constant-time check);
  // NotFound for an unknown code or a wrong token alike.
  Result<Registration> authorise(const std::string& code, const std::string& token);
  // authorise(), cancel_refusal() (Conflict with its reason), then
  // Store::cancel().
  Result<Registration> cancel(const std::string& code, const std::string& token);
  // Why the person cannot cancel `r` themselves any more, in Italian; ""
  // when they can. A seat confirmed for an edition that has begun (for
  // tutoring: that has ended) stays: the meetings held and the attendance
  // are the programme's record, which the funder's report counts, and the
  // seat could go to nobody (an edition that has begun takes nobody new).
  // A place on the waiting list or a hold can be given up until the edition
  // ends; after, there is nothing left to give up. The staff's own
  // cancellation is not bound by this.
  std::string cancel_refusal(const Registration& r) const;

  // Whether `e` takes registrations now by its dates and the catalogue;
  // `why` gets the Italian reason.
  bool is_open(const Edition& e, std::string* why = nullptr) const;
  // The same, and not paused by the staff (`counts`, e's Store::counts(),
  // has no paused_at): what the public pages say.
  bool is_open(const Edition& e, const EditionCounts& counts, std::string* why = nullptr) const;
  // Whether the staff can still register someone to `e`
  // (register_by_staff): until it ends, past its deadline and after it
  // began too (a stand-in on a residency's first day), unless closed
  // (`open: false`); `why` gets the Italian reason.
  bool takes_staff_registrations(const Edition& e, std::string* why = nullptr) const;

  // Attendance is taken from the start of a meeting, never ahead (a
  // certificate for meetings not held). One flag per meeting of `e`: has it
  // begun by now?
  std::vector<bool> meetings_begun(const Edition& e) const;
  // When `e` begins, "YYYY-MM-DDTHH:MM" in Europe/Rome: its first meeting,
  // or its start when it has none; and whether that is past.
  std::string begins_local(const Edition& e) const;
  bool has_begun(const Edition& e) const;
  // The editions with dated meetings (has_calendar) whose first meeting
  // begins within `hours` from now, not yet begun: their confirmed people
  // get the reminder (BackOfficeStore::queue_reminders).
  std::vector<const Edition*> editions_to_remind(int hours) const;

  // Checks the staff's message to an edition's participants in place: both
  // lose their outer spaces, soft hyphens and byte order marks, the text its
  // carriage returns. False with `errors`: "subject" missing, over 150
  // characters, with a control character (then blanked, so the form never
  // shows it again) or an invisible one; "body" missing, over 10,000
  // characters or with a control character other than tabs and line
  // breaks; "statuses" none, or one other than confirmed, pending,
  // waitlisted.
  bool check_edition_message(EditionMessage* m, FieldErrors* errors) const;
  // Sends the checked `m` (BackOfficeStore::send_edition_message), each
  // person's copy by edition_message_copy().
  Result<EditionMessage> send_edition_message(const EditionMessage& m);

  // Why registration `r` cannot move to edition `to` (the staff's «Sposta»),
  // in Italian; "" when it can: its own edition not over (its attendance
  // and certificate stay there), `to` another edition of the same activity
  // that has not begun (on-request tutoring: not over); closed or past its
  // deadline is fine, the staff decide. Seats and statuses are the store's
  // to check (Store::move).
  std::string move_refusal(const Registration& r, const Edition& to) const;
  // move_refusal(), then Store::move() from `from`, the edition the staff
  // saw it in. NotFound for an unknown code or edition; Invalid with the
  // refusal; Conflict when it is no longer in `from`; otherwise as the
  // store says.
  Result<Registration> move(const std::string& code, const std::string& from, const std::string& to);

  // The editions the person of `r` may move to by themselves («Cambia
  // edizione» on their page): the other editions of its activity that the
  // public form takes registrations for now by the catalogue (is_open) and
  // that move_refusal() allows, while `r` is active (waiting, held or
  // confirmed) and its own edition has not begun (the meetings held and
  // their attendance stay where they are: then the staff decide). Not for
  // tutoring (one edition per hub, always running), nor for a place on a
  // waiting list when holds are on (Store::move would confirm it without
  // the address's check). Pauses and seats are the store's counts:
  // move_own() checks them.
  std::vector<const Edition*> own_move_targets(const Registration& r) const;
  // authorise(); Conflict, with the reason in Italian, when `to` is not
  // one of own_move_targets(r) or its registrations are paused; then
  // Store::move() (Conflict when `to` has no free seat or the address is
  // already there).
  Result<Registration> move_own(const std::string& code, const std::string& token, const std::string& to);

  // <base>/iscrizione/<code>?token=<token>: the person's page.
  std::string manage_url(const std::string& code, const std::string& token) const;

  const Catalogue& catalogue() const { return catalogue_; }
  const Taxonomy& taxonomy() const { return taxonomy_; }
  const DeskOptions& options() const { return options_; }
  Store& store() { return store_; }
  std::int64_t now() const;

 private:
  // Normalised registration and errors per field.
  // `by_staff`: the edition is checked by takes_staff_registrations(), not
  // is_open().
  Registration validate(const std::map<std::string, std::string>& f, FieldErrors* errors, bool by_staff = false) const;
  // The contact part of validate(): names, e-mail, organisation, role and
  // region into `person`.
  void validate_contact(const std::map<std::string, std::string>& f, Registration* person, FieldErrors* errors) const;
  RegisterResult honeypot(const Registration& person);
  RegisterResult register_fields(const std::map<std::string, std::string>& fields, const std::string& idempotency_key,
                                 bool by_staff);

  Catalogue catalogue_;
  Taxonomy taxonomy_;
  Store& store_;
  DeskOptions options_;
};

// Participation per edition, activity, hub and kind, against the targets.
struct Tally {
  int capacity = 0, taken = 0;
  int pending = 0, confirmed = 0, waitlisted = 0, cancelled = 0, expired = 0, attended = 0;
  // Editions only: more seats taken (pending + confirmed) than the capacity,
  // after the capacity was lowered in programme.yaml.
  bool over_capacity = false;
};
struct Stats {
  std::map<std::string, Tally> by_edition, by_activity, by_hub, by_kind;
  std::map<std::string, int> targets;  // kind -> target
  Tally total;
};
Stats compute_stats(const Catalogue& catalogue, const std::vector<EditionCounts>& counts);

// When edition `e` of `a` takes place, in Italian, as the messages, the
// receipt and the personal page say it ("dal 2 febbraio 2027, ore 17:00 al
// … (ora italiana)"; tutoring: on request, until its end).
std::string edition_when(const Activity& a, const Edition& e);
// Where edition `e` of `a` (null: unknown) takes place, in Italian, lower
// case: its city, "online", or for tutoring "online o in presenza" (the
// tutor agrees it with the person), as every page and message says it.
std::string edition_where(const Activity* a, const Edition& e);
// One edition among others of the same activity, for a choice between
// them: "Centro · online · dal 2 marzo 2099, ore 17:00 al 23 marzo 2099,
// ore 19:00" (the staff's «Sposta», the person's «Cambia edizione»).
std::string edition_choice_label(const Taxonomy& taxonomy, const Activity* a, const Edition& e);
// When `e` begins, "YYYY-MM-DDTHH:MM" in Europe/Rome: its first meeting, or
// its start when it has none (Desk::begins_local).
std::string first_meeting_local(const Edition& e);

// "24 ore", "1 ora", "30 minuti": how long a hold lasts, as the messages
// and the programme say it.
std::string hold_length(int seconds);

// The outbox messages (Italian) for `r`, built from the catalogue, with the
// person's links when the registration carries its clear tokens.
// `hold_seconds` is the store's hold (0: no confirmation) and
// `offer_seconds` the hold of a seat offered to a person waiting
// (StoreOptions), for the wording.
Composer make_composer(const Catalogue& catalogue, std::string public_base_url, int hold_seconds = 0,
                       int offer_seconds = 0);

// The copy of the staff's message (`subject`, `text` as checked by
// Desk::check_edition_message) that `r`'s person gets: the subject with the
// activity's title, a greeting, the text, why they receive it (their
// status), the edition's details and where their personal page is.
OutboxMessage edition_message_copy(const Catalogue& catalogue, const std::string& public_base_url,
                                   const std::string& subject, const std::string& text, const Registration& r);

// The message that tells `r`'s requester that their tutoring request is
// followed by the staff member at `tutor_email` (the address to write to:
// accounts have no name), with the request's details, where their page is
// and the messages' signature.
OutboxMessage tutoring_assignment_message(const Catalogue& catalogue, const std::string& public_base_url,
                                          const Registration& r, const std::string& tutor_email);

// Why the public form does not take registrations for `e` at `t` (seconds
// since the epoch), in Italian: closed by the programme, ended, begun (not
// on-request tutoring) or past its deadline; "" when it does. Desk::is_open
// asks it at the desk's clock; a message asks it at the time it tells of.
std::string closed_reason(const Activity* a, const Edition& e, std::int64_t t);

// Where the programme's form opens for `edition_id`: the tutoring request
// for a tutoring edition, the edition chosen for another edition of the
// catalogue, the form alone otherwise.
std::string form_path(const Catalogue& catalogue, const std::string& edition_id);

// True when the edition has dated meetings to put in a calendar (not
// on-request tutoring, whose meetings are agreed with the tutor).
bool has_calendar(const Edition& e);
// True when a registration in `status` is offered the calendar: its
// edition has one and the person holds or awaits a seat (not cancelled,
// expired or on the waiting list).
bool calendar_for(const Edition& e, const std::string& status);

// `s` without the marks text pasted from a word processor carries and
// nobody sees: soft hyphens (U+00AD), byte order marks (U+FEFF), zero-width
// spaces (U+200B) and word joiners (U+2060) go, no-break spaces (U+00A0)
// become spaces. Joiners inside emoji (U+200D) stay.
std::string without_pasted_marks(const std::string& s);

// The key of `r`'s personal calendar: 128 bits of the SHA-256 of its token
// hash, in hex. It opens the calendar only (not the page, the cancellation
// or the data, which the token opens), so a calendar shared or subscribed
// to gives away no more; the server derives it for any message, with or
// without the clear token, and new links (a new token) change it.
std::string calendar_key(const Registration& r);

// Where `r`'s person downloads the calendar of its edition:
// /api/registrations/<code>/calendar.ics?key=<calendar_key>, whose events
// carry the meetings' online links once the registration is confirmed
// (links_for); the edition's public /api/editions/<id>.ics has none.
std::string calendar_path(const Registration& r);

// True when a registration in `status` is given the online meetings' links:
// confirmed (not a hold whose address is not confirmed yet, not waiting).
bool links_for(const std::string& status);

// iCalendar (RFC 5545) text of one edition with a calendar (has_calendar):
// one event per meeting, times in UTC, CRLF lines, DTSTAMP `now` (seconds
// since the epoch), each event's URL the programme page or, when `links`
// (a calendar for a person holding a seat), the meeting's online link.
// The public calendar has no links: they are for the people with a place.
std::string edition_ics(const Activity& a, const Edition& e, const std::string& public_base_url, std::int64_t now,
                        bool links);

// Semicolon-separated CSV with a UTF-8 BOM and CRLF lines, for Italian
// spreadsheets; cells starting with = + - @ are prefixed with ' so that they
// are never run as formulas.
std::string registrations_csv(const std::vector<Registration>& rows, const Catalogue& catalogue);

// One CSV cell for the files above: quoted when it holds ; " or a line
// break, prefixed with ' when it would start a formula.
std::string csv_cell(const std::string& value);

}  // namespace bp::registration
