// Request counters and latency histograms, rendered in the Prometheus text
// format at /metrics. Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

namespace bp::server {

class Metrics {
 public:
  // `route` is a pattern ("/api/practices/:slug"), never a raw path, so the
  // number of series stays bounded.
  void observe(const std::string& route, const std::string& method, int status,
               double seconds);

  // Every series, plus bp_index_documents (omitted when documents < 0).
  std::string render(std::int64_t documents) const;

 private:
  struct Histogram {
    std::vector<std::uint64_t> buckets;  // cumulative counts are computed at render
    std::uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Histogram> durations_;
};

}  // namespace bp::server
