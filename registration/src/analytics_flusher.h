// Moves what the server counted in memory (bp/query_tally.h) into the store
// and keeps the store within the retention period. Run by the module's
// background worker at every round (OutboxOptions::each_round); the last
// counts are flushed when the module closes.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

#include "bp/query_tally.h"
#include "bp/registration/analytics_store.h"

namespace bp::registration {

struct AnalyticsFlushOptions {
  // How long the daily figures are kept, in months (BP_ANALYTICS_RETENTION_MONTHS).
  int retention_months = 13;
  // How often the counts in memory go to the store; a server that dies
  // loses at most this much.
  int flush_seconds = 60;
  // How often the days older than the retention are deleted.
  int forget_seconds = 3600;
};

// The first day kept when today is `today` ("YYYY-MM-DD"): the same day
// `months` months earlier (a day that month lacks still compares right:
// "2026-02-30" sorts after every February day).
std::string retention_start(const std::string& today, int months);

class AnalyticsFlusher {
 public:
  // `clock` gives seconds since the epoch. The tally and the store must
  // outlive the flusher.
  AnalyticsFlusher(QueryTally& tally, AnalyticsStore& store, AnalyticsFlushOptions options,
                   std::function<std::int64_t()> clock);
  ~AnalyticsFlusher();  // flushes what is left
  AnalyticsFlusher(const AnalyticsFlusher&) = delete;
  AnalyticsFlusher& operator=(const AnalyticsFlusher&) = delete;

  // Flushes when flush_seconds have passed, forgets old days when
  // forget_seconds have; failures are logged on stderr and retried later.
  void each_round();
  // Adds the counts in memory to the store now; on failure they go back to
  // the tally.
  Status flush();
  // Deletes the days before the retention period; returns the rows removed.
  Result<std::int64_t> forget_old_days();

 private:
  QueryTally& tally_;
  AnalyticsStore& store_;
  AnalyticsFlushOptions options_;
  std::function<std::int64_t()> clock_;
  std::mutex mu_;  // one flush at a time
  std::int64_t last_flush_ = 0, last_forget_ = 0;
};

}  // namespace bp::registration
