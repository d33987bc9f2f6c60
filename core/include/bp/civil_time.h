// Wall-clock times of the programme (Europe/Rome) and their conversion to
// UTC, with the time-zone rules of ICU's database. Thread-safe: every call
// uses its own ICU calendar.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "bp/status.h"

namespace bp {

// "YYYY-MM-DDTHH:MM" in Europe/Rome to seconds since the epoch. A bare date
// "YYYY-MM-DD" means 00:00, or 23:59 when `end_of_day`.
//
// Daylight-saving transitions (last Sunday of March and of October):
// - a time that does not exist (02:00-02:59 on the spring-forward day, the
//   clocks jump from 02:00 to 03:00) fails with kInvalidArgument;
// - a time that happens twice (02:00-02:59 on the fall-back day) is the
//   first occurrence, still in summer time (UTC+2), as RFC 5545 3.3.5 reads
//   a repeated local time.
// Fails with kInvalidArgument, with an Italian message for the editors, for
// a malformed text, an impossible date (2027-02-30) or a year outside
// 1970-2200; with kIo when ICU has no data for Europe/Rome.
Result<std::int64_t> rome_to_utc(const std::string& local, bool end_of_day = false);

// Seconds since the epoch to "YYYY-MM-DDTHH:MM" in Europe/Rome (the inverse
// of rome_to_utc, seconds truncated); "" if ICU has no data for Europe/Rome.
std::string rome_local(std::int64_t t);

// A date "YYYY-MM-DD" as the back office writes it, "15/04/2027";
// anything else unchanged.
std::string short_date(const std::string& iso_date);

// A stored UTC time "YYYY-MM-DDTHH:MM:SS[Z]" as people in Italy read it,
// "12/03/2026 14:05" (Europe/Rome); "" for ""; anything else unchanged.
// The back office and bp-admin show every stored time this way.
std::string rome_short(const std::string& utc_iso);

// The day in Italy of a stored UTC time "YYYY-MM-DDTHH:MM:SS[Z]",
// "YYYY-MM-DD" (Europe/Rome: 23:30 UTC on 6 December is the 7th there);
// anything else unchanged. For italian_date() of a stored time.
std::string rome_day(const std::string& utc_iso);

// Seconds since the epoch to "YYYYMMDDTHHMMSSZ" (iCalendar UTC form).
std::string utc_ical(std::int64_t t);
// Seconds since the epoch to "YYYY-MM-DDTHH:MM:SSZ".
std::string utc_iso(std::int64_t t);
// Its inverse: the seconds of a stored "YYYY-MM-DDTHH:MM:SS[Z]" (UTC);
// nullopt for anything else ("" included).
std::optional<std::int64_t> utc_iso_seconds(const std::string& iso);

// Days in `month` (1-12) of `year`, Gregorian (leap years included).
int days_in_month(int year, int month);

// True for a 24-hour clock time written "HH:MM" (00:00 to 23:59).
bool is_clock_time(const std::string& hh_mm);

}  // namespace bp
