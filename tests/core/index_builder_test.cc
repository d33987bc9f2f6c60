#include "bp/index_builder.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "analyzer.h"
#include "bp/file_bytes.h"
#include "bp/library.h"
#include "bp/taxonomy.h"
#include "child_process.h"
#include "commands.h"
#include "index_document.h"
#include "index_store.h"
#include "record_store.h"
#include "schema.h"
#include "search_document.h"
#include "temp_dir.h"

namespace bp {
namespace {

namespace fs = std::filesystem;

class IndexBuilderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    content_ = root_ / "library";
    fs::copy(fs::path(BP_SOURCE_DIR) / "tests/fixtures/library", content_,
             fs::copy_options::recursive);
    options_.content_root = content_;
    options_.index_dir = root_ / "index";
    // As in a checkout made earlier: the files are not being written while
    // the first build reads them (see RewriteWithTheSameSizeAndTimeIsPickedUp).
    for (const auto& entry : fs::recursive_directory_iterator(content_))
      if (entry.is_regular_file()) fs::last_write_time(entry.path(), an_hour_ago_);
  }

  BuildReport build(bool rebuild = false) {
    BuildOptions o = options_;
    o.rebuild = rebuild;
    Result<BuildReport> r = build_index(o);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : BuildReport{};
  }

  Xapian::Database open() {
    auto db = index_store::current_database(options_.index_dir);
    EXPECT_TRUE(db.has_value());
    return Xapian::Database(db ? db->string() : std::string());
  }

  fs::path file(const std::string& rel) { return content_ / "practices" / rel; }

  void append(const std::string& rel, const std::string& text) {
    std::ofstream(file(rel), std::ios::app) << text;
  }

  static std::set<std::string> slugs_with(const Xapian::Database& db, const std::string& term) {
    std::set<std::string> out;
    for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
      out.insert(search::summary_of(db.get_document(*it)).slug);
    }
    return out;
  }

  const fs::file_time_type an_hour_ago_ = fs::file_time_type::clock::now() - std::chrono::hours(1);
  bp::test_util::TempDir tmp_{"bp-index-test"};
  fs::path root_ = tmp_.path();
  fs::path content_;
  BuildOptions options_;
};

TEST_F(IndexBuilderTest, FullBuildIndexesEveryCaseFile) {
  const BuildReport r = build();
  EXPECT_TRUE(r.full_rebuild);
  EXPECT_EQ(r.added, 10u);
  EXPECT_EQ(r.skipped, 0u);
  EXPECT_TRUE(r.diagnostics.empty());
  EXPECT_EQ(index_store::read_current(options_.index_dir), r.database);
  Xapian::Database db = open();
  EXPECT_EQ(db.get_doccount(), 10u);
  EXPECT_EQ(db.get_metadata(std::string(schema::kMetaSchema)),
            std::to_string(schema::kSchemaVersion));
  EXPECT_EQ(db.get_termfreq("Qgas-barriera-torino"), 1u);
}

// A full build on a disk without room for the new database beside the live
// one stops before writing, says how much to free, and leaves the index
// served as it was (libxapian's commit could abort the process half-way
// and leave its shards behind). An incremental build is not held back.
TEST_F(IndexBuilderTest, AFullBuildWithoutRoomOnDiskStopsBeforeWriting) {
  build();
  const auto live = index_store::current_database(options_.index_dir);
  ASSERT_TRUE(live.has_value());
  BuildOptions o = options_;
  o.rebuild = true;
  std::uint64_t free = 10u << 20;
  o.free_bytes = [&free](const fs::path&) { return std::optional<std::uint64_t>(free); };
  Result<BuildReport> refused = build_index(o);
  ASSERT_FALSE(refused.ok());
  const std::string message = refused.status().message();
  EXPECT_NE(message.find("spazio su disco insufficiente"), std::string::npos) << message;
  EXPECT_NE(message.find("ce ne sono 10 MB"), std::string::npos) << message;
  EXPECT_NE(message.find("L'indice in uso non è stato cambiato"), std::string::npos) << message;
  EXPECT_EQ(index_store::current_database(options_.index_dir), live);
  int databases = 0;  // db-N and db-N.shard-K folders
  for (const auto& entry : fs::directory_iterator(options_.index_dir))
    databases += entry.path().filename().string().starts_with("db-");
  EXPECT_EQ(databases, 1) << "no new database or shard left behind";

  o.rebuild = false;
  append("nord/gas-barriera-torino.md", "\nAggiunta.\n");
  EXPECT_TRUE(build_index(o).ok()) << "an incremental build needs no new database";
  free = 1u << 30;
  o.rebuild = true;
  EXPECT_TRUE(build_index(o).ok()) << "with room, the full build runs";
  EXPECT_EQ(full_build_bytes_needed(100u << 20, 0), (16u << 20) + (300u << 20));
  EXPECT_EQ(full_build_bytes_needed(0, 10u << 20), (16u << 20) + (80u << 20));
}

