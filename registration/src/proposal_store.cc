// ProposalStore's statements, one set for both engines (proposal_sql.h).
#include <algorithm>

#include "proposal_sql.h"

namespace bp::registration::proposal_sql {
namespace {

constexpr const char* kColumns =
    "id, code, token_hash, status, fields, markdown, title, hub, proposer_name, proposer_email,"
    " proposer_role, proposer_organisation, consent_at, privacy_version, image_name, image_type, slug,"
    " public_url, created_at, updated_at, pulled_at, published_at";

std::string str(const std::optional<std::string>& v) { return v.value_or(""); }

StoredProposal read(const Row& r) {
  StoredProposal p;
  p.id = std::stoll(str(r[0]));
  p.code = str(r[1]);
  p.token_hash = str(r[2]);
  p.status = str(r[3]);
  p.fields = str(r[4]);
  p.markdown = str(r[5]);
  p.title = str(r[6]);
  p.hub = str(r[7]);
  p.proposer_name = str(r[8]);
  p.proposer_email = str(r[9]);
  p.proposer_role = str(r[10]);
  p.proposer_organisation = str(r[11]);
  p.consent_at = str(r[12]);
  p.privacy_version = str(r[13]);
  p.image_name = str(r[14]);
  p.image_type = str(r[15]);
  p.slug = str(r[16]);
  p.public_url = str(r[17]);
  p.created_at = str(r[18]);
  p.updated_at = str(r[19]);
  p.pulled_at = str(r[20]);
  p.published_at = str(r[21]);
  return p;
}

std::string quoted_list(const std::vector<std::string>& v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? (i + 1 == v.size() ? " o " : ", ") : "") + ("«" + v[i] + "»");
  return out;
}

class SqlProposalStore final : public ProposalStore {
 public:
  explicit SqlProposalStore(std::unique_ptr<Engine> engine) : engine_(std::move(engine)) {}

  Result<StoredProposal> create(const StoredProposal& in, const ProposalContent& c,
                                const OutboxMessage& message) override {
    StoredProposal out;
    Status s = engine_->write([&](Session& db) {
      const std::string now = engine_->now_iso();
      auto rows = db.query(
          "INSERT INTO proposals(code, token_hash, status, fields, markdown, title, hub, proposer_name,"
          " proposer_email, proposer_role, proposer_organisation, consent_at, privacy_version, image,"
          " image_name, image_type, created_at, updated_at)"
          " VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17) RETURNING id",
          {Value::text(in.code), Value::blob(in.token_hash), Value::text(proposal_status::kNew),
           Value::text(c.fields), Value::text(c.markdown), Value::text(c.title), Value::text(c.hub),
           Value::text(in.proposer_name), Value::text(in.proposer_email),
           Value::text_or_null(in.proposer_role), Value::text_or_null(in.proposer_organisation),
           Value::text(in.consent_at), Value::text(in.privacy_version), Value::blob_or_null(c.image),
           Value::text_or_null(c.image.empty() ? "" : c.image_name),
           Value::text_or_null(c.image.empty() ? "" : c.image_type), Value::text(now)});
      const std::int64_t id = std::stoll(str(rows.at(0).at(0)));
      add_event(db, id, now, "proponente", proposal_status::kNew, "");
      add_message(db, id, message);
      out = load(db, id);
      return Status::ok();
    });
    if (!s.is_ok()) return s;
    out.token = in.token;
    return out;
  }

  Result<StoredProposal> find(const std::string& code) override {
    StoredProposal out;
    Status s = engine_->write([&](Session& db) {
      auto found = by_code(db, code);
      if (!found) return Status::not_found("proposta inesistente");
      out = *found;
      for (const Row& r : db.query("SELECT at, actor, status, comment FROM proposal_events WHERE proposal_id = $1"
                                   " ORDER BY id",
                                   {Value::integer(out.id)}))
        out.history.push_back({str(r[0]), str(r[1]), str(r[2]), str(r[3])});
      return Status::ok();
    });
    if (!s.is_ok()) return s;
    return out;
  }

  Result<std::string> image(const std::string& code) override {
    std::string out;
    Status s = engine_->write([&](Session& db) {
      auto rows = db.query("SELECT image FROM proposals WHERE code = $1", {Value::text(code)});
      if (rows.empty() || !rows[0][0] || rows[0][0]->empty()) return Status::not_found("nessuna immagine");
      out = *rows[0][0];
      return Status::ok();
    });
    if (!s.is_ok()) return s;
    return out;
  }

