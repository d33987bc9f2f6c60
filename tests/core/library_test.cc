// Checking case files: every editors' check with the line it points at.
#include "bp/library.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <random>

#include "temp_dir.h"

namespace bp {
namespace {

namespace fs = std::filesystem;

// A library in a temporary folder, with the fixtures' small taxonomy.
class LibraryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(root_ / "practices/nord");
    fs::copy_file(fs::path(BP_SOURCE_DIR) / "tests/fixtures/valid/taxonomy.yaml", root_ / "taxonomy.yaml");
    Diagnostics d;
    auto t = Taxonomy::load(root_ / "taxonomy.yaml", &d);
    ASSERT_TRUE(t);
    taxonomy_ = std::move(*t);
  }

  fs::path write(const std::string& rel, const std::string& bytes) {
    const fs::path p = root_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  }

  // A valid case file whose front matter has `extra` lines added (after
  // line 7, so the first extra line is line 8), then the closing '---', an
  // empty line and `body` (line 10 when there is no extra line).
  static std::string card(const std::string& extra = "", const std::string& body = "Testo.\n") {
    return "---\n"
           "title: \"Titolo\"\n"
           "summary: \"Riassunto.\"\n"
           "hub: nord\n"
           "region: piemonte\n"
           "themes: [economia-circolare]\n"
           "dimensions: [economica]\n" +
           extra + "---\n\n" + body;
  }

  // Replaces the line starting with `key:` in a card.
  static std::string with(std::string text, const std::string& key, const std::string& line) {
    const std::size_t at = text.find("\n" + key + ":") + 1;
    const std::size_t end = text.find('\n', at);
    text.replace(at, end - at, line);
    return text;
  }

  LoadedPractice load(const std::string& text, const std::string& name = "practices/nord/prova.md") {
    return load_practice(write(name, text), root_, taxonomy_);
  }

  // The diagnostic whose message contains `words`, or nullptr.
  static const Diagnostic* find(const LoadedPractice& l, const std::string& words) {
    for (const auto& d : l.diagnostics)
      if (d.message.find(words) != std::string::npos) return &d;
    return nullptr;
  }
  static std::string all(const Diagnostics& ds) {
    std::string out;
    for (const auto& d : ds) out += d.format() + "\n";
    return out;
  }

  // Asserts exactly one error mentioning `words` on `line`.
  void expect_error(const LoadedPractice& l, int line, const std::string& words) {
    const Diagnostic* d = find(l, words);
    ASSERT_NE(d, nullptr) << "no '" << words << "' in:\n" << all(l.diagnostics);
    EXPECT_EQ(d->line, line) << d->format();
    EXPECT_EQ(d->severity, Severity::kError) << d->format();
    EXPECT_FALSE(l.practice.has_value());
  }

  bp::test_util::TempDir tmp_{"bp-library-test"};
  fs::path root_ = tmp_.path();
  Taxonomy taxonomy_;
};

TEST_F(LibraryTest, ValidCardGivesAPractice) {
  const LoadedPractice l = load(card("sdgs: [1, 12]\nyear: 2022\ndate: 2023-03-14\n", "## Contesto\n\nTesto.\n"));
  ASSERT_TRUE(l.practice) << all(l.diagnostics);
  EXPECT_TRUE(l.diagnostics.empty());
  const Practice& p = *l.practice;
  EXPECT_EQ(p.slug, "prova");
  EXPECT_EQ(p.path, "practices/nord/prova.md");
  EXPECT_EQ(p.title, "Titolo");
  EXPECT_EQ(p.hub, "nord");
  EXPECT_EQ(p.region, "piemonte");
  EXPECT_EQ(p.themes, std::vector<std::string>{"economia-circolare"});
  EXPECT_EQ(p.sdgs, (std::vector<int>{1, 12}));
  EXPECT_EQ(p.year, 2022);
  EXPECT_EQ(p.date, "2023-03-14");
  EXPECT_EQ(p.language, "it");
  EXPECT_EQ(p.license, "CC-BY-4.0");
  EXPECT_EQ(p.body, "\n## Contesto\n\nTesto.\n");
  EXPECT_EQ(p.body_line, 12);
  EXPECT_EQ(p.content_hash.size(), 16u);
}

TEST_F(LibraryTest, ReadsEveryOptionalField) {
  const fs::path file = fs::path(BP_SOURCE_DIR) / "tests/fixtures/valid/practices/nord/gas-di-quartiere.md";
  const LoadedPractice l = load_practice(file, fs::path(BP_SOURCE_DIR) / "tests/fixtures/valid", taxonomy_);
  ASSERT_TRUE(l.practice) << all(l.diagnostics);
  const Practice& p = *l.practice;
  EXPECT_EQ(p.path, "practices/nord/gas-di-quartiere.md");
  EXPECT_EQ(p.city, "Torino");
  EXPECT_EQ(p.organisation, "APS Filo Verde");
  EXPECT_EQ(p.audience, (std::vector<std::string>{"volontari", "docenti"}));
  EXPECT_EQ(p.modules, std::vector<std::string>{"m03"});
  EXPECT_EQ(p.tags, (std::vector<std::string>{"emporio", "quartiere"}));
  EXPECT_EQ(p.status, "concluso");
  EXPECT_EQ(p.transferability, "alta");
  EXPECT_NE(p.transferability_notes.find("magazzino"), std::string::npos);
  ASSERT_EQ(p.results.size(), 2u);
  EXPECT_EQ(p.results[0].value, "120");
  EXPECT_EQ(p.results[0].unit, "famiglie");
  ASSERT_EQ(p.contacts.size(), 1u);
  EXPECT_EQ(p.contacts[0].email, "info@example.org");
  ASSERT_EQ(p.resources.size(), 1u);
  EXPECT_EQ(p.resources[0].url, "https://example.org/regolamento.pdf");
  ASSERT_TRUE(p.cover);
  EXPECT_EQ(p.cover->src, "copertina.svg");
  EXPECT_EQ(p.related, std::vector<std::string>{"cer-solidale"});
  EXPECT_EQ(p.last_reviewed, "2024-02-29");
  ASSERT_TRUE(p.didattica);
  EXPECT_EQ(p.didattica->duration_minutes, 90);
  EXPECT_EQ(p.didattica->subjects, (std::vector<std::string>{"educazione civica", "economia"}));
  ASSERT_EQ(p.didattica->activities.size(), 1u);
  EXPECT_EQ(p.didattica->activities[0].duration_minutes, 45);
}

TEST_F(LibraryTest, AcceptsByteOrderMarkAndCrlf) {
  std::string text = card("", "Testo.\n");
  std::string crlf = "\xEF\xBB\xBF";
  for (char c : text) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  const LoadedPractice l = load(crlf);
  ASSERT_TRUE(l.practice) << all(l.diagnostics);
  EXPECT_EQ(l.practice->title, "Titolo");
  EXPECT_EQ(l.practice->body, "\nTesto.\n");
}

TEST_F(LibraryTest, ParsesFromMemory) {
  const LoadedPractice l = parse_practice(card(), root_ / "practices/nord/in-memoria.md", root_, taxonomy_);
  ASSERT_TRUE(l.practice) << all(l.diagnostics);
  EXPECT_EQ(l.practice->slug, "in-memoria");
}

TEST_F(LibraryTest, MissingFrontMatter) { expect_error(load("# Titolo\n\nTesto.\n"), 1, "front matter mancante"); }

TEST_F(LibraryTest, UnterminatedFrontMatter) {
  expect_error(load("---\ntitle: \"x\"\n\nTesto.\n"), 1, "front matter non chiuso");
  // A '---' rule in the story taken for the closing one: said at the
  // opening, naming the story's first heading, not as a YAML error alone.
  std::string text = card();
  text.erase(text.find("---\n\n"), 4);
  text += "## Contesto\n\nNel quartiere, ogni sabato: si ripara.\n\n---\n\nAltro testo.\n";
  expect_error(load(text), 1, "manca la riga '---' che chiude i campi, prima di '## Contesto' (riga 10)");
}

TEST_F(LibraryTest, InvalidYamlPointsAtTheLineWithAHint) {
  const LoadedPractice l = load(with(card(), "title", "title: Prima parte: seconda parte"));
  expect_error(l, 2, "YAML non valido");
  EXPECT_NE(find(l, "YAML")->message.find("metti il valore tra virgolette"), std::string::npos);
}

