// Minimal HTML pages for people without JavaScript: the registration page,
// form errors and the attendance certificate. Styled by /css/site.css.
#pragma once

#include <string>

#include "bp/registration/desk.h"

namespace bp::registration::html {

// A whole document, never indexed (robots noindex). `extra_css` is the path
// of one more stylesheet ("" for none): pages carry no inline styles, as the
// server's Content-Security-Policy forbids them.
std::string page(const std::string& title, const std::string& body_html, const std::string& extra_css = "");
// A page with a heading and one paragraph (both escaped here).
std::string message(const std::string& title, const std::string& text);
// The list of field errors of a refused form.
std::string form_errors(const FieldErrors& errors);
// The person's page: status (with what to do next), details, links, the
// link to cancel. `contact` names whom to ask ("" when not configured).
std::string registration(const Desk& desk, const Registration& r, const std::string& token,
                         const std::string& contact);
// Where the registration form lands (303): the code, what to do next
// (`next_step`, escaped here) and the link to the person's page.
std::string receipt(const Desk& desk, const Registration& r, const std::string& token,
                    const std::string& next_step);
// Opened from the confirmation e-mail: a button that POSTs the confirmation
// (a GET never confirms: mail scanners open links), or "already confirmed".
std::string confirm_form(const Desk& desk, const Registration& r, const std::string& confirm_token);
// After the confirmation.
std::string confirmed(const Desk& desk, const Registration& r);
// "Do you really want to cancel?" with the button that POSTs it.
std::string cancel_form(const Desk& desk, const Registration& r, const std::string& token);
// The form to ask for the personal links again by e-mail.
std::string resend_form();
// Printable attendance certificate, styled by certificate_css().
std::string certificate(const Desk& desk, const Registration& r);
// The certificate's stylesheet (screen and print), served at kCertificateCss.
inline constexpr const char* kCertificateCss = "/attestato/attestato.css";
const char* certificate_css();

// Italian label of a form field ("first_name" -> "Nome").
std::string field_label(const std::string& field);

}  // namespace bp::registration::html
