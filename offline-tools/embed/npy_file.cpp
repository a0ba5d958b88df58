#include "embed/npy_file.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "lookalike/common/error.h"

namespace lookalike::cli {

std::string npy_header_float32(std::size_t rows, std::size_t cols) {
  std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + std::to_string(rows) + ", " +
                     std::to_string(cols) + "), }";
  // magic (6) + version (2) + header length (2) + dict + padding + '\n'
  const std::size_t unpadded = 10 + dict.size() + 1;
  dict.append((64 - unpadded % 64) % 64, ' ');
  dict.push_back('\n');
  std::string header("\x93NUMPY\x01\x00", 8);
  header.push_back(char(dict.size() & 0xff));
  header.push_back(char((dict.size() >> 8) & 0xff));
  return header + dict;
}

void write_npy_float32(const std::string& path, const float* data, std::size_t rows, std::size_t cols) {
  static_assert(sizeof(float) == 4, "float32");
  const std::uint16_t probe = 1;
  if (*reinterpret_cast<const std::uint8_t*>(&probe) != 1)
    fail(ErrorKind::Unsupported, "writing .npy needs a little-endian machine");
  namespace fs = std::filesystem;
  const fs::path target(path);
  if (target.has_parent_path()) {
    std::error_code ec;
    fs::create_directories(target.parent_path(), ec);
    if (ec) fail(ErrorKind::Io, "cannot create folder " + target.parent_path().string() + ": " + ec.message());
  }
  const std::string temporary = path + ".tmp-" + std::to_string(::getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) fail(ErrorKind::Io, "cannot write " + temporary + ": " + std::strerror(errno));
    const std::string header = npy_header_float32(rows, cols);
    out.write(header.data(), std::streamsize(header.size()));
    out.write(reinterpret_cast<const char*>(data), std::streamsize(rows * cols * sizeof(float)));
    out.flush();
    if (!out) {
      const int e = errno;
      std::remove(temporary.c_str());
      fail(ErrorKind::Io, "cannot write " + path + ": " + std::strerror(e));
    }
  }
  std::error_code ec;
  fs::rename(temporary, target, ec);
  if (ec) {
    fs::remove(temporary, ec);
    fail(ErrorKind::Io, "cannot write " + path + ": " + ec.message());
  }
}

}  // namespace lookalike::cli
