// Staff login, sessions, the guard and the admin API's tokens (issue 10,
// items 1 and 2), against the real server.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <nlohmann/json.hpp>

#include "password.h"
#include "staff_fixture.h"

namespace bp::registration {
namespace {

using test::kPassword;
using test::StaffServer;
using test::TempDir;

class StaffLoginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    hooks_.clock = [this] { return now_.load(); };
    s_ = std::make_unique<StaffServer>(dir_.path(), hooks_);
    ASSERT_TRUE(s_->server->ok()) << s_->server->error();
  }
  int audit_count(const std::string& action) {
    auto rows = s_->accounts().audit({});
    int n = 0;
    for (const auto& e : *rows) n += e.action == action;
    return n;
  }

  TempDir dir_;
  std::atomic<std::int64_t> now_{4102444800};  // 2100-01-01
  StoreTestHooks hooks_;
  std::unique_ptr<StaffServer> s_;
};

TEST_F(StaffLoginTest, AnonymousPagesRedirectToTheLoginPageWithTheWayBack) {
  auto res = s_->get("/staff/");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 303);
  EXPECT_EQ(res->get_header_value("Location"), "/staff/login?dopo=/staff/");
  auto login = s_->get("/staff/login");
  ASSERT_TRUE(login);
  EXPECT_EQ(login->status, 200);
  EXPECT_NE(login->body.find("type=\"password\""), std::string::npos);
  EXPECT_EQ(login->get_header_value("Cache-Control"), "no-store");
}

TEST_F(StaffLoginTest, LoginSetsAStrictHttpOnlyCookieAndANewIdEachTime) {
  s_->add("anna@example.org", Role::kStaff);
  auto res = s_->post_form("/staff/login", {{"email", "Anna@Example.org"}, {"password", kPassword}, {"dopo", "/staff/"}});
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 303);
  EXPECT_EQ(res->get_header_value("Location"), "/staff/");
  const std::string cookie = res->get_header_value("Set-Cookie");
  EXPECT_NE(cookie.find("; Path=/staff; HttpOnly; SameSite=Strict"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; Secure"), std::string::npos) << "the public URL of the tests is https";
  // 256 bits in base32: 52 characters.
  EXPECT_EQ(cookie.find(';') - std::string("bp_staff=").size(), 52u);
  const auto a = s_->login("anna@example.org");
  const auto b = s_->login("anna@example.org");
  EXPECT_NE(a.cookie, b.cookie);
  auto page = s_->get("/staff/", a.cookie);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("Cruscotto"), std::string::npos);
  EXPECT_EQ(audit_count("login"), 3);
}

// When the database cannot say whether a session is live (locked here; a
// PostgreSQL that stopped in production), the staff get «try again» with
// Retry-After, not the login page that would say their session ended.
TEST_F(StaffLoginTest, ASessionTheDatabaseCannotCheckIs503NotALogout) {
  s_->add("anna@example.org", Role::kStaff);
  const auto who = s_->login("anna@example.org");
  ASSERT_FALSE(who.cookie.empty());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_.path() / "var" / "registrations.sqlite3").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);
  auto page = s_->get("/staff/", who.cookie);  // waits out the store's busy timeout
  sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 503);
  EXPECT_EQ(page->get_header_value("Retry-After"), "60");
  EXPECT_NE(page->body.find("La tua sessione resta valida"), std::string::npos);
  EXPECT_EQ(s_->get("/staff/", who.cookie)->status, 200) << "the session is live once the database answers";
}

TEST_F(StaffLoginTest, UnknownAccountAndWrongPasswordGetTheSameAnswerAndAreAudited) {
  s_->add("anna@example.org", Role::kStaff);
  auto wrong = s_->post_form("/staff/login", {{"email", "anna@example.org"}, {"password", "non-è-questa-la-password"}});
  auto unknown = s_->post_form("/staff/login", {{"email", "nessuno@example.org"}, {"password", "non-è-questa-la-password"}});
  ASSERT_TRUE(wrong && unknown);
  EXPECT_EQ(wrong->status, 401);
  EXPECT_EQ(unknown->status, 401);
  auto without_email = [](std::string body, const std::string& email) {
    for (auto p = body.find(email); p != std::string::npos; p = body.find(email)) body.erase(p, email.size());
    return body;
  };
  EXPECT_EQ(without_email(wrong->body, "anna@example.org"), without_email(unknown->body, "nessuno@example.org"));
  EXPECT_FALSE(wrong->has_header("Set-Cookie"));
  EXPECT_EQ(audit_count("login_failed"), 2);
  const auto log = s_->accounts().audit({});
  for (const auto& e : *log)
    EXPECT_EQ(e.details.find("non-è-questa"), std::string::npos) << "a password reached the audit log";
}

