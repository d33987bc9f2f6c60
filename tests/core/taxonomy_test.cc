// Loading taxonomy.yaml: vocabularies, synonyms, suggestions, and the
// problems of the file itself reported with their lines.
#include "bp/taxonomy.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "temp_dir.h"

namespace bp {
namespace {

namespace fs = std::filesystem;
using test_util::TempDir;

const fs::path kFixture = fs::path(BP_SOURCE_DIR) / "tests/fixtures/valid/taxonomy.yaml";

Taxonomy fixture() {
  Diagnostics d;
  auto t = Taxonomy::load(kFixture, &d);
  EXPECT_TRUE(t);
  EXPECT_TRUE(d.empty()) << (d.empty() ? "" : d[0].format());
  return t.value_or(Taxonomy());
}

// Loads `yaml` as "taxonomy.yaml" and returns the problems found.
Diagnostics problems(const std::string& yaml, bool* usable = nullptr) {
  Diagnostics d;
  auto t = Taxonomy::from_yaml(yaml, "taxonomy.yaml", &d);
  if (usable) *usable = t.has_value();
  return d;
}

const Diagnostic* find(const Diagnostics& d, const std::string& words) {
  for (const auto& x : d)
    if (x.message.find(words) != std::string::npos) return &x;
  return nullptr;
}

// The line of the first diagnostic whose message has `words`; -1 when none.
int line_of(const Diagnostics& d, const std::string& words) {
  const Diagnostic* x = find(d, words);
  return x == nullptr ? -1 : x->line;
}

constexpr const char* kMinimal =
    "version: 1\n"
    "hubs:\n"
    "  - {slug: nord, label: Nord}\n"
    "  - {slug: centro, label: Centro}\n"
    "dimensions:\n"
    "  - {slug: sociale, label: Sociale}\n"
    "regions:\n"
    "  - {slug: piemonte, label: Piemonte, hub: nord}\n"
    "themes:\n"
    "  - {slug: beni-comuni, label: Beni comuni}\n"
    "sdgs:\n"
    "  - {number: 1, label: Povertà}\n"
    "audiences:\n"
    "  - {slug: volontari, label: Volontari}\n"
    "macro_actions:\n"
    "  - {id: a1, label: Economica}\n"
    "modules:\n"
    "  - {id: m01, macro_action: a1, label: Economia sociale}\n";

TEST(Taxonomy, LoadsEveryVocabulary) {
  const Taxonomy t = fixture();
  for (const char* name : {"hub", "region", "theme", "dimension", "sdg", "audience", "module", "macro_action"})
    EXPECT_NE(t.vocabulary(name), nullptr) << name;
  EXPECT_EQ(t.vocabulary("nope"), nullptr);
  EXPECT_EQ(t.vocabulary("hub")->slugs(), (std::vector<std::string>{"nord", "centro", "sud"}));
  const Term* gas = t.vocabulary("theme")->find("gruppi-di-acquisto-solidale");
  ASSERT_NE(gas, nullptr);
  EXPECT_EQ(gas->label, "Gruppi di acquisto solidale");
  EXPECT_EQ(gas->label_en, "Solidarity purchasing groups");
  EXPECT_EQ(gas->synonyms.front(), "gas");
  EXPECT_EQ(t.vocabulary("sdg")->find("12")->color, "#BF8B2E");
  EXPECT_EQ(t.vocabulary("module")->find("m10")->group, "a3");
}

TEST(Taxonomy, MapsRegionsToHubs) {
  const Taxonomy t = fixture();
  EXPECT_EQ(t.hub_of_region("toscana"), "centro");
  EXPECT_EQ(t.hub_of_region("valle-d-aosta"), "nord");
  EXPECT_EQ(t.hub_of_region("atlantide"), "");
}

TEST(Taxonomy, CollectsSynonymGroups) {
  const Taxonomy t = fixture();
  bool gas = false, bici = false;
  for (const auto& g : t.synonyms()) {
    // The label, its three synonyms, its everyday words, its English label
    // and English synonyms.
    if (g.terms.front() == "Gruppi di acquisto solidale" && g.terms.size() == 7 &&
        g.terms[5] == "Solidarity purchasing groups" && g.terms.back() == "buying group")
      gas = true;
    if (g.terms == std::vector<std::string>{"bici", "bicicletta"}) bici = true;
  }
  EXPECT_TRUE(gas);
  EXPECT_TRUE(bici);
}

TEST(Taxonomy, ClosestSuggestsNearMisses) {
  const Taxonomy t = fixture();
  EXPECT_EQ(t.closest("theme", "economia-circulare"), "economia-circolare");
  EXPECT_EQ(t.closest("theme", "Economia Circolare"), "economia-circolare");
  EXPECT_EQ(t.closest("theme", "contrasto alla povertà"), "contrasto-alla-poverta");
  EXPECT_EQ(t.closest("theme", "GAS"), "gruppi-di-acquisto-solidale");
  EXPECT_EQ(t.closest("region", "Valle d'Aosta"), "valle-d-aosta");
  EXPECT_EQ(t.closest("region", "Valle d’Aosta"), "valle-d-aosta");
  EXPECT_EQ(t.closest("region", "toscanna"), "toscana");
  EXPECT_EQ(t.closest("hub", "Nord"), "nord");
  EXPECT_EQ(t.closest("theme", "astronautica"), "");
  EXPECT_EQ(t.closest("theme", ""), "");
  EXPECT_EQ(t.closest("nope", "x"), "");
}

TEST(Taxonomy, SlugForLabelOnlyMatchesLabels) {
  const Taxonomy t = fixture();
  EXPECT_EQ(t.slug_for_label("region", "Valle d'Aosta"), "valle-d-aosta");
  EXPECT_EQ(t.slug_for_label("region", "VALLE D'AOSTA"), "valle-d-aosta");
  EXPECT_EQ(t.slug_for_label("theme", "Circular economy"), "economia-circolare");
  EXPECT_EQ(t.slug_for_label("theme", "economia-circulare"), "");
}

TEST(Taxonomy, AcceptsTheRealLibraryTaxonomy) {
  const fs::path real = fs::path(BP_SOURCE_DIR) / "library-content/taxonomy.yaml";
  if (!fs::exists(real)) GTEST_SKIP() << "no library-content/taxonomy.yaml yet";
  Diagnostics d;
  auto t = Taxonomy::load(real, &d);
  ASSERT_TRUE(t);
  EXPECT_TRUE(d.empty()) << d[0].format();
  EXPECT_EQ(t->vocabulary("region")->terms.size(), 20u);
  EXPECT_EQ(t->vocabulary("sdg")->terms.size(), 17u);
  EXPECT_EQ(t->vocabulary("module")->terms.size(), 12u);
}

// The index keeps the parsed taxonomy (Taxonomy::to_bytes) so that an
// incremental build does not parse the YAML again: it must give back every
// vocabulary, synonym group and acronym, and the warnings of the file.
TEST(Taxonomy, BytesGiveBackTheSameTaxonomyAndItsWarnings) {
  const fs::path real = fs::path(BP_SOURCE_DIR) / "library-content/taxonomy.yaml";
  for (const fs::path& file : {kFixture, real}) {
    if (!fs::exists(file)) continue;
    Diagnostics d;
    auto t = Taxonomy::load(file, &d);
    ASSERT_TRUE(t) << file;
    const std::string bytes = t->to_bytes(d, file.generic_string());
    Diagnostics again;
    auto back = Taxonomy::from_bytes(bytes, file.generic_string(), &again);
    ASSERT_TRUE(back) << file;
    EXPECT_TRUE(*back == *t) << file;
    EXPECT_EQ(back->synonyms().size(), t->synonyms().size());
    EXPECT_EQ(back->acronyms().size(), t->acronyms().size());
    EXPECT_EQ(back->label("theme", "economia-circolare"), t->label("theme", "economia-circolare"));
    EXPECT_TRUE(again.empty());
  }

  std::string yaml = kMinimal;
  yaml += "colori: [rosso]\n";
  Diagnostics d;
  auto t = Taxonomy::from_yaml(yaml, "contenuti/taxonomy.yaml", &d);
  ASSERT_TRUE(t);
  ASSERT_EQ(d.size(), 1u);
  const std::string bytes = t->to_bytes(d, "contenuti/taxonomy.yaml");
  // Read back for a content folder spelled another way: the warning names it.
  Diagnostics again;
  auto back = Taxonomy::from_bytes(bytes, "./contenuti/taxonomy.yaml", &again);
  ASSERT_TRUE(back);
  EXPECT_TRUE(*back == *t);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].file, "./contenuti/taxonomy.yaml");
  EXPECT_EQ(again[0].line, d[0].line);
  EXPECT_EQ(again[0].severity, Severity::kWarning);
  EXPECT_EQ(again[0].message, d[0].message);
  EXPECT_EQ(back->vocabulary("region")->find("piemonte")->hub, "nord");

