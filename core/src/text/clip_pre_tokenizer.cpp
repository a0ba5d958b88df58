#include "text/clip_pre_tokenizer.h"

#include "text/unicode_properties.h"

namespace lookalike::text {
namespace {

// The reference compiles its pattern with IGNORECASE. After lower-casing,
// two effects remain, both found by comparing with the `regex` module over
// every code point: U+017F (long s) matches "s"; U+0345 (combining
// ypogegrammeni, which case-folds to iota) is matched by neither \p{L} nor
// [^\s\p{L}\p{N}], so like white space it belongs to no piece.
constexpr char32_t kLongS = 0x17F, kYpogegrammeni = 0x345;

char32_t fold(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  return c == kLongS ? char32_t('s') : c;
}

bool in_no_piece(char32_t c) { return is_white_space(c) || c == kYpogegrammeni; }
bool is_pattern_letter(char32_t c) { return c != kYpogegrammeni && is_letter(c); }

// Length of `literal` (ASCII, lower case) at text[i] under IGNORECASE, or 0.
std::size_t match(std::u32string_view text, std::size_t i, std::string_view literal) {
  if (text.size() - i < literal.size()) return 0;
  for (std::size_t k = 0; k < literal.size(); ++k)
    if (fold(text[i + k]) != char32_t(static_cast<unsigned char>(literal[k]))) return 0;
  return literal.size();
}

// The pattern's literal alternatives, in its order.
constexpr std::string_view kLiterals[] = {
    "<|startoftext|>", "<|endoftext|>", "'s", "'t", "'re", "'ve", "'m", "'ll", "'d"};

}  // namespace

std::vector<std::u32string_view> clip_pre_tokenize(std::u32string_view text) {
  std::vector<std::u32string_view> pieces;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t length = 0;
    for (const std::string_view literal : kLiterals)
      if ((length = match(text, i, literal)) != 0) break;
    if (length == 0) {
      const char32_t c = text[i];
      std::size_t end = i + 1;
      if (is_pattern_letter(c)) {
        while (end < text.size() && is_pattern_letter(text[end])) ++end;
      } else if (is_number(c)) {
        // one digit per piece
      } else if (!in_no_piece(c)) {
        while (end < text.size() && !in_no_piece(text[end]) && !is_pattern_letter(text[end]) && !is_number(text[end]))
          ++end;
      } else {
        ++i;
        continue;
      }
      length = end - i;
    }
    pieces.push_back(text.substr(i, length));
    i += length;
  }
  return pieces;
}

}  // namespace lookalike::text
