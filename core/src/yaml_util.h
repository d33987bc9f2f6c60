// yaml-cpp helpers for the editors' checks: parsing with Italian messages,
// duplicate keys, tabs, and file lines from yaml-cpp Marks. Internal to bp_core.
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>

#include "bp/diagnostic.h"

namespace bp::detail {

// Where a YAML text sits in a file, for messages.
struct YamlSource {
  std::string file;    // as shown to the editor
  int first_line = 1;  // file line of the YAML text's first line
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

// True for an http(s) URL with something after the scheme.
bool is_http_url(std::string_view url);

}  // namespace bp::detail
