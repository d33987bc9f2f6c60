// Handlers of /api/admin/*: bearer token, constant-time compared.
#include <algorithm>
#include <ctime>

#include "report.h"
#include "staff_actions.h"

namespace bp::registration {

using nlohmann::json;

namespace {

json full_json(const Desk& desk, const Registration& r) {
  json j = registration_json(desk, r);
  j["guardian_name"] = r.guardian_name;
  j["guardian_consent"] = r.guardian_consent;
  j["consent_at"] = r.consent_at;
  j["privacy_version"] = r.privacy_version;
  j["notes"] = r.notes;
  j["needs"] = r.needs;
  if (!r.erased_at.empty()) j["erased_at"] = r.erased_at;
  return j;
}

}  // namespace

void get_admin_registrations(Context& ctx, const Principal& who, const Req& req, Res& res) {
  const std::string edition = req.get_param_value("edition");
  if (!edition.empty() && !ctx.desk->catalogue().edition(edition))
    return http::send_error(res, 404, "not_found", "edizione sconosciuta: " + edition);
  auto rows = ctx.store->list(edition);
  if (!rows.ok()) return http::send_status(res, rows.status());
  const std::string format = req.has_param("format") ? req.get_param_value("format") : "json";
  audit(ctx, who, req, format == "csv" ? "export" : "list", edition.empty() ? "tutte le edizioni" : edition,
        "elenco iscritti via API (" + format + ")");
  if (format == "csv") {
    const std::string name = "iscrizioni-" + (edition.empty() ? std::string("tutte") : edition) + ".csv";
    res.set_header("Content-Disposition", "attachment; filename=\"" + name + "\"");
    return res.set_content(registrations_csv(*rows, ctx.desk->catalogue()), "text/csv; charset=utf-8");
  }
  if (format != "json") return http::send_error(res, 400, "bad_request", "formato non previsto: usare json o csv");
  json list = json::array();
  for (const auto& r : *rows) list.push_back(full_json(*ctx.desk, r));
  http::send_json(res, 200, {{"registrations", list}, {"count", rows->size()}});
}

void get_admin_stats(Context& ctx, const Principal&, const Req& req, Res& res) {
  const std::string by = req.get_param_value("by");
  if (!by.empty() && by != "activity" && by != "registration")
    return http::send_status(res, Status::invalid("by vale activity (la data delle attività) oppure registration"));
  auto period = parse_period(req.get_param_value("from"), req.get_param_value("to"),
                             by == "registration" ? Period::Basis::kRegistration : Period::Basis::kActivity);
  if (!period.ok()) return http::send_status(res, period.status());
  auto counts = ctx.store->counts();
  if (!counts.ok()) return http::send_status(res, counts.status());
  auto all = ctx.store->list("");
  if (!all.ok()) return http::send_status(res, all.status());
  http::send_json(res, 200, report_json(build_report(ctx.desk->catalogue(), *counts, *all, *period)));
}

void post_admin_attendance(Context& ctx, const Principal& who, const Req& req, Res& res) {
  if (!http::admit_post(ctx, req, res)) return;
  const std::string edition = req.matches[1];
  const Edition* e = ctx.desk->catalogue().edition(edition);
  if (!e) return http::send_error(res, 404, "not_found", "edizione sconosciuta: " + edition);
  auto j = json::parse(req.body, nullptr, false);
  if (!j.is_object() || !j.contains("codes") || !j["codes"].is_array())
    return http::send_fields(res, {{"codes", "indicare l'elenco dei codici di iscrizione dei presenti"}});
  std::vector<std::string> codes;
  for (const auto& c : j["codes"]) {
    if (!c.is_string()) return http::send_fields(res, {{"codes", "ogni codice deve essere un testo"}});
    codes.push_back(c.get<std::string>());
  }
  // "true" or 1 marked everyone absent: only true or false.
  if (j.contains("attended") && !j["attended"].is_boolean())
    return http::send_fields(res, {{"attended", "indicare true (presenti) o false (assenti), senza virgolette"}});
  const bool attended = !j.contains("attended") || j["attended"].get<bool>();
  // Present at an edition that has not begun: never. Absent: always.
  if (attended && !ctx.desk->has_begun(*e))
    return http::send_error(res, 409, "not_started",
                            "l'edizione non è ancora cominciata: le presenze si segnano dal " +
                                italian_datetime(ctx.desk->begins_local(*e)));
  auto rejected = ctx.store->set_attendance(edition, codes, attended);
  if (!rejected.ok()) return http::send_status(res, rejected.status());
  audit(ctx, who, req, "attendance", edition,
        std::to_string(codes.size() - rejected->size()) + (attended ? " presenti" : " assenti") + " via API");
  http::send_json(res, 200, {{"edition", edition}, {"attended", attended},
                             {"updated", codes.size() - rejected->size()}, {"rejected", *rejected}});
}

void post_admin_erase(Context& ctx, const Principal& who, const Req& req, Res& res) {
  if (!http::admit_post(ctx, req, res)) return;
  const std::string code = req.matches[1];
  if (Status s = staff_erase(ctx, who, req, code); !s.is_ok()) return http::send_status(res, s);
  http::send_json(res, 200, {{"code", code}, {"erased", true}});
}

void post_admin_cancel(Context& ctx, const Principal& who, const Req& req, Res& res) {
  if (!http::admit_post(ctx, req, res)) return;
  auto r = staff_cancel(ctx, who, req, req.matches[1]);
  if (!r.ok()) return http::send_status(res, r.status());
  json body = {{"code", r->cancelled.code}, {"status", r->cancelled.status}};
  if (r->promoted) body["promoted"] = r->promoted->code;
  http::send_json(res, 200, body);
}

void post_admin_pause(Context& ctx, const Principal& who, const Req& req, Res& res) {
  if (!http::admit_post(ctx, req, res)) return;
  const std::string edition = req.matches[1];
  const bool pause = req.path.ends_with("/pause");  // else /resume: the two routes
  if (Status s = staff_pause(ctx, who, req, edition, pause); !s.is_ok()) return http::send_status(res, s);
  http::send_json(res, 200, {{"edition", edition}, {"paused", pause}});
}

void post_admin_confirm(Context& ctx, const Principal& who, const Req& req, Res& res) {
  // A registration taken by phone: the staff vouch for the address.
  if (!http::admit_post(ctx, req, res)) return;
  auto r = staff_confirm(ctx, who, req, req.matches[1]);
  if (!r.ok()) return http::send_status(res, r.status());
  http::send_json(res, 200, {{"code", r->code}, {"status", r->status}, {"confirmed_at", r->confirmed_at}});
}

void post_admin_move(Context& ctx, const Principal& who, const Req& req, Res& res) {
  // The person asked for another edition of the same activity (staff_move).
  if (!http::admit_post(ctx, req, res)) return;
  auto j = json::parse(req.body, nullptr, false);
  if (!j.is_object() || !j.contains("edition") || !j["edition"].is_string())
    return http::send_fields(res, {{"edition", "indicare l'edizione di destinazione"}});
  // "from", when given, guards against a move made meanwhile (409).
  const std::string from = j.contains("from") && j["from"].is_string() ? j["from"].get<std::string>() : "";
  auto r = staff_move(ctx, who, req, req.matches[1], from, j["edition"].get<std::string>());
  if (!r.ok()) return http::send_status(res, r.status());
  json body = {
      {"code", r->moved.code}, {"edition", r->moved.edition_id}, {"from", r->from}, {"status", r->moved.status}};
  if (r->promoted) body["promoted"] = r->promoted->code;
  http::send_json(res, 200, body);
}

void get_admin_outbox(Context& ctx, const Principal& who, const Req& req, Res& res) {
  const bool pending = req.get_param_value("pending") == "1" || req.get_param_value("pending") == "true";
  auto messages = ctx.store->outbox(pending, 500);
  if (!messages.ok()) return http::send_status(res, messages.status());
  audit(ctx, who, req, "outbox", pending ? "da consegnare" : "tutti", "messaggi letti via API");
  json list = json::array();
  for (const auto& m : *messages)
    list.push_back({{"id", m.id}, {"to", m.recipient}, {"subject", m.subject}, {"body", m.body},
                    {"created_at", m.created_at}, {"attempts", m.attempts},
                    {"delivered_at", m.delivered_at}, {"last_error", m.last_error}});
  http::send_json(res, 200, {{"messages", list}});
}

std::string Context::metrics() const {
  constexpr int kCountUpTo = 1000;
  auto pending = store->outbox(true, kCountUpTo);
  // Whether the registrations' database answers: /healthz is about the
  // search (which works without it), so a stopped PostgreSQL shows here.
  const std::string up =
      "# HELP bp_registrations_store_up Whether the registrations' database answered (1) or not (0).\n"
      "# TYPE bp_registrations_store_up gauge\n"
      "bp_registrations_store_up " +
      std::string(pending.ok() ? "1" : "0") + "\n";
  if (!pending.ok()) return up;
  const std::int64_t now = std::time(nullptr);
  std::int64_t oldest = 0;
  for (const auto& m : *pending) {
    if (const auto created = utc_iso_seconds(m.created_at)) oldest = std::max(oldest, now - *created);
  }
  return up +
         "# HELP bp_outbox_pending_messages Registration e-mails not delivered yet (counted up to 1000).\n"
         "# TYPE bp_outbox_pending_messages gauge\n"
         "bp_outbox_pending_messages " +
         std::to_string(pending->size()) +
         "\n"
         "# HELP bp_outbox_oldest_pending_seconds Age of the oldest e-mail not delivered yet (0 when none).\n"
         "# TYPE bp_outbox_oldest_pending_seconds gauge\n"
         "bp_outbox_oldest_pending_seconds " +
         std::to_string(oldest) + "\n";
}

}  // namespace bp::registration