// "hub:nord" (the space after ':' forgotten) is said on its line, whether
// YAML stumbles on the next field or reads it as an unknown field at the
// end (where it was a warning, and the practice lost its licence).
TEST_F(LibraryTest, AFieldWithoutTheSpaceAfterItsColonIsAnErrorOnItsLine) {
  LoadedPractice l = load(with(card(), "hub", "hub:nord"));
  expect_error(l, 4, "dopo i due punti ci vuole uno spazio; scrivi 'hub: nord'");
  l = load(card("license:CC-BY-SA-4.0\n"));
  expect_error(l, 8, "dopo i due punti ci vuole uno spazio: scrivi 'license: CC-BY-SA-4.0'");
  EXPECT_FALSE(find(l, "campo sconosciuto")) << all(l.diagnostics);
  l = load(card("date:2023-03-14\n"));
  expect_error(l, 8, "scrivi 'date: 2023-03-14'");
  // A colon inside a value, a URL, a time: not this.
  l = load(card("website: https://example.org\nyear: 2022\n", "Alle 10:30 apre:sempre.\n"));
  EXPECT_FALSE(find(l, "ci vuole uno spazio")) << all(l.diagnostics);
}

// "-sociale" (the space after a list's dash forgotten) is told as such,
// not as a dimension "written out in full".
TEST_F(LibraryTest, AListItemWithoutTheSpaceAfterItsDashIsToldSo) {
  for (const char* typed : {"dimensions:\n-sociale", "dimensions:\n-sociale\n-ambientale", "dimensions:\n  -sociale",
                            "dimensions:\n  -sociale\n  -ambientale"}) {
    const LoadedPractice l = load(with(card(), "dimensions", typed));
    const Diagnostic* d = find(l, "dopo il trattino di ogni voce della lista ci vuole uno spazio");
    ASSERT_TRUE(d) << typed << "\n" << all(l.diagnostics);
    EXPECT_NE(d->message.find("scrivi '- sociale'"), std::string::npos) << d->message;
    EXPECT_EQ(d->line, 8) << typed;
    EXPECT_FALSE(find(l, "per esteso")) << all(l.diagnostics);
  }
}

// A date with dashes where digits go is the format's error on its line (it
// stopped the whole check with "stoi").
TEST_F(LibraryTest, ADateWithDashesForDigitsIsAFormatError) {
  const LoadedPractice l = load(card("date: 2023-03---\n"));
  expect_error(l, 8, "data non valida '2023-03---': usa il formato AAAA-MM-GG");
}

// A merge left unresolved: said on the line that opens it, in the story
// or in the front matter, not as a YAML error or a heading on the page.
TEST_F(LibraryTest, AnUnresolvedGitConflictIsSaidWhereItOpens) {
  LoadedPractice l =
      load(card("", "Testo.\n\n<<<<<<< HEAD\nPrima versione.\n=======\nSeconda versione.\n>>>>>>> altra\n"));
  expect_error(l, 12, "conflitto di git non risolto");
  EXPECT_EQ(l.diagnostics.size(), 1u) << all(l.diagnostics);
  l = load(with(card(), "hub", "<<<<<<< HEAD\nhub: nord\n=======\nhub: sud\n>>>>>>> altra"));
  expect_error(l, 4, "tieni quella giusta e cancella le righe '<<<<<<<', '=======' e '>>>>>>>'");
  EXPECT_EQ(l.diagnostics.size(), 1u) << all(l.diagnostics);
}

TEST_F(LibraryTest, TabsInIndentationOnEachLine) {
  const LoadedPractice l = load(card("transferability:\n\tlevel: alta\n\tnotes: x\n"));
  expect_error(l, 9, "tabulazione");
  int tabs = 0;
  for (const auto& d : l.diagnostics) tabs += d.message.find("tabulazione") != std::string::npos;
  EXPECT_EQ(tabs, 2);
}

TEST_F(LibraryTest, DuplicateKeys) {
  const LoadedPractice l = load(card("hub: sud\n"));
  expect_error(l, 8, "chiave duplicata 'hub' (già alla riga 4)");
}

TEST_F(LibraryTest, MissingRequiredFieldsAtFrontMatterStart) {
  std::string text = card();
  text.erase(text.find("region: piemonte\n"), 17);
  text.erase(text.find("themes: [economia-circolare]\n"), 29);
  const LoadedPractice l = load(text);
  expect_error(l, 1, "campo obbligatorio mancante: 'region'");
  expect_error(l, 1, "campo obbligatorio mancante: 'themes'");
}

TEST_F(LibraryTest, EmptyFrontMatterListsEveryRequiredField) {
  const LoadedPractice l = load("---\n---\nTesto.\n");
  for (const char* key : {"title", "summary", "hub", "region", "themes", "dimensions"})
    expect_error(l, 1, std::string("campo obbligatorio mancante: '") + key + "'");
}

TEST_F(LibraryTest, EmptyTitle) { expect_error(load(with(card(), "title", "title: \"  \"")), 2, "il titolo (title) è vuoto"); }

TEST_F(LibraryTest, BlankRequiredTexts) {
  expect_error(load(with(card(), "title", "title:")), 2, "il titolo (title) è vuoto");
  expect_error(load(with(card(), "summary", "summary: \"\"")), 3, "il riassunto (summary) è vuoto");
  expect_error(load(with(card(), "hub", "hub:")), 4, "l'hub è vuoto");
  expect_error(load(with(card(), "region", "region:")), 5, "la regione è vuota");
  expect_error(load(with(card(), "themes", "themes:")), 6, "'themes' è vuoto");
}

TEST_F(LibraryTest, EmptyRequiredList) {
  expect_error(load(with(card(), "themes", "themes: []")), 6, "'themes' è vuoto");
}

TEST_F(LibraryTest, UnknownThemeSuggestsTheClosest) {
  const LoadedPractice l = load(with(card(), "themes", "themes: [economia-circulare]"));
  expect_error(l, 6, "tema sconosciuto 'economia-circulare': forse 'economia-circolare'?");
}

TEST_F(LibraryTest, ThemeItemOnItsOwnLine) {
  const LoadedPractice l = load(with(card(), "themes", "themes:\n  - economia-circolare\n  - astronautica"));
  expect_error(l, 8, "tema sconosciuto 'astronautica'");
}

TEST_F(LibraryTest, SmallVocabularyListsItsValues) {
  const LoadedPractice l = load(with(card(), "dimensions", "dimensions: [culturale]"));
  expect_error(l, 7, "dimensione sconosciuta 'culturale'");
  EXPECT_NE(find(l, "dimensione")->message.find("'economica', 'sociale' o 'ambientale'"), std::string::npos);
}

TEST_F(LibraryTest, UnknownRegionAndHub) {
  expect_error(load(with(card(), "region", "region: toscanna")), 5, "regione sconosciuta 'toscanna': forse 'toscana'?");
  expect_error(load(with(card(), "hub", "hub: nordd")), 4, "hub sconosciuto 'nordd': forse 'nord'?");
}

TEST_F(LibraryTest, ThemeSynonymIsSuggested) {
  expect_error(load(with(card(), "themes", "themes: [GAS]")), 6, "forse 'gruppi-di-acquisto-solidale'?");
}

TEST_F(LibraryTest, RegionLabelIsAcceptedWithAWarning) {
  const LoadedPractice l = load(with(card(), "region", "region: Valle d'Aosta"));
  ASSERT_TRUE(l.practice) << all(l.diagnostics);
  EXPECT_EQ(l.practice->region, "valle-d-aosta");
  const Diagnostic* d = find(l, "usa lo slug 'valle-d-aosta'");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->severity, Severity::kWarning);
  EXPECT_EQ(d->line, 5);
}

TEST_F(LibraryTest, RegionOutsideItsHub) {
  expect_error(load(with(card(), "region", "region: toscana")), 5,
               "la regione 'toscana' appartiene all'hub 'centro', non 'nord'");
}

TEST_F(LibraryTest, SdgOutOfRangeOrNotAnInteger) {
  const LoadedPractice l = load(card("sdgs:\n  - 2\n  - 18\n  - 3.5\n"));
  expect_error(l, 10, "obiettivo SDG non valido '18'");
  expect_error(l, 11, "obiettivo SDG non valido '3.5'");
}

