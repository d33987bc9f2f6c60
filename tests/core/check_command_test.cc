// bp-index check end to end (the command function, without a subprocess):
// output lines, summary and exit status on the fixture libraries.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>

#include "bp/file_bytes.h"
#include "bp/library.h"
#include "commands.h"
#include "temp_dir.h"

namespace bp::indexer {
namespace {

namespace fs = std::filesystem;

const fs::path kFixtures = fs::path(BP_SOURCE_DIR) / "tests/fixtures";

class CheckCommandTest : public ::testing::Test {
 protected:

  // Runs `bp-index check args...`; returns the exit status, fills out_.
  int check(const std::vector<std::string>& args) {
    testing::internal::CaptureStdout();
    testing::internal::CaptureStderr();
    std::vector<std::string> command_line = {"check"};
    command_line.insert(command_line.end(), args.begin(), args.end());
    const int status = run(command_line);
    out_ = testing::internal::GetCapturedStdout();
    err_ = testing::internal::GetCapturedStderr();
    return status;
  }

  // A copy of a fixture library in the temporary folder.
  fs::path copy_fixture(const std::string& name) {
    const fs::path to = dir_ / name;
    fs::copy(kFixtures / name, to, fs::copy_options::recursive);
    return to;
  }

  bool printed(const std::string& text) const { return out_.find(text) != std::string::npos; }

