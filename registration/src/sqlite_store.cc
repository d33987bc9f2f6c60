// SQLite implementation of Store. Why it cannot oversell: every write that
// takes a seat runs in BEGIN IMMEDIATE (SQLite's single write lock taken up
// front, so the seat check and the insert see the same state), and the
// editions table keeps a seat counter with CHECK(taken <= capacity) as a
// backstop should a code path forget the lock.
#include <sqlite3.h>

#include <chrono>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>

#include "bp/civil_time.h"
#include "bp/registration/store.h"
#include "crypto.h"
#include "sqlite_schema.h"
#include "sqlite_util.h"

namespace bp::registration {
namespace {

using schema::kMessageColumns;
using schema::kRegistrationColumns;
using schema::read_message;
using schema::read_registration;

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string now_iso() { return utc_iso(now_seconds()); }

constexpr std::int64_t kIdempotencyTtl = 24 * 3600;

std::string lower_ascii(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

Status to_status(const sql::Error& e) {
  if ((e.code & 0xff) == SQLITE_CONSTRAINT)
    return Status::conflict(
        "richiesta in conflitto con i dati già registrati (iscrizione doppia o posti esauriti): "
        "ricarica la pagina e riprova");
  return Status::io(std::string("archivio iscrizioni non disponibile: ") + e.what());
}

class SqliteStore final : public Store {
 public:
  SqliteStore(std::filesystem::path file, Composer compose, StoreTestHooks hooks)
      : pool_(std::move(file)), compose_(std::move(compose)), hooks_(std::move(hooks)) {}

  void migrate() {
    sql::Lease db(pool_);
    sql::Transaction tx(db.get(), true);
    std::int64_t version = 0;
    {
      sql::Stmt s(db.get(), "PRAGMA user_version");
      if (s.step()) version = s.integer(0);
    }
    const auto count = static_cast<std::int64_t>(schema::kMigrationCount);
    if (version > count)
      throw sql::Error("the database was written by a newer version (schema " +
                           std::to_string(version) + ")",
                       SQLITE_ERROR);
    for (std::int64_t v = version; v < count; ++v) sql::exec(db.get(), schema::kMigrations[v]);
    sql::exec(db.get(), ("PRAGMA user_version = " + std::to_string(count)).c_str());
    tx.commit();
  }

  Status sync_editions(const std::vector<EditionSeats>& editions) override {
    return guard([&]() -> Status {
      sql::Lease db(pool_);
      sql::Transaction tx(db.get(), true);
      for (const auto& e : editions) {
        sql::Stmt up(db.get(),
                     "INSERT INTO editions(id, capacity) VALUES(?1, ?2) ON CONFLICT(id) DO UPDATE"
                     " SET capacity = MAX(excluded.capacity, taken)");
        up.bind(1, e.id).bind(2, e.capacity).run();
        // A larger capacity lets people waiting in.
        while (promote_first_waiting(db.get(), e.id, /*seat_freed=*/false)) {
        }
      }
      tx.commit();
      return Status::ok();
    });
  }

  Result<RegisterOutcome> register_person(const NewRegistration& in) override {
    return guard([&]() -> Result<RegisterOutcome> {
      sql::Lease db(pool_);
      if (hooks_.unsafe_no_locking) return register_unsafe(db.get(), in);
      sql::Transaction tx(db.get(), /*immediate=*/true);
      const std::int64_t now = now_seconds();
      sql::Stmt(db.get(), "DELETE FROM idempotency WHERE created_at < ?1")
          .bind(1, now - kIdempotencyTtl)
          .run();
      if (!in.idempotency_key.empty()) {
        sql::Stmt s(db.get(),
                    "SELECT fingerprint, registration_id, answer_url, status, position"
                    " FROM idempotency WHERE key = ?1");
        s.bind(1, in.idempotency_key);
        if (s.step()) {
          if (s.text(0) != in.fingerprint)
            return Status::conflict(
                "la chiave Idempotency-Key è già stata usata per una richiesta diversa");
          RegisterOutcome out;
          auto r = find_by_id(db.get(), s.integer(1));
          if (!r) return Status::not_found("iscrizione non trovata");
          out.registration = *r;
          out.registration.status = s.text(3);
          out.registration.position = static_cast<int>(s.integer(4));
          out.answer_url = s.text(2);
          out.replayed = true;
          return out;
        }
      }
      const std::string email_norm = lower_ascii(in.person.email);
      {
        sql::Stmt s(db.get(),
                    "SELECT 1 FROM registrations WHERE edition_id = ?1 AND email_norm = ?2"
                    " AND status <> 'cancelled'");
        s.bind(1, in.person.edition_id).bind(2, email_norm);
        if (s.step())
          return Status::conflict(
              "questo indirizzo e-mail è già iscritto a questa edizione: controlla la mail di "
              "conferma o annulla l'iscrizione precedente");
      }
      std::int64_t capacity = 0, taken = 0;
      {
        sql::Stmt s(db.get(), "SELECT capacity, taken FROM editions WHERE id = ?1");
        s.bind(1, in.person.edition_id);
        if (!s.step()) return Status::not_found("edizione sconosciuta");
        capacity = s.integer(0);
        taken = s.integer(1);
      }
      if (hooks_.after_seat_check) hooks_.after_seat_check();
      const bool seat = taken < capacity;
      if (seat) {
        sql::Stmt(db.get(), "UPDATE editions SET taken = taken + 1 WHERE id = ?1")
            .bind(1, in.person.edition_id)
            .run();
      }
      Registration r = insert(db.get(), in.person, email_norm, seat ? "confirmed" : "waitlisted");
      if (!seat) r.position = position_of(db.get(), r);
      add_message(db.get(), seat ? MessageKind::kConfirmed : MessageKind::kWaitlisted, r);
      if (!in.idempotency_key.empty()) {
        sql::Stmt(db.get(),
                  "INSERT INTO idempotency(key, fingerprint, registration_id, answer_url, status,"
                  " position, created_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)")
            .bind(1, in.idempotency_key)
            .bind(2, in.fingerprint)
            .bind(3, r.id)
            .bind(4, in.answer_url)
            .bind(5, r.status)
            .bind(6, r.position)
            .bind(7, now)
            .run();
      }
      tx.commit();
      return RegisterOutcome{r, in.answer_url, false};
    });
  }

  Result<Registration> find(const std::string& code) override {
    return guard([&]() -> Result<Registration> {
      sql::Lease db(pool_);
      sql::Transaction tx(db.get(), false);  // one snapshot for the row and its position
      auto r = find_by_code(db.get(), code);
      if (!r) return Status::not_found("iscrizione non trovata");
      return *r;
    });
  }

  Result<Registration> cancel(const std::string& code) override {
    return guard([&]() -> Result<Registration> {
      sql::Lease db(pool_);
      sql::Transaction tx(db.get(), true);
      auto r = find_by_code(db.get(), code);
      if (!r) return Status::not_found("iscrizione non trovata");
      if (r->status == "cancelled") return Status::conflict("l'iscrizione è già stata annullata");
      const bool had_seat = r->status == "confirmed";
      const std::string now = now_iso();
      sql::Stmt(db.get(),
                "UPDATE registrations SET status = 'cancelled', cancelled_at = ?2 WHERE id = ?1")
          .bind(1, r->id)
          .bind(2, now)
          .run();
      r->status = "cancelled";
      r->cancelled_at = now;
      r->position = 0;
      add_message(db.get(), MessageKind::kCancelled, *r);
      if (had_seat && !promote_first_waiting(db.get(), r->edition_id, /*seat_freed=*/true)) {
        sql::Stmt(db.get(), "UPDATE editions SET taken = taken - 1 WHERE id = ?1")
            .bind(1, r->edition_id)
            .run();
      }
      tx.commit();
      return *r;
    });
  }

  Result<std::vector<Registration>> list(const std::string& edition_id) override {
    return guard([&]() -> Result<std::vector<Registration>> {
      sql::Lease db(pool_);
      sql::Transaction tx(db.get(), false);
      std::string q = std::string("SELECT ") + kRegistrationColumns +
                      " FROM registrations WHERE ?1 = '' OR edition_id = ?1 ORDER BY id";
      sql::Stmt s(db.get(), q.c_str());
      s.bind(1, edition_id);
      std::vector<Registration> out;
      std::map<std::string, int> waiting;  // edition -> people waiting so far
      while (s.step()) {
        out.push_back(read_registration(s));
        if (out.back().status == "waitlisted") out.back().position = ++waiting[out.back().edition_id];
      }
      return out;
    });
  }

  Result<std::vector<EditionCounts>> counts() override {
    return guard([&]() -> Result<std::vector<EditionCounts>> {
      sql::Lease db(pool_);
      sql::Stmt s(db.get(),
                  "SELECT e.id, e.capacity,"
                  " COALESCE(SUM(r.status = 'confirmed'), 0), COALESCE(SUM(r.status = 'waitlisted'), 0),"
                  " COALESCE(SUM(r.status = 'cancelled'), 0),"
                  " COALESCE(SUM(r.status = 'confirmed' AND r.attended = 1), 0)"
                  " FROM editions e LEFT JOIN registrations r ON r.edition_id = e.id"
                  " GROUP BY e.id ORDER BY e.id");
      std::vector<EditionCounts> out;
      while (s.step()) {
        EditionCounts c;
        c.edition_id = s.text(0);
        c.capacity = static_cast<int>(s.integer(1));
        c.confirmed = static_cast<int>(s.integer(2));
        c.waitlisted = static_cast<int>(s.integer(3));
        c.cancelled = static_cast<int>(s.integer(4));
        c.attended = static_cast<int>(s.integer(5));
        out.push_back(c);
      }
      return out;
    });
  }

  Result<std::vector<std::string>> set_attendance(const std::string& edition_id,
                                                  const std::vector<std::string>& codes,
                                                  bool attended) override {
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

  Status erase(const std::string& code) override {
    return guard([&]() -> Status {
      sql::Lease db(pool_);
      sql::Transaction tx(db.get(), true);
      auto r = find_by_code(db.get(), code);
      if (!r) return Status::not_found("iscrizione non trovata");
      const std::string now = now_iso();
      // A fresh random token hash: the old link stops working.
      sql::Stmt(db.get(),
                "UPDATE registrations SET first_name = NULL, last_name = NULL, email = NULL,"
                " email_norm = NULL, organisation = NULL, role = NULL, region = NULL,"
                " age_band = NULL, guardian_name = NULL, notes = NULL, topic = NULL, needs = NULL,"
                " token_hash = ?2, erased_at = ?3 WHERE id = ?1")
          .bind(1, r->id)
          .bind_blob(2, sha256(random_base32(20)))
          .bind(3, now)
          .run();
      sql::Stmt(db.get(),
                "UPDATE outbox SET recipient = '', subject = '', body = '',"
                " delivered_at = COALESCE(delivered_at, ?2),"
                " last_error = CASE WHEN delivered_at IS NULL THEN 'dati cancellati su richiesta'"
                " ELSE last_error END WHERE registration_id = ?1")
          .bind(1, r->id)
          .bind(2, now)
          .run();
      sql::Stmt(db.get(), "DELETE FROM idempotency WHERE registration_id = ?1").bind(1, r->id).run();
      tx.commit();
      return Status::ok();
    });
  }

  Result<std::vector<OutboxMessage>> outbox(bool undelivered_only, int limit) override {
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

  Result<std::vector<OutboxMessage>> messages_for(std::int64_t registration_id) override {
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

  Result<std::vector<OutboxMessage>> due_messages(std::int64_t now, int limit) override {
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

  Status mark_delivered(std::int64_t id) override {
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

  Status mark_failed(std::int64_t id, const std::string& error, std::int64_t next) override {
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

 private:
  template <typename F>
  static auto guard(F&& f) -> decltype(f()) {
    try {
      return f();
    } catch (const sql::Error& e) {
      return to_status(e);
    } catch (const std::exception& e) {
      return Status::io(std::string("archivio iscrizioni: ") + e.what());
    }
  }

  // The control path for the concurrency test: count, wait, insert, with no
  // lock held across them and no seat counter.
  Result<RegisterOutcome> register_unsafe(sqlite3* db, const NewRegistration& in) {
    std::int64_t capacity = 0, taken = 0;
    {
      sql::Stmt s(db,
                  "SELECT capacity, (SELECT COUNT(*) FROM registrations WHERE edition_id = ?1"
                  " AND status = 'confirmed') FROM editions WHERE id = ?1");
      s.bind(1, in.person.edition_id);
      if (!s.step()) return Status::not_found("edizione sconosciuta");
      capacity = s.integer(0);
      taken = s.integer(1);
    }
    if (hooks_.after_seat_check) hooks_.after_seat_check();
    sql::Transaction tx(db, /*immediate=*/false);
    const bool seat = taken < capacity;
    Registration r = insert(db, in.person, lower_ascii(in.person.email), seat ? "confirmed" : "waitlisted");
    tx.commit();
    return RegisterOutcome{r, in.answer_url, false};
  }

  Registration insert(sqlite3* db, const Registration& p, const std::string& email_norm,
                      const std::string& status) {
    Registration r = p;
    r.status = status;
    r.created_at = now_iso();
    sql::Stmt s(db,
                "INSERT INTO registrations(code, token_hash, edition_id, status, first_name,"
                " last_name, email, email_norm, organisation, role, region, age_band, guardian_name,"
                " guardian_consent, consent, consent_at, privacy_version, notes, topic, needs,"
                " created_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
                " ?15, ?16, ?17, ?18, ?19, ?20, ?21)");
    s.bind(1, r.code).bind_blob(2, r.token_hash).bind(3, r.edition_id).bind(4, r.status);
    s.bind(5, r.first_name).bind(6, r.last_name).bind(7, r.email).bind(8, email_norm);
    s.bind_opt(9, r.organisation).bind(10, r.role).bind(11, r.region).bind(12, r.age_band);
    s.bind_opt(13, r.guardian_name).bind(14, r.guardian_consent ? 1 : 0).bind(15, r.consent ? 1 : 0);
    s.bind(16, r.consent_at).bind(17, r.privacy_version).bind_opt(18, r.notes);
    s.bind_opt(19, r.topic).bind_opt(20, r.needs).bind(21, r.created_at);
    s.run();
    r.id = sqlite3_last_insert_rowid(db);
    return r;
  }

  int position_of(sqlite3* db, const Registration& r) {
    sql::Stmt s(db,
                "SELECT COUNT(*) FROM registrations WHERE edition_id = ?1 AND status = 'waitlisted'"
                " AND id <= ?2");
    s.bind(1, r.edition_id).bind(2, r.id);
    s.step();
    return static_cast<int>(s.integer(0));
  }

  // Gives a seat to the first person waiting on `edition`. With
  // `seat_freed` the seat was just released by a cancellation (the counter
  // stays); otherwise a free seat is needed and the counter grows.
  bool promote_first_waiting(sqlite3* db, const std::string& edition, bool seat_freed) {
    if (!seat_freed) {
      sql::Stmt s(db, "SELECT taken < capacity FROM editions WHERE id = ?1");
      s.bind(1, edition);
      if (!s.step() || s.integer(0) == 0) return false;
    }
    std::string q = std::string("SELECT ") + kRegistrationColumns +
                    " FROM registrations WHERE edition_id = ?1 AND status = 'waitlisted'"
                    " ORDER BY id LIMIT 1";
    sql::Stmt s(db, q.c_str());
    s.bind(1, edition);
    if (!s.step()) return false;
    Registration next = read_registration(s);
    next.status = "confirmed";
    next.promoted_at = now_iso();
    sql::Stmt(db, "UPDATE registrations SET status = 'confirmed', promoted_at = ?2 WHERE id = ?1")
        .bind(1, next.id)
        .bind(2, next.promoted_at)
        .run();
    if (!seat_freed)
      sql::Stmt(db, "UPDATE editions SET taken = taken + 1 WHERE id = ?1").bind(1, edition).run();
    add_message(db, MessageKind::kPromoted, next);
    return true;
  }

  void add_message(sqlite3* db, MessageKind kind, const Registration& r) {
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

  std::optional<Registration> find_where(sqlite3* db, const char* where, const std::string* code,
                                         std::int64_t id) {
    std::string q = std::string("SELECT ") + kRegistrationColumns + " FROM registrations WHERE " + where;
    sql::Stmt s(db, q.c_str());
    if (code)
      s.bind(1, *code);
    else
      s.bind(1, id);
    if (!s.step()) return std::nullopt;
    Registration r = read_registration(s);
    if (r.status == "waitlisted") r.position = position_of(db, r);
    return r;
  }
  std::optional<Registration> find_by_code(sqlite3* db, const std::string& code) {
    return find_where(db, "code = ?1", &code, 0);
  }
  std::optional<Registration> find_by_id(sqlite3* db, std::int64_t id) {
    return find_where(db, "id = ?1", nullptr, id);
  }

  sql::Pool pool_;
  Composer compose_;
  StoreTestHooks hooks_;
};

}  // namespace

Result<std::unique_ptr<Store>> open_sqlite_store(const std::filesystem::path& data_dir,
                                                 Composer compose, StoreTestHooks hooks) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) return Status::io("impossibile creare la cartella dei dati " + data_dir.string() + ": " + ec.message());
  try {
    auto store = std::make_unique<SqliteStore>(data_dir / "registrations.sqlite3", std::move(compose),
                                               std::move(hooks));
    store->migrate();
    return std::unique_ptr<Store>(std::move(store));
  } catch (const sql::Error& e) {
    return Status::io("impossibile aprire l'archivio delle iscrizioni in " + data_dir.string() +
                      ": " + e.what());
  }
}

}  // namespace bp::registration
