// Issue 18, items 3 and 7 over HTTP: a registration holds its seat until the
// person opens the link sent by e-mail and presses the button; holds lapse
// and pass to the people waiting; the staff confirm by hand; the personal
// links can be asked for again.
#include <gtest/gtest.h>

#include <ctime>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "fixture.h"

namespace bp::registration {
namespace {

using nlohmann::json;
using test::TempDir;
using test::TestServer;

const std::string kToken = "token-di-prova-per-lo-staff-0123456789";

json person(const std::string& edition, const std::string& email) {
  return {{"edition", edition}, {"first_name", "Giulia"}, {"last_name", "Ferrero"},
          {"email", email},     {"role", "volontario"},   {"region", "piemonte"},
          {"age_band", "18-35"}, {"consent", true}};
}

std::string token_of(const std::string& url) { return url.substr(url.find("token=") + 6); }

class ConfirmationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.data_dir = dir_.path() / "var";
    options_.content_root = test::make_content(dir_.path());
    options_.admin_token = kToken;
    options_.rate_limit_per_minute = 0;
    options_.public_base_url = "http://localhost:8080";
  }
  void start() {
    server_.reset();
    server_ = std::make_unique<TestServer>(options_);
    ASSERT_TRUE(server_->ok()) << server_->error();
    client_ = server_->client();
  }
  httplib::Result post(const std::string& path, const json& body) {
    return client_->Post(path.c_str(), body.dump(), "application/json");
  }
  json register_person(const std::string& edition, const std::string& email) {
    auto res = post("/api/registrations", person(edition, email));
    EXPECT_TRUE(res);
    if (!res) return {};
    EXPECT_EQ(res->status, 201) << res->body;
    return json::parse(res->body);
  }
  httplib::Headers admin() const { return {{"Authorization", "Bearer " + kToken}}; }
  json outbox() { return json::parse(client_->Get("/api/admin/outbox", admin())->body)["messages"]; }
  // The confirmation path ("/iscrizione/<code>/conferma?token=...") in the
  // newest message to `email`, "" when none.
  std::string confirm_link(const std::string& email) {
    static const std::regex link("http://localhost:8080(/iscrizione/[a-z0-9]+/conferma\\?token=[a-z0-9]+)");
    for (const auto& m : outbox()) {
      if (m["to"] != email) continue;
      std::smatch match;
      const std::string body = m["body"];
      if (std::regex_search(body, match, link)) return match[1];
    }
    return "";
  }
  json status_of(const json& answer) {
    auto res = client_->Get(("/api/registrations/" + answer["code"].get<std::string>() + "?token=" +
                             token_of(answer["cancel_url"])).c_str());
    return json::parse(res->body);
  }

