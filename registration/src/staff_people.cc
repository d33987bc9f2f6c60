// People: search across editions by e-mail or code, a person's page with
// their registrations and messages, and for admins the data export and the
// erasure with a typed confirmation.
#include <algorithm>
#include <chrono>
#include <regex>

#include "bp/civil_time.h"
#include "bp/text.h"
#include "html_pages.h"
#include "personal_data_view.h"
#include "staff_pages.h"
#include "store_rules.h"

namespace bp::registration {

namespace {

// A message's text as the staff may hand it on: the personal links' tokens
// («?token=…», which open, confirm or cancel a registration) left out, so
// that a copy of the person's data in the staff's hands opens nothing.
std::string without_personal_links(const std::string& body) {
  static const std::regex token("([?&]token=)[A-Za-z0-9_-]+");
  return std::regex_replace(body, token, "$1[rimosso]");
}

using nlohmann::json;

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

json registration_row(Context& ctx, const Registration& r) {
  const Edition* e = ctx.desk->catalogue().edition(r.edition_id);
  const Activity* a = e ? ctx.desk->catalogue().activity_of(*e) : nullptr;
  return {{"code", r.code},
          {"name", staff_view::person_name(r)},
          {"email", r.email},
          {"edition", r.edition_id},
          {"activity", a ? a->title : r.edition_id},
          {"status", r.status},
          {"status_label", staff_view::status_label(r.status)},
          {"created", rome_short(r.created_at)},
          {"created_iso", r.created_at},
          {"attended", r.attended},
          {"movable", can_be_moved(ctx.desk->catalogue(), r)},
          {"can_cancel", can_be_cancelled(r)},
          {"can_confirm", can_be_confirmed(r)},
          // What the person wrote for the organisers (access needs…).
          {"person_notes", r.erased_at.empty() ? r.notes : ""},
          {"erased", !r.erased_at.empty()}};
}

// The fields of the correction form, in its order.
constexpr const char* kCorrectable[] = {"first_name", "last_name", "email",   "organisation",
                                        "role",       "region",    "age_band"};

// A registration's correctable fields as the form shows them.
std::map<std::string, std::string> correctable_values(const Registration& r) {
  return {{"first_name", r.first_name},     {"last_name", r.last_name}, {"email", r.email},
          {"organisation", r.organisation}, {"role", r.role},           {"region", r.region},
          {"age_band", r.age_band}};
}

// The age bands a correction may choose: «under 14» only for who already is
// (the guardian's consent is given by registering; Desk::correct_contact).
std::vector<Choice> correctable_bands(const Registration& r) {
  std::vector<Choice> out;
  for (const auto& b : age_band_choices())
    if (b.code != "under-14" || r.age_band == "under-14") out.push_back(b);
  return out;
}

// The fields a person's contact form shows (the correction's, the staff's
// registration's): `v` the values shown (field -> text), `errors` beside
// their fields and listed at the top, in the order of `fields`; `bands` the
// age bands offered.
json contact_form_view(Context& ctx, const std::map<std::string, std::string>& v, const FieldErrors& errors,
                       const std::vector<const char*>& fields, const std::vector<Choice>& bands) {
  // What was typed, without control characters (refused, but not to be
  // written back into the page).
  const auto value = [&v](const char* k) {
    auto it = v.find(k);
    std::string out;
    if (it != v.end())
      for (char c : it->second)
        if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) out += c;
    return out;
  };
  // A select shows what was sent; a value it does not offer (a tampered
  // form, or nothing chosen yet) shows "scegli" rather than silently its
  // first option.
  const auto options = [](const std::vector<Choice>& choices, const std::string& sent) {
    json out = json::array();
    bool known = false;
    for (const auto& c : choices) known = known || c.code == sent;
    if (!known) out.push_back({{"value", ""}, {"label", "— scegli —"}, {"selected", true}});
    for (const auto& c : choices) out.push_back({{"value", c.code}, {"label", c.label}, {"selected", c.code == sent}});
    return out;
  };
  std::vector<Choice> region_choices;
  if (const Vocabulary* rv = ctx.desk->taxonomy().vocabulary("region"))
    for (const auto& t : rv->terms) region_choices.push_back({t.slug, t.label});
  json error_list = json::array(), e = json::object();
  for (const char* field : fields)
    if (auto it = errors.find(field); it != errors.end()) {
      error_list.push_back({{"id", field}, {"label", html::field_label(field)}, {"message", it->second}});
      e[field] = it->second;
    }
  json values = json::object();
  for (const char* k : {"first_name", "last_name", "email", "organisation", "notes"}) values[k] = value(k);
  return {{"v", values},
          {"e", e},
          {"roles", options(role_choices(), value("role"))},
          {"regions", options(region_choices, value("region"))},
          {"age_bands", options(bands, value("age_band"))},
          {"has_errors", !errors.empty()},
          {"error_list", error_list}};
}

// The correction form of `r`.
json correction_view(Context& ctx, const Registration& r, const std::map<std::string, std::string>& v,
                     const FieldErrors& errors, std::size_t others) {
  json view = contact_form_view(
      ctx, v, errors, std::vector<const char*>(std::begin(kCorrectable), std::end(kCorrectable)), correctable_bands(r));
  view["section"] = "persone";
  view["code"] = r.code;
  view["name"] = r.first_name + " " + r.last_name;
  view["age_band_hint"] = r.age_band == "under-14"
                              ? ""
                              : "«Meno di 14 anni» non c'è: serve il consenso di un genitore, che si dà iscrivendosi. "
                                "In quel caso annulla l'iscrizione e chiedi di iscriversi di nuovo.";
  view["active"] = is_active(r.status);
  // «Correggi anche l'altra sua iscrizione», «… le altre 2 sue iscrizioni»:
  // ticked, so that one person stays one person.
  view["others"] =
      others == 0 ? json(false)
      : others == 1
          ? json("Correggi anche l'altra sua iscrizione con lo stesso indirizzo")
          : json("Correggi anche le altre " + std::to_string(others) + " sue iscrizioni con lo stesso indirizzo");
  view["others_checked"] = v.count("tutte") == 0 || v.at("tutte") == "1";
  return view;
}

// Other registrations with the same address as `r`, not erased.
Result<std::size_t> others_of_person(Context& ctx, const Registration& r) {
  auto person = registrations_of_person(ctx, r);
  if (!person.ok()) return person.status();
  return static_cast<std::size_t>(
      std::count_if(person->begin() + 1, person->end(), [](const Registration& x) { return x.erased_at.empty(); }));
}

// What happened to a person's registrations, oldest first: each one's own
// dates (made, confirmed, promoted, cancelled, expired, erased) and what
// the staff did to it (the activity log's lines on its code, but views and
// searches); and the staff's notes on them.
struct PersonHistory {
  json events = json::array();
  json notes = json::array();
};

Result<PersonHistory> person_history(Context& ctx, const std::vector<Registration>& person) {
  struct Event {
    std::string at;  // UTC ISO: orders them
    std::string what, who, code;
  };
  std::vector<Event> events;
  std::vector<std::int64_t> ids;
  for (const auto& x : person) {
    ids.push_back(x.id);
    AuditQuery q;
    q.target = x.code;
    q.changes_only = true;  // 200 views of the page must not push the staff's actions out
    q.limit = 200;
    auto lines = ctx.store->accounts().audit(q);
    if (!lines.ok()) return lines.status();
    std::set<std::string> by_staff;  // actions the log says the staff did
    std::vector<Event> staff;        // after the registration's own, within one second
    for (auto e = lines->rbegin(); e != lines->rend(); ++e) {
      if (e->action == "view_person" || e->action == "search" || e->action == "list" || e->action == "note") continue;
      by_staff.insert(e->action);
      staff.push_back(
          {e->at, audit_action_label(e->action) + (e->details.empty() ? "" : ": " + e->details), e->actor, x.code});
    }
    const auto own = [&](const std::string& at, const std::string& what, const char* staff_action) {
      if (!at.empty() && (staff_action == nullptr || by_staff.count(staff_action) == 0))
        events.push_back({at, what, "", x.code});
    };
    own(x.created_at, "iscrizione dal sito all'edizione " + x.edition_id, "register");
    // Confirmed when made or promoted (no link to confirm, or taken by the
    // staff): no line of its own.
    if (x.confirmed_at != x.created_at && x.confirmed_at != x.promoted_at && by_staff.count("register") == 0)
      own(x.confirmed_at, "confermata dalla persona con il link", "confirm");
    own(x.promoted_at, "posto dalla lista d'attesa", nullptr);
    own(x.cancelled_at, "annullata dalla persona", "cancel");
    own(x.expired_at, "non confermata in tempo: posto liberato", nullptr);
    own(x.erased_at, "dati personali cancellati", "erase");
    events.insert(events.end(), staff.begin(), staff.end());
  }
  std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) { return a.at < b.at; });
  PersonHistory out;
  for (const auto& e : events)
    out.events.push_back({{"when", rome_short(e.at)}, {"what", e.what}, {"who", e.who}, {"code", e.code}});
  auto notes = ctx.store->back_office().notes(ids);
  if (!notes.ok()) return notes.status();
  for (const auto& n : *notes) {
    std::string code;
    for (const auto& x : person)
      if (x.id == n.registration_id) code = x.code;
    out.notes.push_back({{"id", n.id},
                         {"account_id", n.account_id},
                         {"when", rome_short(n.written_at)},
                         {"who", n.author},
                         {"text", n.body},
                         {"code", code}});
  }
  return out;
}

