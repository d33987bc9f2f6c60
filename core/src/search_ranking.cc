#include "search_ranking.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include "search_match_set.h"
#include "search_query_tree.h"
#include "search_weights.h"
#include "search_revision_cache.h"

namespace bp::search {
namespace {

using Q = Xapian::Query;

// Whether Xapian pays per posting for a wide OR tree, where the bounds are
// worth computing: a synonym or wildcard of at least this many terms (a
// prefix's completions, a theme's synonyms), or a term named twice (a typo's
// corrections with one stem). Measured at 100,000 practices: an AND of a
// few words with small synonyms is ranked by Xapian in less time than the
// bounds take.
constexpr std::size_t kWideSynonym = 8;

void count_leaves(const Q& q, std::map<std::string, int>* leaves, std::size_t* widest) {
  switch (q.get_type()) {
    case Q::LEAF_TERM:
      ++(*leaves)[*q.get_terms_begin()];
      return;
    case Q::OP_WILDCARD:  // the searcher's stand for one term
      *widest = std::max<std::size_t>(*widest, 1);
      return;
    case Q::OP_SYNONYM: {
      std::map<std::string, int> inside;
      std::size_t ignored = 0;
      for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) count_leaves(q.get_subquery(i), &inside, &ignored);
      std::size_t n = 0;
      for (const auto& [term, k] : inside) n += static_cast<std::size_t>(k);
      *widest = std::max(*widest, n);
      return;
    }
    default:
      for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) count_leaves(q.get_subquery(i), leaves, widest);
  }
}

bool worth_two_stages(const Q& q) {
  std::map<std::string, int> leaves;
  std::size_t widest = 0;
  count_leaves(q, &leaves, &widest);
  if (widest >= kWideSynonym) return true;
  return std::any_of(leaves.begin(), leaves.end(), [](const auto& l) { return l.second > 1; });
}

}  // namespace

std::shared_ptr<const DocLengths> DocLengths::of(const Xapian::Database& db) {
  static RevisionCache<DocLengths> caches;
  return caches.get(revision_key(db), [&] {
    auto lengths = std::make_shared<DocLengths>();
    lengths->length.assign(static_cast<std::size_t>(db.get_lastdocid()) + 1, 0);
    for (auto it = db.postlist_begin(std::string()); it != db.postlist_end(std::string()); ++it)
      lengths->length[*it] = it.get_doclength();
    return std::shared_ptr<const DocLengths>(std::move(lengths));
  });
}

void TwoStageRanking::sync(const Xapian::Database& db) {
  const std::string revision = revision_key(db);
  if (terms_ && lengths_ && !revision.empty() && revision == revision_) return;
  terms_ = TermCache::of(db);
  lengths_ = DocLengths::of(db);
  revision_ = revision;
}

std::optional<std::vector<double>> TwoStageRanking::bounds(const Xapian::Database& db, const Xapian::Query& query,
                                                          const DocSet& matches) {
  sync(db);
  std::optional<QueryWeights> bound = query_weights(db, query, matches, *terms_, *lengths_, WeightMode::kUpper);
  if (!bound) return std::nullopt;
  return std::move(bound->weight);
}

namespace {

// Xapian's page of `query` over the documents of `within` only: the
// weights are the same as over everything (the source adds none).
Xapian::MSet rank_within(const Xapian::Database& db, const Xapian::Query& query, const DocSet& within,
                         Xapian::doccount first, Xapian::doccount count) {
  DocSetSource source(within);
  Xapian::Enquire enquire(db);
  enquire.set_weighting_scheme(bm25_weight());
  enquire.set_query(Q(Q::OP_FILTER, query, Q(&source)));
  return enquire.get_mset(first, count);
}

}  // namespace

