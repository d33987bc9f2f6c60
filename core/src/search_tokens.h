// Splitting text into words the way Xapian's TermGenerator does (runs of
// letters, digits and combining marks; "3.5" and "1,5" stay whole), keeping
// byte offsets into the original text so that snippets can mark them.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace bp::search {

struct Token {
  std::size_t begin = 0;  // byte offsets in the text
  std::size_t end = 0;
  bool ascii = true;      // only ASCII bytes
};

namespace detail {
// Which bytes are plain ASCII word characters: letters, digits, '_' (every
// byte from 0x80 up is not: it starts or continues a longer code point).
inline constexpr std::array<bool, 256> kAsciiWord = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 128; ++c)
    t[static_cast<std::size_t>(c)] =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  return t;
}();
// The code point starting at `text[i]` (not ASCII): its length in bytes
// (at least 1; an invalid byte is 1 long and no word character) and
// whether it is a word character (letter, digit, mark, connector).
std::size_t unicode_word_at(std::string_view text, std::size_t i, bool* word);

// The end of the word whose first code point ends at `i` (the rest of its
// letters, digits and marks; "3.5" and "1,5" stay whole); `*ascii` is set
// to false when it meets a byte that is not ASCII.
inline std::size_t word_rest(std::string_view text, std::size_t i, bool* ascii) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  auto digit = [s](std::size_t k) { return s[k] >= '0' && s[k] <= '9'; };
  for (;;) {
    while (i < n && kAsciiWord[s[i]]) ++i;
    if (i >= n) break;
    const unsigned char c = s[i];
    if (c < 0x80) {
      // A decimal separator between digits does not split a number.
      if ((c == '.' || c == ',') && i > 0 && digit(i - 1) && i + 1 < n && digit(i + 1)) {
        ++i;
        continue;
      }
      break;
    }
    bool word = false;
    const std::size_t len = unicode_word_at(text, i, &word);
    if (!word) break;  // the caller steps over it
    *ascii = false;
    i += len;
  }
  return i;
}
}  // namespace detail

// Calls `fn(const Token&)` for every word of `text`, in order. Invalid
// UTF-8 bytes separate words. Snippets run it over each hit's body text at
// query time, so plain ASCII (most of an Italian text) is a table look-up
// per byte.
template <typename Fn>
void for_each_token(std::string_view text, Fn&& fn) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    while (i < n && s[i] < 0x80 && !detail::kAsciiWord[s[i]]) ++i;  // between words
    if (i >= n) break;
    Token t{i, i, true};
    if (s[i] >= 0x80) {
      bool word = false;
      i += detail::unicode_word_at(text, i, &word);
      if (!word) continue;
      t.ascii = false;
    }
    i = detail::word_rest(text, i, &t.ascii);
    t.end = i;
    fn(t);
  }
}

// The word that begins at byte `begin` of `text`, which must be where
// for_each_token() finds one begin: the same end and `ascii`.
inline Token token_at(std::string_view text, std::size_t begin) {
  Token t{begin, begin, true};
  std::size_t i = begin;
  if (i < text.size() && static_cast<unsigned char>(text[i]) >= 0x80) {
    bool word = false;
    i += detail::unicode_word_at(text, i, &word);
    t.ascii = false;
  }
  t.end = detail::word_rest(text, i, &t.ascii);
  return t;
}

// Every word of `text`, in order (for_each_token).
std::vector<Token> tokenize(std::string_view text);

// Same, as strings.
std::vector<std::string> split_words(std::string_view text);

// ASCII lower-casing of an ASCII token (the fast path of text::fold_lower).
std::string ascii_lower(std::string_view s);

// Whether `folded` is a word Italian writes only elided, before an
// apostrophe ("d'", "l'", "dell'", "c'è", "quest'anno"), which text::fold
// turned into a space: what the page and the completions write back with
// its apostrophe. Not "un", which stands alone before a masculine word
// ("un anno").
bool is_elided(const std::string& folded);

}  // namespace bp::search
