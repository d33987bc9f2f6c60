// The whole case file on the practice page, the lesson sheet and its
// handout, the teachers' filters (API and /docenti without JavaScript) and
// shared collections, on the real engine: the fixture library of
// server_search_test.cc plus one case file with every field, indexed in a
// temporary folder and served on a free loopback port.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "bp/index_builder.h"
#include "test_server.h"

namespace bp::test {
namespace {

using nlohmann::json;

constexpr const char* kLessonVocabularies = R"(
levels:
  - {slug: primaria, label: "Primaria", everyday: [elementari]}
  - {slug: secondaria-1, label: "Secondaria di primo grado", everyday: [medie]}
  - {slug: secondaria-2, label: "Secondaria di secondo grado"}
subjects:
  - {slug: educazione-civica, label: "Educazione civica"}
  - {slug: scienze, label: "Scienze"}
  - {slug: storia, label: "Storia"}
durations:
  - {slug: fino-2-ore, label: "Fino a 2 ore"}
  - {slug: mezza-giornata, label: "Mezza giornata"}
  - {slug: piu-incontri, label: "Più incontri"}
)";

// Every field of the case-file format, as docs/content-guide.md writes it.
constexpr const char* kFullCaseFile = R"(---
title: "Torino, la scuola piena di energia"
summary: "Studenti e volontari misurano i consumi della scuola e li riducono con una comunità energetica."
in_parole_semplici: >-
  I ragazzi guardano quanta corrente usa la loro scuola e, con i pannelli <5 kW>
  & un po' di attenzione, la fanno spendere meno.
domande:
  - "Come si abbassano le bollette della scuola <> senza spendere?"
  - "Che cosa possono fare i ragazzi & gli insegnanti per consumare meno?"
  - "Una scuola può entrare in una comunità energetica?"
  - "Chi paga i pannelli sul tetto di una scuola?"
  - "Come si misura quanta corrente consuma un'aula?"
hub: nord
region: piemonte
city: Torino
themes: [comunita-energetiche, educazione-ambientale]
dimensions: [ambientale, sociale]
sdgs: [7, 13]
organisation: "APS Energia Comune"
year: 2022
audience: [docenti, studenti]
modules: [m10]
date: 2023-05-10
tags: [energia, scuola aperta]
status: in-corso
transferability:
  level: alta
  notes: "Servono un tetto libero, un accordo con il Comune e un docente referente."
results:
  - {indicator: "Consumi elettrici evitati", value: 18, unit: "%"}
  - {indicator: "Studenti coinvolti", value: 320, unit: studenti}
  - {indicator: "Energia prodotta", value: 12500.5, unit: kWh}
contacts:
  - {name: "Paola Rinaldi", role: coordinatrice, email: "paola@example.org", email_public: true}
  - {name: "Luca Ferri", role: tesoriere, email: "luca.riservato@example.org"}
resources:
  - {title: "Kit didattico sull'energia", url: "https://example.org/kit.pdf"}
license: CC-BY-SA-4.0
cover: {src: copertina.svg, alt: "Pannelli solari sul tetto della scuola"}
related: [orti-didattici-bari]
last_reviewed: 2024-02-02
didattica:
  levels: [secondaria-1]
  subjects: [scienze, educazione civica]
  objectives: ["Leggere una bolletta elettrica", "Misurare i consumi di un'aula"]
  duration_minutes: 180
  activities:
    - {title: "Caccia agli sprechi", description: "Le classi misurano i consumi con un wattmetro.", duration_minutes: 90}
    - {title: "Il tetto che produce", description: "Visita all'impianto con i volontari.", duration_minutes: 90}
---

## Contesto

La scuola media del quartiere pagava bollette alte. ![I pannelli sul tetto](scuola-piena-torino/tetto.svg)

## Cosa è stato fatto

Una comunità energetica con il Comune.
)";

constexpr const char* kSvg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"4\"/>";

