#include "text/unicode_properties.h"

#include <algorithm>

#include "text/unicode_tables.h"

namespace lookalike::text {
namespace {

bool in(const CodeRangeTable& table, char32_t c) {
  const CodeRange* end = table.ranges + table.size;
  const CodeRange* it = std::upper_bound(table.ranges, end, std::uint32_t(c),
                                         [](std::uint32_t v, const CodeRange& r) { return v < r.first; });
  return it != table.ranges && c <= (it - 1)->last;
}

bool is_cased(char32_t c) { return in(kCased, c); }
bool is_case_ignorable(char32_t c) { return in(kCaseIgnorable, c); }

constexpr char32_t kCapitalSigma = 0x3A3, kSmallSigma = 0x3C3, kFinalSigma = 0x3C2;

// CPython's handle_capital_sigma: Σ is final when a cased letter precedes it
// (case-ignorable ones skipped) and none follows (likewise).
bool sigma_is_final(std::u32string_view text, std::size_t i) {
  std::size_t j = i;
  char32_t before = 0;
  bool found = false;
  while (j > 0) {
    before = text[--j];
    if (!is_case_ignorable(before)) {
      found = true;
      break;
    }
  }
  if (!found || !is_cased(before)) return false;
  for (std::size_t k = i + 1; k < text.size(); ++k)
    if (!is_case_ignorable(text[k])) return !is_cased(text[k]);
  return true;
}

}  // namespace

bool is_letter(char32_t c) { return in(kLetter, c); }
bool is_number(char32_t c) { return in(kNumber, c); }
bool is_white_space(char32_t c) { return in(kWhiteSpace, c); }
bool is_python_space(char32_t c) { return in(kPythonSpace, c); }

std::u32string python_lower(std::u32string_view text) {
  std::u32string out;
  out.reserve(text.size());
  const SimpleLowercase* simple_end = kSimpleLowercase.entries + kSimpleLowercase.size;
  const LongLowercase* long_end = kLongLowercase.entries + kLongLowercase.size;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char32_t c = text[i];
    if (c < 0x80) {  // the common case, without a search
      out.push_back(c >= 'A' && c <= 'Z' ? c + 32 : c);
      continue;
    }
    if (c == kCapitalSigma) {
      out.push_back(sigma_is_final(text, i) ? kFinalSigma : kSmallSigma);
      continue;
    }
    const LongLowercase* l = std::lower_bound(kLongLowercase.entries, long_end, std::uint32_t(c),
                                              [](const LongLowercase& e, std::uint32_t v) { return e.from < v; });
    if (l != long_end && l->from == c) {
      for (const std::uint32_t to : l->to)
        if (to) out.push_back(to);
      continue;
    }
    const SimpleLowercase* s = std::lower_bound(kSimpleLowercase.entries, simple_end, std::uint32_t(c),
                                                [](const SimpleLowercase& e, std::uint32_t v) { return e.from < v; });
    out.push_back(s != simple_end && s->from == c ? s->to : c);
  }
  return out;
}

}  // namespace lookalike::text
