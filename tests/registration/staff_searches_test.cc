// The editors' "Ricerche" page (/staff/ricerche, issue 17 item 7): what
// people searched in a week, the queries that found nothing with the
// taxonomy.yaml line to add and "proponi una pratica su questo", rare
// queries kept out, and the CSV. Who may open it is checked by
// staff_authorisation_test.cc from the route table.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "bp/registration/analytics_store.h"
#include "staff_fixture.h"

namespace bp::registration {
namespace {

using test::StaffServer;
using test::TempDir;

class StaffSearchesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    s_ = std::make_unique<StaffServer>(dir_.path());
    ASSERT_TRUE(s_->server->ok()) << s_->server->error();
    s_->add("redazione@example.org", Role::kEditor);
    editor_ = s_->login("redazione@example.org");
    // The week of Monday 16 November 2026, as the server's worker would
    // have flushed it.
    TallyBatch b;
    b.queries[{"2026-11-17", "zanzare tigre"}] = {4, 4, 0, 0};
    b.queries[{"2026-11-18", "zanzare tigre"}] = {1, 1, 0, 0};
    b.queries[{"2026-11-17", "aps"}] = {3, 3, 0, 0};
    b.queries[{"2026-11-18", "orti sociali"}] = {9, 0, 2, 6};
    b.queries[{"2026-11-18", "gruppi di acquisto"}] = {3, 0, 0, 0};
    b.queries[{"2026-11-20", "come si recupera il pane"}] = {3, 3, 0, 0};
    b.queries[{"2026-11-19", "via dei mille 4 di anna"}] = {1, 1, 0, 0};  // rare: one person
    b.queries[{"2026-11-10", "settimana prima"}] = {7, 7, 0, 0};          // another week
    b.positions[{"2026-11-18", 1}] = 5;
    b.positions[{"2026-11-18", 3}] = 1;
    b.filters[{"2026-11-18", "hub", "sud"}] = 4;
    ASSERT_TRUE(s_->ctx().store->analytics().add(b).is_ok());
  }

  TempDir dir_;
  std::unique_ptr<StaffServer> s_;
  test::Login editor_;
};

TEST_F(StaffSearchesTest, AWeekFromTheEighthOrTheEleventhIsWrittenWithTheElision) {
  // "dal 8 giugno" is not Italian: otto and undici begin with a vowel. (The
  // page escapes the apostrophe.)
  const std::pair<const char*, const char*> weeks[] = {
      {"2026-06-10", "dall&apos;8 giugno 2026 al 14 giugno 2026"},
      {"2026-05-13", "dall&apos;11 maggio 2026 al 17 maggio 2026"},
      {"2026-02-05", "dal 2 febbraio 2026 all&apos;8 febbraio 2026"},
      {"2026-06-03", "dal 1° giugno 2026 al 7 giugno 2026"},
  };
  for (const auto& [day, label] : weeks) {
    auto res = s_->get(std::string("/staff/ricerche?settimana=") + day, editor_.cookie);
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    EXPECT_NE(res->body.find(label), std::string::npos) << day;
    EXPECT_EQ(res->body.find("dal 8 "), std::string::npos) << day;
    EXPECT_EQ(res->body.find(" al 11 "), std::string::npos) << day;
  }
}

