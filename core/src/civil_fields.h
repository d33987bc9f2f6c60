// Parsing the wall-clock forms of the catalogue into calendar fields, shared
// by the time-zone conversion and the Italian date formatting. Internal to
// bp_core.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace bp::detail {

struct CivilFields {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0;
  bool has_time = false;  // written "YYYY-MM-DDTHH:MM", not a bare date
};

// "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM" with a real calendar date in 1970-2200
// and a time from 00:00 to 23:59; nullopt otherwise.
std::optional<CivilFields> parse_civil(const std::string& text);

// Days since 1970-01-01 of a proleptic Gregorian date.
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day);

}  // namespace bp::detail
