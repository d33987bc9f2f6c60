#include "html_pages.h"

#include "bp/text.h"

namespace bp::registration::html {
namespace {

std::string esc(const std::string& s) { return text::html_escape(s); }

std::string status_label(const Registration& r) {
  if (r.status == "confirmed") return "confermata";
  if (r.status == "pending") return "da confermare";
  if (r.status == "waitlisted") return "in lista d'attesa (posizione " + std::to_string(r.position) + ")";
  if (r.status == "expired") return "non confermata in tempo";
  return "annullata";
}

// "fino al 2 marzo 2027, ore 17:30 (ora italiana)" for a pending hold.
std::string hold_until(const Registration& r) {
  return italian_datetime_after("al", rome_local(r.hold_expires_at)) + " (ora italiana)";
}

// The edition's title line: "Activity title (hub, city)".
std::string edition_title(const Desk& desk, const Registration& r) {
  const Edition* e = desk.catalogue().edition(r.edition_id);
  const Activity* a = e ? desk.catalogue().activity_of(*e) : nullptr;
  if (!a) return r.edition_id;
  return a->title + " (" + (e->city == "online" ? std::string("online") : e->city) + ")";
}

std::string personal_path(const Registration& r, const std::string& token, const std::string& sub = "") {
  return "/iscrizione/" + r.code + sub + "?token=" + token;
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

std::string registration(const Desk& desk, const Registration& r, const std::string& token,
                         const std::string& contact) {
  const Edition* e = desk.catalogue().edition(r.edition_id);
  const Activity* a = e ? desk.catalogue().activity_of(*e) : nullptr;
  const std::string q = "?token=" + esc(token);
  std::string b = "<h1>La tua iscrizione</h1>\n";
  if (r.status == "pending")
    b += "<p class=\"notice warn\">L'iscrizione non è ancora confermata: apri il link che ti abbiamo inviato "
         "per e-mail e premi «Conferma l'iscrizione» entro " + esc(italian_datetime_after("il", rome_local(r.hold_expires_at))) +
         " (ora italiana). Senza conferma il posto passa alla persona successiva. Non trovi il messaggio? "
         "<a href=\"/iscrizione/nuovo-link\">Fatti inviare di nuovo i link</a>.</p>\n";
  if (r.status == "cancelled")
    b += "<p class=\"notice ok\">La tua iscrizione è stata annullata: non devi fare altro. Se è un errore puoi "
         "iscriverti di nuovo dal <a href=\"/programma\">programma</a>, se ci sono ancora posti." +
         (contact.empty() ? std::string() : " Per qualsiasi domanda scrivi a " + esc(contact) + ".") + "</p>\n";
  if (r.status == "expired")
    b += "<p class=\"notice warn\">L'iscrizione non è stata confermata in tempo e il posto è passato ad altri. "
         "Se vuoi ancora partecipare, iscriviti di nuovo dal <a href=\"/programma\">programma</a>.</p>\n";
  b += "<dl class=\"registration-details\">\n";
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
  if (r.status == "pending" || r.status == "confirmed" || r.status == "waitlisted")
    b += "<p><a class=\"button secondary\" href=\"" + esc(personal_path(r, token, "/annulla")) +
         "\">Annulla l'iscrizione…</a></p>\n";
  return page("La tua iscrizione", b);
}

std::string receipt(const Desk& desk, const Registration& r, const std::string& token,
                    const std::string& next_step) {
  std::string b = "<h1>Richiesta ricevuta</h1>\n<p>" + esc(next_step) + "</p>\n";
  b += "<dl class=\"registration-details\">\n<dt>Attività</dt><dd>" + esc(edition_title(desk, r)) + "</dd>\n";
  b += "<dt>Stato</dt><dd>" + esc(status_label(r)) + "</dd>\n";
  b += "<dt>Codice di iscrizione</dt><dd><code>" + esc(r.code) + "</code></dd>\n</dl>\n";
  b += "<p>Annota il codice: serve per qualsiasi richiesta allo staff. Puoi tornare a questa pagina con il "
       "tasto «Indietro» o ricaricarla senza inviare di nuovo l'iscrizione.</p>\n";
  b += "<p><a href=\"" + esc(personal_path(r, token)) + "\">Vai alla tua iscrizione</a> (stato, calendario, "
       "annullamento, i tuoi dati)</p>";
  return page("Richiesta ricevuta", b);
}

std::string confirm_form(const Desk& desk, const Registration& r, const std::string& confirm_token) {
  if (r.status == "confirmed")
    return page("Iscrizione già confermata",
                "<h1>Iscrizione già confermata</h1>\n<p>La tua iscrizione a " + esc(edition_title(desk, r)) +
                    " è confermata: non devi fare altro.</p>");
  std::string b = "<h1>Conferma la tua iscrizione</h1>\n<p>Ti teniamo un posto per " +
                  esc(edition_title(desk, r)) + " fino " + esc(hold_until(r)) +
                  ". Premi il pulsante per confermare l'iscrizione.</p>\n";
  b += "<form method=\"post\" action=\"/iscrizione/" + esc(r.code) + "/conferma\">\n"
       "<input type=\"hidden\" name=\"token\" value=\"" + esc(confirm_token) + "\">\n"
       "<button type=\"submit\">Conferma l'iscrizione</button>\n</form>\n";
  b += "<p>Se non ti sei iscritta o iscritto tu, chiudi questa pagina: senza conferma l'iscrizione decade da "
       "sola.</p>";
  return page("Conferma la tua iscrizione", b);
}

std::string confirmed(const Desk& desk, const Registration& r) {
  return page("Iscrizione confermata",
              "<h1>Iscrizione confermata</h1>\n<p class=\"notice ok\">Grazie: la tua iscrizione a " +
                  esc(edition_title(desk, r)) + " è confermata (codice <code>" + esc(r.code) +
                  "</code>). Ti abbiamo inviato una e-mail di riepilogo.</p>\n<p>Se non potrai partecipare, "
                  "annulla l'iscrizione dal link personale: il posto andrà a chi è in lista d'attesa.</p>");
}

std::string cancel_form(const Desk& desk, const Registration& r, const std::string& token) {
  if (r.status == "cancelled" || r.status == "expired")
    return page("Iscrizione già annullata",
                "<h1>Iscrizione già annullata</h1>\n<p>Questa iscrizione non è più attiva. <a href=\"" +
                    esc(personal_path(r, token)) + "\">Torna alla tua iscrizione</a>.</p>");
  std::string b = "<h1>Vuoi annullare l'iscrizione?</h1>\n<p>Stai per annullare la tua iscrizione a " +
                  esc(edition_title(desk, r)) + " (codice <code>" + esc(r.code) +
                  "</code>). Il posto passerà alla prima persona in lista d'attesa e non potrai recuperarlo: "
                  "per partecipare dovrai iscriverti di nuovo, se ci saranno posti.</p>\n";
  b += "<form method=\"post\" action=\"/api/registrations/" + esc(r.code) + "/cancel\">\n"
       "<input type=\"hidden\" name=\"token\" value=\"" + esc(token) + "\">\n"
       "<button type=\"submit\">Sì, annulla l'iscrizione</button>\n</form>\n";
  b += "<p><a href=\"" + esc(personal_path(r, token)) + "\">No, torna alla tua iscrizione</a></p>";
  return page("Vuoi annullare l'iscrizione?", b);
}

std::string resend_form() {
  return page("Hai perso il link della tua iscrizione?",
              "<h1>Hai perso il link della tua iscrizione?</h1>\n<p>Scrivi l'indirizzo e-mail con cui ti sei "
              "iscritta o iscritto: ti invieremo di nuovo i link personali di tutte le tue iscrizioni attive. "
              "I link vecchi smetteranno di funzionare.</p>\n"
              "<form method=\"post\" action=\"/api/registrations/resend\">\n"
              "<label for=\"resend-email\">E-mail</label>\n"
              "<input id=\"resend-email\" name=\"email\" type=\"email\" autocomplete=\"email\" required>\n"
              "<button type=\"submit\">Inviami i link</button>\n</form>");
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
