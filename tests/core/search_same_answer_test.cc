// The same query on the same index gets the same answer (results, snippets,
// interpretation, suggestion, counts) whatever was searched before it, on
// any Searcher of the process: the memos and caches of a revision
// (QueryMemo, TermCache, the thesaurus's, the snippet matcher's) change how
// fast an answer comes, never what it says (docs/search-quality.md, "The
// same query, the same answer").
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "search_test_util.h"

namespace bp {
namespace {

struct Asked {
  std::string q;
  std::map<std::string, std::vector<std::string>> filters;
};

// Typos, prefixes, synonyms, thesaurus words, question words, relaxed
// queries, exclusions, OR, phrases and filters: every path of query
// understanding and of the snippets.
std::vector<Asked> mix() {
  std::vector<Asked> out;
  for (const char* q :
       {"operatrice Novara", "buttata Paterno", "interesse Treviso", "tessera quartiere", "tessera punti",
        "emporio", "emporio con la tessera", "bicic", "biciclet ", "biciclet", "agricoltira", "orti socali",
        "povrtà", "poverta", "comunita energeticha", "comunità ener", "circular economy", "gruppi di acquisto",
        "gas", "cer", "dell'ambiente", "l'agricoltura", "famiglie -emporio", "microcredito OR ciclofficina",
        "+microcredito ciclofficina", "\"energia condivisa\"", "come posso aprire un emporio con la tessera a punti?",
        "come possono i ragazzi del quartiere imparare a sistemare una bicicletta rotta",
        "verdura per chi ha perso il lavoro o vive di pensione", "pacchi chiavi internet", "meccanica ",
        "tostapane asciugacapelli ", "riparazioni", "soldi", "giardinetto", "pellegrinaggio", "ragazzini",
        "opera", "operatori", "contesto risultati", "pinerolese", "riuso", "quartiere", "citta "})
    out.push_back({q, {}});
  out.push_back({"citta ", {{"hub", {"nord"}}}});
  out.push_back({"quartiere", {{"hub", {"sud", "centro"}}}});
  out.push_back({"tessera quartiere", {{"hub", {"centro"}}}});
  return out;
}

// Everything a person reads in the answer.
nlohmann::json answer(Searcher& searcher, const Asked& a) {
  SearchRequest r;
  r.q = a.q;
  r.filters = a.filters;
  auto res = searcher.search(r);
  EXPECT_TRUE(res.ok()) << a.q << ": " << res.status().message();
  if (!res.ok()) return nullptr;
  nlohmann::json hits = nlohmann::json::array();
  for (const auto& hit : res->results)
    hits.push_back({hit.practice.slug, hit.snippet_html, hit.found_in_plain_words});
  const QueryInterpretation& in = res->interpretation;
  return {{"total", res->total},
          {"hits", hits},
          {"facets", res->facets},
          {"suggestion", res->suggestion ? nlohmann::json(*res->suggestion) : nlohmann::json(nullptr)},
          {"relaxed", in.relaxed},
          {"dropped", in.dropped},
          {"ignored", in.ignored},
          {"required", in.required},
          {"corrected", in.corrected},
          {"synonyms", in.synonyms},
          {"expanded", in.expanded}};
}

class SearchSameAnswerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::build(testing::fixture_library(), dir_.path() / "index");
    taxonomy_ = testing::load_taxonomy(testing::fixture_library());
  }
  std::unique_ptr<Searcher> open() {
    auto s = Searcher::open(dir_.path() / "index", taxonomy_);
    EXPECT_TRUE(s.ok()) << s.status().message();
    return s.ok() ? std::move(*s) : nullptr;
  }

  bp::test_util::TempDir dir_{"bp-same-answer-test"};
  Taxonomy taxonomy_;
};

