// What the text tests share: CLIP's vocabulary where models/fetch.sh installs
// it, and the reference cases of ../shared/models/clip-tokenizer (each
// skipping the test, saying so, when it is absent).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lookalike/text/clip_tokenizer.h"

namespace lookalike::testing {

// The installed bpe_simple_vocab_16e6.txt.gz (support/installed_vocabulary.h), decompressed; skips the test
// when it is not installed.
const std::string& clip_merges_text();
// A tokenizer made from it (made once).
const ClipTokenizer& clip_tokenizer();

struct ReferenceTokenCase {
  std::string text;
  std::vector<std::int32_t> ids;
  bool truncated = false;
};
// ../shared/models/clip-tokenizer/clip-token-cases.json; skips the test when absent.
std::vector<ReferenceTokenCase> reference_token_cases();

}  // namespace lookalike::testing
