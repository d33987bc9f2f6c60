// AccountStore over a SqlRunner: one text of each statement for both engines.
#include <optional>

#include "bp/civil_time.h"
#include "staff_stores.h"
#include "store_rules.h"

namespace bp::registration {

const char* role_name(Role role) {
  switch (role) {
    case Role::kAdmin: return "admin";
    case Role::kEditor: return "editor";
    default: return "staff";
  }
}

const char* role_label(Role role) {
  switch (role) {
    case Role::kAdmin: return "amministrazione";
    case Role::kEditor: return "redazione";
    default: return "personale";
  }
}

std::optional<Role> parse_role(const std::string& name) {
  if (name == "staff") return Role::kStaff;
  if (name == "editor") return Role::kEditor;
  if (name == "admin") return Role::kAdmin;
  return std::nullopt;
}

namespace {

using sql_runner::Row;
using sql_runner::Tx;
using sql_runner::Value;

constexpr const char* kAccountColumns =
    "id, email, role, password_hash, disabled, created_at, password_changed_at, last_login_at";

Account read_account(const Row& r) {
  Account a;
  a.id = r.integer(0);
  a.email = r.text(1);
  a.role = parse_role(r.text(2)).value_or(Role::kStaff);
  a.password_hash = r.text(3);
  a.disabled = r.integer(4) != 0;
  a.created_at = r.text(5);
  a.password_changed_at = r.text(6);
  a.last_login_at = r.text(7);
  return a;
}

class SharedAccountStore final : public AccountStore {
 public:
  SharedAccountStore(sql_runner::SqlRunner& runner, std::function<std::int64_t()> clock)
      : runner_(runner), clock_(std::move(clock)) {}

  Result<int> count_accounts() override {
    int n = 0;
    Status s = runner_.transact([&](Tx& tx) { n = static_cast<int>(tx.query("SELECT COUNT(*) FROM accounts")[0].integer(0)); });
    if (!s.is_ok()) return s;
    return n;
  }

  Result<Account> add_account(const std::string& email, Role role, const std::string& hash) override {
    std::optional<Account> out;
    bool exists = false;
    Status s = runner_.transact([&](Tx& tx) {
      const std::string e = lower_ascii(email);
      exists = !tx.query("SELECT 1 FROM accounts WHERE email = $1", {e}).empty();
      if (exists) return;
      const std::string now = utc_iso(clock_());
      tx.exec("INSERT INTO accounts(email, role, password_hash, disabled, created_at, password_changed_at)"
              " VALUES($1, $2, $3, 0, $4, $4)",
              {e, std::string(role_name(role)), hash, now});
      out = read_account(tx.query(std::string("SELECT ") + kAccountColumns + " FROM accounts WHERE email = $1", {e})[0]);
    });
    if (!s.is_ok()) return s;
    if (exists) return Status::conflict("esiste già un account con l'indirizzo " + lower_ascii(email));
    return *out;
  }

  Result<Account> find_account(const std::string& email) override {
    return one_account("email = $1", {lower_ascii(email)});
  }

  Result<Account> account_by_id(std::int64_t id) override { return one_account("id = $1", {id}); }

  Result<std::vector<Account>> list_accounts() override {
    std::vector<Account> out;
    Status s = runner_.transact([&](Tx& tx) {
      out.clear();
      for (const auto& r : tx.query(std::string("SELECT ") + kAccountColumns + " FROM accounts ORDER BY email"))
        out.push_back(read_account(r));
    });
    if (!s.is_ok()) return s;
    return out;
  }

  Status set_password(std::int64_t id, const std::string& hash) override {
    return change(id, [&](Tx& tx) {
      tx.exec("UPDATE accounts SET password_hash = $1, password_changed_at = $2 WHERE id = $3",
              {hash, utc_iso(clock_()), id});
      tx.exec("DELETE FROM staff_sessions WHERE account_id = $1", {id});
    });
  }

  Status set_disabled(std::int64_t id, bool disabled) override {
    return change(id, [&](Tx& tx) {
      tx.exec("UPDATE accounts SET disabled = $1 WHERE id = $2", {std::int64_t{disabled ? 1 : 0}, id});
      if (disabled) tx.exec("DELETE FROM staff_sessions WHERE account_id = $1", {id});
    });
  }

  Status set_role(std::int64_t id, Role role) override {
    return change(id, [&](Tx& tx) {
      tx.exec("UPDATE accounts SET role = $1 WHERE id = $2", {std::string(role_name(role)), id});
    });
  }

  Status mark_login(std::int64_t id) override {
    return change(id, [&](Tx& tx) {
      tx.exec("UPDATE accounts SET last_login_at = $1 WHERE id = $2", {utc_iso(clock_()), id});
    });
  }

  Status create_session(const std::string& id_hash, std::int64_t account_id, std::int64_t now) override {
    return runner_.transact([&](Tx& tx) {
      tx.exec("INSERT INTO staff_sessions(id_hash, account_id, created_at, last_seen_at) VALUES($1, $2, $3, $3)",
              {id_hash, account_id, now});
    });
  }

