// The back office's screens against the real server (issue 10, item 4):
// what a staff member does and sees, and what the store and the audit log
// hold afterwards.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <ctime>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <thread>

#include "bp/civil_time.h"
#include "personal_data_view.h"
#include "report.h"
#include "staff_fixture.h"
#include "store_engines.h"

namespace bp::registration {
namespace {

using nlohmann::json;
using test::StaffServer;
using test::TempDir;

class StaffPagesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // The desk's clock: the system's until a test moves it past meetings.
    StoreTestHooks hooks;
    hooks.desk_clock = [this] {
      const std::int64_t t = desk_now_.load();
      return t ? t : static_cast<std::int64_t>(std::time(nullptr));
    };
    s_ = std::make_unique<StaffServer>(dir_.path(), std::move(hooks));
    ASSERT_TRUE(s_->server->ok()) << s_->server->error();
    s_->add("admin@example.org", Role::kAdmin);
    s_->add("staff@example.org", Role::kStaff);
    admin_ = s_->login("admin@example.org");
    staff_ = s_->login("staff@example.org");
    ASSERT_FALSE(admin_.csrf.empty());
  }
  std::string reg(const std::string& edition, const std::string& email, const std::string& first = "Giulia",
                  const std::string& extra_topic = "") {
    json p = {{"edition", edition}, {"first_name", first}, {"last_name", "Ferrero"}, {"email", email},
              {"organisation", "APS Filo Verde"}, {"role", "volontario"}, {"region", "umbria"},
              {"age_band", "over-35"}, {"consent", true}};
    if (!extra_topic.empty()) p["topic"] = extra_topic, p["needs"] = "avviare un GAS nel quartiere";
    auto res = s_->client->Post("/api/registrations", p.dump(), "application/json");
    EXPECT_TRUE(res);
    EXPECT_EQ(res->status, 201) << res->body;
    return json::parse(res->body)["code"];
  }
  // A registration kept from before one place per activity (schema 14): the
  // same person in another edition of a module, as the desk stored it then
  // (the store checks only the editions the desk names).
  std::string legacy_reg(const std::string& edition, const std::string& email, const std::string& first) {
    static int n = 0;
    std::string code = "legacy" + std::string(20, 'a');  // 26 base32 letters, as the desk's codes
    code.back() = static_cast<char>('a' + n++ % 26);
    NewRegistration in = test::sample_person(code, edition, email);
    in.person.first_name = first;
    in.person.organisation = "APS Filo Verde";
    in.person.region = "umbria";
    in.person.age_band = "over-35";
    in.person.confirm_hash.clear();
    in.taken_by_staff = true;  // confirmed at once, as without confirmation e-mails
    auto r = s_->ctx().store->register_person(in);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return code;
  }
  // The attendance form as the edition page sends it (multipart): the
  // rows listed (r_<code>) and the boxes ticked (code, meeting from 0).
  httplib::Result attendance(const std::vector<std::string>& rows,
                             const std::vector<std::pair<std::string, int>>& ticked, bool everyone = false,
                             const std::string& edition = "small") {
    std::map<std::string, std::string> fields = {{"csrf", staff_.csrf}};
    for (const auto& code : rows) fields["r_" + code] = "1";
    for (const auto& [code, meeting] : ticked) fields["p_" + code + "_" + std::to_string(meeting)] = "1";
    if (everyone) fields["tutti"] = "1";
    return s_->post_multipart("/staff/edizioni/" + edition + "/presenze", fields, staff_.cookie);
  }
  json stats(const std::string& query = "") {
    auto res = s_->client->Get(("/api/admin/stats" + query).c_str(),
                               {{"Authorization", std::string("Bearer ") + test::kLegacyToken}});
    EXPECT_EQ(res->status, 200) << res->body;
    return json::parse(res->body);
  }
  // «Manda» after a preview of «Scrivi» (`preview_body`): its key into
  // `fields`, then the form sent.
  httplib::Result send_previewed(const std::string& preview_body, std::map<std::string, std::string>* fields) {
    std::smatch key;
    EXPECT_TRUE(std::regex_search(preview_body, key, std::regex("name=\"chiave\" value=\"([a-z2-7]+-[0-9a-f]{16})\"")));
    (*fields)["chiave"] = key.empty() ? std::string() : key[1].str();
    (*fields)["azione"] = "invia";
    return s_->post_multipart("/staff/edizioni/small/scrivi", *fields, staff_.cookie);
  }
  // The outbox's messages whose subject starts with `subject`: recipient -> body.
  std::map<std::string, std::string> copies_of(const std::string& subject) {
    std::map<std::string, std::string> out;
    const auto box = s_->ctx().store->outbox(false, 100);
    for (const auto& m : *box)
      if (m.subject.rfind(subject, 0) == 0) out[m.recipient] = m.body;
    return out;
  }
  // A proposal `code` from Dario Neri, straight into the store.
  void propose(const std::string& code) {
    StoredProposal p;
    p.code = code;
    p.token_hash = std::string(32, 'h');
    p.proposer_name = "Dario Neri";
    p.proposer_email = "dario.fine@example.org";
    p.consent_at = "2026-11-30T10:00:00Z";
    p.privacy_version = "2026-11";
    OutboxMessage m;
    m.subject = "Abbiamo ricevuto la tua proposta";
    m.body = "Ciao Dario Neri, codice " + code;
    const ProposalContent c{"{}", "---\ntitle: " + code + "\n---\n", "Riparare " + code, "nord", true, "", "", ""};
    ASSERT_TRUE(s_->ctx().store->proposals().create(p, c, m, {}, nullptr).ok());
  }
  std::string audit_text() {
    const auto rows = s_->accounts().audit({});
    std::string out;
    for (const auto& e : *rows) out += e.actor + "|" + e.action + "|" + e.target + "|" + e.details + "\n";
    return out;
  }

  TempDir dir_;
  std::unique_ptr<StaffServer> s_;
  test::Login admin_, staff_;
  std::atomic<std::int64_t> desk_now_{0};
};

// 2100-01-01: every meeting of the test programme has taken place.
constexpr std::int64_t kAfterEveryMeeting = 4102444800;

// How many times `needle` is in `text`.
int occurrences(const std::string& text, const std::string& needle) {
  int n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++n;
  return n;
}

// A venue in doubt: the secretary pauses the edition's registrations from
// its page, without waiting for the editors' catalogue. The site says they
// are paused and takes nobody; the staff still register someone; reopened,
// the site takes people again. Logged; an editor cannot.
TEST_F(StaffPagesTest, TheStaffPauseAndReopenAnEditionsRegistrationsFromItsPage) {
  const int closed_before = occurrences(s_->client->Get("/programma")->body, "Iscrizioni chiuse");
  auto page = s_->get("/staff/edizioni/small", staff_.cookie);
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("Iscrizioni dal sito aperte."), std::string::npos) << page->body;
  EXPECT_NE(page->body.find("name=\"azione\" value=\"sospendi\""), std::string::npos);

  auto paused = s_->post_form("/staff/edizioni/small/sospensione", {{"csrf", staff_.csrf}, {"azione", "sospendi"}},
                              staff_.cookie);
  ASSERT_EQ(paused->status, 303) << paused->body;
  EXPECT_EQ(paused->get_header_value("Location"), "/staff/edizioni/small?iscrizioni=sospese");
  page = s_->get("/staff/edizioni/small?iscrizioni=sospese", staff_.cookie);
  EXPECT_NE(page->body.find("Iscrizioni dal sito sospese: il programma lo dice"), std::string::npos) << page->body;
  EXPECT_NE(page->body.find("(staff@example.org)"), std::string::npos);
  EXPECT_NE(page->body.find("name=\"azione\" value=\"riapri\""), std::string::npos);
  EXPECT_EQ(page->body.find("name=\"azione\" value=\"sospendi\""), std::string::npos);

  // The site: said on the programme, refused at registration.
  const json programme = json::parse(s_->client->Get("/api/programme")->body);
  bool said = false;
  for (const auto& a : programme["activities"])
    for (const auto& e : a["editions"])
      if (e["id"] == "small")
        said = !e["open"].get<bool>() && e["paused"].get<bool>() && e["closed_reason"] == kRegistrationsPaused;
  EXPECT_TRUE(said) << programme.dump();
  const std::string site_page = s_->client->Get("/programma")->body;
  // Once, and not also «chiuse» (as many as before the pause): it will reopen.
  const auto said_at = site_page.find("Iscrizioni sospese per ora");
  EXPECT_NE(said_at, std::string::npos);
  EXPECT_EQ(site_page.find("Iscrizioni sospese per ora", said_at + 1), std::string::npos) << site_page;
  EXPECT_EQ(occurrences(site_page, "Iscrizioni chiuse"), closed_before) << site_page;
  // The form's choice of edition: there, not to be chosen, and why.
  EXPECT_NE(site_page.find("– iscrizioni sospese</option>"), std::string::npos) << site_page;
  // The dashboard lists it, not to be forgotten.
  const std::string dashboard = s_->get("/staff/", staff_.cookie)->body;
  EXPECT_NE(dashboard.find("<h3>Iscrizioni dal sito sospese</h3>"), std::string::npos) << dashboard;
  EXPECT_NE(dashboard.find("(small)</a>: dal "), std::string::npos) << dashboard;
  json p = {{"edition", "small"},       {"first_name", "Giulia"}, {"last_name", "Ferrero"},
            {"email", "g@example.org"}, {"organisation", "APS"},  {"role", "volontario"},
            {"region", "umbria"},       {"age_band", "over-35"},  {"consent", true}};
  auto refused = s_->client->Post("/api/registrations", p.dump(), "application/json");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400) << refused->body;
  EXPECT_EQ(json::parse(refused->body)["fields"]["edition"], kRegistrationsPaused) << refused->body;
  // The site's form without JavaScript: listed as the edition's error, as
  // a closed edition is, the typed data a «Back» away (not "check your
  // e-mail", which a conflict with the address's registrations says).
  auto form = s_->client->Post("/api/registrations",
                               "edition=small&first_name=Giulia&last_name=Ferrero&email=g%40example.org&organisation="
                               "APS&role=volontario&region=umbria&age_band=over-35&consent=true",
                               "application/x-www-form-urlencoded");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->status, 400) << form->body;
  EXPECT_NE(form->body.find("<strong>Edizione</strong>: le iscrizioni a questa edizione sono sospese per ora"),
            std::string::npos)
      << form->body;
  EXPECT_EQ(form->body.find("Controlla la tua e-mail"), std::string::npos);
  EXPECT_TRUE(s_->ctx().store->list("small")->empty());
  // The staff still register someone (a phone call), told why the site
  // does not.
  EXPECT_NE(s_->get("/staff/edizioni/small/iscrivi", staff_.cookie)
                ->body.find("Dal sito non ci si può più iscrivere (sono sospese dalla pagina dell&apos;edizione"),
            std::string::npos);
  auto taken = s_->post_form("/staff/edizioni/small/iscrivi",
                             {{"csrf", staff_.csrf},
                              {"first_name", "Anna"},
                              {"last_name", "Rossi"},
                              {"email", "anna@example.org"},
                              {"organisation", "Auser"},
                              {"role", "volontario"},
                              {"region", "umbria"},
                              {"age_band", "over-35"},
                              {"consent", "true"}},
                             staff_.cookie);
  EXPECT_EQ(taken->status, 303) << taken->body;

  // An editor cannot; an unknown action is refused.
  s_->add("redazione@example.org", Role::kEditor);
  const auto editor = s_->login("redazione@example.org");
  EXPECT_EQ(
      s_->post_form("/staff/edizioni/small/sospensione", {{"csrf", editor.csrf}, {"azione", "riapri"}}, editor.cookie)
          ->status,
      403);
  EXPECT_EQ(
      s_->post_form("/staff/edizioni/small/sospensione", {{"csrf", staff_.csrf}, {"azione", "chiudi"}}, staff_.cookie)
          ->status,
      400);

  // The admin API says and does the same (a bearer token, logged too).
  const httplib::Headers bearer = {{"Authorization", std::string("Bearer ") + test::kLegacyToken}};
  auto api = s_->client->Post("/api/admin/editions/small/pause", bearer, "", "application/json");
  ASSERT_TRUE(api);
  EXPECT_EQ(api->status, 200) << api->body;
  EXPECT_EQ(json::parse(api->body), json({{"edition", "small"}, {"paused", true}}));
  EXPECT_EQ(s_->client->Post("/api/admin/editions/nessuna/pause", bearer, "", "application/json")->status, 404);

  auto reopened =
      s_->post_form("/staff/edizioni/small/sospensione", {{"csrf", staff_.csrf}, {"azione", "riapri"}}, staff_.cookie);
  ASSERT_EQ(reopened->status, 303);
  EXPECT_NE(
      s_->get("/staff/edizioni/small?iscrizioni=riaperte", staff_.cookie)->body.find("Iscrizioni dal sito riaperte."),
      std::string::npos);
  reg("small", "g@example.org");
  EXPECT_EQ(s_->get("/staff/", staff_.cookie)->body.find("Iscrizioni dal sito sospese"), std::string::npos);
  api = s_->client->Post("/api/admin/editions/small/resume", bearer, "", "application/json");
  EXPECT_EQ(json::parse(api->body), json({{"edition", "small"}, {"paused", false}}));
  const std::string log = audit_text();
  EXPECT_NE(log.find("staff@example.org|pause|small|iscrizioni dal sito sospese"), std::string::npos) << log;
  EXPECT_NE(log.find("staff@example.org|resume|small|iscrizioni dal sito riaperte"), std::string::npos) << log;
}

TEST_F(StaffPagesTest, TheDashboardShowsTheStatsApiFiguresAgainstTheTargets) {
  reg("m03-nord", "a@example.org");
  reg("thirty", "b@example.org");
  auto page = s_->get("/staff/", staff_.cookie);
  ASSERT_EQ(page->status, 200);
  EXPECT_EQ(page->get_header_value("Cache-Control"), "no-store");
  const json st = stats();
  const int modules = st["kinds"]["modulo"]["confirmed"];
  EXPECT_EQ(modules, 2);
  EXPECT_NE(page->body.find("<strong data-figure=\"confirmed\">" + std::to_string(modules) + "</strong> su 120"),
            std::string::npos);
  EXPECT_NE(page->body.find("<svg class=\"bar\""), std::string::npos);
}

// Each hub's target is its share of the kind's seats: the test programme's
// only residency is in Lecce, so the south carries the whole target of 30
// and the other hubs show no residency row; its two tutoring editions (north
// and south, 10 seats each) split the target of 30 in half.
TEST_F(StaffPagesTest, EachHubsTargetIsItsShareOfTheKindsSeats) {
  auto page = s_->get("/staff/", staff_.cookie);
  ASSERT_EQ(page->status, 200);
  auto card = [&](const std::string& slug) {
    const std::size_t from = page->body.find("hub-card hub-" + slug);
    EXPECT_NE(from, std::string::npos) << slug;
    return page->body.substr(from, page->body.find("</div>", from) - from);
  };
  EXPECT_NE(card("sud").find("Residenze: 0 su 30\""), std::string::npos) << card("sud");
  EXPECT_EQ(card("nord").find("Residenze"), std::string::npos) << card("nord");
  EXPECT_EQ(card("centro").find("Residenze"), std::string::npos) << card("centro");
  EXPECT_NE(card("nord").find("Tutoraggio: 0 su 15\""), std::string::npos) << card("nord");
  EXPECT_NE(card("sud").find("Tutoraggio: 0 su 15\""), std::string::npos) << card("sud");
}

// Counts agree with their noun: "1 iscrizione", not "1 iscrizioni".
TEST_F(StaffPagesTest, TheEditionPageCountsInTheSingularAndThePlural) {
  reg("small", "a@example.org");
  auto page = s_->get("/staff/edizioni/small", staff_.cookie);
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("<p>1 iscrizione. "), std::string::npos);
  EXPECT_EQ(page->body.find("1 iscrizioni"), std::string::npos);
  reg("small", "b@example.org");
  page = s_->get("/staff/edizioni/small", staff_.cookie);
  EXPECT_NE(page->body.find("<p>2 iscrizioni. "), std::string::npos);
}

// The person's own page: once the course has begun, no «Annulla
// l'iscrizione…» but why, and the cancel link and the API refuse (the
// attendance and the funder's count stay as they are).
TEST_F(StaffPagesTest, APersonCannotCancelTheirSeatOnceTheCourseHasBegun) {
  json p = {{"edition", "small"},
            {"first_name", "Zoë"},
            {"last_name", "Ferrero"},
            {"email", "zoe@example.org"},
            {"organisation", "APS Filo Verde"},
            {"role", "volontario"},
            {"region", "umbria"},
            {"age_band", "over-35"},
            {"consent", true}};
  auto res = s_->client->Post("/api/registrations", p.dump(), "application/json");
  ASSERT_EQ(res->status, 201) << res->body;
  const std::string url = json::parse(res->body)["cancel_url"];
  const std::string code = json::parse(res->body)["code"];
  const std::string token = url.substr(url.find("token=") + 6);
  auto page = s_->client->Get("/iscrizione/" + code + "?token=" + token);
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("Annulla l'iscrizione…"), std::string::npos) << "before it begins";
  // Another date of the same course with free seats: the person moves
  // themselves, and the code stays.
  EXPECT_NE(page->body.find("Ti serve un'altra data o un altro hub della stessa attività? <a href=\"/iscrizione/" +
                            code + "/cambia?token=" + token +
                            "\" id=\"change-link\">Cambia edizione</a>: il codice "
                            "resta lo stesso."),
            std::string::npos)
      << page->body;
  // A detail written wrong: whom to ask, too.
  EXPECT_NE(page->body.find("Un dato è sbagliato (il nome, l'e-mail, l'ente)? Scrivi a APS Reti solidali "
                            "(privacy@example.org) con il codice " + code + ": lo staff lo corregge"),
            std::string::npos)
      << page->body;

  desk_now_ = s_->ctx().desk->catalogue().edition("small")->sessions.front().start_utc + 60;
  page = s_->client->Get("/iscrizione/" + code + "?token=" + token);
  ASSERT_EQ(page->status, 200);
  EXPECT_EQ(page->body.find("Annulla l'iscrizione…"), std::string::npos) << page->body;
  EXPECT_NE(page->body.find("Questa edizione è iniziata"), std::string::npos) << page->body;
  EXPECT_EQ(page->body.find("Ti serve un'altra data"), std::string::npos) << "not once it has begun";
  auto form = s_->client->Get("/iscrizione/" + code + "/annulla?token=" + token);
  ASSERT_EQ(form->status, 200);
  EXPECT_NE(form->body.find("non si annulla più"), std::string::npos);
  EXPECT_EQ(form->body.find("Sì, annulla"), std::string::npos) << form->body;
  auto cancel =
      s_->client->Post("/api/registrations/" + code + "/cancel", json{{"token", token}}.dump(), "application/json");
  EXPECT_EQ(cancel->status, 409) << cancel->body;
  EXPECT_EQ(s_->ctx().store->find(code)->status, "confirmed");
}

// Someone whose seat was confirmed after the second meeting (registered
// late by the staff, promoted from the list) was not absent from the first
// two: the register leaves them empty, and says «no» for the later ones.
TEST_F(StaffPagesTest, TheEditionsRegisterLeavesEmptyTheMeetingsBeforeTheSeat) {
  const std::string late = reg("small", "lia@example.org", "Lia");
  const auto& sessions = s_->ctx().desk->catalogue().edition("small")->sessions;
  ASSERT_EQ(sessions.size(), 4u);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_.path() / "var" / "registrations.sqlite3").c_str(), &db), SQLITE_OK);
  sqlite3_busy_timeout(db, 10000);
  const std::string sql =
      "UPDATE registrations SET confirmed_at = '" + utc_iso(sessions[1].end_utc + 60) + "' WHERE code = '" + late + "'";
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  sqlite3_close(db);
  desk_now_ = kAfterEveryMeeting;
  const std::string csv = s_->get("/staff/edizioni/small/iscritti.csv", staff_.cookie)->body;
  const std::size_t at = csv.find("\r\n" + late + ";");
  ASSERT_NE(at, std::string::npos) << csv;
  const std::string row = csv.substr(at + 2, csv.find("\r\n", at + 2) - at - 2);
  EXPECT_TRUE(row.ends_with(";;;no;no")) << row;
}

