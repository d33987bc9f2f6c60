#include "desk.h"

#include <locale.h>
#include <wctype.h>

#include <algorithm>
#include <chrono>

#include "bp/text.h"
#include "crypto.h"
#include "store_rules.h"

namespace bp::registration {

const std::vector<Choice>& role_choices() {
  static const std::vector<Choice> kRoles = {{"operatore", "Operatrice/operatore"},
                                             {"attivista", "Attivista"},
                                             {"volontario", "Volontaria/volontario"},
                                             {"dirigente", "Dirigente"},
                                             {"rappresentante del terzo settore", "Rappresentante del Terzo settore"},
                                             {"studente universitario", "Studentessa universitaria/studente universitario"},
                                             {"giovane", "Giovane"},
                                             {"docente", "Docente"}};
  return kRoles;
}

const std::vector<Choice>& age_band_choices() {
  static const std::vector<Choice> kBands = {
      {"under-14", "meno di 14 anni"}, {"14-17", "14–17 anni"}, {"18-35", "18–35 anni"}, {"over-35", "più di 35 anni"}};
  return kBands;
}

std::vector<std::string> choice_codes(const std::vector<Choice>& choices) {
  std::vector<std::string> codes;
  for (const auto& c : choices) codes.push_back(c.code);
  return codes;
}

std::string choice_label(const std::vector<Choice>& choices, const std::string& code) {
  for (const auto& c : choices)
    if (c.code == code) return c.label;
  return code;
}

namespace {

constexpr std::size_t kCodeLength = 26;  // 16 random bytes in base32

std::string get(const std::map<std::string, std::string>& f, const char* key) {
  auto it = f.find(key);
  return it == f.end() ? std::string() : text::trim(it->second);
}

bool truthy(const std::string& v) {
  return v == "true" || v == "on" || v == "1" || v == "yes" || v == "si" || v == "sì";
}

// The code points of valid UTF-8 `s`.
std::vector<char32_t> code_points(const std::string& s) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < n && i + static_cast<std::size_t>(k) < s.size(); ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]) & 0x3F);
    out.push_back(cp);
    i += static_cast<std::size_t>(n);
  }
  return out;
}

// Characters that show nothing or reorder what follows: C1 controls, soft
// hyphen, zero-width spaces and joiners, direction marks, embeddings,
// overrides and isolates, fillers, BOM, tags. A name made of them looks
// empty; one starting with U+202E shows its text backwards.
bool invisible(char32_t c) {
  return (c >= 0x80 && c <= 0x9F) || c == 0xAD || c == 0x34F || c == 0x61C || c == 0x115F ||
         c == 0x1160 || c == 0x17B4 || c == 0x17B5 || (c >= 0x180B && c <= 0x180F) ||
         (c >= 0x200B && c <= 0x200F) || (c >= 0x2028 && c <= 0x202E) || (c >= 0x2060 && c <= 0x206F) ||
         c == 0x3164 || c == 0xFEFF || c == 0xFFA0 || (c >= 0xFFF9 && c <= 0xFFFB) ||
         (c >= 0xE0000 && c <= 0xE007F);
}

// Unicode letters, from glibc's C.UTF-8 tables (any script: Nicolò, Øyvind,
// Дмитрий, 李).
bool is_letter(char32_t c) {
  static const locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  if (utf8) return iswalpha_l(static_cast<wint_t>(c), utf8) != 0;
  return c >= 0xC0 && c != 0xD7 && c != 0xF7 && !invisible(c);
}

// Checks a free-text field: valid UTF-8, no control characters (newlines
// only where `multiline`), no invisible or direction-changing characters,
// at most `max` bytes.
bool check_text(const std::string& v, std::size_t max, bool multiline, const char* field,
                FieldErrors* errors) {
  if (!text::is_valid_utf8(v)) {
    (*errors)[field] = "il testo contiene caratteri non validi";
    return false;
  }
  for (unsigned char c : v) {
    if ((c < 0x20 && !(multiline && (c == '\n' || c == '\r' || c == '\t'))) || c == 0x7f) {
      (*errors)[field] = "il testo contiene caratteri di controllo non ammessi";
      return false;
    }
  }
  for (char32_t c : code_points(v)) {
    if (invisible(c)) {
      (*errors)[field] =
          "il testo contiene caratteri invisibili o che cambiano la direzione della scrittura: "
          "riscrivilo a mano invece di incollarlo";
      return false;
    }
  }
  // Characters, as the form's maxlength counts them: "è" is two bytes.
  if (code_points(v).size() > max) {
    (*errors)[field] = "testo troppo lungo (al massimo " + std::to_string(max) + " caratteri)";
    return false;
  }
  return true;
}

