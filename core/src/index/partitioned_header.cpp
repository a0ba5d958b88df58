// Reading and checking a partitioned index's header (docs/FORMAT.md), and
// what follows from the header alone: the probe order of a query and the
// names of the data files.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <numeric>

#include "index/bundle_checksum.h"
#include "index/bundle_codes.h"
#include "index/byte_reader.h"
#include "index/vector_preparation.h"
#include "lookalike/common/error.h"
#include "lookalike/index/partitioned_format.h"
#include "lookalike/index/partitioned_index.h"

namespace lookalike {
namespace {

using namespace partitioned;

#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
constexpr bool kVerifyChecksums = false;  // as in bundle_reader.cpp: fuzzers reach the structure checks
#else
constexpr bool kVerifyChecksums = true;
#endif

[[noreturn]] void corrupt(const std::string& message) {
  fail(ErrorKind::Corrupt, "partitioned index header: " + message);
}

std::string str(std::uint64_t v) { return std::to_string(v); }

std::uint64_t align_up(std::uint64_t v) { return (v + kHeaderAlignment - 1) / kHeaderAlignment * kHeaderAlignment; }

struct Counts {
  std::uint32_t lists = 0, files = 0, code_bytes = 0;
  std::uint8_t encoding = 0;
};

IndexConfig read_config(ByteReader& r, Counts& counts, PartitionedHeader& h) {
  r.bytes(kMagic.size() + 4);  // magic and version, checked by the caller
  const std::uint32_t spec_bytes = r.u32();
  IndexConfig config;
  config.kind = IndexKind::Partitioned;
  config.element = ElementType::Int8;
  config.feature_version = r.u32();
  const std::uint8_t metric = r.u8(), encoding = r.u8();
  counts.encoding = encoding;
  if (!bundle::decode_metric(metric, config.metric))
    corrupt("unknown metric code " + str(metric) + " (expected 1 l1, 2 l2, 3 cosine or 4 correlation)");
  if (encoding != kCentroidFloat16 && encoding != kCentroidProductQuantized)
    corrupt("unknown centroid encoding " + str(encoding) + " (expected 1, half floats, or 2, product-quantised)");
  if (r.u16() != 0) corrupt("the reserved field at byte 22 is not zero");
  config.dim = r.u32();
  const std::uint32_t list_count = counts.lists = r.u32();
  const std::uint32_t file_count = counts.files = r.u32();
  h.default_nprobe = r.u32();
  h.default_rerank = r.u32();
  counts.code_bytes = r.u32();
  h.item_count = r.u64();
  h.seed = r.u64();
  if (spec_bytes > kMaxFeatureSpecBytes)
    corrupt("feature spec length " + str(spec_bytes) + " is over the limit " + str(kMaxFeatureSpecBytes));
  const std::uint8_t* spec = r.bytes(spec_bytes);
  config.feature_spec.assign(reinterpret_cast<const char*>(spec), spec_bytes);
  try {
    validate_index_config(config);
  } catch (const Error& e) {
    std::string what = e.what();
    const std::string prefix = "index config: ";
    if (what.compare(0, prefix.size(), prefix) == 0) what = what.substr(prefix.size());
    corrupt(what);
  }
  if (list_count < 1 || list_count > kMaxLists)
    corrupt("list count " + str(list_count) + " is outside [1, " + str(kMaxLists) + "]");
  if (file_count < 1 || file_count > kMaxFiles)
    corrupt("data file count " + str(file_count) + " is outside [1, " + str(kMaxFiles) + "]");
  if (h.default_nprobe < 1 || h.default_nprobe > list_count)
    corrupt("default nprobe " + str(h.default_nprobe) + " is outside [1, " + str(list_count) + "]");
  if (h.default_rerank < 1 || h.default_rerank > kMaxRerank)
    corrupt("default rerank " + str(h.default_rerank) + " is outside [1, " + str(kMaxRerank) + "]");
  if (PartitionedCentroids::encoded_bytes(encoding, config.dim, list_count, counts.code_bytes) == 0)
    corrupt(encoding == kCentroidFloat16
                ? "centroid code bytes " + str(counts.code_bytes) + " must be 0 for half-float centroids"
                : "centroid code bytes " + str(counts.code_bytes) + " must divide dimension " + str(config.dim));
  return config;
}

// Lists lie back to back in list order, data file f holding lists
// first[f] … first[f + 1] − 1 and starting with a non-empty list, so every
// list's file and offset follow from the counts.
void read_lists(ByteReader& r, PartitionedHeader& h, std::uint32_t list_count, std::uint32_t file_count) {
  h.file_bytes.resize(file_count);
  std::vector<std::uint32_t> first(file_count + 1, list_count);
  for (std::uint32_t f = 0; f < file_count; ++f) {
    h.file_bytes[f] = r.u64();
    first[f] = r.u32();
    if (r.u32() != 0) corrupt("the reserved field of data file " + str(f) + "'s entry is not zero");
    if (h.file_bytes[f] > kMaxFileBytes)
      corrupt("a data file of " + str(h.file_bytes[f]) + " bytes is over the limit " + str(kMaxFileBytes));
    if (f == 0 ? first[f] != 0 : first[f] <= first[f - 1] || first[f] >= list_count)
      corrupt("data file " + str(f) + " starts at list " + str(first[f]) +
              " (file 0 starts at list 0, each next file at a later list, before list " + str(list_count) + ")");
  }
  const std::uint64_t item_bytes = kItemFixedBytes + std::uint64_t(h.config.dim);
  h.lists.resize(list_count);
  std::uint32_t file = 0;
  std::uint64_t end = 0, items = 0;
  for (std::uint32_t i = 0; i < list_count; ++i) {
    ListLocation& l = h.lists[i];
    l.count = r.u32();
    l.checksum = r.u64();
    l.bytes = std::uint64_t(l.count) * item_bytes;
    if (i == first[file + 1]) {
      if (l.count == 0) corrupt("data file " + str(file + 1) + " starts with list " + str(i) + ", which is empty");
      if (end != h.file_bytes[file])
        corrupt("data file " + str(file) + " is " + str(h.file_bytes[file]) + " bytes long but its lists end at byte " +
                str(end));
      ++file;
      end = 0;
    }
    l.file = file;
    l.offset = end;
    if (l.bytes > h.file_bytes[file] - end)
      corrupt("list " + str(i) + " (" + str(l.count) + " items, " + str(l.bytes) + " bytes at " + str(l.offset) +
              ") runs past the end of data file " + str(file) + " (" + str(h.file_bytes[file]) + " bytes)");
    end += l.bytes;
    items += l.count;
  }
  if (end != h.file_bytes[file])
    corrupt("data file " + str(file) + " is " + str(h.file_bytes[file]) + " bytes long but its lists end at byte " +
            str(end));
  if (items != h.item_count) corrupt("the lists hold " + str(items) + " items, the header says " + str(h.item_count));
}

}  // namespace

PartitionedIndex PartitionedIndex::load_header(const std::uint8_t* data, std::size_t size) {
  if (size < kMagic.size() || std::memcmp(data, kMagic.data(), kMagic.size()) != 0)
    fail(ErrorKind::Corrupt, "not a lookalike partitioned index header: it does not start with its signature");
  if (size < kFixedHeaderBytes) corrupt("truncated to " + str(size) + " bytes, inside the fixed fields");
  const std::uint32_t version = ByteReader::load_u32(data + field::kFormatVersion);
  if (version != kFormatVersion)
    fail(ErrorKind::Unsupported, "partitioned index header: format version " + str(version) +
                                     " is not supported (this build reads version " + str(kFormatVersion) +
                                     "); rebuild the index with this version of lookalike");
  ByteReader r(data, size, "partitioned index header");
  PartitionedIndex index;
  PartitionedHeader& h = index.header_;
  Counts counts;
  h.config = read_config(r, counts, h);
  const std::uint32_t list_count = counts.lists, file_count = counts.files;
  const std::uint64_t centroid_bytes =
      PartitionedCentroids::encoded_bytes(counts.encoding, h.config.dim, list_count, counts.code_bytes);
  // Everything the counts imply must be there before anything is allocated.
  const std::uint64_t tables = align_up(kFixedHeaderBytes + h.config.feature_spec.size());
  const std::uint64_t expected = tables + std::uint64_t(file_count) * kFileEntryBytes +
                                 std::uint64_t(list_count) * kListEntryBytes + centroid_bytes + kChecksumBytes;
  if (expected != size)
    corrupt("is " + str(size) + " bytes; its counts (" + str(list_count) + " lists, " + str(file_count) +
            " files, dimension " + str(h.config.dim) + ") make it " + str(expected) +
            (size < expected ? ": truncated?" : ""));
  const std::uint64_t stored_sum =
      ByteReader::load_u32(data + size - 8) | (std::uint64_t(ByteReader::load_u32(data + size - 4)) << 32);
  const std::uint64_t sum = bundle_checksum(data, size - kChecksumBytes);
  if (kVerifyChecksums && sum != stored_sum) corrupt("checksum mismatch: the file is damaged");
  for (std::size_t p = r.position(); p < tables; ++p)
    if (r.u8() != 0) corrupt("padding byte " + str(p) + " after the feature spec is not zero");
  read_lists(r, h, list_count, file_count);
  h.centroids = PartitionedCentroids::decode(counts.encoding, h.config.dim, list_count, counts.code_bytes,
                                             r.bytes(centroid_bytes));
  return index;
}

std::size_t PartitionedIndex::item_bytes() const { return kItemFixedBytes + header_.config.dim; }

std::vector<float> PartitionedIndex::list_distances(const float* query) const {
  const std::size_t dim = header_.config.dim;
  std::vector<float> prepared(dim);
  require_finite(query, dim, "query");
  prepare_vector(header_.config.metric, query, prepared.data(), dim);
  return header_.centroids.distances(prepared.data());
}

std::vector<std::uint32_t> PartitionedIndex::probe_order(const float* query) const {
  const std::vector<float> distance = list_distances(query);
  std::vector<std::uint32_t> order(distance.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), ProbeOrder{distance});
  return order;
}

std::uint32_t PartitionedIndex::nearest_list(const float* vector) const {
  const std::vector<float> distance = list_distances(vector);
  std::uint32_t best = 0;
  for (std::uint32_t l = 1; l < distance.size(); ++l)
    if (ProbeOrder{distance}(l, best)) best = l;
  return best;
}

std::string PartitionedIndex::data_file_name(const std::string& header_file_name, std::uint32_t file) {
  std::string stem = header_file_name;
  const std::string extension = ".lkp";
  if (stem.size() > extension.size() && stem.compare(stem.size() - extension.size(), extension.size(), extension) == 0)
    stem.resize(stem.size() - extension.size());
  char number[16];
  std::snprintf(number, sizeof number, ".%04u.bin", file);
  return stem + number;
}

}  // namespace lookalike
