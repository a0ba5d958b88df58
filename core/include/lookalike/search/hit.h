// One search result and the order results are ranked in.
#pragma once

#include <cstdint>

#include "lookalike/metrics/metric.h"

namespace lookalike {

struct Hit {
  std::uint32_t id = 0;
  float score = 0;  // the metric's natural value (distance or similarity)
};

// Better score first; equal scores rank the lower id first, so every search
// (exact, HNSW, native, WASM) breaks ties the same, deterministic way.
struct HitOrder {
  Metric metric;
  bool operator()(const Hit& a, const Hit& b) const {
    if (score_ranks_before(metric, a.score, b.score)) return true;
    if (score_ranks_before(metric, b.score, a.score)) return false;
    return a.id < b.id;
  }
};

}  // namespace lookalike
