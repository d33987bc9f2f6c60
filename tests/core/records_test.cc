// Records with a history (bp/records.h): the datestamps and tombstones the
// builder writes, as a Searcher and read_all_records() read them back, and
// the open-data files made from them.
#include "bp/records.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <thread>

#include "bp/index_builder.h"
#include "bp/open_data.h"
#include "bp/search.h"
#include "temp_dir.h"

namespace bp {
namespace {

namespace fs = std::filesystem;

class Records : public ::testing::Test {
 protected:
  void SetUp() override {
    content_ = tmp_.path() / "library";
    fs::copy(fs::path(BP_SOURCE_DIR) / "tests/fixtures/library", content_, fs::copy_options::recursive);
    build();
    Diagnostics diagnostics;
    taxonomy_ = Taxonomy::load(content_ / "taxonomy.yaml", &diagnostics);
    ASSERT_TRUE(taxonomy_);
  }

  void build(bool rebuild = false) {
    BuildOptions o;
    o.content_root = content_;
    o.index_dir = tmp_.path() / "index";
    o.rebuild = rebuild;
    auto r = build_index(o);
    ASSERT_TRUE(r.ok()) << r.status().message();
  }

  std::map<std::string, RecordHeader> headers() {
    auto searcher = Searcher::open(tmp_.path() / "index", *taxonomy_);
    EXPECT_TRUE(searcher.ok());
    auto list = (*searcher)->record_headers();
    EXPECT_TRUE(list.ok());
    std::map<std::string, RecordHeader> out;
    std::string previous;
    for (const auto& h : *list) {
      EXPECT_LE(previous, h.datestamp) << "sorted by datestamp";
      previous = h.datestamp;
      out[h.slug] = h;
    }
    return out;
  }

  // Replaces the first `from` in `file` by `to`; false when it is not there.
  static bool replace_in(const fs::path& file, const std::string& from, const std::string& to) {
    std::string text = [&] {
      std::ifstream in(file, std::ios::binary);
      return std::string(std::istreambuf_iterator<char>(in), {});
    }();
    const std::string::size_type at = text.find(from);
    if (at == std::string::npos) return false;
    test_util::write_file(file, text.replace(at, from.size(), to));
    return true;
  }

