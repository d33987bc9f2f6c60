// The checks of programme.yaml, shared by the catalogue loader and the
// checks of the editions' sessions. Internal to bp_core.
#pragma once

#include <yaml-cpp/yaml.h>

#include <set>
#include <string>
#include <vector>

#include "bp/catalogue.h"
#include "bp/diagnostic.h"
#include "bp/taxonomy.h"
#include "yaml_util.h"

namespace bp::detail {

// Collects `file:line: message` diagnostics for programme.yaml. Messages
// start with where the problem is ("edizione 'm01-nord': ...").
class CatalogueChecker {
 public:
  CatalogueChecker(YamlSource source, const Taxonomy& taxonomy, Diagnostics* out)
      : source_(std::move(source)), tax_(taxonomy), out_(out) {}

  void error(const YAML::Node& n, const std::string& msg) { add(n, msg, Severity::kError); }
  void warning(const YAML::Node& n, const std::string& msg) { add(n, msg, Severity::kWarning); }
  void error_at(int line, const std::string& msg);

  // A required scalar; "" (after an error) when missing or not a scalar.
  std::string required(const YAML::Node& map, const char* key, const std::string& where);
  // An optional scalar; "" when absent (an error when not a scalar).
  std::string optional(const YAML::Node& map, const char* key, const std::string& where);
  // A list of scalars; empty when absent (an error when not a list).
  std::vector<std::string> list(const YAML::Node& map, const char* key, const std::string& where);
  // True when `slug` belongs to the taxonomy `vocabulary`; otherwise an
  // error with a "forse ...?" hint when a term is close.
  bool known(const YAML::Node& n, const std::string& vocabulary, const std::string& slug,
             const std::string& where);
  // Warnings for keys of `map` outside `allowed`, with a hint when close.
  void unknown_keys(const YAML::Node& map, const std::set<std::string>& allowed, const std::string& where);

  const Taxonomy& taxonomy() const { return tax_; }
  // Where known() records each value it is asked about, or nullptr.
  void record_terms(std::vector<TermUse>* terms) { terms_ = terms; }

 private:
  void add(const YAML::Node& n, const std::string& msg, Severity sev);

  YamlSource source_;
  const Taxonomy& tax_;
  Diagnostics* out_;
  std::vector<TermUse>* terms_ = nullptr;
};

// Reads and checks the `sessions:` list of the edition mapping `node` into
// `edition->sessions`: real dates, HH:MM times with the end after the
// start, no nonexistent local time, inside the edition's span (checked only
// when `span_ok`), sorted without overlaps, http(s) links. `kind` is the
// activity's: a module is expected to have four meetings, every kind but
// tutoraggio some.
void load_sessions(CatalogueChecker& checker, const YAML::Node& node, const std::string& kind, bool span_ok,
                   const std::string& where, Edition* edition);

}  // namespace bp::detail