namespace {

// The first `k` documents of `matches` (each weighing value(did)) in the
// order `before`, strict and total: through a heap of k, so that no array
// as long as the matches is built (at 100,000 practices a broad query's 16
// bytes a match, twice per search, were kept by glibc's per-thread arenas).
template <typename Before, typename Value>
std::vector<RankedDoc> top_of(const DocSet& matches, std::size_t k, Before&& before, Value&& value) {
  std::vector<RankedDoc> top;
  top.reserve(k);
  if (k == 0) return top;
  matches.for_each([&](Xapian::docid did) {
    const RankedDoc d{did, value(did)};
    if (top.size() < k) {
      top.push_back(d);
      std::push_heap(top.begin(), top.end(), before);  // the last of them at the front
    } else if (before(d, top.front())) {
      std::pop_heap(top.begin(), top.end(), before);
      top.back() = d;
      std::push_heap(top.begin(), top.end(), before);
    }
  });
  std::sort_heap(top.begin(), top.end(), before);
  return top;
}

// Weight descending, then id ascending: Xapian's order of equal weights.
bool ranks_before(const RankedDoc& a, const RankedDoc& b) {
  return a.weight > b.weight || (a.weight == b.weight && a.did < b.did);
}

// The page [first, first + count) by the exact scores, when their order is
// certain: every document of the page is above the next one, and the last
// of the page above every document left out, by more than the rounding
// (kWeightSlack), or, at the same score, by id between documents with the same
// inputs (Xapian gives those the same weight and orders them by id; the
// inputs of the few documents tied so are found by `inputs_of`). nullopt
// otherwise.
template <typename InputsOf>
std::optional<std::vector<RankedDoc>> certain_page(const DocSet& matches, const std::vector<double>& weight,
                                                   Xapian::doccount first, Xapian::doccount count,
                                                   InputsOf&& inputs_of) {
  const std::size_t k = std::min<std::size_t>(matches.count(), static_cast<std::size_t>(first) + count);
  if (k == 0 || first >= k) return std::nullopt;
  const std::vector<RankedDoc> top =
      top_of(matches, k, ranks_before, [&](Xapian::docid did) { return weight[did]; });
  // a above b beyond rounding; or the same score (a's id the lower, by the
  // order above), to be confirmed by their inputs.
  DocSet tied(matches.last());
  std::vector<std::pair<Xapian::docid, Xapian::docid>> ties;
  auto certain = [&](const RankedDoc& a, const RankedDoc& b) {
    if (a.weight - (a.weight * kWeightSlack + kWeightSlack) > b.weight + (b.weight * kWeightSlack + kWeightSlack))
      return true;
    if (a.weight != b.weight) return false;
    tied.add(a.did);
    tied.add(b.did);
    ties.emplace_back(a.did, b.did);
    return true;
  };
  for (std::size_t i = 0; i + 1 < k; ++i)
    if (!certain(top[i], top[i + 1])) return std::nullopt;
  // Every document left out comes after the page's last.
  const RankedDoc& last = top[k - 1];
  bool all_certain = true;
  matches.for_each([&](Xapian::docid did) {
    const RankedDoc d{did, weight[did]};
    if (all_certain && ranks_before(last, d)) all_certain = certain(last, d);
  });
  if (!all_certain) return std::nullopt;
  if (!ties.empty()) {
    const std::optional<std::vector<std::uint64_t>> inputs = inputs_of(tied);
    if (!inputs) return std::nullopt;
    for (const auto& [a, b] : ties)
      if ((*inputs)[a] != (*inputs)[b]) return std::nullopt;
  }
  return std::vector<RankedDoc>(top.begin() + first, top.end());
}

std::vector<RankedDoc> docs_of(const Xapian::MSet& mset) {
  std::vector<RankedDoc> out;
  for (auto it = mset.begin(); it != mset.end(); ++it) out.push_back({*it, it.get_weight()});
  return out;
}

}  // namespace

std::optional<std::vector<double>> TwoStageRanking::exact_scores(const Xapian::Database& db,
                                                                const Xapian::Query& query, const DocSet& matches) {
  sync(db);
  std::optional<QueryWeights> sums = query_weights(db, query, matches, *terms_, *lengths_, WeightMode::kExact);
  if (!sums) return std::nullopt;
  return std::move(sums->weight);
}

std::optional<std::vector<RankedDoc>> TwoStageRanking::page(const Xapian::Database& db, const Xapian::Query& query,
                                                            const DocSet& matches, Xapian::doccount first,
                                                            Xapian::doccount count) {
  const std::uint64_t m = matches.count();
  if (first >= m) return std::nullopt;
  // The exact scores, when the query is modelled, and the page from them
  // when their order is certain; else they are bounds (with the margin).
  std::optional<std::vector<double>> bound;
  sync(db);
  if (std::optional<QueryWeights> sums =
          query_weights(db, query, matches, *terms_, *lengths_, WeightMode::kExact)) {
    auto inputs_of = [&](const DocSet& docs) -> std::optional<std::vector<std::uint64_t>> {
      std::optional<QueryWeights> inputs =
          query_weights(db, query, docs, *terms_, *lengths_, WeightMode::kInputs);
      if (!inputs) return std::nullopt;
      return std::move(inputs->inputs);
    };
    if (auto page = certain_page(matches, sums->weight, first, count, inputs_of)) return page;
    matches.for_each(
        [&](Xapian::docid did) { sums->weight[did] = sums->weight[did] * (1 + kWeightSlack) + kWeightSlack; });
    bound = std::move(sums->weight);
  }
  // Phrases (an acronym's expansions): their weight is bounded by their
  // words' wherever all of them are, which leaves too many documents in
  // reach to gain anything (measured: twice the time of one match).
  if (m < kMinMatches || positional(query) || (!bound && !worth_two_stages(query))) return std::nullopt;
  if (!bound) bound = bounds(db, query, matches);
  if (!bound) return std::nullopt;
  const std::size_t k = static_cast<std::size_t>(first) + count;
  const std::size_t n1 = std::min<std::size_t>(m, 4 * k + 64);
  if (n1 == m) return std::nullopt;
  const std::vector<double>& b = *bound;
  const std::vector<RankedDoc> best = top_of(matches, n1, ranks_before, [&](Xapian::docid did) { return b[did]; });
  DocSet candidates(matches.last());
  for (const RankedDoc& d : best) candidates.add(d.did);
  double left_out = 0;
  matches.for_each([&](Xapian::docid did) {
    if (!candidates.contains(did)) left_out = std::max(left_out, b[did]);
  });

  Xapian::MSet mset = rank_within(db, query, candidates, first, count);
  if (mset.size() < count) return std::nullopt;
  const double kth = (--mset.end()).get_weight();
  if (kth > left_out) return docs_of(mset);  // nothing left out can reach the page
  // Every document that may weigh as much as the k-th found: the true top
  // k are among them.
  DocSet reaching(matches.last());
  std::uint64_t n2 = 0;
  matches.for_each([&](Xapian::docid did) {
    if (b[did] >= kth) {
      reaching.add(did);
      ++n2;
    }
  });
  // Past a quarter of the matches, one match over all of them is quicker.
  if (n2 * 4 > m) return std::nullopt;
  return docs_of(rank_within(db, query, reaching, first, count));
}