// "themes: a, b" or "tags: a, b" is one text to YAML: said, with the list
// to write, not «tema sconosciuto 'a, b'» nor one tag «a, b» published.
TEST_F(LibraryTest, AListWrittenAsTextWithCommasSaysToUseBrackets) {
  expect_error(load(with(card(), "themes", "themes: economia-circolare, beni-comuni")), 6,
               "'themes' è scritto come un testo con le virgole ('economia-circolare, beni-comuni'): un elenco va "
               "tra parentesi quadre, themes: [economia-circolare, beni-comuni]");
  expect_error(load(card("tags: riuso, riparazione\n")), 8, "tags: [riuso, riparazione]");
}

TEST_F(LibraryTest, ImpossibleAndMalformedDates) {
  expect_error(load(card("date: 2023-02-30\n")), 8, "data impossibile '2023-02-30'");
  expect_error(load(card("last_reviewed: 14/03/2023\n")), 8, "usa il formato AAAA-MM-GG");
}

TEST_F(LibraryTest, ImplausibleYear) {
  expect_error(load(card("year: 20222\n")), 8, "anno non valido '20222'");
  expect_error(load(card("year: duemila\n")), 8, "anno non valido 'duemila'");
  // Four digits, but not a start year: said so, not «quattro cifre».
  expect_error(load(card("year: 1850\n")), 8, "anno di avvio 1850 troppo lontano");
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  const std::string next = std::to_string(tm.tm_year + 1900 + 1), later = std::to_string(tm.tm_year + 1900 + 2);
  expect_error(load(card("year: " + later + "\n")), 8, "anno di avvio " + later + " nel futuro");
  // About to start, next year: accepted.
  const LoadedPractice starting = load(card("year: " + next + "\n"));
  ASSERT_TRUE(starting.practice) << all(starting.diagnostics);
  EXPECT_EQ(starting.practice->year, tm.tm_year + 1900 + 1);
}

TEST_F(LibraryTest, SummaryLimitCountsCharactersNotBytes) {
  std::string ok, too_long;
  for (int i = 0; i < 400; ++i) ok += "à";  // 800 bytes, 400 characters
  too_long = ok + "è";
  EXPECT_TRUE(load(with(card(), "summary", "summary: \"" + ok + "\"")).practice);
  expect_error(load(with(card(), "summary", "summary: \"" + too_long + "\"")), 3,
               "lungo 401 caratteri: il massimo è 400");
}

TEST_F(LibraryTest, PlainWordsAreReadFromAFoldedBlock) {
  const LoadedPractice l = load(card("in_parole_semplici: >-\n  Si aggiusta il tostapane\n  insieme, invece di buttarlo.\n"));
  ASSERT_TRUE(l.practice) << all(l.diagnostics);
  EXPECT_TRUE(l.diagnostics.empty()) << all(l.diagnostics);
  EXPECT_EQ(l.practice->plain_words, "Si aggiusta il tostapane insieme, invece di buttarlo.");
  EXPECT_EQ(load(card()).practice->plain_words, "");
}

TEST_F(LibraryTest, PlainWordsOfTheWrongShapeOrLength) {
  expect_error(load(card("in_parole_semplici: [spesa, insieme]\n")), 8, "'in_parole_semplici' deve essere un testo");
  expect_error(load(card("in_parole_semplici:\n")), 8, "'in_parole_semplici' è vuoto");
  expect_error(load(card("in_parole_semplici: \"   \"\n")), 8, "'in_parole_semplici' è vuoto");
  std::string ok, too_long;
  for (int i = 0; i < 600; ++i) ok += "è";  // 1200 bytes, 600 characters
  too_long = ok + "a";
  EXPECT_TRUE(load(card("in_parole_semplici: \"" + ok + "\"\n")).practice);
  expect_error(load(card("year: 2022\nin_parole_semplici: \"" + too_long + "\"\n")), 9,
               "lungo 601 caratteri: il massimo è 600");
}

TEST_F(LibraryTest, PlainWordsRepeatingTheSummaryAreAWarning) {
  const LoadedPractice l = load(card("in_parole_semplici: \"Riassunto.\"\n"));
  ASSERT_TRUE(l.practice) << all(l.diagnostics);
  const Diagnostic* d = find(l, "ripete il riassunto");
  ASSERT_NE(d, nullptr) << all(l.diagnostics);
  EXPECT_EQ(d->severity, Severity::kWarning);
  EXPECT_EQ(d->line, 8);
}

// A folded text that goes to a new line after a hyphen reads «casa- scuola»
// on the site: a warning on the line that has the hyphen, with the word
// written whole.
TEST_F(LibraryTest, AWordBrokenByAHyphenAndASpaceIsAWarning) {
  const LoadedPractice l =
      load(card("in_parole_semplici: >-\n  Si misurano i viaggi casa-\n  scuola di tutti gli studenti, ogni mese.\n"));
  ASSERT_TRUE(l.practice) << all(l.diagnostics);
  EXPECT_EQ(l.practice->plain_words, "Si misurano i viaggi casa- scuola di tutti gli studenti, ogni mese.");
  const Diagnostic* d = find(l, "trattino seguito da uno spazio");
  ASSERT_NE(d, nullptr) << all(l.diagnostics);
  EXPECT_EQ(d->severity, Severity::kWarning);
  EXPECT_EQ(d->line, 9);
  // Further down a long text, still the line of the hyphen (not an
  // earlier «casa-» that joins a word on its own line).
  const LoadedPractice far =
      load(card("in_parole_semplici: >-\n  Prima riga del testo.\n  Seconda riga, una casa-bottega.\n"
                "  Terza riga, viaggi casa-\n  scuola di ogni giorno.\n"));
  std::vector<int> far_lines;
  for (const auto& diagnostic : far.diagnostics)
    if (diagnostic.message.find("«casa- scuola»") != std::string::npos) far_lines.push_back(diagnostic.line);
  EXPECT_EQ(far_lines, std::vector<int>{11}) << all(far.diagnostics);
  EXPECT_NE(d->message.find("«casa- scuola»"), std::string::npos) << d->message;
  EXPECT_NE(d->message.find("«casa-scuola»"), std::string::npos) << d->message;

  // The same in the title, the summary and a question, each on its line.
  const LoadedPractice t =
      load(with(with(card("domande:\n  - \"Come si organizza il tragitto casa- scuola a piedi?\"\n"), "title",
                     "title: \"Pedibus casa- scuola\""),
                "summary", "summary: \"Un percorso casa- scuola.\""));
  std::vector<int> lines;
  for (const auto& diagnostic : t.diagnostics)
    if (diagnostic.message.find("trattino seguito da uno spazio") != std::string::npos)
      lines.push_back(diagnostic.line);
  EXPECT_EQ(lines, (std::vector<int>{2, 3, 9})) << all(t.diagnostics);
}

// The story's sections have exact titles of the second level (content
// guide §4): a slip in one is a warning on its line, with the title to
// write; a heading of the third level is free.
TEST_F(LibraryTest, ASectionTitleWrittenOtherwiseIsAWarningOnItsLine) {
  const LoadedPractice l = load(card("",
                                     "# Contesto\n\nTesto.\n\n"             // 10
                                     "## Obbiettivi\n\nTesto.\n\n"          // 14
                                     "## Difficolta e lezioni apprese\n\n"  // 18
                                     "### Risultati del primo anno\n\nTesto.\n\n"
                                     "## Risultati\n\nTesto.\n\n"
                                     "## Galleria\n\nTesto.\n"));  // 28
  ASSERT_TRUE(l.practice) << all(l.diagnostics);
  std::vector<std::pair<int, std::string>> said;
  for (const auto& d : l.diagnostics) {
    EXPECT_EQ(d.severity, Severity::kWarning) << d.message;
    said.emplace_back(d.line, d.message);
  }
  ASSERT_EQ(said.size(), 4u) << all(l.diagnostics);
  EXPECT_EQ(said[0].first, 10);
  EXPECT_NE(said[0].second.find("«# Contesto»: le sezioni del racconto sono titoli di secondo livello, scrivi "
                                "«## Contesto»"),
            std::string::npos)
      << said[0].second;
  EXPECT_EQ(said[1].first, 14);
  EXPECT_NE(said[1].second.find("«## Obiettivi»"), std::string::npos) << said[1].second;
  EXPECT_EQ(said[2].first, 18);
  EXPECT_NE(said[2].second.find("«## Difficoltà e lezioni apprese»"), std::string::npos) << said[2].second;
  EXPECT_EQ(said[3].first, 28);
  EXPECT_NE(said[3].second.find("«## Galleria» non è una delle otto sezioni"), std::string::npos) << said[3].second;
  EXPECT_NE(said[3].second.find("«### Galleria»"), std::string::npos) << said[3].second;
}

