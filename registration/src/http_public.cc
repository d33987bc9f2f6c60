// Handlers of the public routes: programme, registration, the person's own
// registration (with its token), .ics and the certificate.
#include <algorithm>
#include <iostream>

#include "bp/italian_date.h"
#include "bp/site/respond.h"
#include "bp/text.h"
#include "crypto.h"
#include "html_pages.h"
#include "http_context.h"
#include "store_rules.h"

namespace bp::registration {

using nlohmann::json;

namespace {

// The seats a person can still take in `e`: the programme's capacity less
// the held and confirmed ones (never below zero after a capacity lowered).
int seats_left(const Edition& e, const EditionCounts& c) { return std::max(0, e.capacity - c.confirmed - c.pending); }

// "/iscrizione/<code>/ricevuta?token=..." from the absolute manage URL
// "<base>/iscrizione/<code>?token=...": the page the form lands on.
std::string receipt_path(const std::string& url) {
  const auto p = url.find("/iscrizione/");
  std::string path = p == std::string::npos ? url : url.substr(p);
  const auto q = path.find('?');
  return q == std::string::npos ? path + "/ricevuta" : path.substr(0, q) + "/ricevuta" + path.substr(q);
}

// What the person has to do next, in Italian, for an answer just given.
std::string next_step(const Desk& desk, const Registration& r) {
  if (r.status == "pending" && r.hold_expires_at > 0)
    return "Controlla la tua casella di posta: per confermare l'iscrizione apri il link che ti abbiamo "
           "inviato entro " +
           italian_datetime_after("il", rome_local(r.hold_expires_at)) + " (ora italiana). " +
           html::if_unconfirmed(desk, r);
  if (r.status == "pending")  // a replayed answer whose hold has since ended
    return "Controlla la tua casella di posta: per confermare l'iscrizione apri il link che ti abbiamo "
           "inviato.";
  if (r.status == "waitlisted")
    return "I posti sono esauriti: sei in lista d'attesa. Se si libera un posto ti scriviamo.";
  // The receipt reloaded later, or opened again with Back.
  if (r.status == "cancelled") return "Questa iscrizione è stata annullata: non hai più un posto in questa edizione.";
  if (r.status == "expired") return "Questa iscrizione non è stata confermata in tempo e il posto è stato liberato.";
  return "Iscrizione confermata: ti abbiamo inviato una e-mail con i dettagli e il link personale.";
}

// The controller's contact line for pages ("" when not configured).
std::string contact_line(const Context& ctx) {
  const Options& o = ctx.options;
  if (o.controller_name.empty() && o.controller_contact.empty()) return "";
  return o.controller_name + (o.controller_contact.empty() ? "" : " (" + o.controller_contact + ")");
}

// The form's options for a template: [{code, label}].
json choice_view(const std::vector<Choice>& choices) {
  json out = json::array();
  for (const auto& c : choices) out.push_back({{"code", c.code}, {"label", c.label}});
  return out;
}

// The person's calendar of a registration's edition (with the online
// links once confirmed), or false (calendar_for()).
json ics_url(const Context& ctx, const Registration& r) {
  const Edition* e = ctx.desk->catalogue().edition(r.edition_id);
  if (!e || !calendar_for(*e, r.status)) return false;
  return ctx.options.public_base_url + calendar_path(r);
}

// The meetings of `e`, each with its Italian label for people and, when
// `links` (for a person holding a seat), its online link.
json sessions_json(const Edition& e, bool links) {
  json out = json::array();
  for (const auto& s : e.sessions) {
    json j = {{"date", s.date}, {"start", s.start}, {"end", s.end}, {"label", format_session(s)}};
    if (!s.place.empty()) j["place"] = s.place;
    if (links && !s.online_url.empty()) j["online_url"] = s.online_url;
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace

json registration_json(const Desk& desk, const Registration& r) {
  json j = {{"code", r.code}, {"status", r.status}, {"edition", r.edition_id},
            {"first_name", r.first_name}, {"last_name", r.last_name}, {"email", r.email},
            {"organisation", r.organisation}, {"role", r.role}, {"region", r.region},
            {"age_band", r.age_band}, {"created_at", r.created_at}, {"attended", r.attended}};
  if (r.status == "waitlisted") j["position"] = r.position;
  if (r.status == "pending") j["hold_expires_at"] = utc_iso(r.hold_expires_at);
  if (!r.confirmed_at.empty()) j["confirmed_at"] = r.confirmed_at;
  if (!r.expired_at.empty()) j["expired_at"] = r.expired_at;
  if (!r.topic.empty()) j["topic"] = r.topic;
  if (!r.cancelled_at.empty()) j["cancelled_at"] = r.cancelled_at;
  if (!r.promoted_at.empty()) j["promoted_at"] = r.promoted_at;
  if (const Edition* e = desk.catalogue().edition(r.edition_id)) {
    const Activity* a = desk.catalogue().activity_of(*e);
    j["activity"] = {{"id", a ? a->id : ""}, {"title", a ? a->title : ""}, {"kind", a ? a->kind : ""}};
    j["edition_details"] = {{"hub", e->hub},
                            {"city", e->city},
                            {"start", e->start_local},
                            {"end", e->end_local},
                            {"sessions", sessions_json(*e, links_for(r.status))}};
  }
  return j;
}

void get_programme(Context& ctx, const Req&, Res& res) {
  auto counts = ctx.store->counts();
  if (!counts.ok()) return http::send_status(res, counts.status());
  std::map<std::string, EditionCounts> by_id;
  for (const auto& c : *counts) by_id[c.edition_id] = c;
  json acts = json::array();
  for (const auto& a : ctx.desk->catalogue().activities) {
    json eds = json::array();
    for (const auto& e : a.editions) {
      const EditionCounts& c = by_id[e.id];
      std::string why;
      const bool open = ctx.desk->is_open(e, c, &why);
      // Closed only by the staff's pause (it will reopen): the page says so.
      const bool paused = !open && ctx.desk->is_open(e);
      json je = {{"id", e.id},
                 {"hub", e.hub},
                 {"city", e.city},
                 {"start", e.start_local},
                 {"end", e.end_local},
                 {"deadline", e.deadline_local},
                 {"capacity", e.capacity},
                 {"seats_left", seats_left(e, c)},
                 {"waiting", c.waitlisted},
                 {"open", open},
                 {"paused", paused},
                 {"ics_url", has_calendar(e) ? json("/api/editions/" + e.id + ".ics") : json(false)},
                 {"sessions", sessions_json(e, false)}};
      if (!open) je["closed_reason"] = why;
      eds.push_back(je);
    }
    json ja = {{"id", a.id}, {"kind", a.kind}, {"title", a.title}, {"description", a.description},
               {"macro_action", a.macro_action}, {"themes", a.themes}, {"editions", eds}};
    if (!a.module.empty()) ja["module"] = a.module;
    if (!a.topics.empty()) ja["topics"] = a.topics;
    if (!a.workshops.empty()) ja["workshops"] = a.workshops;
    acts.push_back(ja);
  }
  json form = {{"roles", choice_codes(role_choices())},
               {"age_bands", choice_codes(age_band_choices())},
               {"privacy_version", ctx.options.privacy_version},
               {"honeypot_field", "website"},
               {"controller", {{"name", ctx.options.controller_name}, {"contact", ctx.options.controller_contact}}},
               {"confirm_email", ctx.desk->options().hold_seconds > 0},
               {"hold_minutes", ctx.desk->options().hold_seconds / 60},
               {"resend_url", "/api/registrations/resend"}};
  http::send_json(res, 200, {{"activities", acts}, {"targets", ctx.desk->catalogue().targets}, {"form", form}});
}

void get_edition_ics(Context& ctx, const Req& req, Res& res) {
  const Edition* e = ctx.desk->catalogue().edition(req.matches[1]);
  if (!e) return http::send_error(res, 404, "not_found", "edizione sconosciuta");
  if (!has_calendar(*e))
    return http::send_error(res, 404, "no_calendar",
                            "questa attività non ha date fisse: gli incontri si concordano con chi la segue");
  const Activity* a = ctx.desk->catalogue().activity_of(*e);
  res.set_header("Content-Disposition", "attachment; filename=\"" + e->id + ".ics\"");
  res.set_content(edition_ics(*a, *e, ctx.options.public_base_url, ctx.desk->now(), false),
                  "text/calendar; charset=utf-8");
}

void get_registration_ics(Context& ctx, const Req& req, Res& res) {
  http::private_headers(res);
  const std::string key = req.has_param("key") ? req.get_param_value("key") : std::string();
  auto r = ctx.store->find(req.matches[1]);
  if (!r.ok() && r.status().code() != Code::kNotFound) return http::send_status(res, r.status());
  // Constant time, and the same 404 for an unknown code or a wrong key.
  const std::string want = r.ok() ? calendar_key(*r) : std::string(32, '0');
  const bool match = constant_time_equal(key, want);
  if (!r.ok() || !match || !r->erased_at.empty())
    return http::send_error(res, 404, "not_found", "Calendario non trovato o link non valido");
  const Edition* e = ctx.desk->catalogue().edition(r->edition_id);
  if (!e || !has_calendar(*e))
    return http::send_error(res, 404, "no_calendar",
                            "questa attività non ha date fisse: gli incontri si concordano con chi la segue");
  if (!calendar_for(*e, r->status))
    return http::send_error(res, 404, "no_calendar", "il calendario è per chi ha un posto in questa edizione");
  const Activity* a = ctx.desk->catalogue().activity_of(*e);
  res.set_header("Content-Disposition", "attachment; filename=\"" + e->id + ".ics\"");
  res.set_content(edition_ics(*a, *e, ctx.options.public_base_url, ctx.desk->now(), links_for(r->status)),
                  "text/calendar; charset=utf-8");
}

void post_registration(Context& ctx, const Req& req, Res& res) {
  if (!http::admit_post(ctx, req, res)) return;
  std::map<std::string, std::string> fields;
  if (!http::read_fields(req, res, &fields)) return;
  const bool form = http::is_form(req);
  auto r = ctx.desk->register_person(fields, req.get_header_value("Idempotency-Key"));
  http::private_headers(res);
  if (!r.status.is_ok()) {
    if (form && !r.fields.empty())
      return http::send_html(
          res, 400,
          html::form_errors(*ctx.pages, ctx.desk->catalogue(), r.fields,
                            ctx.desk->catalogue().edition(fields["edition"]) ? fields["edition"] : ""));
    if (!r.fields.empty()) return http::send_fields(res, r.fields);
    // A conflict is about registrations the address already has (a form
    // sent twice, a pending limit): their links are in the e-mails sent.
    if (form && r.status.code() == Code::kConflict)
      return http::send_html(
          res, 409,
          html::message(*ctx.pages, "Controlla la tua e-mail", r.status.message(), "/iscrizione/nuovo-link",
                        "Non trovi l'e-mail? Fatti inviare di nuovo i link"));
    if (form) return http::send_status_page(*ctx.pages, res, r.status);
    return http::send_status(res, r.status);
  }
  if (ctx.worker) ctx.worker->notify();
  const Registration& reg = r.outcome.registration;
  if (r.outcome.replayed) res.set_header("Idempotent-Replayed", "true");
  // A bot that filled the honeypot gets this same answer (r.honeypot): the
  // same status, shape and redirect, with a code that leads nowhere.
  if (form) {
    // Its own page, so that Back and reload never lose the code.
    res.status = 303;
    res.set_header("Location", receipt_path(r.outcome.answer_url));
    return res.set_content("Vai a " + receipt_path(r.outcome.answer_url), "text/plain; charset=utf-8");
  }
  json body = {{"code", reg.code},
               {"status", reg.status},
               {"cancel_url", r.outcome.answer_url},
               {"ics_url", ics_url(ctx, reg)},
               {"edition", reg.edition_id},
               {"receipt_url", ctx.options.public_base_url + receipt_path(r.outcome.answer_url)},
               {"message", next_step(*ctx.desk, reg)}};
  if (reg.status == "waitlisted") body["position"] = reg.position;
  if (reg.status == "pending" && reg.hold_expires_at > 0) body["hold_expires_at"] = utc_iso(reg.hold_expires_at);
  http::send_json(res, 201, body);
}

void post_resend_links(Context& ctx, const Req& req, Res& res) {
  if (!http::admit_post(ctx, req, res)) return;
  std::map<std::string, std::string> fields;
  if (!http::read_fields(req, res, &fields)) return;
  const bool form = http::is_form(req);
  http::private_headers(res);
  const std::string email = fields["email"];
  FieldErrors errors;
  // Past its hourly allowance an address is silently not written to: the
  // answer must stay the same, or it would tell who is registered.
  Status s = Status::ok();
  if (http::take_resend(ctx, "", email))
    s = ctx.desk->resend_links(email, &errors);
  else if (std::string why = email_address_problem(text::trim(email)); !why.empty())
    errors["email"] = why;
  if (!errors.empty()) {
    if (form) return http::send_html(res, 400, html::resend_form(*ctx.pages, email, errors.begin()->second));
    return http::send_fields(res, errors);
  }
  if (!s.is_ok()) return form ? http::send_status_page(*ctx.pages, res, s) : http::send_status(res, s);
  if (ctx.worker) ctx.worker->notify();
  const std::string message =
      "Se questo indirizzo risulta iscritto, tra pochi minuti riceverai una e-mail con i nuovi link "
      "personali (quelli vecchi non funzionano più). Se non arriva, controlla la cartella della posta "
      "indesiderata.";
  if (form) return http::send_html(res, 200, html::message(*ctx.pages, "Controlla la posta", message));
  http::send_json(res, 202, {{"message", message}});
}

void get_resend_page(Context& ctx, const Req&, Res& res) {
  http::private_headers(res);
  http::send_html(res, 200, html::resend_form(*ctx.pages));
}

void get_registration(Context& ctx, const Req& req, Res& res) {
  http::private_headers(res);
  auto r = ctx.desk->authorise(req.matches[1], http::token_of(req));
  if (!r.ok()) return http::send_status(res, r.status());
  json j = registration_json(*ctx.desk, *r);
  j["ics_url"] = ics_url(ctx, *r);
  if (r->attended && r->status == "confirmed")
    j["certificate_url"] = ctx.options.public_base_url + "/attestato/" + r->code + "?token=" + http::token_of(req);
  http::send_json(res, 200, j);
}

void post_cancel(Context& ctx, const Req& req, Res& res) {
  if (!http::admit_post(ctx, req, res)) return;
  http::private_headers(res);
  const std::string code = req.matches[1];
  const std::string token = http::token_of(req);
  auto r = ctx.desk->cancel(code, token);
  const bool form = http::is_form(req);
  if (!r.ok()) {
    // «Sì, annulla» tapped twice: the second finds the registration
    // cancelled by the first, and the person's page says it is done.
    if (form && r.status().code() == Code::kConflict)
      if (auto now = ctx.desk->authorise(code, token); now.ok() && now->status == "cancelled") {
        res.status = 303;
        res.set_header("Location", "/iscrizione/" + code + "?token=" + token);
        return res.set_content("Iscrizione annullata", "text/plain; charset=utf-8");
      }
    if (form) {
      const Code code = r.status().code();
      if (code != Code::kConflict && code != Code::kNotFound)
        return http::send_status_page(*ctx.pages, res, r.status());
      return http::send_html(res, code == Code::kConflict ? 409 : 404,
                             html::message(*ctx.pages, "Annullamento non riuscito", r.status().message()));
    }
    return http::send_status(res, r.status());
  }
  if (ctx.worker) ctx.worker->notify();
  if (form) {
    // The person's page then says it is done and whom to contact.
    res.status = 303;
    res.set_header("Location", "/iscrizione/" + code + "?token=" + token);
    return res.set_content("Iscrizione annullata", "text/plain; charset=utf-8");
  }
  http::send_json(res, 200, {{"code", r->code}, {"status", r->status}});
}

void post_confirm(Context& ctx, const Req& req, Res& res) {
  if (!http::admit_post(ctx, req, res)) return;
  http::private_headers(res);
  auto r = ctx.desk->confirm(req.matches[1], http::token_of(req));
  if (!r.ok()) return http::send_status(res, r.status());
  if (ctx.worker) ctx.worker->notify();
  http::send_json(res, 200, {{"code", r->code}, {"status", r->status}, {"confirmed_at", r->confirmed_at}});
}

namespace {
// A page for a failed look-up by link: 404 (or 409 for a lapsed hold) in
// Italian, or a page that says the service is down when the store is.
void send_link_error(const Context& ctx, Res& res, const Status& s, const std::string& title,
                     const std::string& code = "") {
  // A link that no longer works (new links were sent, or the address was
  // corrected): the way to get working ones.
  if (s.code() == Code::kNotFound)
    return http::send_html(
        res, 404,
        html::message(*ctx.pages, title, s.message(), "/iscrizione/nuovo-link", "Fatti inviare di nuovo i link"));
  // A lapsed hold whose address registered again: the new registration is
  // the one, and its links are a request away (the form would only say
  // «già iscritto»).
  if (s.code() == Code::kConflict && (s.message() == kHoldLapsedRegisteredAgain || s.message() == kAlreadyInActivity))
    return http::send_html(
        res, 409,
        html::message(*ctx.pages, title, s.message(), "/iscrizione/nuovo-link", "Fatti inviare di nuovo i link"));
  if (s.code() == Code::kConflict) {
    // A hold that lapsed: straight to the same edition's form while it
    // takes registrations, not a dead end; once it has closed (an offered
    // seat lapses at the first meeting), to the other editions.
    const Catalogue& catalogue = ctx.desk->catalogue();
    auto r = code.empty() ? Result<Registration>(Status::not_found("")) : ctx.store->find(code);
    const Edition* e = r.ok() ? catalogue.edition(r->edition_id) : nullptr;
    if (e && !ctx.desk->is_open(*e))
      return http::send_html(res, 409,
                             html::message(*ctx.pages, title, s.message(), "/programma", "Vedi le altre edizioni"));
    return http::send_html(res, 409,
                           html::message(*ctx.pages, title, s.message(), form_path(catalogue, e ? e->id : ""),
                                         e ? "Iscriviti di nuovo a questa edizione" : "Vai al modulo di iscrizione"));
  }
  http::send_status_page(*ctx.pages, res, s);
}
}  // namespace

void get_confirm_page(Context& ctx, const Req& req, Res& res) {
  // Only shows a button: mail scanners that open links must not confirm.
  http::private_headers(res);
  const std::string token = http::token_of(req);
  // The address without its token: the page after «Conferma l'iscrizione»
  // reloaded, or a tab the phone restored. Not an error: what to do.
  if (token.empty())
    return http::send_html(
        res, 200,
        html::message(*ctx.pages, "Conferma dell'iscrizione",
                      "Se hai appena confermato, la tua iscrizione è a posto: il riepilogo, con il link personale per "
                      "gestirla, è nella tua e-mail. Se non l'hai ancora fatto, apri il link di conferma dalla e-mail.",
                      "/iscrizione/nuovo-link", "Non trovi l'e-mail? Fatti inviare di nuovo i link"));
  auto r = ctx.desk->check_confirm_token(req.matches[1], token);
  if (!r.ok()) return send_link_error(ctx, res, r.status(), "Conferma non possibile", req.matches[1]);
  if (r->status == "expired") {
    // "Conferma comunque" while the edition takes registrations and has a
    // free seat; otherwise the way to register again (or to wait).
    std::string why = ctx.desk->lapsed_refusal(*r);
    // The person registered again meanwhile: Store::confirm would refuse.
    if (why.empty()) why = ctx.desk->registered_again(*r);
    if (why.empty()) {
      const Edition* e = ctx.desk->catalogue().edition(r->edition_id);
      int left = 0;
      if (auto counts = ctx.store->counts(); counts.ok() && e)
        for (const auto& c : *counts)
          if (c.edition_id == e->id) left = seats_left(*e, c);
      if (left <= 0) why = kHoldLapsedNoSeat;
    }
    if (!why.empty()) return send_link_error(ctx, res, Status::conflict(why), "Conferma non possibile", req.matches[1]);
  }
  http::send_html(res, 200, html::confirm_form(*ctx.pages, *ctx.desk, *r, token));
}

void post_confirm_page(Context& ctx, const Req& req, Res& res) {
  if (!http::admit_post(ctx, req, res)) return;
  http::private_headers(res);
  auto r = ctx.desk->confirm(req.matches[1], http::token_of(req));
  if (!r.ok()) return send_link_error(ctx, res, r.status(), "Conferma non riuscita", req.matches[1]);
  if (ctx.worker) ctx.worker->notify();
  http::send_html(res, 200, html::confirmed(*ctx.pages, *ctx.desk, *r));
}

void get_receipt_page(Context& ctx, const Req& req, Res& res) {
  http::private_headers(res);
  const std::string token = http::token_of(req);
  auto r = ctx.desk->authorise(req.matches[1], token);
  if (!r.ok()) return send_link_error(ctx, res, r.status(), "Iscrizione non trovata");
  http::send_html(res, 200, html::receipt(*ctx.pages, *ctx.desk, *r, token, next_step(*ctx.desk, *r)));
}

void get_cancel_page(Context& ctx, const Req& req, Res& res) {
  http::private_headers(res);
  const std::string token = http::token_of(req);
  auto r = ctx.desk->authorise(req.matches[1], token);
  if (!r.ok()) return send_link_error(ctx, res, r.status(), "Iscrizione non trovata");
  http::send_html(res, 200, html::cancel_form(*ctx.pages, *ctx.desk, *r, token, contact_line(ctx)));
}

void get_personal_data(Context& ctx, const Req& req, Res& res) {
  http::private_headers(res);
  auto r = ctx.desk->authorise(req.matches[1], http::token_of(req));
  if (!r.ok()) return http::send_status_page(*ctx.pages, res, r.status());
  auto j = personal_data_json(ctx, *r);
  if (!j.ok()) return http::send_status_page(*ctx.pages, res, j.status());
  res.set_header("Content-Disposition", "attachment; filename=\"dati-iscrizione-" + r->code + ".json\"");
  http::send_json(res, 200, *j);
}

void get_personal_data_page(Context& ctx, const Req& req, Res& res) {
  http::private_headers(res);
  const std::string token = http::token_of(req);
  auto r = ctx.desk->authorise(req.matches[1], token);
  if (!r.ok()) return send_link_error(ctx, res, r.status(), "Iscrizione non trovata");
  auto j = personal_data_json(ctx, *r);
  if (!j.ok()) return http::send_status_page(*ctx.pages, res, j.status());
  http::send_html(res, 200, html::personal_data(*ctx.pages, *ctx.desk, *r, token, *j, contact_line(ctx)));
}

Result<json> personal_data_json(Context& ctx, const Registration& r) {
  auto messages = ctx.store->messages_for(r.id);
  if (!messages.ok()) return messages.status();
  json j = registration_json(*ctx.desk, r);
  j["guardian_name"] = r.guardian_name;
  j["guardian_consent"] = r.guardian_consent;
  j["consent"] = {{"given", r.consent}, {"at", r.consent_at}, {"privacy_version", r.privacy_version}};
  j["notes"] = r.notes;
  j["needs"] = r.needs;
  json ms = json::array();
  for (const auto& m : *messages)
    ms.push_back({{"to", m.recipient}, {"subject", m.subject}, {"body", m.body},
                  {"created_at", m.created_at}, {"delivered_at", m.delivered_at}});
  j["messages"] = ms;
  return j;
}

void get_registration_page(Context& ctx, const Req& req, Res& res) {
  http::private_headers(res);
  const std::string token = http::token_of(req);
  auto r = ctx.desk->authorise(req.matches[1], token);
  if (!r.ok()) return send_link_error(ctx, res, r.status(), "Iscrizione non trovata");
  // After «Cambia edizione» (`da`: the edition left): said only when it is
  // an edition of the catalogue, never text from the URL.
  const Edition* left = ctx.desk->catalogue().edition(req.get_param_value("da"));
  const std::string moved_from =
      left && left->id != r->edition_id
          ? edition_choice_label(ctx.desk->taxonomy(), ctx.desk->catalogue().activity_of(*left), *left)
          : "";
  http::send_html(res, 200, html::registration(*ctx.pages, *ctx.desk, *r, token, contact_line(ctx), moved_from));
}

void get_change_page(Context& ctx, const Req& req, Res& res) {
  http::private_headers(res);
  const std::string token = http::token_of(req);
  auto r = ctx.desk->authorise(req.matches[1], token);
  if (!r.ok()) return send_link_error(ctx, res, r.status(), "Iscrizione non trovata");
  auto counts = ctx.store->counts();
  if (!counts.ok()) return http::send_status_page(*ctx.pages, res, counts.status());
  http::send_html(res, 200, html::change_form(*ctx.pages, *ctx.desk, *r, token, *counts));
}

void post_move_own(Context& ctx, const Req& req, Res& res) {
  if (!http::admit_post(ctx, req, res)) return;
  http::private_headers(res);
  const std::string code = req.matches[1];
  const std::string token = http::token_of(req);
  std::map<std::string, std::string> fields;
  if (!http::read_fields(req, res, &fields)) return;
  const bool form = http::is_form(req);
  auto before = ctx.desk->authorise(code, token);
  auto r = before.ok() ? ctx.desk->move_own(code, token, fields["edition"]) : Result<Registration>(before.status());
  if (!r.ok()) {
    const Code c = r.status().code();
    if (!form) return http::send_status(res, r.status());
    if (c == Code::kNotFound) return send_link_error(ctx, res, r.status(), "Iscrizione non trovata");
    if (c != Code::kConflict) return http::send_status_page(*ctx.pages, res, r.status());
    // The choices again (a seat taken meanwhile), the reason above them.
    auto counts = ctx.store->counts();
    if (!counts.ok()) return http::send_status_page(*ctx.pages, res, counts.status());
    return http::send_html(
        res, 409,
        html::change_form(*ctx.pages, *ctx.desk, *before, token, *counts, text::sentence(r.status().message())));
  }
  if (ctx.worker) ctx.worker->notify();
  if (form) {
    res.status = 303;
    res.set_header("Location", "/iscrizione/" + code + "?token=" + token + "&da=" + before->edition_id);
    return res.set_content("Iscrizione spostata", "text/plain; charset=utf-8");
  }
  http::send_json(res, 200, {{"code", r->code}, {"status", r->status}, {"edition", r->edition_id}});
}

void get_certificate(Context& ctx, const Req& req, Res& res) {
  http::private_headers(res);
  auto r = ctx.desk->authorise(req.matches[1], http::token_of(req));
  if (!r.ok()) return send_link_error(ctx, res, r.status(), "Iscrizione non trovata");
  if (!r->attended || r->status != "confirmed")
    return http::send_html(res, 403, html::message(*ctx.pages, "Attestato non disponibile",
                                                   "L'attestato è disponibile solo per chi ha partecipato: la "
                                                   "presenza viene registrata dallo staff dopo l'attività."));
  http::send_html(res, 200, html::certificate(*ctx.pages, *ctx.desk, *r));
}

}  // namespace bp::registration


namespace bp::registration {
namespace {

using nlohmann::json;

const char* kKindLabels[][2] = {{"modulo", "Modulo formativo"}, {"tutoraggio", "Tutoraggio"},
                                {"residenza", "Residenza"}, {"corso-docenti", "Percorso per docenti"}};

std::string kind_label(const std::string& kind) {
  for (const auto& [k, label] : kKindLabels)
    if (kind == k) return label;
  return kind;
}

// "2027-03-02T17:00" -> "2 marzo 2027".
std::string date_of(const std::string& local) { return italian_date(local.substr(0, 10)); }

std::string time_of(const std::string& local) { return local.size() >= 16 ? local.substr(11, 5) : ""; }

// As web/js/catalogue.js dateRange(): one day with its hours, or a span.
std::string date_range(const std::string& start, const std::string& end) {
  const std::string d1 = date_of(start), d2 = date_of(end);
  if (d1 == d2) return d1 + ", " + time_of(start) + "–" + time_of(end);
  return after_preposition("dal", d1) + " " + after_preposition("al", d2);
}

// "4 incontri: martedì 8 giugno 2027, ore 17:00–19:00; …" for a person
// choosing an edition, false for a single meeting or none.
json sessions_text(const Edition& e) {
  if (e.sessions.size() < 2) return false;
  const Session& first = e.sessions.front();
  const std::string weekday = italian_weekday(first.date);
  bool regular = !weekday.empty();
  for (const auto& s : e.sessions)
    regular = regular && italian_weekday(s.date) == weekday && s.start == first.start && s.end == first.end;
  if (regular)  // "4 incontri, il martedì, ore 17:00–19:00"
    return std::to_string(e.sessions.size()) + " incontri, " + (weekday == "domenica" ? "la " : "il ") + weekday +
           ", ore " + first.start + "–" + first.end;
  std::string text = std::to_string(e.sessions.size()) + " incontri: ";
  for (std::size_t i = 0; i < e.sessions.size(); ++i) text += (i ? "; " : "") + format_session(e.sessions[i]);
  return text;
}

json edition_view(const Context& ctx, const Activity& a, const Edition& e, const EditionCounts& c) {
  std::string why;
  const bool open = ctx.desk->is_open(e, c, &why);
  // A cell of its own: "Online", "Online o in presenza", "Torino".
  const std::string where = text::capitalised(edition_where(&a, e));
  const int left = seats_left(e, c);
  // Closed only by the staff's pause: said so, it will reopen.
  const bool paused = !open && ctx.desk->is_open(e);
  std::string seats, cls;
  if (!open) {
    seats = paused ? "Iscrizioni sospese per ora" : "Iscrizioni chiuse";
    cls = "closed";
  } else if (left <= 0) {
    seats =
        "Posti esauriti: iscriviti in lista d'attesa" +
        (c.waitlisted ? " (" + text::count_noun(c.waitlisted, "persona", "persone") + " in attesa)" : std::string());
    cls = "full";
  } else {
    seats = text::count_noun(left, "posto libero", "posti liberi") + " su " + std::to_string(e.capacity);
    cls = left <= 5 ? "few" : "ok";
  }
  return {{"id", e.id},
          {"hub", e.hub},
          {"hub_label", ctx.desk->taxonomy().label("hub", e.hub)},
          {"when", date_range(e.start_local, e.end_local)},
          {"sessions_text", sessions_text(e)},
          {"where", where},
          {"seats_text", seats},
          {"seats_class", cls},
          {"open", open},
          {"paused", paused},
          {"full", open && left <= 0},
          {"activity_title", a.title},
          {"start_date", date_of(e.start_local)},
          // The last day to register (Desk::is_open closes it after), so
          // nobody finds it closed unawares; a closed edition says so above.
          {"deadline_text", open && !e.deadline_local.empty()
                                ? json("Iscrizioni entro " + after_preposition("il", italian_datetime(e.deadline_local)))
                                : json(false)}};
}

}  // namespace

void get_programme_page(Context& ctx, const Req& req, Res& res) {
  auto counts = ctx.store->counts();
  std::map<std::string, EditionCounts> by_id;
  if (counts.ok())
    for (const auto& c : *counts) by_id[c.edition_id] = c;
  const Catalogue& catalogue = ctx.desk->catalogue();
  const Taxonomy& taxonomy = ctx.desk->taxonomy();
  const std::string wanted = req.get_param_value("edizione");

  std::vector<std::string> hubs = {"nord", "centro", "sud"};
  if (const Vocabulary* v = taxonomy.vocabulary("hub"); v && !v->terms.empty()) hubs = v->slugs();
  // ?hub=sud: only that hub's dates (a page of three columns is long on a
  // phone); an unknown hub shows them all.
  std::string chosen = text::fold_lower(text::trim(req.get_param_value("hub")));
  if (std::find(hubs.begin(), hubs.end(), chosen) == hubs.end()) chosen.clear();
  auto shown = [&](const std::string& hub) { return chosen.empty() || hub == chosen; };
  // The filter's links, and which regions each hub serves.
  json hub_choices =
      json::array({{{"label", "Tutti gli hub"}, {"href", "/programma#moduli"}, {"current", chosen.empty()}}});
  json hub_regions = json::array();
  for (const auto& hub : hubs) {
    hub_choices.push_back({{"label", "Hub " + taxonomy.label("hub", hub)},
                           {"href", "/programma?hub=" + hub + "#moduli"},
                           {"current", hub == chosen}});
    std::string regions;
    if (const Vocabulary* v = taxonomy.vocabulary("region"))
      for (const auto& t : v->terms)
        if (taxonomy.hub_of_region(t.slug) == hub) regions += (regions.empty() ? "" : ", ") + t.label;
    if (!regions.empty()) hub_regions.push_back({{"label", "Hub " + taxonomy.label("hub", hub)}, {"regions", regions}});
  }
  json hub_heads = json::array();
  for (const auto& hub : hubs)
    if (shown(hub)) hub_heads.push_back({{"hub", hub}, {"label", taxonomy.label("hub", hub)}});

  json macros = json::array();
  std::vector<std::pair<std::string, std::string>> groups;
  if (const Vocabulary* v = taxonomy.vocabulary("macro_action"))
    for (const auto& t : v->terms) groups.push_back({t.slug, t.label});
  if (groups.empty()) groups.push_back({"", ""});
  for (std::size_t g = 0; g < groups.size(); ++g) {
    json modules = json::array();
    for (const auto& a : catalogue.activities) {
      if (a.kind != "modulo") continue;
      const bool mine = groups[g].first.empty() || a.macro_action == groups[g].first ||
                        (a.macro_action.empty() && g == 0);
      if (!mine) continue;
      json cells = json::array();
      for (const auto& hub : hubs) {
        if (!shown(hub)) continue;
        json editions = json::array();
        for (const auto& e : a.editions)
          if (e.hub == hub) editions.push_back(edition_view(ctx, a, e, by_id[e.id]));
        cells.push_back({{"hub", hub}, {"hub_label", taxonomy.label("hub", hub)}, {"editions", editions}});
      }
      std::string code = a.module;
      for (auto& ch : code) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      modules.push_back({{"id", a.id}, {"code", code.empty() ? json(false) : json(code)}, {"title", a.title},
                         {"description", a.description.empty() ? json(false) : json(a.description)},
                         {"cells", cells}});
    }
    if (modules.empty()) continue;
    const std::string& label = groups[g].second;
    macros.push_back({{"title", label.empty() ? "Moduli" : "Macro-azione: " + label}, {"label", label},
                      {"hubs", hub_heads}, {"modules", modules}});
  }

  auto cards = [&](const std::string& kind) {
    json list = json::array();
    for (const auto& a : catalogue.activities) {
      if (a.kind != kind) continue;
      json editions = json::array();
      for (const auto& e : a.editions)
        if (shown(e.hub)) editions.push_back(edition_view(ctx, a, e, by_id[e.id]));
      // An activity with dates, none of them in the hub chosen, is not listed.
      if (editions.empty() && !a.editions.empty()) continue;
      std::string workshops;
      for (const auto& w : a.workshops) workshops += (workshops.empty() ? "" : ", ") + w;
      list.push_back({{"id", a.id}, {"title", a.title},
                      {"description", a.description.empty() ? json(false) : json(a.description)},
                      {"workshops_text", workshops.empty() ? json(false) : json(workshops)},
                      {"has_editions", !editions.empty()}, {"editions", editions}});
    }
    return list;
  };

  json tutoring = json::array();
  json topics = json::array();
  for (const auto& a : catalogue.activities) {
    if (a.kind != "tutoraggio") continue;
    const auto& list = a.topics.empty() ? a.themes : a.topics;
    std::string text;
    for (const auto& t : list) {
      text += (text.empty() ? "" : ", ") + taxonomy.label("theme", t);
      if (topics.size() < list.size()) topics.push_back({{"value", t}, {"label", taxonomy.label("theme", t)}});
    }
    tutoring.push_back({{"id", a.id}, {"title", a.title},
                        {"description", a.description.empty() ? json(false) : json(a.description)},
                        {"topics_text", text.empty() ? json(false) : json(text)}});
  }

  json edition_groups = json::array();
  std::string edition_info;
  int editions_count = 0, in_hub = 0;
  for (const auto& a : catalogue.activities) {
    if (a.kind == "tutoraggio" || a.editions.empty()) continue;
    json options = json::array();
    for (const auto& e : a.editions) {
      ++editions_count;
      in_hub += !chosen.empty() && e.hub == chosen ? 1 : 0;
      json v = edition_view(ctx, a, e, by_id[e.id]);
      const bool open = v["open"].get<bool>();
      const bool full = v["full"].get<bool>();
      std::string label = "Hub " + v["hub_label"].get<std::string>() + " · " + date_of(e.start_local) + " · " +
                          v["where"].get<std::string>() + (full ? " – lista d'attesa" : "") +
                          (open                      ? ""
                           : v["paused"].get<bool>() ? " – iscrizioni sospese"
                                                     : " – chiusa");
      if (e.id == wanted)
        edition_info = full ? v["seats_text"].get<std::string>() + ". Se si libera un posto ti scriviamo."
                            : v["seats_text"].get<std::string>();
      options.push_back({{"id", e.id}, {"label", label}, {"disabled", !open}, {"selected", e.id == wanted}});
    }
    std::string code = a.module;
    for (auto& ch : code) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    // «Residenza: Residenza di Torino…» says it twice: a title that names
    // its kind stands alone.
    const std::string kind = kind_label(a.kind);
    const bool named = text::fold_lower(a.title).rfind(text::fold_lower(kind), 0) == 0;
    edition_groups.push_back(
        {{"label", (named ? "" : kind + ": ") + (code.empty() ? "" : code + " ") + a.title}, {"options", options}});
  }

  // A link to an edition the calendar no longer has (moved, cancelled, a
  // typo) says so instead of showing an unexplained empty choice.
  if (!wanted.empty() && edition_info.empty()) {
    bool known = false;
    for (const auto& a : catalogue.activities)
      for (const auto& e : a.editions) known = known || (e.id == wanted && a.kind != "tutoraggio");
    if (!known) edition_info = "L'edizione del link che hai aperto non è in calendario: scegline una qui sotto.";
  }

  json regions = json::array();
  if (const Vocabulary* v = taxonomy.vocabulary("region"))
    for (const auto& t : v->terms) regions.push_back({{"value", t.slug}, {"label", t.label}});

  std::string status =
      text::count_noun(catalogue.activities.size(), "attività", "attività") + " e " +
      text::count_noun(editions_count, "edizione", "edizioni") + " in calendario" +
      (chosen.empty() ? std::string() : ", " + std::to_string(in_hub) + " nell'Hub " + taxonomy.label("hub", chosen)) +
      ".";
  // The targets in the programme's order, «e» before the last (as
  // targetsText in web/js/catalogue.js writes them).
  std::vector<std::string> parts;
  for (const auto& [kind, where] :
       std::vector<std::pair<std::string, std::string>>{{"modulo", "nei moduli formativi"},
                                                        {"tutoraggio", "nel tutoraggio"},
                                                        {"residenza", "nelle residenze"},
                                                        {"corso-docenti", "nel corso per i docenti"}}) {
    auto it = catalogue.targets.find(kind);
    if (it == catalogue.targets.end() || it->second <= 0) continue;
    std::string n = std::to_string(it->second);
    if (n.size() > 3) n.insert(n.size() - 3, ".");
    parts.push_back(n + " persone " + where);
  }
  std::string targets;
  for (std::size_t i = 0; i < parts.size(); ++i)
    targets += (i == 0 ? "" : i + 1 == parts.size() ? " e " : ", ") + parts[i];
  if (!targets.empty()) status += " Il programma vuole raggiungere " + targets + ".";
  if (!counts.ok()) status += " I posti disponibili non sono aggiornati in questo momento.";

  json view = {{"status", status},
               {"hub_query", chosen.empty() ? json(false) : json(chosen)},
               {"hub_choices", hub_choices},
               {"hub_regions", hub_regions},
               {"has_hub_regions", !hub_regions.empty()},
               {"hub_chosen", chosen.empty() ? json(false) : json("Hub " + taxonomy.label("hub", chosen))},
               {"macros", macros},
               {"tutoring", tutoring},
               {"residencies", cards("residenza")},
               {"teachers", cards("corso-docenti")},
               {"edition_groups", edition_groups},
               {"topics", topics},
               {"regions", regions},
               {"roles", choice_view(role_choices())},
               {"age_bands", choice_view(age_band_choices())},
               {"privacy_version", ctx.options.privacy_version},
               {"edition_info", edition_info}};
  if (const int offer = offer_hold_seconds(ctx.desk->options().hold_seconds, ctx.options.offer_seconds); offer > 0)
    view["offer_time"] = hold_length(offer);
  site::Shell shell;
  shell.title =
      chosen.empty() ? "Programma e iscrizioni" : "Programma e iscrizioni – Hub " + taxonomy.label("hub", chosen);
  shell.description =
      "Il programma «Reti solidali e competenti»: 12 moduli formativi nei tre hub, tutoraggio, residenze e il "
      "percorso per docenti. Date, posti disponibili e iscrizione.";
  shell.section = "programma";
  shell.styles = {"/css/programma.css"};
  shell.scripts = {"/js/programma.js"};
  shell.body_class = "page-programma";
  auto html = ctx.pages->render("programme", view, shell);
  if (!html.ok()) {
    std::cerr << "registration: " << html.status().message() << "\n";
    return http::send_error(res, 500, "internal", "pagina non disponibile");
  }
  site::send_html(res, 200, std::move(*html), "no-cache");
}

void get_privacy_page(Context& ctx, const Req&, Res& res) {
  site::Shell shell;
  shell.title = "Informativa sul trattamento dei dati personali";
  shell.styles = {"/css/docenti.css"};
  shell.body_class = "page-privacy";
  // GDPR art. 13: who controls the data and how to reach them, from the
  // operator's configuration (BP_CONTROLLER_NAME, BP_CONTROLLER_CONTACT).
  const auto& o = ctx.options;
  json view = {
      {"privacy_version", o.privacy_version},
      {"controller_name", o.controller_name.empty() ? json(false) : json(o.controller_name)},
      {"controller_contact", o.controller_contact.empty() ? json(false) : json(o.controller_contact)},
      // How long the text of a sent message is kept (BP_MAIL_TEXT_DAYS).
      {"mail_text", o.mail_text_days > 0 ? json(text::count_noun(o.mail_text_days, "giorno", "giorni")) : json(false)},
      // Proposals of practices (/proponi), when this server takes them.
      {"proposals", ctx.proposals != nullptr},
      // What people search (issue 17): counted without personal data.
      {"analytics",
       ctx.tally ? json{{"months", text::count_noun(o.analytics_retention_months, "mese", "mesi")},
                        {"min_searches", text::count_noun(std::max(1, o.analytics_min_searches), "volta", "volte")}}
                 : json(false)}};
  auto html = ctx.pages->render("privacy", view, shell);
  if (!html.ok()) return http::send_error(res, 500, "internal", "pagina non disponibile");
  site::send_html(res, 200, std::move(*html), "no-cache");
}

}  // namespace bp::registration
