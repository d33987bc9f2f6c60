// The registration store: every read and write of registrations goes through
// this interface. Two engines implement it with the same schema and the same
// behaviour (one conformance suite runs against both): SQLite in the data
// folder (open_sqlite_store, the default: one server process per data
// folder) and PostgreSQL (open_postgresql_store: any number of server
// processes and machines on one database). All methods are thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "bp/registration/account_store.h"
#include "bp/status.h"

namespace bp::registration {

class ProposalStore;  // bp/registration/proposal_store.h

// What the store needs to know of an edition to sell its seats.
struct EditionSeats {
  std::string id;
  int capacity = 0;
  // When the edition's first meeting starts (Unix seconds, UTC); 0 when it
  // has none (tutoring on request). A seat offered to the first person
  // waiting is held no later than it (StoreOptions::offer_seconds).
  std::int64_t first_meeting = 0;
  // When the edition ends (Unix seconds, UTC); 0 when unknown. A seat freed
  // after it goes to nobody on the waiting list: the course is over.
  std::int64_t ends = 0;
};

// A registration as stored. Personal fields are empty after erasure.
//
// Statuses: "pending" (a seat is held until `hold_expires_at` for the person
// to open the confirmation link sent by e-mail), "confirmed", "waitlisted",
// "cancelled" (by the person or the staff), "expired" (a hold nobody
// confirmed in time: the seat went back). Pending and confirmed people hold a
// seat; the waiting list is served in order of registration.
struct Registration {
  std::int64_t id = 0;
  std::string code;        // public identifier, 128 random bits (base32)
  std::string token_hash;  // SHA-256 of the person's token (32 raw bytes)
  std::string confirm_hash;  // SHA-256 of the confirmation token; empty once confirmed
  std::string edition_id;
  std::string status;      // "pending" | "confirmed" | "waitlisted" | "cancelled" | "expired"
  int position = 0;        // 1-based place in the waiting list; 0 otherwise
  std::int64_t hold_expires_at = 0;  // pending: seconds since the epoch; 0 otherwise
  std::string first_name, last_name, email, organisation, role, region, age_band;
  std::string guardian_name;
  bool guardian_consent = false;
  bool consent = false;
  std::string consent_at;       // UTC ISO time the consent was given
  std::string privacy_version;  // version of the privacy notice accepted
  std::string notes, topic, needs;
  std::string created_at, cancelled_at, promoted_at, erased_at;  // UTC ISO
  std::string confirmed_at, expired_at;                          // UTC ISO
  bool attended = false;
  // After an erasure: the code that stands for the person, the same on all
  // their registrations, so the funder's report counts them once without
  // knowing who they were. "" otherwise.
  std::string erased_person;
  // Taken by the staff (NewRegistration::taken_by_staff): promoted from the
  // waiting list, it is confirmed at once, with no hold to confirm.
  bool taken_by_staff = false;
  // Not stored: the clear tokens, known only while a message is being
  // written (the store keeps their SHA-256), so the message can carry the
  // person's links. `token` opens the personal page, `confirm_token`
  // confirms a pending hold.
  std::string token, confirm_token;
};

// A registration to insert; code and token_hash are made by the caller.
struct NewRegistration {
  Registration person;          // status/position/id are decided by the store
  std::string idempotency_key;  // empty: none
  std::string fingerprint;      // hash of the request, to detect a reused key
  std::string answer_url;       // cancel_url to replay with the key (holds the token)
  // The conflict's message when the address already has an active
  // registration in the edition, in the activity's words (a tutoring
  // request is not an "edition"); empty: kAlreadyRegistered.
  std::string already_registered;
  // The other editions of the same activity (another hub's edition of a
  // module, the other hubs' tutoring): a person holds one active
  // registration among an activity's editions, else Conflict with
  // `already_in_activity` (empty: kAlreadyInActivity). A person is an
  // address, or for a child under 14 (a guardian's name) the address and
  // the child's name: a parent registers two children with one address.
  std::vector<std::string> sibling_editions;
  std::string already_in_activity;
  // The staff took the registration down (by phone, at a desk): the person
  // was heard, so a free seat is confirmed at once, without a hold and its
  // e-mail link (nor the cap on an address's holds). A full edition still
  // puts them on its waiting list.
  bool taken_by_staff = false;
};

// The message of a second registration of one address in one edition.
inline constexpr const char* kAlreadyRegistered =
    "questo indirizzo e-mail è già iscritto a questa edizione: trovi l'iscrizione nella mail di conferma";

// The message of a registration while the same person holds one in another
// edition of the same activity (NewRegistration::sibling_editions).
inline constexpr const char* kAlreadyInActivity =
    "questo indirizzo e-mail è già iscritto a un'altra edizione di questa attività (un altro hub o altre date): "
    "trovi l'iscrizione nella mail di conferma. Per passare a questa edizione usa «Cambia edizione» dalla pagina "
    "personale, se la offre, oppure annulla quella iscrizione e iscriviti qui";

// The message of a registration to an edition whose registrations the
// staff paused (BackOfficeStore::pause_registrations).
inline constexpr const char* kRegistrationsPaused =
    "le iscrizioni a questa edizione sono sospese per ora: riprova più avanti o scegli un'altra edizione";

// Why an address with `pending` holds not yet confirmed (the limit) takes no
// further seat; the same words for both engines.
inline std::string pending_limit_message(long long pending) {
  return "questo indirizzo e-mail ha già " + std::to_string(pending) +
         " iscrizioni in attesa di conferma: apri i link di conferma che ti abbiamo inviato per e-mail, poi potrai "
         "iscriverti ad altre attività";
}

// A lapsed hold confirmed too late: there is no seat left to take again,
// or the link predates the rule (its confirmation token was dropped).
inline constexpr const char* kHoldLapsed =
    "il tempo per confermare è scaduto e il posto è stato liberato: se ci sono ancora posti, iscriviti di nuovo "
    "dal programma";
inline constexpr const char* kHoldLapsedNoSeat =
    "il tempo per confermare è scaduto e nel frattempo i posti sono finiti: iscriviti di nuovo dal programma per "
    "entrare in lista d'attesa";
// A lapsed hold confirmed after the address registered again.
inline constexpr const char* kHoldLapsedRegisteredAgain =
    "il tempo per confermare questa iscrizione è scaduto, ma ti sei già iscritta o iscritto di nuovo alla stessa "
    "edizione: vale la nuova iscrizione";

// What the staff may correct of a registration (GDPR art. 16, or a typo
// taken down by phone): the person's contact details and the categories the
// funder's report counts. Validated by the caller (Desk::correct_contact).
struct ContactCorrection {
  std::string first_name, last_name, email, organisation, role, region, age_band;
  // The other editions of the registration's activity that have not ended
  // (NewRegistration::sibling_editions): the corrected person may hold no
  // place there either.
  std::vector<std::string> sibling_editions;
};

struct RegisterOutcome {
  Registration registration;
  std::string answer_url;  // the cancel_url of the first answer
  bool replayed = false;   // true when answered from the Idempotency-Key
};

struct EditionCounts {
  std::string edition_id;
  int capacity = 0;
  int taken = 0;  // the seat counter: pending + confirmed, kept by the store
  int pending = 0, confirmed = 0, waitlisted = 0, cancelled = 0, expired = 0, attended = 0;
  // When the staff paused its registrations (UTC ISO) and who; empty when
  // it takes them (BackOfficeStore::pause_registrations).
  std::string paused_at, paused_by;
};

// kHeld: a seat is held, confirm with the link; kConfirmed: confirmed (at
// once, from the link or by the staff); kPromoted: a seat freed up for a
// person waiting (held for them when confirmation is on); kExpired: the hold
// lapsed; kLinks: new personal links asked for again; kCorrected: the staff
// corrected the address, and the new one gets new links; kReminder: the
// edition's first meeting is near (BackOfficeStore::queue_reminders);
// kMoved: the staff moved the registration to another edition.
enum class MessageKind {
  kConfirmed,
  kWaitlisted,
  kPromoted,
  kCancelled,
  kHeld,
  kExpired,
  kLinks,
  kCorrected,
  kReminder,
  kMoved
};

struct OutboxMessage {
  std::int64_t id = 0;
  std::int64_t registration_id = 0;  // 0 when not tied to a registration
  std::string recipient;
  std::string subject;
  std::string body;  // plain text, UTF-8
  std::string created_at, delivered_at, last_error;
  int attempts = 0;
  std::int64_t next_attempt_at = 0;  // seconds since the epoch
};

// The last_error of a message still queued when its person's data were
// erased: it is emptied and never sent (delivered_at is set so that the
// outbox lets it go).
inline constexpr const char* kNotSentErased = "dati cancellati su richiesta";

// Builds the message for `kind` about `r` (called inside the write
// transaction, so it must not block; it only formats text).
using Composer = std::function<OutboxMessage(MessageKind kind, const Registration& r)>;

struct StoreOptions {
  // How long a seat is held for a new registration (or a person promoted
  // from the waiting list) until they confirm from the e-mail link. 0 turns
  // confirmation off: seats are confirmed at once.
  int hold_seconds = 0;
  // How long a seat freed for the first person waiting is held for them
  // (holds on only): they did not just fill in the form, so they get longer
  // than `hold_seconds` to read the message, but never past the edition's
  // first meeting (EditionSeats::first_meeting) when it is still ahead, and
  // never less than `hold_seconds`. 0: `hold_seconds`.
  int offer_seconds = 0;
  // Pending holds one e-mail address may have at once across the whole
  // catalogue (a new hold beyond it is a Conflict). 0: no cap.
  int max_pending_per_address = 0;
  // PostgreSQL only: connections the store opens at most (a request waits up
  // to 10 s for one, then fails with Io). Each holds a server backend: keep
  // processes × pool_size below PostgreSQL's max_connections (100 by
  // default). Fewer than the server's threads makes requests queue.
  int pool_size = 8;
};

class BackOfficeStore;  // back_office_store.h
class AnalyticsStore;   // analytics_store.h

class Store {
 public:
  virtual ~Store() = default;

