#include "search_match_set.h"

#include <algorithm>
#include <memory>
#include <numeric>

#include "search_query_tree.h"

namespace bp::search {
namespace {

using Q = Xapian::Query;

// Collects the ids of the documents the matcher visits.
class Collector final : public Xapian::MatchSpy {
 public:
  explicit Collector(DocSet* out) : out_(out) {}
  void operator()(const Xapian::Document& doc, double) override { out_->add(doc.get_docid()); }

 private:
  DocSet* out_;
};

class Evaluator {
 public:
  Evaluator(const Xapian::Database& db, Xapian::docid last, const TermCache* cache)
      : db_(db), last_(last), doccount_(db.get_doccount()), cache_(cache) {}

  // The documents `q` matches; only those in `within` when it is given (the
  // result may then hold no other id, but is not required to skip them all:
  // callers intersect). With `exact` false, phrases and NEAR match where all
  // their words are (a superset, without reading positions).
  DocSet evaluate(const Q& q, const DocSet* within, bool exact = true) {
    switch (q.get_type()) {
      case Q::LEAF_TERM:
        return postings(*q.get_terms_begin(), within);
      case Q::LEAF_MATCH_ALL:
        return postings(std::string(), within);
      case Q::LEAF_MATCH_NOTHING:
        return DocSet(last_);
      case Q::OP_AND:
      case Q::OP_FILTER:
        return all_of(q, within, exact);
      case Q::OP_PHRASE:
      case Q::OP_NEAR: {
        // Positions only where all the words are.
        DocSet candidates = all_of(q, within, false);
        if (!exact || candidates.count() == 0) return candidates;
        return enumerate(q, &candidates);
      }
      case Q::OP_OR:
      case Q::OP_SYNONYM:
      case Q::OP_MAX: {
        // Subqueries needing positions last, and only over the documents
        // the others did not match ("economia circolare" as a phrase is
        // checked only where "circular economy" was not found).
        DocSet out(last_);
        std::vector<std::size_t> later;
        for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) {
          if (exact && positional(q.get_subquery(i))) {
            later.push_back(i);
            continue;
          }
          out.unite(evaluate(q.get_subquery(i), within, exact));
        }
        for (std::size_t i : later) {
          DocSet candidates = evaluate(q.get_subquery(i), within, false);
          candidates.subtract(out);
          if (candidates.count() != 0) out.unite(evaluate(q.get_subquery(i), &candidates));
        }
        return out;
      }
      case Q::OP_AND_NOT: {
        DocSet out = evaluate(q.get_subquery(0), within, exact);
        if (within) out.intersect(*within);
        // What is taken away must be exact, or a superset would take too much.
        for (std::size_t i = 1; i < q.get_num_subqueries() && out.count() != 0; ++i)
          if (exact || !positional(q.get_subquery(i))) out.subtract(evaluate(q.get_subquery(i), &out));
        return out;
      }
      case Q::OP_AND_MAYBE:
      case Q::OP_SCALE_WEIGHT:
        return evaluate(q.get_subquery(0), within, exact);
      case Q::OP_WILDCARD:
        // The searcher's wildcards stand for the one term with their prefix
        // (search_query.cc): whatever its limit, Xapian expands it to that term.
        if (const auto prefix = wildcard_pattern(q)) {
          auto it = db_.allterms_begin(*prefix);
          if (it == db_.allterms_end(*prefix)) return DocSet(last_);
          const std::string term = *it;
          if (++it == db_.allterms_end(*prefix)) return postings(term, within);
        }
        return enumerate(q, within);
      case Q::LEAF_POSTING_SOURCE:
        // A theme's bonus: a FixedWeightPostingSource matches every document.
        if (fixed_source_weight(q)) return postings(std::string(), within);
        return enumerate(q, within);
      default:
        return enumerate(q, within);
    }
  }

