// A float32 matrix in a NumPy .npy file (what `lookalike embed` and sharded
// embedding jobs write), memory-mapped read-only: a million 512-d rows (2 GB)
// are paged in as they are read, never copied whole into memory.
//
// Accepted: format versions 1.0 to 3.0, dtype '<f4', C order, 2-D shape
// (rows, cols); anything else is refused with the reason.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>

namespace lookalike::cli {

class NpyMatrix {
 public:
  // Throws Error(Io) for an unreadable file, Error(Corrupt) or
  // Error(Unsupported) "<path>: …" for another layout or a truncated file.
  static NpyMatrix open(const std::filesystem::path& path);
  ~NpyMatrix();
  NpyMatrix(NpyMatrix&& other) noexcept;
  NpyMatrix& operator=(NpyMatrix&& other) noexcept;
  NpyMatrix(const NpyMatrix&) = delete;
  NpyMatrix& operator=(const NpyMatrix&) = delete;

  std::size_t rows() const { return rows_; }
  std::size_t cols() const { return cols_; }
  const float* row(std::size_t i) const { return data_ + i * cols_; }

 private:
  NpyMatrix() = default;
  void* map_ = nullptr;
  std::size_t map_bytes_ = 0;
  const float* data_ = nullptr;
  std::size_t rows_ = 0, cols_ = 0;
};

// Parses a .npy header; `data_offset` receives where the data starts.
// Exposed for tests. Throws Error(Corrupt)/Error(Unsupported) without a path.
void parse_npy_header(const std::uint8_t* bytes, std::size_t size, std::size_t& rows, std::size_t& cols,
                      std::size_t& data_offset);

}  // namespace lookalike::cli
