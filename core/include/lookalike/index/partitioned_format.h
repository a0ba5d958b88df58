// Constants of the partitioned index format, version 1: a header file that
// the page loads first and data files holding the inverted lists, each list
// one byte range that is fetched on demand. docs/FORMAT.md describes every
// byte; this header and that page change together.
//
//   <stem>.lkp            header: config, file table, list table, centroids, checksum
//   <stem>.<NNNN>.bin     data file NNNN (0000, 0001, …): lists back to back
//
// Data files end in .bin because static hosts serve that extension as
// application/octet-stream, which they never compress: a compressed answer
// to a Range request is not the bytes asked for.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace lookalike {
namespace partitioned {

// "\x89LKP\r\n\x1a\n", as the bundle's signature (bundle_format.h) with P for partitioned.
constexpr std::array<std::uint8_t, 8> kMagic = {0x89, 'L', 'K', 'P', '\r', '\n', 0x1a, '\n'};
constexpr std::uint32_t kFormatVersion = 1;

constexpr std::size_t kFixedHeaderBytes = 64;  // up to the feature spec
constexpr std::size_t kFileEntryBytes = 8;     // u64 file length
constexpr std::size_t kListEntryBytes = 24;    // u32 file, u32 count, u64 offset, u64 checksum
constexpr std::size_t kChecksumBytes = 8;
constexpr std::size_t kHeaderAlignment = 8;  // the file table starts at a multiple of 8

// Bytes one item takes in a list: u32 id, f32 offset, f32 scale, dim int8 codes.
constexpr std::size_t kItemFixedBytes = 12;

// Field offsets in the fixed header.
namespace field {
constexpr std::size_t kMagic = 0;
constexpr std::size_t kFormatVersion = 8;
constexpr std::size_t kFeatureSpecBytes = 12;
constexpr std::size_t kFeatureVersion = 16;
constexpr std::size_t kMetric = 20;
constexpr std::size_t kCentroidEncoding = 21;
constexpr std::size_t kReserved16 = 22;
constexpr std::size_t kDim = 24;
constexpr std::size_t kListCount = 28;
constexpr std::size_t kFileCount = 32;
constexpr std::size_t kDefaultNprobe = 36;
constexpr std::size_t kDefaultRerank = 40;
constexpr std::size_t kReserved32 = 44;
constexpr std::size_t kItemCount = 48;
constexpr std::size_t kSeed = 56;
constexpr std::size_t kFeatureSpec = 64;
}  // namespace field

// Centroids are stored as IEEE half floats: they only order the lists a
// query probes, and halving them halves the first download.
constexpr std::uint8_t kCentroidFloat16 = 1;

// Limits that bound what a header can ask a reader to allocate.
constexpr std::uint32_t kMaxLists = 1u << 20;
constexpr std::uint32_t kMaxFiles = 10000;  // <stem>.0000.bin … <stem>.9999.bin
constexpr std::uint32_t kMaxRerank = 100000;

// No file of a site may exceed this (hosts refuse larger ones, and a browser
// caches such a file badly); the writer starts a new data file before it would.
constexpr std::uint64_t kMaxFileBytes = 64ull << 20;

}  // namespace partitioned
}  // namespace lookalike
