// Proposals end to end against the real server with a real index: a
// proposal sent, accepted, pulled by bp-index, checked, indexed, found by
// search, its page's body equal to the preview, and the proposer told with
// the link; the limits and bad images; the proposer's token and the editors'
// token.
#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "bp/index_builder.h"
#include "bp/library.h"
#include "bp/search.h"
#include "commands.h"
#include "crypto.h"
#include "fixture.h"

namespace bp::registration {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr const char* kAdminToken = "0123456789abcdef0123456789abcdef-editors";

// A real 1×1 RGB PNG (signature, IHDR, IDAT, IEND) as an encoder writes it.
std::string tiny_png() {
  static const unsigned char k[] = {
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
      0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53,
      0xde, 0x00, 0x00, 0x00, 0x0c, 0x49, 0x44, 0x41, 0x54, 0x08, 0xd7, 0x63, 0xf8, 0xcf, 0xc0, 0x00,
      0x00, 0x03, 0x01, 0x01, 0x00, 0x18, 0xdd, 0x8d, 0xb0, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e,
      0x44, 0xae, 0x42, 0x60, 0x82};
  return std::string(reinterpret_cast<const char*>(k), sizeof k);
}

json proposal_body() {
  return {{"title", "Il laboratorio di riparazione condiviso di Quarto Oggiaro"},
          {"summary", "Volontari e abitanti riparano insieme biciclette e piccoli elettrodomestici."},
          {"region", "lombardia"},
          {"city", "Milano"},
          {"themes", {"economia-circolare"}},
          {"dimensions", {"ambientale", "sociale"}},
          {"sdgs", {12}},
          {"year", 2022},
          {"status", "in-corso"},
          {"transferability", {{"level", "alta"}, {"notes", "Serve uno spazio e dieci volontari."}}},
          {"results",
           {{{"indicator", "Oggetti riparati"}, {"value", "340"}, {"unit", "oggetti"}},
            {{"indicator", "Volontari"}, {"value", "18"}, {"unit", "persone"}}}},
          {"resources", {{{"title", "Regolamento"}, {"url", "https://example.org/regolamento.pdf"}}}},
          {"sections",
           {{"contesto", "Nel quartiere mancava un luogo per **riparare** invece di buttare."},
            {"cosa-e-stato-fatto", "- apertura ogni sabato\n- corsi per ragazzi"}}}};
}

class ProposalHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // `proposals pull` starts this build's bp-index-pull, as the installed
    // bp-index starts the one next to it.
    ::setenv("BP_INDEX_PULL", BP_INDEX_PULL, 1);
    content_ = test::make_content(dir_.path());
    // Two practices already in the library, one close to the proposal.
    for (const char* f : {"nord/repair-cafe-milano.md", "centro/ciclofficina-firenze.md"}) {
      fs::create_directories(content_ / "practices" / fs::path(f).parent_path());
      fs::copy_file(fs::path(BP_SOURCE_DIR) / "tests/fixtures/library/practices" / f, content_ / "practices" / f);
    }
    build();
    Diagnostics d;
    taxonomy_ = Taxonomy::load(content_ / "taxonomy.yaml", &d);
    ASSERT_TRUE(taxonomy_);
    auto pages = site::Pages::load(fs::path(BP_SOURCE_DIR) / "web" / "templates");
    ASSERT_TRUE(pages.ok());
    pages_ = std::make_unique<site::Pages>(std::move(*pages));
    Options o;
    o.data_dir = dir_.path() / "data";
    o.content_root = content_;
    o.index_dir = index_;
    o.admin_token = kAdminToken;
    o.rate_limit_per_minute = 0;
    o.worker_poll_seconds = 1;
    auto m = open(o, *taxonomy_, *pages_);
    ASSERT_TRUE(m.ok()) << m.status().message();
    module_ = std::move(*m);
    server::Options so;
    so.host = "127.0.0.1";
    so.port = 0;
    so.access_log = nullptr;
    so.index_dir = index_;
    so.web_root = fs::path(BP_SOURCE_DIR) / "web";
    so.content_root = content_;
    const fs::path index = index_;
    const Taxonomy& tax = *taxonomy_;
    server_ = std::make_unique<server::Server>(so, tax, *pages_, [index, &tax] { return Searcher::open(index, tax); });
    server_->mount(module_->routes());
    port_ = server_->bind();
    thread_ = std::thread([this] { server_->listen(); });
    server_->wait_until_ready();
  }
  void TearDown() override {
    if (thread_.joinable()) {
      server_->stop();
      thread_.join();
    }
  }

  void build() {
    BuildOptions b;
    b.content_root = content_;
    b.index_dir = index_;
    auto r = build_index(b);
    ASSERT_TRUE(r.ok()) << r.status().message();
  }

  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(60, 0);
    return c;
  }
  httplib::Headers editor() const { return {{"Authorization", std::string("Bearer ") + kAdminToken}}; }

  json post_json(const std::string& path, const json& body, int expected, const httplib::Headers& h = {}) {
    auto res = client().Post(path.c_str(), h, body.dump(), "application/json");
    EXPECT_TRUE(res);
    if (!res) return nullptr;
    EXPECT_EQ(res->status, expected) << res->body;
    return json::parse(res->body, nullptr, false);
  }

  json get_json(const std::string& path, const httplib::Headers& h = {}) {
    auto res = client().Get(path.c_str(), h);
    EXPECT_TRUE(res && res->status == 200) << (res ? res->body : "no answer");
    return res ? json::parse(res->body, nullptr, false) : json();
  }

  // Submits the proposal; returns {code, token}.
  std::pair<std::string, std::string> submit(json body) {
    body["proposer"] = {{"name", "Giulia Ferrero"}, {"email", "giulia@example.org"}, {"role", "volontaria"}};
    body["consent_publication"] = true;
    body["consent_privacy"] = true;
    const json r = post_json("/api/proposals", body, 201);
    const std::string url = r.value("status_url", "");
    return {r.value("code", ""), url.substr(url.find("token=") + 6)};
  }

  test::TempDir dir_{"bp-proposal-http"};
  fs::path content_, index_ = dir_.path() / "index";
  std::optional<Taxonomy> taxonomy_;
  std::unique_ptr<site::Pages> pages_;
  std::unique_ptr<Module> module_;
  std::unique_ptr<server::Server> server_;
  int port_ = 0;
  std::thread thread_;
};

