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

std::string gzip_compress(const void* data, std::size_t size, int level) {
  z_stream stream{};
  // 16 + MAX_WBITS: a gzip wrapper, as above; 8: zlib's default memory level.
  if (deflateInit2(&stream, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    fail(ErrorKind::InvalidArgument, "zlib could not start compressing (level " + std::to_string(level) + ")");
  std::string out(deflateBound(&stream, static_cast<uLong>(size)), '\0');
  stream.next_in = static_cast<Bytef*>(const_cast<void*>(data));
  stream.avail_in = static_cast<uInt>(size);
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int status = deflate(&stream, Z_FINISH);  // deflateBound leaves room for all of it
  out.resize(stream.total_out);
  deflateEnd(&stream);
  if (status != Z_STREAM_END) fail(ErrorKind::Io, "zlib could not compress " + std::to_string(size) + " bytes");
  return out;
}

std::string read_maybe_gzipped_file(const std::filesystem::path& path) {
  const std::vector<std::uint8_t> bytes = read_file(path);
  if (!is_gzip(bytes.data(), bytes.size())) return std::string(bytes.begin(), bytes.end());
  return gunzip(bytes.data(), bytes.size(), path.string());
}

}  // namespace lookalike::cli