TEST_F(IndexBuilderTest, OneWorkerBuildsTheSameIndex) {
  options_.worker_threads = 1;
  const BuildReport r = build();
  EXPECT_EQ(r.added, 10u);
  Xapian::Database db = open();
  EXPECT_EQ(db.get_doccount(), 10u);
  EXPECT_EQ(db.get_termfreq("XDIMsociale"), 6u);
  EXPECT_EQ(db.get_spelling_suggestion("biciclete"), "biciclette");
  append("sud/servizio-civile-lecce.md", "\nAnche un laboratorio di fotografia.\n");
  EXPECT_EQ(build().updated, 1u);
}

TEST_F(IndexBuilderTest, HasABooleanTermForEveryFacet) {
  build();
  Xapian::Database db = open();
  EXPECT_EQ(db.get_termfreq("XHUBnord"), 4u);
  EXPECT_EQ(db.get_termfreq("XREGpiemonte"), 3u);
  EXPECT_EQ(db.get_termfreq("XTHEMEeconomia-circolare"), 3u);
  EXPECT_EQ(db.get_termfreq("XDIMsociale"), 6u);
  EXPECT_EQ(db.get_termfreq("XSDG12"), 3u);
  EXPECT_EQ(db.get_termfreq("XAUDoperatori"), 4u);
  EXPECT_EQ(db.get_termfreq("XMODm04"), 2u);
  EXPECT_EQ(db.get_termfreq("XYEAR2022"), 3u);
}

TEST_F(IndexBuilderTest, StoresFacetAndSortValues) {
  build();
  Xapian::Database db = open();
  Xapian::Document doc = db.get_document(*db.postlist_begin("Qgas-barriera-torino"));
  const std::string sep(1, schema::kFacetSeparator);
  EXPECT_EQ(doc.get_value(schema::kSlotTheme), "gruppi-di-acquisto-solidale" + sep + "contrasto-alla-poverta");
  EXPECT_EQ(doc.get_value(schema::kSlotSdg), "2" + sep + "12");
  EXPECT_EQ(doc.get_value(schema::kSlotHub), "nord");
  EXPECT_EQ(doc.get_value(schema::kSlotDate), "20230314");
  EXPECT_EQ(Xapian::sortable_unserialise(doc.get_value(schema::kSlotYear)), 2021);
  EXPECT_EQ(doc.get_value(schema::kSlotPath), "practices/nord/gas-barriera-torino.md");
  EXPECT_EQ(doc.get_value(schema::kSlotTitle).rfind("il gas di barriera", 0), 0u);
}

TEST_F(IndexBuilderTest, DocumentDataHasWhatPagesNeed) {
  build();
  Xapian::Database db = open();
  auto data = search::page_data(db.get_document(*db.postlist_begin("Qorti-scuole-torino")));
  EXPECT_EQ(data["slug"], "orti-scuole-torino");
  EXPECT_EQ(data["city"], "Torino");
  EXPECT_EQ(data["year"], 2020);
  EXPECT_EQ(data["headings"][0], "Contesto");
  // Media are served from practices/ as /media/: every address must answer.
  EXPECT_NE(data["body_html"].get<std::string>().find(
                "src=\"/media/nord/orti-scuole-torino/orto.gif\""),
            std::string::npos);
  EXPECT_EQ(data["cover"]["url"], "/media/nord/orti-scuole-torino/orto.gif");
  EXPECT_EQ(data["didattica"]["duration_minutes"], 120);
  EXPECT_NE(data["text"].get<std::string>().find("nonno tutor"), std::string::npos);
}

TEST_F(IndexBuilderTest, FoldsAccentsSplitsElisionsAndStems) {
  build();
  Xapian::Database db = open();
  Analyzer a;
  EXPECT_EQ(slugs_with(db, "citta"),
            (std::set<std::string>{"gas-barriera-torino", "orti-scuole-torino",
                                   "emporio-solidale-perugia"}));
  EXPECT_EQ(db.get_termfreq("città"), 0u);
  EXPECT_TRUE(slugs_with(db, "perche").count("orti-scuole-torino"));
  EXPECT_TRUE(slugs_with(db, "ambiente").count("repair-cafe-milano"));
  EXPECT_TRUE(slugs_with(db, "agricoltura").count("orti-scuole-torino"));
  EXPECT_TRUE(slugs_with(db, "associazione").count("riparazioni-sartoria-napoli"));
  const auto stemmed = slugs_with(db, a.stem_term("riparazione"));
  EXPECT_TRUE(stemmed.count("repair-cafe-milano"));
  EXPECT_TRUE(stemmed.count("riparazioni-sartoria-napoli"));
  EXPECT_GT(db.get_termfreq("S" + std::string("riparazione")), 0u);  // title prefix
}

TEST_F(IndexBuilderTest, IndexesTaxonomyLabelsCityAndTags) {
  build();
  Xapian::Database db = open();
  EXPECT_EQ(slugs_with(db, "torino").size(), 2u);
  // "Economia circolare" is the label of a theme of the Firenze practice,
  // whose text never says it.
  EXPECT_TRUE(slugs_with(db, "circolare").count("ciclofficina-firenze"));
  EXPECT_TRUE(slugs_with(db, "piemonte").count("cer-pinerolese"));
}

