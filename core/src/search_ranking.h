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

namespace bp::search {

// Passage ranking (issue 17, docs/search-quality.md "Passage ranking"):
// among the first candidates of a ranked page, a practice whose concepts
// occur close together (in one passage of its text) is preferred to one
// that has the same words scattered over a long text, as Meilisearch's
// "proximity" rule and Typesense's best-passage ranking do.
//
// A concept is a clause of the query; its words are the unstemmed words of
// the index (which have positions) whose stem is one of the clause's typed
// stemmed terms, plus its unstemmed terms themselves.
struct PassageRanking {
  // Words of the index read per stem to find its forms.
  static constexpr std::size_t kMaxFormsScanned = 200;
  // Only the first this many documents of the BM25 order are re-ranked.
  static constexpr Xapian::doccount kCandidates = 30;
  // Width of a passage, in word positions.
  static constexpr Xapian::termpos kWindow = 20;
  // The most the bonus adds, as a share of the first candidate's weight.
  static constexpr double kBonusShare = 0.2;
};

// TEMPORARY measurement override.
struct PassageTune {
  Xapian::doccount candidates;
  Xapian::termpos window;
  double share;
  unsigned mode;
  unsigned min_concepts;
  unsigned formula;
};
const PassageTune& passage_tune();

struct PassageConcepts {
  std::vector<std::vector<std::string>> words;  // by concept; empty: the concept has no positional word
  // Concepts with at least one word.
  std::size_t present() const;
};

// The words of each of `concepts` (the queries of the clauses, as typed).
// A stemmed term "Z<stem>" (no field prefix) maps to the words of the index
// beginning with <stem> whose stem it is (at most
// PassageRanking::kMaxFormsScanned read per stem). May throw Xapian::Error.
PassageConcepts passage_concepts(const Xapian::Database& db, const Xapian::Stem& stemmer,
                                 const std::vector<Xapian::Query>& concepts);

// The largest number of distinct concepts with an occurrence within one
// window of PassageRanking::kWindow consecutive positions of `did`. May throw
// Xapian::Error.
std::size_t passage_concepts_together(const Xapian::Database& db, Xapian::docid did, const PassageConcepts& concepts);


// The passage bonus of a document with `together` of `present` concepts in
// one passage, given the first candidate's weight `top`: kBonusShare × top
// × (together - 1) / (present - 1); 0 below two concepts. The one
// definition of the bonus.
double passage_bonus(std::size_t together, std::size_t present, double top);

// Re-ranks the first PassageRanking::kCandidates of `ranked` (BM25 order,
// from the first document) by weight + passage_bonus (stable: ties keep
// the BM25 order); the weights become those sums. Nothing changes with
// fewer than two concepts present. May throw Xapian::Error.
void rerank_by_passage(const Xapian::Database& db, const PassageConcepts& concepts, std::vector<RankedDoc>* ranked);

}  // namespace bp::search
