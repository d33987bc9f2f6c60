#include "sqlite_schema.h"

namespace bp::registration::schema {

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
  r.erased_person = s.text(29);
  r.taken_by_staff = s.integer(30) != 0;
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

}  // namespace bp::registration::schema