TEST_F(IndexBuilderTest, WritesSynonymsBothWaysAndForStems) {
  build();
  Xapian::Database db = open();
  Analyzer a;
  auto synonyms = [&db](const std::string& key) {
    return std::set<std::string>(db.synonyms_begin(key), db.synonyms_end(key));
  };
  EXPECT_TRUE(synonyms("gas").count("gruppo di acquisto solidale"));
  EXPECT_TRUE(synonyms("gruppi di acquisto solidale").count("gas"));
  EXPECT_TRUE(synonyms("cer").count("comunita energetica rinnovabile"));
  EXPECT_TRUE(synonyms("comunita energetiche rinnovabili").count("cer"));
  EXPECT_TRUE(synonyms("riparazione").count("aggiustare"));
  EXPECT_TRUE(synonyms("riparazione").count(a.stem_term("aggiustare")));
  EXPECT_TRUE(synonyms(a.stem_term("riparazione")).count(a.stem_term("aggiustare")));
  // A theme's synonyms are linked to its label, not to each other.
  EXPECT_TRUE(synonyms("bici").count("mobilita sostenibile"));
  EXPECT_FALSE(synonyms("bici").count("trasporto pubblico"));
}

TEST_F(IndexBuilderTest, QueryParserFindsStemmedSynonyms) {
  build();
  Xapian::Database db = open();
  Analyzer a;
  Xapian::QueryParser qp;
  qp.set_database(db);
  qp.set_stemmer(a.stemmer());
  qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  const Xapian::Query q = qp.parse_query("riparazioni", Xapian::QueryParser::FLAG_AUTO_SYNONYMS);
  const std::string d = q.get_description();
  EXPECT_NE(d.find(a.stem_term("aggiustare")), std::string::npos) << d;
  Xapian::Enquire enquire(db);
  enquire.set_query(q);
  EXPECT_EQ(enquire.get_mset(0, 10).size(), 2u);  // the Milano and Napoli practices
}

TEST_F(IndexBuilderTest, WritesSpellingData) {
  build();
  Xapian::Database db = open();
  EXPECT_EQ(db.get_spelling_suggestion("riparazone"), "riparazione");
  EXPECT_EQ(db.get_spelling_suggestion("biciclete"), "biciclette");
  std::set<std::string> words(db.spellings_begin(), db.spellings_end());
  EXPECT_TRUE(words.count("torino"));
  EXPECT_TRUE(words.count("citta"));
  EXPECT_FALSE(words.count("2022"));
}

TEST_F(IndexBuilderTest, UpdatesOnlyTheChangedFile) {
  build();
  append("nord/repair-cafe-milano.md", "\nSi ripara anche lo zafferanometro.\n");
  const BuildReport r = build();
  EXPECT_FALSE(r.full_rebuild);
  EXPECT_EQ(r.updated, 1u);
  EXPECT_EQ(r.added, 0u);
  EXPECT_EQ(r.unchanged, 9u);
  EXPECT_EQ(r.read, 1u);
  Xapian::Database db = open();
  EXPECT_EQ(db.get_doccount(), 10u);
  EXPECT_EQ(slugs_with(db, "zafferanometro"), (std::set<std::string>{"repair-cafe-milano"}));
  EXPECT_EQ(db.get_spelling_suggestion("zafferanomtro"), "zafferanometro");

  // Written a moment before the build read it: its stamp is not trusted
  // yet, so the next build hashes it again (and finds it unchanged).
  const BuildReport again = build();
  EXPECT_EQ(again.unchanged, 10u);
  EXPECT_EQ(again.updated, 0u);
  EXPECT_EQ(again.read, 1u);
  // An edit made a while ago is trusted by its stamp: nothing is read.
  fs::last_write_time(file("nord/repair-cafe-milano.md"), an_hour_ago_ + std::chrono::minutes(5));
  build();
  EXPECT_EQ(build().read, 0u);
}

// mtime and size can be fooled: a file rewritten with the same size in the
// same tick of the file system's clock as the build that read it keeps its
// stamp (simulated here by putting the old time back). A file modified
// within seconds of the build that read it is hashed by the next build.
TEST_F(IndexBuilderTest, RewriteWithTheSameSizeAndTimeIsPickedUp) {
  build();
  const fs::path f = file("nord/repair-cafe-milano.md");
  append("nord/repair-cafe-milano.md", "\nSi ripara anche il frullatore.\n");
  const fs::file_time_type written = fs::last_write_time(f);
  EXPECT_EQ(build().updated, 1u);
  Xapian::Database db = open();
  const Xapian::rev revision = db.get_revision();

  // Nothing changed: the file is hashed again, nothing is written.
  const BuildReport same = build();
  EXPECT_EQ(same.read, 1u);
  EXPECT_EQ(same.updated, 0u);
  EXPECT_EQ(open().get_revision(), revision);

  std::string text = *read_file(f);
  const std::size_t at = text.rfind("frullatore");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 10, "tostapane.");  // same length
  std::ofstream(f, std::ios::trunc) << text;
  fs::last_write_time(f, written);
  const BuildReport r = build();
  EXPECT_EQ(r.updated, 1u);
  EXPECT_EQ(slugs_with(open(), "tostapane"), (std::set<std::string>{"repair-cafe-milano"}));
  EXPECT_TRUE(slugs_with(open(), "frullatore").empty());
}

