// Python's html.unescape(), which CLIP's reference tokenizer applies twice:
// named references (the HTML5 list, including the legacy names that need no
// ';' and the longest-prefix rule for those), decimal and hexadecimal
// references with the HTML5 replacements (NUL, Windows-1252 for 0x80–0x9F,
// U+FFFD for surrogates and values past U+10FFFF; controls dropped).
#pragma once

#include <string>

namespace lookalike::text {

std::u32string html_unescape(std::u32string_view text);

}  // namespace lookalike::text
