#include "support/installed_vocabulary.h"

#include <filesystem>

#include "embed/text_model_files.h"
#include "lookalike/common/error.h"
#include "support/skip.h"

namespace lookalike::testing {

std::string installed_clip_vocabulary() {
  const std::filesystem::path source(LOOKALIKE_SOURCE_DIR);
  try {
    return cli::locate_tokenizer_file(cli::load_text_model_card((source / "models/test/tiny-text.json").string()));
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::Io) throw;
    skip_test(std::string("CLIP's vocabulary is not installed: ") + e.what() +
              ". For the tests: models/fetch.sh --text tiny-embed --from " + LOOKALIKE_SHARED_DIR +
              "/models/clip-tokenizer --dest " + (source / "build/models").string() +
              " (scripts/setup.sh does this when ../shared is there), or without --from to download it");
  }
}

}  // namespace lookalike::testing