  bp::test_util::TempDir tmp_{"bp-check-test"};
  fs::path dir_ = tmp_.path();
  std::string out_, err_;
};

TEST_F(CheckCommandTest, ValidLibraryPasses) {
  EXPECT_EQ(check({"--content", (kFixtures / "valid").string()}), 0) << out_;
  EXPECT_EQ(out_, "0 errori e 0 avvisi in 2 schede\n");
}

TEST_F(CheckCommandTest, MalformedLibraryNamesEveryBadFileWithItsLine) {
  const fs::path root = copy_fixture("malformed");
  // Kept out of git: a case file over the 1 MB limit.
  std::ofstream(root / "practices/nord/file-troppo-grande.md") << std::string(kMaxCaseFileBytes + 10, 'x');

  struct Expected {
    const char* file;
    int line;
    const char* words;
  };
  const Expected expected[] = {
      {"nord/front-matter-mancante.md", 1, "front matter mancante"},
      {"nord/front-matter-non-chiuso.md", 1, "front matter non chiuso"},
      {"nord/yaml-non-valido.md", 2, "metti il valore tra virgolette"},
      {"nord/rientro-con-tab.md", 9, "tabulazione"},
      {"nord/chiave-duplicata.md", 8, "chiave duplicata 'title'"},
      {"nord/campo-obbligatorio-mancante.md", 1, "campo obbligatorio mancante: 'hub'"},
      {"nord/tema-sconosciuto.md", 6, "forse 'economia-circolare'?"},
      {"nord/regione-fuori-hub.md", 5, "appartiene all'hub 'centro', non 'nord'"},
      {"nord/sdg-fuori-intervallo.md", 8, "obiettivo SDG non valido '18'"},
      {"nord/data-impossibile.md", 8, "data impossibile '2023-02-30'"},
      {"nord/anno-non-valido.md", 8, "anno non valido"},
      {"nord/riassunto-troppo-lungo.md", 3, "il massimo è 400"},
      {"nord/titolo-vuoto.md", 2, "titolo (title) è vuoto"},
      {"nord/slug-doppio.md", 1, "slug duplicato"},
      {"sud/slug-doppio.md", 1, "slug duplicato"},
      {"nord/Nome Non Slug.md", 1, "'nome-non-slug.md'"},
      {"nord/utf8-non-valido.md", 6, "UTF-8"},
      {"nord/file-binario.md", 4, "file binario"},
      {"nord/file-troppo-grande.md", 1, "file troppo grande"},
      {"nord/corpo-vuoto.md", 8, "non ha testo"},
      {"nord/collegamento-rotto.md", 10, "collegamento rotto"},
      {"nord/immagine-mancante.md", 10, "immagine mancante"},
      {"nord/collegamento-fuori-biblioteca.md", 10, "fuori dalla cartella della biblioteca"},
      {"nord/collegamento-pratica-inesistente.md", 10, "'pratica-che-non-esiste' non esiste"},
      {"nord/copertina-senza-alt.md", 8, "alt"},
      {"nord/related-inesistente.md", 8, "'pratica-fantasma' non esiste"},
      {"nord/stato-non-valido.md", 8, "stato (status) non valido"},
      {"nord/trasferibilita-non-valida.md", 8, "trasferibilità non valido"},
      {"nord/licenza-non-valida.md", 8, "licenza (license) non valida"},
      {"nord/lingua-non-valida.md", 8, "lingua (language) non valida"},
      {"nord/risorsa-non-valida.md", 9, "deve iniziare con https://"},
      {"nord/risorsa-senza-url.md", 9, "risorsa senza 'url'"},
      {"nord/didattica-non-valida.md", 9, "didattica.duration_minutes"},
      {"nord/valore-di-vocabolario-non-valido.md", 8, "pubblico sconosciuto 'insegnanti'"},
  };
  EXPECT_EQ(check({"--content", root.string()}), 1);
  const std::string prefix = root.generic_string() + "/practices/";
  for (const auto& e : expected) {
    const std::string head = prefix + e.file + ":" + std::to_string(e.line) + ": ";
    const std::size_t at = out_.find(head);
    ASSERT_NE(at, std::string::npos) << head << " missing in:\n" << out_;
    const std::string line = out_.substr(at, out_.find('\n', at) - at);
    EXPECT_NE(line.find(e.words), std::string::npos) << line;
  }
  // Every bad file in the folder is named, the valid one is not, and the
  // summary closes the output.
  const fs::path valid = root / "practices/sud/pratica-valida.md";
  EXPECT_FALSE(printed(valid.generic_string()));
  std::size_t files = 0;
  for (const auto& f : fs::recursive_directory_iterator(root / "practices"))
    if (f.path().extension() == ".md") {
      ++files;
      if (f.path() != valid) {
        EXPECT_TRUE(printed(f.path().generic_string() + ":")) << f.path();
      }
    }
  EXPECT_EQ(files, std::size(expected) + 1);
  const std::string last = out_.substr(out_.rfind('\n', out_.size() - 2) + 1);
  EXPECT_EQ(last, std::to_string(std::size(expected)) + " errori e 0 avvisi in " + std::to_string(files) + " schede\n");
}

TEST_F(CheckCommandTest, ChecksOnlyTheGivenFilesAgainstTheWholeLibrary) {
  const fs::path root = copy_fixture("malformed");
  const fs::path one = root / "practices/nord/tema-sconosciuto.md";
  EXPECT_EQ(check({"--content", root.string(), one.string()}), 1);
  EXPECT_TRUE(printed(one.generic_string() + ":6: tema sconosciuto 'economia-circulare'"));
  EXPECT_TRUE(printed("1 errore e 0 avvisi in 1 scheda\n")) << out_;
  // A duplicate is found even when only one of the two files is checked.
  EXPECT_EQ(check({"--content", root.string(), (root / "practices/sud/slug-doppio.md").string()}), 1);
  EXPECT_TRUE(printed("slug duplicato 'slug-doppio'")) << out_;
}

TEST_F(CheckCommandTest, WarningsDoNotFail) {
  const fs::path root = copy_fixture("valid");
  std::ofstream(root / "practices/sud/con-avviso.md")
      << "---\ntitle: Energia condivisa\nsummary: b\nhub: sud\nregion: puglia\nthemes: [cer]\n"
         "dimensions: [sociale]\ncolore: rosso\n---\nTesto\n";
  EXPECT_EQ(check({"--content", root.string()}), 1);  // 'cer' is a synonym, not a slug
  EXPECT_TRUE(printed("con-avviso.md:6: tema sconosciuto 'cer': forse 'comunita-energetiche'?")) << out_;
  std::ofstream(root / "practices/sud/con-avviso.md")
      << "---\ntitle: Energia condivisa\nsummary: b\nhub: sud\nregion: puglia\nthemes: [comunita-energetiche]\n"
         "dimensions: [sociale]\ncolore: rosso\n---\nTesto\n";
  EXPECT_EQ(check({"--content", root.string()}), 0) << out_;
  EXPECT_TRUE(printed("con-avviso.md:8: attenzione: campo sconosciuto 'colore'")) << out_;
  EXPECT_TRUE(printed("0 errori e 1 avviso in 3 schede\n")) << out_;
}

TEST_F(CheckCommandTest, TaxonomyProblemsAreReportedWithLines) {
  const fs::path root = copy_fixture("valid");
  std::string yaml;
  {
    std::ifstream in(root / "taxonomy.yaml");
    yaml.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  yaml.replace(yaml.find("label: Umbria, hub: centro"), 26, "label: Umbria, hub: cntro");
  std::ofstream(root / "taxonomy.yaml") << yaml;
  EXPECT_EQ(check({"--content", root.string()}), 1);
  EXPECT_TRUE(printed((root / "taxonomy.yaml").generic_string() + ":15: regions 'umbria': hub sconosciuto 'cntro'")) << out_;
  // Naming the taxonomy checks it too; naming only a case file does not.
  EXPECT_EQ(check({"--content", root.string(), (root / "taxonomy.yaml").string()}), 1);
  EXPECT_TRUE(printed("in 0 schede")) << out_;
  EXPECT_EQ(check({"--content", root.string(), (root / "practices/sud/cer-solidale.md").string()}), 0) << out_;
}

TEST_F(CheckCommandTest, EverydayExpressionProblemsAreReportedWithLines) {
  const fs::path root = copy_fixture("valid");
  std::string yaml;
  {
    std::ifstream in(root / "taxonomy.yaml");
    yaml.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  const int last = static_cast<int>(std::count(yaml.begin(), yaml.end(), '\n'));
  yaml += "expressions:\n"
          "  aiuto e relazioni:\n"
          "    \"dare una mano\": [aiutare, aiuto]\n"
          "    mano: [aiuto]\n"
          "  spostamenti:\n"
          "    \"dare una mano\": [aiutare]\n";
  std::ofstream(root / "taxonomy.yaml") << yaml;
  EXPECT_EQ(check({"--content", root.string()}), 1);
  const std::string file = (root / "taxonomy.yaml").generic_string();
  EXPECT_TRUE(printed(file + ":" + std::to_string(last + 4) + ": expressions 'mano': un modo di dire ha almeno due parole")) << out_;
  EXPECT_TRUE(printed(file + ":" + std::to_string(last + 6) + ": expressions 'dare una mano': compare già alla riga " +
                      std::to_string(last + 3)))
      << out_;
}

TEST_F(CheckCommandTest, UnusableTaxonomyStopsTheCheck) {
  const fs::path root = copy_fixture("valid");
  std::ofstream(root / "taxonomy.yaml") << "hubs: [a, b\n";
  EXPECT_EQ(check({"--content", root.string()}), 1);
  EXPECT_TRUE(printed("taxonomy.yaml:2: YAML non valido")) << out_;
  EXPECT_TRUE(printed("le schede non sono state controllate")) << out_;
}

// A list's key renamed (here in Italian) is one error on taxonomy.yaml with
// the key meant, not an "unknown theme" on every case file.
TEST_F(CheckCommandTest, ATaxonomyWithoutItsThemesStopsTheCheckAndSaysWhichKey) {
  const fs::path root = copy_fixture("valid");
  std::string yaml;
  {
    std::ifstream in(root / "taxonomy.yaml");
    yaml.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  const std::size_t at = yaml.find("\nthemes:");
  ASSERT_NE(at, std::string::npos);
  yaml.replace(at, 8, "\ntemi:");
  const int line = static_cast<int>(std::count(yaml.begin(), yaml.begin() + at + 1, '\n')) + 1;
  std::ofstream(root / "taxonomy.yaml") << yaml;
  EXPECT_EQ(check({"--content", root.string()}), 1);
  const std::string file = (root / "taxonomy.yaml").generic_string();
  EXPECT_TRUE(printed(": manca l'elenco 'themes'")) << out_;
  EXPECT_TRUE(
      printed(file + ":" + std::to_string(line) + ": attenzione: campo sconosciuto 'temi' (ignorato): forse 'themes'?"))
      << out_;
  EXPECT_TRUE(printed("le schede non sono state controllate")) << out_;
  EXPECT_FALSE(printed("tema sconosciuto")) << out_;
}

TEST_F(CheckCommandTest, ProgrammeFileIsCheckedByTheCatalogue) {
  const fs::path root = copy_fixture("valid");
  const fs::path programme = root / "programme.yaml";
  std::ofstream(programme) << "title: a\n";
  EXPECT_EQ(check({"--content", root.string(), programme.string()}), 1);
  EXPECT_TRUE(printed(programme.generic_string() + ":1: ")) << out_;
  EXPECT_TRUE(printed("in 0 schede")) << out_;
  // The whole-library check includes it too.
  EXPECT_EQ(check({"--content", root.string()}), 1);
  EXPECT_TRUE(printed(programme.generic_string() + ":1: ")) << out_;
}

TEST_F(CheckCommandTest, ProgrammeErrorsReadLikeCaseFileErrors) {
  const fs::path root = copy_fixture("valid");
  const fs::path programme = root / "programme.yaml";
  std::ofstream(programme) << "version: 1\n"
                              "targets: {modulo: 60}\n"
                              "targets: {modulo: 70}\n"
                              "activities:\n"
                              "\t- id: m01\n";
  EXPECT_EQ(check({"--content", root.string(), programme.string()}), 1);
  EXPECT_TRUE(printed(programme.generic_string() +
                      ":5: tabulazione usata per il rientro: in YAML il rientro si fa solo con gli spazi"))
      << out_;
}

// A theme's slug mistyped in taxonomy.yaml: every case file using the right
// slug fails. The check says so on the taxonomy's line, first, and the
// files' errors point there instead of suggesting the mistyped slug.
TEST_F(CheckCommandTest, ASlugMistypedInTheTaxonomyIsReportedOnItsLine) {
  const fs::path root = copy_fixture("library");
  const fs::path taxonomy = root / "taxonomy.yaml";
  std::string text = read_file(taxonomy).value();
  const std::size_t at = text.find("slug: comunita-energetiche");
  ASSERT_NE(at, std::string::npos);
  const int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
  text.replace(at, std::string("slug: comunita-energetiche").size(), "slug: comunita-energetice");
  std::ofstream(taxonomy, std::ios::trunc) << text;

  const std::string on_taxonomy = taxonomy.generic_string() + ":" + std::to_string(line) +
                                  ": tema 'comunita-energetice': non lo usa nessun file, mentre 2 schede usano "
                                  "'comunita-energetiche', che taxonomy.yaml non ha: se 'comunita-energetice' è "
                                  "scritto male, correggilo qui";
  const std::string on_file = (root / "practices/nord/cer-pinerolese.md").generic_string() +
                              ":7: tema sconosciuto 'comunita-energetiche': taxonomy.yaml:" + std::to_string(line) +
                              " ha 'comunita-energetice', che nessun file usa: forse è scritto male lì";
  EXPECT_EQ(check({"--content", root.string()}), 1);
  ASSERT_TRUE(printed(on_taxonomy)) << out_;
  EXPECT_LT(out_.find(on_taxonomy), out_.find("/practices/")) << "the cause comes before what it causes";
  EXPECT_TRUE(printed(on_file)) << out_;
  EXPECT_FALSE(printed("forse 'comunita-energetice'?")) << out_;
  // As the pre-commit hook asks when taxonomy.yaml changed.
  EXPECT_EQ(check({"--content", root.string(), taxonomy.string(), (root / "practices").string()}), 1);
  EXPECT_TRUE(printed(on_taxonomy)) << out_;
  EXPECT_TRUE(printed(on_file)) << out_;

  // One file alone with an unknown value: its own typo, as before.
  text.replace(text.find("slug: comunita-energetice"), std::string("slug: comunita-energetice").size(),
               "slug: comunita-energetiche");
  std::ofstream(taxonomy, std::ios::trunc) << text;
  const fs::path lecce = root / "practices/sud/cer-solidale-lecce.md";
  std::string lecce_text = read_file(lecce).value();
  lecce_text.replace(lecce_text.find("comunita-energetiche"), std::string("comunita-energetiche").size(),
                     "comunita-energetice");
  std::ofstream(lecce, std::ios::trunc) << lecce_text;
  EXPECT_EQ(check({"--content", root.string()}), 1);
  EXPECT_TRUE(
      printed(lecce.generic_string() + ":7: tema sconosciuto 'comunita-energetice': forse 'comunita-energetiche'?"))
      << out_;
  EXPECT_FALSE(printed("nessun file")) << out_;

  // Both files with the same typo, the theme now used by no file: the
  // taxonomy's slug is the one its label spells, so the files are wrong.
  const fs::path pinerolo = root / "practices/nord/cer-pinerolese.md";
  std::string pinerolo_text = read_file(pinerolo).value();
  pinerolo_text.replace(pinerolo_text.find("comunita-energetiche"), std::string("comunita-energetiche").size(),
                        "comunita-energetice");
  std::ofstream(pinerolo, std::ios::trunc) << pinerolo_text;
  EXPECT_EQ(check({"--content", root.string()}), 1);
  EXPECT_TRUE(printed(pinerolo.generic_string() +
                      ":7: tema sconosciuto 'comunita-energetice': forse 'comunita-energetiche'?"))
      << out_;
  EXPECT_FALSE(printed("nessun file")) << out_;
}

TEST_F(CheckCommandTest, OtherYamlFilesAreRefused) {
  const fs::path root = copy_fixture("valid");
  std::ofstream(root / "altro.yaml") << "a: 1\n";
  EXPECT_EQ(check({"--content", root.string(), (root / "altro.yaml").string()}), 1);
  EXPECT_TRUE(printed("altro.yaml: non è un file della biblioteca")) << out_;
}

// The starter library must stay free of errors (warnings are allowed).
TEST_F(CheckCommandTest, StarterLibraryHasNoErrors) {
  const fs::path content = fs::path(BP_SOURCE_DIR) / "library-content";
  if (!fs::exists(content / "taxonomy.yaml")) GTEST_SKIP() << "no library-content yet";
  EXPECT_EQ(check({"--content", content.string()}), 0) << out_;
  const std::size_t last = out_.rfind('\n', out_.size() - 2);
  const std::string summary = last == std::string::npos ? out_ : out_.substr(last + 1);
  EXPECT_EQ(summary.rfind("0 errori e ", 0), 0u) << out_;
}

TEST_F(CheckCommandTest, UsageErrorsExitWithTwo) {
  EXPECT_EQ(check({"--content"}), 2);
  EXPECT_NE(err_.find("bp-index check: manca il valore dopo --content"), std::string::npos) << err_;
  EXPECT_EQ(check({"--bogus"}), 2);
  EXPECT_NE(err_.find("opzione sconosciuta '--bogus'"), std::string::npos);
  EXPECT_EQ(check({"--content", (dir_ / "nessuna").string()}), 2);
  EXPECT_NE(err_.find("non esiste"), std::string::npos);
  EXPECT_EQ(check({"--help"}), 0);
  EXPECT_NE(out_.find("uso: bp-index check"), std::string::npos);
}

TEST_F(CheckCommandTest, NoProgressWhenStderrIsNotATerminal) {
  const fs::path root = copy_fixture("valid");
  for (int i = 0; i < 210; ++i)
    std::ofstream(root / ("practices/sud/p" + std::to_string(i) + ".md"))
        << "---\ntitle: Energia condivisa " << i
        << "\nsummary: b\nhub: sud\nregion: puglia\nthemes: [comunita-energetiche]\n"
           "dimensions: [sociale]\n---\nTesto\n";
  EXPECT_EQ(check({"--content", root.string()}), 0) << out_;
  EXPECT_EQ(out_, "0 errori e 0 avvisi in 212 schede\n");
  EXPECT_EQ(err_, "");
}

}  // namespace
}  // namespace bp::indexer
