// What the HTTP handlers share: the options and the engine objects. The
// store is the only state; the rate limiter lives in memory by design.
#pragma once

#include <httplib.h>

#include <algorithm>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "analytics_flusher.h"
#include "bp/library.h"
#include "bp/registration/back_office_store.h"
#include "bp/registration/registration.h"
#include "bp/registration/store_backup.h"
#include "bp/site/pages.h"
#include "bp/site/route.h"
#include "desk.h"
#include "image_check.h"
#include "outbox_worker.h"
#include "password.h"
#include "proposal_desk.h"
#include "rate_limiter.h"
#include "staff_auth.h"

namespace bp::registration {

struct Context : Module {
  const site::RouteTable& routes() const override { return table; }
  std::string metrics() const override;  // http_admin.cc
  const StaffGuard& staff_guard() const override { return *guard; }
  QueryTally* search_tally() override { return tally.get(); }

  Options options;
  const site::Pages* pages = nullptr;  // shared, outlives the module
  site::RouteTable table;
  ServerClaim claim;  // on a SQLite store: no restore while the module serves it
  std::unique_ptr<Store> store;
  std::unique_ptr<Desk> desk;
  std::unique_ptr<RateLimiter> limiter;         // POSTs per client address
  std::unique_ptr<RateLimiter> admin_failures;  // failed admin logins per client address
  std::unique_ptr<RateLimiter> resend_limiter;  // link requests per e-mail address
  std::unique_ptr<ProposalDesk> proposals;
  std::unique_ptr<PasswordHasher> hasher;
  std::unique_ptr<StaffAuth> guard;
  std::unique_ptr<QueryTally> tally;            // null when analytics are off
  std::unique_ptr<AnalyticsFlusher> analytics;  // flushes `tally` (last at close)
  std::unique_ptr<OutboxWorker> worker;  // last: stopped first
};

using Req = httplib::Request;
using Res = httplib::Response;

// The largest proposal: a case file's text (1 MB), its cover image (5 MB)
// and the form's framing.
// What the routes' patterns accept in a path: a registration's or a
// proposal's code, an edition's id, a row id.
inline constexpr const char* kCodePattern = "([a-z0-9]{1,64})";
inline constexpr const char* kEditionPattern = "([a-z0-9-]{1,100})";
inline constexpr const char* kIdPattern = "([0-9]{1,18})";
// Whether a code from a query string or a form has kCodePattern's shape,
// so that it may be put back into a link.
inline bool code_shaped(std::string_view s) {
  return !s.empty() && s.size() <= 64 &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); });
}

inline constexpr std::size_t kMaxProposalBodyBytes = kMaxCaseFileBytes + kMaxImageBytes + 64 * 1024;
inline constexpr const char* kProposalTooLarge =
    "La proposta è troppo grande: il testo può occupare al massimo 1 MB e l'immagine di copertina al "
    "massimo 5 MB. Riduci l'immagine (per esempio salvala in JPEG larga 1600 pixel) e invia di nuovo.";

namespace http {

void send_json(Res& res, int status, const nlohmann::json& body);
// {"error": error, "message": text::capitalised(message)}: an answer's own
// `message`, shown on its own, starts as a sentence.
void send_error(Res& res, int status, const std::string& error, const std::string& message);
// 400 {"error": "validation", "message": "Controlla i campi indicati", "fields": fields}:
// the fields' messages stay in small letters.
void send_fields(Res& res, const FieldErrors& fields);
// Maps an engine Status to an HTTP status and a JSON error body.
void send_status(Res& res, const Status& s);
// The same status as an Italian page, for what a browser asked for (a
// form's POST, a personal link): never a JSON body on a person's screen.
void send_status_page(const site::Pages& pages, Res& res, const Status& s);
void send_html(Res& res, int status, const std::string& html);
// Headers for answers that carry or were reached with a token.
void private_headers(Res& res);
bool is_form(const Req& req);
// The fields of an application/x-www-form-urlencoded body ("a=1&b=x+y"):
// pairs split on '&', name and value on the first '=', '+' read as a space
// and %XX escapes decoded (WHATWG URL standard, "urlencoded parsing"). A
// name given twice keeps its last value; a pair without '=' has an empty
// value. Written here because cpp-httplib's parser is in its internal
// `detail` namespace.
std::map<std::string, std::string> parse_urlencoded(std::string_view body);
// The same pairs in order, a name given twice kept twice (checkboxes).
std::multimap<std::string, std::string> parse_urlencoded_pairs(std::string_view body);
// The fields of a urlencoded or multipart form body.
std::map<std::string, std::string> form_fields(const Req& req);
// The token from ?token=, the form body or the JSON body ("" when none).
std::string token_of(const Req& req);
// 429 with Retry-After and an Italian message saying when to retry.
void send_rate_limited(Res& res, int retry_after_seconds, const std::string& message);
// The same for a request from a person's browser: a form post gets a page
// (what happened, when to retry, how to find the typed data again), any
// other request the JSON answer.
void send_rate_limited(const Context& ctx, const Req& req, Res& res, int retry_after_seconds);
// The client's address for limits and logs (bp/site/client.h with the
// module's trusted proxies).
std::string client_address(const Context& ctx, const Req& req);
// Rate limit and body size; false (with the answer sent) when refused.
bool admit_post(Context& ctx, const Req& req, Res& res);
// Counts one e-mail of new personal links to `email` within `scope` ("" for
// registrations, "proposta" for proposals) and says whether it may go (at
// most Options::resend_per_email_per_hour). The address is trimmed and case
// folded as the stores match it, so " A@x.it" is the same address as
// "a@x.it"; it is counted before the e-mail is queued, so that requests sent
// together cannot all pass.
bool take_resend(Context& ctx, const std::string& scope, const std::string& email);
// The fields of a JSON object or a urlencoded form; false with 400 sent.
bool read_fields(const Req& req, Res& res, std::map<std::string, std::string>* fields);

}  // namespace http

