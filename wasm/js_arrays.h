// Moving data between JavaScript values and C++ containers, with argument
// checks that throw lookalike::Error(InvalidArgument) naming the parameter.
//
// Arrays are copied in both directions: a view into the module's memory
// would go stale as soon as the memory grows, so JavaScript only ever holds
// arrays it owns.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <emscripten/val.h>

namespace lookalike::wasm {

// An ArrayBuffer or any typed array / DataView (its bytes as they lie).
std::vector<std::uint8_t> bytes_from_js(const emscripten::val& value, const char* what);
// A Float32Array, or an array of numbers.
std::vector<float> floats_from_js(const emscripten::val& value, const char* what);
// A Uint32Array, or an array of non-negative integers.
std::vector<std::uint32_t> uint32s_from_js(const emscripten::val& value, const char* what);
// An Int32Array, or an array of integers.
std::vector<std::int32_t> int32s_from_js(const emscripten::val& value, const char* what);

emscripten::val to_uint8_array(const std::uint8_t* data, std::size_t size);
emscripten::val to_float32_array(const float* data, std::size_t size);
emscripten::val to_uint32_array(const std::uint32_t* data, std::size_t size);
emscripten::val to_js_strings(const std::vector<std::string>& strings);

// Options objects: `undefined`/`null` fields take the fallback; a field of
// the wrong type or out of range throws, naming the option.
bool is_absent(const emscripten::val& value);
void require_options_object(const emscripten::val& options, const char* what);
double number_option(const emscripten::val& options, const char* key, double fallback, double min, double max);
bool bool_option(const emscripten::val& options, const char* key, bool fallback);
std::string string_option(const emscripten::val& options, const char* key, const std::string& fallback);
std::string string_argument(const emscripten::val& value, const char* what);

}  // namespace lookalike::wasm
