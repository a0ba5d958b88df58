#include "indexing/site_models.h"

#include "common/files.h"
#include "common/log.h"
#include "crawl/sha256.h"
#include "embed/model_files.h"
#include "lookalike/common/error.h"

namespace lookalike::cli {
namespace {

namespace fs = std::filesystem;

bool same_file(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  return fs::equivalent(a, b, ec);
}

// Copies `source` to `target` in the site unless the site has it already;
// with a sha256, the source must have it (the page checks it too).
void stage_checked_file(const fs::path& source, const fs::path& target, const std::string& sha256,
                        const std::string& card_path, StagedFiles& staged) {
  if (same_file(source, target)) return;
  const std::string sha = sha256.empty() ? std::string() : crawl::file_sha256(source);
  if (!sha256.empty() && sha != sha256)
    fail(ErrorKind::Corrupt, source.string() + " has sha256 " + sha.substr(0, 16) + "…, but the card " + card_path +
                                 " names " + sha256.substr(0, 16) + "…: the page would refuse this file");
  std::error_code ec;
  const bool present = fs::is_regular_file(target, ec) && fs::file_size(target, ec) == fs::file_size(source, ec) &&
                       !sha256.empty() && crawl::file_sha256(target) == sha256;
  if (present)
    log_verbose(target.string() + " is already in the site");
  else
    staged.copy(target, source);
}

std::string stage_text_tower(const LoadedTextCard& text, const fs::path& site, StagedFiles& staged) {
  const TextModelCard& card = text.card;
  const fs::path card_target = site / "models" / (card.name + ".json");
  if (!same_file(text.path, card_target)) staged.copy(card_target, text.path);
  stage_checked_file(locate_text_model_file(text), site / "models" / card.file, card.sha256, text.path, staged);
  stage_checked_file(locate_tokenizer_file(text), site / "models" / card.tokenizer_file, card.tokenizer_sha256,
                     text.path, staged);
  return "models/" + card.name + ".json";
}

}  // namespace

std::vector<CollectionModel> stage_site_models(const std::vector<FeatureChoice>& features,
                                               const std::vector<std::optional<LoadedTextCard>>& text_towers,
                                               const ModelRunOptions& options, const fs::path& site,
                                               StagedFiles& staged) {
  std::vector<CollectionModel> models;
  for (std::size_t i = 0; i < features.size(); ++i) {
    const FeatureChoice& f = features[i];
    if (!f.is_model()) continue;
    const ModelCard& card = f.card->card;
    const fs::path card_target = site / "models" / (card.name + ".json");
    if (!same_file(f.card->path, card_target)) staged.copy(card_target, f.card->path);
    stage_checked_file(locate_model_file(*f.card, options.model_path), site / "models" / card.file, card.sha256,
                       f.card->path, staged);
    CollectionModel model{"models/" + card.name + ".json", ""};
    if (i < text_towers.size() && text_towers[i]) model.text_card = stage_text_tower(*text_towers[i], site, staged);
    models.push_back(std::move(model));
  }
  return models;
}

}  // namespace lookalike::cli
