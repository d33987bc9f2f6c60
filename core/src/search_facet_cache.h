// The facet values of every document, in memory, for counting.
//
// Counting facets means looking at every matching document; reading its
// value slots through Document::get_value() and splitting the joined values
// was most of the time of a search. This cache holds, per facet, the value
// numbers of each document id, read once per database revision from the
// value streams, so a count is a few array increments per document.
//
// Shared: one cache per database revision for the whole process (each
// server thread has its own Searcher, they all read the same index), held
// by shared_ptr and immutable once built; the registry is behind a mutex.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>
#include <xapian.h>

namespace bp::search {

class FacetCache {
 public:
  // The cache of `db` as it is now (built on first use, then shared). May
  // throw Xapian::Error.
  static std::shared_ptr<const FacetCache> of(const Xapian::Database& db);

  // Facets are numbered as in schema::kFacets.
  const std::vector<std::string>& values(std::size_t facet) const { return facets_[facet].values; }

  // Adds 1 to counts[v] for each value v of document `did` in `facet`.
  // Returns false when the document is not covered (a newer document than
  // the cache), so the caller can read its values instead.
  bool add(std::size_t facet, Xapian::docid did, std::uint64_t* counts) const {
    const Facet& f = facets_[facet];
    if (did + 1 >= f.offsets.size()) return false;
    for (std::uint32_t i = f.offsets[did]; i < f.offsets[did + 1]; ++i) ++counts[f.ids[i]];
    return true;
  }

 private:
  struct Facet {
    std::vector<std::string> values;
    std::vector<std::uint32_t> offsets;  // ids of document d: ids[offsets[d], offsets[d+1])
    std::vector<std::uint16_t> ids;
  };
  explicit FacetCache(const Xapian::Database& db);

  std::vector<Facet> facets_;
};

}  // namespace bp::search
