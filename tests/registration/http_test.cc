// End-to-end tests on the real httplib server: the routes of issue 4.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <ctime>
#include <nlohmann/json.hpp>
#include <regex>

#include "fixture.h"
#include "http_context.h"
#include "outbox_worker.h"

namespace bp::registration {
namespace {

using nlohmann::json;
using test::TempDir;
using test::TestServer;

constexpr const char* kAdminToken = "segreto-di-prova-0123456789abcdef";

json person(const std::string& edition, const std::string& email) {
  return {{"edition", edition}, {"first_name", "Giulia"}, {"last_name", "Ferrero"},
          {"email", email},     {"organisation", "APS Filo Verde"}, {"role", "volontario"},
          {"region", "piemonte"}, {"age_band", "18-35"}, {"consent", true},
          {"privacy_version", "2026-11"}};
}

std::string token_of(const std::string& url) { return url.substr(url.find("token=") + 6); }

class HttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.data_dir = dir_.path() / "var";
    options_.content_root = test::make_content(dir_.path());
    options_.admin_token = kAdminToken;
    options_.rate_limit_per_minute = 0;
    options_.public_base_url = "https://example.org";
    options_.controller_name = "APS Reti solidali";
    options_.controller_contact = "privacy@example.org";
    // These tests are about seats and pages; the confirmation of holds has
    // its own tests (confirmation_test.cc), which turn it on.
    options_.confirm_email = false;
  }
  void start() {
    server_.reset();
    // The desk's clock: the system's until a test moves it past meetings.
    StoreTestHooks hooks;
    hooks.desk_clock = [this] {
      const std::int64_t t = desk_now_.load();
      return t ? t : static_cast<std::int64_t>(std::time(nullptr));
    };
    hooks.clock = hooks.desk_clock;  // holds lapse by the same clock
    server_ = std::make_unique<TestServer>(options_, std::move(hooks));
    ASSERT_TRUE(server_->ok()) << server_->error();
    client_ = server_->client();
  }
  httplib::Result post(const std::string& path, const json& body, const httplib::Headers& h = {}) {
    return client_->Post(path.c_str(), h, body.dump(), "application/json");
  }
  json register_ok(const std::string& edition, const std::string& email) {
    auto res = post("/api/registrations", person(edition, email));
    EXPECT_TRUE(res);
    if (!res) return {};
    EXPECT_EQ(res->status, 201) << res->body;
    return json::parse(res->body);
  }
  httplib::Headers admin() const { return {{"Authorization", "Bearer " + options_.admin_token}}; }

  TempDir dir_;
  Options options_;
  std::unique_ptr<TestServer> server_;
  std::atomic<std::int64_t> desk_now_{0};
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(HttpTest, ProgrammeListsActivitiesEditionsSeatsAndTargets) {
  start();
  register_ok("small", "a@x.it");
  auto res = client_->Get("/api/programme");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  const json p = json::parse(res->body);
  EXPECT_EQ(p["targets"]["modulo"], 120);
  const json& m03 = p["activities"][0];
  EXPECT_EQ(m03["id"], "m03");
  EXPECT_EQ(m03["kind"], "modulo");
  EXPECT_EQ(m03["macro_action"], "a1");
  EXPECT_EQ(m03["themes"][0], "gruppi-di-acquisto-solidale");
  const json& small = m03["editions"][1];
  EXPECT_EQ(small["id"], "small");
  EXPECT_EQ(small["capacity"], 2);
  EXPECT_EQ(small["seats_left"], 1);
  EXPECT_EQ(small["waiting"], 0);
  EXPECT_EQ(small["open"], true);
  EXPECT_EQ(small["start"], "2099-03-02T17:00");
  // The meetings, to read weekday and times before signing up.
  ASSERT_EQ(small["sessions"].size(), 4u);
  EXPECT_EQ(small["sessions"][1], json::parse(R"({"date": "2099-03-09", "start": "17:00", "end": "19:00",
                                                   "label": "lunedì 9 marzo 2099, ore 17:00–19:00"})"));
  // The online links are for the people with a place, not for anyone.
  EXPECT_FALSE(m03["editions"][0]["sessions"][0].contains("online_url")) << m03["editions"][0];
  const json& lecce = p["activities"][2]["editions"][0];
  EXPECT_EQ(lecce["sessions"][0]["place"], "Casa delle associazioni, via di Prova 1");
  EXPECT_EQ(lecce["sessions"][2]["label"], "venerdì 25 settembre 2099, ore 09:30–16:00");
  EXPECT_TRUE(p["activities"][1]["editions"][0]["sessions"].empty());  // tutoring: on request
  EXPECT_EQ(m03["editions"][3]["open"], false);  // past
  EXPECT_NE(m03["editions"][3]["closed_reason"].get<std::string>().find("conclusa"), std::string::npos);
}

// «Cambia edizione»: the person moves to another edition of the same
// course with a free seat, from their own page; the seat they leave goes to
// the first person waiting; full, closed or begun editions are refused
// with the reason; once their own edition has begun, only the staff can.
TEST_F(HttpTest, APersonMovesToAnotherEditionWithAFreeSeatFromTheirPage) {
  start();
  const json a = register_ok("small", "a@x.it");
  register_ok("small", "b@x.it");
  const json waiting = register_ok("small", "w@x.it");
  ASSERT_EQ(waiting["status"], "waitlisted");
  const std::string code = a["code"], token = token_of(a["cancel_url"]);
  const std::string page_path = "/iscrizione/" + code + "?token=" + token;
  auto page = client_->Get(page_path.c_str());
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("href=\"/iscrizione/" + code + "/cambia?token=" + token + "\" id=\"change-link\""),
            std::string::npos)
      << page->body;
  auto choices = client_->Get(("/iscrizione/" + code + "/cambia?token=" + token).c_str());
  ASSERT_EQ(choices->status, 200);
  EXPECT_NE(choices->body.find("value=\"m03-nord\" required>"), std::string::npos) << choices->body;
  EXPECT_NE(choices->body.find("value=\"thirty\" required>"), std::string::npos);
  for (const std::string gone : {"small", "past", "late", "closed"})
    EXPECT_EQ(choices->body.find("value=\"" + gone + "\""), std::string::npos) << gone;
  EXPECT_NE(choices->body.find("(30 posti liberi)"), std::string::npos);
  EXPECT_EQ(client_->Get(("/iscrizione/" + code + "/cambia?token=sbagliato").c_str())->status, 404);
  // Another edition's seats taken: offered, disabled.
  for (int i = 0; i < 30; ++i) register_ok("thirty", "t" + std::to_string(i) + "@x.it");
  choices = client_->Get(("/iscrizione/" + code + "/cambia?token=" + token).c_str());
  EXPECT_NE(choices->body.find("value=\"thirty\" disabled required>"), std::string::npos);
  EXPECT_NE(choices->body.find("(al completo)"), std::string::npos);
  auto move = [&](const std::string& edition, const std::string& t) {
    return client_->Post(("/api/registrations/" + code + "/move").c_str(), "token=" + t + "&edition=" + edition,
                         "application/x-www-form-urlencoded");
  };
  auto full = move("thirty", token);
  ASSERT_EQ(full->status, 409);
  EXPECT_NE(full->body.find("id=\"change-error\""), std::string::npos) << full->body;
  EXPECT_NE(full->body.find("value=\"m03-nord\" required>"), std::string::npos) << "the choices again";
  auto late = move("late", token);
  ASSERT_EQ(late->status, 409);
  EXPECT_NE(late->body.find("Le iscrizioni si sono chiuse il 27 febbraio 2020."), std::string::npos) << late->body;
  EXPECT_EQ(move("m03-nord", "sbagliato")->status, 404);
  auto done = move("m03-nord", token);
  ASSERT_EQ(done->status, 303) << done->body;
  EXPECT_EQ(done->get_header_value("Location"), page_path + "&da=small");
  page = client_->Get(done->get_header_value("Location").c_str());
  EXPECT_NE(page->body.find("id=\"moved-notice\""), std::string::npos) << page->body;
  EXPECT_NE(page->body.find("hai lasciato quella di Centro · online · dal 2 marzo 2099"), std::string::npos);
  auto read = [&](const json& r) {
    const std::string c = r["code"];
    return json::parse(client_->Get(("/api/registrations/" + c + "?token=" + token_of(r["cancel_url"])).c_str())->body);
  };
  EXPECT_EQ(read(a)["edition"], "m03-nord");
  EXPECT_EQ(read(a)["status"], "confirmed");
  EXPECT_EQ(read(waiting)["status"], "confirmed") << "the seat left goes to who waited";
  bool told = false;
  const json box = json::parse(client_->Get("/api/admin/outbox?limit=200", admin())->body);
  for (const auto& m : box["messages"])
    told = told || (m["to"] == "a@x.it" && m["subject"].get<std::string>().rfind("Iscrizione spostata", 0) == 0 &&
                    m["body"].get<std::string>().find("è passata a un'altra edizione: online, dal 2 marzo 2099") !=
                        std::string::npos);
  EXPECT_TRUE(told) << box.dump();
  // A link with another edition in `da` says nothing it did not do.
  page = client_->Get((page_path + "&da=%3Cb%3E").c_str());
  EXPECT_EQ(page->body.find("id=\"moved-notice\""), std::string::npos);
  // The JSON door answers the same.
  auto back = post("/api/registrations/" + code + "/move", {{"token", token}, {"edition", "small"}});
  ASSERT_EQ(back->status, 409) << back->body;
  // A residency has one edition: nowhere to move to, and no one to ask.
  const json lecce = register_ok("residenza-lecce-2099", "r@x.it");
  auto residency = client_->Get(
      ("/iscrizione/" + lecce["code"].get<std::string>() + "?token=" + token_of(lecce["cancel_url"])).c_str());
  ASSERT_EQ(residency->status, 200);
  EXPECT_EQ(residency->body.find("Ti serve un'altra data"), std::string::npos) << residency->body;
  // Once the course has begun: the staff's to decide.
  desk_now_ = 4076179200;  // 3 March 2099
  page = client_->Get(page_path.c_str());
  EXPECT_EQ(page->body.find("id=\"change-link\""), std::string::npos);
  auto begun = move("thirty", token);
  ASSERT_EQ(begun->status, 409);
  EXPECT_NE(begun->body.find("Questa edizione è già iniziata"), std::string::npos) << begun->body;
}

