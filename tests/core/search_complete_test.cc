// Completions on the starter library (library-content/): the words before
// the last one count wherever a practice has them, the editors' plain
// words and questions included.
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace bp
