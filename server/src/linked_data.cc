#include "linked_data.h"

#include "open_metadata.h"

namespace bp::server {
namespace {

using nlohmann::json;

const json& field(const json& data, const char* key) {
  static const json kNull;
  auto it = data.find(key);
  return it == data.end() ? kNull : *it;
}

std::string str(const json& data, const char* key) {
  const json& v = field(data, key);
  return v.is_string() ? v.get<std::string>() : std::string();
}

// 360 -> "PT6H", 90 -> "PT1H30M".
std::string iso_duration(long long minutes) {
  if (minutes <= 0) return "";
  std::string out = "PT";
  if (minutes >= 60) out += std::to_string(minutes / 60) + "H";
  if (minutes % 60) out += std::to_string(minutes % 60) + "M";
  return out;
}

// A school level's name as the filters, OAI and the pages write it
// (taxonomy.yaml `levels`); the slug when the taxonomy lacks it.
std::string level_label(const Taxonomy& taxonomy, const std::string& slug) {
  const Vocabulary* levels = taxonomy.vocabulary("level");
  const Term* term = levels ? levels->find(slug) : nullptr;
  return term ? term->label : slug;
}

}  // namespace

std::string script_safe_json(const json& value) {
  const std::string dumped = value.dump(-1, ' ', false, json::error_handler_t::replace);
  std::string safe;
  safe.reserve(dumped.size());
  for (char c : dumped) safe += c == '<' ? std::string("\\u003c") : std::string(1, c);
  return safe;
}

json practice_jsonld(const PracticePage& page, const Taxonomy& taxonomy, const std::string& base_url) {
  const PracticeSummary& p = page.practice;
  const json meta = json::parse(page.json, nullptr, false);
  const json data = meta.is_object() ? meta : json::object();
  const std::string url = base_url + "/pratiche/" + p.slug;
  const json library = {{"@type", "WebSite"}, {"name", kLibraryName}, {"url", base_url + "/"}};

  json about = json::array();
  for (const auto& theme : p.themes)
    about.push_back({{"@type", "DefinedTerm"},
                     {"name", taxonomy.label("theme", theme)},
                     {"termCode", theme},
                     {"inDefinedTermSet", base_url + "/api/taxonomy#theme"}});
  json keywords = json::array();
  for (const auto& theme : p.themes) keywords.push_back(taxonomy.label("theme", theme));
  if (const json& tags = field(data, "tags"); tags.is_array())
    for (const auto& t : tags)
      if (t.is_string()) keywords.push_back(t);

  json places = json::array();
  if (!p.region.empty()) places.push_back({{"@type", "Place"}, {"name", taxonomy.label("region", p.region)}});
  if (!p.city.empty())
    places.push_back({{"@type", "Place"},
                      {"name", p.city},
                      {"containedInPlace", {{"@type", "Place"}, {"name", taxonomy.label("region", p.region)}}}});

  json ld = {{"@context", "https://schema.org"},
             {"@type", json::array({"Article", "LearningResource"})},
             {"@id", url},
             {"url", url},
             {"mainEntityOfPage", url},
             {"name", p.title},
             {"headline", p.title},
             {"description", p.summary},
             {"inLanguage", str(data, "language").empty() ? "it" : str(data, "language")},
             {"isPartOf", library},
             {"publisher", {{"@type", "Organization"}, {"name", kLibraryName}, {"url", base_url + "/"}}},
             {"isAccessibleForFree", true}};
  if (!keywords.empty()) ld["keywords"] = keywords;
  if (!about.empty()) ld["about"] = about;
  if (!places.empty()) ld["spatialCoverage"] = places;
  if (!p.organisation.empty()) ld["author"] = {{"@type", "Organization"}, {"name", p.organisation}};
  if (const std::string license = license_url(str(data, "license")); !license.empty()) ld["license"] = license;
  if (!p.date.empty()) ld["datePublished"] = p.date;
  if (!p.updated.empty()) ld["dateModified"] = p.updated;
  else if (auto reviewed = str(data, "last_reviewed"); !reviewed.empty()) ld["dateModified"] = reviewed;
  if (const json& cover = field(data, "cover"); cover.is_object()) {
    const std::string src = cover.value("url", "");
    if (!src.empty() && src.front() == '/')
      ld["image"] = {{"@type", "ImageObject"}, {"url", base_url + src}, {"caption", cover.value("alt", "")}};
  }
  if (const json& d = field(data, "didattica"); d.is_object()) {
    json levels = json::array();
    if (d.contains("levels") && d["levels"].is_array())
      for (const auto& l : d["levels"])
        if (l.is_string()) levels.push_back(level_label(taxonomy, l.get<std::string>()));
    if (!levels.empty()) ld["educationalLevel"] = levels;
    if (d.contains("objectives") && d["objectives"].is_array() && !d["objectives"].empty())
      ld["teaches"] = d["objectives"];
    if (d.contains("duration_minutes") && d["duration_minutes"].is_number_integer())
      if (auto t = iso_duration(d["duration_minutes"].get<long long>()); !t.empty()) ld["timeRequired"] = t;
    if (d.contains("subjects") && d["subjects"].is_array() && !d["subjects"].empty())
      ld["educationalAlignment"] = json::array();
    for (const auto& s : d.value("subjects", json::array()))
      if (s.is_string())
        ld["educationalAlignment"].push_back({{"@type", "AlignmentObject"},
                                              {"alignmentType", "educationalSubject"},
                                              {"targetName", taxonomy.label("subject", s.get<std::string>())}});
    ld["learningResourceType"] = "caso di studio";
    ld["audience"] = {{"@type", "EducationalAudience"}, {"educationalRole", "teacher"}};
  }
  return ld;
}

namespace {

// The licence under which a distribution holding practices of `licences`
// may be reused as a whole: CC BY 4.0 with the restrictions any of them
// adds (NC, ND; SA unless ND forbids the derivatives SA governs). Each
// record still carries its own licence.
json distribution_licence(const std::set<std::string>& licences) {
  bool nc = false, nd = false, sa = false;
  for (const auto& id : licences) {
    nc = nc || id.find("-NC") != std::string::npos;
    nd = nd || id.find("-ND") != std::string::npos;
    sa = sa || id.find("-SA") != std::string::npos;
  }
  sa = sa && !nd;
  std::string terms = "by", code = "CC BY", name = "Creative Commons Attribuzione";
  json types = json::array({{{"@id", "http://purl.org/adms/licencetype/Attribution"}}});
  if (nc) {
    terms += "-nc", code += "-NC", name += " - Non commerciale";
    types.push_back({{"@id", "http://purl.org/adms/licencetype/NonCommercialUseOnly"}});
  }
  if (nd) {
    terms += "-nd", code += "-ND", name += " - Non opere derivate";
    types.push_back({{"@id", "http://purl.org/adms/licencetype/NoDerivativeWork"}});
  }
  if (sa) {
    terms += "-sa", code += "-SA", name += " - Condividi allo stesso modo";
    types.push_back({{"@id", "http://purl.org/adms/licencetype/ShareAlike"}});
  }
  return {{"@id", "https://creativecommons.org/licenses/" + terms + "/4.0/"},
          {"@type", "dcatapit:LicenseDocument"},
          {"dct:type", types.size() == 1 ? types[0] : types},
          {"foaf:name", name + " 4.0 Internazionale (" + code + " 4.0)"}};
}

}  // namespace

json dcat_catalogue(const CatalogueFacts& f) {
  const std::string b = f.base_url;
  const std::string modified = f.modified.size() >= 10 ? f.modified.substr(0, 10) : "";
  const json publisher = {{"@id", b + "/#editore"},
                          {"@type", json::array({"dcatapit:Agent", "foaf:Agent"})},
                          {"dct:identifier", "reti-solidali-e-competenti"},
                          {"foaf:name", kLibraryName}};
  const json rights_holder = {{"@id", b + "/#titolare"},
                              {"@type", json::array({"dcatapit:Agent", "foaf:Agent"})},
                              {"dct:identifier", "reti-solidali-e-competenti-titolare"},
                              {"foaf:name", std::string("Programma «") + kProgrammeName + "»"}};
  const json licence = distribution_licence(f.licences);
  auto distribution = [&](const std::string& id, const std::string& file, const char* format, const char* media,
                          const std::string& description) {
    return json{
        {"@id", b + "/opendata/#" + id},
        {"@type", json::array({"dcatapit:Distribution", "dcat:Distribution"})},
        {"dct:title", {{"@language", "it"}, {"@value", "Buone pratiche in " + id}}},
        {"dct:description", {{"@language", "it"}, {"@value", description}}},
        {"dct:format", {{"@id", std::string("http://publications.europa.eu/resource/authority/file-type/") + format}}},
        // DCAT's range is dct:MediaType: IANA's IRI, not a string.
        {"dcat:mediaType", {{"@id", std::string("http://www.iana.org/assignments/media-types/") + media}}},
        {"dcat:accessURL", {{"@id", b + "/opendata/"}}},
        {"dcat:downloadURL", {{"@id", b + "/opendata/" + file}}},
        {"dct:license", licence}};
  };
  json dataset = {
      {"@id", b + "/opendata/#pratiche"},
      {"@type", json::array({"dcatapit:Dataset", "dcat:Dataset"})},
      {"dct:identifier", "reti-solidali-e-competenti:buone-pratiche"},
      {"dct:title", {{"@language", "it"}, {"@value", "Buone pratiche del Terzo settore – Reti solidali e competenti"}}},
      {"dct:description",
       {{"@language", "it"},
        {"@value", "Le schede delle buone pratiche della biblioteca digitale del programma «" + std::string(kProgrammeName) +
                       "»: metadati completi di ogni scheda (territorio, temi, dimensioni della sostenibilità, "
                       "obiettivi di sviluppo sostenibile, organizzazione, risultati, contatti, licenza) e testo. "
                       + std::to_string(f.practices) + " schede."}}},
      {"dct:modified", {{"@type", "xsd:date"}, {"@value", modified}}},
      {"dcat:theme",
       json::array({{{"@id", "http://publications.europa.eu/resource/authority/data-theme/SOCI"}},
                    {{"@id", "http://publications.europa.eu/resource/authority/data-theme/EDUC"}}})},
      {"dct:rightsHolder", rights_holder},
      {"dct:publisher", publisher},
      {"dct:accrualPeriodicity", {{"@id", "http://publications.europa.eu/resource/authority/frequency/IRREG"}}},
      {"dct:language", {{"@id", "http://publications.europa.eu/resource/authority/language/ITA"}}},
      {"dct:spatial", {{"@id", "http://publications.europa.eu/resource/authority/country/ITA"}}},
      {"dcat:landingPage", {{"@id", b + "/opendata/"}}},
      {"dcat:keyword", json::array({"buone pratiche", "terzo settore", "sostenibilità", "agenda 2030"})},
      {"dcat:distribution",
       json::array({distribution("JSON", "pratiche.json", "JSON", "application/json",
                                 "Un array JSON: per ogni scheda i metadati, il testo e l'indirizzo della pagina."),
                    distribution("CSV", "pratiche.csv", "CSV", "text/csv",
                                 "Una riga per scheda, in UTF-8; i campi a più valori sono uniti da « | ».")})}};
  // DCAT-AP_IT's contact point (vcard:fn and vcard:hasEmail), when the
  // operator gave the editors' mailbox.
  if (!f.contact_email.empty())
    dataset["dcat:contactPoint"] = {{"@id", b + "/#redazione"},
                                    {"@type", json::array({"dcatapit:Organization", "vcard:Organization"})},
                                    {"vcard:fn", "Redazione di Buone Pratiche"},
                                    {"vcard:hasEmail", {{"@id", "mailto:" + f.contact_email}}}};
  return {
      {"@context",
       {{"dcat", "http://www.w3.org/ns/dcat#"},
        {"dct", "http://purl.org/dc/terms/"},
        {"dcatapit", "http://dati.gov.it/onto/dcatapit#"},
        {"foaf", "http://xmlns.com/foaf/0.1/"},
        {"vcard", "http://www.w3.org/2006/vcard/ns#"},
        {"xsd", "http://www.w3.org/2001/XMLSchema#"}}},
      {"@id", b + "/opendata/catalogo.jsonld"},
      {"@type", json::array({"dcatapit:Catalog", "dcat:Catalog"})},
      {"dct:title", {{"@language", "it"}, {"@value", "Catalogo dei dati aperti di Buone Pratiche"}}},
      {"dct:description",
       {{"@language", "it"},
        {"@value", "I dati aperti della biblioteca digitale delle buone pratiche del programma «" +
                       std::string(kProgrammeName) + "», finanziato dal " + kProgrammeFunder + "."}}},
      {"dct:publisher", publisher},
      {"dct:modified", {{"@type", "xsd:date"}, {"@value", modified}}},
      {"dct:language", {{"@id", "http://publications.europa.eu/resource/authority/language/ITA"}}},
      {"foaf:homepage", {{"@id", b + "/"}}},
      {"dcat:dataset", json::array({dataset})}};
}

}  // namespace bp::server
