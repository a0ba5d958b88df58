#include "text/text_test_support.h"

#include <filesystem>

#include <nlohmann/json.hpp>

#include "common/files.h"
#include "common/gzip.h"
#include "support/installed_vocabulary.h"
#include "support/skip.h"

namespace lookalike::testing {

const std::string& clip_merges_text() {
  static const std::string text = cli::read_maybe_gzipped_file(installed_clip_vocabulary());
  return text;
}

const ClipTokenizer& clip_tokenizer() {
  static const ClipTokenizer tokenizer = ClipTokenizer::from_bpe_merges(clip_merges_text());
  return tokenizer;
}

std::vector<ReferenceTokenCase> reference_token_cases() {
  const std::filesystem::path file =
      std::filesystem::path(LOOKALIKE_SHARED_DIR) / "models/clip-tokenizer/clip-token-cases.json";
  if (!std::filesystem::exists(file))
    skip_test("the reference token cases are missing: " + file.string() +
              " (../shared/models/clip-tokenizer, or set LOOKALIKE_SHARED_DIR)");
  const nlohmann::json root = nlohmann::json::parse(cli::read_text_file(file));
  std::vector<ReferenceTokenCase> cases;
  for (const auto& c : root.at("cases"))
    cases.push_back(
        {c.at("text").get<std::string>(), c.at("ids").get<std::vector<std::int32_t>>(), c.value("truncated", false)});
  return cases;
}

}  // namespace lookalike::testing