// A person's name: a checked text with at least one letter.
void check_name(const std::string& v, const char* field, FieldErrors* errors) {
  if (!check_text(v, 200, false, field, errors)) return;
  for (char32_t c : code_points(v))
    if (is_letter(c)) return;
  const std::string what = std::string(field) == "last_name"       ? "il cognome"
                           : std::string(field) == "guardian_name" ? "il nome del genitore o tutore"
                                                                     : "il nome";
  (*errors)[field] = what + " deve contenere almeno una lettera";
}

bool valid_email(const std::string& e);

// Italian reason why `e` is not a usable address; "" when it is.
std::string email_problem(const std::string& e) {
  const auto at = e.find('@');
  if (at == std::string::npos) return "indirizzo e-mail non valido: manca la @ (per esempio nome@esempio.it)";
  // "giovanna@gmail,com": the phone's keyboard puts the comma by the dot.
  if (e.find(',') != std::string::npos) {
    std::string dotted = e;
    std::replace(dotted.begin(), dotted.end(), ',', '.');
    return valid_email(dotted)
               ? "indirizzo e-mail non valido: c'è una virgola al posto del punto (forse «" + dotted + "»?)"
               : "indirizzo e-mail non valido: contiene una virgola";
  }
  if (at > 0) {
    const std::string local = e.substr(0, at);
    if (local.front() == '.' || local.back() == '.')
      return "indirizzo e-mail non valido: la parte prima di @ non può iniziare o finire con un punto";
    if (e.find("..") != std::string::npos)
      return "indirizzo e-mail non valido: contiene due punti di seguito";
    if (e.find('@', at + 1) != std::string::npos) return "indirizzo e-mail non valido: contiene due @";
    if (e.find_first_of(" \t") != std::string::npos) return "indirizzo e-mail non valido: contiene uno spazio";
    // "maria.lopez@gmail": the ending is missing.
    const std::string domain = e.substr(at + 1);
    if (!domain.empty() && domain.find('.') == std::string::npos)
      return "indirizzo e-mail non valido: dopo «@" + domain + "» manca la parte finale (per esempio «@" + domain +
             ".com» o «@" + domain + ".it»)";
  }
  return "indirizzo e-mail non valido";
}

bool valid_email(const std::string& e) {
  if (e.size() < 3 || e.size() > 254 || !text::is_valid_utf8(e)) return false;
  const auto at = e.find('@');
  if (at == std::string::npos || at == 0 || at > 64 || e.find('@', at + 1) != std::string::npos) return false;
  const std::string domain = e.substr(at + 1);
  if (domain.size() < 3 || domain.find('.') == std::string::npos) return false;
  if (domain.front() == '.' || domain.back() == '.' || domain.front() == '-' ||
      e.find("..") != std::string::npos || e.front() == '.' || e[at - 1] == '.')
    return false;
  for (unsigned char c : e)
    if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == ',' || c == ';' || c == '"' ||
        c == '(' || c == ')' || c == '[' || c == ']' || c == '\\')
      return false;
  return true;
}

}  // namespace

std::string email_address_problem(const std::string& email) {
  return valid_email(email) ? "" : email_problem(email);
}

Desk::Desk(Catalogue catalogue, Taxonomy taxonomy, Store& store, DeskOptions options)
    : catalogue_(std::move(catalogue)),
      taxonomy_(std::move(taxonomy)),
      store_(store),
      options_(std::move(options)) {}