class ServerPractice : public ::testing::Test {
 protected:
  void SetUp() override {
    content_ = tmp_.path() / "library";
    fs::copy(fs::path(BP_SOURCE_DIR) / "tests/server/library", content_, fs::copy_options::recursive);
    std::ofstream(content_ / "taxonomy.yaml", std::ios::app) << kLessonVocabularies;
    write_file(content_ / "practices/nord/scuola-piena-torino.md", kFullCaseFile);
    write_file(content_ / "practices/nord/scuola-piena-torino/copertina.svg", kSvg);
    write_file(content_ / "practices/nord/scuola-piena-torino/tetto.svg", kSvg);
    index_ = tmp_.path() / "index";
    ASSERT_NO_FATAL_FAILURE(build());
    Diagnostics diagnostics;
    taxonomy_ = Taxonomy::load(content_ / "taxonomy.yaml", &diagnostics);
    ASSERT_TRUE(taxonomy_.has_value());

    running_ = std::make_unique<RunningServer>(options_on_index(content_, index_, tmp_.path() / "web"), *taxonomy_,
                                               searcher_on(index_, *taxonomy_));
    client_ = running_->client();
  }

  // Indexes content_ into index_ (as bp-index build): every case file.
  void build() {
    BuildOptions options;
    options.content_root = content_;
    options.index_dir = index_;
    auto report = build_index(options);
    ASSERT_TRUE(report.ok()) << report.status().message();
    ASSERT_EQ(report->skipped, 0u);
  }

  std::string page(const std::string& path, int status = 200) {
    auto r = client_->Get(path.c_str());
    EXPECT_TRUE(r) << path;
    if (!r) return "";
    EXPECT_EQ(r->status, status) << path;
    return r->body;
  }
  json api(const std::string& path) { return json::parse(page(path)); }

  TempDir tmp_;
  fs::path content_, index_;
  std::optional<Taxonomy> taxonomy_;
  std::unique_ptr<RunningServer> running_;
  std::unique_ptr<httplib::Client> client_;
};

#define EXPECT_HAS(text, part) EXPECT_NE((text).find(part), std::string::npos) << "missing: " << (part)
#define EXPECT_LACKS(text, part) EXPECT_EQ((text).find(part), std::string::npos) << "present: " << (part)

