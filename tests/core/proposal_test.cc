// The proposal validator: a proposal and the file an editor would write for
// it get the same diagnostics from the same checker, each placed on the
// proposal's field.
#include "bp/proposal.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>

#include "bp/library.h"
#include "temp_dir.h"

namespace bp {
namespace {

namespace fs = std::filesystem;

class ProposalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::copy_file(fs::path(BP_SOURCE_DIR) / "library-content/taxonomy.yaml", dir_.path() / "taxonomy.yaml");
    Diagnostics d;
    auto t = Taxonomy::load(dir_.path() / "taxonomy.yaml", &d);
    ASSERT_TRUE(t);
    taxonomy_ = std::move(*t);
  }

  static Proposal valid() {
    Proposal p;
    p.title = "Riparare insieme";
    p.summary = "Un laboratorio di riparazione nel quartiere.";
    p.region = "piemonte";
    p.themes = {"economia-circolare"};
    p.dimensions = {"sociale"};
    p.sections = {{"contesto", "Testo del contesto."}};
    return p;
  }

  // The valid case file as an editor types it (plain values, her own
  // spacing), with the lines of `changes` replaced or added.
  static std::string editor_file(std::map<std::string, std::string> changes,
                                 const std::string& body = "## Contesto\n\nTesto del contesto.\n") {
    std::vector<std::pair<std::string, std::string>> lines = {
        {"title", "title: Riparare insieme"},
        {"summary", "summary: \"Un laboratorio di riparazione nel quartiere.\""},
        {"hub", "hub: nord"},
        {"region", "region: piemonte"},
        {"themes", "themes: [economia-circolare]"},
        {"dimensions", "dimensions: [sociale]"},
        {"license", "license: CC-BY-4.0"},
    };
    std::string out = "---\n";
    for (auto& [key, line] : lines) {
      auto it = changes.find(key);
      out += (it == changes.end() ? line : it->second) + "\n";
      if (it != changes.end()) changes.erase(it);
    }
    for (auto& [key, line] : changes) out += line + "\n";
    return out + "---\n\n" + body;
  }

  // Error messages of the file written under practices/nord/<slug>.md.
  std::vector<std::string> file_errors(const std::string& text, const std::string& slug,
                                       const std::vector<std::string>& media = {}) {
    const fs::path file = dir_.path() / "practices/nord" / (slug + ".md");
    test_util::write_file(file, text);
    for (const auto& m : media) test_util::write_file(dir_.path() / "practices/nord" / slug / m, "x");
    std::vector<std::string> out;
    for (const auto& d : load_practice(file, dir_.path(), taxonomy_).diagnostics)
      if (d.severity == Severity::kError) out.push_back(d.message);
    std::sort(out.begin(), out.end());
    return out;
  }

  static std::vector<std::string> messages(const ProposalCheck& c) {
    std::vector<std::string> out;
    for (const auto& e : c.errors) out.push_back(e.message);
    std::sort(out.begin(), out.end());
    return out;
  }

  test_util::TempDir dir_{"bp-proposal"};
  Taxonomy taxonomy_;
};

TEST_F(ProposalTest, ValidProposalWritesTheCaseFileAnEditorWould) {
  Proposal p = valid();
  p.city = "Torino";
  p.sdgs = {"12"};
  p.year = "2022";
  p.status = "concluso";
  p.transferability = "alta";
  p.transferability_notes = "Serve un \"laboratorio\".";
  p.results = {{"Oggetti riparati", "120", "oggetti"}};
  p.resources = {{"Regolamento", "https://example.org/r.pdf"}};
  p.sections.push_back({"risultati", "Tanti oggetti.\n"});
  const ProposalCheck c = check_proposal(p, taxonomy_);
  EXPECT_TRUE(c.errors.empty()) << (c.errors.empty() ? "" : c.errors[0].field + ": " + c.errors[0].message);
  EXPECT_EQ(c.slug, "riparare-insieme");
  EXPECT_EQ(c.markdown,
            "---\n"
            "title: \"Riparare insieme\"\n"
            "summary: \"Un laboratorio di riparazione nel quartiere.\"\n"
            "hub: nord\n"
            "region: piemonte\n"
            "city: \"Torino\"\n"
            "themes: [economia-circolare]\n"
            "dimensions: [sociale]\n"
            "sdgs: [12]\n"
            "year: 2022\n"
            "status: concluso\n"
            "transferability:\n"
            "  level: alta\n"
            "  notes: \"Serve un \\\"laboratorio\\\".\"\n"
            "results:\n"
            "  - {indicator: \"Oggetti riparati\", value: 120, unit: \"oggetti\"}\n"
            "resources:\n"
            "  - {title: \"Regolamento\", url: \"https://example.org/r.pdf\"}\n"
            "license: CC-BY-4.0\n"
            "language: it\n"
            "---\n"
            "\n## Contesto\n\nTesto del contesto.\n"
            "\n## Risultati\n\nTanti oggetti.\n");
  EXPECT_NE(c.html.find("<h2>Contesto</h2>"), std::string::npos);
  // The written file passes the checker as a file too.
  EXPECT_TRUE(file_errors(c.markdown, c.slug).empty());
}

