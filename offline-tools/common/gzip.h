// gzip (Debian's zlib): decompression for the files the CLI reads that may be
// published compressed, e.g. CLIP's bpe_simple_vocab_16e6.txt.gz (the web page
// decompresses the same files with the browser's DecompressionStream, so the
// core's tokenizer gets the same bytes on both sides), and compression for
// what `lookalike serve` sends with Content-Encoding: gzip.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

namespace lookalike::cli {

// True when the bytes start with gzip's magic number (1F 8B).
bool is_gzip(const std::uint8_t* data, std::size_t size);

// The decompressed bytes of a whole gzip stream (several members are read
// one after the other, as gunzip does). Throws Error(Corrupt) naming `what`
// for damaged or truncated data, Error(TooLarge) past `max_bytes`.
std::string gunzip(const std::uint8_t* data, std::size_t size, const std::string& what,
                   std::size_t max_bytes = std::size_t(1) << 30);

// `size` bytes as one gzip member (zlib's deflate at `level`, 1–9).
std::string gzip_compress(const void* data, std::size_t size, int level = 6);

// A file's bytes, decompressed when they are gzip (whatever its name).
std::string read_maybe_gzipped_file(const std::filesystem::path& path);

}  // namespace lookalike::cli