// Handlers: one per route, see http_routes.cc for the table.
void get_programme(Context& ctx, const Req& req, Res& res);
void get_edition_ics(Context& ctx, const Req& req, Res& res);
void get_registration_ics(Context& ctx, const Req& req, Res& res);
void post_registration(Context& ctx, const Req& req, Res& res);
void get_registration(Context& ctx, const Req& req, Res& res);
void post_cancel(Context& ctx, const Req& req, Res& res);
void post_confirm(Context& ctx, const Req& req, Res& res);
void post_resend_links(Context& ctx, const Req& req, Res& res);
void get_resend_page(Context& ctx, const Req& req, Res& res);
void get_receipt_page(Context& ctx, const Req& req, Res& res);
void get_confirm_page(Context& ctx, const Req& req, Res& res);
void post_confirm_page(Context& ctx, const Req& req, Res& res);
void get_cancel_page(Context& ctx, const Req& req, Res& res);
// «Cambia edizione»: the person's choices (GET) and the move (POST, form or
// JSON: Desk::move_own).
void get_change_page(Context& ctx, const Req& req, Res& res);
void post_move_own(Context& ctx, const Req& req, Res& res);
void get_personal_data(Context& ctx, const Req& req, Res& res);
// "I tuoi dati": the same data as get_personal_data, readable (html::personal_data).
void get_personal_data_page(Context& ctx, const Req& req, Res& res);
void get_registration_page(Context& ctx, const Req& req, Res& res);
void get_certificate(Context& ctx, const Req& req, Res& res);
void get_programme_page(Context& ctx, const Req& req, Res& res);
void get_privacy_page(Context& ctx, const Req& req, Res& res);
// /api/admin/*, behind the staff guard (http_admin.cc).
void get_admin_registrations(Context& ctx, const Principal& who, const Req& req, Res& res);
void get_admin_stats(Context& ctx, const Principal& who, const Req& req, Res& res);
void post_admin_attendance(Context& ctx, const Principal& who, const Req& req, Res& res);
void post_admin_erase(Context& ctx, const Principal& who, const Req& req, Res& res);
void post_admin_cancel(Context& ctx, const Principal& who, const Req& req, Res& res);
void post_admin_pause(Context& ctx, const Principal& who, const Req& req, Res& res);
void post_admin_confirm(Context& ctx, const Principal& who, const Req& req, Res& res);
void post_admin_move(Context& ctx, const Principal& who, const Req& req, Res& res);
void get_admin_outbox(Context& ctx, const Principal& who, const Req& req, Res& res);

// Proposals of practices (http_proposals.cc, http_proposals_admin.cc).
void get_proposal_form(Context& ctx, const Req& req, Res& res);
void post_proposal_preview(Context& ctx, const Req& req, Res& res);
void post_proposal(Context& ctx, const Req& req, Res& res);
void get_proposal_page(Context& ctx, const Req& req, Res& res);
// GET on a proposal form's answer address: a redirect to its page.
void get_proposal_action(Context& ctx, const Req& req, Res& res);
void get_proposal(Context& ctx, const Req& req, Res& res);
void post_proposal_resubmit(Context& ctx, const Req& req, Res& res);
void post_proposal_withdraw(Context& ctx, const Req& req, Res& res);
void get_proposal_resend_page(Context& ctx, const Req& req, Res& res);
void post_proposal_resend(Context& ctx, const Req& req, Res& res);
void get_admin_proposals(Context& ctx, const Principal& who, const Req& req, Res& res);
void get_admin_proposal(Context& ctx, const Principal& who, const Req& req, Res& res);
void get_admin_proposal_image(Context& ctx, const Principal& who, const Req& req, Res& res);
void post_admin_proposal_decision(Context& ctx, const Principal& who, const Req& req, Res& res);
void post_admin_proposal_comment(Context& ctx, const Principal& who, const Req& req, Res& res);
void post_admin_proposal_edit(Context& ctx, const Principal& who, const Req& req, Res& res);
void post_admin_proposal_pulled(Context& ctx, const Principal& who, const Req& req, Res& res);

// JSON views shared by several handlers.
nlohmann::json registration_json(const Desk& desk, const Registration& r);
// Everything stored about `r` and the messages sent to them: the file the
// person downloads (GDPR art. 15 and 20), from their page or from the staff.
Result<nlohmann::json> personal_data_json(Context& ctx, const Registration& r);

}  // namespace bp::registration