TEST_F(ProposalHttpTest, AcceptedPulledBuiltFoundAndPublishedWithThePreviewAsItsPage) {
  json body = proposal_body();
  const std::string plain =
      "Nel vecchio sgabuzzino del quartiere si aggiusta la bici <3 insieme> & non si butta niente.";
  body["in_parole_semplici"] = plain;
  // The form's textarea: one question per line, blank lines and spaces around dropped.
  body["domande"] =
      "Come si aggiusta una bici <> rotta senza cacciavite?\n\n  Dove trovo attrezzi & qualcuno che insegna?  \r\n"
      "Si può riparare senza spendere niente?";
  const json preview = post_json("/api/proposals/preview", body, 200);
  ASSERT_TRUE(preview.is_object() && preview.contains("valid")) << preview.dump();
  ASSERT_TRUE(preview["valid"].get<bool>()) << preview.dump();
  EXPECT_EQ(preview["html"].get<std::string>().find("<script"), std::string::npos);
  // The complete check (before the form sends a photo) checks the proposer
  // and the consents as the submission does; the live one leaves them.
  json signed_body = body;
  signed_body["proposer"] = {{"name", "Giulia Ferrero"}, {"email", "giulia@example.org"}};
  signed_body["consent_publication"] = true;
  signed_body["consent_privacy"] = true;
  json unsigned_body = signed_body;
  unsigned_body.erase("consent_privacy");
  unsigned_body["proposer"]["name"] = "";
  EXPECT_TRUE(post_json("/api/proposals/preview", unsigned_body, 200)["valid"].get<bool>());
  const json complete = post_json("/api/proposals/preview?completa=1", unsigned_body, 200);
  EXPECT_FALSE(complete["valid"].get<bool>()) << complete.dump();
  std::set<std::string> fields;
  for (const auto& e : complete["errors"]) fields.insert(e["field"].get<std::string>());
  EXPECT_EQ(fields, (std::set<std::string>{"proposer.name", "consent_privacy"})) << complete.dump();
  EXPECT_TRUE(post_json("/api/proposals/preview?completa=1", signed_body, 200)["valid"].get<bool>());

  auto [code, token] = submit(body);
  ASSERT_FALSE(code.empty());
  const json one = get_json("/api/admin/proposals/" + code, editor());
  EXPECT_EQ(one["markdown"], preview["markdown"]);
  // The repair café of Milan is the closest practice already in the library.
  ASSERT_FALSE(one["near_duplicates"].empty());
  EXPECT_EQ(one["near_duplicates"][0]["slug"], "repair-cafe-milano");
  post_json("/api/admin/proposals/" + code + "/accept", {{"comment", "Grazie!"}}, 200, editor());

  // bp-index proposals pull, as an editor runs it.
  const fs::path token_file = dir_.path() / "token";
  test::write_file(token_file, std::string(kAdminToken) + "\n");
  const std::vector<std::string> pull = {"proposals", "pull", "--server", "http://127.0.0.1:" + std::to_string(port_),
                                         "--token-file", token_file.string(), "--content", content_.string()};
  ASSERT_EQ(indexer::run(pull), 0);
  const std::string slug = "il-laboratorio-di-riparazione-condiviso-di-quarto-oggiaro";
  const fs::path file = content_ / "practices/nord" / (slug + ".md");
  ASSERT_TRUE(fs::exists(file));
  EXPECT_EQ(check_library(content_, *taxonomy_).diagnostics.size(), 0u);
  // The case sheet is dated the day it enters the library, like the others.
  const std::string written = test_util::read_file(file);
  const std::regex dated("\ndate: 20[0-9]{2}-[0-9]{2}-[0-9]{2}\n---\n");
  EXPECT_TRUE(std::regex_search(written, dated)) << written.substr(0, 800);
  // Pulling again writes nothing more.
  ASSERT_EQ(indexer::run(pull), 0);
  EXPECT_FALSE(fs::exists(content_ / "practices/nord" / (slug + "-2.md")));

  build();
  const json found = get_json("/api/search?q=riparazione+Quarto+Oggiaro");
  bool listed = false;
  for (const auto& hit : found["results"]) listed = listed || hit.value("slug", "") == slug;
  EXPECT_TRUE(listed) << found.dump();
  const json page = get_json("/api/practices/" + slug);
  EXPECT_EQ(page["body_html"], preview["html"]);
  EXPECT_EQ(page["metadata"].value("date", ""), written.substr(written.find("\ndate: ") + 7, 10));
  // The plain words: in the API, found by search, shown escaped on the page.
  EXPECT_EQ(page["metadata"]["in_parole_semplici"], plain);
  const json by_plain_words = get_json("/api/search?q=sgabuzzino");
  ASSERT_EQ(by_plain_words["results"].size(), 1u) << by_plain_words.dump();
  EXPECT_EQ(by_plain_words["results"][0]["slug"], slug);
  auto html = client().Get(("/pratiche/" + slug).c_str());
  ASSERT_TRUE(html && html->status == 200);
  EXPECT_NE(html->body.find("In parole semplici"), std::string::npos);
  EXPECT_NE(html->body.find("la bici &lt;3 insieme&gt; &amp; non si butta"), std::string::npos);
  EXPECT_EQ(html->body.find("<3 insieme>"), std::string::npos);
  // The questions: a list in the API, found by a word only they have, shown escaped.
  EXPECT_EQ(page["metadata"]["domande"],
            json({"Come si aggiusta una bici <> rotta senza cacciavite?", "Dove trovo attrezzi & qualcuno che insegna?",
                  "Si può riparare senza spendere niente?"}));
  const json by_question = get_json("/api/search?q=cacciavite");
  ASSERT_EQ(by_question["results"].size(), 1u) << by_question.dump();
  EXPECT_EQ(by_question["results"][0]["slug"], slug);
  EXPECT_NE(html->body.find("Domande a cui risponde"), std::string::npos);
  EXPECT_NE(html->body.find("<li>Come si aggiusta una bici &lt;&gt; rotta senza cacciavite?</li>"), std::string::npos);
  EXPECT_NE(html->body.find("<li>Dove trovo attrezzi &amp; qualcuno che insegna?</li>"), std::string::npos);

  // The server sees the slug in the index: published, and the proposer is told.
  const json listing = get_json("/api/admin/proposals", editor());
  EXPECT_EQ(listing["proposals"][0]["status"], "pubblicata");
  const json mine = get_json("/api/proposals/" + code + "?token=" + token);
  EXPECT_EQ(mine["status"], "pubblicata");
  EXPECT_NE(mine["public_url"].get<std::string>().find("/pratiche/" + slug), std::string::npos);
  const json outbox = get_json("/api/admin/outbox", editor());
  EXPECT_NE(outbox.dump().find("La tua pratica è pubblicata"), std::string::npos);
}

