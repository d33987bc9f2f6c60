#include "search_tokens.h"

#include <array>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

namespace bp::search {
namespace {

// Which ASCII bytes are word characters: letters, digits, '_'. A table:
// snippets tokenise each hit's body text at query time.
constexpr std::array<bool, 128> kAsciiWord = [] {
  std::array<bool, 128> t{};
  for (int c = 0; c < 128; ++c)
    t[static_cast<std::size_t>(c)] =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  return t;
}();

bool ascii_word_char(unsigned char c) { return kAsciiWord[c]; }

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Decodes the code point at `i`; returns its length (0 when invalid).
std::size_t next_cp(std::string_view s, std::size_t i, UChar32* cp) {
  int32_t pos = static_cast<int32_t>(i);
  const int32_t len = static_cast<int32_t>(s.size());
  UChar32 c = 0;
  U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), pos, len, c);
  if (c < 0) {
    *cp = -1;
    return static_cast<std::size_t>(pos) - i;
  }
  *cp = c;
  return static_cast<std::size_t>(pos) - i;
}

bool unicode_word_char(UChar32 c) {
  if (c < 0) return false;
  if (u_isalnum(c)) return true;
  const int8_t type = u_charType(c);
  return type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK ||
         type == U_ENCLOSING_MARK || type == U_CONNECTOR_PUNCTUATION;
}

}  // namespace

std::vector<Token> tokenize(std::string_view text) {
  std::vector<Token> out;
  const std::size_t n = text.size();
  std::size_t i = 0;
  bool in_word = false;
  Token current;
  out.reserve(n / 6);
  while (i < n) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    // Runs of plain ASCII letters inside a word: nothing else to decide.
    if (in_word && c < 0x80 && kAsciiWord[c]) {
      do ++i;
      while (i < n && static_cast<unsigned char>(text[i]) < 0x80 && kAsciiWord[static_cast<unsigned char>(text[i])]);
      current.end = i;
      continue;
    }
    bool word = false;
    std::size_t len = 1;
    if (c < 0x80) {
      word = ascii_word_char(c);
      // A decimal separator between digits does not split a number.
      if (!word && in_word && (c == '.' || c == ',') && i > 0 && is_digit(text[i - 1]) &&
          i + 1 < n && is_digit(text[i + 1]))
        word = true;
    } else {
      UChar32 cp = 0;
      len = next_cp(text, i, &cp);
      if (len == 0) len = 1;
      word = unicode_word_char(cp);
    }
    if (word) {
      if (!in_word) {
        current = Token{i, i, true};
        in_word = true;
      }
      if (c >= 0x80) current.ascii = false;
      current.end = i + len;
    } else if (in_word) {
      out.push_back(current);
      in_word = false;
    }
    i += len;
  }
  if (in_word) out.push_back(current);
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

}  // namespace bp::search
