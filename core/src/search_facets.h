// Facet counting: a MatchSpy that counts every value of multi-valued facet
// slots (Xapian 1.4's ValueCountMatchSpy counts a slot's whole string as one
// value, and our slots hold values joined by schema::kFacetSeparator).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>
#include <xapian.h>

namespace bp::search {

class FacetSpy : public Xapian::MatchSpy {
 public:
  explicit FacetSpy(std::vector<Xapian::valueno> slots);

  void operator()(const Xapian::Document& doc, double weight) override;
  std::string name() const override { return "bp::FacetSpy"; }

  // Counts for slots()[i], by value.
  std::map<std::string, std::uint64_t> counts(std::size_t i) const;
  const std::vector<Xapian::valueno>& slots() const { return slots_; }

 private:
  // A facet has a few dozen values at most: a linear scan of a small vector
  // beats hashing each value.
  using Tally = std::vector<std::pair<std::string, std::uint64_t>>;
  static void add(Tally& tally, std::string_view value);

  std::vector<Xapian::valueno> slots_;
  std::vector<Tally> tallies_;
};

}  // namespace bp::search
