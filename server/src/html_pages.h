// The views of the search module's pages (web/templates/): the practice page
// (/pratiche/<slug>), the static pages and the error pages, in Italian.
// Views are JSON objects; the templates escape every value, except a
// practice's body_html, which the engine made safe.
#pragma once

#include <string>

#include "bp/search.h"
#include "bp/site/pages.h"
#include "bp/taxonomy.h"

namespace bp::server {

// The view and shell of practice.mustache. `base_url` is the absolute site
// root without a trailing slash, for the canonical link, Open Graph tags and
// the citation. The shell's head data has "canonical" and "og" (with
// "image" and "image_alt" when the practice has a cover); the route adds the
// JSON-LD ("jsonld", linked_data.h).
nlohmann::json practice_view(const PracticePage& page, const Taxonomy& taxonomy,
                             const std::string& base_url);
site::Shell practice_shell(const PracticePage& page, const std::string& base_url);

// CSS giving each .badge-sdg.sdg-N its official colour from the taxonomy
// (the CSP forbids inline style attributes).
std::string render_sdg_stylesheet(const Taxonomy& taxonomy);

// The Italian error page for `status` (404 "pagina non trovata" with a link
// to the search, or a short explanation), from error.mustache; a plain
// fallback if the template cannot render. A non-empty `explanation` replaces
// the standard one (a route's own 413 message).
std::string render_error_page(const site::Pages& pages, int status, const std::string& explanation = "");

// At most `limit` bytes, cut at a code-point boundary, followed by `ellipsis`
// when cut.
std::string truncate_utf8(const std::string& s, std::size_t limit, const std::string& ellipsis = "…");

}  // namespace bp::server