TEST_F(IndexBuilderTest, TouchedButUnchangedFileIsNotReindexed) {
  build();
  const fs::path f = file("sud/cer-solidale-lecce.md");
  fs::last_write_time(f, fs::last_write_time(f) + std::chrono::minutes(5));
  const BuildReport r = build();
  EXPECT_EQ(r.read, 1u);
  EXPECT_EQ(r.updated, 0u);
  EXPECT_EQ(r.unchanged, 10u);
  EXPECT_EQ(build().read, 0u);  // the new stat was stored
}

TEST_F(IndexBuilderTest, RemovesDocumentsOfDeletedFiles) {
  build();
  fs::remove(file("centro/microcredito-roma.md"));
  const BuildReport r = build();
  EXPECT_EQ(r.removed, 1u);
  EXPECT_EQ(r.unchanged, 9u);
  Xapian::Database db = open();
  EXPECT_EQ(db.get_doccount(), 9u);
  EXPECT_EQ(db.get_termfreq("Qmicrocredito-roma"), 0u);
  EXPECT_EQ(db.get_termfreq("XTHEMEfinanza-etica"), 0u);
}

TEST_F(IndexBuilderTest, SkipsAnInvalidFileAndIndexesTheRest) {
  std::ofstream(file("sud/scheda-rotta.md")) << "---\nsummary: \"senza titolo\"\nhub: sud\n---\n\nTesto.\n";
  const BuildReport r = build();
  EXPECT_EQ(r.added, 10u);
  EXPECT_EQ(r.skipped, 1u);
  ASSERT_FALSE(r.diagnostics.empty());
  EXPECT_NE(r.diagnostics[0].format().find("scheda-rotta.md:"), std::string::npos);
  EXPECT_NE(r.summary().find("1 saltata"), std::string::npos);
  EXPECT_EQ(open().get_doccount(), 10u);
}

// A valid case file whose document Xapian refuses: its id term, "Q" and a
// 250-letter slug, is longer than the 245 bytes a term may have, so adding
// it throws Xapian::InvalidArgumentError. The file is skipped with an error
// that names it; it must not abort the build of the other files.
TEST_F(IndexBuilderTest, FullBuildSkipsAFileXapianRefusesAndIndexesTheRest) {
  const std::string slug(250, 'a');
  fs::copy_file(file("nord/cer-pinerolese.md"), file("nord/" + slug + ".md"));
  const BuildReport r = build();
  EXPECT_TRUE(r.full_rebuild);
  EXPECT_EQ(r.added, 10u);
  EXPECT_EQ(r.skipped, 1u);
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_NE(r.diagnostics[0].format().find(slug + ".md"), std::string::npos);
  EXPECT_EQ(r.diagnostics[0].severity, Severity::kError);
  EXPECT_EQ(open().get_doccount(), 10u);
}

TEST_F(IndexBuilderTest, IncrementalBuildSkipsAFileXapianRefusesAndIndexesTheRest) {
  build();
  const std::string slug(250, 'a');
  fs::copy_file(file("nord/cer-pinerolese.md"), file("nord/" + slug + ".md"));
  append("sud/cer-solidale-lecce.md", "\nUn paragrafo in più.\n");
  const BuildReport r = build();
  EXPECT_FALSE(r.full_rebuild);
  EXPECT_EQ(r.updated, 1u);
  EXPECT_EQ(r.skipped, 1u);
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_NE(r.diagnostics[0].format().find(slug + ".md"), std::string::npos);
  EXPECT_EQ(open().get_doccount(), 10u);
}

