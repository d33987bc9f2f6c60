#include "search_weights.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "search_match_set.h"
#include "search_query_tree.h"
#include "search_ranking.h"

namespace bp::search {
namespace {

using Q = Xapian::Query;

// The searcher's weighting (search_ranking.h); k2 is 0.
static_assert(kBm25.k2 == 0.0, "the bounds do not model BM25's k2 term");
constexpr double kK1 = kBm25.k1;
constexpr double kK3 = kBm25.k3;
constexpr double kB = kBm25.b;
constexpr double kMinNormlen = kBm25.min_normlen;
constexpr double kSlack = kWeightSlack;
// A wdf kept as 255 is 255 or more.
constexpr std::uint8_t kWdfSaturated = 255;
// A prefix wildcard modelled up to this many terms (the searcher's own
// wildcards have one; Xapian would pick among more).
constexpr std::size_t kMaxWildcardTerms = 40;

// Mixes `v` into the fingerprint `h` (splitmix64's finaliser).
std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
  std::uint64_t z = h ^ (v + 0x9e3779b97f4a7c15u + (h << 6) + (h >> 2));
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  return z ^ (z >> 31);
}

// query_weights() (search_weights.h): the weight of a query summed over its
// parts into one array by document id, only for the documents of `matches`
// (under an AND only where it matches; the set narrowed so is the scope).
// kExact's fingerprints: each part adds (its number in tree order, its wdf),
// then the length; documents with the same inputs get the same sequence.
// `ok` false when a part is not modelled.
class Bounds {
 public:
  using Mode = WeightMode;

  Bounds(const Xapian::Database& db, const DocSet& matches, const TermCache& terms, const DocLengths& lengths,
         Mode mode = Mode::kUpper)
      : db_(db), n_(db.get_doccount()), matches_(matches), last_(matches.last()), terms_(terms),
        lengths_(lengths.length), exact_(mode != Mode::kUpper), inputs_(mode == Mode::kInputs) {
    const double average = db.get_avlength();
    len_factor_ = average != 0 ? 1 / average : 0;
  }

  // kUpper: the bounds, with a margin for rounding.
  std::vector<double> of(const Q& q) {
    QueryWeights sums = empty();
    add(q, 1.0, &sums, true);
    std::vector<double>& bound = sums.weight;
    matches_.for_each([&](Xapian::docid did) { bound[did] = bound[did] * (1 + kSlack) + kSlack; });
    return std::move(bound);
  }

  // kExact: the weights; kInputs: the fingerprints of their inputs.
  QueryWeights sums(const Q& q) {
    QueryWeights sums = empty();
    add(q, 1.0, &sums, true);
    if (inputs_) matches_.for_each([&](Xapian::docid did) { sums.inputs[did] = mix(sums.inputs[did], length_key(did)); });
    return sums;
  }

  bool ok = true;

 private:
  QueryWeights empty() const {
    QueryWeights s;
    s.weight.assign(static_cast<std::size_t>(last_) + 1, 0.0);
    if (inputs_) s.inputs.assign(s.weight.size(), 0);
    return s;
  }

  // Adds `weight` to `did` in `out`, from the part `site` with `wdf`.
  void contribute(QueryWeights* out, Xapian::docid did, double weight, std::uint64_t site, std::uint32_t wdf) {
    out->weight[did] += weight;
    if (inputs_) out->inputs[did] = mix(out->inputs[did], site << 32 | wdf);
  }

  // Calls f() with the scope narrowed to where `q` matches.
  template <typename F>
  void within(const Q& q, F&& f) {
    DocSet where = match_set(db_, q, last_, &terms_);
    where.intersect(*scope_);
    const DocSet* outer = scope_;
    scope_ = &where;
    f();
    scope_ = outer;
  }