TEST_F(ServerPractice, EveryFieldOfTheCaseFileReachesThePage) {
  const std::string html = page("/pratiche/scuola-piena-torino");
  // Key figures near the top, before the body.
  EXPECT_HAS(html, "<span class=\"figure-value\">320</span> <span class=\"figure-unit\">studenti</span>");
  EXPECT_HAS(html, "Consumi elettrici evitati");
  // Figures as Italians write them; the API keeps the case file's number.
  EXPECT_HAS(html, "<span class=\"figure-value\">12.500,5</span> <span class=\"figure-unit\">kWh</span>");
  EXPECT_LT(html.find("figure-value"), html.find("<h2>Contesto</h2>"));
  EXPECT_HAS(html, "<dt>Stato</dt><dd>In corso</dd>");
  // The editors' plain words under the summary, escaped.
  EXPECT_HAS(html, "<h2 id=\"parole-semplici-titolo\">In parole semplici</h2>");
  EXPECT_HAS(html, "con i pannelli &lt;5 kW&gt; &amp; un po&apos; di attenzione");
  EXPECT_LACKS(html, "<5 kW>");
  EXPECT_LT(html.find("class=\"summary\""), html.find("In parole semplici"));
  // The questions it answers, under the plain words, in order, escaped.
  EXPECT_HAS(html,
             "<h2 id=\"domande-titolo\">Domande a cui risponde</h2>\n        <ul>\n"
             "          <li>Come si abbassano le bollette della scuola &lt;&gt; senza spendere?</li>\n"
             "          <li>Che cosa possono fare i ragazzi &amp; gli insegnanti per consumare meno?</li>\n"
             "          <li>Una scuola può entrare in una comunità energetica?</li>\n        </ul>\n"
             // Beyond the first three, behind a summary: the story stays near the top on a phone.
             "        <details class=\"more-questions\">\n          <summary>Altre 2 domande</summary>\n"
             "          <ul>\n            <li>Chi paga i pannelli sul tetto di una scuola?</li>\n"
             "            <li>Come si misura quanta corrente consuma un&apos;aula?</li>\n          </ul>\n"
             "        </details>");
  EXPECT_LT(html.find("In parole semplici"), html.find("Domande a cui risponde"));
  EXPECT_LT(html.find("Domande a cui risponde"), html.find("<h2>Contesto</h2>"));
  EXPECT_HAS(html, "<dt>Ultimo aggiornamento della scheda</dt><dd>2 febbraio 2024</dd>");
  EXPECT_HAS(html, "Trasferibilità: <span class=\"level level-alta\">Alta</span>");
  EXPECT_HAS(html, "Servono un tetto libero, un accordo con il Comune");
  EXPECT_HAS(html, "href=\"https://creativecommons.org/licenses/by-sa/4.0/deed.it\"");
  EXPECT_HAS(html, "«Torino, la scuola piena di energia», APS Energia Comune, Buone Pratiche – Reti solidali e "
                   "competenti, CC BY-SA 4.0, http://localhost:");
  EXPECT_HAS(html, "<a href=\"https://example.org/kit.pdf\" rel=\"noopener\" class=\"external\">Kit didattico "
                   "sull&apos;energia<span class=\"visually-hidden\"> (sito esterno)</span></a>");
  EXPECT_HAS(html, "<strong>Paola Rinaldi</strong>, coordinatrice · <a href=\"mailto:paola@example.org\">");
  EXPECT_HAS(html, "<strong>Luca Ferri</strong>, tesoriere</li>");
  EXPECT_LACKS(html, "luca.riservato@example.org");
  EXPECT_HAS(html, "<a class=\"tag\" href=\"/?q=scuola+aperta\">scuola aperta</a>");
  EXPECT_HAS(html, "<img src=\"/media/nord/scuola-piena-torino/copertina.svg\" alt=\"Pannelli solari sul tetto "
                   "della scuola\">");
  // The lesson sheet, and the page's address as a QR code for paper.
  EXPECT_HAS(html, "<h2 id=\"scheda-didattica-titolo\" class=\"sheet-title\">Scheda didattica</h2>");
  EXPECT_HAS(html, "<span class=\"tag\">Secondaria di primo grado</span>");
  EXPECT_HAS(html, "<span class=\"tag\">Scienze</span> <span class=\"tag\">Educazione civica</span>");
  EXPECT_HAS(html, "<dt>Durata complessiva</dt><dd>3 ore</dd>");
  EXPECT_HAS(html, "<li>Leggere una bolletta elettrica</li>");
  EXPECT_HAS(html, "Caccia agli sprechi <span class=\"activity-duration\">(1 ora e 30 minuti)</span>");
  EXPECT_HAS(html, "Le classi misurano i consumi con un wattmetro.");
  EXPECT_HAS(html, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\"");

  // The API hides the e-mail the editors did not open.
  const json j = api("/api/practices/scuola-piena-torino");
  EXPECT_EQ(j["metadata"]["contacts"][0]["email"], "paola@example.org");
  EXPECT_EQ(j["metadata"]["in_parole_semplici"],
            "I ragazzi guardano quanta corrente usa la loro scuola e, con i pannelli <5 kW> & un po' di "
            "attenzione, la fanno spendere meno.");
  EXPECT_EQ(j["metadata"]["domande"][0], "Come si abbassano le bollette della scuola <> senza spendere?");
  EXPECT_EQ(j["metadata"]["domande"].size(), 5u) << "the API keeps every question";
  EXPECT_EQ(j["metadata"]["results"][2]["value"], "12500.5");
  EXPECT_EQ(j["metadata"]["contacts"][1]["email"], "");
  EXPECT_LACKS(j.dump(), "luca.riservato");
}

TEST_F(ServerPractice, AbsentFieldsLeaveNoEmptyHeadings) {
  const std::string html = page("/pratiche/repair-cafe-milano");
  for (const char* absent : {"Scheda didattica", "Replicarla altrove", "id=\"risorse-titolo\"",
                             "id=\"contatti-titolo\"", "Parole chiave", "key-figures", "<dt>Stato</dt>",
                             "<figure", "mailto:", "<h3>", "<dl class=\"sheet-facts\">", "In parole semplici",
                             "Domande a cui risponde"})
    EXPECT_LACKS(html, absent);
  // Always there: the licence (CC BY 4.0 by default) with its attribution line.
  EXPECT_HAS(html, "https://creativecommons.org/licenses/by/4.0/deed.it");
}

TEST_F(ServerPractice, EveryImageOfTheCaseFileAnswers) {
  const json j = api("/api/practices/scuola-piena-torino");
  std::vector<std::string> urls = {j["metadata"]["cover"]["url"].get<std::string>()};
  const std::string body = j["body_html"];
  const std::regex src("src=\"([^\"]+)\"");
  for (std::sregex_iterator it(body.begin(), body.end(), src), end; it != end; ++it) urls.push_back((*it)[1]);
  ASSERT_EQ(urls.size(), 2u) << body;
  EXPECT_EQ(urls[0], "/media/nord/scuola-piena-torino/copertina.svg");
  EXPECT_EQ(urls[1], "/media/nord/scuola-piena-torino/tetto.svg");
  for (const auto& url : urls) {
    auto r = client_->Get(url.c_str());
    ASSERT_TRUE(r) << url;
    EXPECT_EQ(r->status, 200) << url;
    EXPECT_EQ(r->get_header_value("Content-Type"), "image/svg+xml") << url;
  }
}