TEST_F(StaffSearchesTest, ShowsTheWeekWithAPathFromEachNoResultQuery) {
  auto res = s_->get("/staff/ricerche?settimana=2026-11-18", editor_.cookie);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  const std::string& page = res->body;
  EXPECT_NE(page.find("dal 16 novembre 2026 al 22 novembre 2026"), std::string::npos);
  EXPECT_NE(page.find("<dd id=\"total-searches\">24</dd>"), std::string::npos) << "every search of the week";
  // A no-result query: its synonym line, ready to copy, and the proposal.
  EXPECT_NE(page.find("«zanzare tigre»</strong>: 5 ricerche senza risultati su 5"), std::string::npos);
  EXPECT_NE(page.find("  - [&quot;zanzare tigre&quot;, &quot;parola usata nelle schede&quot;]"), std::string::npos);
  EXPECT_NE(page.find("<form method=\"get\" action=\"/proponi\""), std::string::npos);
  EXPECT_NE(page.find("name=\"titolo\" value=\"zanzare tigre\""), std::string::npos);
  // A short word that may be an acronym also gets the acronyms line, and
  // several words the everyday expressions' line.
  EXPECT_NE(page.find("{acronym: APS, expansion:"), std::string::npos);
  EXPECT_NE(page.find("    &quot;zanzare tigre&quot;: [parola semplice, parola semplice]"), std::string::npos);
  EXPECT_NE(page.find("<p>Oppure, se è un modo di dire, nel blocco «expressions:»"), std::string::npos)
      << "each line says where it goes, in a sentence of its own";
  EXPECT_EQ(page.find("&quot;aps&quot;: [parola semplice"), std::string::npos) << "one word is not an expression";
  // One word: also an everyday word for a word of the case files.
  EXPECT_NE(page.find("<code>  parola_delle_schede: [&quot;aps&quot;]</code>"), std::string::npos);
  EXPECT_NE(page.find("<p>Oppure, se è una parola di tutti i giorni per una parola delle schede"), std::string::npos);
  EXPECT_EQ(page.find("parola_delle_schede: [&quot;zanzare tigre&quot;]"), std::string::npos)
      << "two words are no everyday word";
  // Three words or more: also a question for a practice's `domande`, as a
  // sentence, in the case file (not taxonomy.yaml).
  EXPECT_NE(page.find("<p>Oppure, se una pratica risponde davvero a questa domanda, nel suo file"), std::string::npos);
  EXPECT_NE(page.find("<code>  - &quot;Come si recupera il pane?&quot;</code>"), std::string::npos);
  EXPECT_EQ(page.find("&quot;Zanzare tigre?&quot;"), std::string::npos) << "two words are not a question";
  // Results nobody opened, clicks by position, filters.
  EXPECT_NE(page.find("«gruppi di acquisto»</strong>: 3 ricerche, nessun risultato aperto"), std::string::npos);
  // A query whose results nobody opened, or that found one or two, has
  // the same path as one that found nothing: what people got (not
  // counted), the lines to copy, the proposal.
  for (const std::string query : {"gruppi di acquisto", "orti sociali"}) {
    const std::size_t item = page.find("<li data-query=\"" + query + "\">");
    ASSERT_NE(item, std::string::npos) << query;
    const std::string row = page.substr(item, page.find("</li>", item) - item);
    std::string plus = query;
    std::replace(plus.begin(), plus.end(), ' ', '+');
    EXPECT_NE(row.find("<a href=\"/?q=" + plus + "&amp;anteprima=1\">Vedi i risultati che ricevono le persone</a>"),
              std::string::npos)
        << row;
    EXPECT_NE(row.find("  - [&quot;" + query + "&quot;, &quot;parola usata nelle schede&quot;]"), std::string::npos)
        << row;
    EXPECT_NE(row.find("name=\"titolo\" value=\"" + query + "\""), std::string::npos) << row;
  }
  EXPECT_NE(page.find("<a href=\"/?q=zanzare+tigre&amp;anteprima=1\">"), std::string::npos);
  EXPECT_NE(page.find("<th scope=\"row\">orti sociali</th>"), std::string::npos);
  EXPECT_NE(page.find("Hub: Sud – 4 ricerche"), std::string::npos);
  // Rare queries and other weeks stay out.
  EXPECT_EQ(page.find("via dei mille"), std::string::npos);
  EXPECT_EQ(page.find("settimana prima"), std::string::npos);
  EXPECT_EQ(res->get_header_value("Cache-Control"), "no-store");
}

TEST_F(StaffSearchesTest, TheProposalFormOpensWithTheQueryAsTitle) {
  auto res = s_->get("/proponi?titolo=zanzare%20tigre");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_NE(res->body.find("value=\"zanzare tigre\""), std::string::npos);
}

TEST_F(StaffSearchesTest, TheCsvHasTheSameFiguresWithoutRareQueries) {
  auto res = s_->get("/staff/ricerche.csv?settimana=2026-11-16", editor_.cookie);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_NE(res->body.find("zanzare tigre;5;2;5;0;0"), std::string::npos) << res->body;
  EXPECT_EQ(res->body.find("via dei mille"), std::string::npos);
}

TEST_F(StaffSearchesTest, AWrongWeekIsExplainedInItalian) {
  auto res = s_->get("/staff/ricerche?settimana=2026-13-45", editor_.cookie);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_NE(res->body.find("Settimana non valida"), std::string::npos);
}

}  // namespace
}  // namespace bp::registration
