// The module's pages: views for the templates in web/templates/.
#include "html_pages.h"

#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>

#include "bp/civil_time.h"
#include "bp/italian_date.h"
#include "bp/text.h"
#include "personal_data_view.h"
#include "store_rules.h"

namespace bp::registration::html {
namespace {

using nlohmann::json;

std::string status_label(const Registration& r) {
  if (r.status == "confirmed") return "confermata";
  if (r.status == "pending") return "da confermare";
  if (r.status == "waitlisted") return "in lista d'attesa (posizione " + std::to_string(r.position) + ")";
  if (r.status == "expired") return "non confermata in tempo";
  return "annullata";
}

// "al 2 marzo 2027, ore 17:30 (ora italiana)" for a pending hold.
std::string hold_until(const Registration& r) {
  return italian_datetime_after("al", rome_local(r.hold_expires_at)) + " (ora italiana)";
}

// The edition's title line: "Activity title (hub, city)".
std::string edition_title(const Desk& desk, const Registration& r) {
  const Edition* e = desk.catalogue().edition(r.edition_id);
  const Activity* a = e ? desk.catalogue().activity_of(*e) : nullptr;
  if (!a) return r.edition_id;
  return a->title + " (" + edition_where(a, *e) + ")";
}

// Whether `a` has an edition other than `r`'s that has not ended: without
// one (a residency has one edition) there is nowhere to move to.
bool has_other_edition(const Desk& desk, const Activity& a, const Registration& r) {
  return std::any_of(a.editions.begin(), a.editions.end(),
                     [&](const Edition& e) { return e.id != r.edition_id && desk.now() < e.end_utc; });
}

std::string personal_path(const Registration& r, const std::string& token, const std::string& sub = "") {
  return "/iscrizione/" + r.code + sub + "?token=" + token;
}

// A page of this module: registration pages are never indexed.
std::string render(const site::Pages& pages, const std::string& name, const json& view,
                   const std::string& title, std::vector<std::string> styles = {"/css/site.css"}) {
  site::Shell shell;
  shell.title = title;
  shell.section = "programma";
  shell.noindex = true;
  shell.styles = std::move(styles);
  return render_page(pages, name, view, shell);
}

}  // namespace

std::string render_page(const site::Pages& pages, const std::string& name, const json& view,
                        const site::Shell& shell) {
  auto html = pages.render(name, view, shell);
  if (html.ok()) return std::move(*html);
  std::cerr << "registration: " << html.status().message() << "\n";
  return "<!doctype html><html lang=\"it\"><meta charset=\"utf-8\"><title>" + text::html_escape(shell.title) +
         "</title><h1>" + text::html_escape(shell.title) + "</h1></html>\n";
}

namespace {

// The registration form's fields with their labels, in the form's order
// (web/templates/programme.mustache), then those the form does not show.
constexpr std::pair<const char*, const char*> kFieldLabels[] = {{"edition", "Edizione"},
                                                                {"topic", "Argomento del tutoraggio"},
                                                                {"needs", "Bisogni"},
                                                                {"first_name", "Nome"},
                                                                {"last_name", "Cognome"},
                                                                {"email", "E-mail"},
                                                                {"organisation", "Ente o organizzazione"},
                                                                {"role", "Ruolo"},
                                                                {"region", "Regione"},
                                                                {"age_band", "Fascia d'età"},
                                                                {"guardian_name", "Nome del genitore o tutore"},
                                                                {"guardian_consent", "Consenso del genitore o tutore"},
                                                                {"notes", "Note"},
                                                                {"consent", "Informativa privacy"},
                                                                {"privacy_version", "Versione dell'informativa"},
                                                                {"idempotency_key", "Chiave della richiesta"}};

// Where `f` comes in the form (unknown fields after the known ones).
std::size_t field_rank(const std::string& f) {
  std::size_t i = 0;
  for (const auto& [k, v] : kFieldLabels) {
    if (f == k) return i;
    ++i;
  }
  return i;
}

}  // namespace

std::string field_label(const std::string& f) {
  for (const auto& [k, v] : kFieldLabels)
    if (f == k) return v;
  return f;
}

namespace {

std::string message_in(const site::Pages& pages, const std::string& section, const std::string& title,
                       const std::string& text, const std::string& href, const std::string& label) {
  // The module's messages are written for answers ("iscrizione non trovata
  // o link non valido"); on a page the paragraph is a sentence.
  const std::string sentence = text::sentence(text);
  json link = false;
  if (!href.empty()) link = {{"href", href}, {"label", label}};
  site::Shell shell;
  shell.title = title;
  shell.section = section;
  shell.noindex = true;
  shell.styles = {"/css/site.css"};
  return render_page(pages, "message", {{"title", title}, {"text", sentence}, {"link", link}}, shell);
}

}  // namespace

std::string message(const site::Pages& pages, const std::string& title, const std::string& text,
                    const std::string& href, const std::string& label) {
  return message_in(pages, "programma", title, text, href, label);
}

std::string proposal_message(const site::Pages& pages, const std::string& title, const std::string& text,
                             const std::string& href, const std::string& label) {
  return message_in(pages, "proponi", title, text, href, label);
}

std::string form_errors(const site::Pages& pages, const Catalogue& catalogue, const FieldErrors& errors,
                        const std::string& edition) {
  // In the order of the form's fields, as a person reads it top to bottom
  // (FieldErrors is sorted by key: "consent" would come before "edition").
  std::vector<std::pair<std::string, std::string>> ordered(errors.begin(), errors.end());
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const auto& a, const auto& b) { return field_rank(a.first) < field_rank(b.first); });
  json list = json::array();
  for (const auto& [field, msg] : ordered) list.push_back({{"label", field_label(field)}, {"message", msg}});
  // The way back to the form keeps at least the edition chosen (Back keeps
  // everything, as the page says first).
  const bool known = !edition.empty() && errors.count("edition") == 0;
  return render(pages, "form_errors",
                {{"errors", std::move(list)}, {"form_href", form_path(catalogue, known ? edition : std::string())}},
                "Controlla i dati inseriti");
}

