// Minimal HTML pages for people without JavaScript: the registration page,
// form errors and the attendance certificate. Styled by /css/site.css.
#pragma once

#include <string>

#include "desk.h"

namespace bp::registration::html {

// A whole document, never indexed (robots noindex). `extra_css` is the path
// of one more stylesheet ("" for none): pages carry no inline styles, as the
// server's Content-Security-Policy forbids them.
std::string page(const std::string& title, const std::string& body_html, const std::string& extra_css = "");
// A page with a heading and one paragraph (both escaped here).
std::string message(const std::string& title, const std::string& text);
// The list of field errors of a refused form.
std::string form_errors(const FieldErrors& errors);
// The person's page: status, details, cancel button, links.
std::string registration(const Desk& desk, const Registration& r, const std::string& token);
// Printable attendance certificate, styled by certificate_css().
std::string certificate(const Desk& desk, const Registration& r);
// The certificate's stylesheet (screen and print), served at kCertificateCss.
inline constexpr const char* kCertificateCss = "/attestato/attestato.css";
const char* certificate_css();

// Italian label of a form field ("first_name" -> "Nome").
std::string field_label(const std::string& field);

}  // namespace bp::registration::html
