#include "search_document.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <optional>
#include <string_view>

namespace bp::search {

std::vector<std::string> strings_field(const nlohmann::json& data, const char* name) {
  std::vector<std::string> out;
  auto it = data.find(name);
  if (it == data.end() || !it->is_array()) return out;
  for (const auto& v : *it) {
    if (v.is_string()) out.push_back(v.get<std::string>());
    else if (v.is_number_integer()) out.push_back(std::to_string(v.get<long long>()));
  }
  return out;
}

namespace {

int int_field(const nlohmann::json& data, const char* name) {
  auto it = data.find(name);
  if (it == data.end()) return 0;
  if (it->is_number_integer()) return static_cast<int>(it->get<long long>());
  if (it->is_string()) {
    try {
      return std::stoi(it->get<std::string>());
    } catch (const std::exception&) {
      return 0;
    }
  }
  return 0;
}

}  // namespace

namespace {

bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::size_t skip_ws(std::string_view s, std::size_t i) {
  while (i < s.size() && is_ws(s[i])) ++i;
  return i;
}

// Index just past the string starting at s[i] == '"', or npos.
std::size_t skip_string(std::string_view s, std::size_t i) {
  ++i;
  while (i < s.size()) {
    const char* q = static_cast<const char*>(std::memchr(s.data() + i, '"', s.size() - i));
    if (q == nullptr) return std::string_view::npos;
    const std::size_t at = static_cast<std::size_t>(q - s.data());
    std::size_t backslashes = 0;
    while (at - backslashes > i && s[at - backslashes - 1] == '\\') ++backslashes;
    if (backslashes % 2 == 0) return at + 1;
    i = at + 1;  // an escaped quote
  }
  return std::string_view::npos;
}

// Index just past the JSON value starting at s[i], or npos when malformed.
std::size_t skip_value(std::string_view s, std::size_t i) {
  if (i >= s.size()) return std::string_view::npos;
  if (s[i] == '"') return skip_string(s, i);
  if (s[i] == '{' || s[i] == '[') {
    int depth = 0;
    while (i < s.size()) {
      const char c = s[i];
      if (c == '"') {
        i = skip_string(s, i);
        if (i == std::string_view::npos) return i;
        continue;
      }
      if (c == '{' || c == '[') ++depth;
      if (c == '}' || c == ']') {
        if (--depth == 0) return i + 1;
      }
      ++i;
    }
    return std::string_view::npos;
  }
  while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ']' && !is_ws(s[i])) ++i;
  return i;
}

void append_utf8(std::string* out, std::uint32_t cp) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool read_hex4(std::string_view s, std::size_t i, std::uint32_t* out) {
  if (i + 4 > s.size()) return false;
  std::uint32_t v = 0;
  for (std::size_t k = i; k < i + 4; ++k) {
    const char c = s[k];
    v <<= 4;
    if (c >= '0' && c <= '9') v |= static_cast<std::uint32_t>(c - '0');
    else if (c >= 'a' && c <= 'f') v |= static_cast<std::uint32_t>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') v |= static_cast<std::uint32_t>(c - 'A' + 10);
    else return false;
  }
  *out = v;
  return true;
}

// The body of a JSON string (between its quotes), unescaped.
bool decode_string(std::string_view s, std::string* out) {
  out->reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t b = s.find('\\', i);
    out->append(s.substr(i, b == std::string_view::npos ? s.size() - i : b - i));
    if (b == std::string_view::npos) break;
    if (b + 1 >= s.size()) return false;
    const char e = s[b + 1];
    i = b + 2;
    switch (e) {
      case '"': out->push_back('"'); break;
      case '\\': out->push_back('\\'); break;
      case '/': out->push_back('/'); break;
      case 'b': out->push_back('\b'); break;
      case 'f': out->push_back('\f'); break;
      case 'n': out->push_back('\n'); break;
      case 'r': out->push_back('\r'); break;
      case 't': out->push_back('\t'); break;
      case 'u': {
        std::uint32_t cp = 0;
        if (!read_hex4(s, i, &cp)) return false;
        i += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          std::uint32_t low = 0;
          if (i + 1 < s.size() && s[i] == '\\' && s[i + 1] == 'u' && read_hex4(s, i + 2, &low) &&
              low >= 0xDC00 && low <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            i += 6;
          } else {
            cp = 0xFFFD;
          }
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          cp = 0xFFFD;
        }
        append_utf8(out, cp);
        break;
      }
      default:
        return false;
    }
  }
  return true;
}

