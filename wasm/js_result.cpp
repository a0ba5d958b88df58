#include "js_result.h"

namespace lookalike::wasm {

using emscripten::val;

const char* error_kind_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::InvalidArgument: return "invalid-argument";
    case ErrorKind::Unsupported: return "unsupported";
    case ErrorKind::Corrupt: return "corrupt";
    case ErrorKind::TooLarge: return "too-large";
    case ErrorKind::Io: return "io";
  }
  return "internal";
}

val ok_result(const val& value) {
  val result = val::object();
  result.set("ok", true);
  result.set("value", value);
  return result;
}

val error_result(const char* kind, const std::string& message) {
  val result = val::object();
  result.set("ok", false);
  result.set("kind", std::string(kind));
  result.set("error", message);
  return result;
}

}  // namespace lookalike::wasm
