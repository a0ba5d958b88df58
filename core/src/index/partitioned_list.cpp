// Parsing and checking one list of a partitioned index (docs/FORMAT.md):
// the bytes a Range request or a file read returned for it.
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>

#include "index/bundle_checksum.h"
#include "index/byte_reader.h"
#include "index/int8_quantization.h"
#include "lookalike/common/error.h"
#include "lookalike/index/partitioned_format.h"
#include "lookalike/index/partitioned_index.h"

namespace lookalike {
namespace {

#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
constexpr bool kVerifyChecksums = false;
#else
constexpr bool kVerifyChecksums = true;
#endif

std::string str(std::uint64_t v) { return std::to_string(v); }

}  // namespace

PartitionedList PartitionedList::parse(const PartitionedIndex& index, std::uint32_t number, const std::uint8_t* data,
                                       std::size_t size) {
  const PartitionedHeader& h = index.header();
  if (number >= h.lists.size())
    fail(ErrorKind::InvalidArgument,
         "partitioned index: list " + str(number) + " does not exist (" + str(h.lists.size()) + " lists)");
  const ListLocation& where = h.lists[number];
  const std::string what = "partitioned index: list " + str(number);
  if (size != where.bytes)
    fail(ErrorKind::Corrupt, what + " is " + str(size) + " bytes, the header says " + str(where.bytes) + " (" +
                                 str(where.count) + " items)");
  if (kVerifyChecksums && bundle_checksum(data, size) != where.checksum)
    fail(ErrorKind::Corrupt, what + ": checksum mismatch (the bytes are not the ones the header describes)");

  PartitionedList list;
  list.number_ = number;
  const std::size_t n = where.count, dim = h.config.dim;
  list.dim_ = dim;
  ByteReader r(data, size, what);
  list.ids_.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    list.ids_[i] = r.u32();
    if (i > 0 && list.ids_[i] <= list.ids_[i - 1])
      fail(ErrorKind::Corrupt, what + ": ids are not strictly ascending at item " + str(i) + " (id " +
                                   str(list.ids_[i]) + " after " + str(list.ids_[i - 1]) + ")");
  }
  const bool unit = h.config.metric == Metric::Cosine || h.config.metric == Metric::Correlation;
  const double limit = unit ? 1.0 + 1e-4 : double(FLT_MAX);
  list.scales_.resize(2 * n);
  for (std::size_t i = 0; i < n; ++i) {
    const float offset = r.f32(), scale = r.f32();
    if (!std::isfinite(offset) || !std::isfinite(scale) || scale < 0 ||
        std::fabs(double(offset)) + 128.0 * double(scale) > limit)
      fail(ErrorKind::Corrupt, what + ": the int8 scale of id " + str(list.ids_[i]) + " is invalid (offset " +
                                   std::to_string(offset) + ", scale " + std::to_string(scale) + ")");
    list.scales_[2 * i] = offset;
    list.scales_[2 * i + 1] = scale;
  }
  const std::uint8_t* codes = r.bytes(n * dim);
  list.codes_.resize(n * dim);
  if (n != 0) std::memcpy(list.codes_.data(), codes, n * dim);
  return list;
}

std::size_t PartitionedList::bytes() const {
  return ids_.size() * sizeof(std::uint32_t) + scales_.size() * sizeof(float) + codes_.size() + sizeof(*this);
}

std::optional<std::size_t> PartitionedList::find(std::uint32_t id) const {
  const auto it = std::lower_bound(ids_.begin(), ids_.end(), id);
  if (it == ids_.end() || *it != id) return std::nullopt;
  return static_cast<std::size_t>(it - ids_.begin());
}

std::vector<float> PartitionedList::vector(std::size_t i) const {
  std::vector<float> out(dim_);
  dequantize_int8(codes(i), dim_, Int8Scale{offset(i), scale(i)}, out.data());
  return out;
}

}  // namespace lookalike
