// What the PostgreSQL store keeps beside seats: outbox messages, attendance
// and the GDPR erasure; and the row readers.
#include <algorithm>

#include "crypto.h"
#include "pg_store_impl.h"
#include "schema_migrations.h"
#include "store_rules.h"

namespace bp::registration::pg {

namespace {

std::vector<OutboxMessage> messages(const pqxx::result& rows) {
  std::vector<OutboxMessage> out;
  for (const auto& row : rows) out.push_back(read_message(row));
  return out;
}

std::string select_messages(const std::string& where) {
  return std::string("SELECT ") + schema::kMessageColumns + " FROM outbox WHERE " + where;
}

}  // namespace

Registration read_registration(const pqxx::row& row) {
  Registration r;
  r.id = integer(row[0]);
  r.code = text(row[1]);
  r.token_hash = blob(row[2]);
  r.edition_id = text(row[3]);
  r.status = text(row[4]);
  r.first_name = text(row[5]);
  r.last_name = text(row[6]);
  r.email = text(row[7]);
  r.organisation = text(row[8]);
  r.role = text(row[9]);
  r.region = text(row[10]);
  r.age_band = text(row[11]);
  r.guardian_name = text(row[12]);
  r.guardian_consent = integer(row[13]) != 0;
  r.consent = integer(row[14]) != 0;
  r.consent_at = text(row[15]);
  r.privacy_version = text(row[16]);
  r.notes = text(row[17]);
  r.topic = text(row[18]);
  r.needs = text(row[19]);
  r.created_at = text(row[20]);
  r.cancelled_at = text(row[21]);
  r.promoted_at = text(row[22]);
  r.erased_at = text(row[23]);
  r.attended = integer(row[24]) != 0;
  r.confirm_hash = blob(row[25]);
  r.hold_expires_at = integer(row[26]);
  r.confirmed_at = text(row[27]);
  r.expired_at = text(row[28]);
  r.erased_person = text(row[29]);
  r.taken_by_staff = integer(row[30]) != 0;
  return r;
}

OutboxMessage read_message(const pqxx::row& row) {
  OutboxMessage m;
  m.id = integer(row[0]);
  m.registration_id = integer(row[1]);
  m.recipient = text(row[2]);
  m.subject = text(row[3]);
  m.body = text(row[4]);
  m.created_at = text(row[5]);
  m.attempts = static_cast<int>(integer(row[6]));
  m.next_attempt_at = integer(row[7]);
  m.delivered_at = text(row[8]);
  m.last_error = text(row[9]);
  return m;
}

Result<std::vector<std::string>> PgStore::set_attendance(const std::string& edition_id,
                                                         const std::vector<std::string>& codes, bool attended) {
  return run([&](pqxx::connection& c) -> Result<std::vector<std::string>> {
    pqxx::work tx(c);
    std::vector<std::string> rejected;
    for (const auto& code : codes) {
      const auto r = tx.exec_params(
          "UPDATE registrations SET attended = $3 WHERE code = $1 AND edition_id = $2 AND status = 'confirmed'",
          code, edition_id, attended ? 1 : 0);
      if (r.affected_rows() == 0) rejected.push_back(code);
    }
    tx.commit();
    return rejected;
  });
}

Status PgStore::erase_all(const std::vector<Erasure>& registrations) {
  return run([&](pqxx::connection& c) -> Status {
    pqxx::work tx(c);
    const std::string now = now_iso();
    for (const auto& [code, person] : registrations) {
      auto r = find_by_code(tx, code, /*for_update=*/true);
      if (!r) return Status::not_found("iscrizione non trovata");
      // A fresh random token hash: the old link stops working. Role, region
      // and age band stay: categories without the person, so the funder's
      // report keeps its distributions.
      tx.exec_params(
          "UPDATE registrations SET first_name = NULL, last_name = NULL, email = NULL, email_norm = NULL,"
          " organisation = NULL, guardian_name = NULL, notes = NULL, topic = NULL, needs = NULL, token_hash = $2,"
          " confirm_hash = NULL, erased_at = COALESCE(erased_at, $3), erased_person = $4"
          " WHERE id = $1",
          r->id, bytes(sha256(random_base32(kTokenBytes))), now, person.empty() ? code : person);
      tx.exec_params(
          "UPDATE outbox SET recipient = '', subject = '', body = '', delivered_at = COALESCE(delivered_at, $2),"
          " last_error = CASE WHEN delivered_at IS NULL THEN $3 ELSE last_error END"
          " WHERE registration_id = $1",
          r->id, now, std::string(kNotSentErased));
      tx.exec_params("DELETE FROM idempotency WHERE registration_id = $1", r->id);
      // The staff's notes on a tutoring request are about the person.
      tx.exec_params("UPDATE tutoring_cases SET notes = '' WHERE registration_id = $1", r->id);
      tx.exec_params("DELETE FROM staff_notes WHERE registration_id = $1", r->id);
      // The staff's own words to this one person («Scrivi» on their card).
      tx.exec_params("UPDATE edition_messages SET subject = '', body = '' WHERE registration_code = $1", code);
    }
    tx.commit();
    return Status::ok();
  });
}

Result<std::vector<OutboxMessage>> PgStore::outbox(bool undelivered_only, int limit) {
  return run([&](pqxx::connection& c) -> Result<std::vector<OutboxMessage>> {
    pqxx::work tx(c);
    return messages(tx.exec_params(select_messages("$1 = 0 OR delivered_at IS NULL ORDER BY id DESC LIMIT $2"),
                                   undelivered_only ? 1 : 0, limit));
  });
}

Result<std::vector<OutboxMessage>> PgStore::messages_for(std::int64_t registration_id) {
  return run([&](pqxx::connection& c) -> Result<std::vector<OutboxMessage>> {
    pqxx::work tx(c);
    return messages(tx.exec_params(select_messages("registration_id = $1 ORDER BY id"), registration_id));
  });
}

Result<std::vector<OutboxMessage>> PgStore::due_messages(std::int64_t now, int limit) {
  return run([&](pqxx::connection& c) -> Result<std::vector<OutboxMessage>> {
    pqxx::work tx(c);
    return messages(tx.exec_params(
        select_messages("delivered_at IS NULL AND next_attempt_at <= $1 ORDER BY id LIMIT $2"), now, limit));
  });
}

Result<std::vector<OutboxMessage>> PgStore::claim_due_messages(std::int64_t now, int limit,
                                                               std::int64_t lease_seconds) {
  return run([&](pqxx::connection& c) -> Result<std::vector<OutboxMessage>> {
    pqxx::work tx(c);
    // SKIP LOCKED: a worker claiming at the same moment passes over the rows
    // this one is taking instead of waiting for them and taking them again.
    auto out = messages(tx.exec_params(
        "UPDATE outbox SET next_attempt_at = $2 WHERE id IN (SELECT id FROM outbox WHERE delivered_at IS NULL"
        " AND next_attempt_at <= $1 ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED) RETURNING " +
            std::string(schema::kMessageColumns),
        now, now + lease_seconds, limit));
    tx.commit();
    std::sort(out.begin(), out.end(), [](const OutboxMessage& a, const OutboxMessage& b) { return a.id < b.id; });
    return out;
  });
}

Result<int> PgStore::forget_sent_texts(const std::string& delivered_before) {
  return run([&](pqxx::connection& c) -> Result<int> {
    pqxx::work tx(c);
    const auto done =
        tx.exec_params("UPDATE outbox SET body = '' WHERE delivered_at < $1 AND body <> ''", delivered_before);
    tx.commit();
    return static_cast<int>(done.affected_rows());
  });
}

Status PgStore::mark_delivered(std::int64_t id) {
  return run([&](pqxx::connection& c) -> Status {
    pqxx::work tx(c);
    tx.exec_params(
        "UPDATE outbox SET delivered_at = $2, attempts = attempts + 1, last_error = NULL WHERE id = $1", id,
        now_iso());
    tx.commit();
    return Status::ok();
  });
}

Status PgStore::mark_failed(std::int64_t id, const std::string& error, std::int64_t next) {
  return run([&](pqxx::connection& c) -> Status {
    pqxx::work tx(c);
    tx.exec_params("UPDATE outbox SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3 WHERE id = $1",
                   id, error, next);
    tx.commit();
    return Status::ok();
  });
}

void PgStore::add_message(pqxx::work& tx, MessageKind kind, const Registration& r) {
  if (!compose_ || r.email.empty()) return;
  OutboxMessage m = compose_(kind, r);
  tx.exec_params(
      "INSERT INTO outbox(registration_id, recipient, subject, body, created_at) VALUES($1, $2, $3, $4, $5)", r.id,
      m.recipient.empty() ? r.email : m.recipient, m.subject, m.body, now_iso());
}

}  // namespace bp::registration::pg
