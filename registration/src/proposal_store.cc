// ProposalStore's statements, one set for both engines, run by the store's
// SqlRunner (sql_runner.h) as the staff's stores are.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "bp/civil_time.h"
#include "crypto.h"
#include "staff_stores.h"
#include "store_rules.h"

namespace bp::registration {
namespace {

using sql_runner::Blob;
using sql_runner::Row;
using sql_runner::Tx;
using sql_runner::Value;

namespace ps = proposal_status;

}  // namespace

std::string public_actor(const std::string& actor) {
  return actor == "proponente" || actor == "sistema" ? actor : "redazione";
}

namespace {

constexpr const char* kColumns =
    "id, code, token_hash, status, fields, markdown, title, hub, proposer_name, proposer_email,"
    " proposer_role, proposer_organisation, consent_at, privacy_version, image_name, image_type, slug,"
    " public_url, created_at, updated_at, pulled_at, published_at";

// NULL for "" (optional columns).
Value text_or_null(const std::string& v) { return v.empty() ? Value(nullptr) : Value(v); }
Value blob_or_null(const std::string& v) { return v.empty() ? Value(nullptr) : Value(Blob{v}); }

StoredProposal read(const Row& r) {
  StoredProposal p;
  p.id = r.integer(0);
  p.code = r.text(1);
  p.token_hash = r.text(2);
  p.status = r.text(3);
  p.fields = r.text(4);
  p.markdown = r.text(5);
  p.title = r.text(6);
  p.hub = r.text(7);
  p.proposer_name = r.text(8);
  p.proposer_email = r.text(9);
  p.proposer_role = r.text(10);
  p.proposer_organisation = r.text(11);
  p.consent_at = r.text(12);
  p.privacy_version = r.text(13);
  p.image_name = r.text(14);
  p.image_type = r.text(15);
  p.slug = r.text(16);
  p.public_url = r.text(17);
  p.created_at = r.text(18);
  p.updated_at = r.text(19);
  p.pulled_at = r.text(20);
  p.published_at = r.text(21);
  return p;
}

std::string quoted_list(const std::vector<std::string>& v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i)
    out += (i ? (i + 1 == v.size() ? " o " : ", ") : "") + ("«" + v[i] + "»");
  return out;
}

class SqlProposalStore final : public ProposalStore {
 public:
  SqlProposalStore(sql_runner::SqlRunner& runner, std::function<std::int64_t()> clock)
      : runner_(runner), clock_(std::move(clock)) {}

  Result<StoredProposal> create(const StoredProposal& in, const ProposalContent& c, const OutboxMessage& message,
                                const std::vector<OutboxMessage>& notices, StoredProposal* duplicate) override {
    StoredProposal out;
    std::optional<StoredProposal> same;
    Status s = runner_.transact([&](Tx& db) {
      db.serialise("proposals:create");
      auto waiting = db.query(std::string("SELECT ") + kColumns +
                                  " FROM proposals WHERE status = $1 AND markdown = $2"
                                  " AND lower(proposer_email) = lower($3) ORDER BY id LIMIT 1",
                              {std::string(ps::kNew), c.markdown, in.proposer_email});
      same = waiting.empty() ? std::nullopt : std::optional<StoredProposal>(read(waiting[0]));
      if (same) return;
      const std::string now = now_iso();
      auto rows = db.query(
          "INSERT INTO proposals(code, token_hash, status, fields, markdown, title, hub, proposer_name,"
          " proposer_email, proposer_role, proposer_organisation, consent_at, privacy_version, image,"
          " image_name, image_type, created_at, updated_at)"
          " VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17) RETURNING id",
          {in.code, Blob{in.token_hash}, std::string(ps::kNew), c.fields, c.markdown, c.title, c.hub,
           in.proposer_name, in.proposer_email, text_or_null(in.proposer_role),
           text_or_null(in.proposer_organisation), in.consent_at, in.privacy_version, blob_or_null(c.image),
           text_or_null(c.image.empty() ? "" : c.image_name), text_or_null(c.image.empty() ? "" : c.image_type),
           now});
      const std::int64_t id = rows.at(0).integer(0);
      add_event(db, id, now, "proponente", ps::kNew, "");
      add_message(db, id, message);
      for (const OutboxMessage& n : notices) add_message(db, id, n);
      out = load(db, id);
    });
    if (!s.is_ok()) return s;
    if (same) {
      if (duplicate) *duplicate = *same;
      return Status::conflict("la stessa proposta è già arrivata (codice " + same->code + ")");
    }
    out.token = in.token;
    return out;
  }

  Result<StoredProposal> find(const std::string& code) override {
    std::optional<StoredProposal> out;
    Status s = runner_.transact([&](Tx& db) {
      out = by_code(db, code);
      if (out) add_history(db, &*out);
    });
    if (!s.is_ok()) return s;
    if (!out) return Status::not_found("proposta inesistente");
    return *out;
  }