// A note is corrected or deleted by its author (`author_account`; 0 for
// the shared token, which no account is), or an admin.
bool may_change_note(const Principal& who, std::int64_t author_account) {
  return who.role == Role::kAdmin || (who.account_id != 0 && who.account_id == author_account);
}

}  // namespace

void get_people(Context& ctx, const Principal& who, const Req& req, Res& res) {
  // The search words arrive by POST (the same page), never in the URL.
  const std::string query = lower(text::trim(http::form_fields(req)["cerca"]));
  json found = json::array();
  if (!query.empty()) {
    auto all = ctx.store->list("");
    if (!all.ok()) return send_staff_error(ctx, who, res, all.status());
    std::string codes;
    for (const auto& r : *all)
      // A code read out on the phone: its first 6 letters or more are enough.
      if (lower(r.email) == query || r.code == query || (query.size() >= 6 && r.code.rfind(query, 0) == 0) ||
          (query.size() >= 3 && lower(r.email).find(query) != std::string::npos) ||
          staff_view::person_named(query, r)) {
        found.push_back(registration_row(ctx, r));
        codes += (codes.empty() ? ": " : ", ") + r.code;
      }
    // The log says which registrations were looked up, never the words
    // searched (a name or part of an address is the person's data, which
    // an erasure could not find again to remove).
    audit(ctx, who, req, "search", "persone", "ricerca (" + text::count_noun(found.size(), "risultato", "risultati") + codes + ")");
  }
  // «Cerca» with nothing but spaces: said, rather than the same page again.
  const bool blank = req.method == "POST" && query.empty();
  ctx.guard->send_page(who, res, "staff_people", "Persone",
                       {{"section", "persone"},
                        {"query", query},
                        {"searched", !query.empty()},
                        {"results", found},
                        {"blank", blank},
                        {"none", !query.empty() && found.empty()}});
}

