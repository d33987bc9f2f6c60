// The registration store: every read and write of registrations goes through
// this interface, so another engine (PostgreSQL) can be added later. The
// SQLite implementation is open_sqlite_store(). All methods are thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "bp/status.h"

namespace bp::registration {

// What the store needs to know of an edition to sell its seats.
struct EditionSeats {
  std::string id;
  int capacity = 0;
};

// A registration as stored. Personal fields are empty after erasure.
struct Registration {
  std::int64_t id = 0;
  std::string code;        // public identifier, 128 random bits (base32)
  std::string token_hash;  // SHA-256 of the person's token (32 raw bytes)
  std::string edition_id;
  std::string status;      // "confirmed" | "waitlisted" | "cancelled"
  int position = 0;        // 1-based place in the waiting list; 0 otherwise
  std::string first_name, last_name, email, organisation, role, region, age_band;
  std::string guardian_name;
  bool guardian_consent = false;
  bool consent = false;
  std::string consent_at;       // UTC ISO time the consent was given
  std::string privacy_version;  // version of the privacy notice accepted
  std::string notes, topic, needs;
  std::string created_at, cancelled_at, promoted_at, erased_at;  // UTC ISO
  bool attended = false;
  // Not stored: the personal link (with the token) known only while the
  // registration is being made, so the confirmation message can carry it.
  std::string manage_url;
};

// A registration to insert; code and token_hash are made by the caller.
struct NewRegistration {
  Registration person;          // status/position/id are decided by the store
  std::string idempotency_key;  // empty: none
  std::string fingerprint;      // hash of the request, to detect a reused key
  std::string answer_url;       // cancel_url to replay with the key (holds the token)
};

struct RegisterOutcome {
  Registration registration;
  std::string answer_url;  // the cancel_url of the first answer
  bool replayed = false;   // true when answered from the Idempotency-Key
};

struct EditionCounts {
  std::string edition_id;
  int capacity = 0;
  int confirmed = 0, waitlisted = 0, cancelled = 0, attended = 0;
};

enum class MessageKind { kConfirmed, kWaitlisted, kPromoted, kCancelled };

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

// Builds the message for `kind` about `r` (called inside the write
// transaction, so it must not block; it only formats text).
using Composer = std::function<OutboxMessage(MessageKind kind, const Registration& r)>;

class Store {
 public:
  virtual ~Store() = default;

  // Adds editions that are new in the catalogue and updates capacities. A
  // capacity lowered below the seats already taken keeps the taken count.
  virtual Status sync_editions(const std::vector<EditionSeats>& editions) = 0;

  // Takes a seat if one is free, else a place on the waiting list, in one
  // transaction with the outbox message. Conflict when the e-mail is already
  // registered (not cancelled) on the edition, or when the idempotency key
  // was used for a different request; NotFound for an unknown edition.
  virtual Result<RegisterOutcome> register_person(const NewRegistration& r) = 0;

  // The registration with `code` (any status); NotFound when none.
  virtual Result<Registration> find(const std::string& code) = 0;

  // Cancels `code`; a freed seat goes to the first person waiting, in the
  // same transaction. Conflict when already cancelled.
  virtual Result<Registration> cancel(const std::string& code) = 0;

  // Registrations of one edition (all editions when empty), oldest first.
  virtual Result<std::vector<Registration>> list(const std::string& edition_id) = 0;

  // Counts per edition (editions without registrations included).
  virtual Result<std::vector<EditionCounts>> counts() = 0;

  // Marks the confirmed registrations `codes` of `edition_id` as attended (or
  // not). Returns the codes that are not confirmed registrations of it.
  virtual Result<std::vector<std::string>> set_attendance(const std::string& edition_id,
                                                          const std::vector<std::string>& codes,
                                                          bool attended) = 0;

  // GDPR erasure: blanks the personal data of `code` and its messages, keeps
  // status and attendance so the counts do not change.
  virtual Status erase(const std::string& code) = 0;

  // Messages (newest first), all or only those not delivered yet.
  virtual Result<std::vector<OutboxMessage>> outbox(bool undelivered_only, int limit) = 0;
  // Messages about one registration (for the person's data export).
  virtual Result<std::vector<OutboxMessage>> messages_for(std::int64_t registration_id) = 0;
  // Undelivered messages whose next attempt is due at `now`.
  virtual Result<std::vector<OutboxMessage>> due_messages(std::int64_t now, int limit) = 0;
  virtual Status mark_delivered(std::int64_t message_id) = 0;
  virtual Status mark_failed(std::int64_t message_id, const std::string& error,
                             std::int64_t next_attempt_at) = 0;
};

// Opens (creating and migrating) <data_dir>/registrations.sqlite3. Io when the
// file cannot be opened or migrated. `compose` builds the outbox messages.
Result<std::unique_ptr<Store>> open_sqlite_store(const std::filesystem::path& data_dir,
                                                 Composer compose);

}  // namespace bp::registration
