// The index on several servers (docs/index-replication.md): bp-index build
// on the master, Xapian's own xapian-replicate-server and xapian-replicate
// (Debian's xapian-tools) carrying it to a replica, and a Searcher on the
// replica following incremental changesets and full copies after a rebuild.
// Skipped, saying why, when xapian-tools is not installed (scripts/test
// installs it).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "child_process.h"
#include "commands.h"
#include "search_test_util.h"

namespace bp {
namespace {

namespace fs = std::filesystem;
using test_util::ChildProcess;

constexpr const char* kReplicateServer = "/usr/bin/xapian-replicate-server";
constexpr const char* kReplicate = "/usr/bin/xapian-replicate";

class IndexReplicationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::access(kReplicateServer, X_OK) != 0 || ::access(kReplicate, X_OK) != 0)
      GTEST_SKIP() << "xapian-tools is not installed (scripts/test installs Debian's xapian-tools)";
    library_ = dir_ / "library";
    fs::copy(testing::fixture_library(), library_, fs::copy_options::recursive);
    ASSERT_EQ(build(), 0);
    taxonomy_ = testing::load_taxonomy(library_);
    port_ = test_util::unused_loopback_port();
    server_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{kReplicateServer, "-I", "127.0.0.1", "-p", std::to_string(port_),
                                 master_.string()},
        dir_ / "replicate-server.log");
    ASSERT_TRUE(test_util::eventually(std::chrono::seconds(20), [&] {
      return test_util::loopback_accepts(port_) || !server_->running();
    }));
    ASSERT_TRUE(server_->running()) << server_->log();
  }

  int build(bool rebuild = false) {
    std::vector<std::string> args = {"build", "--content", library_.string(), "--index", master_.string()};
    if (rebuild) args.push_back("--rebuild");
    return indexer::run(args);
  }

  // One pass of xapian-replicate, as the replica's service runs it every -i seconds.
  void replicate() {
    const int code = test_util::run_program(
        {kReplicate, "-h", "127.0.0.1", "-p", std::to_string(port_), "-m", "live", "-o", "-r", "0",
         replica_.string()},
        dir_ / "replicate.log");
    ASSERT_EQ(code, 0) << test_util::file_text(dir_ / "replicate.log");
  }

  std::string stub() {
    std::ifstream in(replica_ / "XAPIANDB");
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  IndexInfo info_of(const fs::path& index) {
    auto s = Searcher::open(index, taxonomy_);
    EXPECT_TRUE(s.ok()) << s.status().message();
    if (!s.ok()) return {};
    auto info = (*s)->index_info();
    EXPECT_TRUE(info.ok());
    return info.ok() ? *info : IndexInfo{};
  }

  std::uint64_t total(Searcher& searcher, const std::string& q) {
    SearchRequest r;
    r.q = q;
    auto res = searcher.search(r);
    EXPECT_TRUE(res.ok());
    return res.ok() ? res->total : 0;
  }

  void add_tandem_practice() { testing::add_tandem_practice(library_); }

  bp::test_util::TempDir tmp_{"bp-replication-test"};
  fs::path dir_ = tmp_.path();
  fs::path library_;
  fs::path master_ = dir_ / "master";
  fs::path replica_ = dir_ / "replica";
  Taxonomy taxonomy_;
  int port_ = 0;
  std::unique_ptr<ChildProcess> server_;
};

TEST_F(IndexReplicationTest, AReplicaFollowsIncrementalBuildsAndFullRebuilds) {
  replicate();
  auto opened = Searcher::open(replica_, taxonomy_);
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  Searcher& searcher = **opened;
  EXPECT_EQ(searcher.document_count(), 10u);
  const IndexInfo first = info_of(master_);
  EXPECT_EQ(searcher.index_info()->revision, first.revision);
  EXPECT_EQ(searcher.index_info()->built_at, first.built_at);
  EXPECT_EQ(total(searcher, "tandem "), 0u);

  // An incremental build travels as a changeset, applied in place.
  const std::string stub_before = stub();
  add_tandem_practice();
  ASSERT_EQ(build(), 0);
  replicate();
  EXPECT_EQ(stub(), stub_before) << "a changeset, not a whole copy";
  EXPECT_TRUE(searcher.refresh());
  EXPECT_EQ(total(searcher, "tandem "), 1u);
  EXPECT_EQ(searcher.index_info()->revision, info_of(master_).revision);
  EXPECT_NE(searcher.index_info()->revision, first.revision);

  // A full rebuild is a new database: the replica gets a whole copy, its
  // stub names the other folder and the old one is removed; the searcher
  // opened before follows it (Database::reopen() alone would not).
  fs::remove(library_ / "practices/centro/tandem-prato.md");
  ASSERT_EQ(build(/*rebuild=*/true), 0);
  replicate();
  EXPECT_NE(stub(), stub_before) << "a whole copy";
  EXPECT_TRUE(searcher.refresh());
  EXPECT_EQ(total(searcher, "tandem "), 0u);
  EXPECT_EQ(searcher.document_count(), 10u);
  EXPECT_EQ(searcher.index_info()->revision, info_of(master_).revision);
  EXPECT_FALSE(searcher.refresh()) << "nothing new";

  // Several builds between two passes: the chain of changesets.
  add_tandem_practice();
  ASSERT_EQ(build(), 0);
  // A word no other practice has: a query of several words that finds
  // fewer than three practices is relaxed to any of them (searcher.h).
  std::ofstream(library_ / "practices/centro/tandem-prato.md", std::ios::app) << "\nBiciclette doppie, o tandemmobili.\n";
  ASSERT_EQ(build(), 0);
  EXPECT_EQ(total(searcher, "tandemmobili "), 0u) << "not replicated yet";
  replicate();
  EXPECT_TRUE(searcher.refresh());
  EXPECT_EQ(total(searcher, "tandemmobili "), 1u);
  EXPECT_EQ(searcher.index_info()->revision, info_of(master_).revision);
}

}  // namespace
}  // namespace bp
