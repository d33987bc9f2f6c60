#include "search_facet_cache.h"

#include <limits>
#include <string_view>
#include <unordered_map>

#include "schema.h"
#include "search_revision_cache.h"

namespace bp::search {

FacetCache::FacetCache(const Xapian::Database& db) : last_(db.get_lastdocid()) {
  const Xapian::docid last = last_;
  for (const auto& field : schema::kFacets) {
    Facet f;
    std::unordered_map<std::string, std::uint16_t> numbers;
    f.offsets.assign(static_cast<std::size_t>(last) + 2, 0);
    Xapian::docid filled = 0;  // offsets[0..filled] are final
    for (auto it = db.valuestream_begin(field.slot); it != db.valuestream_end(field.slot); ++it) {
      const Xapian::docid did = it.get_docid();
      if (did > last) break;
      while (filled < did) f.offsets[++filled] = static_cast<std::uint32_t>(f.ids.size());
      const std::string joined = *it;
      std::string_view rest(joined);
      while (!rest.empty()) {
        const std::size_t sep = rest.find(schema::kFacetSeparator);
        const std::string value(rest.substr(0, sep));
        if (!value.empty()) {
          auto [n, added] = numbers.try_emplace(value, static_cast<std::uint16_t>(f.values.size()));
          if (added) {
            if (f.values.size() == std::numeric_limits<std::uint16_t>::max())
              throw Xapian::RangeError("too many values in facet slot");
            f.values.push_back(value);
            f.documents.emplace_back(last);
          }
          // Once per document, whatever the slot repeats.
          if (!f.documents[n->second].contains(did)) {
            f.documents[n->second].add(did);
            f.ids.push_back(n->second);
          }
        }
        if (sep == std::string_view::npos) break;
        rest.remove_prefix(sep + 1);
      }
    }
    while (filled < last + 1) f.offsets[++filled] = static_cast<std::uint32_t>(f.ids.size());
    facets_.push_back(std::move(f));
  }
}

std::shared_ptr<const FacetCache> FacetCache::of(const Xapian::Database& db) {
  static RevisionCache<FacetCache> caches;
  return caches.get(revision_key(db), [&db] { return std::shared_ptr<const FacetCache>(new FacetCache(db)); });
}

}  // namespace bp::search
