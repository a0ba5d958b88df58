#include "crawl/sha256.h"

#include <openssl/evp.h>

#include "common/files.h"
#include "lookalike/common/error.h"

namespace lookalike::crawl {

std::string sha256_hex(const void* data, std::size_t size) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data, size, digest, &length, EVP_sha256(), nullptr) != 1 || length != 32)
    fail(ErrorKind::Io, "SHA-256 computation failed (OpenSSL EVP_Digest)");
  static const char hex[] = "0123456789abcdef";
  std::string out(64, '0');
  for (unsigned i = 0; i < 32; ++i) {
    out[2 * i] = hex[digest[i] >> 4];
    out[2 * i + 1] = hex[digest[i] & 15];
  }
  return out;
}

std::string file_sha256(const std::filesystem::path& file) {
  const std::vector<std::uint8_t> bytes = cli::read_file(file);
  return sha256_hex(bytes.data(), bytes.size());
}

}  // namespace lookalike::crawl
