// Per-key sliding-window limiter: at most `limit` events in any window of
// `window` seconds, for each key (a client address, an e-mail address). In
// memory on purpose: it protects one server process from bursts and needs no
// durability (a restart forgets the windows). Behind a reverse proxy every
// request comes from the proxy's address, so set the limit on the proxy
// instead.
//
// Why a log of times and not a token bucket: a bucket of N tokens refilled at
// N per minute lets 2N - 1 requests through in the first minute (N at once,
// then one more every 60/N s), where the documentation promises N per minute.
// The log keeps at most `limit` times per key, so its memory is bounded.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>

namespace bp::registration {

class RateLimiter {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // `limit` events per `window`; limit 0 disables the limiter (everything is
  // allowed). `clock` defaults to the steady clock (tests pass their own).
  RateLimiter(int limit, std::chrono::seconds window, Clock clock = {});

  struct Decision {
    bool allowed = true;
    // When refused: whole seconds (rounded up, at least 1) until the oldest
    // event in the window leaves it, i.e. until the next event is allowed.
    int retry_after_seconds = 0;
  };

  // Counts one event for `key` if allowed. Thread-safe.
  Decision take(const std::string& key);
  // Like take() but counts nothing: would an event be allowed now?
  Decision peek(const std::string& key);

  int limit() const { return limit_; }

 private:
  using Time = std::chrono::steady_clock::time_point;
  Decision decide(const std::string& key, bool count);
  Time now() const { return clock_ ? clock_() : std::chrono::steady_clock::now(); }

  int limit_;
  std::chrono::seconds window_;
  Clock clock_;
  std::mutex mu_;
  std::unordered_map<std::string, std::deque<Time>> events_;
  std::int64_t calls_ = 0;  // to sweep idle keys now and then
};

}  // namespace bp::registration
