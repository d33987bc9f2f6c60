#include "bp/site/respond.h"

#include <charconv>
#include <cstdint>
#include <cstring>

#include <nlohmann/json.hpp>

namespace bp::site {
namespace {

using nlohmann::json;

std::string nlohmann_text(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

bool in(unsigned char c, unsigned char lo, unsigned char hi) { return c >= lo && c <= hi; }

// True when `s` is well-formed UTF-8 (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF); `*escapes` tells whether it holds
// a byte JSON must escape (a control character, a quote, a backslash).
bool well_formed(std::string_view s, bool* escapes) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHighs = 0x8080808080808080ULL;
  // The bytes of v that are zero have their high bit set in the result;
  // bytes above the lowest such byte may be set wrongly, never those below.
  auto zero_bytes = [](std::uint64_t v) { return (v - kOnes) & ~v & kHighs; };
  bool found = false;
  while (p < end) {
    // Eight bytes at a time up to the first that is not plain ASCII (most
    // of an answer is plain ASCII).
    if (end - p >= 8) {
      std::uint64_t x;
      std::memcpy(&x, p, 8);
      const std::uint64_t marked =
          ((x - 0x20 * kOnes) & ~x & kHighs) | zero_bytes(x ^ ('"' * kOnes)) | zero_bytes(x ^ ('\\' * kOnes));
      const std::uint64_t high = x & kHighs;
      const int plain = high == 0 ? 8 : __builtin_ctzll(high) / 8;  // little-endian: the first bytes are the low ones
      if (plain > 0) {
        const std::uint64_t within = plain == 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * plain)) - 1;
        found = found || (marked & within) != 0;
        p += plain;
        continue;
      }
    }
    const unsigned char c = *p;
    if (c < 0x80) {
      found = found || c < 0x20 || c == '"' || c == '\\';
      ++p;
      continue;
    }
    const std::ptrdiff_t left = end - p;
    if (in(c, 0xC2, 0xDF)) {
      if (left < 2 || !in(p[1], 0x80, 0xBF)) return false;
      p += 2;
    } else if (in(c, 0xE0, 0xEF)) {
      if (left < 3) return false;
      const unsigned char lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
      if (!in(p[1], lo, hi) || !in(p[2], 0x80, 0xBF)) return false;
      p += 3;
    } else if (in(c, 0xF0, 0xF4)) {
      if (left < 4) return false;
      const unsigned char lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
      if (!in(p[1], lo, hi) || !in(p[2], 0x80, 0xBF) || !in(p[3], 0x80, 0xBF)) return false;
      p += 4;
    } else {
      return false;
    }
  }
  *escapes = found;
  return true;
}

// A well-formed string with its quotes, backslashes and control
// characters escaped as nlohmann escapes them (\b \f \n \r \t, else
// \u00xx in lower case; DEL and all else as it is).
void write_escaped(std::string& out, std::string_view s) {
  out += '"';
  std::size_t from = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s, from, i - from);
    from = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        const char code[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
        out.append(code, sizeof code);
      }
    }
  }
  out.append(s, from, s.size() - from);
  out += '"';
}

void write_string(std::string& out, std::string_view s) {
  bool escapes = false;
  if (!well_formed(s, &escapes)) {
    out += nlohmann_text(json(std::string(s)));  // replaces what is not UTF-8
  } else if (escapes) {
    write_escaped(out, s);
  } else {
    out += '"';
    out += s;
    out += '"';
  }
}

template <typename T>
void write_integer(std::string& out, T n) {
  char buffer[24];
  const auto r = std::to_chars(buffer, buffer + sizeof buffer, n);
  out.append(buffer, r.ptr);
}

void write(std::string& out, const json& value) {
  switch (value.type()) {
    case json::value_t::object: {
      out += '{';
      bool first = true;
      for (auto it = value.begin(); it != value.end(); ++it) {
        if (!first) out += ',';
        first = false;
        write_string(out, it.key());
        out += ':';
        write(out, it.value());
      }
      out += '}';
      return;
    }
    case json::value_t::array: {
      out += '[';
      bool first = true;
      for (const auto& item : value) {
        if (!first) out += ',';
        first = false;
        write(out, item);
      }
      out += ']';
      return;
    }
    case json::value_t::string:
      write_string(out, value.get_ref<const std::string&>());
      return;
    case json::value_t::number_unsigned:
      write_integer(out, value.get<std::uint64_t>());
      return;
    case json::value_t::number_integer:
      write_integer(out, value.get<std::int64_t>());
      return;
    default:  // null, booleans, floating point, binary: as nlohmann writes them
      out += nlohmann_text(value);
      return;
  }
}

}  // namespace

JsonWriter& JsonWriter::open(char c) {
  comma();
  out_ += c;
  comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::close(char c) {
  out_ += c;
  comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  comma();
  write_string(out_, name);
  out_ += ':';
  comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::string(std::string_view value) {
  comma();
  write_string(out_, value);
  comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::integer(std::int64_t value) {
  comma();
  write_integer(out_, value);
  comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::unsigned_integer(std::uint64_t value) {
  comma();
  write_integer(out_, value);
  comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::boolean(bool value) {
  comma();
  out_ += value ? "true" : "false";
  comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::null() {
  comma();
  out_ += "null";
  comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::number(double value) {
  comma();
  out_ += nlohmann_text(json(value));
  comma_ = true;
  return *this;
}

std::string json_text(const nlohmann::json& value) {
  std::string out;
  out.reserve(4096);
  write(out, value);
  return out;
}

void send_json(httplib::Response& res, int status, const nlohmann::json& body,
               const char* cache_control) {
  send_json_text(res, status, json_text(body), cache_control);
}

void send_json_text(httplib::Response& res, int status, std::string body, const char* cache_control) {
  res.status = status;
  res.set_header("Cache-Control", cache_control);
  res.set_content(std::move(body), kJsonType);
}

void send_error(httplib::Response& res, int status, std::string_view code,
                std::string_view message) {
  send_json(res, status, {{"error", code}, {"message", message}});
}

void send_html(httplib::Response& res, int status, std::string html, const char* cache_control) {
  res.status = status;
  if (!res.has_header("Cache-Control")) res.set_header("Cache-Control", cache_control);
  res.set_content(std::move(html), kHtmlType);
}

bool is_api_path(std::string_view path) { return path.starts_with("/api/") || path == "/api"; }

}  // namespace bp::site
