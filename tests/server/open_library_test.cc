// End-to-end tests of the open-library routes on the real engine: the
// fixture library (tests/server/library, 6 practices) is copied to a temp
// folder, indexed and served. OAI-PMH answers are validated with libxml2
// against the official XML Schemas committed in tests/fixtures/xsd (through
// an XML catalog, never the network).
#include <gtest/gtest.h>
#include <libxml/catalog.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <thread>

#include "bp/index_builder.h"
#include "bp/open_data.h"
#include "bp/records.h"
#include "oai_token.h"
#include "sitemap.h"
#include "test_server.h"

namespace bp::test {
namespace {

using nlohmann::json;

const fs::path kXsd = fs::path(BP_SOURCE_DIR) / "tests/fixtures/xsd";
constexpr const char* kPublicUrl = "http://biblioteca.example.org";

// A practice with a teaching block, added during the tests.
constexpr const char* kTeachingPractice = R"(---
title: "Acqua a scuola: il diario dei consumi"
summary: "Le classi misurano l'acqua usata a casa e a scuola e la confrontano con una scuola gemellata."
hub: nord
region: piemonte
city: Torino
themes: [educazione-ambientale]
dimensions: [ambientale]
sdgs: [6]
organisation: "Associazione Goccia <Blu> </script>"
year: 2022
audience: [docenti, studenti]
modules: [m12]
date: 2023-09-01
license: CC-BY-SA-4.0
didattica:
  levels: [primaria, secondaria-1]
  subjects: [scienze, geografia]
  objectives:
    - "Capire quanta acqua usiamo ogni giorno"
  duration_minutes: 150
  activities:
    - {title: "Il diario dell'acqua", description: "Ogni alunno annota i litri usati in casa.", duration_minutes: 150}
---

## Contesto

Una scuola primaria di Torino ha voluto capire quanta acqua consuma.

## Cosa è stato fatto

Per una settimana le classi hanno tenuto un diario dei consumi e li hanno confrontati.
)";

struct XmlDoc {
  xmlDocPtr doc = nullptr;
  explicit XmlDoc(const std::string& text)
      : doc(xmlReadMemory(text.data(), static_cast<int>(text.size()), "answer.xml", "UTF-8", XML_PARSE_NONET)) {}
  ~XmlDoc() { xmlFreeDoc(doc); }
  XmlDoc(const XmlDoc&) = delete;
  XmlDoc& operator=(const XmlDoc&) = delete;

  // Texts of the nodes `xpath` selects (prefixes: oai, dc, oai_dc, atom, sm, p).
  std::vector<std::string> all(const std::string& xpath) const {
    std::vector<std::string> out;
    if (!doc) return out;
    xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
    const std::pair<const char*, const char*> ns[] = {
        {"oai", "http://www.openarchives.org/OAI/2.0/"},
        {"oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc/"},
        {"dc", "http://purl.org/dc/elements/1.1/"},
        {"atom", "http://www.w3.org/2005/Atom"},
        {"sm", "http://www.sitemaps.org/schemas/sitemap/0.9"},
        {"p", "urn:it:buonepratiche:pratica:1.0"}};
    for (const auto& [prefix, uri] : ns)
      xmlXPathRegisterNs(ctx, reinterpret_cast<const xmlChar*>(prefix), reinterpret_cast<const xmlChar*>(uri));
    xmlXPathObjectPtr result = xmlXPathEvalExpression(reinterpret_cast<const xmlChar*>(xpath.c_str()), ctx);
    if (result && result->nodesetval) {
      for (int i = 0; i < result->nodesetval->nodeNr; ++i) {
        xmlChar* text = xmlNodeGetContent(result->nodesetval->nodeTab[i]);
        out.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
        xmlFree(text);
      }
    }
    xmlXPathFreeObject(result);
    xmlXPathFreeContext(ctx);
    return out;
  }
  std::string one(const std::string& xpath) const {
    auto v = all(xpath);
    return v.empty() ? std::string("<none>") : v.front();
  }
};

// The OAI-PMH schema with every metadata schema it must check strictly,
// compiled once; errors of the last validation are kept.
class OaiSchema {
 public:
  static OaiSchema& get() {
    static OaiSchema* schema = new OaiSchema();
    return *schema;
  }
  // "" when `xml` is valid, else libxml2's messages.
  std::string validate(const std::string& xml) {
    errors_.clear();
    XmlDoc doc(xml);
    if (!doc.doc) return "not well-formed XML";
    if (!schema_) return "schema did not compile: " + compile_errors_;
    xmlSchemaValidCtxtPtr ctx = xmlSchemaNewValidCtxt(schema_);
    xmlSchemaSetValidErrors(ctx, &OaiSchema::collect, &OaiSchema::collect, &errors_);
    const int rc = xmlSchemaValidateDoc(ctx, doc.doc);
    xmlSchemaFreeValidCtxt(ctx);
    return rc == 0 ? "" : (errors_.empty() ? "invalid" : errors_);
  }

 private:
  OaiSchema() {
    xmlInitParser();
    xmlSetExternalEntityLoader(xmlNoNetExternalEntityLoader);
    xmlLoadCatalog((kXsd / "catalog.xml").c_str());
    xmlSchemaParserCtxtPtr parser = xmlSchemaNewParserCtxt((kXsd / "oai-all.xsd").c_str());
    xmlSchemaSetParserErrors(parser, &OaiSchema::collect, &OaiSchema::collect, &compile_errors_);
    schema_ = xmlSchemaParse(parser);
    xmlSchemaFreeParserCtxt(parser);
  }
  static void collect(void* ctx, const char* msg, ...) {
    char buf[1024];
    va_list args;
    va_start(args, msg);
    std::vsnprintf(buf, sizeof buf, msg, args);
    va_end(args);
    *static_cast<std::string*>(ctx) += buf;
  }
  xmlSchemaPtr schema_ = nullptr;
  std::string errors_;
  std::string compile_errors_;
};

class OpenLibrary : public ::testing::Test {
 protected:
  void SetUp() override {
    content_ = tmp_.path() / "library";
    fs::copy(fs::path(BP_SOURCE_DIR) / "tests/server/library", content_, fs::copy_options::recursive);
    // The school levels and subjects of the lesson sheet a test adds.
    std::ofstream(content_ / "taxonomy.yaml", std::ios::app)
        << "\nsubjects:\n  - {slug: scienze, label: Scienze}\n  - {slug: geografia, label: Geografia}\n"
        << "levels:\n  - {slug: primaria, label: Primaria}\n"
        << "  - {slug: secondaria-1, label: Secondaria di primo grado}\n";
    index_ = tmp_.path() / "index";
    build();
    Diagnostics diagnostics;
    taxonomy_ = Taxonomy::load(content_ / "taxonomy.yaml", &diagnostics);
    ASSERT_TRUE(taxonomy_.has_value());
    server::Options options = options_on_index(content_, index_, fs::path(BP_SOURCE_DIR) / "web");
    options.public_base_url = kPublicUrl;
    options.admin_email = "redazione@biblioteca.example.org";
    options.oai_page_size = 2;
    running_ = std::make_unique<RunningServer>(options, *taxonomy_, searcher_on(index_, *taxonomy_));
    client_ = running_->client();
  }