  TempDir dir_;
  Options options_;
  std::unique_ptr<TestServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(ConfirmationTest, ASeatIsHeldUntilThePersonConfirmsFromTheLinkAndAGetNeverConfirms) {
  start();
  const json a = register_person("small", "giulia@example.org");
  EXPECT_EQ(a["status"], "pending");
  EXPECT_FALSE(a["hold_expires_at"].get<std::string>().empty());
  EXPECT_NE(a["message"].get<std::string>().find("Controlla la tua casella di posta"), std::string::npos);
  const json box = outbox();
  ASSERT_EQ(box.size(), 1u);
  EXPECT_NE(box[0]["subject"].get<std::string>().find("Conferma la tua iscrizione"), std::string::npos);
  const std::string link = confirm_link("giulia@example.org");
  ASSERT_FALSE(link.empty()) << box[0]["body"];
  // The link does not hold the personal token the client was given.
  EXPECT_EQ(link.find(token_of(a["cancel_url"])), std::string::npos);

  // A mail scanner opens the link: a page with a button, nothing confirmed.
  for (int i = 0; i < 2; ++i) {
    auto page = client_->Get(link.c_str());
    ASSERT_EQ(page->status, 200);
    EXPECT_NE(page->body.find("<button type=\"submit\" class=\"button\">Conferma l'iscrizione</button>"),
              std::string::npos);
    EXPECT_EQ(page->get_header_value("Referrer-Policy"), "no-referrer");
  }
  EXPECT_EQ(status_of(a)["status"], "pending");
  auto personal = client_->Get(("/iscrizione/" + a["code"].get<std::string>() + "?token=" +
                                token_of(a["cancel_url"])).c_str());
  EXPECT_NE(personal->body.find("non è ancora confermata"), std::string::npos);

  // The person presses the button.
  const std::string code = a["code"];
  auto done = client_->Post(("/iscrizione/" + code + "/conferma").c_str(), "token=" + token_of(link),
                            "application/x-www-form-urlencoded");
  ASSERT_EQ(done->status, 200) << done->body;
  EXPECT_NE(done->body.find("Iscrizione confermata"), std::string::npos);
  EXPECT_EQ(status_of(a)["status"], "confirmed");
  auto again = client_->Get(link.c_str());
  EXPECT_NE(again->body.find("già confermata"), std::string::npos);
  // The page after the button, reloaded or restored by the phone (its
  // address has no token): what to do, not «link non valido».
  auto reloaded = client_->Get(("/iscrizione/" + code + "/conferma").c_str());
  ASSERT_EQ(reloaded->status, 200);
  EXPECT_NE(reloaded->body.find("Se hai appena confermato, la tua iscrizione è a posto"), std::string::npos)
      << reloaded->body;
  EXPECT_EQ(reloaded->body.find("non valido"), std::string::npos);
  EXPECT_NE(outbox()[0]["subject"].get<std::string>().find("Iscrizione confermata"), std::string::npos);
}

// A tutoring request has no seat to pass on: unconfirmed, it lapses, and
// the answer and the personal page say so.
TEST_F(ConfirmationTest, AnUnconfirmedTutoringRequestIsSaidToLapseNotToPassItsSeat) {
  start();
  json p = person("", "tutor@example.org");
  p.erase("edition");
  p["topic"] = "gruppi-di-acquisto-solidale";
  p["needs"] = "Un GAS nel quartiere.";
  auto res = post("/api/registrations", p);
  ASSERT_EQ(res->status, 201) << res->body;
  const json a = json::parse(res->body);
  ASSERT_EQ(a["status"], "pending");
  const std::string message = a["message"];
  EXPECT_NE(message.find("la richiesta decade"), std::string::npos) << message;
  EXPECT_EQ(message.find("posto"), std::string::npos) << message;
  auto personal =
      client_->Get(("/iscrizione/" + a["code"].get<std::string>() + "?token=" + token_of(a["cancel_url"])).c_str());
  EXPECT_NE(personal->body.find("Senza conferma la richiesta decade"), std::string::npos);
  EXPECT_EQ(personal->body.find("il posto passa"), std::string::npos);
  // So does the e-mail with the confirmation link.
  const json box = outbox();
  ASSERT_EQ(box.size(), 1u);
  const std::string body = box[0]["body"];
  // "entro il 9 dicembre", "entro l'8 dicembre": the article is the date's.
  EXPECT_NE(body.find("abbiamo ricevuto la tua richiesta di tutoraggio. Vale solo se la confermi entro "),
            std::string::npos)
      << body;
  EXPECT_EQ(body.find("posto"), std::string::npos) << body;
  // Its meetings are online or in person, as agreed with the tutor: never
  // "you will receive the link to connect".
  EXPECT_NE(body.find("Dove: online o in presenza, come lo concorderai con la tutor o il tutor"), std::string::npos)
      << body;
  EXPECT_EQ(body.find("link di collegamento"), std::string::npos) << body;
  // The topic by its name, as the form offered it.
  EXPECT_NE(body.find("Argomento: Gruppi di acquisto solidale\n"), std::string::npos) << body;
  EXPECT_NE(personal->body.find("<dt>Dove</dt><dd>online o in presenza</dd>"), std::string::npos);
  // The page shows what was asked: the topic by its name, and the needs.
  EXPECT_NE(personal->body.find("<dt>Argomento</dt><dd>Gruppi di acquisto solidale</dd>"), std::string::npos);
  EXPECT_NE(personal->body.find("<dd class=\"needs\">Un GAS nel quartiere.</dd>"), std::string::npos);
  // A module's registration still says its seat goes on.
  const json m = register_person("small", "giulia@example.org");
  EXPECT_NE(m["message"].get<std::string>().find("il posto passa alla persona successiva"), std::string::npos);
}

// «Cambia edizione» with holds on: a held seat moves and stays to be
// confirmed from the e-mail; a place on a waiting list does not move by
// itself (a move finding a seat would confirm an address never checked).
TEST_F(ConfirmationTest, AMoveNeverConfirmsAnAddressNobodyChecked) {
  start();
  const json held = register_person("small", "a@x.it");
  register_person("small", "b@x.it");
  const json waiting = register_person("small", "w@x.it");
  ASSERT_EQ(waiting["status"], "waitlisted");
  auto move = [&](const json& r, const std::string& to) {
    return post("/api/registrations/" + r["code"].get<std::string>() + "/move",
                {{"token", token_of(r["cancel_url"])}, {"edition", to}});
  };
  auto page_of = [&](const json& r) {
    return client_->Get(("/iscrizione/" + r["code"].get<std::string>() + "?token=" + token_of(r["cancel_url"])).c_str())
        ->body;
  };
  EXPECT_EQ(page_of(waiting).find("id=\"change-link\""), std::string::npos);
  EXPECT_EQ(move(waiting, "thirty")->status, 409);
  EXPECT_EQ(status_of(waiting)["status"], "waitlisted");
  EXPECT_NE(page_of(held).find("id=\"change-link\""), std::string::npos);
  auto moved = move(held, "thirty");
  ASSERT_EQ(moved->status, 200) << moved->body;
  EXPECT_EQ(json::parse(moved->body)["status"], "pending");
  EXPECT_EQ(status_of(held)["edition"], "thirty");
}

TEST_F(ConfirmationTest, OnlyTheTokenSentByMailConfirms) {
  start();
  const json a = register_person("small", "a@example.org");
  const std::string code = a["code"];
  // The personal token is in the answer to whoever registered: not enough.
  auto with_personal = post("/api/registrations/" + code + "/confirm", {{"token", token_of(a["cancel_url"])}});
  EXPECT_EQ(with_personal->status, 404);
  EXPECT_EQ(post("/api/registrations/" + code + "/confirm", {{"token", "sbagliato"}})->status, 404);
  EXPECT_EQ(client_->Get(("/iscrizione/" + code + "/conferma?token=sbagliato").c_str())->status, 404);
  EXPECT_EQ(status_of(a)["status"], "pending");
  auto ok = post("/api/registrations/" + code + "/confirm", {{"token", token_of(confirm_link("a@example.org"))}});
  ASSERT_EQ(ok->status, 200) << ok->body;
  EXPECT_EQ(json::parse(ok->body)["status"], "confirmed");
}

TEST_F(ConfirmationTest, AnUnconfirmedHoldExpiresAndTheNextPersonWaitingIsToldToConfirm) {
  // Holds end on a whole second of the wall clock (the worker compares real
  // time), so a hold of kHold seconds lasts at least kHold - 1: registering
  // three people and confirming the first must fit in it even on a loaded
  // machine (with a 1-second hold, any tick of the second in between made c
  // get a seat or a's confirmation come too late).
  constexpr int kHold = 5;
  options_.hold_seconds = kHold;
  options_.worker_poll_seconds = 1;
  start();
  const auto registered = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                                 registered).count()) +
           " ms after the first registration (holds last at least " + std::to_string(kHold - 1) + " s)";
  };
  const json a = register_person("small", "a@example.org");
  const json b = register_person("small", "b@example.org");
  const json c = register_person("small", "c@example.org");
  ASSERT_EQ(c["status"], "waitlisted") << elapsed();
  ASSERT_EQ(post("/api/registrations/" + a["code"].get<std::string>() + "/confirm",
                 {{"token", token_of(confirm_link("a@example.org"))}})->status, 200)
      << elapsed();
  // Nobody touches b's registration: the background worker expires it (in
  // kHold seconds, plus a round of the worker; bounded far beyond that).
  json box;
  const auto deadline = registered + std::chrono::seconds(kHold + 20);
  while (confirm_link("c@example.org").empty() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  box = outbox();
  ASSERT_FALSE(confirm_link("c@example.org").empty()) << elapsed() << "\n" << box.dump(1);
  // Read again: the expiry may have landed between the read in the loop and
  // the check that ended it (seen under load).
  box = outbox();
  bool told_b = false, told_c = false;
  for (const auto& m : box) {
    told_b = told_b || (m["to"] == "b@example.org" && m["subject"].get<std::string>().find("Posto non confermato") == 0);
    told_c = told_c || (m["to"] == "c@example.org" && m["subject"].get<std::string>().find("Si è liberato un posto") == 0);
  }
  EXPECT_TRUE(told_b);
  EXPECT_TRUE(told_c);
  // Both the message and the link opened late lead back to the same
  // edition's form, not to a dead end.
  for (const auto& m : box) {
    if (m["to"] != "b@example.org" || m["subject"].get<std::string>().find("Posto non confermato") != 0) continue;
    EXPECT_NE(m["body"].get<std::string>().find("http://localhost:8080/programma?edizione=small"), std::string::npos)
        << m["body"];
  }
  auto late = client_->Get(confirm_link("b@example.org").c_str());
  EXPECT_EQ(late->status, 409);
  EXPECT_NE(late->body.find("href=\"/programma?edizione=small#iscrizione\""), std::string::npos) << late->body;
  EXPECT_EQ(status_of(b)["status"], "expired");
  EXPECT_EQ(status_of(a)["status"], "confirmed");
  auto page = client_->Get(("/iscrizione/" + b["code"].get<std::string>() + "?token=" + token_of(b["cancel_url"])).c_str());
  EXPECT_NE(page->body.find("non è stata confermata in tempo"), std::string::npos);
  const json s = json::parse(client_->Get("/api/admin/stats", admin())->body)["editions"]["small"];
  EXPECT_EQ(s["confirmed"].get<int>() + s["pending"].get<int>() + s["expired"].get<int>(), 3) << s;
  EXPECT_EQ(s["seats_taken"], s["confirmed"].get<int>() + s["pending"].get<int>());
}

