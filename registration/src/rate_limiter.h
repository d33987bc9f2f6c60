// Per-client-address token bucket for POST routes. In memory on purpose:
// it protects one server process from bursts and needs no durability (a
// restart forgets the buckets). Behind a reverse proxy every request comes
// from the proxy's address, so set the limit on the proxy instead.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace bp::registration {

class RateLimiter {
 public:
  // `per_minute` requests per minute per address, with bursts of the same
  // size; 0 disables the limit.
  explicit RateLimiter(int per_minute) : per_minute_(per_minute) {}

  // True when `address` may make one more request now (and counts it).
  bool allow(const std::string& address);

 private:
  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point updated;
  };
  int per_minute_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace bp::registration
