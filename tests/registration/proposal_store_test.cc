// Proposals in the registration store, on both engines (conformance suite):
// creation with history and message, the allowed transitions, edits with
// the image, pull and publication.
#include "bp/registration/proposal_store.h"

#include <algorithm>
#include <atomic>
#include <gtest/gtest.h>
#include <thread>

#include "store_engines.h"

namespace bp::registration {
namespace {

using test::Engine;
namespace ps = proposal_status;

class ProposalStoreTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    BP_REQUIRE_ENGINE(loc_);
    auto s = loc_.open({});
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
  }

  // The proposal `code` from Giulia, as the desk makes it (the content apart).
  StoredProposal proposal(const std::string& code) {
    StoredProposal p;
    p.code = code;
    p.token_hash = std::string(32, 'h');
    p.proposer_name = "Giulia Ferrero";
    p.proposer_email = "giulia@example.org";
    p.consent_at = "2026-11-30T10:00:00Z";
    p.privacy_version = "2026-11";
    return p;
  }
  static ProposalContent content(const std::string& markdown) {
    return {"{}", markdown, "Riparare", "nord", true, "", "", ""};
  }

  StoredProposal create(const std::string& code, const std::string& image = "") {
    StoredProposal p = proposal(code);
    p.token_hash = std::string(32, '\0');
    p.token_hash[5] = '\x7f';
    ProposalContent c{"{\"title\":\"Riparare\"}", "---\ntitle: Riparare " + code + "\n---\n", "Riparare", "nord", true, image,
                      image.empty() ? "" : "copertina.png", image.empty() ? "" : "image/png"};
    OutboxMessage m;
    m.subject = "Proposta ricevuta";
    m.body = "Grazie";
    auto r = store_->proposals().create(p, c, m, {}, nullptr);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : StoredProposal{};
  }

  test::StoreLocation loc_{GetParam()};
  std::unique_ptr<Store> store_;
};

TEST_P(ProposalStoreTest, CreatesWithHistoryAndMessageAndKeepsTheTokenHashBytes) {
  const std::string png("\x89PNG\r\n\x1a\n\0\0binary", 18);
  create("abc123", png);
  auto p = store_->proposals().find("abc123");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->status, ps::kNew);
  EXPECT_EQ(p->token_hash.size(), 32u);
  EXPECT_EQ(p->token_hash[0], '\0');
  EXPECT_EQ(p->token_hash[5], '\x7f');
  ASSERT_EQ(p->history.size(), 1u);
  EXPECT_EQ(p->history[0].actor, "proponente");
  EXPECT_EQ(p->image_name, "copertina.png");
  auto img = store_->proposals().image("abc123");
  ASSERT_TRUE(img.ok());
  EXPECT_EQ(*img, png);
  auto outbox = store_->outbox(false, 10);
  ASSERT_TRUE(outbox.ok());
  ASSERT_EQ(outbox->size(), 1u);
  EXPECT_EQ((*outbox)[0].recipient, "giulia@example.org");
  EXPECT_EQ((*outbox)[0].registration_id, 0);
  EXPECT_EQ(store_->proposals().find("nessuna").status().code(), Code::kNotFound);
}