// A published practice whose file breaks stays on the site as it was, in
// an incremental build and in a full one alike (before, a full build
// dropped it and wrote its tombstone: harvesters were told it was
// deleted), and the output says so.
TEST_F(IndexBuilderTest, KeepsTheLastGoodVersionOfAFileThatBreaks) {
  build();
  const std::string before = open().get_document(*open().postlist_begin("Qcer-pinerolese")).get_data();
  std::ofstream(file("nord/cer-pinerolese.md")) << "---\ntitle: [rotto\n---\n";
  for (const bool rebuild : {false, true, false}) {
    SCOPED_TRACE(rebuild ? "full" : "incremental");
    const BuildReport r = build(rebuild);
    EXPECT_EQ(r.full_rebuild, rebuild);
    EXPECT_EQ(r.skipped, 1u);
    EXPECT_EQ(r.kept, 1u);
    EXPECT_EQ(r.updated, 0u);
    EXPECT_NE(r.summary().find("1 saltata (ne resta la versione precedente)"), std::string::npos) << r.summary();
    bool said = false;
    for (const auto& d : r.diagnostics)
      said = said || (d.severity == Severity::kWarning && d.file.find("cer-pinerolese.md") != std::string::npos &&
                      d.message.find("resta la versione precedente") != std::string::npos);
    EXPECT_TRUE(said);
    const Xapian::Database db = open();
    EXPECT_EQ(db.get_doccount(), 10u);
    ASSERT_EQ(db.get_termfreq("Qcer-pinerolese"), 1u);
    EXPECT_EQ(db.get_document(*db.postlist_begin("Qcer-pinerolese")).get_data(), before);
    // Still found by its words, and not announced as deleted.
    EXPECT_EQ(slugs_with(db, "pinerolese"), std::set<std::string>{"cer-pinerolese"});
    EXPECT_TRUE(db.get_metadata(records::tombstone_key("cer-pinerolese")).empty());
  }
  // Deleting the file removes it.
  fs::remove(file("nord/cer-pinerolese.md"));
  EXPECT_EQ(build().removed, 1u);
  EXPECT_EQ(open().get_termfreq("Qcer-pinerolese"), 0u);
}

// A theme's slug mistyped in taxonomy.yaml makes every case file using the
// right one fail, though none of them changed: publishing that would take
// those practices off the site. The build refuses, says why and where, and
// leaves the index as it was.
TEST_F(IndexBuilderTest, ATaxonomyChangeThatBreaksUnchangedFilesIsRefused) {
  const BuildReport first = build();
  std::string taxonomy = read_file(content_ / "taxonomy.yaml").value();
  const std::string slug = "slug: comunita-energetiche";
  ASSERT_NE(taxonomy.find(slug), std::string::npos);
  std::string typo = taxonomy;
  typo.replace(typo.find(slug), slug.size(), "slug: comunita-energetice");
  std::ofstream(content_ / "taxonomy.yaml", std::ios::trunc) << typo;

  BuildOptions o = options_;
  const Result<BuildReport> refused = build_index(o);
  ASSERT_FALSE(refused.ok());
  const std::string& m = refused.status().message();
  EXPECT_NE(m.find("taxonomy.yaml è cambiata e 2 schede pubblicate, che non sono cambiate, non sono più valide: "
                   "l'indice resta com'era"),
            std::string::npos)
      << m;
  // Worded as bp-index check words it: the taxonomy's line first.
  EXPECT_NE(m.find("Gli errori:\n" + (content_ / "taxonomy.yaml").generic_string()), std::string::npos) << m;
  EXPECT_NE(m.find(": tema 'comunita-energetice': non lo usa nessun file, mentre 2 schede usano "
                   "'comunita-energetiche'"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("cer-pinerolese.md:7: tema sconosciuto 'comunita-energetiche': taxonomy.yaml:"), std::string::npos)
      << m;
  EXPECT_EQ(m.find("forse 'comunita-energetice'?"), std::string::npos) << m;
  EXPECT_NE(m.find("cer-solidale-lecce.md:"), std::string::npos) << m;
  EXPECT_EQ(index_store::read_current(options_.index_dir), first.database);
  EXPECT_EQ(open().get_termfreq("Qcer-pinerolese"), 1u);
  EXPECT_EQ(std::distance(fs::directory_iterator(options_.index_dir), fs::directory_iterator{}), 4)
      << "CURRENT, LOCK, live and the one database: nothing left of the refused build";

  // A rename made in the same commit as the files is published.
  for (const char* rel : {"nord/cer-pinerolese.md", "sud/cer-solidale-lecce.md"}) {
    std::string text = read_file(file(rel)).value();
    const std::string old_slug = "comunita-energetiche";
    text.replace(text.find(old_slug), old_slug.size(), "comunita-energetice");
    std::ofstream(file(rel), std::ios::trunc) << text;
  }
  const BuildReport renamed = build();
  EXPECT_TRUE(renamed.full_rebuild);
  EXPECT_EQ(renamed.added, 10u);
  EXPECT_EQ(renamed.skipped, 0u);
  EXPECT_EQ(slugs_with(open(), "XTHEMEcomunita-energetice"),
            (std::set<std::string>{"cer-pinerolese", "cer-solidale-lecce"}));
}

// A changed taxonomy with a file broken by its own edit (not by the
// taxonomy): the rest is published, that file keeps its previous version.
TEST_F(IndexBuilderTest, ATaxonomyChangeWithAFileBrokenByItsEditKeepsThatFilesVersion) {
  build();
  std::ofstream(content_ / "taxonomy.yaml", std::ios::app) << "\n# modificata\n";
  std::ofstream(file("nord/cer-pinerolese.md")) << "---\ntitle: [rotto\n---\n";
  const BuildReport r = build();
  EXPECT_TRUE(r.full_rebuild);
  EXPECT_EQ(r.added, 9u);
  EXPECT_EQ(r.kept, 1u);
  EXPECT_EQ(open().get_termfreq("Qcer-pinerolese"), 1u);
}

TEST_F(IndexBuilderTest, SkipsADuplicateSlug) {
  fs::copy_file(file("nord/cer-pinerolese.md"), file("sud/cer-pinerolese.md"));
  const BuildReport r = build();
  EXPECT_EQ(r.added, 10u);
  EXPECT_EQ(r.skipped, 1u);
  // One error, the duplicate; the copy also lies in another hub's folder
  // (a warning).
  std::vector<Diagnostic> errors;
  for (const auto& d : r.diagnostics)
    if (d.severity == Severity::kError) errors.push_back(d);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].message.find("cer-pinerolese"), std::string::npos);
}

