// Search hits as the JSON the Node and browser tests compare against:
// {"ids": [...], "scores": [...]} in rank order.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "lookalike/search/hit.h"

namespace lookalike::testing {

inline nlohmann::json hits_json(const std::vector<Hit>& hits) {
  nlohmann::json out = {{"ids", nlohmann::json::array()}, {"scores", nlohmann::json::array()}};
  for (const Hit& h : hits) {
    out["ids"].push_back(h.id);
    out["scores"].push_back(h.score);
  }
  return out;
}

}  // namespace lookalike::testing
