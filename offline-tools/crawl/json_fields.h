// Lenient readers for fields of Flickr's JSON: the REST API turns XML
// attributes into JSON and is not consistent about types ("page": 1 but
// "total": "4127", "license": "4", "width_m": "500" in older answers), and
// some text arrives as {"_content": "..."}. Missing or odd fields read as
// empty / the fallback instead of throwing.
#pragma once

#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

namespace lookalike::crawl {

inline std::string json_text(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return {};
  const auto it = object.find(key);
  if (it == object.end()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<long long>());
  if (it->is_number_unsigned()) return std::to_string(it->get<unsigned long long>());
  if (it->is_object()) return json_text(*it, "_content");
  return {};
}

inline long long json_integer(const nlohmann::json& object, const char* key, long long fallback) {
  if (!object.is_object()) return fallback;
  const auto it = object.find(key);
  if (it == object.end()) return fallback;
  if (it->is_number_integer() || it->is_number_unsigned()) return it->get<long long>();
  if (it->is_string()) {
    const std::string s = it->get<std::string>();
    char* end = nullptr;
    const long long v = std::strtoll(s.c_str(), &end, 10);
    if (!s.empty() && end && *end == '\0') return v;
  }
  return fallback;
}

}  // namespace lookalike::crawl