void get_person(Context& ctx, const Principal& who, const Req& req, Res& res) {
  auto r = ctx.store->find(req.matches[1]);
  if (!r.ok()) return send_staff_error(ctx, who, res, r.status());
  json regs = json::array(), messages = json::array();
  auto person = registrations_of_person(ctx, *r);
  if (!person.ok()) return send_staff_error(ctx, who, res, person.status());
  for (const auto& x : *person) {
      regs.push_back(registration_row(ctx, x));
      auto ms = ctx.store->messages_for(x.id);
      if (!ms.ok()) return send_staff_error(ctx, who, res, ms.status());
      for (const auto& m : *ms) {
        // Still queued when the person's data were erased: never sent.
        const bool withdrawn = m.last_error == kNotSentErased;
        messages.push_back({{"subject", m.subject},
                            {"created", rome_short(m.created_at)},
                            {"delivered", withdrawn ? "" : rome_short(m.delivered_at)},
                            {"error", withdrawn ? "" : m.last_error},
                            {"withdrawn", withdrawn},
                            {"queued", m.delivered_at.empty() && m.last_error.empty()},
                            {"code", x.code}});
      }
    }
    auto history = person_history(ctx, *person);
    if (!history.ok()) return send_staff_error(ctx, who, res, history.status());
    audit(ctx, who, req, "view_person", r->code, "scheda della persona");
    // After «Conferma» on this page (post_confirm_registration).
    const std::string confirmed_code = req.get_param_value("confermata");
    json view = registration_row(ctx, *r);
    view["section"] = "persone";
    view["organisation"] = r->organisation;
    view["role"] = staff_view::role_label(r->role);
    view["region"] = ctx.desk->taxonomy().label("region", r->region);
    view["age_band"] = staff_view::age_band_label(r->age_band);
    view["guardian"] = guardian_of(*r).empty() ? json(false) : json(guardian_of(*r));
    view["registrations"] = regs;
    view["has_person_notes"] = std::any_of(regs.begin(), regs.end(),
                                           [](const json& x) { return !x["person_notes"].get<std::string>().empty(); });
    view["messages"] = messages;
    view["has_messages"] = !messages.empty();
    for (auto& n : history->notes) n["editable"] = may_change_note(who, n["account_id"].get<std::int64_t>());
    view["notes"] = history->notes;
    view["has_notes"] = !history->notes.empty();
    view["history"] = history->events;
    view["note_saved_now"] = req.get_param_value("nota") == "1";
    view["note_changed_now"] = req.get_param_value("nota") == "modificata";
    view["note_deleted_now"] = req.get_param_value("nota") == "eliminata";
    view["is_admin"] = who.role == Role::kAdmin;
    view["erased_now"] = req.get_param_value("cancellati") == "1";
    for (const auto& x : *person)
      if (x.code == confirmed_code && x.status == "confirmed")
        view["confirmed_now"] = {{"code", x.code}, {"edition", x.edition_id}};
    // After «Iscrivi una persona» (post_edition_register): how it went, from the store.
    if (req.get_param_value("iscritta") == "1" && r->erased_at.empty())
      view["registered_now"] = {{"confirmed", r->status == "confirmed"},
                                {"waitlisted", r->status == "waitlisted"},
                                {"position", r->position > 0 ? json(r->position) : json(false)},
                                {"status_label", staff_view::status_label(r->status)},
                                {"edition", r->edition_id},
                                // Queued, not sent, without BP_MAIL_COMMAND.
                                {"mail_off", ctx.options.mail_command.empty()}};
    // After a correction (post_person_correct): what changed, never in the URL
    // beyond a flag.
    const std::string corrected = req.get_param_value("corretti");
    view["corrected_now"] = corrected == "1";
    // After «Sposta» (post_move): from where, and who got the seat left.
    if (const std::string from = req.get_param_value("spostata"); !from.empty() && from != r->edition_id) {
      json moved = {{"from", from}, {"to", r->edition_id}, {"status_label", staff_view::status_label(r->status)}};
      if (auto next = ctx.store->find(req.get_param_value("subentra")); next.ok() && next->edition_id == from)
        moved["promoted"] = {{"name", next->first_name + " " + next->last_name},
                             {"code", next->code},
                             {"status_label", staff_view::status_label(next->status)}};
      view["moved_now"] = moved;
    }
  view["unchanged_now"] = corrected == "0";
  view["links_sent_now"] = corrected == "1" && req.get_param_value("link") == "1";
  // The person's other registrations corrected with it, or that could not be.
  const int also = std::atoi(req.get_param_value("altre").c_str());
  // Those left with the old address are no longer this person's: linked by code.
  json refused_codes = json::array();
  const std::string listed = req.get_param_value("rifiutate");
  for (std::size_t at = 0; at < listed.size();) {
    const std::size_t comma = std::min(listed.find(',', at), listed.size());
    const std::string c = listed.substr(at, comma - at);
    if (code_shaped(c)) refused_codes.push_back(c);
    at = comma + 1;
  }
  const auto refused = refused_codes.size();
  if (also > 0)
    view["also_corrected"] =
        also == 1 ? "Corretta anche l'altra iscrizione con lo stesso indirizzo."
                  : "Corrette anche le altre " + std::to_string(also) + " iscrizioni con lo stesso indirizzo.";
  if (refused > 0) {
    view["also_refused"] =
        text::count_noun(refused, "iscrizione", "iscrizioni") + " con il vecchio indirizzo non " +
        (refused == 1 ? "è stata corretta: il nuovo indirizzo ha già un posto nella sua edizione o in un'altra "
                        "edizione della stessa attività"
                      : "sono state corrette: il nuovo indirizzo ha già un posto nelle loro edizioni o in altre "
                        "edizioni delle stesse attività") +
        ". Aprila dal codice: annulla una delle due iscrizioni, o correggila con un altro indirizzo:";
    view["refused_codes"] = refused_codes;
  }
  ctx.guard->send_page(who, res, "staff_person", "Scheda persona", view);
}

