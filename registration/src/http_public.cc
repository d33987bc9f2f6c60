// Handlers of the public routes: programme, registration, the person's own
// registration (with its token), .ics and the certificate.
#include "bp/text.h"
#include "html_pages.h"
#include "http_context.h"

namespace bp::registration {

using nlohmann::json;

namespace {

// "/iscrizione/<code>/ricevuta?token=..." from the absolute manage URL
// "<base>/iscrizione/<code>?token=...": the page the form lands on.
std::string receipt_path(const std::string& url) {
  const auto p = url.find("/iscrizione/");
  std::string path = p == std::string::npos ? url : url.substr(p);
  const auto q = path.find('?');
  return q == std::string::npos ? path + "/ricevuta" : path.substr(0, q) + "/ricevuta" + path.substr(q);
}

// What the person has to do next, in Italian, for an answer just given.
std::string next_step(const Registration& r) {
  if (r.status == "pending" && r.hold_expires_at > 0)
    return "Controlla la tua casella di posta: per confermare l'iscrizione apri il link che ti abbiamo "
           "inviato entro " + italian_datetime_after("il", rome_local(r.hold_expires_at)) +
           " (ora italiana). Senza conferma il posto passa alla persona successiva.";
  if (r.status == "pending")  // a replayed answer whose hold has since ended
    return "Controlla la tua casella di posta: per confermare l'iscrizione apri il link che ti abbiamo "
           "inviato.";
  if (r.status == "waitlisted")
    return "I posti sono esauriti: sei in lista d'attesa. Se si libera un posto ti scriviamo.";
  return "Iscrizione confermata: ti abbiamo inviato una e-mail con i dettagli e il link personale.";
}

// The controller's contact line for pages ("" when not configured).
std::string contact_line(const Context& ctx) {
  const Options& o = ctx.options;
  if (o.controller_name.empty() && o.controller_contact.empty()) return "";
  return o.controller_name + (o.controller_contact.empty() ? "" : " (" + o.controller_contact + ")");
}

std::string ics_url(const Context& ctx, const std::string& edition) {
  return ctx.options.public_base_url + "/api/editions/" + edition + ".ics";
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
    j["edition_details"] = {{"hub", e->hub}, {"city", e->city}, {"start", e->start_local}, {"end", e->end_local}};
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
      const bool open = ctx.desk->is_open(e, &why);
      json je = {{"id", e.id}, {"hub", e.hub}, {"city", e.city}, {"start", e.start_local},
                 {"end", e.end_local}, {"deadline", e.deadline_local}, {"capacity", e.capacity},
                 {"seats_left", std::max(0, e.capacity - c.confirmed - c.pending)}, {"waiting", c.waitlisted},
                 {"open", open}, {"ics_url", "/api/editions/" + e.id + ".ics"}};
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
  json form = {{"roles", roles()}, {"age_bands", age_bands()},
               {"privacy_version", ctx.options.privacy_version}, {"honeypot_field", "website"},
               {"controller", {{"name", ctx.options.controller_name}, {"contact", ctx.options.controller_contact}}},
               {"confirm_email", ctx.desk->options().hold_seconds > 0},
               {"hold_minutes", ctx.desk->options().hold_seconds / 60},
               {"resend_url", "/api/registrations/resend"}};
  http::send_json(res, 200, {{"activities", acts}, {"targets", ctx.desk->catalogue().targets}, {"form", form}});
}

void get_edition_ics(Context& ctx, const Req& req, Res& res) {
  const Edition* e = ctx.desk->catalogue().edition(req.matches[1]);
  if (!e) return http::send_error(res, 404, "not_found", "edizione sconosciuta");
  const Activity* a = ctx.desk->catalogue().activity_of(*e);
  res.set_header("Content-Disposition", "attachment; filename=\"" + e->id + ".ics\"");
  res.set_content(edition_ics(*a, *e, ctx.options.public_base_url), "text/calendar; charset=utf-8");
}

void post_registration(Context& ctx, const Req& req, Res& res) {
  if (!http::admit_post(ctx, req, res)) return;
  std::map<std::string, std::string> fields;
  if (!http::read_fields(req, res, &fields)) return;
  const bool form = http::is_form(req);
  auto r = ctx.desk->register_person(fields, req.get_header_value("Idempotency-Key"));
  http::private_headers(res);
  if (!r.status.is_ok()) {
    if (form && !r.fields.empty()) return http::send_html(res, 400, html::form_errors(r.fields));
    if (!r.fields.empty()) return http::send_fields(res, r.fields);
    if (form && r.status.code() == Code::kConflict)
      return http::send_html(res, 409, html::message("Iscrizione non registrata", r.status.message()));
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
  json body = {{"code", reg.code}, {"status", reg.status}, {"cancel_url", r.outcome.answer_url},
               {"ics_url", ics_url(ctx, reg.edition_id)}, {"edition", reg.edition_id},
               {"receipt_url", ctx.options.public_base_url + receipt_path(r.outcome.answer_url)},
               {"message", next_step(reg)}};
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
  const std::string key = text::fold_lower(email);
  Status s = ctx.resend_limiter->peek(key).allowed ? ctx.desk->resend_links(email, &errors) : Status::ok();
  if (s.is_ok() && errors.empty()) ctx.resend_limiter->take(key);
  if (!errors.empty()) {
    if (form) return http::send_html(res, 400, html::message("Controlla l'indirizzo e-mail", errors.begin()->second));
    return http::send_fields(res, errors);
  }
  if (!s.is_ok()) return http::send_status(res, s);
  if (ctx.worker) ctx.worker->notify();
  const std::string message =
      "Se questo indirizzo risulta iscritto, tra pochi minuti riceverai una e-mail con i nuovi link "
      "personali (quelli vecchi non funzionano più). Se non arriva, controlla la cartella della posta "
      "indesiderata.";
  if (form) return http::send_html(res, 200, html::message("Controlla la posta", message));
  http::send_json(res, 202, {{"message", message}});
}

void get_resend_page(Context&, const Req&, Res& res) {
  http::private_headers(res);
  http::send_html(res, 200, html::resend_form());
}

void get_registration(Context& ctx, const Req& req, Res& res) {
  http::private_headers(res);
  auto r = ctx.desk->authorise(req.matches[1], http::token_of(req));
  if (!r.ok()) return http::send_status(res, r.status());
  json j = registration_json(*ctx.desk, *r);
  j["ics_url"] = ics_url(ctx, r->edition_id);
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
    if (form) {
      const int status = r.status().code() == Code::kConflict ? 409 : 404;
      return http::send_html(res, status, html::message("Annullamento non riuscito", r.status().message()));
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
// Italian, or the JSON error when the store is down.
void send_link_error(Res& res, const Status& s, const std::string& title) {
  if (s.code() == Code::kNotFound) return http::send_html(res, 404, html::message(title, s.message()));
  if (s.code() == Code::kConflict) return http::send_html(res, 409, html::message(title, s.message()));
  http::send_status(res, s);
}
}  // namespace

void get_confirm_page(Context& ctx, const Req& req, Res& res) {
  // Only shows a button: mail scanners that open links must not confirm.
  http::private_headers(res);
  const std::string token = http::token_of(req);
  auto r = ctx.desk->check_confirm_token(req.matches[1], token);
  if (!r.ok()) return send_link_error(res, r.status(), "Conferma non possibile");
  http::send_html(res, 200, html::confirm_form(*ctx.desk, *r, token));
}

void post_confirm_page(Context& ctx, const Req& req, Res& res) {
  if (!http::admit_post(ctx, req, res)) return;
  http::private_headers(res);
  auto r = ctx.desk->confirm(req.matches[1], http::token_of(req));
  if (!r.ok()) return send_link_error(res, r.status(), "Conferma non riuscita");
  if (ctx.worker) ctx.worker->notify();
  http::send_html(res, 200, html::confirmed(*ctx.desk, *r));
}

void get_receipt_page(Context& ctx, const Req& req, Res& res) {
  http::private_headers(res);
  const std::string token = http::token_of(req);
  auto r = ctx.desk->authorise(req.matches[1], token);
  if (!r.ok()) return send_link_error(res, r.status(), "Iscrizione non trovata");
  http::send_html(res, 200, html::receipt(*ctx.desk, *r, token, next_step(*r)));
}

void get_cancel_page(Context& ctx, const Req& req, Res& res) {
  http::private_headers(res);
  const std::string token = http::token_of(req);
  auto r = ctx.desk->authorise(req.matches[1], token);
  if (!r.ok()) return send_link_error(res, r.status(), "Iscrizione non trovata");
  http::send_html(res, 200, html::cancel_form(*ctx.desk, *r, token));
}

void get_personal_data(Context& ctx, const Req& req, Res& res) {
  http::private_headers(res);
  auto r = ctx.desk->authorise(req.matches[1], http::token_of(req));
  if (!r.ok()) return http::send_status(res, r.status());
  auto messages = ctx.store->messages_for(r->id);
  if (!messages.ok()) return http::send_status(res, messages.status());
  json j = registration_json(*ctx.desk, *r);
  j["guardian_name"] = r->guardian_name;
  j["guardian_consent"] = r->guardian_consent;
  j["consent"] = {{"given", r->consent}, {"at", r->consent_at}, {"privacy_version", r->privacy_version}};
  j["notes"] = r->notes;
  j["needs"] = r->needs;
  json ms = json::array();
  for (const auto& m : *messages)
    ms.push_back({{"to", m.recipient}, {"subject", m.subject}, {"body", m.body},
                  {"created_at", m.created_at}, {"delivered_at", m.delivered_at}});
  j["messages"] = ms;
  res.set_header("Content-Disposition", "attachment; filename=\"dati-iscrizione-" + r->code + ".json\"");
  http::send_json(res, 200, j);
}

void get_registration_page(Context& ctx, const Req& req, Res& res) {
  http::private_headers(res);
  const std::string token = http::token_of(req);
  auto r = ctx.desk->authorise(req.matches[1], token);
  if (!r.ok()) {
    if (r.status().code() != Code::kNotFound) return http::send_status(res, r.status());
    return http::send_html(res, 404, html::message("Iscrizione non trovata", r.status().message()));
  }
  http::send_html(res, 200, html::registration(*ctx.desk, *r, token, contact_line(ctx)));
}

void get_certificate(Context& ctx, const Req& req, Res& res) {
  http::private_headers(res);
  auto r = ctx.desk->authorise(req.matches[1], http::token_of(req));
  if (!r.ok()) {
    if (r.status().code() != Code::kNotFound) return http::send_status(res, r.status());
    return http::send_html(res, 404, html::message("Iscrizione non trovata", r.status().message()));
  }
  if (!r->attended || r->status != "confirmed")
    return http::send_html(res, 403, html::message("Attestato non disponibile",
                                                   "L'attestato è disponibile solo per chi ha partecipato: la "
                                                   "presenza viene registrata dallo staff dopo l'attività."));
  http::send_html(res, 200, html::certificate(*ctx.desk, *r));
}

}  // namespace bp::registration

namespace bp::registration {

void get_certificate_css(Context&, const Req&, Res& res) {
  res.set_header("Cache-Control", "public, max-age=86400");
  res.set_content(html::certificate_css(), "text/css; charset=utf-8");
}

}  // namespace bp::registration
