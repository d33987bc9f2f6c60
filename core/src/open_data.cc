#include "bp/open_data.h"

#include <nlohmann/json.hpp>

namespace bp {
namespace {

using nlohmann::json;

json open_object(const Record& r, const std::string& base_url) {
  json o = r.data.is_object() ? r.data : json::object();
  o.erase("body_html");
  o.erase("headings");
  o["slug"] = r.header.slug;
  o["url"] = base_url + "/pratiche/" + r.header.slug;
  if (!o.contains("text")) o["text"] = "";
  return o;
}

bool is_flat_list(const json& v) {
  if (!v.is_array()) return false;
  for (const auto& x : v)
    if (x.is_object() || x.is_array()) return false;
  return true;
}

std::string scalar(const json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

std::string cell(const json& v) {
  if (v.is_null()) return "";
  if (is_flat_list(v)) {
    std::string out;
    for (const auto& x : v) {
      if (!out.empty()) out += kCsvJoin;
      out += scalar(x);
    }
    return out;
  }
  if (v.is_object() || v.is_array()) return v.dump(-1, ' ', false, json::error_handler_t::replace);
  return scalar(v);
}

std::string csv_quote(const std::string& s) {
  // Cells starting with = + - @ are left as they are: this is data for
  // programs, and a prefix would break the round trip. Spreadsheet users
  // should import it as text (the open-data page says so).
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

const std::vector<std::string>& open_data_columns() {
  static const std::vector<std::string> k = {
      "slug",    "url",        "title",     "summary",      "hub",     "region",        "city",
      "themes",  "dimensions", "sdgs",      "organisation", "year",    "audience",      "modules",
      "date",    "tags",       "status",    "language",     "license", "last_reviewed", "transferability",
      "results", "contacts",   "resources", "cover",        "related", "didattica",     "in_parole_semplici",
      "domande", "path",       "text"};
  return k;
}

std::string open_data_json(const std::vector<Record>& records, const std::string& base_url) {
  json all = json::array();
  for (const auto& r : records)
    if (!r.header.deleted) all.push_back(open_object(r, base_url));
  return all.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string open_data_csv(const std::vector<Record>& records, const std::string& base_url) {
  std::string out = "\xEF\xBB\xBF";
  const auto& columns = open_data_columns();
  for (std::size_t i = 0; i < columns.size(); ++i) out += (i ? "," : "") + columns[i];
  out += "\r\n";
  for (const auto& r : records) {
    if (r.header.deleted) continue;
    const json o = open_object(r, base_url);
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (i) out += ',';
      auto it = o.find(columns[i]);
      if (it != o.end()) out += csv_quote(cell(*it));
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace bp