TEST_F(StaffPagesTest, AttendanceIsSavedPerMeetingInOneSubmissionAndGivesTheCertificate) {
  const std::string a = reg("small", "a@example.org");
  const std::string b = reg("small", "b@example.org");
  desk_now_ = kAfterEveryMeeting;
  // a: 3 of 4 meetings (75 %), b: 2 of 4.
  auto res = attendance({a, b}, {{a, 0}, {a, 1}, {a, 3}, {b, 0}, {b, 2}});
  ASSERT_EQ(res->status, 303);
  EXPECT_TRUE(s_->ctx().store->find(a)->attended);
  EXPECT_FALSE(s_->ctx().store->find(b)->attended);
  // The funder counts people trained: those with a certificate.
  EXPECT_EQ(stats()["people"]["trained"], 1);
  auto page = s_->get("/staff/edizioni/small", staff_.cookie);
  EXPECT_NE(page->body.find("name=\"p_" + a + "_3\" value=\"1\" checked"), std::string::npos);
  EXPECT_NE(page->body.find("frequentati almeno il 75 %."), std::string::npos);
  // An operator's 80 (BP_CERTIFICATE_SHARE) reads "l'80 %", not "il 80 %".
  s_->ctx().options.certificate_share_percent = 80;
  EXPECT_NE(s_->get("/staff/edizioni/small", staff_.cookie)->body.find("frequentati almeno l&apos;80 %."),
            std::string::npos);
  s_->ctx().options.certificate_share_percent = 75;
  EXPECT_EQ(page->body.find("name=\"p_" + a + "_2\" value=\"1\" checked"), std::string::npos);
  // "Segna tutti presenti all'incontro 4": the boxes as ticked, and the
  // last meeting for everyone listed. b: 0, 2 and now 3, 75 %.
  EXPECT_NE(page->body.find("Segna tutti presenti all'incontro 4"), std::string::npos);
  // One tap marks everyone: it asks first (staff.js, button[data-confirm]);
  // and leaving with boxes ticked and not saved asks too (form[data-unsaved]:
  // «Sposta», «Annulla», another form of the page).
  EXPECT_NE(page->body.find("data-confirm=\"Segnare presenti all'incontro 4 tutte le persone confermate "
                            "elencate?\">Segna tutti presenti"),
            std::string::npos)
      << page->body;
  EXPECT_NE(page->body.find("enctype=\"multipart/form-data\" data-unsaved=\"Ci sono presenze spuntate e non ancora "
                            "salvate"),
            std::string::npos);
  res = attendance({a, b}, {{a, 0}, {a, 1}, {b, 0}, {b, 2}}, /*everyone=*/true);
  ASSERT_EQ(res->status, 303);
  const auto met = s_->ctx().store->back_office().meeting_attendance("small");
  EXPECT_EQ(met->at(s_->ctx().store->find(b)->id), (std::set<int>{0, 2, 3}));
  EXPECT_EQ(met->at(s_->ctx().store->find(a)->id), (std::set<int>{0, 1, 3})) << "a box unticked is an absence";
  EXPECT_TRUE(s_->ctx().store->find(b)->attended);
  EXPECT_EQ(stats()["editions"]["small"]["attended"], 2);
  EXPECT_EQ(stats()["people"]["trained"], 2);
  // The edition's CSV: a column per meeting, as a funder's register.
  const auto& sessions = s_->ctx().desk->catalogue().edition("small")->sessions;
  const std::string& day = sessions.front().date;
  auto csv = s_->get("/staff/edizioni/small/iscritti.csv", staff_.cookie)->body;
  EXPECT_NE(csv.find(";Argomento;Richiesta;Incontro 1 – " + day.substr(8, 2) + "/" + day.substr(5, 2) + "/" +
                     day.substr(0, 4) + ";Incontro 2 – "),
            std::string::npos)
      << csv;
  const std::size_t row_a = csv.find("\r\n" + a + ";"), row_b = csv.find("\r\n" + b + ";");
  ASSERT_NE(row_a, std::string::npos) << csv;
  ASSERT_NE(row_b, std::string::npos) << csv;
  EXPECT_NE(csv.substr(row_a, csv.find("\r\n", row_a + 2) - row_a).find(";sì;sì;no;sì"), std::string::npos) << csv;
  EXPECT_NE(csv.substr(row_b, csv.find("\r\n", row_b + 2) - row_b).find(";sì;no;sì;sì"), std::string::npos) << csv;
  EXPECT_NE(s_->get("/staff/rendicontazione", staff_.cookie)->body.find("data-figure=\"trained\">2<"),
            std::string::npos);
  EXPECT_NE(s_->get("/staff/rendicontazione.csv", staff_.cookie)->body.find("Persone;con almeno un attestato;;2;"),
            std::string::npos);
  EXPECT_NE(audit_text().find("staff@example.org|attendance|small|tutti presenti all'incontro 4"), std::string::npos);
  // Cancelled after the course: the ticks stay in the register, the
  // certificate leaves the report as it leaves the edition's count (the
  // report said 2 certificates for 1 confirmed person, 200 %).
  ASSERT_TRUE(s_->ctx().store->cancel(a).ok());
  EXPECT_EQ(stats()["editions"]["small"]["attended"], 1);
  EXPECT_NE(s_->get("/staff/rendicontazione", staff_.cookie)->body.find("data-figure=\"trained\">1<"),
            std::string::npos);
  EXPECT_NE(s_->get("/staff/rendicontazione.csv", staff_.cookie)->body.find("Persone;con almeno un attestato;;1;"),
            std::string::npos);
}

// Saving after a search (or a status filter) that lists some of the
// edition changes only the people listed: the others keep their meetings
// and their certificate. The people's notes (accessibility needs) are on
// the page.
TEST_F(StaffPagesTest, SavingAttendanceAfterASearchLeavesThePeopleNotListedAlone) {
  const std::string a = reg("small", "a@example.org", "Anna");
  const std::string b = reg("small", "b@example.org", "Bruno");
  desk_now_ = kAfterEveryMeeting;
  auto res = attendance({a, b}, {{a, 0}, {b, 0}, {b, 1}, {b, 2}});
  ASSERT_EQ(res->status, 303);
  ASSERT_TRUE(s_->ctx().store->find(b)->attended);
  // A page from before the rows were listed in the form is refused, not
  // taken for "nobody listed".
  auto stale = s_->post_multipart("/staff/edizioni/small/presenze", {{"csrf", staff_.csrf}, {"p_" + a + "_1", "1"}},
                                  staff_.cookie);
  EXPECT_EQ(stale->status, 400);
  EXPECT_NE(stale->body.find("ricaricala e segna di nuovo le presenze"), std::string::npos);
  auto found = s_->post_form("/staff/edizioni/small", {{"csrf", staff_.csrf}, {"cerca", "anna"}}, staff_.cookie);
  ASSERT_EQ(found->status, 200);
  EXPECT_NE(found->body.find("name=\"r_" + a + "\""), std::string::npos);
  EXPECT_EQ(found->body.find("name=\"r_" + b + "\""), std::string::npos) << "Bruno is not listed";
  // The search's form, as sent: Anna's row only, her second meeting ticked.
  res = attendance({a}, {{a, 1}});
  ASSERT_EQ(res->status, 303);
  const auto met = s_->ctx().store->back_office().meeting_attendance("small");
  EXPECT_EQ(met->at(s_->ctx().store->find(a)->id), (std::set<int>{1}));
  EXPECT_EQ(met->at(s_->ctx().store->find(b)->id), (std::set<int>{0, 1, 2}));
  EXPECT_TRUE(s_->ctx().store->find(b)->attended);
}

// Two people of the staff mark attendance from pages opened at the same
// time: each save changes only the boxes changed on its page, so the second
// one does not take away what the first one ticked (its page showed them
// unticked), and a box unticked on a page is still an absence.
TEST_F(StaffPagesTest, AttendanceSavedFromTwoPagesOpenedTogetherKeepsBothPeoplesTicks) {
  const std::string a = reg("small", "a@example.org", "Anna");
  const std::string b = reg("small", "b@example.org", "Bruno");
  desk_now_ = kAfterEveryMeeting;
  // The rows as a page drawn now carries them.
  auto rows_of_page = [&] {
    const std::string body = s_->get("/staff/edizioni/small", staff_.cookie)->body;
    std::map<std::string, std::string> fields = {{"csrf", staff_.csrf}};
    for (const std::string& code : {a, b}) {
      const std::string marker = "name=\"r_" + code + "\" value=\"";
      const std::size_t at = body.find(marker);
      EXPECT_NE(at, std::string::npos) << body;
      if (at == std::string::npos) continue;
      const std::size_t from = at + marker.size();
      fields["r_" + code] = body.substr(from, body.find('"', from) - from);
    }
    return fields;
  };
  auto first_page = rows_of_page(), second_page = rows_of_page();
  first_page["p_" + a + "_0"] = "1";
  ASSERT_EQ(s_->post_multipart("/staff/edizioni/small/presenze", first_page, staff_.cookie)->status, 303);
  second_page["p_" + b + "_1"] = "1";
  ASSERT_EQ(s_->post_multipart("/staff/edizioni/small/presenze", second_page, staff_.cookie)->status, 303);
  // The meetings saved for `code` now.
  auto meetings_of = [&](const std::string& code) {
    auto met = s_->ctx().store->back_office().meeting_attendance("small");
    const auto it = met->find(s_->ctx().store->find(code)->id);
    return it == met->end() ? std::set<int>() : it->second;
  };
  EXPECT_EQ(meetings_of(a), (std::set<int>{0})) << "Anna's tick from the first page";
  EXPECT_EQ(meetings_of(b), (std::set<int>{1}));

  // A page drawn now shows both; unticking Anna's box there removes it.
  auto third_page = rows_of_page();
  EXPECT_EQ(third_page["r_" + a].substr(0, 2), "m1");
  third_page["p_" + b + "_1"] = "1";
  ASSERT_EQ(s_->post_multipart("/staff/edizioni/small/presenze", third_page, staff_.cookie)->status, 303);
  EXPECT_EQ(meetings_of(a), std::set<int>());
  EXPECT_EQ(meetings_of(b), (std::set<int>{1}));

  // A tick for a meeting programme.yaml no longer has (one was dropped)
  // does not stop the page from saving: it goes, as it always went.
  const int meetings = static_cast<int>(s_->ctx().desk->catalogue().edition("small")->sessions.size());
  ASSERT_TRUE(
      s_->ctx().store->back_office().save_meeting_attendance("small", {{b, {1, meetings}}}, meetings + 1, 75).ok());
  auto fourth_page = rows_of_page();
  fourth_page["p_" + a + "_0"] = "1";
  fourth_page["p_" + b + "_1"] = "1";
  auto saved = s_->post_multipart("/staff/edizioni/small/presenze", fourth_page, staff_.cookie);
  ASSERT_EQ(saved->status, 303) << saved->body;
  EXPECT_EQ(meetings_of(a), (std::set<int>{0}));
  EXPECT_EQ(meetings_of(b), (std::set<int>{1}));
}

// A full edition (60 people, 4 meetings) saves its attendance in one go:
// its form is larger than the 8 KB the HTTP library takes urlencoded, so
// the page posts it as multipart.
TEST_F(StaffPagesTest, AFullEditionsAttendanceIsSavedInOneSubmission) {
  std::vector<std::string> people;
  std::vector<std::pair<std::string, int>> ticked;
  for (int i = 0; i < 60; ++i) {
    people.push_back(reg("m03-nord", "p" + std::to_string(i) + "@example.org"));
    for (int m = 0; m < 4; ++m) ticked.push_back({people.back(), m});
  }
  desk_now_ = kAfterEveryMeeting;
  auto page = s_->get("/staff/edizioni/m03-nord", staff_.cookie);
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("action=\"/staff/edizioni/m03-nord/presenze\" enctype=\"multipart/form-data\""),
            std::string::npos);
  auto res = attendance(people, ticked, false, "m03-nord");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 303) << res->body.substr(0, 300);
  EXPECT_EQ(stats()["editions"]["m03-nord"]["attended"], 60);
}

// Attendance is taken from the start of a meeting, never ahead: before
// the first one the page says when it can be taken and offers no save;
// after the second, the third and fourth stay closed, and a tick sent for
// them anyway (a stale page, a forged post) is not recorded. The API does
// not mark anyone present at an edition that has not begun.
TEST_F(StaffPagesTest, AttendanceIsTakenOnlyForMeetingsThatHaveBegun) {
  const std::string a = reg("small", "a@example.org", "Anna");
  auto before = s_->get("/staff/edizioni/small", staff_.cookie);
  ASSERT_EQ(before->status, 200);
  EXPECT_NE(before->body.find("Nessun incontro è ancora cominciato: le presenze si segnano dal primo, 2 marzo 2099"),
            std::string::npos);
  EXPECT_EQ(before->body.find("Salva presenze"), std::string::npos);
  EXPECT_NE(before->body.find("name=\"p_" + a + "_0\" value=\"1\" disabled aria-label=\"Anna Ferrero, incontro 1 "
                              "(non ancora svolto)\""),
            std::string::npos);
  auto api = s_->client->Post("/api/admin/editions/small/attendance",
                              {{"Authorization", std::string("Bearer ") + test::kLegacyToken}},
                              json{{"codes", {a}}}.dump(), "application/json");
  ASSERT_TRUE(api);
  EXPECT_EQ(api->status, 409);
  EXPECT_NE(api->body.find("non è ancora cominciata"), std::string::npos) << api->body;
  EXPECT_FALSE(s_->ctx().store->find(a)->attended);

  desk_now_ = 4076823600;  // 2099-03-10, 12:00 in Rome: meetings 1 and 2 held
  auto res = attendance({a}, {{a, 0}, {a, 1}, {a, 2}, {a, 3}});
  ASSERT_EQ(res->status, 303);
  const auto met = s_->ctx().store->back_office().meeting_attendance("small");
  ASSERT_TRUE(met.ok());
  EXPECT_EQ(met->at(s_->ctx().store->find(a)->id), (std::set<int>{0, 1}));
  EXPECT_FALSE(s_->ctx().store->find(a)->attended) << "2 of 4 meetings";
  auto page = s_->get("/staff/edizioni/small", staff_.cookie);
  EXPECT_NE(page->body.find("name=\"p_" + a + "_1\" value=\"1\" checked aria-label=\"Anna Ferrero, incontro 2\""),
            std::string::npos);
  EXPECT_NE(page->body.find("name=\"p_" + a + "_2\" value=\"1\" disabled"), std::string::npos);
  EXPECT_NE(page->body.find("Salva presenze"), std::string::npos);
  // "Segna tutti presenti" adds the last meeting held (the second), not
  // the ones to come.
  res = attendance({a}, {{a, 0}}, /*everyone=*/true);
  ASSERT_EQ(res->status, 303);
  EXPECT_EQ(s_->ctx().store->back_office().meeting_attendance("small")->at(s_->ctx().store->find(a)->id),
            (std::set<int>{0, 1}));
}

// A person's history names who did what even after the staff opened the
// page hundreds of times: the views filled the 200 lines read, and a
// cancellation by the staff read «annullata dalla persona».
// The activity log page shows the newest 5,000 lines of a period and says
// when there are more; the CSV has them all (both were cut silently).
TEST_F(StaffPagesTest, TheActivityLogSaysWhenThePageShowsOnlyTheNewestLines) {
  EXPECT_EQ(s_->get("/staff/registro", admin_.cookie)->body.find("registro-altre"), std::string::npos);
  for (int i = 0; i < 5001; ++i) {
    AuditEntry view;
    view.actor = "staff@example.org";
    view.action = "view_person";
    view.target = "RIGA" + std::to_string(i);
    ASSERT_TRUE(s_->ctx().store->accounts().append_audit(view).is_ok());
  }
  const std::string page = s_->get("/staff/registro", admin_.cookie)->body;
  EXPECT_NE(page.find("id=\"registro-altre\""), std::string::npos);
  EXPECT_EQ(occurrences(page, "<td>RIGA"), 5000);
  const std::string csv = s_->get("/staff/registro.csv", admin_.cookie)->body;
  EXPECT_EQ(occurrences(csv, ";RIGA"), 5001);
}

TEST_F(StaffPagesTest, APersonsHistoryKeepsTheStaffsActionsAfterManyViews) {
  const std::string a = reg("small", "a@example.org", "Anna");
  ASSERT_EQ(s_->post_form("/staff/iscrizioni/" + a + "/annulla", {{"csrf", staff_.csrf}}, staff_.cookie)->status, 200);
  for (int i = 0; i < 210; ++i) {
    AuditEntry view;
    view.actor = "staff@example.org";
    view.action = "view_person";
    view.target = a;
    ASSERT_TRUE(s_->ctx().store->accounts().append_audit(view).is_ok());
  }
  const std::string page = s_->get("/staff/persone/" + a, staff_.cookie)->body;
  EXPECT_EQ(page.find("annullata dalla persona"), std::string::npos) << page;
  EXPECT_NE(page.find("annullamento di un&apos;iscrizione"), std::string::npos) << page;
}

TEST_F(StaffPagesTest, CancellingSaysWhoWillBePromotedThenShowsWhoWas) {
  const std::string a = reg("small", "a@example.org", "Anna");
  reg("small", "b@example.org", "Bruno");
  const std::string c = reg("small", "c@example.org", "Carla");
  auto ask = s_->get("/staff/iscrizioni/" + a + "/annulla", staff_.cookie);
  ASSERT_EQ(ask->status, 200);
  EXPECT_NE(ask->body.find("Il posto passerà a <strong>Carla Ferrero</strong>"), std::string::npos);
  EXPECT_EQ(s_->ctx().store->find(a)->status, "confirmed") << "asking changes nothing";
  auto done = s_->post_form("/staff/iscrizioni/" + a + "/annulla", {{"csrf", staff_.csrf}}, staff_.cookie);
  ASSERT_EQ(done->status, 200);
  EXPECT_NE(done->body.find("Il posto è andato a <strong>Carla Ferrero</strong> (" + c + ")"), std::string::npos);
  EXPECT_EQ(s_->ctx().store->find(a)->status, "cancelled");
  EXPECT_EQ(s_->ctx().store->find(c)->status, "confirmed");
  EXPECT_NE(audit_text().find("|cancel|" + a + "|edizione small; promossa dalla lista d'attesa: " + c), std::string::npos);
  // The link of an old page no longer asks.
  auto again = s_->get("/staff/iscrizioni/" + a + "/annulla", staff_.cookie);
  ASSERT_EQ(again->status, 200);
  EXPECT_NE(again->body.find("è già annullata"), std::string::npos);
  EXPECT_EQ(again->body.find("Sì, annulla"), std::string::npos);
  // Someone waiting leaves the list: no seat is freed, and nobody (least of
  // all the person cancelled) is said to take one.
  reg("small", "d@example.org", "Dario");
  const std::string e = reg("small", "e@example.org", "Elena");
  ASSERT_EQ(s_->ctx().store->find(e)->status, "waitlisted");
  ask = s_->get("/staff/iscrizioni/" + e + "/annulla", staff_.cookie);
  EXPECT_NE(ask->body.find("Nessun posto si libera: la persona è in lista d&apos;attesa e ne esce."), std::string::npos)
      << ask->body;
  done = s_->post_form("/staff/iscrizioni/" + e + "/annulla", {{"csrf", staff_.csrf}}, staff_.cookie);
  ASSERT_EQ(done->status, 200);
  EXPECT_EQ(done->body.find("Il posto è andato a"), std::string::npos) << done->body;
  EXPECT_EQ(audit_text().find("promossa dalla lista d'attesa: " + e), std::string::npos);
}

// A child under 14, registered by a parent: the roster, the person's page
// and the CSV say so and name the parent (whom the staff call), and the
// e-mails greet the parent, who reads them.
TEST_F(StaffPagesTest, AChildUnder14ShowsWithTheParentOnTheRosterAndTheEmailsGreetTheParent) {
  json p = {
      {"edition", "small"},       {"first_name", "Giulia"}, {"last_name", "Ferrero"}, {"email", "famiglia@example.org"},
      {"role", "giovane"},        {"region", "umbria"},     {"age_band", "under-14"}, {"guardian_name", "Maria Rossi"},
      {"guardian_consent", true}, {"consent", true}};
  auto res = s_->client->Post("/api/registrations", p.dump(), "application/json");
  ASSERT_EQ(res->status, 201) << res->body;
  const std::string code = json::parse(res->body)["code"];
  const std::string adult = reg("small", "adulto@example.org", "Bruno");
  // The funder's report lists the age bands youngest first, as the form.
  const std::string report = s_->get("/staff/rendicontazione", staff_.cookie)->body;
  ASSERT_NE(report.find(">meno di 14 anni<"), std::string::npos) << report;
  EXPECT_LT(report.find(">meno di 14 anni<"), report.find(">più di 35 anni<"));

  auto roster = s_->get("/staff/edizioni/small", staff_.cookie);
  ASSERT_EQ(roster->status, 200);
  EXPECT_NE(roster->body.find("Meno di 14 anni · genitore o tutore: Maria Rossi"), std::string::npos) << roster->body;
  EXPECT_EQ(roster->body.find("Meno di 14 anni ·"), roster->body.rfind("Meno di 14 anni ·")) << "the adult is no child";
  auto person = s_->get("/staff/persone/" + code, staff_.cookie);
  EXPECT_NE(person->body.find("<dt>Genitore o tutore</dt><dd>Maria Rossi"), std::string::npos) << person->body;
  // On the sign-in sheet the parent signs for the child; the adult signs alone.
  auto sheet = s_->get("/staff/edizioni/small/foglio-firme", staff_.cookie);
  ASSERT_EQ(sheet->status, 200);
  EXPECT_NE(sheet->body.find("<td>Giulia</td><td>Ferrero</td><td></td><td class=\"signature\"><span "
                             "class=\"signature-who\">firma del genitore o tutore, Maria Rossi</span></td>"),
            std::string::npos)
      << sheet->body;
  EXPECT_NE(sheet->body.find("<td>Bruno</td><td>Ferrero</td><td>APS Filo Verde</td><td class=\"signature\"></td>"),
            std::string::npos);
  EXPECT_EQ(s_->get("/staff/persone/" + adult, staff_.cookie)->body.find("Genitore o tutore"), std::string::npos);
  auto csv = s_->get("/staff/edizioni/small/iscritti.csv", staff_.cookie);
  EXPECT_NE(csv->body.find(";Fascia d'età;Genitore o tutore;"), std::string::npos);
  EXPECT_NE(csv->body.find(";meno di 14 anni;Maria Rossi;"), std::string::npos) << csv->body;

  const auto mail = s_->ctx().store->messages_for(s_->ctx().store->find(code)->id);
  ASSERT_FALSE(mail->empty());
  EXPECT_EQ(mail->front().body.rfind("Ciao Maria Rossi (genitore o tutore di Giulia Ferrero),\n\n", 0), 0u)
      << mail->front().body;
  // The staff's messages to an edition greet the parent too.
  EditionMessage m;
  m.send_key = "aula-" + code;
  m.edition_id = "small";
  m.statuses = {"confirmed", "pending", "waitlisted"};
  m.subject = "Cambio aula";
  m.body = "Ci vediamo in sala 2.";
  m.sent_by = "staff@example.org";
  ASSERT_TRUE(s_->ctx().desk->send_edition_message(m).ok());
  int copies = 0;
  const auto box = s_->ctx().store->outbox(false, 100);
  ASSERT_TRUE(box.ok());
  for (const auto& out : *box) {
    if (out.subject.rfind("Cambio aula", 0) != 0) continue;
    ++copies;
    const std::string hello = out.recipient == "famiglia@example.org"
                                  ? "Ciao Maria Rossi (genitore o tutore di Giulia Ferrero),\n\n"
                                  : "Ciao Bruno,\n\n";
    EXPECT_EQ(out.body.rfind(hello, 0), 0u) << out.body;
  }
  EXPECT_EQ(copies, 2);
}

