// Europe/Rome wall-clock times through ICU's time-zone database (the
// summer-time rules and their history come from tzdata, not from our code).
#include "bp/civil_time.h"

#include <unicode/ucal.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <memory>

#include "bp/italian_date.h"
#include "civil_fields.h"

namespace bp {
namespace detail {

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  // H. Hinnant's algorithm.
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::optional<CivilFields> parse_civil(const std::string& s) {
  CivilFields c;
  if (s.size() != 10 && !(s.size() == 16 && s[10] == 'T')) return std::nullopt;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i == 4 || i == 7 || i == 10 || i == 13) continue;
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  }
  if (s[4] != '-' || s[7] != '-' || (s.size() == 16 && s[13] != ':')) return std::nullopt;
  auto num = [&](std::size_t pos, std::size_t len) { return std::stoi(s.substr(pos, len)); };
  c.year = num(0, 4);
  c.month = num(5, 2);
  c.day = num(8, 2);
  if (s.size() == 16) {
    c.has_time = true;
    c.hour = num(11, 2);
    c.minute = num(14, 2);
  }
  if (c.year < 1970 || c.year > 2200 || c.month < 1 || c.month > 12 || c.day < 1 ||
      c.day > days_in_month(c.year, c.month) || c.hour > 23 || c.minute > 59)
    return std::nullopt;
  return c;
}

}  // namespace detail

namespace {

struct CalendarCloser {
  void operator()(UCalendar* c) const { ucal_close(c); }
};

std::string two_digits(int v) { return (v < 10 ? "0" : "") + std::to_string(v); }

void to_civil(std::int64_t t, std::tm* out) {
  const std::time_t tt = static_cast<std::time_t>(t);
  gmtime_r(&tt, out);
}

// Why parse_civil() rejected `s`, in the words of the case-file checks.
std::string civil_problem(const std::string& s) {
  // Digits everywhere but the separators (as parse_civil reads it).
  bool shape = s.size() == 10 || (s.size() == 16 && s[10] == 'T' && s[13] == ':');
  for (std::size_t i = 0; shape && i < s.size(); ++i)
    shape = (i == 4 || i == 7) ? s[i] == '-' : (i == 10 || i == 13) || (s[i] >= '0' && s[i] <= '9');
  if (!shape)
    return "data non valida '" + s +
           "': usa il formato AAAA-MM-GGTHH:MM (ora italiana), per esempio 2027-03-02T17:00";
  const int y = std::stoi(s.substr(0, 4)), m = std::stoi(s.substr(5, 2)), d = std::stoi(s.substr(8, 2));
  if (y < 1970 || y > 2200) return "data impossibile '" + s + "': l'anno va dal 1970 al 2200";
  if (m < 1 || m > 12) return "data impossibile '" + s + "': il mese va da 01 a 12";
  if (d < 1 || d > days_in_month(y, m))
    // "2 febbraio 2027" without the day: the month and year of `s`.
    return "data impossibile '" + s + "': " + italian_date(s.substr(0, 8) + "02").substr(2) + " ha " +
           std::to_string(days_in_month(y, m)) + " giorni";
  return "ora impossibile '" + s + "': l'ora va da 00:00 a 23:59";
}

}  // namespace

int days_in_month(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

Result<std::int64_t> rome_to_utc(const std::string& local, bool end_of_day) {
  auto c = detail::parse_civil(local);
  if (!c) return Status::invalid(civil_problem(local));
  if (!c->has_time && end_of_day) {
    c->hour = 23;
    c->minute = 59;
  }
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UCalendar, CalendarCloser> cal(
      ucal_open(u"Europe/Rome", -1, "it_IT", UCAL_GREGORIAN, &status));
  if (U_FAILURE(status)) return Status::io(std::string("ICU: fuso orario Europe/Rome non disponibile: ") + u_errorName(status));
  // Strict: a wall time skipped by the spring-forward jump is an error
  // instead of being moved silently.
  ucal_setAttribute(cal.get(), UCAL_LENIENT, 0);
  ucal_setAttribute(cal.get(), UCAL_REPEATED_WALL_TIME, UCAL_WALLTIME_FIRST);
  ucal_clear(cal.get());
  ucal_setDateTime(cal.get(), c->year, c->month - 1, c->day, c->hour, c->minute, 0, &status);
  const UDate ms = ucal_getMillis(cal.get(), &status);
  if (U_FAILURE(status))
    return Status::invalid("l'ora " + two_digits(c->hour) + ":" + two_digits(c->minute) + " " +
                           after_preposition("del", italian_date(local.substr(0, 10))) +
                           " non esiste in Italia: quella notte gli orologi passano dalle 02:00 alle "
                           "03:00 (inizio dell'ora legale)");
  return static_cast<std::int64_t>(ms / 1000);
}

std::string rome_local(std::int64_t t) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UCalendar, CalendarCloser> cal(
      ucal_open(u"Europe/Rome", -1, "it_IT", UCAL_GREGORIAN, &status));
  if (U_FAILURE(status)) return "";
  ucal_setMillis(cal.get(), static_cast<UDate>(t) * 1000.0, &status);
  const int y = ucal_get(cal.get(), UCAL_YEAR, &status);
  const int mo = ucal_get(cal.get(), UCAL_MONTH, &status) + 1;
  const int d = ucal_get(cal.get(), UCAL_DATE, &status);
  const int h = ucal_get(cal.get(), UCAL_HOUR_OF_DAY, &status);
  const int mi = ucal_get(cal.get(), UCAL_MINUTE, &status);
  if (U_FAILURE(status)) return "";
  return std::to_string(y) + "-" + two_digits(mo) + "-" + two_digits(d) + "T" + two_digits(h) + ":" + two_digits(mi);
}

std::string utc_ical(std::int64_t t) {
  std::tm tm{};
  to_civil(t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

std::string short_date(const std::string& d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return d;
  return d.substr(8, 2) + "/" + d.substr(5, 2) + "/" + d.substr(0, 4);
}

std::string rome_short(const std::string& iso) {
  if (iso.size() < 19) return iso;
  std::tm tm{};
  if (!strptime(iso.c_str(), "%Y-%m-%dT%H:%M:%S", &tm)) return iso;
  const std::string local = rome_local(timegm(&tm));  // "YYYY-MM-DDTHH:MM"
  if (local.size() < 16) return iso;
  return short_date(local.substr(0, 10)) + " " + local.substr(11, 5);
}

std::string rome_day(const std::string& iso) {
  const auto seconds = utc_iso_seconds(iso);
  if (!seconds) return iso;
  const std::string local = rome_local(*seconds);
  return local.size() >= 10 ? local.substr(0, 10) : iso;
}

std::string utc_iso(std::int64_t t) {
  std::tm tm{};
  to_civil(t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::optional<std::int64_t> utc_iso_seconds(const std::string& iso) {
  std::tm tm{};
  const char* end = strptime(iso.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (end == nullptr || !(*end == '\0' || (end[0] == 'Z' && end[1] == '\0'))) return std::nullopt;
  return static_cast<std::int64_t>(timegm(&tm));
}

bool is_clock_time(const std::string& s) {
  if (s.size() != 5 || s[2] != ':') return false;
  for (std::size_t i : {0u, 1u, 3u, 4u})
    if (s[i] < '0' || s[i] > '9') return false;
  return std::stoi(s.substr(0, 2)) <= 23 && std::stoi(s.substr(3, 2)) <= 59;
}

}  // namespace bp