TEST_F(ProposalTest, PlainWordsGoUnderTheSummaryAndPassTheChecker) {
  Proposal p = valid();
  p.plain_words = "Si aggiusta il tostapane \"insieme\",\ninvece di buttarlo.";
  const ProposalCheck c = check_proposal(p, taxonomy_);
  EXPECT_TRUE(c.errors.empty()) << (c.errors.empty() ? "" : c.errors[0].field + ": " + c.errors[0].message);
  EXPECT_NE(c.markdown.find("summary: \"Un laboratorio di riparazione nel quartiere.\"\n"
                            "in_parole_semplici: \"Si aggiusta il tostapane \\\"insieme\\\",\\ninvece di buttarlo.\"\n"),
            std::string::npos)
      << c.markdown;
  const LoadedPractice l = parse_practice(c.markdown, dir_.path() / "practices/nord/x.md", dir_.path(), taxonomy_);
  ASSERT_TRUE(l.practice);
  EXPECT_EQ(l.practice->plain_words, p.plain_words);
  // Blank, it is left out of the file.
  p.plain_words = "  ";
  EXPECT_EQ(check_proposal(p, taxonomy_).markdown.find("in_parole_semplici"), std::string::npos);
}

TEST_F(ProposalTest, QuestionsBecomeAListThatPassesTheChecker) {
  Proposal p = valid();
  p.questions = {"Come si aggiusta un tostapane invece di \"buttarlo\"?", "Dove trovo chi ripara le bici in quartiere?",
                 "Si può imparare a riparare da soli?"};
  const ProposalCheck c = check_proposal(p, taxonomy_);
  EXPECT_TRUE(c.errors.empty()) << (c.errors.empty() ? "" : c.errors[0].field + ": " + c.errors[0].message);
  EXPECT_NE(c.markdown.find("domande:\n  - \"Come si aggiusta un tostapane invece di \\\"buttarlo\\\"?\"\n"
                            "  - \"Dove trovo chi ripara le bici in quartiere?\"\n"),
            std::string::npos)
      << c.markdown;
  const LoadedPractice l = parse_practice(c.markdown, dir_.path() / "practices/nord/x.md", dir_.path(), taxonomy_);
  ASSERT_TRUE(l.practice);
  EXPECT_EQ(l.practice->questions, p.questions);
  // None, no field.
  p.questions.clear();
  EXPECT_EQ(check_proposal(p, taxonomy_).markdown.find("domande"), std::string::npos);
}

TEST_F(ProposalTest, HubIsDerivedFromTheRegion) {
  Proposal p = valid();
  p.region = "puglia";
  const ProposalCheck c = check_proposal(p, taxonomy_);
  EXPECT_TRUE(c.errors.empty());
  EXPECT_NE(c.markdown.find("\nhub: sud\n"), std::string::npos);
}

struct EquivalenceCase {
  const char* name;
  std::function<void(Proposal*)> change;
  std::map<std::string, std::string> file_lines;
  std::string file_body;  // "" = the valid body
  const char* field;      // where the proposal's error must be
  const char* hint;       // a part of the message (the near-miss hint)
};