// An editor renames a theme. Once the library is rebuilt, the proposal
// form offers it by its new name, without a restart: the desk follows the
// index's taxonomy, as the search does.
TEST_F(ProposalHttpTest, TheFormFollowsTheTaxonomyOfTheRebuiltLibrary) {
  auto form = [&] {
    auto r = client().Get("/proponi");
    EXPECT_TRUE(r && r->status == 200);
    return r ? r->body : std::string();
  };
  auto theme_choice = [](const std::string& label) {
    return "value=\"comunita-energetiche\"><label for=\"themes-comunita-energetiche\">" + label + "</label>";
  };
  EXPECT_NE(form().find(theme_choice("Comunità energetiche rinnovabili")), std::string::npos);
  std::string taxonomy = test_util::read_file(content_ / "taxonomy.yaml");
  const std::string label = "    label: Comunità energetiche rinnovabili\n";
  ASSERT_NE(taxonomy.find(label), std::string::npos);
  taxonomy.replace(taxonomy.find(label), label.size(), "    label: Energia condivisa tra vicini\n");
  test_util::write_file(content_ / "taxonomy.yaml", taxonomy);
  build();
  const std::string after = form();
  EXPECT_NE(after.find(theme_choice("Energia condivisa tra vicini")), std::string::npos);
  EXPECT_EQ(after.find(theme_choice("Comunità energetiche rinnovabili")), std::string::npos);
}

// Text pasted from a word processor: its bullets become a list, its
// invisible marks go (the summary's count is of what is seen).
TEST_F(ProposalHttpTest, PastedBulletsBecomeAListAndInvisibleMarksGo) {
  json body = proposal_body();
  body["sections"]["contesto"] =
      "Nel quartiere:\n\xE2\x80\xA2 pochi spazi verdi\n\xE2\x80\xA2\tmolte famiglie in difficolt\xC3\xA0\n\n"
      "Nel 2023:\n\xE2\x80\x93 40 volontari\n\xE2\x80\x93 12 scuole\n\n\xE2\x80\x93"
      "20% di rifiuti in meno";
  body["summary"] =
      "Un laboratorio\xC2\xA0"
      "di riparazione\xE2\x80\x8B condiviso\xC2\xAD nel quartiere.";
  const json r = post_json("/api/proposals/preview", body, 200);
  ASSERT_TRUE(r["valid"].get<bool>()) << r.dump();
  const std::string html = r["html"];
  EXPECT_NE(html.find("<li>pochi spazi verdi</li>"), std::string::npos) << html;
  EXPECT_NE(html.find("<li>molte famiglie in difficolt\xC3\xA0</li>"), std::string::npos) << html;
  // Word's "– " too; a dash before a number stays as typed.
  EXPECT_NE(html.find("<li>40 volontari</li>\n<li>12 scuole</li>"), std::string::npos) << html;
  EXPECT_NE(html.find("\xE2\x80\x93"
                      "20% di rifiuti in meno"),
            std::string::npos)
      << html;
  const std::string markdown = r["markdown"];
  EXPECT_NE(markdown.find("summary: \"Un laboratorio di riparazione condiviso nel quartiere.\""), std::string::npos)
      << markdown;
}

// A heading typed in a section ("## I numeri") would start a section of its
// own in the case file, under a title nobody chose: it becomes a bold line.
TEST_F(ProposalHttpTest, AHeadingTypedInASectionBecomesABoldLine) {
  json body = proposal_body();
  body["sections"]["contesto"] = "Nel quartiere:\n## I numeri ##\n120 famiglie.\n#quartiere resta com'è";
  const json r = post_json("/api/proposals/preview", body, 200);
  ASSERT_TRUE(r["valid"].get<bool>()) << r.dump();
  const std::string html = r["html"];
  EXPECT_NE(html.find("<strong>I numeri</strong>"), std::string::npos) << html;
  EXPECT_EQ(html.find("<h2>I numeri"), std::string::npos) << html;
  EXPECT_NE(html.find("#quartiere"), std::string::npos) << "not a heading without a space: " << html;
  const std::string markdown = r["markdown"];
  EXPECT_EQ(markdown.find("## I numeri"), std::string::npos) << markdown;
  EXPECT_NE(markdown.find("**I numeri**"), std::string::npos) << markdown;
}

// The message of a preview's warning on `field`, "" when none.
std::string warning_on(const json& preview, const std::string& field) {
  for (const auto& w : preview["warnings"])
    if (w["field"] == field) return w["message"];
  return "";
}

// The checker's warnings name the form's fields, not the case file's keys.
TEST_F(ProposalHttpTest, WarningsNameTheFormsFields) {
  json body = proposal_body();
  body["results"] = {{{"indicator", "Oggetti riparati"}, {"value", "340"}, {"unit", "oggetti"}}};
  const json r = post_json("/api/proposals/preview", body, 200);
  ASSERT_TRUE(r["valid"].get<bool>()) << r.dump();
  EXPECT_EQ(warning_on(r, "results").rfind("«Risultati in numeri» ha 1 indicatore", 0), 0u) << r["warnings"].dump();
}

// A title of a letter or two names nothing: the sender is told beside the
// title, and may still send it (a warning, as for an editor's case file).
TEST_F(ProposalHttpTest, AOneLetterTitleIsPointedOut) {
  json body = proposal_body();
  body["title"] = "X";
  const json r = post_json("/api/proposals/preview", body, 200);
  ASSERT_TRUE(r["valid"].get<bool>()) << r.dump();
  EXPECT_EQ(warning_on(r, "title").rfind("il titolo 'X' è molto breve: scrivi il nome della pratica", 0), 0u)
      << r["warnings"].dump();
  // Sent as it is (without JavaScript nothing showed it): the proposer's
  // page lists it while the proposal is open, and the editors read it under
  // the field's name.
  auto [code, token] = submit(body);
  auto page = client().Get(("/proposta/" + code + "?token=" + token).c_str());
  ASSERT_TRUE(page);
  EXPECT_NE(page->body.find("<strong>Titolo</strong>: il titolo &apos;X&apos; è molto breve"), std::string::npos)
      << page->body;
  body["title"] = "Orti condivisi";
  for (const auto& w : post_json("/api/proposals/preview", body, 200)["warnings"]) EXPECT_NE(w["field"], "title");
}

