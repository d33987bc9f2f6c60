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

// A plain decimal number as written in a case file, for people:
// "6800" -> "6.800", "7.4" -> "7,4", "1320000" -> "1.320.000",
// "-0.25" -> "-0,25". Anything else ("oltre 300", "1e3", "1.500,5", "")
// comes back unchanged, so a page never shows less than the editor wrote.
std::string italian_number(std::string_view number);

}  // namespace bp
