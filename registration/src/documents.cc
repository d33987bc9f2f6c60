// Texts derived from registrations: outbox messages, iCalendar, CSV, stats.
#include <algorithm>
#include <string>

#include "bp/text.h"
#include "crypto.h"
#include "desk.h"
#include "store_rules.h"

namespace bp::registration {
namespace {

// The messages' "Dove:" line, with what a person of `status` will receive.
// Only a confirmed person (links_for) is sent the online links.
std::string where(const Activity* a, const Edition& e, const std::string& status) {
  if (a && a->kind == "tutoraggio") return edition_where(a, e) + ", come lo concorderai con la tutor o il tutor";
  if (e.city != "online") {
    // In person: the city, and where the venue is said (the editors add
    // `place:` to the meetings when it is known; the reminder has it).
    std::size_t placed = 0;
    for (const auto& s : e.sessions) placed += s.place.empty() ? 0 : 1;
    if (e.sessions.empty()) return e.city;
    if (placed == 0)
      return e.city + (status == "waitlisted" ? " (se si libera un posto per te, il luogo preciso ti sarà "
                                                "comunicato prima dell'inizio)"
                                              : " (il luogo preciso ti sarà comunicato prima dell'inizio)");
    return e.city + (placed == e.sessions.size() ? " (il luogo di ogni incontro è nell'elenco qui sopra)"
                                                 : " (nell'elenco qui sopra, il luogo degli incontri che ce l'hanno "
                                                   "già)");
  }
  std::size_t linked = 0;
  if (links_for(status))
    for (const auto& s : e.sessions) linked += s.online_url.empty() ? 0 : 1;
  if (linked == 0)
    return status == "waitlisted" ? "online (se si libera un posto per te, riceverai il link di collegamento prima "
                                    "dell'inizio)"
           : status == "pending"  ? "online (riceverai il link di collegamento quando avrai confermato l'iscrizione)"
                                  : "online (riceverai il link di collegamento prima dell'inizio)";
  return linked == e.sessions.size() ? "online (il link di ogni incontro è nell'elenco qui sopra)"
                                     : "online (nell'elenco qui sopra, i link degli incontri che ce l'hanno già)";
}

// "Incontri:" and one line per meeting, with its place and, when `links`,
// its online link; "" without meetings.
std::string meetings(const Edition& e, bool links) {
  if (e.sessions.empty()) return "";
  std::string out = "Incontri (ora italiana):\n";
  for (const auto& s : e.sessions) {
    out += "- " + format_session(s);
    if (!s.place.empty()) out += ", " + s.place;
    if (links && !s.online_url.empty()) out += ", collegamento: " + s.online_url;
    out += "\n";
  }
  return out;
}

const char* kSignature = "\n--\nReti solidali e competenti\nProgramma di formazione per il Terzo settore\n";

// iCalendar TEXT escaping (RFC 5545 3.3.11).
std::string ics_text(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == ';' || c == ',') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c != '\r') {
      out += c;
    }
  }
  return out;
}

// Folds a content line at 75 octets without splitting a UTF-8 sequence.
std::string ics_line(const std::string& line) {
  std::string out;
  std::size_t width = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(line[i]);
    const bool continuation = (c & 0xC0) == 0x80;
    if (!continuation && width >= 74) {
      out += "\r\n ";
      width = 1;
    }
    out += line[i];
    ++width;
  }
  return out + "\r\n";
}

}  // namespace

