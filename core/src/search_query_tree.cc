#include "search_query_tree.h"

#include <cmath>
#include <cstdlib>
#include <string_view>

namespace bp::search {
namespace {

using Q = Xapian::Query;

// The non-negative number right after `marker` in `text`.
std::optional<double> number_after(const std::string& text, std::string_view marker) {
  const std::size_t at = text.find(marker);
  if (at == std::string::npos) return std::nullopt;
  const char* begin = text.c_str() + at + marker.size();
  char* end = nullptr;
  const double v = std::strtod(begin, &end);
  if (end == begin || !std::isfinite(v) || v < 0) return std::nullopt;
  return v;
}

}  // namespace

bool positional(const Q& q) {
  if (q.get_type() == Q::OP_PHRASE || q.get_type() == Q::OP_NEAR) return true;
  for (std::size_t i = 0; i < q.get_num_subqueries(); ++i)
    if (positional(q.get_subquery(i))) return true;
  return false;
}

std::optional<std::string> wildcard_pattern(const Q& q) {
  if (q.get_type() != Q::OP_WILDCARD) return std::nullopt;
  // "Query(WILDCARD SYNONYM poverta)": the combiner, then the pattern.
  const std::string d = q.get_description();
  constexpr std::string_view kMarker = "Query(WILDCARD ";
  const std::size_t space = d.rfind(' ');
  if (d.compare(0, kMarker.size(), kMarker) != 0 || space == std::string::npos || space < kMarker.size() ||
      d.back() != ')')
    return std::nullopt;
  return d.substr(space + 1, d.size() - space - 2);
}

std::optional<double> fixed_source_weight(const Q& q) {
  if (q.get_type() != Q::LEAF_POSTING_SOURCE) return std::nullopt;
  const std::string d = q.get_description();
  constexpr std::string_view kMarker = "Query(PostingSource(Xapian::FixedWeightPostingSource(wt=";
  if (d.compare(0, kMarker.size(), kMarker) != 0) return std::nullopt;
  return number_after(d, kMarker);
}

std::optional<double> scale_factor(const Q& q) {
  if (q.get_type() != Q::OP_SCALE_WEIGHT) return std::nullopt;
  return number_after(q.get_description(), "Query(");
}

}  // namespace bp::search
