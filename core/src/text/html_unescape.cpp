#include "text/html_unescape.h"

#include <algorithm>
#include <cstring>

#include "text/html_entities.h"
#include "text/utf8.h"

namespace lookalike::text {
namespace {

// Python's pattern: &(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)
constexpr std::size_t kMaxNameLength = 32;

bool is_name_char(char32_t c) {
  return c != '\t' && c != '\n' && c != '\f' && c != ' ' && c != '<' && c != '&' && c != '#' && c != ';';
}
bool is_digit(char32_t c) { return c >= '0' && c <= '9'; }
int hex_value(char32_t c) {
  if (c >= '0' && c <= '9') return int(c - '0');
  if (c >= 'a' && c <= 'f') return int(c - 'a' + 10);
  if (c >= 'A' && c <= 'F') return int(c - 'A' + 10);
  return -1;
}

void append_decoded(std::u32string& out, const char* utf8) { out += decode_utf8(utf8, "an HTML entity table entry"); }

const char* entity_value(const std::string& name) {
  const HtmlEntity* end = kHtmlEntities.entries + kHtmlEntities.size;
  const HtmlEntity* it =
      std::lower_bound(kHtmlEntities.entries, end, name,
                       [](const HtmlEntity& e, const std::string& n) { return std::strcmp(e.name, n.c_str()) < 0; });
  return it != end && name == it->name ? it->value : nullptr;
}

// What a numeric reference stands for (html._replace_charref's numeric branch).
void append_numeric(std::u32string& out, std::uint32_t code) {
  const NumericReplacement* end = kNumericReplacements.entries + kNumericReplacements.size;
  const NumericReplacement* r = std::lower_bound(
      kNumericReplacements.entries, end, code, [](const NumericReplacement& e, std::uint32_t v) { return e.code < v; });
  if (r != end && r->code == code) return append_decoded(out, r->value);
  if ((code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) return out.push_back(0xFFFD);
  if (std::binary_search(kDroppedCodePoints.codes, kDroppedCodePoints.codes + kDroppedCodePoints.size, code)) return;
  out.push_back(code);
}

// A numeric reference at text[at] ("&#…"): appends its value and returns
// the index after it, or returns `at` when the text there is not one.
std::size_t numeric_reference(std::u32string_view text, std::size_t at, std::u32string& out) {
  std::size_t i = at + 2;
  const bool hex = i < text.size() && (text[i] == 'x' || text[i] == 'X');
  if (hex) ++i;
  const std::size_t digits_start = i;
  // Values are only compared with 0x10FFFF: larger ones saturate.
  std::uint32_t value = 0;
  for (; i < text.size(); ++i) {
    const int digit = hex ? hex_value(text[i]) : (is_digit(text[i]) ? int(text[i] - '0') : -1);
    if (digit < 0) break;
    value = value > 0x110000 ? value : value * (hex ? 16 : 10) + std::uint32_t(digit);
  }
  if (i == digits_start) return at;
  if (i < text.size() && text[i] == ';') ++i;
  append_numeric(out, value);
  return i;
}

// A named reference at text[at] ("&name"): html._replace_charref's named branch.
std::size_t named_reference(std::u32string_view text, std::size_t at, std::u32string& out) {
  std::size_t i = at + 1;
  while (i < text.size() && i - (at + 1) < kMaxNameLength && is_name_char(text[i])) ++i;
  if (i == at + 1) return at;
  if (i < text.size() && text[i] == ';') ++i;
  const std::u32string_view name = text.substr(at + 1, i - (at + 1));
  if (const char* value = entity_value(encode_utf8(name))) {
    append_decoded(out, value);
    return i;
  }
  // The longest prefix that is a name (only the legacy names without ';' can be).
  for (std::size_t length = name.size() - 1; length >= 2; --length) {
    if (const char* value = entity_value(encode_utf8(name.substr(0, length)))) {
      append_decoded(out, value);
      out.append(name.substr(length));
      return i;
    }
  }
  out.push_back('&');
  out.append(name);
  return i;
}

}  // namespace

std::u32string html_unescape(std::u32string_view text) {
  if (text.find(U'&') == std::u32string_view::npos) return std::u32string(text);
  std::u32string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] != '&') {
      out.push_back(text[i++]);
      continue;
    }
    const bool numeric = i + 1 < text.size() && text[i + 1] == '#';
    const std::size_t next = numeric ? numeric_reference(text, i, out) : named_reference(text, i, out);
    if (next == i)
      out.push_back(text[i++]);  // not a reference: the '&' stays
    else
      i = next;
  }
  return out;
}

}  // namespace lookalike::text