void get_person_correct(Context& ctx, const Principal& who, const Req& req, Res& res) {
  auto r = ctx.store->find(req.matches[1]);
  if (!r.ok()) return send_staff_error(ctx, who, res, r.status());
  if (!r->erased_at.empty())
    return send_staff_error(ctx, who, res,
                            Status::conflict("i dati personali di questa iscrizione sono stati cancellati"));
  auto others = others_of_person(ctx, *r);
  if (!others.ok()) return send_staff_error(ctx, who, res, others.status());
  ctx.guard->send_page(who, res, "staff_correct", "Correggi i dati",
                       correction_view(ctx, *r, correctable_values(*r), {}, *others));
}

void post_person_correct(Context& ctx, const Principal& who, const Req& req, Res& res) {
  const std::string code = req.matches[1];
  const auto fields = http::form_fields(req);
  // The person's other registrations, found by the address before it
  // changes, and whether each is the same person (same_person): a parent's
  // child on the same address, or the parent from a child's registration,
  // gets the new address only, their own name and age band kept.
  std::vector<std::pair<std::string, bool>> others;
  if (fields.count("tutte") && fields.at("tutte") == "1")
    if (auto r = ctx.store->find(code); r.ok())
      if (auto person = registrations_of_person(ctx, *r); person.ok())
        for (std::size_t i = 1; i < person->size(); ++i)
          if ((*person)[i].erased_at.empty())
            others.emplace_back((*person)[i].code, same_person((*person)[i], person->front()));
  FieldErrors errors;
  auto out = staff_correct(ctx, who, req, code, fields, &errors);
  if (!out.ok() && errors.empty() && out.status().code() == Code::kConflict) {
    // The new address has an active registration in the edition: said
    // beside the e-mail, with the form as typed (an erased registration,
    // the other conflict, has no form: the message page says so).
    auto r = ctx.store->find(code);
    if (r.ok() && r->erased_at.empty()) errors["email"] = out.status().message();
  }
  if (!out.ok() && !errors.empty()) {
    auto r = ctx.store->find(code);
    if (!r.ok()) return send_staff_error(ctx, who, res, r.status());
    auto others = others_of_person(ctx, *r);
    if (!others.ok()) return send_staff_error(ctx, who, res, others.status());
    std::map<std::string, std::string> sent;
    for (const char* k : kCorrectable)
      if (auto it = fields.find(k); it != fields.end()) sent[k] = it->second;
    sent["tutte"] = fields.count("tutte") ? fields.at("tutte") : "0";
    return ctx.guard->send_page(who, res, "staff_correct", "Errore: correggi i dati",
                                correction_view(ctx, *r, sent, errors, *others),
                                out.status().code() == Code::kConflict ? 409 : 400);
  }
  if (!out.ok()) return send_staff_error(ctx, who, res, out.status());
  // The same data on the person's other registrations; one that cannot take
  // them (the new address already registered in its edition) is said.
  std::size_t done = 0;
  std::string refused;  // their codes, for the person's page to link them
  bool links = out->links_sent;
  for (const auto& [other, same] : others) {
    std::map<std::string, std::string> theirs = fields;
    if (!same) {
      auto o = ctx.store->find(other);
      if (!o.ok()) continue;
      theirs = correctable_values(*o);
      if (auto e = fields.find("email"); e != fields.end()) theirs["email"] = e->second;
    }
    FieldErrors ignored;
    auto more = staff_correct(ctx, who, req, other, theirs, &ignored);
    if (more.ok())
      ++done;
    else
      refused += (refused.empty() ? "" : ",") + other;
    links = links || (more.ok() && more->links_sent);
  }
  redirect(res, "/staff/persone/" + code + "?corretti=" + (out->changed.empty() && done == 0 ? "0" : "1") +
                    (links ? "&link=1" : "") + (done ? "&altre=" + std::to_string(done) : "") +
                    (refused.empty() ? "" : "&rifiutate=" + refused));
}

