// Records with a history (bp/records.h): the datestamps and tombstones the
// builder writes, as a Searcher and read_all_records() read them back, and
// the open-data files made from them.
#include "bp/records.h"

#include <gtest/gtest.h>

#include <chrono>
#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
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

}  // namespace
}  // namespace bp
