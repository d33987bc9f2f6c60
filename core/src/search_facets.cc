#include "search_facets.h"

#include <algorithm>

#include "schema.h"

namespace bp::search {
namespace {

// Counts `facets` over `base` into out. Either one walk over the documents
// of `base` (a few increments each, from the cache's value numbers) or one
// intersection per value (a pass over the bitmap each): whichever touches
// less memory.
void count_over(const FacetCache& cache, const DocSet& base, const std::vector<std::size_t>& facets,
                FacetCounts* out) {
  std::size_t values = 0;
  for (std::size_t f : facets) values += cache.values(f).size();
  const std::uint64_t n = base.count();
  std::vector<std::vector<std::uint64_t>> counts(facets.size());
  if (n * facets.size() * 4 < values * base.word_count()) {
    for (std::size_t i = 0; i < facets.size(); ++i) counts[i].assign(cache.values(facets[i]).size(), 0);
    base.for_each([&](Xapian::docid did) {
      for (std::size_t i = 0; i < facets.size(); ++i) cache.add(facets[i], did, counts[i].data());
    });
  } else {
    for (std::size_t i = 0; i < facets.size(); ++i) {
      const std::size_t nv = cache.values(facets[i]).size();
      counts[i].resize(nv);
      for (std::size_t v = 0; v < nv; ++v)
        counts[i][v] = n == 0 ? 0 : DocSet::count_common(base, cache.documents(facets[i], v));
    }
  }
  for (std::size_t i = 0; i < facets.size(); ++i) {
    auto& named = (*out)[std::string(schema::kFacets[facets[i]].name)];
    const auto& names = cache.values(facets[i]);
    for (std::size_t v = 0; v < names.size(); ++v)
      if (counts[i][v] != 0) named[names[v]] = counts[i][v];
  }
}

}  // namespace

FacetTally count_facets(const FacetCache& cache, const DocSet& matches, const std::vector<FacetFilter>& filters) {
  // Each filter as the set of documents passing it.
  std::vector<DocSet> passing;
  for (const FacetFilter& filter : filters) {
    DocSet docs(cache.last_docid());
    const auto& names = cache.values(filter.facet);
    for (std::size_t v = 0; v < names.size(); ++v)
      if (std::find(filter.values.begin(), filter.values.end(), names[v]) != filter.values.end())
        docs.unite(cache.documents(filter.facet, v));
    passing.push_back(std::move(docs));
  }
  FacetTally tally;
  DocSet all = matches;
  for (const DocSet& p : passing) all.intersect(p);
  tally.total = all.count();

  std::vector<std::size_t> unfiltered;
  for (std::size_t f = 0; f < std::size(schema::kFacets); ++f)
    if (std::none_of(filters.begin(), filters.end(), [&](const FacetFilter& x) { return x.facet == f; }))
      unfiltered.push_back(f);
  count_over(cache, all, unfiltered, &tally.facets);
  for (std::size_t i = 0; i < filters.size(); ++i) {
    DocSet others = matches;
    for (std::size_t j = 0; j < passing.size(); ++j)
      if (j != i) others.intersect(passing[j]);
    count_over(cache, others, {filters[i].facet}, &tally.facets);
  }
  tally.matching = std::move(all);
  return tally;
}

}  // namespace bp::search
