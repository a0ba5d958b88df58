// The pieces of CLIP's text cleaning and pre-tokenizer: Unicode classes from
// the generated tables, Python's str.lower and html.unescape (expected
// values from Python 3.11), and the pattern's splits.
#include <catch2/catch.hpp>

#include "lookalike/text/clip_tokenizer.h"
#include "text/clip_pre_tokenizer.h"
#include "text/html_unescape.h"
#include "text/unicode_properties.h"
#include "text/utf8.h"

using namespace lookalike;
using namespace lookalike::text;

namespace {

std::string unescape(const std::string& s) { return encode_utf8(html_unescape(decode_utf8(s))); }
std::string lower(const std::string& s) { return encode_utf8(python_lower(decode_utf8(s))); }

std::vector<std::string> pieces(const std::string& s) {
  const std::u32string text = decode_utf8(s);
  std::vector<std::string> out;
  for (const auto piece : clip_pre_tokenize(text)) out.push_back(encode_utf8(piece));
  return out;
}

using Pieces = std::vector<std::string>;

}  // namespace

TEST_CASE("letters and numbers of many scripts", "[text][unicode]") {
  // Accented Latin, Greek, Cyrillic, CJK, Hangul, Arabic: letters (L*).
  for (const char32_t c :
       {U'e', U'Z', U'é', U'Å', U'ß', U'ſ', U'α', U'Ω', U'ж', U'Ё', U'日', U'桜', U'の', U'서', U'ب', U'ʰ'})
    CHECK(is_letter(c));
  // Digits of several scripts and other numbers (N*).
  for (const char32_t c : {U'0', U'9', U'٣', U'५', U'½', U'²', U'Ⅻ', U'①'}) CHECK(is_number(c));
  // Emoji, punctuation, symbols, marks and space are neither.
  for (const char32_t c : {U'🐶', U'👍', U'\U0001F3FD', U'!', U'’', U'—', U'€', U'\u0301', U'\u200B', U' ', U'\u00A0'}) {
    CHECK_FALSE(is_letter(c));
    CHECK_FALSE(is_number(c));
  }
  CHECK(is_letter(U'\U00020000'));  // CJK Extension B, from a First/Last range of UnicodeData.txt
  CHECK(is_letter(U'\uAC00'));      // Hangul syllables, likewise
}

TEST_CASE("white space as the regex module and str.strip() see it", "[text][unicode]") {
  for (const char32_t c : {U' ', U'\t', U'\n', U'\r', U'\v', U'\f', U'\u0085', U'\u00A0', U'\u2003', U'\u3000'}) {
    CHECK(is_white_space(c));
    CHECK(is_python_space(c));
  }
  // The information separators: str.isspace() says yes, \s says no.
  CHECK(is_python_space(U'\u001C'));
  CHECK_FALSE(is_white_space(U'\u001C'));
  CHECK_FALSE(is_white_space(U'\u200B'));  // zero-width space is not space
}

TEST_CASE("lower-casing is Python's str.lower()", "[text][unicode]") {
  CHECK(lower("ÀÉÎÕÜ") == "àéîõü");
  CHECK(lower("ΣΑΣ ΟΔΟΣ") == "σας οδος");  // final sigma
  CHECK(lower("Σ") == "σ");
  CHECK(lower("ΑΣ.") == "ας.");
  CHECK(lower("A\u0345Σ") == "a\u0345ς");        // a case-ignorable mark before it
  CHECK(lower("İstanbul") == "i\u0307stanbul");  // two code points
  CHECK(lower("ẞ") == "ß");
  CHECK(lower("Ǆ ǅ") == "ǆ ǆ");
  CHECK(lower("МОСКВА") == "москва");
  CHECK(lower("日本 😀 123") == "日本 😀 123");
}

