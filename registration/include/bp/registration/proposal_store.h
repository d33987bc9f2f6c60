// Proposals of practices ("Proponi una buona pratica") in the registration
// store: the same database, migrations and outbox as registrations, behind
// an interface of their own (reached with Store::proposals()). Both engines
// run the same statements (proposal_store.cc); only the way a statement is
// executed differs (proposal_sqlite.cc, proposal_pg.cc). All methods are
// thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "bp/registration/store.h"
#include "bp/status.h"

namespace bp::registration {

// The statuses, in Italian as they are shown and stored. A proposal starts
// "nuova"; editors move it to "in revisione", "modifiche richieste"
// (the proposer edits and resubmits: back to "in revisione"),
// "accettata" or "respinta"; "pubblicata" once the pulled file is in the
// index; "ritirata" when the proposer withdraws it.
namespace proposal_status {
inline constexpr const char* kNew = "nuova";
inline constexpr const char* kInReview = "in revisione";
inline constexpr const char* kChangesRequested = "modifiche richieste";
inline constexpr const char* kAccepted = "accettata";
inline constexpr const char* kRejected = "respinta";
inline constexpr const char* kPublished = "pubblicata";
inline constexpr const char* kWithdrawn = "ritirata";
}  // namespace proposal_status

// One line of a proposal's history: a change of status, a comment, or both.
struct ProposalEvent {
  std::string at;       // UTC ISO
  // "proponente", "sistema", or the editor: the account's e-mail, or
  // "redazione" (the shared admin token, and history written before).
  std::string actor;
  std::string status;   // the status entered; "" for a comment alone
  std::string comment;  // "" when none
};

// The actor as the proposer reads it: an editor is «redazione», never a
// person's address.
std::string public_actor(const std::string& actor);

struct StoredProposal {
  std::int64_t id = 0;
  std::string code;        // public identifier (base32, 80 random bits)
  std::string token_hash;  // SHA-256 of the proposer's token (32 raw bytes)
  std::string status;
  std::string fields;    // the proposal as submitted (JSON text: fields and sections)
  std::string markdown;  // the case file written from it
  std::string title, hub;
  std::string proposer_name, proposer_email, proposer_role, proposer_organisation;
  std::string consent_at, privacy_version;
  std::string image_name;  // "copertina.jpg"; "" when there is no image
  std::string image_type;  // "image/jpeg" | "image/png" | "image/webp"
  std::string slug;        // set when pulled into the library
  std::string public_url;  // set when published
  std::string created_at, updated_at, pulled_at, published_at;
  std::vector<ProposalEvent> history;  // oldest first (not filled by list())
  // Not stored: the clear token, known only when it was just made.
  std::string token;
  // The proposer's data were erased (ProposalStore::erase_proposers): the
  // address, required on every proposal, is empty only then.
  bool erased() const { return proposer_email.empty(); }
};

// What a proposal's content is made of: set on creation and on each edit.
struct ProposalContent {
  std::string fields, markdown, title, hub;
  // With `replace_image`, the image (empty bytes: none) replaces the stored
  // one; without, the stored image stays.
  bool replace_image = false;
  std::string image, image_name, image_type;
};

// A change of status with its comment and the message to send, all written
// in one transaction. An empty `to` adds a comment without a change.
struct ProposalChange {
  std::vector<std::string> from;  // statuses the proposal must be in (empty: any)
  std::string to;
  std::string actor;
  std::string comment;
  // Sent to the proposer through the outbox (no message when the subject is
  // empty). The recipient is filled in by the store.
  OutboxMessage message;
  // Sent to the editors (each with its recipient), in the same transaction.
  std::vector<OutboxMessage> notices;
};

class ProposalStore {
 public:
  virtual ~ProposalStore() = default;

  // Inserts a proposal in status "nuova" (code and token_hash made by the
  // caller) with its first history line, `message` (to the proposer) and
  // `notices` (to the editors, each with its recipient). Conflict when the
  // code exists, or when a proposal from the same address (letter case
  // aside) with the same markdown is still "nuova": then nothing is written
  // and `*duplicate`, when not null, is that proposal. The check and the
  // insert are one step: the same proposal sent twice at once is stored once.
  virtual Result<StoredProposal> create(const StoredProposal& proposal, const ProposalContent& content,
                                        const OutboxMessage& message, const std::vector<OutboxMessage>& notices,
                                        StoredProposal* duplicate) = 0;

  // The proposal with its history (not the image bytes); NotFound when none.
  virtual Result<StoredProposal> find(const std::string& code) = 0;

  // The image bytes; NotFound when the proposal has none.
  virtual Result<std::string> image(const std::string& code) = 0;

  // Proposals (no history, no image) in `status` (all when empty), newest
  // first.
  virtual Result<std::vector<StoredProposal>> list(const std::string& status) = 0;

  // Applies `change`; Conflict (with an Italian message naming the current
  // status) when the proposal is not in one of `change.from`, NotFound when
  // there is none.
  virtual Result<StoredProposal> change(const std::string& code, const ProposalChange& change) = 0;

  // Replaces the content and applies `change` in one transaction (the
  // proposer's resubmission, an editor's edit). Errors as change().
  virtual Result<StoredProposal> edit(const std::string& code, const ProposalContent& content,
                                      const ProposalChange& change) = 0;

  // Records the slug the file was written under (pull). Conflict when the
  // proposal is not accepted.
  virtual Status mark_pulled(const std::string& code, const std::string& slug) = 0;

  // "pubblicata" with the public page's address, a history line and
  // `message`. Conflict unless accepted.
  virtual Result<StoredProposal> mark_published(const std::string& code, const std::string& url,
                                                const OutboxMessage& message) = 0;

  // The proposer's lost link: the token hash of each proposal in
  // `token_hashes` (code -> SHA-256 of its new token) is replaced and
  // `message` (with the new links) queued, in one transaction, so the old
  // links stop working exactly when the new ones are sent. An unknown code
  // is skipped.
  virtual Status replace_tokens(const std::map<std::string, std::string>& token_hashes,
                                const OutboxMessage& message) = 0;

  // GDPR erasure of the proposers of `codes`, in one transaction: name,
  // e-mail, role and organisation blanked (StoredProposal::erased()), the
  // proposer's part of `fields` dropped, a fresh token hash (the link stops
  // working), the texts of the messages about the proposal or to its address
  // emptied (one still queued is never sent), and the proposer's name and
  // address replaced by `replacement` in the editors' comments. The proposal
  // itself, its case file, image and history stay. NotFound, and nothing
  // erased, for an unknown code. Callers on SQLite checkpoint afterwards
  // (Store::erase_all) so the old values leave the -wal file too.
  virtual Status erase_proposers(const std::vector<std::string>& codes, const std::string& replacement) = 0;
};

}  // namespace bp::registration