namespace {

// A person's access request (GDPR art. 15): everything kept about the
// person the erasure would blank, so the two cover the same data: each of
// their registrations with its messages (personal links taken out), and the
// staff's handling of a tutoring request (state, who follows it, notes) and
// their notes. The JSON file and the readable page are made from it.
Result<json> person_export(Context& ctx, const Registration& r) {
  auto person = registrations_of_person(ctx, r);
  if (!person.ok()) return person.status();
  auto cases = ctx.store->back_office().tutoring_cases();
  if (!cases.ok()) return cases.status();
  json regs = json::array();
  for (const auto& x : *person) {
    auto j = personal_data_json(ctx, x);
    if (!j.ok()) return j.status();
    for (auto& m : (*j)["messages"])
      if (m.contains("body") && m["body"].is_string()) m["body"] = without_personal_links(m["body"].get<std::string>());
    if (auto c = cases->find(x.id); c != cases->end())
      (*j)["tutoring"] = {{"state", c->second.state},
                          {"assignee", c->second.assignee_email},
                          {"notes", c->second.notes},
                          {"updated_at", c->second.updated_at}};
    auto notes = ctx.store->back_office().notes({x.id});
    if (!notes.ok()) return notes.status();
    json staff_notes = json::array();
    for (const auto& n : *notes)
      staff_notes.push_back({{"written_at", n.written_at}, {"author", n.author}, {"text", n.body}});
    (*j)["staff_notes"] = staff_notes;
    regs.push_back(std::move(*j));
  }
  return regs;
}

// The codes of the exported registrations, for the activity log.
std::string export_codes(const json& regs) {
  std::string codes;
  for (const json& x : regs) codes += (codes.empty() ? "" : ", ") + x.value("code", std::string());
  return codes;
}

}  // namespace