  // Anything else is not taken for a taxonomy.
  EXPECT_FALSE(Taxonomy::from_bytes("", "t.yaml", nullptr));
  EXPECT_FALSE(Taxonomy::from_bytes(bytes.substr(0, bytes.size() - 1), "t.yaml", nullptr));
  EXPECT_FALSE(Taxonomy::from_bytes(bytes + "x", "t.yaml", nullptr));
  EXPECT_FALSE(Taxonomy::from_bytes(std::string(1, static_cast<char>(bytes[0] + 1)) + bytes.substr(1),
                                    "t.yaml", nullptr));
}

TEST(Taxonomy, MinimalFileHasNoProblems) {
  bool usable = false;
  EXPECT_TRUE(problems(kMinimal, &usable).empty());
  EXPECT_TRUE(usable);
}

TEST(Taxonomy, ReportsRegionWithUnknownHubOnItsLine) {
  std::string yaml = kMinimal;
  yaml += "";
  yaml.replace(yaml.find("hub: nord}"), 10, "hub: nrod}");
  const Diagnostics d = problems(yaml);
  const Diagnostic* x = find(d, "hub sconosciuto 'nrod'");
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(x->line, 8);
  EXPECT_EQ(x->file, "taxonomy.yaml");
  EXPECT_NE(x->message.find("forse 'nord'?"), std::string::npos);
}

