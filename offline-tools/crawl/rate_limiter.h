// A request-rate limit shared by every worker of a crawl: requests start at
// least 1/rate seconds apart, whoever sends them. When a server asks us to
// slow down (429 or 503 with Retry-After) every worker waits, not just the
// one that was told: the whole crawl is one client to that server.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>

namespace lookalike::crawl {

class RateLimiter {
 public:
  explicit RateLimiter(double requests_per_second);  // 0 or less: no limit

  // Waits for the next free slot. False when should_stop() became true while
  // waiting (the slot is then left unused).
  bool acquire(const std::function<bool()>& should_stop);

  // No request starts during the next `seconds`.
  void pause_for(double seconds);

 private:
  using Clock = std::chrono::steady_clock;
  std::mutex mutex_;
  Clock::duration interval_;
  Clock::time_point next_slot_, paused_until_;
};

// Sleeps `seconds` in short steps, returning false early if should_stop()
// becomes true, so that Ctrl-C never waits for a long backoff.
bool sleep_unless_stopped(double seconds, const std::function<bool()>& should_stop);

}  // namespace lookalike::crawl