TEST_F(ServerPractice, EditorsRelatedPracticesComeFirst) {
  const json j = api("/api/practices/scuola-piena-torino");
  ASSERT_FALSE(j["related"].empty());
  EXPECT_EQ(j["related"][0]["slug"], "orti-didattici-bari");
  const std::string html = page("/pratiche/scuola-piena-torino");
  EXPECT_HAS(html, "<li><a href=\"/pratiche/orti-didattici-bari\">Orti didattici nelle scuole di Bari</a> "
                   "<span class=\"related-chosen\">scelta dalla redazione</span>");
}

TEST_F(ServerPractice, LessonSheetHandoutPrintsWithItsAddressAndQrCode) {
  const std::string html = page("/pratiche/scuola-piena-torino/scheda-didattica");
  EXPECT_HAS(html, "<h1>Torino, la scuola piena di energia</h1>");
  EXPECT_HAS(html, "Studenti e volontari misurano i consumi");
  EXPECT_HAS(html, "Caccia agli sprechi");
  EXPECT_HAS(html, "CC BY-SA 4.0, http://localhost:");
  EXPECT_HAS(html, "/pratiche/scuola-piena-torino</a>");
  EXPECT_HAS(html, "class=\"qr\"");
  EXPECT_LACKS(html, "Una comunità energetica con il Comune.");  // the body is not on the handout
  page("/pratiche/repair-cafe-milano/scheda-didattica", 404);
  page("/pratiche/non-esiste/scheda-didattica", 404);
}

TEST_F(ServerPractice, TeachingFacetsWorkThroughTheApi) {
  json all = api("/api/search?per_page=10");
  EXPECT_EQ(all["facets"]["level"], json({{"secondaria-1", 1}}));
  EXPECT_EQ(all["facets"]["subject"], json({{"educazione-civica", 1}, {"scienze", 1}}));
  EXPECT_EQ(all["facets"]["duration"], json({{"mezza-giornata", 1}}));

  json science = api("/api/search?level=secondaria-1&subject=scienze");
  ASSERT_EQ(science["total"], 1);
  const json& hit = science["results"][0];
  EXPECT_EQ(hit["slug"], "scuola-piena-torino");
  EXPECT_EQ(hit["levels"], json({"secondaria-1"}));
  EXPECT_EQ(hit["subjects"], json({"scienze", "educazione-civica"}));
  EXPECT_EQ(hit["duration_minutes"], 180);

  EXPECT_EQ(api("/api/search?subject=storia")["total"], 0);
  EXPECT_EQ(api("/api/search?duration=mezza-giornata")["total"], 1);
  EXPECT_EQ(api("/api/search?duration_max=180")["total"], 1);
  EXPECT_EQ(api("/api/search?duration_max=120")["total"], 0);
  // Disjunctive: the subject's own counts ignore the subject filter.
  EXPECT_EQ(api("/api/search?subject=storia")["facets"]["subject"]["scienze"], 1);
  EXPECT_EQ(json::parse(page("/api/search?duration_max=due", 400))["error"], "invalid_duration_max");
}

TEST_F(ServerPractice, SearchPageOffersTheTeachingFacetsWithoutJavaScript) {
  const std::string html = page("/?subject=scienze");
  EXPECT_HAS(html, "<legend");
  EXPECT_HAS(html, "Disciplina");
  EXPECT_HAS(html, "id=\"f-subject-scienze\" name=\"subject\" value=\"scienze\" checked");
  EXPECT_HAS(html, "id=\"f-level-secondaria-1\" name=\"level\" value=\"secondaria-1\">");
  EXPECT_HAS(html, "Torino, la scuola piena di energia");
  EXPECT_LACKS(html, "Repair café: riparazioni insieme a Milano");
}

