// Numbers written for people, in Italian: a dot between thousands and a
// decimal comma ("6.800", "7,4"). Case files write their figures as YAML
// numbers ("value: 6800", "value: 7.4", docs/content-guide.md); pages show
// them this way, machine formats (JSON, OAI, CSV) keep them as written.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace bp {

// 2160 -> "2.160"; 999 -> "999".
std::string italian_thousands(std::uint64_t n);

// True for a plain decimal number as a case file writes its figures: digits,
// a sign and a decimal point allowed ("6800", "7.4", "-0.25"); not "oltre
// 300", "1e3", "1.500,5", "".
bool is_plain_number(std::string_view number);

// A plain decimal number as written in a case file, for people:
// "6800" -> "6.800", "7.4" -> "7,4", "1320000" -> "1.320.000",
// "-0.25" -> "-0,25". Anything else ("oltre 300", "1e3", "1.500,5", "")
// comes back unchanged, so a page never shows less than the editor wrote.
std::string italian_number(std::string_view number);

// A number a person typed the Italian way, as a case file writes it:
// "1.200" -> "1200", "1.234,5" -> "1234.5", "0,5" -> "0.5", "7.4" stays
// "7.4" (a dot before fewer or more than three digits is a decimal point).
// Anything else comes back unchanged, for the checker to judge.
std::string number_from_italian(std::string_view typed);

// True for a number a case file reads as a decimal that Italian readers
// take for thousands: one dot before exactly three digits ("1.200" is 1,2
// in YAML, 1.200 to a person).
bool reads_as_thousands(std::string_view number);

}  // namespace bp
