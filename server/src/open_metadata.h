// What the open-library formats (OAI-PMH, JSON-LD, Atom, open data) say of
// a practice beyond its stored front matter: licence URLs, taxonomy labels,
// the library's own name.
#pragma once

#include <string>
#include <vector>

#include "bp/taxonomy.h"

namespace bp::server {

inline constexpr const char* kLibraryName = "Buone Pratiche – Reti solidali e competenti";
inline constexpr const char* kProgrammeName = "Reti solidali e competenti";
inline constexpr const char* kProgrammeFunder = "Ministero del Lavoro e delle Politiche sociali";

// The Creative Commons deed of a licence id of the case-file format
// ("CC-BY-4.0" -> "https://creativecommons.org/licenses/by/4.0/"), or ""
// for an unknown id.
std::string license_url(const std::string& id);

}  // namespace bp::server
