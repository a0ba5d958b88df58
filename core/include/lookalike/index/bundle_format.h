// Constants of the bundle format, version 1: the bytes an index is saved as
// and a browser downloads. docs/FORMAT.md describes every byte; this header
// and that page change together.
//
//   header   magic, version, sizes, config fields, feature spec, section
//            table, XXH3-64 checksum of all of that
//   sections at 8-byte aligned offsets in table order, each with its XXH3-64
//            checksum in the table
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace lookalike {
namespace bundle {

// "\x89LKX\r\n\x1a\n": non-ASCII first byte and CR/LF/EOF bytes catch text-mode
// transfers and truncation at a glance, as PNG's signature does.
constexpr std::array<std::uint8_t, 8> kMagic = {0x89, 'L', 'K', 'X', '\r', '\n', 0x1a, '\n'};
constexpr std::uint32_t kFormatVersion = 1;

constexpr std::size_t kFixedHeaderBytes = 68;   // up to the feature spec
constexpr std::size_t kSectionEntryBytes = 32;  // tag, reserved, offset, length, checksum
constexpr std::size_t kChecksumBytes = 8;
constexpr std::size_t kSectionAlignment = 8;
constexpr std::size_t kMaxSections = 8;

// Field offsets in the fixed header.
namespace field {
constexpr std::size_t kMagic = 0;
constexpr std::size_t kFormatVersion = 8;
constexpr std::size_t kHeaderBytes = 12;
constexpr std::size_t kFeatureSpecBytes = 16;
constexpr std::size_t kFeatureVersion = 20;
constexpr std::size_t kMetric = 24;
constexpr std::size_t kKind = 25;
constexpr std::size_t kElement = 26;
constexpr std::size_t kFlags = 27;
constexpr std::size_t kDim = 28;
constexpr std::size_t kElementCount = 32;
constexpr std::size_t kLiveCount = 36;
constexpr std::size_t kHnswM = 40;
constexpr std::size_t kHnswEfConstruction = 44;
constexpr std::size_t kHnswEfSearch = 48;
constexpr std::size_t kSectionCount = 52;
constexpr std::size_t kHnswSeed = 56;
constexpr std::size_t kReserved = 64;
constexpr std::size_t kFeatureSpec = 68;
}  // namespace field

// Codes of the enumerations; 0 is never valid, so zeroed bytes are caught.
constexpr std::uint8_t kMetricL1 = 1, kMetricL2 = 2, kMetricCosine = 3, kMetricCorrelation = 4;
constexpr std::uint8_t kKindFlat = 1, kKindHnsw = 2;
constexpr std::uint8_t kElementFloat32 = 1, kElementInt8 = 2;
constexpr std::uint8_t kFlagFloatVectors = 0x01;  // int8 only: float32 copies stored too

// Section tags, four ASCII bytes as they appear in the file.
enum class Section : std::uint8_t { Ids, Removed, Floats, Codes, Scales, Levels, Graph };
constexpr std::size_t kSectionKinds = 7;
constexpr std::array<const char*, kSectionKinds> kSectionTags = {"IDS ", "DEL ", "VF32", "I8CD",
                                                                 "I8SC", "LVLS", "GRPH"};

constexpr std::uint32_t kNoEntryPoint = 0xFFFFFFFFu;

}  // namespace bundle
}  // namespace lookalike