TEST_F(ProposalHttpTest, ErrorsComeBackOnTheirFieldsWithTheHints) {
  json body = proposal_body();
  body["themes"] = {"economia-circolar"};
  body["summary"] = std::string(401, 'a');
  body["in_parole_semplici"] = {"una lista", "non un testo"};
  const json r = post_json("/api/proposals/preview", body, 200);
  EXPECT_FALSE(r["valid"].get<bool>());
  std::map<std::string, std::string> by_field;
  for (const auto& e : r["errors"]) by_field[e["field"]] = e["message"];
  EXPECT_EQ(by_field["themes"], "tema sconosciuto «economia-circolar»: forse «Economia circolare»?");
  EXPECT_NE(by_field["summary"].find("401"), std::string::npos);
  EXPECT_NE(by_field["in_parole_semplici"].find("deve essere un testo"), std::string::npos);
  // Too long, it is the checker's limit, on the same field.
  body["in_parole_semplici"] = std::string(601, 'a');
  const json too_long = post_json("/api/proposals/preview", body, 200);
  bool placed = false;
  for (const auto& e : too_long["errors"])
    placed = placed || (e["field"] == "in_parole_semplici" && e["message"].get<std::string>().find("601") != std::string::npos);
  EXPECT_TRUE(placed) << too_long.dump();
  // A flood of questions gets one message, not one per line.
  json flood = body;
  std::string many;
  for (int i = 0; i < 5000; ++i) many += "Come si fa?\n";
  flood["domande"] = many;
  const json flooded = post_json("/api/proposals/preview", flood, 200);
  int on_questions = 0;
  for (const auto& e : flooded["errors"])
    if (e["field"] == "domande") {
      ++on_questions;
      EXPECT_NE(e["message"].get<std::string>().find("al massimo 20 righe"), std::string::npos) << e.dump();
    }
  EXPECT_EQ(on_questions, 1) << flooded.dump().substr(0, 2000);
  // The same errors refuse the submission.
  body["proposer"] = {{"name", "Anna"}, {"email", "anna@example.org"}};
  body["consent_publication"] = true;
  body["consent_privacy"] = true;
  const json refused = post_json("/api/proposals", body, 400);
  EXPECT_EQ(refused["errors"].size(), r["errors"].size());
  // The answer's message is a sentence (the fields' messages read after their names).
  EXPECT_EQ(refused["message"].get<std::string>().rfind("La proposta ha ", 0), 0u) << refused["message"];
}

// Crafted fields (a name both plain and dotted, a number where a name is
// expected) are refused or ignored like any wrong field: never a 500.
TEST_F(ProposalHttpTest, CraftedFieldsAreAnsweredNotAServerError) {
  for (const httplib::MultipartFormDataItems& items :
       {httplib::MultipartFormDataItems{{"sections", "a", "", ""}, {"sections.contesto", "b", "", ""}},
        httplib::MultipartFormDataItems{{"proposer", "x", "", ""}, {"proposer.name", "Anna", "", ""}},
        httplib::MultipartFormDataItems{{"results", "x", "", ""}, {"results.0.value", "3", "", ""}},
        httplib::MultipartFormDataItems{
            {"resources.0.title", "x", "", ""}, {"resources", "y", "", ""}, {"resources.1.title", "z", "", ""}}}) {
    auto page = client().Post("/proponi", items);
    ASSERT_TRUE(page);
    EXPECT_EQ(page->status, 400) << items.front().name << ": " << page->body.substr(0, 300);
    EXPECT_NE(page->body.find("<form"), std::string::npos) << "the form again, with what to correct";
  }
  json body = proposal_body();
  body["cover_name"] = 1;
  const json r = post_json("/api/proposals/preview", body, 200);
  EXPECT_TRUE(r["valid"].get<bool>()) << r.dump().substr(0, 1000);
}

TEST_F(ProposalHttpTest, AnEmptyProposalSaysWhatToFillInPlainWords) {
  // What a person sending the form empty reads: one message per required
  // field, saying what to do; nothing written for editors (field names,
  // slugs, taxonomy.yaml), and no hub, which the form takes from the region.
  const json r = post_json("/api/proposals/preview", json::object(), 200);
  std::multimap<std::string, std::string> by_field;
  for (const auto& e : r["errors"]) by_field.emplace(e["field"], e["message"]);
  const std::multimap<std::string, std::string> expected = {
      {"title", "scrivi il titolo della pratica"},
      {"summary", "scrivi il riassunto: una o due frasi su che cosa avete fatto"},
      {"region", "scegli la regione in cui si è svolta la pratica"},
      {"themes", "scegli almeno un tema"},
      {"dimensions", "scegli almeno una dimensione della sostenibilità"},
      {"sections", "racconta la pratica: scrivi almeno una sezione del racconto"}};
  EXPECT_EQ(by_field, expected) << r["errors"].dump();
  // A value given but wrong keeps the checker's hint, in the form's words
  // (the region's name, not its slug).
  json body = proposal_body();
  body["region"] = "toscanna";
  body.erase("hub");
  const json wrong = post_json("/api/proposals/preview", body, 200);
  ASSERT_EQ(wrong["errors"].size(), 1u) << wrong["errors"].dump();
  EXPECT_EQ(wrong["errors"][0]["field"], "region");
  EXPECT_EQ(wrong["errors"][0]["message"], "regione sconosciuta «toscanna»: forse «Toscana»?");
  // A status the form does not offer: its choices, not the case file's values.
  body = proposal_body();
  body["status"] = "in corso";
  const json status = post_json("/api/proposals/preview", body, 200);
  ASSERT_EQ(status["errors"].size(), 1u) << status["errors"].dump();
  EXPECT_EQ(status["errors"][0]["field"], "status");
  EXPECT_EQ(status["errors"][0]["message"], "stato non valido: scegli «In corso» o «Conclusa»");
}