TEST(Taxonomy, ReportsDuplicateAndInvalidSlugs) {
  std::string yaml = kMinimal;
  yaml += "";
  yaml.insert(yaml.find("sdgs:"), "  - {slug: beni-comuni, label: Ancora}\n  - {slug: Beni Comuni, label: X}\n");
  const Diagnostics d = problems(yaml);
  const Diagnostic* dup = find(d, "'beni-comuni' compare due volte");
  ASSERT_NE(dup, nullptr);
  EXPECT_EQ(dup->line, 11);
  const Diagnostic* bad = find(d, "non è uno slug valido");
  ASSERT_NE(bad, nullptr);
  EXPECT_EQ(bad->line, 12);
  EXPECT_NE(bad->message.find("forse 'beni-comuni'?"), std::string::npos);
}

TEST(Taxonomy, ReportsMissingLabelAndBadSdgNumber) {
  std::string yaml = kMinimal;
  yaml.replace(yaml.find("{slug: sociale, label: Sociale}"), 31, "{slug: sociale}");
  yaml.replace(yaml.find("number: 1,"), 10, "number: 18,");
  const Diagnostics d = problems(yaml);
  const Diagnostic* label = find(d, "manca il campo 'label'");
  ASSERT_NE(label, nullptr);
  EXPECT_EQ(label->line, 6);
  const Diagnostic* sdg = find(d, "da 1 a 17");
  ASSERT_NE(sdg, nullptr);
  EXPECT_EQ(sdg->line, 12);
}

TEST(Taxonomy, ReportsMissingListAndUnknownFields) {
  std::string yaml = kMinimal;
  yaml.erase(yaml.find("audiences:"), std::string("audiences:\n  - {slug: volontari, label: Volontari}\n").size());
  yaml += "colori: [rosso]\n";
  const Diagnostics d = problems(yaml);
  const Diagnostic* missing = find(d, "manca l'elenco 'audiences'");
  ASSERT_NE(missing, nullptr);
  EXPECT_EQ(missing->severity, Severity::kError);
  const Diagnostic* unknown = find(d, "campo sconosciuto 'colori'");
  ASSERT_NE(unknown, nullptr);
  EXPECT_EQ(unknown->severity, Severity::kWarning);
  EXPECT_EQ(unknown->line, 17);
}

