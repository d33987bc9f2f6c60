// The BM25 weight of every match of a query, computed from the counting
// pass's data instead of Xapian's matcher: the wdfs of the query's terms
// (TermCache, kept between searches), the documents' lengths
// (DocLengths) and the bitmaps of the matches (search_match_set.h). Used by
// the ranking (search_ranking.h), which says how.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>
#include <xapian.h>

#include "search_docset.h"
#include "search_term_sets.h"

namespace bp::search {

struct DocLengths;

// Relative margin between a weight computed here and Xapian's (rounding in
// two computations that sum in different orders).
inline constexpr double kWeightSlack = 1e-9;

enum class WeightMode {
  // U(d), at least Xapian's weight (kWeightSlack included): a term weighs
  // at most its BM25 share, a synonym the share of the summed wdf of its
  // terms (a phrase's words wherever they are all present), a
  // FixedWeightPostingSource its weight; an OR at most the sum of its
  // parts, an AND the same but only where all its parts match.
  kUpper,
  // S(d), Xapian's weight within kWeightSlack: the same formula as
  // Xapian::BM25Weight with kBm25 (a synonym on the sum of its parts' wdfs
  // capped at the document's length, its term weight measured by Xapian on
  // one document). Only for trees whose every part's weight is known
  // exactly: no phrase whose words are together in a match, no wdf of 255
  // or more.
  kExact,
  // Only the fingerprints of kExact's inputs (`inputs`): the wdf of each
  // weighed part and what BM25 reads of the length. Two documents with the
  // same inputs get the same weight from Xapian.
  kInputs,
};

// By document id (0 outside the matches).
struct QueryWeights {
  std::vector<double> weight;          // kUpper, kExact
  std::vector<std::uint64_t> inputs;   // kInputs
};

// The weights of `query` (bm25_weight()) for the documents of `matches`,
// which must be exactly what it matches (or a subset of it: then only those
// are weighed); nullopt when a part of the query is not modelled in `mode`.
// `terms` and `lengths` must be those of `db`'s revision. May throw
// Xapian::Error.
std::optional<QueryWeights> query_weights(const Xapian::Database& db, const Xapian::Query& query,
                                          const DocSet& matches, const TermCache& terms, const DocLengths& lengths,
                                          WeightMode mode);

}  // namespace bp::search
