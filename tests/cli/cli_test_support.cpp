#include "cli_test_support.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "embed/node_runtime.h"
#include "lookalike/common/error.h"
#include "lookalike/image/encode.h"
#include "prep/prep_run.h"
#include "support/skip.h"

namespace lookalike::testing {

TempDir::TempDir() {
  std::string pattern = (fs::temp_directory_path() / "lookalike-cli-test-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

void write_bytes(const fs::path& file, const std::vector<std::uint8_t>& bytes) {
  fs::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + file.string());
}

void write_text(const fs::path& file, const std::string& text) { write_bytes(file, {text.begin(), text.end()}); }
void write_png(const fs::path& file, const Image& image) { write_bytes(file, encode_png(image)); }
void write_jpeg(const fs::path& file, const Image& image, int quality) {
  write_bytes(file, encode_jpeg(image, quality));
}

namespace {

// Marsaglia's xorshift32: pictures from a seed, the same on every platform.
struct Xorshift32 {
  std::uint32_t state;
  std::uint32_t next() {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    return state;
  }
};

}  // namespace

Image distinct_picture(int width, int height, std::uint32_t seed) {
  Xorshift32 random{seed * 2654435761u + 0x9E3779B9u};
  auto next = [&] { return random.next(); };
  std::uint8_t grid[8][8][3];
  for (auto& row : grid)
    for (auto& cell : row)
      for (auto& c : cell) c = std::uint8_t(next() >> 24);
  Image image(width, height);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      const auto& cell = grid[y * 8 / height][x * 8 / width];
      std::copy(cell, cell + 3, image.at(x, y));
    }
  return image;
}

Image smooth_picture(int width, int height, std::uint32_t seed) {
  Xorshift32 random{seed * 747796405u + 2891336453u};
  auto next = [&] { return double(random.next()) / 4294967296.0; };
  struct Blob {
    double x, y, radius, r, g, b;
  };
  std::vector<Blob> blobs(6);
  for (auto& blob : blobs) blob = {next(), next(), 0.1 + 0.25 * next(), 255 * next(), 255 * next(), 255 * next()};
  Image image(width, height);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      const double u = double(x) / width, v = double(y) / height;
      double rgb[3] = {60 + 80 * u, 60 + 80 * v, 100.0};
      for (const auto& blob : blobs) {
        const double d2 = ((u - blob.x) * (u - blob.x) + (v - blob.y) * (v - blob.y)) / (blob.radius * blob.radius);
        const double w = std::exp(-d2);
        rgb[0] += w * (blob.r - rgb[0]);
        rgb[1] += w * (blob.g - rgb[1]);
        rgb[2] += w * (blob.b - rgb[2]);
      }
      for (int c = 0; c < 3; ++c) image.at(x, y)[c] = std::uint8_t(std::clamp(rgb[c], 0.0, 255.0));
    }
  return image;
}

Image brightened(const Image& image, int delta) {
  Image out = image;
  for (auto& v : out.rgb) v = std::uint8_t(std::clamp(int(v) + delta, 0, 255));
  return out;
}

Image grey(int width, int height, std::uint8_t value) {
  Image image(width, height);
  std::fill(image.rgb.begin(), image.rgb.end(), value);
  return image;
}

void write_grey_tree(const fs::path& root) {
  write_png(root / "A/1.png", grey(64, 64, 10));
  write_png(root / "A/2.png", grey(64, 64, 40));
  write_png(root / "A/3.png", grey(64, 64, 115));
  write_png(root / "B/1.png", grey(64, 64, 75));
  write_png(root / "B/2.png", grey(64, 64, 160));
}

void write_smooth_tree(const fs::path& root, const std::vector<std::string>& labels, int per_label, int width,
                       int width_step, int height, std::uint32_t first_seed) {
  for (std::size_t l = 0; l < labels.size(); ++l)
    for (int i = 0; i < per_label; ++i)
      write_jpeg(root / labels[l] / (std::to_string(i) + ".jpg"),
                 smooth_picture(width + width_step * i, height, first_seed + std::uint32_t(10 * l + i)));
}