  Result<Account> touch_session(const std::string& id_hash, std::int64_t now, const SessionLimits& limits) override {
    std::optional<Account> out;
    Status s = runner_.transact([&](Tx& tx) {
      out.reset();
      // Old sessions of everybody go too: the table holds live ones only.
      tx.exec("DELETE FROM staff_sessions WHERE last_seen_at < $1 OR created_at < $2",
              {now - limits.idle_seconds, now - limits.absolute_seconds});
      auto rows = tx.query(std::string("SELECT a.") + "id, a.email, a.role, a.password_hash, a.disabled, a.created_at,"
                               " a.password_changed_at, a.last_login_at FROM staff_sessions s JOIN accounts a"
                               " ON a.id = s.account_id WHERE s.id_hash = $1",
                           {id_hash});
      if (rows.empty()) return;
      Account a = read_account(rows[0]);
      if (a.disabled) {
        tx.exec("DELETE FROM staff_sessions WHERE id_hash = $1", {id_hash});
        return;
      }
      tx.exec("UPDATE staff_sessions SET last_seen_at = $1 WHERE id_hash = $2", {now, id_hash});
      out = std::move(a);
    });
    if (!s.is_ok()) return s;
    if (!out) return Status::not_found("sessione scaduta o inesistente");
    return *out;
  }

  Status end_session(const std::string& id_hash) override {
    return runner_.transact([&](Tx& tx) { tx.exec("DELETE FROM staff_sessions WHERE id_hash = $1", {id_hash}); });
  }

  Result<ApiToken> add_token(std::int64_t account_id, const std::string& label, const std::string& hash) override {
    ApiToken t;
    bool found = false;
    Status s = runner_.transact([&](Tx& tx) {
      auto acc = tx.query("SELECT email FROM accounts WHERE id = $1", {account_id});
      found = !acc.empty();
      if (!found) return;
      const std::string now = utc_iso(clock_());
      tx.exec("INSERT INTO api_tokens(account_id, label, token_hash, created_at) VALUES($1, $2, $3, $4)",
              {account_id, label, hash, now});
      auto id = tx.query("SELECT id FROM api_tokens WHERE token_hash = $1", {hash});
      t.id = id[0].integer(0);
      t.account_id = account_id;
      t.account_email = acc[0].text(0);
      t.label = label;
      t.created_at = now;
    });
    if (!s.is_ok()) return s;
    if (!found) return Status::not_found("account inesistente");
    return t;
  }

  Result<Account> account_for_token(const std::string& hash) override {
    std::optional<Account> out;
    Status s = runner_.transact([&](Tx& tx) {
      out.reset();
      auto rows = tx.query("SELECT a.id, a.email, a.role, a.password_hash, a.disabled, a.created_at,"
                           " a.password_changed_at, a.last_login_at, t.id FROM api_tokens t JOIN accounts a"
                           " ON a.id = t.account_id WHERE t.token_hash = $1 AND t.revoked_at IS NULL",
                           {hash});
      if (rows.empty()) return;
      Account a = read_account(rows[0]);
      if (a.disabled) return;
      tx.exec("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2", {utc_iso(clock_()), rows[0].integer(8)});
      out = std::move(a);
    });
    if (!s.is_ok()) return s;
    if (!out) return Status::not_found("token inesistente o revocato");
    return *out;
  }

  Result<std::vector<ApiToken>> list_tokens(std::int64_t account_id) override {
    std::vector<ApiToken> out;
    Status s = runner_.transact([&](Tx& tx) {
      out.clear();
      for (const auto& r : tx.query("SELECT t.id, t.account_id, a.email, t.label, t.created_at, t.last_used_at,"
                                    " t.revoked_at FROM api_tokens t JOIN accounts a ON a.id = t.account_id"
                                    " WHERE $1 = 0 OR t.account_id = $1 ORDER BY t.id DESC",
                                    {account_id})) {
        ApiToken t;
        t.id = r.integer(0);
        t.account_id = r.integer(1);
        t.account_email = r.text(2);
        t.label = r.text(3);
        t.created_at = r.text(4);
        t.last_used_at = r.text(5);
        t.revoked_at = r.text(6);
        out.push_back(std::move(t));
      }
    });
    if (!s.is_ok()) return s;
    return out;
  }

  Status revoke_token(std::int64_t token_id, std::int64_t account_id) override {
    std::int64_t changed = 0;
    Status s = runner_.transact([&](Tx& tx) {
      changed = tx.exec("UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2 AND"
                        " ($3 = 0 OR account_id = $3)",
                        {utc_iso(clock_()), token_id, account_id});
    });
    if (!s.is_ok()) return s;
    if (changed == 0) return Status::not_found("token inesistente");
    return Status::ok();
  }