  Result<std::string> image(const std::string& code) override {
    std::string out;
    Status s = runner_.transact([&](Tx& db) {
      auto rows = db.query("SELECT image FROM proposals WHERE code = $1", {code});
      out = rows.empty() ? "" : rows[0].text(0);
    });
    if (!s.is_ok()) return s;
    if (out.empty()) return Status::not_found("nessuna immagine");
    return out;
  }

  Result<std::vector<StoredProposal>> list(const std::string& status) override {
    std::vector<StoredProposal> out;
    Status s = runner_.transact([&](Tx& db) {
      out.clear();
      const std::string sql = std::string("SELECT ") + kColumns + " FROM proposals" +
                              (status.empty() ? "" : " WHERE status = $1") + " ORDER BY id DESC";
      std::vector<Value> params;
      if (!status.empty()) params.emplace_back(status);
      for (const Row& r : db.query(sql, params)) out.push_back(read(r));
    });
    if (!s.is_ok()) return s;
    return out;
  }

  Result<StoredProposal> change(const std::string& code, const ProposalChange& ch) override {
    return edit_impl(code, nullptr, ch);
  }

  Result<StoredProposal> edit(const std::string& code, const ProposalContent& c, const ProposalChange& ch) override {
    return edit_impl(code, &c, ch);
  }

  Status mark_pulled(const std::string& code, const std::string& slug) override {
    Status refused = Status::ok();
    Status s = runner_.transact([&](Tx& db) {
      auto p = in_status(db, code, {ps::kAccepted, ps::kPublished}, &refused);
      if (!p) return;
      db.exec("UPDATE proposals SET slug = $2, pulled_at = $3 WHERE id = $1", {p->id, slug, now_iso()});
    });
    return s.is_ok() ? refused : s;
  }

  Result<StoredProposal> mark_published(const std::string& code, const std::string& url,
                                        const OutboxMessage& message) override {
    StoredProposal out;
    Status refused = Status::ok();
    Status s = runner_.transact([&](Tx& db) {
      auto p = in_status(db, code, {ps::kAccepted}, &refused);
      if (!p) return;
      const std::string now = now_iso();
      db.exec("UPDATE proposals SET status = $2, public_url = $3, published_at = $4, updated_at = $4 WHERE id = $1",
              {p->id, std::string(ps::kPublished), url, now});
      add_event(db, p->id, now, "sistema", ps::kPublished, "");
      add_message(db, p->id, message);
      out = load(db, p->id);
    });
    if (!s.is_ok()) return s;
    if (!refused.is_ok()) return refused;
    return out;
  }

  Status replace_tokens(const std::map<std::string, std::string>& token_hashes,
                        const OutboxMessage& message) override {
    return runner_.transact([&](Tx& db) {
      std::int64_t last = 0;
      for (const auto& [code, hash] : token_hashes) {
        auto p = by_code(db, code);
        if (!p) continue;
        db.exec("UPDATE proposals SET token_hash = $2 WHERE id = $1", {p->id, Blob{hash}});
        last = p->id;
      }
      if (last != 0) add_message(db, last, message);
    });
  }

  Status erase_proposers(const std::vector<std::string>& codes, const std::string& replacement) override {
    Status missing = Status::ok();
    Status s = runner_.transact([&](Tx& db) {
      missing = Status::ok();
      std::vector<StoredProposal> found;
      for (const auto& code : codes) {
        auto p = by_code(db, code);
        if (!p) {
          missing = Status::not_found("proposta inesistente");
          return;
        }
        found.push_back(std::move(*p));
      }
      for (const auto& p : found) {
        if (p.erased()) continue;
        nlohmann::json fields = nlohmann::json::parse(p.fields, nullptr, false);
        if (fields.is_object()) fields.erase("proposer");
        db.exec(
            "UPDATE proposals SET proposer_name = '', proposer_email = '', proposer_role = NULL,"
            " proposer_organisation = NULL, token_hash = $2, fields = $3 WHERE id = $1",
            {p.id, Blob{sha256(random_base32(kTokenBytes))}, fields.is_discarded() ? "{}" : fields.dump()});
        const std::string now = now_iso();
        // The messages about this proposal: those that name its code (its
        // first message, a new link, the editors' notices) and those to the
        // proposer that name its title. Every message to the address when no
        // other proposal keeps it; else the others stay, still to be sent
        // (an open proposal's «chiede qualche modifica» must reach them).
        db.exec(
            "UPDATE outbox SET recipient = '', subject = '', body = '', delivered_at = COALESCE(delivered_at, $3),"
            " last_error = CASE WHEN delivered_at IS NULL THEN $4 ELSE last_error END"
            " WHERE registration_id IS NULL AND (body LIKE '%' || $2 || '%' OR (lower(recipient) = lower($1) AND"
            " (body LIKE '%' || $5 || '%' OR NOT EXISTS (SELECT 1 FROM proposals q WHERE q.id <> $6"
            " AND lower(q.proposer_email) = lower($1)))))",
            {p.proposer_email, p.code, now, std::string(kNotSentErased), "«" + p.title + "»", p.id});
        const Redactor redactor({p.proposer_email, p.proposer_name});
        for (const Row& r : db.query(
                 "SELECT id, comment FROM proposal_events WHERE proposal_id = $1 AND comment IS NOT NULL", {p.id})) {
          const std::string comment = redactor.apply(r.text(1), replacement);
          if (comment != r.text(1))
            db.exec("UPDATE proposal_events SET comment = $2 WHERE id = $1", {r.integer(0), comment});
        }
      }
    });
    return s.is_ok() ? missing : s;
  }

