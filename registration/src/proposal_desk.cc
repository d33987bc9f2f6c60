#include "proposal_desk.h"

#include <strings.h>

#include <chrono>

#include "bp/civil_time.h"
#include "bp/italian_date.h"
#include "bp/text.h"
#include "desk.h"
#include "crypto.h"
#include "store_rules.h"

namespace bp::registration {
namespace {

namespace ps = proposal_status;

constexpr int kCodeBytes = 10;   // 80 bits: an identifier, not a secret
constexpr std::size_t kMaxComment = 4000;  // characters, as the form's maxlength

// Why an editor's comment cannot be kept; OK when it can.
Status comment_status(const std::string& comment) {
  if (!text::is_valid_utf8(comment)) return Status::invalid("il commento contiene caratteri non validi");
  if (text::code_points(comment) > kMaxComment)
    return Status::invalid("il commento è troppo lungo (al massimo 4000 caratteri)");
  return Status::ok();
}

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string hub_of(const Proposal& p, const Taxonomy& t) {
  return p.hub.empty() ? t.hub_of_region(p.region) : p.hub;
}

ProposalContent content_of(const CheckedProposal& p, const Taxonomy& t, const Upload* image) {
  ProposalContent c;
  c.fields = p.input.fields.dump();
  c.markdown = p.check.markdown;
  c.title = p.input.proposal.title;
  c.hub = hub_of(p.input.proposal, t);
  if (image) {
    c.replace_image = true;
    c.image = image->bytes;
    c.image_name = "copertina." + image->info.extension;
    c.image_type = image->info.type;
  }
  return c;
}

const char* kWhatNext =
    "La redazione legge ogni proposta, di solito entro tre settimane: può chiederti qualche modifica "
    "(riceverai una e-mail e potrai correggere dalla tua pagina), accettarla o, spiegandone il motivo, "
    "non accettarla. Una proposta accettata entra nella biblioteca con la prossima pubblicazione e ti "
    "mandiamo il link.";

}  // namespace

ProposalDesk::ProposalDesk(const Taxonomy& taxonomy, ProposalStore& store, ProposalDeskOptions options)
    : taxonomy_(taxonomy), store_(store), options_(std::move(options)) {}

CheckedProposal ProposalDesk::check(const nlohmann::json& body, bool with_proposer, const std::string& cover_name) {
  CheckedProposal out;
  out.input = read_proposal(body, with_proposer);
  Proposal p = out.input.proposal;
  if (cover_name.empty()) {
    p.cover.reset();
  } else {
    const std::string alt = p.cover ? p.cover->alt : "";
    p.cover = Cover{cover_name, alt};
  }
  out.input.proposal = p;
  out.taxonomy = taxonomy();
  out.check = check_proposal(p, *out.taxonomy);
  out.check.errors = errors_for_proposer(p, *out.taxonomy, std::move(out.check.errors));
  out.check.warnings = warnings_for_proposer(std::move(out.check.warnings));
  out.errors = out.input.errors;
  out.errors.insert(out.errors.end(), out.check.errors.begin(), out.check.errors.end());
  return out;
}

Result<StoredProposal> ProposalDesk::submit(const CheckedProposal& p, const Upload* image) {
  if (!p.valid()) return Status::invalid("la proposta ha degli errori");
  ProposalContent content = content_of(p, *p.taxonomy, image);
  StoredProposal s;
  s.code = random_base32(kCodeBytes);
  s.token = random_base32(kTokenBytes);
  s.token_hash = sha256(s.token);
  s.proposer_name = p.input.proposer.name;
  s.proposer_email = p.input.proposer.email;
  s.proposer_role = p.input.proposer.role;
  s.proposer_organisation = p.input.proposer.organisation;
  s.consent_at = utc_iso(now_seconds());
  s.privacy_version = options_.privacy_version;
  s.title = p.input.proposal.title;
  const std::string link = options_.public_base_url + "/proposta/" + s.code + "?token=" + s.token;
  OutboxMessage m =
      message(s, "Abbiamo ricevuto la tua proposta",
              "grazie per aver proposto «" + s.title + "» alla biblioteca «Buone Pratiche».\n\n" +
                  "Codice della proposta: " + s.code + "\n" +
                  "La tua pagina personale (stato, commenti, modifiche, ritiro):\n" + link + "\n\n" + kWhatNext);
  StoredProposal w;  // the same proposal, already waiting
  auto stored = store_.create(s, content, m, editor_notices(s, false), &w);
  if (stored.status().code() == Code::kConflict && !w.code.empty())
    return Status::conflict("Questa proposta è già arrivata " +
                            after_preposition("il", italian_date(rome_day(w.created_at))) + " (codice " + w.code +
                            "): non serve inviarla di nuovo. Il link per seguirla è nell'e-mail di conferma "
                            "che ti abbiamo mandato; se non la trovi, chiedine uno nuovo da " +
                            options_.public_base_url + "/proposta/nuovo-link.");
  return stored;
}

Status ProposalDesk::resend_links(const std::string& email_field, std::string* problem) {
  const std::string email = text::trim(email_field);
  *problem = email.empty() ? "indica l'indirizzo e-mail da cui hai inviato la proposta" : email_address_problem(email);
  if (!problem->empty()) return Status::invalid(*problem);
  auto all = store_.list("");
  if (!all.ok()) return all.status();
  std::map<std::string, std::string> hashes;
  std::string links;
  const StoredProposal* first = nullptr;
  // Oldest first, as the person sent them.
  for (auto it = all->rbegin(); it != all->rend(); ++it) {
    if (strcasecmp(it->proposer_email.c_str(), email.c_str()) != 0) continue;
    it->token = random_base32(kTokenBytes);
    hashes[it->code] = sha256(it->token);
    links += "\n«" + it->title + "» (inviata " + after_preposition("il", italian_date(rome_day(it->created_at))) +
             ", stato: " + it->status + ")\n" + status_url(*it) + "\n";
    if (!first) first = &*it;
  }
  if (!first) return Status::ok();
  OutboxMessage m =
      message(*first, "I nuovi link delle tue proposte",
              "ecco i nuovi link personali delle proposte che hai inviato alla biblioteca «Buone "
              "Pratiche» (i link di prima non funzionano più):\n" +
                  links +
                  "\nSe non li hai chiesti tu, qualcuno ha scritto il tuo indirizzo nel modulo: usa comunque questi "
                  "link, perché quelli di prima non funzionano più.");
  return store_.replace_tokens(hashes, m);
}

Result<StoredProposal> ProposalDesk::authorise(const std::string& code, const std::string& token) {
  auto p = store_.find(code);
  // The digest is compared even for an unknown code, and both failures read
  // the same, so that the answer tells nothing about which codes exist.
  const std::string expected = p.ok() ? p->token_hash : std::string(32, '\0');
  if (!constant_time_equal(sha256(token), expected) || !p.ok() || token.empty())
    return Status::not_found(
        "proposta inesistente o link non valido: usa il link dell'ultima e-mail con i tuoi link "
        "personali, oppure fatti inviare un nuovo link");
  return p;
}

Result<StoredProposal> ProposalDesk::resubmit(const std::string& code, const CheckedProposal& p, const Upload* image) {
  if (!p.valid()) return Status::invalid("la proposta ha degli errori");
  auto current = store_.find(code);
  if (!current.ok()) return current.status();
  OutboxMessage m = message(*current, "Proposta modificata: torna in revisione",
                            "abbiamo ricevuto le modifiche a «" + p.input.proposal.title +
                                "». La redazione la rileggerà e ti scriverà l'esito.");
  StoredProposal sent = *current;
  sent.title = p.input.proposal.title;
  return store_.edit(code, content_of(p, *p.taxonomy, image),
                     {{ps::kChangesRequested},
                      ps::kInReview,
                      "proponente",
                      "Proposta modificata e inviata di nuovo",
                      m,
                      editor_notices(sent, true)});
}

Result<StoredProposal> ProposalDesk::withdraw(const std::string& code) {
  return store_.change(
      code,
      {{ps::kNew, ps::kInReview, ps::kChangesRequested}, ps::kWithdrawn, "proponente", "Proposta ritirata", {}, {}});
}

namespace {

// The history's actor for an editor's action.
std::string editor_actor(const std::string& editor) {
  return editor.empty() || editor == "BP_ADMIN_TOKEN" ? "redazione" : editor;
}

}  // namespace

Result<StoredProposal> ProposalDesk::decide(const std::string& code, Decision decision, const std::string& comment,
                                            const std::string& editor) {
  if (Status s = comment_status(comment); !s.is_ok()) return s;
  auto current = store_.find(code);
  if (!current.ok()) return current.status();
  const std::string title = "«" + current->title + "»";
  // The link is in the last e-mail that carried one: the first, or a new
  // one asked for at /proposta/nuovo-link (which ends the older links).
  const std::string link_hint =
      "\n\nTrovi tutto nella tua pagina personale, con il link dell'ultima e-mail che "
      "te lo ha mandato (codice " +
      current->code + ").";
  ProposalChange ch;
  ch.actor = editor_actor(editor);
  ch.comment = comment;
  switch (decision) {
    case Decision::kReview:
      ch.from = {ps::kNew};
      ch.to = ps::kInReview;
      break;
    case Decision::kRequestChanges:
      if (comment.empty()) return Status::invalid("scrivi che cosa deve cambiare: il commento arriva a chi ha proposto");
      ch.from = {ps::kNew, ps::kInReview};
      ch.to = ps::kChangesRequested;
      ch.message = message(*current, "La redazione chiede qualche modifica alla tua proposta",
                           "la redazione ha letto " + title + " e chiede qualche modifica:\n\n" + comment +
                               "\n\nPuoi correggerla e inviarla di nuovo dalla tua pagina personale: il link è "
                               "nell'ultima e-mail che te lo ha mandato (codice " +
                               current->code + ").");
      break;
    case Decision::kAccept:
      ch.from = {ps::kNew, ps::kInReview};
      ch.to = ps::kAccepted;
      ch.message = message(*current, "La tua proposta è stata accettata",
                           title + " è stata accettata: entrerà nella biblioteca con la prossima "
                                   "pubblicazione e ti manderemo il link." +
                               (comment.empty() ? "" : "\n\nNota della redazione:\n" + comment) + link_hint);
      break;
    case Decision::kReject:
      if (comment.empty()) return Status::invalid("scrivi il motivo: arriva a chi ha proposto");
      ch.from = {ps::kNew, ps::kInReview, ps::kChangesRequested};
      ch.to = ps::kRejected;
      ch.message = message(*current, "La tua proposta non è stata accettata",
                           "la redazione ha letto " + title + " e non può accoglierla, per questo motivo:\n\n" +
                               comment + "\n\nGrazie comunque per averla condivisa." + link_hint);
      break;
  }
  return store_.change(code, ch);
}

Result<StoredProposal> ProposalDesk::comment(const std::string& code, const std::string& text,
                                             const std::string& editor) {
  if (text.empty()) return Status::invalid("il commento è vuoto");
  if (Status s = comment_status(text); !s.is_ok()) return s;
  auto current = store_.find(code);
  if (!current.ok()) return current.status();
  return store_.change(code, {{},
                              "",
                              editor_actor(editor),
                              text,
                              message(*current, "Un commento della redazione sulla tua proposta",
                                      "la redazione ha scritto a proposito di «" + current->title + "»:\n\n" + text),
                              {}});
}

Result<StoredProposal> ProposalDesk::edit(const std::string& code, const CheckedProposal& p,
                                          const std::string& editor) {
  if (!p.valid()) return Status::invalid("la proposta ha degli errori");
  return store_.edit(code, content_of(p, *p.taxonomy, nullptr),
                     {{ps::kNew, ps::kInReview, ps::kChangesRequested, ps::kAccepted},
                      "",
                      editor_actor(editor),
                      "Campi modificati dalla redazione",
                      {},
                      {}});
}

int ProposalDesk::publish_pulled() {
  auto accepted = store_.list(ps::kAccepted);
  if (!accepted.ok()) return 0;
  int published = 0;
  for (const auto& p : *accepted) {
    if (p.slug.empty()) continue;
    bool found = false;
    {
      std::lock_guard lock(search_mu_);
      Searcher* s = searcher();
      found = s && s->practice(p.slug).ok();
    }
    if (!found) continue;
    const std::string url = options_.public_base_url + "/pratiche/" + p.slug;
    auto r = store_.mark_published(p.code, url,
                                   message(p, "La tua pratica è pubblicata",
                                           "«" + p.title + "» è ora nella biblioteca «Buone Pratiche»:\n" + url +
                                               "\n\nGrazie per aver condiviso la vostra esperienza."));
    if (r.ok()) ++published;
  }
  return published;
}

std::vector<NearDuplicate> ProposalDesk::near_duplicates(const StoredProposal& p, int limit) {
  std::vector<NearDuplicate> out;
  auto fields = nlohmann::json::parse(p.fields, nullptr, false);
  std::string q = p.title;
  if (fields.is_object() && fields.contains("summary") && fields["summary"].is_string())
    q += " " + fields["summary"].get<std::string>();
  if (q.size() > kMaxQueryBytes) {
    q.resize(kMaxQueryBytes);
    while (!q.empty() && (static_cast<unsigned char>(q.back()) & 0xC0) == 0x80) q.pop_back();
    if (!q.empty() && static_cast<unsigned char>(q.back()) >= 0xC0) q.pop_back();
  }
  std::lock_guard lock(search_mu_);
  Searcher* s = searcher();
  if (!s) return out;
  SearchRequest req;
  req.q = q;
  req.per_page = limit;
  auto r = s->search(req);
  if (!r.ok()) return out;
  for (const auto& hit : r->results)
    if (hit.practice.slug != p.slug) out.push_back({hit.practice.slug, hit.practice.title, hit.practice.summary});
  return out;
}

std::string ProposalDesk::status_url(const StoredProposal& p) const {
  return options_.public_base_url + "/proposta/" + p.code + "?token=" + p.token;
}

OutboxMessage ProposalDesk::message(const StoredProposal& p, const std::string& subject,
                                    const std::string& body) const {
  OutboxMessage m;
  m.recipient = p.proposer_email;
  m.subject = subject;
  // Only the first message holds the link (the token is stored hashed):
  // every message says where to ask for it again.
  m.body = "Ciao " + (p.proposer_name.empty() ? std::string() : p.proposer_name) + ",\n\n" + body +
           "\n\nHai perso il link della tua pagina personale? Chiedine uno nuovo qui: " + options_.public_base_url +
           "/proposta/nuovo-link\n\n-- \nLa redazione di «Buone Pratiche» - Reti solidali e competenti\n";
  return m;
}

std::vector<OutboxMessage> ProposalDesk::editor_notices(const StoredProposal& p, bool again) const {
  std::vector<OutboxMessage> out;
  if (!options_.editors) return out;
  std::string from = p.proposer_name;
  if (!p.proposer_organisation.empty()) from += (from.empty() ? "" : ", ") + p.proposer_organisation;
  for (const std::string& to : options_.editors()) {
    OutboxMessage m;
    m.recipient = to;
    m.subject = (again ? "Proposta inviata di nuovo: " : "Nuova proposta: ") + p.title;
    m.body = std::string(again ? "Una proposta a cui la redazione aveva chiesto modifiche è stata corretta e inviata "
                                 "di nuovo."
                               : "È arrivata una nuova proposta per la biblioteca «Buone Pratiche».") +
             "\n\n«" + p.title + "»\n" + (from.empty() ? "" : "Inviata da: " + from + "\n") + "Codice: " + p.code +
             "\n\nPer leggerla e decidere: " + options_.public_base_url + "/staff/proposte/" + p.code +
             "\n\n-- \nRicevi questo avviso perché hai un account della redazione di «Buone Pratiche».\n";
    out.push_back(std::move(m));
  }
  return out;
}

std::shared_ptr<const Taxonomy> ProposalDesk::taxonomy() {
  std::lock_guard lock(search_mu_);
  return taxonomy_or(searcher(), taxonomy_);
}

Searcher* ProposalDesk::searcher() {
  if (options_.index_dir.empty()) return nullptr;
  if (!searcher_) {
    auto s = Searcher::open(options_.index_dir, taxonomy_, Searcher::TaxonomySource::kIndex);
    if (!s.ok()) return nullptr;
    searcher_ = std::move(*s);
  } else {
    searcher_->refresh();
  }
  return searcher_.get();
}

}  // namespace bp::registration