TEST_P(ProposalStoreTest, TransitionsOnlyFromTheAllowedStatuses) {
  create("p1");
  auto& s = store_->proposals();
  auto r = s.change("p1", {{ps::kNew, ps::kInReview}, ps::kChangesRequested, "redazione", "Aggiungi i numeri", {}, {}});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->status, ps::kChangesRequested);
  // Accepting needs a proposal under review: refused with the current status named.
  OutboxMessage notice;
  notice.recipient = "redazione@example.org";
  notice.subject = "Proposta inviata di nuovo: Nuovo titolo";
  const std::size_t queued = store_->outbox(false, 100)->size();
  auto refused = s.change("p1", {{ps::kNew, ps::kInReview}, ps::kAccepted, "redazione", "", {}, {notice}});
  EXPECT_EQ(refused.status().code(), Code::kConflict);
  EXPECT_NE(refused.status().message().find("modifiche richieste"), std::string::npos);
  EXPECT_EQ(store_->outbox(false, 100)->size(), queued) << "a refused change tells nobody";
  // The proposer's edit goes back to review, image kept; the editors'
  // notice is queued with it, to its own recipient.
  ProposalContent c{"{}", "---\nnuovo\n---\n", "Nuovo titolo", "sud", false, "", "", ""};
  auto e = s.edit("p1", c, {{ps::kChangesRequested}, ps::kInReview, "proponente", "Fatto", {}, {notice}});
  const auto outbox = store_->outbox(false, 100);
  ASSERT_EQ(outbox->size(), queued + 1);
  EXPECT_TRUE(std::any_of(outbox->begin(), outbox->end(), [](const OutboxMessage& m) {
    return m.recipient == "redazione@example.org" && m.subject == "Proposta inviata di nuovo: Nuovo titolo";
  }));
  ASSERT_TRUE(e.ok()) << e.status().message();
  EXPECT_EQ(e->title, "Nuovo titolo");
  EXPECT_EQ(e->markdown, "---\nnuovo\n---\n");
  auto p = s.find("p1");
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->history.size(), 3u);
  EXPECT_EQ(p->history[1].comment, "Aggiungi i numeri");
  EXPECT_EQ(p->history[2].status, ps::kInReview);
}

// A proposer's data erased (on request, or at the end of the programme):
// the proposal and its history stay, without them; the link stops working;
// messages lose their texts; the editors' comments lose the name and the
// address. One unknown code and nothing is erased.
TEST_P(ProposalStoreTest, ErasingAProposerKeepsTheProposalWithoutThem) {
  StoredProposal p = proposal("p1");
  p.proposer_role = "volontaria";
  p.proposer_organisation = "APS Filo Verde";
  ProposalContent c{R"({"title":"Riparare","proposer":{"name":"Giulia Ferrero","email":"giulia@example.org"}})",
                    "---\ntitle: Riparare\n---\n",
                    "Riparare",
                    "nord",
                    true,
                    "",
                    "",
                    ""};
  OutboxMessage m;
  m.subject = "Proposta ricevuta";
  m.body = "Ciao Giulia Ferrero, la tua pagina: /proposta/p1";
  OutboxMessage notice;
  notice.recipient = "redazione@example.org";
  notice.subject = "Nuova proposta: Riparare";
  notice.body = "Inviata da: Giulia Ferrero. Codice: p1";
  ASSERT_TRUE(store_->proposals().create(p, c, m, {notice}, nullptr).ok());
  create("p2");  // her other proposal: it keeps her data, and its message
  // A message about p1 that names its title, not its code.
  OutboxMessage no;
  no.subject = "La tua proposta non è stata accettata";
  no.body = "Ciao Giulia Ferrero,\n\nla redazione ha letto «Riparare» e non può accoglierla.";
  ASSERT_TRUE(
      store_->proposals()
          .change("p1", {{ps::kNew}, ps::kRejected, "redazione", "Grazie Giulia Ferrero (GIULIA@example.org).", no, {}})
          .ok());
  const std::string old_hash = store_->proposals().find("p1")->token_hash;
  auto& s = store_->proposals();
  EXPECT_EQ(s.erase_proposers({"p1", "nope"}, "[x]").code(), Code::kNotFound);
  EXPECT_EQ(s.find("p1")->proposer_email, "giulia@example.org") << "rolled back";
  ASSERT_TRUE(s.erase_proposers({"p1"}, "[x]").is_ok());
  auto e = s.find("p1");
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(e->erased());
  EXPECT_EQ(e->proposer_name, "");
  EXPECT_EQ(e->proposer_role, "");
  EXPECT_EQ(e->proposer_organisation, "");
  EXPECT_EQ(e->fields, R"({"title":"Riparare"})");
  EXPECT_NE(e->token_hash, old_hash);
  EXPECT_EQ(e->status, ps::kRejected);
  EXPECT_EQ(e->markdown, "---\ntitle: Riparare\n---\n");
  ASSERT_EQ(e->history.size(), 2u);
  EXPECT_EQ(e->history[1].comment, "Grazie [x] ([x]).");
  const auto outbox = store_->outbox(false, 100);
  ASSERT_TRUE(outbox.ok());
  ASSERT_EQ(outbox->size(), 4u) << "the lines stay";
  int hers = 0;
  for (const auto& msg : *outbox) {
    EXPECT_EQ(msg.body.find("Giulia"), std::string::npos) << msg.subject;
    EXPECT_EQ(msg.body.find("Riparare"), std::string::npos) << msg.subject;
    if (msg.recipient == "giulia@example.org") {
      ++hers;
      EXPECT_EQ(msg.body, "Grazie") << "p2's message, still to be sent";
      EXPECT_TRUE(msg.delivered_at.empty());
    }
  }
  EXPECT_EQ(hers, 1);
  EXPECT_FALSE(s.find("p2")->erased()) << "only the codes given";
  // Erasing again changes nothing and fails nothing.
  ASSERT_TRUE(s.erase_proposers({"p1"}, "[x]").is_ok());
}