TEST(Taxonomy, ReportsBadSynonymGroups) {
  std::string yaml = kMinimal;
  yaml += "synonyms:\n  - [cer, \"comunità energetica\"]\n  - solo\n";
  const Diagnostics d = problems(yaml);
  const Diagnostic* x = find(d, "almeno due parole");
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(x->line, 21);
}

TEST(Taxonomy, AcronymsEverydayAndEnglishWordsAreSearchSynonyms) {
  std::string yaml = kMinimal;
  // The theme's line is replaced by one with everyday and English words.
  yaml.replace(yaml.find("  - {slug: beni-comuni, label: Beni comuni}\n"),
               std::string("  - {slug: beni-comuni, label: Beni comuni}\n").size(),
               "  - {slug: beni-comuni, label: Beni comuni, label_en: Commons, synonyms: [bene comune],\n"
               "     everyday: [giardinetto], synonyms_en: [common goods]}\n");
  yaml += "acronyms:\n"
          "  - {acronym: APS, expansion: \"associazione di promozione sociale\", en: \"social promotion association\", area: terzo settore}\n"
          "  - {acronym: UEPE, expansion: [\"ufficio per l'esecuzione penale esterna\", \"ufficio di esecuzione penale esterna\"]}\n";
  Diagnostics d;
  auto t = Taxonomy::from_yaml(yaml, "taxonomy.yaml", &d);
  ASSERT_TRUE(t);
  EXPECT_TRUE(d.empty()) << (d.empty() ? "" : d[0].format());
  ASSERT_EQ(t->acronyms().size(), 2u);
  EXPECT_EQ(t->acronyms()[1].expansion.size(), 2u);
  auto has_group = [&](const std::vector<std::string>& terms) {
    for (const auto& g : t->synonyms())
      if (g.terms == terms) return true;
    return false;
  };
  EXPECT_TRUE(has_group({"Beni comuni", "bene comune", "giardinetto", "Commons", "common goods"}));
  EXPECT_TRUE(has_group({"APS", "associazione di promozione sociale", "social promotion association"}));
  EXPECT_TRUE(has_group({"Nord", "North"}) || t->vocabulary("hub")->find("nord")->label_en.empty());
}

TEST(Taxonomy, ReportsBadAcronymsOnTheirLines) {
  std::string yaml = kMinimal;  // 18 lines
  yaml +=
      "acronyms:\n"                                                    // 19
      "  - {acronym: APS, expansion: \"promozione sociale\"}\n"        // 20
      "  - {acronym: aps, expansion: \"di nuovo\"}\n"                  // 21
      "  - {acronym: \"O.D.V.\", expansion: \"volontariato\"}\n"       // 22
      "  - {acronym: CSV}\n"                                           // 23
      "  - {acronym: BES, expansion: \"bisogni\", colore: blu}\n"      // 24
      "  - {acronym: DSA, expansion: \"disturbi\", lowercase: sì}\n";  // 25
  const Diagnostics d = problems(yaml);
  const Diagnostic* lowercase = find(d, "'lowercase' è true");
  ASSERT_NE(lowercase, nullptr);
  EXPECT_EQ(lowercase->line, 25);
  const Diagnostic* twice = find(d, "compare due volte");
  ASSERT_NE(twice, nullptr);
  EXPECT_EQ(twice->line, 21);
  const Diagnostic* shape = find(d, "2-10 lettere o cifre");
  ASSERT_NE(shape, nullptr);
  EXPECT_EQ(shape->line, 22);
  const Diagnostic* missing = find(d, "manca 'expansion'");
  ASSERT_NE(missing, nullptr);
  EXPECT_EQ(missing->line, 23);
  const Diagnostic* unknown = find(d, "campo sconosciuto 'colore'");
  ASSERT_NE(unknown, nullptr);
  EXPECT_EQ(unknown->line, 24);
  EXPECT_EQ(unknown->severity, Severity::kWarning);
}

