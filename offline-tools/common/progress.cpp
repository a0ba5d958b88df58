#include "common/progress.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>

#include "common/clock.h"
#include "common/log.h"
#include "common/text.h"

namespace lookalike::cli {
namespace {

std::atomic<bool> g_bar_on_screen{false};

}  // namespace

ProgressLineGuard::ProgressLineGuard() {
  if (g_bar_on_screen.exchange(false)) std::fputs("\r\033[K", stderr);
}

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  long s = std::lround(seconds);
  char buffer[32];
  if (s >= 3600)
    std::snprintf(buffer, sizeof buffer, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  else
    std::snprintf(buffer, sizeof buffer, "%ld:%02ld", s / 60, s % 60);
  return buffer;
}

Progress::Progress(std::string label, std::size_t total, std::string unit)
    : label_(std::move(label)),
      unit_(std::move(unit)),
      total_(total),
      start_(std::chrono::steady_clock::now()),
      last_render_(start_),
      tty_(isatty(STDERR_FILENO) != 0) {}

Progress::~Progress() { finish(); }

void Progress::set_total(std::size_t total) { total_ = total; }

void Progress::set_note(std::string note) {
  std::lock_guard<std::mutex> lock(mutex_);
  note_ = std::move(note);
}

void Progress::advance(std::size_t n) {
  done_ += n;
  if (verbosity() == Verbosity::Quiet) return;
  std::unique_lock<std::mutex> lock(mutex_, std::try_to_lock);
  if (!lock.owns_lock() || finished_) return;  // another thread is drawing
  render(false);
}

void Progress::finish() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (finished_) return;
  finished_ = true;
  if (verbosity() == Verbosity::Quiet) return;
  render(true);
}

std::string Progress::line(bool final) const {
  const std::size_t done = done_, total = total_;
  const double elapsed = seconds_since(start_);
  const double rate = elapsed > 0 ? double(done) / elapsed : 0.0;
  const std::string note = note_.empty() ? std::string() : "  " + note_;
  if (final)
    return label_ + ": " + std::to_string(done) + " " + unit_ + " in " + fixed(elapsed, 1) + " s (" + fixed(rate, 1) +
           "/s)" + note;
  std::string text = label_ + " ";
  if (total > 0) {
    const int width = 24;
    const int filled = static_cast<int>(double(width) * double(std::min(done, total)) / double(total));
    text += "[" + std::string(std::size_t(filled), '#') + std::string(std::size_t(width - filled), '-') + "] ";
    text +=
        std::to_string(done) + "/" + std::to_string(total) + " " + fixed(100.0 * double(done) / double(total), 0) + "%";
  } else {
    text += std::to_string(done) + " " + unit_;
  }
  text += "  " + fixed(rate, 1) + "/s";
  if (total > 0 && rate > 0 && done < total) text += "  ETA " + format_duration(double(total - done) / rate);
  return text + note;
}

void Progress::render(bool final) {
  const auto now = std::chrono::steady_clock::now();
  if (tty_) {
    if (!final && std::chrono::duration<double>(now - last_render_).count() < 0.1) return;
    last_render_ = now;
    std::fprintf(stderr, "\r\033[K%s%s", line(final).c_str(), final ? "\n" : "");
    g_bar_on_screen = !final;
  } else {
    const std::size_t total = total_;
    const std::size_t tenth = total > 0 ? (10 * done_) / total : 0;
    const bool step = total > 0 && tenth > last_reported_tenth_;
    const bool slow = std::chrono::duration<double>(now - last_render_).count() >= 10.0;
    if (!final && !step && !slow) return;
    last_reported_tenth_ = tenth;
    last_render_ = now;
    std::fprintf(stderr, "lookalike: %s\n", line(final).c_str());
  }
  std::fflush(stderr);
}

}  // namespace lookalike::cli
