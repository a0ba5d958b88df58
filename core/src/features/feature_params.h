// Parsing "name:key=value,key=value" feature specs, with errors that name
// the feature, the key and the accepted range.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace lookalike {

class FeatureParams {
 public:
  // Splits a spec into its name and parameters; throws on malformed text.
  static FeatureParams parse(const std::string& spec);

  const std::string& name() const { return name_; }
  int take_int(const std::string& key, int fallback, int min, int max);
  // "8x4x4"-style list of `count` positive integers, each within [min, max].
  std::vector<int> take_int_list(const std::string& key, const std::vector<int>& fallback, int min, int max);
  bool take_bool(const std::string& key, bool fallback);
  // Throws if a parameter was given that no take_* call consumed.
  void reject_unknown() const;

 private:
  std::string name_;
  std::map<std::string, std::string> values_;
};

}  // namespace lookalike
