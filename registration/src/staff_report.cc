// The funder's report ("Rendicontazione"): the figures of report.h for a
// chosen period, as a printable page (A4) and as CSV. Aggregates only.
#include <algorithm>
#include <cstdio>

#include "bp/italian_number.h"
#include "report.h"
#include "staff_pages.h"

namespace bp::registration {

namespace {

using nlohmann::json;

// "1,7": a share in percent with one decimal, as a spreadsheet in Italian
// reads a number; "" without a whole.
std::string percent_number(int part, int whole) {
  if (whole <= 0) return "";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f", 100.0 * part / whole);
  std::string s = buf;
  std::replace(s.begin(), s.end(), '.', ',');
  return s;
}

// "1,7 %" for the page; "–" without a whole.
std::string percent(int part, int whole) {
  const std::string n = percent_number(part, whole);
  return n.empty() ? "–" : n + " %";
}

// One labelled figure of a distribution, with its bar in an inline SVG
// chart (widths relative to the largest value).
// `order`: the keys in the order the form offers them (the youngest age
// band first); any other key ("non indicata") follows.
json distribution(const std::map<std::string, int>& m, const std::function<std::string(const std::string&)>& label,
                  const std::vector<std::string>& order = {}) {
  int max = 1, total = 0;
  for (const auto& [k, v] : m) max = std::max(max, v), total += v;
  std::vector<std::string> keys;
  for (const std::string& k : order)
    if (m.count(k)) keys.push_back(k);
  for (const auto& [k, v] : m)
    if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
  json rows = json::array();
  int y = 0;
  for (const std::string& k : keys) {
    const int v = m.at(k);
    rows.push_back({{"label", label(k)}, {"value", v}, {"share", percent(v, total)}, {"width", 300 * v / max},
                    {"y", y}, {"text_y", y + 14}});
    y += 22;
  }
  return {{"rows", rows}, {"height", std::max(22, y)}, {"empty", m.empty()}};
}

// "dall'inizio del programma", "dall'8 marzo 2026 a oggi", "dal 1° marzo
// 2026 al 31 marzo 2026" (after "Rendicontazione delle partecipazioni").
std::string period_label(const Period& p) {
  if (p.open()) return "dall'inizio del programma";
  const std::string from = p.from.empty() ? "dall'inizio" : after_preposition("dal", italian_date(p.from));
  const std::string to = p.to.empty() ? "a oggi" : after_preposition("al", italian_date(p.to));
  return from + " " + to;
}

// What a chosen period counts, said beside it; "" when open.
std::string basis_label(const Period& p) {
  if (p.open()) return "";
  return p.basis == Period::Basis::kRegistration ? "iscrizioni arrivate nel periodo"
                                                 : "attività che si svolgono nel periodo, anche solo in parte";
}

// "?from=…&to=…" of /api/admin/stats for `p`, each bound only when chosen.
std::string api_query(const Period& p) {
  std::string q;
  if (!p.from.empty()) q += "from=" + p.from;
  if (!p.to.empty()) q += (q.empty() ? "" : "&") + std::string("to=") + p.to;
  if (!q.empty() && p.basis == Period::Basis::kRegistration) q += "&by=registration";
  return q.empty() ? q : "?" + q;
}

struct ReportData {
  Report report;
  json view;
};

Result<ReportData> make_report(Context& ctx, const PeriodChoice& chosen) {
  auto counts = ctx.store->counts();
  if (!counts.ok()) return counts.status();
  auto all = ctx.store->list("");
  if (!all.ok()) return all.status();
  ReportData d;
  d.report = build_report(ctx.desk->catalogue(), *counts, *all, chosen.period);
  const Stats& s = d.report.stats;
  const Catalogue& cat = ctx.desk->catalogue();
  const Taxonomy& tax = ctx.desk->taxonomy();
  json kinds = json::array();
  int y = 0;
  for (const char* kind : kKinds) {
    auto t = s.by_kind.find(kind);
    if (t == s.by_kind.end()) continue;
    const int target = s.targets.count(kind) ? s.targets.at(kind) : 0;
    // The ints for the CSV, the *_text for the page ("2.160").
    auto text = [](int n) { return italian_thousands(static_cast<std::uint64_t>(std::max(0, n))); };
    kinds.push_back({{"kind", kind}, {"label", staff_view::kind_label(kind)}, {"confirmed", t->second.confirmed},
                     {"confirmed_text", text(t->second.confirmed)}, {"target_text", text(target)},
                     {"attended_text", text(t->second.attended)},
                     {"target", target}, {"share", percent(t->second.confirmed, target)},
                     {"attended", t->second.attended}, {"attendance", percent(t->second.attended, t->second.confirmed)},
                     {"bar", target > 0 ? std::min(250, 250 * t->second.confirmed / target) : 0},
                     {"y", y}, {"text_y", y + 13}});
    y += 22;
  }
  // Per hub and kind, against the hub's share of the kind's target, in
  // the vocabulary's order (nord, centro, sud) as everywhere else.
  json hubs = json::array();
  for (const HubKindRow& row : hub_rows(cat, tax, s)) {
    const bool first = hubs.empty() || hubs.back()["slug"] != row.hub;
    hubs.push_back({{"slug", row.hub},
                    {"label", tax.label("hub", row.hub)},
                    {"first", first},
                    {"kind", staff_view::kind_label(row.kind)},
                    {"confirmed", row.confirmed},
                    {"target", row.target},
                    {"share", percent(row.confirmed, row.target)},
                    {"attended", row.attended},
                    {"attendance", percent(row.attended, row.confirmed)}});
  }
  json activities = json::array();
  for (const Activity& a : cat.activities) {
    const Tally& t = s.by_activity.at(a.id);
    json eds = json::array();
    for (const Edition& e : a.editions) {
      const Tally& et = s.by_edition.at(e.id);
      eds.push_back({{"id", e.id}, {"hub", tax.label("hub", e.hub)}, {"capacity", et.capacity},
                     {"confirmed", et.confirmed}, {"attended", et.attended},
                     {"attendance", percent(et.attended, et.confirmed)}});
    }
    activities.push_back({{"title", a.title}, {"kind", staff_view::kind_label(a.kind)}, {"confirmed", t.confirmed},
                          {"capacity", t.capacity}, {"attended", t.attended},
                          {"attendance", percent(t.attended, t.confirmed)}, {"editions", eds}});
  }
  const Report& r = d.report;
  d.view = {
      {"section", "rendicontazione"},
      {"from", r.period.from},
      {"to", r.period.to},
      {"period_label", period_label(r.period)},
      {"basis_label", basis_label(r.period)},
      // Those in the period who were there before it, in the basis' terms.
      {"returning_label", r.period.basis == Period::Basis::kRegistration ? "Già iscritte prima del periodo"
                                                                         : "Con un'attività già prima del periodo"},
      {"returning_item", r.period.basis == Period::Basis::kRegistration ? "già iscritte prima del periodo"
                                                                        : "con un'attività già prima del periodo"},
      {"by_registration", r.period.basis == Period::Basis::kRegistration},
      {"printed", after_preposition("il", italian_date(rome_local(ctx.desk->now()).substr(0, 10)))},
      {"kinds", kinds},
      {"kinds_height", std::max(22, y)},
      {"hubs", hubs},
      {"activities", activities},
      {"total",
       {{"confirmed", s.total.confirmed},
        {"attended", s.total.attended},
        {"confirmed_text", italian_thousands(static_cast<std::uint64_t>(std::max(0, s.total.confirmed)))},
        {"attended_text", italian_thousands(static_cast<std::uint64_t>(std::max(0, s.total.attended)))},
        {"attendance", percent(s.total.attended, s.total.confirmed)}}},
      {"roles", distribution(r.by_role, staff_view::role_label, choice_codes(role_choices()))},
      {"ages", distribution(r.by_age_band, staff_view::age_band_label, choice_codes(age_band_choices()))},
      {"regions", distribution(r.by_region, [&tax](const std::string& k) { return tax.label("region", k); })},
      {"people",
       {{"total", r.people}, {"new", r.new_people}, {"returning", r.returning_people}, {"trained", r.trained_people}}},
      // The page's own link keeps «Dal» and «Al»; the API names them from and to.
      {"query", chosen.query()},
      {"api_query", api_query(r.period)}};
  return d;
}

}  // namespace

void get_report(Context& ctx, const Principal& who, const Req& req, Res& res) {
  const PeriodChoice chosen = chosen_period(req);
  if (!chosen.error.empty()) {
    json view = chosen.view();
    view["section"] = "rendicontazione";
    return ctx.guard->send_page(who, res, "staff_report", "Rendicontazione", view, 400);
  }
  auto d = make_report(ctx, chosen);
  if (!d.ok()) return send_staff_error(ctx, who, res, d.status());
  audit(ctx, who, req, "report", "rendicontazione", d->view["period_label"].get<std::string>());
  ctx.guard->send_page(who, res, "staff_report", "Rendicontazione", d->view);
}

void get_report_csv(Context& ctx, const Principal& who, const Req& req, Res& res) {
  const PeriodChoice chosen = chosen_period(req);
  if (!chosen.error.empty()) return send_staff_error(ctx, who, res, Status::invalid(chosen.error));
  auto d = make_report(ctx, chosen);
  if (!d.ok()) return send_staff_error(ctx, who, res, d.status());
  const json& v = d->view;
  std::vector<std::vector<std::string>> out = {
      {"Rendicontazione – Reti solidali e competenti", v["period_label"], v["basis_label"]},
      {"Sezione", "Voce", "Tipo di attività", "Confermate", "Obiettivo", "Quota dell'obiettivo (%)",
       "Presenti (attestato)", "Quota con attestato (%)", "Quota sul totale (%)"}};
  const auto n = [](const json& j) { return std::to_string(j.get<int>()); };
  // Shares are numbers in their own columns (the header says "%"), so that
  // a spreadsheet can sort and add them; the page shows them with "%".
  const auto share = [](const json& part, const json& whole) {
    return percent_number(part.get<int>(), whole.get<int>());
  };
  for (const auto& k : v["kinds"])
    out.push_back({"Tipo di attività", k["label"], "", n(k["confirmed"]), n(k["target"]),
                   share(k["confirmed"], k["target"]), n(k["attended"]), share(k["attended"], k["confirmed"]), ""});
  // The page's «Totale» row: every kind's confirmed registrations and
  // attendance (a person in two kinds counts in each, as in the rows).
  out.push_back({"Tipo di attività", "Totale", "", n(v["total"]["confirmed"]), "", "", n(v["total"]["attended"]),
                 share(v["total"]["attended"], v["total"]["confirmed"]), ""});
  for (const auto& h : v["hubs"])
    out.push_back({"Hub", h["label"], h["kind"], n(h["confirmed"]), n(h["target"]), share(h["confirmed"], h["target"]),
                   n(h["attended"]), share(h["attended"], h["confirmed"]), ""});
  for (const auto& a : v["activities"]) {
    out.push_back({"Attività", a["title"], a["kind"], n(a["confirmed"]), "", "", n(a["attended"]),
                   share(a["attended"], a["confirmed"]), ""});
    for (const auto& e : a["editions"])
      out.push_back({"Edizione", e["id"], a["kind"], n(e["confirmed"]), "", "", n(e["attended"]),
                     share(e["attended"], e["confirmed"]), ""});
  }
  for (const auto& [key, section] : {std::pair{"roles", "Ruolo"}, {"ages", "Fascia d'età"}, {"regions", "Regione"}}) {
    int total = 0;
    for (const auto& row : v[key]["rows"]) total += row["value"].get<int>();
    for (const auto& row : v[key]["rows"])
      out.push_back(
          {section, row["label"], "", n(row["value"]), "", "", "", "", percent_number(row["value"].get<int>(), total)});
  }
  out.push_back({"Persone", "totale", "", n(v["people"]["total"]), "", "", "", "", ""});
  out.push_back({"Persone", "nuove", "", n(v["people"]["new"]), "", "", "", "", ""});
  out.push_back({"Persone", v["returning_item"], "", n(v["people"]["returning"]), "", "", "", "", ""});
  out.push_back({"Persone", "con almeno un attestato", "", n(v["people"]["trained"]), "", "", "", "", ""});
  audit(ctx, who, req, "export", "rendicontazione", v["period_label"].get<std::string>() + " (CSV)");
  res.set_header("Content-Disposition", "attachment; filename=\"rendicontazione.csv\"");
  res.set_content(staff_view::csv_document(out), "text/csv; charset=utf-8");
}

}  // namespace bp::registration