  Status append_audit(const AuditEntry& e) override {
    const std::int64_t now = clock_();
    return runner_.transact([&](Tx& tx) {
      tx.exec("INSERT INTO audit_log(at, at_epoch, account_id, actor, address, action, target, details)"
              " VALUES($1, $2, $3, $4, $5, $6, $7, $8)",
              {utc_iso(now), now, e.account_id ? Value(e.account_id) : Value(nullptr), e.actor, e.address, e.action,
               e.target, e.details});
    });
  }

  Result<int> count_audit(const std::string& action, std::int64_t since, const std::string& target,
                          const std::string& address) override {
    int n = 0;
    Status s = runner_.transact([&](Tx& tx) {
      n = static_cast<int>(tx.query("SELECT COUNT(*) FROM audit_log WHERE action = $1 AND at_epoch >= $2 AND"
                                    " ($3 = '' OR target = $3) AND ($4 = '' OR address = $4)",
                                    {action, since, target, address})[0]
                               .integer(0));
    });
    if (!s.is_ok()) return s;
    return n;
  }

  Result<std::vector<AuditEntry>> audit(const AuditQuery& q) override {
    std::vector<AuditEntry> out;
    Status s = runner_.transact([&](Tx& tx) {
      out.clear();
      for (const auto& r : tx.query(
               "SELECT id, at, at_epoch, account_id, actor, address, action, target, details"
               " FROM audit_log WHERE ($1 = 0 OR at_epoch >= $1) AND ($2 = 0 OR at_epoch < $2)"
               " AND ($3 = '' OR action = $3) AND ($5 = '' OR target = $5)"
               " AND ($6 = 0 OR action NOT IN ('view_person', 'search', 'list', 'note'))"
               " ORDER BY id DESC LIMIT $4",
               {q.since, q.until, q.action, std::int64_t{q.limit}, q.target, std::int64_t{q.changes_only ? 1 : 0}})) {
        AuditEntry e;
        e.id = r.integer(0);
        e.at = r.text(1);
        e.at_epoch = r.integer(2);
        e.account_id = r.integer(3);
        e.actor = r.text(4);
        e.address = r.text(5);
        e.action = r.text(6);
        e.target = r.text(7);
        e.details = r.text(8);
        out.push_back(std::move(e));
      }
    });
    if (!s.is_ok()) return s;
    return out;
  }

  // The log is read once whatever the number of texts (the end of the
  // programme's erasure brings thousands): one statement per text would
  // scan the whole log for each.
  Status redact_audit(const std::vector<std::string>& texts, const std::string& replacement) override {
    const Redactor redactor(texts);
    if (redactor.empty()) return Status::ok();
    return runner_.transact([&](Tx& tx) {
      for (const Row& row : tx.query("SELECT id, target, details FROM audit_log")) {
        const std::string target = redactor.apply(row.text(1), replacement);
        const std::string details = redactor.apply(row.text(2), replacement);
        if (target != row.text(1) || details != row.text(2))
          tx.exec("UPDATE audit_log SET target = $2, details = $3 WHERE id = $1", {row.integer(0), target, details});
      }
    });
  }

 private:
  Result<Account> one_account(const std::string& where, std::vector<Value> params) {
    std::optional<Account> out;
    Status s = runner_.transact([&](Tx& tx) {
      out.reset();
      auto rows = tx.query(std::string("SELECT ") + kAccountColumns + " FROM accounts WHERE " + where, params);
      if (!rows.empty()) out = read_account(rows[0]);
    });
    if (!s.is_ok()) return s;
    if (!out) return Status::not_found("account inesistente");
    return *out;
  }

  // Runs `f` on an existing account; NotFound when there is none.
  template <typename F>
  Status change(std::int64_t id, F&& f) {
    bool found = false;
    Status s = runner_.transact([&](Tx& tx) {
      found = !tx.query("SELECT 1 FROM accounts WHERE id = $1", {id}).empty();
      if (found) f(tx);
    });
    if (!s.is_ok()) return s;
    if (!found) return Status::not_found("account inesistente");
    return Status::ok();
  }

  sql_runner::SqlRunner& runner_;
  std::function<std::int64_t()> clock_;
};

}  // namespace

std::unique_ptr<AccountStore> make_account_store(sql_runner::SqlRunner& runner, std::function<std::int64_t()> clock) {
  return std::make_unique<SharedAccountStore>(runner, std::move(clock));
}

}  // namespace bp::registration

namespace bp::registration::sql_runner {

std::string Row::text(std::size_t i) const {
  if (const auto* t = std::get_if<std::string>(&cells.at(i))) return *t;
  if (const auto* n = std::get_if<std::int64_t>(&cells.at(i))) return std::to_string(*n);
  return {};
}

std::int64_t Row::integer(std::size_t i) const {
  if (const auto* n = std::get_if<std::int64_t>(&cells.at(i))) return *n;
  if (const auto* t = std::get_if<std::string>(&cells.at(i))) return std::strtoll(t->c_str(), nullptr, 10);
  return 0;
}

bool Row::is_null(std::size_t i) const { return std::holds_alternative<std::nullptr_t>(cells.at(i)); }

}  // namespace bp::registration::sql_runner