  void build(bool rebuild = false, std::chrono::seconds publish_delay = std::chrono::seconds(-1)) {
    BuildOptions options;
    options.content_root = content_;
    options.index_dir = index_;
    options.rebuild = rebuild;
    // Published at the build's own second rather than the next one, so
    // that a harvest right after it lists its records (OAI-PMH lists only
    // datestamps up to responseDate; records_test checks the real dating).
    options.publish_delay = publish_delay;
    auto report = build_index(options);
    ASSERT_TRUE(report.ok()) << report.status().message();
    ASSERT_EQ(report->skipped, 0u);
  }

  std::string get(const std::string& target, int expected = 200) {
    auto r = client_->Get(target.c_str());
    EXPECT_TRUE(r) << target;
    if (!r) return "";
    EXPECT_EQ(r->status, expected) << target << "\n" << r->body;
    return r->body;
  }

  // An OAI-PMH answer, checked against the schemas.
  std::string oai(const std::string& query) {
    const std::string body = get("/oai?" + query);
    EXPECT_EQ(OaiSchema::get().validate(body), "") << query << "\n" << body;
    return body;
  }

  static std::string id(const std::string& slug) { return "oai:biblioteca.example.org:" + slug; }

  TempDir tmp_;
  fs::path content_, index_;
  std::optional<Taxonomy> taxonomy_;
  std::unique_ptr<RunningServer> running_;
  std::unique_ptr<httplib::Client> client_;
};

const std::set<std::string> kFixture = {"gas-quartiere-torino", "repair-cafe-milano",    "cer-solidale-lecce",
                                        "orti-didattici-bari",  "emporio-solidale-roma", "bicibus-firenze"};

TEST_F(OpenLibrary, EveryVerbAndEveryErrorValidatesAgainstTheOfficialSchemas) {
  struct Case {
    std::string query;
    std::string error;  // expected error code, "" for none
  };
  const std::string gas = pct(id("gas-quartiere-torino"));
  const std::vector<Case> cases = {
      {"verb=Identify", ""},
      {"verb=ListMetadataFormats", ""},
      {"verb=ListMetadataFormats&identifier=" + gas, ""},
      {"verb=ListSets", ""},
      {"verb=ListIdentifiers&metadataPrefix=oai_dc", ""},
      {"verb=ListRecords&metadataPrefix=oai_dc", ""},
      {"verb=ListRecords&metadataPrefix=pratica", ""},
      {"verb=ListRecords&metadataPrefix=oai_dc&set=hub:sud", ""},
      {"verb=ListRecords&metadataPrefix=oai_dc&set=theme", ""},
      {"verb=ListRecords&metadataPrefix=oai_dc&from=2000-01-01&until=2999-12-31", ""},
      {"verb=GetRecord&metadataPrefix=oai_dc&identifier=" + gas, ""},
      {"verb=GetRecord&metadataPrefix=pratica&identifier=" + gas, ""},
      {"", "badVerb"},
      {"verb=Harvest", "badVerb"},
      {"verb=Identify&verb=Identify", "badVerb"},
      {"verb=Identify&extra=1", "badArgument"},
      {"verb=GetRecord&metadataPrefix=oai_dc&identifier=invalid%22id", "idDoesNotExist"},
      {"verb=GetRecord&identifier=invalid%22id", "badArgument"},
      {"verb=ListRecords", "badArgument"},
      {"verb=ListRecords&metadataPrefix=oai_dc&from=2023-13-01", "badArgument"},
      // Days the calendar does not have, and dates given empty, are not
      // dates: not "every record" nor "none".
      {"verb=ListRecords&metadataPrefix=oai_dc&from=2023-02-30", "badArgument"},
      {"verb=ListIdentifiers&metadataPrefix=oai_dc&until=2023-04-31", "badArgument"},
      {"verb=ListRecords&metadataPrefix=oai_dc&from=2023-02-29T10:00:00Z", "badArgument"},
      {"verb=ListRecords&metadataPrefix=oai_dc&from=", "badArgument"},
      {"verb=ListIdentifiers&metadataPrefix=oai_dc&until=", "badArgument"},
      {"verb=ListRecords&metadataPrefix=oai_dc&from=2000-02-29&until=2999-12-31", ""},
      {"verb=ListRecords&metadataPrefix=oai_dc&from=2023-01-01&until=2024-01-01T00:00:00Z", "badArgument"},
      {"verb=ListRecords&metadataPrefix=oai_dc&from=2024-01-01&until=2023-01-01", "badArgument"},
      {"verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc", "badArgument"},
      {"verb=ListRecords&metadataPrefix=oai_dc&resumptionToken=x", "badArgument"},
      {"verb=ListRecords&metadataPrefix=oai%20dc", "badArgument"},
      {"verb=ListRecords&metadataPrefix=oai_dc&set=hub%3A%3Cnord%3E", "badArgument"},
      {"verb=ListRecords&metadataPrefix=oai_dc&set=hub%3A%3Anord", "badArgument"},
      {"verb=ListRecords&metadataPrefix=oai_dc&set=%3Ahub", "badArgument"},
      {"verb=ListRecords&metadataPrefix=oai_dc&set=hub%3A", "badArgument"},
      {"verb=ListRecords&resumptionToken=bm9uLXZhbGlkbw", "badResumptionToken"},
      {"verb=ListIdentifiers&resumptionToken=%3C%3E", "badResumptionToken"},
      {"verb=ListSets&resumptionToken=abc", "badResumptionToken"},
      {"verb=ListRecords&metadataPrefix=marc21", "cannotDisseminateFormat"},
      {"verb=GetRecord&metadataPrefix=marc21&identifier=" + gas, "cannotDisseminateFormat"},
      {"verb=GetRecord&metadataPrefix=oai_dc&identifier=" + pct(id("non-esiste")), "idDoesNotExist"},
      {"verb=ListMetadataFormats&identifier=" + pct(id("non-esiste")), "idDoesNotExist"},
      {"verb=ListRecords&metadataPrefix=oai_dc&set=hub:isole", "noRecordsMatch"},
      {"verb=ListIdentifiers&metadataPrefix=oai_dc&until=2000-01-01", "noRecordsMatch"},
      // Bytes that are not UTF-8 echoed in <request> leave the answer XML.
      {"verb=ListMetadataFormats&identifier=oai:x:%FF", "idDoesNotExist"},
      {"verb=ListRecords&resumptionToken=%3Cx%3E%00%FF", "badResumptionToken"},
      // U+FFFE and U+FFFF are UTF-8 but not XML characters.
      {"verb=Identify&%EF%BF%BE=1", "badArgument"},
      {"verb=ListRecords&resumptionToken=%EF%BF%BF", "badResumptionToken"},
  };
  for (const auto& c : cases) {
    const std::string body = oai(c.query);
    XmlDoc doc(body);
    EXPECT_EQ(doc.one("/oai:OAI-PMH/oai:error/@code"), c.error.empty() ? "<none>" : c.error) << c.query;
    if (c.error == "badVerb" || c.error == "badArgument") {
      EXPECT_TRUE(doc.all("/oai:OAI-PMH/oai:request/@*").empty()) << c.query << ": arguments echoed";
    }
    EXPECT_EQ(doc.one("/oai:OAI-PMH/oai:request"), std::string(kPublicUrl) + "/oai");
  }
  // "noMetadataFormats" cannot happen: every record, deleted ones included,
  // is available in both formats.

  // POST with a form body works as GET.
  auto r = client_->Post("/oai", "verb=GetRecord&metadataPrefix=oai_dc&identifier=" + gas,
                         "application/x-www-form-urlencoded");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(OaiSchema::get().validate(r->body), "");
  EXPECT_EQ(XmlDoc(r->body).one("//oai:record/oai:header/oai:identifier"), id("gas-quartiere-torino"));
  // A POST body carries long values (a GET's line is capped): a 7,000
  // character prefix or set is an answer (std::regex recursed per character
  // there: a longer body limit would have crashed the server).
  for (const std::string arg : {"metadataPrefix=", "metadataPrefix=oai_dc&set="}) {
    auto longer =
        client_->Post("/oai", "verb=ListRecords&" + arg + std::string(7000, 'a'), "application/x-www-form-urlencoded");
    ASSERT_TRUE(longer) << arg << ": no answer";
    EXPECT_EQ(longer->status, 200);
    EXPECT_EQ(XmlDoc(longer->body).one("/oai:OAI-PMH/oai:error/@code"),
              arg == "metadataPrefix=" ? "cannotDisseminateFormat" : "noRecordsMatch")
        << arg;
  }
  ASSERT_TRUE(client_->Get("/oai?verb=Identify")) << "still serving";
}

// A case file written in English says so on its own texts; the library's
// labels stay Italian.
TEST_F(OpenLibrary, DublinCoreTagsTheCaseFilesOwnTextWithItsLanguage) {
  const fs::path file = content_ / "practices/nord/repair-cafe-milano.md";
  std::string text;
  {
    std::ifstream in(file);
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  text.insert(4, "language: en\n");
  std::ofstream(file) << text;
  build();
  XmlDoc doc(oai("verb=GetRecord&metadataPrefix=oai_dc&identifier=" + pct(id("repair-cafe-milano"))));
  const std::string dc = "//oai:metadata/oai_dc:dc/";
  EXPECT_EQ(doc.one(dc + "dc:language"), "en");
  EXPECT_EQ(doc.one(dc + "dc:title/@xml:lang"), "en");
  EXPECT_EQ(doc.one(dc + "dc:description/@xml:lang"), "en");
  EXPECT_EQ(doc.one(dc + "dc:contributor/@xml:lang"), "it");
  XmlDoc italian(oai("verb=GetRecord&metadataPrefix=oai_dc&identifier=" + pct(id("gas-quartiere-torino"))));
  EXPECT_EQ(italian.one(dc + "dc:title/@xml:lang"), "it");
  // So does its page, for screen readers: the title, the summary and the
  // text, not the page's Italian headings.
  const std::string page = get("/pratiche/repair-cafe-milano");
  EXPECT_NE(page.find("<h1 lang=\"en\">"), std::string::npos);
  EXPECT_NE(page.find("<p class=\"summary\" lang=\"en\">"), std::string::npos);
  EXPECT_NE(page.find("<div class=\"body\" lang=\"en\">"), std::string::npos);
  EXPECT_NE(page.find("<html lang=\"it\""), std::string::npos);
  EXPECT_EQ(get("/pratiche/gas-quartiere-torino").find(" lang=\"en\""), std::string::npos);
  // And where it is listed: the results (page and API) and the feed.
  const std::string results = get("/?q=repair");
  EXPECT_NE(results.find("<h3 class=\"result-title\" lang=\"en\">"), std::string::npos) << results;
  EXPECT_NE(results.find("<p class=\"result-snippet\" lang=\"en\">"), std::string::npos);
  const json api = json::parse(get("/api/search?q=repair"));
  ASSERT_FALSE(api["results"].empty());
  EXPECT_EQ(api["results"][0]["slug"], "repair-cafe-milano");
  EXPECT_EQ(api["results"][0]["language"], "en");
  EXPECT_EQ(json::parse(get("/api/search?q=gas+quartiere"))["results"][0]["language"], "it");
  const std::string feed = get("/feed.xml");
  EXPECT_NE(
      feed.find("<entry xml:lang=\"en\">\n    <id>http://biblioteca.example.org/pratiche/repair-cafe-milano</id>"),
      std::string::npos)
      << feed;
  EXPECT_NE(feed.find("<entry>"), std::string::npos) << "the Italian ones without";
}

TEST_F(OpenLibrary, IdentifyDescribesTheRepository) {
  XmlDoc doc(oai("verb=Identify"));
  EXPECT_EQ(doc.one("//oai:baseURL"), std::string(kPublicUrl) + "/oai");
  EXPECT_EQ(doc.one("//oai:protocolVersion"), "2.0");
  EXPECT_EQ(doc.one("//oai:adminEmail"), "redazione@biblioteca.example.org");
  EXPECT_EQ(doc.one("//oai:deletedRecord"), "persistent");
  EXPECT_EQ(doc.one("//oai:granularity"), "YYYY-MM-DDThh:mm:ssZ");
  EXPECT_EQ(doc.one("//oai:earliestDatestamp").size(), 20u);
  EXPECT_EQ(doc.one("//*[local-name()='repositoryIdentifier']"), "biblioteca.example.org");
}

TEST_F(OpenLibrary, DublinCoreCarriesThePracticeWithLabels) {
  XmlDoc doc(oai("verb=GetRecord&metadataPrefix=oai_dc&identifier=" + pct(id("gas-quartiere-torino"))));
  const std::string dc = "//oai:metadata/oai_dc:dc/";
  EXPECT_FALSE(doc.one(dc + "dc:title").empty());
  EXPECT_EQ(doc.one(dc + "dc:identifier"), std::string(kPublicUrl) + "/pratiche/gas-quartiere-torino");
  EXPECT_EQ(doc.one(dc + "dc:language"), "it");
  EXPECT_EQ(doc.one(dc + "dc:rights"), "https://creativecommons.org/licenses/by/4.0/");
  const auto coverage = doc.all(dc + "dc:coverage");
  EXPECT_NE(std::find(coverage.begin(), coverage.end(), "Piemonte"), coverage.end());
  EXPECT_NE(std::find(coverage.begin(), coverage.end(), "Torino"), coverage.end());
  // Theme slugs become their Italian labels.
  for (const auto& subject : doc.all(dc + "dc:subject")) EXPECT_EQ(subject.find("gruppi-di-"), std::string::npos);
  EXPECT_FALSE(doc.one(dc + "dc:creator").empty());
  const auto sets = doc.all("//oai:header/oai:setSpec");
  EXPECT_NE(std::find(sets.begin(), sets.end(), "hub:nord"), sets.end());

  XmlDoc rich(oai("verb=GetRecord&metadataPrefix=pratica&identifier=" + pct(id("gas-quartiere-torino"))));
  EXPECT_EQ(rich.one("//p:pratica/@slug"), "gas-quartiere-torino");
  EXPECT_EQ(rich.one("//p:pratica/p:region"), "piemonte");
  EXPECT_EQ(rich.one("//p:pratica/p:cover/p:alt"), "Cassette di verdura del GAS");
  EXPECT_EQ(rich.all("//p:pratica/p:sdgs/p:item").size(), 2u);
}

// Identifiers of a whole harvest, following tokens; checks each page.
struct Harvest {
  std::vector<std::string> identifiers;
  std::vector<std::string> deleted;
  std::string response_date;
  int pages = 0;
};

TEST_F(OpenLibrary, HarvestReturnsEveryPracticeOnceWhileTheLibraryChanges) {
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // datestamps have whole seconds
  Harvest h;
  std::string token;
  bool changed = false;
  for (;;) {
    const std::string body = oai(token.empty() ? "verb=ListRecords&metadataPrefix=oai_dc"
                                               : "verb=ListRecords&resumptionToken=" + pct(token));
    XmlDoc doc(body);
    ++h.pages;
    if (h.response_date.empty()) h.response_date = doc.one("//oai:responseDate");
    for (const auto& i : doc.all("//oai:record/oai:header/oai:identifier")) h.identifiers.push_back(i);
    const auto rt = doc.all("//oai:resumptionToken");
    if (h.pages == 1) {
      ASSERT_EQ(rt.size(), 1u) << "6 practices in pages of 2 need a token";
    }
    if (rt.empty()) break;
    EXPECT_EQ(doc.one("//oai:resumptionToken/@cursor"), std::to_string((h.pages - 1) * 2));
    token = rt.front();
    if (token.empty()) {
      EXPECT_EQ(doc.one("//oai:resumptionToken/@expirationDate"), "<none>");
      break;
    }
    if (h.pages == 1) {
      EXPECT_EQ(doc.one("//oai:resumptionToken/@completeListSize"), "6");
    }
    // Re-issuing the latest token gives the same page.
    EXPECT_EQ(XmlDoc(oai("verb=ListRecords&resumptionToken=" + pct(token))).all("//oai:identifier"),
              XmlDoc(oai("verb=ListRecords&resumptionToken=" + pct(token))).all("//oai:identifier"));
    if (!changed) {
      // Mid-harvest: one practice added, one removed (not yet harvested or
      // already harvested, whichever it is), then the index is updated.
      std::this_thread::sleep_for(std::chrono::milliseconds(1100));
      write_file(content_ / "practices/nord/acqua-diario-torino.md", kTeachingPractice);
      fs::remove(content_ / "practices/centro/emporio-solidale-roma.md");
      build();
      changed = true;
    }
    ASSERT_LT(h.pages, 20);
  }
  std::multiset<std::string> seen(h.identifiers.begin(), h.identifiers.end());
  for (const auto& slug : kFixture) {
    if (slug == "emporio-solidale-roma") {
      EXPECT_LE(seen.count(id(slug)), 1u);
    } else {
      EXPECT_EQ(seen.count(id(slug)), 1u) << slug;
    }
  }
  EXPECT_EQ(seen.count(id("acqua-diario-torino")), 0u) << "added after the harvest started: next time";
  EXPECT_EQ(seen.size(), std::set<std::string>(seen.begin(), seen.end()).size()) << "no duplicates";

  // The next incremental harvest, from the previous start, brings the
  // addition and the removal.
  XmlDoc next(oai("verb=ListIdentifiers&metadataPrefix=oai_dc&from=" + h.response_date));
  const auto ids = next.all("//oai:header/oai:identifier");
  EXPECT_NE(std::find(ids.begin(), ids.end(), id("acqua-diario-torino")), ids.end());
  EXPECT_EQ(next.one("//oai:header[oai:identifier='" + id("emporio-solidale-roma") + "']/@status"), "deleted");
}

TEST_F(OpenLibrary, RemovedPracticesStayAsDeletedRecordsAcrossRebuilds) {
  const std::string before =
      XmlDoc(oai("verb=GetRecord&metadataPrefix=oai_dc&identifier=" + pct(id("bicibus-firenze"))))
          .one("//oai:datestamp");
  const std::string gas_before =
      XmlDoc(oai("verb=GetRecord&metadataPrefix=oai_dc&identifier=" + pct(id("gas-quartiere-torino"))))
          .one("//oai:datestamp");
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  fs::remove(content_ / "practices/centro/bicibus-firenze.md");
  const fs::path repair = content_ / "practices/nord/repair-cafe-milano.md";
  write_file(repair, read_file_for_test(repair) + "\nUn paragrafo aggiunto.\n");
  build();
  for (bool rebuild : {false, true}) {
    if (rebuild) build(true);
    XmlDoc gone(oai("verb=GetRecord&metadataPrefix=oai_dc&identifier=" + pct(id("bicibus-firenze"))));
    EXPECT_EQ(gone.one("//oai:header/@status"), "deleted") << "rebuild " << rebuild;
    EXPECT_TRUE(gone.all("//oai:metadata").empty());
    EXPECT_GT(gone.one("//oai:header/oai:datestamp"), before);
    EXPECT_EQ(gone.one("//oai:header/oai:setSpec"), "hub:centro");
    // A changed file gets a new datestamp; an unchanged one keeps it, even
    // through a full rebuild.
    EXPECT_GT(XmlDoc(oai("verb=GetRecord&metadataPrefix=oai_dc&identifier=" + pct(id("repair-cafe-milano"))))
                  .one("//oai:datestamp"),
              gas_before);
    EXPECT_EQ(XmlDoc(oai("verb=GetRecord&metadataPrefix=oai_dc&identifier=" + pct(id("gas-quartiere-torino"))))
                  .one("//oai:datestamp"),
              gas_before);
  }
  // The sitemap and the open data forget it; a practice that comes back is
  // live again.
  EXPECT_EQ(get("/sitemap.xml").find("bicibus-firenze"), std::string::npos);
  write_file(content_ / "practices/centro/bicibus-firenze.md",
             read_file_for_test(fs::path(BP_SOURCE_DIR) / "tests/server/library/practices/centro/bicibus-firenze.md"));
  build();
  EXPECT_EQ(XmlDoc(oai("verb=GetRecord&metadataPrefix=oai_dc&identifier=" + pct(id("bicibus-firenze"))))
                .one("//oai:header/@status"),
            "<none>");
}

TEST(OaiToken, ExpiresAndRejectsTampering) {
  server::OaiListState s;
  s.verb = "ListRecords";
  s.metadata_prefix = "oai_dc";
  s.until = "2026-01-01T00:00:00Z";
  s.after_datestamp = "2025-01-01T00:00:00Z";
  s.after_slug = "a-b";
  s.cursor = 100;
  const auto now = std::chrono::system_clock::now();
  s.issued = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  const std::string token = server::encode_token(s);
  auto back = server::decode_token(token, "ListRecords", now);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->cursor, 100u);
  EXPECT_EQ(back->after_slug, "a-b");
  EXPECT_FALSE(server::decode_token(token, "ListIdentifiers", now));
  EXPECT_FALSE(server::decode_token(token, "ListRecords", now + std::chrono::hours(25)));
  std::string tampered = token;
  tampered[tampered.size() / 2] = tampered[tampered.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(server::decode_token(tampered, "ListRecords", now));
}

// The JSON-LD data block of a page, parsed.
json jsonld_of(const std::string& html) {
  const std::string open = "<script type=\"application/ld+json\">";
  const auto start = html.find(open);
  if (start == std::string::npos) return json();
  const auto end = html.find("</script>", start);
  return json::parse(html.substr(start + open.size(), end - start - open.size()), nullptr, false);
}

TEST_F(OpenLibrary, PracticePagesCarrySchemaOrgJsonLd) {
  const std::string html = get("/pratiche/gas-quartiere-torino");
  const json ld = jsonld_of(html);
  ASSERT_TRUE(ld.is_object()) << html;
  EXPECT_EQ(ld["@context"], "https://schema.org");
  EXPECT_EQ(ld["@type"], json::array({"Article", "LearningResource"}));
  EXPECT_EQ(ld["url"], std::string(kPublicUrl) + "/pratiche/gas-quartiere-torino");
  EXPECT_FALSE(ld["name"].get<std::string>().empty());
  EXPECT_FALSE(ld["description"].get<std::string>().empty());
  EXPECT_EQ(ld["inLanguage"], "it");
  EXPECT_EQ(ld["license"], "https://creativecommons.org/licenses/by/4.0/");
  EXPECT_EQ(ld["isPartOf"]["url"], std::string(kPublicUrl) + "/");
  EXPECT_EQ(ld["spatialCoverage"][0]["@type"], "Place");
  EXPECT_EQ(ld["spatialCoverage"][0]["name"], "Piemonte");
  EXPECT_EQ(ld["about"][0]["@type"], "DefinedTerm");
  EXPECT_EQ(ld["author"]["@type"], "Organization");
  EXPECT_TRUE(ld.contains("datePublished"));
  EXPECT_EQ(ld["dateModified"].get<std::string>().size(), 20u);
  EXPECT_FALSE(ld.contains("teaches")) << "no didattica block";
  // Open Graph with the cover and its alt text, canonical link, feed.
  EXPECT_NE(html.find("<meta property=\"og:image\" content=\"" + std::string(kPublicUrl) +
                      "/media/nord/gas-quartiere-torino/copertina.svg\">"),
            std::string::npos);
  EXPECT_NE(html.find("<meta property=\"og:image:alt\" content=\"Cassette di verdura del GAS\">"), std::string::npos);
  EXPECT_NE(html.find("<link rel=\"canonical\" href=\"" + std::string(kPublicUrl) + "/pratiche/gas-quartiere-torino\">"),
            std::string::npos);
  EXPECT_NE(html.find("type=\"application/atom+xml\""), std::string::npos);

  // A practice with a teaching block: educational properties; "</script>"
  // in its organisation's name cannot end the data block (in its body or a
  // field of text it is an error of bp-index check).
  write_file(content_ / "practices/nord/acqua-diario-torino.md", kTeachingPractice);
  build();
  const std::string teaching = get("/pratiche/acqua-diario-torino");
  const json t = jsonld_of(teaching);
  ASSERT_TRUE(t.is_object());
  // The levels by the names the filters and OAI-PMH give them (taxonomy.yaml).
  EXPECT_EQ(t["educationalLevel"], json::array({"Primaria", "Secondaria di primo grado"}));
  EXPECT_EQ(t["teaches"], json::array({"Capire quanta acqua usiamo ogni giorno"}));
  // The subjects by name, as the levels are, not by their slugs.
  ASSERT_EQ(t["educationalAlignment"].size(), 2u);
  EXPECT_EQ(t["educationalAlignment"][0]["targetName"], "Scienze");
  EXPECT_EQ(t["educationalAlignment"][1]["targetName"], "Geografia");
  EXPECT_EQ(t["timeRequired"], "PT2H30M");
  EXPECT_EQ(t["license"], "https://creativecommons.org/licenses/by-sa/4.0/");
  EXPECT_EQ(t["author"]["name"], "Associazione Goccia <Blu> </script>");
  const auto block = teaching.find("application/ld+json");
  EXPECT_EQ(teaching.substr(block, teaching.find("</script>", block) - block).find('<'), std::string::npos);
}

TEST_F(OpenLibrary, SitemapListsEveryPracticeWithLastmodAndRobotsAnnouncesIt) {
  const std::string body = get("/sitemap.xml");
  XmlDoc doc(body);
  ASSERT_TRUE(doc.doc);
  const auto locs = doc.all("/sm:urlset/sm:url/sm:loc");
  for (const auto& slug : kFixture) {
    const std::string loc = std::string(kPublicUrl) + "/pratiche/" + slug;
    EXPECT_NE(std::find(locs.begin(), locs.end(), loc), locs.end()) << slug;
    EXPECT_EQ(doc.one("//sm:url[sm:loc='" + loc + "']/sm:lastmod").size(), 20u) << slug;
  }
  EXPECT_NE(std::find(locs.begin(), locs.end(), std::string(kPublicUrl) + "/"), locs.end());
  for (const auto& loc : locs) EXPECT_EQ(loc.rfind(kPublicUrl, 0), 0u) << "absolute URLs only";
  EXPECT_LE(locs.size(), server::kSitemapMaxUrls);

  XmlDoc index(server::sitemap_index_xml(kPublicUrl, 3, "2026-01-01T00:00:00Z"));
  EXPECT_EQ(index.all("/sm:sitemapindex/sm:sitemap/sm:loc").back(), std::string(kPublicUrl) + "/sitemap-3.xml");
  get("/sitemap-1.xml", 404);  // one file is enough for 6 practices

  const std::string robots = get("/robots.txt");
  EXPECT_NE(robots.find("User-agent: *\n"), std::string::npos);
  EXPECT_NE(robots.find("Disallow: /api/\n"), std::string::npos);
  EXPECT_NE(robots.find("\nSitemap: " + std::string(kPublicUrl) + "/sitemap.xml\n"), std::string::npos);
}

TEST_F(OpenLibrary, AtomFeedsFollowTheFacetsOfTheSearch) {
  auto check_feed = [&](const std::string& target) {
    const std::string body = get(target);
    XmlDoc doc(body);
    EXPECT_TRUE(doc.doc) << body;
    EXPECT_EQ(doc.all("/atom:feed/atom:id").size(), 1u);
    EXPECT_EQ(doc.all("/atom:feed/atom:title").size(), 1u);
    EXPECT_EQ(doc.all("/atom:feed/atom:updated").size(), 1u);
    EXPECT_EQ(doc.one("/atom:feed/atom:link[@rel='self']/@href"), std::string(kPublicUrl) + target);
    EXPECT_FALSE(doc.all("/atom:feed/atom:author/atom:name").empty());
    const auto entries = doc.all("/atom:feed/atom:entry");
    for (std::size_t i = 1; i <= entries.size(); ++i) {
      const std::string e = "/atom:feed/atom:entry[" + std::to_string(i) + "]/";
      EXPECT_EQ(doc.all(e + "atom:id").size(), 1u);
      EXPECT_EQ(doc.all(e + "atom:title").size(), 1u);
      EXPECT_EQ(doc.one(e + "atom:updated").size(), 20u);
      EXPECT_FALSE(doc.one(e + "atom:summary").empty());
      EXPECT_FALSE(doc.all(e + "atom:category").empty());
      EXPECT_EQ(doc.one(e + "atom:link[@rel='alternate']/@href"), doc.one(e + "atom:id"));
    }
    return doc.all("/atom:feed/atom:entry/atom:id");
  };
  EXPECT_EQ(check_feed("/feed.xml").size(), 6u);
  const auto south = check_feed("/feed.xml?hub=sud");
  EXPECT_EQ(south.size(), 2u);
  const auto filtered = check_feed("/feed.xml?theme=educazione-ambientale&hub=sud");
  EXPECT_EQ(filtered, std::vector<std::string>{std::string(kPublicUrl) + "/pratiche/orti-didattici-bari"});
  get("/feed.xml?year=abc", 400);
  // Years and duration are the feed's too: in its self link (checked above)
  // and id, not those of the feed without them.
  check_feed("/feed.xml?hub=sud&year_from=2000&year_to=2100&duration_max=600");
  XmlDoc years(get("/feed.xml?hub=sud&year_from=2000"));
  EXPECT_NE(years.one("/atom:feed/atom:id"), XmlDoc(get("/feed.xml?hub=sud")).one("/atom:feed/atom:id"));
  EXPECT_NE(years.one("/atom:feed/atom:title").find("dal 2000"), std::string::npos)
      << years.one("/atom:feed/atom:title");
  // A value the taxonomy lacks is no feed (it would stay empty, titled with it).
  const std::string unknown = get("/feed.xml?hub=bogus", 404);
  EXPECT_NE(unknown.find("«bogus» non è tra i valori di «hub»"), std::string::npos) << unknown;
  get("/feed.xml?theme=educazione-ambientale&theme=economia-circolar", 404);

  // Newest change first.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  const fs::path lecce = content_ / "practices/sud/cer-solidale-lecce.md";
  write_file(lecce, read_file_for_test(lecce) + "\nAggiornamento.\n");
  build();
  EXPECT_EQ(check_feed("/feed.xml?hub=sud").front(), std::string(kPublicUrl) + "/pratiche/cer-solidale-lecce");

  // The search page announces the feed of its filters; the footer links it.
  const std::string page = get("/?theme=educazione-ambientale&hub=sud&page=1");
  EXPECT_NE(page.find("href=\"/feed.xml?theme=educazione-ambientale&amp;hub=sud\""), std::string::npos);
  EXPECT_NE(page.find("<a href=\"/opendata/\">"), std::string::npos);
  EXPECT_NE(page.find("<a href=\"/feed.xml\">"), std::string::npos);
}

// A minimal RFC 4180 reader: rows of cells.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string cell;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') cell += text[++i];
      else if (c == '"') quoted = false;
      else cell += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(std::move(cell));
      cell.clear();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      rows.back().push_back(std::move(cell));
      cell.clear();
      rows.emplace_back();
      ++i;
    } else {
      cell += c;
    }
  }
  if (rows.back().empty()) rows.pop_back();
  return rows;
}

