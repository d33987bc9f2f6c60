// The parts of a practice's page that come from its full case file (the
// front matter the engine stored as PracticePage::json): key figures,
// status, transferability, licence and attribution, resources, contacts,
// tags, review date, cover, and the lesson sheet ("Scheda didattica") that
// the practice page and the shared collections both print.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "bp/taxonomy.h"
#include "open_metadata.h"

namespace bp::server {

// A vocabulary term's label for people: Taxonomy::label().

// "90" -> "1 ora e 30 minuti", "120" -> "2 ore", "45" -> "45 minuti"; "" for 0.
std::string italian_duration(int minutes);

// The view of web/templates/partials/sheet_body.mustache from the stored
// front matter, or false when the practice has no `didattica` block. The
// sheet's heading is an <h`heading`> (its parts one and two levels below);
// `id_suffix` keeps its id unique when a page shows several sheets.
nlohmann::json lesson_sheet_view(const nlohmann::json& metadata, const Taxonomy& taxonomy, int heading = 2,
                                 const std::string& id_suffix = "");

// The licence's short name ("CC BY 4.0") and the address of its Italian
// deed; the SPDX id itself and "" for an unknown licence.
struct LicenceInfo {
  std::string name;
  std::string deed_url;
};
LicenceInfo licence_info(const std::string& spdx);

// Every case-file field of the practice page beyond the summary and the
// metadata panel, as keys to merge into practice_view(): plain_words (the
// `in_parole_semplici` text), questions and has_questions (`domande`: the
// first three), more_questions, more_questions_label and has_more_questions
// (the rest, shown on request), key_figures, status, transferability, licence, attribution, resources, contacts, tags,
// reviewed, cover, lesson_sheet, qr_svg. Absent fields are false or empty
// lists, so the template prints no empty heading. `url` is the page's
// absolute address (attribution line and QR code).
nlohmann::json case_file_view(const nlohmann::json& metadata, const Taxonomy& taxonomy,
                              const std::string& url);

}  // namespace bp::server
