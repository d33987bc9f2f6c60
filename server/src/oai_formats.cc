#include "oai_formats.h"

#include "open_metadata.h"

namespace bp::server {
namespace {

using nlohmann::json;

std::string str(const json& data, const char* key) {
  auto it = data.find(key);
  return it != data.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<std::string> strs(const json& data, const char* key) {
  std::vector<std::string> out;
  auto it = data.find(key);
  if (it == data.end() || !it->is_array()) return out;
  for (const auto& v : *it) {
    if (v.is_string()) out.push_back(v.get<std::string>());
    else if (v.is_number_integer()) out.push_back(std::to_string(v.get<long long>()));
  }
  return out;
}

std::string scalar_text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  return v.dump();
}

void write_value(XmlWriter& xml, const std::string& name, const json& value) {
  if (value.is_null()) return;
  if (value.is_object()) {
    xml.open(name);
    for (auto it = value.begin(); it != value.end(); ++it) write_value(xml, it.key(), it.value());
    xml.close();
  } else if (value.is_array()) {
    xml.open(name);
    for (const auto& v : value) {
      if (v.is_null()) continue;
      write_value(xml, "item", v);
    }
    xml.close();
  } else {
    xml.leaf(name, scalar_text(value));
  }
}

// Front-matter keys are YAML names such as "last_reviewed": XML names
// already. Anything else is left out rather than risk a broken document.
bool is_xml_name(const std::string& key) {
  if (key.empty() || !(std::isalpha(static_cast<unsigned char>(key[0])) || key[0] == '_')) return false;
  for (char c : key)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
  return key.rfind("xml", 0) != 0;
}

}  // namespace

void write_oai_dc(XmlWriter& xml, const Record& record, const OaiConfig& config) {
  const json& d = record.data;
  const Taxonomy& taxonomy = *config.taxonomy;
  // The library's words (labels, the funder) are Italian; the case file's
  // own text is in its language.
  const XmlAttributes it = {{"xml:lang", "it"}};
  const std::string language = str(d, "language").empty() ? "it" : str(d, "language");
  const XmlAttributes own = {{"xml:lang", language}};
  xml.open("oai_dc:dc", {{"xmlns:oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc/"},
                         {"xmlns:dc", "http://purl.org/dc/elements/1.1/"},
                         {"xsi:schemaLocation",
                          "http://www.openarchives.org/OAI/2.0/oai_dc/ "
                          "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"}});
  xml.leaf("dc:title", str(d, "title"), own);
  if (auto org = str(d, "organisation"); !org.empty()) xml.leaf("dc:creator", org);
  xml.leaf("dc:publisher", kLibraryName);
  xml.leaf("dc:contributor", std::string(kProgrammeFunder) + " (finanziatore)", it);
  for (const auto& theme : strs(d, "themes")) xml.leaf("dc:subject", taxonomy.label("theme", theme), it);
  for (const auto& tag : strs(d, "tags")) xml.leaf("dc:subject", tag, own);
  xml.leaf("dc:description", str(d, "summary"), own);
  if (auto date = str(d, "date"); !date.empty()) xml.leaf("dc:date", date);
  xml.leaf("dc:type", "Text");
  xml.leaf("dc:type", "caso di studio", it);
  xml.leaf("dc:format", "text/html");
  xml.leaf("dc:identifier", config.base_url + "/pratiche/" + record.header.slug);
  xml.leaf("dc:language", language);
  if (auto region = str(d, "region"); !region.empty())
    xml.leaf("dc:coverage", taxonomy.label("region", region), it);
  if (auto city = str(d, "city"); !city.empty()) xml.leaf("dc:coverage", city, it);
  const std::string license = str(d, "license");
  const std::string url = license_url(license);
  xml.leaf("dc:rights", url.empty() ? license : url);
  xml.close();
}

void write_pratica(XmlWriter& xml, const Record& record, const OaiConfig& config) {
  xml.open("pratica", {{"xmlns", kPraticaNamespace},
                       {"xsi:schemaLocation", std::string(kPraticaNamespace) + " " + config.base_url +
                                                  kPraticaSchemaPath},
                       {"slug", record.header.slug},
                       {"url", config.base_url + "/pratiche/" + record.header.slug}});
  for (auto it = record.data.begin(); it != record.data.end(); ++it) {
    const std::string& key = it.key();
    if (key == "text" || key == "headings" || key == "body_html" || key == "slug" || !is_xml_name(key))
      continue;
    write_value(xml, key, it.value());
  }
  xml.close();
}

}  // namespace bp::server