std::string if_unconfirmed(const Desk& desk, const Registration& r) {
  const Edition* e = desk.catalogue().edition(r.edition_id);
  const Activity* a = e ? desk.catalogue().activity_of(*e) : nullptr;
  if (a && a->kind == "tutoraggio") return "Senza conferma la richiesta decade e andrà inviata di nuovo.";
  return "Senza conferma il posto passa alla persona successiva.";
}

std::string registration(const site::Pages& pages, const Desk& desk, const Registration& r, const std::string& token,
                         const std::string& contact, const std::string& moved_from) {
  const Edition* e = desk.catalogue().edition(r.edition_id);
  const Activity* a = e ? desk.catalogue().activity_of(*e) : nullptr;
  const std::string q = "?token=" + token;
  const std::string refusal = desk.cancel_refusal(r);
  // Each meeting with its place and, for a confirmed person (links_for),
  // its link: the page has what the reminder says, for a lost e-mail.
  json sessions = json::array();
  const bool seat = e && links_for(r.status);
  bool details = false;
  if (e)
    for (const auto& session : e->sessions) details |= !session.place.empty() || (seat && !session.online_url.empty());
  if (e && (e->sessions.size() > 1 || details))
    for (const auto& session : e->sessions)
      sessions.push_back({{"text", format_session(session)},
                          {"place", session.place},
                          {"url", seat ? session.online_url : std::string()}});
  json view = {
      {"pending", r.status == "pending"},
      {"hold_until", r.status == "pending" ? italian_datetime_after("il", rome_local(r.hold_expires_at)) : ""},
      {"if_unconfirmed", if_unconfirmed(desk, r)},
      {"cancelled", r.status == "cancelled"},
      {"expired", r.status == "expired"},
      {"edition_id", r.edition_id},
      {"contact", contact.empty() ? json(false) : json(contact)},
      {"status", status_label(r)},
      {"code", r.code},
      {"activity", a ? json(a->title) : json(false)},
      {"when", false},
      {"where", false},
      {"sessions_list", !sessions.empty()},
      {"sessions", sessions},
      {"name", r.first_name + " " + r.last_name},
      {"email", r.email},
      // A tutoring request: what was asked, as sent.
      {"topic", a && !r.topic.empty() ? json(Catalogue::topic_label(*a, r.topic)) : json(false)},
      {"needs", r.needs.empty() ? json(false) : json(r.needs)},
      {"ics_url", e && calendar_for(*e, r.status) ? json(calendar_path(r)) : json(false)},
      {"data_url", "/api/registrations/" + r.code + "/data" + q},
      {"data_page_url", personal_path(r, token, "/dati")},
      {"certificate_url", r.attended && r.status == "confirmed" ? json("/attestato/" + r.code + q) : json(false)},
      {"can_cancel", is_active(r.status) && refusal.empty()},
      {"cancel_refused", refusal.empty() ? json(false) : json(text::sentence(refusal))},
      // Another date or hub of the same course with a seat: the person
      // moves by themselves (a move takes only a free seat, never one
      // someone waits for, and gives theirs to the first waiting); else
      // the staff can (the code stays).
      {"change_url", desk.own_move_targets(r).empty() ? json(false) : json(personal_path(r, token, "/cambia"))},
      {"moved_from", moved_from.empty() ? json(false) : json(moved_from)},
      {"can_ask_move", (r.status == "confirmed" || r.status == "waitlisted") && refusal.empty() && a &&
                           a->kind != "tutoraggio" && !contact.empty() && has_other_edition(desk, *a, r)},
      // A name or an address written wrong: the staff correct it (and send
      // the links again to a corrected address).
      {"can_ask_correction", is_active(r.status) && r.erased_at.empty() && !contact.empty()},
      {"cancel_url", personal_path(r, token, "/annulla")}};
  if (e) {
    if (a) view["when"] = edition_when(*a, *e);
    view["where"] = edition_where(a, *e);
  }
  return render(pages, "registration", view, "La tua iscrizione");
}