double best_weight_share(const Xapian::Database& db, const Xapian::Query& query) {
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  enquire.set_weighting_scheme(bm25_weight());
  const Xapian::MSet best = enquire.get_mset(0, 1);
  if (best.empty() || best.get_max_possible() <= 0) return 0;
  return std::min(1.0, best.get_max_attained() / best.get_max_possible());
}

namespace {

// saturate_clauses(), each clause's weights over the window given by
// `weigh(clause, window, add)`, which calls add(did, w) for each document of
// the window the clause matches.
template <typename Weigh>
std::vector<RankedDoc> saturate_with(const Xapian::Database& db, std::vector<RankedDoc> window,
                                     const std::vector<Xapian::Query>& clauses, Weigh&& weigh) {
  if (window.empty() || clauses.empty()) return window;
  const double docs = static_cast<double>(std::max<Xapian::doccount>(db.get_doccount(), 2));
  const double s = kClauseSaturation * std::log(docs);
  DocSet in_window(db.get_lastdocid());
  std::map<Xapian::docid, std::size_t> position;
  for (std::size_t i = 0; i < window.size(); ++i) {
    in_window.add(window[i].did);
    position[window[i].did] = i;
  }
  for (const Xapian::Query& clause : clauses)
    weigh(clause, in_window, [&](Xapian::docid did, double w) {
      window[position[did]].weight += s * (1 - std::exp(-w / s)) - w;
    });
  std::stable_sort(window.begin(), window.end(), [](const RankedDoc& a, const RankedDoc& b) {
    return a.weight != b.weight ? a.weight > b.weight : a.did < b.did;
  });
  return window;
}

// One Xapian match of `clause` over the window's documents.
template <typename Add>
void weigh_by_xapian(const Xapian::Database& db, const Xapian::Query& clause, const DocSet& in_window,
                     Add&& add) {
  DocSetSource only(in_window);
  Xapian::Enquire enquire(db);
  enquire.set_weighting_scheme(bm25_weight());
  enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, clause, Xapian::Query(&only)));
  const Xapian::MSet weights = enquire.get_mset(0, static_cast<Xapian::doccount>(in_window.count()));
  for (auto it = weights.begin(); it != weights.end(); ++it) add(*it, it.get_weight());
}

}  // namespace

std::vector<RankedDoc> saturate_clauses(const Xapian::Database& db, std::vector<RankedDoc> window,
                                        const std::vector<Xapian::Query>& clauses) {
  return saturate_with(db, std::move(window), clauses, [&](const Xapian::Query& clause, const DocSet& in, auto&& add) {
    weigh_by_xapian(db, clause, in, add);
  });
}

std::vector<RankedDoc> TwoStageRanking::saturated(const Xapian::Database& db, std::vector<RankedDoc> window,
                                                  const std::vector<Xapian::Query>& clauses) {
  sync(db);
  return saturate_with(db, std::move(window), clauses, [&](const Xapian::Query& clause, const DocSet& in, auto&& add) {
    // The window's documents the clause matches: query_weights() weighs
    // exactly what a query matches.
    DocSet matching = match_set(db, clause, in.last(), terms_.get());
    matching.intersect(in);
    if (const std::optional<QueryWeights> exact =
            query_weights(db, clause, matching, *terms_, *lengths_, WeightMode::kExact)) {
      matching.for_each([&](Xapian::docid did) { add(did, exact->weight[did]); });
      return;
    }
    weigh_by_xapian(db, clause, in, add);
  });
}

}  // namespace bp::search