TEST_F(HttpTest, RegisterThenReadOwnRegistrationWithTheToken) {
  start();
  auto res = post("/api/registrations", person("m03-nord", "giulia@example.org"));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 201) << res->body;
  EXPECT_EQ(res->get_header_value("Referrer-Policy"), "no-referrer");
  EXPECT_NE(res->get_header_value("X-Robots-Tag").find("noindex"), std::string::npos);
  const json body = json::parse(res->body);
  EXPECT_EQ(body["status"], "confirmed");
  EXPECT_FALSE(body.contains("position"));
  const std::string code = body["code"];
  const std::string url = body["cancel_url"];
  EXPECT_EQ(url.rfind("https://example.org/iscrizione/" + code + "?token=", 0), 0u);

  auto got = client_->Get(("/api/registrations/" + code + "?token=" + token_of(url)).c_str());
  ASSERT_TRUE(got);
  ASSERT_EQ(got->status, 200);
  EXPECT_EQ(got->get_header_value("Referrer-Policy"), "no-referrer");
  EXPECT_EQ(json::parse(got->body)["email"], "giulia@example.org");
  auto wrong = client_->Get(("/api/registrations/" + code + "?token=abc").c_str());
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 404);
  // The answer's message is a sentence, as a page shows it on its own.
  EXPECT_EQ(json::parse(wrong->body)["message"], "Iscrizione non trovata o link non valido");
}

TEST_F(HttpTest, ValidationErrorsArePerFieldInItalian) {
  start();
  json p = person("m03-nord", "non valida");
  p.erase("first_name");
  p["consent"] = false;
  auto res = post("/api/registrations", p);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 400);
  const json body = json::parse(res->body);
  EXPECT_EQ(body["error"], "validation");
  // The answer's message is a sentence; a field's reads after its name.
  EXPECT_EQ(body["message"], "Controlla i campi indicati");
  EXPECT_EQ(body["fields"]["email"], "indirizzo e-mail non valido: manca la @ (per esempio nome@esempio.it)");
  EXPECT_EQ(body["fields"]["first_name"], "indica il nome");
  EXPECT_TRUE(body["fields"].contains("consent"));
  auto junk = client_->Post("/api/registrations", "{not json", "application/json");
  ASSERT_TRUE(junk);
  EXPECT_EQ(junk->status, 400);
  auto arr = client_->Post("/api/registrations", "[1,2]", "application/json");
  EXPECT_EQ(arr->status, 400);
  json nested = person("m03-nord", "a@x.it");
  nested["first_name"] = json::array({1});
  auto n = post("/api/registrations", nested);
  EXPECT_EQ(n->status, 400);
  EXPECT_EQ(json::parse(n->body)["fields"]["first_name"], "valore non valido: atteso un testo");
}

TEST_F(HttpTest, SameEmailOnSameEditionAnswers409) {
  start();
  register_ok("m03-nord", "Giulia@Example.org");
  auto res = post("/api/registrations", person("m03-nord", "giulia@example.ORG"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 409);
  EXPECT_NE(json::parse(res->body)["message"].get<std::string>().find("già iscritto"), std::string::npos);
}

// The form sent twice (a double click without JavaScript): the second
// answer does not say the registration failed, and leads to the links.
TEST_F(HttpTest, AFormSentTwiceSaysToLookForTheEmailAndLinksToTheLinks) {
  start();
  const std::string form =
      "edition=m03-nord&first_name=Anna&last_name=Rossi&email=anna%40example.org&role=docente"
      "&region=Piemonte&age_band=over-35&consent=on&privacy_version=2026-11&website=";
  auto first = client_->Post("/api/registrations", form, "application/x-www-form-urlencoded");
  ASSERT_TRUE(first);
  ASSERT_EQ(first->status, 303) << first->body;
  auto again = client_->Post("/api/registrations", form, "application/x-www-form-urlencoded");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 409);
  EXPECT_NE(again->body.find("Controlla la tua e-mail"), std::string::npos) << again->body;
  EXPECT_EQ(again->body.find("non registrata"), std::string::npos);
  EXPECT_NE(again->body.find("href=\"/iscrizione/nuovo-link\""), std::string::npos) << again->body;
}

TEST_F(HttpTest, RepeatedIdempotencyKeyGivesTheSameAnswerAndOneRegistration) {
  start();
  const httplib::Headers h = {{"Idempotency-Key", "abc-123"}};
  auto first = post("/api/registrations", person("m03-nord", "a@x.it"), h);
  auto second = post("/api/registrations", person("m03-nord", "a@x.it"), h);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->status, 201);
  EXPECT_EQ(second->status, 201);
  EXPECT_EQ(first->body, second->body);
  EXPECT_EQ(second->get_header_value("Idempotent-Replayed"), "true");
  auto list = client_->Get("/api/admin/registrations?edition=m03-nord", admin());
  EXPECT_EQ(json::parse(list->body)["count"], 1);
  auto other = post("/api/registrations", person("m03-nord", "b@x.it"), h);
  EXPECT_EQ(other->status, 409);
}

TEST_F(HttpTest, WaitingListPositionsAndPromotionOnCancellation) {
  start();
  const json a = register_ok("small", "a@x.it");
  register_ok("small", "b@x.it");
  const json c = register_ok("small", "c@x.it");
  const json d = register_ok("small", "d@x.it");
  EXPECT_EQ(c["status"], "waitlisted");
  EXPECT_EQ(c["position"], 1);
  EXPECT_EQ(d["position"], 2);
  const std::string path = "/api/registrations/" + a["code"].get<std::string>() + "/cancel";
  auto res = post(path, {{"token", token_of(a["cancel_url"])}});
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(json::parse(res->body)["status"], "cancelled");
  auto again = post(path, {{"token", token_of(a["cancel_url"])}});
  EXPECT_EQ(again->status, 409);
  auto cget = client_->Get(("/api/registrations/" + c["code"].get<std::string>() + "?token=" +
                            token_of(c["cancel_url"])).c_str());
  EXPECT_EQ(json::parse(cget->body)["status"], "confirmed");
  auto dget = client_->Get(("/api/registrations/" + d["code"].get<std::string>() + "?token=" +
                            token_of(d["cancel_url"])).c_str());
  EXPECT_EQ(json::parse(dget->body)["position"], 1);
  auto bad = post("/api/registrations/" + d["code"].get<std::string>() + "/cancel", {{"token", "no"}});
  EXPECT_EQ(bad->status, 404);
}

TEST_F(HttpTest, ClosedAndPastEditionsAreRefused) {
  start();
  auto res = post("/api/registrations", person("past", "a@x.it"));
  ASSERT_EQ(res->status, 400);
  EXPECT_NE(json::parse(res->body)["fields"]["edition"].get<std::string>().find("conclusa"), std::string::npos);
  res = post("/api/registrations", person("closed", "a@x.it"));
  EXPECT_EQ(json::parse(res->body)["fields"]["edition"], "le iscrizioni a questa edizione sono chiuse");
}

