#include "staff_view.h"

#include <ctime>
#include <map>

#include "bp/civil_time.h"
#include "desk.h"

namespace bp::registration::staff_view {

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