// The confirmation link opened after the hold lapsed: while the edition
// has a free seat, «Conferma comunque» takes it again; once the seats went
// to others, the page says so and leads to the form (the waiting list).
TEST_F(ConfirmationTest, ALinkOpenedLateStillConfirmsWhileASeatIsFree) {
  constexpr int kHold = 3;
  options_.hold_seconds = kHold;
  options_.worker_poll_seconds = 1;
  start();
  const json a = register_person("small", "a@example.org");
  const json b = register_person("small", "b@example.org");
  const std::string link_a = confirm_link("a@example.org"), link_b = confirm_link("b@example.org");
  ASSERT_FALSE(link_a.empty());
  ASSERT_FALSE(link_b.empty());
  // Both holds lapse (read lazily: a look-up expires them).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(kHold + 20);
  while ((status_of(a)["status"] != "expired" || status_of(b)["status"] != "expired") &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_EQ(status_of(b)["status"], "expired");

  auto late = client_->Get(link_a.c_str());
  ASSERT_EQ(late->status, 200) << late->body;
  EXPECT_NE(late->body.find("Il tempo per confermare è scaduto"), std::string::npos) << late->body;
  EXPECT_NE(late->body.find("<button type=\"submit\" class=\"button\">Conferma comunque</button>"), std::string::npos);
  EXPECT_EQ(status_of(a)["status"], "expired") << "opening the link confirms nothing";
  auto done = client_->Post(("/iscrizione/" + a["code"].get<std::string>() + "/conferma").c_str(),
                            "token=" + token_of(link_a), "application/x-www-form-urlencoded");
  ASSERT_EQ(done->status, 200) << done->body;
  EXPECT_NE(done->body.find("Iscrizione confermata"), std::string::npos);
  EXPECT_EQ(status_of(a)["status"], "confirmed");

  // The last seat goes to c, who confirms in time: b's link is now too late.
  const json c = register_person("small", "c@example.org");
  ASSERT_EQ(c["status"], "pending");
  ASSERT_EQ(post("/api/registrations/" + c["code"].get<std::string>() + "/confirm",
                 {{"token", token_of(confirm_link("c@example.org"))}})
                ->status,
            200);
  auto full = client_->Get(link_b.c_str());
  EXPECT_EQ(full->status, 409);
  EXPECT_NE(full->body.find("nel frattempo i posti sono finiti"), std::string::npos) << full->body;
  EXPECT_NE(full->body.find("href=\"/programma?edizione=small#iscrizione\""), std::string::npos);
  auto refused = client_->Post(("/iscrizione/" + b["code"].get<std::string>() + "/conferma").c_str(),
                               "token=" + token_of(link_b), "application/x-www-form-urlencoded");
  EXPECT_EQ(refused->status, 409);
  EXPECT_EQ(status_of(b)["status"], "expired");
  // b registered again (waiting now): the old link says the new one counts
  // and leads to its links, not to a form that would say «già iscritto».
  const json b2 = register_person("small", "b@example.org");
  ASSERT_EQ(b2["status"], "waitlisted");
  auto again = client_->Get(link_b.c_str());
  EXPECT_EQ(again->status, 409);
  EXPECT_NE(again->body.find("vale la nuova iscrizione"), std::string::npos) << again->body;
  EXPECT_NE(again->body.find("href=\"/iscrizione/nuovo-link\""), std::string::npos) << again->body;
  EXPECT_EQ(again->body.find("Conferma comunque"), std::string::npos);
  // A wrong token on a lapsed hold is just a wrong link.
  EXPECT_EQ(client_->Get(("/iscrizione/" + a["code"].get<std::string>() + "/conferma?token=sbagliato").c_str())->status,
            404);
  const json s = json::parse(client_->Get("/api/admin/stats", admin())->body)["editions"]["small"];
  EXPECT_EQ(s["confirmed"], 2) << s;
  EXPECT_EQ(s["expired"], 1) << s;
  EXPECT_EQ(s["waitlisted"], 1) << s;
  EXPECT_EQ(s["seats_taken"], 2) << s;
}

TEST_F(ConfirmationTest, TheStaffConfirmAPhoneRegistrationByHand) {
  start();
  const json a = register_person("small", "telefono@example.org");
  const std::string path = "/api/admin/registrations/" + a["code"].get<std::string>() + "/confirm";
  EXPECT_EQ(client_->Post(path.c_str(), "", "application/json")->status, 401);
  auto res = client_->Post(path.c_str(), admin(), "", "application/json");
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(json::parse(res->body)["status"], "confirmed");
  EXPECT_EQ(status_of(a)["status"], "confirmed");
}

TEST_F(ConfirmationTest, OneAddressCannotHoldSeatsAcrossTheWholeCatalogue) {
  // The test catalogue has two activities with dates: a cap of one shows
  // the cap (a second edition of one activity is refused as a duplicate).
  options_.max_pending_per_address = 1;
  start();
  register_person("m03-nord", "bot@example.org");
  auto second = post("/api/registrations", person("residenza-lecce-2099", "bot@example.org"));
  ASSERT_EQ(second->status, 409);
  EXPECT_NE(json::parse(second->body)["message"].get<std::string>().find("in attesa di conferma"), std::string::npos);
  // Another hub's edition of the same module: one place per activity.
  auto sibling = post("/api/registrations", person("small", "bot@example.org"));
  ASSERT_EQ(sibling->status, 409);
  EXPECT_NE(json::parse(sibling->body)["message"].get<std::string>().find("un'altra edizione di questa attività"),
            std::string::npos);
}

// A person waiting is told they will have a day to confirm a freed seat
// (BP_OFFER_HOURS), gets that day when one frees, and the subject says the
// day, not only the hour; the programme says it before anyone registers.
TEST_F(ConfirmationTest, APersonWaitingHasADayToConfirmAFreedSeat) {
  ::setenv("BP_OFFER_HOURS", "24", 1);
  const Status env = apply_environment(&options_);
  ::unsetenv("BP_OFFER_HOURS");
  ASSERT_TRUE(env.is_ok()) << env.message();
  start();
  const json a = register_person("small", "a@example.org");
  register_person("small", "b@example.org");
  const json c = register_person("small", "c@example.org");
  ASSERT_EQ(c["status"], "waitlisted");
  const std::string waiting = outbox()[0]["body"];
  EXPECT_NE(waiting.find("da quel momento avrai 24 ore per confermarlo"), std::string::npos) << waiting;
  const auto before = std::chrono::system_clock::now();
  ASSERT_EQ(
      post("/api/registrations/" + a["code"].get<std::string>() + "/cancel", {{"token", token_of(a["cancel_url"])}})
          ->status,
      200);
  const json told = outbox()[0];
  ASSERT_EQ(told["to"], "c@example.org");
  const std::string subject = told["subject"];
  EXPECT_EQ(subject.rfind("Si è liberato un posto: confermalo entro ", 0), 0u) << subject;
  EXPECT_NE(subject.find(", ore "), std::string::npos) << subject;  // a date and its hour
  const json promoted = status_of(c);
  ASSERT_EQ(promoted["status"], "pending") << promoted;
  const std::int64_t start = std::chrono::duration_cast<std::chrono::seconds>(before.time_since_epoch()).count();
  std::tm until{};
  std::istringstream(promoted["hold_expires_at"].get<std::string>()) >> std::get_time(&until, "%Y-%m-%dT%H:%M:%S");
  const std::int64_t held = static_cast<std::int64_t>(timegm(&until)) - start;
  EXPECT_GE(held, 24 * 3600 - 5) << promoted;  // a day, not the half hour of a new registration
  EXPECT_LE(held, 24 * 3600 + 5) << promoted;
  auto page = client_->Get("/programma");
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("avrai 24 ore per confermarlo"), std::string::npos);
  ::setenv("BP_OFFER_HOURS", "0", 1);
  const Status zero = apply_environment(&options_);
  ::unsetenv("BP_OFFER_HOURS");
  EXPECT_EQ(zero.code(), Code::kInvalidArgument);
  EXPECT_NE(zero.message().find("BP_OFFER_HOURS deve essere almeno 1"), std::string::npos) << zero.message();
}