// The whole programme in one spreadsheet, linked from the dashboard: every
// registration with its activity, kind, hub and edition, and a tutoring
// request's theme and words.
TEST_F(StaffPagesTest, TheProgrammeCsvHasEveryRegistrationWithItsActivity) {
  const std::string a = reg("small", "a@example.org");
  const std::string b = reg("m03-nord", "b@example.org");
  const std::string c = reg("tutoraggio-nord", "c@example.org", "Carla", "gruppi-di-acquisto-solidale");
  EXPECT_NE(s_->get("/staff/", staff_.cookie)->body.find("href=\"/staff/iscrizioni.csv\""), std::string::npos);
  auto csv = s_->get("/staff/iscrizioni.csv", staff_.cookie);
  ASSERT_EQ(csv->status, 200);
  EXPECT_EQ(csv->get_header_value("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_EQ(csv->body.rfind("\xEF\xBB\xBF"
                            "Attività;Tipo;Hub;Edizione;Sede;Codice;Stato;",
                            0),
            0u)
      << csv->body;
  EXPECT_NE(csv->body.find(";Incontri frequentati;Incontri dell'edizione;Attestato;Argomento;Richiesta"),
            std::string::npos);
  for (const std::string& code : {a, b, c}) EXPECT_NE(csv->body.find(";" + code + ";"), std::string::npos) << code;
  EXPECT_NE(csv->body.find(";Nord;m03-nord;online;" + b + ";confermata;"), std::string::npos) << csv->body;
  EXPECT_NE(csv->body.find(";Gruppi di acquisto solidale;avviare un GAS nel quartiere"), std::string::npos)
      << csv->body;
  EXPECT_EQ(std::count(csv->body.begin(), csv->body.end(), '\n'), 4) << "a header and three rows";
  // A registration to an edition since removed from programme.yaml stays in
  // the export, at the end (it was left out).
  const std::string d = reg("small", "d@example.org");
  desk_now_ = kAfterEveryMeeting;
  ASSERT_EQ(attendance({d}, {{d, 0}})->status, 303);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_.path() / "var" / "registrations.sqlite3").c_str(), &db), SQLITE_OK);
  sqlite3_busy_timeout(db, 10000);
  const std::string sql = "UPDATE registrations SET edition_id = 'vecchia-2025' WHERE code = '" + d + "'";
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  sqlite3_close(db);
  csv = s_->get("/staff/iscrizioni.csv", staff_.cookie);
  EXPECT_NE(csv->body.find("\r\n(non più nel programma);;;vecchia-2025;;" + d + ";"), std::string::npos) << csv->body;
  // Its meetings attended are still counted (1), though their dates are gone (0).
  EXPECT_NE(csv->body.find(";1;0;no;;"), std::string::npos) << csv->body;
  EXPECT_EQ(std::count(csv->body.begin(), csv->body.end(), '\n'), 5);
  s_->add("redazione@example.org", Role::kEditor);
  EXPECT_EQ(s_->get("/staff/iscrizioni.csv", s_->login("redazione@example.org").cookie)->status, 403);
}

TEST_F(StaffPagesTest, TheCsvHasItalianColumnsAndValuesAndOneRowPerRegistration) {
  reg("small", "a@example.org");
  reg("small", "b@example.org");
  reg("small", "c@example.org");
  auto csv = s_->get("/staff/edizioni/small/iscritti.csv", staff_.cookie);
  ASSERT_EQ(csv->status, 200);
  EXPECT_EQ(csv->get_header_value("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_EQ(csv->body.rfind("\xEF\xBB\xBF" "Codice;Stato;", 0), 0u);
  EXPECT_NE(csv->body.find(";Nome;Cognome;E-mail;Ente;Ruolo;Regione;Fascia d'età;"), std::string::npos);
  // A cell says its value; the column says what it is (a filter in a
  // spreadsheet lists "confermata", not "Stato: confermata").
  EXPECT_NE(csv->body.find(";confermata;"), std::string::npos);
  EXPECT_NE(csv->body.find(";in lista d'attesa;1;"), std::string::npos);
  EXPECT_NE(csv->body.find(";Umbria;più di 35 anni;"), std::string::npos);
  // Meetings attended and the edition's meetings: two numbers, not "0 di 2".
  const std::string meetings = std::to_string(s_->ctx().desk->catalogue().edition("small")->sessions.size());
  EXPECT_NE(csv->body.find(";Incontri frequentati;Incontri dell'edizione;Attestato;"), std::string::npos) << csv->body;
  EXPECT_NE(csv->body.find(";0;" + meetings + ";no;"), std::string::npos) << csv->body;
  EXPECT_EQ(csv->body.find(" di " + meetings), std::string::npos) << csv->body;
  // The role as the page writes it, not its code.
  EXPECT_NE(csv->body.find(";APS Filo Verde;Volontaria/volontario;Umbria;"), std::string::npos) << csv->body;
  EXPECT_EQ(csv->body.find(";volontario;"), std::string::npos);
  EXPECT_EQ(csv->body.find("Stato: "), std::string::npos);
  EXPECT_EQ(csv->body.find("Fascia d'età: "), std::string::npos);
  int lines = 0;
  for (std::size_t p = csv->body.find("\r\n"); p != std::string::npos; p = csv->body.find("\r\n", p + 2)) ++lines;
  EXPECT_EQ(lines, 4);
  EXPECT_NE(audit_text().find("staff@example.org|export|small|"), std::string::npos);
  // What a person wrote for the organisers (accessibility needs) is in the
  // CSV as on the page.
  json p = {{"edition", "m03-nord"}, {"first_name", "Dario"}, {"last_name", "Neri"}, {"email", "d@example.org"},
            {"role", "operatore"}, {"region", "umbria"}, {"age_band", "over-35"}, {"consent", true},
            {"notes", "Uso la sedia a rotelle"}};
  ASSERT_EQ(s_->client->Post("/api/registrations", p.dump(), "application/json")->status, 201);
  auto other = s_->get("/staff/edizioni/m03-nord/iscritti.csv", staff_.cookie);
  EXPECT_NE(other->body.find(";Genitore o tutore;Note;Iscritta il;"), std::string::npos);
  EXPECT_NE(other->body.find(";;Uso la sedia a rotelle;"), std::string::npos) << other->body;
}

TEST_F(StaffPagesTest, TheReportCountsPeopleOnceAndAnErasureLeavesItsDistributions) {
  // One person in two activities, another in one: two people, by role too.
  const std::string giulia = reg("m03-nord", "giulia@example.org");
  const std::string giulia_small = reg("residenza-lecce-2099", "Giulia@example.org");
  const std::string other = reg("thirty", "marco@example.org", "Marco");
  const json before = stats();
  EXPECT_EQ(before["people"]["total"], 2);
  EXPECT_EQ(before["distribution"]["role"]["volontario"], 2) << before["distribution"].dump();
  EXPECT_EQ(before["distribution"]["region"]["umbria"], 2);
  // Erased, a person's role, region and age band still count.
  auto done = s_->post_form("/staff/persone/" + other + "/cancella", {{"csrf", admin_.csrf}, {"conferma", "CANCELLA"}},
                            admin_.cookie);
  ASSERT_EQ(done->status, 303);
  ASSERT_EQ(s_->ctx().store->find(other)->email, "");
  const json after = stats();
  EXPECT_EQ(after["distribution"], before["distribution"]);
  EXPECT_EQ(after["people"]["total"], 2);
  // The page that asks says the erasure is of every registration of the
  // address, and lists them.
  auto ask = s_->get("/staff/persone/" + giulia + "/cancella", admin_.cookie);
  ASSERT_EQ(ask->status, 200);
  EXPECT_NE(ask->body.find("da tutte le sue iscrizioni (2 iscrizioni)"), std::string::npos) << ask->body;
  EXPECT_NE(ask->body.find("edizione residenza-lecce-2099"), std::string::npos);
  EXPECT_NE(ask->body.find("edizione m03-nord"), std::string::npos);
  // Both seats are in editions still to come: the page says they stay
  // taken, and offers to cancel each first.
  EXPECT_NE(ask->body.find("id=\"erase-seats\""), std::string::npos) << ask->body;
  EXPECT_NE(ask->body.find("href=\"/staff/iscrizioni/" + giulia_small + "/annulla?cancella=" + giulia + "\""),
            std::string::npos);
  EXPECT_NE(ask->body.find("href=\"/staff/iscrizioni/" + giulia + "/annulla?cancella=" + giulia + "\""),
            std::string::npos);
  // Cancelled from there, the page leads back to the erasure.
  auto cancel_ask = s_->get("/staff/iscrizioni/" + giulia_small + "/annulla?cancella=" + giulia, admin_.cookie);
  EXPECT_NE(cancel_ask->body.find("name=\"cancella\" value=\"" + giulia + "\""), std::string::npos);
  auto cancelled = s_->post_form("/staff/iscrizioni/" + giulia_small + "/annulla",
                                 {{"csrf", admin_.csrf}, {"cancella", giulia}}, admin_.cookie);
  ASSERT_EQ(cancelled->status, 200);
  EXPECT_NE(cancelled->body.find("href=\"/staff/persone/" + giulia + "/cancella\" id=\"torna-cancellazione\""),
            std::string::npos)
      << cancelled->body;
  // Erased, the person in two activities is still one person.
  done = s_->post_form("/staff/persone/" + giulia + "/cancella", {{"csrf", admin_.csrf}, {"conferma", "CANCELLA"}},
                       admin_.cookie);
  ASSERT_EQ(done->status, 303);
  const json erased = stats();
  EXPECT_EQ(erased["people"]["total"], 2);
  EXPECT_EQ(erased["distribution"], before["distribution"]);
  EXPECT_EQ(s_->ctx().store->find(giulia)->erased_person, giulia);
  // Her page still lists both registrations, without the address that
  // tied them.
  auto page = s_->get("/staff/persone/" + giulia, admin_.cookie);
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find(giulia_small), std::string::npos) << page->body;
  EXPECT_EQ(page->body.find(other), std::string::npos) << "not another erased person's";
  // Once erased, nothing is left to cancel before erasing.
  EXPECT_EQ(s_->get("/staff/persone/" + giulia + "/cancella", admin_.cookie)->body.find("id=\"erase-seats\""),
            std::string::npos);
}

// The programme is over for some: an admin erases, in one go, everyone
// whose activities have all ended, after seeing who and how many. Someone
// with tutoring still open is left; the report's figures do not move; the
// audit log forgets their addresses; a desk account cannot.
TEST_F(StaffPagesTest, AtTheEndOfTheProgrammeAnAdminErasesEveryoneWhoseActivitiesHaveEnded) {
  const std::string anna = reg("small", "anna.fine@example.org", "Anna");
  const std::string bruno = reg("m03-nord", "bruno.fine@example.org", "Bruno");
  const std::string bruno2 = legacy_reg("thirty", "Bruno.Fine@example.org", "Bruno");
  const std::string carla = reg("small", "carla.fine@example.org", "Carla");
  const std::string carla2 = reg("tutoraggio-nord", "carla.fine@example.org", "Carla", "gruppi-di-acquisto-solidale");
  AuditEntry mention;
  mention.actor = "staff@example.org";
  mention.action = "write";
  mention.target = anna;
  mention.details = "messaggio ad anna.fine@example.org";
  ASSERT_TRUE(s_->accounts().append_audit(mention).is_ok());
  // Two proposals from Dario: one withdrawn (its course is over), one new.
  propose("ritiratafine");
  propose("apertafine");
  ASSERT_TRUE(s_->ctx()
                  .store->proposals()
                  .change("ritiratafine", {{}, proposal_status::kWithdrawn, "proponente", "", {}, {}})
                  .ok());
  const json before = stats();
  EXPECT_EQ(before["people"]["total"], 3);
  EXPECT_EQ(s_->get("/staff/fine-programma", staff_.cookie)->status, 403);
  EXPECT_EQ(
      s_->post_form("/staff/fine-programma", {{"csrf", staff_.csrf}, {"conferma", "CANCELLA"}}, staff_.cookie)->status,
      403);
  // Today nothing has ended.
  auto page = s_->get("/staff/fine-programma", admin_.cookie);
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("id=\"closing-nothing\""), std::string::npos) << page->body;
  EXPECT_NE(page->body.find("href=\"/staff/fine-programma\" aria-current=\"page\""), std::string::npos);
  // 1 June 2099: the modules are over, the tutoring is not. A day later
  // than now is still now: nothing not yet ended can be chosen.
  desk_now_ = 4083955200;
  for (const std::string day : {"", "2099-12-31"}) {
    page = s_->get("/staff/fine-programma" + (day.empty() ? "" : "?fino_al=" + day), admin_.cookie);
    ASSERT_EQ(page->status, 200);
    EXPECT_NE(page->body.find("Da cancellare: 2 persone (3 iscrizioni) e chi ha inviato 1 proposta conclusa"),
              std::string::npos)
        << day << page->body;
    EXPECT_NE(page->body.find("<tr data-edition=\"m03-nord\">"), std::string::npos);
    EXPECT_NE(page->body.find("<tr data-edition=\"thirty\">"), std::string::npos);
    EXPECT_NE(page->body.find("<code>small</code></td><td>23 marzo 2099</td><td class=\"num\">1</td>"),
              std::string::npos)
        << "Carla's seat in small is not erased while her tutoring is open";
    EXPECT_NE(page->body.find("Restano, per ora, i dati di 1 persona, che ha ancora"), std::string::npos);
    EXPECT_EQ(page->body.find("anna.fine@"), std::string::npos) << "figures, not people";
  }
  // By 10 March 2099 no module had ended: only the withdrawn proposal.
  page = s_->get("/staff/fine-programma?fino_al=2099-03-10", admin_.cookie);
  EXPECT_NE(page->body.find("Da cancellare: chi ha inviato 1 proposta conclusa</h2>"), std::string::npos);
  EXPECT_EQ(page->body.find("id=\"closing-editions\""), std::string::npos);
  // And by 1 January 2026, nothing.
  page = s_->get("/staff/fine-programma?fino_al=2026-01-01", admin_.cookie);
  EXPECT_NE(page->body.find("id=\"closing-nothing\""), std::string::npos);
  page = s_->get("/staff/fine-programma?fino_al=31/12/2099", admin_.cookie);
  EXPECT_NE(page->body.find("data non valida: scrivila come 2027-12-31"), std::string::npos);
  EXPECT_EQ(page->body.find("name=\"conferma\""), std::string::npos);
  // A forged day goes back to the page, erasing nothing.
  auto forged =
      s_->post_form("/staff/fine-programma",
                    {{"csrf", admin_.csrf}, {"fino_al", "2099\r\nX: y"}, {"conferma", "CANCELLA"}}, admin_.cookie);
  ASSERT_EQ(forged->status, 303);
  EXPECT_EQ(forged->get_header_value("Location"), "/staff/fine-programma");
  EXPECT_EQ(s_->ctx().store->find(anna)->email, "anna.fine@example.org");
  // A click alone erases nothing.
  auto typo = s_->post_form("/staff/fine-programma", {{"csrf", admin_.csrf}, {"conferma", "cancella"}}, admin_.cookie);
  ASSERT_EQ(typo->status, 303);
  EXPECT_EQ(typo->get_header_value("Location").find("errore=1") != std::string::npos, true);
  EXPECT_EQ(s_->ctx().store->find(anna)->email, "anna.fine@example.org");
  auto done = s_->post_form("/staff/fine-programma", {{"csrf", admin_.csrf}, {"conferma", "CANCELLA"}}, admin_.cookie);
  ASSERT_EQ(done->status, 303);
  page = s_->get(done->get_header_value("Location"), admin_.cookie);
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("Cancellati i dati personali di 2 persone (3 iscrizioni) e di chi ha inviato 1 proposta "
                            "conclusa."),
            std::string::npos)
      << page->body;
  EXPECT_TRUE(s_->ctx().store->proposals().find("ritiratafine")->erased());
  EXPECT_FALSE(s_->ctx().store->proposals().find("apertafine")->erased()) << "still open: the editors need Dario";
  auto proposal_page = s_->get("/staff/proposte/ritiratafine", admin_.cookie);
  ASSERT_EQ(proposal_page->status, 200);
  EXPECT_NE(proposal_page->body.find("[dati cancellati]"), std::string::npos);
  EXPECT_EQ(proposal_page->body.find("Dario"), std::string::npos) << proposal_page->body;
  for (const auto& code : {anna, bruno, bruno2}) EXPECT_EQ(s_->ctx().store->find(code)->email, "") << code;
  EXPECT_EQ(s_->ctx().store->find(bruno2)->erased_person, bruno) << "one person, as the report counts";
  EXPECT_EQ(s_->ctx().store->find(carla)->email, "carla.fine@example.org");
  EXPECT_EQ(s_->ctx().store->find(carla2)->email, "carla.fine@example.org");
  const json after = stats();
  EXPECT_EQ(after["people"], before["people"]);
  EXPECT_EQ(after["distribution"], before["distribution"]);
  EXPECT_EQ(after["kinds"], before["kinds"]);
  const std::string log = audit_text();
  EXPECT_EQ(log.find("anna.fine@example.org"), std::string::npos) << log;
  EXPECT_NE(
      log.find("admin@example.org|erase_closed|fine programma|dati personali cancellati di 2 persone (3 iscrizioni)"),
      std::string::npos)
      << log;
  // A link cannot make the page say what it likes.
  page = s_->get("/staff/fine-programma?persone=tutte&iscrizioni=x&proposte=%3Cb%3E", admin_.cookie);
  EXPECT_NE(page->body.find("Non c&apos;era nessun dato da cancellare."), std::string::npos) << page->body;
  // Once everything has ended, Carla too.
  desk_now_ = kAfterEveryMeeting;
  page = s_->get("/staff/fine-programma", admin_.cookie);
  EXPECT_NE(page->body.find("Da cancellare: 1 persona (2 iscrizioni)"), std::string::npos) << page->body;
  EXPECT_EQ(page->body.find("id=\"closing-left\""), std::string::npos);
}

// A proposer asks for their data to be erased: an admin does it from the
// proposal's page with the typed word; the proposal stays, without them.
TEST_F(StaffPagesTest, AnAdminErasesAProposersDataOnRequest) {
  propose("richiestafine");
  ASSERT_TRUE(s_->ctx()
                  .store->proposals()
                  .change("richiestafine", {{}, "", "admin@example.org", "Grazie Dario Neri, la leggiamo.", {}, {}})
                  .ok());
  auto page = s_->get("/staff/proposte/richiestafine", admin_.cookie);
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("action=\"/staff/proposte/richiestafine/cancella-dati\""), std::string::npos);
  EXPECT_EQ(s_->post_form("/staff/proposte/richiestafine/cancella-dati",
                          {{"csrf", staff_.csrf}, {"conferma", "CANCELLA"}}, staff_.cookie)
                ->status,
            403);
  auto typo = s_->post_form("/staff/proposte/richiestafine/cancella-dati", {{"csrf", admin_.csrf}, {"conferma", "si"}},
                            admin_.cookie);
  ASSERT_EQ(typo->status, 303);
  EXPECT_FALSE(s_->ctx().store->proposals().find("richiestafine")->erased());
  page = s_->get(typo->get_header_value("Location"), admin_.cookie);
  EXPECT_NE(page->body.find("scrivi CANCELLA in maiuscolo"), std::string::npos);
  auto done = s_->post_form("/staff/proposte/richiestafine/cancella-dati",
                            {{"csrf", admin_.csrf}, {"conferma", "CANCELLA"}}, admin_.cookie);
  ASSERT_EQ(done->status, 303);
  EXPECT_TRUE(s_->ctx().store->proposals().find("richiestafine")->erased());
  page = s_->get(done->get_header_value("Location"), admin_.cookie);
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("Dati di chi ha proposto cancellati"), std::string::npos);
  EXPECT_EQ(page->body.find("Dario"), std::string::npos) << page->body;
  EXPECT_NE(page->body.find("Grazie [dati cancellati], la leggiamo."), std::string::npos);
  EXPECT_NE(page->body.find("id=\"proposer-erased\""), std::string::npos) << "the editors know nobody reads them";
  EXPECT_EQ(page->body.find("/cancella-dati"), std::string::npos) << "nothing left to erase";
  EXPECT_NE(audit_text().find("admin@example.org|erase_proposer|richiestafine|"), std::string::npos);
}

