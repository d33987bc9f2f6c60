// Splitting text into the words Xapian 1.4's TermGenerator indexes, without
// a TermGenerator: the Analyzer builds each document's terms from these
// words itself (analyzer.h says why).
//
// The rules are TermGenerator's (xapian-core 1.4, queryparser/
// termgenerator_internal.cc, parse_terms) without CJK n-grams, which it
// applies only with FLAG_CJK_NGRAM or XAPIAN_CJK_NGRAM in the environment:
//  * a word is a run of Xapian word characters (Unicode::is_wordchar:
//    letters, marks, decimal digits and other numbers, connector
//    punctuation such as '_'), each lower-cased with Unicode::tolower;
//  * one of ' & U+00B7 U+05F4 U+2027 between two word characters joins
//    them (U+2019 and U+201B join as '); between two decimal digits
//    , . ; and U+037E U+0589 U+060D U+07F8 U+2044 U+FE10 U+FE13 U+FE14
//    join instead; U+200B..U+200D, U+2060 and U+FEFF between two word
//    characters are dropped and join;
//  * up to three '+' or '#' straight after a word belong to it ("c++",
//    "c#"), unless a word character follows them; then they are dropped
//    and the word character starts the next word;
//  * ASCII capitals separated by single dots ("U.S.A.", "P.T.O") are one
//    word of at least two letters ("usa"), unless a word character follows;
//  * bytes that are not valid UTF-8 are read as Latin-1 characters, as
//    Xapian::Utf8Iterator reads them.
// Tested against a TermGenerator on tricky text (analyzer_test.cc).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <xapian/unicode.h>

namespace bp::term_words {
namespace detail {

// ASCII byte -> its lower-case form if it is a Xapian word character
// (letters, digits, '_'), else 0. Bytes from 0x80 up: 0 (decoded apart).
inline constexpr struct AsciiWordTable {
  unsigned char lower[128];
  constexpr AsciiWordTable() : lower() {
    for (int c = 0; c < 128; ++c) {
      unsigned char l = 0;
      if (c >= 'a' && c <= 'z') l = static_cast<unsigned char>(c);
      if (c >= 'A' && c <= 'Z') l = static_cast<unsigned char>(c - 'A' + 'a');
      if (c >= '0' && c <= '9') l = static_cast<unsigned char>(c);
      if (c == '_') l = '_';
      lower[c] = l;
    }
  }
} kAscii;

// The code point at s[i] (i < n) and its length in bytes, as
// Xapian::Utf8Iterator decodes it.
inline unsigned decode(const char* s, std::size_t n, std::size_t i, std::size_t* len) {
  const auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) {
    *len = 1;
    return b;
  }
  Xapian::Utf8Iterator it(s + i, n - i);
  const unsigned ch = *it;
  ++it;
  *len = it == Xapian::Utf8Iterator() ? n - i : static_cast<std::size_t>(it.raw() - (s + i));
  return ch;
}

// The lower-case form of a word character, 0 for any other character.
inline unsigned word_lower(unsigned ch) {
  if (ch < 0x80) return kAscii.lower[ch];
  return Xapian::Unicode::is_wordchar(ch) ? Xapian::Unicode::tolower(ch) : 0;
}

inline bool is_wordchar(unsigned ch) {
  if (ch < 0x80) return kAscii.lower[ch] != 0;
  return Xapian::Unicode::is_wordchar(ch);
}

inline bool is_decimal_digit(unsigned ch) {
  if (ch < 0x80) return ch >= '0' && ch <= '9';
  return Xapian::Unicode::get_category(ch) == Xapian::Unicode::DECIMAL_DIGIT_NUMBER;
}

inline bool is_ascii_upper(unsigned ch) { return ch >= 'A' && ch <= 'Z'; }

inline constexpr unsigned kJoinSilently = ~0u;

inline bool is_invisible_joiner(unsigned ch) {
  return (ch >= 0x200b && ch <= 0x200d) || ch == 0x2060 || ch == 0xfeff;
}

// What the character between two word characters adds to the word: itself
// (or ' for U+2019 and U+201B), kJoinSilently, or 0 when it ends the word.
inline unsigned joiner(unsigned ch, bool between_digits) {
  if (between_digits) {
    switch (ch) {
      case ',': case '.': case ';': case 0x037e: case 0x0589: case 0x060d: case 0x07f8:
      case 0x2044: case 0xfe10: case 0xfe13: case 0xfe14:
        return ch;
      default:
        break;
    }
  } else {
    if (ch == '\'' || ch == '&' || ch == 0xb7 || ch == 0x5f4 || ch == 0x2027) return ch;
    if (ch == 0x2019 || ch == 0x201b) return '\'';
  }
  return is_invisible_joiner(ch) ? kJoinSilently : 0;
}

inline void append(std::string& word, unsigned ch) {
  if (ch < 0x80)
    word.push_back(static_cast<char>(ch));
  else
    Xapian::Unicode::append_utf8(word, ch);
}

}  // namespace detail

