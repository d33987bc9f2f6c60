// The SQLite implementation of Store, shared by its two source files:
// sqlite_store.cc (seats, holds, the waiting list, migrations) and
// sqlite_store_data.cc (messages, attendance, erasure).
//
// Why it cannot oversell: every write that takes a seat runs in BEGIN
// IMMEDIATE (SQLite's single write lock taken up front, so the seat check and
// the insert see the same state), and the editions table keeps a seat counter
// (pending + confirmed) with a trigger that refuses to raise it past the
// capacity, as a backstop should a code path forget the lock. The counter may
// stay above a capacity lowered in the catalogue: then nobody is promoted
// until it falls below.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "bp/catalogue.h"
#include "bp/civil_time.h"
#include "bp/registration/store.h"
#include "sqlite_util.h"
#include "staff_stores.h"
#include "store_rules.h"
#include "store_test_hooks.h"

namespace bp::registration::sqlite_detail {


// The statuses that hold a seat, and those that block a second registration.
constexpr const char* kHoldsSeat = "status IN ('pending', 'confirmed')";
constexpr const char* kActive = "status IN ('pending', 'confirmed', 'waitlisted')";

inline Status to_status(const sql::Error& e) {
  if ((e.code & 0xff) == SQLITE_CONSTRAINT)
    return Status::conflict(
        "richiesta in conflitto con i dati già registrati (iscrizione doppia o posti esauriti): "
        "ricarica la pagina e riprova");
  return Status::io(std::string("archivio iscrizioni non disponibile: ") + e.what());
}

class SqliteStore final : public Store {
 public:
  SqliteStore(std::filesystem::path file, Composer compose, StoreOptions options, StoreTestHooks hooks)
      : pool_(std::move(file)),
        compose_(std::move(compose)),
        options_(std::move(options)),
        hooks_(std::move(hooks)),
        runner_(make_sqlite_runner(pool_)),
        accounts_(make_account_store(*runner_, [this] { return now_seconds(); })),
        back_office_(make_back_office_store(*runner_, [this] { return now_seconds(); })),
        proposals_(make_proposal_store(*runner_, [this] { return now_seconds(); })),
        analytics_(make_analytics_store(*runner_)) {}

  // Applies the missing migrations of sqlite_schema.cc in one transaction
  // (foreign keys off around it). Throws sql::Error.
  void migrate();

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

  const StoreTestHooks& hooks() const { return hooks_; }

  std::int64_t now_seconds() const;
  std::string now_iso() const { return utc_iso(now_seconds()); }

  // The control path for the concurrency test: count, wait, insert, with no
  // lock held across them and no seat counter.
  Result<RegisterOutcome> register_unsafe(sqlite3* db, const NewRegistration& in);

  Registration insert(sqlite3* db, const Registration& p, const std::string& email_norm,
                      const std::string& status);

  int position_of(sqlite3* db, const Registration& r);

  // The active registrations of `person` (same_person) but row `except_id`.
  std::vector<HeldPlace> places_of(sqlite3* db, const Registration& person, std::int64_t except_id);

  bool holds_due(sqlite3* db, std::int64_t now);

  // Inside a write transaction: every hold lapsed at `now` expires, its seat
  // goes back and then to the people waiting. Its confirmation token stays,
  // for confirm_lapsed.
  int expire_due(sqlite3* db, std::int64_t now);

  // Store::confirm of an expired hold `r`, inside `tx` (committed on
  // success): the seat taken again when one is free.
  Result<Registration> confirm_lapsed(sqlite3* db, sql::Transaction* tx, Registration r,
                                      const std::vector<std::string>& sibling_editions);

  // A seat of `edition` was given back: the counter drops, and the people
  // waiting get the seats below the capacity.
  void release_seat(sqlite3* db, const std::string& edition);

  void fill_seats(sqlite3* db, const std::string& edition);

  // Gives a free seat of `edition` (seats taken below the capacity) to the
  // first person waiting: held for them to confirm when confirmation is on.
  bool promote_first_waiting(sqlite3* db, const std::string& edition);

  void add_message(sqlite3* db, MessageKind kind, const Registration& r);

  std::optional<Registration> find_where(sqlite3* db, const char* where, const std::string* code,
                                         std::int64_t id);
  std::optional<Registration> find_by_code(sqlite3* db, const std::string& code);
  std::optional<Registration> find_by_id(sqlite3* db, std::int64_t id);

  sql::Pool pool_;
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

}  // namespace bp::registration::sqlite_detail
