// A practice proposed through the site ("Proponi una buona pratica"): the
// case-file fields a person fills in a form, turned into exactly the
// Markdown file an editor would write and checked by the same code as
// `bp-index check` (parse_practice), so a proposal and a file get the same
// diagnostics. Knows nothing of HTTP or JSON: the module that receives
// proposals fills a Proposal and maps the FieldErrors to its answers.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "bp/practice.h"
#include "bp/taxonomy.h"

namespace bp {

// One recommended section of a case file's body: its key in a proposal
// ("contesto"), its H2 heading ("Contesto") and the help shown beside it.
struct ProposalSection {
  const char* key;
  const char* heading;
  const char* help;
};

// The eight recommended sections, in the order a case file lists them.
const std::vector<ProposalSection>& proposal_sections();

// The proposal's case-file fields, as the person wrote them. Values are kept
// as text (also `year`, `sdgs` and result values) so that a wrong value
// reaches the checker and gets the checker's message.
struct Proposal {
  std::string title;
  std::string summary;
  std::string plain_words;  // `in_parole_semplici`, optional
  std::vector<std::string> questions;  // `domande`, optional
  std::string hub;  // derived from the region when empty
  std::string region;
  std::string city;
  std::vector<std::string> themes, dimensions, audience, modules;
  std::vector<std::string> sdgs;
  std::string organisation;
  std::string year;
  std::string status;  // in-corso | concluso
  std::string transferability;  // alta | media | bassa
  std::string transferability_notes;
  std::vector<Indicator> results;
  std::vector<Link> resources;
  std::string license = "CC-BY-4.0";
  std::optional<Cover> cover;  // src: the media file's name beside the case file
  // Section key -> Markdown, in proposal_sections() order when written.
  std::vector<std::pair<std::string, std::string>> sections;
};

// A case file written from a proposal. `line_fields[i]` names the proposal
// field that line i+1 comes from: a front-matter name ("themes"),
// "sections.<key>" for a body section, "" for the --- lines.
struct ProposalFile {
  std::string markdown;
  std::vector<std::string> line_fields;
};

// Writes the case file an editor would write: the fields in the order of
// the content guide (required ones always, even empty, so that the checker
// names them on their line), text values double-quoted, slugs plain, then
// one "## Heading" per non-empty section. Deterministic: the same proposal
// gives the same bytes. `hub` is written as given (see check_proposal).
ProposalFile write_proposal_file(const Proposal& proposal);

// A diagnostic of the checker placed on the proposal's field it concerns
// ("" when it concerns the whole proposal).
struct FieldError {
  std::string field;
  std::string message;  // the checker's message, Italian, with its hint
};

struct ProposalCheck {
  std::string markdown;               // the case file (write_proposal_file)
  std::vector<FieldError> errors;     // any: the proposal is not valid
  std::vector<FieldError> warnings;   // shown, never blocking
  std::string html;                   // the body as the practice page renders it (sanitised)
  std::string slug;                   // the slug the file was checked under
};

// Derives the hub from the region when the proposal has none, writes the
// file and checks it with parse_practice() as
// practices/<hub>/<slug>.md under a private temporary content root (created
// and removed here; the cover's media file, when `cover` is set, is made
// there so the cover check sees it). `slug` defaults to one made from the
// title ("proposta" when the title gives none). The body HTML comes from the
// same renderer as the practice page, with the same sanitising. Never
// throws on any input; an unwritable temporary folder is reported as an
// error on the cover.
ProposalCheck check_proposal(const Proposal& proposal, const Taxonomy& taxonomy,
                             const std::string& slug = "");

// One choice the proposal form offers: the case file's value, the form's
// words for it and, after them, what it means ("" when nothing).
struct ProposalChoice {
  const char* value;
  const char* label;
  const char* hint;
};

// The form's choices for `status`, `transferability` and `license`, in the
// form's order: the one list the form shows and the proposer's messages
// name (each value is one the checker accepts).
const std::vector<ProposalChoice>& proposal_statuses();
const std::vector<ProposalChoice>& proposal_transferability_levels();
const std::vector<ProposalChoice>& proposal_licences();

// The errors of check_proposal() as the proposer reads them beside the
// form's fields: a required field left blank (title, summary, region,
// themes, dimensions, the body) gets one message saying what to do, in
// place of the checker's, written for editors ("'themes' è vuoto: indica
// almeno un valore, per esempio [economia-circolare]"); a hub the proposal
// leaves to the region (the form has no hub field) gets none. A value that
// is not one of the form's choices (status, transferability, licence, a
// region, theme, dimension, audience or module of `taxonomy`) gets a
// message in the form's words ("stato non valido: scegli «In corso» o
// «Conclusa»"; "tema sconosciuto «economia-circolar»: forse «Economia
// circolare»?"), not the checker's keys and slugs. Other errors are kept as
// they are, in order.
std::vector<FieldError> errors_for_proposer(const Proposal& given, const Taxonomy& taxonomy,
                                            std::vector<FieldError> errors);

// The checker's warnings in the words of the form ("'results' ha 1
// indicatore" names the form's «Risultati in numeri»), in order.
std::vector<FieldError> warnings_for_proposer(std::vector<FieldError> warnings);

// The field a diagnostic of `file` at `line` concerns: from the line map,
// else (the opening --- line, where missing fields are reported) the first
// quoted front-matter name in `message`.
std::string field_of_diagnostic(const ProposalFile& file, int line, const std::string& message);

}  // namespace bp