// Calls `fn(const std::string& word)` for every word of `text`, in order,
// lower-cased. `word` is a buffer reused between calls (and between calls
// of for_each_word that pass the same one).
template <typename Fn>
void for_each_word(std::string_view text, std::string& word, Fn&& fn) {
  using namespace detail;
  const char* s = text.data();
  const std::size_t n = text.size();
  std::size_t i = 0;
  std::size_t len = 0;
  for (;;) {
    // Between words.
    unsigned cp = 0;
    unsigned ch = 0;
    for (;;) {
      if (i >= n) return;
      cp = decode(s, n, i, &len);
      ch = word_lower(cp);
      if (ch) break;
      i += len;
    }
    word.clear();

    if (is_ascii_upper(cp)) {
      // Capitals separated by dots; the dot after the last one is taken too.
      std::size_t p = i;
      unsigned at = cp;
      for (;;) {
        word.push_back(static_cast<char>(at - 'A' + 'a'));
        ++p;
        if (p >= n || s[p] != '.') break;
        ++p;
        if (p >= n || !is_ascii_upper(static_cast<unsigned char>(s[p]))) break;
        at = static_cast<unsigned char>(s[p]);
      }
      std::size_t l = 0;
      if (word.size() > 1 && (p >= n || !is_wordchar(decode(s, n, p, &l)))) {
        i = p;
        fn(static_cast<const std::string&>(word));
        continue;
      }
      word.clear();
    }

    bool ended = false;  // the text ended inside the word
    unsigned prev = 0;
    for (;;) {
      // A run of word characters; ASCII ones without decoding.
      for (;;) {
        detail::append(word, ch);
        prev = ch;
        i += len;
        while (i < n) {
          const auto b = static_cast<unsigned char>(s[i]);
          if (b >= 0x80 || !kAscii.lower[b]) break;
          prev = kAscii.lower[b];
          word.push_back(static_cast<char>(prev));
          ++i;
        }
        if (i >= n) {
          ended = true;
          break;
        }
        cp = decode(s, n, i, &len);
        ch = word_lower(cp);
        if (!ch) break;
      }
      if (ended) break;
      // s[i] (cp, len bytes) is not a word character: does it join two?
      const std::size_t next = i + len;
      if (next >= n) break;
      std::size_t next_len = 0;
      const unsigned next_cp = decode(s, n, next, &next_len);
      const unsigned next_ch = word_lower(next_cp);
      if (!next_ch) break;
      const unsigned join = joiner(cp, is_decimal_digit(prev) && is_decimal_digit(next_cp));
      if (!join) break;
      if (join != kJoinSilently) detail::append(word, join);
      ch = next_ch;
      i = next;
      len = next_len;
    }

    if (!ended) {
      // '+' and '#' after the word: at most three, and no word character after them.
      const std::size_t kept = word.size();
      unsigned count = 0;
      for (;;) {
        if (cp != '+' && cp != '#') break;
        if (++count > 3) {
          word.resize(kept);
          break;
        }
        word.push_back(static_cast<char>(cp));
        i += len;
        if (i >= n) {
          ended = true;
          break;
        }
        cp = decode(s, n, i, &len);
      }
      if (!ended && is_wordchar(cp)) word.resize(kept);
    }
    fn(static_cast<const std::string&>(word));
  }
}

}  // namespace bp::term_words
