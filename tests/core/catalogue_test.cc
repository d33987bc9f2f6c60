#include "bp/catalogue.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "temp_dir.h"
#include "test_programme.h"

namespace bp {
namespace {

using test_util::TempDir;
using test_util::write_file;
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

// A programme with one module edition; `edition_extra` is appended to the
// edition's mapping (block style, 8 spaces), `sessions` replaces its list.
std::string one_edition(const std::string& edition_extra, const std::string& sessions) {
  return "version: 1\n"                                                  // 1
         "targets: {modulo: 60}\n"                                       // 2
         "activities:\n"                                                 // 3
         "  - id: m10\n"                                                 // 4
         "    kind: modulo\n"                                            // 5
         "    module: m10\n"                                             // 6
         "    macro_action: a3\n"                                        // 7
         "    title: \"Comunità energetiche rinnovabili\"\n"             // 8
         "    description: \"x\"\n"                                      // 9
         "    themes: [comunita-energetiche]\n"                          // 10
         "    editions:\n"                                               // 11
         "      - id: m10-nord\n"                                        // 12
         "        hub: nord\n"                                           // 13
         "        city: online\n"                                        // 14
         "        start: \"2027-03-16T17:00\"\n"                         // 15
         "        end: \"2027-04-06T19:00\"\n"                           // 16
         "        capacity: 60\n"                                        // 17
         "        deadline: \"2027-03-13\"\n" +                          // 18
         edition_extra +
         "        sessions:\n" +
         sessions;
}

const char* kFourSessions =
    "          - {date: 2027-03-16, start: \"17:00\", end: \"19:00\"}\n"
    "          - {date: 2027-03-23, start: \"17:00\", end: \"19:00\"}\n"
    "          - {date: 2027-03-30, start: \"17:00\", end: \"19:00\"}\n"
    "          - {date: 2027-04-06, start: \"17:00\", end: \"19:00\"}\n";

class CatalogueFile : public ::testing::Test {
 protected:
  // Checks `yaml` written as <tmp>/programme.yaml; the diagnostics are
  // formatted with the file name only, as `bp-index check` run in that
  // folder prints them.
  std::vector<std::string> check(const std::string& yaml) {
    write_file(dir_.path() / "programme.yaml", yaml);
    const fs::path cwd = fs::current_path();
    fs::current_path(dir_.path());
    diagnostics_ = check_catalogue("programme.yaml", tax_);
    fs::current_path(cwd);
    std::vector<std::string> lines;
    for (const auto& d : diagnostics_) lines.push_back(d.format());
    return lines;
  }
  bool printed(const std::vector<std::string>& lines, const std::string& line) {
    for (const auto& l : lines)
      if (l == line) return true;
    return false;
  }