  // Adds editions that are new in the catalogue and sets every capacity to
  // the catalogue's, also below the seats already taken: nobody loses a
  // seat, and nobody is promoted until the seats taken fall below the new
  // capacity. A larger capacity lets people waiting in at once. Remembers
  // the first meetings for the offers to the people waiting (kept in this
  // process only: every process syncs the catalogue when it opens the store).
  virtual Status sync_editions(const std::vector<EditionSeats>& editions) = 0;

  // Takes a seat if one is free (held as "pending" with
  // `person.confirm_hash` when StoreOptions::hold_seconds > 0, else
  // confirmed), else a place on the waiting list, in one transaction with
  // the outbox message. Conflict when the e-mail is already registered
  // (pending, confirmed or waiting) on the edition, when the address has
  // reached its cap of pending holds, when the idempotency key was used
  // for a different request, or when the staff paused the edition's
  // registrations (kRegistrationsPaused; NewRegistration::taken_by_staff
  // still registers); NotFound for an unknown edition.
  virtual Result<RegisterOutcome> register_person(const NewRegistration& r) = 0;

  // The registration with `code` (any status; a lapsed hold is expired
  // first); NotFound when none.
  virtual Result<Registration> find(const std::string& code) = 0;

  // Cancels `code`; a freed seat goes to the first person waiting, in the
  // same transaction, if the seats taken are below the capacity. Conflict
  // when already cancelled or expired.
  virtual Result<Registration> cancel(const std::string& code) = 0;

