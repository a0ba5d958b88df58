// The numbers the bundle header stores for metrics, index kinds and element
// types (index/bundle_format.h), and back. Decoding returns false for any
// other number, which the reader reports as corruption.
#pragma once

#include <cstdint>
#include <vector>

#include "lookalike/index/bundle_format.h"
#include "lookalike/index/index_config.h"

namespace lookalike {
namespace bundle {

inline std::uint8_t metric_code(Metric metric) {
  switch (metric) {
    case Metric::L1: return kMetricL1;
    case Metric::L2: return kMetricL2;
    case Metric::Cosine: return kMetricCosine;
    case Metric::Correlation: return kMetricCorrelation;
  }
  return 0;
}
inline bool decode_metric(std::uint8_t code, Metric& metric) {
  switch (code) {
    case kMetricL1: metric = Metric::L1; return true;
    case kMetricL2: metric = Metric::L2; return true;
    case kMetricCosine: metric = Metric::Cosine; return true;
    case kMetricCorrelation: metric = Metric::Correlation; return true;
    default: return false;
  }
}

inline std::uint8_t kind_code(IndexKind kind) { return kind == IndexKind::Flat ? kKindFlat : kKindHnsw; }
inline bool decode_kind(std::uint8_t code, IndexKind& kind) {
  if (code != kKindFlat && code != kKindHnsw) return false;
  kind = code == kKindFlat ? IndexKind::Flat : IndexKind::Hnsw;
  return true;
}

inline std::uint8_t element_code(ElementType element) {
  return element == ElementType::Float32 ? kElementFloat32 : kElementInt8;
}
inline bool decode_element(std::uint8_t code, ElementType& element) {
  if (code != kElementFloat32 && code != kElementInt8) return false;
  element = code == kElementFloat32 ? ElementType::Float32 : ElementType::Int8;
  return true;
}

// The sections a bundle of this config holds, in their order in the file.
inline std::vector<Section> sections_for(const IndexConfig& config) {
  std::vector<Section> s{Section::Ids, Section::Removed};
  if (config.element == ElementType::Float32 || config.keep_float_vectors) s.push_back(Section::Floats);
  if (config.element == ElementType::Int8) {
    s.push_back(Section::Codes);
    s.push_back(Section::Scales);
  }
  if (config.kind == IndexKind::Hnsw) {
    s.push_back(Section::Levels);
    s.push_back(Section::Graph);
  }
  return s;
}

}  // namespace bundle
}  // namespace lookalike
