// Seats, holds and the waiting list on PostgreSQL (pg_store_impl.h says why
// the store cannot oversell), migrations, and open_postgresql_store().
#include <algorithm>
#include <chrono>
#include <map>

#include "bp/civil_time.h"
#include "bp/registration/store.h"
#include "crypto.h"
#include "pg_store_impl.h"
#include "schema_migrations.h"
#include "store_rules.h"
#include "store_test_hooks.h"

namespace bp::registration::pg {

namespace {

// First key of the two-key advisory locks that serialise one address's
// registrations across editions (the second is hashtext of the address).
constexpr int kAddressLockClass = 0x62702d61;  // "bp-a"

std::string select_registrations(const std::string& where) {
  return std::string("SELECT ") + schema::kRegistrationColumns + " FROM registrations WHERE " + where;
}

}  // namespace

PgStore::PgStore(std::string url, Composer compose, StoreOptions options, StoreTestHooks hooks)
    : pool_(std::move(url), options.pool_size, std::chrono::seconds(10)),
      compose_(std::move(compose)),
      options_(std::move(options)),
      hooks_(std::move(hooks)),
      runner_(make_pg_runner(*this)),
      accounts_(make_account_store(*runner_, [this] { return now_seconds(); })),
      back_office_(make_back_office_store(*runner_, [this] { return now_seconds(); })),
      proposals_(make_proposal_store(*runner_, [this] { return now_seconds(); })),
      analytics_(make_analytics_store(*runner_)) {}

Status PgStore::migrate() {
  return run([&](pqxx::connection& c) -> Status {
    pqxx::work tx(c);
    // Held until commit: a second server starting now waits here, then finds
    // the versions applied and applies nothing.
    tx.exec("SELECT pg_advisory_xact_lock(" + std::to_string(schema::kMigrationLockKey) + ")");
    tx.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY,"
        " summary TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
    const auto version = tx.exec("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")[0][0].as<std::int64_t>();
    const auto count = static_cast<std::int64_t>(schema::kMigrationCount);
    if (version > count)
      return Status::io("il database è stato scritto da una versione più recente del programma (schema " +
                        std::to_string(version) + ", questa versione conosce gli schemi fino al numero " +
                        std::to_string(count) + "): aggiornare il programma");
    for (std::int64_t v = version; v < count; ++v) {
      tx.exec(schema::kMigrations[v].postgresql);
      tx.exec_params("INSERT INTO schema_migrations(version, summary) VALUES($1, $2)", v + 1,
                     std::string(schema::kMigrations[v].summary));
    }
    tx.commit();
    return Status::ok();
  });
}

Status PgStore::sync_editions(const std::vector<EditionSeats>& editions) {
  offers_.learn(editions);  // before fill_seats below offers a seat
  return run([&](pqxx::connection& c) -> Status {
    pqxx::work tx(c);
    for (const auto& e : editions) {
      // The upsert locks the row; servers starting together sync the same
      // catalogue in the same order, so they cannot deadlock.
      tx.exec_params(
          "INSERT INTO editions(id, capacity) VALUES($1, $2) ON CONFLICT(id) DO UPDATE"
          " SET capacity = excluded.capacity",
          e.id, e.capacity);
      fill_seats(tx, e.id);  // a larger capacity lets people waiting in
    }
    tx.commit();
    return Status::ok();
  });
}

Result<RegisterOutcome> PgStore::register_person(const NewRegistration& in) {
  return run([&](pqxx::connection& c) -> Result<RegisterOutcome> {
    if (hooks().unsafe_no_locking) return register_unsafe(c, in);
    const std::int64_t now = now_seconds();
    housekeeping(c, now, /*purge_idempotency=*/true);  // lapsed holds give their seats back first
    pqxx::work tx(c);
    int capacity = 0, taken = 0;
    if (!lock_edition(tx, in.person.edition_id, &capacity, &taken)) return Status::not_found("edizione sconosciuta");
    if (expire_locked(tx, in.person.edition_id, now) > 0) lock_edition(tx, in.person.edition_id, &capacity, &taken);
    // A retry of the same request waited for the lock above, so it finds the
    // first one's key committed.
    if (!in.idempotency_key.empty()) {
      const auto rows = tx.exec_params(
          "SELECT fingerprint, registration_id, answer_url, status, position FROM idempotency WHERE key = $1",
          in.idempotency_key);
      if (!rows.empty()) {
        if (text(rows[0][0]) != in.fingerprint)
          return Status::conflict("la chiave Idempotency-Key è già stata usata per una richiesta diversa");
        auto r = find_by_id(tx, integer(rows[0][1]));
        if (!r) return Status::not_found("iscrizione non trovata");
        RegisterOutcome out;
        out.registration = *r;
        out.registration.status = text(rows[0][3]);
        out.registration.position = static_cast<int>(integer(rows[0][4]));
        out.answer_url = text(rows[0][2]);
        out.replayed = true;
        return out;
      }
    }
    if (!in.taken_by_staff &&
        !tx.exec_params("SELECT 1 FROM editions WHERE id = $1 AND paused_at IS NOT NULL", in.person.edition_id).empty())
      return Status::conflict(kRegistrationsPaused);
    const std::string email_norm = lower_ascii(in.person.email);
    if (const Status refused = duplicate_refusal(in, places_of(tx, in.person, 0)); !refused.is_ok()) return refused;
    if (hooks().after_seat_check) hooks().after_seat_check();
    const bool seat = taken < capacity;
    const bool hold = seat && options_.hold_seconds > 0 && !in.taken_by_staff;
    if (hold && options_.max_pending_per_address > 0) {
      // The cap spans editions, whose locks are independent: the address's
      // advisory lock, taken by places_of above, serialises its holds.
      const auto pending = tx.exec_params(
          "SELECT COUNT(*) FROM registrations WHERE email_norm = $1 AND status = 'pending'", email_norm)[0][0]
                               .as<std::int64_t>();
      if (pending >= options_.max_pending_per_address) return Status::conflict(pending_limit_message(pending));
    }
    if (seat) tx.exec_params("UPDATE editions SET taken = taken + 1 WHERE id = $1", in.person.edition_id);
    Registration person = in.person;
    person.taken_by_staff = in.taken_by_staff;
    if (hold) person.hold_expires_at = now + options_.hold_seconds;
    else person.confirm_hash.clear();
    Registration r = insert(tx, person, email_norm, hold ? "pending" : seat ? "confirmed" : "waitlisted");
    if (!seat) r.position = position_of(tx, r);
    add_message(tx, hold ? MessageKind::kHeld : seat ? MessageKind::kConfirmed : MessageKind::kWaitlisted, r);
    if (!in.idempotency_key.empty())
      tx.exec_params(
          "INSERT INTO idempotency(key, fingerprint, registration_id, answer_url, status, position, created_at)"
          " VALUES($1, $2, $3, $4, $5, $6, $7)",
          in.idempotency_key, in.fingerprint, r.id, in.answer_url, r.status, r.position, now);
    tx.commit();
    return RegisterOutcome{r, in.answer_url, false};
  });
}

Result<Registration> PgStore::find(const std::string& code) {
  return run([&](pqxx::connection& c) -> Result<Registration> {
    pqxx::work tx(c);
    auto r = find_by_code(tx, code);
    if (!r) return Status::not_found("iscrizione non trovata");
    if (r->status != "pending" || r->hold_expires_at > now_seconds()) return *r;
    // A lapsed hold: expire it (and promote) before showing it.
    lock_edition(tx, r->edition_id);
    expire_locked(tx, r->edition_id, now_seconds());
    r = find_by_code(tx, code);
    tx.commit();
    if (!r) return Status::not_found("iscrizione non trovata");
    return *r;
  });
}

Result<Registration> PgStore::cancel(const std::string& code) {
  return run([&](pqxx::connection& c) -> Result<Registration> {
    pqxx::work tx(c);
    auto r = find_by_code(tx, code);
    if (!r) return Status::not_found("iscrizione non trovata");
    lock_edition(tx, r->edition_id);  // edition first, then the row: the order every writer follows
    expire_locked(tx, r->edition_id, now_seconds());
    r = find_by_code(tx, code, /*for_update=*/true);
    if (!r) return Status::not_found("iscrizione non trovata");
    if (r->status == "cancelled" || r->status == "expired") {
      tx.commit();  // an expiry above may have promoted someone
      return Status::conflict(r->status == "cancelled"
                                  ? "l'iscrizione è già stata annullata"
                                  : "la prenotazione del posto è scaduta perché non è stata confermata in tempo");
    }
    const bool had_seat = r->status == "confirmed" || r->status == "pending";
    const std::string now = now_iso();
    tx.exec_params(
        "UPDATE registrations SET status = 'cancelled', cancelled_at = $2, confirm_hash = NULL,"
        " hold_expires_at = NULL WHERE id = $1",
        r->id, now);
    r->status = "cancelled";
    r->cancelled_at = now;
    r->position = 0;
    r->hold_expires_at = 0;
    r->confirm_hash.clear();
    add_message(tx, MessageKind::kCancelled, *r);
    if (had_seat) release_seat(tx, r->edition_id);
    tx.commit();
    return *r;
  });
}

Result<Registration> PgStore::confirm(const std::string& code, const std::vector<std::string>& sibling_editions) {
  return run([&](pqxx::connection& c) -> Result<Registration> {
    pqxx::work tx(c);
    auto r = find_by_code(tx, code);
    if (!r) return Status::not_found("iscrizione non trovata");
    lock_edition(tx, r->edition_id);
    expire_locked(tx, r->edition_id, now_seconds());
    r = find_by_code(tx, code, /*for_update=*/true);
    if (!r) return Status::not_found("iscrizione non trovata");
    if (r->status == "confirmed") {
      tx.commit();  // an expiry above may have promoted someone
      return *r;
    }
    if (r->status == "expired") {
      // "Conferma comunque": the edition is locked, so the seat counted is
      // the seat taken.
      int capacity = 0, taken = 0;
      lock_edition(tx, r->edition_id, &capacity, &taken);
      Status refused = r->confirm_hash.empty() || !r->erased_at.empty()
                           ? Status::conflict(kHoldLapsed)
                           : registered_since(*r, sibling_editions, places_of(tx, *r, r->id));
      if (refused.is_ok() && taken >= capacity) refused = Status::conflict(kHoldLapsedNoSeat);
      if (!refused.is_ok()) {
        tx.commit();  // the expiries above stand
        return refused;
      }
      const std::string now = now_iso();
      tx.exec_params("UPDATE editions SET taken = taken + 1 WHERE id = $1", r->edition_id);
      tx.exec_params(
          "UPDATE registrations SET status = 'confirmed', confirmed_at = $2, expired_at = NULL WHERE id = $1", r->id,
          now);
      r->status = "confirmed";
      r->confirmed_at = now;
      r->expired_at.clear();
      add_message(tx, MessageKind::kConfirmed, *r);
      tx.commit();
      return *r;
    }
    if (r->status == "waitlisted")
      return Status::conflict("sei in lista d'attesa: quando si libera un posto ti scriviamo per confermarlo");
    if (Status why = check_confirm(*r); !why.is_ok()) return why;
    const std::string now = now_iso();
    tx.exec_params(
        "UPDATE registrations SET status = 'confirmed', confirmed_at = $2, hold_expires_at = NULL WHERE id = $1",
        r->id, now);
    // confirm_hash stays: the link opened again says "already confirmed".
    r->status = "confirmed";
    r->confirmed_at = now;
    r->hold_expires_at = 0;
    add_message(tx, MessageKind::kConfirmed, *r);
    tx.commit();
    return *r;
  });
}

Result<int> PgStore::expire_holds(std::int64_t now) {
  return run([&](pqxx::connection& c) -> Result<int> { return housekeeping(c, now); });
}

Result<int> PgStore::resend_links(const std::string& email) {
  return run([&](pqxx::connection& c) -> Result<int> {
    housekeeping(c, now_seconds());
    pqxx::work tx(c);
    std::vector<Registration> rows;
    for (const auto& row : tx.exec_params(select_registrations("email_norm = $1 AND status IN ('pending',"
                                                               " 'confirmed', 'waitlisted') ORDER BY id FOR UPDATE"),
                                          lower_ascii(email)))
      rows.push_back(read_registration(row));
    for (auto& r : rows) {
      if (r.status == "waitlisted") r.position = position_of(tx, r);
      renew_links(r);
      tx.exec_params("UPDATE registrations SET token_hash = $2, confirm_hash = NULLIF($3, ''::bytea) WHERE id = $1",
                     r.id, bytes(r.token_hash), bytes(r.confirm_hash));
      add_message(tx, MessageKind::kLinks, r);
    }
    tx.commit();
    return static_cast<int>(rows.size());
  });
}

Result<Registration> PgStore::correct_contact(const std::string& code, const ContactCorrection& c) {
  return run([&](pqxx::connection& conn) -> Result<Registration> {
    pqxx::work tx(conn);
    auto r = find_by_code(tx, code);
    if (!r) return Status::not_found("iscrizione non trovata");
    // The edition's lock orders this with registrations of the same address
    // and with the expiry of its holds, as confirm() does.
    lock_edition(tx, r->edition_id);
    const std::int64_t now = now_seconds();
    expire_locked(tx, r->edition_id, now);
    r = find_by_code(tx, code, /*for_update=*/true);
    if (!r) return Status::not_found("iscrizione non trovata");
    if (!r->erased_at.empty()) return nothing_to_correct();
    if (const Registration after = corrected_person(*r, c); is_active(r->status) && !same_person(after, *r))
      if (Status why = correction_refusal(*r, c, places_of(tx, after, r->id)); !why.is_ok()) return why;
    if (r->status == "waitlisted") r->position = position_of(tx, *r);
    const bool moved = apply_correction(*r, c, now, options_.hold_seconds);
    tx.exec_params(
        "UPDATE registrations SET first_name = $2, last_name = $3, email = $4, email_norm = $5, organisation = $6,"
        " role = $7, region = $8, token_hash = $9, confirm_hash = NULLIF($10, ''::bytea),"
        " hold_expires_at = NULLIF($11::bigint, 0), age_band = $12 WHERE id = $1",
        r->id, r->first_name, r->last_name, r->email, lower_ascii(r->email), r->organisation, r->role, r->region,
        bytes(r->token_hash), bytes(r->confirm_hash), r->hold_expires_at, r->age_band);
    if (moved) {
      tx.exec_params("DELETE FROM outbox WHERE registration_id = $1 AND delivered_at IS NULL", r->id);
      // The reminder before the first meeting goes to the new address too.
      tx.exec_params("UPDATE registrations SET reminded_at = NULL WHERE id = $1", r->id);
      if (is_active(r->status)) add_message(tx, MessageKind::kCorrected, *r);
    }
    tx.commit();
    return *r;
  });
}

Result<Registration> PgStore::move(const std::string& code, const std::string& expected, const std::string& to) {
  return run([&](pqxx::connection& conn) -> Result<Registration> {
    pqxx::work tx(conn);
    auto r = find_by_code(tx, code);
    if (!r) return Status::not_found("iscrizione non trovata");
    // Both editions, in the order of their ids (two moves in opposite
    // directions cannot wait for each other), then the row.
    const std::string from = r->edition_id;
    for (const auto& e : {std::min(from, to), std::max(from, to)}) {
      if (!lock_edition(tx, e)) return Status::not_found("edizione sconosciuta: " + e);
      expire_locked(tx, e, now_seconds());
    }
    int capacity = 0, taken = 0;
    lock_edition(tx, to, &capacity, &taken);  // the counter after the expiry
    r = find_by_code(tx, code, /*for_update=*/true);
    if (!r) return Status::not_found("iscrizione non trovata");
    if (Status why = check_move(*r, expected, to); !why.is_ok()) {
      tx.commit();  // an expiry above may have promoted someone
      return why;
    }
    if (taken >= capacity) {
      tx.commit();
      return no_seat_to_move(to);
    }
    // The same person (a child: the same child) already there.
    if (const HeldPlace* there = held_among(places_of(tx, *r, r->id), to, {})) {
      tx.commit();
      return already_in(to, there->code);
    }
    const bool had_seat = r->status == "confirmed" || r->status == "pending";
    apply_move(*r, to, now_iso());
    tx.exec_params("UPDATE editions SET taken = taken + 1 WHERE id = $1", to);
    tx.exec_params(
        "UPDATE registrations SET edition_id = $2, status = $3, confirmed_at = NULLIF($4, ''), attended = 0,"
        " reminded_at = NULL WHERE id = $1",
        r->id, to, r->status, r->confirmed_at);
    tx.exec_params("DELETE FROM meeting_attendance WHERE registration_id = $1", r->id);
    add_message(tx, MessageKind::kMoved, *r);
    if (had_seat) release_seat(tx, from);
    tx.commit();
    return *r;
  });
}

Result<std::vector<Registration>> PgStore::list(const std::string& edition_id) {
  return run([&](pqxx::connection& c) -> Result<std::vector<Registration>> {
    housekeeping(c, now_seconds());
    pqxx::work tx(c);
    std::vector<Registration> out;
    std::map<std::string, int> waiting;  // edition -> people waiting so far
    for (const auto& row : tx.exec_params(select_registrations("$1 = '' OR edition_id = $1 ORDER BY id"), edition_id)) {
      out.push_back(read_registration(row));
      if (out.back().status == "waitlisted") out.back().position = ++waiting[out.back().edition_id];
    }
    return out;
  });
}

Result<std::vector<EditionCounts>> PgStore::counts() {
  return run([&](pqxx::connection& c) -> Result<std::vector<EditionCounts>> {
    housekeeping(c, now_seconds());
    pqxx::work tx(c);
    std::vector<EditionCounts> out;
    for (const auto& row : tx.exec(
             "SELECT e.id, e.capacity, e.taken,"
             " COUNT(r.id) FILTER (WHERE r.status = 'pending'), COUNT(r.id) FILTER (WHERE r.status = 'confirmed'),"
             " COUNT(r.id) FILTER (WHERE r.status = 'waitlisted'), COUNT(r.id) FILTER (WHERE r.status = 'cancelled'),"
             " COUNT(r.id) FILTER (WHERE r.status = 'expired'),"
             " COUNT(r.id) FILTER (WHERE r.status = 'confirmed' AND r.attended = 1),"
             " COALESCE(e.paused_at, ''), COALESCE(e.paused_by, '')"
             " FROM editions e LEFT JOIN registrations r ON r.edition_id = e.id"
             " GROUP BY e.id ORDER BY e.id COLLATE \"C\"")) {
      EditionCounts n;
      n.edition_id = text(row[0]);
      n.capacity = static_cast<int>(integer(row[1]));
      n.taken = static_cast<int>(integer(row[2]));
      n.pending = static_cast<int>(integer(row[3]));
      n.confirmed = static_cast<int>(integer(row[4]));
      n.waitlisted = static_cast<int>(integer(row[5]));
      n.cancelled = static_cast<int>(integer(row[6]));
      n.expired = static_cast<int>(integer(row[7]));
      n.attended = static_cast<int>(integer(row[8]));
      n.paused_at = text(row[9]);
      n.paused_by = text(row[10]);
      out.push_back(n);
    }
    return out;
  });
}

std::int64_t PgStore::now_seconds() const {
  if (hooks().clock) return hooks().clock();
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string PgStore::now_iso() const { return utc_iso(now_seconds()); }

int PgStore::housekeeping(pqxx::connection& c, std::int64_t now, bool purge_idempotency) {
  pqxx::work tx(c);
  if (purge_idempotency) tx.exec_params("DELETE FROM idempotency WHERE created_at < $1", now - kIdempotencyTtl);
  std::vector<std::string> due;
  for (const auto& row : tx.exec_params(
           "SELECT DISTINCT edition_id FROM registrations WHERE status = 'pending' AND hold_expires_at <= $1", now))
    due.push_back(text(row[0]));
  std::sort(due.begin(), due.end());  // every transaction locks editions in this order
  int expired = 0;
  for (const auto& edition : due) {
    lock_edition(tx, edition);
    expired += expire_locked(tx, edition, now);
  }
  tx.commit();
  return expired;
}

bool PgStore::lock_edition(pqxx::work& tx, const std::string& edition, int* capacity, int* taken) {
  const auto rows = tx.exec_params("SELECT capacity, taken FROM editions WHERE id = $1 FOR UPDATE", edition);
  if (rows.empty()) return false;
  if (capacity) *capacity = static_cast<int>(integer(rows[0][0]));
  if (taken) *taken = static_cast<int>(integer(rows[0][1]));
  return true;
}

int PgStore::expire_locked(pqxx::work& tx, const std::string& edition, std::int64_t now) {
  const std::string at = utc_iso(now);
  std::vector<Registration> due;
  for (const auto& row :
       tx.exec_params("UPDATE registrations SET status = 'expired', expired_at = $3,"
                      " hold_expires_at = NULL WHERE edition_id = $1 AND status = 'pending' AND hold_expires_at <= $2"
                      " RETURNING " +
                          std::string(schema::kRegistrationColumns),
                      edition, now, at))
    due.push_back(read_registration(row));
  std::sort(due.begin(), due.end(), [](const Registration& a, const Registration& b) { return a.id < b.id; });
  for (const auto& r : due) {
    add_message(tx, MessageKind::kExpired, r);
    release_seat(tx, edition);
  }
  return static_cast<int>(due.size());
}

void PgStore::release_seat(pqxx::work& tx, const std::string& edition) {
  tx.exec_params("UPDATE editions SET taken = taken - 1 WHERE id = $1", edition);
  fill_seats(tx, edition);
}

void PgStore::fill_seats(pqxx::work& tx, const std::string& edition) {
  while (promote_first_waiting(tx, edition)) {
  }
}

bool PgStore::promote_first_waiting(pqxx::work& tx, const std::string& edition) {
  if (!offers_.fills_freed_seats(edition, now_seconds())) return false;
  const auto free = tx.exec_params("SELECT taken < capacity FROM editions WHERE id = $1", edition);
  if (free.empty() || !free[0][0].as<bool>()) return false;
  const auto rows = tx.exec_params(
      select_registrations("edition_id = $1 AND status = 'waitlisted' ORDER BY id LIMIT 1 FOR UPDATE"), edition);
  if (rows.empty()) return false;
  Registration next = read_registration(rows[0]);
  const std::int64_t now = now_seconds();
  promote(next, now, next.taken_by_staff ? 0 : offers_.hold_until(edition, now));
  tx.exec_params(
      "UPDATE registrations SET status = $2, promoted_at = $3, hold_expires_at = NULLIF($4::bigint, 0),"
      " confirm_hash = NULLIF($5, ''::bytea), confirmed_at = NULLIF($6, '') WHERE id = $1",
      next.id, next.status, next.promoted_at, next.hold_expires_at, bytes(next.confirm_hash), next.confirmed_at);
  tx.exec_params("UPDATE editions SET taken = taken + 1 WHERE id = $1", edition);
  add_message(tx, MessageKind::kPromoted, next);
  return true;
}

Result<RegisterOutcome> PgStore::register_unsafe(pqxx::connection& c, const NewRegistration& in) {
  int capacity = 0, taken = 0;
  {
    pqxx::work read(c);
    const auto rows = read.exec_params(
        "SELECT capacity, (SELECT COUNT(*) FROM registrations WHERE edition_id = $1 AND"
        " status IN ('pending', 'confirmed')) FROM editions WHERE id = $1",
        in.person.edition_id);
    if (rows.empty()) return Status::not_found("edizione sconosciuta");
    capacity = static_cast<int>(integer(rows[0][0]));
    taken = static_cast<int>(integer(rows[0][1]));
  }
  if (hooks().after_seat_check) hooks().after_seat_check();
  pqxx::work tx(c);
  const bool seat = taken < capacity;
  const bool hold = seat && options_.hold_seconds > 0;
  Registration person = in.person;
  person.taken_by_staff = in.taken_by_staff;
  if (hold) person.hold_expires_at = now_seconds() + options_.hold_seconds;
  Registration r = insert(tx, person, lower_ascii(in.person.email), hold ? "pending" : seat ? "confirmed" : "waitlisted");
  tx.commit();
  return RegisterOutcome{r, in.answer_url, false};
}

Registration PgStore::insert(pqxx::work& tx, const Registration& p, const std::string& email_norm,
                             const std::string& status) {
  Registration r = p;
  r.status = status;
  r.created_at = now_iso();
  if (status == "confirmed") r.confirmed_at = r.created_at;
  if (status != "pending") {
    r.hold_expires_at = 0;
    r.confirm_hash.clear();
  }
  const auto rows = tx.exec_params(
      "INSERT INTO registrations(code, token_hash, edition_id, status, first_name, last_name, email, email_norm,"
      " organisation, role, region, age_band, guardian_name, guardian_consent, consent, consent_at,"
      " privacy_version, notes, topic, needs, created_at, confirm_hash, hold_expires_at, confirmed_at,"
      " taken_by_staff)"
      " VALUES($1, $2, $3, $4, $5, $6, $7, $8, NULLIF($9, ''), $10, $11, $12, NULLIF($13, ''), $14, $15, $16,"
      " $17, NULLIF($18, ''), NULLIF($19, ''), NULLIF($20, ''), $21, NULLIF($22, ''::bytea), NULLIF($23::bigint, 0),"
      " NULLIF($24, ''), $25) RETURNING id",
      r.code, bytes(r.token_hash), r.edition_id, r.status, r.first_name, r.last_name, r.email, email_norm,
      r.organisation, r.role, r.region, r.age_band, r.guardian_name, r.guardian_consent ? 1 : 0, r.consent ? 1 : 0,
      r.consent_at, r.privacy_version, r.notes, r.topic, r.needs, r.created_at, bytes(r.confirm_hash),
      r.hold_expires_at, r.confirmed_at, r.taken_by_staff ? 1 : 0);
  r.id = integer(rows[0][0]);
  return r;
}

int PgStore::position_of(pqxx::work& tx, const Registration& r) {
  return static_cast<int>(tx.exec_params(
                                "SELECT COUNT(*) FROM registrations WHERE edition_id = $1 AND status = 'waitlisted'"
                                " AND id <= $2",
                                r.edition_id, r.id)[0][0]
                              .as<std::int64_t>());
}

std::vector<HeldPlace> PgStore::places_of(pqxx::work& tx, const Registration& person, std::int64_t except_id) {
  const std::string email_norm = lower_ascii(person.email);
  tx.exec_params("SELECT pg_advisory_xact_lock($1, hashtext($2))", kAddressLockClass, email_norm);
  std::vector<HeldPlace> held;
  for (const auto& row : tx.exec_params(
           select_registrations("email_norm = $1 AND id <> $2 AND status IN ('pending', 'confirmed', 'waitlisted')"
                                " ORDER BY id"),
           email_norm, except_id))
    if (const Registration other = read_registration(row); same_person(other, person))
      held.push_back({other.edition_id, other.code});
  return held;
}

std::optional<Registration> PgStore::find_by_code(pqxx::work& tx, const std::string& code, bool for_update) {
  const auto rows = tx.exec_params(select_registrations(for_update ? "code = $1 FOR UPDATE" : "code = $1"), code);
  if (rows.empty()) return std::nullopt;
  Registration r = read_registration(rows[0]);
  if (r.status == "waitlisted") r.position = position_of(tx, r);
  return r;
}

std::optional<Registration> PgStore::find_by_id(pqxx::work& tx, std::int64_t id) {
  const auto rows = tx.exec_params(select_registrations("id = $1"), id);
  if (rows.empty()) return std::nullopt;
  Registration r = read_registration(rows[0]);
  if (r.status == "waitlisted") r.position = position_of(tx, r);
  return r;
}

}  // namespace bp::registration::pg

namespace bp::registration {

Result<std::unique_ptr<Store>> open_postgresql_store(const std::string& url, Composer compose,
                                                     StoreOptions options) {
  return open_postgresql_store_with_hooks(url, std::move(compose), std::move(options), {});
}

Result<std::unique_ptr<Store>> open_postgresql_store_with_hooks(const std::string& url, Composer compose,
                                                                StoreOptions options, StoreTestHooks hooks) {
  auto store = std::make_unique<pg::PgStore>(url, std::move(compose), std::move(options), std::move(hooks));
  if (Status s = store->migrate(); !s.is_ok())
    return Status::io("impossibile aprire l'archivio delle iscrizioni su PostgreSQL: " + s.message());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace bp::registration
