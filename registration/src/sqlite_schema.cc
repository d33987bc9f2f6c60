#include "sqlite_schema.h"

#include <iterator>

namespace bp::registration::schema {

// Schema versions, applied in order; PRAGMA user_version records the last.
const char* const kMigrations[] = {
    R"sql(
CREATE TABLE editions (
  id TEXT PRIMARY KEY,
  capacity INTEGER NOT NULL CHECK (capacity >= 0),
  taken INTEGER NOT NULL DEFAULT 0,
  CHECK (taken >= 0 AND taken <= capacity)
);
CREATE TABLE registrations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  code TEXT NOT NULL UNIQUE,
  token_hash BLOB NOT NULL,
  edition_id TEXT NOT NULL REFERENCES editions(id),
  status TEXT NOT NULL CHECK (status IN ('confirmed', 'waitlisted', 'cancelled')),
  first_name TEXT, last_name TEXT, email TEXT, email_norm TEXT, organisation TEXT,
  role TEXT, region TEXT, age_band TEXT, guardian_name TEXT,
  guardian_consent INTEGER NOT NULL DEFAULT 0,
  consent INTEGER NOT NULL CHECK (consent = 1),
  consent_at TEXT NOT NULL,
  privacy_version TEXT NOT NULL,
  notes TEXT, topic TEXT, needs TEXT,
  created_at TEXT NOT NULL, cancelled_at TEXT, promoted_at TEXT, erased_at TEXT,
  attended INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX registrations_active_email ON registrations(edition_id, email_norm)
  WHERE status <> 'cancelled' AND email_norm IS NOT NULL;
CREATE INDEX registrations_edition_status ON registrations(edition_id, status, id);
CREATE TABLE idempotency (
  key TEXT PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  registration_id INTEGER NOT NULL REFERENCES registrations(id),
  answer_url TEXT NOT NULL,
  status TEXT NOT NULL,
  position INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  registration_id INTEGER REFERENCES registrations(id),
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  delivered_at TEXT,
  last_error TEXT
);
CREATE INDEX outbox_pending ON outbox(next_attempt_at) WHERE delivered_at IS NULL;
CREATE INDEX outbox_registration ON outbox(registration_id);
)sql",
    // 2: seats held until confirmed (issue 18). New statuses pending and
    // expired, the confirmation token's hash and the hold's end; the seat
    // counter may now stay above a lowered capacity (the catalogue's
    // capacity is the stored one), so the CHECK becomes a trigger that only
    // stops the counter from growing past the capacity. SQLite cannot alter a
    // CHECK: both tables are rebuilt (run with foreign_keys off, as SQLite's
    // ALTER TABLE documentation prescribes).
    R"sql(
CREATE TABLE editions_v2 (
  id TEXT PRIMARY KEY,
  capacity INTEGER NOT NULL CHECK (capacity >= 0),
  taken INTEGER NOT NULL DEFAULT 0 CHECK (taken >= 0)
);
INSERT INTO editions_v2(id, capacity, taken) SELECT id, capacity, taken FROM editions;
CREATE TABLE registrations_v2 (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  code TEXT NOT NULL UNIQUE,
  token_hash BLOB NOT NULL,
  edition_id TEXT NOT NULL REFERENCES editions(id),
  status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'waitlisted', 'cancelled', 'expired')),
  first_name TEXT, last_name TEXT, email TEXT, email_norm TEXT, organisation TEXT,
  role TEXT, region TEXT, age_band TEXT, guardian_name TEXT,
  guardian_consent INTEGER NOT NULL DEFAULT 0,
  consent INTEGER NOT NULL CHECK (consent = 1),
  consent_at TEXT NOT NULL,
  privacy_version TEXT NOT NULL,
  notes TEXT, topic TEXT, needs TEXT,
  created_at TEXT NOT NULL, cancelled_at TEXT, promoted_at TEXT, erased_at TEXT,
  attended INTEGER NOT NULL DEFAULT 0,
  confirm_hash BLOB,
  hold_expires_at INTEGER,
  confirmed_at TEXT,
  expired_at TEXT
);
INSERT INTO registrations_v2(id, code, token_hash, edition_id, status, first_name, last_name, email,
  email_norm, organisation, role, region, age_band, guardian_name, guardian_consent, consent,
  consent_at, privacy_version, notes, topic, needs, created_at, cancelled_at, promoted_at, erased_at,
  attended, confirmed_at)
