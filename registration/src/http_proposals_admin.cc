// The editors' API for proposals (bearer admin token, as the registration
// admin routes): the list, one proposal with the check, preview and
// near-duplicates, its image (as an attachment), decisions, comments, edits,
// and the pull's receipt.
#include "bp/text.h"
#include "http_context.h"
#include "http_proposals.h"
#include "proposal_pages.h"

namespace bp::registration {

using nlohmann::json;
using namespace proposals_http;

namespace {

json summary_json(const StoredProposal& p) {
  json out = {{"code", p.code},           {"status", p.status},         {"title", p.title},
              {"hub", p.hub},             {"created_at", p.created_at}, {"updated_at", p.updated_at},
              {"image_name", p.image_name}, {"slug", p.slug},           {"pulled", !p.pulled_at.empty()}};
  if (!p.public_url.empty()) out["public_url"] = p.public_url;
  return out;
}

// The comment of a decision: {"comment": "..."} or a form field.
std::string comment_of(const Req& req) {
  if (http::is_form(req)) {
    const auto fields = http::parse_urlencoded(req.body);
    auto it = fields.find("comment");
    return it == fields.end() ? "" : it->second;
  }
  const json j = json::parse(req.body, nullptr, false);
  return j.is_object() && j.contains("comment") && j["comment"].is_string() ? j["comment"].get<std::string>() : "";
}

void send_proposal(Context& ctx, Res& res, const StoredProposal& p) {
  const json fields = json::parse(p.fields, nullptr, false);
  const CheckedProposal c = ctx.proposals->check(fields.is_object() ? fields : json::object(), false, p.image_name);
  json history = json::array();
  for (const auto& e : p.history)
    history.push_back({{"at", e.at}, {"actor", e.actor}, {"status", e.status}, {"comment", e.comment}});
  json dups = json::array();
  for (const auto& d : ctx.proposals->near_duplicates(p))
    dups.push_back({{"slug", d.slug}, {"title", d.title}, {"summary", d.summary}, {"url", "/pratiche/" + d.slug}});
  json out = summary_json(p);
  out["fields"] = fields;
  out["markdown"] = p.markdown;
  out["html"] = c.check.html;
  out["errors"] = errors_json(c.errors);
  out["warnings"] = errors_json(c.check.warnings);
  out["history"] = history;
  out["near_duplicates"] = dups;
  out["proposer"] = {{"name", p.proposer_name}, {"email", p.proposer_email}, {"role", p.proposer_role},
                     {"organisation", p.proposer_organisation}, {"consent_at", p.consent_at},
                     {"privacy_version", p.privacy_version}};
  if (!p.image_name.empty()) out["image_url"] = "/api/admin/proposals/" + p.code + "/image";
  http::send_json(res, 200, out);
}

}  // namespace

void get_admin_proposals(Context& ctx, const Principal&, const Req& req, Res& res) {
  ctx.proposals->publish_pulled();
  auto list = ctx.proposals->store().list(req.get_param_value("status"));
  if (!list.ok()) return http::send_status(res, list.status());
  json out = json::array();
  for (const auto& p : *list) out.push_back(summary_json(p));
  http::send_json(res, 200, {{"proposals", out}});
}

void get_admin_proposal(Context& ctx, const Principal&, const Req& req, Res& res) {
  auto p = ctx.proposals->store().find(req.matches[1]);
  if (!p.ok()) return http::send_status(res, p.status());
  send_proposal(ctx, res, *p);
}

void get_admin_proposal_image(Context& ctx, const Principal& who, const Req& req, Res& res) {
  auto p = ctx.proposals->store().find(req.matches[1]);
  if (!p.ok()) return http::send_status(res, p.status());
  auto bytes = ctx.proposals->store().image(p->code);
  if (!bytes.ok()) return http::send_status(res, bytes.status());
  ctx.guard->record(who, req, "proposal.image", p->code);
  send_proposal_image(res, *p, *bytes);
}

void post_admin_proposal_decision(Context& ctx, const Principal& who, const Req& req, Res& res) {
  if (!admit_rate(ctx, req, res)) return;
  // The route's last segment: accept, reject, request-changes or review.
  const std::string action = req.path.substr(req.path.rfind('/') + 1);
  const Decision d = action == "accept"            ? Decision::kAccept
                     : action == "reject"          ? Decision::kReject
                     : action == "request-changes" ? Decision::kRequestChanges
                                                   : Decision::kReview;
  auto r = ctx.proposals->decide(req.matches[1], d, comment_of(req), who.email);
  if (!r.ok()) return http::send_status(res, r.status());
  ctx.guard->record(who, req, "proposal." + action, r->code);
  if (ctx.worker) ctx.worker->notify();
  http::send_json(res, 200, summary_json(*r));
}

void post_admin_proposal_comment(Context& ctx, const Principal& who, const Req& req, Res& res) {
  if (!admit_rate(ctx, req, res)) return;
  auto r = ctx.proposals->comment(req.matches[1], comment_of(req), who.email);
  if (!r.ok()) return http::send_status(res, r.status());
  ctx.guard->record(who, req, "proposal.comment", r->code);
  if (ctx.worker) ctx.worker->notify();
  http::send_json(res, 200, summary_json(*r));
}

void post_admin_proposal_edit(Context& ctx, const Principal& who, const Req& req, Res& res) {
  if (!admit_rate(ctx, req, res)) return;
  auto p = ctx.proposals->store().find(req.matches[1]);
  if (!p.ok()) return http::send_status(res, p.status());
  Incoming in = read_incoming(req);
  if (!in.too_large.empty()) return send_too_large(ctx, req, res, in.too_large);
  CheckedProposal c = ctx.proposals->check(in.body.is_object() ? in.body : json::object(), false,
                                           cover_name(in, p->image_name));
  std::vector<FieldError> errors = in.errors;
  errors.insert(errors.end(), c.errors.begin(), c.errors.end());
  if (!errors.empty()) return send_errors(res, errors);
  auto r = ctx.proposals->edit(p->code, c, who.email);
  if (!r.ok()) return http::send_status(res, r.status());
  ctx.guard->record(who, req, "proposal.edit", p->code);
  auto fresh = ctx.proposals->store().find(p->code);
  if (!fresh.ok()) return http::send_status(res, fresh.status());
  send_proposal(ctx, res, *fresh);
}

void post_admin_proposal_pulled(Context& ctx, const Principal& who, const Req& req, Res& res) {
  if (!admit_rate(ctx, req, res)) return;
  const json j = json::parse(req.body, nullptr, false);
  const std::string slug = j.is_object() && j.contains("slug") && j["slug"].is_string() ? j["slug"].get<std::string>() : "";
  if (!text::is_slug(slug)) return http::send_error(res, 400, "bad_request", "indica lo slug della scheda scritta");
  if (Status s = ctx.proposals->store().mark_pulled(req.matches[1], slug); !s.is_ok()) return http::send_status(res, s);
  ctx.guard->record(who, req, "proposal.pulled", req.matches[1], slug);
  http::send_json(res, 200, {{"code", std::string(req.matches[1])}, {"slug", slug}});
}

}  // namespace bp::registration
