// CLIP's text cleaning (the reference's basic_clean and whitespace_clean,
// then lower()), on code points: HTML references unescaped twice, stripped,
// runs of white space made one space, stripped again, lower-cased.
#pragma once

#include <string>

namespace lookalike::text {

std::u32string clean_clip_code_points(std::u32string_view text);

}  // namespace lookalike::text
