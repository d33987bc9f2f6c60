// The controlled vocabularies of the library, loaded from
// library-content/taxonomy.yaml (never hard-coded in C++).
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bp/diagnostic.h"
#include "bp/status.h"

namespace bp {

struct Term {
  std::string slug;      // e.g. "gruppi-di-acquisto-solidale", "nord", "12", "m03"
  std::string label;     // Italian label
  std::string label_en;  // English label (may be empty)
  std::string description;
  std::vector<std::string> synonyms;  // words or phrases that mean the same (GAS, ...)
  std::string hub;           // regions: the hub they belong to
  std::string group;         // modules: their macro-action id
  std::string color;         // sdgs: official colour "#E5243B"
};

struct Vocabulary {
  std::string name;  // "hub", "region", "theme", "dimension", "sdg", "audience", "module", "macro_action"
  std::vector<Term> terms;

  const Term* find(const std::string& slug) const;
  std::vector<std::string> slugs() const;
};

// A group of equivalent query words (from themes' synonyms and the
// free-standing `synonyms:` list), e.g. {"gas", "gruppo di acquisto solidale"}.
struct SynonymGroup {
  std::vector<std::string> terms;
};

class Taxonomy {
 public:
  // Loads `file`. Problems are appended to `diagnostics` (file:line); returns
  // nullopt only when the file cannot be used at all.
  static std::optional<Taxonomy> load(const std::filesystem::path& file, Diagnostics* diagnostics);

  // Same from YAML text already in memory; `file` names it in diagnostics.
  static std::optional<Taxonomy> from_yaml(const std::string& yaml, const std::string& file,
                                           Diagnostics* diagnostics);

  // Vocabulary by name ("hub", "region", "theme", "dimension", "sdg",
  // "audience", "module", "macro_action", and when taxonomy.yaml has them
  // "level", "subject", "duration"); nullptr when unknown or absent.
  const Vocabulary* vocabulary(const std::string& name) const;
  const std::vector<Vocabulary>& vocabularies() const { return vocabularies_; }
  const std::vector<SynonymGroup>& synonyms() const { return synonyms_; }

  // The hub a region (slug) belongs to, or "" when the region is unknown.
  std::string hub_of_region(const std::string& region_slug) const;

  // Closest slug of `vocabulary` to `value` (edit distance, accent and case
  // insensitive), for "forse 'economia-circolare'?" hints; "" when none is close.
  // A label ("Valle d'Aosta", "Economia circolare"), a theme's synonym ("GAS")
  // or a slug written loosely also counts as close, with distance 0.
  std::string closest(const std::string& vocabulary, const std::string& value) const;

  // The slug whose label (Italian or English, accent and case insensitive) is
  // `value`, or whose slug equals text::slugify(value); "" when none.
  std::string slug_for_label(const std::string& vocabulary, const std::string& value) const;

 private:
  std::vector<Vocabulary> vocabularies_;
  std::vector<SynonymGroup> synonyms_;
};

}  // namespace bp