TEST_F(HttpTest, FormPostRedirectsToAReceiptPageOfItsOwnThatSurvivesBackAndReload) {
  start();
  const std::string form =
      "edition=m03-nord&first_name=Nicol%C3%B2&last_name=D%27Amico&email=nicolo%40example.org&role=docente"
      "&region=Valle+d%27Aosta&age_band=over-35&consent=on&privacy_version=2026-11&website=";
  auto res = client_->Post("/api/registrations", form, "application/x-www-form-urlencoded");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 303) << res->body;
  const std::string location = res->get_header_value("Location");
  ASSERT_EQ(location.rfind("/iscrizione/", 0), 0u);
  const std::string code = location.substr(12, 26);
  EXPECT_EQ(location.substr(38, 16), "/ricevuta?token=") << location;
  // The receipt is a GET page: Back or reload shows the code again and
  // registers nobody twice.
  for (int i = 0; i < 2; ++i) {
    auto receipt = client_->Get(location.c_str());
    ASSERT_TRUE(receipt);
    ASSERT_EQ(receipt->status, 200);
    EXPECT_EQ(receipt->get_header_value("Referrer-Policy"), "no-referrer");
    EXPECT_NE(receipt->body.find("noindex"), std::string::npos);
    EXPECT_NE(receipt->body.find("Richiesta ricevuta"), std::string::npos);
    EXPECT_NE(receipt->body.find(code), std::string::npos);
    // Which edition: its dates, as the personal page gives them.
    EXPECT_NE(receipt->body.find("<dt>Quando</dt><dd>dal "), std::string::npos) << receipt->body;
  }
  EXPECT_EQ(json::parse(client_->Get("/api/admin/registrations", admin())->body)["count"], 1);
  const std::string personal = "/iscrizione/" + code + "?token=" + token_of(location);
  auto page = client_->Get(personal.c_str());
  ASSERT_EQ(page->status, 200);
  EXPECT_EQ(page->get_header_value("Referrer-Policy"), "no-referrer");
  EXPECT_NE(page->body.find("noindex"), std::string::npos);
  EXPECT_NE(page->body.find("Nicolò D&apos;Amico"), std::string::npos);
  EXPECT_NE(page->body.find("confermata"), std::string::npos);
  // Cancelling asks first (a GET page with a button), then says it is done
  // and whom to contact.
  auto ask = client_->Get(("/iscrizione/" + code + "/annulla?token=" + token_of(location)).c_str());
  ASSERT_EQ(ask->status, 200);
  EXPECT_NE(ask->body.find("Vuoi annullare l'iscrizione?"), std::string::npos);
  EXPECT_NE(ask->body.find("action=\"/api/registrations/" + code + "/cancel\""), std::string::npos);
  EXPECT_EQ(json::parse(client_->Get("/api/admin/stats", admin())->body)["editions"]["m03-nord"]["confirmed"], 1)
      << "the GET page must not cancel";
  auto cancel = client_->Post(("/api/registrations/" + code + "/cancel").c_str(),
                              "token=" + token_of(location), "application/x-www-form-urlencoded");
  ASSERT_TRUE(cancel);
  EXPECT_EQ(cancel->status, 303);
  auto after = client_->Get(cancel->get_header_value("Location").c_str());
  EXPECT_NE(after->body.find("La tua iscrizione è stata annullata: non devi fare altro."), std::string::npos);
  EXPECT_NE(after->body.find("privacy@example.org"), std::string::npos);
  // The receipt opened again (Back, a reload) says it is cancelled, not
  // «Iscrizione confermata» above «Stato: annullata».
  auto receipt = client_->Get(location.c_str());
  ASSERT_EQ(receipt->status, 200);
  EXPECT_EQ(receipt->body.find("Iscrizione confermata"), std::string::npos) << receipt->body;
  EXPECT_NE(receipt->body.find("Questa iscrizione è stata annullata"), std::string::npos);
}

TEST_F(HttpTest, MultipartFormsAreAcceptedToo) {
  start();
  httplib::MultipartFormDataItems items = {
      {"edition", "m03-nord", "", ""}, {"first_name", "Anna", "", ""}, {"last_name", "Bianchi", "", ""},
      {"email", "anna@example.org", "", ""}, {"role", "operatore", "", ""}, {"region", "Lazio", "", ""},
      {"age_band", "over-35", "", ""}, {"consent", "on", "", ""}};
  auto res = client_->Post("/api/registrations", items);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 303) << res->body;
}

// Without JavaScript the form's choice between an edition and tutoring is
// hidden, and its default "edition" is sent: an empty edition with a topic
// is still the tutoring request the form's hint asks for.
TEST_F(HttpTest, ATutoringRequestFromTheFormWithoutJavaScriptIsAccepted) {
  start();
  httplib::MultipartFormDataItems items = {{"kind", "edition", "", ""},
                                           {"edition", "", "", ""},
                                           {"topic", "gruppi-di-acquisto-solidale", "", ""},
                                           {"needs", "Vogliamo avviare un GAS.", "", ""},
                                           {"first_name", "Anna", "", ""},
                                           {"last_name", "Bianchi", "", ""},
                                           {"email", "anna@example.org", "", ""},
                                           {"role", "operatore", "", ""},
                                           {"region", "Sicilia", "", ""},
                                           {"age_band", "over-35", "", ""},
                                           {"consent", "on", "", ""}};
  auto res = client_->Post("/api/registrations", items);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 303) << res->body;
  // Neither an edition nor a topic: the form's message, on the edition.
  items[2] = {"topic", "", "", ""};
  items[3] = {"needs", "", "", ""};
  items[6] = {"email", "bruno@example.org", "", ""};
  auto none = client_->Post("/api/registrations", items);
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 400);
  EXPECT_NE(none->body.find("scegli un&apos;edizione (o, per il tutoraggio, un argomento)"), std::string::npos)
      << none->body;
}

// A tutoring request from Sicily: a topic and needs, no edition.
json tutoring_request(const std::string& email) {
  json p = person("", email);
  p.erase("edition");
  p["region"] = "Sicilia";
  p["topic"] = "gruppi-di-acquisto-solidale";
  p["needs"] = "Vogliamo avviare un GAS nel quartiere.";
  return p;
}

TEST_F(HttpTest, ATutoringRequestNeedsNoEdition) {
  start();
  json p = tutoring_request("t@x.it");
  auto res = post("/api/registrations", p);
  ASSERT_EQ(res->status, 201) << res->body;
  EXPECT_EQ(json::parse(res->body)["edition"], "tutoraggio-sud");
}

// A second tutoring request from the same address is told about the open
// request, not that the address is "registered to this edition"; a second
// registration to a module still is.
TEST_F(HttpTest, ASecondTutoringRequestIsToldAboutTheOpenOne) {
  start();
  json p = tutoring_request("t@x.it");
  ASSERT_EQ(post("/api/registrations", p)->status, 201);
  p["needs"] = "E poi una comunità energetica.";
  auto again = post("/api/registrations", p);
  ASSERT_EQ(again->status, 409) << again->body;
  EXPECT_NE(again->body.find("richiesta di tutoraggio aperta"), std::string::npos) << again->body;
  EXPECT_EQ(again->body.find("edizione"), std::string::npos) << again->body;
  // From a region of another hub (Sicilia is sud, Piemonte nord): still the
  // one open request, not a second one with another hub's tutors.
  p["region"] = "piemonte";
  auto other_hub = post("/api/registrations", p);
  ASSERT_EQ(other_hub->status, 409) << other_hub->body;
  EXPECT_NE(other_hub->body.find("richiesta di tutoraggio aperta"), std::string::npos) << other_hub->body;

  register_ok("small", "m@x.it");
  auto module = post("/api/registrations", person("small", "m@x.it"));
  ASSERT_EQ(module->status, 409);
  EXPECT_NE(module->body.find("già iscritto a questa edizione"), std::string::npos) << module->body;
}

TEST_F(HttpTest, StaffCanCancelAndPromotionFollows) {
  start();
  const json a = register_ok("small", "a@x.it");
  register_ok("small", "b@x.it");
  const json c = register_ok("small", "c@x.it");
  auto res = client_->Post(("/api/admin/registrations/" + a["code"].get<std::string>() + "/cancel").c_str(),
                           admin(), "", "application/json");
  ASSERT_EQ(res->status, 200) << res->body;
  auto got = client_->Get(("/api/registrations/" + c["code"].get<std::string>() + "?token=" +
                           token_of(c["cancel_url"])).c_str());
  EXPECT_EQ(json::parse(got->body)["status"], "confirmed");
  const json box = json::parse(client_->Get("/api/admin/outbox", admin())->body)["messages"];
  ASSERT_GE(box.size(), 5u);
  EXPECT_EQ(box[0]["to"], "c@x.it");
  EXPECT_NE(box[0]["subject"].get<std::string>().find("Si è liberato un posto"), std::string::npos);
}