// A person on a waiting list asks to be erased. The place on the list goes
// with the data: a seat freed later goes to the next person waiting, not to
// a registration nobody can be told of. Erased, the page says so, with no
// form to erase again.
TEST_F(StaffPagesTest, AnErasureLeavesTheWaitingListAndASecondVisitSaysItIsDone) {
  const std::string a = reg("small", "a@example.org", "Anna");
  reg("small", "b@example.org", "Bruno");
  const std::string sara = reg("small", "sara@example.org", "Sara");     // 2 seats: waiting
  const std::string dario = reg("small", "dario@example.org", "Dario");  // waiting after her
  reg("residenza-lecce-2099", "sara@example.org", "Sara");
  ASSERT_EQ(s_->ctx().store->find(sara)->status, "waitlisted");
  auto ask = s_->get("/staff/persone/" + sara + "/cancella", admin_.cookie);
  EXPECT_NE(ask->body.find("edizione small (in lista d&apos;attesa): la cancellazione la toglie dalla lista d'attesa"),
            std::string::npos)
      << ask->body;
  EXPECT_EQ(ask->body.find("href=\"/staff/iscrizioni/" + sara + "/annulla"), std::string::npos)
      << "a place on the list holds no seat";
  auto done = s_->post_form("/staff/persone/" + sara + "/cancella", {{"csrf", admin_.csrf}, {"conferma", "CANCELLA"}},
                            admin_.cookie);
  ASSERT_EQ(done->status, 303);
  EXPECT_EQ(s_->ctx().store->find(sara)->status, "cancelled");
  // Anna cancels: her seat goes to Dario, the next one really waiting.
  ASSERT_EQ(s_->post_form("/staff/iscrizioni/" + a + "/annulla", {{"csrf", staff_.csrf}}, staff_.cookie)->status, 200);
  EXPECT_EQ(s_->ctx().store->find(dario)->status, "confirmed");
  EXPECT_EQ(s_->ctx().store->find(sara)->status, "cancelled");
  auto again = s_->get("/staff/persone/" + sara + "/cancella", admin_.cookie);
  ASSERT_EQ(again->status, 200);
  EXPECT_NE(again->body.find("Dati personali già cancellati"), std::string::npos) << again->body;
  EXPECT_EQ(again->body.find("name=\"conferma\""), std::string::npos) << "no form to erase again";
}

// With the store failing (here its tables gone behind the server's back),
// what a browser asked for gets an Italian page that says to retry, never
// a JSON body on the person's screen; the API keeps its JSON.
TEST_F(StaffPagesTest, WhenTheStoreFailsBrowsersGetAnItalianPageAndTheApiItsJson) {
  const std::string code = reg("small", "giulia@example.org");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_.path() / "var" / "registrations.sqlite3").c_str(), &db), SQLITE_OK);
  sqlite3_busy_timeout(db, 10000);  // the server's worker may be writing
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA foreign_keys=OFF; DROP TABLE accounts; DROP TABLE registrations;", nullptr,
                         nullptr, nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(db);
  sqlite3_close(db);
  auto check_page = [](const httplib::Result& res, const char* what) {
    ASSERT_TRUE(res) << what;
    EXPECT_EQ(res->status, 503) << what << ": " << res->body;
    EXPECT_NE(res->get_header_value("Content-Type").find("text/html"), std::string::npos) << what;
    EXPECT_NE(res->body.find("Servizio momentaneamente non disponibile"), std::string::npos) << what;
  };
  check_page(s_->post_form("/staff/login", {{"email", "staff@example.org"}, {"password", test::kPassword}}), "login");
  check_page(s_->post_form("/api/registrations", {{"edition", "small"},
                                                  {"first_name", "Anna"},
                                                  {"last_name", "Neri"},
                                                  {"email", "anna@example.org"},
                                                  {"role", "volontario"},
                                                  {"region", "umbria"},
                                                  {"age_band", "over-35"},
                                                  {"consent", "1"}}),
             "the registration form without JavaScript");
  check_page(s_->get("/iscrizione/" + code + "?token=qualsiasi"), "a personal link");
  auto api = s_->client->Get("/api/registrations/" + code + "?token=qualsiasi");
  ASSERT_TRUE(api);
  EXPECT_EQ(api->status, 503);
  EXPECT_EQ(json::parse(api->body)["error"], "unavailable");
}

TEST_F(StaffPagesTest, TheSignInSheetListsConfirmedPeopleForEachMeeting) {
  reg("residenza-lecce-2099", "a@example.org", "Anna");
  auto sheet = s_->get("/staff/edizioni/residenza-lecce-2099/foglio-firme", staff_.cookie);
  ASSERT_EQ(sheet->status, 200);
  EXPECT_NE(sheet->body.find("<td>Anna</td><td>Ferrero</td><td>APS Filo Verde</td><td class=\"signature\"></td>"),
            std::string::npos);
  EXPECT_NE(sheet->body.find("Firma"), std::string::npos);
}

// A person on the phone gives a name: found in every edition by the
// beginnings of its words, accents and capitals aside; the log keeps the
// registrations found, not the name.
TEST_F(StaffPagesTest, PeopleAreFoundByNameAsWellAsByAddressOrCode) {
  const std::string nicolo = reg("small", "n.ferrero@example.org", "Nicolò");
  const std::string anna = reg("m03-nord", "anna@example.org", "Anna");
  auto search = [&](const std::string& words) {
    auto page = s_->post_form("/staff/persone", {{"csrf", staff_.csrf}, {"cerca", words}}, staff_.cookie);
    EXPECT_EQ(page->status, 200);
    return page->body;
  };
  const std::string one = search("NICOLO ferr");
  EXPECT_NE(one.find("/staff/persone/" + nicolo), std::string::npos) << one;
  EXPECT_EQ(one.find("/staff/persone/" + anna), std::string::npos);
  const std::string both = search("Ferrero");
  EXPECT_NE(both.find("/staff/persone/" + nicolo), std::string::npos);
  EXPECT_NE(both.find("/staff/persone/" + anna), std::string::npos);
  EXPECT_NE(search("nicola").find("Nessuna iscrizione trovata"), std::string::npos);
  EXPECT_EQ(audit_text().find("icol"), std::string::npos) << audit_text();
  // A code read out on the phone: its first letters are enough (six or more).
  const std::string start = search(nicolo.substr(0, 8));
  EXPECT_NE(start.find("/staff/persone/" + nicolo), std::string::npos) << start;
  EXPECT_EQ(start.find("/staff/persone/" + anna), std::string::npos);
  EXPECT_NE(search(nicolo.substr(0, 4)).find("Nessuna iscrizione trovata"), std::string::npos);
  // A child under 14 is found by the parent's name, who phones.
  json child = {{"edition", "small"},       {"first_name", "Giulia"},
                {"last_name", "Bianchi"},   {"email", "famiglia.bianchi@example.org"},
                {"role", "giovane"},        {"region", "umbria"},
                {"age_band", "under-14"},   {"guardian_name", "Marta Conti"},
                {"guardian_consent", true}, {"consent", true}};
  auto made = s_->client->Post("/api/registrations", child.dump(), "application/json");
  ASSERT_EQ(made->status, 201) << made->body;
  EXPECT_NE(search("marta conti").find("/staff/persone/" + json::parse(made->body)["code"].get<std::string>()),
            std::string::npos);
}

TEST_F(StaffPagesTest, AnAdminErasesAPersonWithATypedConfirmationAndTheAuditLogForgetsThem) {
  const std::string a = reg("small", "giulia.erase@example.org");
  auto search = s_->post_form("/staff/persone", {{"csrf", staff_.csrf}, {"cerca", "giulia.erase@example.org"}},
                              staff_.cookie);
  ASSERT_EQ(search->status, 200);
  EXPECT_NE(search->body.find("/staff/persone/" + a), std::string::npos);
  // The log names the registration looked up, not the words searched.
  EXPECT_NE(audit_text().find("|search|persone|ricerca (1 risultato: " + a + ")"), std::string::npos) << audit_text();
  auto partial = s_->post_form("/staff/persone", {{"csrf", staff_.csrf}, {"cerca", "giulia.er"}}, staff_.cookie);
  ASSERT_EQ(partial->status, 200);
  EXPECT_EQ(audit_text().find("giulia"), std::string::npos) << audit_text();
  auto data = s_->get("/staff/persone/" + a + "/dati", admin_.cookie);
  ASSERT_EQ(data->status, 200);
  EXPECT_EQ(json::parse(data->body)["email"], "giulia.erase@example.org");
  EXPECT_EQ(json::parse(data->body)["registrations"][0]["email"], "giulia.erase@example.org");
  auto typo = s_->post_form("/staff/persone/" + a + "/cancella", {{"csrf", admin_.csrf}, {"conferma", "cancella"}},
                            admin_.cookie);
  ASSERT_EQ(typo->status, 303);
  EXPECT_EQ(s_->ctx().store->find(a)->email, "giulia.erase@example.org");
  auto done = s_->post_form("/staff/persone/" + a + "/cancella", {{"csrf", admin_.csrf}, {"conferma", "CANCELLA"}},
                            admin_.cookie);
  ASSERT_EQ(done->status, 303);
  EXPECT_EQ(s_->ctx().store->find(a)->email, "");
  const std::string log = audit_text();
  EXPECT_EQ(log.find("giulia.erase@example.org"), std::string::npos) << log;
  EXPECT_NE(log.find("admin@example.org|erase|" + a), std::string::npos);
  // The message still queued at the erasure was never sent, and the page
  // says so rather than «consegnato … errore».
  auto page = s_->get("/staff/persone/" + a, admin_.cookie);
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("non inviato: dati cancellati su richiesta"), std::string::npos) << page->body;
  EXPECT_EQ(page->body.find("consegnato"), std::string::npos) << page->body;
}

TEST_F(StaffPagesTest, TheReportsFiguresEqualTheStatsApiForThePeriod) {
  reg("m03-nord", "a@example.org");
  reg("small", "b@example.org");
  reg("tutoraggio-nord", "c@example.org", "Carla", "gruppi-di-acquisto-solidale");
  for (const std::string& query : {std::string(""), std::string("?dal=2020-01-01&al=2099-12-31"),
                                  std::string("?dal=2099-01-01&al=2099-12-31")}) {
    SCOPED_TRACE(query);
    auto page = s_->get("/staff/rendicontazione" + query, staff_.cookie);
    ASSERT_EQ(page->status, 200);
    std::string api_query = query;
    if (!api_query.empty()) {
      api_query = std::regex_replace(api_query, std::regex("dal="), "from=");
      api_query = std::regex_replace(api_query, std::regex("al="), "to=");
    }
    const json st = stats(api_query);
    for (const auto& [kind, k] : st["kinds"].items()) {
      const std::string row = "<tr data-kind=\"" + kind + "\">";
      const auto at = page->body.find(row);
      ASSERT_NE(at, std::string::npos) << kind;
      EXPECT_NE(page->body.find("data-figure=\"confirmed\">" + std::to_string(k["confirmed"].get<int>()) + "<", at),
                std::string::npos) << kind;
      EXPECT_NE(page->body.find("data-figure=\"attended\">" + std::to_string(k["attended"].get<int>()) + "<", at),
                std::string::npos) << kind;
    }
    EXPECT_NE(page->body.find("data-figure=\"people\">" + std::to_string(st["people"]["total"].get<int>()) + "<"),
              std::string::npos);
    EXPECT_EQ(page->body.find("a@example.org"), std::string::npos) << "aggregates only";
  }
  // The period in Italian, elided before otto and undici.
  auto page = s_->get("/staff/rendicontazione?dal=2026-03-08&al=2026-11-11", staff_.cookie);
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("partecipazioni dall&apos;8 marzo 2026 all&apos;11 novembre 2026 (attività che si svolgono "
                            "nel periodo, anche solo in parte) · stampata "),
            std::string::npos);
  // The API the page names takes the period under its own parameters.
  EXPECT_NE(page->body.find("<code>/api/admin/stats?from=2026-03-08&amp;to=2026-11-11</code>"), std::string::npos);
  page = s_->get("/staff/rendicontazione?dal=2026-03-01", staff_.cookie);
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("partecipazioni dal 1° marzo 2026 a oggi (attività"), std::string::npos);
  EXPECT_NE(page->body.find("<code>/api/admin/stats?from=2026-03-01</code>"), std::string::npos) << "no empty to=";
  page = s_->get("/staff/rendicontazione?al=2026-03-18", staff_.cookie);
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("partecipazioni dall&apos;inizio al 18 marzo 2026 (attività"), std::string::npos);
  EXPECT_EQ(stats("?from=2020-01-01&to=2099-12-31")["people"]["total"], 3);
  // By default a period counts the activities held in it (the editions are
  // in March 2099, the tutoring open until December 2099); by=registration
  // the registrations made in it (today).
  EXPECT_EQ(stats("?from=2099-01-01&to=2099-12-31")["people"]["total"], 3);
  EXPECT_EQ(stats("?from=2099-04-01&to=2099-12-31")["people"]["total"], 1) << "the tutoring only";
  EXPECT_EQ(stats("?from=2099-01-01&to=2099-12-31&by=registration")["people"]["total"], 0);
  EXPECT_EQ(stats("?from=2099-01-01&by=registration")["period"]["by"], "registration");
  EXPECT_EQ(
      s_->client->Get("/api/admin/stats?by=quando", {{"Authorization", std::string("Bearer ") + test::kLegacyToken}})
          ->status,
      400);
  auto csv = s_->get("/staff/rendicontazione.csv", staff_.cookie);
  ASSERT_EQ(csv->status, 200);
  // One meaning per column: the share of the target, of those with a
  // certificate and of the total are three columns, each a number a
  // spreadsheet in Italian reads as one ("1,7", the header says "%").
  EXPECT_NE(csv->body.find("Sezione;Voce;Tipo di attività;Confermate;Obiettivo;Quota dell'obiettivo (%);Presenti "
                           "(attestato);Quota con attestato (%);Quota sul totale (%)\r\n"),
            std::string::npos)
      << csv->body;
  EXPECT_NE(csv->body.find("Tipo di attività;Moduli formativi;;2;120;1,7;0;0,0;\r\n"), std::string::npos) << csv->body;
  // The page's «Totale» row too, after the kinds and before the hubs.
  const auto total = csv->body.find("Tipo di attività;Totale;;3;;;0;0,0;\r\n");
  EXPECT_NE(total, std::string::npos) << csv->body;
  EXPECT_LT(total, csv->body.find("Hub;"));
  EXPECT_EQ(csv->body.find(" %"), std::string::npos) << csv->body;
  // Per hub and kind, against the hub's share of the target, nord first.
  const auto nord = csv->body.find("Hub;Nord;Moduli formativi;"), centro = csv->body.find("Hub;Centro;");
  ASSERT_NE(nord, std::string::npos) << csv->body;
  ASSERT_NE(centro, std::string::npos) << csv->body;
  EXPECT_LT(nord, centro);
  auto report = s_->get("/staff/rendicontazione", staff_.cookie);
  EXPECT_LT(report->body.find("data-hub=\"nord\""), report->body.find("data-hub=\"centro\""));
  EXPECT_NE(report->body.find("Obiettivo dell'hub"), std::string::npos);
  EXPECT_EQ(s_->client->Get("/api/admin/stats?from=2026-13-01", {{"Authorization", std::string("Bearer ") + test::kLegacyToken}})->status, 400);
}

// A secretary moves to the editorial team: an admin changes her role on the
// accounts page; from her next page she has the editors' rights, not the
// registrations'. Nobody changes their own role (there is always an admin
// to give it back).
TEST_F(StaffPagesTest, AnAdminChangesAnotherAccountsRoleButNotTheirOwn) {
  ASSERT_EQ(s_->get("/staff/rendicontazione", staff_.cookie)->status, 200);
  const auto staff = s_->accounts().find_account("staff@example.org");
  const auto admin = s_->accounts().find_account("admin@example.org");
  ASSERT_TRUE(staff.ok() && admin.ok());
  const std::string page = s_->get("/staff/account", admin_.cookie)->body;
  EXPECT_NE(page.find("action=\"/staff/account/" + std::to_string(staff->id) + "/ruolo\""), std::string::npos) << page;
  EXPECT_EQ(page.find("action=\"/staff/account/" + std::to_string(admin->id) + "/ruolo\""), std::string::npos)
      << "no form for one's own role";
  auto res = s_->post_form("/staff/account/" + std::to_string(staff->id) + "/ruolo",
                           {{"csrf", admin_.csrf}, {"ruolo", "editor"}}, admin_.cookie);
  ASSERT_EQ(res->status, 303);
  auto done = s_->get(res->get_header_value("Location"), admin_.cookie);
  EXPECT_NE(done->body.find("Account staff@example.org: ora ha il ruolo «redazione»"), std::string::npos) << done->body;
  EXPECT_NE(done->body.find("<option value=\"editor\" selected>redazione</option>"), std::string::npos);
  EXPECT_EQ(s_->get("/staff/rendicontazione", staff_.cookie)->status, 403) << "the same session, at its next page";
  EXPECT_EQ(s_->get("/staff/proposte", staff_.cookie)->status, 200);
  EXPECT_NE(audit_text().find("admin@example.org|account_role|staff@example.org|da personale a redazione"),
            std::string::npos)
      << audit_text();
  res = s_->post_form("/staff/account/" + std::to_string(admin->id) + "/ruolo",
                      {{"csrf", admin_.csrf}, {"ruolo", "staff"}}, admin_.cookie);
  EXPECT_EQ(res->status, 400);
  EXPECT_NE(res->body.find("Non puoi cambiare il tuo stesso ruolo"), std::string::npos) << res->body;
  EXPECT_EQ(s_->accounts().find_account("admin@example.org")->role, Role::kAdmin);
  res = s_->post_form("/staff/account/" + std::to_string(staff->id) + "/ruolo",
                      {{"csrf", admin_.csrf}, {"ruolo", "capo"}}, admin_.cookie);
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(s_->accounts().find_account("staff@example.org")->role, Role::kEditor);
}

// The secretary downloads the CSV of the period on screen for the funder:
// it has that period's figures, not the whole programme's.
TEST_F(StaffPagesTest, TheReportsCsvLinkKeepsThePeriodOnScreen) {
  reg("m03-nord", "a@example.org");
  auto page = s_->get("/staff/rendicontazione?dal=2098-01-01&al=2098-12-31&per=iscrizione", staff_.cookie);
  ASSERT_EQ(page->status, 200);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(page->body, m, std::regex("href=\"(/staff/rendicontazione\\.csv[^\"]*)\"")))
      << page->body;
  const std::string link = std::regex_replace(m[1].str(), std::regex("&amp;"), "&");
  // Without JavaScript the print button would do nothing: hidden, and the
  // page says Ctrl+P instead (staff.js shows the button).
  EXPECT_NE(page->body.find("data-print hidden>Stampa (A4)</button>"), std::string::npos);
  EXPECT_NE(page->body.find("<noscript><span class=\"muted\">Stampa questa pagina (Ctrl+P)"), std::string::npos);
  auto csv = s_->get(link, staff_.cookie);
  ASSERT_EQ(csv->status, 200);
  EXPECT_NE(csv->body.find("dal 1° gennaio 2098 al 31 dicembre 2098;iscrizioni arrivate nel periodo"),
            std::string::npos)
      << link << "\n"
      << csv->body;
  EXPECT_NE(csv->body.find("Tipo di attività;Moduli formativi;;0;"), std::string::npos) << csv->body;
  // The registrations to the activities of March 2099: all of them.
  csv = s_->get("/staff/rendicontazione.csv?dal=2099-03-01&al=2099-03-31", staff_.cookie);
  EXPECT_NE(csv->body.find("Tipo di attività;Moduli formativi;;1;"), std::string::npos) << csv->body;
  // Without a period, the same link gives the whole programme.
  csv = s_->get("/staff/rendicontazione.csv", staff_.cookie);
  EXPECT_NE(csv->body.find("Tipo di attività;Moduli formativi;;1;"), std::string::npos) << csv->body;
}

// A period that ends before it starts is said at the two dates, which keep
// what was typed, on the report and on the activity log; no figures of
// another period are shown in its place.
TEST_F(StaffPagesTest, APeriodThatEndsBeforeItStartsIsSaidAtTheDates) {
  reg("m03-nord", "a@example.org");
  for (const std::string& path : {std::string("/staff/rendicontazione"), std::string("/staff/registro")}) {
    SCOPED_TRACE(path);
    auto page =
        s_->get(path + "?dal=2026-05-10&al=2026-05-01", path == "/staff/registro" ? admin_.cookie : staff_.cookie);
    ASSERT_EQ(page->status, 400);
    EXPECT_NE(page->body.find("role=\"alert\" id=\"period-error\">Il periodo finisce prima di cominciare"),
              std::string::npos)
        << page->body;
    EXPECT_NE(page->body.find("name=\"dal\" value=\"2026-05-10\" aria-invalid=\"true\""), std::string::npos);
    EXPECT_NE(page->body.find("name=\"al\" value=\"2026-05-01\" aria-invalid=\"true\""), std::string::npos);
    EXPECT_EQ(page->body.find(".csv"), std::string::npos) << "no download of another period";
    EXPECT_EQ(page->body.find("data-figure=\"confirmed\""), std::string::npos);
  }
}

