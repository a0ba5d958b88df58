#include "js_arrays.h"

#include <cmath>
#include <limits>
#include <type_traits>

#include <emscripten/heap.h>
#include <emscripten/val.h>

#include "lookalike/common/error.h"

namespace lookalike::wasm {

using emscripten::typed_memory_view;
using emscripten::val;

namespace {

[[noreturn]] void bad_argument(const char* what, const std::string& expectation) {
  fail(ErrorKind::InvalidArgument, std::string(what) + " " + expectation);
}

bool is_instance(const val& value, const char* constructor) { return value.instanceof (val::global(constructor)); }

// The element count of an array-like, refused with a clear message when its
// copy could never fit in the module's memory (a std::vector that large
// would otherwise fail with an uninformative length_error).
std::size_t copy_length(const val& value, std::size_t element_bytes, const char* what) {
  const double length = value["length"].as<double>();
  const double bytes = length * double(element_bytes);
  const double heap_max = double(emscripten_get_heap_max());
  if (bytes > heap_max)
    fail(ErrorKind::TooLarge, std::string(what) + " is " + std::to_string(static_cast<long long>(bytes)) +
                                  " bytes, more than this module's memory (" +
                                  std::to_string(static_cast<long long>(heap_max / (1 << 20))) + " MiB) can hold");
  return static_cast<std::size_t>(length);
}

// Copies a typed array or plain array into `out` through a view of `out`'s
// memory, so the element conversion is done by the JavaScript engine.
template <class T>
void copy_into(std::vector<T>& out, const val& source) {
  if (out.empty()) return;
  val(typed_memory_view(out.size(), out.data())).call<void>("set", source);
}

template <class T>
std::vector<T> numbers_from_js(const val& value, const char* what, const char* typed_name, const char* element) {
  if (is_instance(value, typed_name)) {
    std::vector<T> out(copy_length(value, sizeof(T), what));
    copy_into(out, value);
    return out;
  }
  if (val::global("Array").call<bool>("isArray", value)) {
    const std::size_t n = copy_length(value, sizeof(T), what);
    std::vector<T> out(n);
    for (std::size_t i = 0; i < n; ++i) {
      const val item = value[i];
      if (!item.isNumber()) bad_argument(what, std::string("must be a ") + typed_name + " or an array of " + element);
      const double x = item.as<double>();
      if constexpr (std::is_integral_v<T>) {
        if (!(x == std::floor(x)) || x < double(std::numeric_limits<T>::min()) ||
            x > double(std::numeric_limits<T>::max()))
          bad_argument(what, std::string("must hold ") + element + " (item " + std::to_string(i) + " is " +
                                 std::to_string(x) + ")");
      }
      out[i] = static_cast<T>(x);
    }
    return out;
  }
  bad_argument(what, std::string("must be a ") + typed_name + " or an array of " + element);
}

}  // namespace

std::vector<std::uint8_t> bytes_from_js(const val& value, const char* what) {
  val bytes = val::undefined();
  if (is_instance(value, "ArrayBuffer")) {
    bytes = val::global("Uint8Array").new_(value);
  } else if (val::global("ArrayBuffer").call<bool>("isView", value)) {
    bytes = val::global("Uint8Array").new_(value["buffer"], value["byteOffset"], value["byteLength"]);
  } else {
    bad_argument(what, "must be an ArrayBuffer or a typed array of bytes");
  }
  std::vector<std::uint8_t> out(copy_length(bytes, 1, what));
  copy_into(out, bytes);
  return out;
}

std::vector<float> floats_from_js(const val& value, const char* what) {
  return numbers_from_js<float>(value, what, "Float32Array", "numbers");
}

std::vector<std::uint32_t> uint32s_from_js(const val& value, const char* what) {
  return numbers_from_js<std::uint32_t>(value, what, "Uint32Array", "integers in [0, 2^32)");
}

std::vector<std::int32_t> int32s_from_js(const val& value, const char* what) {
  return numbers_from_js<std::int32_t>(value, what, "Int32Array", "32-bit integers");
}

val to_uint8_array(const std::uint8_t* data, std::size_t size) {
  return val(typed_memory_view(size, data)).call<val>("slice");
}

val to_float32_array(const float* data, std::size_t size) {
  return val(typed_memory_view(size, data)).call<val>("slice");
}

val to_uint32_array(const std::uint32_t* data, std::size_t size) {
  return val(typed_memory_view(size, data)).call<val>("slice");
}

val to_js_strings(const std::vector<std::string>& strings) {
  val out = val::array();
  for (const auto& s : strings) out.call<void>("push", s);
  return out;
}

bool is_absent(const val& value) { return value.isUndefined() || value.isNull(); }

void require_options_object(const val& options, const char* what) {
  if (is_absent(options)) return;
  if (options.typeOf().as<std::string>() != "object") bad_argument(what, "must be an object");
}

double number_option(const val& options, const char* key, double fallback, double min, double max) {
  if (is_absent(options)) return fallback;
  const val v = options[key];
  if (is_absent(v)) return fallback;
  const std::string name = std::string("option ") + key;
  if (!v.isNumber()) bad_argument(name.c_str(), "must be a number");
  const double x = v.as<double>();
  if (!(x >= min && x <= max))
    bad_argument(name.c_str(), "must be within [" + std::to_string(static_cast<long long>(min)) + ", " +
                                   std::to_string(static_cast<long long>(max)) + "]");
  return x;
}

bool bool_option(const val& options, const char* key, bool fallback) {
  if (is_absent(options)) return fallback;
  const val v = options[key];
  if (is_absent(v)) return fallback;
  if (!v.isTrue() && !v.isFalse()) bad_argument((std::string("option ") + key).c_str(), "must be true or false");
  return v.isTrue();
}

std::string string_option(const val& options, const char* key, const std::string& fallback) {
  if (is_absent(options)) return fallback;
  const val v = options[key];
  if (is_absent(v)) return fallback;
  if (!v.isString()) bad_argument((std::string("option ") + key).c_str(), "must be a string");
  return v.as<std::string>();
}

std::string string_argument(const val& value, const char* what) {
  if (!value.isString()) bad_argument(what, "must be a string");
  return value.as<std::string>();
}

}  // namespace lookalike::wasm
