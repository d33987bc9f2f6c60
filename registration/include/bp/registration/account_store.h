// The staff's side of the registration store: named accounts, their login
// sessions and personal API tokens, and the audit log of what they did
// (issue 10). Reached from Store::accounts(); both engines share one
// implementation over the same tables (schema_migrations.cc, version 3), so
// any server process on the same database serves any staff request.
// Secrets are never stored in clear: passwords as Argon2id strings
// (password.h), session ids and API tokens as the hex of their SHA-256.
// All methods are thread-safe; failures are Io (engine) unless stated.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bp/status.h"

namespace bp::registration {

// What an account may do. staff: dashboards, lists, attendance,
// cancellations, tutoring inbox; editor: the contribution workflow (issue
// 11); admin: everything, plus erasure, personal-data exports and accounts.
enum class Role { kStaff, kEditor, kAdmin };

// "staff" | "editor" | "admin", as stored and as typed on the command line.
const char* role_name(Role role);
// The Italian label ("personale", "redazione", "amministrazione").
const char* role_label(Role role);
// The role named `name`; nullopt for any other text.
std::optional<Role> parse_role(const std::string& name);

struct Account {
  std::int64_t id = 0;
  std::string email;  // lower-case
  Role role = Role::kStaff;
  std::string password_hash;  // crypto_pwhash_str output
  bool disabled = false;
  std::string created_at, password_changed_at, last_login_at;  // UTC ISO
};

struct ApiToken {
  std::int64_t id = 0;
  std::int64_t account_id = 0;
  std::string account_email;
  std::string label;
  std::string created_at, last_used_at, revoked_at;  // UTC ISO; "" when never
};

// One line of the audit log. `account_id` 0: nobody logged in (a failed
// login, the shared BP_ADMIN_TOKEN). Never holds a password, a token or a
// session id; personal data of an erased person are redacted.
struct AuditEntry {
  std::int64_t id = 0;
  std::string at;         // UTC ISO, set by the store
  std::int64_t at_epoch = 0;
  std::int64_t account_id = 0;
  std::string actor;      // the account's e-mail, or who else acted
  std::string address;    // the client's address
  std::string action;     // a fixed word: "login", "login_failed", "export", …
  std::string target;     // what it acted on: an edition, a code, an account
  std::string details;    // a short Italian note
};

struct AuditQuery {
  std::int64_t since = 0, until = 0;  // seconds since the epoch; 0: open
  std::string action;                 // "" for all
  std::string target;                 // "" for all: a registration's code, an edition
  // Only the lines that record a change: not the staff's reading (views,
  // searches, lists) nor notes. The limit then counts changes only.
  bool changes_only = false;
  int limit = 500;
};

struct SessionLimits {
  std::int64_t idle_seconds = 30 * 60;       // no request for this long ends it
  std::int64_t absolute_seconds = 12 * 3600; // ends this long after login anyway
};

class AccountStore {
 public:
  virtual ~AccountStore() = default;

  // --- accounts
  virtual Result<int> count_accounts() = 0;
  // Conflict when the e-mail (any case) already has an account.
  virtual Result<Account> add_account(const std::string& email, Role role, const std::string& password_hash) = 0;
  // NotFound when none (any case).
  virtual Result<Account> find_account(const std::string& email) = 0;
  virtual Result<Account> account_by_id(std::int64_t id) = 0;
  virtual Result<std::vector<Account>> list_accounts() = 0;
  // A new password ends every session of the account. NotFound when none.
  virtual Status set_password(std::int64_t account_id, const std::string& password_hash) = 0;
  // Disabling ends every session; the account's tokens stop working while
  // it is disabled. NotFound when none.
  virtual Status set_disabled(std::int64_t account_id, bool disabled) = 0;
  virtual Status set_role(std::int64_t account_id, Role role) = 0;
  virtual Status mark_login(std::int64_t account_id) = 0;

  // --- sessions (ids are the hex SHA-256 of the cookie's value)
  virtual Status create_session(const std::string& id_hash, std::int64_t account_id, std::int64_t now) = 0;
  // The account of a live session, whose idle clock restarts at `now`.
  // NotFound (and the row deleted) when unknown, idle or past its absolute
  // end, or when the account is disabled.
  virtual Result<Account> touch_session(const std::string& id_hash, std::int64_t now,
                                        const SessionLimits& limits) = 0;
  virtual Status end_session(const std::string& id_hash) = 0;

  // --- personal API tokens (hex SHA-256 of the clear token)
  virtual Result<ApiToken> add_token(std::int64_t account_id, const std::string& label,
                                     const std::string& token_hash) = 0;
  // The enabled account owning a token that is not revoked (its last use
  // is recorded); NotFound otherwise.
  virtual Result<Account> account_for_token(const std::string& token_hash) = 0;
  // Tokens of one account, or of all accounts with 0; newest first.
  virtual Result<std::vector<ApiToken>> list_tokens(std::int64_t account_id) = 0;
  // NotFound when there is no such token (of that account, unless 0).
  virtual Status revoke_token(std::int64_t token_id, std::int64_t account_id) = 0;

  // --- audit log
  virtual Status append_audit(const AuditEntry& entry) = 0;
  // Entries with `action` since `since` whose target is `target` and whose
  // address is `address` (each when not empty: "" matches any): the login
  // throttle counts failures with it, so it holds across processes.
  virtual Result<int> count_audit(const std::string& action, std::int64_t since, const std::string& target,
                                  const std::string& address) = 0;
  // Newest first.
  virtual Result<std::vector<AuditEntry>> audit(const AuditQuery& query) = 0;
  // Replaces each of `texts` (erased people's e-mails and names) wherever it
  // appears in targets and details with `replacement`, in one transaction.
  // Texts of three characters or fewer are left (they would blank words).
  virtual Status redact_audit(const std::vector<std::string>& texts, const std::string& replacement) = 0;
};

}  // namespace bp::registration
