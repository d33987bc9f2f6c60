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

}  // namespace

std::string italian_thousands(std::uint64_t n) { return grouped(std::to_string(n)); }

std::string italian_number(std::string_view number) {
  std::string_view rest = number;
  std::string sign;
  if (!rest.empty() && (rest.front() == '-' || rest.front() == '+')) {
    if (rest.front() == '-') sign = "-";
    rest.remove_prefix(1);
  }
  const std::size_t point = rest.find('.');
  const std::string_view whole = rest.substr(0, point);
  const std::string_view fraction = point == std::string_view::npos ? std::string_view() : rest.substr(point + 1);
  if (!all_digits(whole) || (point != std::string_view::npos && !all_digits(fraction))) return std::string(number);
  std::string out = sign + grouped(whole);
  if (point != std::string_view::npos) out += "," + std::string(fraction);
  return out;
}

}  // namespace bp
