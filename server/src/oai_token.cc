#include "oai_token.h"

#include <charconv>
#include <vector>

#include "bp/file_bytes.h"

namespace bp::server {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr char kVersion[] = "t1";
constexpr char kSeparator = '\x1f';

std::string base64url(const std::string& in) {
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                       (static_cast<unsigned char>(in[i + 1]) << 8) | static_cast<unsigned char>(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(v >> s) & 63];
  }
  if (i + 1 == in.size()) {
    const unsigned v = static_cast<unsigned char>(in[i]) << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
  } else if (i + 2 == in.size()) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
  }
  return out;
}

std::optional<std::string> unbase64url(const std::string& in) {
  std::string out;
  unsigned acc = 0;
  int bits = 0;
  for (char c : in) {
    const char* at = std::char_traits<char>::find(kAlphabet, 64, c);
    if (at == nullptr) return std::nullopt;
    acc = (acc << 6) | static_cast<unsigned>(at - kAlphabet);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  return out;
}

template <typename Int>
std::optional<Int> to_int(const std::string& s) {
  Int v{};
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

std::string encode_token(const OaiListState& s) {
  std::string body;
  for (const std::string& field :
       {std::string(kVersion), s.verb, s.metadata_prefix, s.set, s.from, s.until, s.after_datestamp,
        s.after_slug, std::to_string(s.cursor), std::to_string(s.issued)}) {
    body += field;
    body += kSeparator;
  }
  // The checksum tells a damaged or hand-made token from ours; the token
  // grants nothing a fresh request would not, so it needs no secret.
  body += fnv1a_hex(body);
  return base64url(body);
}

std::optional<OaiListState> decode_token(const std::string& token, const std::string& verb,
                                         std::chrono::system_clock::time_point now) {
  if (token.empty() || token.size() > 2048) return std::nullopt;
  auto body = unbase64url(token);
  if (!body) return std::nullopt;
  const std::size_t last = body->rfind(kSeparator);
  if (last == std::string::npos || fnv1a_hex(body->substr(0, last + 1)) != body->substr(last + 1))
    return std::nullopt;
  std::vector<std::string> f;
  std::size_t start = 0;
  while (start <= last) {
    const std::size_t at = body->find(kSeparator, start);
    f.push_back(body->substr(start, at - start));
    start = at + 1;
  }
  if (f.size() != 10 || f[0] != kVersion || f[1] != verb) return std::nullopt;
  OaiListState s;
  s.verb = f[1];
  s.metadata_prefix = f[2];
  s.set = f[3];
  s.from = f[4];
  s.until = f[5];
  s.after_datestamp = f[6];
  s.after_slug = f[7];
  auto cursor = to_int<std::uint64_t>(f[8]);
  auto issued = to_int<std::int64_t>(f[9]);
  if (!cursor || !issued || s.until.empty()) return std::nullopt;
  s.cursor = *cursor;
  s.issued = *issued;
  const auto expires = std::chrono::system_clock::time_point(std::chrono::seconds(s.issued)) + kOaiTokenLifetime;
  if (now > expires) return std::nullopt;
  return s;
}

}  // namespace bp::server
