#include "request_framing.h"

#include <charconv>
#include <cstdint>
#include <strings.h>

namespace bp::server {
namespace {

bool name_is(std::string_view line, std::size_t colon, const char* name) {
  const std::string_view n = line.substr(0, colon);
  return n.size() == std::char_traits<char>::length(name) && strncasecmp(n.data(), name, n.size()) == 0;
}

std::string_view trimmed(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t' || v.back() == '\r')) v.remove_suffix(1);
  return v;
}

}  // namespace

Framing frame_request(std::string_view received, std::size_t max_head_bytes, std::size_t max_body_bytes) {
  using Kind = Framing::Kind;
  // The head ends after the first empty line. Every line ends in CRLF:
  // cpp-httplib (built without CPPHTTPLIB_ALLOW_LF_AS_LINE_TERMINATOR, as
  // Debian's is) skips a line ending in a bare LF, an empty one included,
  // and would wait on the socket for an end that never comes, holding its
  // worker; it would also ignore a header the front had framed by.
  std::size_t head_end = std::string_view::npos;
  for (std::size_t at = received.find('\n'); at != std::string_view::npos; at = received.find('\n', at + 1)) {
    if (at == 0 || received[at - 1] != '\r') return {Kind::kMalformed, 0};
    if (at >= 3 && received[at - 2] == '\n' && received[at - 3] == '\r') {
      head_end = at + 1;
      break;
    }
  }
  if (head_end == std::string_view::npos)
    return {received.size() > max_head_bytes ? Kind::kHeadTooLarge : Kind::kIncomplete, 0};
  if (head_end > max_head_bytes) return {Kind::kHeadTooLarge, 0};

  int lengths = 0;
  bool expects_continue = false;
  std::string_view length_value;
  const std::string_view head = received.substr(0, head_end);
  std::size_t line_start = head.find('\n');  // skip the request line
  while (line_start != std::string_view::npos && line_start + 1 < head.size()) {
    const std::size_t end = head.find('\n', line_start + 1);
    const std::string_view line = head.substr(line_start + 1, end - line_start - 1);
    line_start = end;
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    if (colon > 0 && (line[colon - 1] == ' ' || line[colon - 1] == '\t')) return {Kind::kMalformed, 0};
    if (name_is(line, colon, "Transfer-Encoding")) return {Kind::kServeNow, 0};
    // Another expectation than 100-continue is none we meet: the request
    // is framed as if it had none (its body awaited here, not by a worker).
    if (name_is(line, colon, "Expect")) {
      const std::string_view value = trimmed(line.substr(colon + 1));
      if (value.size() == 12 && strncasecmp(value.data(), "100-continue", 12) == 0) expects_continue = true;
    }
    if (name_is(line, colon, "Content-Length")) {
      ++lengths;
      length_value = trimmed(line.substr(colon + 1));
    }
  }
  if (lengths == 0) return {Kind::kComplete, head_end};  // an Expect without a body expects nothing
  std::uint64_t body = 0;
  const auto [end, ec] = std::from_chars(length_value.data(), length_value.data() + length_value.size(), body);
  if (lengths > 1 || length_value.empty() || ec != std::errc() || end != length_value.data() + length_value.size() ||
      body > max_body_bytes)
    return {Kind::kServeNow, 0};
  const std::size_t whole = head_end + static_cast<std::size_t>(body);
  if (received.size() < whole) return {Kind::kIncomplete, whole, expects_continue};
  return {Kind::kComplete, whole};
}

}  // namespace bp::server
