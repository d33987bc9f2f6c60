#include "personal_data_view.h"

#include <set>

#include "bp/civil_time.h"
#include "bp/text.h"
#include "staff_view.h"

namespace bp::registration {
namespace {

using nlohmann::json;

std::string string_of(const json& data, const char* key) {
  auto it = data.find(key);
  return it != data.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string yes_no(bool b) { return b ? "sì" : "no"; }

// A stored UTC time as the back office writes it ("12/03/2026 14:05").
std::string when(const std::string& utc) { return rome_short(utc); }

}  // namespace

json personal_data_section(const Desk& desk, const json& data) {
  json rows = json::array();
  std::set<std::string> shown;
  auto row = [&](const char* key, const std::string& label, const std::string& value) {
    shown.insert(key);
    if (!value.empty()) rows.push_back({{"label", label}, {"value", value}});
  };
  const std::string code = string_of(data, "code");
  const std::string status = string_of(data, "status");
  std::string activity_title, activity_kind;
  if (auto a = data.find("activity"); a != data.end() && a->is_object()) {
    activity_title = string_of(*a, "title");
    activity_kind = string_of(*a, "kind");
  }
  row("activity", "Attività",
      activity_title.empty() ? std::string() : activity_title + " (" + staff_view::kind_label(activity_kind) + ")");
  row("edition", "Edizione", string_of(data, "edition"));
  // When and where, as the person's page says them (the file's edition
  // details: its hub, city, dates and meetings).
  shown.insert("edition_details");
  const Edition* edition = desk.catalogue().edition(string_of(data, "edition"));
  const Activity* activity = edition ? desk.catalogue().activity_of(*edition) : nullptr;
  if (activity) {
    rows.push_back({{"label", "Quando"}, {"value", edition_when(*activity, *edition)}});
    rows.push_back({{"label", "Dove"}, {"value", edition_where(activity, *edition)}});
  }
  row("code", "Codice dell'iscrizione", code);
  row("status", "Stato", text::capitalised(staff_view::status_label(status)));
  if (auto p = data.find("position"); p != data.end() && p->is_number())
    row("position", "Posto in lista d'attesa", std::to_string(p->get<long long>()) + "°");
  row("created_at", "Iscrizione ricevuta il", when(string_of(data, "created_at")));
  row("hold_expires_at", "Da confermare entro il", when(string_of(data, "hold_expires_at")));
  row("confirmed_at", "Confermata il", when(string_of(data, "confirmed_at")));
  row("promoted_at", "Passata dalla lista d'attesa ai posti il", when(string_of(data, "promoted_at")));
  row("expired_at", "Scaduta (non confermata in tempo) il", when(string_of(data, "expired_at")));
  row("cancelled_at", "Annullata il", when(string_of(data, "cancelled_at")));
  if (auto a = data.find("attended"); a != data.end() && a->is_boolean())
    row("attended", "Presenza registrata", yes_no(a->get<bool>()));
  row("first_name", "Nome", string_of(data, "first_name"));
  row("last_name", "Cognome", string_of(data, "last_name"));
  row("email", "Indirizzo e-mail", string_of(data, "email"));
  row("organisation", "Ente od organizzazione", string_of(data, "organisation"));
  const std::string role = string_of(data, "role");
  row("role", "Ruolo", role.empty() ? role : staff_view::role_label(role));
  const std::string region = string_of(data, "region");
  row("region", "Regione", region.empty() ? region : desk.taxonomy().label("region", region));
  const std::string band = string_of(data, "age_band");
  row("age_band", "Età", band.empty() ? band : staff_view::age_band_label(band));
  std::string topic = string_of(data, "topic");
  if (!topic.empty() && activity) topic = Catalogue::topic_label(*activity, topic);
  row("topic", "Argomento richiesto", topic);
  row("needs", "Cosa hai chiesto", string_of(data, "needs"));
  row("notes", "Note per chi organizza", string_of(data, "notes"));
  row("guardian_name", "Genitore o tutore", string_of(data, "guardian_name"));
  if (auto g = data.find("guardian_consent");
      g != data.end() && g->is_boolean() && !string_of(data, "guardian_name").empty())
    row("guardian_consent", "Consenso del genitore o tutore", yes_no(g->get<bool>()));
  shown.insert("guardian_consent");
  if (auto c = data.find("consent"); c != data.end() && c->is_object()) {
    std::string value = c->value("given", false) ? "dato" : "non dato";
    if (const std::string at = when(string_of(*c, "at")); !at.empty()) value += " il " + at;
    if (const std::string version = string_of(*c, "privacy_version"); !version.empty())
      value += " (informativa versione " + version + ")";
    row("consent", "Consenso al trattamento dei dati", value);
  }
  json messages = json::array();
  shown.insert("messages");
  if (auto ms = data.find("messages"); ms != data.end() && ms->is_array())
    for (const json& m : *ms) {
      const std::string delivered = when(string_of(m, "delivered_at"));
      messages.push_back({{"when", when(string_of(m, "created_at"))},
                          {"to", string_of(m, "to")},
                          {"subject", string_of(m, "subject")},
                          {"delivered", delivered.empty() ? "non ancora consegnato" : "consegnato il " + delivered},
                          {"body", string_of(m, "body").empty() && !delivered.empty()
                                       ? "(testo cancellato dopo l'invio, come dice l'informativa)"
                                       : string_of(m, "body")}});
    }
  json tutoring = false;
  shown.insert("tutoring");
  if (auto t = data.find("tutoring"); t != data.end() && t->is_object()) {
    json trows = json::array();
    auto add = [&](const std::string& label, const std::string& value) {
      if (!value.empty()) trows.push_back({{"label", label}, {"value", value}});
    };
    add("Stato della richiesta", text::capitalised(string_of(*t, "state")));
    add("Chi la segue", string_of(*t, "assignee"));
    add("Note di chi la segue", string_of(*t, "notes"));
    add("Aggiornata il", when(string_of(*t, "updated_at")));
    tutoring = {{"rows", trows}};
  }
  json staff_notes = json::array();
  shown.insert("staff_notes");
  if (auto ns = data.find("staff_notes"); ns != data.end() && ns->is_array())
    for (const json& n : *ns)
      staff_notes.push_back({{"when", when(string_of(n, "written_at"))},
                             {"author", string_of(n, "author")},
                             {"text", string_of(n, "text")}});
  // Never a field left out: one this function does not know is shown as
  // exported, under its key.
  json unlabelled = json::array();
  for (const auto& [key, value] : data.items()) {
    if (shown.count(key) != 0) continue;
    unlabelled.push_back(key);
    if (!value.is_null())
      rows.push_back({{"label", key}, {"value", value.is_string() ? value.get<std::string>() : value.dump()}});
  }
  std::string heading = "Iscrizione " + code;
  if (!activity_title.empty()) heading += ": " + activity_title;
  return {{"heading", heading},
          {"rows", rows},
          {"messages", messages},
          {"has_messages", !messages.empty()},
          {"tutoring", tutoring},
          {"staff_notes", staff_notes},
          {"has_staff_notes", !staff_notes.empty()},
          {"unlabelled", unlabelled}};
}

}  // namespace bp::registration