// "##Risultati" is a line of text to Markdown: the section would vanish
// from the page without a word. A "#hashtag" in a paragraph is text.
TEST_F(LibraryTest, ASectionTitleWithoutItsSpaceIsAWarningOnItsLine) {
  const LoadedPractice l = load(card("",
                                     "## Contesto\n\nTesto.\n\n"      // 10
                                     "##Risultati\n\nTesto.\n\n"      // 14
                                     "#orti in tutta la città.\n"));  // 18
  ASSERT_TRUE(l.practice) << all(l.diagnostics);
  ASSERT_EQ(l.diagnostics.size(), 1u) << all(l.diagnostics);
  EXPECT_EQ(l.diagnostics[0].line, 14);
  EXPECT_EQ(l.diagnostics[0].severity, Severity::kWarning);
  EXPECT_NE(
      l.diagnostics[0].message.find("«##Risultati» non è un titolo: dopo «##» va uno spazio, scrivi «## Risultati»"),
      std::string::npos)
      << l.diagnostics[0].message;
}

// A tag typed in a field of text would show as typed on every page and in
// every e-mail: an error on its line; a "<" that opens no tag is text.
TEST_F(LibraryTest, MarkupInAFieldOfTextIsAnError) {
  const LoadedPractice l =
      load(with(card("in_parole_semplici: >-\n  Un orto per tutti,\n  anche <em>per</em> i bambini.\n"), "title",
                "title: \"<b>Orto</b> di comunità a San Lorenzo\""));
  std::vector<std::pair<int, std::string>> found;
  for (const auto& d : l.diagnostics)
    if (d.message.find("codice HTML") != std::string::npos) found.emplace_back(d.line, d.message);
  ASSERT_EQ(found.size(), 2u) << all(l.diagnostics);
  EXPECT_EQ(found[0].first, 2);
  EXPECT_NE(found[0].second.find("«<b>»"), std::string::npos) << found[0].second;
  EXPECT_EQ(found[1].first, 10);
  EXPECT_NE(found[1].second.find("«<em>»"), std::string::npos) << found[1].second;
  for (const auto& d : l.diagnostics) {
    if (d.message.find("codice HTML") != std::string::npos) {
      EXPECT_EQ(d.severity, Severity::kError);
    }
  }

  const LoadedPractice fine = load(with(card(""), "title", "title: \"Ragazzi <14 anni e adulti > 65: a < b\""));
  for (const auto& d : fine.diagnostics) EXPECT_EQ(d.message.find("codice HTML"), std::string::npos) << d.message;
}

// A hyphen left hanging before «e», «o», «ed» is Italian, and a hyphen
// between words, digits or spaces is no broken word.
TEST_F(LibraryTest, ASuspendedHyphenIsNoBrokenWord) {
  for (const std::string text :
       {"Il servizio pre- e post-scuola per le famiglie.", "Attività pre- o post-scuola, a scelta.",
        "Medio- ed estremo-oriente, in classe.", "Casa-scuola a piedi, 2022- 2023, ogni giorno - anche d'inverno.",
        "Un elenco:\n- primo punto\n- secondo punto"}) {
    const LoadedPractice l = load(card("in_parole_semplici: \"" + text + "\"\n"));
    ASSERT_TRUE(l.practice) << all(l.diagnostics);
    EXPECT_EQ(find(l, "trattino"), nullptr) << text << "\n" << all(l.diagnostics);
  }
}

TEST_F(LibraryTest, QuestionsAreReadInOrder) {
  const LoadedPractice l = load(card("domande:\n"
                                     "  - \"Come si aggiusta un tostapane invece di buttarlo?\"\n"
                                     "  - \"  Dove trovo qualcuno che ripara le cose in quartiere?  \"\n"
                                     "  - \"Si può imparare a riparare da soli?\"\n"));
  ASSERT_TRUE(l.practice) << all(l.diagnostics);
  EXPECT_TRUE(l.diagnostics.empty()) << all(l.diagnostics);
  EXPECT_EQ(l.practice->questions,
            (std::vector<std::string>{"Come si aggiusta un tostapane invece di buttarlo?",
                                      "Dove trovo qualcuno che ripara le cose in quartiere?",
                                      "Si può imparare a riparare da soli?"}));
  EXPECT_TRUE(load(card()).practice->questions.empty());
}

TEST_F(LibraryTest, EachBadQuestionIsReportedOnItsLine) {
  const LoadedPractice l = load(card("domande:\n"
                                     "  - \"Come si aggiusta un tostapane?\"\n"        // 9: fine
                                     "  - \"Perché?\"\n"                                 // 10: too short
                                     "  - \"Dove si ripara una bicicletta rotta\"\n"      // 11: no '?'
                                     "  - \"come si aggiusta un tostapane?\"\n"         // 12: repeats 9 (folded)
                                     "  - \"Titolo?\"\n"                                 // 13: too short
                                     "  - \"" + std::string(161, 'a') + "?\"\n"));    // 14: too long
  expect_error(l, 10, "la domanda «Perché?» è troppo corta (7 caratteri)");
  expect_error(l, 11, "la domanda «Dove si ripara una bicicletta rotta» deve finire con il punto di domanda");
  expect_error(l, 12, "la domanda «come si aggiusta un tostapane?» è già nell'elenco");
  expect_error(l, 14, "è lunga 162 caratteri: il massimo è 160");
  expect_error(l, 13, "la domanda «Titolo?» è troppo corta");
  // Six given is within the limit; line 9 has nothing to say.
  EXPECT_EQ(find(l, "al massimo 10"), nullptr) << all(l.diagnostics);
  for (const auto& d : l.diagnostics) EXPECT_NE(d.line, 9) << d.format();
}

TEST_F(LibraryTest, QuestionsOfTheWrongShapeOrNumber) {
  expect_error(load(card("domande:\n")), 8, "'domande' è vuoto");
  expect_error(load(card("domande: []\n")), 8, "'domande' è vuoto");
  expect_error(load(card("domande: \"Come si fa a riparare le cose?\"\n")), 8, "'domande' deve essere una lista");
  std::string eleven = "domande:\n";
  for (int i = 0; i < 11; ++i) eleven += "  - \"Come si ripara la cosa numero " + std::to_string(i) + "?\"\n";
  expect_error(load(card(eleven)), 9, "'domande' ha 11 domande: al massimo 10");
  std::string ten = "domande:\n";
  for (int i = 0; i < 10; ++i) ten += "  - \"Come si ripara la cosa numero " + std::to_string(i) + "?\"\n";
  const LoadedPractice within = load(card(ten));
  ASSERT_TRUE(within.practice) << all(within.diagnostics);
  EXPECT_TRUE(within.diagnostics.empty()) << all(within.diagnostics);
  EXPECT_EQ(within.practice->questions.size(), 10u);
  const LoadedPractice two = load(card("domande:\n  - \"Come si ripara un tostapane?\"\n"
                                       "  - \"Dove si ripara una bicicletta?\"\n"));
  const Diagnostic* d = find(two, "'domande' ha 2 domande: se ne consigliano da 3 a 10");
  ASSERT_NE(d, nullptr) << all(two.diagnostics);
  EXPECT_EQ(d->severity, Severity::kWarning);
  ASSERT_TRUE(two.practice) << all(two.diagnostics);
  EXPECT_EQ(two.practice->questions.size(), 2u);
}

TEST_F(LibraryTest, AQuestionRepeatingTheTitleIsAnError) {
  const LoadedPractice l = load(with(card("domande:\n  - \"Riparare insieme in quartiere?\"\n"
                                          "  - \"Come si ripara un tostapane?\"\n"
                                          "  - \"Dove si ripara una bicicletta?\"\n"),
                                     "title", "title: \"Riparare insieme in quartiere\""));
  expect_error(l, 9, "ripete il titolo");
}