TEST_F(ProposalTest, EachErrorKindGivesTheSameDiagnosticAsTheFile) {
  const std::string long_summary(401, 'a');
  const std::string long_plain_words(601, 'a');
  const std::vector<EquivalenceCase> cases = {
      {"titolo vuoto", [](Proposal* p) { p->title.clear(); }, {{"title", "title: \"\""}}, "", "title", "vuoto"},
      {"riassunto lungo",
       [&](Proposal* p) { p->summary = long_summary; },
       {{"summary", "summary: " + long_summary}},
       "",
       "summary",
       "401 caratteri"},
      {"parole semplici lunghe",
       [&](Proposal* p) { p->plain_words = long_plain_words; },
       {{"in_parole_semplici", "in_parole_semplici: " + long_plain_words}},
       "",
       "in_parole_semplici",
       "601 caratteri"},
      {"domanda senza punto di domanda",
       [](Proposal* p) {
         p->questions = {"Come si ripara un tostapane?", "Dove si ripara una bicicletta", "Chi insegna a riparare?"};
       },
       {{"domande",
         "domande:\n  - \"Come si ripara un tostapane?\"\n  - \"Dove si ripara una bicicletta\"\n"
         "  - \"Chi insegna a riparare?\""}},
       "",
       "domande",
       "punto di domanda"},
      {"tema sconosciuto",
       [](Proposal* p) { p->themes = {"economia-circolar"}; },
       {{"themes", "themes: [economia-circolar]"}},
       "",
       "themes",
       "forse"},
      {"regione fuori hub", [](Proposal* p) { p->hub = "sud"; }, {{"hub", "hub: sud"}}, "", "region", "appartiene"},
      {"regione vuota",
       [](Proposal* p) {
         p->region.clear();
         p->hub = "nord";
       },
       {{"region", "region: \"\""}},
       "",
       "region",
       "regione"},
      {"dimensioni vuote",
       [](Proposal* p) { p->dimensions.clear(); },
       {{"dimensions", "dimensions: []"}},
       "",
       "dimensions",
       "almeno un valore"},
      {"sdg fuori intervallo",
       [](Proposal* p) { p->sdgs = {"18"}; },
       {{"sdgs", "sdgs: [18]"}},
       "",
       "sdgs",
       "da 1 a 17"},
      {"anno non valido", [](Proposal* p) { p->year = "duemila"; }, {{"year", "year: duemila"}}, "", "year", "anno"},
      {"anno nel futuro", [](Proposal* p) { p->year = "2100"; }, {{"year", "year: 2100"}}, "", "year", "nel futuro"},
      {"valore non numerico",
       [](Proposal* p) {
         p->results = {{"Famiglie", "tanti", ""}};
       },
       {{"results", "results:\n  - {indicator: \"Famiglie\", value: tanti}"}},
       "",
       "results",
       "non è un numero"},
      {"stato quasi giusto",
       [](Proposal* p) { p->status = "conclusa"; },
       {{"status", "status: conclusa"}},
       "",
       "status",
       "forse 'concluso'"},
      {"trasferibilità",
       [](Proposal* p) { p->transferability = "altissima"; },
       {{"transferability", "transferability: {level: altissima}"}},
       "",
       "transferability",
       "alta"},
      {"licenza",
       [](Proposal* p) { p->license = "CC-BY"; },
       {{"license", "license: CC-BY"}},
       "",
       "license",
       "CC-BY-4.0"},
      {"risorsa non valida",
       [](Proposal* p) {
         p->resources = {{"Sito", "javascript:alert(1)"}};
       },
       {{"resources", "resources:\n  - {title: Sito, url: \"javascript:alert(1)\"}"}},
       "",
       "resources",
       "javascript"},
      {"copertina senza alt",
       [](Proposal* p) {
         p->cover = Cover{"foto.jpg", ""};
       },
       {{"cover", "cover: {src: foto.jpg, alt: \"\"}"}},
       "",
       "cover",
       "alt"},
      {"corpo vuoto", [](Proposal* p) { p->sections.clear(); }, {}, "\n", "sections", "racconto"},
      {"collegamento javascript",
       [](Proposal* p) {
         p->sections = {{"obiettivi", "[clic](javascript:alert(1))"}};
       },
       {},
       "## Obiettivi\n\n[clic](javascript:alert(1))\n",
       "sections.obiettivi",
       "non consentito"},
      {"collegamento rotto",
       [](Proposal* p) {
         p->sections = {{"contesto", "Vedi [il piano](piano.pdf)."}};
       },
       {},
       "## Contesto\n\nVedi [il piano](piano.pdf).\n",
       "sections.contesto",
       "collegamento rotto"},
  };
  for (const auto& k : cases) {
    SCOPED_TRACE(k.name);
    Proposal p = valid();
    k.change(&p);
    const ProposalCheck c = check_proposal(p, taxonomy_);
    ASSERT_FALSE(c.errors.empty());
    const std::vector<std::string> media = p.cover ? std::vector<std::string>{p.cover->src} : std::vector<std::string>{};
    const std::string body = k.file_body.empty() ? "## Contesto\n\nTesto del contesto.\n" : k.file_body;
    EXPECT_EQ(messages(c), file_errors(editor_file(k.file_lines, body), c.slug, media));
    bool placed = false;
    for (const auto& e : c.errors)
      if (e.field == k.field && e.message.find(k.hint) != std::string::npos) placed = true;
    EXPECT_TRUE(placed) << c.errors[0].field << ": " << c.errors[0].message;
  }
}