TEST_F(ProposalHttpTest, FiguresTypedTheItalianWayReachTheCaseFileAsNumbers) {
  // "1.200" is twelve hundred to the person typing it; the case file writes
  // 1200 (as 1.200 it would read one point two, and the page "1,200").
  json body = proposal_body();
  body["results"] = {{{"indicator", "Oggetti riparati"}, {"value", "1.200"}, {"unit", "oggetti"}},
                     {{"indicator", "Tonnellate evitate"}, {"value", "0,5"}, {"unit", "t"}}};
  const json r = post_json("/api/proposals/preview", body, 200);
  EXPECT_TRUE(r["valid"].get<bool>()) << r["errors"].dump();
  const std::string md = r["markdown"];
  EXPECT_NE(md.find("value: 1200,"), std::string::npos) << md;
  EXPECT_NE(md.find("value: 0.5,"), std::string::npos) << md;
}

TEST_F(ProposalHttpTest, ImagesAreCheckedByTheirHeaderAndSizeWithClearRefusals) {
  auto form = [](const std::string& image, const std::string& name) {
    httplib::MultipartFormDataItems items = {
        {"title", "Il laboratorio di riparazione", "", ""}, {"summary", "Riparare insieme.", "", ""},
        {"region", "lombardia", "", ""}, {"themes", "economia-circolare", "", ""},
        {"dimensions", "sociale", "", ""}, {"sections.contesto", "Testo.", "", ""},
        {"cover_alt", "Volontari al banco", "", ""}, {"proposer.name", "Anna", "", ""},
        {"proposer.email", "anna@example.org", "", ""}, {"consent_publication", "1", "", ""},
        {"consent_privacy", "1", "", ""}, {"cover", image, name, "image/png"}};
    return items;
  };
  // A text file named .png is refused on the cover field.
  auto fake = client().Post("/api/proposals", form("just some text, not an image", "foto.png"));
  ASSERT_TRUE(fake);
  EXPECT_EQ(fake->status, 400);
  EXPECT_NE(fake->body.find("\"field\":\"cover\""), std::string::npos);
  // A real PNG goes in and becomes copertina.png, served to editors only as a download.
  auto ok = client().Post("/api/proposals", form(tiny_png(), "whatever.jpg"));
  ASSERT_TRUE(ok);
  ASSERT_EQ(ok->status, 201) << ok->body;
  const std::string code = json::parse(ok->body)["code"];
  auto image = client().Get(("/api/admin/proposals/" + code + "/image").c_str(), editor());
  ASSERT_TRUE(image);
  EXPECT_EQ(image->status, 200);
  EXPECT_EQ(image->body, tiny_png());
  EXPECT_NE(image->get_header_value("Content-Disposition").find("attachment"), std::string::npos);
  EXPECT_EQ(image->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_NE(get_json("/api/admin/proposals/" + code, editor())["markdown"].get<std::string>().find(
                "cover: {src: \"copertina.png\", alt: \"Volontari al banco\"}"),
            std::string::npos);
  // Without the editors' token there is no image.
  EXPECT_EQ(client().Get(("/api/admin/proposals/" + code + "/image").c_str())->status, 401);
  // An image over 5 MB: 413 with the reason.
  auto big = client().Post("/api/proposals", form(tiny_png() + std::string(5 * 1024 * 1024, '\0'), "big.png"));
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 413);
  // Its size, not the limit again ("è di 5 MB: il massimo è 5 MB").
  EXPECT_NE(big->body.find("è di 5,1 MB: il massimo è 5 MB"), std::string::npos) << big->body;
  // A text over 1 MB.
  json huge = proposal_body();
  huge["sections"]["contesto"] = std::string(1024 * 1024 + 10, 'a');
  auto text = client().Post("/api/proposals", huge.dump(), "application/json");
  ASSERT_TRUE(text);
  EXPECT_EQ(text->status, 413);
  EXPECT_NE(text->body.find("1 MB"), std::string::npos);
}

// The proposer's page shows everything sent, not only the story: the
// place with its hub, the vocabularies by their labels, results and links
// as lines, in the form's words; never the proposer's own details.
TEST_F(ProposalHttpTest, TheProposersPageShowsWhatWasSentBesidesTheStory) {
  json body = proposal_body();
  body["domande"] = "Come si ripara una bicicletta?\n\nServe un locale?";
  body["organisation"] = "Associazione Riparo";
  body["license"] = "CC-BY-4.0";
  auto [code, token] = submit(body);
  auto page = client().Get(("/proposta/" + code + "?token=" + token).c_str());
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200);
  const std::string& html = page->body;
  const auto facts = html.find("<h2 id=\"facts-title\">I dati che hai inviato</h2>");
  ASSERT_NE(facts, std::string::npos) << html;
  EXPECT_LT(facts, html.find("Il racconto come lo hai inviato"));
  auto fact = [&](const std::string& name, const std::string& value) {
    EXPECT_NE(html.find("<dt>" + name + "</dt><dd>" + value), std::string::npos)
        << name << ": " << html.substr(facts, 3000);
  };
  fact("Riassunto", "Volontari e abitanti riparano insieme");
  fact("Luogo",
       "Milano, " + taxonomy_->label("region", "lombardia") + " (Hub " + taxonomy_->label("hub", "nord") + ")");
  fact("Ente che l&apos;ha realizzata", "Associazione Riparo");
  fact("Anno di avvio", "2022</dd>");
  fact("Stato", "In corso</dd>");
  fact("Temi", taxonomy_->label("theme", "economia-circolare") + "</dd>");
  fact("Obiettivi di sviluppo sostenibile", "12. " + taxonomy_->label("sdg", "12") + "</dd>");
  fact("Trasferibilità", "Alta. Serve uno spazio e dieci volontari.</dd>");
  fact("Domande a cui risponde", "<ul><li>Come si ripara una bicicletta?</li><li>Serve un locale?</li></ul>");
  fact("Risultati in numeri", "<ul><li>Oggetti riparati: 340 oggetti</li><li>Volontari: 18 persone</li></ul>");
  fact("Link utili",
       "<ul><li><a href=\"https://example.org/regolamento.pdf\" rel=\"noopener\" class=\"external\">Regolamento<span");
  fact("Licenza", "CC BY 4.0: chiunque può riusare il testo citando la fonte</dd>");
  EXPECT_EQ(html.find("<dt>A chi si rivolge</dt>"), std::string::npos) << "a field not given is not listed";
  EXPECT_EQ(html.find("giulia@example.org"), std::string::npos);
}

