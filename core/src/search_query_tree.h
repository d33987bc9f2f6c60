// What the counting pass and the bounds of the ranking read from a Xapian
// 1.4 query tree beyond its public accessors: Xapian::Query exposes the
// type, the subqueries and the terms of a node, but not a wildcard's
// pattern, a posting source or a scale factor; those are read from
// get_description(), in one place.
#pragma once

#include <optional>
#include <string>
#include <xapian.h>

namespace bp::search {

// Whether Xapian's matcher reads positions for `q` (a phrase or NEAR in it).
bool positional(const Xapian::Query& q);

// The pattern of an OP_WILDCARD node ("poverta" for "WILDCARD SYNONYM
// poverta"); nullopt for any other node or an unreadable description.
std::optional<std::string> wildcard_pattern(const Xapian::Query& q);

// The weight of a LEAF_POSTING_SOURCE node whose source is a
// Xapian::FixedWeightPostingSource (which matches every document); nullopt
// for any other node or source.
std::optional<double> fixed_source_weight(const Xapian::Query& q);

// The factor of an OP_SCALE_WEIGHT node; nullopt for any other node.
std::optional<double> scale_factor(const Xapian::Query& q);

}  // namespace bp::search
