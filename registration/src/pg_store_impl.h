// The PostgreSQL implementation of Store, shared by pg_store.cc (seats,
// holds, the waiting list, migrations) and pg_store_data.cc (messages,
// attendance, erasure). Same schema and same behaviour as the SQLite store
// (the conformance suite runs one set of tests against both).
//
// Why it cannot oversell with any number of processes and machines: every
// write that takes or gives back a seat first locks the edition's row
// (SELECT … FOR UPDATE on editions) and only then reads the seat counter,
// the registrations and the waiting list, under Read Committed, where each
// later statement sees what the previous holder of the lock committed. The
// seat counter has the same trigger as on SQLite (never raised past the
// capacity) as a backstop, and the unique partial index on (edition, e-mail)
// of active registrations is the duplicate rule. Transactions lock editions
// in id order (expiry of holds across editions) or one at a time; a
// deadlock or serialisation failure that happens anyway is retried, as is a
// dropped connection before the commit.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <thread>
#include <vector>

#include "bp/registration/store.h"
#include "pg_pool.h"
#include "staff_stores.h"
#include "store_rules.h"
#include "store_test_hooks.h"

namespace bp::registration::pg {

class PgStore final : public Store {
 public:
  PgStore(std::string url, Composer compose, StoreOptions options, StoreTestHooks hooks);

  // Applies the missing migrations (schema_migrations.h) in one transaction
  // under pg_advisory_xact_lock. Io when it cannot.
  Status migrate();

  // Store: the contracts are in store.h.
  Status sync_editions(const std::vector<EditionSeats>& editions) override;
  Result<RegisterOutcome> register_person(const NewRegistration& in) override;
  Result<Registration> find(const std::string& code) override;
  Result<Registration> cancel(const std::string& code) override;
  Result<Registration> confirm(const std::string& code, const std::vector<std::string>& sibling_editions) override;
  Result<int> expire_holds(std::int64_t now) override;
  Result<int> resend_links(const std::string& email) override;
  Result<Registration> correct_contact(const std::string& code, const ContactCorrection& c) override;
  Result<Registration> move(const std::string& code, const std::string& from, const std::string& to) override;
  Result<std::vector<Registration>> list(const std::string& edition_id) override;
  Result<std::vector<EditionCounts>> counts() override;
  Result<std::vector<std::string>> set_attendance(const std::string& edition_id,
                                                  const std::vector<std::string>& codes,
                                                  bool attended) override;
  Status erase_all(const std::vector<Erasure>& registrations) override;
  using Store::erase;
  Result<std::vector<OutboxMessage>> outbox(bool undelivered_only, int limit) override;
  Result<std::vector<OutboxMessage>> messages_for(std::int64_t registration_id) override;
  Result<std::vector<OutboxMessage>> due_messages(std::int64_t now, int limit) override;
  Result<std::vector<OutboxMessage>> claim_due_messages(std::int64_t now, int limit,
                                                        std::int64_t lease_seconds) override;
  Status mark_delivered(std::int64_t id) override;
  Result<int> forget_sent_texts(const std::string& delivered_before) override;
  Status mark_failed(std::int64_t id, const std::string& error, std::int64_t next) override;
  AccountStore& accounts() override { return *accounts_; }
  BackOfficeStore& back_office() override { return *back_office_; }
  ProposalStore& proposals() override { return *proposals_; }
  AnalyticsStore& analytics() override { return *analytics_; }

 private:
  friend class PgRunner;  // the staff tables' statements go through run()

  // Runs `f(connection)` with a pooled connection and turns libpqxx's
  // exceptions into Status values: serialisation failures and deadlocks are
  // retried, a dropped connection is replaced and the call retried (its
  // transaction never committed), a commit whose outcome is unknown and an
  // unreachable server are Io, constraint violations are Conflict.
  template <typename F>
  auto run(F&& f) -> decltype(f(std::declval<pqxx::connection&>()));

  std::int64_t now_seconds() const;
  std::string now_iso() const;

  // Expires the lapsed holds of every edition (locked in id order) in a
  // transaction of its own, and with `purge_idempotency` (registrations
  // only, as on SQLite) drops idempotency keys past their 24 hours. Only
  // reads (one index lookup) when no hold has lapsed.
  int housekeeping(pqxx::connection& c, std::int64_t now, bool purge_idempotency = false);

  // Locks the edition's row until the transaction ends. False when unknown.
  bool lock_edition(pqxx::work& tx, const std::string& edition, int* capacity = nullptr,
                    int* taken = nullptr);
  // With the edition locked: its lapsed holds expire and their seats go to
  // the people waiting.
  int expire_locked(pqxx::work& tx, const std::string& edition, std::int64_t now);
  void release_seat(pqxx::work& tx, const std::string& edition);
  void fill_seats(pqxx::work& tx, const std::string& edition);
  bool promote_first_waiting(pqxx::work& tx, const std::string& edition);

