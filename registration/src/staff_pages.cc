// The back office's route table and the dashboard.
#include "staff_pages.h"

#include <algorithm>
#include <cstdio>
#include <iostream>

#include "bp/civil_time.h"
#include "bp/italian_number.h"
#include "bp/text.h"
#include "report.h"

namespace bp::registration {

namespace {

// The attendance form of the largest edition with room to spare: about 120
// bytes of multipart a box, 60 people by 12 meetings is under 100 KB.
constexpr std::size_t kMaxAttendanceBodyBytes = 512 * 1024;
// A message to an edition's participants: 10,000 characters of text (Desk::
// check_edition_message) are up to 40 KB of UTF-8, and more urlencoded, so
// the page posts it as multipart too.
constexpr std::size_t kMaxWriteBodyBytes = 64 * 1024;

}  // namespace

site::RouteTable staff_routes(Context& c) {
  using site::Method;
  const unsigned kAll = site::kAnyStaffRole;
  const unsigned kStaff = site::kDeskRoles;
  const unsigned kAdmin = site::kRoleAdmin;
  const unsigned kEditor = site::kEditorialRoles;
  auto with_body_limit = [](site::Route r, std::size_t bytes) {
    r.max_body_bytes = bytes;
    return r;
  };
  auto page = [&c](Method method, std::string pattern, const char* label, unsigned roles, StaffPage h) {
    return c.guard->page(method, std::move(pattern), label, roles,
                         [&c, h](const Principal& who, const Req& req, Res& res) { h(c, who, req, res); });
  };
  const std::string edition = kEditionPattern;
  const std::string code = kCodePattern;
  const std::string id = kIdPattern;
  const auto kGet = Method::kGet;
  const auto kPost = Method::kPost;
  return {
      page(kGet, "/staff/?", "/staff/", kAll, get_dashboard),
      page(kGet, "/staff/edizioni/" + edition, "/staff/edizioni/:id", kStaff, get_edition),
      page(kPost, "/staff/edizioni/" + edition, "/staff/edizioni/:id", kStaff, get_edition),
      // A box per person and meeting: an edition of 60 people and 12
      // meetings is larger than the 8 KB libcpp-httplib takes urlencoded
      // (CPPHTTPLIB_FORM_URL_ENCODED_PAYLOAD_MAX_LENGTH, fixed in the
      // library), so the page posts it as multipart, up to this size.
      with_body_limit(page(kPost, "/staff/edizioni/" + edition + "/presenze", "/staff/edizioni/:id/presenze", kStaff,
                           post_attendance),
                      kMaxAttendanceBodyBytes),
      page(kPost, "/staff/edizioni/" + edition + "/sospensione", "/staff/edizioni/:id/sospensione", kStaff,
           post_edition_pause),
      page(kGet, "/staff/edizioni/" + edition + "/iscrivi", "/staff/edizioni/:id/iscrivi", kStaff,
           get_edition_register),
      page(kPost, "/staff/edizioni/" + edition + "/iscrivi", "/staff/edizioni/:id/iscrivi", kStaff,
           post_edition_register),
      page(kGet, "/staff/edizioni/" + edition + "/scrivi", "/staff/edizioni/:id/scrivi", kStaff, get_edition_write),
      with_body_limit(page(kPost, "/staff/edizioni/" + edition + "/scrivi", "/staff/edizioni/:id/scrivi", kStaff,
                           post_edition_write),
                      kMaxWriteBodyBytes),
      page(kGet, "/staff/edizioni/" + edition + "/iscritti\\.csv", "/staff/edizioni/:id/iscritti.csv", kStaff,
           get_edition_csv),
      page(kGet, "/staff/edizioni/" + edition + "/foglio-firme", "/staff/edizioni/:id/foglio-firme", kStaff,
           get_signin_sheet),
      page(kGet, "/staff/iscrizioni/" + code + "/annulla", "/staff/iscrizioni/:code/annulla", kStaff, get_cancel),
      page(kPost, "/staff/iscrizioni/" + code + "/annulla", "/staff/iscrizioni/:code/annulla", kStaff,
           post_cancel_page),
      page(kGet, "/staff/iscrizioni/" + code + "/sposta", "/staff/iscrizioni/:code/sposta", kStaff, get_move),
      page(kPost, "/staff/iscrizioni/" + code + "/sposta", "/staff/iscrizioni/:code/sposta", kStaff, post_move),
      page(kPost, "/staff/iscrizioni/" + code + "/conferma", "/staff/iscrizioni/:code/conferma", kStaff,
           post_confirm_registration),
      page(kGet, "/staff/persone", "/staff/persone", kStaff, get_people),
      page(kPost, "/staff/persone", "/staff/persone", kStaff, get_people),
      page(kGet, "/staff/persone/" + code, "/staff/persone/:code", kStaff, get_person),
      page(kPost, "/staff/persone/" + code + "/nota", "/staff/persone/:code/nota", kStaff, post_person_note),
      page(kPost, "/staff/persone/" + code + "/nota/([0-9]{1,18})", "/staff/persone/:code/nota/:id", kStaff,
           post_person_note_change),
      page(kGet, "/staff/persone/" + code + "/correggi", "/staff/persone/:code/correggi", kStaff, get_person_correct),
      page(kPost, "/staff/persone/" + code + "/correggi", "/staff/persone/:code/correggi", kStaff, post_person_correct),
      page(kGet, "/staff/persone/" + code + "/dati", "/staff/persone/:code/dati", kAdmin, get_person_data),
      page(kGet, "/staff/persone/" + code + "/dati/pagina", "/staff/persone/:code/dati/pagina", kAdmin,
           get_person_data_page),
      page(kGet, "/staff/persone/" + code + "/cancella", "/staff/persone/:code/cancella", kAdmin, get_person_erase),
      page(kPost, "/staff/persone/" + code + "/cancella", "/staff/persone/:code/cancella", kAdmin, post_person_erase),
      page(kGet, "/staff/fine-programma", "/staff/fine-programma", kAdmin, get_closing_erasure),
      page(kPost, "/staff/fine-programma", "/staff/fine-programma", kAdmin, post_closing_erasure),
      page(kGet, "/staff/tutoraggio", "/staff/tutoraggio", kStaff, get_tutoring),
      page(kPost, "/staff/tutoraggio/" + code, "/staff/tutoraggio/:code", kStaff, post_tutoring),
      page(kGet, "/staff/messaggi", "/staff/messaggi", kStaff, get_messages),
      page(kPost, "/staff/messaggi/" + id + "/riprova", "/staff/messaggi/:id/riprova", kStaff, post_message_retry),
      page(kGet, "/staff/iscrizioni\\.csv", "/staff/iscrizioni.csv", kStaff, get_programme_csv),
      page(kGet, "/staff/rendicontazione", "/staff/rendicontazione", kStaff, get_report),
      page(kGet, "/staff/rendicontazione\\.csv", "/staff/rendicontazione.csv", kStaff, get_report_csv),
      page(kGet, "/staff/ricerche", "/staff/ricerche", kEditor, get_searches),
      page(kGet, "/staff/ricerche\\.csv", "/staff/ricerche.csv", kEditor, get_searches_csv),
      page(kGet, "/staff/password", "/staff/password", kAll, get_own_password),
      page(kPost, "/staff/password", "/staff/password", kAll, post_own_password),
      page(kGet, "/staff/account", "/staff/account", kAdmin, get_accounts),
      page(kPost, "/staff/account", "/staff/account", kAdmin, post_account_add),
      page(kPost, "/staff/account/" + id + "/password", "/staff/account/:id/password", kAdmin, post_account_password),
      page(kPost, "/staff/account/" + id + "/stato", "/staff/account/:id/stato", kAdmin, post_account_state),
      page(kPost, "/staff/account/" + id + "/ruolo", "/staff/account/:id/ruolo", kAdmin, post_account_role),
      page(kPost, "/staff/account/token", "/staff/account/token", kAdmin, post_token_add),
      page(kPost, "/staff/account/token/" + id + "/revoca", "/staff/account/token/:id/revoca", kAdmin,
           post_token_revoke),
      page(kGet, "/staff/registro", "/staff/registro", kAdmin, get_audit),
      page(kGet, "/staff/registro\\.csv", "/staff/registro.csv", kAdmin, get_audit_csv),
  };
}

void redirect(Res& res, const std::string& location) {
  res.status = 303;
  res.set_header("Location", location);
}

PeriodChoice chosen_period(const Req& req) {
  PeriodChoice c;
  c.from = req.get_param_value("dal");
  c.to = req.get_param_value("al");
  c.by_registration = req.get_param_value("per") == "iscrizione";
  auto p = parse_period(c.from, c.to, c.by_registration ? Period::Basis::kRegistration : Period::Basis::kActivity);
  if (p.ok())
    c.period = *p;
  else
    c.error = text::sentence(p.status().message());
  return c;
}

nlohmann::json PeriodChoice::view() const {
  return {{"from", from}, {"to", to}, {"period_error", error}, {"by_registration", by_registration}};
}

std::string PeriodChoice::query() const {
  if (!error.empty() || period.open()) return "";
  return "?dal=" + period.from + "&al=" + period.to + (by_registration ? "&per=iscrizione" : "");
}

void send_staff_error(Context& ctx, const Principal& who, Res& res, const Status& s) {
  int status = 503;
  std::string title = "Servizio non disponibile";
  std::string text = "L'archivio non risponde: riprova tra qualche minuto.";
  switch (s.code()) {
    case Code::kNotFound:
      status = 404, title = "Non trovato", text = text::sentence(s.message());
      break;
    case Code::kInvalidArgument:
      status = 400, title = "Richiesta non valida", text = text::sentence(s.message());
      break;
    case Code::kConflict:
      status = 409, title = "Operazione non possibile", text = text::sentence(s.message());
      break;
    default: std::cerr << "staff: " << s.message() << "\n";
  }
  ctx.guard->send_page(who, res, "staff_message", title, {{"title", title}, {"text", text}, {"back", true}}, status);
}

namespace {

nlohmann::json tally_view(const Tally& t) {
  return {{"capacity", t.capacity}, {"confirmed", t.confirmed}, {"pending", t.pending},
          {"waitlisted", t.waitlisted}, {"cancelled", t.cancelled}, {"attended", t.attended},
          {"left", std::max(0, t.capacity - t.taken)}};
}

// A bar against a target: the figures and the bar's width in percent
// (capped at 100; the text says the real share).
nlohmann::json progress(const std::string& label, int value, int target) {
  const double share = target > 0 ? 100.0 * value / target : 0.0;
  char text[16];
  std::snprintf(text, sizeof text, "%.1f", share);
  std::string pct = text;
  std::replace(pct.begin(), pct.end(), '.', ',');
  return {{"label", label}, {"value", italian_thousands(static_cast<std::uint64_t>(std::max(0, value)))},
          {"target", italian_thousands(static_cast<std::uint64_t>(std::max(0, target)))}, {"percent", pct},
          {"width", static_cast<int>(std::min(100.0, share))}};
}

}  // namespace

void get_dashboard(Context& ctx, const Principal& who, const Req& req, Res& res) {
  if (who.role == Role::kEditor)
    return ctx.guard->send_page(who, res, "staff_editor_home", "Area redazione", {{"section", "cruscotto"}});
  auto counts = ctx.store->counts();
  if (!counts.ok()) return send_staff_error(ctx, who, res, counts.status());
  const Catalogue& cat = ctx.desk->catalogue();
  const Taxonomy& tax = ctx.desk->taxonomy();
  const Stats s = compute_stats(cat, *counts);
  nlohmann::json kinds = nlohmann::json::array();
  for (const char* kind : kKinds) {
    auto t = s.targets.find(kind);
    if (t == s.targets.end()) continue;
    auto k = s.by_kind.find(kind);
    kinds.push_back(progress(staff_view::kind_label(kind), k == s.by_kind.end() ? 0 : k->second.confirmed, t->second));
  }
  // By hub, each kind against the hub's share of its target (hub_rows).
  nlohmann::json hubs = nlohmann::json::array();
  for (const HubKindRow& row : hub_rows(cat, tax, s)) {
    if (hubs.empty() || hubs.back()["slug"] != row.hub)
      hubs.push_back({{"hub", tax.label("hub", row.hub)}, {"slug", row.hub}, {"rows", nlohmann::json::array()}});
    hubs.back()["rows"].push_back(progress(staff_view::kind_label(row.kind), row.confirmed, row.target));
  }
  // Per activity and edition, and the editions that need attention.
  const std::int64_t now = ctx.desk->now();
  nlohmann::json activities = nlohmann::json::array(), closing = nlohmann::json::array(),
                 full = nlohmann::json::array(), paused = nlohmann::json::array();
  // Paused by the staff (the edition's page): easy to forget, so listed.
  std::map<std::string, const EditionCounts*> counts_of;
  for (const EditionCounts& c : *counts) counts_of[c.edition_id] = &c;
  for (const Activity& a : cat.activities) {
    nlohmann::json eds = nlohmann::json::array();
    for (const Edition& e : a.editions) {
      const Tally& t = s.by_edition.at(e.id);
      nlohmann::json row = tally_view(t);
      row["id"] = e.id;
      row["hub"] = tax.label("hub", e.hub);
      row["city"] = e.city;
      row["start"] = italian_datetime(e.start_local);
      row["start_iso"] = e.start_local;
      eds.push_back(row);
      const bool open = !e.closed && e.deadline_utc > now;
      if (open && e.deadline_utc - now < 7 * 24 * 3600)
        closing.push_back({{"id", e.id},
                           {"title", a.title},
                           {"deadline", italian_datetime_after("il", e.deadline_local)},
                           {"left", text::count_noun(row["left"].get<int>(), "posto libero", "posti liberi")}});
      if (t.taken >= t.capacity && t.waitlisted > 0)
        full.push_back({{"id", e.id}, {"title", a.title}, {"waitlisted", t.waitlisted}});
      if (auto c = counts_of.find(e.id); c != counts_of.end() && !c->second->paused_at.empty())
        paused.push_back(
            {{"id", e.id}, {"title", a.title}, {"at", rome_short(c->second->paused_at)}, {"by", c->second->paused_by}});
    }
    activities.push_back({{"id", a.id}, {"title", a.title}, {"kind", staff_view::kind_label(a.kind)},
                          {"total", tally_view(s.by_activity.at(a.id))}, {"editions", eds}});
  }
  ctx.guard->send_page(who, res, "staff_dashboard", "Cruscotto",
                       {{"section", "cruscotto"},
                        {"kinds", kinds},
                        {"hubs", hubs},
                        {"activities", activities},
                        {"closing", closing},
                        {"has_closing", !closing.empty()},
                        {"full", full},
                        {"has_full", !full.empty()},
                        {"paused", paused},
                        {"has_paused", !paused.empty()},
                        {"total", tally_view(s.total)}});
  (void)req;
}

}  // namespace bp::registration