// A person phones: their address was mistyped, so no message reached them.
// The staff correct it (GDPR art. 16); only the new address gets links that
// work, and the log says what changed, never the values.
TEST_F(StaffPagesTest, TheStaffRegisterSomeoneWhoPhonedAndTheyGetTheirPersonalLink) {
  // From the edition's page, as the secretary taking a phone call.
  auto edition = s_->get("/staff/edizioni/small", staff_.cookie);
  ASSERT_EQ(edition->status, 200);
  EXPECT_NE(edition->body.find("href=\"/staff/edizioni/small/iscrivi\">Iscrivi una persona</a>"), std::string::npos);
  auto form = s_->get("/staff/edizioni/small/iscrivi", staff_.cookie);
  ASSERT_EQ(form->status, 200);
  EXPECT_NE(form->body.find("Ci sono ancora 2 posti liberi su 2."), std::string::npos) << form->body;
  EXPECT_EQ(form->body.find("value=\"under-14\""), std::string::npos);  // a guardian consents on the site

  std::map<std::string, std::string> fields = {
      {"csrf", staff_.csrf},         {"first_name", "Anna"},    {"last_name", "Rossi"},
      {"email", "anna@example.org"}, {"organisation", "Auser"}, {"role", "volontario"},
      {"region", "umbria"},          {"age_band", "over-35"},   {"notes", "Usa la sedia a rotelle"}};
  // Without the privacy box: refused beside it, everything typed kept.
  auto bad = s_->post_form("/staff/edizioni/small/iscrivi", fields, staff_.cookie);
  ASSERT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("id=\"consent-error\">spunta la casella solo dopo aver dato l&apos;informativa"),
            std::string::npos)
      << bad->body;
  EXPECT_NE(bad->body.find("value=\"Rossi\""), std::string::npos);
  EXPECT_NE(bad->body.find(">Usa la sedia a rotelle</textarea>"), std::string::npos);
  EXPECT_NE(bad->body.find("<option value=\"umbria\" selected>"), std::string::npos);
  EXPECT_TRUE(s_->ctx().store->list("small")->empty());

  fields["consent"] = "true";
  auto done = s_->post_form("/staff/edizioni/small/iscrivi", fields, staff_.cookie);
  ASSERT_EQ(done->status, 303) << done->body;
  const std::string location = done->get_header_value("Location");
  ASSERT_EQ(location.rfind("/staff/persone/", 0), 0u) << location;
  const std::string code = location.substr(strlen("/staff/persone/"), location.find('?') - strlen("/staff/persone/"));
  const auto stored = s_->ctx().store->find(code);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->status, "confirmed");
  EXPECT_EQ(stored->edition_id, "small");
  EXPECT_EQ(stored->notes, "Usa la sedia a rotelle");
  EXPECT_TRUE(stored->consent);
  EXPECT_FALSE(stored->consent_at.empty());
  // The person is told, with the link to their own page.
  const auto box = s_->ctx().store->outbox(false, 100);
  ASSERT_FALSE(box->empty());
  EXPECT_EQ(box->front().recipient, "anna@example.org");
  EXPECT_NE(box->front().body.find("https://example.org/iscrizione/" + code + "?token="), std::string::npos)
      << box->front().body;
  auto person = s_->get(location, staff_.cookie);
  ASSERT_EQ(person->status, 200);
  // Without BP_MAIL_COMMAND the message waits: the page does not say it left.
  EXPECT_NE(person->body.find("registrata e confermata. Il messaggio con il suo link personale per "
                              "anna@example.org resta in coda: l'invio della posta non è configurato"),
            std::string::npos)
      << person->body;
  s_->ctx().options.mail_command = "cat > /dev/null";
  EXPECT_NE(s_->get(location, staff_.cookie)
                ->body.find("registrata e confermata. Le stiamo mandando un messaggio all'indirizzo anna@example.org"),
            std::string::npos);
  // What the person said for the organisers is on their page too.
  EXPECT_NE(person->body.find("<li><a href=\"/staff/edizioni/small\">small</a>: Usa la sedia a rotelle</li>"),
            std::string::npos)
      << person->body;
  EXPECT_NE(audit_text().find("staff@example.org|register|" + code + "|edizione small, confermata"), std::string::npos)
      << audit_text();
  // The person's history says it once: «iscrizione presa dallo staff», then
  // where and how (it said «… dallo staff: iscritta dallo staff all'…»).
  EXPECT_NE(person->body.find("iscrizione presa dallo staff: edizione small, confermata"), std::string::npos)
      << person->body;
  EXPECT_EQ(person->body.find("iscritta dallo staff"), std::string::npos);

  // The same address again: said beside the e-mail.
  auto twice = s_->post_form("/staff/edizioni/small/iscrivi", fields, staff_.cookie);
  ASSERT_EQ(twice->status, 409);
  EXPECT_NE(twice->body.find("id=\"email-error\">questo indirizzo e-mail è già iscritto a questa edizione"),
            std::string::npos)
      << twice->body;
  // With a link to the registration the address has.
  EXPECT_NE(twice->body.find("<a href=\"/staff/persone/" + code + "\">Apri la scheda dell'iscrizione che c'è"),
            std::string::npos)
      << twice->body;
  // The last seat, then the waiting list, said before and after.
  reg("small", "seconda@example.org");
  form = s_->get("/staff/edizioni/small/iscrivi", staff_.cookie);
  EXPECT_NE(form->body.find("I posti sono finiti: la persona va in lista d&apos;attesa"), std::string::npos);
  EXPECT_NE(form->body.find("se si libera un posto è confermata subito, senza link da aprire"), std::string::npos)
      << form->body;
  fields["email"] = "terza@example.org";
  done = s_->post_form("/staff/edizioni/small/iscrivi", fields, staff_.cookie);
  ASSERT_EQ(done->status, 303);
  person = s_->get(done->get_header_value("Location"), staff_.cookie);
  EXPECT_NE(person->body.find("è piena: iscrizione in lista d'attesa, al 1° posto."), std::string::npos)
      << person->body;

  // A closed edition says why, with no form; tutoring is asked on the site.
  form = s_->get("/staff/edizioni/closed/iscrivi", staff_.cookie);
  ASSERT_EQ(form->status, 200);
  EXPECT_NE(form->body.find("Non si può più iscrivere nessuno: le iscrizioni a questa edizione sono chiuse"),
            std::string::npos)
      << form->body;
  EXPECT_EQ(form->body.find("<form method=\"post\" action=\"/staff/edizioni/closed/iscrivi\""), std::string::npos);
  fields["email"] = "quarta@example.org";
  EXPECT_EQ(s_->post_form("/staff/edizioni/closed/iscrivi", fields, staff_.cookie)->status, 400);
  EXPECT_TRUE(s_->ctx().store->list("closed")->empty());
  EXPECT_EQ(s_->get("/staff/edizioni/tutoraggio-nord", staff_.cookie)->body.find("/iscrivi\""), std::string::npos);
  EXPECT_EQ(s_->get("/staff/edizioni/tutoraggio-nord/iscrivi", staff_.cookie)->status, 400);
}

// A stand-in on a residency's first day: the site no longer takes
// registrations once an edition began (or its deadline passed), the staff
// still do, until it ends.
TEST_F(StaffPagesTest, TheStaffRegisterAPersonAfterTheStartUntilTheEditionEnds) {
  const Edition& small = *s_->ctx().desk->catalogue().edition("small");
  desk_now_ = small.sessions[1].start_utc - 3600;  // after the first meeting, before the second
  json p = {{"edition", "small"},         {"first_name", "Bea"},     {"last_name", "Neri"},
            {"email", "bea@example.org"}, {"organisation", "Auser"}, {"role", "volontario"},
            {"region", "umbria"},         {"age_band", "over-35"},   {"consent", true}};
  auto site = s_->client->Post("/api/registrations", p.dump(), "application/json");
  ASSERT_TRUE(site);
  EXPECT_EQ(site->status, 400) << site->body;
  EXPECT_NE(site->body.find("già iniziata"), std::string::npos) << site->body;

  auto form = s_->get("/staff/edizioni/small/iscrivi", staff_.cookie);
  ASSERT_EQ(form->status, 200);
  EXPECT_NE(form->body.find("Dal sito non ci si può più iscrivere (questa edizione è già iniziata"), std::string::npos)
      << form->body;
  EXPECT_NE(form->body.find("<form method=\"post\" action=\"/staff/edizioni/small/iscrivi\""), std::string::npos);
  std::map<std::string, std::string> fields = {
      {"csrf", staff_.csrf},          {"first_name", "Carlo"},   {"last_name", "Bianchi"},
      {"email", "carlo@example.org"}, {"organisation", "Auser"}, {"role", "volontario"},
      {"region", "umbria"},           {"age_band", "over-35"},   {"consent", "true"}};
  auto done = s_->post_form("/staff/edizioni/small/iscrivi", fields, staff_.cookie);
  ASSERT_EQ(done->status, 303) << done->body;
  const auto list = s_->ctx().store->list("small");
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->front().status, "confirmed");

  // Once it ended: nobody, and the page says why without repeating itself.
  desk_now_ = small.end_utc + 60;
  form = s_->get("/staff/edizioni/small/iscrivi", staff_.cookie);
  EXPECT_NE(form->body.find("Non si può più iscrivere nessuno: questa edizione si è già conclusa"), std::string::npos)
      << form->body;
  EXPECT_EQ(form->body.find("<form method=\"post\" action=\"/staff/edizioni/small/iscrivi\""), std::string::npos);
  fields["email"] = "dora@example.org";
  EXPECT_EQ(s_->post_form("/staff/edizioni/small/iscrivi", fields, staff_.cookie)->status, 400);
  EXPECT_EQ(s_->ctx().store->list("small")->size(), 1u);
}

TEST_F(StaffPagesTest, APersonsPageCancelsTheirRegistrationAndComesBackToThem) {
  const std::string code = reg("small", "torna@example.org");
  auto person = s_->get("/staff/persone/" + code, staff_.cookie);
  ASSERT_EQ(person->status, 200);
  const std::string link = "/staff/iscrizioni/" + code + "/annulla?da=persona";
  ASSERT_NE(person->body.find("href=\"" + link + "\""), std::string::npos) << person->body;
  auto ask = s_->get(link, staff_.cookie);
  ASSERT_EQ(ask->status, 200);
  EXPECT_NE(ask->body.find("href=\"/staff/persone/" + code + "\">No, torna alla scheda della persona"),
            std::string::npos)
      << ask->body;
  auto done = s_->post_form("/staff/iscrizioni/" + code + "/annulla", {{"csrf", staff_.csrf}, {"da", "persona"}},
                            staff_.cookie);
  ASSERT_EQ(done->status, 200);
  EXPECT_NE(done->body.find("id=\"torna-persona\""), std::string::npos) << done->body;
  EXPECT_EQ(s_->ctx().store->find(code)->status, "cancelled");
  // Nothing left to cancel: no link.
  EXPECT_EQ(s_->get("/staff/persone/" + code, staff_.cookie)->body.find(link), std::string::npos);
  // «Cerca» with only spaces says what to type.
  auto blank = s_->post_form("/staff/persone", {{"csrf", staff_.csrf}, {"cerca", "   "}}, staff_.cookie);
  ASSERT_EQ(blank->status, 200);
  EXPECT_NE(blank->body.find("Scrivi un nome, un indirizzo e-mail o un codice da cercare."), std::string::npos);
  EXPECT_EQ(s_->get("/staff/persone", staff_.cookie)->body.find("Scrivi un nome, un indirizzo"), std::string::npos);
}

// With confirmation by e-mail on: registrations made on the site hold
// their seat until confirmed. Both clocks (the desk's, the store's) are the
// system's until a test moves them.
class StaffPagesWithHolds : public ::testing::Test {
 protected:
  void start(int hold_seconds = 0) {
    StoreTestHooks hooks;
    auto clock_of = [](std::atomic<std::int64_t>& now) {
      return [&now] {
        const std::int64_t t = now.load();
        return t ? t : static_cast<std::int64_t>(std::time(nullptr));
      };
    };
    hooks.desk_clock = clock_of(desk_now_);
    hooks.clock = clock_of(store_now_);
    s_ = std::make_unique<test::StaffServer>(dir_.path(), std::move(hooks), true, std::vector<std::string>{},
                                             [hold_seconds](Options& o) {
                                               o.confirm_email = true;
                                               if (hold_seconds > 0) o.hold_seconds = hold_seconds;
                                             });
    ASSERT_TRUE(s_->server->ok()) << s_->server->error();
    s_->add("staff@example.org", Role::kStaff);
    staff_ = s_->login("staff@example.org");
  }
  // A registration made on the site; its code.
  std::string made(const std::string& email, const std::string& edition = "small") {
    json p = {{"edition", edition},   {"first_name", "Pia"}, {"last_name", "Rossi"},  {"email", email},
              {"role", "volontario"}, {"region", "umbria"},  {"age_band", "over-35"}, {"consent", true}};
    auto res = s_->client->Post("/api/registrations", p.dump(), "application/json");
    EXPECT_EQ(res->status, 201) << res->body;
    return res->status == 201 ? json::parse(res->body)["code"].get<std::string>() : std::string();
  }
  std::int64_t first_meeting_begun() const {
    return s_->ctx().desk->catalogue().edition("small")->sessions.front().start_utc + 60;
  }

  TempDir dir_;
  std::atomic<std::int64_t> desk_now_{0}, store_now_{0};
  std::unique_ptr<test::StaffServer> s_;
  test::Login staff_;
};

// At the desk of a residency: the first meeting's boxes are ticked, then
// someone who has not confirmed arrives and is confirmed from the same
// table. «Conferma» sends the whole form: the ticks are saved, not lost.
TEST_F(StaffPagesWithHolds, ConfirmingFromTheEditionPageKeepsTheAttendanceTicked) {
  start();
  const std::string here = made("pia@example.org"), late = made("pio@example.org"),
                    later = made("pea@example.org", "thirty"), elsewhere = made("ugo@example.org", "thirty");
  ASSERT_TRUE(s_->ctx().store->confirm(here, {}).ok());
  ASSERT_EQ(s_->ctx().store->find(late)->status, "pending");
  desk_now_ = first_meeting_begun();
  auto page = s_->get("/staff/edizioni/small", staff_.cookie);
  ASSERT_NE(page->body.find("name=\"conferma\" value=\"" + late + "\""), std::string::npos) << page->body;
  auto done = s_->post_multipart(
      "/staff/edizioni/small/presenze",
      {{"csrf", staff_.csrf}, {"r_" + here, "1"}, {"p_" + here + "_0", "1"}, {"conferma", late}}, staff_.cookie);
  ASSERT_EQ(done->status, 303) << done->body;
  EXPECT_EQ(done->get_header_value("Location"), "/staff/edizioni/small?confermata=" + late);
  EXPECT_EQ(s_->ctx().store->find(late)->status, "confirmed");
  const auto met = s_->ctx().store->back_office().meeting_attendance("small");
  ASSERT_TRUE(met.ok());
  EXPECT_EQ(met->at(s_->ctx().store->find(here)->id), (std::set<int>{0})) << "the tick was kept";
  // A form that lists no row (a filter that shows no one confirmed) saves
  // nothing, and the log does not say attendance was saved.
  AuditQuery saved;
  saved.action = "attendance";
  ASSERT_EQ(s_->accounts().audit(saved)->size(), 1u);
  done = s_->post_multipart("/staff/edizioni/thirty/presenze", {{"csrf", staff_.csrf}, {"conferma", later}},
                            staff_.cookie);
  ASSERT_EQ(done->status, 303) << done->body;
  EXPECT_EQ(s_->ctx().store->find(later)->status, "confirmed");
  EXPECT_EQ(s_->accounts().audit(saved)->size(), 1u);
  // A code of another edition is not confirmed from this page.
  done = s_->post_multipart("/staff/edizioni/small/presenze", {{"csrf", staff_.csrf}, {"conferma", elsewhere}},
                            staff_.cookie);
  EXPECT_EQ(done->status, 404);
  EXPECT_EQ(s_->ctx().store->find(elsewhere)->status, "pending");
}

// Someone read the confirmation e-mail too late and phones: their hold
// lapsed, the seat is still free. The staff confirm it from their page, as
// the late link's «Conferma comunque» would.
TEST_F(StaffPagesWithHolds, AHoldThatLapsedCanStillBeConfirmedByTheStaffWhileASeatIsFree) {
  start(/*hold_seconds=*/60);  // lapses well within the staff's session
  const std::string code = made("pia@example.org");
  store_now_ = std::time(nullptr) + 300;  // after the hold
  ASSERT_EQ(s_->ctx().store->find(code)->status, "expired");
  auto page = s_->get("/staff/persone/" + code, staff_.cookie);
  ASSERT_NE(page->body.find("action=\"/staff/iscrizioni/" + code + "/conferma\""), std::string::npos) << page->body;
  EXPECT_NE(s_->get("/staff/edizioni/small", staff_.cookie)->body.find("name=\"conferma\" value=\"" + code + "\""),
            std::string::npos);
  auto done = s_->post_form("/staff/iscrizioni/" + code + "/conferma", {{"csrf", staff_.csrf}, {"da", "persona"}},
                            staff_.cookie);
  ASSERT_EQ(done->status, 303) << done->body;
  EXPECT_EQ(s_->ctx().store->find(code)->status, "confirmed");
}

TEST_F(StaffPagesWithHolds, AnErasedHoldIsNotOfferedToConfirmAndSaysWhy) {
  // A person asks for their data to be erased before confirming: the row
  // stays in the edition's table as «[dati cancellati]», without actions.
  start();
  s_->add("admin@example.org", Role::kAdmin);
  const test::Login admin = s_->login("admin@example.org");
  const std::string code = made("pia@example.org");
  auto erased = s_->post_form("/staff/persone/" + code + "/cancella", {{"csrf", admin.csrf}, {"conferma", "CANCELLA"}},
                              admin.cookie);
  ASSERT_LT(erased->status, 400) << erased->body;
  ASSERT_EQ(s_->ctx().store->find(code)->status, "pending");
  const std::string edition = s_->get("/staff/edizioni/small", staff_.cookie)->body;
  EXPECT_NE(edition.find("/staff/persone/" + code), std::string::npos) << edition;
  EXPECT_EQ(edition.find("name=\"conferma\" value=\"" + code + "\""), std::string::npos) << edition;
  EXPECT_EQ(edition.find("/staff/iscrizioni/" + code + "/annulla"), std::string::npos);
  // Confirming anyway says why, not that it was cancelled.
  auto confirm = s_->post_form("/staff/iscrizioni/" + code + "/conferma", {{"csrf", staff_.csrf}}, staff_.cookie);
  EXPECT_EQ(confirm->status, 409);
  EXPECT_NE(confirm->body.find("I dati di questa iscrizione sono stati cancellati: non si può più confermare."),
            std::string::npos)
      << confirm->body;
}

TEST_F(StaffPagesWithHolds, APersonsPageConfirmsAHeldRegistrationAndSaysSo) {
  // A person who cannot find the confirmation e-mail phones: the staff
  // confirm from their page and stay on it.
  start();
  const std::string code = made("pia@example.org");
  ASSERT_EQ(s_->ctx().store->find(code)->status, "pending");
  auto page = s_->get("/staff/persone/" + code, staff_.cookie);
  ASSERT_NE(page->body.find("action=\"/staff/iscrizioni/" + code + "/conferma\""), std::string::npos) << page->body;
  auto done = s_->post_form("/staff/iscrizioni/" + code + "/conferma", {{"csrf", staff_.csrf}, {"da", "persona"}},
                            staff_.cookie);
  ASSERT_EQ(done->status, 303);
  EXPECT_EQ(done->get_header_value("Location"), "/staff/persone/" + code + "?confermata=" + code);
  EXPECT_EQ(s_->ctx().store->find(code)->status, "confirmed");
  page = s_->get(done->get_header_value("Location"), staff_.cookie);
  EXPECT_NE(page->body.find("id=\"confermata\">Iscrizione " + code + " all'edizione small confermata"),
            std::string::npos)
      << page->body;
  EXPECT_EQ(page->body.find("action=\"/staff/iscrizioni/" + code + "/conferma\""), std::string::npos);
  // From the edition's page, back to it as before.
  const std::string other = made("pio@example.org");
  done = s_->post_form("/staff/iscrizioni/" + other + "/conferma", {{"csrf", staff_.csrf}}, staff_.cookie);
  EXPECT_EQ(done->get_header_value("Location"), "/staff/edizioni/small?confermata=" + other);
}