TEST_F(OpenLibrary, OpenDataRoundTripsEveryFrontMatter) {
  const json all = json::parse(get("/opendata/pratiche.json"));
  ASSERT_TRUE(all.is_array());
  ASSERT_EQ(all.size(), kFixture.size());
  std::map<std::string, json> by_slug;
  for (const auto& p : all) {
    by_slug[p["slug"]] = p;
    EXPECT_EQ(p["url"], std::string(kPublicUrl) + "/pratiche/" + p["slug"].get<std::string>());
    EXPECT_FALSE(p["text"].get<std::string>().empty());
    // Every front-matter field the API shows is there, with the same value.
    const json api = json::parse(get("/api/practices/" + p["slug"].get<std::string>()));
    for (auto it = api["metadata"].begin(); it != api["metadata"].end(); ++it) {
      if (it.key() == "headings") continue;  // derived from the body, not front matter
      ASSERT_TRUE(p.contains(it.key())) << it.key();
      EXPECT_EQ(p[it.key()], it.value()) << p["slug"] << " " << it.key();
    }
  }

  std::string csv = get("/opendata/pratiche.csv");
  ASSERT_EQ(csv.rfind("\xEF\xBB\xBF", 0), 0u);
  const auto rows = parse_csv(csv.substr(3));
  ASSERT_EQ(rows.size(), kFixture.size() + 1);
  const auto& header = rows[0];
  EXPECT_EQ(header, open_data_columns());
  // The CSV has a column for every field of the JSON: the editors' plain
  // words and questions too.
  for (const auto& p : all)
    for (auto it = p.begin(); it != p.end(); ++it)
      EXPECT_NE(std::find(header.begin(), header.end(), it.key()), header.end()) << it.key();
  for (std::size_t r = 1; r < rows.size(); ++r) {
    ASSERT_EQ(rows[r].size(), header.size());
    const json& expected = by_slug.at(rows[r][0]);
    for (std::size_t c = 0; c < header.size(); ++c) {
      const json& value = expected.contains(header[c]) ? expected[header[c]] : json();
      const std::string& cell = rows[r][c];
      if (value.is_null()) {
        EXPECT_EQ(cell, "") << header[c];
      } else if (value.is_array() && std::none_of(value.begin(), value.end(), [](const json& v) {
                   return v.is_object() || v.is_array();
                 })) {
        std::string joined;
        for (const auto& v : value) joined += (joined.empty() ? "" : kCsvJoin) + (v.is_string() ? v.get<std::string>() : v.dump());
        EXPECT_EQ(cell, joined) << rows[r][0] << " " << header[c];
      } else if (value.is_object() || value.is_array()) {
        EXPECT_EQ(json::parse(cell), value) << rows[r][0] << " " << header[c];
      } else {
        EXPECT_EQ(cell, value.is_string() ? value.get<std::string>() : value.dump()) << header[c];
      }
    }
  }

  // bp-index export writes the same files from the index.
  auto records = read_all_records(index_);
  ASSERT_TRUE(records.ok());
  EXPECT_EQ(json::parse(open_data_json(*records, kPublicUrl)), all);
  EXPECT_EQ(open_data_csv(*records, kPublicUrl), csv);
}

