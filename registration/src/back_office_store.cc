// BackOfficeStore over a SqlRunner: one text of each statement for both engines.
#include <algorithm>
#include <optional>

#include "bp/civil_time.h"
#include "staff_stores.h"

namespace bp::registration {
namespace {

using sql_runner::Tx;
using sql_runner::Value;

class SharedBackOfficeStore final : public BackOfficeStore {
 public:
  SharedBackOfficeStore(sql_runner::SqlRunner& runner, std::function<std::int64_t()> clock)
      : runner_(runner), clock_(std::move(clock)) {}

  Result<std::map<std::int64_t, std::set<int>>> meeting_attendance(const std::string& edition_id) override {
    std::map<std::int64_t, std::set<int>> out;
    Status s = runner_.transact([&](Tx& tx) {
      out.clear();
      for (const auto& r : tx.query("SELECT m.registration_id, m.meeting FROM meeting_attendance m JOIN registrations r"
                                    " ON r.id = m.registration_id WHERE r.edition_id = $1",
                                    {edition_id}))
        out[r.integer(0)].insert(static_cast<int>(r.integer(1)));
    });
    if (!s.is_ok()) return s;
    return out;
  }

  Result<std::vector<std::string>> save_meeting_attendance(const std::string& edition_id,
                                                           const std::map<std::string, std::set<int>>& by_code,
                                                           int meetings, int share_percent) override {
    for (const auto& [code, met] : by_code)
      for (int m : met)
        if (m < 0 || m >= meetings)
          return Status::invalid("incontro " + std::to_string(m + 1) + " inesistente: l'edizione ne ha " +
                                 std::to_string(meetings));
    std::vector<std::string> rejected;
    Status s = runner_.transact([&](Tx& tx) {
      rejected.clear();
      for (const auto& [code, met] : by_code) {
        auto row = tx.query("SELECT id FROM registrations WHERE code = $1 AND edition_id = $2 AND status = 'confirmed'",
                            {code, edition_id});
        if (row.empty()) {
          rejected.push_back(code);
          continue;
        }
        const std::int64_t id = row[0].integer(0);
        // Nothing ticked for a person with no meeting ticked before: their
        // attendance as a whole (the admin API's) stays as it is.
        if (met.empty() &&
            tx.query("SELECT 1 FROM meeting_attendance WHERE registration_id = $1 LIMIT 1", {id}).empty())
          continue;
        tx.exec("DELETE FROM meeting_attendance WHERE registration_id = $1", {id});
        for (int m : met)
          tx.exec("INSERT INTO meeting_attendance(registration_id, meeting) VALUES($1, $2)", {id, std::int64_t{m}});
        const bool earned = meetings > 0 && static_cast<std::int64_t>(met.size()) * 100 >=
                                                static_cast<std::int64_t>(share_percent) * meetings;
        tx.exec("UPDATE registrations SET attended = $1 WHERE id = $2", {std::int64_t{earned ? 1 : 0}, id});
      }
    });
    if (!s.is_ok()) return s;
    return rejected;
  }

  Status pause_registrations(const std::string& edition_id, bool paused, const std::string& by) override {
    bool found = false;
    Status s = runner_.transact([&](Tx& tx) {
      found = !tx.query("SELECT 1 FROM editions WHERE id = $1", {edition_id}).empty();
      if (!found) return;
      if (paused)
        tx.exec("UPDATE editions SET paused_at = $1, paused_by = $2 WHERE id = $3 AND paused_at IS NULL",
                {utc_iso(clock_()), by, edition_id});
      else
        tx.exec("UPDATE editions SET paused_at = NULL, paused_by = NULL WHERE id = $1", {edition_id});
    });
    if (!s.is_ok()) return s;
    return found ? Status::ok() : Status::not_found("edizione sconosciuta");
  }