// A note written wrong is corrected or deleted by whoever wrote it (or an
// admin), never by another member of the staff; the log says which, never
// the words.
TEST_F(StaffPagesTest, ANoteIsCorrectedOrDeletedByItsAuthorOnly) {
  const std::string code = reg("small", "correggi.nota@example.org");
  ASSERT_EQ(s_->post_form("/staff/persone/" + code + "/nota", {{"csrf", staff_.csrf}, {"nota", "Chiamare luendì"}},
                          staff_.cookie)
                ->status,
            303);
  const auto id = [&] {
    auto notes = s_->ctx().store->back_office().notes({s_->ctx().store->find(code)->id});
    return notes->empty() ? std::string() : std::to_string(notes->front().id);
  };
  const std::string note = id();
  ASSERT_FALSE(note.empty());
  auto page = s_->get("/staff/persone/" + code, staff_.cookie);
  EXPECT_NE(page->body.find("action=\"/staff/persone/" + code + "/nota/" + note + "\""), std::string::npos)
      << page->body;
  // Another member of the staff sees it, without the form, and cannot change it.
  s_->add("collega@example.org", Role::kStaff);
  const auto colleague = s_->login("collega@example.org");
  EXPECT_EQ(s_->get("/staff/persone/" + code, colleague.cookie)->body.find("/nota/" + note + "\""), std::string::npos);
  EXPECT_EQ(s_->post_form("/staff/persone/" + code + "/nota/" + note, {{"csrf", colleague.csrf}, {"azione", "elimina"}},
                          colleague.cookie)
                ->status,
            403);
  // Its author corrects it; an empty text is refused (deleting is «Elimina»).
  auto fixed = s_->post_form("/staff/persone/" + code + "/nota/" + note,
                             {{"csrf", staff_.csrf}, {"azione", "salva"}, {"nota", "Chiamare lunedì"}}, staff_.cookie);
  ASSERT_EQ(fixed->status, 303);
  EXPECT_EQ(fixed->get_header_value("Location"), "/staff/persone/" + code + "?nota=modificata#note");
  EXPECT_EQ(s_->ctx().store->back_office().notes({s_->ctx().store->find(code)->id})->front().body, "Chiamare lunedì");
  EXPECT_EQ(s_->post_form("/staff/persone/" + code + "/nota/" + note,
                          {{"csrf", staff_.csrf}, {"azione", "salva"}, {"nota", " "}}, staff_.cookie)
                ->status,
            400);
  // A note of another registration, by its number, is not this one's.
  const std::string other = reg("small", "altra.nota@example.org");
  EXPECT_EQ(s_->post_form("/staff/persone/" + other + "/nota/" + note, {{"csrf", staff_.csrf}, {"azione", "elimina"}},
                          staff_.cookie)
                ->status,
            404);
  // An admin deletes it.
  auto gone = s_->post_form("/staff/persone/" + code + "/nota/" + note, {{"csrf", admin_.csrf}, {"azione", "elimina"}},
                            admin_.cookie);
  ASSERT_EQ(gone->status, 303);
  EXPECT_TRUE(id().empty());
  EXPECT_NE(s_->get("/staff/persone/" + code + "?nota=eliminata", staff_.cookie)->body.find("Nota eliminata."),
            std::string::npos);
  EXPECT_NE(audit_text().find("staff@example.org|note|" + code + "|nota interna modificata"), std::string::npos);
  EXPECT_NE(audit_text().find("admin@example.org|note|" + code + "|nota interna eliminata"), std::string::npos);
  EXPECT_EQ(audit_text().find("lunedì"), std::string::npos);
}

TEST_F(StaffPagesTest, NotesAndHistoryOnAPersonsPageForTheStaffOnly) {
  const std::string code = reg("small", "nota@example.org");
  const std::string other = reg("residenza-lecce-2099", "nota@example.org");
  auto saved = s_->post_form("/staff/persone/" + code + "/nota",
                             {{"csrf", staff_.csrf}, {"nota", "Ha telefonato: <arriva> in ritardo\nal primo incontro"}},
                             staff_.cookie);
  ASSERT_EQ(saved->status, 303);
  EXPECT_EQ(saved->get_header_value("Location"), "/staff/persone/" + code + "?nota=1#note");
  // A cancellation by the staff, for the history.
  ASSERT_EQ(s_->post_form("/staff/iscrizioni/" + other + "/annulla", {{"csrf", admin_.csrf}}, admin_.cookie)->status,
            200);
  auto page = s_->get("/staff/persone/" + code + "?nota=1", staff_.cookie);
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("Nota salvata."), std::string::npos);
  // Escaped, kept whole, with who wrote it.
  EXPECT_NE(page->body.find("Ha telefonato: &lt;arriva&gt; in ritardo\nal primo incontro"), std::string::npos)
      << page->body;
  EXPECT_NE(page->body.find("staff@example.org · " + code), std::string::npos);
  // The history: made on the site, then cancelled by whom.
  EXPECT_NE(page->body.find("<code>" + code + "</code> · iscrizione dal sito all&apos;edizione small"),
            std::string::npos)
      << page->body;
  const std::size_t made = page->body.find("<code>" + other + "</code> · iscrizione dal sito");
  const std::size_t cancelled = page->body.find("<code>" + other + "</code> · annullamento");
  ASSERT_NE(made, std::string::npos);
  EXPECT_LT(made, cancelled);  // in order, even within one second
  EXPECT_NE(page->body.find("<code>" + other +
                            "</code> · annullamento di un&apos;iscrizione: edizione residenza-lecce-2099 "
                            "<span class=\"muted\">(admin@example.org)</span>"),
            std::string::npos)
      << page->body;
  // The log says a note was written, never what.
  EXPECT_NE(audit_text().find("staff@example.org|note|" + code + "|nota interna aggiunta"), std::string::npos);
  EXPECT_EQ(audit_text().find("ritardo"), std::string::npos);
  // An empty note is refused.
  EXPECT_EQ(
      s_->post_form("/staff/persone/" + code + "/nota", {{"csrf", staff_.csrf}, {"nota", "  "}}, staff_.cookie)->status,
      400);
  // A long note in accented Italian, as the page's form sends it (multipart:
  // a urlencoded «è» is six bytes, past the 8 KiB limit of such forms), is
  // kept up to the 2,000 characters the field allows, not bytes.
  EXPECT_NE(page->body.find("action=\"/staff/persone/" + code +
                            "/nota\" class=\"staff-form\" enctype=\"multipart/form-data\""),
            std::string::npos);
  std::string long_note;
  for (int i = 0; i < 1999; ++i) long_note += "è";
  auto kept = s_->post_multipart("/staff/persone/" + code + "/nota", {{"csrf", staff_.csrf}, {"nota", "è" + long_note}},
                                 staff_.cookie);
  EXPECT_EQ(kept->status, 303) << kept->body;
  auto too_long = s_->post_multipart("/staff/persone/" + code + "/nota",
                                     {{"csrf", staff_.csrf}, {"nota", "èè" + long_note}}, staff_.cookie);
  EXPECT_EQ(too_long->status, 400);
  EXPECT_NE(too_long->body.find("al massimo 2000 caratteri"), std::string::npos);
  // The person's data include it; the erasure removes it.
  auto data = s_->get("/staff/persone/" + code + "/dati", admin_.cookie);
  ASSERT_EQ(data->status, 200);
  EXPECT_NE(data->body.find("\"staff_notes\":[{\"author\":\"staff@example.org\""), std::string::npos) << data->body;
  auto erased = s_->post_form("/staff/persone/" + code + "/cancella", {{"csrf", admin_.csrf}, {"conferma", "CANCELLA"}},
                              admin_.cookie);
  ASSERT_LT(erased->status, 400) << erased->body;
  EXPECT_TRUE(s_->ctx().store->back_office().notes({s_->ctx().store->find(code)->id})->empty());
  page = s_->get("/staff/persone/" + code, staff_.cookie);
  EXPECT_EQ(page->body.find("ritardo"), std::string::npos);
  // The history says it, for each registration of the person.
  EXPECT_NE(page->body.find("<code>" + code + "</code> · cancellazione dei dati di una persona"), std::string::npos)
      << page->body;
  EXPECT_NE(page->body.find("<code>" + other + "</code> · dati personali cancellati"), std::string::npos);
  EXPECT_EQ(page->body.find("action=\"/staff/persone/" + code + "/nota\""), std::string::npos);
}

TEST_F(StaffPagesTest, TheStaffCorrectAMistypedAddressAndOnlyTheNewOneGetsWorkingLinks) {
  json p = {{"edition", "small"},
            {"first_name", "Giulia"},
            {"last_name", "Feraro"},
            {"email", "giulia@exmaple.org"},
            {"organisation", "APS Filo Verde"},
            {"role", "volontario"},
            {"region", "umbria"},
            {"age_band", "over-35"},
            {"consent", true}};
  auto made = s_->client->Post("/api/registrations", p.dump(), "application/json");
  ASSERT_EQ(made->status, 201) << made->body;
  const std::string code = json::parse(made->body)["code"];
  const std::string old_link =
      json::parse(made->body)["cancel_url"].get<std::string>().substr(strlen("https://example.org"));
  ASSERT_EQ(s_->get(old_link)->status, 200);

  // The same address in another edition: the form says it stays as it is.
  const std::string other = reg("residenza-lecce-2099", "giulia@exmaple.org");
  auto person = s_->get("/staff/persone/" + code, staff_.cookie);
  ASSERT_EQ(person->status, 200);
  EXPECT_NE(person->body.find("href=\"/staff/persone/" + code + "/correggi\""), std::string::npos);
  auto form = s_->get("/staff/persone/" + code + "/correggi", staff_.cookie);
  ASSERT_EQ(form->status, 200);
  EXPECT_NE(form->body.find("value=\"giulia@exmaple.org\""), std::string::npos);
  EXPECT_NE(form->body.find("<option value=\"umbria\" selected>"), std::string::npos);
  // The other registration is offered too, ticked; unticked (as below) it
  // stays as it is.
  EXPECT_NE(form->body.find("name=\"tutte\" value=\"1\" checked> Correggi anche l&apos;altra sua iscrizione con lo "
                            "stesso indirizzo"),
            std::string::npos)
      << form->body;

  std::map<std::string, std::string> fields = {
      {"csrf", staff_.csrf},       {"first_name", "Giulia"},           {"last_name", "Ferraro"},
      {"email", "giulia@example"}, {"organisation", "APS Filo Verde"}, {"role", "volontario"},
      {"region", "umbria"}};
  // A bad address is refused beside its field, and what was typed stays.
  auto bad = s_->post_form("/staff/persone/" + code + "/correggi", fields, staff_.cookie);
  ASSERT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("id=\"email-error\">indirizzo e-mail non valido"), std::string::npos) << bad->body;
  EXPECT_NE(bad->body.find("value=\"Ferraro\""), std::string::npos);
  EXPECT_EQ(s_->ctx().store->find(code)->last_name, "Feraro");
  // A region the form does not offer (a tampered form) is not shown as the
  // first one of the list, which a second «Salva» would store.
  fields["email"] = "giulia@example.org";
  fields["region"] = "atlantide";
  bad = s_->post_form("/staff/persone/" + code + "/correggi", fields, staff_.cookie);
  ASSERT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("<option value=\"\" selected>— scegli —</option>"), std::string::npos) << bad->body;
  EXPECT_NE(bad->body.find("aria-describedby=\"region-error\" aria-invalid=\"true\""), std::string::npos);
  fields["region"] = "umbria";
  // An address with an active registration in the same edition: said
  // beside the e-mail, the form kept.
  reg("small", "gia.iscritta@example.org");
  fields["email"] = "gia.iscritta@example.org";
  auto taken = s_->post_form("/staff/persone/" + code + "/correggi", fields, staff_.cookie);
  ASSERT_EQ(taken->status, 409);
  EXPECT_NE(taken->body.find("id=\"email-error\">l&apos;indirizzo gia.iscritta@example.org ha già un&apos;iscrizione "
                             "attiva a questa edizione"),
            std::string::npos)
      << taken->body;
  EXPECT_NE(taken->body.find("value=\"Ferraro\""), std::string::npos);
  EXPECT_EQ(s_->ctx().store->find(code)->email, "giulia@exmaple.org");
  // So is an address with a place in another hub's edition of the module:
  // one place per person among an activity's editions.
  const std::string elsewhere = reg("thirty", "altro.hub@example.org");
  fields["email"] = "altro.hub@example.org";
  taken = s_->post_form("/staff/persone/" + code + "/correggi", fields, staff_.cookie);
  ASSERT_EQ(taken->status, 409);
  EXPECT_NE(taken->body.find("id=\"email-error\">l&apos;indirizzo altro.hub@example.org ha già un&apos;iscrizione "
                             "attiva all&apos;edizione thirty della stessa attività (codice " +
                             elsewhere + ")"),
            std::string::npos)
      << taken->body;
  EXPECT_EQ(s_->ctx().store->find(code)->email, "giulia@exmaple.org");

  fields["email"] = "giulia@example.org";
  auto done = s_->post_form("/staff/persone/" + code + "/correggi", fields, staff_.cookie);
  ASSERT_EQ(done->status, 303);
  EXPECT_EQ(done->get_header_value("Location"), "/staff/persone/" + code + "?corretti=1&link=1");
  const auto stored = s_->ctx().store->find(code);
  EXPECT_EQ(stored->email, "giulia@example.org");
  EXPECT_EQ(stored->last_name, "Ferraro");
  EXPECT_EQ(stored->status, "confirmed");
  EXPECT_EQ(s_->ctx().store->find(other)->email, "giulia@exmaple.org");

  // The message to the new address carries the new personal link; the old
  // link, which went to a stranger's address, no longer opens the page.
  const auto box = s_->ctx().store->outbox(false, 100);
  ASSERT_FALSE(box->empty());
  EXPECT_EQ(box->front().recipient, "giulia@example.org");
  EXPECT_NE(box->front().subject.find("indirizzo e-mail è stato corretto"), std::string::npos) << box->front().subject;
  const std::regex link("https://example\\.org(/iscrizione/" + code + "\\?token=[a-z0-9]+)");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(box->front().body, m, link)) << box->front().body;
  EXPECT_EQ(s_->get(m[1].str())->status, 200);
  const auto dead = s_->get(old_link);
  EXPECT_EQ(dead->status, 404);
  EXPECT_NE(dead->body.find("href=\"/iscrizione/nuovo-link\""), std::string::npos) << "where to get working links";
  for (const auto& msg : *box) {
    if (msg.registration_id != stored->id) continue;
    EXPECT_NE(msg.recipient, "giulia@exmaple.org") << "nothing left to send there";
  }

  auto after = s_->get("/staff/persone/" + code + "?corretti=1&link=1", staff_.cookie);
  EXPECT_NE(after->body.find("Abbiamo mandato i nuovi link personali all'indirizzo giulia@example.org"), std::string::npos);
  const std::string log = audit_text();
  EXPECT_NE(log.find("staff@example.org|correct|" + code + "|dati corretti: cognome, e-mail; nuovi link"),
            std::string::npos)
      << log;
  EXPECT_EQ(log.find("exmaple"), std::string::npos) << log;
  EXPECT_EQ(log.find("Ferraro"), std::string::npos) << log;
}

// Luca's address was mistyped in his registrations. One correction, the
// box left ticked, mends them: he stays one person, in the report too, and
// the messages go to the new address. One the new address cannot take
// (already registered there) is said on his page.
TEST_F(StaffPagesTest, ACorrectionMendsThePersonsOtherRegistrationsWhenTicked) {
  const std::string module = reg("m03-nord", "luca.rossi@exmaple.org", "Luca");
  const std::string lecce = reg("residenza-lecce-2099", "luca.rossi@exmaple.org", "Luca");
  const std::string tutoring = reg("tutoraggio-nord", "luca.rossi@exmaple.org", "Luca", "gruppi-di-acquisto-solidale");
  // The right address, already with a tutoring request.
  reg("tutoraggio-nord", "luca.rossi@example.org", "Luca", "gruppi-di-acquisto-solidale");
  std::map<std::string, std::string> fields = {{"csrf", staff_.csrf},
                                               {"first_name", "Luca"},
                                               {"last_name", "Ferrero"},
                                               {"email", "luca.rossi@example.org"},
                                               {"organisation", "APS Filo Verde"},
                                               {"role", "volontario"},
                                               {"region", "umbria"},
                                               {"age_band", "over-35"},
                                               {"tutte", "1"}};
  auto done = s_->post_form("/staff/persone/" + module + "/correggi", fields, staff_.cookie);
  ASSERT_EQ(done->status, 303) << done->body;
  EXPECT_EQ(s_->ctx().store->find(module)->email, "luca.rossi@example.org");
  EXPECT_EQ(s_->ctx().store->find(lecce)->email, "luca.rossi@example.org");
  EXPECT_EQ(s_->ctx().store->find(tutoring)->email, "luca.rossi@exmaple.org")
      << "refused: the right address already asked for tutoring";
  auto page = s_->get(done->get_header_value("Location"), staff_.cookie);
  EXPECT_NE(page->body.find("Corretta anche l&apos;altra iscrizione con lo stesso indirizzo."), std::string::npos)
      << page->body;
  EXPECT_NE(page->body.find("1 iscrizione con il vecchio indirizzo non è stata corretta"), std::string::npos);
  // No longer this person's (another address): linked by its code.
  EXPECT_NE(page->body.find("<a href=\"/staff/persone/" + tutoring + "\"><code>" + tutoring + "</code></a>"),
            std::string::npos)
      << page->body;
  // The person page lists the corrected registrations together.
  EXPECT_NE(page->body.find(lecce), std::string::npos);
  // The message saying so, with working links, goes to the new address for each.
  int to_new = 0;
  const auto box = s_->ctx().store->outbox(false, 100);
  for (const auto& m : *box)
    to_new += m.recipient == "luca.rossi@example.org" &&
              m.subject.find("indirizzo e-mail è stato corretto") != std::string::npos;
  EXPECT_EQ(to_new, 2);
}

// A parent registered themselves and their child with a mistyped address.
// The parent's correction, the box ticked, gives the child's registration
// the new address only: before, it renamed the child after the parent and
// made them an adult (a reviewer's finding).
TEST_F(StaffPagesTest, ACorrectionOfTheParentGivesTheChildTheAddressOnly) {
  const std::string parent = reg("m03-nord", "famiglia@exmaple.org", "Marta");
  json p = {{"edition", "residenza-lecce-2099"},
            {"first_name", "Luca"},
            {"last_name", "Conti"},
            {"email", "famiglia@exmaple.org"},
            {"role", "giovane"},
            {"region", "umbria"},
            {"age_band", "under-14"},
            {"guardian_name", "Marta Ferrero"},
            {"guardian_consent", true},
            {"consent", true}};
  auto res = s_->client->Post("/api/registrations", p.dump(), "application/json");
  ASSERT_EQ(res->status, 201) << res->body;
  const std::string child = json::parse(res->body)["code"];
  std::map<std::string, std::string> fields = {{"csrf", staff_.csrf},
                                               {"first_name", "Marta"},
                                               {"last_name", "Ferraro"},
                                               {"email", "famiglia@example.org"},
                                               {"organisation", "APS Filo Verde"},
                                               {"role", "volontario"},
                                               {"region", "umbria"},
                                               {"age_band", "over-35"},
                                               {"tutte", "1"}};
  auto done = s_->post_form("/staff/persone/" + parent + "/correggi", fields, staff_.cookie);
  ASSERT_EQ(done->status, 303) << done->body;
  EXPECT_EQ(s_->ctx().store->find(parent)->last_name, "Ferraro");
  const auto kid = s_->ctx().store->find(child);
  EXPECT_EQ(kid->email, "famiglia@example.org");
  EXPECT_EQ(kid->first_name, "Luca");
  EXPECT_EQ(kid->last_name, "Conti");
  EXPECT_EQ(kid->age_band, "under-14");
  EXPECT_EQ(kid->role, "giovane");
}

// The age band the funder's report counts is corrected like the contact
// details; never into «under 14», whose guardian's consent is given only
// by registering.
TEST_F(StaffPagesTest, TheStaffCorrectAnAgeBandButNotIntoUnder14) {
  const std::string code = reg("small", "eta@example.org");
  auto form = s_->get("/staff/persone/" + code + "/correggi", staff_.cookie);
  ASSERT_EQ(form->status, 200);
  EXPECT_NE(form->body.find("<option value=\"over-35\" selected>"), std::string::npos) << form->body;
  EXPECT_EQ(form->body.find("value=\"under-14\""), std::string::npos) << "never accepted here: not offered";
  std::map<std::string, std::string> fields = {{"csrf", staff_.csrf},
                                               {"first_name", "Giulia"},
                                               {"last_name", "Ferrero"},
                                               {"email", "eta@example.org"},
                                               {"organisation", "APS Filo Verde"},
                                               {"role", "volontario"},
                                               {"region", "umbria"},
                                               {"age_band", "under-14"}};
  auto minor = s_->post_form("/staff/persone/" + code + "/correggi", fields, staff_.cookie);
  ASSERT_EQ(minor->status, 400);
  EXPECT_NE(minor->body.find("id=\"age_band-error\">per chi ha meno di 14 anni serve il consenso di un genitore"),
            std::string::npos)
      << minor->body;
  EXPECT_EQ(s_->ctx().store->find(code)->age_band, "over-35");
  fields["age_band"] = "18-35";
  auto done = s_->post_form("/staff/persone/" + code + "/correggi", fields, staff_.cookie);
  ASSERT_EQ(done->status, 303) << done->body;
  EXPECT_EQ(done->get_header_value("Location"), "/staff/persone/" + code + "?corretti=1");
  EXPECT_EQ(s_->ctx().store->find(code)->age_band, "18-35");
  EXPECT_NE(audit_text().find("|correct|" + code + "|dati corretti: fascia d'età"), std::string::npos) << audit_text();
  // Not sent (an older form): the band stays.
  fields.erase("age_band");
  fields["organisation"] = "APS Filo Rosso";
  ASSERT_EQ(s_->post_form("/staff/persone/" + code + "/correggi", fields, staff_.cookie)->status, 303);
  EXPECT_EQ(s_->ctx().store->find(code)->age_band, "18-35");
  EXPECT_EQ(s_->ctx().store->find(code)->organisation, "APS Filo Rosso");
}

