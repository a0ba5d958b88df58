#include "vectors/npy_matrix.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <regex>
#include <string>

#include "lookalike/common/error.h"

namespace lookalike::cli {
namespace {

[[noreturn]] void bad(const std::string& message) {
  fail(ErrorKind::Corrupt, "not a float32 matrix (.npy): " + message);
}

}  // namespace

void parse_npy_header(const std::uint8_t* bytes, std::size_t size, std::size_t& rows, std::size_t& cols,
                      std::size_t& data_offset) {
  if (size < 10 || std::memcmp(bytes, "\x93NUMPY", 6) != 0) bad("it does not start with the NumPy signature");
  const unsigned major = bytes[6];
  std::size_t header_len = 0, prefix = 0;
  if (major == 1) {
    header_len = bytes[8] | (std::size_t(bytes[9]) << 8);
    prefix = 10;
  } else if (major == 2 || major == 3) {
    if (size < 12) bad("truncated inside the header");
    header_len =
        bytes[8] | (std::size_t(bytes[9]) << 8) | (std::size_t(bytes[10]) << 16) | (std::size_t(bytes[11]) << 24);
    prefix = 12;
  } else {
    fail(ErrorKind::Unsupported, ".npy format version " + std::to_string(major) + " is not supported (1 to 3 are)");
  }
  if (header_len > 1 << 20 || prefix + header_len > size) bad("truncated inside the header");
  const std::string dict(reinterpret_cast<const char*>(bytes + prefix), header_len);
  std::smatch m;
  if (!std::regex_search(dict, m, std::regex("'descr'\\s*:\\s*'([^']*)'")) || m[1] != "<f4")
    fail(ErrorKind::Unsupported, ".npy dtype " + (m.size() > 1 ? "'" + m[1].str() + "'" : std::string("(none)")) +
                                     " is not little-endian float32 ('<f4'); save it with numpy's astype('<f4')");
  if (!std::regex_search(dict, m, std::regex("'fortran_order'\\s*:\\s*(True|False)")) || m[1] != "False")
    fail(ErrorKind::Unsupported, ".npy matrix is in Fortran order; save it in C order (numpy.ascontiguousarray)");
  if (!std::regex_search(dict, m, std::regex("'shape'\\s*:\\s*\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,?\\s*\\)")))
    fail(ErrorKind::Unsupported, ".npy array is not 2-D (rows, columns)");
  rows = std::stoull(m[1].str());
  cols = std::stoull(m[2].str());
  if (cols == 0 || cols > 65536) bad(std::to_string(cols) + " columns (expected 1 to 65536)");
  data_offset = prefix + header_len;
}

NpyMatrix NpyMatrix::open(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail(ErrorKind::Io, "cannot open " + path.string() + ": " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || st.st_size <= 0) {
    ::close(fd);
    fail(ErrorKind::Io, "cannot read " + path.string() + ": empty or unreadable");
  }
  NpyMatrix m;
  m.map_bytes_ = static_cast<std::size_t>(st.st_size);
  m.map_ = ::mmap(nullptr, m.map_bytes_, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (m.map_ == MAP_FAILED) {
    m.map_ = nullptr;
    fail(ErrorKind::Io, "cannot map " + path.string() + ": " + std::strerror(errno));
  }
  const auto* bytes = static_cast<const std::uint8_t*>(m.map_);
  std::size_t offset = 0;
  try {
    parse_npy_header(bytes, m.map_bytes_, m.rows_, m.cols_, offset);
  } catch (const Error& e) {
    fail(e.kind(), path.string() + ": " + e.what());
  }
  const unsigned long long need = offset + 4ull * m.rows_ * m.cols_;
  if (need != m.map_bytes_)
    fail(ErrorKind::Corrupt, path.string() + ": is " + std::to_string(m.map_bytes_) + " bytes, its header (" +
                                 std::to_string(m.rows_) + " × " + std::to_string(m.cols_) + " float32) makes it " +
                                 std::to_string(need) + (need > m.map_bytes_ ? ": truncated?" : ""));
  if (offset % 4 != 0) fail(ErrorKind::Unsupported, path.string() + ": the data does not start at a multiple of 4");
  m.data_ = reinterpret_cast<const float*>(bytes + offset);
  ::madvise(m.map_, m.map_bytes_, MADV_SEQUENTIAL);
  return m;
}

NpyMatrix::~NpyMatrix() {
  if (map_) ::munmap(map_, map_bytes_);
}

NpyMatrix::NpyMatrix(NpyMatrix&& o) noexcept
    : map_(o.map_), map_bytes_(o.map_bytes_), data_(o.data_), rows_(o.rows_), cols_(o.cols_) {
  o.map_ = nullptr;
}

NpyMatrix& NpyMatrix::operator=(NpyMatrix&& o) noexcept {
  if (this != &o) {
    if (map_) ::munmap(map_, map_bytes_);
    map_ = o.map_;
    map_bytes_ = o.map_bytes_;
    data_ = o.data_;
    rows_ = o.rows_;
    cols_ = o.cols_;
    o.map_ = nullptr;
  }
  return *this;
}

}  // namespace lookalike::cli
