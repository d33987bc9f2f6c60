#include "report.h"

#include <algorithm>
#include <set>

#include "bp/civil_time.h"

namespace bp::registration {

namespace {

using nlohmann::json;

json tally_json(const Tally& t) {
  return {{"capacity", t.capacity}, {"pending", t.pending}, {"confirmed", t.confirmed},
          {"waitlisted", t.waitlisted}, {"cancelled", t.cancelled}, {"expired", t.expired},
          {"attended", t.attended}};
}

// An edition also shows its seat counter and whether it is over capacity
// (capacity lowered in programme.yaml below the seats already taken).
json edition_json(const Tally& t) {
  json j = tally_json(t);
  j["seats_taken"] = t.taken;
  j["over_capacity"] = t.over_capacity;
  return j;
}

// When a registration happened for `p`: its edition's start (activity
// basis) or the moment it was made; 0 when unknown.
std::int64_t moment(const Catalogue& catalogue, const Period& p, const Registration& x) {
  if (p.basis == Period::Basis::kRegistration) return utc_iso_seconds(x.created_at).value_or(0);
  const Edition* e = catalogue.edition(x.edition_id);
  return e ? e->start_utc : 0;
}

// Whether `x` falls in `p`: made in it, or (activity basis) to an edition
// that takes place in it at least in part.
bool in_period(const Catalogue& catalogue, const Period& p, const Registration& x) {
  if (p.open()) return true;
  if (p.basis == Period::Basis::kRegistration) {
    const std::int64_t made = moment(catalogue, p, x);
    return (!p.from_utc || made >= p.from_utc) && (!p.to_utc || made < p.to_utc);
  }
  const Edition* e = catalogue.edition(x.edition_id);
  if (!e) return false;
  return (!p.from_utc || e->end_utc >= p.from_utc) && (!p.to_utc || e->start_utc < p.to_utc);
}

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

}  // namespace

Result<Period> parse_period(const std::string& from, const std::string& to, Period::Basis basis) {
  Period p;
  p.from = from;
  p.to = to;
  p.basis = basis;
  if (!from.empty()) {
    auto t = rome_to_utc(from);
    if (!t.ok() || from.size() != 10) return Status::invalid("data di inizio non valida: scrivila come 2026-01-31");
    p.from_utc = *t;
  }
  if (!to.empty()) {
    auto t = rome_to_utc(to, /*end_of_day=*/true);
    if (!t.ok() || to.size() != 10) return Status::invalid("data di fine non valida: scrivila come 2026-12-31");
    p.to_utc = *t + 60;  // end_of_day is 23:59
  }
  if (p.from_utc && p.to_utc && p.to_utc <= p.from_utc)
    return Status::invalid("il periodo finisce prima di cominciare");
  return p;
}

std::string person_key(const Registration& r) {
  if (!r.email.empty()) return lower(r.email);
  return "erased:" + (r.erased_person.empty() ? r.code : r.erased_person);
}

Report build_report(const Catalogue& catalogue, const std::vector<EditionCounts>& counts,
                    const std::vector<Registration>& all, const Period& period) {
  Report r;
  r.period = period;
  std::vector<EditionCounts> in;
  if (period.open()) {
    in = counts;
  } else {
    std::map<std::string, EditionCounts> by_edition;
    for (const auto& c : counts) {
      EditionCounts& e = by_edition[c.edition_id];
      e.edition_id = c.edition_id;
      e.capacity = c.capacity;
    }
    for (const auto& x : all) {
      if (!in_period(catalogue, period, x)) continue;
      EditionCounts& c = by_edition[x.edition_id];
      c.edition_id = x.edition_id;
      if (x.status == "pending") ++c.pending, ++c.taken;
      else if (x.status == "confirmed") ++c.confirmed, ++c.taken;
      else if (x.status == "waitlisted") ++c.waitlisted;
      else if (x.status == "cancelled") ++c.cancelled;
      else if (x.status == "expired") ++c.expired;
      // As the editions' own counts (Store::counts): a certificate is a
      // confirmed person's; a cancelled one keeps the ticks, not the count.
      if (x.attended && x.status == "confirmed") ++c.attended;
    }
    for (auto& [id, c] : by_edition) in.push_back(c);
  }
  r.stats = compute_stats(catalogue, in);
  // People (person_key), first seen at their earliest registration of any
  // status.
  std::map<std::string, std::int64_t> first_seen;
  for (const auto& x : all) {
    const std::string key = person_key(x);
    const std::int64_t when = moment(catalogue, period, x);
    auto [it, fresh] = first_seen.emplace(key, when);
    if (!fresh && when < it->second) it->second = when;
  }
  std::set<std::string> people;
  for (const auto& x : all) {
    if (x.status != "confirmed" || !in_period(catalogue, period, x)) continue;
    const std::string key = person_key(x);
    if (!people.insert(key).second) continue;
    // Per person, as the tables' heading says, at their first registration.
    ++r.by_role[x.role.empty() ? "non indicato" : x.role];
    ++r.by_age_band[x.age_band.empty() ? "non indicata" : x.age_band];
    ++r.by_region[x.region.empty() ? "non indicata" : x.region];
    const bool before = period.from_utc && first_seen[key] < period.from_utc;
    ++(before ? r.returning_people : r.new_people);
  }
  r.people = static_cast<int>(people.size());
  std::set<std::string> trained;
  for (const auto& x : all)
    if (x.attended && x.status == "confirmed" && in_period(catalogue, period, x)) trained.insert(person_key(x));
  r.trained_people = static_cast<int>(trained.size());
  return r;
}

std::vector<HubKindRow> hub_rows(const Catalogue& catalogue, const Taxonomy& taxonomy, const Stats& stats) {
  std::map<std::string, std::map<std::string, Tally>> done;  // hub -> kind -> figures
  std::map<std::string, std::map<std::string, int>> hub_seats;
  std::map<std::string, int> kind_seats;
  for (const Activity& a : catalogue.activities)
    for (const Edition& e : a.editions) {
      hub_seats[e.hub][a.kind] += e.capacity;
      kind_seats[a.kind] += e.capacity;
      if (auto t = stats.by_edition.find(e.id); t != stats.by_edition.end()) {
        done[e.hub][a.kind].confirmed += t->second.confirmed;
        done[e.hub][a.kind].attended += t->second.attended;
      }
    }
  std::vector<HubKindRow> rows;
  const Vocabulary* hubs = taxonomy.vocabulary("hub");
  if (!hubs) return rows;
  const int hub_count = std::max(1, static_cast<int>(hubs->terms.size()));
  for (const Term& h : hubs->terms)
    for (const char* kind : kKinds) {
      auto target = stats.targets.find(kind);
      if (target == stats.targets.end()) continue;
      const int seats = kind_seats[kind];
      const Tally& t = done[h.slug][kind];
      if (seats > 0 && hub_seats[h.slug][kind] == 0 && t.confirmed == 0) continue;
      HubKindRow row{h.slug, kind, t.confirmed, t.attended, 0};
      row.target = seats > 0
                       ? static_cast<int>(
                             (static_cast<std::int64_t>(target->second) * hub_seats[h.slug][kind] + seats / 2) / seats)
                       : target->second / hub_count;
      rows.push_back(std::move(row));
    }
  return rows;
}

json report_json(const Report& r) {
  const Stats& s = r.stats;
  json kinds = json::object();
  for (const auto& [kind, t] : s.by_kind) {
    json j = tally_json(t);
    auto target = s.targets.find(kind);
    if (target != s.targets.end()) {
      j["target"] = target->second;
      j["percent_of_target"] = target->second > 0 ? 100.0 * t.confirmed / target->second : 0.0;
    }
    kinds[kind] = j;
  }
  auto section = [](const std::map<std::string, Tally>& m, json (*view)(const Tally&)) {
    json j = json::object();
    for (const auto& [k, t] : m) j[k] = view(t);
    return j;
  };
  json over = json::array();
  for (const auto& [id, t] : s.by_edition)
    if (t.over_capacity) over.push_back(id);
  return {
      {"period",
       {{"from", r.period.from},
        {"to", r.period.to},
        {"by", r.period.basis == Period::Basis::kRegistration ? "registration" : "activity"}}},
      {"kinds", kinds},
      {"targets", s.targets},
      {"activities", section(s.by_activity, tally_json)},
      {"editions", section(s.by_edition, edition_json)},
      {"hubs", section(s.by_hub, tally_json)},
      {"over_capacity", over},
      {"total", tally_json(s.total)},
      {"distribution", {{"role", r.by_role}, {"age_band", r.by_age_band}, {"region", r.by_region}}},
      {"people",
       {{"total", r.people}, {"new", r.new_people}, {"returning", r.returning_people}, {"trained", r.trained_people}}}};
}

}  // namespace bp::registration
