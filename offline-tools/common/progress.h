// A progress bar with count, rate and ETA for every long step, on stderr.
//
// On a terminal it redraws one line (at most ten times a second); otherwise
// (CI logs, pipes) it prints a plain line every 10 % or 10 s, so logs stay
// readable. Safe to advance from several threads. Silent with --quiet.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>

namespace lookalike::cli {

class Progress {
 public:
  Progress(std::string label, std::size_t total, std::string unit = "images");
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void advance(std::size_t n = 1);
  void set_total(std::size_t total);
  // Extra text after the rate and ETA, e.g. an overall count when this bar
  // covers one part of a longer job ("overall 62/150").
  void set_note(std::string note);
  // Ends the bar with a final line ("label: 1000 images in 4.2 s (238/s)").
  void finish();

 private:
  void render(bool final);
  std::string line(bool final) const;

  std::string label_, unit_, note_;
  std::atomic<std::size_t> total_, done_{0};
  std::chrono::steady_clock::time_point start_, last_render_;
  std::size_t last_reported_tenth_ = 0;
  bool finished_ = false;
  bool tty_;
  std::mutex mutex_;
};

// While alive, clears the active terminal progress line so a log line can be
// printed; the bar is redrawn on its next update.
struct ProgressLineGuard {
  ProgressLineGuard();
};

// "1:05", "0:04", "2:03:10"
std::string format_duration(double seconds);

}  // namespace lookalike::cli