TEST_F(LibraryTest, FileNameMustBeASlug) {
  const LoadedPractice l = load(card(), "practices/nord/Il GAS di Città.md");
  expect_error(l, 1, "nome del file non valido 'Il GAS di Città.md'");
  EXPECT_NE(find(l, "nome del file")->message.find("'il-gas-di-citta.md'"), std::string::npos);
  // The extension typed twice: the name without it, not "orti-md.md".
  const LoadedPractice twice = load(card(), "practices/nord/orti.md.md");
  EXPECT_NE(find(twice, "nome del file")->message.find("per esempio 'orti.md'"), std::string::npos)
      << all(twice.diagnostics);
  // The Mac's shadow file of another case file: to delete, not to rename
  // over the real one.
  const LoadedPractice shadow = load(card(), "practices/nord/._prova.md");
  expect_error(shadow, 1, "file nascosto creato dal Mac ('._prova.md'): non è una scheda, cancellalo");
  EXPECT_FALSE(find(shadow, "per esempio 'prova.md'")) << all(shadow.diagnostics);
}

TEST_F(LibraryTest, InvalidUtf8PointsAtTheFirstBadLine) {
  expect_error(load(card("city: Citt\xE0\n")), 8, "UTF-8");
}

TEST_F(LibraryTest, BinaryFile) {
  expect_error(load(std::string("---\ntitle: x\n\x00\x01\x02", 17)), 3, "file binario");
}

TEST_F(LibraryTest, OversizeFile) {
  std::string big = card("", std::string(kMaxCaseFileBytes, 'a'));
  expect_error(load(big), 1, "file troppo grande");
}

TEST_F(LibraryTest, EmptyBody) { expect_error(load(card("", "\n  \n")), 8, "non ha testo dopo il front matter"); }

TEST_F(LibraryTest, RelativeLinksAndImagesMustExist) {
  write("practices/nord/prova/foto.jpg", "jpg");
  write("practices/nord/prova/guida.pdf", "pdf");
  const std::string body =
      "## Contesto\n"                                                              // line 10
      "\n"                                                                         // 11
      "![Foto](prova/foto.jpg) e [guida](prova/guida.pdf#p2)\n"                    // 12: fine
      "[manca](prova/manca.pdf)\n"                                                 // 13
      "\n"                                                                         // 14
      "- ![assente](prova/assente.png \"titolo\")\n"                               // 15
      "[sito](https://example.org) [posta](mailto:a@b.it) [ancora](#risultati)\n"  // 16: not checked
      "[con spazi](prova/foto%20mancante.jpg)\n"                                   // 17
      "![Senza cartella](foto.jpg)\n";                                             // 18: in prova/
  const LoadedPractice l = load(card("", body));
  expect_error(l, 13, "collegamento rotto: 'prova/manca.pdf' non esiste");
  expect_error(l, 15, "immagine mancante: 'prova/assente.png' non esiste");
  expect_error(l, 17, "'prova/foto%20mancante.jpg' non esiste");
  // The file is where the guide says; the link lacks the folder's name.
  expect_error(l, 18, "immagine 'foto.jpg': il file è nella cartella 'prova/', scrivi 'prova/foto.jpg'");
  EXPECT_EQ(l.diagnostics.size(), 4u) << all(l.diagnostics);
}

// A link to another case file by its file name renders as a page the site
// does not have: the check says to write /pratiche/<slug>. A .md file in
// the practice's own folder is not served either (/media/ refuses .md).
TEST_F(LibraryTest, ALinkToAnotherCaseFileByItsFileNameSaysToWriteItsPage) {
  write("practices/sud/orti-sociali.md", "x");
  write("practices/nord/vicina.md", "x");
  write("practices/nord/prova/note.md", "note");
  const std::string body =
      "## Contesto\n"                                          // line 10
      "\n"                                                     // 11
      "Come [a Lecce](../sud/orti-sociali.md) e [qui](vicina.md#storia).\n"  // 12
      "Le [note](prova/note.md) non sono pubblicate.\n";       // 13
  const LoadedPractice l = load(card("", body));
  expect_error(l, 12, "collegamento a un'altra scheda '../sud/orti-sociali.md': sul sito scrivi /pratiche/orti-sociali");
  expect_error(l, 12, "collegamento a un'altra scheda 'vicina.md#storia': sul sito scrivi /pratiche/vicina");
  expect_error(l, 13, "collegamento 'prova/note.md': il sito non pubblica i file .md");
  EXPECT_EQ(l.diagnostics.size(), 3u) << all(l.diagnostics);
}

TEST_F(LibraryTest, LinksMustStayInsideTheContentRoot) {
  write("segreto.txt", "x");  // exists, but outside the library
  const LoadedPractice l = load(card("", "Vedi [qui](../../../segreto.txt).\n"));
  expect_error(l, 10, "punta fuori dalla cartella della biblioteca");
}

TEST_F(LibraryTest, DangerousLinkSchemes) {
  expect_error(load(card("", "[x](javascript:alert(1))\n")), 10, "non consentito");
}

// Raw HTML is not shown on the page: the editor is told where, instead of
// text vanishing. A comment, a note to the editors, is allowed.
TEST_F(LibraryTest, RawHtmlIsAnErrorAtItsLine) {
  expect_error(load(card("", "Testo.\n\n<div>un riquadro</div>\n")), 12, "codice HTML '<div>un riquadro</div>'");
  expect_error(load(card("", "Testo con <b>grassetto</b>.\n")), 10, "codice HTML '<b>'");
  EXPECT_TRUE(load(card("", "Testo.\n\n<!-- da rivedere -->\n")).diagnostics.empty());
}

// An address with a space is no link in Markdown: the page would show the
// brackets as text. A title after the address is fine.
TEST_F(LibraryTest, ALinkWithASpaceInItsAddressIsAnError) {
  const LoadedPractice l =
      load(card("", "Testo.\n\n![Foto](prova/foto orto.jpg)\n\nIl [Regolamento](prova/Regolamento 2023.pdf) qui.\n"));
  expect_error(l, 12, "immagine con uno spazio nell'indirizzo 'prova/foto orto.jpg'");
  EXPECT_NE(find(l, "foto orto")->message.find("('prova/foto-orto.jpg')"), std::string::npos);
  expect_error(l, 14, "collegamento con uno spazio nell'indirizzo 'prova/Regolamento 2023.pdf'");
  EXPECT_NE(find(l, "Regolamento 2023")->message.find("[Regolamento](<prova/Regolamento 2023.pdf>)"),
            std::string::npos);
  const LoadedPractice ok =
      load(card("", "Il [sito](https://example.org \"Il sito\") e le attività [in corso] (vedi).\n"));
  EXPECT_FALSE(find(ok, "con uno spazio")) << all(ok.diagnostics);
}

TEST_F(LibraryTest, CoverNeedsAltAndAnExistingImage) {
  expect_error(load(card("cover: {src: \"https://example.org/a.jpg\"}\n")), 8, "senza testo alternativo 'alt'");
  expect_error(load(card("cover:\n  src: copertina.jpg\n  alt: \"Volontari\"\n")), 9,
               "immagine di copertina mancante: 'copertina.jpg'");
  // An address on another site: the page would show no cover.
  expect_error(load(card("cover: {src: \"https://example.org/a.jpg\", alt: \"Volontari\"}\n")), 8,
               "l'immagine deve essere un file della biblioteca, non un indirizzo web");
  // Beside the case file instead of in its folder: the page's address would
  // be a 404.
  write("practices/nord/foto.jpg", "jpg");
  expect_error(load(card("cover:\n  src: foto.jpg\n  alt: \"Volontari\"\n")), 9,
               "immagine di copertina accanto alla scheda: il sito la cerca nella cartella 'prova/', spostala lì "
               "('prova/foto.jpg')");
  write("practices/nord/prova/copertina.jpg", "jpg");
  EXPECT_TRUE(load(card("cover:\n  src: copertina.jpg\n  alt: \"Volontari\"\n")).practice);
  EXPECT_TRUE(load(card("cover:\n  src: prova/copertina.jpg\n  alt: \"Volontari\"\n")).practice);
}

TEST_F(LibraryTest, ClosedSetsSuggestTheRightValue) {
  const LoadedPractice s = load(card("status: in corso\n"));
  expect_error(s, 8, "stato (status) non valido 'in corso'");
  EXPECT_NE(find(s, "stato")->message.find("forse 'in-corso'?"), std::string::npos);
  expect_error(load(card("transferability:\n  level: altissima\n")), 9, "livello di trasferibilità non valido 'altissima'");
  expect_error(load(card("transferability: {notes: x}\n")), 8, "senza 'level'");
  expect_error(load(card("license: CC BY\n")), 8, "licenza (license) non valida 'CC BY'");
  expect_error(load(card("language: italiano\n")), 8, "lingua (language) non valida 'italiano'");
  EXPECT_TRUE(load(card("transferability: media\nlanguage: en\nlicense: CC0-1.0\n")).practice);
}

