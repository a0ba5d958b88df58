// What a vector index is: the feature it holds, the metric it ranks by, the
// dimension, the kind (exact, HNSW graph or inverted lists), the element type its vectors are
// stored in, and the HNSW parameters. The same struct describes an index in
// memory and the header of its bundle (docs/FORMAT.md).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "lookalike/metrics/metric.h"

namespace lookalike {

// Flat and Hnsw are VectorIndex bundles, loaded whole; Partitioned is a
// PartitionedIndex (index/partitioned_index.h), loaded list by list.
enum class IndexKind { Flat, Hnsw, Partitioned };
constexpr std::array<IndexKind, 3> kAllIndexKinds = {IndexKind::Flat, IndexKind::Hnsw, IndexKind::Partitioned};

// Int8: each vector scalar-quantised to int8 codes with its own offset and
// scale (index/int8_quantization.h); about a quarter of float32's bytes.
enum class ElementType { Float32, Int8 };
constexpr std::array<ElementType, 2> kAllElementTypes = {ElementType::Float32, ElementType::Int8};

struct HnswParams {
  std::uint32_t m = 16;                 // links per node per layer (2·m on the bottom layer)
  std::uint32_t ef_construction = 200;  // candidate list while building: higher is slower and better
  std::uint32_t ef_search = 64;         // default candidate list while searching
  std::uint64_t seed = 42;              // decides every node's layer, so builds are reproducible
};

struct IndexConfig {
  std::string feature_spec;  // canonical feature spec, e.g. "colour:bins=8x4x4"
  std::uint32_t feature_version = 1;
  Metric metric = Metric::Cosine;
  std::uint32_t dim = 0;
  IndexKind kind = IndexKind::Hnsw;
  ElementType element = ElementType::Float32;
  bool keep_float_vectors = false;  // Int8 only: keep float32 copies for exact re-ranking
  HnswParams hnsw;
};

// Limits every index and every bundle obeys. They bound the memory a bundle
// can ask for relative to its own size (see docs/FORMAT.md).
constexpr std::uint32_t kMaxIndexDim = 65536;
constexpr std::uint32_t kMinHnswM = 2;
constexpr std::uint32_t kMaxHnswM = 64;
constexpr std::uint32_t kMaxHnswEf = 100000;
constexpr std::size_t kMaxFeatureSpecBytes = 1024;
constexpr unsigned kMaxHnswLevel = 16;

const char* index_kind_name(IndexKind kind);         // "flat", "hnsw", "partitioned"
const char* element_type_name(ElementType element);  // "float32", "int8"
std::vector<std::string> index_kind_names();         // of kAllIndexKinds, in that order
std::vector<std::string> element_type_names();       // of kAllElementTypes, in that order
// Accept the names above; throw Error(InvalidArgument) otherwise.
IndexKind parse_index_kind(const std::string& name);
ElementType parse_element_type(const std::string& name);

// Throws Error(InvalidArgument) naming the first field outside its limits.
void validate_index_config(const IndexConfig& config);

}  // namespace lookalike