TEST_F(ProposalHttpTest, OnlyTheProposersTokenOpensTheProposal) {
  auto [code, token] = submit(proposal_body());
  json second = proposal_body();
  second["title"] = "La ciclofficina condivisa di Quarto Oggiaro";
  auto [other, other_token] = submit(second);
  auto c = client();
  EXPECT_EQ(c.Get(("/api/proposals/" + code + "?token=" + token).c_str())->status, 200);
  EXPECT_EQ(c.Get(("/api/proposals/" + code).c_str())->status, 404);
  EXPECT_EQ(c.Get(("/api/proposals/" + code + "?token=" + other_token).c_str())->status, 404);
  EXPECT_EQ(c.Get(("/proposta/" + code + "?token=" + token.substr(1)).c_str())->status, 404);
  auto page = c.Get(("/proposta/" + code + "?token=" + token).c_str());
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->get_header_value("Referrer-Policy"), "no-referrer");
  // The proposer's data never leave the editors' side.
  EXPECT_EQ(page->body.find("giulia@example.org"), std::string::npos);
  EXPECT_EQ(c.Get("/api/admin/proposals")->status, 401);
  EXPECT_EQ(c.Get("/api/admin/proposals", {{"Authorization", "Bearer wrong-token-wrong-token-wrong-token"}})->status,
            401);
  // Resubmitting needs a request for changes; withdrawing works before a decision.
  post_json("/api/proposals/" + code + "/resubmit?token=" + token, proposal_body(), 409);
  post_json("/api/admin/proposals/" + code + "/request-changes", {{"comment", "Aggiungi una foto."}}, 200, editor());
  json changed = proposal_body();
  changed["title"] = "Il laboratorio di riparazione di Quarto Oggiaro";
  const json back = post_json("/api/proposals/" + code + "/resubmit?token=" + token, changed, 200);
  ASSERT_TRUE(back.is_object() && back.contains("history")) << back.dump();
  EXPECT_EQ(back["status"], "in revisione");
  EXPECT_EQ(back["history"][1]["comment"], "Aggiungi una foto.");
  post_json("/api/proposals/" + other + "/withdraw?token=" + other_token, json::object(), 200);
  post_json("/api/admin/proposals/" + other + "/accept", json::object(), 409, editor());
}

// The checker's advice (one figure only) asks nothing of the proposer while
// the form is closed to them, and asks once the editors open it.
TEST_F(ProposalHttpTest, AdviceAsksForChangesOnlyWhenTheProposerCanMakeThem) {
  json body = proposal_body();
  body["results"] = {{{"indicator", "Oggetti riparati"}, {"value", "340"}, {"unit", "oggetti"}}};
  auto [code, token] = submit(body);
  auto c = client();
  const std::string sent = c.Get(("/proposta/" + code + "?token=" + token).c_str())->body;
  EXPECT_NE(sent.find("Che cosa potrebbe chiedere la redazione"), std::string::npos) << sent;
  EXPECT_NE(sent.find("Per ora non serve fare nulla"), std::string::npos);
  EXPECT_EQ(sent.find("Da migliorare, se puoi"), std::string::npos);
  post_json("/api/admin/proposals/" + code + "/request-changes", {{"comment", "Aggiungi un dato."}}, 200, editor());
  const std::string open = c.Get(("/proposta/" + code + "?token=" + token).c_str())->body;
  EXPECT_NE(open.find("Da migliorare, se puoi"), std::string::npos) << open;
  // The message points to the last e-mail with a link (a resend ends the
  // first one's), not to the e-mail sent with the proposal.
  const std::string outbox = get_json("/api/admin/outbox", editor()).dump();
  EXPECT_NE(outbox.find("nell'ultima e-mail che te lo ha mandato"), std::string::npos) << outbox;
  EXPECT_EQ(outbox.find("quando hai inviato la proposta"), std::string::npos);
}

// A withdrawn proposal cannot be reopened, so the page asks first: the
// button opens the question, only its «Sì» withdraws, and a post without
// it (a stale page) asks again and changes nothing.
TEST_F(ProposalHttpTest, WithdrawingFromThePageAsksForConfirmationFirst) {
  auto [code, token] = submit(proposal_body());
  auto c = client();
  const std::string page_url = "/proposta/" + code + "?token=" + token;
  auto page = c.Get(page_url.c_str());
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("<input type=\"hidden\" name=\"ritira\" value=\"1\">"), std::string::npos);
  EXPECT_EQ(page->body.find("Vuoi ritirare la proposta?"), std::string::npos);
  auto ask = c.Get((page_url + "&ritira=1").c_str());
  ASSERT_EQ(ask->status, 200);
  EXPECT_NE(ask->body.find("Vuoi ritirare la proposta?"), std::string::npos);
  EXPECT_NE(ask->body.find("name=\"conferma\" value=\"1\""), std::string::npos);
  auto stale = c.Post(("/proposta/" + code + "/ritira").c_str(), "token=" + token, "application/x-www-form-urlencoded");
  ASSERT_EQ(stale->status, 303);
  EXPECT_NE(stale->get_header_value("Location").find("ritira=1"), std::string::npos);
  EXPECT_EQ(get_json("/api/proposals/" + code + "?token=" + token)["status"], "nuova");
  auto yes = c.Post(("/proposta/" + code + "/ritira").c_str(), "token=" + token + "&conferma=1",
                    "application/x-www-form-urlencoded");
  ASSERT_EQ(yes->status, 303);
  EXPECT_EQ(get_json("/api/proposals/" + code + "?token=" + token)["status"], "ritirata");
  // The forms' answer addresses, opened again (history, a bookmark), lead
  // back to the page, with the token when they have it.
  auto again = c.Get(("/proposta/" + code + "/ritira?token=" + token).c_str());
  EXPECT_EQ(again->status, 303);
  EXPECT_EQ(again->get_header_value("Location"), page_url);
  auto bare = c.Get(("/proposta/" + code + "/modifica").c_str());
  EXPECT_EQ(bare->status, 303);
  EXPECT_EQ(bare->get_header_value("Location"), "/proposta/" + code);
  // Withdrawn: no button and no question any more.
  auto after = c.Get((page_url + "&ritira=1").c_str());
  EXPECT_EQ(after->body.find("Vuoi ritirare la proposta?"), std::string::npos);
  EXPECT_EQ(after->body.find("Ritira la proposta"), std::string::npos);
}

