// CLIP's tokenizer against the reference's own ids, and the framing.
#include <catch2/catch.hpp>

#include "lookalike/common/error.h"
#include "lookalike/text/clip_tokenizer.h"
#include "text/text_test_support.h"

using namespace lookalike;
using lookalike::testing::clip_tokenizer;

TEST_CASE("every reference case gives the reference's ids", "[text][reference]") {
  const auto cases = lookalike::testing::reference_token_cases();
  REQUIRE(cases.size() >= 62);
  std::size_t matched = 0;
  for (const auto& c : cases) {
    INFO("text: \"" << c.text << "\"");
    const TokenizedText got = clip_tokenizer().tokenize(c.text);
    CHECK(got.ids == c.ids);
    CHECK(got.truncated == c.truncated);
    matched += got.ids == c.ids && got.truncated == c.truncated;
  }
  CHECK(matched == cases.size());
}

TEST_CASE("the vocabulary is CLIP's: 49 408 ids, the special tokens last", "[text]") {
  const ClipTokenizer& t = clip_tokenizer();
  CHECK(t.vocabulary_size() == 49408);
  CHECK(t.start_of_text() == 49406);
  CHECK(t.end_of_text() == 49407);
  CHECK(t.token(49406) == "<|startoftext|>");
  CHECK(t.token(0) == "!");
  CHECK(t.token(256) == "!</w>");
  CHECK(t.token(320) == "a</w>");  // "a" is byte 0x61, the 65th byte symbol
  CHECK(t.token(-1).empty());
  CHECK(t.token(49408).empty());
}

TEST_CASE("a few texts of each script (the reference's ids)", "[text]") {
  // From the reference tokenizer (clip/simple_tokenizer.py), as in ../shared's cases,
  // so that these run where ../shared is absent.
  const ClipTokenizer& t = clip_tokenizer();
  CHECK(t.tokenize("a photo of a dog").ids == std::vector<std::int32_t>{49406, 320, 1125, 539, 320, 1929, 49407});
  CHECK(t.tokenize("A photo of a DOG.").ids == std::vector<std::int32_t>{49406, 320, 1125, 539, 320, 1929, 269, 49407});
  CHECK(t.encode("café crème brûlée") == std::vector<std::int32_t>{15304, 1075, 12138, 614, 711, 127, 119, 75, 13489});
  CHECK(t.encode("αβγ δ") == std::vector<std::int32_t>{138, 109, 138, 110, 138, 367, 138, 368});
  CHECK(t.encode("Москва зимой") ==
        std::vector<std::int32_t>{38018, 13506, 23669, 27152, 39813, 27080, 140, 115, 29503, 120, 20978, 373});
  CHECK(t.encode("日本の桜") == std::vector<std::int32_t>{39121, 44353, 21575, 162, 94, 506});
  CHECK(t.encode("emoji 🐶🚗🌅") == std::vector<std::int32_t>{16327, 14466, 33054, 27547});
  CHECK(t.encode("don't DON'T Don't") == std::vector<std::int32_t>{847, 713, 847, 713, 847, 713});
  CHECK(t.encode("&amp; &lt;b&gt;bold&lt;/b&gt;") ==
        std::vector<std::int32_t>{261, 283, 321, 285, 8911, 34308, 321, 285});
  CHECK(t.tokenize("<|endoftext|> after").ids == std::vector<std::int32_t>{49406, 49407, 953, 49407});
}

TEST_CASE("an empty or blank text is the start and end tokens alone", "[text]") {
  for (const char* text : {"", " ", "\t\n ", "&nbsp;"}) {
    INFO(text);
    const TokenizedText got = clip_tokenizer().tokenize(text);
    CHECK(got.ids == std::vector<std::int32_t>{49406, 49407});
    CHECK_FALSE(got.truncated);
  }
}

TEST_CASE("a long text is cut to the context length and still ends the text", "[text]") {
  std::string text;
  for (int i = 0; i < 100; ++i) text += "dog ";
  const TokenizedText full = clip_tokenizer().tokenize(text);
  CHECK(full.ids.size() == 77);
  CHECK(full.truncated);
  CHECK(full.ids.front() == 49406);
  CHECK(full.ids.back() == 49407);
  CHECK(full.ids[75] == 1929);  // "dog</w>" up to the last place

  // 75 tokens fit exactly (75 + 2 = 77): not truncated.
  std::string fits;
  for (int i = 0; i < 75; ++i) fits += "dog ";
  const TokenizedText exact = clip_tokenizer().tokenize(fits);
  CHECK(exact.ids.size() == 77);
  CHECK_FALSE(exact.truncated);

  const TokenizedText short_context = clip_tokenizer().tokenize("a photo of a dog", 4);
  CHECK(short_context.ids == std::vector<std::int32_t>{49406, 320, 1125, 49407});
  CHECK(short_context.truncated);
  CHECK_THROWS_AS(clip_tokenizer().tokenize("a", 1), Error);
}

TEST_CASE("text that is not UTF-8 is refused, saying where", "[text]") {
  const auto refused = [](const std::string& text, const std::string& where) {
    INFO(where);
    try {
      clip_tokenizer().encode(text);
      FAIL("accepted");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::InvalidArgument);
      CHECK(std::string(e.what()).find(where) != std::string::npos);
    }
  };
  refused("ab\xff", "byte 2: 0xFF");
  refused("caf\xc3", "byte 3");                 // truncated sequence
  refused("\xc0\xaf", "byte 0");                // overlong '/'
  refused("x\xed\xa0\x80", "byte 1");           // a surrogate (U+D800)
  refused("\xf4\x90\x80\x80", "byte 0");        // past U+10FFFF
  refused("ok \xe2\x82 then", "byte 5: 0x20");  // a continuation byte missing
}
