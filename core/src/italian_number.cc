#include "bp/italian_number.h"

#include <algorithm>

namespace bp {

namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Digits with a dot before every group of three from the right.
std::string grouped(std::string_view digits) {
  std::string out(digits);
  for (int i = static_cast<int>(out.size()) - 3; i > 0; i -= 3) out.insert(static_cast<std::size_t>(i), ".");
  return out;
}

// Removes a leading + or - from `rest`; "-" for a minus, else "".
std::string take_sign(std::string_view* rest) {
  if (rest->empty() || (rest->front() != '-' && rest->front() != '+')) return "";
  const bool minus = rest->front() == '-';
  rest->remove_prefix(1);
  return minus ? "-" : "";
}

}  // namespace

std::string italian_thousands(std::uint64_t n) { return grouped(std::to_string(n)); }

bool is_plain_number(std::string_view number) {
  take_sign(&number);
  const std::size_t point = number.find('.');
  return all_digits(number.substr(0, point)) &&
         (point == std::string_view::npos || all_digits(number.substr(point + 1)));
}

std::string italian_number(std::string_view number) {
  if (!is_plain_number(number)) return std::string(number);
  std::string_view rest = number;
  const std::string sign = take_sign(&rest);
  const std::size_t point = rest.find('.');
  const std::string_view whole = rest.substr(0, point);
  const std::string_view fraction = point == std::string_view::npos ? std::string_view() : rest.substr(point + 1);
  std::string out = sign + grouped(whole);
  if (point != std::string_view::npos) out += "," + std::string(fraction);
  return out;
}

std::string number_from_italian(std::string_view typed) {
  std::string_view rest = typed;
  const std::string sign = take_sign(&rest);
  const std::size_t comma = rest.find(',');
  const std::string_view whole = rest.substr(0, comma);
  const std::string_view fraction = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
  if (comma != std::string_view::npos && !all_digits(fraction)) return std::string(typed);
  // The whole part: plain digits, or the same digits grouped as
  // italian_thousands() writes them ("7.4" and "1.2345" are not).
  std::string digits(whole);
  std::erase(digits, '.');
  const bool dotted = digits.size() != whole.size();
  if (!all_digits(digits) || (dotted && grouped(digits) != whole)) return std::string(typed);
  if (!dotted && comma == std::string_view::npos) return std::string(typed);
  return sign + digits + (comma == std::string_view::npos ? "" : "." + std::string(fraction));
}

bool reads_as_thousands(std::string_view number) {
  take_sign(&number);
  const std::size_t point = number.find('.');
  if (point == std::string_view::npos || point == 0 || point > 3) return false;
  return all_digits(number.substr(0, point)) && number.size() - point - 1 == 3 && all_digits(number.substr(point + 1));
}

}  // namespace bp
