// The one way the project runs work on several threads: a loop over item
// indices, items handed out one at a time (images and graph insertions
// differ in cost), the first exception stopping the loop and rethrown to
// the caller. parallel_for waits for the loop; ParallelLoop runs it in the
// background while the caller does other work (the embed pipeline sends
// batches to the model while decode threads prepare the next ones).
//
// Header-only and free of I/O, so the core (HNSW graph builds) and the tools
// share it. The WASM build is single-threaded: it passes one thread, and
// then no thread is ever started.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace lookalike {

// Hardware threads, at least 1; `requested` > 0 overrides.
inline unsigned thread_count(unsigned requested = 0) {
  if (requested > 0) return requested;
  return std::max(1u, std::thread::hardware_concurrency());
}

namespace detail {

// What the threads of one loop share.
struct LoopState {
  explicit LoopState(std::size_t n) : count(n) {}
  const std::size_t count;
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex error_mutex;
  std::exception_ptr error;

  template <class Fn>
  void work(Fn& fn) {
    for (std::size_t i = next++; !stop && i < count; i = next++) {
      try {
        fn(i);
      } catch (...) {
        record(std::current_exception());
      }
    }
  }

  // The first failure is rethrown to the caller; it stops the loop.
  void record(std::exception_ptr failure) {
    std::lock_guard<std::mutex> lock(error_mutex);
    if (!error) error = failure;
    stop = true;
  }
};

inline unsigned loop_threads(std::size_t count, unsigned threads) {
  return std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(std::max<std::size_t>(count, 1))));
}

}  // namespace detail

// Calls fn(i) for i in [0, count) on `threads` threads, the caller's among
// them. Per-item failures that are data, not bugs, should be caught inside
// fn and recorded; any exception that escapes stops the loop.
template <class Fn>
void parallel_for(std::size_t count, unsigned threads, Fn&& fn) {
  detail::LoopState state(count);
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < detail::loop_threads(count, threads); ++t) pool.emplace_back([&] { state.work(fn); });
  state.work(fn);
  for (std::thread& t : pool) t.join();
  if (state.error) std::rethrow_exception(state.error);
}

// The same loop on `threads` threads of its own, started at once. join()
// waits for it and rethrows the first exception; stop() leaves the items not
// started yet undone. The destructor stops and joins (dropping an error
// join() did not report).
class ParallelLoop {
 public:
  ParallelLoop(std::size_t count, unsigned threads, std::function<void(std::size_t)> fn)
      : state_(std::make_unique<detail::LoopState>(count)), fn_(std::move(fn)) {
    for (unsigned t = 0; t < detail::loop_threads(count, threads); ++t)
      pool_.emplace_back([this] { state_->work(fn_); });
  }
  ~ParallelLoop() {
    stop();
    wait();
  }
  ParallelLoop(const ParallelLoop&) = delete;
  ParallelLoop& operator=(const ParallelLoop&) = delete;

  void stop() { state_->stop = true; }
  void join() {
    wait();
    if (state_->error) std::rethrow_exception(std::exchange(state_->error, nullptr));
  }

 private:
  void wait() {
    for (std::thread& t : pool_)
      if (t.joinable()) t.join();
  }

  std::unique_ptr<detail::LoopState> state_;
  std::function<void(std::size_t)> fn_;
  std::vector<std::thread> pool_;
};

}  // namespace lookalike
