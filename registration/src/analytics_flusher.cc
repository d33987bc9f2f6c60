#include "analytics_flusher.h"

#include <cstdio>
#include <iostream>

#include "bp/civil_time.h"

namespace bp::registration {

std::string retention_start(const std::string& today, int months) {
  if (today.size() < 10) return today;
  int year = std::stoi(today.substr(0, 4));
  int month = std::stoi(today.substr(5, 2)) - months;
  while (month < 1) month += 12, --year;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-", year, month);
  return buf + today.substr(8, 2);
}

AnalyticsFlusher::AnalyticsFlusher(QueryTally& tally, AnalyticsStore& store, AnalyticsFlushOptions options,
                                   std::function<std::int64_t()> clock)
    : tally_(tally), store_(store), options_(options), clock_(std::move(clock)) {
  last_flush_ = clock_();
}

AnalyticsFlusher::~AnalyticsFlusher() {
  if (Status s = flush(); !s.is_ok()) std::cerr << "search analytics: last counts lost: " << s.message() << "\n";
}

void AnalyticsFlusher::each_round() {
  const std::int64_t now = clock_();
  if (now - last_flush_ >= options_.flush_seconds) {
    if (Status s = flush(); !s.is_ok()) std::cerr << "search analytics: " << s.message() << "\n";
  }
  if (last_forget_ == 0 || now - last_forget_ >= options_.forget_seconds) {
    last_forget_ = now;
    if (auto r = forget_old_days(); !r.ok()) std::cerr << "search analytics: " << r.status().message() << "\n";
  }
}

Status AnalyticsFlusher::flush() {
  std::lock_guard<std::mutex> lock(mu_);
  last_flush_ = clock_();
  TallyBatch batch = tally_.drain();
  if (batch.empty()) return Status::ok();
  Status s = store_.add(batch);
  if (!s.is_ok()) tally_.restore(batch);
  return s;
}

Result<std::int64_t> AnalyticsFlusher::forget_old_days() {
  const std::string today = rome_local(clock_()).substr(0, 10);
  if (today.empty()) return Status::io("nessun dato del fuso orario Europe/Rome");
  return store_.forget_before(retention_start(today, options_.retention_months));
}

}  // namespace bp::registration