TEST(Taxonomy, LoadsEverydayExpressionsByDomain) {
  std::string yaml = kMinimal;
  yaml += "expressions:\n"
          "  aiuto e relazioni:\n"
          "    \"dare una mano\": [aiutare, aiuto]\n"
          "    \"tenere d'occhio\": controllare\n"
          "  spostamenti:\n"
          "    \"due ruote\": [bicicletta]\n";
  Diagnostics d;
  auto t = Taxonomy::from_yaml(yaml, "taxonomy.yaml", &d);
  ASSERT_TRUE(t);
  EXPECT_TRUE(d.empty()) << (d.empty() ? "" : d[0].format());
  ASSERT_EQ(t->expressions().size(), 3u);
  EXPECT_EQ(t->expressions()[0].phrase, "dare una mano");
  EXPECT_EQ(t->expressions()[0].means, (std::vector<std::string>{"aiutare", "aiuto"}));
  EXPECT_EQ(t->expressions()[0].domain, "aiuto e relazioni");
  EXPECT_EQ(t->expressions()[1].means, std::vector<std::string>{"controllare"});
  EXPECT_EQ(t->expressions()[2].domain, "spostamenti");
  // One way only: the expressions are no synonym groups ("aiutare" does not
  // mean "dare una mano").
  for (const auto& g : t->synonyms())
    for (const auto& term : g.terms) EXPECT_NE(term, "dare una mano");
  // Kept in the index's copy of the taxonomy.
  auto back = Taxonomy::from_bytes(t->to_bytes(d, "taxonomy.yaml"), "taxonomy.yaml", nullptr);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->expressions(), t->expressions());
}

TEST(Taxonomy, ReportsBadExpressionsOnTheirLines) {
  std::string yaml = kMinimal;  // 18 lines
  yaml += "expressions:\n"                                    // 19
          "  aiuto e relazioni:\n"                            // 20
          "    \"dare una mano\": [aiutare, aiuto]\n"         // 21
          "    mano: [aiuto]\n"                               // 22
          "    \"di la\": [qui]\n"                            // 23
          "    \"fare rete\":\n"                              // 24
          "  soldi e lavoro:\n"                               // 25
          "    \"Dare una mano\": [aiutare]\n"                // 26
          "    \"fine mese\": [\"fine mese\"]\n"              // 27
          "  tempo: [estate]\n";                              // 28
  const Diagnostics d = problems(yaml);
  EXPECT_EQ(line_of(d, "expressions 'mano': un modo di dire ha almeno due parole"), 22);
  EXPECT_EQ(line_of(d, "expressions 'di la': un modo di dire ha almeno due parole"), 23);
  EXPECT_EQ(line_of(d, "expressions 'fare rete': mancano le parole semplici"), 24);
  EXPECT_EQ(line_of(d, "expressions 'Dare una mano': compare già alla riga 21"), 26);
  EXPECT_EQ(line_of(d, "c'è l'espressione stessa"), 27);
  EXPECT_EQ(line_of(d, "expressions 'tempo': l'area deve elencare"), 28);
  for (const auto& x : d) EXPECT_EQ(x.severity, Severity::kError) << x.format();
  EXPECT_EQ(d.size(), 6u);
}

TEST(Taxonomy, LoadsEverydayWordsOneWay) {
  std::string yaml = kMinimal;
  yaml += "everyday_words:\n"
          "  spiaggia: [sabbia, lido]\n"
          "  rifiuti: [immondizia]\n";
  Diagnostics d;
  auto t = Taxonomy::from_yaml(yaml, "taxonomy.yaml", &d);
  ASSERT_TRUE(t);
  EXPECT_TRUE(d.empty()) << (d.empty() ? "" : d[0].format());
  ASSERT_EQ(t->everyday_words().size(), 2u);
  EXPECT_EQ(t->everyday_words()[0].word, "spiaggia");
  EXPECT_EQ(t->everyday_words()[0].everyday, (std::vector<std::string>{"sabbia", "lido"}));
  // One way only: no synonym group ("spiaggia" does not mean "sabbia").
  for (const auto& g : t->synonyms())
    for (const auto& term : g.terms) EXPECT_NE(term, "sabbia");
  // Kept in the index's copy of the taxonomy.
  auto back = Taxonomy::from_bytes(t->to_bytes(d, "taxonomy.yaml"), "taxonomy.yaml", nullptr);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->everyday_words(), t->everyday_words());
}