TEST_F(LibraryTest, ResourcesNeedTitleAndHttpUrl) {
  const LoadedPractice l = load(card("resources:\n  - {title: \"Sito\", url: \"www.example.org\"}\n  - {url: \"https://example.org\"}\n  - {title: \"Solo titolo\"}\n  - testo\n"));
  expect_error(l, 9, "indirizzo della risorsa non valido 'www.example.org'");
  expect_error(l, 10, "risorsa senza 'title'");
  expect_error(l, 11, "risorsa senza 'url'");
  expect_error(l, 12, "ogni voce deve avere i suoi campi");
}

TEST_F(LibraryTest, DidatticaFieldsOfTheWrongType) {
  const LoadedPractice l = load(card(
      "didattica:\n"                       // 8
      "  levels: {primaria: si}\n"         // 9
      "  duration_minutes: novanta\n"      // 10
      "  activities:\n"                    // 11
      "    - {description: \"senza titolo\", duration_minutes: -5}\n"));  // 12
  expect_error(l, 9, "'didattica.levels' deve essere una lista");
  expect_error(l, 10, "'didattica.duration_minutes' deve essere un numero intero di minuti");
  expect_error(l, 12, "attività didattica senza 'title'");
  expect_error(l, 12, "maggiore di zero");
  expect_error(load(card("didattica: tanta\n")), 8, "'didattica' deve contenere");
}

TEST_F(LibraryTest, WrongShapes) {
  expect_error(load(with(card(), "title", "title: [a, b]")), 2, "'title' deve essere un testo");
  expect_error(load(card("results: tanti\n")), 8, "'results' deve essere una lista");
  expect_error(load(card("contacts:\n  - {name: x, email: non-una-mail}\n")), 9, "email non valido");
  expect_error(load(card("related: [Altra Pratica]\n")), 8, "non è lo slug di una pratica");
  expect_error(load("---\n- a\n- b\n---\nTesto\n"), 2, "campi 'nome: valore'");
}

TEST_F(LibraryTest, UnknownFieldsAreOnlyWarnings) {
  const LoadedPractice l = load(card("titel: x\nfoo: 1\n"));
  ASSERT_TRUE(l.practice) << all(l.diagnostics);
  const Diagnostic* d = find(l, "campo sconosciuto 'titel'");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->line, 8);
  EXPECT_EQ(d->severity, Severity::kWarning);
  EXPECT_NE(d->message.find("forse 'title'?"), std::string::npos);
  const std::string formatted = d->format();
  EXPECT_NE(formatted.find("practices/nord/prova.md:8: attenzione: campo sconosciuto"), std::string::npos) << formatted;
  EXPECT_FALSE(has_errors(l.diagnostics));
}

TEST_F(LibraryTest, DiagnosticFormat) {
  Diagnostic d{"a.md", 3, 0, Severity::kError, "messaggio"};
  EXPECT_EQ(d.format(), "a.md:3: messaggio");
  d.column = 7;
  EXPECT_EQ(d.format(), "a.md:3:7: messaggio");
  d = {"a.md", 0, 0, Severity::kWarning, "tutto il file"};
  EXPECT_EQ(d.format(), "a.md: attenzione: tutto il file");
}

TEST_F(LibraryTest, FindCaseFilesWalksSortedMarkdownOnly) {
  write("practices/sud/b.md", card());
  write("practices/nord/a.md", card());
  write("practices/nord/a/foto.jpg", "x");
  write("practices/nord/a/note.md", "appunti, non una scheda");  // media folder of a.md
  const auto files = find_case_files(root_);
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].filename(), "a.md");
  EXPECT_EQ(files[1].filename(), "b.md");
  const auto some = find_case_files(root_, {root_ / "practices/sud", root_ / "x.txt"});
  ASSERT_EQ(some.size(), 2u);
  EXPECT_EQ(some[1].filename(), "x.txt");
}

TEST_F(LibraryTest, ListCaseFilesInPathOrderWithTheirStat) {
  write("practices/nord-est/a.md", "aaa");
  write("practices/nord/b.md", "bb");
  write("practices/nord/c/d.md", "d");           // c.md absent: c/ is walked
  write("practices/nord/e.md", "e");
  write("practices/nord/e/foto.md", "no");       // media folder of e.md
  write("practices/nord/a-b.md", "x");
  write("practices/nord/a.md", "x");
  write("practices/nord/.md", "hidden, no name");
  write("practices/nord/note.txt", "not a case file");
  fs::create_directory_symlink(root_ / "practices/nord-est", root_ / "practices/link");  // not followed
  fs::create_symlink(root_ / "practices/nord/b.md", root_ / "practices/nord/z.md");      // a case file

  const std::vector<CaseFile> found = list_case_files(root_ / "practices");
  std::vector<fs::path> paths;
  for (const CaseFile& f : found) paths.emplace_back(f.path);
  std::vector<fs::path> expected = {
      root_ / "practices/nord/a-b.md", root_ / "practices/nord/a.md",   root_ / "practices/nord/b.md",
      root_ / "practices/nord/c/d.md", root_ / "practices/nord/e.md",   root_ / "practices/nord/z.md",
      root_ / "practices/nord-est/a.md"};
  EXPECT_EQ(paths, expected);
  std::vector<fs::path> sorted = expected;
  std::sort(sorted.begin(), sorted.end());  // path::operator<, component by component
  EXPECT_EQ(sorted, expected);
  ASSERT_EQ(found.size(), 7u);
  EXPECT_EQ(found[0].slug(), "a-b");
  EXPECT_EQ(found[3].slug(), "d");
  EXPECT_EQ(found[6].size, 3);
  EXPECT_EQ(found[5].size, 2);  // the link's target
  const auto mtime = std::chrono::file_clock::to_sys(fs::last_write_time(root_ / "practices/nord-est/a.md"));
  EXPECT_EQ(found[6].mtime_ns,
            std::chrono::duration_cast<std::chrono::nanoseconds>(mtime.time_since_epoch()).count());
  EXPECT_TRUE(list_case_files(root_ / "missing").empty());
}

// Two case files with one title read as one practice, twice, in the
// results: a warning on each title's line, naming the other.
TEST_F(LibraryTest, TwoCaseFilesWithOneTitleAreAWarningOnEach) {
  write("practices/nord/uno.md", card());
  write("practices/nord/due.md", with(card(), "title", "title: \"TITOLO\""));  // capitals aside
  write("practices/nord/tre.md", with(card(), "title", "title: \"Un altro titolo\""));
  const LibraryCheck c = check_library(root_, taxonomy_);
  std::vector<std::string> said;
  for (const auto& d : c.diagnostics) said.push_back(d.file + ":" + std::to_string(d.line) + ": " + d.message);
  ASSERT_EQ(said.size(), 2u) << all(c.diagnostics);
  EXPECT_EQ(c.diagnostics[0].severity, Severity::kWarning);
  const std::string r = root_.generic_string();
  EXPECT_NE(all(c.diagnostics)
                .find(r + "/practices/nord/due.md:2: attenzione: stesso titolo di '" + r + "/practices/nord/uno.md'"),
            std::string::npos)
      << all(c.diagnostics);
}

TEST_F(LibraryTest, LibraryWideChecks) {
  write("practices/nord/uno.md", card("related: [due, tre]\n", "Vedi [due](/pratiche/due) e [quattro](/pratiche/quatro/).\n"));
  write("practices/nord/due.md", card());
  write("practices/sud/due.md", with(with(card(), "hub", "hub: sud"), "region", "region: puglia"));
  write("practices/sud/quattro.md", with(with(card(), "hub", "hub: sud"), "region", "region: puglia"));
  const LibraryCheck c = check_library(root_, taxonomy_);
  EXPECT_EQ(c.files, 4u);
  ASSERT_EQ(c.practices.size(), 1u);
  EXPECT_EQ(c.practices[0].slug, "quattro");
  const std::string out = all(c.diagnostics);
  const std::string r = root_.generic_string();
  EXPECT_NE(out.find(r + "/practices/nord/due.md:1: slug duplicato 'due': anche '" + r + "/practices/sud/due.md'"), std::string::npos) << out;
  EXPECT_NE(out.find(r + "/practices/sud/due.md:1: slug duplicato 'due': anche '" + r + "/practices/nord/due.md'"), std::string::npos) << out;
  EXPECT_NE(out.find("uno.md:8: 'related': la pratica 'tre' non esiste nella biblioteca"), std::string::npos) << out;
  EXPECT_NE(out.find("uno.md:11: collegamento rotto: la pratica 'quatro' non esiste nella biblioteca: forse 'quattro'?"), std::string::npos) << out;
}

