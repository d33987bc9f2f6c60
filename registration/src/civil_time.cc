// Europe/Rome wall-clock times. Italy follows the EU rule since 1996: CET
// (UTC+1), and CEST (UTC+2) from 01:00 UTC on the last Sunday of March to
// 01:00 UTC on the last Sunday of October. Coded here because libstdc++ 12
// has no time-zone database support.
#include <cstdio>
#include <ctime>
#include <optional>
#include <string>

#include "bp/registration/catalogue.h"

namespace bp::registration {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : kDays[m - 1];
}

// 01:00 UTC of the last Sunday of `month` in `year`.
std::int64_t last_sunday_1utc(int year, int month) {
  const int last = days_in_month(year, month);
  const std::int64_t days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(last));
  const std::int64_t weekday = ((days % 7) + 11) % 7;  // 0 = Sunday (1970-01-01 was a Thursday)
  return (days - weekday) * 86400 + 3600;
}

struct Civil {
  int y, mo, d, h, mi;
};

std::optional<Civil> parse(const std::string& s, bool end_of_day) {
  Civil c{};
  if (s.size() == 10) {
    if (std::sscanf(s.c_str(), "%4d-%2d-%2d", &c.y, &c.mo, &c.d) != 3) return std::nullopt;
    c.h = end_of_day ? 23 : 0;
    c.mi = end_of_day ? 59 : 0;
  } else if (s.size() == 16 && s[10] == 'T') {
    if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d", &c.y, &c.mo, &c.d, &c.h, &c.mi) != 5)
      return std::nullopt;
  } else {
    return std::nullopt;
  }
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool sep = i == 4 || i == 7 || i == 10 || i == 13;
    if (!sep && (s[i] < '0' || s[i] > '9')) return std::nullopt;
  }
  if (s[4] != '-' || s[7] != '-' || (s.size() == 16 && s[13] != ':')) return std::nullopt;
  if (c.y < 1970 || c.y > 2200 || c.mo < 1 || c.mo > 12 || c.d < 1 ||
      c.d > days_in_month(c.y, c.mo) || c.h > 23 || c.mi > 59)
    return std::nullopt;
  return c;
}

void to_civil(std::int64_t t, std::tm* out) {
  const std::time_t tt = static_cast<std::time_t>(t);
  gmtime_r(&tt, out);
}

}  // namespace

std::optional<std::int64_t> rome_to_utc(const std::string& local, bool end_of_day) {
  auto c = parse(local, end_of_day);
  if (!c) return std::nullopt;
  const std::int64_t wall = days_from_civil(c->y, static_cast<unsigned>(c->mo), static_cast<unsigned>(c->d)) * 86400 +
                            c->h * 3600 + c->mi * 60;
  const std::int64_t as_cet = wall - 3600;
  const bool summer = as_cet >= last_sunday_1utc(c->y, 3) && as_cet < last_sunday_1utc(c->y, 10);
  return summer ? wall - 7200 : as_cet;
}

std::string utc_ical(std::int64_t t) {
  std::tm tm{};
  to_civil(t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

std::string utc_iso(std::int64_t t) {
  std::tm tm{};
  to_civil(t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string rome_local(std::int64_t t) {
  std::tm year{};
  to_civil(t, &year);
  const int y = year.tm_year + 1900;
  const bool summer = t >= last_sunday_1utc(y, 3) && t < last_sunday_1utc(y, 10);
  std::tm tm{};
  to_civil(t + (summer ? 7200 : 3600), &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M", &tm);
  return buf;
}

std::string italian_datetime(const std::string& local) {
  static constexpr const char* kMonths[] = {"gennaio", "febbraio", "marzo",     "aprile",
                                            "maggio",  "giugno",   "luglio",    "agosto",
                                            "settembre", "ottobre", "novembre", "dicembre"};
  auto c = parse(local, false);
  if (!c) return local;
  std::string out = std::to_string(c->d) + " " + kMonths[c->mo - 1] + " " + std::to_string(c->y);
  if (local.size() == 16) {
    char buf[32];  // room for any two ints: GCC checks the worst case
    std::snprintf(buf, sizeof buf, "%02d:%02d", c->h, c->mi);
    out += std::string(", ore ") + buf;
  }
  return out;
}

std::string italian_datetime_after(const std::string& preposition, const std::string& local) {
  const std::string text = italian_datetime(local);
  const bool vowel = text.rfind("8 ", 0) == 0 || text.rfind("11 ", 0) == 0;
  if (!vowel) return preposition + " " + text;
  if (preposition == "il") return "l'" + text;
  if (preposition == "dal") return "dall'" + text;
  if (preposition == "al") return "all'" + text;
  return preposition + " " + text;
}

}  // namespace bp::registration
