// A parallel loop over item indices for the CPU-heavy steps (decoding and
// feature extraction), on a fixed number of threads.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace lookalike::cli {

// Hardware threads, at least 1; `requested` > 0 overrides.
inline unsigned thread_count(unsigned requested = 0) {
  if (requested > 0) return requested;
  return std::max(1u, std::thread::hardware_concurrency());
}

// Calls fn(i) for i in [0, count) on `threads` threads, items handed out one
// at a time (images differ in cost). The first exception stops the loop and
// is rethrown in the caller; per-item failures that are data, not bugs,
// should be caught inside fn and recorded.
template <class Fn>
void parallel_for(std::size_t count, unsigned threads, Fn&& fn) {
  threads = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(std::max<std::size_t>(count, 1))));
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto work = [&] {
    while (!stop) {
      const std::size_t i = next++;
      if (i >= count) return;
      try {
        fn(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = std::current_exception();
        stop = true;
      }
    }
  };
  if (threads == 1) {
    work();
  } else {
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(work);
    for (auto& t : pool) t.join();
  }
  if (error) std::rethrow_exception(error);
}

}  // namespace lookalike::cli
