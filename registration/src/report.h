// The figures of the funder's report ("Rendicontazione") and of
// /api/admin/stats, computed by one function so that the page, its CSV and
// the API cannot disagree: participation per kind, hub, activity and edition
// against the targets, attendance, the people's roles, age bands and
// regions, new and returning people. Aggregates only, never names.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bp/catalogue.h"
#include "bp/registration/store.h"
#include "desk.h"

namespace bp::registration {

// Between two days (Europe/Rome, both included); an empty end is open. What
// falls in it: by default the registrations to the editions that take
// place in it, at least in part (the participation of the period, as the
// funder counts it); with kRegistration, the registrations made in it.
struct Period {
  enum class Basis { kActivity, kRegistration };
  std::string from, to;  // "YYYY-MM-DD" or ""
  std::int64_t from_utc = 0, to_utc = 0;  // [from_utc, to_utc); 0 when open
  Basis basis = Basis::kActivity;
  bool open() const { return from.empty() && to.empty(); }
};

// Invalid (Italian message) for a malformed date or an end before the start.
Result<Period> parse_period(const std::string& from, const std::string& to,
                            Period::Basis basis = Period::Basis::kActivity);

struct Report {
  Period period;
  Stats stats;
  // Confirmed registrations by the person's role, age band and region.
  std::map<std::string, int> by_role, by_age_band, by_region;
  int people = 0;            // distinct people (e-mail) with a confirmed registration
  int new_people = 0;        // … whose first registration falls in the period
  int returning_people = 0;  // … who had registered before it
  // Distinct people who earned a certificate (attended) in a registration
  // of the period: the people the programme trained, as the funder counts.
  int trained_people = 0;
};

// `counts` are the store's (used as they are when the period is open, so the
// seat counters are exact); `all` every registration, for the period and
// the distributions.
// Who a registration belongs to, as the report counts people: the e-mail
// (capitals apart); once erased, the code that stands for the person
// (erased_person; the registration's own code for an erasure made before
// it existed).
std::string person_key(const Registration& r);

Report build_report(const Catalogue& catalogue, const std::vector<EditionCounts>& counts,
                    const std::vector<Registration>& all, const Period& period);

// One hub's figures for one kind of activity, against the hub's share of
// the kind's target.
struct HubKindRow {
  std::string hub, kind;  // slugs
  int confirmed = 0, attended = 0, target = 0;
};

// The rows per hub (in the vocabulary's order: nord, centro, sud) and per
// kind with a target (kKinds' order), from `stats`' editions. A hub's share
// of a kind's target is its share of the kind's seats in the catalogue (a
// third of the modules' 2,160 people per hub; for the residencies 30, 60
// and 30, as Torino, Firenze and Perugia, Lecce offer them), evenly when the
// kind has no seats yet. A kind the hub offers no seat of, with nobody in
// it, has no row. The staff's home and the funder's report both show these.
std::vector<HubKindRow> hub_rows(const Catalogue& catalogue, const Taxonomy& taxonomy, const Stats& stats);

// The JSON of /api/admin/stats.
nlohmann::json report_json(const Report& report);

}  // namespace bp::registration