// An address no account has may be a slip or a password typed in the
// e-mail box: the log keeps a digest of it, never the text, and five
// attempts with it are still throttled.
TEST_F(StaffLoginTest, AnAddressNoAccountHasIsNeverWrittenInTheLogAndIsStillThrottled) {
  s_->add("anna@example.org", Role::kStaff);
  const std::string typed = "la-mia-password-segreta";
  for (int i = 0; i < 5; ++i) s_->post_form("/staff/login", {{"email", typed}, {"password", "qualcosa"}});
  auto sixth = s_->post_form("/staff/login", {{"email", typed}, {"password", "qualcosa"}});
  ASSERT_TRUE(sixth);
  EXPECT_EQ(sixth->status, 429);
  s_->post_form("/staff/login", {{"email", "anna@example.org"}, {"password", "sbagliata-sbagliata"}});
  const auto log = s_->accounts().audit({});
  ASSERT_TRUE(log.ok());
  int failed_unknown = 0;
  bool anna = false;
  for (const auto& e : *log) {
    EXPECT_EQ(e.actor.find(typed), std::string::npos);
    EXPECT_EQ(e.target.find(typed), std::string::npos);
    EXPECT_EQ(e.details.find(typed), std::string::npos);
    if (e.action == "login_failed" && e.target.rfind("sconosciuto-", 0) == 0) ++failed_unknown;
    anna = anna || (e.action == "login_failed" && e.target == "anna@example.org");
  }
  EXPECT_EQ(failed_unknown, 5);
  EXPECT_TRUE(anna) << "a known account's failures are still recorded under its address";
}

// The first password was told aloud by an admin: every account changes its
// own, with the current one; then every session of it ends.
TEST_F(StaffLoginTest, AnyoneSignedInChangesTheirOwnPasswordAndTheirSessionsEnd) {
  s_->add("paolo@example.org", Role::kStaff);
  const auto a = s_->login("paolo@example.org");
  const auto b = s_->login("paolo@example.org");  // another device
  auto form = s_->get("/staff/password", a.cookie);
  ASSERT_EQ(form->status, 200);
  EXPECT_NE(form->body.find("href=\"/staff/password\""), std::string::npos) << "linked from every staff page";
  const std::string fresh = "una-frase-nuova-e-lunga";
  auto post = [&](const std::string& current, const std::string& next, const std::string& again) {
    return s_->post_form("/staff/password",
                         {{"csrf", a.csrf}, {"attuale", current}, {"nuova", next}, {"ripeti", again}}, a.cookie);
  };
  auto wrong = post("non-questa-password", fresh, fresh);
  ASSERT_EQ(wrong->status, 400);
  EXPECT_NE(wrong->body.find("La password attuale non è corretta."), std::string::npos) << wrong->body;
  auto differ = post(kPassword, fresh, fresh + "x");
  ASSERT_EQ(differ->status, 400);
  EXPECT_NE(differ->body.find("Le due nuove password non sono uguali"), std::string::npos);
  auto done = post(kPassword, fresh, fresh);
  ASSERT_EQ(done->status, 303) << done->body;
  EXPECT_EQ(done->get_header_value("Location"), "/staff/login?password=cambiata");
  EXPECT_NE(s_->get("/staff/login?password=cambiata")->body.find("Password cambiata"), std::string::npos);
  EXPECT_EQ(s_->get("/staff/", a.cookie)->status, 303) << "this session ended";
  EXPECT_EQ(s_->get("/staff/", b.cookie)->status, 303) << "the other device's too";
  EXPECT_EQ(s_->login("paolo@example.org").cookie, "");
  EXPECT_NE(s_->login("paolo@example.org", fresh).cookie, "");
  EXPECT_EQ(audit_count("password_change"), 1);
  // Without the page's CSRF token, nothing changes.
  auto c = s_->login("paolo@example.org", fresh);
  auto forged = s_->post_form("/staff/password",
                              {{"attuale", fresh}, {"nuova", "altra-frase-lunga-x"}, {"ripeti", "altra-frase-lunga-x"}},
                              c.cookie);
  EXPECT_NE(forged->status, 303);
  EXPECT_NE(s_->login("paolo@example.org", fresh).cookie, "");
}

