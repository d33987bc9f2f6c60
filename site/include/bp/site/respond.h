// The answers every module sends: JSON with one content type and one error
// shape, and HTML pages. Handlers call these instead of set_content.
#pragma once

#include <httplib.h>

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

namespace bp::site {

inline constexpr const char* kJsonType = "application/json; charset=utf-8";
inline constexpr const char* kHtmlType = "text/html; charset=utf-8";

// `value` as compact JSON text, exactly as value.dump(-1, ' ', false,
// error_handler_t::replace) writes it (invalid UTF-8 replaced by U+FFFD,
// never thrown on), but several times faster on answers made mostly of
// text: nlohmann's serialiser decodes every byte of every string (about 100
// instructions a byte, 1.3 M instructions for a 12 KB search answer);
// here a well-formed UTF-8 string is checked (plain ASCII eight bytes at a
// time) and copied, its quotes, backslashes and control characters escaped
// as nlohmann escapes them; only malformed text goes through nlohmann.
std::string json_text(const nlohmann::json& value);

// Compact JSON written straight into a string, for a hot answer built from
// engine types without a nlohmann tree (a tree of a search answer costs
// about 0.5 M instructions to build and free, more than writing it):
// strings, numbers and literals come out as json_text() writes them. An
// object's keys must be given in the order json_text() writes them, which
// is nlohmann's std::map order (sorted bytewise), each once: the writer
// does not check.
class JsonWriter {
 public:
  JsonWriter() { out_.reserve(4096); }
  JsonWriter& begin_object() { return open('{'); }
  JsonWriter& end_object() { return close('}'); }
  JsonWriter& begin_array() { return open('['); }
  JsonWriter& end_array() { return close(']'); }
  JsonWriter& key(std::string_view name);
  JsonWriter& string(std::string_view value);
  JsonWriter& integer(std::int64_t value);
  JsonWriter& unsigned_integer(std::uint64_t value);
  JsonWriter& boolean(bool value);
  JsonWriter& null();
  JsonWriter& number(double value);  // as nlohmann writes a double
  // A list of strings as an array.
  template <typename List>
  JsonWriter& strings(const List& list) {
    begin_array();
    for (const auto& s : list) string(s);
    return end_array();
  }
  // The text written so far; the writer is left empty.
  std::string take() { return std::move(out_); }

 private:
  JsonWriter& open(char c);
  JsonWriter& close(char c);
  void comma() {
    if (comma_) out_ += ',';
  }
  std::string out_;
  bool comma_ = false;  // a value was written at this level: the next one needs a comma
};

// `body` serialised (json_text()) with status and
// Cache-Control (every JSON answer carries one; "no-store" unless the route
// says otherwise).
void send_json(httplib::Response& res, int status, const nlohmann::json& body,
               const char* cache_control = "no-store");

// Same, with `body` already JSON text (JsonWriter).
void send_json_text(httplib::Response& res, int status, std::string body,
                    const char* cache_control = "no-store");

// The documented error shape: {"error": code, "message": message}, with the
// message in Italian for people.
void send_error(httplib::Response& res, int status, std::string_view code,
                std::string_view message);

// A rendered page.
void send_html(httplib::Response& res, int status, std::string html,
               const char* cache_control = "no-cache");

// True for paths under /api/ (JSON answers), false for pages.
bool is_api_path(std::string_view path);

}  // namespace bp::site
