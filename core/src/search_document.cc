#include "search_document.h"

namespace bp::search {
namespace {

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

nlohmann::json parse_data(const std::string& data, bool for_results) {
  nlohmann::json::parser_callback_t skip_page_fields =
      [](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
        if (depth == 1 && event == nlohmann::json::parse_event_t::key && parsed.is_string()) {
          const auto& key = parsed.get_ref<const std::string&>();
          return key != "body_html" && key != "headings";
        }
        return true;
      };
  nlohmann::json j = nlohmann::json::parse(data, for_results ? skip_page_fields : nullptr,
                                           /*allow_exceptions=*/false);
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
  return p;
}

}  // namespace bp::search