// The personal page lists the meetings with their links while the person
// holds a seat: what the reminder says, for a lost e-mail.
TEST_F(HttpTest, ThePersonalPageGivesTheMeetingsLinksWhileASeatIsHeld) {
  start();
  const json a = register_ok("m03-nord", "a@x.it");
  const std::string code = a["code"], token = token_of(a["cancel_url"]);
  const std::string page = "/iscrizione/" + code + "?token=" + token;
  auto got = client_->Get(page.c_str());
  ASSERT_EQ(got->status, 200);
  EXPECT_NE(
      got->body.find("<a href=\"https://meet.example.org/m03-nord\" rel=\"noopener\">collegamento all'incontro</a>"),
      std::string::npos)
      << got->body;
  // «Aggiungi al calendario» on the page, in the registration's answer and
  // in its JSON is the person's own calendar, which has the links; the
  // edition's public calendar and the programme do not.
  // Its own key, not the token that opens the page, cancels and exports.
  std::smatch found;
  ASSERT_TRUE(std::regex_search(
      got->body, found, std::regex("href=\"(/api/registrations/" + code + "/calendar\\.ics\\?key=[0-9a-f]{32})\"")))
      << got->body;
  const std::string calendar = found[1];
  EXPECT_EQ(calendar.find(token), std::string::npos);
  EXPECT_EQ(a["ics_url"], "https://example.org" + calendar);
  const json own = json::parse(client_->Get(("/api/registrations/" + code + "?token=" + token).c_str())->body);
  EXPECT_EQ(own["ics_url"], "https://example.org" + calendar);
  EXPECT_EQ(own["edition_details"]["sessions"][0]["online_url"], "https://meet.example.org/m03-nord");
  auto ics = client_->Get(calendar.c_str());
  ASSERT_EQ(ics->status, 200);
  EXPECT_NE(ics->body.find("URL:https://meet.example.org/m03-nord\r\n"), std::string::npos) << ics->body;
  EXPECT_EQ(ics->get_header_value("Referrer-Policy"), "no-referrer");
  auto open = client_->Get("/api/editions/m03-nord.ics");
  ASSERT_EQ(open->status, 200);
  EXPECT_EQ(open->body.find("meet.example.org"), std::string::npos) << open->body;
  EXPECT_EQ(client_->Get("/api/programme")->body.find("meet.example.org"), std::string::npos);
  EXPECT_EQ(client_->Get(("/api/registrations/" + code + "/calendar.ics?key=abc").c_str())->status, 404);
  EXPECT_EQ(client_->Get(("/api/registrations/" + code + "/calendar.ics?token=" + token).c_str())->status, 404);
  ASSERT_EQ(post("/api/registrations/" + code + "/cancel", {{"token", token}})->status, 200);
  got = client_->Get(page.c_str());
  EXPECT_EQ(got->body.find("meet.example.org"), std::string::npos) << "not for a cancelled registration";
  EXPECT_EQ(client_->Get(("/api/registrations/" + code + "?token=" + token).c_str())->body.find("meet.example.org"),
            std::string::npos);
  ics = client_->Get(calendar.c_str());
  EXPECT_EQ(ics->status, 404);
  EXPECT_EQ(ics->body.find("meet.example.org"), std::string::npos);
}

// A hold that lapses once the edition has begun (an offered seat lapses at
// the first meeting): neither the e-mail nor the late link offers to join
// an edition that takes nobody new.
TEST_F(HttpTest, AHoldThatLapsesAfterTheStartOffersTheOtherEditionsNotThisOne) {
  options_.confirm_email = true;
  start();
  const json a = register_ok("small", "a@x.it");
  ASSERT_EQ(a["status"], "pending");
  auto confirm_link = [&] {
    const json box = json::parse(client_->Get("/api/admin/outbox?limit=200", admin())->body)["messages"];
    static const std::regex link("https://example.org(/iscrizione/[a-z0-9]+/conferma\\?token=[a-z0-9]+)");
    for (const auto& m : box) {
      std::smatch match;
      const std::string body = m["body"];
      if (m["to"] == "a@x.it" && std::regex_search(body, match, link)) return std::string(match[1]);
    }
    return std::string();
  };
  const std::string link = confirm_link();
  ASSERT_FALSE(link.empty());
  desk_now_ = 4076179200;  // 3 March 2099: the edition began on the 2nd
  auto late = client_->Get(link.c_str());
  ASSERT_EQ(late->status, 409) << late->body;
  EXPECT_NE(late->body.find("è già iniziata"), std::string::npos) << late->body;
  EXPECT_EQ(late->body.find("Iscriviti di nuovo a questa edizione"), std::string::npos) << late->body;
  EXPECT_NE(late->body.find("href=\"/programma\">Vedi le altre edizioni"), std::string::npos) << late->body;
  const json box = json::parse(client_->Get("/api/admin/outbox?limit=200", admin())->body)["messages"];
  std::string told;
  for (const auto& m : box)
    if (m["to"] == "a@x.it" && m["subject"].get<std::string>().rfind("Posto non confermato", 0) == 0) told = m["body"];
  ASSERT_FALSE(told.empty()) << box.dump(1);
  EXPECT_NE(told.find("Ora questa edizione è già iniziata"), std::string::npos) << told;
  EXPECT_EQ(told.find("lista d'attesa:"), std::string::npos) << told;
  EXPECT_EQ(told.find("edizione=small"), std::string::npos) << told;
  EXPECT_NE(told.find("https://example.org/programma\n"), std::string::npos) << told;
}

// «Conferma comunque» on a lapsed hold after the person registered for
// another edition of the same module: one place per activity, as for a new
// registration.
TEST_F(HttpTest, ALapsedHoldIsNotConfirmedOverAPlaceInAnotherEditionOfTheActivity) {
  options_.confirm_email = true;
  start();
  const json a = register_ok("m03-nord", "q@x.it");
  ASSERT_EQ(a["status"], "pending");
  const json box = json::parse(client_->Get("/api/admin/outbox?limit=200", admin())->body)["messages"];
  std::smatch match;
  const std::string body = box.at(0)["body"];
  ASSERT_TRUE(std::regex_search(body, match,
                                std::regex("https://example.org(/iscrizione/[a-z0-9]+/conferma\\?token=[a-z0-9]+)")));
  const std::string link = match[1];
  desk_now_ = static_cast<std::int64_t>(std::time(nullptr)) + 7 * 24 * 3600;  // the hold lapsed long ago
  const json b = register_ok("small", "q@x.it");
  ASSERT_EQ(b["status"], "pending") << b;
  auto late = client_->Get(link.c_str());
  EXPECT_EQ(late->status, 409) << late->body;
  EXPECT_NE(late->body.find("un&apos;altra edizione di questa attività"), std::string::npos) << late->body;
  // Its links are a request away; not «Iscriviti di nuovo a questa edizione».
  EXPECT_NE(late->body.find("href=\"/iscrizione/nuovo-link\""), std::string::npos) << late->body;
  EXPECT_EQ(late->body.find("Iscriviti di nuovo"), std::string::npos) << late->body;
  auto forced = client_->Post(link.substr(0, link.find('?')).c_str(), link.substr(link.find('?') + 1),
                              "application/x-www-form-urlencoded");
  EXPECT_EQ(forced->status, 409) << forced->body;
  const json own = json::parse(
      client_
          ->Get(("/api/registrations/" + a["code"].get<std::string>() + "?token=" + token_of(a["cancel_url"])).c_str())
          ->body);
  EXPECT_EQ(own["status"], "expired");
}

// «Sì, annulla» tapped twice ends on the page that says it is cancelled,
// not on «Annullamento non riuscito»; a place on a waiting list whose
// edition has ended is not offered for cancelling.
TEST_F(HttpTest, CancellingTwiceIsDoneAndAnEndedWaitHasNothingToCancel) {
  start();
  const json a = register_ok("small", "a@x.it");
  const std::string code = a["code"], token = token_of(a["cancel_url"]);
  for (int tap = 0; tap < 2; ++tap) {
    auto res = client_->Post(("/api/registrations/" + code + "/cancel").c_str(), "token=" + token,
                             "application/x-www-form-urlencoded");
    EXPECT_EQ(res->status, 303) << tap << res->body;
    EXPECT_EQ(res->get_header_value("Location"), "/iscrizione/" + code + "?token=" + token) << tap;
  }
  register_ok("small", "b@x.it");
  register_ok("small", "c@x.it");
  const json d = register_ok("small", "d@x.it");
  ASSERT_EQ(d["status"], "waitlisted");
  const std::string page = "/iscrizione/" + d["code"].get<std::string>() + "?token=" + token_of(d["cancel_url"]);
  EXPECT_NE(client_->Get(page.c_str())->body.find("Annulla l'iscrizione…"), std::string::npos);
  desk_now_ = 4102444800;  // 2100-01-01: the edition has ended
  auto ended = client_->Get(page.c_str());
  EXPECT_EQ(ended->body.find("Annulla l'iscrizione…"), std::string::npos) << ended->body;
  EXPECT_NE(ended->body.find("non c&apos;è più un posto da lasciare"), std::string::npos) << ended->body;
}

