#include "features/feature_params.h"

#include <cerrno>
#include <cstdlib>

#include "lookalike/common/error.h"

namespace lookalike {
namespace {

int parse_int(const std::string& feature, const std::string& key, const std::string& text, int min, int max) {
  char* end = nullptr;
  errno = 0;
  const long value = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno != 0 || value < min || value > max)
    fail(ErrorKind::InvalidArgument, "feature " + feature + ": " + key + "=" + text + " is not an integer in [" +
                                         std::to_string(min) + ", " + std::to_string(max) + "]");
  return static_cast<int>(value);
}

}  // namespace

FeatureParams FeatureParams::parse(const std::string& spec) {
  FeatureParams params;
  const auto colon = spec.find(':');
  params.name_ = spec.substr(0, colon);
  if (params.name_.empty()) fail(ErrorKind::InvalidArgument, "empty feature name in \"" + spec + "\"");
  if (colon == std::string::npos) return params;
  std::string rest = spec.substr(colon + 1);
  std::size_t start = 0;
  while (start <= rest.size()) {
    const auto comma = rest.find(',', start);
    const std::string item = rest.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    const auto eq = item.find('=');
    if (item.empty() || eq == std::string::npos || eq == 0)
      fail(ErrorKind::InvalidArgument, "feature " + params.name_ + ": expected key=value, got \"" + item + "\"");
    params.values_[item.substr(0, eq)] = item.substr(eq + 1);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return params;
}

int FeatureParams::take_int(const std::string& key, int fallback, int min, int max) {
  const auto it = values_.find(key);
  if (it == values_.end()) return fallback;
  const int value = parse_int(name_, key, it->second, min, max);
  values_.erase(it);
  return value;
}

std::vector<int> FeatureParams::take_int_list(const std::string& key, const std::vector<int>& fallback, int min,
                                              int max) {
  const auto it = values_.find(key);
  if (it == values_.end()) return fallback;
  std::vector<int> out;
  const std::string& text = it->second;
  std::size_t start = 0;
  while (true) {
    const auto x = text.find('x', start);
    out.push_back(
        parse_int(name_, key, text.substr(start, x == std::string::npos ? std::string::npos : x - start), min, max));
    if (x == std::string::npos) break;
    start = x + 1;
  }
  if (out.size() != fallback.size())
    fail(ErrorKind::InvalidArgument, "feature " + name_ + ": " + key + "=" + text + " needs " +
                                         std::to_string(fallback.size()) + " values separated by 'x'");
  values_.erase(it);
  return out;
}

bool FeatureParams::take_bool(const std::string& key, bool fallback) {
  const auto it = values_.find(key);
  if (it == values_.end()) return fallback;
  const std::string v = it->second;
  values_.erase(it);
  if (v == "1" || v == "true" || v == "yes") return true;
  if (v == "0" || v == "false" || v == "no") return false;
  fail(ErrorKind::InvalidArgument, "feature " + name_ + ": " + key + "=" + v + " is not a boolean (true or false)");
}

void FeatureParams::reject_unknown() const {
  if (values_.empty()) return;
  fail(ErrorKind::InvalidArgument, "feature " + name_ + " has no parameter \"" + values_.begin()->first + "\"");
}

}  // namespace lookalike
