#include "html_pages.h"

#include <iostream>
#include <nlohmann/json.hpp>

#include "bp/text.h"

namespace bp::registration::html {
namespace {

std::string esc(const std::string& s) { return text::html_escape(s); }

std::string status_label(const Registration& r) {
  if (r.status == "confirmed") return "confermata";
  if (r.status == "waitlisted") return "in lista d'attesa (posizione " + std::to_string(r.position) + ")";
  return "annullata";
}

}  // namespace

std::string field_label(const std::string& f) {
  static const std::pair<const char*, const char*> kLabels[] = {
      {"edition", "Edizione"}, {"first_name", "Nome"}, {"last_name", "Cognome"},
      {"email", "E-mail"}, {"organisation", "Ente o organizzazione"}, {"role", "Ruolo"},
      {"region", "Regione"}, {"age_band", "Fascia d'età"},
      {"guardian_consent", "Consenso del genitore o tutore"},
      {"guardian_name", "Nome del genitore o tutore"}, {"consent", "Informativa privacy"},
      {"privacy_version", "Versione dell'informativa"}, {"notes", "Note"},
      {"topic", "Argomento del tutoraggio"}, {"needs", "Bisogni"},
      {"idempotency_key", "Chiave della richiesta"}};
  for (const auto& [k, v] : kLabels)
    if (f == k) return v;
  return f;
}

namespace {

// A page of this module: registration pages are never indexed.
std::string render(const site::Pages& pages, const std::string& name, const nlohmann::json& view,
                   const std::string& title, std::vector<std::string> styles = {"/css/site.css"}) {
  site::Shell shell;
  shell.title = title;
  shell.section = "programma";
  shell.noindex = true;
  shell.styles = std::move(styles);
  auto html = pages.render(name, view, shell);
  if (html.ok()) return std::move(*html);
  std::cerr << "registration: " << html.status().message() << "\n";
  return "<!doctype html><html lang=\"it\"><meta charset=\"utf-8\"><title>" + esc(title) +
         "</title><h1>" + esc(title) + "</h1></html>\n";
}

}  // namespace

std::string message(const site::Pages& pages, const std::string& title, const std::string& text) {
  return render(pages, "message", {{"title", title}, {"text", text}, {"link", false}}, title);
}

std::string form_errors(const site::Pages& pages, const FieldErrors& errors) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [field, msg] : errors) list.push_back({{"label", field_label(field)}, {"message", msg}});
  return render(pages, "form_errors", {{"errors", std::move(list)}}, "Controlla i dati inseriti");
}

std::string registration(const site::Pages& pages, const Desk& desk, const Registration& r,
                         const std::string& token) {
  const Edition* e = desk.catalogue().edition(r.edition_id);
  const Activity* a = e ? desk.catalogue().activity_of(*e) : nullptr;
  const std::string q = "?token=" + token;
  nlohmann::json view = {
      {"status", status_label(r)},
      {"code", r.code},
      {"activity", a ? nlohmann::json(a->title) : nlohmann::json(false)},
      {"when", false},
      {"where", false},
      {"sessions_list", false},
      {"name", r.first_name + " " + r.last_name},
      {"email", r.email},
      {"ics_url", e ? nlohmann::json("/api/editions/" + e->id + ".ics") : nlohmann::json(false)},
      {"data_url", "/api/registrations/" + r.code + "/data" + q},
      {"certificate_url", r.attended && r.status == "confirmed" ? nlohmann::json("/attestato/" + r.code + q)
                                                                : nlohmann::json(false)},
      {"can_cancel", r.status != "cancelled"},
      {"cancel_action", "/api/registrations/" + r.code + "/cancel"},
      {"token", token}};
  if (e) {
    view["when"] = a && a->kind == "tutoraggio"
                       ? "su richiesta, fino " + italian_datetime_after("al", e->end_local)
                       : italian_datetime_after("dal", e->start_local) + " " + italian_datetime_after("al", e->end_local);
    view["where"] = e->city == "online" ? "online" : e->city;
  }
  return render(pages, "registration", view, "La tua iscrizione");
}

std::string certificate(const site::Pages& pages, const Desk& desk, const Registration& r) {
  const Edition* e = desk.catalogue().edition(r.edition_id);
  const Activity* a = e ? desk.catalogue().activity_of(*e) : nullptr;
  nlohmann::json view = {{"name", r.first_name + " " + r.last_name},
                         {"activity", a ? a->title : r.edition_id},
                         {"when", false},
                         {"code", r.code}};
  if (e)
    view["when"] = (e->city == "online" ? std::string("online") : e->city) + ", " +
                   italian_datetime_after("dal", e->start_local) + " " + italian_datetime_after("al", e->end_local);
  return render(pages, "certificate", view, "Attestato di partecipazione", {"/css/site.css", "/css/attestato.css"});
}

}  // namespace bp::registration::html
