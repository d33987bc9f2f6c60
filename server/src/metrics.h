// Request counters and latency histograms, rendered in the Prometheus text
// format at /metrics. Thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string_view>
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

// The connection gauges and counters (connection_front.h), in the
// Prometheus text format: bp_http_connections_open and
// bp_http_connections_closed_total{reason="timeout"|"evicted"}.
std::string render_connections(std::uint64_t open, std::uint64_t timed_out, std::uint64_t evicted);

// bp_index_age_seconds: seconds from `built_at` (the index's build stamp,
// "YYYY-MM-DDThh:mm:ssZ", IndexInfo::built_at: the last build that changed
// it, carried unchanged to replicas) to `now` (seconds since the epoch).
// Empty when `built_at` is empty or not in that form: an unknown age is left
// out rather than reported as 0.
std::string render_index_age(std::string_view built_at, std::int64_t now);

}  // namespace bp::server
