// The module's HTML pages for people without JavaScript, rendered from the
// shared templates (web/templates/: message, form_errors, registration,
// certificate): form errors, the person's registration page and the
// attendance certificate. Never indexed (robots noindex).
#pragma once

#include <string>

#include "bp/registration/desk.h"
#include "bp/site/pages.h"

namespace bp::registration::html {

// A page with a heading and one paragraph.
std::string message(const site::Pages& pages, const std::string& title, const std::string& text);
// The list of field errors of a refused form.
std::string form_errors(const site::Pages& pages, const FieldErrors& errors);
// The person's page: status, details, cancel button, links.
std::string registration(const site::Pages& pages, const Desk& desk, const Registration& r,
                         const std::string& token);
// Printable attendance certificate (styled by /css/attestato.css).
std::string certificate(const site::Pages& pages, const Desk& desk, const Registration& r);

// Italian label of a form field ("first_name" -> "Nome").
std::string field_label(const std::string& field);

}  // namespace bp::registration::html
