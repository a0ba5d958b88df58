#include "lookalike/index/index_config.h"

#include "lookalike/common/error.h"
#include "lookalike/common/name_list.h"

namespace lookalike {

const char* index_kind_name(IndexKind kind) {
  switch (kind) {
    case IndexKind::Flat: return "flat";
    case IndexKind::Hnsw: return "hnsw";
    case IndexKind::Partitioned: return "partitioned";
  }
  return "?";
}

const char* element_type_name(ElementType element) { return element == ElementType::Float32 ? "float32" : "int8"; }

IndexKind parse_index_kind(const std::string& name) {
  if (name == "flat") return IndexKind::Flat;
  if (name == "hnsw") return IndexKind::Hnsw;
  if (name == "partitioned") return IndexKind::Partitioned;
  fail(ErrorKind::InvalidArgument,
       "unknown index kind \"" + name + "\" (expected " + name_list(index_kind_names()) + ")");
}

ElementType parse_element_type(const std::string& name) {
  if (name == "float32") return ElementType::Float32;
  if (name == "int8") return ElementType::Int8;
  fail(ErrorKind::InvalidArgument,
       "unknown element type \"" + name + "\" (expected " + name_list(element_type_names()) + ")");
}

std::vector<std::string> index_kind_names() {
  std::vector<std::string> names;
  for (const IndexKind kind : kAllIndexKinds) names.push_back(index_kind_name(kind));
  return names;
}

std::vector<std::string> element_type_names() {
  std::vector<std::string> names;
  for (const ElementType element : kAllElementTypes) names.push_back(element_type_name(element));
  return names;
}

void validate_index_config(const IndexConfig& config) {
  const auto bad = [](const std::string& what) { fail(ErrorKind::InvalidArgument, "index config: " + what); };
  if (config.dim == 0 || config.dim > kMaxIndexDim)
    bad("dim is " + std::to_string(config.dim) + ", must be in [1, " + std::to_string(kMaxIndexDim) + "]");
  if (config.feature_spec.size() > kMaxFeatureSpecBytes)
    bad("feature_spec is longer than " + std::to_string(kMaxFeatureSpecBytes) + " bytes");
  for (const char c : config.feature_spec)
    if (c < 0x20 || c > 0x7e) bad("feature_spec must be printable ASCII");
  if (config.keep_float_vectors && config.element != ElementType::Int8)
    bad("keep_float_vectors applies to the int8 element type only");
  if (config.hnsw.m < kMinHnswM || config.hnsw.m > kMaxHnswM)
    bad("hnsw.m is " + std::to_string(config.hnsw.m) + ", must be in [" + std::to_string(kMinHnswM) + ", " +
        std::to_string(kMaxHnswM) + "]");
  if (config.hnsw.ef_construction < 1 || config.hnsw.ef_construction > kMaxHnswEf)
    bad("hnsw.ef_construction is " + std::to_string(config.hnsw.ef_construction) + ", must be in [1, " +
        std::to_string(kMaxHnswEf) + "]");
  if (config.hnsw.ef_search < 1 || config.hnsw.ef_search > kMaxHnswEf)
    bad("hnsw.ef_search is " + std::to_string(config.hnsw.ef_search) + ", must be in [1, " +
        std::to_string(kMaxHnswEf) + "]");
}

}  // namespace lookalike