// The admin API's door to «Sposta»: the same action as the page.
TEST_F(HttpTest, StaffCanMoveARegistrationAndPromotionFollows) {
  start();
  const json a = register_ok("small", "a@x.it");
  register_ok("small", "b@x.it");
  const json c = register_ok("small", "c@x.it");
  const std::string path = "/api/admin/registrations/" + a["code"].get<std::string>() + "/move";
  auto res = client_->Post(path.c_str(), admin(), R"({"edition":"thirty"})", "application/json");
  ASSERT_EQ(res->status, 200) << res->body;
  const json moved = json::parse(res->body);
  EXPECT_EQ(moved["edition"], "thirty");
  EXPECT_EQ(moved["from"], "small");
  EXPECT_EQ(moved["promoted"], c["code"]);
  // The personal link still opens the registration, now in "thirty".
  auto got = client_->Get(
      ("/api/registrations/" + a["code"].get<std::string>() + "?token=" + token_of(a["cancel_url"])).c_str());
  ASSERT_EQ(got->status, 200);
  EXPECT_EQ(json::parse(got->body)["edition"], "thirty") << got->body;
  EXPECT_EQ(client_->Post(path.c_str(), admin(), R"({"edition":"small"})", "application/json")->status, 409)
      << "small is full";
  EXPECT_EQ(client_->Post(path.c_str(), admin(), R"({"edition":"nessuna"})", "application/json")->status, 404);
  EXPECT_EQ(client_->Post(path.c_str(), admin(), R"({})", "application/json")->status, 400);
  EXPECT_EQ(client_->Post(path.c_str(), R"({"edition":"thirty"})", "application/json")->status, 401);
}

// What the staff's API actions say: cancelling someone waiting gave the
// seat to nobody (the answer named the person cancelled); an erasure asked
// twice made one person two in the report; "attended": "true" marked
// everyone absent.
TEST_F(HttpTest, StaffActionsReportWhatReallyHappened) {
  start();
  const json a = register_ok("small", "a@x.it");
  register_ok("small", "b@x.it");
  const json c = register_ok("small", "c@x.it");
  ASSERT_EQ(c["status"], "waitlisted");
  auto res = client_->Post(("/api/admin/registrations/" + c["code"].get<std::string>() + "/cancel").c_str(), admin(),
                           "", "application/json");
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_FALSE(json::parse(res->body).contains("promoted")) << res->body;

  const std::string erase = "/api/admin/registrations/" + a["code"].get<std::string>() + "/erase";
  ASSERT_EQ(client_->Post(erase.c_str(), admin(), "", "application/json")->status, 200);
  res = client_->Post(erase.c_str(), admin(), "", "application/json");
  EXPECT_EQ(res->status, 409) << res->body;
  EXPECT_NE(res->body.find("già stati cancellati"), std::string::npos) << res->body;

  for (const char* body : {R"({"codes":[],"attended":"true"})", R"({"codes":[],"attended":1})"}) {
    res = client_->Post("/api/admin/editions/small/attendance", admin(), body, "application/json");
    EXPECT_EQ(res->status, 400) << body << " " << res->body;
  }
}

TEST_F(HttpTest, FormErrorsAreAnHtmlPageInItalian) {
  start();
  auto res = client_->Post("/api/registrations", "edition=m03-nord&email=x", "application/x-www-form-urlencoded");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_NE(res->get_header_value("Content-Type").find("text/html"), std::string::npos);
  EXPECT_NE(res->body.find("Controlla i dati inseriti"), std::string::npos);
  EXPECT_NE(res->body.find("<strong>E-mail</strong>: indirizzo e-mail non valido"), std::string::npos);
  EXPECT_NE(res->body.find("/css/site.css"), std::string::npos);
  // The link back opens the form on the edition chosen, not an empty one.
  EXPECT_NE(res->body.find("href=\"/programma?edizione=m03-nord#iscrizione\""), std::string::npos) << res->body;
  // An edition that is itself the error, or a crafted one, is not carried.
  res = client_->Post("/api/registrations", "edition=%22%3E%3Cb%3E&email=x", "application/x-www-form-urlencoded");
  EXPECT_NE(res->body.find("href=\"/programma#iscrizione\""), std::string::npos) << res->body;
}

// The page lists what to correct as the form shows it, top to bottom (not
// in the alphabetical order of the field names: consent, email, …).
TEST_F(HttpTest, FormErrorsAreListedInTheFormsOrder) {
  start();
  auto res = client_->Post("/api/registrations", "edition=m03-nord&first_name=Anna&last_name=123&email=x&region=xx",
                           "application/x-www-form-urlencoded");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 400);
  std::vector<std::string> labels;
  for (std::size_t at = res->body.find("<li><strong>"); at != std::string::npos;
       at = res->body.find("<li><strong>", at + 1)) {
    const std::size_t start = at + 12;
    labels.push_back(res->body.substr(start, res->body.find("</strong>", start) - start));
  }
  // (mustache writes the apostrophe as &apos;)
  EXPECT_EQ(labels, (std::vector<std::string>{"Cognome", "E-mail", "Ruolo", "Regione", "Fascia d&apos;età",
                                              "Informativa privacy"}))
      << res->body;
}

TEST_F(HttpTest, HoneypotAnswersLikeASuccessButStoresNothing) {
  start();
  json p = person("m03-nord", "bot@x.it");
  p["website"] = "http://spam";
  auto res = post("/api/registrations", p);
  EXPECT_EQ(res->status, 201);
  auto list = client_->Get("/api/admin/registrations", admin());
  EXPECT_EQ(json::parse(list->body)["count"], 0);
}

TEST_F(HttpTest, AdminRoutesNeedTheBearerToken) {
  options_.admin_token.clear();
  start();
  auto none = client_->Get("/api/admin/stats");
  EXPECT_EQ(none->status, 403);
  auto with = client_->Get("/api/admin/stats", admin());
  EXPECT_EQ(with->status, 403);
  options_.admin_token = kAdminToken;
  start();
  EXPECT_EQ(client_->Get("/api/admin/stats")->status, 401);
  EXPECT_EQ(client_->Get("/api/admin/stats", {{"Authorization", "Bearer sbagliato"}})->status, 401);
  EXPECT_EQ(client_->Get("/api/admin/stats", admin())->status, 200);
  EXPECT_EQ(client_->Post("/api/admin/editions/small/attendance", "{}", "application/json")->status, 401);
}