SELECT id, code, token_hash, edition_id, status, first_name, last_name, email,
  email_norm, organisation, role, region, age_band, guardian_name, guardian_consent, consent,
  consent_at, privacy_version, notes, topic, needs, created_at, cancelled_at, promoted_at, erased_at,
  attended, CASE WHEN status = 'confirmed' THEN COALESCE(promoted_at, created_at) END
FROM registrations;
DROP TABLE registrations;
DROP TABLE editions;
ALTER TABLE editions_v2 RENAME TO editions;
ALTER TABLE registrations_v2 RENAME TO registrations;
CREATE UNIQUE INDEX registrations_active_email ON registrations(edition_id, email_norm)
  WHERE status IN ('pending', 'confirmed', 'waitlisted') AND email_norm IS NOT NULL;
CREATE INDEX registrations_edition_status ON registrations(edition_id, status, id);
CREATE INDEX registrations_holds ON registrations(hold_expires_at) WHERE status = 'pending';
CREATE INDEX registrations_email ON registrations(email_norm) WHERE email_norm IS NOT NULL;
CREATE TRIGGER editions_no_overbooking BEFORE UPDATE OF taken ON editions
  WHEN NEW.taken > OLD.taken AND NEW.taken > NEW.capacity
BEGIN
  SELECT RAISE(ABORT, 'seats taken above the capacity');
END;
)sql",
};

const char* const kRegistrationColumns =
    "id, code, token_hash, edition_id, status, first_name, last_name, email, organisation, role,"
    " region, age_band, guardian_name, guardian_consent, consent, consent_at, privacy_version,"
    " notes, topic, needs, created_at, cancelled_at, promoted_at, erased_at, attended, confirm_hash,"
    " hold_expires_at, confirmed_at, expired_at";

Registration read_registration(const sql::Stmt& s) {
  Registration r;
  r.id = s.integer(0);
  r.code = s.text(1);
  r.token_hash = s.blob(2);
  r.edition_id = s.text(3);
  r.status = s.text(4);
  r.first_name = s.text(5);
  r.last_name = s.text(6);
  r.email = s.text(7);
  r.organisation = s.text(8);
  r.role = s.text(9);
  r.region = s.text(10);
  r.age_band = s.text(11);
  r.guardian_name = s.text(12);
  r.guardian_consent = s.integer(13) != 0;
  r.consent = s.integer(14) != 0;
  r.consent_at = s.text(15);
  r.privacy_version = s.text(16);
  r.notes = s.text(17);
  r.topic = s.text(18);
  r.needs = s.text(19);
  r.created_at = s.text(20);
  r.cancelled_at = s.text(21);
  r.promoted_at = s.text(22);
  r.erased_at = s.text(23);
  r.attended = s.integer(24) != 0;
  r.confirm_hash = s.blob(25);
  r.hold_expires_at = s.integer(26);
  r.confirmed_at = s.text(27);
  r.expired_at = s.text(28);
  return r;
}

OutboxMessage read_message(const sql::Stmt& s) {
  OutboxMessage m;
  m.id = s.integer(0);
  m.registration_id = s.integer(1);
  m.recipient = s.text(2);
  m.subject = s.text(3);
  m.body = s.text(4);
  m.created_at = s.text(5);
  m.attempts = static_cast<int>(s.integer(6));
  m.next_attempt_at = s.integer(7);
  m.delivered_at = s.text(8);
  m.last_error = s.text(9);
  return m;
}

const char* const kMessageColumns =
    "id, registration_id, recipient, subject, body, created_at, attempts, next_attempt_at,"
    " delivered_at, last_error";

const std::size_t kMigrationCount = std::size(kMigrations);

}  // namespace bp::registration::schema
