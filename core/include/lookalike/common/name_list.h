// Lists of choices in messages and help texts, written from the lists
// themselves (metric_names(), index_kind_names(), …) rather than by hand.
#pragma once

#include <string>
#include <vector>

namespace lookalike {

// "a, b or c" ("a" for one name, "" for none); each name between `quote`s.
std::string name_list(const std::vector<std::string>& names, const std::string& quote = "");

}  // namespace lookalike