std::string personal_data(const site::Pages& pages, const Desk& desk, const Registration& r, const std::string& token,
                          const json& data, const std::string& contact) {
  return render(pages, "personal_data",
                {{"sections", json::array({personal_data_section(desk, data)})},
                 {"contact", contact.empty() ? json(false) : json(contact)},
                 {"back_url", personal_path(r, token)},
                 {"json_url", "/api/registrations/" + r.code + "/data?token=" + token}},
                "I tuoi dati");
}

std::string receipt(const site::Pages& pages, const Desk& desk, const Registration& r,
                    const std::string& token, const std::string& next_step) {
  const Edition* e = desk.catalogue().edition(r.edition_id);
  const Activity* a = e ? desk.catalogue().activity_of(*e) : nullptr;
  return render(pages, "receipt",
                {{"next_step", next_step},
                 {"edition_title", edition_title(desk, r)},
                 {"when", e && a ? json(edition_when(*a, *e)) : json(false)},
                 {"status", status_label(r)},
                 {"code", r.code},
                 {"personal_url", personal_path(r, token)}},
                "Richiesta ricevuta");
}

std::string confirm_form(const site::Pages& pages, const Desk& desk, const Registration& r,
                         const std::string& confirm_token) {
  const bool already = r.status == "confirmed";
  const bool lapsed = r.status == "expired";
  return render(pages, "confirm",
                {{"already", already},
                 {"lapsed", lapsed},
                 {"edition_title", edition_title(desk, r)},
                 {"hold_until", lapsed ? "" : hold_until(r)},
                 {"action", "/iscrizione/" + r.code + "/conferma"},
                 {"token", confirm_token}},
                already ? "Iscrizione già confermata" : "Conferma la tua iscrizione");
}

std::string confirmed(const site::Pages& pages, const Desk& desk, const Registration& r) {
  return render(pages, "confirmed", {{"edition_title", edition_title(desk, r)}, {"code", r.code}},
                "Iscrizione confermata");
}

std::string cancel_form(const site::Pages& pages, const Desk& desk, const Registration& r, const std::string& token,
                        const std::string& contact) {
  const bool inactive = r.status == "cancelled" || r.status == "expired";
  const std::string refusal = inactive ? "" : desk.cancel_refusal(r);
  return render(pages, "cancel",
                {{"inactive", inactive},
                 {"refused", refusal.empty() ? json(false) : json(text::sentence(refusal))},
                 {"can_cancel", !inactive && refusal.empty()},
                 {"contact", contact.empty() ? json(false) : json(contact)},
                 {"edition_title", edition_title(desk, r)},
                 {"code", r.code},
                 {"action", "/api/registrations/" + r.code + "/cancel"},
                 {"token", token},
                 {"personal_url", personal_path(r, token)}},
                inactive          ? "Iscrizione già annullata"
                : refusal.empty() ? "Vuoi annullare l'iscrizione?"
                                  : "L'iscrizione non si annulla più");
}

