#include "html_pages.h"

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

std::string page(const std::string& title, const std::string& body, const std::string& extra_css) {
  return "<!DOCTYPE html>\n<html lang=\"it\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<meta name=\"robots\" content=\"noindex, nofollow\">\n"
         "<meta name=\"referrer\" content=\"no-referrer\">\n"
         "<title>" + esc(title) + " · Reti solidali e competenti</title>\n"
         "<link rel=\"stylesheet\" href=\"/css/site.css\">\n" +
         (extra_css.empty() ? std::string() : "<link rel=\"stylesheet\" href=\"" + esc(extra_css) + "\">\n") +
         "</head>\n<body>\n<main class=\"registration\">\n" +
         body + "\n<p><a href=\"/\">Torna al sito</a></p>\n</main>\n</body>\n</html>\n";
}

std::string message(const std::string& title, const std::string& text) {
  return page(title, "<h1>" + esc(title) + "</h1>\n<p>" + esc(text) + "</p>");
}

std::string form_errors(const FieldErrors& errors) {
  std::string body =
      "<h1>Controlla i dati inseriti</h1>\n<p>L'iscrizione non è stata registrata. Torna al modulo con il "
      "tasto «Indietro» del browser e correggi:</p>\n<ul class=\"field-errors\">\n";
  for (const auto& [field, msg] : errors)
    body += "<li><strong>" + esc(field_label(field)) + "</strong>: " + esc(msg) + "</li>\n";
  body += "</ul>";
  return page("Controlla i dati inseriti", body);
}

std::string registration(const Desk& desk, const Registration& r, const std::string& token) {
  const Edition* e = desk.catalogue().edition(r.edition_id);
  const Activity* a = e ? desk.catalogue().activity_of(*e) : nullptr;
  const std::string q = "?token=" + esc(token);
  std::string b = "<h1>La tua iscrizione</h1>\n<dl class=\"registration-details\">\n";
  b += "<dt>Stato</dt><dd>" + esc(status_label(r)) + "</dd>\n";
  b += "<dt>Codice</dt><dd><code>" + esc(r.code) + "</code></dd>\n";
  if (a) b += "<dt>Attività</dt><dd>" + esc(a->title) + "</dd>\n";
  if (e) {
    b += "<dt>Quando</dt><dd>" +
         esc(a && a->kind == "tutoraggio"
                 ? "su richiesta, fino " + italian_datetime_after("al", e->end_local)
                 : italian_datetime_after("dal", e->start_local) + " " + italian_datetime_after("al", e->end_local)) +
         "</dd>\n";
    b += "<dt>Dove</dt><dd>" + esc(e->city == "online" ? "online" : e->city) + "</dd>\n";
  }
  b += "<dt>Nome</dt><dd>" + esc(r.first_name + " " + r.last_name) + "</dd>\n";
  b += "<dt>E-mail</dt><dd>" + esc(r.email) + "</dd>\n</dl>\n";
  b += "<p>Conserva questa pagina: il suo indirizzo è personale, non condividerlo.</p>\n<ul class=\"registration-links\">\n";
  if (e) b += "<li><a href=\"/api/editions/" + esc(e->id) + ".ics\">Aggiungi al calendario (.ics)</a></li>\n";
  b += "<li><a href=\"/api/registrations/" + esc(r.code) + "/data" + q + "\">Scarica i tuoi dati (JSON)</a></li>\n";
  if (r.attended && r.status == "confirmed")
    b += "<li><a href=\"/attestato/" + esc(r.code) + q + "\">Attestato di partecipazione</a></li>\n";
  b += "</ul>\n";
  if (r.status != "cancelled") {
    b += "<form method=\"post\" action=\"/api/registrations/" + esc(r.code) + "/cancel\">\n"
         "<input type=\"hidden\" name=\"token\" value=\"" + esc(token) + "\">\n"
         "<button type=\"submit\">Annulla l'iscrizione</button>\n</form>\n";
  }
  return page("La tua iscrizione", b);
}

std::string certificate(const Desk& desk, const Registration& r) {
  const Edition* e = desk.catalogue().edition(r.edition_id);
  const Activity* a = e ? desk.catalogue().activity_of(*e) : nullptr;
  std::string b =
      "<article class=\"certificate\">\n<p>Programma «Reti solidali e competenti»</p>\n"
      "<h1>Attestato di partecipazione</h1>\n<p>Si attesta che</p>\n<p class=\"name\"><strong>" +
      esc(r.first_name + " " + r.last_name) + "</strong></p>\n<p>ha partecipato a</p>\n<p><strong>" +
      esc(a ? a->title : r.edition_id) + "</strong></p>\n";
  if (e) {
    b += "<p>" + esc((e->city == "online" ? std::string("online") : e->city) + ", " +
                     italian_datetime_after("dal", e->start_local) + " " + italian_datetime_after("al", e->end_local)) +
         "</p>\n";
  }
  b += "<p class=\"code\">Codice di verifica: " + esc(r.code) + "</p>\n</article>\n"
       "<p class=\"no-print\">Usa la funzione «Stampa» del browser per stamparlo o salvarlo in PDF.</p>";
  return page("Attestato di partecipazione", b, kCertificateCss);
}

const char* certificate_css() {
  return ".certificate{max-width:42rem;margin:2rem auto;padding:2.5rem;border:3px double #333;"
         "text-align:center;font-family:Georgia,serif}\n"
         ".certificate h1{font-size:2rem}\n"
         "@media print{body *{visibility:hidden}.certificate,.certificate *{visibility:visible}"
         ".certificate{position:absolute;left:0;top:0;width:100%;border:none;margin:0}"
         ".no-print{display:none}@page{size:A4;margin:2cm}}\n";
}

}  // namespace bp::registration::html
