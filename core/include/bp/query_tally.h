// What people search, counted in memory for the editors (issue 17, item 7):
// queries normalised and counted per day (Europe/Rome) with how many found
// nothing or little, clicks per result position, and the hub/theme filters
// used. Nothing about the person is ever seen here: no address, no user
// agent, no cookie, only the query text and the figures of its answer.
//
// The server calls record_search()/record_click() on its request threads (a
// short critical section on one mutex, no I/O, no Unicode work: about 1 µs,
// measured under load); a background worker calls drain() now and then and adds the batch to the store (additive upserts, so
// several servers on one database add up). Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace bp {

// A query as it is counted: folded as the search folds it (accents and
// case, bp/text.h fold_lower), spaces collapsed and trimmed, cut to
// kMaxTalliedQueryBytes at a character boundary. "" when there is nothing to count:
// an empty query, or one that looks like personal data (an e-mail address,
// a run of six or more digits such as a phone number), which is never kept.
std::string normalise_query(std::string_view q);
inline constexpr std::size_t kMaxTalliedQueryBytes = 100;

// An answer with fewer results than this (and more than none) counts as
// "few results".
inline constexpr std::int64_t kFewResults = 3;

// Result positions above this are counted together as this one.
inline constexpr int kMaxTalliedPosition = 50;

struct QueryCounts {
  std::int64_t searches = 0;
  std::int64_t zero_results = 0;  // searches that found nothing
  std::int64_t few_results = 0;   // searches that found 1 to kFewResults - 1
  std::int64_t clicks = 0;        // results opened from this query's results
  QueryCounts& operator+=(const QueryCounts& o);
};

// Figures collected since the last drain, keyed by day ("YYYY-MM-DD",
// Europe/Rome).
struct TallyBatch {
  std::map<std::pair<std::string, std::string>, QueryCounts> queries;     // (day, query)
  std::map<std::pair<std::string, int>, std::int64_t> positions;          // (day, 1-based position) → clicks
  std::map<std::tuple<std::string, std::string, std::string>, std::int64_t> filters;  // (day, facet, value) → searches
  bool empty() const { return queries.empty() && positions.empty() && filters.empty(); }
  void merge(const TallyBatch& other);
};

class QueryTally {
 public:
  // At most `max_keys` distinct (day, query as typed) pairs are held
  // between two drains (memory stays bounded under a flood of invented queries); a new
  // query beyond it is not counted. The clock gives seconds since the epoch
  // (replaceable in tests).
  explicit QueryTally(std::size_t max_keys = 20000, std::int64_t (*clock)() = nullptr);

  // One search shown to a person: `query` as typed (normalised by drain();
  // a query normalise_query() refuses is not counted), `total` results found,
  // `filters` the (facet, value) pairs chosen (only "hub" and "theme" are
  // kept). A refused query still counts its filters.
  void record_search(std::string_view query, std::int64_t total,
                     const std::vector<std::pair<std::string, std::string>>& filters = {});
  // One result opened from the results of `query` at 1-based `position`.
  void record_click(std::string_view query, int position);

  // Everything counted since the last drain, queries normalised (here,
  // not on the request's thread; queries normalise_query() refuses are
  // dropped); the tally starts again empty.
  TallyBatch drain();
  // Puts back a batch the store could not take, so that nothing is lost
  // when the database is briefly away (it is added to what came since).
  void restore(const TallyBatch& batch);

 private:
  std::string today_locked();
  // The counts of `query` on `day`, created if there is room; null for an
  // empty query or when max_keys_ are held.
  QueryCounts* counts_locked(const std::string& day, const std::string& query);

  std::mutex mu_;
  std::size_t max_keys_;
  std::int64_t (*clock_)();
  TallyBatch batch_;
  std::int64_t day_until_ = 0;  // the cached day holds until this second
  std::string day_;
};

}  // namespace bp
