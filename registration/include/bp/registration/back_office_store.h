// What the staff record about registrations beyond their status: attendance
// per meeting, and the handling of tutoring requests (issue 10). Reached
// from Store::back_office(); one implementation over both engines, as
// AccountStore. All methods are thread-safe; failures are Io unless stated.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "bp/registration/store.h"
#include "bp/status.h"

namespace bp::registration {

// States of a tutoring request: "nuova" → "assegnata" (to a staff member) →
// "conclusa".
struct TutoringCase {
  std::int64_t registration_id = 0;
  std::string state = "nuova";
  std::int64_t assignee_id = 0;  // 0: nobody
  std::string assignee_email;
  std::string notes;
  std::string updated_at;  // UTC ISO; "" when never handled
};

// A message the staff wrote to the participants of one edition («Scrivi
// agli iscritti»), as kept: the text as written (each person's copy adds a
// greeting, the edition's details and a signature), to whom and by whom.
struct EditionMessage {
  std::int64_t id = 0;
  std::string send_key;  // comes with the form: a form sent twice is one message
  std::string edition_id;
  std::vector<std::string> statuses;  // among "confirmed", "pending", "waitlisted"
  // "" for the edition's people in `statuses`; else the one registration of
  // the edition the message goes to («Scrivi» on a person's page), whatever
  // its status, and `statuses` is empty.
  std::string registration_code;
  std::string subject, body;
  int recipients = 0;           // how many messages were queued
  std::int64_t account_id = 0;  // 0: the shared BP_ADMIN_TOKEN
  std::string sent_by;          // the account's e-mail
  std::string sent_at;          // UTC ISO
};

// A note the staff keep on a registration (a phone call, an agreement, a
// need to remember): never shown to the person, included in their data
// when they ask for it, removed when their data are erased.
struct StaffNote {
  std::int64_t id = 0;
  std::int64_t registration_id = 0;
  std::int64_t account_id = 0;  // 0: the shared BP_ADMIN_TOKEN
  std::string author;           // the account's e-mail
  std::string written_at;       // UTC ISO, set by the store
  std::string body;
};

class BackOfficeStore {
 public:
  virtual ~BackOfficeStore() = default;

  // Meetings attended (0-based indexes into the edition's sessions) per
  // registration id, for the registrations of `edition_id`.
  virtual Result<std::map<std::int64_t, std::set<int>>> meeting_attendance(const std::string& edition_id) = 0;

  // Replaces, in one transaction, the meetings attended by the confirmed
  // registrations of `edition_id` named in `by_code` (code → meetings, each
  // in [0, meetings)), and sets each one's `attended` flag (the
  // certificate) to whether they attended at least `share_percent` % of the
  // `meetings`. Returns the codes that are not confirmed registrations of
  // the edition (left alone). Invalid for a meeting out of range.
  virtual Result<std::vector<std::string>> save_meeting_attendance(const std::string& edition_id,
                                                                   const std::map<std::string, std::set<int>>& by_code,
                                                                   int meetings, int share_percent) = 0;

  // The handling of every tutoring request that has one, by registration id.
  virtual Result<std::map<std::int64_t, TutoringCase>> tutoring_cases() = 0;
  // Sets the state, assignee and notes of registration `registration_id`'s
  // request, and queues `notify` (when given) in the outbox in the same
  // transaction. Invalid for an unknown state, or "assegnata" without
  // assignee.
  virtual Status save_tutoring_case(const TutoringCase& c, const std::optional<OutboxMessage>& notify) = 0;

  // Queues, once per registration, `compose(kReminder, r)` for every
  // confirmed registration of `edition_id` not erased and not yet reminded,
  // and records that it was (reminded_at), each in one transaction; two
  // servers on one database never queue the same reminder twice. `r` holds
  // id, code, edition_id, status, names and e-mail. Returns how many.
  virtual Result<int> queue_reminders(const std::string& edition_id, const Composer& compose) = 0;

  // Records `m` and queues `compose(r)` for every registration of
  // `m.edition_id` not erased whose status is among `m.statuses`, in one
  // transaction; returns `m` with its id, time and number of recipients.
  // `r` holds id, code, edition_id, status, names, e-mail and the end of a
  // pending hold. With `m.registration_code`, only that registration of
  // the edition, when not erased (none queued otherwise). Conflict when
  // `m.send_key` was used already (nothing queued again); Invalid for an
  // empty key, no status (without a registration code), a status with one,
  // or a status other than confirmed, pending or waitlisted.
  virtual Result<EditionMessage> send_edition_message(
      EditionMessage m, const std::function<OutboxMessage(const Registration&)>& compose) = 0;
  // The messages sent to `edition_id`'s participants, newest first.
  virtual Result<std::vector<EditionMessage>> edition_messages(const std::string& edition_id) = 0;

  // Makes the undelivered message `message_id` due now (the staff's
  // "riprova ora"); the outbox worker picks it up. NotFound when there is
  // no such undelivered message.
  virtual Status retry_message(std::int64_t message_id) = 0;

  // Pauses (`paused`) or resumes the public registrations of `edition_id`:
  // while paused, Store::register_person refuses a person's registration
  // and takes the staff's; holds, confirmations, cancellations and the
  // waiting list go on. `by` (the account's e-mail) and the time now are
  // kept (EditionCounts::paused_at, paused_by); pausing a paused edition
  // keeps the first time and author. NotFound for an unknown edition.
  virtual Status pause_registrations(const std::string& edition_id, bool paused, const std::string& by) = 0;

  // Keeps `n` (registration_id, account, author, body) with the time now;
  // returns it with its id and time. NotFound for an unknown or erased
  // registration.
  virtual Result<StaffNote> add_note(StaffNote n) = 0;
  // The notes of the registrations `registration_ids`, oldest first.
  virtual Result<std::vector<StaffNote>> notes(const std::vector<std::int64_t>& registration_ids) = 0;
  // Sets the text of note `id` of registration `registration_id` to `body`
  // (its author and time stay), or deletes the note when `body` is empty.
  // NotFound when the registration has no such note or its data were
  // erased.
  virtual Status change_note(std::int64_t id, std::int64_t registration_id, const std::string& body) = 0;
};

}  // namespace bp::registration