TEST_P(ProposalStoreTest, PullAndPublishOnlyAfterAcceptance) {
  create("p2");
  auto& s = store_->proposals();
  EXPECT_EQ(s.mark_pulled("p2", "riparare").code(), Code::kConflict);
  ASSERT_TRUE(s.change("p2", {{}, ps::kAccepted, "redazione", "", {}, {}}).ok());
  ASSERT_TRUE(s.mark_pulled("p2", "riparare").is_ok());
  auto accepted = s.list(ps::kAccepted);
  ASSERT_TRUE(accepted.ok());
  ASSERT_EQ(accepted->size(), 1u);
  EXPECT_EQ((*accepted)[0].slug, "riparare");
  OutboxMessage m;
  m.subject = "Pubblicata";
  auto pub = s.mark_published("p2", "http://localhost/pratiche/riparare", m);
  ASSERT_TRUE(pub.ok()) << pub.status().message();
  EXPECT_EQ(pub->status, ps::kPublished);
  EXPECT_EQ(pub->public_url, "http://localhost/pratiche/riparare");
  EXPECT_EQ(s.mark_published("p2", "x", m).status().code(), Code::kConflict);
  auto outbox = store_->outbox(false, 10);
  ASSERT_TRUE(outbox.ok());
  EXPECT_EQ(outbox->size(), 2u);
}

TEST_P(ProposalStoreTest, QuotesAndDollarsInValuesAreStoredAsWritten) {
  create("p3");
  const std::string tricky = "l'orto $1 di \"via\" Roma'); DROP TABLE proposals; --";
  ProposalContent c{tricky, tricky, tricky, "nord", false, "", "", ""};
  auto e = store_->proposals().edit("p3", c, {{}, "", "redazione", tricky, {}, {}});
  ASSERT_TRUE(e.ok()) << e.status().message();
  EXPECT_EQ(e->title, tricky);
  auto p = store_->proposals().find("p3");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->history.back().comment, tricky);
}

// A lost link: the new token hashes replace the old ones and the one
// message with the new links is queued, together; an unknown code is skipped.
TEST_P(ProposalStoreTest, ReplacingTokensKeepsTheBytesAndQueuesOneMessage) {
  create("p1");
  create("p2");
  std::string hash(32, '\x01');
  hash[0] = '\0';
  OutboxMessage m;
  m.recipient = "giulia@example.org";
  m.subject = "I nuovi link delle tue proposte";
  m.body = "link";
  ASSERT_TRUE(store_->proposals().replace_tokens({{"p1", hash}, {"nessuna", hash}}, m).is_ok());
  EXPECT_EQ(store_->proposals().find("p1")->token_hash, hash);
  EXPECT_EQ(store_->proposals().find("p2")->token_hash[5], '\x7f') << "p2 was not asked for";
  auto outbox = store_->outbox(false, 10);
  ASSERT_TRUE(outbox.ok());
  ASSERT_EQ(outbox->size(), 3u);
  EXPECT_EQ(std::count_if(outbox->begin(), outbox->end(), [](const auto& x) { return x.subject == "I nuovi link delle tue proposte"; }), 1);
}