TEST_F(OpenLibrary, OpenDataIsRevalidatedByEtagAndDescribedInDcatApIt) {
  auto first = client_->Get("/opendata/pratiche.json");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->get_header_value("Content-Type"), "application/json; charset=utf-8");
  // Any site may read the open library from a browser: the files, the
  // catalogue, OAI-PMH and the feed.
  for (const char* path : {"/opendata/pratiche.json", "/opendata/pratiche.csv", "/opendata/catalogo.jsonld",
                           "/oai?verb=Identify", "/feed.xml"}) {
    auto open = client_->Get(path, {{"Origin", "https://portale.example.net"}});
    ASSERT_TRUE(open) << path;
    EXPECT_EQ(open->get_header_value("Access-Control-Allow-Origin"), "*") << path;
  }
  const std::string etag = first->get_header_value("ETag");
  EXPECT_FALSE(etag.empty());
  EXPECT_FALSE(first->get_header_value("Last-Modified").empty());
  auto again = client_->Get("/opendata/pratiche.json", {{"If-None-Match", etag}});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 304);
  // A new index revision changes the files' validators.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  fs::remove(content_ / "practices/centro/bicibus-firenze.md");
  build();
  auto changed = client_->Get("/opendata/pratiche.json", {{"If-None-Match", etag}});
  ASSERT_TRUE(changed);
  EXPECT_EQ(changed->status, 200);
  EXPECT_EQ(json::parse(changed->body).size(), kFixture.size() - 1);

  const json cat = json::parse(get("/opendata/catalogo.jsonld"));
  EXPECT_EQ(cat["@type"], json::array({"dcatapit:Catalog", "dcat:Catalog"}));
  for (const char* k : {"dct:title", "dct:description", "dct:publisher", "dct:modified", "dcat:dataset"})
    EXPECT_TRUE(cat.contains(k)) << k;
  const json& ds = cat["dcat:dataset"][0];
  EXPECT_EQ(ds["@type"], json::array({"dcatapit:Dataset", "dcat:Dataset"}));
  for (const char* k : {"dct:identifier", "dct:title", "dct:description", "dct:modified", "dcat:theme",
                        "dct:rightsHolder", "dct:accrualPeriodicity", "dcat:distribution"})
    EXPECT_TRUE(ds.contains(k)) << k;
  // The contact point DCAT-AP_IT asks for: a name and the editors' mailbox.
  EXPECT_EQ(ds["dcat:contactPoint"]["vcard:fn"], "Redazione di Buone Pratiche");
  EXPECT_EQ(ds["dcat:contactPoint"]["vcard:hasEmail"]["@id"], "mailto:redazione@biblioteca.example.org");
  for (const auto& d : ds["dcat:distribution"]) {
    EXPECT_TRUE(d.contains("dct:format"));
    EXPECT_TRUE(d.contains("dcat:accessURL"));
    // A dct:MediaType by its IANA IRI, not a string (DCAT's range).
    EXPECT_TRUE(
        d["dcat:mediaType"]["@id"].get<std::string>().starts_with("http://www.iana.org/assignments/media-types/"))
        << d.dump();
    EXPECT_EQ(d["dct:license"]["@id"], "https://creativecommons.org/licenses/by/4.0/");
  }
  const std::string page = get("/opendata/");
  EXPECT_NE(page.find("/opendata/pratiche.csv"), std::string::npos);
  EXPECT_NE(page.find("CC BY 4.0"), std::string::npos);
  // The date of the last change, in Italian ("aggiornate il 3 dicembre
  // 2026", "aggiornate l'8 marzo 2027"), not "2026-12-03".
  EXPECT_TRUE(std::regex_search(page, std::regex("schede, aggiornate (il |l&apos;)[0-9]+(°)? [a-z]+ [0-9]{4}\\)")))
      << page;
}

}  // namespace
// Without --admin-email the OAI-PMH adminEmail is a placeholder (.invalid):
// the DCAT-AP_IT catalogue then names no contact point rather than it.
// The teachers' page links to the results of a module (`module=`), a
// filter with no panel: without JavaScript, «Mostra» and «Ordina» send the
// filters' form, which must carry it.
TEST_F(OpenLibrary, TheFiltersFormKeepsTheModuleWithoutJavaScript) {
  const std::string page = get("/?q=orti&module=m03");
  const std::size_t form = page.find("<form id=\"filters-form\"");
  ASSERT_NE(form, std::string::npos);
  const std::size_t kept = page.find("<input type=\"hidden\" name=\"module\" value=\"m03\">", form);
  EXPECT_NE(kept, std::string::npos);
  EXPECT_LT(kept, page.find("</form>", form));
}