  // Confirms the pending hold of `code` (the caller checked the
  // confirmation token, or is the staff). A confirmed registration is
  // returned unchanged. A hold that lapsed is confirmed too ("conferma
  // comunque") when it still has its confirmation token, its edition a free
  // seat (so nobody is waiting) and the same person no other active
  // registration in the edition nor in `sibling_editions` (the other
  // editions of its activity that have not ended, as
  // NewRegistration::sibling_editions): it takes the seat again. Conflict
  // when it cannot (kHoldLapsed, kHoldLapsedNoSeat,
  // kHoldLapsedRegisteredAgain, kAlreadyInActivity), or the registration is
  // waiting, cancelled or erased; NotFound when none. The caller checks that
  // the edition still takes registrations.
  virtual Result<Registration> confirm(const std::string& code, const std::vector<std::string>& sibling_editions) = 0;

  // Expires the holds whose time passed at `now` and gives their seats to
  // the people waiting; returns how many expired. Cheap when none did.
  virtual Result<int> expire_holds(std::int64_t now) = 0;

  // Active (pending, confirmed, waiting) registrations of `email` (any
  // case): each gets a new personal token and, when pending, a new
  // confirmation token, and a message with the new links (the old links stop
  // working). Returns how many were sent; 0 for an unknown address.
  virtual Result<int> resend_links(const std::string& email) = 0;

