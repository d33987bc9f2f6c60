#include "bp/site/client.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>
#include <optional>

namespace bp::site {
namespace {

// The 16 bytes of an IPv6 address, IPv4 as ::ffff:a.b.c.d; nullopt when
// `text` is not an address.
std::optional<std::array<std::uint8_t, 16>> address_bytes(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  // "[2001:db8::1]" as some proxies write IPv6 (RFC 7239 style).
  if (text.size() > 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  char buf[INET6_ADDRSTRLEN] = {};
  std::memcpy(buf, text.data(), text.size());
  std::array<std::uint8_t, 16> out{};
  in_addr v4{};
  if (inet_pton(AF_INET, buf, &v4) == 1) {
    out[10] = out[11] = 0xff;
    std::memcpy(out.data() + 12, &v4, 4);
    return out;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, buf, &v6) == 1) {
    std::memcpy(out.data(), &v6, 16);
    return out;
  }
  return std::nullopt;
}

bool is_v4_mapped(const std::array<std::uint8_t, 16>& a) {
  for (int i = 0; i < 10; ++i)
    if (a[static_cast<std::size_t>(i)] != 0) return false;
  return a[10] == 0xff && a[11] == 0xff;
}

std::vector<std::string_view> split_list(std::string_view list) {
  std::vector<std::string_view> out;
  while (!list.empty()) {
    const auto comma = list.find(',');
    out.push_back(list.substr(0, comma));
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return out;
}

std::string trimmed(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  if (v.size() > 2 && v.front() == '[' && v.back() == ']') v = v.substr(1, v.size() - 2);
  return std::string(v);
}

}  // namespace

Result<TrustedProxies> TrustedProxies::parse(const std::vector<std::string>& entries) {
  TrustedProxies proxies;
  for (const std::string& raw : entries) {
    const std::string_view entry = raw;
    if (entry.find_first_not_of(" \t") == std::string_view::npos) continue;
    const auto slash = entry.find('/');
    const auto bytes = address_bytes(entry.substr(0, slash));
    if (!bytes)
      return Status::invalid("proxy fidato non valido: \"" + raw +
                             "\" (atteso un indirizzo IPv4 o IPv6, o una rete come 10.0.0.0/8)");
    Net net{*bytes, 128};
    if (slash != std::string_view::npos) {
      const std::string_view digits = entry.substr(slash + 1);
      int bits = -1;
      const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), bits);
      const int max_bits = is_v4_mapped(*bytes) && entry.find(':') == std::string_view::npos ? 32 : 128;
      if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || bits < 0 || bits > max_bits)
        return Status::invalid("proxy fidato non valido: \"" + raw + "\" (lunghezza del prefisso fuori intervallo)");
      net.bits = max_bits == 32 ? 96 + bits : bits;
    }
    proxies.nets_.push_back(net);
  }
  return proxies;
}

bool TrustedProxies::trusts(std::string_view address) const {
  if (nets_.empty()) return false;
  const auto bytes = address_bytes(address);
  if (!bytes) return false;
  for (const Net& net : nets_) {
    bool match = true;
    for (int bit = 0; bit < net.bits && match; bit += 8) {
      const auto i = static_cast<std::size_t>(bit / 8);
      const int take = std::min(8, net.bits - bit);
      const auto mask = static_cast<std::uint8_t>(0xff << (8 - take));
      match = ((*bytes)[i] & mask) == (net.bytes[i] & mask);
    }
    if (match) return true;
  }
  return false;
}

Client client_of(const httplib::Request& req, const TrustedProxies& proxies) {
  Client client{req.remote_addr, false};
  if (!proxies.trusts(req.remote_addr)) return client;
  std::vector<std::string_view> hops;
  const auto range = req.headers.equal_range("X-Forwarded-For");
  for (auto it = range.first; it != range.second; ++it)
    for (std::string_view hop : split_list(it->second)) hops.push_back(hop);
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    const std::string hop = trimmed(*it);
    if (!address_bytes(hop)) break;
    client.address = hop;
    if (!proxies.trusts(hop)) break;
  }
  const auto protos = req.headers.equal_range("X-Forwarded-Proto");
  std::string proto;
  for (auto it = protos.first; it != protos.second; ++it) {
    const auto values = split_list(it->second);
    if (!values.empty()) proto = trimmed(values.back());
  }
  for (char& c : proto) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  client.https = proto == "https";
  return client;
}

}  // namespace bp::site