// The top-level fields of `data` named in `wanted`, each parsed on its own:
// the others (the page's HTML, contacts, resources, ...) are stepped over
// without being lexed. nullopt when
// the text is not a plain JSON object (the caller then parses it whole).
std::optional<nlohmann::json> parse_fields(std::string_view data,
                                           std::initializer_list<std::string_view> wanted) {
  nlohmann::json out = nlohmann::json::object();
  std::size_t i = skip_ws(data, 0);
  if (i >= data.size() || data[i] != '{') return std::nullopt;
  i = skip_ws(data, i + 1);
  if (i < data.size() && data[i] == '}') return out;
  while (i < data.size()) {
    if (data[i] != '"') return std::nullopt;
    const std::size_t key_end = skip_string(data, i);
    if (key_end == std::string_view::npos) return std::nullopt;
    const std::string_view key = data.substr(i + 1, key_end - i - 2);
    if (key.find('\\') != std::string_view::npos) return std::nullopt;
    i = skip_ws(data, key_end);
    if (i >= data.size() || data[i] != ':') return std::nullopt;
    const std::size_t value_begin = skip_ws(data, i + 1);
    const std::size_t value_end = skip_value(data, value_begin);
    if (value_end == std::string_view::npos) return std::nullopt;
    if (std::find(wanted.begin(), wanted.end(), key) != wanted.end()) {
      if (data[value_begin] == '"') {
        // Strings are decoded here: nlohmann's lexer is slow on the long
        // plain text that snippets need.
        std::string text;
        if (!decode_string(data.substr(value_begin + 1, value_end - value_begin - 2), &text))
          return std::nullopt;
        out[std::string(key)] = std::move(text);
        i = skip_ws(data, value_end);
        if (i < data.size() && data[i] == ',') {
          i = skip_ws(data, i + 1);
          continue;
        }
        if (i < data.size() && data[i] == '}') return out;
        return std::nullopt;
      }
      nlohmann::json value = nlohmann::json::parse(data.substr(value_begin, value_end - value_begin),
                                                   nullptr, /*allow_exceptions=*/false);
      if (value.is_discarded()) return std::nullopt;
      out[std::string(key)] = std::move(value);
    }
    i = skip_ws(data, value_end);
    if (i < data.size() && data[i] == ',') {
      i = skip_ws(data, i + 1);
      continue;
    }
    if (i < data.size() && data[i] == '}') return out;
    return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

nlohmann::json parse_data(const std::string& data, bool for_results) {
  if (for_results) {
    if (auto fields = parse_fields(data, {"slug", "title", "summary", "hub", "region", "city",
                                          "themes", "dimensions", "sdgs", "audience", "modules",
                                          "organisation", "year", "date", "text", "didattica"}))
      return std::move(*fields);
  }
  nlohmann::json j = nlohmann::json::parse(data, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return nlohmann::json::object();
  return j;
}

std::string string_field(const nlohmann::json& data, const char* name) {
  auto it = data.find(name);
  if (it == data.end()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<long long>());
  return {};
}

PracticeSummary summary_from(const nlohmann::json& data) {
  PracticeSummary p;
  if (!data.is_object()) return p;
  p.slug = string_field(data, "slug");
  p.title = string_field(data, "title");
  p.summary = string_field(data, "summary");
  p.hub = string_field(data, "hub");
  p.region = string_field(data, "region");
  p.city = string_field(data, "city");
  p.themes = strings_field(data, "themes");
  p.dimensions = strings_field(data, "dimensions");
  for (const std::string& s : strings_field(data, "sdgs")) {
    try {
      p.sdgs.push_back(std::stoi(s));
    } catch (const std::exception&) {
    }
  }
  p.audience = strings_field(data, "audience");
  p.modules = strings_field(data, "modules");
  p.organisation = string_field(data, "organisation");
  p.year = int_field(data, "year");
  p.date = string_field(data, "date");
  if (auto t = data.find("didattica"); t != data.end() && t->is_object()) {
    p.levels = strings_field(*t, "levels");
    p.subjects = strings_field(*t, "subjects");
    p.duration_minutes = int_field(*t, "duration_minutes");
  }
  return p;
}

}  // namespace bp::search
