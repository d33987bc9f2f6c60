// Seats, holds and the waiting list (sqlite_store_impl.h says why the store
// cannot oversell), migrations, and open_sqlite_store().
#include <chrono>
#include <map>

#include "bp/civil_time.h"
#include "bp/registration/store.h"
#include "crypto.h"
#include "schema_migrations.h"
#include "sqlite_schema.h"
#include "sqlite_store_impl.h"
#include "store_test_hooks.h"

namespace bp::registration::sqlite_detail {

using schema::kMessageColumns;
using schema::kRegistrationColumns;
using schema::read_message;
using schema::read_registration;

void SqliteStore::migrate() {
  sql::Lease db(pool_);
  // Rebuilding a table that others reference needs foreign keys off, and
  // the pragma is a no-op inside a transaction: set it around it.
  sql::exec(db.get(), "PRAGMA foreign_keys=OFF");
  struct Restore {
    sqlite3* db;
    ~Restore() { sqlite3_exec(db, "PRAGMA foreign_keys=ON", nullptr, nullptr, nullptr); }
  } restore{db.get()};
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
  for (std::int64_t v = version; v < count; ++v) sql::exec(db.get(), schema::kMigrations[v].sqlite);
  {
    sql::Stmt check(db.get(), "PRAGMA foreign_key_check");
    if (check.step()) throw sql::Error("migration left a dangling reference in " + check.text(0), SQLITE_ERROR);
  }
  sql::exec(db.get(), ("PRAGMA user_version = " + std::to_string(count)).c_str());
  tx.commit();
}

Status SqliteStore::sync_editions(const std::vector<EditionSeats>& editions) {
  offers_.learn(editions);  // before fill_seats below offers a seat
  return guard([&]() -> Status {
    sql::Lease db(pool_);
    sql::Transaction tx(db.get(), true);
    for (const auto& e : editions) {
      sql::Stmt up(db.get(),
                   "INSERT INTO editions(id, capacity) VALUES(?1, ?2) ON CONFLICT(id) DO UPDATE"
                   " SET capacity = excluded.capacity");
      up.bind(1, e.id).bind(2, e.capacity).run();
      fill_seats(db.get(), e.id);  // a larger capacity lets people waiting in
    }
    tx.commit();
    return Status::ok();
  });
}

Result<RegisterOutcome> SqliteStore::register_person(const NewRegistration& in) {
  return guard([&]() -> Result<RegisterOutcome> {
    sql::Lease db(pool_);
    if (hooks_.unsafe_no_locking) return register_unsafe(db.get(), in);
    sql::Transaction tx(db.get(), /*immediate=*/true);
    const std::int64_t now = now_seconds();
    expire_due(db.get(), now);  // lapsed holds give their seats back first
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
    if (const Status refused = duplicate_refusal(in, places_of(db.get(), in.person, 0)); !refused.is_ok())
      return refused;
    std::int64_t capacity = 0, taken = 0;
    {
      sql::Stmt s(db.get(), "SELECT capacity, taken, paused_at IS NOT NULL FROM editions WHERE id = ?1");
      s.bind(1, in.person.edition_id);
      if (!s.step()) return Status::not_found("edizione sconosciuta");
      capacity = s.integer(0);
      taken = s.integer(1);
      if (s.integer(2) != 0 && !in.taken_by_staff) return Status::conflict(kRegistrationsPaused);
    }
    if (hooks().after_seat_check) hooks().after_seat_check();
    const bool seat = taken < capacity;
    const bool hold = seat && options_.hold_seconds > 0 && !in.taken_by_staff;
    if (hold && options_.max_pending_per_address > 0) {
      sql::Stmt s(db.get(), "SELECT COUNT(*) FROM registrations WHERE email_norm = ?1 AND status = 'pending'");
      s.bind(1, email_norm).step();
      if (s.integer(0) >= options_.max_pending_per_address)
        return Status::conflict(pending_limit_message(s.integer(0)));
    }
    if (seat) {
      sql::Stmt(db.get(), "UPDATE editions SET taken = taken + 1 WHERE id = ?1")
          .bind(1, in.person.edition_id)
          .run();
    }
    Registration person = in.person;
    person.taken_by_staff = in.taken_by_staff;
    if (hold) person.hold_expires_at = now + options_.hold_seconds;
    else person.confirm_hash.clear();
    Registration r = insert(db.get(), person, email_norm, hold ? "pending" : seat ? "confirmed" : "waitlisted");
    if (!seat) r.position = position_of(db.get(), r);
    add_message(db.get(), hold ? MessageKind::kHeld : seat ? MessageKind::kConfirmed : MessageKind::kWaitlisted, r);
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

Result<Registration> SqliteStore::find(const std::string& code) {
  return guard([&]() -> Result<Registration> {
    std::optional<Registration> r;
    {
      sql::Lease db(pool_);
      sql::Transaction tx(db.get(), false);  // one snapshot for the row and its position
      r = find_by_code(db.get(), code);
    }
    if (!r) return Status::not_found("iscrizione non trovata");
    if (r->status != "pending" || r->hold_expires_at > now_seconds()) return *r;
    // A lapsed hold: expire it (and promote) before showing it.
    sql::Lease db(pool_);
    sql::Transaction tx(db.get(), true);
    expire_due(db.get(), now_seconds());
    r = find_by_code(db.get(), code);
    tx.commit();
    if (!r) return Status::not_found("iscrizione non trovata");
    return *r;
  });
}

Result<Registration> SqliteStore::cancel(const std::string& code) {
  return guard([&]() -> Result<Registration> {
    sql::Lease db(pool_);
    sql::Transaction tx(db.get(), true);
    expire_due(db.get(), now_seconds());
    auto r = find_by_code(db.get(), code);
    if (!r) return Status::not_found("iscrizione non trovata");
    if (r->status == "cancelled") return Status::conflict("l'iscrizione è già stata annullata");
    if (r->status == "expired")
      return Status::conflict("la prenotazione del posto è scaduta perché non è stata confermata in tempo");
    const bool had_seat = r->status == "confirmed" || r->status == "pending";
    const std::string now = now_iso();
    sql::Stmt(db.get(),
              "UPDATE registrations SET status = 'cancelled', cancelled_at = ?2, confirm_hash = NULL,"
              " hold_expires_at = NULL WHERE id = ?1")
        .bind(1, r->id)
        .bind(2, now)
        .run();
    r->status = "cancelled";
    r->cancelled_at = now;
    r->position = 0;
    r->hold_expires_at = 0;
    r->confirm_hash.clear();
    add_message(db.get(), MessageKind::kCancelled, *r);
    if (had_seat) release_seat(db.get(), r->edition_id);
    tx.commit();
    return *r;
  });
}

Result<Registration> SqliteStore::confirm(const std::string& code, const std::vector<std::string>& sibling_editions) {
  return guard([&]() -> Result<Registration> {
    sql::Lease db(pool_);
    sql::Transaction tx(db.get(), true);
    expire_due(db.get(), now_seconds());
    auto r = find_by_code(db.get(), code);
    if (!r) return Status::not_found("iscrizione non trovata");
    if (r->status == "confirmed") return *r;
    if (r->status == "expired") return confirm_lapsed(db.get(), &tx, *r, sibling_editions);
    if (r->status == "waitlisted")
      return Status::conflict("sei in lista d'attesa: quando si libera un posto ti scriviamo per confermarlo");
    if (Status why = check_confirm(*r); !why.is_ok()) return why;
    const std::string now = now_iso();
    sql::Stmt(db.get(),
              "UPDATE registrations SET status = 'confirmed', confirmed_at = ?2,"
              " hold_expires_at = NULL WHERE id = ?1")
        .bind(1, r->id)
        .bind(2, now)
        .run();
    // confirm_hash stays: the link opened again says "already confirmed".
    r->status = "confirmed";
    r->confirmed_at = now;
    r->hold_expires_at = 0;
    add_message(db.get(), MessageKind::kConfirmed, *r);
    tx.commit();
    return *r;
  });
}

Result<int> SqliteStore::expire_holds(std::int64_t now) {
  return guard([&]() -> Result<int> {
    sql::Lease db(pool_);
    if (!holds_due(db.get(), now)) return 0;
    sql::Transaction tx(db.get(), true);
    const int n = expire_due(db.get(), now);
    tx.commit();
    return n;
  });
}

Result<int> SqliteStore::resend_links(const std::string& email) {
  return guard([&]() -> Result<int> {
    sql::Lease db(pool_);
    sql::Transaction tx(db.get(), true);
    expire_due(db.get(), now_seconds());
    std::string q = std::string("SELECT ") + kRegistrationColumns +
                    " FROM registrations WHERE email_norm = ?1 AND " + kActive + " ORDER BY id";
    std::vector<Registration> rows;
    {
      sql::Stmt s(db.get(), q.c_str());
      s.bind(1, lower_ascii(email));
      while (s.step()) rows.push_back(read_registration(s));
    }
    for (auto& r : rows) {
      if (r.status == "waitlisted") r.position = position_of(db.get(), r);
      renew_links(r);
      sql::Stmt(db.get(), "UPDATE registrations SET token_hash = ?2, confirm_hash = ?3 WHERE id = ?1")
          .bind(1, r.id)
          .bind_blob(2, r.token_hash)
          .bind_blob_opt(3, r.confirm_hash)
          .run();
      add_message(db.get(), MessageKind::kLinks, r);
    }
    tx.commit();
    return static_cast<int>(rows.size());
  });
}

Result<Registration> SqliteStore::correct_contact(const std::string& code, const ContactCorrection& c) {
  return guard([&]() -> Result<Registration> {
    sql::Lease db(pool_);
    sql::Transaction tx(db.get(), true);
    const std::int64_t now = now_seconds();
    expire_due(db.get(), now);
    auto r = find_by_code(db.get(), code);
    if (!r) return Status::not_found("iscrizione non trovata");
    if (!r->erased_at.empty()) return nothing_to_correct();
    if (const Registration after = corrected_person(*r, c); is_active(r->status) && !same_person(after, *r))
      if (Status why = correction_refusal(*r, c, places_of(db.get(), after, r->id)); !why.is_ok()) return why;
    if (r->status == "waitlisted") r->position = position_of(db.get(), *r);
    const bool moved = apply_correction(*r, c, now, options_.hold_seconds);
    sql::Stmt(db.get(),
              "UPDATE registrations SET first_name = ?2, last_name = ?3, email = ?4, email_norm = ?5,"
              " organisation = ?6, role = ?7, region = ?8, token_hash = ?9, confirm_hash = ?10,"
              " hold_expires_at = NULLIF(?11, 0), age_band = ?12 WHERE id = ?1")
        .bind(1, r->id)
        .bind(2, r->first_name)
        .bind(3, r->last_name)
        .bind(4, r->email)
        .bind(5, lower_ascii(r->email))
        .bind_opt(6, r->organisation)
        .bind(7, r->role)
        .bind(8, r->region)
        .bind_blob(9, r->token_hash)
        .bind_blob_opt(10, r->confirm_hash)
        .bind(11, r->hold_expires_at)
        .bind(12, r->age_band)
        .run();
    if (moved) {
      sql::Stmt(db.get(), "DELETE FROM outbox WHERE registration_id = ?1 AND delivered_at IS NULL")
          .bind(1, r->id)
          .run();
      // The reminder before the first meeting goes to the new address too.
      sql::Stmt(db.get(), "UPDATE registrations SET reminded_at = NULL WHERE id = ?1").bind(1, r->id).run();
      if (is_active(r->status)) add_message(db.get(), MessageKind::kCorrected, *r);
    }
    tx.commit();
    return *r;
  });
}

Result<Registration> SqliteStore::move(const std::string& code, const std::string& expected, const std::string& to) {
  return guard([&]() -> Result<Registration> {
    sql::Lease db(pool_);
    sql::Transaction tx(db.get(), true);
    expire_due(db.get(), now_seconds());
    auto r = find_by_code(db.get(), code);
    if (!r) return Status::not_found("iscrizione non trovata");
    {
      sql::Stmt s(db.get(), "SELECT taken < capacity FROM editions WHERE id = ?1");
      s.bind(1, to);
      if (!s.step()) return Status::not_found("edizione sconosciuta: " + to);
      if (Status why = check_move(*r, expected, to); !why.is_ok()) return why;
      if (s.integer(0) == 0) return no_seat_to_move(to);
    }
    // The same person (a child: the same child) already there.
    if (const HeldPlace* there = held_among(places_of(db.get(), *r, r->id), to, {})) return already_in(to, there->code);
    const std::string from = r->edition_id;
    const bool had_seat = r->status == "confirmed" || r->status == "pending";
    apply_move(*r, to, now_iso());
    sql::Stmt(db.get(), "UPDATE editions SET taken = taken + 1 WHERE id = ?1").bind(1, to).run();
    sql::Stmt(db.get(),
              "UPDATE registrations SET edition_id = ?2, status = ?3, confirmed_at = ?4, attended = 0,"
              " reminded_at = NULL WHERE id = ?1")
        .bind(1, r->id)
        .bind(2, to)
        .bind(3, r->status)
        .bind_opt(4, r->confirmed_at)
        .run();
    sql::Stmt(db.get(), "DELETE FROM meeting_attendance WHERE registration_id = ?1").bind(1, r->id).run();
    add_message(db.get(), MessageKind::kMoved, *r);
    if (had_seat) release_seat(db.get(), from);
    tx.commit();
    return *r;
  });
}

Result<std::vector<Registration>> SqliteStore::list(const std::string& edition_id) {
  return guard([&]() -> Result<std::vector<Registration>> {
    if (auto n = expire_holds(now_seconds()); !n.ok()) return n.status();
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

Result<std::vector<EditionCounts>> SqliteStore::counts() {
  return guard([&]() -> Result<std::vector<EditionCounts>> {
    if (auto n = expire_holds(now_seconds()); !n.ok()) return n.status();
    sql::Lease db(pool_);
    sql::Stmt s(db.get(),
                "SELECT e.id, e.capacity, e.taken,"
                " COALESCE(SUM(r.status = 'pending'), 0), COALESCE(SUM(r.status = 'confirmed'), 0),"
                " COALESCE(SUM(r.status = 'waitlisted'), 0), COALESCE(SUM(r.status = 'cancelled'), 0),"
                " COALESCE(SUM(r.status = 'expired'), 0),"
                " COALESCE(SUM(r.status = 'confirmed' AND r.attended = 1), 0),"
                " COALESCE(e.paused_at, ''), COALESCE(e.paused_by, '')"
                " FROM editions e LEFT JOIN registrations r ON r.edition_id = e.id"
                " GROUP BY e.id ORDER BY e.id");
    std::vector<EditionCounts> out;
    while (s.step()) {
      EditionCounts c;
      c.edition_id = s.text(0);
      c.capacity = static_cast<int>(s.integer(1));
      c.taken = static_cast<int>(s.integer(2));
      c.pending = static_cast<int>(s.integer(3));
      c.confirmed = static_cast<int>(s.integer(4));
      c.waitlisted = static_cast<int>(s.integer(5));
      c.cancelled = static_cast<int>(s.integer(6));
      c.expired = static_cast<int>(s.integer(7));
      c.attended = static_cast<int>(s.integer(8));
      c.paused_at = s.text(9);
      c.paused_by = s.text(10);
      out.push_back(c);
    }
    return out;
  });
}

std::int64_t SqliteStore::now_seconds() const {
  if (hooks().clock) return hooks().clock();
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Result<RegisterOutcome> SqliteStore::register_unsafe(sqlite3* db, const NewRegistration& in) {
  std::int64_t capacity = 0, taken = 0;
  {
    sql::Stmt s(db, (std::string("SELECT capacity, (SELECT COUNT(*) FROM registrations WHERE edition_id = ?1"
                                 " AND ") + kHoldsSeat + ") FROM editions WHERE id = ?1").c_str());
    s.bind(1, in.person.edition_id);
    if (!s.step()) return Status::not_found("edizione sconosciuta");
    capacity = s.integer(0);
    taken = s.integer(1);
  }
  if (hooks().after_seat_check) hooks().after_seat_check();
  sql::Transaction tx(db, /*immediate=*/false);
  const bool seat = taken < capacity;
  const bool hold = seat && options_.hold_seconds > 0;
  Registration person = in.person;
  person.taken_by_staff = in.taken_by_staff;
  if (hold) person.hold_expires_at = now_seconds() + options_.hold_seconds;
  Registration r = insert(db, person, lower_ascii(in.person.email), hold ? "pending" : seat ? "confirmed" : "waitlisted");
  tx.commit();
  return RegisterOutcome{r, in.answer_url, false};
}

Registration SqliteStore::insert(sqlite3* db, const Registration& p, const std::string& email_norm,
                               const std::string& status) {
  Registration r = p;
  r.status = status;
  r.created_at = now_iso();
  if (status == "confirmed") r.confirmed_at = r.created_at;
  if (status != "pending") {
    r.hold_expires_at = 0;
    r.confirm_hash.clear();
  }
  sql::Stmt s(db,
              "INSERT INTO registrations(code, token_hash, edition_id, status, first_name,"
              " last_name, email, email_norm, organisation, role, region, age_band, guardian_name,"
              " guardian_consent, consent, consent_at, privacy_version, notes, topic, needs,"
              " created_at, confirm_hash, hold_expires_at, confirmed_at, taken_by_staff) VALUES(?1, ?2, ?3, ?4,"
              " ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25)");
  s.bind(1, r.code).bind_blob(2, r.token_hash).bind(3, r.edition_id).bind(4, r.status);
  s.bind(5, r.first_name).bind(6, r.last_name).bind(7, r.email).bind(8, email_norm);
  s.bind_opt(9, r.organisation).bind(10, r.role).bind(11, r.region).bind(12, r.age_band);
  s.bind_opt(13, r.guardian_name).bind(14, r.guardian_consent ? 1 : 0).bind(15, r.consent ? 1 : 0);
  s.bind(16, r.consent_at).bind(17, r.privacy_version).bind_opt(18, r.notes);
  s.bind_opt(19, r.topic).bind_opt(20, r.needs).bind(21, r.created_at);
  s.bind_blob_opt(22, r.confirm_hash);
  if (r.hold_expires_at) s.bind(23, r.hold_expires_at);
  else s.bind_null(23);
  s.bind_opt(24, r.confirmed_at).bind(25, r.taken_by_staff ? 1 : 0);
  s.run();
  r.id = sqlite3_last_insert_rowid(db);
  return r;
}

int SqliteStore::position_of(sqlite3* db, const Registration& r) {
  sql::Stmt s(db,
              "SELECT COUNT(*) FROM registrations WHERE edition_id = ?1 AND status = 'waitlisted'"
              " AND id <= ?2");
  s.bind(1, r.edition_id).bind(2, r.id);
  s.step();
  return static_cast<int>(s.integer(0));
}

std::vector<HeldPlace> SqliteStore::places_of(sqlite3* db, const Registration& person, std::int64_t except_id) {
  const std::string q = std::string("SELECT ") + kRegistrationColumns +
                        " FROM registrations WHERE email_norm = ?1 AND id <> ?2 AND " + kActive + " ORDER BY id";
  sql::Stmt s(db, q.c_str());
  s.bind(1, lower_ascii(person.email)).bind(2, except_id);
  std::vector<HeldPlace> held;
  while (s.step())
    if (const Registration other = read_registration(s); same_person(other, person))
      held.push_back({other.edition_id, other.code});
  return held;
}

Result<Registration> SqliteStore::confirm_lapsed(sqlite3* db, sql::Transaction* tx, Registration r,
                                                 const std::vector<std::string>& sibling_editions) {
  if (r.confirm_hash.empty() || !r.erased_at.empty()) return Status::conflict(kHoldLapsed);
  // The same person (a child: the same child) registered again, here or in
  // another edition of the activity.
  if (Status why = registered_since(r, sibling_editions, places_of(db, r, r.id)); !why.is_ok()) return why;
  {
    sql::Stmt s(db, "SELECT capacity, taken FROM editions WHERE id = ?1");
    s.bind(1, r.edition_id);
    if (!s.step() || s.integer(1) >= s.integer(0)) return Status::conflict(kHoldLapsedNoSeat);
  }
  const std::string now = now_iso();
  sql::Stmt(db, "UPDATE editions SET taken = taken + 1 WHERE id = ?1").bind(1, r.edition_id).run();
  sql::Stmt(db, "UPDATE registrations SET status = 'confirmed', confirmed_at = ?2, expired_at = NULL WHERE id = ?1")
      .bind(1, r.id)
      .bind(2, now)
      .run();
  r.status = "confirmed";
  r.confirmed_at = now;
  r.expired_at.clear();
  add_message(db, MessageKind::kConfirmed, r);
  tx->commit();
  return r;
}

bool SqliteStore::holds_due(sqlite3* db, std::int64_t now) {
  sql::Stmt s(db, "SELECT 1 FROM registrations WHERE status = 'pending' AND hold_expires_at <= ?1 LIMIT 1");
  s.bind(1, now);
  return s.step();
}

int SqliteStore::expire_due(sqlite3* db, std::int64_t now) {
  std::vector<Registration> due;
  {
    std::string q = std::string("SELECT ") + kRegistrationColumns +
                    " FROM registrations WHERE status = 'pending' AND hold_expires_at <= ?1 ORDER BY id";
    sql::Stmt s(db, q.c_str());
    s.bind(1, now);
    while (s.step()) due.push_back(read_registration(s));
  }
  const std::string at = utc_iso(now);
  for (auto& r : due) {
    sql::Stmt(db,
              "UPDATE registrations SET status = 'expired', expired_at = ?2,"
              " hold_expires_at = NULL WHERE id = ?1")
        .bind(1, r.id)
        .bind(2, at)
        .run();
    r.status = "expired";
    r.expired_at = at;
    add_message(db, MessageKind::kExpired, r);
    release_seat(db, r.edition_id);
  }
  return static_cast<int>(due.size());
}

void SqliteStore::release_seat(sqlite3* db, const std::string& edition) {
  sql::Stmt(db, "UPDATE editions SET taken = taken - 1 WHERE id = ?1").bind(1, edition).run();
  fill_seats(db, edition);
}

void SqliteStore::fill_seats(sqlite3* db, const std::string& edition) {
  while (promote_first_waiting(db, edition)) {
  }
}

bool SqliteStore::promote_first_waiting(sqlite3* db, const std::string& edition) {
  if (!offers_.fills_freed_seats(edition, now_seconds())) return false;
  {
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
  const std::int64_t now = now_seconds();
  promote(next, now, next.taken_by_staff ? 0 : offers_.hold_until(edition, now));
  sql::Stmt up(db,
               "UPDATE registrations SET status = ?2, promoted_at = ?3, hold_expires_at = ?4,"
               " confirm_hash = ?5, confirmed_at = ?6 WHERE id = ?1");
  up.bind(1, next.id).bind(2, next.status).bind(3, next.promoted_at);
  if (next.hold_expires_at) up.bind(4, next.hold_expires_at);
  else up.bind_null(4);
  up.bind_blob_opt(5, next.confirm_hash).bind_opt(6, next.confirmed_at).run();
  sql::Stmt(db, "UPDATE editions SET taken = taken + 1 WHERE id = ?1").bind(1, edition).run();
  add_message(db, MessageKind::kPromoted, next);
  return true;
}

std::optional<Registration> SqliteStore::find_where(sqlite3* db, const char* where, const std::string* code,
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

std::optional<Registration> SqliteStore::find_by_code(sqlite3* db, const std::string& code) {
  return find_where(db, "code = ?1", &code, 0);
}

std::optional<Registration> SqliteStore::find_by_id(sqlite3* db, std::int64_t id) {
  return find_where(db, "id = ?1", nullptr, id);
}

}  // namespace bp::registration::sqlite_detail

namespace bp::registration {

Result<std::unique_ptr<Store>> open_sqlite_store(const std::filesystem::path& data_dir,
                                                 Composer compose, StoreOptions options) {
  return open_sqlite_store_with_hooks(data_dir, std::move(compose), std::move(options), {});
}

Result<std::unique_ptr<Store>> open_sqlite_store_with_hooks(const std::filesystem::path& data_dir,
                                                            Composer compose, StoreOptions options,
                                                            StoreTestHooks hooks) {
  const std::filesystem::path file = data_dir / "registrations.sqlite3";
  if (Status s = sql::prepare_private_files(data_dir, file); !s.is_ok()) return s;
  try {
    auto store = std::make_unique<sqlite_detail::SqliteStore>(file, std::move(compose), std::move(options),
                                                             std::move(hooks));
    store->migrate();
    return std::unique_ptr<Store>(std::move(store));
  } catch (const sql::Error& e) {
    return Status::io("impossibile aprire l'archivio delle iscrizioni in " + data_dir.string() +
                      ": " + e.what());
  }
}

}  // namespace bp::registration