  Result<std::vector<StoredProposal>> list(const std::string& status) override {
    std::vector<StoredProposal> out;
    Status s = engine_->write([&](Session& db) {
      const std::string sql = std::string("SELECT ") + kColumns + " FROM proposals" +
                              (status.empty() ? "" : " WHERE status = $1") + " ORDER BY id DESC";
      std::vector<Value> params;
      if (!status.empty()) params.push_back(Value::text(status));
      for (const Row& r : db.query(sql, params)) out.push_back(read(r));
      return Status::ok();
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
    return engine_->write([&](Session& db) {
      auto p = by_code(db, code);
      if (!p) return Status::not_found("proposta inesistente");
      if (p->status != proposal_status::kAccepted && p->status != proposal_status::kPublished)
        return Status::conflict("la proposta è " + p->status + ", non accettata");
      db.query("UPDATE proposals SET slug = $2, pulled_at = $3 WHERE id = $1",
               {Value::integer(p->id), Value::text(slug), Value::text(engine_->now_iso())});
      return Status::ok();
    });
  }

  Result<StoredProposal> mark_published(const std::string& code, const std::string& url,
                                        const OutboxMessage& message) override {
    StoredProposal out;
    Status s = engine_->write([&](Session& db) {
      auto p = by_code(db, code);
      if (!p) return Status::not_found("proposta inesistente");
      if (p->status != proposal_status::kAccepted)
        return Status::conflict("la proposta è " + p->status + ", non accettata");
      const std::string now = engine_->now_iso();
      db.query("UPDATE proposals SET status = $2, public_url = $3, published_at = $4, updated_at = $4 WHERE id = $1",
               {Value::integer(p->id), Value::text(proposal_status::kPublished), Value::text(url), Value::text(now)});
      add_event(db, p->id, now, "sistema", proposal_status::kPublished, "");
      add_message(db, p->id, message);
      out = load(db, p->id);
      return Status::ok();
    });
    if (!s.is_ok()) return s;
    return out;
  }

 private:
  Result<StoredProposal> edit_impl(const std::string& code, const ProposalContent* c, const ProposalChange& ch) {
    StoredProposal out;
    Status s = engine_->write([&](Session& db) {
      auto p = by_code(db, code);
      if (!p) return Status::not_found("proposta inesistente");
      if (!ch.from.empty() && std::find(ch.from.begin(), ch.from.end(), p->status) == ch.from.end())
        return Status::conflict("la proposta è «" + p->status + "»: questa operazione è possibile solo quando è " +
                                quoted_list(ch.from));
      const std::string now = engine_->now_iso();
      if (c) {
        db.query("UPDATE proposals SET fields = $2, markdown = $3, title = $4, hub = $5, updated_at = $6 WHERE id = $1",
                 {Value::integer(p->id), Value::text(c->fields), Value::text(c->markdown), Value::text(c->title),
                  Value::text(c->hub), Value::text(now)});
        if (c->replace_image)
          db.query("UPDATE proposals SET image = $2, image_name = $3, image_type = $4 WHERE id = $1",
                   {Value::integer(p->id), Value::blob_or_null(c->image),
                    Value::text_or_null(c->image.empty() ? "" : c->image_name),
                    Value::text_or_null(c->image.empty() ? "" : c->image_type)});
      }
      if (!ch.to.empty())
        db.query("UPDATE proposals SET status = $2, updated_at = $3 WHERE id = $1",
                 {Value::integer(p->id), Value::text(ch.to), Value::text(now)});
      if (!ch.to.empty() || !ch.comment.empty()) add_event(db, p->id, now, ch.actor, ch.to, ch.comment);
      add_message(db, p->id, ch.message);
      out = load(db, p->id);
      return Status::ok();
    });
    if (!s.is_ok()) return s;
    return out;
  }

  std::optional<StoredProposal> by_code(Session& db, const std::string& code) {
    auto rows = db.query(std::string("SELECT ") + kColumns + " FROM proposals WHERE code = $1", {Value::text(code)});
    if (rows.empty()) return std::nullopt;
    return read(rows[0]);
  }

  StoredProposal load(Session& db, std::int64_t id) {
    auto rows = db.query(std::string("SELECT ") + kColumns + " FROM proposals WHERE id = $1", {Value::integer(id)});
    return read(rows.at(0));
  }

  static void add_event(Session& db, std::int64_t id, const std::string& at, const std::string& actor,
                        const std::string& status, const std::string& comment) {
    db.query("INSERT INTO proposal_events(proposal_id, at, actor, status, comment) VALUES($1, $2, $3, $4, $5)",
             {Value::integer(id), Value::text(at), Value::text(actor), Value::text_or_null(status),
              Value::text_or_null(comment)});
  }

  // Messages about a proposal go to its proposer, with no registration_id.
  void add_message(Session& db, std::int64_t id, const OutboxMessage& m) {
    if (m.subject.empty()) return;
    auto rows = db.query("SELECT proposer_email FROM proposals WHERE id = $1", {Value::integer(id)});
    const std::string to = m.recipient.empty() ? str(rows.at(0).at(0)) : m.recipient;
    if (to.empty()) return;
    db.query("INSERT INTO outbox(registration_id, recipient, subject, body, created_at) VALUES(NULL, $1, $2, $3, $4)",
             {Value::text(to), Value::text(m.subject), Value::text(m.body), Value::text(engine_->now_iso())});
  }

  std::unique_ptr<Engine> engine_;
};

class RunnerEngine final : public Engine {
 public:
  RunnerEngine(SessionRunner run, Clock now) : run_(std::move(run)), now_(std::move(now)) {}
  Status write(const std::function<Status(Session&)>& f) override { return run_(f); }
  std::string now_iso() const override { return now_(); }

 private:
  SessionRunner run_;
  Clock now_;
};

}  // namespace

std::unique_ptr<Engine> make_engine(SessionRunner run, Clock now) {
  return std::make_unique<RunnerEngine>(std::move(run), std::move(now));
}

void for_each_placeholder(std::string_view sql, const std::function<void(std::string_view)>& text,
                          const std::function<void(int)>& param) {
  std::size_t start = 0;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    if (sql[i] != '$' || i + 1 >= sql.size() || sql[i + 1] < '0' || sql[i + 1] > '9') continue;
    text(sql.substr(start, i - start));
    std::size_t j = i + 1;
    int n = 0;
    while (j < sql.size() && sql[j] >= '0' && sql[j] <= '9') n = n * 10 + (sql[j++] - '0');
    param(n);
    start = j;
    i = j - 1;
  }
  text(sql.substr(start));
}

std::unique_ptr<ProposalStore> make_store(std::unique_ptr<Engine> engine) {
  return std::make_unique<SqlProposalStore>(std::move(engine));
}

}  // namespace bp::registration::proposal_sql
