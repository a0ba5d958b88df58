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

}  // namespace

std::vector<CollectionModel> stage_site_models(const std::vector<FeatureChoice>& features,
                                               const ModelRunOptions& options, const fs::path& site,
                                               StagedFiles& staged) {
  std::vector<CollectionModel> models;
  for (const FeatureChoice& f : features) {
    if (!f.is_model()) continue;
    const ModelCard& card = f.card->card;
    const fs::path card_target = site / "models" / (card.name + ".json");
    const fs::path model_target = site / "models" / card.file;
    const fs::path model_source = locate_model_file(*f.card, options.model_path);

    if (!same_file(f.card->path, card_target)) staged.copy(card_target, f.card->path);
    if (!same_file(model_source, model_target)) {
      const std::string sha = card.sha256.empty() ? std::string() : crawl::file_sha256(model_source);
      if (!card.sha256.empty() && sha != card.sha256)
        fail(ErrorKind::Corrupt, model_source.string() + " has sha256 " + sha.substr(0, 16) + "…, but the card " +
                                     f.card->path + " names " + card.sha256.substr(0, 16) +
                                     "…: the page would refuse this file");
      std::error_code ec;
      const bool present = fs::is_regular_file(model_target, ec) &&
                           fs::file_size(model_target, ec) == fs::file_size(model_source, ec) && !card.sha256.empty() &&
                           crawl::file_sha256(model_target) == card.sha256;
      if (present)
        log_verbose(model_target.string() + " is already in the site");
      else
        staged.copy(model_target, model_source);
    }
    models.push_back({"models/" + card.name + ".json"});
  }
  return models;
}

}  // namespace lookalike::cli
