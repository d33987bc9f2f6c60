// Request counters and latency histograms, rendered in the Prometheus text
// format at /metrics. Thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
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

// bp_index_age_seconds: seconds since the newest file under `index_dir`
// (two levels deep: the database folder of a built index or of a replica)
// was written, i.e. since the index this server reads last changed. Empty
// when the folder holds no file.
std::string render_index_age(const std::filesystem::path& index_dir);

}  // namespace bp::server
