#include "search_facets.h"

#include "schema.h"

namespace bp::search {

FacetSpy::FacetSpy(std::shared_ptr<const FacetCache> cache, std::vector<std::size_t> facets)
    : cache_(std::move(cache)), facets_(std::move(facets)), joined_(facets_.size()) {
  for (std::size_t f : facets_)
    by_number_.emplace_back(cache_ ? cache_->values(f).size() : 0, 0);
}

void FacetSpy::operator()(const Xapian::Document& doc, double) {
  const Xapian::docid did = doc.get_docid();
  for (std::size_t i = 0; i < facets_.size(); ++i) {
    if (cache_ && cache_->add(facets_[i], did, by_number_[i].data())) continue;
    const std::string value = doc.get_value(schema::kFacets[facets_[i]].slot);
    if (value.empty()) continue;
    auto it = joined_[i].find(std::string_view(value));
    if (it != joined_[i].end()) {
      ++it->second;
    } else {
      joined_[i].emplace(value, 1);
    }
  }
}

std::map<std::string, std::uint64_t> FacetSpy::counts(std::size_t i) const {
  std::map<std::string, std::uint64_t> out;
  if (cache_) {
    const auto& values = cache_->values(facets_[i]);
    for (std::size_t n = 0; n < values.size(); ++n)
      if (by_number_[i][n] != 0) out[values[n]] += by_number_[i][n];
  }
  for (const auto& [joined, n] : joined_[i]) {
    std::string_view rest(joined);
    while (!rest.empty()) {
      const std::size_t sep = rest.find(schema::kFacetSeparator);
      const std::string_view value = rest.substr(0, sep);
      if (!value.empty()) out[std::string(value)] += n;
      if (sep == std::string_view::npos) break;
      rest.remove_prefix(sep + 1);
    }
  }
  return out;
}

}  // namespace bp::search