TEST_F(HttpTest, CsvExportOpensInItalianSpreadsheets) {
  start();
  json p = person("m03-nord", "a@x.it");
  p["last_name"] = "=Niccolò; \"detto\"";
  ASSERT_EQ(post("/api/registrations", p)->status, 201);
  auto res = client_->Get("/api/admin/registrations?edition=m03-nord&format=csv", admin());
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  EXPECT_NE(res->get_header_value("Content-Type").find("text/csv"), std::string::npos);
  EXPECT_EQ(res->body.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_NE(res->body.find(";confirmed;"), std::string::npos);
  EXPECT_NE(res->body.find("\"'=Niccolò; \"\"detto\"\"\""), std::string::npos);
  auto json_list = client_->Get("/api/admin/registrations?edition=m03-nord&format=json", admin());
  const json row = json::parse(json_list->body)["registrations"][0];
  EXPECT_EQ(row["status"], "confirmed");
  EXPECT_EQ(row["code"].get<std::string>().size(), 26u);
  EXPECT_EQ(client_->Get("/api/admin/registrations?edition=nope", admin())->status, 404);
}

TEST_F(HttpTest, StatsCountPerKindEditionAndHubAgainstTargets) {
  start();
  register_ok("small", "a@x.it");
  register_ok("small", "b@x.it");
  const json c = register_ok("small", "c@x.it");
  register_ok("m03-nord", "d@x.it");
  auto cancel = post("/api/registrations/" + c["code"].get<std::string>() + "/cancel",
                     {{"token", token_of(c["cancel_url"])}});
  ASSERT_EQ(cancel->status, 200);
  const json s = json::parse(client_->Get("/api/admin/stats", admin())->body);
  EXPECT_EQ(s["kinds"]["modulo"]["confirmed"], 3);
  EXPECT_EQ(s["kinds"]["modulo"]["cancelled"], 1);
  EXPECT_EQ(s["kinds"]["modulo"]["target"], 120);
  EXPECT_DOUBLE_EQ(s["kinds"]["modulo"]["percent_of_target"].get<double>(), 2.5);
  EXPECT_EQ(s["editions"]["small"]["confirmed"], 2);
  EXPECT_EQ(s["hubs"]["centro"]["confirmed"], 2);
  EXPECT_EQ(s["hubs"]["nord"]["confirmed"], 1);
  EXPECT_EQ(s["activities"]["m03"]["confirmed"], 3);
  EXPECT_EQ(s["kinds"]["residenza"]["confirmed"], 0);
}

TEST_F(HttpTest, AttendanceUnlocksTheCertificate) {
  start();
  const json a = register_ok("small", "a@x.it");
  const std::string code = a["code"];
  const std::string cert = "/attestato/" + code + "?token=" + token_of(a["cancel_url"]);
  auto before = client_->Get(cert.c_str());
  EXPECT_EQ(before->status, 403);
  EXPECT_NE(before->body.find("solo per chi ha partecipato"), std::string::npos);
  desk_now_ = 4102444800;  // 2100-01-01: the edition has taken place
  auto mark = client_->Post("/api/admin/editions/small/attendance", admin(),
                            json{{"codes", {code, "sconosciuto"}}}.dump(), "application/json");
  ASSERT_EQ(mark->status, 200) << mark->body;
  EXPECT_EQ(json::parse(mark->body)["updated"], 1);
  EXPECT_EQ(json::parse(mark->body)["rejected"][0], "sconosciuto");
  auto after = client_->Get(cert.c_str());
  ASSERT_EQ(after->status, 200);
  EXPECT_NE(after->body.find("Attestato di partecipazione"), std::string::npos);
  EXPECT_NE(after->body.find("Giulia Ferrero"), std::string::npos);
  // No inline styles (the server's CSP forbids them): the print stylesheet is a file.
  EXPECT_EQ(after->body.find("<style"), std::string::npos);
  EXPECT_NE(after->body.find("href=\"/css/attestato.css\""), std::string::npos);
  auto css = client_->Get("/css/attestato.css");
  ASSERT_EQ(css->status, 200);
  EXPECT_NE(css->body.find("@media print"), std::string::npos);
  EXPECT_EQ(after->get_header_value("Referrer-Policy"), "no-referrer");
  EXPECT_EQ(client_->Get(("/attestato/" + code + "?token=x").c_str())->status, 404);
  EXPECT_EQ(client_->Post("/api/admin/editions/nope/attendance", admin(), "{\"codes\":[]}", "application/json")->status, 404);
}

TEST_F(HttpTest, PersonalDataExportAndErasure) {
  start();
  const json a = register_ok("small", "a@x.it");
  const std::string code = a["code"];
  auto data = client_->Get(("/api/registrations/" + code + "/data?token=" + token_of(a["cancel_url"])).c_str());
  ASSERT_EQ(data->status, 200);
  const json d = json::parse(data->body);
  EXPECT_EQ(d["email"], "a@x.it");
  EXPECT_EQ(d["consent"]["privacy_version"], "2026-12");
  EXPECT_EQ(d["messages"].size(), 1u);
  EXPECT_NE(data->get_header_value("Content-Disposition").find("attachment"), std::string::npos);
  // The same data, readable: «I tuoi dati», linked from the person's page,
  // behind the same personal link.
  const std::string token = token_of(a["cancel_url"]);
  auto own = client_->Get(("/iscrizione/" + code + "?token=" + token).c_str());
  ASSERT_EQ(own->status, 200);
  EXPECT_NE(own->body.find("href=\"/iscrizione/" + code + "/dati?token=" + token + "\">I tuoi dati</a>"),
            std::string::npos)
      << own->body;
  auto page = client_->Get(("/iscrizione/" + code + "/dati?token=" + token).c_str());
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("<h1>I tuoi dati</h1>"), std::string::npos);
  EXPECT_NE(page->body.find("<dt>Indirizzo e-mail</dt><dd>a@x.it</dd>"), std::string::npos) << page->body;
  EXPECT_NE(page->body.find("(informativa versione 2026-12)"), std::string::npos) << page->body;
  EXPECT_NE(page->body.find("<strong>" + d["messages"][0]["subject"].get<std::string>()), std::string::npos);
  // Whom to write to, to correct or erase them.
  EXPECT_NE(page->body.find("revocare il consenso, scrivi a <strong>APS Reti solidali (privacy@example.org)</strong>"),
            std::string::npos)
      << page->body;
  EXPECT_EQ(page->get_header_value("Referrer-Policy"), "no-referrer");
  EXPECT_EQ(client_->Get(("/iscrizione/" + code + "/dati?token=x").c_str())->status, 404);
  auto erase = client_->Post(("/api/admin/registrations/" + code + "/erase").c_str(), admin(), "", "application/json");
  ASSERT_EQ(erase->status, 200) << erase->body;
  // The old link no longer works; the seat is still counted.
  EXPECT_EQ(client_->Get(("/api/registrations/" + code + "?token=" + token_of(a["cancel_url"])).c_str())->status, 404);
  const json s = json::parse(client_->Get("/api/admin/stats", admin())->body);
  EXPECT_EQ(s["editions"]["small"]["confirmed"], 1);
  const json row = json::parse(client_->Get("/api/admin/registrations?edition=small", admin())->body)["registrations"][0];
  EXPECT_EQ(row["email"], "");
  EXPECT_EQ(row["last_name"], "");
}

TEST_F(HttpTest, IcsPerEdition) {
  start();
  auto res = client_->Get("/api/editions/residenza-lecce-2099.ics");
  ASSERT_EQ(res->status, 200);
  EXPECT_NE(res->get_header_value("Content-Type").find("text/calendar"), std::string::npos);
  // Three days, each its own event; the first day has its venue.
  EXPECT_NE(res->body.find("LOCATION:Casa delle associazioni\\, via di Prova 1"), std::string::npos) << res->body;
  EXPECT_NE(res->body.find("LOCATION:Lecce"), std::string::npos);
  EXPECT_NE(res->body.find("DTSTART:20990923T080000Z\r\nDTEND:20990923T160000Z"), std::string::npos);
  EXPECT_NE(res->body.find("DTSTART:20990925T073000Z\r\nDTEND:20990925T140000Z"), std::string::npos);
  EXPECT_NE(res->body.find("UID:residenza-lecce-2099-3@"), std::string::npos);
  // The event links to the programme page (not the JSON API), and says when
  // the file was made, not when the edition starts.
  EXPECT_NE(res->body.find("URL:" + options_.public_base_url + "/programma\r\n"), std::string::npos) << res->body;
  EXPECT_EQ(res->body.find("DTSTAMP:2099"), std::string::npos) << res->body;
  EXPECT_EQ(client_->Get("/api/editions/nope.ics")->status, 404);
  // On-request tutoring has no dates: no calendar that would mark the
  // person busy for its whole period.
  auto tutoring = client_->Get("/api/editions/tutoraggio-nord.ics");
  EXPECT_EQ(tutoring->status, 404);
  EXPECT_NE(tutoring->body.find("non ha date fisse"), std::string::npos);
}

TEST_F(HttpTest, RateLimitPerClientAddressOnPosts) {
  options_.rate_limit_per_minute = 3;
  start();
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(post("/api/registrations", person("m03-nord", std::to_string(i) + "@x.it"))->status, 201);
  auto limited = post("/api/registrations", person("m03-nord", "9@x.it"));
  EXPECT_EQ(limited->status, 429);
  EXPECT_EQ(json::parse(limited->body)["message"].get<std::string>().rfind(
                "Troppe richieste da questo indirizzo: riprova tra ", 0),
            0u)
      << limited->body;
  // The wait in good Italian: «1 secondo», «40 secondi», as Retry-After says.
  std::smatch wait;
  const std::string message = json::parse(limited->body)["message"].get<std::string>();
  ASSERT_TRUE(std::regex_search(message, wait, std::regex("riprova tra (\\d+) (secondo|secondi)$"))) << message;
  EXPECT_EQ(wait[1].str(), limited->get_header_value("Retry-After"));
  EXPECT_EQ(wait[2].str() == "secondo", wait[1].str() == "1") << message;
  EXPECT_EQ(client_->Get("/api/programme")->status, 200);  // GETs are not limited
  // A person's form (no JavaScript) gets a page that says what to do.
  auto form = client_->Post("/api/registrations", "first_name=Anna&email=a%40x.it", "application/x-www-form-urlencoded");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->status, 429);
  EXPECT_NE(form->get_header_value("Content-Type").find("text/html"), std::string::npos);
  EXPECT_NE(form->body.find("«Indietro»"), std::string::npos);
  EXPECT_FALSE(form->get_header_value("Retry-After").empty());
}

TEST_F(HttpTest, OversizedBodiesAreRefused) {
  options_.max_body_bytes = 1024;
  start();
  json p = person("m03-nord", "a@x.it");
  p["notes"] = std::string(2000, 'a');
  EXPECT_EQ(post("/api/registrations", p)->status, 413);
}

