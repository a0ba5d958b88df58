#include "embed/text_model_files.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include "common/files.h"
#include "common/gzip.h"
#include "common/install_paths.h"
#include "crawl/sha256.h"
#include "embed/model_files.h"
#include "lookalike/common/error.h"
#include "lookalike/model/model_card.h"

namespace lookalike::cli {
namespace {

namespace fs = std::filesystem;

// Every JSON file of the card folders (and their test/ folders), then of
// `more_folders`, that is a text card; a name found twice counts once.
std::vector<LoadedTextCard> all_text_cards(const std::vector<std::string>& more_folders = {}) {
  std::vector<LoadedTextCard> cards;
  std::set<std::string> names;
  std::vector<std::string> folders = model_card_folders();
  folders.insert(folders.end(), more_folders.begin(), more_folders.end());
  for (const auto& folder : folders) {
    for (const fs::path& dir : {fs::path(folder), fs::path(folder) / "test"}) {
      std::error_code ec;
      std::vector<fs::path> files;
      for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (it->path().extension() == ".json") files.push_back(it->path());
      std::sort(files.begin(), files.end());
      for (const fs::path& file : files) {
        try {
          const std::string text = read_text_file(file);
          if (!is_text_model_card(text)) continue;
          LoadedTextCard loaded{parse_text_model_card(text), absolute_path(file)};
          if (names.insert(loaded.card.name).second) cards.push_back(std::move(loaded));  // the first folder wins
        } catch (const Error&) {}
      }
    }
  }
  return cards;
}

}  // namespace

std::vector<std::string> known_text_model_cards() {
  std::vector<std::string> names;
  for (const auto& c : all_text_cards()) names.push_back(c.card.name);
  std::sort(names.begin(), names.end());
  return names;
}

LoadedTextCard load_text_model_card(const std::string& name_or_path) {
  LoadedTextCard loaded;
  loaded.path = find_card_file(name_or_path, known_text_model_cards());
  const std::string text = read_text_file(loaded.path);
  if (!is_text_model_card(text)) {
    // An image card given where a text card belongs: say which text cards pair with it.
    std::string name;
    try {
      name = parse_model_card(text).name;
    } catch (const Error&) {}
    if (!name.empty()) {
      std::string towers;
      for (const auto& c : text_cards_pairing_with(name)) towers += (towers.empty() ? "" : ", ") + c.card.name;
      fail(ErrorKind::InvalidArgument, loaded.path + " is the card of an image encoder, not of a text tower; " +
                                           (towers.empty() ? "no text card names " + name + " in pairs_with"
                                                           : "the text cards that pair with " + name + ": " + towers));
    }
  }
  try {
    loaded.card = parse_text_model_card(text);
  } catch (const Error& e) {
    fail(e.kind() == ErrorKind::InvalidArgument ? ErrorKind::Corrupt : e.kind(), loaded.path + ": " + e.what());
  }
  return loaded;
}

std::vector<LoadedTextCard> text_cards_pairing_with(const std::string& image_card,
                                                    const std::vector<std::string>& more_folders) {
  std::vector<LoadedTextCard> cards;
  for (auto& c : all_text_cards(more_folders))
    if (c.card.pairs_with == image_card) cards.push_back(std::move(c));
  return cards;
}

std::string locate_text_model_file(const LoadedTextCard& loaded, const std::string& override_path) {
  const TextModelCard& card = loaded.card;
  if (!override_path.empty()) {
    std::error_code ec;
    if (!fs::is_regular_file(override_path, ec)) fail(ErrorKind::Io, "no such model file: " + override_path);
    return absolute_path(override_path);
  }
  return locate_card_file(loaded.path, card.name, card.file, card.bytes, "model file",
                          "Fetch it with models/fetch.sh " + card.name +
                              (card.url.empty() ? std::string() : " (from " + card.url + ")") +
                              ", or pass --model FILE");
}

std::string locate_tokenizer_file(const LoadedTextCard& loaded) {
  const TextModelCard& card = loaded.card;
  // Installed like model files (models/fetch.sh installs a text card's vocabulary with its model), so
  // one copy in a models folder serves every card that names it.
  const std::string how =
      "Install it with models/fetch.sh " + card.name +
      (card.tokenizer_url.empty() ? std::string()
                                  : " (it downloads " + card.tokenizer_url + " and checks the sha256 the card pins)") +
      ", or models/fetch.sh --from DIR " + card.name + " with " + fs::path(card.tokenizer_file).filename().string() +
      " in DIR";
  return locate_card_file(loaded.path, card.name, card.tokenizer_file, card.tokenizer_bytes, "tokenizer file", how,
                          model_card_folders());
}

ClipTokenizer load_tokenizer_file(const std::string& path, const std::string& sha256) {
  const std::vector<std::uint8_t> bytes = read_file(path);
  if (!sha256.empty()) {
    const std::string got = crawl::sha256_hex(bytes.data(), bytes.size());
    if (got != sha256)
      fail(ErrorKind::Corrupt, path + " has sha256 " + got.substr(0, 16) + "…, the card names " + sha256.substr(0, 16) +
                                   "…: not the vocabulary the model was trained with");
  }
  const std::string text = is_gzip(bytes.data(), bytes.size()) ? gunzip(bytes.data(), bytes.size(), path)
                                                               : std::string(bytes.begin(), bytes.end());
  try {
    return ClipTokenizer::from_file(text);
  } catch (const Error& e) {
    fail(e.kind(), path + ": " + e.what());
  }
}

ClipTokenizer load_card_tokenizer(const LoadedTextCard& loaded) {
  return load_tokenizer_file(locate_tokenizer_file(loaded), loaded.card.tokenizer_sha256);
}

}  // namespace lookalike::cli