  test_util::TempDir tmp_{"bp-records-test"};
  fs::path content_;
  std::optional<Taxonomy> taxonomy_;
};

TEST_F(Records, EveryPracticeHasADatestampAndItsSets) {
  auto all = headers();
  ASSERT_EQ(all.size(), 10u);  // the fixture's valid practices
  const RecordHeader& h = all.at("repair-cafe-milano");
  EXPECT_FALSE(h.deleted);
  EXPECT_EQ(h.datestamp.size(), 20u);
  EXPECT_EQ(h.datestamp.back(), 'Z');
  EXPECT_EQ(h.sets.front(), "hub:nord");
}

TEST_F(Records, RemovalLeavesATombstoneThatSurvivesRebuildsUntilTheFileReturns) {
  const auto before = headers();
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  const fs::path gone = content_ / "practices/sud/cer-solidale-lecce.md";
  const std::string bytes = [&] {
    std::ifstream in(gone, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }();
  fs::remove(gone);
  build();
  for (bool rebuild : {false, true}) {
    if (rebuild) build(true);
    auto after = headers();
    ASSERT_EQ(after.size(), 10u) << "9 practices and a tombstone";
    const RecordHeader& t = after.at("cer-solidale-lecce");
    EXPECT_TRUE(t.deleted);
    EXPECT_GT(t.datestamp, before.at("cer-solidale-lecce").datestamp);
    EXPECT_EQ(t.sets, before.at("cer-solidale-lecce").sets);
    // Unchanged practices keep their datestamp, through a full rebuild too.
    EXPECT_EQ(after.at("repair-cafe-milano").datestamp, before.at("repair-cafe-milano").datestamp);
  }
  test_util::write_file(gone, bytes);
  build();
  EXPECT_FALSE(headers().at("cer-solidale-lecce").deleted);
}

TEST_F(Records, ASearcherKeptOpenFollowsTheNewListAfterAChange) {
  // The list is shared per index revision by every Searcher of the process:
  // one still holding the old revision's must not hand it to the others.
  auto old_reader = Searcher::open(tmp_.path() / "index", *taxonomy_);
  ASSERT_TRUE(old_reader.ok());
  auto before = (*old_reader)->record_headers();
  ASSERT_TRUE(before.ok());
  ASSERT_EQ(before->size(), 10u);
  fs::remove(content_ / "practices/sud/cer-solidale-lecce.md");
  build();
  auto tombstone = [](const std::vector<RecordHeader>& list) {
    for (const auto& h : list)
      if (h.slug == "cer-solidale-lecce") return h.deleted;
    return false;
  };
  EXPECT_TRUE(headers().at("cer-solidale-lecce").deleted);  // a new Searcher
  (*old_reader)->refresh();
  auto after = (*old_reader)->record_headers();
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(tombstone(*after));
}

TEST_F(Records, ExportedJsonAndCsvCarryEveryLivePractice) {
  auto records = read_all_records(tmp_.path() / "index");
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 10u);
  EXPECT_EQ(records->front().header.slug, "cer-pinerolese") << "slug order";
  const auto json = nlohmann::json::parse(open_data_json(*records, "https://x.example"));
  EXPECT_EQ(json[0]["url"], "https://x.example/pratiche/cer-pinerolese");
  EXPECT_FALSE(json[0].contains("body_html"));
  const std::string csv = open_data_csv(*records, "https://x.example");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n') >= 11, true);
  EXPECT_EQ(csv.substr(3, 9), "slug,url,");
  EXPECT_FALSE(read_all_records(tmp_.path() / "missing").ok());
}

// A slow incremental build that commits after every file, and a harvester
// that asks between two of its commits: OAI-PMH harvesters harvest next
// from the responseDate of their last harvest, so every record the build
// changed must be dated at or after every responseDate given before it was
// visible. The build used to date them with its start, and a harvester
// asking half-way missed those committed after it asked.
TEST_F(Records, AHarvesterAskingDuringABuildGetsItsRecordsFromItsResponseDateOn) {
  const std::vector<std::string> files = {"nord/gas-barriera-torino.md", "centro/microcredito-roma.md",
                                          "sud/servizio-civile-lecce.md"};
  const std::set<std::string> changed = {"gas-barriera-torino", "microcredito-roma", "servizio-civile-lecce"};
  for (const auto& f : files) std::ofstream(content_ / "practices" / f, std::ios::app) << "\nUna riga in più.\n";
  auto now = std::chrono::system_clock::now();
  std::vector<std::string> response_dates;
  BuildOptions o;
  o.content_root = content_;
  o.index_dir = tmp_.path() / "index";
  o.commit_every = 1;
  o.clock = [&] { return now; };
  o.progress = [&](std::size_t, std::size_t) {
    now += std::chrono::seconds(10);  // the build is slow
    const auto listed = headers();
    // What the build rewrote so far is not listed: its new version waits
    // for the build's publication, and the old one is gone.
    std::size_t missing = 0;
    for (const auto& slug : changed) missing += listed.count(slug) == 0;
    EXPECT_EQ(listed.size() + missing, 10u);
    response_dates.push_back(utc_datestamp(now));
  };
  auto r = build_index(o);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->updated, 3u);
  ASSERT_FALSE(response_dates.empty());
  const auto after = headers();
  for (const auto& slug : changed) {
    ASSERT_TRUE(after.count(slug)) << slug;
    EXPECT_GE(after.at(slug).datestamp, response_dates.back()) << slug;
  }
}

// A build that stops half-way (killed, a full disk) leaves documents that
// are visible to searches but not announced: the next build announces them,
// dated when it does.
TEST_F(Records, ABuildStoppedHalfWayIsAnnouncedByTheNextOne) {
  const auto before = headers();
  std::ofstream(content_ / "practices/nord/gas-barriera-torino.md", std::ios::app) << "\nUna riga in più.\n";
  std::ofstream(content_ / "practices/centro/microcredito-roma.md", std::ios::app) << "\nUna riga in più.\n";
  auto now = std::chrono::system_clock::now() + std::chrono::seconds(10);
  BuildOptions o;
  o.content_root = content_;
  o.index_dir = tmp_.path() / "index";
  o.commit_every = 1;
  o.clock = [&] { return now; };
  // Stopped after its last file, before it ends.
  o.progress = [](std::size_t done, std::size_t of) {
    if (done == of) throw std::runtime_error("build stopped");
  };
  EXPECT_THROW(build_index(o), std::runtime_error);
  const auto stopped = headers();
  EXPECT_EQ(stopped.count("gas-barriera-torino"), 0u) << "written, not announced";
  EXPECT_EQ(stopped.at("cer-pinerolese").datestamp, before.at("cer-pinerolese").datestamp);

  now += std::chrono::seconds(60);
  const std::string next_build = utc_datestamp(now);
  o.progress = nullptr;
  auto r = build_index(o);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const auto after = headers();
  ASSERT_TRUE(after.count("gas-barriera-torino"));
  EXPECT_GT(after.at("gas-barriera-torino").datestamp, next_build);
  EXPECT_GT(after.at("microcredito-roma").datestamp, next_build);
  EXPECT_EQ(after.at("cer-pinerolese").datestamp, before.at("cer-pinerolese").datestamp) << "unchanged";
}

// Two builds within one second: the second one's records must not take the
// first one's publication, which is older than the moment they appear.
TEST_F(Records, ASecondBuildInTheSameSecondIsAnnouncedOnItsOwn) {
  const auto now = std::chrono::system_clock::now() + std::chrono::seconds(30);
  BuildOptions o;
  o.content_root = content_;
  o.index_dir = tmp_.path() / "index";
  o.commit_every = 1;
  o.clock = [&] { return now; };
  std::ofstream(content_ / "practices/nord/gas-barriera-torino.md", std::ios::app) << "\nUna riga in più.\n";
  ASSERT_TRUE(build_index(o).ok());
  ASSERT_TRUE(headers().count("gas-barriera-torino"));
  std::ofstream(content_ / "practices/centro/microcredito-roma.md", std::ios::app) << "\nUna riga in più.\n";
  bool listed_half_way = true;
  o.progress = [&](std::size_t, std::size_t) { listed_half_way = headers().count("microcredito-roma") > 0; };
  ASSERT_TRUE(build_index(o).ok());
  EXPECT_FALSE(listed_half_way) << "its new version was announced with the first build's date before it was visible";
  EXPECT_TRUE(headers().count("microcredito-roma"));
}

// What oai_dc disseminates names the themes by their labels: a changed
// taxonomy.yaml makes every record new for harvesters, through the full
// rebuild it causes.
TEST_F(Records, ATaxonomyChangeDatesEveryRecordAgain) {
  const auto before = headers();
  // One label changed, and a file broken meanwhile, which keeps its
  // previous version: the new labels reach that one too.
  ASSERT_TRUE(replace_in(content_ / "taxonomy.yaml", "label: Economica", "label: Economia"));
  ASSERT_TRUE(replace_in(content_ / "practices/nord/gas-barriera-torino.md", "hub: nord", "hub: marte"));
  BuildOptions o;
  o.content_root = content_;
  o.index_dir = tmp_.path() / "index";
  auto later = std::chrono::system_clock::now() + std::chrono::seconds(30);
  o.clock = [&] { return later; };
  auto r = build_index(o);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->full_rebuild);
  EXPECT_EQ(r->kept, 1u);
  const auto after = headers();
  ASSERT_EQ(after.size(), 10u);
  for (const auto& [slug, h] : after) EXPECT_GT(h.datestamp, before.at(slug).datestamp) << slug;

