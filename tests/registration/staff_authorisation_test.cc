// Authorisation is server-side and total (issue 10, item 5): every route of
// the module's table under /staff/ or /api/admin/ is walked, from the table
// itself, with an anonymous client, a staff account on admin-only routes, and
// (for forms) an admin session without the CSRF token.
#include <atomic>
#include <ctime>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "staff_fixture.h"

namespace bp::registration {
namespace {

using test::StaffServer;
using test::TempDir;

bool is_guarded_path(const std::string& pattern) {
  return pattern.rfind("/staff", 0) == 0 || pattern.rfind("/api/admin", 0) == 0;
}

bool is_login(const site::Route& r) { return r.pattern == "/staff/login"; }

// A concrete path for a route's pattern: each capture group becomes a value
// that exists (an edition, a registration code, a number), so that a refusal
// is the guard's and not a 404.
std::string sample_path(std::string pattern, const std::string& code) {
  static const std::regex kGroup(R"(\(([^()]*)\))");
  std::string out;
  std::smatch m;
  while (std::regex_search(pattern, m, kGroup)) {
    const std::string g = m[1];
    std::string value = "1";
    if (g.find("a-z0-9-") != std::string::npos) value = "small";
    else if (g.find("a-z0-9") != std::string::npos) value = code;
    out += m.prefix().str() + value;
    pattern = m.suffix();
  }
  out += pattern;
  out = std::regex_replace(out, std::regex(R"(/\?$)"), "/");
  out = std::regex_replace(out, std::regex(R"(\\\.)"), ".");
  return out;
}

class StaffAuthorisationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Registered now; from then on every meeting has taken place, so an
    // attendance form that got through would change the store.
    StoreTestHooks hooks;
    hooks.desk_clock = [this] {
      return registered_ ? std::int64_t{4102444800} : static_cast<std::int64_t>(std::time(nullptr));
    };
    s_ = std::make_unique<StaffServer>(dir_.path(), std::move(hooks));
    ASSERT_TRUE(s_->server->ok()) << s_->server->error();
    s_->add("admin@example.org", Role::kAdmin);
    s_->add("staff@example.org", Role::kStaff);
    s_->add("redazione@example.org", Role::kEditor);
    // Two people on a two-seat edition and one waiting: cancellation has
    // someone to promote, erasure someone to erase.
    for (const char* email : {"a@example.org", "b@example.org", "c@example.org"}) {
      nlohmann::json p = {{"edition", "small"}, {"first_name", "Giulia"}, {"last_name", "Ferrero"},
                          {"email", email}, {"organisation", "APS"}, {"role", "volontario"},
                          {"region", "umbria"}, {"age_band", "18-35"}, {"consent", true}};
      auto res = s_->client->Post("/api/registrations", p.dump(), "application/json");
      ASSERT_TRUE(res);
      ASSERT_EQ(res->status, 201) << res->body;
      if (code_.empty()) code_ = nlohmann::json::parse(res->body)["code"];
    }
    registered_ = true;
  }

  std::vector<const site::Route*> guarded_routes() const {
    std::vector<const site::Route*> out;
    for (const auto& r : s_->server->module().routes())
      if (is_guarded_path(r.pattern) && !is_login(r)) out.push_back(&r);
    return out;
  }

  // Everything a refused request must leave unchanged.
  std::string snapshot() const {
    auto& ctx = s_->ctx();
    std::string out;
    // Each Result is kept in a variable: a range-for over *f() would read a
    // destroyed temporary.
    const auto rows = ctx.store->list("");
    for (const auto& r : *rows) out += r.code + r.status + r.email + (r.attended ? "A" : "-") + r.erased_at + ";";
    const auto accounts = ctx.store->accounts().list_accounts();
    for (const auto& a : *accounts)
      out += a.email + role_name(a.role) + (a.disabled ? "D" : "-") + a.password_hash + ";";
    const auto tokens = ctx.store->accounts().list_tokens(0);
    for (const auto& t : *tokens) out += t.label + t.revoked_at + ";";
    const auto cases = ctx.store->back_office().tutoring_cases();
    for (const auto& [id, c] : *cases) out += c.state + c.notes + ";";
    const auto counts = ctx.store->counts();
    for (const auto& c : *counts) out += c.paused_at;
    const auto met = ctx.store->back_office().meeting_attendance("small");
    for (const auto& [id, m] : *met) out += std::to_string(m.size());
    const auto outbox = ctx.store->outbox(false, 1000);
    for (const auto& m : *outbox) out += m.last_error + std::to_string(m.next_attempt_at);
    return out;
  }

  // Plausible fields of every staff form, without the CSRF token.
  static std::map<std::string, std::string> form_without_csrf() {
    return {{"conferma", "CANCELLA"}, {"stato", "conclusa"}, {"note", "x"}, {"email", "nuovo@example.org"},
            {"ruolo", "admin"}, {"password", "cavallo-batteria-graffetta"}, {"etichetta", "x"},
            {"tutti", "1"}, {"presenze", "1"}, {"cerca", "a@example.org"}};
  }

  TempDir dir_;
  std::unique_ptr<StaffServer> s_;
  std::string code_;
  std::atomic<bool> registered_{false};
};