TEST_F(StaffLoginTest, GuessingTheCurrentPasswordFromASessionIsThrottledLikeTheLoginForm) {
  s_->add("paolo@example.org", Role::kStaff);
  const auto a = s_->login("paolo@example.org");
  const std::string fresh = "una-frase-nuova-e-lunga";
  auto post = [&](const std::string& current) {
    return s_->post_form("/staff/password",
                         {{"csrf", a.csrf}, {"attuale", current}, {"nuova", fresh}, {"ripeti", fresh}}, a.cookie);
  };
  for (int i = 0; i < 5; ++i) ASSERT_EQ(post("tentativo-" + std::to_string(i))->status, 400) << i;
  auto refused = post(kPassword);
  ASSERT_EQ(refused->status, 429) << "the right password no longer helps once five were wrong";
  EXPECT_NE(refused->body.find("Troppi tentativi"), std::string::npos) << refused->body;
  EXPECT_EQ(audit_count("password_change"), 0);
  EXPECT_EQ(s_->login("paolo@example.org", fresh).cookie, "") << "the password did not change";
  EXPECT_EQ(s_->login("paolo@example.org").cookie, "") << "the login form counts the same failures";
  now_ += 16 * 60;
  EXPECT_EQ(post(kPassword)->status, 303) << "after the window the right password works again";
  EXPECT_NE(s_->login("paolo@example.org", fresh).cookie, "");
}

TEST_F(StaffLoginTest, FiveFailuresLockTheAccountEvenForTheRightPasswordUntilTheWindowPasses) {
  s_->add("anna@example.org", Role::kStaff);
  for (int i = 0; i < 5; ++i) s_->post_form("/staff/login", {{"email", "anna@example.org"}, {"password", "sbagliata-sbagliata"}});
  auto locked = s_->post_form("/staff/login", {{"email", "anna@example.org"}, {"password", kPassword}});
  ASSERT_TRUE(locked);
  EXPECT_EQ(locked->status, 429);
  EXPECT_NE(locked->body.find("Troppi tentativi"), std::string::npos);
  EXPECT_EQ(s_->login("anna@example.org").cookie, "");
  now_ += 16 * 60;
  EXPECT_NE(s_->login("anna@example.org").cookie, "");
}

// Five wrong passwords from a stranger's address lock the account there
// only: Anna, elsewhere, still gets in with hers. (Behind the proxy, the
// address is the visitor's: X-Forwarded-For from a trusted proxy.)
TEST_F(StaffLoginTest, AStrangersFailuresDoNotLockTheOwnerOutElsewhere) {
  TempDir dir;
  StaffServer s(dir.path(), {}, true, {"127.0.0.1"});
  ASSERT_TRUE(s.server->ok()) << s.server->error();
  s.add("anna@example.org", Role::kStaff);
  const auto from = [&](const std::string& address, const std::string& password) {
    auto res =
        s.client->Post("/staff/login", {{"X-Forwarded-For", address}},
                       httplib::Params{{"email", "anna@example.org"}, {"password", password}, {"dopo", "/staff/"}});
    return res ? res->status : 0;
  };
  for (int i = 0; i < 5; ++i) EXPECT_EQ(from("203.0.113.9", "sbagliata-sbagliata"), 401);
  EXPECT_EQ(from("203.0.113.9", kPassword), 429) << "locked where the tries came from";
  EXPECT_EQ(from("198.51.100.7", kPassword), 303) << "not for Anna, elsewhere";
  // Guessing spread over many addresses is still bounded: 50 failures in
  // the window lock the account everywhere.
  for (int a = 10; a < 19; ++a)
    for (int i = 0; i < 5; ++i) from("192.0.2." + std::to_string(a), "sbagliata-sbagliata");
  EXPECT_EQ(from("198.51.100.7", kPassword), 429) << "50 failures from ten addresses";
}

