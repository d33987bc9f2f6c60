#include "rate_limiter.h"

#include <algorithm>

namespace bp::registration {

bool RateLimiter::allow(const std::string& address) {
  if (per_minute_ <= 0) return true;
  const auto now = std::chrono::steady_clock::now();
  const double rate = per_minute_ / 60.0;  // tokens per second
  std::lock_guard<std::mutex> lock(mu_);
  if (buckets_.size() > 100000) {
    // Forget addresses whose bucket is full again: they lose nothing.
    for (auto it = buckets_.begin(); it != buckets_.end();) {
      const double secs = std::chrono::duration<double>(now - it->second.updated).count();
      it = it->second.tokens + secs * rate >= per_minute_ ? buckets_.erase(it) : std::next(it);
    }
  }
  auto [it, fresh] = buckets_.try_emplace(address, Bucket{static_cast<double>(per_minute_), now});
  Bucket& b = it->second;
  if (!fresh) {
    const double secs = std::chrono::duration<double>(now - b.updated).count();
    b.tokens = std::min<double>(per_minute_, b.tokens + secs * rate);
    b.updated = now;
  }
  if (b.tokens < 1.0) return false;
  b.tokens -= 1.0;
  return true;
}

}  // namespace bp::registration