TEST_F(ServerPractice, TeachersPageFiltersWithoutJavaScript) {
  const std::string html = page("/docenti?level=secondaria-1&subject=scienze");
  EXPECT_HAS(html, "<a href=\"/pratiche/scuola-piena-torino\">Torino, la scuola piena di energia</a>");
  EXPECT_HAS(html, "id=\"d-level-secondaria-1\" name=\"level\" value=\"secondaria-1\" checked");
  EXPECT_HAS(html, "id=\"d-subject-scienze\" name=\"subject\" value=\"scienze\" checked");
  EXPECT_HAS(html, "<dt>Durata</dt><dd>3 ore</dd>");
  EXPECT_HAS(html, "1 pratica con scheda didattica");
  EXPECT_HAS(html, "href=\"/pratiche/scuola-piena-torino/scheda-didattica\"");
  // The filters chosen in words (all a printed list keeps of the form).
  EXPECT_HAS(html, "Filtri scelti: Ordine di scuola: Secondaria di primo grado; Disciplina: Scienze.");
  EXPECT_LACKS(page("/docenti"), "Filtri scelti");
  // The teachers' course of the programme, with its link.
  EXPECT_HAS(html,
             "<a href=\"/programma#corso-docenti\">Percorso formativo per la comunità educante</a>");
  // Only practices with a lesson sheet are listed.
  EXPECT_LACKS(page("/docenti"), "/pratiche/repair-cafe-milano\"");
  // The page has no second page: a page= from a search link is ignored.
  EXPECT_HAS(page("/docenti?level=secondaria-1&subject=scienze&page=2"),
             "href=\"/pratiche/scuola-piena-torino/scheda-didattica\"");
  EXPECT_HAS(page("/docenti?subject=storia"), "Nessuna pratica con scheda didattica corrisponde");
  // Nothing has every choice: each can be taken away, the others kept.
  const std::string none = page("/docenti?level=secondaria-1&subject=scienze&q=biciclette");
  EXPECT_HAS(none, "Nessuna pratica con scheda didattica corrisponde");
  EXPECT_HAS(none, "<a href=\"/docenti?q=biciclette&amp;level=secondaria-1#per-la-scuola\">togli «Scienze»</a>");
  EXPECT_HAS(
      none,
      "<a href=\"/docenti?level=secondaria-1&amp;subject=scienze#per-la-scuola\">togli le parole «biciclette»</a>");
  EXPECT_LACKS(page("/docenti?subject=storia"), "togli «Storia»") << "one choice: «Togli tutti i filtri» says it";
  // A stale or hand-edited value (an old link) is left out, as on the
  // search page: the sheets and the form, not an error in the API's words.
  const std::string stale = page("/docenti?duration_max=zero&level=secondaria-1");
  EXPECT_LACKS(stale, "I filtri non sono validi");
  EXPECT_LACKS(stale, "duration_max");
  EXPECT_HAS(stale, "id=\"d-level-secondaria-1\" name=\"level\" value=\"secondaria-1\" checked");
  // A filter the form does not offer (a hub, in a shared link) narrows
  // nothing: it could be neither seen nor unticked.
  const std::string all = page("/docenti");
  const std::string hub = page("/docenti?hub=sud");
  const auto count_of = [](const std::string& html) {
    const auto at = html.find(" con scheda didattica");
    return at == std::string::npos ? std::string() : html.substr(html.rfind('>', at) + 1, at - html.rfind('>', at) - 1);
  };
  ASSERT_FALSE(count_of(all).empty());
  EXPECT_EQ(count_of(hub), count_of(all));
}