TEST(Taxonomy, ReportsBadEverydayWordsOnTheirLines) {
  std::string yaml = kMinimal;  // 18 lines
  yaml += "everyday_words:\n"                          // 19
          "  spiaggia: [sabbia, lido]\n"               // 20
          "  \"piano terra\": [pianterreno]\n"        // 21
          "  rifiuti:\n"                               // 22
          "  mare: [\"in riva\", onde]\n"              // 23
          "  arenile: [sabbia]\n"                      // 24
          "  orto: [orto]\n"                           // 25
          "  Spiaggia: [battigia]\n";                  // 26
  const Diagnostics d = problems(yaml);
  EXPECT_EQ(line_of(d, "everyday_words 'piano terra': la parola delle schede è una parola sola"), 21);
  EXPECT_EQ(line_of(d, "everyday_words 'rifiuti': mancano le parole di tutti i giorni"), 22);
  EXPECT_EQ(line_of(d, "'in riva' non è una parola sola"), 23);
  EXPECT_EQ(line_of(d, "'sabbia' è già di 'spiaggia' alla riga 20"), 24);
  EXPECT_EQ(line_of(d, "everyday_words 'orto': tra le parole di tutti i giorni c'è la parola stessa"), 25);
  EXPECT_EQ(line_of(d, "everyday_words 'Spiaggia': compare già alla riga 20"), 26);
  for (const auto& x : d) EXPECT_EQ(x.severity, Severity::kError) << x.format();
  EXPECT_EQ(d.size(), 6u);
}

TEST(Taxonomy, LoadsBlockedExpansions) {
  std::string yaml = kMinimal;  // 18 lines
  yaml += "# Espansioni da non usare.\n"           // 19
          "blocked_expansions:\n"                   // 20
          "  ospizio: [asilo]\n"                    // 21
          "  Comunità: [\"casa di riposo\", ente]\n";  // 22
  Diagnostics d;
  auto t = Taxonomy::from_yaml(yaml, "taxonomy.yaml", &d);
  ASSERT_TRUE(t);
  EXPECT_TRUE(d.empty()) << (d.empty() ? "" : d[0].format());
  ASSERT_EQ(t->blocked_expansions().size(), 2u);
  EXPECT_EQ(t->blocked_expansions()[0].word, "ospizio");
  EXPECT_EQ(t->blocked_expansions()[0].blocked, (std::vector<std::string>{"asilo"}));
  EXPECT_EQ(t->blocked_expansions()[0].line, 21);
  EXPECT_EQ(t->blocked_expansions()[1].word, "Comunità");
  EXPECT_EQ(t->blocked_expansions()[1].blocked, (std::vector<std::string>{"casa di riposo", "ente"}));
  EXPECT_EQ(t->blocked_expansions()[1].line, 22);
  // Not a synonym group, nor a vocabulary.
  for (const auto& g : t->synonyms())
    for (const auto& term : g.terms) EXPECT_NE(term, "asilo");
  // Kept in the index's copy of the taxonomy, lines included.
  auto back = Taxonomy::from_bytes(t->to_bytes(d, "taxonomy.yaml"), "taxonomy.yaml", nullptr);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->blocked_expansions(), t->blocked_expansions());
  EXPECT_EQ(*back, *t);
  // Optional: a taxonomy without it has none.
  auto none = Taxonomy::from_yaml(kMinimal, "taxonomy.yaml", nullptr);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->blocked_expansions().empty());
}