void get_person_data(Context& ctx, const Principal& who, const Req& req, Res& res) {
  auto r = ctx.store->find(req.matches[1]);
  if (!r.ok()) return send_staff_error(ctx, who, res, r.status());
  auto regs = person_export(ctx, *r);
  if (!regs.ok()) return send_staff_error(ctx, who, res, regs.status());
  audit(ctx, who, req, "export_person", r->code,
        "dati personali scaricati (richiesta GDPR): iscrizioni " + export_codes(*regs));
  res.set_header("Content-Disposition", "attachment; filename=\"dati-persona-" + r->code + ".json\"");
  http::send_json(
      res, 200,
      {{"email", r->email},
       {"exported_at",
        utc_iso(std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
                    .count())},
       {"registrations", *regs}});
}

// The same data as get_person_data, readable in Italian, to print or save
// as PDF for the person.
void get_person_data_page(Context& ctx, const Principal& who, const Req& req, Res& res) {
  auto r = ctx.store->find(req.matches[1]);
  if (!r.ok()) return send_staff_error(ctx, who, res, r.status());
  auto regs = person_export(ctx, *r);
  if (!regs.ok()) return send_staff_error(ctx, who, res, regs.status());
  json sections = json::array();
  for (const json& x : *regs) sections.push_back(personal_data_section(*ctx.desk, x));
  audit(ctx, who, req, "export_person", r->code,
        "dati personali visti in pagina (richiesta GDPR): iscrizioni " + export_codes(*regs));
  json view = {
      {"section", "persone"}, {"code", r->code}, {"name", r->first_name + " " + r->last_name}, {"sections", sections}};
  ctx.guard->send_page(who, res, "staff_person_data", "Dati personali", view);
}

void get_person_erase(Context& ctx, const Principal& who, const Req& req, Res& res) {
  auto r = ctx.store->find(req.matches[1]);
  if (!r.ok()) return send_staff_error(ctx, who, res, r.status());
  json view = registration_row(ctx, *r);
  view["section"] = "persone";
  view["error"] = req.get_param_value("errore") == "1";
  // The erasure is the person's: every registration with the address.
  auto others = registrations_of_person(ctx, *r);
  if (!others.ok()) return send_staff_error(ctx, who, res, others.status());
  json all = json::array();
  std::size_t holding = 0;
  for (const auto& x : *others) {  // `*r` first
    if (!x.erased_at.empty()) continue;
    // A seat in an edition still to come stays taken after the erasure, by
    // a registration nobody can be reached for any more: the staff cancel
    // it first when the person will not come (the waiting list moves up).
    // A place on a waiting list holds no seat: the erasure leaves it.
    const Edition* e = ctx.desk->catalogue().edition(x.edition_id);
    const bool future = e && e->end_utc > ctx.desk->now();
    const bool holds = (x.status == "confirmed" || x.status == "pending") && future;
    holding += holds ? 1 : 0;
    all.push_back({{"code", x.code},
                   {"edition", x.edition_id},
                   {"status_label", staff_view::status_label(x.status)},
                   {"holds_seat", holds},
                   {"leaves_waitlist", x.status == "waitlisted"}});
  }
  // Erased already (a second tab, the Back button): said, without a form.
  view["already_erased"] = !r->erased_at.empty();
  view["person_code"] = r->code;  // for the way back from «Annulla l'iscrizione»
  view["erased_on"] = rome_short(r->erased_at);
  view["registrations"] = all;
  view["holding"] = holding > 0;
  view["registrations_count"] = text::count_noun(all.size(), "iscrizione", "iscrizioni");
  ctx.guard->send_page(who, res, "staff_erase", "Cancella i dati personali", view);
}

void post_person_erase(Context& ctx, const Principal& who, const Req& req, Res& res) {
  const std::string code = req.matches[1];
  // The typed word is the confirmation: a click alone cannot erase.
  if (text::trim(http::form_fields(req)["conferma"]) != "CANCELLA")
    return redirect(res, "/staff/persone/" + code + "/cancella?errore=1");
  if (Status s = staff_erase(ctx, who, req, code); !s.is_ok()) return send_staff_error(ctx, who, res, s);
  redirect(res, "/staff/persone/" + code + "?cancellati=1");
}

