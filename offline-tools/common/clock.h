// Wall-clock seconds for timings and deadlines (a steady clock: never jumps
// with the system time).
#pragma once

#include <chrono>

namespace lookalike::cli {

// Seconds on the steady clock since an arbitrary fixed point: for deadlines.
inline double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace lookalike::cli