TEST_F(ProposalTest, PreviewHtmlIsSanitisedLikeThePage) {
  Proposal p = valid();
  p.sections = {{"contesto", "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))"}};
  const ProposalCheck c = check_proposal(p, taxonomy_);
  EXPECT_EQ(c.html.find("<script"), std::string::npos);
  EXPECT_EQ(c.html.find("onerror"), std::string::npos);
  EXPECT_EQ(c.html.find("javascript:"), std::string::npos);
  // And the proposer is told: nothing disappears without a word.
  bool told = false;
  for (const auto& e : c.errors)
    told = told || e.message.find("codice HTML '<script>alert(1)</script>'") != std::string::npos;
  EXPECT_TRUE(told) << (c.errors.empty() ? "no error" : c.errors[0].message);
}

TEST_F(ProposalTest, QuotesAndNewlinesInTextCannotBreakTheFrontMatter) {
  Proposal p = valid();
  p.title = "Titolo\"\n---\nhub: sud";
  p.summary = "riga uno\nriga: due";
  const ProposalCheck c = check_proposal(p, taxonomy_);
  EXPECT_TRUE(c.errors.empty()) << c.errors[0].message;
  EXPECT_NE(c.markdown.find("\nhub: nord\n"), std::string::npos);
  EXPECT_EQ(c.markdown.find("\nhub: sud"), std::string::npos);
}

// The proposer reads the checker's messages beside the form's fields, in
// the form's words: no case-file key, no "file next to the case file".
TEST_F(ProposalTest, TheProposerReadsTheMessagesInTheFormsWords) {
  Proposal p = valid();
  p.summary = std::string(450, 'a');
  p.plain_words = std::string(601, 'a');
  p.sections = {{"contesto", "[clic](javascript:alert(1))"}};
  p.resources = {{"", "https://example.org/regolamento.pdf"}};
  const std::vector<FieldError> errors = errors_for_proposer(p, taxonomy_, check_proposal(p, taxonomy_).errors);
  std::map<std::string, std::string> by_field;
  for (const auto& e : errors) by_field[e.field] += e.message;
  EXPECT_EQ(by_field["summary"], "il riassunto è lungo 450 caratteri: il massimo è 400");
  EXPECT_NE(by_field["in_parole_semplici"].find("il testo «In parole semplici» è lungo 601"), std::string::npos)
      << by_field["in_parole_semplici"];
  EXPECT_NE(by_field["sections.contesto"].find("usa un indirizzo che inizia con https://"), std::string::npos)
      << by_field["sections.contesto"];
  EXPECT_EQ(by_field["resources"], "un link senza nome: scrivi il nome del documento o del sito");
  for (const auto& e : errors) {
    EXPECT_EQ(e.message.find("accanto alla scheda"), std::string::npos) << e.message;
    EXPECT_EQ(e.message.find("'title'"), std::string::npos) << e.message;
    EXPECT_EQ(e.message.find("(summary)"), std::string::npos) << e.message;
  }
}