TEST_F(HttpTest, ARegistrationSurvivesARestart) {
  start();
  const json a = register_ok("m03-nord", "a@x.it");
  start();  // a new server and module on the same data folder
  auto got = client_->Get(("/api/registrations/" + a["code"].get<std::string>() + "?token=" +
                           token_of(a["cancel_url"])).c_str());
  ASSERT_EQ(got->status, 200);
  EXPECT_EQ(json::parse(got->body)["status"], "confirmed");
}

TEST_F(HttpTest, OutboxMessagesAreDeliveredByTheMailCommand) {
  const auto mailbox = dir_.path() / "mailbox.txt";
  options_.mail_command = "cat >> '" + mailbox.string() + "'";
  start();
  register_ok("m03-nord", "a@x.it");
  std::string mail;
  for (int i = 0; i < 500 && mail.find("Ciao Giulia") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::ifstream in(mailbox);
    mail.assign(std::istreambuf_iterator<char>(in), {});
  }
  EXPECT_NE(mail.find("To: a@x.it\r\n"), std::string::npos);
  EXPECT_NE(mail.find("Subject: =?UTF-8?B?"), std::string::npos);
  EXPECT_NE(mail.find("Ciao Giulia"), std::string::npos);
  bool delivered = false;
  for (int i = 0; i < 500 && !delivered; ++i) {
    auto box = json::parse(client_->Get("/api/admin/outbox", admin())->body);
    delivered = box["messages"].size() == 1 && !box["messages"][0]["delivered_at"].get<std::string>().empty();
    if (!delivered) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(delivered);
}

// Decoders for the test below: base64 (RFC 4648) and quoted-printable.
std::string unbase64(const std::string& in) {
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned v = 0;
  int bits = 0;
  for (char c : in) {
    const auto p = alphabet.find(c);
    if (p == std::string::npos) continue;
    v = (v << 6) | static_cast<unsigned>(p);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((v >> bits) & 0xFF);
    }
  }
  return out;
}
std::string unquote(const std::string& in) {
  std::string out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in.compare(i, 3, "=\r\n") == 0) {
      i += 2;
    } else if (in[i] == '=') {
      out += static_cast<char>(std::stoi(in.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else if (in.compare(i, 2, "\r\n") == 0) {
      out += '\n';
      ++i;
    } else {
      out += in[i];
    }
  }
  return out;
}

// A staff message may hold a paragraph of thousands of characters and a
// subject of 150 plus the activity's title: relays refuse lines over 998
// bytes, and an encoded-word is at most 75 characters.
TEST(MailFormat, LongParagraphsAndSubjectsKeepWithinTheLineLimits) {
  OutboxMessage m;
  m.recipient = "a@x.it";
  m.subject =
      "Cambio di orario per tutti gli incontri: leggete con attenzione – Residenza di Torino: Economia "
      "solidale e riuso, con una nota sull'aula più grande";
  std::string paragraph;
  for (int i = 0; i < 120; ++i) paragraph += "Perché è così? 2+2=4. ";
  m.body = "Ciao Anna,\n\n" + paragraph + "\n\nRiga che finisce con uno spazio \n.\nFrom me\nFine.\n";
  const std::string mail = format_mail(m, "noreply@x.it");
  std::size_t start = 0;
  while (start < mail.size()) {
    const auto end = mail.find("\r\n", start);
    const std::size_t len = (end == std::string::npos ? mail.size() : end) - start;
    EXPECT_LE(len, 76u) << mail.substr(start, len);
    if (end == std::string::npos) break;
    start = end + 2;
  }
  const auto blank = mail.find("\r\n\r\n");
  ASSERT_NE(blank, std::string::npos);
  EXPECT_NE(mail.find("Content-Transfer-Encoding: quoted-printable\r\n"), std::string::npos);
  EXPECT_EQ(unquote(mail.substr(blank + 4)), m.body);
  EXPECT_NE(mail.find("Ciao Anna,\r\n"), std::string::npos) << "readable as it is";
  EXPECT_EQ(mail.find("\r\n.\r\n"), std::string::npos) << "a lone dot would end the message for sendmail";
  EXPECT_EQ(mail.find("\r\nFrom "), std::string::npos);
  // The subject's words, decoded and joined, are the subject.
  const std::string headers = mail.substr(0, blank);
  std::string subject;
  for (std::size_t p = headers.find("=?UTF-8?B?"); p != std::string::npos; p = headers.find("=?UTF-8?B?", p)) {
    const auto q = headers.find("?=", p + 10);
    subject += unbase64(headers.substr(p + 10, q - p - 10));
    p = q;
  }
  EXPECT_EQ(subject, m.subject);
}

TEST_F(HttpTest, AFailedDeliveryIsKeptAndRetried) {
  // As msmtp says it when the relay refuses an address.
  options_.mail_command = "cat > /dev/null; echo \"msmtp: recipient address a@x.it not accepted\" >&2; exit 75";
  options_.outbox_retry_base_seconds = 0;  // retry at once: the test waits for a second attempt
  start();
  testing::internal::CaptureStderr();
  register_ok("m03-nord", "a@x.it");
  json msg;
  for (int i = 0; i < 1000; ++i) {
    msg = json::parse(client_->Get("/api/admin/outbox?pending=1", admin())->body)["messages"];
    if (msg.size() == 1 && msg[0]["attempts"].get<int>() >= 2) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const std::string log = testing::internal::GetCapturedStderr();
  ASSERT_EQ(msg.size(), 1u);
  EXPECT_GE(msg[0]["attempts"].get<int>(), 2);
  EXPECT_EQ(msg[0]["delivered_at"], "");
  // The staff read what the command said; the log has the reason only.
  EXPECT_EQ(msg[0]["last_error"],
            "il comando di posta è uscito con codice 75: msmtp: recipient address a@x.it not accepted");
  EXPECT_NE(log.find("not delivered (il comando di posta è uscito con codice 75)"), std::string::npos) << log;
  EXPECT_EQ(log.find("a@x.it"), std::string::npos) << log;
}

// Form bodies as browsers send them (application/x-www-form-urlencoded).
TEST(FormBody, DecodesPlusAndPercentEscapesAndKeepsTheLastValueOfARepeatedName) {
  const auto fields = http::parse_urlencoded(
      "first_name=Nicol%C3%B2&region=Valle+d%27Aosta&consent&&note=50%25+e+%2B1&note=ultima&bad=%zz");
  EXPECT_EQ(fields.at("first_name"), "Nicolò");
  EXPECT_EQ(fields.at("region"), "Valle d'Aosta");
  EXPECT_EQ(fields.at("consent"), "");
  EXPECT_EQ(fields.at("note"), "ultima");
  EXPECT_EQ(fields.at("bad"), "%zz");
  EXPECT_EQ(fields.size(), 5u);
  EXPECT_TRUE(http::parse_urlencoded("").empty());
}

// The range a refused number names is the one it takes («da 1», not «da 0»
// and then «almeno 1»).
TEST(Environment, ARefusedNumberNamesTheRangeItTakes) {
  ::setenv("BP_DATABASE_POOL", "0", 1);
  Options o;
  const Status s = apply_environment(&o);
  ::unsetenv("BP_DATABASE_POOL");
  EXPECT_EQ(s.message(), "BP_DATABASE_POOL deve essere un numero intero da 1 a 1000");
}

// One variable for the public URL: BP_PUBLIC_URL; the old name still works
// for a while, with a warning so that the administrator renames it.
TEST(Environment, PublicUrlComesFromBpPublicUrl) {
  ::unsetenv("BP_PUBLIC_BASE_URL");
  ::setenv("BP_PUBLIC_URL", "https://iscrizioni.example.org", 1);
  Options o;
  testing::internal::CaptureStderr();
  ASSERT_TRUE(apply_environment(&o).is_ok());
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
  EXPECT_EQ(o.public_base_url, "https://iscrizioni.example.org");
  ::unsetenv("BP_PUBLIC_URL");
}

// The sender of the messages is the operator's, not noreply@localhost.
TEST(Environment, TheSenderOfMessagesComesFromBpMailFrom) {
  Options o;
  EXPECT_NE(o.mail_from.find("noreply@localhost"), std::string::npos);
  ::setenv("BP_MAIL_FROM", "Iscrizioni <iscrizioni@example.org>", 1);
  ASSERT_TRUE(apply_environment(&o).is_ok());
  EXPECT_EQ(o.mail_from, "Iscrizioni <iscrizioni@example.org>");
  ::unsetenv("BP_MAIL_FROM");
}

TEST(Environment, TheOldBpPublicBaseUrlStillWorksWithADeprecationWarning) {
  ::unsetenv("BP_PUBLIC_URL");
  ::setenv("BP_PUBLIC_BASE_URL", "https://vecchio.example.org", 1);
  Options o;
  testing::internal::CaptureStderr();
  ASSERT_TRUE(apply_environment(&o).is_ok());
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(o.public_base_url, "https://vecchio.example.org");
  EXPECT_NE(err.find("BP_PUBLIC_BASE_URL"), std::string::npos) << err;
  EXPECT_NE(err.find("usa BP_PUBLIC_URL"), std::string::npos) << err;
  // When both are set the new name wins, silently.
  ::setenv("BP_PUBLIC_URL", "https://nuovo.example.org", 1);
  testing::internal::CaptureStderr();
  ASSERT_TRUE(apply_environment(&o).is_ok());
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
  EXPECT_EQ(o.public_base_url, "https://nuovo.example.org");
  ::unsetenv("BP_PUBLIC_URL");
  ::unsetenv("BP_PUBLIC_BASE_URL");
}

}  // namespace
}  // namespace bp::registration