  // Replaces the contact details of registration `code` with `c`, after
  // lapsed holds have expired. When the e-mail changes (case apart), the
  // messages not yet delivered to the old address are dropped (their links
  // would stop working), the reminder before the first meeting is due again
  // (BackOfficeStore::queue_reminders), and an active registration gets new links (the old
  // ones stop working), a pending hold at least `hold_seconds` more to be
  // confirmed, and a kCorrected message to the new address, all in one
  // transaction. Returns the registration as stored (with its clear tokens
  // when renewed). NotFound for an unknown code; Conflict for an erased
  // registration, or when the corrected person (a new address, or a
  // child's new name) has another active registration in the same edition
  // or in `c.sibling_editions`.
  virtual Result<Registration> correct_contact(const std::string& code, const ContactCorrection& c) = 0;

  // Moves registration `code` from edition `from` to edition `to` (the
  // staff's «Sposta», on the person's request), after lapsed holds have
  // expired, in one transaction:
  // it takes a seat in `to` (confirmed stays confirmed, pending keeps its
  // hold, waiting becomes confirmed), gives the seat it held (if any) to
  // the first person waiting in its old edition, starts its attendance and
  // reminder again, and queues a kMoved message. Code and links stay.
  // Returns the registration as stored. NotFound
  // for an unknown code or edition `to`; Invalid when `to` is its edition;
  // Conflict when it is no longer in `from` (moved meanwhile: a stale form,
  // or two at once), when it is not active (cancelled, expired, erased), when its
  // address has an active registration in `to`, or when `to` has no free
  // seat (people wait in order of arrival: a move never jumps the list).
  virtual Result<Registration> move(const std::string& code, const std::string& from, const std::string& to) = 0;

  // Registrations of one edition (all editions when empty), oldest first.
  virtual Result<std::vector<Registration>> list(const std::string& edition_id) = 0;

  // Counts per edition (editions without registrations included).
  virtual Result<std::vector<EditionCounts>> counts() = 0;

  // Marks the confirmed registrations `codes` of `edition_id` as attended (or
  // not). Returns the codes that are not confirmed registrations of it.
  virtual Result<std::vector<std::string>> set_attendance(const std::string& edition_id,
                                                          const std::vector<std::string>& codes,
                                                          bool attended) = 0;

  // GDPR erasure: blanks the personal data of `code`, its messages (the
  // outbox's and the words of the staff's messages to it alone), the staff's
  // notes and its idempotency rows, keeps status and attendance so the counts do not
  // change. SQLite then checkpoints the WAL (TRUNCATE) so that no file on
  // disk still holds the erased values (secure_delete overwrites freed
  // space); PostgreSQL keeps the old row versions until VACUUM and in its
  // WAL files until they are recycled (docs/registration.md, §6).
  // `person` is the code that stands for the person on every registration
  // erased with this one (erased_person); "" means `code`.
  Status erase(const std::string& code, const std::string& person = "") { return erase_all({{code, person}}); }

