#include "vectors/text_towers.h"

#include <algorithm>

#include "common/log.h"
#include "lookalike/common/error.h"

namespace lookalike::cli {
namespace {

namespace fs = std::filesystem;

std::string megabytes(std::uint64_t bytes) { return std::to_string((bytes + 500000) / 1000000) + " MB"; }

}  // namespace

std::vector<std::optional<LoadedTextCard>> choose_text_towers(const std::vector<FeatureChoice>& features,
                                                              const TextTowerRequest& request,
                                                              const fs::path& more_folder) {
  std::vector<std::optional<LoadedTextCard>> chosen(features.size());
  if (request.none) return chosen;
  for (const std::string& name : request.cards) {
    LoadedTextCard text = load_text_model_card(name);
    const auto f = std::find_if(features.begin(), features.end(), [&](const FeatureChoice& c) {
      return c.is_model() && c.card->card.name == text.card.pairs_with;
    });
    if (f == features.end())
      fail(ErrorKind::InvalidArgument,
           "--text-card " + name + " pairs with " + text.card.pairs_with +
               ", which is not among the features asked for (add --feature model:" + text.card.pairs_with + ")");
    locate_text_model_file(text);  // its files must be there
    locate_tokenizer_file(text);
    chosen[std::size_t(f - features.begin())] = std::move(text);
  }
  for (std::size_t i = 0; i < features.size(); ++i) {
    if (!features[i].is_model() || chosen[i] || !request.cards.empty()) continue;
    const std::string& image = features[i].card->card.name;
    for (LoadedTextCard& text :
         text_cards_pairing_with(image, more_folder.empty() ? std::vector<std::string>{}
                                                            : std::vector<std::string>{more_folder.string()})) {
      try {
        locate_text_model_file(text);
        locate_tokenizer_file(text);
      } catch (const Error& e) {
        log_info("text: " + text.card.name + " pairs with " + image + " but is left out: " + e.what());
        continue;
      }
      log_info("text: " + features[i].spec + " answers text with " + text.card.name + " (" +
               megabytes(text.card.bytes) + ")");
      chosen[i] = std::move(text);
      break;
    }
  }
  return chosen;
}

}  // namespace lookalike::cli
