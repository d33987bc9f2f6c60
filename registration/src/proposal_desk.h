// The rules of proposals, between the HTTP handlers and the ProposalStore:
// checking (the one validator, bp/proposal.h), submitting, the proposer's
// token, the editors' decisions, the messages, the publication once the
// pulled file is in the index, and the near-duplicates.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "bp/proposal.h"
#include "bp/registration/proposal_store.h"
#include "bp/search.h"
#include "bp/taxonomy.h"
#include "image_check.h"
#include "proposal_input.h"

namespace bp::registration {

struct ProposalDeskOptions {
  std::string public_base_url = "http://localhost:8080";
  std::string privacy_version;
  // The index the server searches: where the desk looks for pulled
  // proposals' slugs (publication) and for near-duplicates. Empty: neither.
  std::filesystem::path index_dir;
  // The addresses told by e-mail of each proposal to read (new, or sent
  // again after a request for changes): the editors'. Unset: nobody.
  std::function<std::vector<std::string>()> editors;
};

// An uploaded cover image, recognised.
struct Upload {
  std::string bytes;
  ImageInfo info;
};

// A proposal read and checked: the input, the checker's answer, every
// error (shape, proposer, checker) in one list for the answer, and the
// taxonomy it was checked against (never null from ProposalDesk::check()),
// which its form lists and with which it is stored.
struct CheckedProposal {
  ProposalInput input;
  ProposalCheck check;
  std::shared_ptr<const Taxonomy> taxonomy;
  std::vector<FieldError> errors;
  bool valid() const { return errors.empty(); }
};

// An editor's decision on a proposal.
enum class Decision { kReview, kRequestChanges, kAccept, kReject };

struct NearDuplicate {
  std::string slug, title, summary;
};

class ProposalDesk {
 public:
  ProposalDesk(const Taxonomy& taxonomy, ProposalStore& store, ProposalDeskOptions options);

  // Reads and checks `body`. `cover_name` is the image the proposal will
  // have ("copertina.jpg": uploaded now or stored before; "" for none): the
  // cover is written with it, and the alt text is then required.
  CheckedProposal check(const nlohmann::json& body, bool with_proposer, const std::string& cover_name);

  // Stores a valid proposal with its image (may be null) and the message
  // "proposta ricevuta"; the result carries the clear token. Conflict, with
  // the date and code of the first in Italian, when the same address sent
  // the same case file and it is still waiting to be read (a form sent
  // twice, a page reloaded): the first one's link is in its e-mail.
  Result<StoredProposal> submit(const CheckedProposal& p, const Upload* image);

  // The proposer who lost the link (/proposta/nuovo-link): every proposal
  // sent from `email` (case apart) gets a new token, and one message lists
  // the new links; the old ones stop working. Nothing is sent when the
  // address has no proposal, and the caller answers the same either way.
  // An Italian message when the address is not one.
  Status resend_links(const std::string& email, std::string* problem);

  // The proposal `code` when `token` is its proposer's (constant-time on
  // the hashes); NotFound otherwise, whichever was wrong.
  Result<StoredProposal> authorise(const std::string& code, const std::string& token);

  // The proposer's edit after changes were requested: back to review.
  Result<StoredProposal> resubmit(const std::string& code, const CheckedProposal& p, const Upload* image);
  // The proposer withdraws (any status before acceptance).
  Result<StoredProposal> withdraw(const std::string& code);

  // An editor's decision with a comment (required to reject or to request
  // changes) and the message to the proposer.
  // `editor` (the account's e-mail; "" or "BP_ADMIN_TOKEN" for the shared
  // token) is who the history names on the staff's pages.
  Result<StoredProposal> decide(const std::string& code, Decision decision, const std::string& comment,
                                const std::string& editor);
  // An editor's comment sent to the proposer, no change of status.
  Result<StoredProposal> comment(const std::string& code, const std::string& comment, const std::string& editor);
  // An editor's edit of the fields (the proposal stays where it is).
  Result<StoredProposal> edit(const std::string& code, const CheckedProposal& p, const std::string& editor);

  // Accepted proposals already pulled whose slug the index now has become
  // "pubblicata" (the proposer gets the link). Returns how many. Cheap when
  // none waits.
  int publish_pulled();

  // Practices of the library close to the proposal (a search with its title
  // and summary), best first; empty without an index.
  std::vector<NearDuplicate> near_duplicates(const StoredProposal& p, int limit = 3);

  // The status page's address (holds the token: only for the proposer).
  std::string status_url(const StoredProposal& p) const;
  const std::string& public_base_url() const { return options_.public_base_url; }
  ProposalStore& store() { return store_; }
  // The taxonomy proposals are checked against and the form lists: the
  // index's, as the search follows it (a theme an editor added is offered
  // once the library is rebuilt), or the one given without an index.
  std::shared_ptr<const Taxonomy> taxonomy();

 private:
  OutboxMessage message(const StoredProposal& p, const std::string& subject, const std::string& body) const;
  // The editors' notice that `p` waits to be read (options_.editors), one
  // message per address; `again` when the proposer sent it back changed.
  std::vector<OutboxMessage> editor_notices(const StoredProposal& p, bool again) const;
  // The searcher, opened on first use and refreshed; nullptr without an index.
  Searcher* searcher();

  const Taxonomy& taxonomy_;  // the one given; see taxonomy()
  ProposalStore& store_;
  ProposalDeskOptions options_;
  std::mutex search_mu_;  // a Searcher serves one thread at a time
  std::unique_ptr<Searcher> searcher_;
};

}  // namespace bp::registration
