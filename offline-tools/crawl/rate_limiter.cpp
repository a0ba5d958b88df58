#include "crawl/rate_limiter.h"

#include <algorithm>
#include <thread>

namespace lookalike::crawl {

RateLimiter::RateLimiter(double requests_per_second)
    : interval_(requests_per_second > 0 ? std::chrono::duration_cast<Clock::duration>(
                                              std::chrono::duration<double>(1.0 / requests_per_second))
                                        : Clock::duration::zero()),
      next_slot_(Clock::now()),
      paused_until_(Clock::now()) {}

bool RateLimiter::acquire(const std::function<bool()>& should_stop) {
  Clock::time_point slot;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    slot = std::max({Clock::now(), next_slot_, paused_until_});
    next_slot_ = slot + interval_;
  }
  const double wait = std::chrono::duration<double>(slot - Clock::now()).count();
  return wait <= 0 ? !(should_stop && should_stop()) : sleep_unless_stopped(wait, should_stop);
}

void RateLimiter::pause_for(double seconds) {
  if (seconds <= 0) return;
  const auto until = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  std::lock_guard<std::mutex> lock(mutex_);
  paused_until_ = std::max(paused_until_, until);
}

bool sleep_unless_stopped(double seconds, const std::function<bool()>& should_stop) {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point end =
      Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(std::max(0.0, seconds)));
  while (true) {
    if (should_stop && should_stop()) return false;
    const Clock::time_point now = Clock::now();
    if (now >= end) return true;
    std::this_thread::sleep_for(std::min<Clock::duration>(end - now, std::chrono::milliseconds(50)));
  }
}

}  // namespace lookalike::crawl
