#include "metrics.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <optional>
#include <sstream>

namespace bp::server {
namespace {

constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                             0.05,   0.1,   0.25,   0.5,   1,     2.5};

// Label values are our own route patterns and methods, but escape anyway.
std::string label(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

void Metrics::observe(const std::string& route, const std::string& method, int status,
                      double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{route, method, status}];
  Histogram& h = durations_[route];
  if (h.buckets.empty()) h.buckets.assign(kBuckets.size(), 0);
  for (std::size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) {
      ++h.buckets[i];
      break;
    }
  ++h.count;
  h.sum += seconds;
}

std::string Metrics::render(std::int64_t documents) const {
  std::ostringstream out;
  out << "# HELP bp_http_requests_total HTTP requests answered, by route pattern, method and status.\n"
      << "# TYPE bp_http_requests_total counter\n";
  std::lock_guard lock(mutex_);
  for (const auto& [key, count] : requests_) {
    const auto& [route, method, status] = key;
    out << "bp_http_requests_total{route=\"" << label(route) << "\",method=\"" << label(method)
        << "\",status=\"" << status << "\"} " << count << "\n";
  }
  out << "# HELP bp_http_request_duration_seconds Time from routing to the answer written.\n"
      << "# TYPE bp_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : durations_) {
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += h.buckets[i];
      out << "bp_http_request_duration_seconds_bucket{route=\"" << label(route) << "\",le=\""
          << kBuckets[i] << "\"} " << cumulative << "\n";
    }
    out << "bp_http_request_duration_seconds_bucket{route=\"" << label(route)
        << "\",le=\"+Inf\"} " << h.count << "\n"
        << "bp_http_request_duration_seconds_sum{route=\"" << label(route) << "\"} " << h.sum
        << "\n"
        << "bp_http_request_duration_seconds_count{route=\"" << label(route) << "\"} "
        << h.count << "\n";
  }
  if (documents >= 0)
    out << "# HELP bp_index_documents Practices in the index.\n"
        << "# TYPE bp_index_documents gauge\n"
        << "bp_index_documents " << documents << "\n";
  return out.str();
}

std::string render_connections(std::uint64_t open, std::uint64_t timed_out, std::uint64_t evicted) {
  std::ostringstream out;
  out << "# HELP bp_http_connections_open Client connections open now (waiting or being served).\n"
      << "# TYPE bp_http_connections_open gauge\n"
      << "bp_http_connections_open " << open << "\n"
      << "# HELP bp_http_connections_closed_total Connections the server closed itself: request not complete in "
         "time or idle too long (timeout), or over --max-connections (evicted).\n"
      << "# TYPE bp_http_connections_closed_total counter\n"
      << "bp_http_connections_closed_total{reason=\"timeout\"} " << timed_out << "\n"
      << "bp_http_connections_closed_total{reason=\"evicted\"} " << evicted << "\n";
  return out.str();
}

std::string render_index_age(std::string_view built_at, std::int64_t now) {
  // Exactly "YYYY-MM-DDThh:mm:ssZ", as the build stamp writes it.
  if (built_at.size() != 20 || built_at[4] != '-' || built_at[7] != '-' || built_at[10] != 'T' ||
      built_at[13] != ':' || built_at[16] != ':' || built_at[19] != 'Z')
    return {};
  std::tm tm{};
  const std::string text(built_at);
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
    return {};
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  const std::int64_t built = static_cast<std::int64_t>(timegm(&tm));
  std::ostringstream out;
  out << "# HELP bp_index_age_seconds Seconds since the build that last changed the index this server reads.\n"
      << "# TYPE bp_index_age_seconds gauge\n"
      << "bp_index_age_seconds " << std::max<std::int64_t>(0, now - built) << "\n";
  return out.str();
}

}  // namespace bp::server
