#include "common/gzip.h"

#include <zlib.h>

#include "common/files.h"
#include "lookalike/common/error.h"

namespace lookalike::cli {

bool is_gzip(const std::uint8_t* data, std::size_t size) { return size >= 2 && data[0] == 0x1F && data[1] == 0x8B; }

std::string gunzip(const std::uint8_t* data, std::size_t size, const std::string& what, std::size_t max_bytes) {
  z_stream stream{};
  // 16 + MAX_WBITS: a gzip header and trailer (CRC-32, length) around the deflate data.
  if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) fail(ErrorKind::Corrupt, what + ": zlib could not start");
  std::string out;
  char buffer[1 << 16];
  stream.next_in = const_cast<Bytef*>(data);
  stream.avail_in = static_cast<uInt>(size);
  int status = Z_OK;
  for (;;) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    status = inflate(&stream, Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - stream.avail_out);
    if (out.size() > max_bytes) {
      inflateEnd(&stream);
      fail(ErrorKind::TooLarge, what + " decompresses to more than " + std::to_string(max_bytes >> 20) + " MiB");
    }
    if (status == Z_STREAM_END) {
      if (stream.avail_in == 0) break;
      inflateReset(&stream);  // another gzip member follows
      continue;
    }
    if (status == Z_OK) continue;
    if (status == Z_BUF_ERROR && stream.avail_in == 0) {
      inflateEnd(&stream);
      fail(ErrorKind::Corrupt, what + " is truncated (the gzip data ends early)");
    }
    const std::string reason = stream.msg ? stream.msg : "zlib error " + std::to_string(status);
    inflateEnd(&stream);
    fail(ErrorKind::Corrupt, what + " is not valid gzip data (" + reason + ")");
  }
  inflateEnd(&stream);
  return out;
}

std::string read_maybe_gzipped_file(const std::filesystem::path& path) {
  const std::vector<std::uint8_t> bytes = read_file(path);
  if (!is_gzip(bytes.data(), bytes.size())) return std::string(bytes.begin(), bytes.end());
  return gunzip(bytes.data(), bytes.size(), path.string());
}

}  // namespace lookalike::cli