  // One registration to erase and the code that stands for its person
  // (erased_person; "" means `code`).
  struct Erasure {
    std::string code;
    std::string person;
  };
  // The erasure above of several registrations in one transaction and one
  // checkpoint (the end of the programme's erasure: thousands at once).
  // NotFound, and nothing erased, when a code is unknown; a registration
  // erased already is erased again (its token changes, nothing else does).
  // An empty list only checkpoints (what the proposers' erasure relies on).
  virtual Status erase_all(const std::vector<Erasure>& registrations) = 0;

  // Messages (newest first), all or only those not delivered yet.
  virtual Result<std::vector<OutboxMessage>> outbox(bool undelivered_only, int limit) = 0;
  // Messages about one registration (for the person's data export).
  virtual Result<std::vector<OutboxMessage>> messages_for(std::int64_t registration_id) = 0;
  // Undelivered messages whose next attempt is due at `now` (a read: nothing
  // changes).
  virtual Result<std::vector<OutboxMessage>> due_messages(std::int64_t now, int limit) = 0;
  // Up to `limit` undelivered messages due at `now`, oldest first, claimed
  // for the caller: their next attempt moves to `now + lease_seconds`, so
  // another worker (in this process or another one on the same database)
  // claiming before then gets other messages, never these. The caller
  // settles each with mark_delivered or mark_failed; a worker that dies
  // first leaves its messages to be claimed again once the lease is over.
  virtual Result<std::vector<OutboxMessage>> claim_due_messages(std::int64_t now, int limit,
                                                                std::int64_t lease_seconds) = 0;
  virtual Status mark_delivered(std::int64_t message_id) = 0;
  virtual Status mark_failed(std::int64_t message_id, const std::string& error,
                             std::int64_t next_attempt_at) = 0;
  // Empties the text of every message delivered before `delivered_before`
  // (UTC ISO, as delivered_at): its line stays (recipient, subject, times:
  // that it went), its text, which carries the person's links in clear,
  // goes (Options::mail_text_days). Returns how many were emptied.
  virtual Result<int> forget_sent_texts(const std::string& delivered_before) = 0;

  // The staff's accounts, sessions, tokens and audit log, and what they
  // record about registrations, on the same database (owned by the store).
  virtual AccountStore& accounts() = 0;
  virtual BackOfficeStore& back_office() = 0;

  // The proposals of practices kept in the same database (and outbox);
  // owned by the store, valid as long as it is.
  virtual ProposalStore& proposals() = 0;

  // What people search, in aggregate (issue 17): owned by the store, valid
  // as long as it is.
  virtual AnalyticsStore& analytics() = 0;
};

// Opens (creating and migrating) <data_dir>/registrations.sqlite3. Io when the
// file cannot be opened or migrated. `compose` builds the outbox messages.
// The folder is created with mode 0700 and the database files with 0600
// (existing ones are narrowed to that).
Result<std::unique_ptr<Store>> open_sqlite_store(const std::filesystem::path& data_dir,
                                                 Composer compose, StoreOptions options = {});

// Connects to the PostgreSQL database at `url` (libpq's URI syntax,
// "postgresql://user[:password]@host[:port]/dbname[?param=value]"; the
// password may also come from ~/.pgpass or PGPASSWORD) and applies the
// missing schema migrations in one transaction under an advisory lock, so
// that servers starting together do not race. Io when the database cannot be
// reached or was written by a newer version. The URL is never logged.
Result<std::unique_ptr<Store>> open_postgresql_store(const std::string& url, Composer compose,
                                                     StoreOptions options = {});

// The engine `database_url` names: empty is SQLite in `data_dir`,
// "postgresql://…" (or "postgres://…") is PostgreSQL. Invalid for any other
// scheme; otherwise what the engine's open function returns.
Result<std::unique_ptr<Store>> open_store(const std::string& database_url, const std::filesystem::path& data_dir,
                                          Composer compose, StoreOptions options = {});

}  // namespace bp::registration
