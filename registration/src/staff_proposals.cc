// The editors' screens of the back office (/staff/proposte, role editor or
// admin): the inbox by status and hub, and one proposal with its fields to
// edit beside the preview, the checker's messages, the near-duplicates in
// the library, the history, and the decisions with their comment.
#include "staff_proposals.h"

#include "bp/civil_time.h"
#include "bp/text.h"
#include "http_proposals.h"
#include "proposal_pages.h"
#include "staff_pages.h"

namespace bp::registration {

using nlohmann::json;
using namespace proposals_http;
namespace ps = proposal_status;

namespace {

const char* const kStatuses[] = {ps::kNew,      ps::kInReview,  ps::kChangesRequested, ps::kAccepted,
                                 ps::kRejected, ps::kPublished, ps::kWithdrawn};

std::string staff_path(const std::string& code) { return "/staff/proposte/" + code; }

// The notices after an action, by the code the redirect carries (`?fatto=`):
// never text from the URL, which anyone could write into a link.
const std::pair<const char*, const char*> kNotices[] = {
    {"salvate", "Modifiche salvate"},
    {"commento", "Commento inviato a chi ha proposto"},
    {"accept", "Proposta accettata: ora va scaricata con bp-index proposals pull"},
    {"reject", "Proposta respinta"},
    {"request-changes", "Richiesta di modifiche inviata"},
    {"review", "Proposta presa in revisione"},
    {"cancellati", "Dati di chi ha proposto cancellati"},
    {"conferma", "Per cancellare i dati di chi ha proposto scrivi CANCELLA in maiuscolo"}};

std::string notice_for(const std::string& code) {
  for (const auto& [k, v] : kNotices)
    if (code == k) return v;
  return "";
}

// The state of a proposal as the editors read it (the proposer's page
// has its own words, html::proposal_status_explanation).
std::string editors_explanation(const StoredProposal& p, bool sent_again) {
  if (p.status == ps::kNew) return "Arrivata: da leggere.";
  if (p.status == ps::kInReview)
    return sent_again ? "Chi propone l'ha corretta e inviata di nuovo dopo la vostra richiesta: da rileggere."
                      : "In revisione.";
  if (p.status == ps::kChangesRequested)
    return "Avete chiesto delle modifiche: aspetta che chi propone la corregga e la invii di nuovo.";
  if (p.status == ps::kAccepted)
    return "Accettata: va scaricata nella biblioteca con bp-index proposals pull (guida per la redazione); chi "
           "propone riceverà il link quando sarà pubblicata.";
  if (p.status == ps::kRejected) return "Respinta: il motivo è nella cronologia.";
  if (p.status == ps::kPublished) return "Pubblicata nella biblioteca.";
  if (p.status == ps::kWithdrawn) return "Ritirata da chi l'ha proposta.";
  return "";
}

// True when the proposer acted last (a proposal sent again after a request
// for changes): the editors have it to read.
bool proposer_acted_last(const StoredProposal& p) {
  return !p.history.empty() && p.history.back().actor == "proponente";
}

// The proposal's screen; `values`/`errors` when an edit was refused.
void send_proposal_page(Context& ctx, const Principal& who, Res& res, const StoredProposal& p,
                        const std::string& notice, const json* values = nullptr,
                        const std::vector<FieldError>* errors = nullptr, int status = 200,
                        const std::string& decision_error = "") {
  const json stored = json::parse(p.fields, nullptr, false);
  const json fields = values ? *values : (stored.is_object() ? stored : json::object());
  const CheckedProposal c = ctx.proposals->check(fields, false, p.image_name);
  html::ProposalFormState form;
  form.values = fields;
  form.action = staff_path(p.code) + "/modifica#form-summary";  // the answer opens at the errors
  form.editing = true;
  form.csrf = who.csrf_token;
  form.stored_image = p.image_name;
  if (errors) form.errors = *errors;
  json history = json::array();
  for (const auto& e : p.history)
    history.push_back({{"at", rome_short(e.at)},
                       {"actor", e.actor},
                       {"status", html::text_or_false(e.status)},
                       {"comment", html::text_or_false(e.comment)}});
  json dups = json::array();
  for (const auto& d : ctx.proposals->near_duplicates(p))
    dups.push_back({{"slug", d.slug}, {"title", d.title}, {"summary", d.summary}});
  json checks = json::array();
  for (const auto& e : c.errors)
    checks.push_back({{"field", html::proposal_field_label(e.field)}, {"message", e.message}, {"error", true}});
  for (const auto& e : c.check.warnings)
    checks.push_back({{"field", html::proposal_field_label(e.field)}, {"message", e.message}, {"error", false}});
  const bool open = p.status == ps::kNew || p.status == ps::kInReview || p.status == ps::kChangesRequested;
  json view = {{"section", "proposte"},
               {"code", p.code},
               {"title", p.title},
               {"status", p.status},
               {"explanation", editors_explanation(p, p.status == ps::kInReview && proposer_acted_last(p))},
               {"notice", html::text_or_false(notice)},
               {"edit_failed", errors != nullptr && !errors->empty()},
               {"decision_error", decision_error},
               {"form", html::proposal_form_view(*c.taxonomy, form)},
               {"preview_html", c.check.html},
               {"markdown", c.check.markdown},
               {"checks", checks},
               {"has_checks", !checks.empty()},
               {"duplicates", dups},
               {"has_duplicates", !dups.empty()},
               {"history", history},
               {"proposer",
                {{"erased", p.erased()},
                 {"name", p.erased() ? staff_view::kErasedMark : p.proposer_name},
                 {"email", html::text_or_false(p.proposer_email)},
                 {"role", html::text_or_false(p.proposer_role)},
                 {"organisation", html::text_or_false(p.proposer_organisation)}}},
               {"image_name", html::text_or_false(p.image_name)},
               {"can_review", p.status == ps::kNew},
               {"can_decide", p.status == ps::kNew || p.status == ps::kInReview},
               {"can_reject", open},
               {"slug", html::text_or_false(p.slug)},
               {"public_url", html::text_or_false(p.public_url)}};
  ctx.guard->send_page(who, res, "staff_proposal", p.title.empty() ? "Proposta" : p.title, view, status);
}

}  // namespace

site::RouteTable proposal_staff_routes(Context& c) {
  using site::Method;
  const unsigned kEditors = site::kEditorialRoles;
  auto page = [&c](Method method, std::string pattern, const char* label, StaffPage h) {
    return c.guard->page(method, std::move(pattern), label, kEditors,
                         [&c, h](const Principal& who, const Req& req, Res& res) { h(c, who, req, res); });
  };
  const std::string code = std::string("/staff/proposte/") + kCodePattern;
  site::Route edit = page(Method::kPost, code + "/modifica", "/staff/proposte/:code/modifica", post_staff_proposal_edit);
  edit.max_body_bytes = kMaxProposalBodyBytes;
  edit.too_large = kProposalTooLarge;
  return {
      page(Method::kGet, "/staff/proposte", "/staff/proposte", get_staff_proposals),
      page(Method::kGet, code, "/staff/proposte/:code", get_staff_proposal),
      page(Method::kGet, code + "/immagine", "/staff/proposte/:code/immagine", get_staff_proposal_image),
      std::move(edit),
      page(Method::kPost, code + "/decisione", "/staff/proposte/:code/decisione", post_staff_proposal_decision),
      // A proposer's request to erase their data: admins, as for a person.
      c.guard->page(
          Method::kPost, code + "/cancella-dati", "/staff/proposte/:code/cancella-dati", site::kRoleAdmin,
          [&c](const Principal& who, const Req& req, Res& res) { post_staff_proposal_erase(c, who, req, res); }),
  };
}

void post_staff_proposal_erase(Context& ctx, const Principal& who, const Req& req, Res& res) {
  const std::string code = req.matches[1];
  // The typed word is the confirmation: a click alone cannot erase.
  if (text::trim(http::form_fields(req)["conferma"]) != "CANCELLA")
    return redirect(res, staff_path(code) + "?fatto=conferma#proposer-title");
  if (Status s = staff_erase_proposer(ctx, who, req, code); !s.is_ok()) return send_staff_error(ctx, who, res, s);
  redirect(res, staff_path(code) + "?fatto=cancellati");
}

void get_staff_proposals(Context& ctx, const Principal& who, const Req& req, Res& res) {
  ctx.proposals->publish_pulled();
  const std::string status = req.get_param_value("stato");
  const std::string hub = req.get_param_value("hub");
  auto all = ctx.proposals->store().list("");
  if (!all.ok()) return send_staff_error(ctx, who, res, all.status());
  std::map<std::string, int> counts;
  int to_read = 0;
  json rows = json::array();
  const std::shared_ptr<const Taxonomy> taxonomy = ctx.proposals->taxonomy();
  for (const auto& p : *all) {
    ++counts[p.status];
    // Sent again after a request for changes: back on the editors' desk
    // (list() leaves out the history, read for these alone).
    bool sent_again = false;
    if (p.status == ps::kInReview)
      if (auto full = ctx.proposals->store().find(p.code); full.ok()) sent_again = proposer_acted_last(*full);
    if (p.status == ps::kNew || sent_again) ++to_read;
    if (!status.empty() && p.status != status) continue;
    if (!hub.empty() && p.hub != hub) continue;
    rows.push_back({{"code", p.code},
                    {"title", p.title},
                    {"hub", taxonomy->label("hub", p.hub)},
                    {"status", p.status},
                    {"status_class", text::slugify(p.status)},
                    {"sent_again", sent_again},
                    {"created_at", rome_short(p.created_at).substr(0, 10)},
                    {"updated_at", rome_short(p.updated_at).substr(0, 10)},
                    {"slug", p.slug}});
  }
  json statuses = json::array();
  for (const char* s : kStatuses)
    statuses.push_back({{"value", s}, {"count", counts[s]}, {"selected", status == s}});
  json hubs = json::array();
  if (const Vocabulary* v = taxonomy->vocabulary("hub"))
    for (const auto& t : v->terms) hubs.push_back({{"value", t.slug}, {"label", t.label}, {"selected", hub == t.slug}});
  ctx.guard->send_page(who, res, "staff_proposals", "Proposte",
                       {{"section", "proposte"},
                        {"rows", rows},
                        {"has_rows", !rows.empty()},
                        {"statuses", statuses},
                        {"hubs", hubs},
                        {"to_read", to_read}});
}

void get_staff_proposal(Context& ctx, const Principal& who, const Req& req, Res& res) {
  auto p = ctx.proposals->store().find(req.matches[1]);
  if (!p.ok()) return send_staff_error(ctx, who, res, p.status());
  send_proposal_page(ctx, who, res, *p, notice_for(req.get_param_value("fatto")));
}

void get_staff_proposal_image(Context& ctx, const Principal& who, const Req& req, Res& res) {
  auto p = ctx.proposals->store().find(req.matches[1]);
  if (!p.ok()) return send_staff_error(ctx, who, res, p.status());
  auto bytes = ctx.proposals->store().image(p->code);
  if (!bytes.ok()) return send_staff_error(ctx, who, res, bytes.status());
  ctx.guard->record(who, req, "proposal.image", p->code);
  send_proposal_image(res, *p, *bytes);
}

void post_staff_proposal_edit(Context& ctx, const Principal& who, const Req& req, Res& res) {
  auto p = ctx.proposals->store().find(req.matches[1]);
  if (!p.ok()) return send_staff_error(ctx, who, res, p.status());
  Incoming in = read_incoming(req);
  if (!in.too_large.empty()) return send_staff_error(ctx, who, res, Status::invalid(in.too_large));
  CheckedProposal c = ctx.proposals->check(in.body.is_object() ? in.body : json::object(), false,
                                           cover_name(in, p->image_name));
  std::vector<FieldError> errors = in.errors;
  errors.insert(errors.end(), c.errors.begin(), c.errors.end());
  if (!errors.empty()) return send_proposal_page(ctx, who, res, *p, "", &in.body, &errors, 400);
  auto r = ctx.proposals->edit(p->code, c, who.email);
  if (!r.ok()) return send_staff_error(ctx, who, res, r.status());
  ctx.guard->record(who, req, "proposal.edit", p->code);
  redirect(res, staff_path(p->code) + "?fatto=salvate");
}

void post_staff_proposal_decision(Context& ctx, const Principal& who, const Req& req, Res& res) {
  const auto fields = http::form_fields(req);
  auto get = [&](const char* k) {
    auto it = fields.find(k);
    return it == fields.end() ? std::string() : it->second;
  };
  const std::string action = get("azione"), comment = get("commento"), code = req.matches[1];
  Result<StoredProposal> r = Status::invalid("azione sconosciuta");
  if (action == "comment") {
    r = ctx.proposals->comment(code, comment, who.email);
  } else {
    const Decision d = action == "accept"            ? Decision::kAccept
                       : action == "reject"          ? Decision::kReject
                       : action == "request-changes" ? Decision::kRequestChanges
                                                     : Decision::kReview;
    if (action == "accept" || action == "reject" || action == "request-changes" || action == "review")
      r = ctx.proposals->decide(code, d, comment, who.email);
  }
  if (!r.ok() && r.status().code() == Code::kInvalidArgument) {
    // A missing comment, say: the same page again, the reason beside the
    // comment box (not a page that leads away from the proposal).
    auto p = ctx.proposals->store().find(code);
    if (p.ok())
      return send_proposal_page(ctx, who, res, *p, "", nullptr, nullptr, 400, text::sentence(r.status().message()));
  }
  if (!r.ok()) return send_staff_error(ctx, who, res, r.status());
  if (ctx.worker) ctx.worker->notify();
  ctx.guard->record(who, req, "proposal." + action, code);
  redirect(res, staff_path(code) + "?fatto=" + (action == "comment" ? std::string("commento") : action));
}

}  // namespace bp::registration