// A case file saved as "Orti.MD", "orti.markdown" or "orti.md.txt" is not
// read: the full check says so, with the name to give it, instead of the
// site silently lacking the practice.
TEST_F(LibraryTest, ACaseFileWithAnotherEndingIsPointedOut) {
  write("practices/nord/uno.md", card());
  write("practices/nord/Orti Sociali.MD", card());
  write("practices/sud/due.markdown", card());
  write("practices/sud/tre.md.txt", card());
  write("practices/sud/note.txt", "appunti");
  const LibraryCheck c = check_library(root_, taxonomy_);
  EXPECT_EQ(c.files, 1u);
  const std::string out = all(c.diagnostics);
  const std::string r = root_.generic_string();
  EXPECT_NE(out.find(r + "/practices/nord/Orti Sociali.MD:1: attenzione: il file non è letto: le schede hanno "
                         "l'estensione '.md' in minuscolo: rinominalo 'orti-sociali.md'"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("due.markdown:1: attenzione: il file non è letto"), std::string::npos) << out;
  EXPECT_NE(out.find("tre.md.txt:1: attenzione: il file non è letto: le schede hanno l'estensione '.md' in "
                     "minuscolo: rinominalo 'tre.md'"),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find("note.txt"), std::string::npos) << out;
  EXPECT_EQ(out.find("uno.md:1: attenzione: il file non è letto"), std::string::npos) << out;
}

// One tag written two ways ("povertà educativa", "poverta-educativa") is
// two tags on the site: the check points the odd spelling to the one most
// files use, and the practices still load.
TEST_F(LibraryTest, ATagWrittenTwoWaysIsPointedToTheUsualSpelling) {
  write("practices/nord/uno.md", card("tags: [povertà educativa, orti]\n"));
  write("practices/nord/due.md", card("tags: [doposcuola, povertà educativa]\n"));
  write("practices/nord/tre.md", card("tags: [Orti, poverta-educativa]\n"));
  const LibraryCheck c = check_library(root_, taxonomy_);
  EXPECT_EQ(c.practices.size(), 3u) << "a warning, not an error";
  const std::string out = all(c.diagnostics);
  const std::string r = root_.generic_string();
  EXPECT_NE(out.find(r + "/practices/nord/tre.md:8: attenzione: parola chiave 'poverta-educativa' scritta in un altro modo in '" +
                     r + "/practices/nord/"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("('povertà educativa')"), std::string::npos) << out;
  EXPECT_NE(out.find("tre.md:8: attenzione: parola chiave 'Orti' scritta in un altro modo"), std::string::npos) << out;
  EXPECT_EQ(out.find("uno.md:8: attenzione: parola chiave"), std::string::npos) << "the usual spelling is not warned: " << out;
  EXPECT_EQ(out.find("due.md:8: attenzione: parola chiave"), std::string::npos) << out;

  // Two spellings used once each: the one written as read is the usual.
  write("practices/nord/due.md", card("tags: [doposcuola]\n"));
  const std::string tie = all(check_library(root_, taxonomy_).diagnostics);
  EXPECT_NE(tie.find("tre.md:8: attenzione: parola chiave 'poverta-educativa'"), std::string::npos) << tie;
  EXPECT_EQ(tie.find("uno.md:8: attenzione: parola chiave 'povertà educativa'"), std::string::npos) << tie;
}

TEST_F(LibraryTest, PartialCheckStillSeesTheWholeLibrary) {
  write("practices/nord/uno.md", card("related: [due]\n"));
  write("practices/sud/due.md", with(with(card(), "hub", "hub: sud"), "region", "region: puglia"));
  std::size_t calls = 0;
  const LibraryCheck c = check_library(root_, taxonomy_, {root_ / "practices/nord/uno.md"},
                                       [&](std::size_t done, std::size_t total) {
                                         ++calls;
                                         EXPECT_LE(done, total);
                                       });
  EXPECT_EQ(c.files, 1u);
  EXPECT_EQ(calls, 1u);
  EXPECT_TRUE(c.diagnostics.empty()) << all(c.diagnostics);
  ASSERT_EQ(c.practices.size(), 1u);
}

TEST_F(LibraryTest, ManyFilesInParallelKeepFileOrder) {
  for (int i = 0; i < 150; ++i) {
    char name[64];
    std::snprintf(name, sizeof name, "practices/nord/p%03d.md", i);
    // Each its own title: copies of one title are a warning of their own.
    const std::string title = "title: \"Pratica numero " + std::to_string(i) + "\"";
    write(name, with(i % 10 == 0 ? card("year: mai\n") : card(), "title", title));
  }
  const LibraryCheck c = check_library(root_, taxonomy_);
  EXPECT_EQ(c.files, 150u);
  EXPECT_EQ(c.practices.size(), 135u);
  ASSERT_EQ(c.diagnostics.size(), 15u);
  for (std::size_t i = 1; i < c.diagnostics.size(); ++i) EXPECT_LT(c.diagnostics[i - 1].file, c.diagnostics[i].file);
}

TEST_F(LibraryTest, MissingFileIsReportedNotThrown) {
  const LoadedPractice l = load_practice(root_ / "practices/nessuno.md", root_, taxonomy_);
  EXPECT_FALSE(l.practice);
  ASSERT_EQ(l.diagnostics.size(), 1u);
  EXPECT_NE(l.diagnostics[0].message.find("impossibile leggere"), std::string::npos);
}


// The lesson sheet's vocabularies, as library-content/taxonomy.yaml has them.
class LibraryTeachingTest : public LibraryTest {
 protected:
  void SetUp() override {
    LibraryTest::SetUp();
    std::ofstream(root_ / "taxonomy.yaml", std::ios::app)
        << "\nlevels:\n  - {slug: primaria, label: Primaria}\n"
           "  - {slug: secondaria-1, label: \"Secondaria di primo grado\"}\n"
           "subjects:\n  - {slug: scienze, label: Scienze}\n"
           "  - {slug: educazione-civica, label: \"Educazione civica\"}\n";
    Diagnostics d;
    auto t = Taxonomy::load(root_ / "taxonomy.yaml", &d);
    ASSERT_TRUE(t) << all(d);
    ASSERT_FALSE(has_errors(d)) << all(d);
    taxonomy_ = std::move(*t);
  }
  const Diagnostic* warning(const LoadedPractice& l, const std::string& words) {
    const Diagnostic* d = find(l, words);
    return d && d->severity == Severity::kWarning ? d : nullptr;
  }
};

TEST_F(LibraryTeachingTest, LevelsAndSubjectsComeFromTheTaxonomyWithHints) {
  expect_error(load(card("didattica:\n  levels: [secondaria-2]\n")), 9, "ordine di scuola sconosciuto 'secondaria-2'");
  const LoadedPractice subject = load(card("didattica:\n  levels: [primaria]\n  subjects: [scienza]\n"));
  expect_error(subject, 10, "disciplina sconosciuta 'scienza'");
  EXPECT_NE(find(subject, "forse 'scienze'?"), nullptr) << all(subject.diagnostics);
}

TEST_F(LibraryTeachingTest, SubjectWrittenAsItsLabelIsTheSlug) {
  const LoadedPractice l = load(card("didattica:\n  levels: [secondaria-1]\n  subjects: [educazione civica, Scienze]\n"));
  ASSERT_TRUE(l.practice) << all(l.diagnostics);
  EXPECT_TRUE(l.diagnostics.empty()) << all(l.diagnostics);
  EXPECT_EQ(l.practice->didattica->subjects, (std::vector<std::string>{"educazione-civica", "scienze"}));
  EXPECT_EQ(l.practice->didattica->levels, std::vector<std::string>{"secondaria-1"});
}

TEST_F(LibraryTeachingTest, RecommendedLimitsAreWarningsWithHints) {
  const LoadedPractice l = load(card(
      "tags: [Emporio, quartiere]\n"                                         // 8
      "results:\n  - {indicator: \"Famiglie\", value: 120}\n"                // 9-10
      "didattica:\n  levels: [primaria]\n"                                   // 11-12
      "  objectives: [\"uno\", \"due\", \"tre\", \"quattro\", \"cinque\"]\n"));  // 13
  ASSERT_TRUE(l.practice) << all(l.diagnostics);
  const Diagnostic* tag = warning(l, "parola chiave 'Emporio' con maiuscole");
  ASSERT_NE(tag, nullptr) << all(l.diagnostics);
  EXPECT_EQ(tag->line, 8);
  EXPECT_NE(tag->message.find("('emporio')"), std::string::npos);
  const Diagnostic* results = warning(l, "'results' ha 1 indicatore");
  ASSERT_NE(results, nullptr) << all(l.diagnostics);
  EXPECT_EQ(results->line, 9);
  const Diagnostic* objectives = warning(l, "'didattica.objectives' ha 5 obiettivi");
  ASSERT_NE(objectives, nullptr) << all(l.diagnostics);
  EXPECT_EQ(objectives->line, 13);
}

TEST_F(LibraryTest, FileInAnotherHubsFolderIsAWarning) {
  const LoadedPractice l = load(card(), "practices/sud/prova.md");
  ASSERT_TRUE(l.practice) << all(l.diagnostics);
  const Diagnostic* d = find(l, "è nella cartella 'practices/sud/' ma dichiara hub 'nord'");
  ASSERT_NE(d, nullptr) << all(l.diagnostics);
  EXPECT_EQ(d->line, 4);
  EXPECT_EQ(d->severity, Severity::kWarning);
  EXPECT_EQ(find(load(card(), "practices/nord/sotto/prova.md"), "dichiara hub"), nullptr);
}

// A vertical tab or a form feed pasted from a word processor is invisible
// in the editor: the check points at its line.
TEST_F(LibraryTest, ControlCharactersPastedInAreWarningsWithTheirLine) {
  std::string text = card();
  const std::size_t title = text.find("title:");
  ASSERT_NE(title, std::string::npos);
  text.insert(text.find('\n', title) - 1, "\x0b");  // inside the quotes
  text += "\nUn paragrafo\x0c con un salto pagina.\n";
  const LoadedPractice l = load(text);
  const Diagnostic* in_title = find(l, "carattere invisibile (U+000B)");
  ASSERT_NE(in_title, nullptr) << all(l.diagnostics);
  EXPECT_EQ(in_title->line, 1 + static_cast<int>(std::count(text.begin(), text.begin() + title, '\n')));
  EXPECT_EQ(in_title->severity, Severity::kWarning);
  EXPECT_NE(find(l, "carattere invisibile (U+000C)"), nullptr) << all(l.diagnostics);
}

// A folder that is no hub's ("isole"), or none, is said too: the editor
// meant one of the hubs' folders.
TEST_F(LibraryTest, FileOutsideTheHubsFoldersIsAWarning) {
  const LoadedPractice island = load(card(), "practices/isole/prova.md");
  ASSERT_TRUE(island.practice) << all(island.diagnostics);
  const Diagnostic* d = find(island, "la cartella 'practices/isole/' non è di un hub: spostala in 'practices/nord/'");
  ASSERT_NE(d, nullptr) << all(island.diagnostics);
  EXPECT_EQ(d->severity, Severity::kWarning);
  const LoadedPractice loose = load(card(), "practices/prova.md");
  EXPECT_NE(find(loose, "la scheda non è nella cartella del suo hub: spostala in 'practices/nord/'"), nullptr)
      << all(loose.diagnostics);
  EXPECT_EQ(find(load(card(), "practices/nord/prova.md"), "hub"), nullptr);
}

TEST_F(LibraryTeachingTest, AFigureWithADotBeforeThreeDigitsIsPointedOut) {
  // YAML reads 1.200 as one point two; a person writing it meant 1200.
  const LoadedPractice l = load(card(
      "results:\n  - {indicator: \"Oggetti riparati\", value: 1.200}\n"   // 8-9
      "  - {indicator: \"Tonnellate\", value: 7.4}\n"));                      // 10
  ASSERT_TRUE(l.practice) << all(l.diagnostics);
  const Diagnostic* d = warning(l, "il valore 1.200 compare sul sito come 1,200");
  ASSERT_NE(d, nullptr) << all(l.diagnostics);
  EXPECT_EQ(d->line, 9);
  EXPECT_NE(d->message.find("scrivi value: 1200"), std::string::npos) << d->message;
  EXPECT_EQ(warning(l, "il valore 7.4"), nullptr) << all(l.diagnostics);
}

// A key figure is a number: words go to the indicator or the unit.
TEST_F(LibraryTeachingTest, AFigureThatIsNoNumberIsAnError) {
  const LoadedPractice l =
      load(card("results:\n  - {indicator: \"Famiglie\", value: tanti}\n"   // 8-9
                "  - {indicator: \"Volontari\", value: -3.5, unit: ore}\n"  // 10
                "  - {indicator: \"Scuole\"}\n"));                          // 11
  expect_error(l, 9, "il valore 'tanti' non è un numero: scrivi solo la cifra (per esempio 120)");
  expect_error(l, 11, "risultato «Scuole» senza valore");
  EXPECT_EQ(find(l, "il valore '-3.5'"), nullptr) << all(l.diagnostics);
}

// "value: 21,5" between braces is the figure 21 and a field "5": an error
// that says how to write the decimals, not a warning about a field "5".
TEST_F(LibraryTeachingTest, ADecimalCommaInAFigureIsAnError) {
  const LoadedPractice l =
      load(card("results:\n  - {indicator: \"Chili recuperati\", value: 21,5, unit: kg}\n"  // 8-9
                "  - {indicator: \"Famiglie\", value: 40}\n"));                             // 10
  const Diagnostic* d = find(l, "nei numeri si usa il punto per i decimali");
  ASSERT_NE(d, nullptr) << all(l.diagnostics);
  EXPECT_EQ(d->severity, Severity::kError);
  EXPECT_EQ(d->line, 9);
  EXPECT_NE(d->message.find("il valore '21,5'"), std::string::npos) << d->message;
  EXPECT_NE(d->message.find("scrivi value: 21.5"), std::string::npos) << d->message;
  EXPECT_EQ(find(l, "campo sconosciuto '5'"), nullptr) << all(l.diagnostics);
  // In block style the comma stays in the text: the same advice, on the
  // value's line, and both readings of "1,200".
  const LoadedPractice block = load(card(
      "results:\n  - indicator: \"Chili recuperati\"\n    value: 21,5\n  - indicator: \"Pasti\"\n    value: 1,200\n"));
  expect_error(block, 10, "il valore '21,5': nel file i decimali si scrivono con il punto (value: 21.5)");
  expect_error(block, 12, "(value: 1.200) e le migliaia senza separatore (value: 1200)");
  EXPECT_EQ(find(block, "metti l'unità a parte"), nullptr) << all(block.diagnostics);
}

TEST_F(LibraryTest, YamlAliasesAreRefusedAtTheirLineWithoutExpandingThem) {
  // Nine levels of nested aliases would be 9^9 tags if expanded (a "billion
  // laughs"): refused at once, at the first alias's line.
  std::string bomb = "x0: &a0 [a, a, a, a, a, a, a, a, a]\n";  // line 8
  for (int i = 1; i < 9; ++i) {
    bomb += "x" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int k = 0; k < 9; ++k) bomb += std::string(k ? ", " : "") + "*a" + std::to_string(i - 1);
    bomb += "]\n";
  }
  bomb += "tags: *a8\n";
  expect_error(load(card(bomb)), 9, "i riferimenti '*nome' (alias) non sono ammessi");
}

TEST_F(LibraryTest, ContactEmailIsPublicOnlyWhenTheEditorsSaySo) {
  const LoadedPractice hidden = load(card("contacts:\n  - {name: Anna, email: anna@example.org}\n"));
  ASSERT_TRUE(hidden.practice) << all(hidden.diagnostics);
  EXPECT_FALSE(hidden.practice->contacts[0].email_public);
  const LoadedPractice shown = load(card("contacts:\n  - {name: Anna, email: anna@example.org, email_public: true}\n"));
  ASSERT_TRUE(shown.practice) << all(shown.diagnostics);
  EXPECT_TRUE(shown.practice->contacts[0].email_public);
  EXPECT_TRUE(shown.diagnostics.empty()) << all(shown.diagnostics);
  expect_error(load(card("contacts:\n  - {name: Anna, email: anna@example.org, email_public: forse}\n")), 9,
               "'email_public' deve essere true oppure false");
}

}  // namespace
}  // namespace bp
