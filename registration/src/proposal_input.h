// A proposal as it arrives: the JSON body of /api/proposals (the case-file
// fields under their front-matter names, `sections`, `proposer`, the
// consents) or the /proponi form, read into a bp::Proposal. Shape errors
// (a list where a text belongs) and the proposer's errors are FieldErrors
// in Italian, like the checker's.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bp/proposal.h"

namespace bp::registration {

struct Proposer {
  std::string name, email, role, organisation;
};

struct ProposalInput {
  Proposal proposal;
  // The case-file fields and sections only, normalised: what is stored and
  // what fills the form again (never the proposer's data).
  nlohmann::json fields = nlohmann::json::object();
  Proposer proposer;
  bool consent_publication = false;
  bool consent_privacy = false;
  std::string honeypot;  // the hidden "website" field: filled by bots only
  std::vector<FieldError> errors;
};

// Reads the case-file fields and sections of `body` (a JSON object) and, with
// `with_proposer`, the proposer and the consents (required then). The cover
// is not read here: its src is the stored image's name (set by the caller)
// and its alt comes from `cover.alt` (or "cover_alt").
ProposalInput read_proposal(const nlohmann::json& body, bool with_proposer);

// The /proponi form's fields (name -> values, in order; checkboxes repeat
// their name) as the JSON body read_proposal() takes: "themes" and the other
// lists from repeated names, "results.N.indicator" rows, "resources.N.url"
// rows (blank rows dropped), "sections.<key>", "proposer.<field>",
// "consent_*" checkboxes.
nlohmann::json form_to_json(const std::multimap<std::string, std::string>& form);

}  // namespace bp::registration
