#include "staff_view.h"

#include <algorithm>
#include <ctime>
#include <map>

#include "bp/civil_time.h"
#include "bp/text.h"
#include "desk.h"

namespace bp::registration::staff_view {
namespace {

// The words of a name or of a query for one, folded ("Nicolò De Luca":
// "nicolo", "de", "luca"); none when the text has an "@" (an address).
std::vector<std::string> name_words(const std::string& text) {
  std::vector<std::string> out;
  if (text.find('@') != std::string::npos) return out;
  std::string word;
  for (const char c : text::fold_lower(text) + " ") {
    if (c == ' ' || c == '\'' || c == '-' || c == '.') {
      if (!word.empty()) out.push_back(std::move(word));
      word.clear();
    } else {
      word += c;
    }
  }
  return out;
}

}  // namespace

bool person_named(const std::string& query, const Registration& r) {
  const std::vector<std::string> words = name_words(query);
  if (words.empty() || !r.erased_at.empty()) return false;
  // The person's name, or the parent's who registered a child (the one who
  // phones).
  const auto matches = [&words](const std::string& full) {
    const std::vector<std::string> name = name_words(full);
    return std::all_of(words.begin(), words.end(), [&](const std::string& w) {
      return std::any_of(name.begin(), name.end(), [&](const std::string& n) { return n.rfind(w, 0) == 0; });
    });
  };
  return matches(r.first_name + " " + r.last_name) || (!r.guardian_name.empty() && matches(r.guardian_name));
}

std::string kind_label(const std::string& kind) {
  if (kind == "modulo") return "Moduli formativi";
  if (kind == "tutoraggio") return "Tutoraggio";
  if (kind == "residenza") return "Residenze";
  if (kind == "corso-docenti") return "Corso per docenti";
  return kind;
}

std::string status_label(const std::string& status) {
  if (status == "pending") return "da confermare";
  if (status == "confirmed") return "confermata";
  if (status == "waitlisted") return "in lista d'attesa";
  if (status == "cancelled") return "annullata";
  if (status == "expired") return "scaduta";
  return status;
}

std::string age_band_label(const std::string& band) { return choice_label(age_band_choices(), band); }

std::string role_label(const std::string& role) { return choice_label(role_choices(), role); }

std::string csv_document(const std::vector<std::vector<std::string>>& rows) {
  std::string out = "\xEF\xBB\xBF";
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) out += (i ? ";" : "") + csv_cell(row[i]);
    out += "\r\n";
  }
  return out;
}

}  // namespace bp::registration::staff_view
