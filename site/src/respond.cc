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
// surrogates, nothing above U+10FFFF) with no byte JSON must escape.
bool needs_no_escape(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHighs = 0x8080808080808080ULL;
  auto has_zero_byte = [](std::uint64_t v) { return ((v - kOnes) & ~v & kHighs) != 0; };
  while (p < end) {
    // Eight bytes of plain ASCII at a time (most of an answer): none below
    // 0x20, none a quote or a backslash.
    if (end - p >= 8) {
      std::uint64_t x;
      std::memcpy(&x, p, 8);
      if ((x & kHighs) == 0) {
        if (((x - 0x20 * kOnes) & ~x & kHighs) != 0 || has_zero_byte(x ^ ('"' * kOnes)) ||
            has_zero_byte(x ^ ('\\' * kOnes)))
          return false;
        p += 8;
        continue;
      }
    }
    const unsigned char c = *p;
    if (c < 0x80) {
      if (c < 0x20 || c == '"' || c == '\\') return false;
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
  return true;
}

void write_string(std::string& out, std::string_view s) {
  if (!needs_no_escape(s)) {
    out += nlohmann_text(json(std::string(s)));
    return;
  }
  out += '"';
  out += s;
  out += '"';
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
