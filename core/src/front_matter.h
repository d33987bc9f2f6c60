// Splitting a case file into its YAML front matter and its Markdown body.
// Internal to bp_core.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "bp/diagnostic.h"

namespace bp::detail {

struct FrontMatter {
  std::string yaml;   // the YAML between the two '---' lines, '\n' line ends
  int open_line = 1;  // file line of the opening '---'
  int yaml_line = 2;  // file line of the first YAML line
  int close_line = 0; // file line of the closing '---'
  std::string body;   // Markdown after the closing line, '\n' line ends
  int body_line = 1;  // file line where the body starts
};

// Drops a leading UTF-8 byte order mark and turns CRLF (and lone CR) line
// ends into '\n'. Line numbers are unchanged.
std::string normalise_newlines(std::string_view text);

// Splits normalised `text` (see normalise_newlines). The front matter must
// open on the very first line with '---' and close with '---' (or '...').
// On failure appends one error for `file` to `diagnostics` and returns nullopt.
std::optional<FrontMatter> split_front_matter(std::string_view text, const std::string& file,
                                              Diagnostics* diagnostics);

// 1-based line of byte `offset` in `text` (counting '\n').
int line_of_offset(std::string_view text, std::size_t offset);

}  // namespace bp::detail