TEST_F(SearchSameAnswerTest, EachQueryAloneThenAfterTheOthers) {
  const std::vector<Asked> queries = mix();
  // Each query first on a Searcher of its own, the first search of its
  // revision's memos (no other Searcher holds them meanwhile).
  std::vector<nlohmann::json> alone;
  for (const Asked& a : queries) {
    auto s = open();
    ASSERT_TRUE(s);
    alone.push_back(answer(*s, a));
  }
  // Then all of them on one Searcher, forwards, backwards and forwards
  // again: each one after every other has filled the memos.
  auto s = open();
  ASSERT_TRUE(s);
  for (int pass = 0; pass < 3; ++pass) {
    for (std::size_t k = 0; k < queries.size(); ++k) {
      const std::size_t i = pass == 1 ? queries.size() - 1 - k : k;
      EXPECT_EQ(answer(*s, queries[i]), alone[i]) << "pass " << pass << ": " << queries[i].q;
    }
  }
}

TEST_F(SearchSameAnswerTest, SameAnswersOnEveryThread) {
  const std::vector<Asked> queries = mix();
  auto first = open();
  ASSERT_TRUE(first);
  std::vector<nlohmann::json> expected;
  for (const Asked& a : queries) expected.push_back(answer(*first, a));
  // Four Searchers, as the server's worker threads, each asking in its own
  // order while the others fill the shared memos.
  std::vector<std::vector<nlohmann::json>> got(4, std::vector<nlohmann::json>(queries.size()));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      auto s = open();
      if (!s) return;
      std::vector<std::size_t> order(queries.size());
      for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
      std::shuffle(order.begin(), order.end(), std::mt19937(static_cast<unsigned>(t)));
      for (std::size_t i : order) got[static_cast<std::size_t>(t)][i] = answer(*s, queries[i]);
    });
  }
  for (auto& th : threads) th.join();
  for (std::size_t t = 0; t < got.size(); ++t)
    for (std::size_t i = 0; i < queries.size(); ++i)
      EXPECT_EQ(got[t][i], expected[i]) << "thread " << t << ": " << queries[i].q;
}

TEST(SearchSameAnswerStarter, TheReportedQueriesAloneThenAfterTheBenchMix) {
  // The starter library, where "operatrice Novara", "buttata Paterno" and
  // "interesse Treviso" were reported to change their snippets within one
  // run of bp-bench-search: each alone on a Searcher of its own, then after
  // queries of bench/queries.txt (typos, prefixes, cities, plain words).
  const std::filesystem::path library = std::filesystem::path(BP_SOURCE_DIR) / "library-content";
  bp::test_util::TempDir dir("bp-same-answer-starter");
  testing::build(library, dir.path() / "index");
  const Taxonomy taxonomy = testing::load_taxonomy(library);
  auto open = [&] {
    auto s = Searcher::open(dir.path() / "index", taxonomy);
    EXPECT_TRUE(s.ok()) << s.status().message();
    return s.ok() ? std::move(*s) : nullptr;
  };
  const std::vector<Asked> reported = {
      {"operatrice Novara", {}}, {"buttata Paterno", {}}, {"interesse Treviso", {}}, {"opera", {}}};
  std::vector<nlohmann::json> alone;
  for (const Asked& a : reported) {
    auto s = open();
    ASSERT_TRUE(s);
    alone.push_back(answer(*s, a));
  }
  auto s = open();
  ASSERT_TRUE(s);
  for (int pass = 0; pass < 2; ++pass) {
    for (const char* q :
         {"giovani volontari", "terremoto Caserta", "agricoltura sociale", "bottiglie tappi", "mobilità condivisa",
          "reddito di inlcusione", "risutlati Trieste", "mese ottob", "lasci valore pic", "riuso Sie",
          "primaria Asti", "reali Savona", "semplice gruppi possono", "povertà educativa", "terapeutica Forli",
          "portinerie di comunita", "trafifco Matera", "ressidenti Rovereto", "gruppi di acquiisto solidale",
          "ciclist", "operatori", "spiaggia", "caschi Treviso", "comunita Paterno", "civile interesse"})
      answer(*s, {q, {}});
    for (std::size_t i = 0; i < reported.size(); ++i)
      EXPECT_EQ(answer(*s, reported[i]), alone[i]) << "pass " << pass << ": " << reported[i].q;
  }
}

}  // namespace
}  // namespace bp
