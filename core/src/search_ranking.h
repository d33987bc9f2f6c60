// The ranked page of a query, with the same answer as one Xapian match over
// everything, mostly without Xapian's matcher.
//
// Xapian 1.4 ranks a document at a time, decoding every posting of every
// term of the query (about 1,000 instructions a match at 10,000 practices),
// and cannot skip documents of an OP_SYNONYM (a prefix's 40 completions, a
// theme's synonyms): a synonym is one virtual term whose weight needs each
// document's summed wdf. The counting pass already knows which documents
// match (search_facets.h), and the wdfs of the frequent terms and the
// documents' lengths are kept between searches, so:
//  0. the exact scores: each match's BM25 weight computed as
//     Xapian::BM25Weight does (log(tw) × factor × (k1+1) × wdf / (k1 (b
//     normlen + 1 - b) + wdf) per term; a synonym on the sum of its parts'
//     wdfs capped at the length, its tw measured by Xapian on one
//     document; sums over OR, AND, AND_MAYBE; a FixedWeightPostingSource's
//     weight), equal to Xapian's up to rounding. When their order is
//     certain (each document of the page above the next and the last above
//     the rest by more than the rounding, or at the same score with the
//     same inputs, which Xapian orders by id) that is the page, and Xapian's
//     matcher is not run. Not modelled: a phrase whose words are together
//     in some match (one whose words never are weighs nothing), wdfs of
//     255 or more.
//  1. otherwise an upper bound U(d) of each matching document's weight
//     (the exact score with a margin, or, for phrases, their words' weights
//     wherever all of them are; a synonym's tw from a lower bound of its
//     estimated frequency where it cannot be measured);
//  2. Xapian ranks exactly the few documents with the highest bounds (a
//     PostingSource over them under OP_FILTER, which adds no weight), and
//     when the k-th weight found exceeds every bound left out, that page is
//     the answer; else Xapian ranks every document whose bound reaches that
//     k-th weight (a set that holds the true top k), which is.
// Ties (by document id) and order are Xapian's own: only which documents
// it looks at changes, and whether it is asked at all.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>
#include <xapian.h>

#include "search_docset.h"
#include "search_term_sets.h"

namespace bp::search {

// Each document's length (as Xapian's get_doclength), by id, for one
// revision of a database; shared like the other per-revision data.
struct DocLengths {
  std::vector<Xapian::termcount> length;  // by document id; 0 past the last
  // May throw Xapian::Error.
  static std::shared_ptr<const DocLengths> of(const Xapian::Database& db);
};

// The BM25 parameters of every ranked match of the searcher (Xapian::
// BM25Weight's k1, k2, k3, b, min_normlen), and of the bounds below. b is
// 0.9 rather than Xapian's 0.5: a long practice that mentions a word in
// passing no longer outranks a short one about it (measured on the
// relevance collection, docs/search-quality.md: b 0.3, 0.5, 0.75, 0.9;
// k1 1, 1.2, 1.5, 2).
struct Bm25Parameters {
  double k1, k2, k3, b, min_normlen;
};
inline constexpr Bm25Parameters kBm25{1.0, 0.0, 1.0, 0.9, 0.5};

// A weighting scheme with kBm25's parameters.
inline Xapian::BM25Weight bm25_weight() {
  return Xapian::BM25Weight(kBm25.k1, kBm25.k2, kBm25.k3, kBm25.b, kBm25.min_normlen);
}

// The bm25_weight() of the best match of `query` as a share of the most a
// document could weigh (Xapian's MSet::get_max_possible(): each term at its
// highest weight), in [0, 1]; 0 when nothing matches. One ranked match for
// one document. May throw Xapian::Error.
double best_weight_share(const Xapian::Database& db, const Xapian::Query& query);

// One document of a ranked page and its weight.
struct RankedDoc {
  Xapian::docid did;
  double weight;
};

// The second phase of a relaxed query's ranking (docs/search-quality.md,
// "Saturated concepts"). BM25 sums its clauses' weights, so one clause
// whose word is rare in the library (a word two practices use, said in
// passing) outweighs two or three concepts a practice is about, found
// through its everyday words, its plain words or a synonym. Each document of
// `window` (a ranked page from the first document, its weights as ranked)
// is scored again with every clause's BM25 weight w in it replaced by
// S (1 - exp(-w / S)): about w for a weak match, at most S for a strong
// one. S is kClauseSaturation times ln(documents), about half of what one
// term found once in one practice weighs, so the curve keeps its shape as
// the library grows. The rest of a weight (the full-match bonuses) is kept
// as it is. The window comes back in the new order (equal weights by id,
// as Xapian orders them); the documents after it keep Xapian's order, so
// pages stay disjoint. `clauses` are the query's clauses, each as it
// weighs in the query (QueryUnderstanding::relaxed_clause); one ranked
// match of the window's documents per clause. Measured: 0.8 to 1.5 gave
// the same success@3 within four queries; a window of 15, 30 or 100 the
// same (15 lowered four nDCG@10 figures).
// May throw Xapian::Error.
inline constexpr double kClauseSaturation = 1.0;
inline constexpr Xapian::doccount kSaturationWindow = 30;
// The searcher saturates a relaxed query of this many clauses or more: with
// two (a word and its context) it lowered as many figures as it raised.
inline constexpr std::size_t kMinClausesToSaturate = 3;
std::vector<RankedDoc> saturate_clauses(const Xapian::Database& db, std::vector<RankedDoc> window,
                                        const std::vector<Xapian::Query>& clauses);

class TwoStageRanking {
 public:
  // Below this many matches one Xapian match is as quick as the bounds
  // (the exact scores are tried at any number).
  static constexpr std::uint64_t kMinMatches = 2000;

  // The ranked page [first, first + count) of `query` (bm25_weight(),
  // relevance order: Xapian's documents in Xapian's order), whose matches
  // are exactly `matches`; nullopt when it is left to one Xapian match (a
  // part the bounds do not model, too few matches). The weights are
  // Xapian's, or, when the page comes from the exact scores, theirs (equal
  // up to rounding, within 1e-9). May throw Xapian::Error.
  std::optional<std::vector<RankedDoc>> page(const Xapian::Database& db, const Xapian::Query& query,
                                             const DocSet& matches, Xapian::doccount first, Xapian::doccount count);

  // saturate_clauses(db, window, clauses), each clause's weights from the
  // exact scores (no Xapian match) where the clause is modelled, from one
  // Xapian match over the window where it is not; the same order.
  std::vector<RankedDoc> saturated(const Xapian::Database& db, std::vector<RankedDoc> window,
                                   const std::vector<Xapian::Query>& clauses);

  // The exact score S(d) of every document of `matches` (indexed by id, 0
  // elsewhere), or nullopt when the query is not modelled. For tests.
  std::optional<std::vector<double>> exact_scores(const Xapian::Database& db, const Xapian::Query& query,
                                                  const DocSet& matches);

  // The bound U(d) of every document of `matches` (indexed by id, 0
  // elsewhere), or nullopt when the query is not modelled. For tests.
  std::optional<std::vector<double>> bounds(const Xapian::Database& db, const Xapian::Query& query,
                                            const DocSet& matches);

 private:
  void sync(const Xapian::Database& db);

  std::shared_ptr<const TermCache> terms_;
  std::shared_ptr<const DocLengths> lengths_;
  std::string revision_;
};

}  // namespace bp::search
