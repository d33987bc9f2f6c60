// The relevance collection (bench/relevance/queries.tsv, format in its
// header): its reader, and opening the index and the taxonomy, shared by
// bp-relevance, bp-relevance-explain and bp-suggest-quality.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <iostream>
#include <optional>
#include <xapian.h>

#include "bp/taxonomy.h"
#include "index_store.h"
#include "schema.h"

namespace bp::relevance {

// The live database of an index folder (DIR/CURRENT), or DIR itself when it
// is a database (a replica). May throw Xapian::Error.
inline Xapian::Database open_index(const std::filesystem::path& dir) {
  return Xapian::Database(index_store::current_database(dir).value_or(dir).string());
}

// DIR/taxonomy.yaml, its diagnostics on stderr when it cannot be loaded.
inline std::optional<Taxonomy> load_taxonomy(const std::filesystem::path& content) {
  Diagnostics diagnostics;
  std::optional<Taxonomy> taxonomy = Taxonomy::load(content / "taxonomy.yaml", &diagnostics);
  if (!taxonomy)
    for (const auto& d : diagnostics) std::cerr << d.format() << "\n";
  return taxonomy;
}

struct Judged {
  int line = 0;
  std::string kind;
  std::string q;
  std::map<std::string, std::vector<std::string>> filters;
  std::map<std::string, int> grades;  // slug -> 1 or 2
};

inline std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep))
    if (!cur.empty()) out.push_back(cur);
  return out;
}

// Reads the collection; problems go to `errors` as file:line messages.
inline std::vector<Judged> read_collection(const std::filesystem::path& file, std::vector<std::string>* errors) {
  std::ifstream in(file);
  if (!in) {
    errors->push_back(file.string() + ": cannot read the file");
    return {};
  }
  std::vector<Judged> out;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cols;
    std::size_t start = 0;
    for (std::size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1)
      cols.push_back(line.substr(start, tab - start));
    cols.push_back(line.substr(start));
    const std::string where = file.string() + ":" + std::to_string(n) + ": ";
    if (cols.size() != 4) {
      errors->push_back(where + "expected 4 tab-separated columns, found " + std::to_string(cols.size()));
      continue;
    }
    Judged j;
    j.line = n;
    j.kind = cols[0];
    j.q = cols[1];
    for (const std::string& f : split(cols[2], ';')) {
      const auto eq = f.find('=');
      if (eq == std::string::npos || bp::schema::find_facet(f.substr(0, eq)) == nullptr) {
        errors->push_back(where + "bad filter '" + f + "' (facet=value)");
        continue;
      }
      j.filters[f.substr(0, eq)] = split(f.substr(eq + 1), ',');
    }
    for (const std::string& g : split(cols[3], ' ')) {
      const auto colon = g.find(':');
      const std::string slug = g.substr(0, colon);
      const int grade = colon == std::string::npos ? 2 : std::atoi(g.c_str() + colon + 1);
      if (grade < 1 || grade > 2) errors->push_back(where + "grade must be 1 or 2 in '" + g + "'");
      j.grades[slug] = grade;
    }
    if (j.kind.empty() || j.q.empty() || j.grades.empty())
      errors->push_back(where + "kind, query and at least one judgement are required");
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace bp::relevance
