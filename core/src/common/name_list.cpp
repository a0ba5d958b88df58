#include "lookalike/common/name_list.h"

namespace lookalike {

std::string name_list(const std::vector<std::string>& names, const std::string& quote) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += quote + names[i] + quote;
  }
  return out;
}

}  // namespace lookalike