// «Scrivi» on a person's page: the same form, preview and single sending,
// to that one registration only, whatever its status (a person on the
// waiting list, whom no group message to the confirmed would reach); in
// the edition's history by name, in the person's history and messages.
TEST_F(StaffPagesTest, TheStaffWriteToOnePersonFromTheirPage) {
  const std::string a = reg("small", "a.una@example.org", "Anna");
  reg("small", "b.una@example.org", "Bruno");
  const std::string c = reg("small", "c.una@example.org", "Carla");  // waiting: 2 seats
  ASSERT_EQ(s_->ctx().store->find(c)->status, "waitlisted");
  const auto copies = [this] { return copies_of("Un posto forse si libera"); };
  auto person = s_->get("/staff/persone/" + c, staff_.cookie);
  EXPECT_NE(person->body.find("href=\"/staff/edizioni/small/scrivi?persona=" + c + "\""), std::string::npos)
      << person->body;
  auto form = s_->get("/staff/edizioni/small/scrivi?persona=" + c, staff_.cookie);
  ASSERT_EQ(form->status, 200);
  EXPECT_NE(form->body.find("<h1>Scrivi a Carla Ferrero"), std::string::npos) << form->body;
  EXPECT_EQ(form->body.find("name=\"a_confirmed\""), std::string::npos) << "no groups to choose";
  std::map<std::string, std::string> fields = {{"csrf", staff_.csrf},
                                               {"persona", c},
                                               {"oggetto", "Un posto forse si libera"},
                                               {"testo", "Puoi richiamarci domani?"},
                                               {"azione", "anteprima"}};
  auto preview = s_->post_multipart("/staff/edizioni/small/scrivi", fields, staff_.cookie);
  ASSERT_EQ(preview->status, 200) << preview->body;
  EXPECT_NE(preview->body.find("Manda a Carla Ferrero"), std::string::npos) << preview->body;
  EXPECT_NE(preview->body.find("Ciao Carla,\n\nPuoi richiamarci domani?"), std::string::npos);
  auto sent = send_previewed(preview->body, &fields);
  ASSERT_EQ(sent->status, 303) << sent->body;
  EXPECT_NE(sent->get_header_value("Location").find("&persona=" + c), std::string::npos);
  EXPECT_EQ(s_->post_multipart("/staff/edizioni/small/scrivi", fields, staff_.cookie)->status, 303);  // once
  const auto got = copies();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_NE(got.at("c.una@example.org").find("sei in lista d'attesa"), std::string::npos);
  // The same key with the person changed (a forged field) is not a sending
  // of the previewed message.
  fields["persona"] = a;
  EXPECT_EQ(s_->post_multipart("/staff/edizioni/small/scrivi", fields, staff_.cookie)->status, 200);
  EXPECT_EQ(copies().size(), 1u);
  auto history = s_->get("/staff/edizioni/small/scrivi", staff_.cookie);
  EXPECT_NE(history->body.find("(a Carla Ferrero, " + c + ")"), std::string::npos) << history->body;
  EXPECT_NE(audit_text().find("|write|" + c + "|messaggio alla persona «Un posto forse si libera» (edizione small)"),
            std::string::npos)
      << audit_text();
  EXPECT_NE(s_->get("/staff/persone/" + c, staff_.cookie)->body.find("Un posto forse si libera"), std::string::npos);
  // Not a registration of that edition, nor an unknown code.
  const std::string other = reg("m03-nord", "altra.una@example.org");
  EXPECT_EQ(s_->get("/staff/edizioni/small/scrivi?persona=" + other, staff_.cookie)->status, 404);
  fields["persona"] = other;
  fields["azione"] = "anteprima";
  EXPECT_EQ(s_->post_multipart("/staff/edizioni/small/scrivi", fields, staff_.cookie)->status, 404);
  // Erasing Carla's data takes the staff's words to her along: the
  // edition's history keeps that a message went to her, not what it said.
  ASSERT_EQ(s_->post_form("/staff/persone/" + c + "/cancella", {{"csrf", admin_.csrf}, {"conferma", "CANCELLA"}},
                          admin_.cookie)
                ->status,
            303);
  history = s_->get("/staff/edizioni/small/scrivi", staff_.cookie);
  EXPECT_EQ(history->body.find("Puoi richiamarci domani?"), std::string::npos) << history->body;
  EXPECT_NE(history->body.find("cancellato insieme ai dati personali della persona"), std::string::npos)
      << history->body;
  EXPECT_NE(history->body.find(c + ")"), std::string::npos) << "the message is still listed, by code";
}

// «Scrivi agli iscritti»: the staff write, see the copy one person gets,
// send it once to the groups they chose, and find it in the edition's
// history and the activity log.
TEST_F(StaffPagesTest, TheStaffWriteToAnEditionsParticipantsAfterAPreviewAndOnlyOnce) {
  const std::string a = reg("small", "a.scrivi@example.org", "Anna");
  const std::string b = reg("small", "b.scrivi@example.org", "Bruno");
  const std::string c = reg("small", "c.scrivi@example.org", "Carla");  // waiting: 2 seats
  reg("m03-nord", "altra.edizione@example.org");
  ASSERT_EQ(s_->ctx().store->find(c)->status, "waitlisted");
  const auto staff_copies = [this] { return copies_of("Cambio di orario – "); };

  auto edition = s_->get("/staff/edizioni/small", staff_.cookie);
  EXPECT_NE(edition->body.find("href=\"/staff/edizioni/small/scrivi\""), std::string::npos);
  auto form = s_->get("/staff/edizioni/small/scrivi", staff_.cookie);
  ASSERT_EQ(form->status, 200);
  EXPECT_NE(form->body.find("name=\"a_confirmed\" value=\"1\" checked> Le persone con iscrizione confermata (2 "
                            "persone)"),
            std::string::npos)
      << form->body;
  EXPECT_NE(form->body.find("name=\"a_waitlisted\" value=\"1\"> Le persone in lista d&apos;attesa (1 persona)"),
            std::string::npos);

  std::map<std::string, std::string> fields = {{"csrf", staff_.csrf},
                                               {"a_confirmed", "1"},
                                               {"a_waitlisted", "1"},
                                               {"oggetto", "Cambio di orario\r\nBcc: tutti@example.org"},
                                               {"testo", "Il secondo incontro comincia alle 18.\r\nA presto!"},
                                               {"azione", "anteprima"}};
  // A subject with a line break (a forged form: it would add a header) is
  // refused beside its field, and the text stays as typed.
  auto bad = s_->post_multipart("/staff/edizioni/small/scrivi", fields, staff_.cookie);
  ASSERT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("id=\"subject-error\">l&apos;oggetto deve stare su una riga"), std::string::npos)
      << bad->body;
  EXPECT_EQ(bad->body.find("Cambio di orario\r\n"), std::string::npos) << "the break is not written back";
  EXPECT_NE(bad->body.find("Il secondo incontro comincia alle 18.\nA presto!</textarea>"), std::string::npos);
  fields["oggetto"] = "Cambio di orario";
  // Nobody in the groups chosen: said, not sent to nobody.
  bad =
      s_->post_multipart("/staff/edizioni/small/scrivi",
                         {{"csrf", staff_.csrf}, {"a_pending", "1"}, {"oggetto", "x"}, {"testo", "y"}}, staff_.cookie);
  ASSERT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("non arriverebbe a nessuno"), std::string::npos) << bad->body;

  // The preview: the copy for the first person, nothing sent yet.
  auto preview = s_->post_multipart("/staff/edizioni/small/scrivi", fields, staff_.cookie);
  ASSERT_EQ(preview->status, 200);
  EXPECT_NE(preview->body.find("Manda a 3 persone"), std::string::npos) << preview->body;
  EXPECT_NE(preview->body.find("Ciao Anna,\n\nIl secondo incontro comincia alle 18.\nA presto!"), std::string::npos);
  EXPECT_TRUE(staff_copies().empty());
  auto sent = send_previewed(preview->body, &fields);
  ASSERT_EQ(sent->status, 303) << sent->body;
  const std::string location = sent->get_header_value("Location");
  EXPECT_EQ(location.rfind("/staff/edizioni/small/scrivi?mandato=", 0), 0u) << location;

  // One copy each, with the person's own name, status and code; nobody of
  // another edition.
  auto copies = staff_copies();
  ASSERT_EQ(copies.size(), 3u);
  EXPECT_NE(copies["b.scrivi@example.org"].find("Ciao Bruno,"), std::string::npos);
  EXPECT_NE(copies["b.scrivi@example.org"].find("Codice di iscrizione: " + b), std::string::npos);
  EXPECT_NE(copies["a.scrivi@example.org"].find("sei iscritta o iscritto all'attività «Consumo responsabile"),
            std::string::npos);
  EXPECT_NE(copies["c.scrivi@example.org"].find("sei in lista d'attesa per l'attività «Consumo responsabile"),
            std::string::npos)
      << copies["c.scrivi@example.org"];
  EXPECT_NE(copies["a.scrivi@example.org"].find("/iscrizione/nuovo-link"), std::string::npos);
  EXPECT_EQ(copies.count("altra.edizione@example.org"), 0u);

  // The same form again (a double click, a reload): one message only, and
  // the page of that sending.
  auto again = s_->post_multipart("/staff/edizioni/small/scrivi", fields, staff_.cookie);
  EXPECT_EQ(again->status, 303);
  EXPECT_EQ(again->get_header_value("Location"), location + "&di-nuovo=1");
  EXPECT_NE(s_->get(location + "&di-nuovo=1", staff_.cookie)->body.find("era già stato mandato"), std::string::npos);
  EXPECT_EQ(staff_copies().size(), 3u);
  // A text changed after the preview (another tab, a forged field) is not
  // sent: the preview is shown again.
  fields["testo"] = "Un altro testo.";
  fields["chiave"][0] = fields["chiave"][0] == 'a' ? 'b' : 'a';  // a fresh key, the old digest
  auto changed = s_->post_multipart("/staff/edizioni/small/scrivi", fields, staff_.cookie);
  EXPECT_EQ(changed->status, 200);
  EXPECT_NE(changed->body.find("Il messaggio è cambiato dopo l'anteprima e non è partito"), std::string::npos)
      << changed->body;
  EXPECT_EQ(staff_copies().size(), 3u);

  auto after = s_->get(location, staff_.cookie);
  ASSERT_EQ(after->status, 200);
  EXPECT_NE(after->body.find("Messaggio messo in coda per 3 persone"), std::string::npos) << after->body;
  EXPECT_NE(after->body.find("<strong>Cambio di orario</strong>"), std::string::npos);
  EXPECT_NE(after->body.find("staff@example.org"), std::string::npos) << "who sent it";
  EXPECT_NE(audit_text().find("staff@example.org|write|small|messaggio agli iscritti «Cambio di orario»: 3 persone"),
            std::string::npos)
      << audit_text();
  EXPECT_EQ(s_->get("/staff/edizioni/nessuna/scrivi", staff_.cookie)->status, 404);
  (void)a;
}

// «Sposta»: a person who asks for another edition of the same module keeps
// their code and links, gets the new edition's details, and the seat they
// leave goes to the first person waiting; nobody jumps a waiting list.
TEST_F(StaffPagesTest, TheStaffMoveARegistrationToAnotherEditionsFreeSeat) {
  const std::string a = reg("small", "a.sposta@example.org", "Anna");
  reg("small", "b.sposta@example.org", "Bruno");
  const std::string c = reg("small", "c.sposta@example.org", "Carla");
  ASSERT_EQ(s_->ctx().store->find(c)->status, "waitlisted");

  auto person = s_->get("/staff/persone/" + a, staff_.cookie);
  EXPECT_NE(person->body.find("href=\"/staff/iscrizioni/" + a + "/sposta\""), std::string::npos);
  // A residency has one edition: nowhere to move, no «Sposta».
  const std::string lecce = reg("residenza-lecce-2099", "a.sposta@example.org", "Anna");
  const std::string both = s_->get("/staff/persone/" + a, staff_.cookie)->body;
  EXPECT_NE(both.find(lecce), std::string::npos) << both;
  EXPECT_EQ(both.find("href=\"/staff/iscrizioni/" + lecce + "/sposta\""), std::string::npos);
  EXPECT_EQ(s_->get("/staff/edizioni/residenza-lecce-2099", staff_.cookie)->body.find("/sposta\""), std::string::npos);
  auto form = s_->get("/staff/iscrizioni/" + a + "/sposta", staff_.cookie);
  ASSERT_EQ(form->status, 200);
  EXPECT_NE(form->body.find("value=\"thirty\"> Sud · online"), std::string::npos) << form->body;
  EXPECT_NE(form->body.find("— 30 posti liberi"), std::string::npos);
  EXPECT_NE(form->body.find("value=\"past\" disabled>"), std::string::npos) << "an edition that is over";
  EXPECT_EQ(form->body.find("value=\"tutoraggio-nord\""), std::string::npos) << "another activity";
  EXPECT_NE(form->body.find("passerà a <strong>Carla Ferrero</strong>"), std::string::npos);

  EXPECT_NE(form->body.find("name=\"da\" value=\"small\""), std::string::npos) << "the edition the page saw";
  const auto move = [&](const std::string& from, const std::string& to) {
    return s_->post_form("/staff/iscrizioni/" + a + "/sposta", {{"csrf", staff_.csrf}, {"da", from}, {"edizione", to}},
                         staff_.cookie);
  };
  auto refused = move("small", "past");
  EXPECT_EQ(refused->status, 400);
  EXPECT_NE(refused->body.find("si è già conclusa"), std::string::npos) << refused->body;
  refused = move("small", "tutoraggio-nord");
  EXPECT_EQ(refused->status, 400);
  EXPECT_NE(refused->body.find("stessa attività"), std::string::npos) << refused->body;

  auto moved = move("small", "thirty");
  ASSERT_EQ(moved->status, 303) << moved->body;
  const std::string location = moved->get_header_value("Location");
  EXPECT_EQ(location, "/staff/persone/" + a + "?spostata=small&subentra=" + c);
  auto said = s_->get(location, staff_.cookie);
  EXPECT_NE(said->body.find("Iscrizione spostata dall'edizione <a href=\"/staff/edizioni/small\">small</a>"),
            std::string::npos)
      << said->body;
  EXPECT_NE(said->body.find("è andato a <strong>Carla Ferrero</strong>"), std::string::npos) << said->body;
  const auto now_a = s_->ctx().store->find(a);
  EXPECT_EQ(now_a->edition_id, "thirty");
  EXPECT_EQ(now_a->status, "confirmed");
  EXPECT_EQ(s_->ctx().store->find(c)->status, "confirmed");
  bool told = false;
  const auto mail = s_->ctx().store->messages_for(now_a->id);
  for (const auto& m : *mail)
    told |=
        m.subject == "Iscrizione spostata a un'altra edizione: Consumo responsabile e gruppi di acquisto solidale" &&
        m.body.find("Codice di iscrizione: " + a) != std::string::npos;
  EXPECT_TRUE(told);
  // The same form again (a reload, a second tab): it left "small" already.
  auto stale = move("small", "m03-nord");
  EXPECT_EQ(stale->status, 409);
  EXPECT_NE(stale->body.find("Nel frattempo l&apos;iscrizione è passata all&apos;edizione thirty"), std::string::npos)
      << stale->body;
  EXPECT_EQ(s_->ctx().store->find(a)->edition_id, "thirty");

  // Back to "small", now full with Bruno and Carla: refused, not queued.
  auto full = move("thirty", "small");
  EXPECT_EQ(full->status, 409);
  EXPECT_NE(full->body.find("non ha posti liberi"), std::string::npos) << full->body;
  EXPECT_EQ(s_->ctx().store->find(a)->edition_id, "thirty");
  EXPECT_NE(audit_text().find("staff@example.org|move|" + a +
                              "|spostata dall'edizione small all'edizione thirty; "
                              "promossa dalla lista d'attesa di small: " +
                              c),
            std::string::npos)
      << audit_text();
  ASSERT_TRUE(s_->ctx().store->cancel(a).ok());
  EXPECT_EQ(s_->get("/staff/iscrizioni/" + a + "/sposta", staff_.cookie)->status, 409);
}

// Two hours before the first meeting (2099-03-02 17:00 in Rome), the
// background worker reminds each confirmed person with the meetings and
// their links as programme.yaml has them (not before that window).
TEST_F(StaffPagesTest, ConfirmedPeopleAreRemindedOnceBeforeTheFirstMeetingWithItsLink) {
  const std::string a = reg("m03-nord", "a.reminder@example.org");
  const auto reminders = [this] {
    std::vector<OutboxMessage> out;
    const auto box = s_->ctx().store->outbox(false, 100);
    for (const auto& m : *box)
      if (m.subject.rfind("Promemoria: ", 0) == 0) out.push_back(m);
    return out;
  };
  ASSERT_TRUE(reminders().empty()) << "not two days before";
  desk_now_ = 4076146800;  // 2099-03-02T15:00:00Z
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (reminders().empty() && std::chrono::steady_clock::now() < deadline) {
    s_->ctx().worker->notify();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const auto sent = reminders();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].recipient, "a.reminder@example.org");
  EXPECT_EQ(sent[0].subject,
            "Promemoria: Consumo responsabile e gruppi di acquisto solidale comincia il 2 marzo 2099, ore 17:00");
  EXPECT_NE(sent[0].body.find("collegamento: https://meet.example.org/m03-nord"), std::string::npos) << sent[0].body;
  EXPECT_NE(sent[0].body.find("Codice di iscrizione: " + a), std::string::npos);
  // Its personal link is not known (only its hash is kept): the page that
  // sends new ones is, alone on its line (a ")" or "." after it went into
  // the link in some mail clients, which then opened a missing page).
  EXPECT_NE(sent[0].body.find("\nhttps://example.org/iscrizione/nuovo-link\n"), std::string::npos) << sent[0].body;
  // Once only: AccountStoreTest.EachConfirmedPersonIsRemindedOnce (no wait
  // for a round that should do nothing).
}

TEST_F(StaffPagesTest, AssigningATutoringRequestTellsTheRequesterThroughTheOutbox) {
  const std::string c = reg("tutoraggio-nord", "c@example.org", "Carla", "gruppi-di-acquisto-solidale");
  auto inbox = s_->get("/staff/tutoraggio", staff_.cookie);
  ASSERT_EQ(inbox->status, 200);
  EXPECT_NE(inbox->body.find("avviare un GAS nel quartiere"), std::string::npos);
  // Whom to write to, on the card; and whether the person has confirmed.
  EXPECT_NE(inbox->body.find("APS Filo Verde · <a href=\"mailto:c@example.org\">c@example.org</a> · arrivata il"),
            std::string::npos)
      << inbox->body;
  EXPECT_EQ(inbox->body.find("non ha ancora confermato") != std::string::npos,
            s_->ctx().store->find(c)->status == "pending");
  const auto staff = s_->accounts().find_account("staff@example.org");
  auto res = s_->post_form("/staff/tutoraggio/" + c,
                           {{"csrf", staff_.csrf}, {"stato", "assegnata"}, {"assegnata_a", std::to_string(staff->id)},
                            {"note", "chiamare martedì"}},
                           staff_.cookie);
  ASSERT_EQ(res->status, 303);
  const auto box = s_->ctx().store->outbox(false, 100);
  ASSERT_FALSE(box->empty());
  EXPECT_EQ(box->front().recipient, "c@example.org");
  EXPECT_NE(box->front().subject.find("tutoraggio"), std::string::npos);
  // Whom to expect, what was asked, where the page is, and who writes: as
  // every other message to a registered person.
  const std::string& body = box->front().body;
  EXPECT_NE(body.find("presa in carico da staff@example.org"), std::string::npos) << body;
  EXPECT_NE(body.find("Codice di iscrizione: " + c), std::string::npos) << body;
  EXPECT_NE(body.find("/iscrizione/nuovo-link"), std::string::npos) << body;
  EXPECT_NE(body.find("\n--\nReti solidali e competenti"), std::string::npos) << body;
  const auto cases = s_->ctx().store->back_office().tutoring_cases();
  ASSERT_EQ(cases->size(), 1u);
  EXPECT_EQ(cases->begin()->second.state, "assegnata");
  EXPECT_EQ(cases->begin()->second.notes, "chiamare martedì");
  res = s_->post_form("/staff/tutoraggio/" + c,
                      {{"csrf", staff_.csrf}, {"stato", "conclusa"}, {"assegnata_a", std::to_string(staff->id)}},
                      staff_.cookie);
  ASSERT_EQ(res->status, 303);
  EXPECT_EQ(s_->ctx().store->outbox(false, 100)->size(), box->size()) << "told once";
  // Only an active account of the staff follows a request: not an editor.
  const auto editor = s_->accounts().add_account("redazione@example.org", Role::kEditor, "h");
  ASSERT_TRUE(editor.ok());
  res = s_->post_form("/staff/tutoraggio/" + c,
                      {{"csrf", staff_.csrf}, {"stato", "assegnata"}, {"assegnata_a", std::to_string(editor->id)}},
                      staff_.cookie);
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(s_->ctx().store->back_office().tutoring_cases()->begin()->second.assignee_id, staff->id);
  EXPECT_EQ(s_->ctx().store->outbox(false, 100)->size(), box->size());
  // A note is counted in characters and refused whole when too long, never
  // cut (a cut could split a letter). The page posts it as multipart: 2,000
  // accented letters are more than the 8 KB the library takes urlencoded.
  std::string note;
  for (int i = 0; i < 2001; ++i) note += "\u00e8";
  res = s_->post_multipart(
      "/staff/tutoraggio/" + c,
      {{"csrf", staff_.csrf}, {"stato", "conclusa"}, {"assegnata_a", std::to_string(staff->id)}, {"note", note}},
      staff_.cookie);
  EXPECT_EQ(res->status, 400);
  EXPECT_NE(res->body.find("al massimo 2000 caratteri"), std::string::npos) << res->body.substr(0, 300);
  note.resize(note.size() - 2);
  res = s_->post_multipart(
      "/staff/tutoraggio/" + c,
      {{"csrf", staff_.csrf}, {"stato", "conclusa"}, {"assegnata_a", std::to_string(staff->id)}, {"note", note}},
      staff_.cookie);
  EXPECT_EQ(res->status, 303);
  EXPECT_EQ(s_->ctx().store->back_office().tutoring_cases()->begin()->second.notes, note);
}

