#include "search_tokens.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <unordered_set>

namespace bp::search {
namespace {

bool unicode_word_char(UChar32 c) {
  if (c < 0) return false;
  if (u_isalnum(c)) return true;
  const int8_t type = u_charType(c);
  return type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK ||
         type == U_ENCLOSING_MARK || type == U_CONNECTOR_PUNCTUATION;
}

}  // namespace

namespace detail {

std::size_t unicode_word_at(std::string_view text, std::size_t i, bool* word) {
  int32_t pos = static_cast<int32_t>(i);
  const int32_t len = static_cast<int32_t>(text.size());
  UChar32 c = 0;
  U8_NEXT(reinterpret_cast<const uint8_t*>(text.data()), pos, len, c);
  *word = unicode_word_char(c);
  return std::max<std::size_t>(1, static_cast<std::size_t>(pos) - i);
}

}  // namespace detail

std::vector<Token> tokenize(std::string_view text) {
  std::vector<Token> out;
  for_each_token(text, [&out](const Token& t) { out.push_back(t); });
  return out;
}

std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> out;
  for (const Token& t : tokenize(text)) out.emplace_back(text.substr(t.begin, t.end - t.begin));
  return out;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool is_elided(const std::string& folded) {
  static const std::unordered_set<std::string> kElided = {"l",    "d",    "c",    "dell", "all",   "dall",
                                                          "nell", "sull", "coll", "pell", "quest", "quell",
                                                          "sant", "anch", "senz", "dov",  "com",   "cos"};
  return kElided.count(folded) != 0;
}

}  // namespace bp::search
