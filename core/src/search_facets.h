// Exact disjunctive facet counts (OR within a facet, AND across facets, as
// Algolia's and Meilisearch's front ends show them): a facet with a filter
// of its own is counted over the matches that pass the other facets'
// filters, so its other values keep their counts; every other facet over
// the matches that pass all of them.
//
// One pass for every facet: from the documents the text (and any range)
// matches, as a DocSet, and the facet cache's per-value DocSets; no extra
// Xapian match per filtered facet.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bp/search.h"
#include "search_docset.h"
#include "search_facet_cache.h"

namespace bp::search {

// A facet filter: the documents having any of `values` in
// schema::kFacets[facet].
struct FacetFilter {
  std::size_t facet = 0;
  std::vector<std::string> values;
};

struct FacetTally {
  std::uint64_t total = 0;  // matches passing every filter
  FacetCounts facets;       // every facet of schema::kFacets; values counted 0 are left out
  DocSet matching;          // the matches passing every filter (`total` of them)
};

// `matches` must hold no id past cache.last_docid(). At most one filter per
// facet.
FacetTally count_facets(const FacetCache& cache, const DocSet& matches, const std::vector<FacetFilter>& filters);

}  // namespace bp::search