// Practices may carry a licence more restrictive than CC BY: the
// distributions that hold their texts say the licence the whole file can be
// reused under, not CC BY.
TEST_F(OpenLibrary, TheDistributionsLicenceIsTheOneTheirPracticesAllow) {
  auto licence = [&] {
    return json::parse(get("/opendata/catalogo.jsonld"))["dcat:dataset"][0]["dcat:distribution"][0]["dct:license"];
  };
  EXPECT_EQ(licence()["@id"], "https://creativecommons.org/licenses/by/4.0/");
  auto set_licence = [&](const std::string& file, const std::string& id) {
    const fs::path path = content_ / "practices" / file;
    std::string text;
    {
      std::ifstream in(path);
      text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    text.insert(4, "license: " + id + "\n");  // after "---\n"
    std::ofstream(path) << text;
  };
  set_licence("centro/bicibus-firenze.md", "CC-BY-NC-4.0");
  set_licence("sud/orti-didattici-bari.md", "CC-BY-SA-4.0");
  build();
  json l = licence();
  EXPECT_EQ(l["@id"], "https://creativecommons.org/licenses/by-nc-sa/4.0/");
  EXPECT_EQ(l["foaf:name"],
            "Creative Commons Attribuzione - Non commerciale - Condividi allo stesso modo 4.0 Internazionale "
            "(CC BY-NC-SA 4.0)");
  set_licence("nord/repair-cafe-milano.md", "CC-BY-ND-4.0");
  build();
  EXPECT_EQ(licence()["@id"], "https://creativecommons.org/licenses/by-nc-nd/4.0/");
}

// With replicas, a build dates its records ahead (--publish-delay): the
// open data's Last-Modified still never lies in the future (RFC 9110).
TEST_F(OpenLibrary, ADatestampAheadOfTimeIsNoLastModifiedInTheFuture) {
  std::ofstream(content_ / "practices/centro/bicibus-firenze.md", std::ios::app) << "\nUna riga in più.\n";
  build(false, std::chrono::hours(1));
  auto r = client_->Get("/opendata/pratiche.json");
  ASSERT_TRUE(r);
  std::tm tm{};
  ASSERT_NE(strptime(r->get_header_value("Last-Modified").c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm), nullptr)
      << r->get_header_value("Last-Modified");
  EXPECT_LE(timegm(&tm), std::time(nullptr));
  EXPECT_NE(oai("verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:biblioteca.example.org:bicibus-firenze")
                .find("bicibus-firenze"),
            std::string::npos);
}

TEST_F(OpenLibrary, ThePlaceholderMailboxIsNoContactPointOfTheCatalogue) {
  server::Options options = options_on_index(content_, index_, fs::path(BP_SOURCE_DIR) / "web");
  options.public_base_url = kPublicUrl;
  RunningServer other(options, *taxonomy_, searcher_on(index_, *taxonomy_));
  auto r = other.client()->Get("/opendata/catalogo.jsonld");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  const json ds = json::parse(r->body)["dcat:dataset"][0];
  EXPECT_FALSE(ds.contains("dcat:contactPoint")) << ds.dump(2);
  EXPECT_EQ(r->body.find(".invalid"), std::string::npos);
}

}  // namespace bp::test
