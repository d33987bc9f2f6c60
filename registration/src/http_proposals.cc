// The proposer's side of proposals: the /proponi form, the preview, the
// submission (JSON or form, with the cover image), the private status page,
// the edit after changes were requested, the withdrawal.
#include "http_proposals.h"

#include <regex>

#include "bp/italian_number.h"
#include "bp/site/respond.h"
#include "bp/text.h"
#include "crypto.h"
#include "html_pages.h"
#include "http_context.h"
#include "proposal_pages.h"

namespace bp::registration {

using nlohmann::json;
namespace ps = proposal_status;

namespace proposals_http {

Incoming read_incoming(const Req& req) {
  Incoming in;
  in.form = http::is_form(req);
  if (!in.form) {
    if (req.body.size() > kMaxCaseFileBytes) {
      in.too_large = "La proposta è troppo grande: il testo può occupare al massimo 1 MB.";
      return in;
    }
    in.body = json::parse(req.body, nullptr, false);
    if (!in.body.is_object())
      in.errors.push_back({"", "il corpo della richiesta deve essere un oggetto JSON (o il modulo della pagina)"});
    return in;
  }
  std::multimap<std::string, std::string> pairs;
  std::size_t text_bytes = 0;
  const httplib::MultipartFormData* cover = nullptr;
  if (req.is_multipart_form_data()) {
    for (const auto& [name, part] : req.files) {
      if (name == "cover") {
        cover = &part;
        continue;
      }
      text_bytes += part.content.size();
      pairs.emplace(name, part.content);
    }
  } else {
    text_bytes = req.body.size();
    pairs = http::parse_urlencoded_pairs(req.body);
  }
  if (text_bytes > kMaxCaseFileBytes) {
    in.too_large = "La proposta è troppo grande: il testo può occupare al massimo 1 MB.";
    return in;
  }
  for (const auto& [name, value] : pairs)
    if (!text::is_valid_utf8(value) || !text::is_valid_utf8(name)) {
      in.errors.push_back({"", "il modulo contiene caratteri non validi: invialo di nuovo dal browser"});
      return in;
    }
  in.body = form_to_json(pairs);
  if (cover && !cover->content.empty()) {
    if (cover->content.size() > kMaxImageBytes) {
      // In tenths of a MB rounded up, so a size over the limit never reads
      // as the limit ("5,9 MB", not "5 MB").
      const std::size_t tenths = (cover->content.size() * 10 + 1024 * 1024 - 1) / (1024 * 1024);
      in.too_large =
          "L'immagine di copertina è di " +
          italian_number(std::to_string(tenths / 10) + "." + std::to_string(tenths % 10)) +
          " MB: il massimo è 5 MB. Riducila (per esempio salvala in JPEG larga 1600 pixel) e invia di nuovo.";
      return in;
    }
    if (auto info = recognise_image(cover->content)) {
      in.image = Upload{cover->content, *info};
    } else {
      in.errors.push_back({"cover", "il file scelto non è un'immagine JPEG, PNG o WebP leggibile: scegli una foto "
                                    "in uno di questi formati"});
    }
  }
  return in;
}

std::string cover_name(const Incoming& in, const std::string& stored) {
  if (in.image) return "copertina." + in.image->info.extension;
  if (!stored.empty()) return stored;
  // The live preview sends the name of the image chosen, not the image.
  static const std::regex kName("copertina\\.(jpg|png|webp)");
  const auto it = in.body.is_object() ? in.body.find("cover_name") : in.body.end();
  const std::string named = it != in.body.end() && it->is_string() ? it->get<std::string>() : "";
  return std::regex_match(named, kName) ? named : "";
}

json errors_json(const std::vector<FieldError>& errors) {
  json out = json::array();
  for (const auto& e : errors) out.push_back({{"field", e.field}, {"message", e.message}});
  return out;
}

void send_errors(Res& res, const std::vector<FieldError>& errors) {
  http::send_json(res, 400,
                  {{"error", "validation"},
                   {"message", "La proposta ha " + text::count_noun(errors.size(), "errore", "errori") +
                                   (errors.size() == 1 ? ": correggilo" : ": correggili") + " e invia di nuovo"},
                   {"errors", errors_json(errors)}});
}

// A form refused with its errors comes back without the image chosen (a
// browser never fills a file field): the person is told to choose it again.
void ask_for_the_image_again(const Incoming& in, std::vector<FieldError>* errors) {
  if (in.image)
    errors->push_back({"cover", "scegli di nuovo l'immagine: il modulo rimandato indietro non la conserva"});
}

void send_proposal_image(Res& res, const StoredProposal& p, const std::string& bytes) {
  res.set_header("Content-Disposition", "attachment; filename=\"" + p.code + "-" + p.image_name + "\"");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Content-Security-Policy", "default-src 'none'; sandbox");
  res.set_content(bytes, p.image_type.empty() ? "application/octet-stream" : p.image_type);
}

void send_too_large(Context& ctx, const Req& req, Res& res, const std::string& message) {
  if (site::is_api_path(req.path)) return http::send_error(res, 413, "too_large", message);
  // The way back that keeps what was typed is the browser's: a link to the
  // form would open it empty.
  http::send_html(
      res, 413,
      html::proposal_message(*ctx.pages, "Proposta troppo grande",
                             message + " Con il tasto «Indietro» del browser ritrovi quello che avevi scritto."));
}

bool admit_rate(Context& ctx, const Req& req, Res& res) {
  const auto d = ctx.limiter->take(http::client_address(ctx, req));
  if (d.allowed) return true;
  http::send_rate_limited(ctx, req, res, d.retry_after_seconds);
  return false;
}

}  // namespace proposals_http

namespace {

using namespace proposals_http;

// The proposer's page address (it holds the token: sent to the proposer only).
std::string page_path(const std::string& code, const std::string& token) {
  return "/proposta/" + code + "?token=" + token;
}

void redirect(Res& res, const std::string& to) {
  res.status = 303;
  res.set_header("Location", to);
  res.set_content("Vai a " + to, "text/plain; charset=utf-8");
}

// The proposer's page with the edit form when changes are requested.
std::string status_page(Context& ctx, const StoredProposal& p, const std::string& token, const std::string& notice,
                        const json* values = nullptr, const std::vector<FieldError>* errors = nullptr,
                        bool confirm_withdraw = false) {
  const json stored = json::parse(p.fields, nullptr, false);
  const json fields = values ? *values : (stored.is_object() ? stored : json::object());
  html::ProposalFormState edit;
  const bool editing = p.status == ps::kChangesRequested;
  if (editing) {
    edit.values = fields;
    // The answer opens at the errors' summary (without JavaScript, which
    // otherwise moves there); a success redirects to the page.
    edit.action = "/proposta/" + p.code + "/modifica#form-summary";
    edit.token = token;
    edit.editing = true;
    edit.stored_image = p.image_name;
    if (errors) edit.errors = *errors;
  }
  const CheckedProposal checked = ctx.proposals->check(fields, false, p.image_name);
  return html::proposal_status_page(*ctx.pages, *checked.taxonomy, p, token, checked.check.html,
                                    editing ? &edit : nullptr, notice, confirm_withdraw, checked.check.warnings);
}

// Authorises the proposer; false with 404 sent (page or JSON).
bool authorise(Context& ctx, const Req& req, Res& res, StoredProposal* out, std::string* token) {
  http::private_headers(res);
  *token = http::token_of(req);
  auto p = ctx.proposals->authorise(req.matches[1], *token);
  if (p.ok()) {
    *out = *p;
    return true;
  }
  if (site::is_api_path(req.path)) {
    http::send_status(res, p.status());
  } else {
    http::send_html(res, 404,
                    html::proposal_message(*ctx.pages, "Proposta non trovata", p.status().message(),
                                           "/proposta/nuovo-link", "Fatti inviare un nuovo link"));
  }
  return false;
}

json proposal_json(Context& ctx, const StoredProposal& p) {
  json history = json::array();
  for (const auto& e : p.history)
    history.push_back({{"at", e.at}, {"actor", public_actor(e.actor)}, {"status", e.status}, {"comment", e.comment}});
  json out = {{"code", p.code},
              {"status", p.status},
              {"title", p.title},
              {"explanation", html::proposal_status_explanation(p.status)},
              {"history", history},
              {"fields", json::parse(p.fields, nullptr, false)},
              {"markdown", p.markdown},
              {"created_at", p.created_at},
              {"updated_at", p.updated_at}};
  if (!p.public_url.empty()) out["public_url"] = p.public_url;
  (void)ctx;
  return out;
}

}  // namespace

// ?titolo= fills the title: the editors' "proponi una pratica su questo"
// from a search that found nothing (/staff/ricerche).
void get_proposal_form(Context& ctx, const Req& req, Res& res) {
  html::ProposalFormState state;
  if (const std::string title = req.get_param_value("titolo"); !title.empty() && title.size() <= 200)
    state.values["title"] = title;
  http::send_html(res, 200, html::proposal_form_page(*ctx.pages, *ctx.proposals->taxonomy(), state));
}

void post_proposal_preview(Context& ctx, const Req& req, Res& res) {
  Incoming in = read_incoming(req);
  if (!in.too_large.empty()) return send_too_large(ctx, req, res, in.too_large);
  if (!in.body.is_object()) return send_errors(res, in.errors);
  // `?completa=1`: the proposer's fields and consent too, as the submission
  // checks them (the form asks before sending a chosen image, which a
  // refused form would not keep).
  const bool complete = req.get_param_value("completa") == "1";
  CheckedProposal c = ctx.proposals->check(in.body, complete, cover_name(in, ""));
  std::vector<FieldError> errors = in.errors;
  errors.insert(errors.end(), c.errors.begin(), c.errors.end());
  http::send_json(res, 200, {{"valid", errors.empty()},
                             {"errors", errors_json(errors)},
                             {"warnings", errors_json(c.check.warnings)},
                             {"markdown", c.check.markdown},
                             {"html", c.check.html}});
}

void post_proposal(Context& ctx, const Req& req, Res& res) {
  http::private_headers(res);
  if (!admit_rate(ctx, req, res)) return;
  Incoming in = read_incoming(req);
  if (!in.too_large.empty()) return send_too_large(ctx, req, res, in.too_large);
  CheckedProposal c = ctx.proposals->check(in.body.is_object() ? in.body : json::object(), true, cover_name(in, ""));
  std::vector<FieldError> errors = in.errors;
  errors.insert(errors.end(), c.errors.begin(), c.errors.end());
  // A bot that filled the honeypot gets the answer of a success, with a
  // code that leads nowhere and nothing stored or sent.
  if (!c.input.honeypot.empty()) {
    const std::string fake = random_base32(10), token = random_base32(20);
    if (!site::is_api_path(req.path)) return redirect(res, page_path(fake, token));
    return http::send_json(res, 201, {{"code", fake}, {"status", ps::kNew},
                                      {"status_url", ctx.options.public_base_url + page_path(fake, token)}});
  }
  if (!errors.empty()) {
    if (site::is_api_path(req.path)) return send_errors(res, errors);
    ask_for_the_image_again(in, &errors);
    html::ProposalFormState state;
    state.values = in.body.is_object() ? in.body : json::object();
    state.errors = errors;
    return http::send_html(res, 400, html::proposal_form_page(*ctx.pages, *c.taxonomy, state));
  }
  auto stored = ctx.proposals->submit(c, in.image ? &*in.image : nullptr);
  if (!stored.ok()) {
    if (stored.status().code() == Code::kConflict && !site::is_api_path(req.path))
      return http::send_html(res, 409,
                             html::proposal_message(*ctx.pages, "Proposta già inviata", stored.status().message(),
                                                    "/proposta/nuovo-link", "Fatti inviare un nuovo link"));
    return http::send_status(res, stored.status());
  }
  if (ctx.worker) ctx.worker->notify();
  const std::string path = page_path(stored->code, stored->token);
  // A fragment of its own: the form's «#form-summary» would carry over.
  if (!site::is_api_path(req.path)) return redirect(res, path + "&inviata=1#contenuto");
  http::send_json(res, 201, {{"code", stored->code}, {"status", stored->status},
                             {"status_url", ctx.options.public_base_url + path}});
}

void get_proposal_page(Context& ctx, const Req& req, Res& res) {
  StoredProposal p;
  std::string token;
  if (!authorise(ctx, req, res, &p, &token)) return;
  const std::string notice =
      req.has_param("inviata") ? "Grazie! Abbiamo ricevuto la tua proposta e ti abbiamo mandato una e-mail con il "
                                 "link a questa pagina. Conservalo: è personale."
      : req.has_param("modificata") ? "Modifiche inviate: la proposta torna alla redazione."
                                    : "";
  // "Ritira la proposta" asks first (?ritira=1): a withdrawn proposal
  // cannot be reopened.
  http::send_html(res, 200,
                  status_page(ctx, p, token, notice, nullptr, nullptr, req.get_param_value("ritira") == "1"));
}

void get_proposal_action(Context&, const Req& req, Res& res) {
  // The address of a form's answer («modifica», «ritira») opened again from
  // the history or a bookmark: back to the proposal's page, not a 405.
  const std::string token = req.get_param_value("token");
  redirect(res, token.empty() ? "/proposta/" + std::string(req.matches[1]) : page_path(req.matches[1], token));
}

void get_proposal(Context& ctx, const Req& req, Res& res) {
  StoredProposal p;
  std::string token;
  if (!authorise(ctx, req, res, &p, &token)) return;
  http::send_json(res, 200, proposal_json(ctx, p));
}

void post_proposal_resubmit(Context& ctx, const Req& req, Res& res) {
  if (!admit_rate(ctx, req, res)) return;
  StoredProposal p;
  std::string token;
  if (!authorise(ctx, req, res, &p, &token)) return;
  Incoming in = read_incoming(req);
  if (!in.too_large.empty()) return send_too_large(ctx, req, res, in.too_large);
  CheckedProposal c = ctx.proposals->check(in.body.is_object() ? in.body : json::object(), false,
                                           cover_name(in, p.image_name));
  std::vector<FieldError> errors = in.errors;
  errors.insert(errors.end(), c.errors.begin(), c.errors.end());
  const bool page = !site::is_api_path(req.path);
  if (!errors.empty()) {
    if (!page) return send_errors(res, errors);
    ask_for_the_image_again(in, &errors);
    return http::send_html(res, 400, status_page(ctx, p, token, "", &in.body, &errors));
  }
  auto r = ctx.proposals->resubmit(p.code, c, in.image ? &*in.image : nullptr);
  if (!r.ok()) {
    if (page && r.status().code() == Code::kConflict)
      return http::send_html(res, 409,
                             html::proposal_message(*ctx.pages, "Modifica non possibile", r.status().message()));
    return http::send_status(res, r.status());
  }
  if (ctx.worker) ctx.worker->notify();
  if (page) return redirect(res, page_path(p.code, token) + "&modificata=1#contenuto");
  http::send_json(res, 200, proposal_json(ctx, *r));
}

void post_proposal_withdraw(Context& ctx, const Req& req, Res& res) {
  if (!admit_rate(ctx, req, res)) return;
  StoredProposal p;
  std::string token;
  if (!authorise(ctx, req, res, &p, &token)) return;
  const bool page = !site::is_api_path(req.path);
  // The page's form says the proposer confirmed; without it (a stale page,
  // a double submit) the question is asked, and nothing changes.
  if (page && http::form_fields(req)["conferma"] != "1")
    return redirect(res, page_path(p.code, token) + "&ritira=1#ritiro");
  auto r = ctx.proposals->withdraw(p.code);
  if (!r.ok()) {
    if (page && r.status().code() == Code::kConflict)
      return http::send_html(res, 409,
                             html::proposal_message(*ctx.pages, "Ritiro non possibile", r.status().message()));
    return http::send_status(res, r.status());
  }
  if (page) return redirect(res, page_path(p.code, token));
  http::send_json(res, 200, proposal_json(ctx, *r));
}

// "Hai perso il link della tua proposta?": the same answer whether or not
// the address sent a proposal, and an address is written to a few times an
// hour at most (the registrations' allowance, its own count), silently past
// that, so the page tells nobody who proposed what.
void get_proposal_resend_page(Context& ctx, const Req&, Res& res) {
  http::private_headers(res);
  http::send_html(res, 200, html::proposal_resend_form(*ctx.pages));
}

void post_proposal_resend(Context& ctx, const Req& req, Res& res) {
  if (!admit_rate(ctx, req, res)) return;
  std::map<std::string, std::string> fields;
  if (!http::read_fields(req, res, &fields)) return;
  const bool form = http::is_form(req);
  http::private_headers(res);
  std::string problem;
  Status s = Status::ok();
  if (http::take_resend(ctx, "proposta", fields["email"])) {
    s = ctx.proposals->resend_links(fields["email"], &problem);
  } else if (std::string why = email_address_problem(text::trim(fields["email"])); !why.empty()) {
    problem = why;
  }
  if (!problem.empty()) {
    if (form) return http::send_html(res, 400, html::proposal_resend_form(*ctx.pages, fields["email"], problem));
    return http::send_fields(res, {{"email", problem}});
  }
  if (!s.is_ok()) return http::send_status(res, s);
  if (ctx.worker) ctx.worker->notify();
  const std::string message =
      "Se da questo indirizzo è stata inviata una proposta, tra pochi minuti riceverai una e-mail con i nuovi "
      "link personali (quelli vecchi non funzionano più). Se non arriva, controlla la cartella della posta "
      "indesiderata.";
  if (form) return http::send_html(res, 200, html::proposal_message(*ctx.pages, "Controlla la posta", message));
  http::send_json(res, 202, {{"message", message}});
}

}  // namespace bp::registration