// A class level in the words is the class's level: ticked in the form, the
// other words searched, and said. A level the teacher ticks wins.
TEST_F(ServerPractice, TeachersPageReadsAClassLevelInTheWordsAsTheLevelFilter) {
  const std::string medie = page("/docenti?q=energia+per+le+medie");
  EXPECT_HAS(medie, "id=\"d-level-secondaria-1\" name=\"level\" value=\"secondaria-1\" checked");
  EXPECT_HAS(medie, "id=\"d-q\" name=\"q\" type=\"search\" value=\"energia\"");
  EXPECT_HAS(medie, "«medie»: abbiamo scelto l&apos;ordine di scuola Secondaria di primo grado");
  EXPECT_HAS(medie, "Filtri scelti: parole «energia»; Ordine di scuola: Secondaria di primo grado.");
  EXPECT_HAS(medie, "Torino, la scuola piena di energia");
  // No practice of the level: none listed, the level ticked to be unticked.
  const std::string elementari = page("/docenti?q=energia+alle+elementari");
  EXPECT_HAS(elementari, "Nessuna pratica con scheda didattica corrisponde");
  EXPECT_HAS(elementari, "id=\"d-level-primaria\" name=\"level\" value=\"primaria\" checked");
  // A class, as the search reads it; the words then are only the level.
  const std::string seconda = page("/docenti?q=seconda+media");
  EXPECT_HAS(seconda, "«seconda media»: abbiamo scelto");
  EXPECT_HAS(seconda, "1 pratica con scheda didattica");
  // Ticked by the teacher: the words are words.
  EXPECT_LACKS(page("/docenti?q=medie&level=primaria"), "abbiamo scelto");
  // "media" alone is no level ("educazione ai media").
  EXPECT_LACKS(page("/docenti?q=educazione+ai+media"), "abbiamo scelto");
  // A practice without some of the words says which, as the search page does.
  const std::string relaxed = page("/docenti?q=energia+vulcani");
  EXPECT_HAS(relaxed, "Non tutte le parole sono presenti in ogni risultato");
  EXPECT_HAS(relaxed, "Non contiene: «vulcani»");
  // Named as typed, accent and all: «felicita» would read as a typo of theirs.
  const std::string accented = page("/docenti?q=energia+felicit%C3%A0");
  EXPECT_HAS(accented, "Non contiene: «felicità»");
  EXPECT_LACKS(accented, "felicita»");
  // A value no vocabulary has is named among the filters.
  EXPECT_HAS(page("/docenti?level=media"), "Ordine di scuola: «media», che non esiste.");
}

TEST_F(ServerPractice, SharedCollectionOpensAndPrintsWithoutJavaScript) {
  const std::string html = page(
      "/raccolta?titolo=Energia+e+orti&p=scuola-piena-torino&n=Da+fare+in+seconda&p=orti-didattici-bari&n="
      "&p=non-esiste&n=x&p=scuola-piena-torino&n=doppione&p=../segreto&n=");
  EXPECT_HAS(html, "<h1>Energia e orti</h1>");
  EXPECT_HAS(html, "<meta name=\"robots\" content=\"noindex, nofollow\">");
  // The cover lists the practices in order with their notes, then each practice follows.
  const auto first = html.find("<a href=\"#pratica-1\">Torino, la scuola piena di energia</a>");
  const auto second = html.find("<a href=\"#pratica-2\">Orti didattici nelle scuole di Bari</a>");
  ASSERT_NE(first, std::string::npos);
  ASSERT_NE(second, std::string::npos);
  EXPECT_LT(first, second);
  EXPECT_HAS(html, "<p class=\"collection-note\">Da fare in seconda</p>");
  EXPECT_HAS(html, "<code>non-esiste</code>");
  EXPECT_LACKS(html, "doppione");
  EXPECT_LACKS(html, "segreto");
  EXPECT_HAS(html, "id=\"scheda-didattica-titolo-1\" class=\"sheet-title\">Scheda didattica</h3>");
  // Each lesson sheet's region is named with its practice («Scheda didattica
  // Torino, la scuola…»): a screen reader's list of landmarks told them
  // apart only by position.
  EXPECT_HAS(html, "aria-labelledby=\"scheda-didattica-titolo-1 pratica-1-titolo\"");
  EXPECT_HAS(html, "Caccia agli sprechi");
  EXPECT_HAS(html, "/raccolta?titolo=Energia+e+orti&amp;p=scuola-piena-torino&amp;n=Da+fare+in+seconda");
  EXPECT_HAS(html, "class=\"qr\"");
  // Without a link: the page where the reader's own collection is shown.
  EXPECT_HAS(page("/raccolta"), "<h1>Le mie raccolte</h1>");
}

// Empty notes repeat verbatim ("n=&n="), which cpp-httplib's parameters
// keep once: a note written only on the third practice was shown under the
// second. And a title of 120 accented letters, as the editor accepts it,
// is not cut.
TEST_F(ServerPractice, ACollectionsNotesStayWithTheirPractices) {
  std::string title;
  for (int i = 0; i < 120; ++i) title += "%C3%A8";  // è
  const std::string html =
      page("/raccolta?titolo=" + title +
           "&p=bicibus-firenze&n=&p=orti-didattici-bari&n=&p=scuola-piena-torino&n=Portare+i+guanti");
  const auto third = html.find("<a href=\"#pratica-3\">Torino, la scuola piena di energia</a>");
  const auto second = html.find("<a href=\"#pratica-2\">");
  const auto note = html.find("<p class=\"collection-note\">Portare i guanti</p>");
  ASSERT_NE(third, std::string::npos);
  ASSERT_NE(note, std::string::npos);
  EXPECT_GT(note, third) << "the note follows its own practice in the cover's list";
  EXPECT_LT(second, third);
  std::string letters;
  for (int i = 0; i < 120; ++i) letters += "è";
  EXPECT_HAS(html, "<h1>" + letters + "</h1>");
}