TEST(Taxonomy, ReportsBadBlockedExpansionsOnTheirLines) {
  std::string yaml = kMinimal;  // 18 lines
  yaml += "blocked_expansions:\n"              // 19
          "  ospizio: [asilo]\n"               // 20
          "  anziani: []\n"                    // 21
          "  vecchi:\n"                        // 22
          "  nonni: nonne\n"                   // 23
          "  asilo: [Asilo]\n"                 // 24
          "  Ospizio: [ricovero]\n"            // 25
          "  \"casa di riposo\": [ospizio]\n"  // 26
          "  orto: [giardino, Giardino]\n";     // 27
  const Diagnostics d = problems(yaml);
  EXPECT_EQ(line_of(d, "blocked_expansions 'anziani': la lista è vuota"), 21);
  EXPECT_EQ(line_of(d, "blocked_expansions 'vecchi': le parole da non cercare vanno in una lista"), 22);
  EXPECT_EQ(line_of(d, "blocked_expansions 'nonni': le parole da non cercare vanno in una lista"), 23);
  EXPECT_EQ(line_of(d, "blocked_expansions 'asilo': tra le parole da non cercare c'è la parola stessa"), 24);
  EXPECT_EQ(line_of(d, "blocked_expansions 'Ospizio': compare già alla riga 20"), 25);
  EXPECT_EQ(line_of(d, "blocked_expansions 'casa di riposo': la parola cercata è una parola sola"), 26);
  EXPECT_EQ(line_of(d, "blocked_expansions 'orto': 'Giardino' compare due volte"), 27);
  for (const auto& x : d) EXPECT_EQ(x.severity, Severity::kError) << x.format();
  EXPECT_EQ(d.size(), 7u);
  // Only the good entry is kept.
  auto t = Taxonomy::from_yaml(yaml, "taxonomy.yaml", nullptr);
  ASSERT_TRUE(t);
  ASSERT_EQ(t->blocked_expansions().size(), 1u);
  EXPECT_EQ(t->blocked_expansions()[0].word, "ospizio");
  // Not a map: one error on its line; a word written twice the same way
  // is YAML's duplicate key.
  std::string list = kMinimal;
  list += "blocked_expansions:\n  - ospizio\n";
  const Diagnostics shape = problems(list);
  ASSERT_EQ(shape.size(), 1u);
  EXPECT_EQ(shape[0].line, 20);
  EXPECT_EQ(shape[0].severity, Severity::kError);
  EXPECT_NE(shape[0].message.find("'blocked_expansions' deve elencare"), std::string::npos) << shape[0].format();
  std::string twice = kMinimal;
  twice += "blocked_expansions:\n  ospizio: [asilo]\n  ospizio: [ricovero]\n";
  const Diagnostic* dup = find(problems(twice), "chiave duplicata 'ospizio'");
  ASSERT_NE(dup, nullptr);
  EXPECT_EQ(dup->line, 21);
}

TEST(Taxonomy, InvalidYamlIsNotUsable) {
  bool usable = true;
  const Diagnostics d = problems("hubs:\n  - {slug: nord, label: Nord\n", &usable);
  EXPECT_FALSE(usable);
  ASSERT_FALSE(d.empty());
  EXPECT_NE(d[0].message.find("YAML non valido"), std::string::npos);
  EXPECT_FALSE(problems("- a\n- b\n", &usable).empty());
  EXPECT_FALSE(usable);
}

TEST(Taxonomy, DuplicateKeysAndTabsAreReported) {
  std::string yaml = kMinimal;
  yaml += "version: 1\n";
  const Diagnostic* dup = find(problems(yaml), "chiave duplicata 'version'");
  ASSERT_NE(dup, nullptr);
  EXPECT_EQ(dup->line, 19);
  const Diagnostic* tab = find(problems("version: 1\nhubs:\n\t- {slug: nord, label: Nord}\n"), "tabulazione");
  ASSERT_NE(tab, nullptr);
  EXPECT_EQ(tab->line, 3);
}

TEST(Taxonomy, UnreadableFileIsReported) {
  Diagnostics d;
  EXPECT_FALSE(Taxonomy::load("/nonexistent/taxonomy.yaml", &d));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_NE(d[0].message.find("impossibile leggere"), std::string::npos);
}