cli::Manifest prep_quietly(const fs::path& source) {
  cli::PrepOptions prep;
  prep.sources = {source};
  prep.show_progress = false;
  return cli::run_prep(prep).manifest;
}

std::vector<std::pair<std::string, std::vector<std::uint8_t>>> snapshot_tree(const fs::path& root) {
  std::vector<std::pair<std::string, std::vector<std::uint8_t>>> out;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    out.emplace_back(entry.path().lexically_relative(root).string(),
                     std::vector<std::uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

CliProcess::CliProcess(const std::vector<std::string>& args) {
  int out_pipe[2], err_pipe[2];
  if (::pipe(out_pipe) != 0 || ::pipe(err_pipe) != 0) throw std::runtime_error("pipe failed");
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    ::dup2(out_pipe[1], STDOUT_FILENO);
    ::dup2(err_pipe[1], STDERR_FILENO);
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);
    std::vector<char*> argv;
    std::string program = LOOKALIKE_CLI_PATH;
    argv.push_back(program.data());
    std::vector<std::string> copies = args;
    for (auto& a : copies) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(program.c_str(), argv.data());
    std::perror("execv");
    ::_exit(127);
  }
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  out_fd_ = out_pipe[0];
  err_fd_ = err_pipe[0];
}

CliProcess::~CliProcess() {
  if (!exited_ && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status_, 0);
  }
  if (out_fd_ >= 0) ::close(out_fd_);
  if (err_fd_ >= 0) ::close(err_fd_);
}

void CliProcess::pump(int timeout_ms) {
  pollfd fds[2];
  int n = 0;
  if (out_fd_ >= 0) fds[n++] = {out_fd_, POLLIN, 0};
  if (err_fd_ >= 0) fds[n++] = {err_fd_, POLLIN, 0};
  if (n == 0 || ::poll(fds, nfds_t(n), timeout_ms) <= 0) return;
  for (int i = 0; i < n; ++i) {
    if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
    char buffer[4096];
    const ssize_t got = ::read(fds[i].fd, buffer, sizeof buffer);
    const bool is_out = fds[i].fd == out_fd_;
    if (got <= 0) {
      ::close(fds[i].fd);
      (is_out ? out_fd_ : err_fd_) = -1;
    } else {
      (is_out ? out_buffer_ : err_buffer_).append(buffer, std::size_t(got));
    }
  }
}

std::string CliProcess::read_line(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto newline = out_buffer_.find('\n');
    if (newline != std::string::npos) {
      std::string line = out_buffer_.substr(0, newline);
      out_buffer_.erase(0, newline + 1);
      return line;
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || (out_fd_ < 0 && err_fd_ < 0)) return {};
    pump(int(std::min<long long>(left.count(), 100)));
  }
}

void CliProcess::signal(int signal_number) {
  if (!exited_) ::kill(pid_, signal_number);
}

CliResult CliProcess::wait(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (out_fd_ >= 0 || err_fd_ >= 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid_, SIGKILL);
      break;
    }
    pump(100);
  }
  while (out_fd_ >= 0 || err_fd_ >= 0) pump(100);
  ::waitpid(pid_, &status_, 0);
  exited_ = true;
  CliResult r;
  r.exit_code = WIFEXITED(status_) ? WEXITSTATUS(status_) : 128 + WTERMSIG(status_);
  r.out = out_buffer_;
  r.err = err_buffer_;
  return r;
}

CliResult run_cli(const std::vector<std::string>& args) {
  CliProcess process(args);
  return process.wait(std::chrono::minutes(5));
}

void require_node_runtime() {
  try {
    cli::find_node_runtime();
  } catch (const Error& e) {
    skip_test(std::string("the model worker cannot run here: ") + e.what());
  }
}

}  // namespace lookalike::testing