// A form sent twice (a double tap, a reload after "invia") does not give
// the editors the same proposal twice: the second answer says it already
// arrived and where its link is. Another text, or another address, is
// another proposal; once the first is withdrawn, it can be sent again.
TEST_F(ProposalHttpTest, TheSameProposalSentTwiceIsStoredOnce) {
  auto [code, token] = submit(proposal_body());
  json again = proposal_body();
  again["proposer"] = {{"name", "Giulia Ferrero"}, {"email", "GIULIA@example.org"}, {"role", "volontaria"}};
  again["consent_publication"] = true;
  again["consent_privacy"] = true;
  const json refused = post_json("/api/proposals", again, 409);
  EXPECT_NE(refused.value("message", "").find("già arrivata"), std::string::npos) << refused.dump();
  EXPECT_NE(refused.value("message", "").find(code), std::string::npos) << refused.dump();
  EXPECT_EQ(get_json("/api/admin/proposals", editor())["proposals"].size(), 1u);
  // The page's form sent twice: the second answer is an Italian page.
  const httplib::MultipartFormDataItems items = {
      {"title", "Il banco di riparazione del sabato", "", ""}, {"summary", "Riparare insieme il sabato.", "", ""},
      {"region", "lombardia", "", ""}, {"themes", "economia-circolare", "", ""},
      {"dimensions", "sociale", "", ""}, {"sections.contesto", "Nel quartiere si buttava tutto.", "", ""},
      {"proposer.name", "Anna", "", ""}, {"proposer.email", "anna@example.org", "", ""},
      {"consent_publication", "1", "", ""}, {"consent_privacy", "1", "", ""}};
  auto first = client().Post("/proponi", items);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 303) << first->body;
  auto twice = client().Post("/proponi", items);
  ASSERT_TRUE(twice);
  EXPECT_EQ(twice->status, 409);
  EXPECT_NE(twice->body.find("Proposta già inviata"), std::string::npos);
  EXPECT_NE(twice->body.find("già arrivata"), std::string::npos);
  EXPECT_NE(twice->body.find("href=\"/proponi\" aria-current=\"page\""), std::string::npos) << "the menu's section";
  // Another address, or the same address with another text: stored.
  json other_person = again;
  other_person["proposer"]["email"] = "marco@example.org";
  post_json("/api/proposals", other_person, 201);
  json other_text = again;
  other_text["summary"] = "Volontari e abitanti riparano insieme biciclette, radio e piccoli elettrodomestici.";
  post_json("/api/proposals", other_text, 201);
  // Withdrawn, the first no longer waits: the same text can be sent again.
  post_json("/api/proposals/" + code + "/withdraw?token=" + token, json::object(), 200);
  post_json("/api/proposals", again, 201);
}

// A proposer who lost the e-mail with the link asks for a new one: the
// address gets one message with a new link per proposal and the old links
// stop working; an address without proposals gets the same answer and no
// message; every message about a proposal says where to ask.
// The editors learn by e-mail of each proposal to read: a new one, and one
// sent again after a request for changes, with the back office's link. A
// disabled account is not written to.
TEST_F(ProposalHttpTest, TheEditorsAreToldOfEachProposalToRead) {
  {
    auto store = open_store("", dir_.path() / "data", [](MessageKind, const Registration&) { return OutboxMessage{}; });
    ASSERT_TRUE(store.ok()) << store.status().message();
    auto editor_account = (*store)->accounts().add_account("redazione@example.org", Role::kEditor, "x");
    ASSERT_TRUE(editor_account.ok());
    ASSERT_TRUE((*store)->accounts().add_token(editor_account->id, "prova", to_hex(sha256("bp_redazione_prova"))).ok());
    auto gone = (*store)->accounts().add_account("ex@example.org", Role::kEditor, "x");
    ASSERT_TRUE(gone.ok());
    ASSERT_TRUE((*store)->accounts().set_disabled(gone->id, true).is_ok());
    ASSERT_TRUE((*store)->accounts().add_account("admin@example.org", Role::kAdmin, "x").ok());
  }
  auto to = [&](const std::string& who) {
    json mine = json::array();
    const json outbox = get_json("/api/admin/outbox", editor());
    for (const auto& m : outbox["messages"])
      if (m["to"] == who) mine.push_back(m);
    return mine;
  };
  auto [code, token] = submit(proposal_body());
  ASSERT_FALSE(code.empty());
  json told = to("redazione@example.org");
  ASSERT_EQ(told.size(), 1u) << told.dump();
  EXPECT_EQ(told[0]["subject"], "Nuova proposta: " + proposal_body()["title"].get<std::string>());
  const std::string body = told[0]["body"];
  EXPECT_NE(body.find("/staff/proposte/" + code), std::string::npos) << body;
  EXPECT_NE(body.find("Inviata da: Giulia Ferrero"), std::string::npos) << body;
  EXPECT_EQ(body.find("token="), std::string::npos) << "never the proposer's link";
  EXPECT_TRUE(to("ex@example.org").empty()) << "a disabled account";
  EXPECT_TRUE(to("admin@example.org").empty()) << "the editors are told, the administrators only without them";

  // By the editor's own token: the staff's history names the editor, the
  // proposer's says «redazione».
  const httplib::Headers personal = {{"Authorization", "Bearer bp_redazione_prova"}};
  post_json("/api/admin/proposals/" + code + "/request-changes", {{"comment", "Aggiungi una foto."}}, 200, personal);
  const json staff_view = get_json("/api/admin/proposals/" + code, editor());
  EXPECT_EQ(staff_view["history"].back()["actor"], "redazione@example.org") << staff_view["history"].dump();
  const json theirs = get_json("/api/proposals/" + code + "?token=" + token);
  EXPECT_EQ(theirs["history"].back()["actor"], "redazione") << theirs["history"].dump();
  auto page = client().Get(("/proposta/" + code + "?token=" + token).c_str());
  ASSERT_TRUE(page && page->status == 200);
  EXPECT_EQ(page->body.find("redazione@example.org"), std::string::npos) << "never an editor's address";
  EXPECT_NE(page->body.find("class=\"from-editors\""), std::string::npos);
  json changed = proposal_body();
  changed["title"] = "Il laboratorio di riparazione di Quarto Oggiaro, con foto";
  post_json("/api/proposals/" + code + "/resubmit?token=" + token, changed, 200);
  told = to("redazione@example.org");
  ASSERT_EQ(told.size(), 2u) << told.dump();
  bool again = false;
  for (const auto& m : told)
    again =
        again || m["subject"] == "Proposta inviata di nuovo: Il laboratorio di riparazione di Quarto Oggiaro, con foto";
  EXPECT_TRUE(again) << told.dump();
}