// An editor renames a theme and adds a subject. Once the library is
// rebuilt, a server whose searchers follow the index's taxonomy (as
// bp-server opens them) labels and filters its pages with them, without a
// restart; one whose searchers keep the taxonomy they were given does not.
TEST_F(ServerPractice, ThePagesFollowTheTaxonomyOfARebuiltIndex) {
  RunningServer following(options_on_index(content_, index_, tmp_.path() / "web"), *taxonomy_,
                          [this] { return Searcher::open(index_, *taxonomy_, Searcher::TaxonomySource::kIndex); });
  auto client = following.client();
  auto get = [&](const std::string& path, int status = 200) {
    auto r = client->Get(path.c_str());
    EXPECT_TRUE(r) << path;
    if (!r) return std::string();
    EXPECT_EQ(r->status, status) << path;
    return r->body;
  };
  // The theme's label (the module m10 has the same one: the theme is named
  // by its code in the page's linked data).
  const std::string old_theme = "\"name\":\"Comunità energetiche rinnovabili\",\"termCode\":\"comunita-energetiche\"";
  EXPECT_HAS(get("/pratiche/scuola-piena-torino"), old_theme);
  EXPECT_HAS(get("/docenti?subject=geografia"), "Nessuna pratica con scheda didattica corrisponde");

  std::string taxonomy = read_file_for_test(content_ / "taxonomy.yaml");
  const std::string old_label = "label: Comunità energetiche rinnovabili";
  ASSERT_NE(taxonomy.find(old_label), std::string::npos);
  taxonomy.replace(taxonomy.find(old_label), old_label.size(), "label: Energia condivisa tra vicini");
  const std::string history = "  - {slug: storia, label: \"Storia\"}\n";
  ASSERT_NE(taxonomy.find(history), std::string::npos);
  taxonomy.insert(taxonomy.find(history) + history.size(), "  - {slug: geografia, label: \"Geografia\"}\n");
  write_file(content_ / "taxonomy.yaml", taxonomy);
  std::string practice = read_file_for_test(content_ / "practices/nord/scuola-piena-torino.md");
  const std::string subjects = "subjects: [scienze, educazione civica]";
  ASSERT_NE(practice.find(subjects), std::string::npos);
  practice.replace(practice.find(subjects), subjects.size(), "subjects: [scienze, geografia]");
  write_file(content_ / "practices/nord/scuola-piena-torino.md", practice);
  ASSERT_NO_FATAL_FAILURE(build());

  const std::string html = get("/pratiche/scuola-piena-torino");
  EXPECT_HAS(html, "<span class=\"tag\">Energia condivisa tra vicini</span>");
  EXPECT_HAS(html, "\"name\":\"Energia condivisa tra vicini\",\"termCode\":\"comunita-energetiche\"");
  EXPECT_LACKS(html, old_theme);
  EXPECT_HAS(html, "<span class=\"tag\">Geografia</span>");
  const json vocabularies = json::parse(get("/api/taxonomy"))["vocabularies"];
  bool renamed = false;
  for (const json& theme : vocabularies["theme"])
    if (theme["slug"] == "comunita-energetiche") renamed = theme["label"] == "Energia condivisa tra vicini";
  EXPECT_TRUE(renamed);
  const std::string teachers = get("/docenti?subject=geografia");
  EXPECT_HAS(teachers, "<a href=\"/pratiche/scuola-piena-torino\">Torino, la scuola piena di energia</a>");
  EXPECT_HAS(teachers, "id=\"d-subject-geografia\" name=\"subject\" value=\"geografia\" checked");
  EXPECT_HAS(get("/?theme=comunita-energetiche"), "Energia condivisa tra vicini");

  // The fixture's server gives its searchers the taxonomy read at start.
  EXPECT_HAS(page("/pratiche/scuola-piena-torino"), old_theme);
}

}  // namespace
}  // namespace bp::test