  Result<StaffNote> add_note(StaffNote n) override {
    n.written_at = utc_iso(clock_());
    bool found = false;
    Status s = runner_.transact([&](Tx& tx) {
      found = !tx.query("SELECT 1 FROM registrations WHERE id = $1 AND erased_at IS NULL", {n.registration_id}).empty();
      if (!found) return;
      // Its id from the insert itself, as proposal_store does: a note written
      // at the same moment cannot be read back instead.
      n.id = tx.query(
                   "INSERT INTO staff_notes(registration_id, account_id, author, written_at, body)"
                   " VALUES($1, $2, $3, $4, $5) RETURNING id",
                   {n.registration_id, n.account_id ? Value(n.account_id) : Value(nullptr), n.author, n.written_at,
                    n.body})[0]
                 .integer(0);
    });
    if (!s.is_ok()) return s;
    if (!found) return Status::not_found("iscrizione non trovata o con i dati personali cancellati");
    return n;
  }

  Result<std::vector<StaffNote>> notes(const std::vector<std::int64_t>& registration_ids) override {
    std::vector<StaffNote> out;
    Status s = runner_.transact([&](Tx& tx) {
      out.clear();
      for (std::int64_t id : registration_ids)
        for (const auto& r : tx.query("SELECT id, registration_id, COALESCE(account_id, 0), author, written_at, body"
                                      " FROM staff_notes WHERE registration_id = $1 ORDER BY id",
                                      {id})) {
          StaffNote n;
          n.id = r.integer(0);
          n.registration_id = r.integer(1);
          n.account_id = r.integer(2);
          n.author = r.text(3);
          n.written_at = r.text(4);
          n.body = r.text(5);
          out.push_back(std::move(n));
        }
    });
    if (!s.is_ok()) return s;
    std::sort(out.begin(), out.end(), [](const StaffNote& a, const StaffNote& b) { return a.id < b.id; });
    return out;
  }

  Status change_note(std::int64_t id, std::int64_t registration_id, const std::string& body) override {
    bool found = false;
    Status s = runner_.transact([&](Tx& tx) {
      found = !tx.query(
                     "SELECT 1 FROM staff_notes n JOIN registrations r ON r.id = n.registration_id"
                     " WHERE n.id = $1 AND n.registration_id = $2 AND r.erased_at IS NULL",
                     {id, registration_id})
                   .empty();
      if (!found) return;
      if (body.empty())
        tx.exec("DELETE FROM staff_notes WHERE id = $1", {id});
      else
        tx.exec("UPDATE staff_notes SET body = $1 WHERE id = $2", {body, id});
    });
    if (!s.is_ok()) return s;
    return found ? Status::ok() : Status::not_found("nota non trovata");
  }

  Result<std::map<std::int64_t, TutoringCase>> tutoring_cases() override {
    std::map<std::int64_t, TutoringCase> out;
    Status s = runner_.transact([&](Tx& tx) {
      out.clear();
      for (const auto& r : tx.query("SELECT t.registration_id, t.state, t.assignee_id, a.email, t.notes, t.updated_at"
                                    " FROM tutoring_cases t LEFT JOIN accounts a ON a.id = t.assignee_id")) {
        TutoringCase c;
        c.registration_id = r.integer(0);
        c.state = r.text(1);
        c.assignee_id = r.integer(2);
        c.assignee_email = r.text(3);
        c.notes = r.text(4);
        c.updated_at = r.text(5);
        out[c.registration_id] = std::move(c);
      }
    });
    if (!s.is_ok()) return s;
    return out;
  }

  Status save_tutoring_case(const TutoringCase& c, const std::optional<OutboxMessage>& notify) override {
    if (c.state != "nuova" && c.state != "assegnata" && c.state != "conclusa")
      return Status::invalid("stato della richiesta non previsto: " + c.state);
    if (c.state == "assegnata" && c.assignee_id == 0)
      return Status::invalid("per assegnare la richiesta scegli una persona dello staff");
    const Value assignee = c.assignee_id ? Value(c.assignee_id) : Value(nullptr);
    const std::string now = utc_iso(clock_());
    return runner_.transact([&](Tx& tx) {
      if (tx.exec("UPDATE tutoring_cases SET state = $1, assignee_id = $2, notes = $3, updated_at = $4"
                  " WHERE registration_id = $5",
                  {c.state, assignee, c.notes, now, c.registration_id}) == 0)
        tx.exec("INSERT INTO tutoring_cases(registration_id, state, assignee_id, notes, updated_at)"
                " VALUES($5, $1, $2, $3, $4)",
                {c.state, assignee, c.notes, now, c.registration_id});
      if (notify) queue_message(tx, c.registration_id, notify->recipient, *notify, now);
    });
  }

