#include "bp/registration/catalogue.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "fixture.h"

namespace bp::registration {
namespace {

using test::TempDir;
namespace fs = std::filesystem;

Taxonomy real_taxonomy() {
  Diagnostics d;
  auto t = Taxonomy::load(fs::path(BP_SOURCE_DIR) / "library-content" / "taxonomy.yaml", &d);
  EXPECT_TRUE(t.has_value());
  return *t;
}

std::string joined(const Diagnostics& d) {
  std::string out;
  for (const auto& x : d) out += x.format() + "\n";
  return out;
}

TEST(Catalogue, RealProgrammeIsValidAndMeetsTheTargets) {
  const Taxonomy tax = real_taxonomy();
  const fs::path file = fs::path(BP_SOURCE_DIR) / "library-content" / "programme.yaml";
  Diagnostics d = check_catalogue(file, tax);
  EXPECT_TRUE(d.empty()) << joined(d);
  Diagnostics d2;
  auto cat = load_catalogue(file, tax, &d2);
  ASSERT_TRUE(cat.has_value());
  std::map<std::string, int> seats, activities;
  std::set<std::string> modules, cities;
  for (const auto& a : cat->activities) {
    ++activities[a.kind];
    if (a.kind == "modulo") {
      modules.insert(a.module);
      EXPECT_EQ(a.editions.size(), 3u) << a.id;
    }
    for (const auto& e : a.editions) {
      seats[a.kind] += e.capacity;
      EXPECT_EQ(e.start_local.substr(0, 4), "2027") << e.id;
      if (a.kind == "residenza") cities.insert(e.city);
    }
  }
  EXPECT_EQ(modules.size(), 12u);
  EXPECT_EQ(seats["modulo"], 2160);
  EXPECT_EQ(seats["tutoraggio"], 300);
  EXPECT_EQ(seats["residenza"], 120);
  EXPECT_EQ(activities["corso-docenti"], 1);
  EXPECT_EQ(cities, (std::set<std::string>{"Torino", "Firenze", "Perugia", "Lecce"}));
  EXPECT_EQ(cat->targets.at("modulo"), 2160);
  EXPECT_EQ(cat->targets.at("tutoraggio"), 300);
  EXPECT_EQ(cat->targets.at("residenza"), 120);
  EXPECT_NE(cat->tutoring_edition("centro"), nullptr);
}

TEST(Catalogue, TestProgrammeIsValid) {
  TempDir dir;
  const fs::path content = test::make_content(dir.path());
  Diagnostics d = check_catalogue(content / "programme.yaml", real_taxonomy());
  EXPECT_TRUE(d.empty()) << joined(d);
}

TEST(Catalogue, ReportsEachProblemWithItsLineInItalian) {
  TempDir dir;
  const std::string bad = R"(version: 1
targets: {modulo: 10, viaggio: 3}
activities:
  - id: m01
    kind: seminario
    title: "Titolo"
    description: "Descrizione"
    themes: [decarbonizazione]
    editions:
      - {id: m01-nord, hub: nordd, city: online, start: "2027-02-02T17:00", end: "2027-02-01T19:00", deadline: "2027-01-30"}
      - {id: m01-nord, hub: nord, city: online, start: "2027-02-30T17:00", end: "2027-03-01T19:00", capacity: 60, deadline: "2027-01-30"}
      - {id: m01-sud, hub: sud, city: online, start: "2027-02-02T17:00", end: "2027-03-01T19:00", capacity: -4, deadline: "2027-01-30"}
)";
  const fs::path file = dir.path() / "programme.yaml";
  test::write_file(file, bad);
  const Diagnostics d = check_catalogue(file, real_taxonomy());
  const std::string all = joined(d);
  auto has = [&](int line, const std::string& fragment) {
    for (const auto& x : d)
      if (x.line == line && x.message.find(fragment) != std::string::npos) return true;
    return false;
  };
  EXPECT_TRUE(has(2, "tipo 'viaggio' sconosciuto")) << all;
  EXPECT_TRUE(has(5, "tipo 'seminario' sconosciuto")) << all;
  EXPECT_TRUE(has(8, "tema 'decarbonizazione' sconosciuto: forse 'decarbonizzazione'?")) << all;
  EXPECT_TRUE(has(10, "hub 'nordd' sconosciuto")) << all;
  EXPECT_TRUE(has(10, "manca il campo obbligatorio 'capacity'")) << all;
  EXPECT_TRUE(has(10, "la fine (2027-02-01T19:00) non è dopo l'inizio")) << all;
  EXPECT_TRUE(has(11, "identificativo già usato")) << all;
  EXPECT_TRUE(has(11, "data '2027-02-30T17:00' non valida")) << all;
  EXPECT_TRUE(has(12, "'capacity' deve essere un numero intero")) << all;
  EXPECT_TRUE(has_errors(d));
  for (const auto& x : d) EXPECT_EQ(x.file, file.string());
}

TEST(Catalogue, ModuleMustMatchItsMacroAction) {
  TempDir dir;
  const fs::path file = dir.path() / "programme.yaml";
  test::write_file(file, R"(targets: {modulo: 60}
activities:
  - id: m09
    kind: modulo
    module: m09
    macro_action: a1
    title: "Decarbonizzazione"
    description: "x"
    themes: [decarbonizzazione]
    editions:
      - {id: m09-nord, hub: nord, city: online, start: "2027-02-02T17:00", end: "2027-02-23T19:00", capacity: 60, deadline: "2027-01-30"}
)");
  const Diagnostics d = check_catalogue(file, real_taxonomy());
  ASSERT_EQ(d.size(), 1u) << joined(d);
  EXPECT_EQ(d[0].line, 6);
  EXPECT_NE(d[0].message.find("appartiene alla macro-azione a3"), std::string::npos);
}

TEST(Catalogue, MissingFileAndSyntaxErrorsAreReported) {
  TempDir dir;
  Diagnostics d = check_catalogue(dir.path() / "nope.yaml", real_taxonomy());
  ASSERT_EQ(d.size(), 1u);
  EXPECT_NE(d[0].message.find("impossibile leggere"), std::string::npos);
  test::write_file(dir.path() / "broken.yaml", "activities:\n  - id: [x\n");
  d = check_catalogue(dir.path() / "broken.yaml", real_taxonomy());
  ASSERT_FALSE(d.empty());
  EXPECT_NE(d[0].message.find("sintassi YAML"), std::string::npos);
  EXPECT_GT(d[0].line, 0);
}

TEST(CivilTime, RomeIsUtcPlusOneInWinterAndTwoInSummer) {
  EXPECT_EQ(utc_iso(*rome_to_utc("2027-01-15T10:00")), "2027-01-15T09:00:00Z");
  EXPECT_EQ(utc_iso(*rome_to_utc("2027-07-15T10:00")), "2027-07-15T08:00:00Z");
  // 2027: summer time from 28 March to 31 October.
  EXPECT_EQ(utc_iso(*rome_to_utc("2027-03-28T01:00")), "2027-03-28T00:00:00Z");
  EXPECT_EQ(utc_iso(*rome_to_utc("2027-03-28T04:00")), "2027-03-28T02:00:00Z");
  EXPECT_EQ(utc_iso(*rome_to_utc("2027-10-31T04:00")), "2027-10-31T03:00:00Z");
  EXPECT_EQ(utc_iso(*rome_to_utc("2027-02-01", true)), "2027-02-01T22:59:00Z");
  EXPECT_FALSE(rome_to_utc("2027-02-29T10:00").has_value());
  EXPECT_TRUE(rome_to_utc("2028-02-29T10:00").has_value());
  EXPECT_FALSE(rome_to_utc("2027-13-01T10:00").has_value());
  EXPECT_FALSE(rome_to_utc("2027-1-01T10:00").has_value());
  EXPECT_FALSE(rome_to_utc("2027-01-01 10:00").has_value());
  EXPECT_EQ(italian_datetime("2027-03-02T17:00"), "2 marzo 2027, ore 17:00");
  EXPECT_EQ(italian_datetime_after("al", "2027-04-08T19:00"), "all'8 aprile 2027, ore 19:00");
  EXPECT_EQ(italian_datetime_after("dal", "2027-04-11"), "dall'11 aprile 2027");
  EXPECT_EQ(italian_datetime_after("il", "2027-04-18"), "il 18 aprile 2027");
}

}  // namespace
}  // namespace bp::registration
