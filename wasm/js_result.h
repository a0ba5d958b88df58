// How every entry point of the module answers JavaScript: a result object
// `{ok: true, value}` or `{ok: false, kind, error}`, never an abort.
//
// Emscripten 3.1.6 hands JavaScript a C++ exception that crosses embind as a
// bare pointer, without its message, so each entry point runs its body
// through `guarded`, which catches lookalike::Error (keeping its kind),
// std::bad_alloc and any other std::exception inside C++ and turns them into
// an error result carrying the message.
#pragma once

#include <exception>
#include <new>
#include <string>

#include <emscripten/val.h>

#include "lookalike/common/error.h"

namespace lookalike::wasm {

// "invalid-argument", "unsupported", "corrupt", "too-large", "io".
const char* error_kind_name(ErrorKind kind);

emscripten::val ok_result(const emscripten::val& value);
emscripten::val error_result(const char* kind, const std::string& message);

// Runs `body` (returning an emscripten::val) and wraps its value in an ok
// result, or turns whatever it throws into an error result.
template <class Body>
emscripten::val guarded(Body&& body) {
  try {
    return ok_result(body());
  } catch (const Error& e) {
    return error_result(error_kind_name(e.kind()), e.what());
  } catch (const std::bad_alloc&) {
    return error_result("too-large", "out of memory (the browser refused more WebAssembly memory)");
  } catch (const std::exception& e) {
    return error_result("internal", std::string("internal error: ") + e.what());
  } catch (...) {
    return error_result("internal", "internal error: unknown exception");
  }
}

}  // namespace lookalike::wasm
