#include "decode_need_js.h"

#include "js_arrays.h"

namespace lookalike::wasm {

using emscripten::val;

val decode_need_to_js(const DecodeNeed& need) {
  val out = val::object();
  out.set("shorterSide", need.shorter_side);
  out.set("longerSide", need.longer_side);
  return out;
}

DecodeNeed decode_need_option(const val& options) {
  if (options.isUndefined() || options.isNull()) return {};
  const val need = options["need"];
  if (need.isUndefined() || need.isNull()) return {};
  require_options_object(need, "option need");
  constexpr double kLargest = 1 << 20;
  return {static_cast<int>(number_option(need, "shorterSide", 0, 0, kLargest)),
          static_cast<int>(number_option(need, "longerSide", 0, 0, kLargest))};
}

}  // namespace lookalike::wasm
