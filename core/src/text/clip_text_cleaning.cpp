#include "text/clip_text_cleaning.h"

#include "lookalike/text/clip_tokenizer.h"
#include "text/html_unescape.h"
#include "text/unicode_properties.h"
#include "text/utf8.h"

namespace lookalike {
namespace text {
namespace {

// str.strip(): what str.isspace() calls space, at both ends.
std::u32string_view python_strip(std::u32string_view s) {
  std::size_t begin = 0, end = s.size();
  while (begin < end && is_python_space(s[begin])) ++begin;
  while (end > begin && is_python_space(s[end - 1])) --end;
  return s.substr(begin, end - begin);
}

// regex.sub(r'\s+', ' ', s) with the regex module's \s (White_Space).
std::u32string collapse_white_space(std::u32string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    if (!is_white_space(s[i])) {
      out.push_back(s[i++]);
      continue;
    }
    out.push_back(' ');
    while (i < s.size() && is_white_space(s[i])) ++i;
  }
  return out;
}

}  // namespace

std::u32string clean_clip_code_points(std::u32string_view text) {
  // basic_clean: ftfy.fix_text (left out, see clip_tokenizer.h), html.unescape twice, strip.
  const std::u32string unescaped = html_unescape(html_unescape(text));
  // whitespace_clean: \s+ → ' ', strip; then the reference lower-cases.
  const std::u32string collapsed = collapse_white_space(python_strip(unescaped));
  return python_lower(python_strip(collapsed));
}

}  // namespace text

std::string clean_clip_text(std::string_view text) {
  return text::encode_utf8(text::clean_clip_code_points(text::decode_utf8(text)));
}

}  // namespace lookalike