  Result<int> queue_reminders(const std::string& edition_id, const Composer& compose) override {
    std::vector<Registration> due;
    Status s = runner_.transact([&](Tx& tx) {
      due.clear();
      for (const auto& row : tx.query("SELECT " + std::string(kContactColumns) +
                                          " FROM registrations WHERE edition_id = $1 AND status = 'confirmed'"
                                          " AND reminded_at IS NULL AND erased_at IS NULL ORDER BY id",
                                      {edition_id}))
        due.push_back(contact_of(row, edition_id));
    });
    if (!s.is_ok()) return s;
    int queued = 0;
    const std::string now = utc_iso(clock_());
    for (const Registration& r : due) {
      const OutboxMessage m = compose(MessageKind::kReminder, r);
      bool took = false;  // the lambda may run again: counted after the commit
      s = runner_.transact([&](Tx& tx) {
        took = false;
        // Another server may have taken it since the read: the update says.
        if (tx.exec("UPDATE registrations SET reminded_at = $1 WHERE id = $2 AND reminded_at IS NULL"
                    " AND status = 'confirmed' AND erased_at IS NULL",
                    {now, r.id}) == 0)
          return;
        queue_message(tx, r.id, m.recipient.empty() ? r.email : m.recipient, m, now);
        took = true;
      });
      if (!s.is_ok()) return s;
      if (took) ++queued;
    }
    return queued;
  }

  Result<EditionMessage> send_edition_message(
      EditionMessage m, const std::function<OutboxMessage(const Registration&)>& compose) override {
    if (m.send_key.empty()) return Status::invalid("manca la chiave del messaggio");
    const bool one = !m.registration_code.empty();
    if (m.statuses.empty() != one) return Status::invalid("nessun destinatario scelto");
    std::string in, statuses;
    std::vector<sql_runner::Value> params = {m.edition_id};
    for (const auto& st : m.statuses) {
      if (st != "confirmed" && st != "pending" && st != "waitlisted")
        return Status::invalid("stato dei destinatari non valido: " + st);
      params.push_back(st);
      in += (in.empty() ? "$" : ", $") + std::to_string(params.size());
      statuses += (statuses.empty() ? "" : ",") + st;
    }
    m.sent_at = utc_iso(clock_());
    bool duplicate = false;
    Status s = runner_.transact([&](Tx& tx) {
      duplicate = false;
      m.recipients = 0;
      if (tx.exec("INSERT INTO edition_messages(send_key, edition_id, statuses, subject, body, recipients, account_id,"
                  " sent_by, sent_at, registration_code) VALUES($1, $2, $3, $4, $5, 0, $6, $7, $8, $9)"
                  " ON CONFLICT (send_key) DO NOTHING",
                  {m.send_key, m.edition_id, statuses, m.subject, m.body,
                   m.account_id ? sql_runner::Value{m.account_id} : sql_runner::Value{nullptr}, m.sent_by, m.sent_at,
                   one ? sql_runner::Value{m.registration_code} : sql_runner::Value{nullptr}}) == 0) {
        duplicate = true;
        return;
      }
      const std::string to = one ? " AND code = $2" : " AND status IN (" + in + ")";
      if (one) params = {m.edition_id, m.registration_code};
      for (const auto& row :
           tx.query("SELECT " + std::string(kContactColumns) +
                        " FROM registrations WHERE edition_id = $1 AND erased_at IS NULL" + to + " ORDER BY id",
                    params)) {
        const Registration r = contact_of(row, m.edition_id);
        const OutboxMessage out = compose(r);
        queue_message(tx, r.id, out.recipient.empty() ? r.email : out.recipient, out, m.sent_at);
        ++m.recipients;
      }
      const auto id = tx.query("SELECT id FROM edition_messages WHERE send_key = $1", {m.send_key});
      m.id = id.empty() ? 0 : id[0].integer(0);
      tx.exec("UPDATE edition_messages SET recipients = $1 WHERE id = $2", {std::int64_t{m.recipients}, m.id});
    });
    if (!s.is_ok()) return s;
    if (duplicate) return Status::conflict("questo messaggio è già stato mandato");
    return m;
  }

