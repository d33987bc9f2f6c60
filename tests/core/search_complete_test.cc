// Completions on the starter library (library-content/): the words before
// the last one count wherever a practice has them, the editors' plain
// words and questions included.
#include <gtest/gtest.h>

#include <algorithm>

#include "search_test_util.h"

namespace bp {
namespace {

class SearchCompleteTest : public testing::StarterLibraryTest {
 protected:
  // The word completions offered for `prefix`, in order.
  std::vector<std::string> terms(const std::string& prefix) {
    auto list = searcher_->suggest(prefix, 8);
    EXPECT_TRUE(list.ok()) << list.status().message();
    std::vector<std::string> out;
    if (list.ok())
      for (const Suggestion& s : *list)
        if (s.kind == "term") out.push_back(s.text);
    return out;
  }
};

// The energy communities say "pannelli solari" only in their plain words
// (their text writes "fotovoltaici", and one other practice "pannello"):
// "pannelli sol" offered «pannelli solidali» alone, the commonest word in
// the one practice whose text has "pannello".
TEST_F(SearchCompleteTest, TheEditorsWordsCountForTheWordTypedBefore) {
  const std::vector<std::string> offered = terms("pannelli sol");
  ASSERT_FALSE(offered.empty());
  EXPECT_EQ(offered.front(), "pannelli solari");
}

// «cos'è», «c'è»: whole function words, nothing to complete; it offered
// eight titles with some word in "e". «al» may still become a word.
TEST_F(SearchCompleteTest, FunctionWordsAloneOfferNothing) {
  for (const char* typed : {"cos'\u00e8", "c'\u00e8", "la "}) {
    auto list = searcher_->suggest(typed, 8);
    ASSERT_TRUE(list.ok());
    EXPECT_TRUE(list->empty()) << typed << ": " << (list->empty() ? "" : list->front().text);
  }
  // Still a word being typed: «alimentare», «l'acqua», «la didattica».
  for (const char* typing : {"al", "l'a", "la di", "l'e"}) {
    auto list = searcher_->suggest(typing, 8);
    ASSERT_TRUE(list.ok());
    EXPECT_FALSE(list->empty()) << typing;
  }
}

// Right after an article, a word whose ending may say another number or
// gender comes after the others unless the library writes it right after
// that article: «il parrocchia», «le manutenzione», «nel serve» came
// first; «la crisi» stays first, as the library writes it.
TEST_F(SearchCompleteTest, AfterAnArticleTheWordsThatFitItComeFirst) {
  auto position = [](const std::vector<std::string>& offered, const std::string& text) {
    return std::find(offered.begin(), offered.end(), text) - offered.begin();
  };
  const std::vector<std::string> il = terms("il pa");
  ASSERT_FALSE(il.empty());
  EXPECT_LT(position(il, "il patto"), position(il, "il parrocchia")) << il.front();
  const std::vector<std::string> le = terms("le ma");
  ASSERT_FALSE(le.empty());
  EXPECT_NE(le.front(), "le manutenzione");
  const std::vector<std::string> nel = terms("come coinvolgere i giovani nel ser");
  ASSERT_FALSE(nel.empty());
  EXPECT_EQ(nel.front(), "come coinvolgere i giovani nel servizio");
  const std::vector<std::string> la = terms("la cri");
  ASSERT_FALSE(la.empty());
  EXPECT_EQ(la.front(), "la crisi");
}

// After a space, a phrase with an elided article is written with its
// apostrophe: «lavoro all'aperto», not «lavoro all aperto».
TEST_F(SearchCompleteTest, TheNextWordsKeepTheirApostrophes) {
  const std::vector<std::string> offered = terms("lavoro ");
  EXPECT_NE(std::find(offered.begin(), offered.end(), "lavoro all'aperto"), offered.end());
  for (const std::string& t : offered) EXPECT_EQ(t.find("all "), std::string::npos) << t;
}

}  // namespace
}  // namespace bp
