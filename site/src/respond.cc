#include "bp/site/respond.h"

#include <charconv>

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
bool needs_no_escape(const std::string& s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
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

void write_string(std::string& out, const std::string& s) {
  if (!needs_no_escape(s)) {
    out += nlohmann_text(json(s));
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

std::string json_text(const nlohmann::json& value) {
  std::string out;
  out.reserve(4096);
  write(out, value);
  return out;
}

void send_json(httplib::Response& res, int status, const nlohmann::json& body,
               const char* cache_control) {
  res.status = status;
  res.set_header("Cache-Control", cache_control);
  res.set_content(json_text(body), kJsonType);
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
