// The programme's catalogue (library-content/programme.yaml): activities,
// their editions with their meetings, and the targets reported to the
// funder. Content like the case files: checked by `bp-index check` with the
// same YAML layer (tabs, duplicate keys, `file:line: message` in Italian,
// "forse ...?" hints), loaded at start-up by the registration module.
// The format is in docs/dev/formats.md.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bp/diagnostic.h"
#include "bp/taxonomy.h"

namespace bp {

// Activity kinds, as written in the YAML file.
inline constexpr const char* kKinds[] = {"modulo", "tutoraggio", "residenza", "corso-docenti"};

// One meeting of an edition, on one day (Europe/Rome wall-clock times).
struct Session {
  std::string date;          // "YYYY-MM-DD"
  std::string start;         // "HH:MM"
  std::string end;           // "HH:MM", after start on the same day
  std::string place;         // venue or address (optional)
  std::string online_url;    // http(s) link to join, `online:` in the file (optional)
  std::int64_t start_utc = 0;  // seconds since the epoch
  std::int64_t end_utc = 0;
};

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
  // The meetings, sorted, not overlapping, inside [start, end]. Empty for
  // the on-request tutoring, whose meetings are agreed with each person.
  std::vector<Session> sessions;
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
  std::vector<std::string> topic_labels;  // their labels in taxonomy.yaml, same order
  std::vector<std::string> workshops;  // residenza: thematic workshops
  std::vector<Edition> editions;
};

struct Catalogue {
  std::vector<Activity> activities;
  std::map<std::string, int> targets;  // kind -> people to reach

  // nullptr when there is no such activity / edition. Pointers stay valid
  // as long as the Catalogue is not modified.
  const Activity* activity(const std::string& id) const;
  const Edition* edition(const std::string& id) const;
  const Activity* activity_of(const Edition& e) const { return activity(e.activity_id); }
  // The label of `topic` among `a`'s topics ("Gruppi di acquisto solidale"),
  // or `topic` itself when it is not one of them.
  static const std::string& topic_label(const Activity& a, const std::string& topic);
  // The single always-open tutoring edition of `hub`, or nullptr.
  const Edition* tutoring_edition(const std::string& hub) const;
};

// Reads and checks `file`. Problems are appended to `diagnostics` as
// `file:line: message` in Italian, `file` written as given. Returns nullopt
// when the file cannot be read or has errors (warnings alone, such as an
// unknown key, do not stop loading).
std::optional<Catalogue> load_catalogue(const std::filesystem::path& file, const Taxonomy& taxonomy,
                                        Diagnostics* diagnostics);
// The same, also recording in `*terms` (when not null) every vocabulary
// value the file uses (see taxonomy_slug_typos in bp/taxonomy.h).
std::optional<Catalogue> load_catalogue(const std::filesystem::path& file, const Taxonomy& taxonomy,
                                        Diagnostics* diagnostics, std::vector<TermUse>* terms);

// Only the diagnostics, for `bp-index check`. Empty when the file is fine.
Diagnostics check_catalogue(const std::filesystem::path& file, const Taxonomy& taxonomy,
                            std::vector<TermUse>* terms = nullptr);

// A meeting for people, with its weekday: "martedì 8 giugno 2027, ore
// 17:00–19:00" (see italian_meeting() in bp/italian_date.h). Place and link
// are not included: callers show them apart.
std::string format_session(const Session& session);

}  // namespace bp
