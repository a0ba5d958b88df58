// A DecodeNeed (lookalike/image/decode_need.h) as JavaScript sees it:
// `{shorterSide, longerSide}`. featureInfo and parseModelCard hand it out,
// decodeImage takes it back as options.need, so the worker decodes a query
// for a feature exactly as the CLI does.
#pragma once

#include <emscripten/val.h>

#include "lookalike/image/decode_need.h"

namespace lookalike::wasm {

emscripten::val decode_need_to_js(const DecodeNeed& need);

// options.need, or the full image when absent; throws Error(InvalidArgument)
// naming the field for anything but an object of two whole numbers ≥ 0.
DecodeNeed decode_need_option(const emscripten::val& options);

}  // namespace lookalike::wasm
