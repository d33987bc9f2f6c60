#include "search_facets.h"

#include "bp/schema.h"

namespace bp::search {

FacetSpy::FacetSpy(std::vector<Xapian::valueno> slots)
    : slots_(std::move(slots)), tallies_(slots_.size()) {}

void FacetSpy::add(Tally& tally, std::string_view value) {
  if (value.empty()) return;
  for (auto& [v, n] : tally) {
    if (v == value) {
      ++n;
      return;
    }
  }
  tally.emplace_back(std::string(value), 1);
}

void FacetSpy::operator()(const Xapian::Document& doc, double) {
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    const std::string joined = doc.get_value(slots_[i]);
    std::string_view rest(joined);
    while (!rest.empty()) {
      const std::size_t sep = rest.find(schema::kFacetSeparator);
      add(tallies_[i], rest.substr(0, sep));
      if (sep == std::string_view::npos) break;
      rest.remove_prefix(sep + 1);
    }
  }
}

std::map<std::string, std::uint64_t> FacetSpy::counts(std::size_t i) const {
  return {tallies_[i].begin(), tallies_[i].end()};
}

}  // namespace bp::search