  Result<RegisterOutcome> register_unsafe(pqxx::connection& c, const NewRegistration& in);
  Registration insert(pqxx::work& tx, const Registration& p, const std::string& email_norm,
                      const std::string& status);
  int position_of(pqxx::work& tx, const Registration& r);
  // The active registrations of `person` (same_person) but row `except_id`,
  // under the address's advisory lock (taken here, after any edition lock,
  // until the transaction ends): other editions' rows are not under the
  // edition's lock, so this lock serialises one address's registrations.
  std::vector<HeldPlace> places_of(pqxx::work& tx, const Registration& person, std::int64_t except_id);
  void add_message(pqxx::work& tx, MessageKind kind, const Registration& r);
  std::optional<Registration> find_by_code(pqxx::work& tx, const std::string& code, bool for_update = false);
  std::optional<Registration> find_by_id(pqxx::work& tx, std::int64_t id);

  const StoreTestHooks& hooks() const { return hooks_; }

  Pool pool_;
  Composer compose_;
  StoreOptions options_;
  StoreTestHooks hooks_;
  OfferTerms offers_{options_.hold_seconds, options_.offer_seconds};
  std::unique_ptr<sql_runner::SqlRunner> runner_;
  std::unique_ptr<AccountStore> accounts_;
  std::unique_ptr<BackOfficeStore> back_office_;
  std::unique_ptr<ProposalStore> proposals_;
  std::unique_ptr<AnalyticsStore> analytics_;
};

// Row readers matching schema::kRegistrationColumns and kMessageColumns.
Registration read_registration(const pqxx::row& row);
OutboxMessage read_message(const pqxx::row& row);

// Field readers: NULL reads as "" or 0, as on SQLite.
inline std::string text(const pqxx::field& f) { return f.is_null() ? std::string() : std::string(f.c_str()); }
inline std::string blob(const pqxx::field& f) { return f.is_null() ? std::string() : pqxx::binarystring(f).str(); }
inline std::int64_t integer(const pqxx::field& f) { return f.as<std::int64_t>(0); }

// Bytes for a BYTEA parameter.
inline pqxx::binarystring bytes(const std::string& s) { return pqxx::binarystring(s.data(), s.size()); }

// What the operator reads when every attempt failed to connect: a refusal
// by the server (wrong password, role or database, pg_hba.conf) is a
// setting to change, not a moment to wait out. libpq's own words follow,
// on one line.
inline Status unreachable(std::string said) {
  for (char& c : said)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  while (!said.empty() && said.back() == ' ') said.pop_back();
  for (const char* refusal : {"password authentication failed", "does not exist", "no pg_hba.conf entry",
                              "no password supplied", "role \"", "permission denied"})
    if (said.find(refusal) != std::string::npos)
      return Status::io(
          "il database PostgreSQL rifiuta l'accesso: controllare BP_DATABASE_URL (utente, nome "
          "del database) e la password (PGPASSFILE) (" +
          said + ")");
  return Status::io("database PostgreSQL non raggiungibile o sovraccarico, riprovare tra poco (" + said + ")");
}

template <typename F>
auto PgStore::run(F&& f) -> decltype(f(std::declval<pqxx::connection&>())) {
  constexpr int kAttempts = 5;
  std::string last;
  for (int attempt = 1;; ++attempt) {
    std::optional<Lease> lease;
    try {
      lease.emplace(pool_);
      return f(lease->get());
    } catch (const pqxx::in_doubt_error&) {
      if (lease) lease->discard();
      return Status::io("connessione al database persa durante il salvataggio: l'esito non è certo, "
                        "controllare l'iscrizione prima di ripeterla");
    } catch (const pqxx::transaction_rollback& e) {  // 40001, 40P01: nothing was written
      last = e.what();
    } catch (const pqxx::broken_connection& e) {  // nothing committed: safe to retry
      if (lease) lease->discard();
      last = e.what();
    } catch (const pqxx::integrity_constraint_violation&) {
      return Status::conflict(
          "richiesta in conflitto con i dati già registrati (iscrizione doppia o posti esauriti): "
          "ricarica la pagina e riprova");
    } catch (const pqxx::sql_error& e) {
      return Status::io(std::string("archivio iscrizioni non disponibile: ") + e.what());
    } catch (const std::exception& e) {
      if (lease && !lease->get().is_open()) lease->discard();
      return Status::io(std::string("archivio iscrizioni: ") + e.what());
    }
    if (attempt == kAttempts) return unreachable(last);
    std::this_thread::sleep_for(std::chrono::milliseconds(20 * attempt * attempt));
  }
}

}  // namespace bp::registration::pg