std::string csv_cell(const std::string& v) {
  std::string s = v;
  if (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r'))
    s = "'" + s;
  if (s.find_first_of(";\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string first_meeting_local(const Edition& e) {
  return e.sessions.empty() ? e.start_local : e.sessions.front().date + "T" + e.sessions.front().start;
}

std::string edition_where(const Activity* a, const Edition& e) {
  if (a && a->kind == "tutoraggio") return "online o in presenza";
  return e.city.empty() || e.city == "online" ? std::string("online") : e.city;
}

std::string edition_choice_label(const Taxonomy& taxonomy, const Activity* a, const Edition& e) {
  const std::string dates =
      a && a->kind == "tutoraggio"
          ? "su richiesta, fino " + italian_datetime_after("al", e.end_local)
          : italian_datetime_after("dal", e.start_local) + " " + italian_datetime_after("al", e.end_local);
  return taxonomy.label("hub", e.hub) + " · " + edition_where(a, e) + " · " + dates;
}

std::string edition_when(const Activity& a, const Edition& e) {
  if (a.kind == "tutoraggio")
    return "su richiesta, fino " + italian_datetime_after("al", e.end_local) +
           " (la tutor o il tutor ti contatterà per fissare gli incontri)";
  return italian_datetime_after("dal", e.start_local) + " " + italian_datetime_after("al", e.end_local) +
         " (ora italiana)";
}

namespace {

// The messages' block about `r`'s edition: activity, when, meetings, where,
// code and calendar; "" for an edition the catalogue no longer has.
std::string details_of(const Catalogue& catalogue, const std::string& base, const Registration& r) {
  const Edition* e = catalogue.edition(r.edition_id);
  const Activity* a = e ? catalogue.activity_of(*e) : nullptr;
  if (!a || !e) return "";
  std::string details = "Attività: " + a->title + "\nQuando: " + edition_when(*a, *e) + "\n" +
                        meetings(*e, links_for(r.status)) + "Dove: " + where(a, *e, r.status) + "\n";
  if (!r.topic.empty()) details += "Argomento: " + Catalogue::topic_label(*a, r.topic) + "\n";
  details += "Codice di iscrizione: " + r.code + "\n";
  if (calendar_for(*e, r.status)) details += "Calendario (.ics): " + base + calendar_path(r) + "\n";
  return details;
}

// Whom a message greets: the person, or, for a child under 14, the parent
// or guardian who registered them and who reads it.
std::string hello_of(const Registration& r) {
  if (const std::string guardian = guardian_of(r); !guardian.empty())
    return "Ciao " + guardian + " (genitore o tutore di " + r.first_name + " " + r.last_name + "),\n\n";
  return "Ciao " + r.first_name + ",\n\n";
}

// How `r`'s person reaches their page: the link itself when `r` carries its
// clear token, otherwise where to ask for a new one.
std::string manage_of(const std::string& base, const Registration& r) {
  if (r.token.empty())
    // The address alone on its line: a mail client that takes a ")" or a
    // "." after it into the link opens a page that does not exist.
    return "Per vedere o annullare l'iscrizione usa il link personale che hai ricevuto "
           "nella prima e-mail. Se l'hai perso o non funziona più, chiedine uno nuovo qui:\n" +
           base + "/iscrizione/nuovo-link\n";
  return "Il tuo link personale (per vedere o annullare l'iscrizione e scaricare i tuoi dati): " + base +
         "/iscrizione/" + r.code + "?token=" + r.token + "\nNon inoltrare questo messaggio: il link è personale.\n";
}

}  // namespace

OutboxMessage edition_message_copy(const Catalogue& catalogue, const std::string& base, const std::string& subject,
                                   const std::string& text, const Registration& r) {
  const Edition* e = catalogue.edition(r.edition_id);
  const Activity* a = e ? catalogue.activity_of(*e) : nullptr;
  const std::string title = a ? a->title : r.edition_id;
  const std::string activity = "all'attività «" + title + "»";
  const std::string why =
      r.status == "waitlisted" ? "sei in lista d'attesa per l'attività «" + title + "»."
      : r.status == "pending"
          ? "ti sei iscritta o iscritto " + activity + ", ma l'iscrizione aspetta ancora la tua conferma" +
                (r.hold_expires_at
                     ? ", fino " + italian_datetime_after("al", rome_local(r.hold_expires_at)) + " (ora italiana)"
                     : std::string()) +
                ": apri il link di conferma che ti abbiamo mandato per e-mail."
          : "sei iscritta o iscritto " + activity + ".";
  OutboxMessage m;
  m.recipient = r.email;
  m.subject = subject + " – " + title;
  m.body = hello_of(r) + text + "\n\nTi scriviamo perché " + why + "\n\n" + details_of(catalogue, base, r) + "\n" +
           manage_of(base, r) + kSignature;
  return m;
}

OutboxMessage tutoring_assignment_message(const Catalogue& catalogue, const std::string& base, const Registration& r,
                                          const std::string& tutor_email) {
  OutboxMessage m;
  m.registration_id = r.id;
  m.recipient = r.email;
  m.subject = "La tua richiesta di tutoraggio è stata presa in carico";
  m.body = hello_of(r) + "la tua richiesta di tutoraggio è stata presa in carico da " + tutor_email +
           ", che ti scriverà per concordare il primo incontro; per qualsiasi domanda puoi scrivere a quell'indirizzo."
           "\n\n" +
           details_of(catalogue, base, r) + "\n" + manage_of(base, r) + kSignature;
  return m;
}

std::string hold_length(int seconds) {
  if (seconds >= 3600 && seconds % 3600 == 0) return text::count_noun(seconds / 3600, "ora", "ore");
  return text::count_noun((seconds + 59) / 60, "minuto", "minuti");
}

Composer make_composer(const Catalogue& catalogue, std::string base, int hold_seconds, int offer_seconds) {
  const int offer = offer_hold_seconds(hold_seconds, offer_seconds);
  return [catalogue, base, hold_seconds, offer](MessageKind kind, const Registration& r) {
    OutboxMessage m;
    m.recipient = r.email;
    const Edition* e = catalogue.edition(r.edition_id);
    const Activity* a = e ? catalogue.activity_of(*e) : nullptr;
    const std::string title = a ? a->title : r.edition_id;
    const std::string details = details_of(catalogue, base, r);
    const std::string manage = manage_of(base, r);
    const std::string until =
        r.hold_expires_at ? italian_datetime_after("al", rome_local(r.hold_expires_at)) + " (ora italiana)" : "";
    const std::string confirm =
        r.confirm_token.empty()
            ? std::string()
            : "Per confermare apri questo link e premi «Conferma l'iscrizione»:\n" + base + "/iscrizione/" +
                  r.code + "/conferma?token=" + r.confirm_token + "\n";
    const std::string hello = hello_of(r);
    switch (kind) {
      case MessageKind::kHeld:
        m.subject = "Conferma la tua iscrizione: " + title;
        m.body = hello +
                 (a && a->kind == "tutoraggio"
                      ? "abbiamo ricevuto la tua richiesta di tutoraggio. Vale solo se la confermi entro " +
                            italian_datetime_after("il", rome_local(r.hold_expires_at)) +
                            " (ora italiana): dopo, decade e andrà inviata di nuovo.\n\n"
                      : "abbiamo ricevuto la tua iscrizione e ti teniamo un posto fino " + until +
                            ". L'iscrizione vale solo se la confermi entro quell'ora: dopo, il posto passa alla "
                            "persona successiva.\n\n") +
                 confirm + "\n" + details + "\n" + manage +
                 "\nSe non sei stata o stato tu a iscriverti, ignora questo messaggio: senza conferma "
                 "l'iscrizione decade da sola.\n";
        break;
      case MessageKind::kConfirmed:
        m.subject = "Iscrizione confermata: " + title;
        m.body = hello + "la tua iscrizione è confermata.\n\n" + details + "\n" + manage +
                 "\nSe non potrai partecipare, annulla l'iscrizione: il posto andrà alla prima persona in "
                 "lista d'attesa.\n";
        break;
      case MessageKind::kWaitlisted:
        m.subject = "Sei in lista d'attesa: " + title;
        m.body = hello + "i posti sono esauriti e ti abbiamo inserito in lista d'attesa, in posizione " +
                 std::to_string(r.position) +
                 (hold_seconds > 0
                      ? ". Se si libera un posto ti scriveremo: da quel momento avrai " + hold_length(offer) +
                            " per confermarlo" +
                            (e && has_calendar(*e) ? std::string(" (meno, se l'attività comincia prima)") : "") + "."
                      : std::string(". Se si libera un posto la tua iscrizione sarà confermata automaticamente e "
                                    "ti scriveremo.")) +
                 "\n\n" + details + "\n" + manage;
        break;
      case MessageKind::kPromoted:
        if (r.confirm_token.empty()) {
          m.subject = "Si è liberato un posto: iscrizione confermata a " + title;
          m.body = hello + "si è liberato un posto e la tua iscrizione è ora confermata.\n\n" + details + "\n" +
                   manage + "\nSe non potrai partecipare, annulla l'iscrizione per lasciare il posto ad altri.\n";
        } else {
          m.subject = "Si è liberato un posto: confermalo entro " +
                      italian_datetime_after("il", rome_local(r.hold_expires_at)) + " – " + title;
          m.body = hello + "si è liberato un posto e lo teniamo per te fino " + until +
                   ". Se non confermi entro quell'ora, il posto passa alla persona successiva in lista "
                   "d'attesa.\n\n" + confirm + "\n" + details + "\n" + manage;
        }
        break;
      case MessageKind::kReminder: {
        const std::string begins = e ? italian_datetime_after("il", first_meeting_local(*e)) : std::string();
        m.subject = "Promemoria: " + title + " comincia " + begins;
        m.body = hello + "ti ricordiamo che " + title + " comincia " + begins +
                 " (ora italiana). Qui sotto trovi gli incontri e dove si tengono.\n\n" + details + "\n" + manage +
                 "\nSe non puoi più partecipare, annulla l'iscrizione: il posto andrà alla prima persona in lista "
                 "d'attesa.\n";
        break;
      }
      case MessageKind::kMoved: {
        const std::string edition =
            e ? edition_where(a, *e) + ", " + (a ? edition_when(*a, *e) : std::string()) : r.edition_id;
        m.subject = "Iscrizione spostata a un'altra edizione: " + title;
        // The staff's «Sposta» or the person's «Cambia edizione»: the same words.
        m.body = hello + "la tua iscrizione all'attività «" + title + "» è passata a un'altra edizione: " + edition +
                 ". Il codice di iscrizione e il link personale restano gli stessi.\n\n" +
                 (r.status == "pending" ? "L'iscrizione aspetta ancora la tua conferma, fino " + until +
                                              ": apri il link di conferma che ti abbiamo mandato per e-mail.\n\n"
                                        : std::string("L'iscrizione è confermata.\n\n")) +
                 details + "\n" +
                 (e && calendar_for(*e, r.status)
                      ? "Se avevi messo nel calendario gli incontri dell'edizione di prima, toglili: quelli giusti "
                        "sono nel calendario qui sopra.\n\n"
                      : std::string()) +
                 manage +
                 "\nSe non puoi partecipare, annulla l'iscrizione: il posto andrà alla prima persona in lista "
                 "d'attesa.\n";
        break;
      }
      case MessageKind::kCancelled:
        m.subject = "Iscrizione annullata: " + title;
        m.body = hello + "la tua iscrizione (codice " + r.code +
                 ") è stata annullata. Se è un errore, puoi iscriverti di nuovo dal programma, se ci sono "
                 "ancora posti: " +
                 base + form_path(catalogue, r.edition_id) + "\n";
        break;
      case MessageKind::kExpired: {
        m.subject = "Posto non confermato: " + title;
        // The hold lapsed when the edition no longer took registrations
        // (an offered seat lapses at the first meeting at the latest): no
        // confirming, no waiting list, only the other editions.
        const auto lapsed = utc_iso_seconds(r.expired_at);
        const std::string closed = e && lapsed ? closed_reason(a, *e, *lapsed) : std::string();
        m.body = hello + "non hai confermato in tempo l'iscrizione (codice " + r.code +
                 ") e il posto che ti tenevamo è stato liberato. " +
                 (closed.empty()
                      ? "Se vuoi ancora partecipare, apri il link di conferma che ti abbiamo inviato: finché ci "
                        "sono posti e le iscrizioni sono aperte puoi confermare lo stesso. Se i posti sono finiti, "
                        "iscriviti di nuovo dal programma per entrare in lista d'attesa: " +
                            base + form_path(catalogue, r.edition_id) + "\n"
                      : "Ora " + closed +
                            ", quindi non si può più confermare né entrare in lista d'attesa. "
                            "Nel programma trovi le altre edizioni: " +
                            base + "/programma\n");
        break;
      }
      case MessageKind::kLinks:
      case MessageKind::kCorrected:
        m.subject =
            (kind == MessageKind::kLinks ? "I tuoi link personali: " : "Il tuo indirizzo e-mail è stato corretto: ") +
            title;
        m.body =
            hello +
            (kind == MessageKind::kLinks
                 ? "hai chiesto di nuovo i link della tua iscrizione. I link che avevi ricevuto prima "
                   "non funzionano più: usa questi.\n\n"
                 : "lo staff del programma ha corretto l'indirizzo e-mail della tua iscrizione: da ora ti "
                   "scriviamo qui. Ecco i tuoi link personali (quelli mandati prima non funzionano più).\n\n") +
            (r.status == "pending"      ? "L'iscrizione aspetta la tua conferma fino " + until + ".\n" + confirm + "\n"
             : r.status == "waitlisted" ? "Sei in lista d'attesa, in posizione " + std::to_string(r.position) + ".\n\n"
                                        : std::string("L'iscrizione è confermata.\n\n")) +
            details + "\n" + manage +
            (kind == MessageKind::kLinks
                 ? "\nSe non sei stata o stato tu a chiedere i link, puoi ignorare questo messaggio.\n"
                 : "\nSe non ti sei iscritta o iscritto tu, annulla l'iscrizione dal link personale qui sopra.\n");
        break;
    }
    m.body += kSignature;
    return m;
  };
}

std::string form_path(const Catalogue& catalogue, const std::string& edition_id) {
  const Edition* e = edition_id.empty() ? nullptr : catalogue.edition(edition_id);
  if (!e) return "/programma#iscrizione";
  const Activity* a = catalogue.activity_of(*e);
  if (a && a->kind == "tutoraggio") return "/programma?tutoraggio=1#iscrizione";
  return "/programma?edizione=" + e->id + "#iscrizione";
}

bool has_calendar(const Edition& e) { return !e.sessions.empty(); }

bool calendar_for(const Edition& e, const std::string& status) {
  return has_calendar(e) && (status == "pending" || status == "confirmed");
}

std::string calendar_key(const Registration& r) { return to_hex(sha256("bp-calendar:" + r.token_hash)).substr(0, 32); }

std::string calendar_path(const Registration& r) {
  return "/api/registrations/" + r.code + "/calendar.ics?key=" + calendar_key(r);
}

bool links_for(const std::string& status) { return status == "confirmed"; }

std::string edition_ics(const Activity& a, const Edition& e, const std::string& base, std::int64_t now, bool links) {
  std::string host = base;
  if (auto p = host.find("://"); p != std::string::npos) host = host.substr(p + 3);
  if (auto p = host.find('/'); p != std::string::npos) host = host.substr(0, p);
  const std::string description = a.description + (e.notes.empty() ? "" : "\n" + e.notes);
  const std::string city = e.city == "online" ? "Online" : e.city;
  std::string out;
  out += ics_line("BEGIN:VCALENDAR");
  out += ics_line("VERSION:2.0");
  out += ics_line("PRODID:-//Reti solidali e competenti//Iscrizioni//IT");
  out += ics_line("CALSCALE:GREGORIAN");
  out += ics_line("METHOD:PUBLISH");
  auto event = [&](const std::string& uid, std::int64_t start, std::int64_t end, const std::string& summary,
                   const std::string& location, const std::string& link) {
    out += ics_line("BEGIN:VEVENT");
    out += ics_line("UID:" + uid + "@" + host);
    out += ics_line("DTSTAMP:" + utc_ical(now));
    out += ics_line("DTSTART:" + utc_ical(start));
    out += ics_line("DTEND:" + utc_ical(end));
    out += ics_line("SUMMARY:" + ics_text(summary));
    out += ics_line("DESCRIPTION:" +
                    ics_text(description + (link.empty() ? "" : "\nCollegamento: " + link)));
    out += ics_line("LOCATION:" + ics_text(location));
    out += ics_line("URL:" + (link.empty() ? base + "/programma" : link));
    out += ics_line("END:VEVENT");
  };
  // One event per meeting: calendars show the real days and hours, not one
  // block spanning weeks (on-request tutoring has no calendar: an event
  // over its whole period would mark the person busy for months). UIDs
  // count meetings, so a moved meeting updates its event instead of adding
  // one.
  const std::size_t n = e.sessions.size();
  for (std::size_t i = 0; i < n; ++i) {
    const Session& s = e.sessions[i];
    const std::string summary =
        n == 1 ? a.title : a.title + " (incontro " + std::to_string(i + 1) + " di " + std::to_string(n) + ")";
    event(e.id + "-" + std::to_string(i + 1), s.start_utc, s.end_utc, summary, s.place.empty() ? city : s.place,
          links ? s.online_url : std::string());
  }
  out += ics_line("END:VCALENDAR");
  return out;
}

std::string registrations_csv(const std::vector<Registration>& rows, const Catalogue& catalogue) {
  static const char* kHeader[] = {
      "code", "status", "position", "edition", "activity", "hub", "first_name", "last_name", "email",
      "organisation", "role", "region", "age_band", "guardian_name", "guardian_consent", "consent_at",
      "privacy_version", "topic", "needs", "notes", "created_at", "cancelled_at", "promoted_at",
      "attended", "erased_at"};
  std::string out = "\xEF\xBB\xBF";
  for (std::size_t i = 0; i < std::size(kHeader); ++i) out += (i ? ";" : "") + std::string(kHeader[i]);
  out += "\r\n";
  for (const auto& r : rows) {
    const Edition* e = catalogue.edition(r.edition_id);
    const Activity* a = e ? catalogue.activity_of(*e) : nullptr;
    const std::string cells[] = {
        r.code, r.status, r.position ? std::to_string(r.position) : "", r.edition_id,
        a ? a->title : "", e ? e->hub : "", r.first_name, r.last_name, r.email, r.organisation, r.role,
        r.region, r.age_band, r.guardian_name, r.guardian_consent ? "sì" : "", r.consent_at,
        r.privacy_version, r.topic, r.needs, r.notes, r.created_at, r.cancelled_at, r.promoted_at,
        r.attended ? "sì" : "no", r.erased_at};
    for (std::size_t i = 0; i < std::size(cells); ++i) out += (i ? ";" : "") + csv_cell(cells[i]);
    out += "\r\n";
  }
  return out;
}

Stats compute_stats(const Catalogue& catalogue, const std::vector<EditionCounts>& counts) {
  Stats s;
  s.targets = catalogue.targets;
  auto add = [](Tally& t, const EditionCounts& c) {
    t.capacity += c.capacity;
    t.taken += c.taken;
    t.pending += c.pending;
    t.confirmed += c.confirmed;
    t.waitlisted += c.waitlisted;
    t.cancelled += c.cancelled;
    t.expired += c.expired;
    t.attended += c.attended;
  };
  // Every catalogue entry appears, even with no registrations yet.
  for (const auto& a : catalogue.activities) {
    s.by_activity[a.id];
    s.by_kind[a.kind];
    for (const auto& e : a.editions) {
      s.by_edition[e.id];
      s.by_hub[e.hub];
    }
  }
  for (const auto& c : counts) {
    const Edition* e = catalogue.edition(c.edition_id);
    if (!e) continue;  // removed from the catalogue: still in the export
    const Activity* a = catalogue.activity_of(*e);
    add(s.by_edition[c.edition_id], c);
    s.by_edition[c.edition_id].over_capacity = c.pending + c.confirmed > c.capacity;
    add(s.by_hub[e->hub], c);
    add(s.total, c);
    if (a) {
      add(s.by_activity[a->id], c);
      add(s.by_kind[a->kind], c);
    }
  }
  return s;
}

}  // namespace bp::registration
