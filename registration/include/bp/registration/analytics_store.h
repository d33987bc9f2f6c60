// What people search, kept for the editors (issue 17, item 7): per day, each
// normalised query with its searches, those that found nothing or little and
// the results opened from it; clicks per result position; the hub/theme
// filters used. Aggregates only: no address, no user agent, no cookie, no
// time finer than the day. Reached from Store::analytics(); one
// implementation over both engines (analytics_store.cc, one SQL text). All
// methods are thread-safe; failures are Io.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "bp/query_tally.h"
#include "bp/status.h"

namespace bp::registration {

// One query over a period.
struct QueryFigures {
  std::string query;
  QueryCounts counts;
  std::int64_t days = 0;  // distinct days it was searched on
};

struct SearchReport {
  std::string from, to;  // the period, days "YYYY-MM-DD" (inclusive)
  std::int64_t searches = 0, zero_results = 0, few_results = 0, clicks = 0;  // every query, rare ones too
  std::vector<QueryFigures> queries;  // searched at least min_searches times, most searched first
  std::int64_t rare_queries = 0;      // queries left out by the threshold
  std::map<int, std::int64_t> positions;                           // position → clicks
  std::map<std::pair<std::string, std::string>, std::int64_t> filters;  // (facet, value) → searches
};

class AnalyticsStore {
 public:
  virtual ~AnalyticsStore() = default;

  // Adds `batch` to the stored figures in one transaction: each row is
  // created or incremented (INSERT … ON CONFLICT DO UPDATE SET n = n + …), so
  // several servers flushing to one database add up. Nothing is written on
  // failure (the caller keeps the batch and tries again).
  virtual Status add(const TallyBatch& batch) = 0;

  // The figures of the days from `from` to `to` ("YYYY-MM-DD", inclusive).
  // Queries searched fewer than `min_searches` times in the period are left
  // out of `queries` (only counted in `rare_queries` and the totals).
  virtual Result<SearchReport> report(const std::string& from, const std::string& to,
                                      std::int64_t min_searches) = 0;

  // Deletes every figure of the days before `day` ("YYYY-MM-DD"); returns
  // how many rows went.
  virtual Result<std::int64_t> forget_before(const std::string& day) = 0;
};

}  // namespace bp::registration