 private:
  Result<StoredProposal> edit_impl(const std::string& code, const ProposalContent* c, const ProposalChange& ch) {
    StoredProposal out;
    Status refused = Status::ok();
    Status s = runner_.transact([&](Tx& db) {
      auto p = in_status(db, code, ch.from, &refused);
      if (!p) return;
      const std::string now = now_iso();
      if (c) {
        db.exec("UPDATE proposals SET fields = $2, markdown = $3, title = $4, hub = $5, updated_at = $6 WHERE id = $1",
                {p->id, c->fields, c->markdown, c->title, c->hub, now});
        if (c->replace_image)
          db.exec("UPDATE proposals SET image = $2, image_name = $3, image_type = $4 WHERE id = $1",
                  {p->id, blob_or_null(c->image), text_or_null(c->image.empty() ? "" : c->image_name),
                   text_or_null(c->image.empty() ? "" : c->image_type)});
      }
      if (!ch.to.empty())
        db.exec("UPDATE proposals SET status = $2, updated_at = $3 WHERE id = $1", {p->id, ch.to, now});
      if (!ch.to.empty() || !ch.comment.empty()) add_event(db, p->id, now, ch.actor, ch.to, ch.comment);
      add_message(db, p->id, ch.message);
      for (const OutboxMessage& n : ch.notices) add_message(db, p->id, n);
      out = load(db, p->id);
    });
    if (!s.is_ok()) return s;
    if (!refused.is_ok()) return refused;
    return out;
  }

  std::string now_iso() const { return utc_iso(clock_()); }

  // The proposal `code` when it is in one of `from` (any when empty);
  // otherwise nullopt and `*refused` says why (NotFound, Conflict naming the
  // current status). Called first in a transaction, so a refusal writes
  // nothing.
  static std::optional<StoredProposal> in_status(Tx& db, const std::string& code,
                                                 const std::vector<std::string>& from, Status* refused) {
    *refused = Status::ok();
    auto p = by_code(db, code);
    if (!p) {
      *refused = Status::not_found("proposta inesistente");
    } else if (!from.empty() && std::find(from.begin(), from.end(), p->status) == from.end()) {
      *refused = Status::conflict("la proposta è «" + p->status + "»: questa operazione è possibile solo quando è " +
                                  quoted_list(from));
      p.reset();
    }
    return p;
  }

  static std::optional<StoredProposal> by_code(Tx& db, const std::string& code) {
    auto rows = db.query(std::string("SELECT ") + kColumns + " FROM proposals WHERE code = $1", {code});
    if (rows.empty()) return std::nullopt;
    return read(rows[0]);
  }

  // The proposal with its history, as changed in this transaction.
  static StoredProposal load(Tx& db, std::int64_t id) {
    auto rows = db.query(std::string("SELECT ") + kColumns + " FROM proposals WHERE id = $1", {id});
    StoredProposal p = read(rows.at(0));
    add_history(db, &p);
    return p;
  }

  static void add_history(Tx& db, StoredProposal* p) {
    p->history.clear();
    for (const Row& r : db.query("SELECT at, actor, status, comment FROM proposal_events WHERE proposal_id = $1"
                                 " ORDER BY id",
                                 {p->id}))
      p->history.push_back({r.text(0), r.text(1), r.text(2), r.text(3)});
  }

  static void add_event(Tx& db, std::int64_t id, const std::string& at, const std::string& actor,
                        const std::string& status, const std::string& comment) {
    db.exec("INSERT INTO proposal_events(proposal_id, at, actor, status, comment) VALUES($1, $2, $3, $4, $5)",
            {id, at, actor, text_or_null(status), text_or_null(comment)});
  }

  // Messages about a proposal go to its proposer, with no registration_id.
  void add_message(Tx& db, std::int64_t id, const OutboxMessage& m) {
    if (m.subject.empty()) return;
    auto rows = db.query("SELECT proposer_email FROM proposals WHERE id = $1", {id});
    const std::string to = m.recipient.empty() ? rows.at(0).text(0) : m.recipient;
    if (to.empty()) return;
    db.exec("INSERT INTO outbox(registration_id, recipient, subject, body, created_at) VALUES(NULL, $1, $2, $3, $4)",
            {to, m.subject, m.body, now_iso()});
  }

  sql_runner::SqlRunner& runner_;
  std::function<std::int64_t()> clock_;
};

}  // namespace

std::unique_ptr<ProposalStore> make_proposal_store(sql_runner::SqlRunner& runner,
                                                   std::function<std::int64_t()> clock) {
  return std::make_unique<SqlProposalStore>(runner, std::move(clock));
}

}  // namespace bp::registration