TEST(Taxonomy, CheckWarnsOfMissingEverydayAndEnglishNames) {
  // kMinimal's theme has no everyday or English words, and no term has an
  // English label: `bp-index check` says so, one warning each.
  const Taxonomy t = [] {
    auto loaded = Taxonomy::from_yaml(kMinimal, "taxonomy.yaml", nullptr);
    return loaded.value_or(Taxonomy());
  }();
  const Diagnostics d = missing_search_names(t, "taxonomy.yaml");
  const Diagnostic* everyday = find(d, "tema 'beni-comuni': manca 'everyday'");
  ASSERT_NE(everyday, nullptr);
  EXPECT_EQ(everyday->severity, Severity::kWarning);
  EXPECT_NE(find(d, "tema 'beni-comuni': manca 'synonyms_en'"), nullptr);
  EXPECT_NE(find(d, "tema 'beni-comuni': manca 'label_en'"), nullptr);
  EXPECT_NE(find(d, "pubblico 'volontari': manca 'label_en'"), nullptr);
  EXPECT_NE(find(d, "hub 'nord': manca 'label_en'"), nullptr);
  EXPECT_NE(find(d, "dimensione 'sociale': manca 'label_en'"), nullptr);
  // Regions, SDGs and modules are not searched by English labels.
  EXPECT_EQ(find(d, "piemonte"), nullptr);
}

// The editor is sent to the term's line of the file.
TEST(Taxonomy, TheWarningsOfMissingNamesGiveTheTermsLine) {
  TempDir dir;
  const fs::path file = dir.path() / "taxonomy.yaml";
  std::ofstream(file) << kMinimal;
  auto t = Taxonomy::load(file, nullptr);
  ASSERT_TRUE(t);
  const Diagnostics d = missing_search_names(*t, file.generic_string());
  const Diagnostic* theme = find(d, "tema 'beni-comuni': manca 'everyday'");
  ASSERT_NE(theme, nullptr);
  EXPECT_EQ(theme->line, 10);  // "  - {slug: beni-comuni, ...}" in kMinimal
  const Diagnostic* hub = find(d, "hub 'centro': manca 'label_en'");
  ASSERT_NE(hub, nullptr);
  EXPECT_EQ(hub->line, 4);
}

// A file whose required list is missing or empty cannot label or check:
// load() says which list and gives no taxonomy.
TEST(Taxonomy, AFileWithoutARequiredListIsNotUsable) {
  TempDir dir;
  const fs::path file = dir.path() / "taxonomy.yaml";
  std::string yaml = kMinimal;
  yaml.replace(yaml.find("themes:\n  - {slug: beni-comuni, label: Beni comuni}\n"),
               std::string("themes:\n  - {slug: beni-comuni, label: Beni comuni}\n").size(), "themes: []\n");
  std::ofstream(file) << yaml;
  Diagnostics d;
  EXPECT_FALSE(Taxonomy::load(file, &d));
  ASSERT_NE(find(d, "l'elenco 'themes' non ha nessuna voce valida"), nullptr);
}

TEST(Taxonomy, TheRealLibraryHasEveryEverydayAndEnglishName) {
  const fs::path real = fs::path(BP_SOURCE_DIR) / "library-content/taxonomy.yaml";
  if (!fs::exists(real)) GTEST_SKIP() << "no library-content/taxonomy.yaml yet";
  auto t = Taxonomy::load(real, nullptr);
  ASSERT_TRUE(t);
  const Diagnostics d = missing_search_names(*t, real.generic_string());
  EXPECT_TRUE(d.empty()) << d[0].format();
}

TEST(Taxonomy, AnAudiencesEnglishLabelIsASearchSynonym) {
  std::string yaml = kMinimal;
  yaml.replace(yaml.find("{slug: volontari, label: Volontari}"),
               std::string("{slug: volontari, label: Volontari}").size(),
               "{slug: volontari, label: Volontari, label_en: Volunteers}");
  auto t = Taxonomy::from_yaml(yaml, "taxonomy.yaml", nullptr);
  ASSERT_TRUE(t);
  bool found = false;
  for (const auto& g : t->synonyms())
    found = found || g.terms == std::vector<std::string>{"Volontari", "Volunteers"};
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace bp