// A value the form does not offer (sent by hand or by a script) is named in
// the form's words, without the case file's keys and slugs; the editors'
// checker keeps its own message for the same file.
TEST_F(ProposalTest, AChoiceTheFormDoesNotOfferIsNamedInTheFormsWords) {
  struct Case {
    std::function<void(Proposal*)> change;
    std::string field, proposer, editor;
  };
  const std::vector<Case> cases = {
      {[](Proposal* p) { p->status = "in corso"; }, "status", "stato non valido: scegli «In corso» o «Conclusa»",
       "stato (status) non valido 'in corso': usa 'in-corso' o 'concluso'"},
      {[](Proposal* p) { p->transferability = "altissima"; }, "transferability",
       "trasferibilità non valida: scegli «Alta», «Media» o «Bassa»",
       "livello di trasferibilità non valido 'altissima'"},
      {[](Proposal* p) { p->transferability_notes = "Serve una sala."; }, "transferability",
       "scegli quanto si può riprendere altrove: «Alta», «Media» o «Bassa»", "livello di trasferibilità non valido ''"},
      {[](Proposal* p) { p->license = "CC-BY"; }, "license", "licenza non valida: scegli «CC BY 4.0» o «CC BY-SA 4.0»",
       "licenza (license) non valida 'CC-BY'"},
      {[](Proposal* p) { p->themes = {"economia-circolar"}; }, "themes",
       "tema sconosciuto «economia-circolar»: forse «Economia circolare»?",
       "tema sconosciuto 'economia-circolar': forse 'economia-circolare'?"},
      {[](Proposal* p) { p->region = "atlantide"; }, "region", "regione sconosciuta «atlantide»: scegli dall'elenco",
       "regione sconosciuta 'atlantide'"},
      {[](Proposal* p) { p->audience = {"marziani"}; }, "audience",
       "pubblico sconosciuto «marziani»: scegli dall'elenco", "pubblico sconosciuto 'marziani'"},
  };
  for (const auto& k : cases) {
    SCOPED_TRACE(k.field);
    Proposal p = valid();
    k.change(&p);
    const ProposalCheck c = check_proposal(p, taxonomy_);
    std::vector<std::string> editors, proposers;
    for (const auto& e : c.errors)
      if (e.field == k.field) editors.push_back(e.message);
    for (const auto& e : errors_for_proposer(p, taxonomy_, c.errors)) proposers.push_back(e.field + ": " + e.message);
    ASSERT_EQ(editors.size(), 1u);
    EXPECT_EQ(editors[0].rfind(k.editor, 0), 0u) << editors[0];
    EXPECT_EQ(proposers, std::vector<std::string>{k.field + ": " + k.proposer});
  }
  // Every choice the form offers is one the checker accepts.
  for (const auto* choices : {&proposal_statuses(), &proposal_transferability_levels(), &proposal_licences()})
    for (const ProposalChoice& choice : *choices) {
      Proposal p = valid();
      if (choices == &proposal_statuses()) p.status = choice.value;
      if (choices == &proposal_transferability_levels()) p.transferability = choice.value;
      if (choices == &proposal_licences()) p.license = choice.value;
      EXPECT_TRUE(check_proposal(p, taxonomy_).errors.empty()) << choice.value;
    }
}

// The checker warns about a word broken by a hyphen and a space in the
// proposal too, on the field it is in.
TEST_F(ProposalTest, AWordBrokenByAHyphenIsAWarningOnItsField) {
  Proposal p = valid();
  p.plain_words = "Si va a piedi sul tragitto casa- scuola, tutti insieme.";
  const ProposalCheck c = check_proposal(p, taxonomy_);
  EXPECT_TRUE(c.errors.empty()) << c.errors[0].message;
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_EQ(c.warnings[0].field, "in_parole_semplici");
  EXPECT_NE(c.warnings[0].message.find("«casa-scuola»"), std::string::npos) << c.warnings[0].message;
}

// A tag in the title, as in the sections, is refused beside its field: it
// would reach the proposer's page, the e-mails and the inbox as typed.
TEST_F(ProposalTest, MarkupInTheTitleIsAnErrorOnTheTitle) {
  Proposal p = valid();
  p.title = "<b>Orto</b> di comunità 🌱 a San Lorenzo";
  const ProposalCheck c = check_proposal(p, taxonomy_);
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_EQ(c.errors[0].field, "title");
  EXPECT_NE(c.errors[0].message.find("codice HTML «<b>»"), std::string::npos) << c.errors[0].message;
}

TEST_F(ProposalTest, MissingFieldsOnTheOpeningLineAreNamedByTheMessage) {
  ProposalFile f{"---\n", {""}};
  EXPECT_EQ(field_of_diagnostic(f, 1, "campo obbligatorio mancante: 'themes' (almeno un tema)"), "themes");
  EXPECT_EQ(field_of_diagnostic(f, 1, "qualcosa di generale"), "");
}

}  // namespace
}  // namespace bp