TEST_F(IndexBuilderTest, ACopyWithTheSameSlugNeverReplacesThePublishedPractice) {
  // A newer file with a published practice's slug, in a folder that comes
  // first ("centro" < "nord"): the published one stays, the copy is the
  // file reported and left out, in a full build and in an incremental one.
  build();
  std::string text = read_file(file("nord/cer-pinerolese.md")).value();
  const std::string title_line = text.substr(text.find("title:"), text.find('\n', text.find("title:")) - text.find("title:"));
  text.replace(text.find(title_line), title_line.size(), "title: \"Una copia con lo stesso nome\"");
  fs::create_directories(file("centro"));
  std::ofstream(file("centro/cer-pinerolese.md")) << text;
  fs::last_write_time(file("centro/cer-pinerolese.md"), an_hour_ago_ + std::chrono::minutes(1));
  for (const bool incremental : {true, false}) {
    SCOPED_TRACE(incremental ? "incremental" : "full");
    const BuildReport r = build(/*rebuild=*/!incremental);
    EXPECT_EQ(r.skipped, 1u);
    bool reported = false;
    for (const auto& d : r.diagnostics)
      reported = reported || (d.severity == Severity::kError && d.file.find("centro/cer-pinerolese.md") != std::string::npos);
    EXPECT_TRUE(reported);
    const Xapian::Database db = open();
    ASSERT_EQ(db.get_termfreq("Qcer-pinerolese"), 1u);
    const std::string data = db.get_document(*db.postlist_begin("Qcer-pinerolese")).get_data();
    EXPECT_EQ(data.find("Una copia con lo stesso nome"), std::string::npos);
  }
}

// `bp-index build` and `bp-index check` share one references check: a
// `related` slug naming no practice is the same error in both (the guide
// lists it among the errors, and a file with errors is not published).
TEST_F(IndexBuilderTest, RelatedToAMissingPracticeIsTheErrorCheckReports) {
  std::string text = read_file(file("nord/cer-pinerolese.md")).value();
  const std::string good = "related: [cer-solidale-lecce]";
  ASSERT_NE(text.find(good), std::string::npos);
  text.replace(text.find(good), good.size(), "related: [cer-solidale-leccee]");
  std::ofstream(file("nord/cer-pinerolese.md"), std::ios::trunc) << text;

  const BuildReport r = build();
  EXPECT_EQ(r.skipped, 1u);
  EXPECT_EQ(open().get_termfreq("Qcer-pinerolese"), 0u);
  std::vector<std::string> built;
  for (const auto& d : r.diagnostics)
    if (d.severity == Severity::kError) built.push_back(d.format());
  ASSERT_EQ(built.size(), 1u);
  EXPECT_NE(built[0].find(":17: 'related': la pratica 'cer-solidale-leccee' non esiste nella biblioteca: forse "
                          "'cer-solidale-lecce'?"),
            std::string::npos)
      << built[0];

  Diagnostics taxonomy_diags;
  auto taxonomy = Taxonomy::load(content_ / "taxonomy.yaml", &taxonomy_diags);
  ASSERT_TRUE(taxonomy.has_value());
  const LibraryCheck checked = check_library(content_, *taxonomy, {}, {});
  std::vector<std::string> found;
  for (const auto& d : checked.diagnostics)
    if (d.severity == Severity::kError) found.push_back(d.format());
  EXPECT_EQ(found, built);
}

TEST_F(IndexBuilderTest, RebuildSwapsCurrentAndOpenReadersKeepReading) {
  const BuildReport first = build();
  Xapian::Database before = open();
  const BuildReport second = build(/*rebuild=*/true);
  EXPECT_TRUE(second.full_rebuild);
  EXPECT_NE(first.database, second.database);
  EXPECT_EQ(index_store::read_current(options_.index_dir), second.database);
  // The reader opened before the swap still works on its snapshot.
  EXPECT_EQ(before.get_doccount(), 10u);
  EXPECT_FALSE(before.get_document(*before.postlist_begin("Qcer-solidale-lecce"))
                   .get_value(schema::kSlotResult)
                   .empty());
  EXPECT_EQ(open().get_doccount(), 10u);
  // The next build removes the folder that is no longer live, and the
  // shards an interrupted build left behind.
  fs::create_directories(options_.index_dir / "db-000042.shard-1");
  build();
  EXPECT_FALSE(fs::exists(options_.index_dir / "db-000042.shard-1"));
  EXPECT_FALSE(fs::exists(options_.index_dir / first.database));
  EXPECT_TRUE(fs::exists(options_.index_dir / second.database));
}