std::string change_form(const site::Pages& pages, const Desk& desk, const Registration& r, const std::string& token,
                        const std::vector<EditionCounts>& counts, const std::string& error) {
  const Edition* e = desk.catalogue().edition(r.edition_id);
  const Activity* a = e ? desk.catalogue().activity_of(*e) : nullptr;
  json choices = json::array();
  bool any = false;
  for (const Edition* to : desk.own_move_targets(r)) {
    int free = 0;
    bool paused = false;
    for (const auto& c : counts)
      if (c.edition_id == to->id) free = std::max(0, c.capacity - c.taken), paused = !c.paused_at.empty();
    if (paused) continue;  // the programme does not offer it either
    any = any || free > 0;
    choices.push_back({{"id", to->id},
                       {"label", edition_choice_label(desk.taxonomy(), a, *to)},
                       {"free", free > 0},
                       {"seats", free > 0 ? text::count_noun(free, "posto libero", "posti liberi") : "al completo"}});
  }
  return render(pages, "change",
                {{"edition_title", edition_title(desk, r)},
                 {"when", e && a ? json(edition_when(*a, *e)) : json(false)},
                 {"waiting", r.status == "waitlisted"},
                 {"choices", choices},
                 {"any", any},
                 {"error", error.empty() ? json(false) : json(error)},
                 {"code", r.code},
                 {"action", "/api/registrations/" + r.code + "/move"},
                 {"token", token},
                 {"personal_url", personal_path(r, token)}},
                "Cambia edizione");
}

namespace {

// The resend form's field: the address as typed and, after a refusal, the
// reason beside it.
json resend_field(const std::string& email, const std::string& error) {
  const std::string sentence = text::capitalised(error);
  return {{"email", email}, {"error", sentence.empty() ? json(false) : json(sentence)}};
}

}  // namespace

std::string resend_form(const site::Pages& pages, const std::string& email, const std::string& error) {
  const std::string heading = "Hai perso il link della tua iscrizione?";
  return render(pages, "resend",
                {{"heading", heading},
                 {"field", resend_field(email, error)},
                 {"intro",
                  "Scrivi l'indirizzo e-mail con cui ti sei iscritta o iscritto: ti invieremo di nuovo i link "
                  "personali di tutte le tue iscrizioni attive. I link vecchi smetteranno di funzionare."},
                 {"action", "/api/registrations/resend"}},
                error.empty() ? heading : "Errore: " + heading);
}

std::string proposal_resend_form(const site::Pages& pages, const std::string& email, const std::string& error) {
  site::Shell shell;
  shell.title =
      error.empty() ? "Hai perso il link della tua proposta?" : "Errore: hai perso il link della tua proposta?";
  shell.section = "proponi";  // the menu shows where the person is: proposals
  shell.noindex = true;
  shell.styles = {"/css/site.css"};
  return render_page(pages, "resend",
                     {{"heading", "Hai perso il link della tua proposta?"},
                      {"field", resend_field(email, error)},
                      {"intro",
                       "Scrivi l'indirizzo e-mail da cui hai inviato la proposta: ti invieremo di nuovo i "
                       "link personali di tutte le tue proposte, per seguirne lo stato, leggere i commenti "
                       "della redazione e modificarle. I link vecchi smetteranno di funzionare."},
                      {"action", "/api/proposals/resend"}},
                     shell);
}

std::string certificate(const site::Pages& pages, const Desk& desk, const Registration& r) {
  const Edition* e = desk.catalogue().edition(r.edition_id);
  const Activity* a = e ? desk.catalogue().activity_of(*e) : nullptr;
  json view = {{"name", r.first_name + " " + r.last_name},
               {"activity", a ? a->title : r.edition_id},
               {"when", false},
               {"code", r.code}};
  if (e)
    view["when"] = edition_where(a, *e) + ", " + italian_datetime_after("dal", e->start_local) + " " +
                   italian_datetime_after("al", e->end_local);
  return render(pages, "certificate", view, "Attestato di partecipazione", {"/css/site.css", "/css/attestato.css"});
}

}  // namespace bp::registration::html