namespace bp::registration {
namespace {

// The programme page is rendered by the server from programme.yaml and the
// store: every edition, its seats left and its meetings, and the form's
// options, so it works without JavaScript.
TEST_F(HttpTest, TheProgrammePageShowsEditionsSeatsAndTheFormWithoutJavaScript) {
  start();
  register_ok("small", "prima@example.org");
  auto page = client_->Get("/programma?edizione=small");
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200);
  const std::string& html = page->body;
  EXPECT_NE(html.find("<option value=\"small\" selected>"), std::string::npos);
  EXPECT_NE(html.find("1 posto libero su 2"), std::string::npos) << "seats left after one registration";
  EXPECT_NE(html.find("aria-current=\"page\">Programma e iscrizioni"), std::string::npos);
  EXPECT_NE(html.find("name=\"privacy_version\" value=\"2026-12\""), std::string::npos);
  EXPECT_EQ(html.find("{{"), std::string::npos) << "no template tag left unrendered";
  for (const auto& e : {"m03-nord", "thirty", "closed"})
    EXPECT_NE(html.find(std::string("value=\"") + e + "\""), std::string::npos) << e;
  // Every role and age band the desk accepts is offered, in the words the
  // staff pages repeat.
  for (const auto& r : role_choices())
    EXPECT_NE(html.find("<option value=\"" + r.code + "\">" + r.label + "</option>"), std::string::npos) << r.code;
  for (const auto& b : age_band_choices())
    EXPECT_NE(html.find("value=\"" + b.code + "\"><label for=\"age-" + b.code + "\">" + b.label), std::string::npos)
        << b.code;
  EXPECT_EQ(html.find("non è in calendario"), std::string::npos);
  // Every target of programme.yaml, the teachers' course too, «e» before the last.
  EXPECT_NE(html.find("Il programma vuole raggiungere 120 persone nei moduli formativi, 30 persone nel tutoraggio, 30 "
                      "persone nelle residenze e 40 persone nel corso per i docenti."),
            std::string::npos);
  // A link to an edition the calendar no longer has says so.
  auto stale = client_->Get("/programma?edizione=annullata#iscrizione");
  ASSERT_TRUE(stale);
  EXPECT_EQ(stale->status, 200);
  EXPECT_NE(
      stale->body.find("id=\"edition-info\" aria-live=\"polite\">L&apos;edizione del link che hai aperto non è in "
                       "calendario: scegline una qui sotto.</p>"),
      std::string::npos);
  EXPECT_EQ(stale->body.find(" selected>"), std::string::npos);
}

// ?hub=sud shows one hub's dates (three columns made the page 17,000 px
// tall on a phone); the form still offers every edition, and an unknown
// hub shows them all.
TEST_F(HttpTest, TheProgrammePageShowsOneHubsDatesOnRequest) {
  start();
  auto all = client_->Get("/programma");
  ASSERT_TRUE(all);
  for (const char* hub : {"data-hub=\"Hub Nord\"", "data-hub=\"Hub Centro\"", "data-hub=\"Hub Sud\""})
    EXPECT_NE(all->body.find(hub), std::string::npos) << hub;
  EXPECT_NE(all->body.find("href=\"/programma#moduli\" aria-current=\"page\">Tutti gli hub"), std::string::npos);
  EXPECT_NE(all->body.find("<strong>Hub Sud</strong>: "), std::string::npos) << "which regions each hub serves";

  auto south = client_->Get("/programma?hub=sud");
  ASSERT_TRUE(south);
  ASSERT_EQ(south->status, 200);
  const std::string& html = south->body;
  EXPECT_NE(html.find("data-hub=\"Hub Sud\""), std::string::npos);
  EXPECT_EQ(html.find("data-hub=\"Hub Nord\""), std::string::npos);
  EXPECT_EQ(html.find("data-hub=\"Hub Centro\""), std::string::npos);
  EXPECT_NE(html.find("href=\"/programma?hub=sud#moduli\" aria-current=\"page\">Hub Sud"), std::string::npos);
  EXPECT_NE(html.find("<title>Programma e iscrizioni – Hub Sud"), std::string::npos);
  EXPECT_NE(html.find("solo le date dell'Hub Sud"), std::string::npos) << "and how to see them all";
  EXPECT_NE(html.find("id=\"attivita-residenza-lecce\""), std::string::npos) << "Lecce is in the south";
  for (const auto& e : {"m03-nord", "small", "thirty"})
    EXPECT_NE(html.find(std::string("<option value=\"") + e + "\""), std::string::npos) << "the form keeps " << e;
  // Without JavaScript, signing up keeps the hub chosen; the count says the hub's.
  EXPECT_NE(html.find("href=\"?hub=sud&amp;edizione=thirty#iscrizione\""), std::string::npos);
  EXPECT_NE(html.find(", Hub Sud</span>"), std::string::npos) << "the button's label names the hub as shown";
  EXPECT_NE(html.find(" nell&apos;Hub Sud."), std::string::npos);
  EXPECT_NE(client_->Get("/programma?hub=Sud")->body.find("aria-current=\"page\">Hub Sud"), std::string::npos);
  // Each open edition says until when one can register (the residency's
  // deadline is three weeks before it); a closed one does not.
  EXPECT_NE(html.find("<span class=\"deadline\">Iscrizioni entro il 1° settembre 2099</span>"), std::string::npos)
      << html;
  EXPECT_NE(html.find("<span class=\"deadline\">Iscrizioni entro il 27 febbraio 2099</span>"), std::string::npos);
  EXPECT_EQ(all->body.find("Iscrizioni entro il 27 febbraio 2020"), std::string::npos) << "«late» is closed";
  // A residency's title names its kind: the form's group does not repeat it.
  EXPECT_EQ(html.find("label=\"Residenza: Residenza di Lecce"), std::string::npos);
  EXPECT_NE(html.find("label=\"Residenza di Lecce"), std::string::npos);

  auto north = client_->Get("/programma?hub=nord");
  ASSERT_TRUE(north);
  EXPECT_EQ(north->body.find("id=\"attivita-residenza-lecce\""), std::string::npos) << "no date in the north";
  EXPECT_NE(north->body.find("data-hub=\"Hub Nord\""), std::string::npos);

  auto unknown = client_->Get("/programma?hub=%3Cscript%3E");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 200);
  EXPECT_NE(unknown->body.find("data-hub=\"Hub Nord\""), std::string::npos);
  EXPECT_NE(unknown->body.find("data-hub=\"Hub Sud\""), std::string::npos);
  EXPECT_EQ(unknown->body.find("<script>"), std::string::npos);
}

// GDPR art. 13: the notice names the data controller and its contact from
// the operator's configuration.
TEST_F(HttpTest, ThePrivacyNoticeNamesTheControllerFromTheConfiguration) {
  start();
  auto page = client_->Get("/privacy");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("APS Reti solidali"), std::string::npos);
  EXPECT_NE(page->body.find("privacy@example.org"), std::string::npos);
  EXPECT_NE(page->body.find("Versione 2026-12"), std::string::npos);
  // How long the text of a sent message is kept (BP_MAIL_TEXT_DAYS).
  EXPECT_NE(page->body.find("lo cancelliamo 30 giorni dopo l'invio"), std::string::npos);
  // Registrations taken by the staff and their notes are in the notice.
  EXPECT_NE(page->body.find("Se ti iscrivi per telefono o allo sportello"), std::string::npos);
  EXPECT_NE(page->body.find("si cancellano con gli altri"), std::string::npos);
  // The rights say whom to write to, not an address «in the confirmation»
  // that no message carries.
  EXPECT_NE(page->body.find("revocare il consenso, scrivendo a <strong>privacy@example.org</strong>."),
            std::string::npos);
  EXPECT_EQ(page->body.find("indicato nella conferma"), std::string::npos);
}

}  // namespace
}  // namespace bp::registration
