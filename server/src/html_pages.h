// Server-rendered HTML: the practice page (/pratiche/<slug>) and the error
// pages, in Italian. Everything from content is escaped; body_html comes
// from the engine already safe.
#pragma once

#include <string>

#include "bp/search.h"
#include "bp/taxonomy.h"

namespace bp::server {

// `base_url` is the absolute site root without a trailing slash, for the
// canonical link, Open Graph tags and the citation.
std::string render_practice_page(const PracticePage& page, const Taxonomy& taxonomy,
                                 const std::string& base_url);

// CSS giving each .badge-sdg.sdg-N its official colour from the taxonomy
// (the CSP forbids inline style attributes).
std::string render_sdg_stylesheet(const Taxonomy& taxonomy);

// The Italian error page: 404 ("pagina non trovata", with a link to the
// search) or any other status with a short explanation.
std::string render_error_page(int status);

}  // namespace bp::server
