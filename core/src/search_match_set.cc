#include "search_match_set.h"

namespace bp::search {
namespace {

// Collects the ids of the documents the matcher visits.
class Collector final : public Xapian::MatchSpy {
 public:
  explicit Collector(DocSet* out) : out_(out) {}
  void operator()(const Xapian::Document& doc, double) override { out_->add(doc.get_docid()); }

 private:
  DocSet* out_;
};

// Xapian's own matcher, unranked, checking every match: for what the
// bitmaps cannot decide (phrases and NEAR need positions; value ranges).
DocSet enumerate(const Xapian::Database& db, const Xapian::Query& query, Xapian::docid last) {
  DocSet out(last);
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  Collector collector(&out);
  enquire.add_matchspy(&collector);
  enquire.get_mset(0, 0, db.get_doccount());
  return out;
}

DocSet postings(const Xapian::Database& db, const std::string& term, Xapian::docid last) {
  DocSet out(last);
  for (auto it = db.postlist_begin(term), end = db.postlist_end(term); it != end; ++it) out.add(*it);
  return out;
}

// The query tree evaluated on bitmaps: a term is its posting list, AND and
// FILTER intersect, OR and SYNONYM unite, AND_NOT subtracts, AND_MAYBE and
// SCALE_WEIGHT match what their first subquery matches.
DocSet evaluate(const Xapian::Database& db, const Xapian::Query& q, Xapian::docid last) {
  using Q = Xapian::Query;
  switch (q.get_type()) {
    case Q::LEAF_TERM:
      return postings(db, *q.get_terms_begin(), last);
    case Q::LEAF_MATCH_ALL:
      return postings(db, std::string(), last);
    case Q::LEAF_MATCH_NOTHING:
      return DocSet(last);
    case Q::OP_AND:
    case Q::OP_FILTER: {
      DocSet out = evaluate(db, q.get_subquery(0), last);
      for (std::size_t i = 1; i < q.get_num_subqueries() && out.count() != 0; ++i)
        out.intersect(evaluate(db, q.get_subquery(i), last));
      return out;
    }
    case Q::OP_OR:
    case Q::OP_SYNONYM:
    case Q::OP_MAX: {
      DocSet out(last);
      for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) out.unite(evaluate(db, q.get_subquery(i), last));
      return out;
    }
    case Q::OP_AND_NOT: {
      DocSet out = evaluate(db, q.get_subquery(0), last);
      for (std::size_t i = 1; i < q.get_num_subqueries(); ++i) out.subtract(evaluate(db, q.get_subquery(i), last));
      return out;
    }
    case Q::OP_AND_MAYBE:
    case Q::OP_SCALE_WEIGHT:
      return evaluate(db, q.get_subquery(0), last);
    default:
      return enumerate(db, q, last);
  }
}

}  // namespace

DocSet match_set(const Xapian::Database& db, const Xapian::Query& query, Xapian::docid last) {
  return evaluate(db, query, last);
}

}  // namespace bp::search