namespace {

// The staff's registration form, in its order (and "edition", said at the top).
constexpr const char* kRegisterFields[] = {"edition", "first_name", "last_name", "email", "organisation",
                                           "role",    "region",     "age_band",  "notes", "consent"};

// The age bands the staff may register: not «under 14», whose guardian
// gives consent by registering the child from the site.
std::vector<Choice> staff_bands() {
  std::vector<Choice> out;
  for (const auto& b : age_band_choices())
    if (b.code != "under-14") out.push_back(b);
  return out;
}

// The edition `id` the staff may register someone to, with its activity: a
// calendar activity's (a tutoring request has a topic and needs, which the
// person writes on the site).
Result<std::pair<const Edition*, const Activity*>> registrable(Context& ctx, const std::string& id) {
  const Edition* e = ctx.desk->catalogue().edition(id);
  const Activity* a = e ? ctx.desk->catalogue().activity_of(*e) : nullptr;
  if (!e || !a) return Status::not_found("edizione sconosciuta: " + id);
  if (a->kind == "tutoraggio")
    return Status::invalid(
        "il tutoraggio si chiede dal sito, con l'argomento e i bisogni scritti da chi lo chiede: aiuta la persona a "
        "compilare il modulo del programma");
  return std::make_pair(e, a);
}

json register_view(Context& ctx, const Edition& e, const Activity& a, const std::map<std::string, std::string>& v,
                   const FieldErrors& errors) {
  json view = contact_form_view(
      ctx, v, errors, std::vector<const char*>(std::begin(kRegisterFields), std::end(kRegisterFields)), staff_bands());
  view["section"] = "cruscotto";
  view["id"] = e.id;
  view["title"] = a.title;
  view["when"] = e.start_local.empty() ? json(false) : json("dal " + italian_datetime(e.start_local));
  view["age_band_hint"] =
      "Per chi ha meno di 14 anni serve il consenso di un genitore o tutore, che lo iscrive dal sito.";
  view["consent_checked"] = v.count("consent") != 0 && v.at("consent") == "true";
  std::string why;
  view["closed"] = ctx.desk->takes_staff_registrations(e, &why) ? json(false) : json(why);
  // Past the public deadline or after the start, only the staff register.
  std::string public_why;
  view["public_closed"] = why.empty() && !ctx.desk->is_open(e, &public_why) ? json(public_why) : json(false);
  view["seats_left"] = false;
  view["full"] = false;
  if (auto counts = ctx.store->counts(); counts.ok())
    for (const auto& c : *counts) {
      if (c.edition_id != e.id) continue;
      // Paused by the staff: said in the staff's words, not the public's.
      if (why.empty() && public_why.empty() && !c.paused_at.empty())
        view["public_closed"] = "sono sospese dalla pagina dell'edizione, dove si riaprono";
      if (c.taken < c.capacity)
        view["seats_left"] = "Ci sono ancora " +
                             text::count_noun(c.capacity - c.taken, "posto libero", "posti liberi") + " su " +
                             std::to_string(c.capacity) + ".";
      else
        view["full"] = "I posti sono finiti: la persona va in lista d'attesa" +
                       (c.waitlisted > 0 ? ", dopo " + text::count_noun(c.waitlisted, "persona", "persone") : "") +
                       "; se si libera un posto è confermata subito, senza link da aprire, e riceve un messaggio.";
    }
  return view;
}

}  // namespace

void get_edition_register(Context& ctx, const Principal& who, const Req& req, Res& res) {
  auto ea = registrable(ctx, req.matches[1]);
  if (!ea.ok()) return send_staff_error(ctx, who, res, ea.status());
  ctx.guard->send_page(who, res, "staff_register", "Iscrivi una persona",
                       register_view(ctx, *ea->first, *ea->second, {}, {}));
}

