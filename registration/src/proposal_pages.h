// The proposal pages for people (web/templates/proponi.mustache,
// proposta.mustache and the form partial proposal_fields.mustache): the
// "Proponi una buona pratica" form with each error beside its field, and
// the proposer's private status page. Never indexed except the empty form.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bp/proposal.h"
#include "bp/registration/proposal_store.h"
#include "bp/site/pages.h"
#include "bp/taxonomy.h"

namespace bp::registration::html {

// What the form shows: the values given (the JSON body read_proposal()
// takes, proposer included), the errors, where it posts.
struct ProposalFormState {
  nlohmann::json values = nlohmann::json::object();
  std::vector<FieldError> errors;
  std::string action = "/proponi#form-summary";  // the answer opens at the errors (no JavaScript)
  std::string token;         // the proposer's token, posted back when editing
  bool editing = false;      // the proposer's edit: no proposer fields, no consents
  std::string stored_image;  // the image already stored ("copertina.jpg"), kept unless replaced
  std::string csrf;          // the staff form's CSRF token (editors' screen)
};

// The view of the form partial (partials/proposal_fields.mustache).
nlohmann::json proposal_form_view(const Taxonomy& taxonomy, const ProposalFormState& state);

// What the proposal says besides its story, for the proposer's page (the
// partial proposal_facts.mustache): one {name, text | items} per field
// given, in the form's order and words, vocabularies by their labels, the
// place with the hub the region gives. `values` is the stored JSON body.
nlohmann::json proposal_facts_view(const Taxonomy& taxonomy, const nlohmann::json& values,
                                   const std::string& image_name);

// A field of the proposal in the form's words ("sections.contesto" ->
// "Contesto"; "title" -> "Titolo").
std::string proposal_field_label(const std::string& field);

// The id of the form element of a field ("sections.contesto" ->
// "sections-contesto"), for error anchors and aria-describedby.
std::string field_id(const std::string& field);

// The /proponi page (200 empty, 400 with errors).
std::string proposal_form_page(const site::Pages& pages, const Taxonomy& taxonomy, const ProposalFormState& state);

// The proposer's page: the status and what it means, the history with the
// editors' comments, the preview, the edit form when changes are requested,
// the withdraw button. `notice` is a line shown on top ("" for none). With
// `confirm_withdraw`, the withdraw button gives way to the question "Vuoi
// ritirare la proposta?" and the form that does it. `advice`: the
// checker's warnings (for the proposer), listed while the proposal is open.
std::string proposal_status_page(const site::Pages& pages, const Taxonomy& taxonomy, const StoredProposal& p,
                                 const std::string& token, const std::string& preview_html,
                                 const ProposalFormState* edit, const std::string& notice,
                                 bool confirm_withdraw = false, const std::vector<FieldError>& advice = {});

// `s`, or false when it is empty (Mustache takes "" as true).
nlohmann::json text_or_false(const std::string& s);

// What the status means for the proposer, in one sentence.
std::string proposal_status_explanation(const std::string& status);

}  // namespace bp::registration::html