  // Without a change, a rebuild keeps every datestamp.
  later += std::chrono::seconds(30);
  build(true);
  for (const auto& [slug, h] : headers()) EXPECT_EQ(h.datestamp, after.at(slug).datestamp) << slug;
}

// A full rebuild's records appear when its database replaces the old one,
// at the end of the build: they are dated after that moment, not at its
// start.
TEST_F(Records, AFullRebuildDatesWhatItChangedWhenItsDatabaseGoesLive) {
  std::ofstream(content_ / "practices/nord/gas-barriera-torino.md", std::ios::app) << "\nUna riga in più.\n";
  auto now = std::chrono::system_clock::now() + std::chrono::seconds(30);
  const std::string started = utc_datestamp(now);
  BuildOptions o;
  o.content_root = content_;
  o.index_dir = tmp_.path() / "index";
  o.rebuild = true;
  // Every reading of the clock is 20 s later: the build is slow, and so is
  // the commit of its publication. A harvester asking right after the
  // switch, before the publication, sees none of the new records: not with
  // the build's start either.
  int readings = 0;
  bool listed_before_publication = true;
  o.clock = [&] {
    if (++readings == 2) listed_before_publication = headers().count("gas-barriera-torino") > 0;
    return now += std::chrono::seconds(20);
  };
  ASSERT_TRUE(build_index(o).ok());
  EXPECT_FALSE(listed_before_publication);
  EXPECT_GT(headers().at("gas-barriera-torino").datestamp, utc_datestamp(now))
      << "dated before its publication was visible (the build started at " << started << ")";
}

// An index written before publications existed keeps its records' dates
// through the first build that publishes: harvesters do not fetch the
// whole library again.
TEST_F(Records, AnIndexFromBeforePublicationsKeepsItsDatestamps) {
  const std::string live = (tmp_.path() / "index/live").string();
  {
    Xapian::WritableDatabase db(live, Xapian::DB_OPEN);
    std::vector<std::string> keys;
    for (auto it = db.metadata_keys_begin("bp:publish"); it != db.metadata_keys_end("bp:publish"); ++it)
      keys.push_back(*it);
    ASSERT_FALSE(keys.empty());
    for (const auto& k : keys) db.set_metadata(k, "");
    db.commit();
  }
  const auto before = headers();
  ASSERT_EQ(before.size(), 10u);
  std::ofstream(content_ / "practices/nord/gas-barriera-torino.md", std::ios::app) << "\nUna riga in più.\n";
  const auto later = std::chrono::system_clock::now() + std::chrono::seconds(30);
  for (bool rebuild : {false, true}) {
    BuildOptions o;
    o.content_root = content_;
    o.index_dir = tmp_.path() / "index";
    o.rebuild = rebuild;
    o.clock = [&] { return later; };
    ASSERT_TRUE(build_index(o).ok());
    const auto after = headers();
    for (const auto& [slug, h] : after)
      if (slug != "gas-barriera-torino") {
        EXPECT_EQ(h.datestamp, before.at(slug).datestamp) << slug;
      }
    EXPECT_GT(after.at("gas-barriera-torino").datestamp, utc_datestamp(later));
  }
}

}  // namespace
}  // namespace bp
