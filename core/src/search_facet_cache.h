// The facet values of every document, in memory, for counting.
//
// Counting facets means looking at every matching document; reading its
// value slots through Document::get_value() and splitting the joined values
// was most of the time of a search. This cache holds, per facet, the value
// numbers of each document id, read once per database revision from the
// value streams, so a count is a few array increments per document; and
// per value, the set of documents that have it (search_docset.h), so that
// counting a large match is one intersection per value.
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

#include "search_docset.h"

namespace bp::search {

class FacetCache {
 public:
  // The cache of `db` as it is now (built on first use, then shared). May
  // throw Xapian::Error.
  static std::shared_ptr<const FacetCache> of(const Xapian::Database& db);

  // Facets are numbered as in schema::kFacets.
  const std::vector<std::string>& values(std::size_t facet) const { return facets_[facet].values; }

  // The documents the cache covers: ids 1..last_docid() of the database
  // it was read from.
  Xapian::docid last_docid() const { return last_; }

  // Adds 1 to counts[v] for each value v of document `did` in `facet` (each
  // value once, even when the slot repeats it). `did` must be covered.
  void add(std::size_t facet, Xapian::docid did, std::uint64_t* counts) const {
    const Facet& f = facets_[facet];
    for (std::uint32_t i = f.offsets[did]; i < f.offsets[did + 1]; ++i) ++counts[f.ids[i]];
  }

  // The documents having value number `value` of `facet`.
  const DocSet& documents(std::size_t facet, std::size_t value) const { return facets_[facet].documents[value]; }

 private:
  struct Facet {
    std::vector<std::string> values;
    std::vector<std::uint32_t> offsets;  // ids of document d: ids[offsets[d], offsets[d+1])
    std::vector<std::uint16_t> ids;
    std::vector<DocSet> documents;  // per value number
  };
  explicit FacetCache(const Xapian::Database& db);

  Xapian::docid last_ = 0;
  std::vector<Facet> facets_;
};

}  // namespace bp::search