void post_edition_register(Context& ctx, const Principal& who, const Req& req, Res& res) {
  auto ea = registrable(ctx, req.matches[1]);
  if (!ea.ok()) return send_staff_error(ctx, who, res, ea.status());
  const Edition& e = *ea->first;
  const auto form = http::form_fields(req);
  std::map<std::string, std::string> fields;
  for (const char* k : kRegisterFields)
    if (auto it = form.find(k); it != form.end()) fields[k] = it->second;
  fields["kind"] = "edition";
  fields["edition"] = e.id;
  FieldErrors errors;
  RegisterResult out;
  if (fields["age_band"] == "under-14") {
    errors["age_band"] =
        "per chi ha meno di 14 anni serve il consenso di un genitore o tutore: chiedi che lo iscriva "
        "dal sito";
  } else {
    out = ctx.desk->register_by_staff(fields);
    errors = out.fields;
    if (errors.count("consent"))
      errors["consent"] = "spunta la casella solo dopo aver dato l'informativa alla persona, se è d'accordo";
    if (out.status.code() == Code::kConflict && errors.empty())
      errors["email"] = "questo indirizzo e-mail è già iscritto a questa edizione";
  }
  if (!errors.empty()) {
    // A message the form has no field for (the edition closed meanwhile) at the top.
    const auto on_form = [](const std::string& k) {
      return std::any_of(std::begin(kRegisterFields), std::end(kRegisterFields),
                         [&k](const char* f) { return k == f; });
    };
    FieldErrors shown;
    for (const auto& [k, m] : errors) shown[on_form(k) ? k : "edition"] = m;
    const bool conflict = out.status.code() == Code::kConflict;
    json view = register_view(ctx, e, *ea->second, fields, shown);
    // The registration the address already has here: a link to its page.
    view["already"] = false;
    if (conflict)
      if (auto rows = ctx.store->list(e.id); rows.ok())
        for (const auto& x : *rows)
          if (is_active(x.status) && lower_ascii(x.email) == lower_ascii(text::trim(fields["email"])))
            view["already"] = x.code;
    return ctx.guard->send_page(who, res, "staff_register", "Errore: iscrivi una persona", view, conflict ? 409 : 400);
  }
  if (!out.status.is_ok()) return send_staff_error(ctx, who, res, out.status);
  const Registration& r = out.outcome.registration;
  if (ctx.worker) ctx.worker->notify();
  // After the action's label («iscrizione presa dallo staff») in the log and
  // the person's history: where, and how it went.
  audit(ctx, who, req, "register", r.code,
        "edizione " + e.id + ", " + staff_view::status_label(r.status) +
            (r.status == "waitlisted" ? " (posizione " + std::to_string(r.position) + ")" : ""));
  redirect(res, "/staff/persone/" + r.code + "?iscritta=1");
}

namespace {

// Why a note's text cannot be kept, in Italian; "" when it can.
std::string note_text_error(const std::string& text) {
  if (text.empty()) return "scrivi il testo della nota";
  if (!text::is_valid_utf8(text)) return "la nota contiene caratteri non validi";
  // Characters, as the form's maxlength counts them (not bytes: «è» is two).
  if (text::code_points(text) > 2000) return "la nota è troppo lunga: al massimo 2000 caratteri";
  return {};
}

}  // namespace

void post_person_note(Context& ctx, const Principal& who, const Req& req, Res& res) {
  auto r = ctx.store->find(req.matches[1]);
  if (!r.ok()) return send_staff_error(ctx, who, res, r.status());
  const std::string text = text::trim(http::form_fields(req)["nota"]);
  if (const std::string why = note_text_error(text); !why.empty())
    return send_staff_error(ctx, who, res, Status::invalid(why));
  StaffNote n;
  n.registration_id = r->id;
  n.account_id = who.account_id;
  n.author = who.email;
  n.body = text;
  auto saved = ctx.store->back_office().add_note(n);
  if (!saved.ok()) return send_staff_error(ctx, who, res, saved.status());
  // The log says a note was written, never its words (the person's data).
  audit(ctx, who, req, "note", r->code, "nota interna aggiunta");
  redirect(res, "/staff/persone/" + r->code + "?nota=1#note");
}

// «Modifica» or «Elimina» on a note of a person's page: by its author, or
// an admin. The log says which, never the words.
void post_person_note_change(Context& ctx, const Principal& who, const Req& req, Res& res) {
  auto r = ctx.store->find(req.matches[1]);
  if (!r.ok()) return send_staff_error(ctx, who, res, r.status());
  const std::int64_t id = std::strtoll(req.matches[2].str().c_str(), nullptr, 10);
  auto notes = ctx.store->back_office().notes({r->id});
  if (!notes.ok()) return send_staff_error(ctx, who, res, notes.status());
  const auto note = std::find_if(notes->begin(), notes->end(), [id](const StaffNote& n) { return n.id == id; });
  if (note == notes->end()) return send_staff_error(ctx, who, res, Status::not_found("nota non trovata"));
  if (!may_change_note(who, note->account_id))
    return ctx.guard->send_page(
        who, res, "staff_message", "Accesso non consentito",
        {{"title", "Accesso non consentito"},
         {"text", "Una nota la cambia o la elimina solo chi l'ha scritta, o l'amministrazione."},
         {"back", true}},
        403);
  auto fields = http::form_fields(req);
  const bool remove = fields["azione"] == "elimina";
  const std::string text = remove ? std::string() : text::trim(fields["nota"]);
  if (!remove)
    if (const std::string why = note_text_error(text); !why.empty())
      return send_staff_error(ctx, who, res, Status::invalid(why));
  if (Status s = ctx.store->back_office().change_note(id, r->id, text); !s.is_ok())
    return send_staff_error(ctx, who, res, s);
  audit(ctx, who, req, "note", r->code, remove ? "nota interna eliminata" : "nota interna modificata");
  redirect(res, "/staff/persone/" + r->code + (remove ? "?nota=eliminata" : "?nota=modificata") + "#note");
}

}  // namespace bp::registration
