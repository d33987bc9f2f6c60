// Reading a case file's front matter into a Practice, checking every field
// against the format of docs/dev/formats.md and the taxonomy. Internal to bp_core.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "bp/diagnostic.h"
#include "bp/practice.h"
#include "bp/taxonomy.h"
#include "yaml_util.h"

namespace bp::detail {

// A slug named by a file, with the line naming it, for library-wide checks.
struct SlugRef {
  std::string slug;
  int line = 0;
};

// A tag as written in a file, with its line.
struct TagRef {
  std::string tag;
  int line = 0;
};

// What the library-wide and file-system checks need beyond the Practice.
struct PracticeRefs {
  std::vector<SlugRef> related;  // `related:` items
  std::vector<SlugRef> links;    // body links to /pratiche/<slug>
  int cover_line = 0;            // line of cover.src (0 = no local cover to check)
  int hub_line = 0;              // line of `hub:` (0 = absent)
  std::vector<TagRef> tags;      // `tags:` items
  std::vector<TermUse> terms;    // vocabulary values, known or not (taxonomy_slug_typos)
};

// Checks the front-matter mapping `root` and fills `practice` (fields with
// errors are left at their defaults). `open_line` is the file line of the
// opening '---', used for missing required fields.
void read_practice_fields(const YAML::Node& root, const YamlSource& source, int open_line,
                          const Taxonomy& taxonomy, Practice* practice, PracticeRefs* refs,
                          Diagnostics* diagnostics);

// True for a real calendar date written YYYY-MM-DD; otherwise `*why` says
// what is wrong, in Italian.
bool check_date(const std::string& value, std::string* why);

}  // namespace bp::detail