  TempDir dir_;
  Taxonomy tax_ = real_taxonomy();
  Diagnostics diagnostics_;
};

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

TEST(Catalogue, EveryModuleEditionIsFourWeeklyTwoHourMeetings) {
  auto cat = load_catalogue(fs::path(BP_SOURCE_DIR) / "library-content" / "programme.yaml", real_taxonomy(),
                            nullptr);
  ASSERT_TRUE(cat.has_value());
  for (const auto& a : cat->activities) {
    for (const auto& e : a.editions) {
      if (a.kind == "tutoraggio") {
        EXPECT_TRUE(e.sessions.empty()) << e.id;
        continue;
      }
      ASSERT_FALSE(e.sessions.empty()) << e.id;
      EXPECT_EQ(e.sessions.front().start_utc, e.start_utc) << e.id;
      EXPECT_EQ(e.sessions.back().end_utc, e.end_utc) << e.id;
      if (a.kind != "modulo") continue;
      ASSERT_EQ(e.sessions.size(), 4u) << e.id;
      for (std::size_t i = 0; i < 4; ++i) {
        EXPECT_EQ(e.sessions[i].end_utc - e.sessions[i].start_utc, 2 * 3600) << e.id;
        // Same weekday and wall-clock hour every week, summer time or not.
        EXPECT_EQ(e.sessions[i].start, e.sessions[0].start) << e.id;
        if (i > 0) {
          const auto days = (e.sessions[i].start_utc - e.sessions[i - 1].start_utc + 3600) / 86400;
          EXPECT_EQ(days, 7) << e.id;
        }
      }
    }
  }
}

TEST(Catalogue, TestProgrammeIsValid) {
  TempDir dir;
  write_file(dir.path() / "programme.yaml", test_util::kTestProgramme);
  Diagnostics d = check_catalogue(dir.path() / "programme.yaml", real_taxonomy());
  EXPECT_TRUE(d.empty()) << joined(d);
}

TEST(Catalogue, FormatsAMeetingWithItsWeekday) {
  Session s;
  s.date = "2027-06-08";
  s.start = "17:00";
  s.end = "19:00";
  EXPECT_EQ(format_session(s), "martedì 8 giugno 2027, ore 17:00–19:00");
  s.date = "2027-10-01";
  EXPECT_EQ(format_session(s), "venerdì 1° ottobre 2027, ore 17:00–19:00");
}

TEST_F(CatalogueFile, ATabIsReportedAsInCaseFiles) {
  const auto lines = check(one_edition("", kFourSessions).replace(
      one_edition("", kFourSessions).find("        hub: nord"), 8, "\t"));
  EXPECT_TRUE(printed(lines, "programme.yaml:13: tabulazione usata per il rientro: in YAML il rientro si fa solo "
                             "con gli spazi"))
      << joined(diagnostics_);
}

TEST_F(CatalogueFile, ADuplicateKeyIsReportedAsInCaseFiles) {
  const auto lines = check(one_edition("        capacity: 30\n", kFourSessions));
  EXPECT_TRUE(printed(lines, "programme.yaml:19: chiave duplicata 'capacity' (già alla riga 17): tieni una sola "
                             "delle due"))
      << joined(diagnostics_);
  EXPECT_TRUE(has_errors(diagnostics_));
}

TEST_F(CatalogueFile, AnUnknownKeyGetsANearMissSuggestion) {
  const auto lines = check(one_edition("        notse: \"Serve una webcam\"\n", kFourSessions));
  EXPECT_TRUE(printed(lines, "programme.yaml:19: attenzione: campo sconosciuto 'notse' in 'm10-nord' (viene "
                             "ignorato): forse 'notes'?"))
      << joined(diagnostics_);
  EXPECT_FALSE(has_errors(diagnostics_)) << "an unknown key is a warning, as in case files";
}

TEST_F(CatalogueFile, AnUnknownValueGetsANearMissSuggestion) {
  auto yaml = one_edition("", kFourSessions);
  yaml.replace(yaml.find("hub: nord"), 9, "hub: nordd");
  yaml.replace(yaml.find("kind: modulo"), 12, "kind: modlo");
  const auto lines = check(yaml);
  EXPECT_TRUE(printed(lines, "programme.yaml:13: edizione 'm10-nord': hub sconosciuto 'nordd': forse 'nord'?"))
      << joined(diagnostics_);
  EXPECT_TRUE(printed(lines, "programme.yaml:5: attività 'm10': tipo 'modlo' sconosciuto: usa 'modulo', "
                             "'tutoraggio', 'residenza' o 'corso-docenti' (forse 'modulo'?)"))
      << joined(diagnostics_);
}

TEST_F(CatalogueFile, AnImpossibleDateIsReportedAsInCaseFiles) {
  auto yaml = one_edition("", kFourSessions);
  yaml.replace(yaml.find("2027-03-16T17:00"), 16, "2027-02-30T17:00");
  yaml.replace(yaml.find("date: 2027-03-23"), 16, "date: 2027-04-31");
  const auto lines = check(yaml);
  EXPECT_TRUE(printed(lines, "programme.yaml:15: edizione 'm10-nord': 'start': data impossibile "
                             "'2027-02-30T17:00': febbraio 2027 ha 28 giorni"))
      << joined(diagnostics_);
  EXPECT_TRUE(printed(lines, "programme.yaml:21: edizione 'm10-nord', incontro 2: 'date': data impossibile "
                             "'2027-04-31': aprile 2027 ha 30 giorni"))
      << joined(diagnostics_);
}

TEST_F(CatalogueFile, SessionsMustFitTheEditionInOrderWithoutOverlaps) {
  const auto lines = check(one_edition("",
                                       "          - {date: 2027-03-16, start: \"17:00\", end: \"19:00\"}\n"   // 20
                                       "          - {date: 2027-03-16, start: \"18:00\", end: \"20:00\"}\n"   // 21
                                       "          - {date: 2027-03-09, start: \"17:00\", end: \"19:00\"}\n"   // 22
                                       "          - {date: 2027-03-30, start: \"19:00\", end: \"17:00\"}\n"   // 23
                                       "          - {date: 2027-04-06, start: \"17:00\", end: \"19:00\", "
                                       "online: \"meet.example.org/x\"}\n"));                                 // 24
  EXPECT_TRUE(printed(lines, "programme.yaml:21: edizione 'm10-nord', incontro 2: l'incontro di martedì 16 "
                             "marzo 2027, ore 18:00–20:00 si sovrappone a quello di martedì 16 marzo 2027, ore "
                             "17:00–19:00"))
      << joined(diagnostics_);
  EXPECT_TRUE(printed(lines, "programme.yaml:22: edizione 'm10-nord', incontro 3: l'incontro di martedì 9 marzo "
                             "2027, ore 17:00–19:00 è fuori dal periodo dell'edizione (dal 16 marzo 2027, ore "
                             "17:00 al 6 aprile 2027, ore 19:00)"))
      << joined(diagnostics_);
  EXPECT_TRUE(printed(lines, "programme.yaml:22: edizione 'm10-nord', incontro 3: gli incontri vanno elencati "
                             "in ordine di data (martedì 9 marzo 2027, ore 17:00–19:00 viene prima di martedì "
                             "16 marzo 2027, ore 18:00–20:00)"))
      << joined(diagnostics_);
  EXPECT_TRUE(printed(lines, "programme.yaml:23: edizione 'm10-nord', incontro 4: l'incontro finisce (17:00) "
                             "prima di iniziare (19:00)"))
      << joined(diagnostics_);
  EXPECT_TRUE(printed(lines, "programme.yaml:24: edizione 'm10-nord', incontro 5: indirizzo del collegamento non "
                             "valido 'meet.example.org/x': deve iniziare con https:// o http://"))
      << joined(diagnostics_);
}

TEST_F(CatalogueFile, AMeetingAtANonexistentHourIsAnError) {
  // 28 March 2027: clocks go from 02:00 to 03:00 in Italy.
  auto yaml = one_edition("", kFourSessions);
  const std::string third = "{date: 2027-03-30, start: \"17:00\"";
  yaml.replace(yaml.find(third), third.size(), "{date: 2027-03-28, start: \"02:30\"");
  const auto lines = check(yaml);
  EXPECT_TRUE(printed(lines, "programme.yaml:22: edizione 'm10-nord', incontro 3: l'ora 02:30 del 28 marzo 2027 "
                             "non esiste in Italia: quella notte gli orologi passano dalle 02:00 alle 03:00 "
                             "(inizio dell'ora legale)"))
      << joined(diagnostics_);
}

TEST_F(CatalogueFile, AModuleWithoutItsFourMeetingsIsAWarning) {
  auto lines = check(one_edition("", "          - {date: 2027-03-16, start: \"17:00\", end: \"19:00\"}\n"));
  EXPECT_TRUE(printed(lines, "programme.yaml:20: attenzione: edizione 'm10-nord': un modulo ha quattro incontri "
                             "settimanali, qui ce ne sono 1"))
      << joined(diagnostics_);
  EXPECT_TRUE(printed(lines, "programme.yaml:20: attenzione: edizione 'm10-nord': l'ultimo incontro (martedì 16 "
                             "marzo 2027, ore 17:00–19:00) non finisce alla fine dell'edizione (6 aprile 2027, ore "
                             "19:00)"))
      << joined(diagnostics_);
  EXPECT_FALSE(has_errors(diagnostics_));
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
      - {id: m01-centro, hub: centro, city: online, start: "2027-02-02T17:00", end: "2027-03-01T19:00", capacity: 4, deadline: "2027-01---"}
)";
  const fs::path file = dir.path() / "programme.yaml";
  write_file(file, bad);
  const Diagnostics d = check_catalogue(file, real_taxonomy());
  const std::string all = joined(d);
  auto has = [&](int line, const std::string& fragment) {
    for (const auto& x : d)
      if (x.line == line && x.message.find(fragment) != std::string::npos) return true;
    return false;
  };
  EXPECT_TRUE(has(2, "tipo 'viaggio' sconosciuto")) << all;
  EXPECT_TRUE(has(5, "tipo 'seminario' sconosciuto")) << all;
  EXPECT_TRUE(has(8, "tema sconosciuto 'decarbonizazione': forse 'decarbonizzazione'?")) << all;
  EXPECT_TRUE(has(10, "hub sconosciuto 'nordd'")) << all;
  EXPECT_TRUE(has(10, "manca il campo obbligatorio 'capacity'")) << all;
  EXPECT_TRUE(has(10, "la fine (2027-02-01T19:00) non è dopo l'inizio")) << all;
  EXPECT_TRUE(has(11, "identificativo già usato")) << all;
  EXPECT_TRUE(has(11, "data impossibile '2027-02-30T17:00'")) << all;
  EXPECT_TRUE(has(12, "'capacity' deve essere un numero intero")) << all;
  // Dashes where digits go: the format, not a crash of the whole check.
  EXPECT_TRUE(has(13, "data non valida '2027-01---': usa il formato")) << all;
  EXPECT_TRUE(has_errors(d));
  for (const auto& x : d) EXPECT_EQ(x.file, file.string());
}

TEST(Catalogue, ModuleMustMatchItsMacroAction) {
  TempDir dir;
  const fs::path file = dir.path() / "programme.yaml";
  write_file(file, R"(targets: {modulo: 60}
activities:
  - id: m09
    kind: modulo
    module: m09
    macro_action: a1
    title: "Decarbonizzazione"
    description: "x"
    themes: [decarbonizzazione]
    editions:
      - {id: m09-nord, hub: nord, city: online, start: "2027-02-02T17:00", end: "2027-02-23T19:00", capacity: 60, deadline: "2027-01-30",
         sessions: [{date: 2027-02-02, start: "17:00", end: "19:00"}, {date: 2027-02-09, start: "17:00", end: "19:00"},
                    {date: 2027-02-16, start: "17:00", end: "19:00"}, {date: 2027-02-23, start: "17:00", end: "19:00"}]}
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
  write_file(dir.path() / "broken.yaml", "activities:\n  - id: [x\n");
  d = check_catalogue(dir.path() / "broken.yaml", real_taxonomy());
  ASSERT_FALSE(d.empty());
  EXPECT_NE(d[0].message.find("YAML non valido"), std::string::npos) << joined(d);
  EXPECT_GT(d[0].line, 0);
}

}  // namespace
}  // namespace bp
