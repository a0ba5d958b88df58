#include "dataset/dataset_types.h"

#include <algorithm>
#include <cctype>

#include "lookalike/common/error.h"

namespace lookalike::cli {

const char* split_name(Split split) {
  switch (split) {
    case Split::Train: return "train";
    case Split::Test: return "test";
    case Split::None: break;
  }
  return "";
}

Split parse_split(const std::string& text) {
  std::string s;
  for (char c : text)
    if (!std::isspace(static_cast<unsigned char>(c))) s += char(std::tolower(static_cast<unsigned char>(c)));
  if (s.empty()) return Split::None;
  if (s == "train") return Split::Train;
  if (s == "test") return Split::Test;
  fail(ErrorKind::InvalidArgument, "unknown split \"" + text + "\" (expected train, test or empty)");
}

}  // namespace lookalike::cli
