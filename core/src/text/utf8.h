// UTF-8 to code points and back, strictly: a text that is not valid UTF-8
// (overlong forms, surrogates, truncated sequences, bytes above F4) is
// refused with the byte offset, never repaired silently.
#pragma once

#include <string>
#include <string_view>

namespace lookalike::text {

// Throws Error(InvalidArgument): "<what> is not valid UTF-8 (byte 5: 0xFF)".
std::u32string decode_utf8(std::string_view bytes, const char* what = "the text");

void append_utf8(std::string& out, char32_t code_point);
std::string encode_utf8(std::u32string_view code_points);

}  // namespace lookalike::text