TEST_F(IndexBuilderTest, TaxonomyChangeRebuildsEverything) {
  build();
  std::ofstream(content_ / "taxonomy.yaml", std::ios::app) << "\n# modificata\n";
  const BuildReport r = build();
  EXPECT_TRUE(r.full_rebuild);
  EXPECT_EQ(r.added, 10u);
}

// An incremental build takes the taxonomy from the index (parsed by the
// build that last read taxonomy.yaml) instead of parsing the file again: the
// same labels indexed, the same warnings reported.
TEST_F(IndexBuilderTest, IncrementalBuildUsesTheTaxonomyTheIndexHolds) {
  std::ofstream(content_ / "taxonomy.yaml", std::ios::app) << "\ncolori: [rosso]\n";
  const BuildReport full = build();
  ASSERT_TRUE(full.full_rebuild);
  auto warning = [](const BuildReport& r) {
    for (const auto& d : r.diagnostics)
      if (d.message.find("campo sconosciuto 'colori'") != std::string::npos) return d.format();
    return std::string();
  };
  ASSERT_FALSE(warning(full).empty());
  EXPECT_FALSE(open().get_metadata(std::string(schema::kMetaParsedTaxonomy)).empty());
  auto terms_of = [&](const std::string& slug) {
    Xapian::Database db = open();
    Xapian::PostingIterator p = db.postlist_begin("Q" + slug);
    std::vector<std::string> terms;
    if (p == db.postlist_end("Q" + slug)) return terms;
    const Xapian::Document doc = db.get_document(*p);
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) terms.push_back(*t);
    return terms;
  };
  const std::vector<std::string> before = terms_of("ciclofficina-firenze");
  ASSERT_FALSE(before.empty());
  // The parsed form is what the incremental build uses: a stored form that
  // differed from the file would show here.
  append("centro/ciclofficina-firenze.md", "\n");
  const BuildReport incremental = build();
  EXPECT_FALSE(incremental.full_rebuild);
  EXPECT_EQ(incremental.updated, 1u);
  EXPECT_EQ(warning(incremental), warning(full));
  EXPECT_EQ(terms_of("ciclofficina-firenze"), before);
}

TEST_F(IndexBuilderTest, UnusableTaxonomyFailsWithoutTouchingTheIndex) {
  build();
  const std::string live = index_store::read_current(options_.index_dir);
  std::ofstream(content_ / "taxonomy.yaml") << "hubs: [\n";
  Result<BuildReport> r = build_index(options_);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(index_store::read_current(options_.index_dir), live);
  EXPECT_EQ(open().get_doccount(), 10u);
}

// 3: built, with a broken file left out (a unit counts it as done); 1:
// nothing built; 2: a wrong command line.
TEST_F(IndexBuilderTest, BuildCommandExitsWithThreeWhenAFileIsSkipped) {
  const std::vector<std::string> args = {"build", "--content", content_.string(), "--index",
                                         options_.index_dir.string()};
  EXPECT_EQ(indexer::run(args), 0);
  std::ofstream(file("sud/scheda-rotta.md")) << "---\ntitle: senza il resto\n---\n\nTesto.\n";
  EXPECT_EQ(indexer::run(args), 3);
  EXPECT_EQ(open().get_doccount(), 10u);
  EXPECT_EQ(indexer::run({"build", "--content", (root_ / "manca").string()}), 1);
  EXPECT_EQ(indexer::run({"build", "--boh"}), 2);
}

// Replication (docs/index-replication.md): DIR/live is the stable name
// xapian-replicate-server serves; it follows CURRENT through rebuilds.
TEST_F(IndexBuilderTest, LiveLinkFollowsCurrentThroughRebuilds) {
  const BuildReport first = build();
  EXPECT_EQ(fs::read_symlink(options_.index_dir / "live"), fs::path(first.database));
  append("centro/ciclofficina-firenze.md", "\nUna riga in più.\n");
  EXPECT_EQ(build().database, first.database);
  EXPECT_EQ(fs::read_symlink(options_.index_dir / "live"), fs::path(first.database));
  const BuildReport second = build(/*rebuild=*/true);
  EXPECT_EQ(fs::read_symlink(options_.index_dir / "live"), fs::path(second.database));
  EXPECT_EQ(Xapian::Database((options_.index_dir / "live").string()).get_uuid(), open().get_uuid());
  // An index built before the link existed gets it at the next build.
  fs::remove(options_.index_dir / "live");
  build();
  EXPECT_EQ(fs::read_symlink(options_.index_dir / "live"), fs::path(second.database));
}

