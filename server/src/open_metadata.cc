#include "open_metadata.h"

#include <cctype>

namespace bp::server {

std::string license_url(const std::string& id) {
  if (id == "CC0-1.0") return "https://creativecommons.org/publicdomain/zero/1.0/";
  // CC-<terms>-4.0 -> /licenses/<terms lower-case>/4.0/
  const std::string prefix = "CC-", suffix = "-4.0";
  if (id.size() <= prefix.size() + suffix.size() || id.rfind(prefix, 0) != 0 ||
      id.compare(id.size() - suffix.size(), suffix.size(), suffix) != 0)
    return "";
  std::string terms = id.substr(prefix.size(), id.size() - prefix.size() - suffix.size());
  for (char& c : terms) {
    if (!std::isalpha(static_cast<unsigned char>(c)) && c != '-') return "";
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return "https://creativecommons.org/licenses/" + terms + "/4.0/";
}

}  // namespace bp::server
