// Italian labels and small view helpers shared by the staff pages.
#pragma once

#include <string>
#include <vector>

#include "bp/catalogue.h"
#include "bp/registration/store.h"
#include "bp/taxonomy.h"

namespace bp::registration::staff_view {

// What the staff see, and the audit log keeps, in place of an erased
// person's name or address.
inline constexpr const char* kErasedMark = "[dati cancellati]";

// "Nome Cognome", or kErasedMark once the person's data are erased.
inline std::string person_name(const Registration& r) {
  return r.erased_at.empty() ? r.first_name + " " + r.last_name : kErasedMark;
}

// "Moduli formativi", "Tutoraggio", … for a kind of activity.
std::string kind_label(const std::string& kind);
// "confermata", "in lista d'attesa", … for a registration status.
std::string status_label(const std::string& status);
// An age band as the registration form shows it ("più di 35 anni").
std::string age_band_label(const std::string& band);
// A declared role as the registration form shows it ("Volontaria/volontario").
std::string role_label(const std::string& role);
// Whether a staff search's words name the person of `r` as they give their
// name on the phone ("De Luca", "nicolo ferr"): every word of the query
// begins a word of the name (or of the parent's, for a child under 14),
// accents and capitals aside. Never an erased
// registration, nor a query with an "@" (an address).
bool person_named(const std::string& query, const Registration& r);
// A document of semicolon-separated cells for Italian spreadsheets: UTF-8
// BOM, CRLF lines, every cell through csv_cell.
std::string csv_document(const std::vector<std::vector<std::string>>& rows);

}  // namespace bp::registration::staff_view
