// What the store keeps beside seats: outbox messages, attendance, and the
// GDPR erasure that removes a person's data from every file on disk.
#include "crypto.h"
#include "sqlite_schema.h"
#include "sqlite_store_impl.h"

namespace bp::registration::sqlite_detail {

using schema::kMessageColumns;
using schema::kRegistrationColumns;
using schema::read_message;
using schema::read_registration;

Result<std::vector<std::string>> SqliteStore::set_attendance(const std::string& edition_id,
                                                           const std::vector<std::string>& codes,
                                                           bool attended) {
  return guard([&]() -> Result<std::vector<std::string>> {
    sql::Lease db(pool_);
    sql::Transaction tx(db.get(), true);
    std::vector<std::string> rejected;
    for (const auto& code : codes) {
      sql::Stmt(db.get(),
                "UPDATE registrations SET attended = ?3 WHERE code = ?1 AND edition_id = ?2"
                " AND status = 'confirmed'")
          .bind(1, code)
          .bind(2, edition_id)
          .bind(3, attended ? 1 : 0)
          .run();
      if (sqlite3_changes(db.get()) == 0) rejected.push_back(code);
    }
    tx.commit();
    return rejected;
  });
}

Status SqliteStore::erase_all(const std::vector<Erasure>& registrations) {
  return guard([&]() -> Status {
    sql::Lease db(pool_);
    {
      sql::Transaction tx(db.get(), true);
      const std::string now = now_iso();
      for (const auto& [code, person] : registrations) {
        auto r = find_by_code(db.get(), code);
        if (!r) return Status::not_found("iscrizione non trovata");
        // A fresh random token hash: the old link stops working. Role, region
        // and age band stay: categories without the person, so the funder's
        // report keeps its distributions.
        sql::Stmt(db.get(),
                  "UPDATE registrations SET first_name = NULL, last_name = NULL, email = NULL,"
                  " email_norm = NULL, organisation = NULL,"
                  " guardian_name = NULL, notes = NULL, topic = NULL, needs = NULL,"
                  " token_hash = ?2, confirm_hash = NULL, erased_at = COALESCE(erased_at, ?3), erased_person = ?4"
                  " WHERE id = ?1")
            .bind(1, r->id)
            .bind_blob(2, sha256(random_base32(kTokenBytes)))
            .bind(3, now)
            .bind(4, person.empty() ? code : person)
            .run();
        sql::Stmt(db.get(),
                  "UPDATE outbox SET recipient = '', subject = '', body = '',"
                  " delivered_at = COALESCE(delivered_at, ?2),"
                  " last_error = CASE WHEN delivered_at IS NULL THEN ?3"
                  " ELSE last_error END WHERE registration_id = ?1")
            .bind(1, r->id)
            .bind(2, now)
            .bind(3, std::string(kNotSentErased))
            .run();
        sql::Stmt(db.get(), "DELETE FROM idempotency WHERE registration_id = ?1").bind(1, r->id).run();
        // The staff's notes on a tutoring request are about the person.
        sql::Stmt(db.get(), "UPDATE tutoring_cases SET notes = '' WHERE registration_id = ?1").bind(1, r->id).run();
        sql::Stmt(db.get(), "DELETE FROM staff_notes WHERE registration_id = ?1").bind(1, r->id).run();
        // The staff's own words to this one person («Scrivi» on their card).
        sql::Stmt(db.get(), "UPDATE edition_messages SET subject = '', body = '' WHERE registration_code = ?1")
            .bind(1, code)
            .run();
      }
      tx.commit();
    }
    // The old page images are still in the -wal file until a checkpoint
    // copies the new ones over them; TRUNCATE waits for readers (busy
    // timeout) and empties the file.
    return sql::checkpoint_truncate(db.get())
               ? Status::ok()
               : Status::io("dati cancellati, ma il file registrations.sqlite3-wal è in uso e non è stato "
                            "ancora ripulito: ripetere la cancellazione tra qualche secondo");
  });
}

Result<std::vector<OutboxMessage>> SqliteStore::outbox(bool undelivered_only, int limit) {
  return guard([&]() -> Result<std::vector<OutboxMessage>> {
    sql::Lease db(pool_);
    std::string q = std::string("SELECT ") + kMessageColumns +
                    " FROM outbox WHERE ?1 = 0 OR delivered_at IS NULL ORDER BY id DESC LIMIT ?2";
    sql::Stmt s(db.get(), q.c_str());
    s.bind(1, undelivered_only ? 1 : 0).bind(2, limit);
    std::vector<OutboxMessage> out;
    while (s.step()) out.push_back(read_message(s));
    return out;
  });
}

Result<std::vector<OutboxMessage>> SqliteStore::messages_for(std::int64_t registration_id) {
  return guard([&]() -> Result<std::vector<OutboxMessage>> {
    sql::Lease db(pool_);
    std::string q = std::string("SELECT ") + kMessageColumns +
                    " FROM outbox WHERE registration_id = ?1 ORDER BY id";
    sql::Stmt s(db.get(), q.c_str());
    s.bind(1, registration_id);
    std::vector<OutboxMessage> out;
    while (s.step()) out.push_back(read_message(s));
    return out;
  });
}

Result<std::vector<OutboxMessage>> SqliteStore::due_messages(std::int64_t now, int limit) {
  return guard([&]() -> Result<std::vector<OutboxMessage>> {
    sql::Lease db(pool_);
    std::string q = std::string("SELECT ") + kMessageColumns +
                    " FROM outbox WHERE delivered_at IS NULL AND next_attempt_at <= ?1"
                    " ORDER BY id LIMIT ?2";
    sql::Stmt s(db.get(), q.c_str());
    s.bind(1, now).bind(2, limit);
    std::vector<OutboxMessage> out;
    while (s.step()) out.push_back(read_message(s));
    return out;
  });
}

Result<std::vector<OutboxMessage>> SqliteStore::claim_due_messages(std::int64_t now, int limit,
                                                                   std::int64_t lease_seconds) {
  return guard([&]() -> Result<std::vector<OutboxMessage>> {
    sql::Lease db(pool_);
    sql::Transaction tx(db.get(), /*immediate=*/true);  // the write lock: one claimer at a time
    std::vector<OutboxMessage> out;
    {
      std::string q = std::string("SELECT ") + kMessageColumns +
                      " FROM outbox WHERE delivered_at IS NULL AND next_attempt_at <= ?1 ORDER BY id LIMIT ?2";
      sql::Stmt s(db.get(), q.c_str());
      s.bind(1, now).bind(2, limit);
      while (s.step()) out.push_back(read_message(s));
    }
    for (auto& m : out) {
      m.next_attempt_at = now + lease_seconds;
      sql::Stmt(db.get(), "UPDATE outbox SET next_attempt_at = ?2 WHERE id = ?1")
          .bind(1, m.id)
          .bind(2, m.next_attempt_at)
          .run();
    }
    tx.commit();
    return out;
  });
}

Status SqliteStore::mark_delivered(std::int64_t id) {
  return guard([&]() -> Status {
    sql::Lease db(pool_);
    sql::Stmt(db.get(),
              "UPDATE outbox SET delivered_at = ?2, attempts = attempts + 1, last_error = NULL"
              " WHERE id = ?1")
        .bind(1, id)
        .bind(2, now_iso())
        .run();
    return Status::ok();
  });
}

Result<int> SqliteStore::forget_sent_texts(const std::string& delivered_before) {
  return guard([&]() -> Result<int> {
    sql::Lease db(pool_);
    sql::Stmt(db.get(), "UPDATE outbox SET body = '' WHERE delivered_at < ?1 AND body <> ''")
        .bind(1, delivered_before)
        .run();
    return sqlite3_changes(db.get());
  });
}

Status SqliteStore::mark_failed(std::int64_t id, const std::string& error, std::int64_t next) {
  return guard([&]() -> Status {
    sql::Lease db(pool_);
    sql::Stmt(db.get(),
              "UPDATE outbox SET attempts = attempts + 1, last_error = ?2, next_attempt_at = ?3"
              " WHERE id = ?1")
        .bind(1, id)
        .bind(2, error)
        .bind(3, next)
        .run();
    return Status::ok();
  });
}

void SqliteStore::add_message(sqlite3* db, MessageKind kind, const Registration& r) {
  if (!compose_ || r.email.empty()) return;
  OutboxMessage m = compose_(kind, r);
  sql::Stmt(db,
            "INSERT INTO outbox(registration_id, recipient, subject, body, created_at)"
            " VALUES(?1, ?2, ?3, ?4, ?5)")
      .bind(1, r.id)
      .bind(2, m.recipient.empty() ? r.email : m.recipient)
      .bind(3, m.subject)
      .bind(4, m.body)
      .bind(5, now_iso())
      .run();
}

}  // namespace bp::registration::sqlite_detail
