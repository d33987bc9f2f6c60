#include "bp/italian_date.h"

#include <array>
#include <cstdint>
#include <utility>

#include "civil_fields.h"

namespace bp {
namespace {

constexpr std::array<const char*, 12> kMonths = {"gennaio", "febbraio", "marzo",     "aprile",
                                                 "maggio",  "giugno",   "luglio",    "agosto",
                                                 "settembre", "ottobre", "novembre", "dicembre"};

std::string two_digits(int v) { return (v < 10 ? "0" : "") + std::to_string(v); }

std::string day_month_year(const detail::CivilFields& c) {
  const std::string day = c.day == 1 ? "1°" : std::to_string(c.day);
  return day + " " + kMonths[static_cast<std::size_t>(c.month - 1)] + " " + std::to_string(c.year);
}

// A number read with a vowel first: otto, ottanta, ottocento… (any that
// starts with an 8) and undici; then a space or the end ("1°" is primo).
bool starts_with_vowel_number(const std::string& text) {
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0 || (digits < text.size() && text[digits] != ' ')) return false;
  return text[0] == '8' || text.compare(0, digits, "11") == 0;
}

}  // namespace

std::string italian_date(const std::string& iso) {
  auto c = detail::parse_civil(iso);
  if (!c || c->has_time) return iso;
  return day_month_year(*c);
}

std::string italian_datetime(const std::string& local) {
  auto c = detail::parse_civil(local);
  if (!c) return local;
  std::string out = day_month_year(*c);
  if (c->has_time) out += ", ore " + two_digits(c->hour) + ":" + two_digits(c->minute);
  return out;
}

std::string after_preposition(const std::string& preposition, const std::string& text) {
  if (preposition.empty()) return text;
  if (!starts_with_vowel_number(text)) return preposition + " " + text;
  static const std::pair<const char*, const char*> kElided[] = {
      {"il", "l'"}, {"dal", "dall'"}, {"al", "all'"}, {"del", "dell'"}, {"nel", "nell'"}, {"sul", "sull'"}};
  const auto space = preposition.rfind(' ');
  const std::string head = space == std::string::npos ? "" : preposition.substr(0, space + 1);
  const std::string last = space == std::string::npos ? preposition : preposition.substr(space + 1);
  for (const auto& [word, elided] : kElided)
    if (last == word) return head + elided + text;
  return preposition + " " + text;
}

std::string italian_datetime_after(const std::string& preposition, const std::string& local) {
  return after_preposition(preposition, italian_datetime(local));
}

std::string italian_weekday(const std::string& iso) {
  static constexpr std::array<const char*, 7> kDays = {"domenica", "lunedì", "martedì", "mercoledì",
                                                       "giovedì",  "venerdì", "sabato"};
  auto c = detail::parse_civil(iso);
  if (!c || c->has_time) return "";
  const std::int64_t days = detail::days_from_civil(c->year, static_cast<unsigned>(c->month),
                                                    static_cast<unsigned>(c->day));
  // 1970-01-01 was a Thursday.
  return kDays[static_cast<std::size_t>(((days % 7) + 11) % 7)];
}

std::string italian_meeting(const std::string& iso, const std::string& start, const std::string& end) {
  const std::string weekday = italian_weekday(iso);
  if (weekday.empty()) return iso + ", ore " + start + "–" + end;
  return weekday + " " + italian_date(iso) + ", ore " + start + "–" + end;
}

}  // namespace bp
