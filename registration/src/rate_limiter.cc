#include "rate_limiter.h"

namespace bp::registration {

RateLimiter::RateLimiter(int limit, std::chrono::seconds window, Clock clock)
    : limit_(limit), window_(window), clock_(std::move(clock)) {}

RateLimiter::Decision RateLimiter::take(const std::string& key) { return decide(key, true); }

RateLimiter::Decision RateLimiter::peek(const std::string& key) { return decide(key, false); }

RateLimiter::Decision RateLimiter::decide(const std::string& key, bool count) {
  if (limit_ <= 0) return {};
  const Time t = now();
  std::lock_guard<std::mutex> lock(mu_);
  if (++calls_ % 4096 == 0) {
    // Forget keys whose whole log has left the window: they lose nothing.
    for (auto it = events_.begin(); it != events_.end();)
      it = it->second.empty() || it->second.back() + window_ <= t ? events_.erase(it) : std::next(it);
  }
  auto& log = events_[key];
  while (!log.empty() && log.front() + window_ <= t) log.pop_front();
  if (static_cast<int>(log.size()) >= limit_) {
    const auto wait = log.front() + window_ - t;
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(wait).count();
    Decision d;
    d.allowed = false;
    d.retry_after_seconds = static_cast<int>(std::max<std::int64_t>(1, (ms + 999) / 1000));
    return d;
  }
  if (count) log.push_back(t);
  return {};
}

}  // namespace bp::registration
