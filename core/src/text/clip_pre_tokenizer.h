// CLIP's pre-tokenizer: the pieces of a cleaned text that the reference's
// pattern finds (regex.findall with IGNORECASE), in order:
//
//   <|startoftext|>|<|endoftext|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+
//
// Everything else (white space) is skipped.
#pragma once

#include <string_view>
#include <vector>

namespace lookalike::text {

std::vector<std::u32string_view> clip_pre_tokenize(std::u32string_view text);

}  // namespace lookalike::text