// The same case file from the same address while the first still waits is
// not stored again, whoever sends it and however often at once; another
// address, or a first proposal no longer waiting, is.
TEST_P(ProposalStoreTest, TheSameProposalWaitingIsStoredOnce) {
  auto& s = store_->proposals();
  const std::string md = "---\ntitle: Il banco di riparazione\n---\n";
  ASSERT_TRUE(s.create(proposal("first"), content(md), {}, {}, nullptr).ok());
  StoredProposal again = proposal("again");
  again.proposer_email = "GIULIA@Example.org";
  StoredProposal dup;
  OutboxMessage received;
  received.subject = "Abbiamo ricevuto la tua proposta";
  received.body = "Grazie";
  auto refused = s.create(again, content(md), received, {}, &dup);
  EXPECT_EQ(refused.status().code(), Code::kConflict);
  EXPECT_EQ(dup.code, "first");
  EXPECT_EQ(s.find("again").status().code(), Code::kNotFound);
  EXPECT_EQ(store_->outbox(false, 10)->size(), 0u) << "no message for a refused proposal";

  StoredProposal other = proposal("other");
  other.proposer_email = "marco@example.org";
  EXPECT_TRUE(s.create(other, content(md), {}, {}, nullptr).ok());
  EXPECT_TRUE(s.create(proposal("changed"), content(md + "Un paragrafo in più.\n"), {}, {}, nullptr).ok());
  ASSERT_TRUE(s.change("first", {{ps::kNew}, ps::kWithdrawn, "proponente", "", {}, {}}).ok());
  EXPECT_TRUE(s.create(proposal("after"), content(md), {}, {}, nullptr).ok()) << "the first no longer waits";

  // Identical submissions at the same moment (a double click, two tabs,
  // two servers): one is stored, the others name it. Rounds of eight,
  // released together once every sender is ready.
  for (int round = 0; round < 10; ++round) {
    const std::string md2 = "---\ntitle: La ciclofficina " + std::to_string(round) + "\n---\n";
    constexpr int kSenders = 8;
    std::vector<std::thread> senders;
    std::vector<std::string> stored(kSenders), named(kSenders);
    std::atomic<int> ready{0};
    for (int i = 0; i < kSenders; ++i)
      senders.emplace_back([&, i] {
        ready.fetch_add(1);
        while (ready.load() < kSenders) std::this_thread::yield();
        StoredProposal d;
        auto r = s.create(proposal("r" + std::to_string(round) + "-" + std::to_string(i)), content(md2), {}, {}, &d);
        if (r.ok()) stored[i] = r->code;
        named[i] = d.code;
      });
    for (auto& t : senders) t.join();
    const auto has_code = [](const std::string& c) { return !c.empty(); };
    ASSERT_EQ(std::count_if(stored.begin(), stored.end(), has_code), 1) << "round " << round << ": stored once";
    const std::string winner = *std::find_if(stored.begin(), stored.end(), has_code);
    for (int i = 0; i < kSenders; ++i) {
      if (stored[i].empty()) {
        EXPECT_EQ(named[i], winner);
      }
    }
  }
}

TEST_P(ProposalStoreTest, BothEnginesHaveTheSameColumns) {
  EXPECT_EQ(loc_.columns("proposals").size(), 22u + 1u);  // + image
  EXPECT_EQ(loc_.columns("proposal_events").size(), 6u);
}

INSTANTIATE_TEST_SUITE_P(Engines, ProposalStoreTest, ::testing::Values(Engine::kSqlite, Engine::kPostgresql),
                         test::engine_name);

}  // namespace
}  // namespace bp::registration
