// The readable copy of what is kept about a person (GDPR art. 15), in
// Italian: the same data as the JSON export, labelled and written as
// people read them, for the person's page (/iscrizione/:code/dati) and the
// staff's (/staff/persone/:code/dati/pagina). Both render the partial
// personal_data_sections.mustache.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "desk.h"

namespace bp::registration {

// One registration's section of the copy from its export (`data`: a
// personal_data_json() object, with the staff's "tutoring" and
// "staff_notes" when the staff export it): {heading, rows [{label,
// value}], messages [{when, to, subject, delivered, body}], has_messages,
// tutoring {rows} or false, staff_notes [{when, author, text}],
// has_staff_notes}. A field of the export this function does not know is
// still shown, under its key, and listed in "unlabelled" (empty when every
// field has its Italian label): the copy never leaves a field out.
nlohmann::json personal_data_section(const Desk& desk, const nlohmann::json& data);

}  // namespace bp::registration