TEST_CASE("HTML references are unescaped as Python's html.unescape does", "[text][html]") {
  CHECK(unescape("&amp;lt;b&amp;gt;") == "&lt;b&gt;");
  CHECK(unescape("&notin") == "¬in");  // a legacy name without ';', the longest prefix
  CHECK(unescape("&notin;") == "∉");
  CHECK(unescape("&#x41;&#65") == "AA");
  CHECK(unescape("&#X4a;") == "J");
  CHECK(unescape("&#0;") == "\uFFFD");
  CHECK(unescape("&#128;&#x9f;") == "€Ÿ");  // Windows-1252
  CHECK(unescape("&#xD800;") == "\uFFFD");
  CHECK(unescape("a&#1;b") == "ab");  // dropped
  CHECK(unescape("&#99999999999;") == "\uFFFD");
  CHECK(unescape("&#13;") == "\r");
  CHECK(unescape("&bogus;") == "&bogus;");
  CHECK(unescape("&") == "&");
  CHECK(unescape("&#;") == "&#;");
  CHECK(unescape("&#x;") == "&#x;");
  CHECK(unescape("AT&T") == "AT&T");
  CHECK(unescape("&ampfoo") == "&foo");
  CHECK(unescape("&AMP") == "&");
  CHECK(unescape("&lt&gt") == "<>");
  CHECK(unescape("&ampé;") == "&é;");
  CHECK(unescape("&" + std::string(40, 'a') + ";") == "&" + std::string(40, 'a') + ";");
  CHECK(unescape("&Aacute;&aacute") == "Áá");
  CHECK(unescape("&nbsp;x") == "\u00A0x");
  CHECK(unescape("&fjlig;") == "fj");  // two code points
}

TEST_CASE("cleaning: unescaped twice, white space collapsed and stripped, lower-cased", "[text]") {
  CHECK(clean_clip_text("  Leading   and\ttrailing \n WHITESPACE  ") == "leading and trailing whitespace");
  CHECK(clean_clip_text("&amp;amp;") == "&");
  CHECK(clean_clip_text("&amp;amp;amp;") == "&amp;");
  CHECK(clean_clip_text("non\u00A0breaking") == "non breaking");
  CHECK(clean_clip_text("\u001Cx\u001Cy\u001C") == "x\u001Cy");  // stripped at the ends only
  CHECK(clean_clip_text("zero\u200Bwidth") == "zero\u200Bwidth");
}

TEST_CASE("pre-tokenizing: letters in runs, digits alone, other symbols in runs", "[text]") {
  CHECK(pieces("a photo of a dog.") == Pieces{"a", "photo", "of", "a", "dog", "."});
  CHECK(pieces("it's a cat's toy, isn't it?") ==
        Pieces{"it", "'s", "a", "cat", "'s", "toy", ",", "isn", "'t", "it", "?"});
  CHECK(pieces("we'll they've you'd i'm we're") ==
        Pieces{"we", "'ll", "they", "'ve", "you", "'d", "i", "'m", "we", "'re"});
  CHECK(pieces("2026-12-07") == Pieces{"2", "0", "2", "6", "-", "1", "2", "-", "0", "7"});
  CHECK(pieces("日本の桜") == Pieces{"日本の桜"});
  CHECK(pieces("αβγ δ") == Pieces{"αβγ", "δ"});
  CHECK(pieces("москва зимой") == Pieces{"москва", "зимой"});
  CHECK(pieces("emoji 🐶🚗🌅!") == Pieces{"emoji", "🐶🚗🌅!"});
  CHECK(pieces("١٢٣ x") == Pieces{"١", "٢", "٣", "x"});
  CHECK(pieces("c++ and c#") == Pieces{"c", "++", "and", "c", "#"});
  CHECK(pieces("<|startoftext|>x<|endoftext|>") == Pieces{"<|startoftext|>", "x", "<|endoftext|>"});
  CHECK(pieces("a<<|endoftext|>") == Pieces{"a", "<<|", "endoftext", "|>"});
  CHECK(pieces("!'s") == Pieces{"!'", "s"});
  // The reference's IGNORECASE: long s matches "s"; ypogegrammeni is in no piece.
  CHECK(pieces("it'ſ") == Pieces{"it", "'ſ"});
  CHECK(pieces("<|ſtartoftext|>") == Pieces{"<|ſtartoftext|>"});
  CHECK(pieces("a\u0345b") == Pieces{"a", "b"});
  CHECK(pieces("!\u0345?") == Pieces{"!", "?"});
}
