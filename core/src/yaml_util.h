// yaml-cpp helpers for the editors' checks: parsing with Italian messages,
// duplicate keys, tabs, and file lines from yaml-cpp Marks. Internal to bp_core.
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bp/diagnostic.h"
#include "bp/taxonomy.h"

namespace bp::detail {

// Where a YAML text sits in a file, for messages.
struct YamlSource {
  YamlSource(std::string file_name, int first, std::string_view yaml = {})
      : file(std::move(file_name)), first_line(first), text(yaml) {}
  std::string file;    // as shown to the editor
  int first_line = 1;  // file line of the YAML text's first line
  // The YAML text itself, when the caller has it: a check can then point at
  // the line inside a value of several lines (yaml_practice.cc).
  std::string_view text;
};

// File line of `node` (yaml-cpp Marks are 0-based), or `fallback` when the
// node carries no position.
int line_of(const YAML::Node& node, const YamlSource& source, int fallback);

// Parses `yaml`. Reports tabs used for indentation (one error per line),
// syntax errors translated to Italian with a hint, and duplicate keys in any
// mapping. Returns nullopt when the text cannot be parsed.
std::optional<YAML::Node> parse_yaml(const std::string& yaml, const YamlSource& source,
                                     Diagnostics* diagnostics);

// The Italian text for a yaml-cpp parser message (with a hint when known).
std::string translate_yaml_error(const std::string& message);

// The candidate closest to `value` (accents and case folded, edit
// distance), or "" when none is close enough to be a likely typo.
std::string nearest(const std::vector<std::string>& candidates, const std::string& value);

// "'a', 'b' o 'c'", for messages listing the allowed values.
std::string quoted_list(const std::vector<std::string>& values);

// The Italian message for `value` outside the taxonomy vocabulary
// `vocabulary`: "tema sconosciuto 'x': forse 'y'?", or the allowed values
// when there is no close one.
std::string unknown_term_message(const Taxonomy& taxonomy, const std::string& vocabulary,
                                 const std::string& value);

// Italian noun of a taxonomy vocabulary ("theme" -> "tema"), with its gender
// for the adjectives that follow it.
struct VocabularyNoun {
  const char* word;
  bool feminine;
};
VocabularyNoun vocabulary_noun(const std::string& vocabulary);

// The 1-based lines of `text` that open a git merge conflict ("<<<<<<< "):
// the file holds two versions where one must be chosen.
std::vector<int> conflict_lines(std::string_view text);
// The message for such a line, for case files and YAML files alike.
std::string conflict_message();

// "hub: nord" for the text "hub:nord" (a lowercase field name, ':' and a
// value with no space between, as a key reads when the space is missing);
// "" when `text` is not of that shape (a URL, "10:30", a name with spaces).
std::string spaced_field(const std::string& text);
// The error for a field read as the key "hub:nord": `fix` is spaced_field's
// row ("hub: nord"). One wording for case files and nested maps.
std::string spaced_field_error(const std::string& fix);

// Warns about each key of the mapping `map` outside `allowed` (an error for
// a known field with the space after ':' missing, which is not read): "campo
// sconosciuto 'x' in 'where' (viene ignorato): forse 'y'?" (without "in
// '...'" when `where` is empty). `fallback_line` is used for keys without a
// position.
void report_unknown_keys(const YAML::Node& map, const std::set<std::string>& allowed,
                         const std::string& where, const YamlSource& source, int fallback_line,
                         Diagnostics* diagnostics);

// True for an http(s) URL with something after the scheme.
bool is_http_url(std::string_view url);

}  // namespace bp::detail
