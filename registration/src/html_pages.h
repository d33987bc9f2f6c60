// The module's HTML pages for people without JavaScript, rendered from the
// shared templates (web/templates/: message, form_errors, registration,
// certificate): form errors, the person's registration page and the
// attendance certificate. Never indexed (robots noindex).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "desk.h"
#include "bp/site/pages.h"

namespace bp::registration::html {

// Template `name` in the layout with `shell`; a plain page with the title
// when the template cannot render (the cause goes to stderr).
std::string render_page(const site::Pages& pages, const std::string& name, const nlohmann::json& view,
                        const site::Shell& shell);

// A page with a heading and one paragraph, and a link to what to do next
// when `href` is given.
std::string message(const site::Pages& pages, const std::string& title, const std::string& text,
                    const std::string& href = "", const std::string& label = "");
// The same page for a proposer: the menu shows the proposals' section.
std::string proposal_message(const site::Pages& pages, const std::string& title, const std::string& text,
                             const std::string& href = "", const std::string& label = "");
// The list of field errors of a refused form.
// `edition`: the catalogue's edition sent, for the link back to the form.
std::string form_errors(const site::Pages& pages, const Catalogue& catalogue, const FieldErrors& errors,
                        const std::string& edition = "");
// The person's page: status (with what to do next), details, links, the
// link to cancel. `contact` names whom to ask ("" when not configured).
// What becomes of `r` if it is not confirmed in time, in Italian: a seat
// goes to the next person; a tutoring request is dropped.
std::string if_unconfirmed(const Desk& desk, const Registration& r);

// `moved_from`: the edition the person just left by «Cambia edizione»
// (the page says so); "" otherwise.
std::string registration(const site::Pages& pages, const Desk& desk, const Registration& r, const std::string& token,
                         const std::string& contact, const std::string& moved_from = "");
// «Cambia edizione»: the editions the person may move to by themselves
// (Desk::own_move_targets), each with its free seats from `counts`, and the
// form that POSTs the move; `error`, the refusal of a POST, above them.
std::string change_form(const site::Pages& pages, const Desk& desk, const Registration& r, const std::string& token,
                        const std::vector<EditionCounts>& counts, const std::string& error = "");
// "I tuoi dati": what is kept about the registration (`data`, its
// personal_data_json()), in Italian, printable, with the link to the same
// data as JSON, and whom to write to correct or erase them (`contact`, the
// controller's line; "" when not configured: the privacy notice then).
std::string personal_data(const site::Pages& pages, const Desk& desk, const Registration& r, const std::string& token,
                          const nlohmann::json& data, const std::string& contact);
// Where the registration form lands (303): the code, what to do next and the
// link to the person's page.
std::string receipt(const site::Pages& pages, const Desk& desk, const Registration& r,
                    const std::string& token, const std::string& next_step);
// Opened from the confirmation e-mail: a button that POSTs the confirmation
// (a GET never confirms: mail scanners open links), or "already confirmed".
std::string confirm_form(const site::Pages& pages, const Desk& desk, const Registration& r,
                         const std::string& confirm_token);
// After the confirmation.
std::string confirmed(const site::Pages& pages, const Desk& desk, const Registration& r);
// "Do you really want to cancel?" with the button that POSTs it; or why it
// cannot be cancelled any more (Desk::cancel_refusal), with `contact` (the
// controller's line, "" when not configured) to write to instead.
std::string cancel_form(const site::Pages& pages, const Desk& desk, const Registration& r, const std::string& token,
                        const std::string& contact);
// The forms to ask for the personal links again by e-mail: of one's
// registrations, of one's proposals (one template, resend.mustache).
// The forms asking for new personal links; after a refusal, with the
// address as typed and `error` beside it.
std::string resend_form(const site::Pages& pages, const std::string& email = "", const std::string& error = "");
std::string proposal_resend_form(const site::Pages& pages, const std::string& email = "",
                                 const std::string& error = "");
// Printable attendance certificate (styled by /css/attestato.css).
std::string certificate(const site::Pages& pages, const Desk& desk, const Registration& r);

// Italian label of a form field ("first_name" -> "Nome").
std::string field_label(const std::string& field);

}  // namespace bp::registration::html
