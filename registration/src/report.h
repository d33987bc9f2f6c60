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

// Registrations made between two days (Europe/Rome, both included); an empty
// end is open.
struct Period {
  std::string from, to;  // "YYYY-MM-DD" or ""
  std::int64_t from_utc = 0, to_utc = 0;  // [from_utc, to_utc); 0 when open
  bool open() const { return from.empty() && to.empty(); }
};

// Invalid (Italian message) for a malformed date or an end before the start.
Result<Period> parse_period(const std::string& from, const std::string& to);

struct Report {
  Period period;
  Stats stats;
  // Confirmed registrations by the person's role, age band and region.
  std::map<std::string, int> by_role, by_age_band, by_region;
  int people = 0;            // distinct people (e-mail) with a confirmed registration
  int new_people = 0;        // … whose first registration falls in the period
  int returning_people = 0;  // … who had registered before it
};

// `counts` are the store's (used as they are when the period is open, so the
// seat counters are exact); `all` every registration, for the period and
// the distributions.
Report build_report(const Catalogue& catalogue, const std::vector<EditionCounts>& counts,
                    const std::vector<Registration>& all, const Period& period);

// The JSON of /api/admin/stats.
nlohmann::json report_json(const Report& report);

}  // namespace bp::registration
