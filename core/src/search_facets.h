// Facet counting: a MatchSpy that counts every value of multi-valued facets
// (Xapian 1.4's ValueCountMatchSpy counts a slot's whole string as one
// value, and our slots hold values joined by schema::kFacetSeparator).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>
#include <xapian.h>

#include "search_facet_cache.h"

namespace bp::search {

class FacetSpy : public Xapian::MatchSpy {
 public:
  // Counts the facets schema::kFacets[f] for each f in `facets`, from
  // `cache` (documents it does not cover are read from their slots).
  FacetSpy(std::shared_ptr<const FacetCache> cache, std::vector<std::size_t> facets);

  void operator()(const Xapian::Document& doc, double weight) override;
  std::string name() const override { return "bp::FacetSpy"; }

  // Counts for facets[i], by value.
  std::map<std::string, std::uint64_t> counts(std::size_t i) const;

 private:
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  // Slot strings of uncovered documents, counted whole, split at the end.
  using Joined = std::unordered_map<std::string, std::uint64_t, StringHash, std::equal_to<>>;

  std::shared_ptr<const FacetCache> cache_;
  std::vector<std::size_t> facets_;
  std::vector<std::vector<std::uint64_t>> by_number_;  // per facet, per cached value number
  std::vector<Joined> joined_;
};

}  // namespace bp::search
