// Writing a float32 matrix as a NumPy .npy file (format version 1.0), the
// form researchers load with numpy.load(path) → array of shape (rows, cols).
#pragma once

#include <cstddef>
#include <string>

namespace lookalike::cli {

// The .npy header for a C-order little-endian float32 array of rows × cols,
// padded so the data starts at a multiple of 64 bytes.
std::string npy_header_float32(std::size_t rows, std::size_t cols);

// Writes header + data to "<path>.tmp-<pid>" and renames it into place.
// Throws Error(Io) naming the path.
void write_npy_float32(const std::string& path, const float* data, std::size_t rows, std::size_t cols);

}  // namespace lookalike::cli
