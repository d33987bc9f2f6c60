// Splitting text into words the way Xapian's TermGenerator does (runs of
// letters, digits and combining marks; "3.5" and "1,5" stay whole), keeping
// byte offsets into the original text so that snippets can mark them.
#pragma once

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

// Every word of `text`, in order. Invalid UTF-8 bytes separate words.
std::vector<Token> tokenize(std::string_view text);

// Same, as strings.
std::vector<std::string> split_words(std::string_view text);

// ASCII lower-casing of an ASCII token (the fast path of text::fold_lower).
std::string ascii_lower(std::string_view s);

}  // namespace bp::search