// Locked out by five failures, Anna phones the admin, who gives her a new
// password: it opens at once, without waiting for the window to pass.
TEST_F(StaffLoginTest, APasswordResetByAnAdminLiftsTheAccountsLockout) {
  s_->add("anna@example.org", Role::kStaff);
  s_->add("admin@example.org", Role::kAdmin);
  for (int i = 0; i < 5; ++i)
    s_->post_form("/staff/login", {{"email", "anna@example.org"}, {"password", "sbagliata-sbagliata"}});
  ASSERT_EQ(s_->login("anna@example.org").cookie, "");
  const auto admin = s_->login("admin@example.org");
  ASSERT_NE(admin.cookie, "");
  const auto anna = s_->accounts().find_account("anna@example.org");
  ASSERT_TRUE(anna.ok());
  now_ += 1;
  auto reset = s_->post_form("/staff/account/" + std::to_string(anna->id) + "/password",
                             {{"csrf", admin.csrf}, {"password", "nuova-lampada-verde-12"}}, admin.cookie);
  ASSERT_EQ(reset->status, 303) << reset->body;
  now_ += 1;
  auto in = s_->post_form("/staff/login", {{"email", "anna@example.org"}, {"password", "nuova-lampada-verde-12"}});
  ASSERT_TRUE(in);
  EXPECT_EQ(in->status, 303) << in->body;
  // The guessing goes on counting against the new password.
  for (int i = 0; i < 5; ++i)
    s_->post_form("/staff/login", {{"email", "anna@example.org"}, {"password", "sbagliata-sbagliata"}});
  auto locked = s_->post_form("/staff/login", {{"email", "anna@example.org"}, {"password", "nuova-lampada-verde-12"}});
  EXPECT_EQ(locked->status, 429);
}

TEST_F(StaffLoginTest, SessionsEndAfterThirtyIdleMinutesAndAfterTwelveHoursAnyway) {
  s_->add("anna@example.org", Role::kStaff);
  auto idle = s_->login("anna@example.org");
  now_ += 29 * 60;
  EXPECT_EQ(s_->get("/staff/", idle.cookie)->status, 200);
  now_ += 31 * 60;
  EXPECT_EQ(s_->get("/staff/", idle.cookie)->status, 303);

  auto busy = s_->login("anna@example.org");
  for (int i = 0; i < 28; ++i) {
    now_ += 25 * 60;  // active every 25 minutes: 11 hours 40
    ASSERT_EQ(s_->get("/staff/", busy.cookie)->status, 200) << i;
  }
  now_ += 25 * 60;  // 12 hours 5, never idle for 30 minutes
  EXPECT_EQ(s_->get("/staff/", busy.cookie)->status, 303);
}