 private:
  // The intersection of q's subqueries: the rarest first, those needing
  // positions last, each next one only over what is left.
  DocSet all_of(const Q& q, const DocSet* within, bool exact) {
    std::vector<std::size_t> order(q.get_num_subqueries());
    std::iota(order.begin(), order.end(), 0);
    std::vector<std::pair<bool, Xapian::doccount>> key(order.size());
    for (std::size_t i : order) key[i] = {exact && positional(q.get_subquery(i)), estimate(q.get_subquery(i))};
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return key[a] < key[b]; });
    DocSet out = evaluate(q.get_subquery(order[0]), within, exact);
    if (within) out.intersect(*within);
    for (std::size_t k = 1; k < order.size() && out.count() != 0; ++k)
      out.intersect(evaluate(q.get_subquery(order[k]), &out, exact));
    return out;
  }

  // About how many documents `q` matches, to order an AND.
  Xapian::doccount estimate(const Q& q) {
    switch (q.get_type()) {
      case Q::LEAF_TERM:
        return termfreq(db_, cache_, *q.get_terms_begin());
      case Q::LEAF_MATCH_NOTHING:
        return 0;
      case Q::OP_OR:
      case Q::OP_SYNONYM:
      case Q::OP_MAX: {
        Xapian::doccount sum = 0;
        for (std::size_t i = 0; i < q.get_num_subqueries() && sum < doccount_; ++i) sum += estimate(q.get_subquery(i));
        return std::min(sum, doccount_);
      }
      case Q::OP_AND:
      case Q::OP_FILTER:
      case Q::OP_PHRASE:
      case Q::OP_NEAR: {
        Xapian::doccount least = doccount_;
        for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) least = std::min(least, estimate(q.get_subquery(i)));
        return least;
      }
      case Q::OP_AND_NOT:
      case Q::OP_AND_MAYBE:
      case Q::OP_SCALE_WEIGHT:
        return estimate(q.get_subquery(0));
      default:
        return doccount_;
    }
  }

  // A posting list as a set: by skipping to each document of `within` when
  // it is much smaller than the list, else from the cache or read whole.
  DocSet postings(const std::string& term, const DocSet* within) {
    const Xapian::doccount frequency = term.empty() ? doccount_ : termfreq(db_, cache_, term);
    DocSet out(last_);
    // The posting list is opened only when read: opening it is a descent
    // of the B-tree with a cursor of its own (block reads).
    const bool skipping = within && within->count() * 8 < frequency;
    const bool keep = !skipping && cache_ != nullptr && TermCache::worth_keeping(frequency, last_);
    if (keep)
      if (auto hit = cache_->find_set(term); hit && hit->last() == out.last()) return *hit;
    auto it = db_.postlist_begin(term);
    const auto end = db_.postlist_end(term);
    if (skipping) {
      within->for_each([&](Xapian::docid did) {
        if (it == end) return;
        it.skip_to(did);
        if (it != end && *it == did) out.add(did);
      });
      return out;
    }
    for (; it != end; ++it) out.add(*it);
    if (keep) cache_->keep_set(term, std::make_shared<const DocSet>(out));
    return out;
  }

  // Xapian's own matcher, unranked, checking every match (only those in
  // `within`, when given): for what the bitmaps cannot decide (phrases and
  // NEAR need positions; value ranges).
  DocSet enumerate(const Q& q, const DocSet* within) {
    DocSet out(last_);
    Xapian::Enquire enquire(db_);
    DocSetSource source(within ? *within : out);
    enquire.set_query(within ? Q(Q::OP_FILTER, q, Q(&source)) : q);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    Collector collector(&out);
    enquire.add_matchspy(&collector);
    enquire.get_mset(0, 0, doccount_);
    return out;
  }

  const Xapian::Database& db_;
  Xapian::docid last_;
  Xapian::doccount doccount_;
  const TermCache* cache_;
};

}  // namespace

DocSet match_set(const Xapian::Database& db, const Xapian::Query& query, Xapian::docid last,
                 const TermCache* cache) {
  return Evaluator(db, last, cache).evaluate(query, nullptr);
}

}  // namespace bp::search
