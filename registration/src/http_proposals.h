// What the proposal handlers (http_proposals.cc, http_proposals_admin.cc)
// share: reading a proposal from a JSON body or a form with its image, and
// the error answers.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "http_context.h"

namespace bp::registration::proposals_http {

struct Incoming {
  nlohmann::json body;  // the JSON body read_proposal() takes (a form is converted)
  bool form = false;
  std::optional<Upload> image;      // a recognised cover image
  std::vector<FieldError> errors;   // unreadable body, image that is not one
  std::string too_large;            // set: answer 413 with this message
};

// Reads the body: JSON up to the case-file limit, or a form (urlencoded or
// multipart) whose text parts are within it and whose "cover" part, when
// given, is at most 5 MB and decodes as a JPEG, PNG or WebP header.
Incoming read_incoming(const Req& req);

// The cover's file name for the check: the new image's, else the stored
// one, else (live preview) a "cover_name" the form sent; "" for none.
std::string cover_name(const Incoming& in, const std::string& stored);

nlohmann::json errors_json(const std::vector<FieldError>& errors);
// 400 {"error": "validation", "message", "errors": [{field, message}]}.
void send_errors(Res& res, const std::vector<FieldError>& errors);
// The uploaded image as a download (Content-Disposition: attachment,
// nosniff, a sandboxing CSP): never rendered by the site's origin.
void send_proposal_image(Res& res, const StoredProposal& p, const std::string& bytes);
// 413 as JSON under /api/, as a page elsewhere.
void send_too_large(Context& ctx, const Req& req, Res& res, const std::string& message);
// The per-address POST limit (BP_RATE_LIMIT) of every proposal POST, the
// proposer's and the editors' API alike (bodies are bounded by the route
// table and read_incoming()); false with the 429 sent.
bool admit_rate(Context& ctx, const Req& req, Res& res);

}  // namespace bp::registration::proposals_http