TEST_F(StaffLoginTest, LogoutNeedsTheCsrfTokenAndEndsTheSession) {
  s_->add("anna@example.org", Role::kStaff);
  auto l = s_->login("anna@example.org");
  ASSERT_FALSE(l.csrf.empty());
  auto forged = s_->post_form("/staff/logout", {}, l.cookie);
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 403);
  EXPECT_EQ(s_->get("/staff/", l.cookie)->status, 200);
  auto out = s_->post_form("/staff/logout", {{"csrf", l.csrf}}, l.cookie);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->status, 303);
  EXPECT_NE(out->get_header_value("Set-Cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(s_->get("/staff/", l.cookie)->status, 303);
  EXPECT_EQ(audit_count("logout"), 1);
}

TEST_F(StaffLoginTest, ADisabledAccountLosesItsSessionsAndTokens) {
  const Account a = s_->add("anna@example.org", Role::kStaff);
  auto l = s_->login("anna@example.org");
  const std::string token = s_->token("anna@example.org");
  httplib::Headers bearer{{"Authorization", "Bearer " + token}};
  EXPECT_EQ(s_->client->Get("/api/admin/stats", bearer)->status, 200);
  ASSERT_TRUE(s_->accounts().set_disabled(a.id, true).is_ok());
  EXPECT_EQ(s_->get("/staff/", l.cookie)->status, 303);
  EXPECT_EQ(s_->client->Get("/api/admin/stats", bearer)->status, 401);
  EXPECT_EQ(s_->login("anna@example.org").cookie, "");
}

TEST_F(StaffLoginTest, ApiTokensCarryTheirAccountsRoleAndCanBeRevoked) {
  s_->add("anna@example.org", Role::kStaff);
  const std::string token = s_->token("anna@example.org");
  httplib::Headers bearer{{"Authorization", "Bearer " + token}};
  EXPECT_EQ(s_->client->Get("/api/admin/stats", bearer)->status, 200);
  auto erase = s_->client->Post("/api/admin/registrations/abc/erase", bearer, "{}", "application/json");
  ASSERT_TRUE(erase);
  EXPECT_EQ(erase->status, 403) << "staff cannot erase";
  auto tokens = s_->accounts().list_tokens(0);
  ASSERT_EQ(tokens->size(), 1u);
  ASSERT_TRUE(s_->accounts().revoke_token((*tokens)[0].id, 0).is_ok());
  EXPECT_EQ(s_->client->Get("/api/admin/stats", bearer)->status, 401);
}

TEST_F(StaffLoginTest, TheSharedTokenStillWorksOnceAccountsExist) {
  httplib::Headers legacy{{"Authorization", std::string("Bearer ") + test::kLegacyToken}};
  EXPECT_EQ(s_->client->Get("/api/admin/stats", legacy)->status, 200);
  s_->add("anna@example.org", Role::kAdmin);
  EXPECT_EQ(s_->client->Get("/api/admin/stats", legacy)->status, 200);
  EXPECT_EQ(s_->client->Get("/api/admin/stats", {{"Authorization", "Bearer sbagliato"}})->status, 401);
}

TEST_F(StaffLoginTest, LoginIsNotReachableFromAnotherSite) {
  s_->add("anna@example.org", Role::kStaff);
  httplib::Params p{{"email", "anna@example.org"}, {"password", kPassword}};
  auto res = s_->client->Post("/staff/login", {{"Sec-Fetch-Site", "cross-site"}}, p);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
  EXPECT_FALSE(res->has_header("Set-Cookie"));
}

TEST(StaffPassword, RulesRefuseShortRepeatedPersonalAndCommonPasswords) {
  EXPECT_NE(password_problem("corta", "a@b.it"), "");
  EXPECT_NE(password_problem("aaaaaaaaaaaaaaa", "a@b.it"), "");
  EXPECT_NE(password_problem("Password2024!", "a@b.it"), "");
  EXPECT_NE(password_problem("Juventus1897!!", "a@b.it"), "");
  EXPECT_NE(password_problem("123456789012345", "a@b.it"), "");
  EXPECT_NE(password_problem("giulia.ferrero-99", "giulia.ferrero@b.it"), "");
  EXPECT_EQ(password_problem("cavallo-batteria-graffetta", "a@b.it"), "");
  EXPECT_EQ(password_problem("àèìòù-città-perché", "a@b.it"), "") << "counted in characters, not bytes";
}

TEST(StaffPassword, HashesAreArgon2idAndVerifyOnlyTheirPassword) {
  PasswordHasher hasher({1, 8192});
  auto h = hasher.hash("cavallo-batteria-graffetta");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->rfind("$argon2id$", 0), 0u) << *h;
  EXPECT_EQ(h->find("cavallo"), std::string::npos);
  EXPECT_TRUE(hasher.verify(*h, "cavallo-batteria-graffetta"));
  EXPECT_FALSE(hasher.verify(*h, "cavallo-batteria-graffettA"));
  EXPECT_FALSE(hasher.verify("", "cavallo-batteria-graffetta"));
}

// The audit log and the login throttle see the client a trusted proxy
// forwarded for; a forged X-Forwarded-For from anyone else is ignored.
TEST(StaffLoginBehindAProxy, TheAuditLogRecordsTheForwardedClientOnlyFromATrustedProxy) {
  auto failed_login_address = [](const std::vector<std::string>& proxies) {
    TempDir dir;
    StaffServer s(dir.path(), {}, true, proxies);
    EXPECT_TRUE(s.server->ok());
    httplib::Params form{{"email", "anna@example.org"}, {"password", "sbagliata"}};
    auto res = s.client->Post("/staff/login", {{"X-Forwarded-For", "192.0.2.1, 198.51.100.7"}}, form);
    EXPECT_TRUE(res && res->status == 401);
    auto log = s.accounts().audit({});
    EXPECT_TRUE(log.ok() && log->size() == 1u);
    return log.ok() && !log->empty() ? log->front().address : std::string();
  };
  EXPECT_EQ(failed_login_address({"127.0.0.1", "::1"}), "198.51.100.7");
  EXPECT_EQ(failed_login_address({}), "127.0.0.1") << "a spoofed header from an untrusted peer";
}

}  // namespace
}  // namespace bp::registration