  Result<std::vector<EditionMessage>> edition_messages(const std::string& edition_id) override {
    std::vector<EditionMessage> out;
    Status s = runner_.transact([&](Tx& tx) {
      out.clear();
      for (const auto& row : tx.query("SELECT id, send_key, statuses, subject, body, recipients, account_id, sent_by,"
                                      " sent_at, registration_code FROM edition_messages WHERE edition_id = $1"
                                      " ORDER BY id DESC",
                                      {edition_id})) {
        EditionMessage m;
        m.id = row.integer(0);
        m.send_key = row.text(1);
        m.edition_id = edition_id;
        const std::string statuses = row.text(2);
        for (std::size_t b = 0; b <= statuses.size();) {
          const std::size_t e = std::min(statuses.find(',', b), statuses.size());
          if (e > b) m.statuses.push_back(statuses.substr(b, e - b));
          b = e + 1;
        }
        m.subject = row.text(3);
        m.body = row.text(4);
        m.recipients = static_cast<int>(row.integer(5));
        m.account_id = row.integer(6);
        m.sent_by = row.text(7);
        m.sent_at = row.text(8);
        m.registration_code = row.is_null(9) ? std::string() : row.text(9);
        out.push_back(std::move(m));
      }
    });
    if (!s.is_ok()) return s;
    return out;
  }

  Status retry_message(std::int64_t id) override {
    std::int64_t changed = 0;
    Status s = runner_.transact([&](Tx& tx) {
      changed = tx.exec("UPDATE outbox SET next_attempt_at = $1 WHERE id = $2 AND delivered_at IS NULL",
                        {clock_(), id});
    });
    if (!s.is_ok()) return s;
    if (changed == 0) return Status::not_found("messaggio inesistente o già consegnato");
    return Status::ok();
  }

 private:
  // What a message to a registration's person needs of it: the columns, and
  // the Registration they fill (`edition_id` given by the query).
  // What a message to a person needs: who to greet (a child under 14's
  // parent or guardian: guardian_of()), where to write, the status.
  static constexpr const char* kContactColumns =
      "id, code, first_name, last_name, email, status, hold_expires_at, age_band, guardian_name";
  static Registration contact_of(const sql_runner::Row& row, const std::string& edition_id) {
    Registration r;
    r.id = row.integer(0);
    r.code = row.text(1);
    r.first_name = row.text(2);
    r.last_name = row.text(3);
    r.email = row.text(4);
    r.status = row.text(5);
    r.hold_expires_at = row.integer(6);
    r.age_band = row.text(7);
    r.guardian_name = row.text(8);
    r.edition_id = edition_id;
    return r;
  }

  // `m` for `recipient` in the outbox, due at once (inside `tx`).
  static void queue_message(Tx& tx, std::int64_t registration_id, const std::string& recipient, const OutboxMessage& m,
                            const std::string& now) {
    tx.exec(
        "INSERT INTO outbox(registration_id, recipient, subject, body, created_at, attempts, next_attempt_at)"
        " VALUES($1, $2, $3, $4, $5, 0, 0)",
        {registration_id, recipient, m.subject, m.body, now});
  }

  sql_runner::SqlRunner& runner_;
  std::function<std::int64_t()> clock_;
};

}  // namespace

std::unique_ptr<BackOfficeStore> make_back_office_store(sql_runner::SqlRunner& runner,
                                                        std::function<std::int64_t()> clock) {
  return std::make_unique<SharedBackOfficeStore>(runner, std::move(clock));
}

}  // namespace bp::registration