TEST_F(StaffAuthorisationTest, EveryStaffAndAdminRouteIsGuardedWithRoles) {
  const auto routes = guarded_routes();
  ASSERT_GE(routes.size(), 9u);
  for (const auto* r : routes) {
    EXPECT_NE(r->roles, 0u) << r->pattern << " has no roles: it is not built by the staff guard";
    EXPECT_EQ(r->access, site::Access::kPrivate) << r->pattern;
  }
}

TEST_F(StaffAuthorisationTest, AnonymousRequestsAreSentToLoginOrRefusedWith401) {
  for (const auto* r : guarded_routes()) {
    const std::string path = sample_path(r->pattern, code_);
    SCOPED_TRACE(std::string(site::method_name(r->method)) + " " + path);
    const std::string before = snapshot();
    auto res = r->method == site::Method::kGet ? s_->get(path) : s_->post_form(path, form_without_csrf());
    ASSERT_TRUE(res);
    if (r->pattern.rfind("/staff", 0) == 0) {
      EXPECT_EQ(res->status, 303);
      EXPECT_EQ(res->get_header_value("Location").rfind("/staff/login?dopo=", 0), 0u);
    } else {
      EXPECT_EQ(res->status, 401);
    }
    EXPECT_EQ(res->get_header_value("Cache-Control"), "no-store");
    EXPECT_EQ(snapshot(), before);
  }
}

TEST_F(StaffAuthorisationTest, RolesNotAdmittedGet403AndChangeNothing) {
  const auto staff = s_->login("staff@example.org");
  const auto editor = s_->login("redazione@example.org");
  ASSERT_FALSE(staff.csrf.empty());
  ASSERT_FALSE(editor.csrf.empty());
  const httplib::Headers staff_bearer{{"Authorization", "Bearer " + s_->token("staff@example.org")}};
  const httplib::Headers editor_bearer{{"Authorization", "Bearer " + s_->token("redazione@example.org")}};
  int admin_only = 0;
  for (const auto* r : guarded_routes()) {
    const std::string path = sample_path(r->pattern, code_);
    for (const auto& [role, login, bearer] :
         {std::tuple{Role::kStaff, staff, staff_bearer}, std::tuple{Role::kEditor, editor, editor_bearer}}) {
      if (r->roles & role_bit(role)) continue;
      admin_only += role == Role::kStaff;
      SCOPED_TRACE(std::string(role_name(role)) + " " + site::method_name(r->method) + " " + path);
      const std::string before = snapshot();
      auto fields = form_without_csrf();
      fields["csrf"] = login.csrf;
      const bool page = r->pattern.rfind("/staff", 0) == 0;
      auto res = page ? (r->method == site::Method::kGet ? s_->get(path, login.cookie)
                                                         : s_->post_form(path, fields, login.cookie))
                      : (r->method == site::Method::kGet
                             ? s_->client->Get(path.c_str(), bearer)
                             : s_->client->Post(path.c_str(), bearer, "{}", "application/json"));
      ASSERT_TRUE(res);
      EXPECT_EQ(res->status, 403);
      EXPECT_EQ(snapshot(), before);
    }
  }
  EXPECT_GT(admin_only, 0) << "no admin-only route was walked";
}

TEST_F(StaffAuthorisationTest, TheMessagesWithTheirPersonalLinksAreForAdminsOnly) {
  // A message's body holds the person's private links (receipt, cancel,
  // certificate): a staff token must not reach what the pages hide.
  auto staff = s_->client->Get("/api/admin/outbox", {{"Authorization", "Bearer " + s_->token("staff@example.org")}});
  ASSERT_TRUE(staff);
  EXPECT_EQ(staff->status, 403);
  EXPECT_EQ(staff->body.find("token="), std::string::npos);
  auto admin = s_->client->Get("/api/admin/outbox", {{"Authorization", "Bearer " + s_->token("admin@example.org")}});
  ASSERT_TRUE(admin);
  EXPECT_EQ(admin->status, 200);
  EXPECT_NE(admin->body.find("token="), std::string::npos) << "the fixture's registration has its message";
}

TEST_F(StaffAuthorisationTest, FormsWithoutTheCsrfTokenChangeNothing) {
  const auto admin = s_->login("admin@example.org");
  ASSERT_FALSE(admin.cookie.empty());
  int forms = 0;
  for (const auto* r : guarded_routes()) {
    if (r->method != site::Method::kPost || r->pattern.rfind("/staff", 0) != 0) continue;
    ++forms;
    const std::string path = sample_path(r->pattern, code_);
    SCOPED_TRACE(path);
    const std::string before = snapshot();
    auto res = s_->post_form(path, form_without_csrf(), admin.cookie);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 403);
    EXPECT_EQ(snapshot(), before);
    auto wrong = form_without_csrf();
    wrong["csrf"] = std::string(64, '0');
    res = s_->post_form(path, wrong, admin.cookie);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 403);
    EXPECT_EQ(snapshot(), before);
  }
  EXPECT_GE(forms, 1);
}

}  // namespace
}  // namespace bp::registration
