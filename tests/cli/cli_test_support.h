// Helpers for the CLI tests: temporary folders, image files written with the
// core's encoders, pictures that are clearly distinct from one another, and
// the `lookalike` binary run as a subprocess.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "dataset/manifest.h"
#include "lookalike/image/image.h"

namespace lookalike::testing {

namespace fs = std::filesystem;

// A fresh folder under the system temp folder, removed with its content.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }
  fs::path operator/(const std::string& relative) const { return path_ / relative; }

 private:
  fs::path path_;
};

void write_bytes(const fs::path& file, const std::vector<std::uint8_t>& bytes);
void write_text(const fs::path& file, const std::string& text);
void write_png(const fs::path& file, const Image& image);
void write_jpeg(const fs::path& file, const Image& image, int quality = 90);

// An 8×8 grid of pseudo-random colours (xorshift from `seed`), scaled to
// width × height: pictures with different seeds share no structure.
Image distinct_picture(int width, int height, std::uint32_t seed);
// Smooth colour blobs on a gradient (from `seed`): a picture whose spectrum
// falls off with frequency, as photographs' do.
Image smooth_picture(int width, int height, std::uint32_t seed);
// The same picture with every channel shifted by `delta` (clamped).
Image brightened(const Image& image, int delta);
Image grey(int width, int height, std::uint8_t value);

// Five flat grey 64×64 PNGs in two classes, whose distances are easy to
// work out by hand: A/1, A/2, A/3 (grey 10, 40, 115), B/1, B/2 (75, 160).
void write_grey_tree(const fs::path& root);
// `per_label` JPEGs of smooth_picture in a folder per label: picture i of
// label l is (width + width_step·i) × height, seed first_seed + 10·l + i.
void write_smooth_tree(const fs::path& root, const std::vector<std::string>& labels, int per_label, int width,
                       int width_step, int height, std::uint32_t first_seed);

// The manifest `prep` makes of one folder (no progress display).
cli::Manifest prep_quietly(const fs::path& source);

// Every regular file under `root` with its bytes, for "nothing was modified".
std::vector<std::pair<std::string, std::vector<std::uint8_t>>> snapshot_tree(const fs::path& root);

struct CliResult {
  int exit_code = -1;  // 128 + signal when killed
  std::string out, err;
};

// Runs the lookalike binary with `args`, waits, captures stdout and stderr.
CliResult run_cli(const std::vector<std::string>& args);

// Requires a run to have exited 0, showing its stderr when it did not.
#define REQUIRE_CLI_SUCCESS(result)   \
  do {                                \
    INFO((result).err);               \
    REQUIRE((result).exit_code == 0); \
  } while (false)

// A lookalike process left running (serve), with its stdout readable line by line.
class CliProcess {
 public:
  explicit CliProcess(const std::vector<std::string>& args);
  ~CliProcess();
  CliProcess(const CliProcess&) = delete;
  CliProcess& operator=(const CliProcess&) = delete;
  // The next stdout line, or "" when none arrives in time or the process ended.
  std::string read_line(std::chrono::milliseconds timeout);
  void signal(int signal_number);
  // Waits for the exit (killing it after `timeout`) and returns the result;
  // `out` holds what was not yet read, `err` all of stderr.
  CliResult wait(std::chrono::milliseconds timeout);

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1, err_fd_ = -1;
  std::string out_buffer_, err_buffer_;
  bool exited_ = false;
  int status_ = 0;
  void pump(int timeout_ms);
};

// Skips the test (support/skip.h), saying why, when the model worker cannot
// run here (no Node.js, or no onnxruntime-node).
void require_node_runtime();

// Lines of text without the trailing empty one.
std::vector<std::string> lines_of(const std::string& text);

}  // namespace lookalike::testing
