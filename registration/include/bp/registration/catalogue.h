// The programme's catalogue (library-content/programme.yaml): activities,
// their editions and the targets reported to the funder. Loaded at start-up
// and checked by `bp-index check` with file:line diagnostics in Italian.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bp/diagnostic.h"
#include "bp/taxonomy.h"

namespace bp::registration {

// Activity kinds, as written in the YAML file.
inline constexpr const char* kKinds[] = {"modulo", "tutoraggio", "residenza", "corso-docenti"};

struct Edition {
  std::string id;            // unique across the catalogue, a slug
  std::string activity_id;   // owning activity
  std::string hub;           // nord | centro | sud
  std::string city;          // a city name, or "online"
  std::string start_local;   // "YYYY-MM-DDTHH:MM", Europe/Rome
  std::string end_local;     // "YYYY-MM-DDTHH:MM", Europe/Rome
  std::string deadline_local;  // "YYYY-MM-DDTHH:MM" (a bare date means 23:59)
  std::int64_t start_utc = 0;  // seconds since the epoch
  std::int64_t end_utc = 0;
  std::int64_t deadline_utc = 0;
  int capacity = 0;
  bool closed = false;       // `open: false` in the file: closed by the staff
  std::string notes;         // free text shown with the edition (optional)
};

struct Activity {
  std::string id;
  std::string kind;          // one of kKinds
  std::string title;
  std::string description;
  std::string macro_action;  // a1..a3 (modules; optional for other kinds)
  std::string module;        // m01..m12 (kind modulo only)
  std::vector<std::string> themes;     // theme slugs of taxonomy.yaml
  std::vector<std::string> topics;     // tutoraggio: theme slugs a request may name
  std::vector<std::string> workshops;  // residenza: thematic workshops
  std::vector<Edition> editions;
};

struct Catalogue {
  std::vector<Activity> activities;
  std::map<std::string, int> targets;  // kind -> people to reach

  const Activity* activity(const std::string& id) const;
  const Edition* edition(const std::string& id) const;
  const Activity* activity_of(const Edition& e) const { return activity(e.activity_id); }
  // The single always-open tutoring edition of `hub`, or nullptr.
  const Edition* tutoring_edition(const std::string& hub) const;
};

// Reads and checks `file`. Problems are appended to `diagnostics` as
// file:line messages in Italian. Returns nullopt when the file cannot be read
// or has errors (warnings alone do not stop loading).
std::optional<Catalogue> load_catalogue(const std::filesystem::path& file, const Taxonomy& taxonomy,
                                        Diagnostics* diagnostics);

// Only the diagnostics, for `bp-index check`. Empty when the file is fine.
Diagnostics check_catalogue(const std::filesystem::path& file, const Taxonomy& taxonomy);

// "YYYY-MM-DDTHH:MM" (or "YYYY-MM-DD" with `end_of_day` deciding 00:00 or
// 23:59) in Europe/Rome to seconds since the epoch; nullopt for a malformed
// or impossible date (2027-02-30).
std::optional<std::int64_t> rome_to_utc(const std::string& local, bool end_of_day = false);

// Seconds since the epoch to "YYYY-MM-DDTHH:MM" in Europe/Rome (the inverse
// of rome_to_utc, minutes truncated).
std::string rome_local(std::int64_t t);
// Seconds since the epoch to "YYYYMMDDTHHMMSSZ" (iCalendar UTC form).
std::string utc_ical(std::int64_t t);
// Seconds since the epoch to "YYYY-MM-DDTHH:MM:SSZ".
std::string utc_iso(std::int64_t t);
// "2027-03-02T17:00" -> "2 marzo 2027, ore 17:00".
std::string italian_datetime(const std::string& local);
// italian_datetime() after a preposition or article ("dal", "al", "il"),
// elided before 8 and 11: ("al", "2027-04-08T19:00") -> "all'8 aprile 2027, ore 19:00".
std::string italian_datetime_after(const std::string& preposition, const std::string& local);

}  // namespace bp::registration