TEST_F(ConfirmationTest, ConfirmationOffMeansConfirmedAtOnce) {
  ::setenv("BP_CONFIRM_EMAIL", "0", 1);
  const Status s = apply_environment(&options_);
  ::unsetenv("BP_CONFIRM_EMAIL");
  ASSERT_TRUE(s.is_ok());
  EXPECT_FALSE(options_.confirm_email);
  start();
  EXPECT_EQ(register_person("small", "a@example.org")["status"], "confirmed");
  EXPECT_TRUE(confirm_link("a@example.org").empty());
}

TEST_F(ConfirmationTest, WithoutAMailCommandTheConfirmationLinkIsPrintedOnStderr) {
  start();
  ::testing::internal::CaptureStderr();
  const json a = register_person("small", "a@example.org");
  const std::string printed = ::testing::internal::GetCapturedStderr();
  const std::string link = confirm_link("a@example.org");
  ASSERT_FALSE(link.empty());
  EXPECT_NE(printed.find("http://localhost:8080" + link), std::string::npos) << printed;
  EXPECT_EQ(printed.find("a@example.org"), std::string::npos) << "the address is not logged";
}

TEST_F(ConfirmationTest, ALostLinkIsSentAgainWithTheSameAnswerWhateverTheAddress) {
  start();
  const json a = register_person("small", "a@example.org");
  const auto before = outbox().size();
  auto known = post("/api/registrations/resend", {{"email", "A@example.org"}});
  auto unknown = post("/api/registrations/resend", {{"email", "nessuno@example.org"}});
  ASSERT_EQ(known->status, 202);
  EXPECT_EQ(unknown->status, known->status);
  EXPECT_EQ(unknown->body, known->body);
  const json box = outbox();
  ASSERT_EQ(box.size(), before + 1);
  EXPECT_EQ(box[0]["to"], "a@example.org");
  EXPECT_NE(box[0]["subject"].get<std::string>().find("I tuoi link personali"), std::string::npos);
  // The new personal link works, the old one no longer does.
  static const std::regex manage("http://localhost:8080/iscrizione/[a-z0-9]+\\?token=([a-z0-9]+)");
  std::smatch m;
  const std::string body = box[0]["body"];
  ASSERT_TRUE(std::regex_search(body, m, manage)) << body;
  const std::string code = a["code"];
  EXPECT_EQ(client_->Get(("/api/registrations/" + code + "?token=" + m[1].str()).c_str())->status, 200);
  EXPECT_EQ(client_->Get(("/api/registrations/" + code + "?token=" + token_of(a["cancel_url"])).c_str())->status, 404);
  // Without JavaScript: the form page and its answer.
  auto page = client_->Get("/iscrizione/nuovo-link");
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("action=\"/api/registrations/resend\""), std::string::npos);
  auto form = client_->Post("/api/registrations/resend", "email=nessuno%40example.org", "application/x-www-form-urlencoded");
  EXPECT_EQ(form->status, 200);
  EXPECT_NE(form->body.find("Controlla la posta"), std::string::npos);
  // An address gets at most three such messages an hour, the answer stays the same.
  for (int i = 0; i < 4; ++i) EXPECT_EQ(post("/api/registrations/resend", {{"email", "a@example.org"}})->body, known->body);
  EXPECT_EQ(outbox().size(), before + 3);
  // The same address with spaces around it or in capitals is the same
  // address: no more messages (each would also have changed the links).
  for (const char* same : {" a@example.org", "a@example.org  ", "\tA@EXAMPLE.org"})
    EXPECT_EQ(post("/api/registrations/resend", {{"email", same}})->body, known->body) << same;
  EXPECT_EQ(outbox().size(), before + 3);
  EXPECT_EQ(post("/api/registrations/resend", {{"email", ".a@example.org"}})->status, 400);
  // From the form, a wrong address brings the form back with the reason
  // beside the field and the address as typed.
  form = client_->Post("/api/registrations/resend", "email=anna%40gmail", "application/x-www-form-urlencoded");
  EXPECT_EQ(form->status, 400);
  EXPECT_NE(form->body.find("action=\"/api/registrations/resend\""), std::string::npos) << form->body;
  EXPECT_NE(form->body.find("value=\"anna@gmail\""), std::string::npos) << form->body;
  EXPECT_NE(form->body.find("id=\"resend-email-error\""), std::string::npos) << form->body;
}

}  // namespace
}  // namespace bp::registration