  // Adds factor × the weight of `q` to `out`, in the documents of the
  // scope. `required`: every document of the scope matches `q`, so an AND
  // under it needs no narrowing.
  void add(const Q& q, double factor, QueryWeights* out, bool required) {
    if (!ok) return;
    switch (q.get_type()) {
      case Q::LEAF_TERM: {
        const std::string term = *q.get_terms_begin();
        if (term.empty()) {
          ok = false;
          return;
        }
        if (factor <= 0) return;
        const double weight = term_weight(static_cast<double>(terms_.termfreq(db_, term))) * factor;
        const std::uint64_t site = ++sites_;
        for_each_posting(term, [&](Xapian::docid did, std::uint8_t wdf) {
          if (exact_ && wdf >= kWdfSaturated) ok = false;
          contribute(out, did, weight * share(wdf, did), site, wdf);
        });
        return;
      }
      case Q::LEAF_MATCH_NOTHING:
      case Q::OP_VALUE_RANGE:
      case Q::OP_VALUE_GE:
      case Q::OP_VALUE_LE:
        return;  // no weight
      case Q::LEAF_POSTING_SOURCE: {
        const auto weight = fixed_source_weight(q);
        if (!weight) {
          ok = false;
          return;
        }
        const std::uint64_t site = ++sites_;
        if (factor > 0)
          scope_->for_each([&](Xapian::docid did) { contribute(out, did, *weight * factor, site, 0); });
        return;
      }
      case Q::OP_SCALE_WEIGHT: {
        const auto scale = scale_factor(q);
        if (!scale) {
          ok = false;
          return;
        }
        add(q.get_subquery(0), factor * *scale, out, required);
        return;
      }
      case Q::OP_AND:
      case Q::OP_PHRASE:
      case Q::OP_NEAR: {
        if (factor <= 0) return;
        if (positional(q)) {  // no mask without reading positions
          if (exact_) {
            // Exact only where it cannot match: its words never together.
            if (!nowhere(q)) ok = false;
            return;
          }
          for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) add(q.get_subquery(i), factor, out, false);
          return;
        }
        if (required) {
          for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) add(q.get_subquery(i), factor, out, true);
          return;
        }
        within(q, [&] {
          for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) add(q.get_subquery(i), factor, out, true);
        });
        return;
      }
      case Q::OP_MAX:
      case Q::OP_XOR:
      case Q::OP_ELITE_SET:
        if (exact_) ok = false;
        [[fallthrough]];
      case Q::OP_OR:
        for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) add(q.get_subquery(i), factor, out, false);
        return;
      case Q::OP_AND_MAYBE:
      case Q::OP_FILTER:
      case Q::OP_AND_NOT: {
        // Only the first part is required; of the others only AND_MAYBE's
        // weigh, where they match.
        auto parts = [&] {
          add(q.get_subquery(0), factor, out, true);
          if (q.get_type() == Q::OP_AND_MAYBE)
            for (std::size_t i = 1; i < q.get_num_subqueries(); ++i) add(q.get_subquery(i), factor, out, false);
        };
        if (required || positional(q)) {
          if (!required && exact_) ok = false;
          parts();
          return;
        }
        within(q, parts);
        return;
      }
      case Q::OP_SYNONYM:
      case Q::OP_WILDCARD:
        add_synonym(q, factor, out);
        return;
      default:
        ok = false;
        return;
    }
  }

  // A synonym weighs tw × share(its wdf): its wdf the sum of its terms'
  // (an AND among them only where all its terms are; a phrase the same, as
  // a bound) capped at the document's length, as Xapian's SynonymPostList
  // does; tw as synonym_weight() finds it.
  void add_synonym(const Q& q, double factor, QueryWeights* out) {
    if (factor <= 0) return;
    std::vector<std::uint32_t> summed(out->weight.size(), 0);
    auto sum_terms = [&](const std::vector<std::string>& terms, const DocSet* where) {
      for (const std::string& term : terms) {
        if (where != nullptr) {
          // Only where the part matches: by lookup for a frequent term.
          if (std::shared_ptr<const TermWdfs> kept = wdfs(term)) {
            kept->for_each_in(*where, [&](Xapian::docid did, std::uint8_t wdf) {
              if (exact_ && wdf >= kWdfSaturated) ok = false;
              summed[did] += wdf;
            });
            continue;
          }
        }
        for_each_posting(term, [&](Xapian::docid did, std::uint8_t wdf) {
          if (where == nullptr || where->contains(did)) {
            if (exact_ && wdf >= kWdfSaturated) ok = false;
            summed[did] += wdf;
          }
        });
      }
    };
    const std::size_t n = q.get_type() == Q::OP_WILDCARD ? 1 : q.get_num_subqueries();
    for (std::size_t i = 0; i < n && ok; ++i) {
      const Q child = q.get_type() == Q::OP_WILDCARD ? q : q.get_subquery(i);
      std::vector<std::string> terms;
      leaves(child, &terms);
      const Xapian::Query::op type = child.get_type();
      if (exact_ && positional(child)) {
        if (!nowhere(child)) ok = false;  // else it adds nothing
      } else if ((type == Q::OP_AND || type == Q::OP_PHRASE || type == Q::OP_NEAR) && terms.size() > 1) {
        // Where it matches (a phrase: where all its words are).
        DocSet where = positional(child)
                           ? match_set(db_, Q(Q::OP_AND, terms.begin(), terms.end()), last_, &terms_)
                           : match_set(db_, child, last_, &terms_);
        where.intersect(*scope_);
        sum_terms(terms, &where);
      } else if (type == Q::LEAF_TERM || type == Q::OP_WILDCARD || !exact_) {
        sum_terms(terms, nullptr);
      } else {
        ok = false;
      }
    }
    if (!ok) return;
    // Matching nothing here (an English synonym in an Italian library), it
    // weighs nothing here.
    bool found = false;
    for (Xapian::docid did = scope_->next(1); did != 0 && !found; did = scope_->next(did + 1)) found = summed[did] != 0;
    if (!found) return;
    const std::optional<double> measured = inputs_ ? 1.0 : synonym_weight(q, summed);
    if (!measured) {
      ok = false;
      return;
    }
    const double weight = *measured * factor;
    const std::uint64_t site = ++sites_;
    scope_->for_each([&](Xapian::docid did) {
      if (summed[did] == 0) return;
      const std::uint32_t wdf = exact_ ? std::min<std::uint32_t>(summed[did], length(did)) : summed[did];
      contribute(out, did, weight * share(wdf, did), site, wdf);
    });
  }

  // Whether the phrase or NEAR `q` (of terms) matches no document of the
  // scope: its words are never all there (an English expansion in an
  // Italian library). False when unsure.
  bool nowhere(const Q& q) {
    if (q.get_type() != Q::OP_PHRASE && q.get_type() != Q::OP_NEAR) return false;
    std::vector<std::string> words;
    for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) {
      if (q.get_subquery(i).get_type() != Q::LEAF_TERM) return false;
      words.push_back(*q.get_subquery(i).get_terms_begin());
    }
    DocSet together = match_set(db_, Q(Q::OP_AND, words.begin(), words.end()), last_, &terms_);
    together.intersect(*scope_);
    return together.count() == 0;
  }

  // Xapian's term weight for the synonym `q` (its wqf is 1), measured on
  // one document where its wdf is known (the sum of its parts', below the
  // document's length), as the weight Xapian gives it there over the BM25
  // share: the frequency Xapian weighs it by is an estimate, and a weight
  // near the whole library's size is too sensitive to it to bound it from
  // afar. kUpper, synonyms of more than terms: at least that weight, from a
  // lower bound of the estimate. nullopt when it cannot be measured
  // (kExact).
  std::optional<double> synonym_weight(const Q& q, const std::vector<std::uint32_t>& summed) {
    bool terms_only = true;
    for (std::size_t i = 0; i < q.get_num_subqueries(); ++i)
      terms_only = terms_only && q.get_subquery(i).get_type() == Q::LEAF_TERM;
    if (terms_only || exact_) {
      Xapian::docid probe = 0;
      for (Xapian::docid did = scope_->next(1); did != 0 && probe == 0; did = scope_->next(did + 1))
        if (summed[did] != 0 && summed[did] < kWdfSaturated && summed[did] <= length(did)) probe = did;
      if (probe != 0) {
        // The same synonym on the same document measures the same (the
        // summed wdf there is the revision's): remembered by the cache.
        const std::string key = q.serialise();
        std::optional<double> measured = terms_.synonym_weight(db_, key, probe);
        if (!measured) {
          DocSet one(last_);
          one.add(probe);
          DocSetSource source(std::move(one));
          Xapian::Enquire enquire(db_);
          enquire.set_weighting_scheme(bm25_weight());
          enquire.set_query(Q(Q::OP_FILTER, q, Q(&source)));
          const Xapian::MSet mset = enquire.get_mset(0, 1);
          if (mset.size() == 1) {
            measured = mset.begin().get_weight() / share(summed[probe], probe);
            terms_.keep_synonym_weight(db_, key, probe, *measured);
          }
        }
        if (measured) return *measured * (exact_ ? 1 : 1 + kSlack);
      }
    }
    if (exact_) return std::nullopt;
    return term_weight(estimate(q));
  }

  // At most the frequency Xapian estimates for `q` (a term's own; OR:
  // l + r - l r / N; AND: the product over N^(k-1); each rounded to an
  // integer, hence a margin of one per operand; 0 for anything else).
  double estimate(const Q& q) {
    const double n = static_cast<double>(n_);
    switch (q.get_type()) {
      case Q::LEAF_TERM:
        return static_cast<double>(terms_.termfreq(db_, *q.get_terms_begin()));
      case Q::OP_OR:
      case Q::OP_SYNONYM:
      case Q::OP_WILDCARD: {
        std::vector<double> e;
        if (q.get_type() == Q::OP_WILDCARD) {
          for (const std::string& t : expansion(q)) e.push_back(static_cast<double>(terms_.termfreq(db_, t)));
        } else {
          for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) e.push_back(estimate(q.get_subquery(i)));
        }
        double none = 1, most = 0;
        for (double x : e) {
          none *= 1 - std::min(x, n) / n;
          most = std::max(most, x);
        }
        return std::max(most, n * (1 - none) * (1 - kSlack) - static_cast<double>(e.size()));
      }
      case Q::OP_AND: {
        double p = n;
        for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) p *= estimate(q.get_subquery(i)) / n;
        return std::max(0.0, p * (1 - kSlack) - static_cast<double>(q.get_num_subqueries()));
      }
      default:
        return 0;
    }
  }

  Xapian::termcount length(Xapian::docid did) const { return did < lengths_.size() ? lengths_[did] : 0; }

  // What BM25 reads of a document's length: the length, or, when it is
  // clearly below min_normlen × the average (beyond rounding), only that.
  std::uint64_t length_key(Xapian::docid did) const {
    constexpr std::uint64_t kShort = std::uint64_t{1} << 40;
    return length(did) * len_factor_ < kMinNormlen * (1 - kSlack) ? kShort : length(did);
  }

  // Xapian::BM25Weight's termweight (k1 + 1 included) for a term of
  // frequency `termfreq` (at most it: tw falls as the frequency rises)
  // and wqf 1. Xapian weighs each occurrence of a term in the query apart,
  // with its own wqf (a synonym with 1); QueryUnderstanding builds every
  // term with the default, 1.
  double term_weight(double termfreq) const {
    const double tf = std::clamp(termfreq, 0.0, static_cast<double>(n_));
    double tw = (static_cast<double>(n_) - tf + 0.5) / (tf + 0.5);
    if (tw < 2) tw = tw * 0.5 + 1;
    constexpr double kWqf = 1;
    return std::log(tw) * ((kK3 + 1) * kWqf / (kK3 + kWqf)) * (kK1 + 1);
  }

  // BM25's wdf / (k1 (b normlen + 1 - b) + wdf): at most 1; kUpper: 1 for
  // a wdf that may be saturated (kExact gives up on those, so a wdf of 255
  // or more there is a synonym's true sum).
  double share(std::uint32_t wdf, Xapian::docid did) const {
    if (!exact_ && wdf >= kWdfSaturated) return 1.0;
    const double normlen = std::max(length(did) * len_factor_, kMinNormlen);
    const double w = wdf;
    return w / (kK1 * (normlen * kB + (1 - kB)) + w);
  }

  // The terms under a synonym's part.
  void leaves(const Q& q, std::vector<std::string>* out) {
    switch (q.get_type()) {
      case Q::LEAF_TERM:
        out->push_back(*q.get_terms_begin());
        return;
      case Q::LEAF_MATCH_NOTHING:
        return;
      case Q::OP_WILDCARD: {
        const std::vector<std::string> terms = expansion(q);
        out->insert(out->end(), terms.begin(), terms.end());
        return;
      }
      case Q::OP_AND:
      case Q::OP_OR:
      case Q::OP_SYNONYM:
      case Q::OP_PHRASE:
      case Q::OP_NEAR:
        for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) leaves(q.get_subquery(i), out);
        return;
      default:
        ok = false;
        return;
    }
  }

  // The terms a prefix wildcard ("WILDCARD SYNONYM poverta") stands for.
  std::vector<std::string> expansion(const Q& q) {
    std::vector<std::string> terms;
    const std::optional<std::string> prefix = wildcard_pattern(q);
    if (!prefix) {
      ok = false;
      return terms;
    }
    for (auto it = db_.allterms_begin(*prefix); it != db_.allterms_end(*prefix); ++it) {
      if (terms.size() == kMaxWildcardTerms) {
        ok = false;
        return {};
      }
      terms.push_back(*it);
    }
    return terms;
  }

  // The postings of a frequent term with their wdf (from the cache, or
  // read and kept); null for a rare one.
  std::shared_ptr<const TermWdfs> wdfs(const std::string& term) {
    for (const auto& [t, kept] : seen_)
      if (t == term) return kept;
    std::shared_ptr<const TermWdfs> kept = find_or_keep(term);
    seen_.emplace_back(term, kept);
    return kept;
  }

  std::shared_ptr<const TermWdfs> find_or_keep(const std::string& term) {
    const Xapian::doccount termfreq = terms_.termfreq(db_, term);
    if (!TermCache::worth_keeping(termfreq, last_)) return nullptr;
    std::shared_ptr<const TermWdfs> kept = terms_.find_wdfs(term);
    if (kept && kept->docs.last() == last_) return kept;
    auto built = std::make_shared<TermWdfs>(TermWdfs{DocSet(last_), {}});
    built->wdf.reserve(termfreq);
    for (auto it = db_.postlist_begin(term); it != db_.postlist_end(term); ++it) {
      if (*it > last_) break;
      built->docs.add(*it);
      built->wdf.push_back(static_cast<std::uint8_t>(std::min<Xapian::termcount>(it.get_wdf(), kWdfSaturated)));
    }
    terms_.keep_wdfs(term, built);
    return built;
  }

  // Calls f(did, wdf) for each posting of `term` in the scope (wdf
  // saturated at 255): from the cache for a frequent term.
  template <typename F>
  void for_each_posting(const std::string& term, F&& f) {
    if (std::shared_ptr<const TermWdfs> kept = wdfs(term)) {
      kept->for_each_in(*scope_, f);
      return;
    }
    for (auto it = db_.postlist_begin(term); it != db_.postlist_end(term); ++it) {
      if (*it > last_) break;
      if (scope_->contains(*it))
        f(*it, static_cast<std::uint8_t>(std::min<Xapian::termcount>(it.get_wdf(), kWdfSaturated)));
    }
  }

  const Xapian::Database& db_;
  Xapian::doccount n_;
  const DocSet& matches_;
  Xapian::docid last_;
  const TermCache& terms_;
  const std::vector<Xapian::termcount>& lengths_;
  const bool exact_;
  const bool inputs_;
  double len_factor_ = 0;
  std::uint64_t sites_ = 0;  // the parts weighed so far, numbered in tree order
  // wdfs() of this search's terms.
  std::vector<std::pair<std::string, std::shared_ptr<const TermWdfs>>> seen_;
  const DocSet* scope_ = &matches_;  // where weights are added: the matches, narrowed under an AND
};

}  // namespace

std::optional<QueryWeights> query_weights(const Xapian::Database& db, const Xapian::Query& query,
                                          const DocSet& matches, const TermCache& terms, const DocLengths& lengths,
                                          WeightMode mode) {
  Bounds bounds(db, matches, terms, lengths, mode);
  QueryWeights weights;
  if (mode == WeightMode::kUpper) weights.weight = bounds.of(query);
  else weights = bounds.sums(query);
  if (!bounds.ok) return std::nullopt;
  return weights;
}

}  // namespace bp::search