std::int64_t Desk::now() const {
  if (options_.clock) return options_.clock();
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::vector<bool> Desk::meetings_begun(const Edition& e) const {
  const std::int64_t t = now();
  std::vector<bool> begun;
  for (const Session& s : e.sessions) begun.push_back(s.start_utc <= t);
  return begun;
}

std::string Desk::begins_local(const Edition& e) const { return first_meeting_local(e); }

std::vector<const Edition*> Desk::editions_to_remind(int hours) const {
  std::vector<const Edition*> out;
  const std::int64_t t = now();
  for (const auto& a : catalogue_.activities)
    for (const auto& e : a.editions)
      if (has_calendar(e) && e.sessions.front().start_utc > t &&
          e.sessions.front().start_utc <= t + static_cast<std::int64_t>(hours) * 3600)
        out.push_back(&e);
  return out;
}

bool Desk::has_begun(const Edition& e) const {
  return (e.sessions.empty() ? e.start_utc : e.sessions.front().start_utc) <= now();
}

std::string closed_reason(const Activity* a, const Edition& e, std::int64_t t) {
  const bool tutoring = a && a->kind == "tutoraggio";
  if (e.closed) return "le iscrizioni a questa edizione sono chiuse";
  if (t >= e.end_utc) return "questa edizione si è già conclusa (" + italian_datetime(e.end_local) + ")";
  if (!tutoring && t >= e.start_utc) return "questa edizione è già iniziata (" + italian_datetime(e.start_local) + ")";
  if (t > e.deadline_utc) return "le iscrizioni si sono chiuse " + italian_datetime_after("il", e.deadline_local);
  return "";
}

bool Desk::is_open(const Edition& e, std::string* why) const {
  const std::string reason = closed_reason(catalogue_.activity_of(e), e, now());
  if (why) *why = reason;
  return reason.empty();
}

bool Desk::is_open(const Edition& e, const EditionCounts& counts, std::string* why) const {
  if (!is_open(e, why)) return false;
  if (counts.paused_at.empty()) return true;
  if (why) *why = kRegistrationsPaused;
  return false;
}

bool Desk::takes_staff_registrations(const Edition& e, std::string* why) const {
  std::string reason;
  if (e.closed)
    reason = "le iscrizioni a questa edizione sono chiuse";
  else if (now() >= e.end_utc)
    reason = "questa edizione si è già conclusa (" + italian_datetime(e.end_local) + ")";
  if (why) *why = reason;
  return reason.empty();
}

std::string Desk::move_refusal(const Registration& r, const Edition& to) const {
  const Edition* from = catalogue_.edition(r.edition_id);
  if (to.id == r.edition_id) return "l'iscrizione è già a questa edizione";
  const Activity* activity = from ? catalogue_.activity_of(*from) : nullptr;
  if (!from || activity != catalogue_.activity_of(to))
    return "si sposta solo a un'altra edizione della stessa attività";
  if (now() >= from->end_utc)
    return "l'edizione " + from->id + " si è già conclusa: l'iscrizione resta lì, con le sue presenze e l'attestato";
  if (now() >= to.end_utc) return "l'edizione " + to.id + " si è già conclusa (" + italian_datetime(to.end_local) + ")";
  // As the public form: an edition that has begun takes nobody new
  // (on-request tutoring excepted); the meetings held would be lost.
  if (!(activity && activity->kind == "tutoraggio") && has_begun(to))
    return "l'edizione " + to.id + " è già cominciata (" + italian_datetime(begins_local(to)) + ")";
  return "";
}

Result<Registration> Desk::move(const std::string& code, const std::string& from, const std::string& to) {
  const Edition* target = catalogue_.edition(to);
  if (!target) return Status::not_found("edizione sconosciuta: " + to);
  auto r = store_.find(code);
  if (!r.ok()) return r.status();
  // The store's own refusals first (moved meanwhile, not active), then the
  // catalogue's; the store checks them again inside its transaction.
  if (Status why = check_move(*r, from, to); !why.is_ok()) return why;
  if (const std::string why = move_refusal(*r, *target); !why.empty()) return Status::invalid(why);
  return store_.move(code, from, to);
}

std::vector<const Edition*> Desk::own_move_targets(const Registration& r) const {
  std::vector<const Edition*> out;
  const Edition* from = catalogue_.edition(r.edition_id);
  const Activity* activity = from ? catalogue_.activity_of(*from) : nullptr;
  if (!activity || activity->kind == "tutoraggio" || has_begun(*from)) return out;
  if (!check_move(r, r.edition_id, /*to=*/"").is_ok()) return out;  // not active, erased
  // Store::move confirms a person waiting who finds a seat: with holds on,
  // that would skip the check of their address (the link sent by e-mail),
  // so a place on a waiting list moves only by the staff.
  if (r.status == "waitlisted" && options_.hold_seconds > 0) return out;
  for (const auto& e : activity->editions)
    if (e.id != r.edition_id && is_open(e) && move_refusal(r, e).empty()) out.push_back(&e);
  return out;
}

Result<Registration> Desk::move_own(const std::string& code, const std::string& token, const std::string& to) {
  auto r = authorise(code, token);
  if (!r.ok()) return r;
  const auto targets = own_move_targets(*r);
  const auto it = std::find_if(targets.begin(), targets.end(), [&](const Edition* e) { return e->id == to; });
  if (it == targets.end()) {
    // The edition's own reason when it takes nobody now; else the rule.
    std::string why;
    const Edition* e = catalogue_.edition(to);
    if (!e || e->id == r->edition_id || is_open(*e, &why))
      why =
          "da qui l'iscrizione si sposta solo a un'altra edizione della stessa attività che accetta ancora "
          "iscrizioni, prima che la tua cominci";
    return Status::conflict(why);
  }
  auto counts = store_.counts();
  if (!counts.ok()) return counts.status();
  for (const auto& c : *counts)
    if (std::string why; c.edition_id == to && !is_open(**it, c, &why)) return Status::conflict(why);
  return store_.move(code, r->edition_id, to);
}

std::string Desk::manage_url(const std::string& code, const std::string& token) const {
  return options_.public_base_url + "/iscrizione/" + code + "?token=" + token;
}

void Desk::validate_contact(const std::map<std::string, std::string>& f, Registration* person,
                            FieldErrors* errors) const {
  Registration& r = *person;
  r.role.clear();
  r.region.clear();
  r.first_name = get(f, "first_name");
  r.last_name = get(f, "last_name");
  r.email = get(f, "email");
  r.organisation = get(f, "organisation");
  if (r.first_name.empty()) (*errors)["first_name"] = "indica il nome";
  else check_name(r.first_name, "first_name", errors);
  if (r.last_name.empty()) (*errors)["last_name"] = "indica il cognome";
  else check_name(r.last_name, "last_name", errors);
  if (r.email.empty()) (*errors)["email"] = "indica un indirizzo e-mail";
  else if (!valid_email(r.email)) (*errors)["email"] = email_problem(r.email);
  check_text(r.organisation, 300, false, "organisation", errors);

  const std::string role = text::fold_lower(get(f, "role"));
  std::string known_roles;
  for (const auto& known : role_choices()) {
    if (role == known.code || role == text::slugify(known.code)) r.role = known.code;
    known_roles += (known_roles.empty() ? "" : ", ") + known.code;
  }
  if (role.empty()) (*errors)["role"] = "indica il tuo ruolo";
  else if (r.role.empty())
    (*errors)["role"] = "ruolo non previsto: scegli tra " + known_roles;

  const std::string region = get(f, "region");
  if (const Vocabulary* regions = taxonomy_.vocabulary("region")) {
    const std::string folded = text::fold_lower(region);
    for (const auto& t : regions->terms)
      if (region == t.slug || folded == text::fold_lower(t.label) || text::slugify(region) == t.slug)
        r.region = t.slug;
  }
  if (region.empty()) (*errors)["region"] = "indica la regione";
  else if (r.region.empty()) (*errors)["region"] = "regione sconosciuta: scrivi il nome di una regione italiana";
}

Registration Desk::validate(const std::map<std::string, std::string>& f, FieldErrors* errors, bool by_staff) const {
  Registration r;
  validate_contact(f, &r, errors);
  r.notes = get(f, "notes");
  r.guardian_name = get(f, "guardian_name");
  // The version of the notice the server shows now, whatever the client says:
  // a client must not be able to record consent to a notice of its choosing.
  r.privacy_version = options_.privacy_version;
  check_text(r.notes, 2000, true, "notes", errors);

  r.age_band = get(f, "age_band");
  bool band_ok = false;
  for (const auto& b : age_band_choices()) band_ok = band_ok || r.age_band == b.code;
  if (r.age_band.empty()) (*errors)["age_band"] = "indica la fascia d'età";
  else if (!band_ok) (*errors)["age_band"] = "fascia d'età non valida: under-14, 14-17, 18-35 oppure over-35";
  r.guardian_consent = truthy(get(f, "guardian_consent"));
  if (r.age_band == "under-14") {
    if (!r.guardian_consent)
      (*errors)["guardian_consent"] =
          "per chi ha meno di 14 anni serve il consenso di un genitore o di chi ne fa le veci";
    if (r.guardian_name.empty())
      (*errors)["guardian_name"] = "indica il nome del genitore o di chi ne fa le veci";
    else
      check_name(r.guardian_name, "guardian_name", errors);
  } else {
    r.guardian_name.clear();
    r.guardian_consent = false;
  }
  r.consent = truthy(get(f, "consent"));
  if (!r.consent)
    (*errors)["consent"] = "per iscriverti devi accettare l'informativa sul trattamento dei dati personali";

  // The edition: given, or for tutoring requests the one of the person's hub.
  // The HTML form says which with `kind` (edition | tutoring); without it,
  // or with the form's default "edition" (without JavaScript the choice is
  // hidden and the form says "per il tutoraggio lascia vuoto [l'edizione] e
  // compila argomento e bisogni"), a request with a topic or needs and no
  // edition is a tutoring request.
  const std::string kind = get(f, "kind");
  const std::string edition_id = get(f, "edition");
  const std::string topic = get(f, "topic");
  const bool tutoring_request =
      kind == "tutoring" || kind == "tutoraggio" ||
      ((kind.empty() || kind == "edition") && edition_id.empty() && (!topic.empty() || !get(f, "needs").empty()));
  const Edition* edition = nullptr;
  if (tutoring_request) {
    if (!r.region.empty()) {
      edition = catalogue_.tutoring_edition(taxonomy_.hub_of_region(r.region));
      if (!edition) (*errors)["edition"] = "il tutoraggio non è disponibile per la tua regione";
    }
    if (!edition && topic.empty()) (*errors)["topic"] = "indica l'argomento del tutoraggio";
  } else if (!edition_id.empty()) {
    edition = catalogue_.edition(edition_id);
    if (!edition) (*errors)["edition"] = "edizione sconosciuta: scegli un'edizione dal programma";
  } else {
    (*errors)["edition"] = "scegli un'edizione (o, per il tutoraggio, un argomento)";
  }
  if (edition) {
    r.edition_id = edition->id;
    const Activity* a = catalogue_.activity_of(*edition);
    if (a && a->kind == "tutoraggio") {
      for (const auto& t : a->topics) {
        const Term* term = taxonomy_.vocabulary("theme") ? taxonomy_.vocabulary("theme")->find(t) : nullptr;
        if (topic == t || (term && text::fold_lower(topic) == text::fold_lower(term->label))) r.topic = t;
      }
      if (topic.empty()) (*errors)["topic"] = "indica l'argomento del tutoraggio";
      else if (r.topic.empty()) (*errors)["topic"] = "argomento non previsto per il tutoraggio";
      r.needs = get(f, "needs");
      if (r.needs.empty()) (*errors)["needs"] = "descrivi in poche righe di che cosa hai bisogno";
      else check_text(r.needs, 2000, true, "needs", errors);
    }
    std::string why;
    if (!(by_staff ? takes_staff_registrations(*edition, &why) : is_open(*edition, &why))) (*errors)["edition"] = why;
  }
  return r;
}

namespace {

// SHA-256 of every submitted field, names and values (length-prefixed, in
// key order): a reused Idempotency-Key with any field changed is a conflict.
std::string fingerprint(const std::map<std::string, std::string>& fields) {
  std::string all;
  for (const auto& [k, v] : fields) {
    const std::string value = text::trim(v);
    all += std::to_string(k.size()) + ':' + k + std::to_string(value.size()) + ':' + value;
  }
  return to_hex(sha256(all));
}

}  // namespace

RegisterResult Desk::register_person(const std::map<std::string, std::string>& fields,
                                     const std::string& idempotency_key) {
  return register_fields(fields, idempotency_key, false);
}

RegisterResult Desk::register_by_staff(const std::map<std::string, std::string>& fields) {
  std::map<std::string, std::string> sent = fields;
  sent.erase("website");
  return register_fields(sent, "", true);
}

RegisterResult Desk::register_fields(const std::map<std::string, std::string>& fields,
                                     const std::string& idempotency_key, bool by_staff) {
  RegisterResult out;
  if (idempotency_key.size() > 200 || !text::is_valid_utf8(idempotency_key)) {
    out.fields["idempotency_key"] = idempotency_key.size() > 200
                                        ? "chiave Idempotency-Key troppo lunga (al massimo 200 caratteri)"
                                        : "chiave Idempotency-Key non valida: usa solo testo (UTF-8)";
    out.status = Status::invalid("dati non validi");
    return out;
  }
  Registration person = validate(fields, &out.fields, by_staff);
  if (!out.fields.empty()) {
    out.status = Status::invalid("dati non validi");
    return out;
  }
  const std::string token = random_base32(20);
  person.code = random_base32(16);
  person.token = token;
  person.token_hash = sha256(token);
  person.consent_at = utc_iso(now());
  if (options_.hold_seconds > 0 && !by_staff) {
    person.confirm_token = random_base32(20);
    person.confirm_hash = sha256(person.confirm_token);
  }
  if (!get(fields, "website").empty()) return honeypot(person);

  NewRegistration in;
  in.person = person;
  in.taken_by_staff = by_staff;
  in.idempotency_key = idempotency_key;
  in.answer_url = manage_url(person.code, token);
  in.fingerprint = fingerprint(fields);
  if (const Edition* e = catalogue_.edition(person.edition_id)) {
    const Activity* a = catalogue_.activity_of(*e);
    // One place per person among an activity's editions: a module is taken
    // in one hub, a tutoring request goes to one hub's tutors.
    in.sibling_editions = sibling_editions(e->id);
    if (a && a->kind == "tutoraggio")
      in.already_registered = in.already_in_activity =
          "con questo indirizzo e-mail c'è già una richiesta di tutoraggio aperta: chi segue il tutoraggio "
          "ti scriverà. Per chiedere un altro argomento, annulla quella richiesta dal link nella mail che ti "
          "abbiamo inviato e mandane una nuova";
  }
  auto res = store_.register_person(in);
  if (!res.ok()) {
    out.status = res.status();
    if (res.status().code() == Code::kNotFound) {
      out.fields["edition"] = "edizione sconosciuta: scegli un'edizione dal programma";
      out.status = Status::invalid("dati non validi");
    }
    // Paused by the staff: said beside the edition, as a closed one is,
    // the form kept as typed (not "check your e-mail", which a conflict
    // with the address's own registrations says).
    if (res.status().code() == Code::kConflict && res.status().message() == kRegistrationsPaused) {
      out.fields["edition"] = kRegistrationsPaused;
      out.status = Status::invalid("dati non validi");
    }
    return out;
  }
  out.outcome = *res;
  return out;
}

RegisterResult Desk::honeypot(const Registration& person) {
  // A field people never see was filled: a bot. Answer exactly as a real
  // registration would be answered now (status and position from the
  // edition's real seats), store nothing.
  RegisterResult out;
  out.honeypot = true;
  Registration& r = out.outcome.registration;
  r.code = person.code;
  r.edition_id = person.edition_id;
  r.status = options_.hold_seconds > 0 ? "pending" : "confirmed";
  if (auto counts = store_.counts(); counts.ok()) {
    for (const auto& c : *counts) {
      if (c.edition_id != person.edition_id || c.taken < c.capacity) continue;
      r.status = "waitlisted";
      r.position = c.waitlisted + 1;
    }
  }
  if (r.status == "pending") r.hold_expires_at = now() + options_.hold_seconds;
  out.outcome.answer_url = manage_url(person.code, person.token);
  return out;
}

Result<Registration> Desk::check_confirm_token(const std::string& code, const std::string& token) {
  static const std::string kDummy(32, '\0');
  const std::string presented = sha256(token);
  if (code.size() != kCodeLength || token.empty()) {
    constant_time_equal(presented, kDummy);
    return Status::not_found("link di conferma non valido");
  }
  auto r = store_.find(code);
  if (!r.ok()) {
    constant_time_equal(presented, kDummy);
    if (r.status().code() == Code::kNotFound) return Status::not_found("link di conferma non valido");
    return r.status();
  }
  if (r->confirm_hash.empty()) {
    constant_time_equal(presented, kDummy);
    if (r->status == "expired") return Status::conflict(kHoldLapsed);
    return Status::not_found("link di conferma non valido o non più attivo");
  }
  if (!constant_time_equal(presented, r->confirm_hash))
    return Status::not_found("link di conferma non valido o non più attivo");
  return r;
}

std::vector<std::string> Desk::sibling_editions(const std::string& edition_id) const {
  std::vector<std::string> out;
  const Edition* e = catalogue_.edition(edition_id);
  const Activity* a = e ? catalogue_.activity_of(*e) : nullptr;
  if (!a) return out;
  // An edition that has ended holds nobody's place any more (a waiting
  // place there can no longer be given up): neither its own registrations
  // nor the siblings' count against each other.
  if (now() >= e->end_utc) return out;
  for (const auto& sibling : a->editions)
    if (sibling.id != edition_id && now() < sibling.end_utc) out.push_back(sibling.id);
  return out;
}

std::string Desk::registered_again(const Registration& r) {
  const std::vector<std::string> siblings = sibling_editions(r.edition_id);
  std::vector<HeldPlace> held;
  std::vector<std::string> editions = siblings;
  editions.push_back(r.edition_id);
  for (const auto& edition : editions)
    if (auto rows = store_.list(edition); rows.ok())
      for (const auto& other : *rows)
        if (other.id != r.id && is_active(other.status) && same_person(other, r))
          held.push_back({other.edition_id, other.code});
  const Status why = bp::registration::registered_since(r, siblings, held);
  return why.is_ok() ? "" : why.message();
}

Result<Registration> Desk::confirm(const std::string& code, const std::string& token) {
  auto r = check_confirm_token(code, token);
  if (!r.ok()) return r;
  if (r->status == "expired")
    if (const std::string why = lapsed_refusal(*r); !why.empty()) return Status::conflict(why);
  return store_.confirm(code, sibling_editions(r->edition_id));
}

std::string Desk::lapsed_refusal(const Registration& r) const {
  const Edition* e = catalogue_.edition(r.edition_id);
  std::string why = "le iscrizioni a questa edizione sono chiuse";
  if (e && is_open(*e, &why)) return "";
  return "il tempo per confermare è scaduto e " + why;
}

Status Desk::resend_links(const std::string& email_field, FieldErrors* errors) {
  const std::string email = text::trim(email_field);
  if (email.empty()) (*errors)["email"] = "indica l'indirizzo e-mail con cui ti sei iscritta o iscritto";
  else if (!valid_email(email)) (*errors)["email"] = email_problem(email);
  if (!errors->empty()) return Status::invalid("dati non validi");
  auto sent = store_.resend_links(email);
  return sent.ok() ? Status::ok() : sent.status();
}

std::string without_pasted_marks(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s.compare(i, 2, "\xC2\xAD") == 0) {  // soft hyphen
      ++i;
    } else if (s.compare(i, 2, "\xC2\xA0") == 0) {  // no-break space
      out += ' ';
      ++i;
    } else if (s.compare(i, 3, "\xEF\xBB\xBF") == 0 || s.compare(i, 3, "\xE2\x80\x8B") == 0 ||
               s.compare(i, 3, "\xE2\x81\xA0") == 0) {  // BOM, zero-width space, word joiner
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

bool Desk::check_edition_message(EditionMessage* m, FieldErrors* errors) const {
  const std::size_t before = errors->size();
  m->subject = text::trim(without_pasted_marks(m->subject));
  std::string body;
  for (char c : without_pasted_marks(m->body))
    if (c != '\r') body += c;
  m->body = text::trim(body);
  auto has_control = [](const std::string& v, bool multiline) {
    for (unsigned char c : v)
      if ((c < 0x20 && !(multiline && (c == '\n' || c == '\t'))) || c == 0x7f) return true;
    return false;
  };
  if (m->subject.empty()) {
    (*errors)["subject"] = "scrivi l'oggetto del messaggio";
  } else if (has_control(m->subject, false)) {
    (*errors)["subject"] = "l'oggetto deve stare su una riga, senza caratteri di controllo";
  } else if (!text::is_valid_utf8(m->subject)) {
    (*errors)["subject"] = "l'oggetto contiene caratteri non validi";
  } else if (code_points(m->subject).size() > 150) {
    (*errors)["subject"] = "oggetto troppo lungo (al massimo 150 caratteri)";
  } else {
    check_text(m->subject, 150, false, "subject", errors);  // invisible and direction marks
  }
  // Refused above; not written back into the form either (a header break).
  for (char& c : m->subject)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  // The text is the staff's own, pasted from anywhere: emoji joiners and
  // the like pass; control characters other than tabs do not.
  if (m->body.empty()) {
    (*errors)["body"] = "scrivi il testo del messaggio";
  } else if (!text::is_valid_utf8(m->body)) {
    (*errors)["body"] = "il testo contiene caratteri non validi";
  } else if (has_control(m->body, true)) {
    (*errors)["body"] = "il testo contiene caratteri di controllo non ammessi";
  } else if (code_points(m->body).size() > 10000) {
    (*errors)["body"] = "testo troppo lungo (al massimo 10.000 caratteri)";
  }
  // To one person («Scrivi» on their page): no group to choose.
  if (m->statuses.empty() && m->registration_code.empty()) (*errors)["statuses"] = "scegli a chi mandarlo";
  if (!m->statuses.empty() && !m->registration_code.empty())
    (*errors)["statuses"] = "destinatari non validi: una persona o dei gruppi, non entrambi";
  for (const auto& st : m->statuses)
    if (st != "confirmed" && st != "pending" && st != "waitlisted")
      (*errors)["statuses"] = "destinatari non validi: scegli tra quelli elencati";
  return errors->size() == before;
}

Result<EditionMessage> Desk::send_edition_message(const EditionMessage& m) {
  const std::string base = options_.public_base_url;
  return store_.back_office().send_edition_message(m, [this, &base, &m](const Registration& r) {
    return edition_message_copy(catalogue_, base, m.subject, m.body, r);
  });
}

Result<Registration> Desk::correct_contact(const std::string& code, const std::map<std::string, std::string>& fields,
                                           FieldErrors* errors) {
  Registration details;
  validate_contact(fields, &details, errors);
  // The age band: kept when not sent; to under 14 only when it already was
  // (the guardian's consent is given at registration, not collected here).
  auto current = store_.find(code);
  if (!current.ok()) return current.status();
  std::string band = get(fields, "age_band");
  if (band.empty()) band = current->age_band;
  bool band_ok = band == current->age_band;
  for (const auto& b : age_band_choices()) band_ok = band_ok || band == b.code;
  if (!band_ok)
    (*errors)["age_band"] = "fascia d'età non valida: scegline una dell'elenco";
  else if (band == "under-14" && current->age_band != "under-14")
    (*errors)["age_band"] =
        "per chi ha meno di 14 anni serve il consenso di un genitore o di chi ne fa le veci, che si dà "
        "iscrivendosi: annulla questa iscrizione e chiedi di iscriversi di nuovo con il consenso";
  if (!errors->empty()) return Status::invalid("dati non validi");
  // A registration of an ended edition is corrected onto the address the
  // person uses now (attendance and certificate with it): sibling_editions
  // gives it none to meet.
  return store_.correct_contact(code, {details.first_name, details.last_name, details.email, details.organisation,
                                       details.role, details.region, band, sibling_editions(current->edition_id)});
}

Result<Registration> Desk::authorise(const std::string& code, const std::string& token) {
  static const std::string kDummy(32, '\0');
  const std::string presented = sha256(token);
  if (code.size() != kCodeLength || token.empty()) {
    constant_time_equal(presented, kDummy);
    return Status::not_found("iscrizione non trovata o link non valido");
  }
  auto r = store_.find(code);
  if (!r.ok()) {
    constant_time_equal(presented, kDummy);
    if (r.status().code() == Code::kNotFound) return Status::not_found("iscrizione non trovata o link non valido");
    return r.status();
  }
  if (!constant_time_equal(presented, r->token_hash))
    return Status::not_found("iscrizione non trovata o link non valido");
  return r;
}

Result<Registration> Desk::cancel(const std::string& code, const std::string& token) {
  auto r = authorise(code, token);
  if (!r.ok()) return r;
  if (std::string why = cancel_refusal(*r); !why.empty()) return Status::conflict(why);
  return store_.cancel(code);
}

std::string Desk::cancel_refusal(const Registration& r) const {
  const Edition* e = catalogue_.edition(r.edition_id);
  if (!e) return "";
  if (r.status != "confirmed") {
    if ((r.status != "waitlisted" && r.status != "pending") || now() < e->end_utc) return "";
    return "questa edizione si è conclusa " + italian_datetime_after("il", e->end_local) +
           ": non c'è più un posto da lasciare";
  }
  const Activity* a = catalogue_.activity_of(*e);
  if (a && a->kind == "tutoraggio") {
    if (now() < e->end_utc) return "";
    return "il periodo del tutoraggio si è concluso " + italian_datetime_after("il", e->end_local) +
           ": la richiesta resta nel registro del programma e non si annulla più";
  }
  if (!has_begun(*e)) return "";
  const std::string when =
      now() >= e->end_utc ? "questa edizione si è conclusa " + italian_datetime_after("il", e->end_local)
      : e->sessions.empty()
          ? "questa edizione è iniziata " + italian_datetime_after("il", e->start_local)
          : "questa edizione è iniziata " +
                italian_datetime_after("il", e->sessions.front().date + "T" + e->sessions.front().start);
  return when + ": l'iscrizione resta nel registro del programma, con le presenze, e non si annulla più";
}

}  // namespace bp::registration
