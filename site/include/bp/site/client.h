// Who sent a request: the socket's peer, or, when that peer is a proxy the
// operator trusts (--trusted-proxy, BP_TRUSTED_PROXIES), the client it
// forwarded for. Every module asks here for "the client address" (rate
// limits, the access log, the audit log, /metrics) and for the scheme the
// client used (Secure cookies), so a forged X-Forwarded-For from anyone
// else is never believed.
#pragma once

#include <httplib.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bp/status.h"

namespace bp::site {

// A set of addresses and networks (IPv4 or IPv6, "ADDR" or "ADDR/BITS").
// IPv4-mapped IPv6 addresses (::ffff:127.0.0.1) match their IPv4 form.
// Default: empty, trusting nobody.
class TrustedProxies {
 public:
  // kInvalidArgument (Italian message naming the entry) for an entry that
  // is not an address, or a prefix length out of range.
  static Result<TrustedProxies> parse(const std::vector<std::string>& entries);

  // Whether `address` (as the socket reports it) is one of the proxies.
  // False for anything that is not an address.
  bool trusts(std::string_view address) const;
  bool empty() const { return nets_.empty(); }

 private:
  struct Net {
    std::array<std::uint8_t, 16> bytes{};  // IPv4 as IPv4-mapped IPv6
    int bits = 0;                          // of the 128
  };
  std::vector<Net> nets_;
};

struct Client {
  // The client's address: the peer, or behind trusted proxies the
  // rightmost X-Forwarded-For entry that is not itself a trusted proxy.
  std::string address;
  // The client reached the site over HTTPS: X-Forwarded-Proto "https" from
  // a trusted peer (bp-server itself speaks plain HTTP).
  bool https = false;
};

// The client of `req` (whose remote_addr is the socket's peer). From an
// untrusted peer the forwarding headers are ignored. From a trusted one
// every X-Forwarded-For header is read as one comma-separated list and
// walked from the right, skipping trusted proxies; an entry that is not an
// address stops the walk at the address before it; when every entry is
// trusted the leftmost is the client. The last X-Forwarded-Proto value
// (the nearest proxy's) gives the scheme.
Client client_of(const httplib::Request& req, const TrustedProxies& proxies);

}  // namespace bp::site