// Choosing who follows a new request, with its state left at "nuova", is
// assigning it: the requester is told who, as when both are chosen. (A
// request saved so by an earlier version, "nuova" with someone named, is
// told once it is set to "assegnata".)
TEST_F(StaffPagesTest, ChoosingWhoFollowsANewTutoringRequestAssignsItAndTellsTheRequester) {
  const std::string c = reg("tutoraggio-nord", "c@example.org", "Carla", "gruppi-di-acquisto-solidale");
  const auto staff = s_->accounts().find_account("staff@example.org");
  const std::size_t before = s_->ctx().store->outbox(false, 100)->size();
  ASSERT_EQ(s_->post_form("/staff/tutoraggio/" + c,
                          {{"csrf", staff_.csrf}, {"stato", "nuova"}, {"assegnata_a", std::to_string(staff->id)}},
                          staff_.cookie)
                ->status,
            303);
  EXPECT_EQ(s_->ctx().store->back_office().tutoring_cases()->begin()->second.state, "assegnata");
  const auto box = s_->ctx().store->outbox(false, 100);
  ASSERT_EQ(box->size(), before + 1);
  // The outbox lists the newest first.
  EXPECT_NE(box->front().body.find("presa in carico da staff@example.org"), std::string::npos) << box->front().body;
  // Saved again as it is: not told twice.
  ASSERT_EQ(s_->post_form("/staff/tutoraggio/" + c,
                          {{"csrf", staff_.csrf}, {"stato", "assegnata"}, {"assegnata_a", std::to_string(staff->id)}},
                          staff_.cookie)
                ->status,
            303);
  EXPECT_EQ(s_->ctx().store->outbox(false, 100)->size(), before + 1);
  // An older save left a request "nuova" with someone named: setting it to
  // "assegnata" tells the requester.
  const std::string d = reg("tutoraggio-nord", "d@example.org", "Dario", "gruppi-di-acquisto-solidale");
  TutoringCase old;
  old.registration_id = s_->ctx().store->find(d)->id;
  old.state = "nuova";
  old.assignee_id = staff->id;
  ASSERT_TRUE(s_->ctx().store->back_office().save_tutoring_case(old, std::nullopt).is_ok());
  const std::size_t untold = s_->ctx().store->outbox(false, 100)->size();
  ASSERT_EQ(s_->post_form("/staff/tutoraggio/" + d,
                          {{"csrf", staff_.csrf}, {"stato", "assegnata"}, {"assegnata_a", std::to_string(staff->id)}},
                          staff_.cookie)
                ->status,
            303);
  const auto after = s_->ctx().store->outbox(false, 100);
  ASSERT_EQ(after->size(), untold + 1);
  EXPECT_EQ(after->front().recipient, "d@example.org");
  EXPECT_NE(after->front().body.find("presa in carico"), std::string::npos) << after->front().body;
}

// Marco followed a request, then left: his account is disabled. The card
// still names him and says to pass it on; a note can still be saved; a
// refused save is said on the card with the typed note kept.
TEST_F(StaffPagesTest, ATutoringRequestOfADisabledAccountCanStillBeSavedAndARefusalKeepsTheNote) {
  const std::string c = reg("tutoraggio-nord", "c@example.org", "Carla", "gruppi-di-acquisto-solidale");
  const auto marco = s_->accounts().add_account("marco@example.org", Role::kStaff, "h");
  ASSERT_TRUE(marco.ok());
  ASSERT_EQ(s_->post_form("/staff/tutoraggio/" + c,
                          {{"csrf", staff_.csrf}, {"stato", "assegnata"}, {"assegnata_a", std::to_string(marco->id)}},
                          staff_.cookie)
                ->status,
            303);
  ASSERT_TRUE(s_->accounts().set_disabled(marco->id, true).is_ok());
  auto inbox = s_->get("/staff/tutoraggio", staff_.cookie);
  EXPECT_NE(inbox->body.find("<option value=\"" + std::to_string(marco->id) +
                             "\" selected>marco@example.org (account non attivo)</option>"),
            std::string::npos)
      << inbox->body;
  EXPECT_NE(inbox->body.find("L'account di marco@example.org non è più attivo per il tutoraggio"), std::string::npos);
  auto res = s_->post_form("/staff/tutoraggio/" + c,
                           {{"csrf", staff_.csrf},
                            {"stato", "assegnata"},
                            {"assegnata_a", std::to_string(marco->id)},
                            {"note", "Seconda telefonata fatta il 9/12"}},
                           staff_.cookie);
  ASSERT_EQ(res->status, 303) << res->body.substr(0, 500);
  EXPECT_EQ(s_->ctx().store->back_office().tutoring_cases()->begin()->second.notes, "Seconda telefonata fatta il 9/12");
  // «assegnata» to nobody: refused on the card, the note as typed.
  res = s_->post_form(
      "/staff/tutoraggio/" + c,
      {{"csrf", staff_.csrf}, {"stato", "assegnata"}, {"assegnata_a", "0"}, {"note", "Richiamare giovedì"}},
      staff_.cookie);
  EXPECT_EQ(res->status, 400);
  EXPECT_NE(res->body.find("id=\"error-" + c + "\">Per assegnare la richiesta scegli una persona dello staff"),
            std::string::npos)
      << res->body;
  EXPECT_NE(res->body.find(">Richiamare giovedì</textarea>"), std::string::npos);
  EXPECT_NE(res->body.find("<h1>Richieste di tutoraggio</h1>"), std::string::npos) << "the page, not a dead end";
  EXPECT_EQ(s_->ctx().store->back_office().tutoring_cases()->begin()->second.notes, "Seconda telefonata fatta il 9/12");
}

// A tutoring request whose person is erased still moves (it counts in the
// report), but no new note about the person is kept: the erasure would
// never see it again.
TEST_F(StaffPagesTest, AnErasedPersonsTutoringTakesNoNewNote) {
  const std::string c = reg("tutoraggio-nord", "dora.erased@example.org", "Dora", "gruppi-di-acquisto-solidale");
  const auto staff = s_->accounts().find_account("staff@example.org");
  ASSERT_EQ(s_->post_form("/staff/persone/" + c + "/cancella", {{"csrf", admin_.csrf}, {"conferma", "CANCELLA"}},
                          admin_.cookie)
                ->status,
            303);
  auto res = s_->post_form("/staff/tutoraggio/" + c,
                           {{"csrf", staff_.csrf},
                            {"stato", "assegnata"},
                            {"assegnata_a", std::to_string(staff->id)},
                            {"note", "Dora abita in via Roma 3"}},
                           staff_.cookie);
  EXPECT_EQ(res->status, 400);
  EXPECT_NE(res->body.find("sono stati cancellati: la nota non si può salvare"), std::string::npos) << res->body;
  auto cases = s_->ctx().store->back_office().tutoring_cases();
  ASSERT_TRUE(cases.ok());
  for (const auto& [id, tc] : *cases) EXPECT_EQ(tc.notes, "") << "nothing kept";
  res = s_->post_form("/staff/tutoraggio/" + c, {{"csrf", staff_.csrf}, {"stato", "conclusa"}, {"note", ""}},
                      staff_.cookie);
  EXPECT_EQ(res->status, 303) << res->body;
  EXPECT_EQ(s_->ctx().store->back_office().tutoring_cases()->begin()->second.state, "conclusa");
}

// An access request gets everything the erasure would blank: each of the
// person's registrations (found by e-mail, case apart) with its messages,
// and the staff's notes on their tutoring request. Not someone else's.
TEST_F(StaffPagesTest, APersonsDataExportCoversEveryRegistrationTheErasureWouldBlank) {
  const std::string module = reg("small", "Carla.Export@example.org", "Carla");
  const std::string tutoring = reg("tutoraggio-nord", "carla.export@example.org", "Carla", "gruppi-di-acquisto-solidale");
  const std::string other = reg("small", "someone.else@example.org", "Bruno");
  const auto staff = s_->accounts().find_account("staff@example.org");
  ASSERT_EQ(s_->post_form("/staff/tutoraggio/" + tutoring,
                          {{"csrf", staff_.csrf}, {"stato", "assegnata"}, {"assegnata_a", std::to_string(staff->id)},
                           {"note", "richiamare giovedì"}},
                          staff_.cookie)
                ->status,
            303);
  auto data = s_->get("/staff/persone/" + module + "/dati", admin_.cookie);
  ASSERT_EQ(data->status, 200);
  EXPECT_NE(data->get_header_value("Content-Disposition").find("dati-persona-" + module), std::string::npos);
  const json j = json::parse(data->body);
  std::vector<std::string> codes;
  for (const auto& r : j["registrations"]) codes.push_back(r["code"]);
  EXPECT_EQ(codes, (std::vector<std::string>{module, tutoring}));
  EXPECT_EQ(j["registrations"][1]["tutoring"]["notes"], "richiamare giovedì");
  EXPECT_EQ(j["registrations"][1]["tutoring"]["state"], "assegnata");
  EXPECT_FALSE(j["registrations"][0].contains("tutoring"));
  EXPECT_FALSE(j["registrations"][0]["messages"].empty());
  // The e-mails' personal links open nothing in the staff's copy.
  const std::string first_mail = j["registrations"][0]["messages"][0]["body"];
  EXPECT_NE(first_mail.find("/iscrizione/" + module + "?token=[rimosso]"), std::string::npos) << first_mail;
  EXPECT_FALSE(std::regex_search(data->body, std::regex("token=[a-z2-7]{8}"))) << data->body;
  EXPECT_EQ(data->body.find(other), std::string::npos);
  EXPECT_EQ(data->body.find("someone.else"), std::string::npos);
  EXPECT_NE(audit_text().find("|export_person|" + module + "|dati personali scaricati (richiesta GDPR): iscrizioni " +
                              module + ", " + tutoring),
            std::string::npos)
      << audit_text();
  // Only admins download a person's data.
  EXPECT_EQ(s_->get("/staff/persone/" + module + "/dati", staff_.cookie)->status, 403);
}

// The same export, readable: a page in Italian to print for the person,
// every field of the file under its label (none left as a code), the
// staff's tutoring notes and their notes, the e-mails without their
// personal links, escaped; admins only, logged.
TEST_F(StaffPagesTest, APersonsDataReadAsAPageInItalian) {
  const std::string module = reg("small", "Carla.Pagina@example.org", "Carla");
  const std::string tutoring =
      reg("tutoraggio-nord", "carla.pagina@example.org", "Carla", "gruppi-di-acquisto-solidale");
  const auto staff = s_->accounts().find_account("staff@example.org");
  ASSERT_EQ(s_->post_form("/staff/tutoraggio/" + tutoring,
                          {{"csrf", staff_.csrf},
                           {"stato", "assegnata"},
                           {"assegnata_a", std::to_string(staff->id)},
                           {"note", "richiamare <giovedì>"}},
                          staff_.cookie)
                ->status,
            303);
  ASSERT_EQ(s_->post_form("/staff/persone/" + module + "/nota",
                          {{"csrf", staff_.csrf}, {"nota", "Ha chiesto la rampa"}}, staff_.cookie)
                ->status,
            303);
  // Every field of the file has its Italian label.
  const json file = json::parse(s_->get("/staff/persone/" + module + "/dati", admin_.cookie)->body);
  for (const auto& r : file["registrations"])
    EXPECT_TRUE(personal_data_section(*s_->ctx().desk, r)["unlabelled"].empty())
        << personal_data_section(*s_->ctx().desk, r)["unlabelled"].dump();
  auto page = s_->get("/staff/persone/" + module + "/dati/pagina", admin_.cookie);
  ASSERT_EQ(page->status, 200);
  const std::string& body = page->body;
  EXPECT_NE(body.find("<h1>Dati personali di Carla"), std::string::npos) << body;
  for (const std::string& code : {module, tutoring})
    EXPECT_NE(body.find("<dt>Codice dell&apos;iscrizione</dt><dd>" + code + "</dd>"), std::string::npos) << code;
  EXPECT_NE(body.find("<dt>Indirizzo e-mail</dt><dd>Carla.Pagina@example.org</dd>"), std::string::npos) << body;
  EXPECT_NE(body.find("<dt>Consenso al trattamento dei dati</dt><dd>dato il "), std::string::npos) << body;
  EXPECT_NE(body.find("<dt>Stato della richiesta</dt><dd>Assegnata</dd>"), std::string::npos) << body;
  EXPECT_NE(body.find("richiamare &lt;giovedì&gt;"), std::string::npos) << body;
  EXPECT_NE(body.find("Ha chiesto la rampa"), std::string::npos) << body;
  EXPECT_NE(body.find("Messaggi inviati"), std::string::npos);
  EXPECT_FALSE(std::regex_search(body, std::regex("token=[a-z2-7]{8}"))) << body;
  EXPECT_NE(audit_text().find("|export_person|" + module + "|dati personali visti in pagina (richiesta GDPR)"),
            std::string::npos)
      << audit_text();
  EXPECT_EQ(s_->get("/staff/persone/" + module + "/dati/pagina", staff_.cookie)->status, 403);
  EXPECT_NE(s_->get("/staff/persone/" + module, admin_.cookie)->body.find("/staff/persone/" + module + "/dati/pagina"),
            std::string::npos);
}

TEST_F(StaffPagesTest, APersonsMessagesSayDeliveredOrFailedOnlyWhenTheyWere) {
  const std::string a = reg("small", "a@example.org");
  auto page = s_->get("/staff/persone/" + a, staff_.cookie);
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("(" + a + ")"), std::string::npos) << "the message is listed";
  EXPECT_EQ(page->body.find("consegnato"), std::string::npos) << "nothing was sent yet";
  EXPECT_NE(page->body.find("in coda, non ancora partito"), std::string::npos);
  EXPECT_EQ(page->body.find("errore:"), std::string::npos);
  const auto box = s_->ctx().store->outbox(true, 10);
  ASSERT_FALSE(box->empty());
  ASSERT_TRUE(s_->ctx().store->mark_delivered(box->front().id).is_ok());
  page = s_->get("/staff/persone/" + a, staff_.cookie);
  EXPECT_NE(page->body.find("consegnato"), std::string::npos);
  EXPECT_EQ(page->body.find("errore:"), std::string::npos);
}

TEST_F(StaffPagesTest, RetryNowMakesAFailedMessageDueAgain) {
  reg("small", "a@example.org");
  const auto box = s_->ctx().store->outbox(true, 10);
  ASSERT_FALSE(box->empty());
  const auto id = box->front().id;
  ASSERT_TRUE(s_->ctx().store->mark_failed(id, "sendmail: connessione rifiutata", 4102444800).is_ok());
  auto page = s_->get("/staff/messaggi", staff_.cookie);
  EXPECT_NE(page->body.find("sendmail: connessione rifiutata"), std::string::npos);
  auto res = s_->post_form("/staff/messaggi/" + std::to_string(id) + "/riprova", {{"csrf", staff_.csrf}}, staff_.cookie);
  ASSERT_EQ(res->status, 303);
  const auto after = s_->ctx().store->outbox(true, 10);
  EXPECT_LT(after->front().next_attempt_at, 4102444800);
}

TEST_F(StaffPagesTest, AnAdminCreatesAccountsAndTokensShownOnceAndNeverLogged) {
  auto weak = s_->post_form("/staff/account", {{"csrf", admin_.csrf}, {"email", "nuova@example.org"}, {"ruolo", "staff"},
                                               {"password", "password1234"}}, admin_.cookie);
  EXPECT_EQ(weak->status, 400);
  // The reason is the notice's sentence, with its capital letter.
  EXPECT_NE(weak->body.find("role=\"alert\">La password è tra quelle più usate"), std::string::npos) << weak->body;
  auto ok = s_->post_form("/staff/account", {{"csrf", admin_.csrf}, {"email", "nuova@example.org"}, {"ruolo", "staff"},
                                             {"password", "mela-treno-lampada-9"}}, admin_.cookie);
  EXPECT_EQ(ok->status, 303);
  // The page then says what was done, to whom.
  auto created = s_->get(ok->get_header_value("Location"), admin_.cookie);
  EXPECT_NE(created->body.find("Account nuova@example.org creato (personale): comunica la password a voce"),
            std::string::npos)
      << created->body;
  EXPECT_NE(s_->login("nuova@example.org", "mela-treno-lampada-9").cookie, "");
  auto token = s_->post_form("/staff/account/token", {{"csrf", admin_.csrf}, {"email", "nuova@example.org"},
                                                      {"etichetta", "export"}}, admin_.cookie);
  ASSERT_EQ(token->status, 200);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(token->body, m, std::regex("<code id=\"nuovo-token\">(bp_[a-z2-7]+)</code>")));
  const std::string clear = m[1];
  EXPECT_EQ(s_->client->Get("/api/admin/stats", {{"Authorization", "Bearer " + clear}})->status, 200);
  EXPECT_EQ(s_->get("/staff/account", admin_.cookie)->body.find(clear), std::string::npos) << "shown once";
  const std::string log = audit_text();
  EXPECT_EQ(log.find(clear), std::string::npos);
  EXPECT_EQ(log.find("mela-treno"), std::string::npos);
  EXPECT_EQ(log.find(admin_.cookie.substr(9)), std::string::npos);
  EXPECT_NE(log.find("|account_add|nuova@example.org|"), std::string::npos);
  auto registro = s_->get("/staff/registro.csv", admin_.cookie);
  ASSERT_EQ(registro->status, 200);
  // The CSV says it as the page does: the action in words, the time in Italy.
  EXPECT_NE(registro->body.find(";nuovo token;"), std::string::npos) << registro->body;
  EXPECT_EQ(registro->body.find("token_add"), std::string::npos) << registro->body;
  EXPECT_NE(registro->body.find("Quando (ora italiana);Chi;"), std::string::npos) << registro->body;
  // The page says it in Italian and filters by it.
  auto page = s_->get("/staff/registro?azione=token_add", admin_.cookie);
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("<td>nuovo token</td>"), std::string::npos);
  EXPECT_EQ(page->body.find("<td>token_add</td>"), std::string::npos);
  EXPECT_EQ(page->body.find("<td>nuovo account</td>"), std::string::npos) << "filtered by the action";
  EXPECT_NE(page->body.find("<option value=\"token_add\" selected>nuovo token</option>"), std::string::npos);
  // The editors' decisions on proposals are said in words too, not as
  // their codes ("proposal.request-changes").
  AuditEntry decided;
  decided.actor = "redazione@example.org";
  decided.action = "proposal.request-changes";
  decided.target = "PROPOSTA1";
  ASSERT_TRUE(s_->accounts().append_audit(decided).is_ok());
  page = s_->get("/staff/registro", admin_.cookie);
  EXPECT_NE(page->body.find("<td>richiesta di modifiche a una proposta</td>"), std::string::npos) << page->body;
  EXPECT_EQ(page->body.find("<td>proposal.request-changes</td>"), std::string::npos);
  // Disabling an account and revoking a token ask first (staff.js), and say
  // whose they were once done.
  const std::string accounts = s_->get("/staff/account", admin_.cookie)->body;
  EXPECT_NE(accounts.find("data-confirm=\"Disattivare l'account nuova@example.org?"), std::string::npos) << accounts;
  EXPECT_NE(accounts.find("data-confirm=\"Revocare il token «export» di nuova@example.org?"), std::string::npos);
  const auto nuova = s_->accounts().find_account("nuova@example.org");
  auto off =
      s_->post_form("/staff/account/" + std::to_string(nuova->id) + "/stato", {{"csrf", admin_.csrf}}, admin_.cookie);
  ASSERT_EQ(off->status, 303);
  EXPECT_NE(
      s_->get(off->get_header_value("Location"), admin_.cookie)
          ->body.find("Account nuova@example.org disattivato: le sue sessioni e i suoi token non funzionano più."),
      std::string::npos);
}

}  // namespace
}  // namespace bp::registration
