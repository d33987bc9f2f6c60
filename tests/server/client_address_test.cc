// The client address and scheme behind trusted proxies (bp/site/client.h).
#include "bp/site/client.h"

#include <gtest/gtest.h>

namespace bp::site {
namespace {

TrustedProxies trusted(const std::vector<std::string>& entries) {
  auto p = TrustedProxies::parse(entries);
  EXPECT_TRUE(p.ok()) << p.status().message();
  return p.ok() ? *p : TrustedProxies();
}

httplib::Request request_from(const std::string& peer, const std::vector<std::pair<std::string, std::string>>& headers) {
  httplib::Request req;
  req.remote_addr = peer;
  for (const auto& [name, value] : headers) req.headers.emplace(name, value);
  return req;
}

TEST(TrustedProxies, MatchesAddressesAndNetworksOfBothFamilies) {
  const auto p = trusted({"127.0.0.1", "10.0.0.0/8", "2001:db8::/32", "::1"});
  EXPECT_TRUE(p.trusts("127.0.0.1"));
  EXPECT_TRUE(p.trusts("::ffff:127.0.0.1")) << "IPv4-mapped form of a trusted IPv4";
  EXPECT_TRUE(p.trusts("10.200.3.4"));
  EXPECT_TRUE(p.trusts("2001:db8:1::7"));
  EXPECT_TRUE(p.trusts("::1"));
  EXPECT_FALSE(p.trusts("127.0.0.2"));
  EXPECT_FALSE(p.trusts("11.0.0.1"));
  EXPECT_FALSE(p.trusts("2001:db9::1"));
  EXPECT_FALSE(p.trusts("not-an-address"));
  EXPECT_FALSE(TrustedProxies().trusts("127.0.0.1")) << "nobody by default";
}

TEST(TrustedProxies, AWrongEntryIsAnErrorNamingIt) {
  for (const char* bad : {"localhost", "10.0.0.0/33", "10.0.0.0/", "::1/129", "1.2.3.4/x"}) {
    auto p = TrustedProxies::parse({"127.0.0.1", bad});
    ASSERT_FALSE(p.ok()) << bad;
    EXPECT_NE(p.status().message().find(bad), std::string::npos) << p.status().message();
  }
}

TEST(ClientOf, ForwardedHeadersFromAnUntrustedPeerAreIgnored) {
  const auto p = trusted({"10.0.0.1"});
  const auto c = client_of(
      request_from("203.0.113.50", {{"X-Forwarded-For", "198.51.100.7"}, {"X-Forwarded-Proto", "https"}}), p);
  EXPECT_EQ(c.address, "203.0.113.50");
  EXPECT_FALSE(c.https);
}

TEST(ClientOf, TheRightmostUntrustedHopIsTheClient) {
  const auto p = trusted({"127.0.0.1", "10.0.0.0/8"});
  // The client forged the first entry; nginx appended the real address.
  EXPECT_EQ(client_of(request_from("127.0.0.1", {{"X-Forwarded-For", "1.1.1.1, 198.51.100.7"}}), p).address,
            "198.51.100.7");
  // A chain of trusted proxies is skipped.
  EXPECT_EQ(client_of(request_from("127.0.0.1", {{"X-Forwarded-For", "198.51.100.7, 10.1.2.3"}}), p).address,
            "198.51.100.7");
  // Several headers read as one list, in order.
  EXPECT_EQ(client_of(request_from("127.0.0.1", {{"X-Forwarded-For", "1.1.1.1"}, {"X-Forwarded-For", "2001:db8::5"}}), p)
                .address,
            "2001:db8::5");
  // Garbage stops the walk: the last good hop (here the peer itself) stays.
  EXPECT_EQ(client_of(request_from("127.0.0.1", {{"X-Forwarded-For", "198.51.100.7, <script>"}}), p).address,
            "127.0.0.1");
  // No header: the peer.
  EXPECT_EQ(client_of(request_from("127.0.0.1", {}), p).address, "127.0.0.1");
}

TEST(ClientOf, TheNearestProxysSchemeCounts) {
  const auto p = trusted({"127.0.0.1"});
  EXPECT_TRUE(client_of(request_from("127.0.0.1", {{"X-Forwarded-Proto", "https"}}), p).https);
  EXPECT_TRUE(client_of(request_from("127.0.0.1", {{"X-Forwarded-Proto", "http, HTTPS"}}), p).https);
  EXPECT_FALSE(client_of(request_from("127.0.0.1", {{"X-Forwarded-Proto", "http"}}), p).https);
  EXPECT_FALSE(client_of(request_from("127.0.0.1", {}), p).https);
}

}  // namespace
}  // namespace bp::site