TEST_F(ProposalHttpTest, AProposerWhoLostTheLinkGetsNewOnesByEmail) {
  auto [code, old_token] = submit(proposal_body());
  json second = proposal_body();
  second["title"] = "La ciclofficina condivisa di Quarto Oggiaro";
  auto [second_code, second_token] = submit(second);
  json theirs = proposal_body();
  theirs["title"] = "Il banco alimentare del quartiere";
  theirs["proposer"] = {{"name", "Marco"}, {"email", "marco@example.org"}, {"role", "volontario"}};
  theirs["consent_publication"] = true;
  theirs["consent_privacy"] = true;
  const json other = post_json("/api/proposals", theirs, 201);
  const std::string other_url = other["status_url"];
  auto messages = [&] { return get_json("/api/admin/outbox", editor())["messages"]; };
  for (const auto& m : messages())
    EXPECT_NE(m["body"].get<std::string>().find("/proposta/nuovo-link"), std::string::npos) << m["subject"];

  auto page = client().Get("/proposta/nuovo-link");
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("Hai perso il link della tua proposta?"), std::string::npos);
  EXPECT_NE(page->body.find("action=\"/api/proposals/resend\""), std::string::npos);
  EXPECT_NE(page->body.find("href=\"/proponi\" aria-current=\"page\""), std::string::npos) << "the menu's section";
  EXPECT_NE(client().Get("/proponi")->body.find("href=\"/proposta/nuovo-link\""), std::string::npos);
  // Without JavaScript, the answer with errors opens at their summary, not
  // at the top of a long page that looks unchanged.
  EXPECT_NE(client().Get("/proponi")->body.find("action=\"/proponi#form-summary\""), std::string::npos);

  const std::size_t before = messages().size();
  const json answer = post_json("/api/proposals/resend", {{"email", " GIULIA@example.org "}}, 202);
  const json after = messages();
  ASSERT_EQ(after.size(), before + 1);
  const json& sent = after[0]["subject"] == "I nuovi link delle tue proposte" ? after[0] : after[after.size() - 1];
  EXPECT_EQ(sent["subject"], "I nuovi link delle tue proposte");
  EXPECT_EQ(sent["to"], "giulia@example.org");
  const std::string body = sent["body"];
  std::smatch m;
  ASSERT_TRUE(std::regex_search(body, m, std::regex("/proposta/" + code + "\\?token=([A-Za-z0-9]+)"))) << body;
  const std::string new_token = m[1];
  EXPECT_NE(body.find("/proposta/" + second_code + "?token="), std::string::npos);
  EXPECT_EQ(body.find("banco alimentare"), std::string::npos) << "someone else's proposal";
  EXPECT_EQ(client().Get(("/proposta/" + code + "?token=" + old_token).c_str())->status, 404);
  EXPECT_EQ(client().Get(("/proposta/" + code + "?token=" + new_token).c_str())->status, 200);
  EXPECT_EQ(client().Get(other_url.substr(other_url.find("/proposta/")).c_str())->status, 200);
  // The old link's page says where to ask for a new one, in the proposals'
  // section of the menu.
  EXPECT_NE(client().Get(("/proposta/" + code + "?token=" + old_token).c_str())->body.find(
                "href=\"/proponi\" aria-current=\"page\""),
            std::string::npos);
  EXPECT_NE(client().Get(("/proposta/" + code + "?token=" + old_token).c_str())->body.find("/proposta/nuovo-link"),
            std::string::npos);

  // An address without proposals: the same answer, nothing sent.
  EXPECT_EQ(post_json("/api/proposals/resend", {{"email", "nessuno@example.org"}}, 202)["message"], answer["message"]);
  EXPECT_EQ(messages().size(), before + 1);
  // Not an address: said beside the field; from the form, an Italian page.
  const json bad = post_json("/api/proposals/resend", {{"email", "giulia"}}, 400);
  EXPECT_TRUE(bad.dump().find("email") != std::string::npos) << bad.dump();
  auto form = client().Post("/api/proposals/resend", "email=", "application/x-www-form-urlencoded");
  EXPECT_EQ(form->status, 400);
  EXPECT_NE(form->body.find("Indica l&apos;indirizzo e-mail da cui hai inviato la proposta"), std::string::npos)
      << form->body;
  // The form again, the reason beside the field and the address as typed
  // (escaped), to be mended without starting over.
  form = client().Post("/api/proposals/resend", "email=giulia%40gmail%22%3E", "application/x-www-form-urlencoded");
  EXPECT_EQ(form->status, 400);
  EXPECT_NE(form->body.find("<title>Errore: "), std::string::npos) << form->body;
  EXPECT_NE(form->body.find("action=\"/api/proposals/resend\""), std::string::npos) << form->body;
  EXPECT_NE(form->body.find("value=\"giulia@gmail&quot;&gt;\""), std::string::npos) << form->body;
  EXPECT_NE(form->body.find("aria-describedby=\"resend-email-error\""), std::string::npos) << form->body;
}

TEST_F(ProposalHttpTest, TheHoneypotStoresNothing) {
  json body = proposal_body();
  body["website"] = "http://spam.example";
  auto [code, token] = submit(body);
  EXPECT_FALSE(code.empty());
  EXPECT_TRUE(get_json("/api/admin/proposals", editor())["proposals"].empty());
}

// An installation without bp-index-pull next to bp-index: the editor is
// told what is missing, nothing is written, and the command fails.
TEST(ProposalPull, WithoutItsProgramSaysWhatIsMissing) {
  test::TempDir dir{"bp-pull-missing"};
  ::setenv("BP_INDEX_PULL", (dir.path() / "bp-index-pull").c_str(), 1);
  testing::internal::CaptureStderr();
  const int code = indexer::run({"proposals", "pull", "--server", "http://127.0.0.1:1", "--token-file",
                                 (dir.path() / "token").string(), "--content", dir.path().string()});
  const std::string err = testing::internal::GetCapturedStderr();
  ::setenv("BP_INDEX_PULL", BP_INDEX_PULL, 1);
  EXPECT_EQ(code, 1);
  EXPECT_NE(err.find("non riesco ad avviare"), std::string::npos) << err;
  EXPECT_NE(err.find("bp-index-pull"), std::string::npos) << err;
}

}  // namespace
}  // namespace bp::registration
