// What the two index bindings (SearchIndex, PartitionedIndex) hand
// JavaScript alike: the fields of an index's configuration, hits as typed
// arrays, and the checks of a query and of a label filter, so that both
// kinds answer the page in the same shape and with the same messages.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include <emscripten/val.h>

#include "item_labels.h"
#include "lookalike/index/index_config.h"
#include "lookalike/search/hit.h"

namespace lookalike::wasm {

// {featureSpec, featureVersion, metric, dim, count, kind, element}; each
// binding adds what only its kind has.
emscripten::val index_config_to_js(const IndexConfig& config, std::size_t count);

// {ids: Uint32Array, scores: Float32Array}, in the order of `hits`.
emscripten::val hits_to_js(const std::vector<Hit>& hits);

// The query as floats, refused when its length is not the index's dimension.
std::vector<float> query_from_js(const emscripten::val& value, const IndexConfig& config);

// The `label` search option: none (an empty function) when absent or −1,
// else a filter accepting the items of that label; refused when the index
// was given no labels (setLabels). The filter holds `keep_alive` (what owns
// `labels`, when a search outlives the call that starts it).
std::function<bool(std::uint32_t)> label_filter(const emscripten::val& options, const ItemLabels* labels,
                                                std::shared_ptr<const void> keep_alive = nullptr);

}  // namespace lookalike::wasm