TEST_F(IndexBuilderTest, StoresBuildTimeAndContentCommitAndLeavesAnUnchangedIndexAlone) {
  options_.content_commit = "0123456789abcdef0123456789abcdef01234567";
  build();
  Xapian::Database db = open();
  const std::string built_at = db.get_metadata(std::string(schema::kMetaBuiltAt));
  EXPECT_EQ(built_at.size(), 20u) << built_at;  // 2026-11-30T12:00:00Z
  EXPECT_EQ(built_at.back(), 'Z');
  EXPECT_EQ(db.get_metadata(std::string(schema::kMetaContentCommit)), options_.content_commit);
  // Nothing changed: no new revision, so replicas have nothing to fetch.
  const Xapian::rev revision = db.get_revision();
  build();
  EXPECT_EQ(open().get_revision(), revision);
  // Same files at another commit: the commit is recorded.
  options_.content_commit = "fedcba9876543210fedcba9876543210fedcba98";
  build();
  EXPECT_EQ(open().get_metadata(std::string(schema::kMetaContentCommit)), options_.content_commit);
  // A full rebuild records them too.
  build(/*rebuild=*/true);
  EXPECT_EQ(open().get_metadata(std::string(schema::kMetaContentCommit)), options_.content_commit);
  EXPECT_FALSE(open().get_metadata(std::string(schema::kMetaBuiltAt)).empty());
}

// bp-index build turns Xapian's changesets on, so an incremental build
// leaves one for xapian-replicate; it stores the content's git commit.
TEST_F(IndexBuilderTest, BuildCommandWritesChangesetsAndTheContentCommit) {
  ::unsetenv("XAPIAN_MAX_CHANGESETS");
  const std::vector<std::string> args = {"build", "--content", content_.string(), "--index",
                                         options_.index_dir.string()};
  ASSERT_EQ(indexer::run(args), 0);
  EXPECT_EQ(open().get_metadata(std::string(schema::kMetaContentCommit)), "") << "not a git checkout";
  append("centro/ciclofficina-firenze.md", "\nUna riga in più.\n");
  ASSERT_EQ(indexer::run(args), 0);
  const fs::path live = *index_store::current_database(options_.index_dir);
  bool changeset = false;
  for (const auto& entry : fs::directory_iterator(live))
    changeset = changeset || entry.path().filename().string().rfind("changes", 0) == 0;
  EXPECT_TRUE(changeset) << "no changes<N> file in " << live;

  // The content as a git checkout with one commit.
  const fs::path log = root_ / "git.log";
  auto git = [&](std::vector<std::string> argv) {
    argv.insert(argv.begin(), {"git", "-C", content_.string(), "-c", "user.name=t", "-c", "user.email=t@t"});
    fs::remove(log);
    return test_util::run_program(argv, log);
  };
  if (git({"--version"}) != 0) GTEST_SKIP() << "git is not installed";
  ASSERT_EQ(git({"init", "-q"}), 0) << test_util::file_text(log);
  ASSERT_EQ(git({"add", "-A"}), 0) << test_util::file_text(log);
  ASSERT_EQ(git({"commit", "-qm", "contenuti"}), 0) << test_util::file_text(log);
  ASSERT_EQ(git({"rev-parse", "HEAD"}), 0);
  std::string head = test_util::file_text(log);
  while (!head.empty() && head.back() == '\n') head.pop_back();
  ASSERT_EQ(head.size(), 40u) << head;
  ASSERT_EQ(indexer::run(args), 0);
  EXPECT_EQ(open().get_metadata(std::string(schema::kMetaContentCommit)), head);
  append("centro/ciclofficina-firenze.md", "\nUna modifica non ancora registrata.\n");
  ASSERT_EQ(indexer::run(args), 0);
  EXPECT_EQ(open().get_metadata(std::string(schema::kMetaContentCommit)), head + "-dirty");
}

TEST(BuildReport, SummaryIsOneItalianLine) {
  BuildReport r;
  r.added = 40;
  r.updated = 2;
  r.removed = 1;
  r.unchanged = 37;
  r.seconds = 0.84;
  EXPECT_EQ(r.summary(),
            "indice aggiornato: 40 aggiunte, 2 aggiornate, 1 rimossa, 0 saltate, 37 invariate in 0,84 s");
}

TEST(BuildReport, SummarySaysHowManySkippedFilesKeepTheirPreviousVersion) {
  BuildReport r;
  r.skipped = 3;
  r.kept = 2;
  EXPECT_EQ(r.summary(),
            "indice aggiornato: 0 aggiunte, 0 aggiornate, 0 rimosse, 3 saltate (di 2 resta la versione "
            "precedente), 0 invariate in 0,00 s");
  r.skipped = r.kept = 1;
  EXPECT_NE(r.summary().find(", 1 saltata (ne resta la versione precedente), "), std::string::npos);
}

TEST(IndexDocument, HashIsStableFnv1a) {
  EXPECT_EQ(fnv1a_hex(""), "cbf29ce484222325");
  EXPECT_EQ(fnv1a_hex("a"), "af63dc4c8601ec8c");
}

}  // namespace
}  // namespace bp
