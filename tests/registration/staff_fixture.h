// The staff back office under test: the registration module on the real
// server (fixture.h) with accounts made directly in its store, logins
// through the real /staff/login, and the session cookie and CSRF token of
// each login. Argon2id runs at libsodium's minimum cost here.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <regex>
#include <string>

#include "bp/registration/account_admin.h"
#include "fixture.h"
#include "http_context.h"

namespace bp::registration::test {

inline constexpr const char* kPassword = "cavallo-batteria-graffetta";
inline constexpr const char* kLegacyToken = "segreto-di-prova-0123456789abcdef";

// A logged-in browser: its cookie and the CSRF token its pages carry.
struct Login {
  std::string cookie;  // "bp_staff=…"
  std::string csrf;
};

class StaffServer {
 public:
  // `trusted_proxies`: --trusted-proxy (the test client is on loopback);
  // `adjust` changes the options last (confirm_email, for holds).
  explicit StaffServer(const std::filesystem::path& dir, StoreTestHooks hooks = {}, bool legacy_token = true,
                       const std::vector<std::string>& trusted_proxies = {},
                       const std::function<void(Options&)>& adjust = {}) {
    options.data_dir = dir / "var";
    options.content_root = make_content(dir);
    options.rate_limit_per_minute = 0;
    // The authorisation test knocks on every /api/admin/ route without a
    // token: more than the default 10 failures per address.
    options.admin_failures_per_10_minutes = 100;
    options.confirm_email = false;
    options.public_base_url = "https://example.org";
    options.controller_name = "APS Reti solidali";
    options.controller_contact = "privacy@example.org";
    options.password_passes = 1;
    options.password_memory_bytes = 8192;
    if (legacy_token) options.admin_token = kLegacyToken;
    if (auto proxies = site::TrustedProxies::parse(trusted_proxies); proxies.ok()) options.trusted_proxies = *proxies;
    if (adjust) adjust(options);
    server = std::make_unique<TestServer>(options, std::move(hooks));
    if (server->ok()) client = server->client();
  }

  Context& ctx() const { return const_cast<Context&>(dynamic_cast<const Context&>(server->module())); }
  AccountStore& accounts() const { return ctx().store->accounts(); }

  Account add(const std::string& email, Role role) const {
    auto a = create_account(accounts(), email, role, kPassword, {1, 8192});
    EXPECT_TRUE(a.ok()) << a.status().message();
    return a.ok() ? *a : Account{};
  }

  // A personal API token for `email`'s account.
  std::string token(const std::string& email) const {
    auto a = accounts().find_account(email);
    EXPECT_TRUE(a.ok());
    auto t = create_api_token(accounts(), a->id, "test");
    EXPECT_TRUE(t.ok());
    return t.ok() ? *t : "";
  }

  httplib::Result post_form(const std::string& path, const std::map<std::string, std::string>& fields,
                            const std::string& cookie = "") const {
    httplib::Params params(fields.begin(), fields.end());
    httplib::Headers h;
    if (!cookie.empty()) h.emplace("Cookie", cookie);
    return client->Post(path.c_str(), h, params);
  }

  // The same form posted as multipart/form-data, as the pages with large
  // forms (attendance, notes) send it.
  httplib::Result post_multipart(const std::string& path, const std::map<std::string, std::string>& fields,
                                 const std::string& cookie = "") const {
    httplib::MultipartFormDataItems items;
    for (const auto& [name, value] : fields) items.push_back({name, value, "", ""});
    httplib::Headers h;
    if (!cookie.empty()) h.emplace("Cookie", cookie);
    return client->Post(path.c_str(), h, items);
  }

  httplib::Result get(const std::string& path, const std::string& cookie = "") const {
    httplib::Headers h;
    if (!cookie.empty()) h.emplace("Cookie", cookie);
    return client->Get(path.c_str(), h);
  }

  // Logs in through the form; an empty cookie when refused.
  Login login(const std::string& email, const std::string& password = kPassword) const {
    auto res = post_form("/staff/login", {{"email", email}, {"password", password}, {"dopo", "/staff/"}});
    Login out;
    if (!res || res->status != 303) return out;
    const std::string set = res->get_header_value("Set-Cookie");
    out.cookie = set.substr(0, set.find(';'));
    auto page = get("/staff/", out.cookie);
    std::smatch m;
    static const std::regex kCsrf("name=\"csrf\" value=\"([0-9a-f]+)\"");
    if (page && std::regex_search(page->body, m, kCsrf)) out.csrf = m[1];
    return out;
  }

  Options options;
  std::unique_ptr<TestServer> server;
  std::unique_ptr<httplib::Client> client;
};

}  // namespace bp::registration::test
