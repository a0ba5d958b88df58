// Questions about code points, answered from the generated tables
// (unicode_tables.h), and Python's str.lower() built on them.
#pragma once

#include <string>

namespace lookalike::text {

bool is_letter(char32_t c);        // general category L*
bool is_number(char32_t c);        // general category N*
bool is_white_space(char32_t c);   // White_Space: what the `regex` module's \s matches
bool is_python_space(char32_t c);  // str.isspace(): what str.strip() removes

// str.lower(): the full lowercase mapping (İ becomes two code points) and
// the final sigma (Σ at the end of a word becomes ς), as CPython does it.
std::u32string python_lower(std::u32string_view text);

}  // namespace lookalike::text
