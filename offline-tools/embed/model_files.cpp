#include "embed/model_files.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>

#include "common/files.h"
#include "common/install_paths.h"
#include "embed/node_runtime.h"
#include "lookalike/common/error.h"

namespace lookalike::cli {
namespace {

bool is_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

}  // namespace

std::vector<std::string> model_card_folders() {
  std::vector<fs::path> candidates;
  if (!environment("LOOKALIKE_MODELS_DIR").empty()) candidates.emplace_back(environment("LOOKALIKE_MODELS_DIR"));
  for (const fs::path& folder : shipped_folder_candidates("models")) candidates.push_back(folder);
  std::vector<std::string> folders;
  std::set<std::string> seen;
  for (const auto& c : candidates) {
    std::error_code ec;
    if (!fs::is_directory(c, ec)) continue;
    const std::string a = absolute_path(c);
    if (seen.insert(a).second) folders.push_back(a);
  }
  return folders;
}

std::vector<std::string> known_model_cards() {
  std::set<std::string> names;
  for (const auto& folder : model_card_folders()) {
    for (const fs::path& dir : {fs::path(folder), fs::path(folder) / "test"}) {
      std::error_code ec;
      for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string file = it->path().filename().string();
        if (it->path().extension() != ".json" || file.find(".reference.") != std::string::npos) continue;
        // Only files that are model cards (a folder named models/ may hold other JSON).
        try {
          parse_model_card(read_text_file(it->path()));
          names.insert(it->path().stem().string());
        } catch (const Error&) {}
      }
    }
  }
  return {names.begin(), names.end()};
}

LoadedCard load_model_card(const std::string& name_or_path) {
  std::string spec = name_or_path;
  if (is_model_spec(spec)) spec = model_spec_card(spec);
  if (spec.empty())
    fail(ErrorKind::InvalidArgument, "no model card given (a name such as clip-vit-b32, or a card file)");
  fs::path path;
  const bool looks_like_path =
      spec.find('/') != std::string::npos || (spec.size() > 5 && spec.substr(spec.size() - 5) == ".json");
  if (looks_like_path) {
    if (!is_file(spec)) fail(ErrorKind::Io, "no such model card file: " + spec);
    path = spec;
  } else {
    for (const auto& folder : model_card_folders()) {
      for (const fs::path& candidate :
           {fs::path(folder) / (spec + ".json"), fs::path(folder) / "test" / (spec + ".json")})
        if (path.empty() && is_file(candidate)) path = candidate;
    }
    if (path.empty()) {
      std::string known;
      for (const auto& n : known_model_cards()) known += (known.empty() ? "" : ", ") + n;
      fail(ErrorKind::InvalidArgument,
           "unknown model card \"" + spec + "\" (known: " + (known.empty() ? "none found" : known) +
               "; or give the path of a card file; LOOKALIKE_MODELS_DIR adds a folder of cards)");
    }
  }
  LoadedCard loaded;
  loaded.path = absolute_path(path);
  const std::string text = read_text_file(path);
  try {
    loaded.card = parse_model_card(text);
  } catch (const Error& e) {
    fail(e.kind() == ErrorKind::InvalidArgument ? ErrorKind::Corrupt : e.kind(), loaded.path + ": " + e.what());
  }
  return loaded;
}

std::string locate_model_file(const LoadedCard& loaded, const std::string& override_path) {
  const ModelCard& card = loaded.card;
  if (!override_path.empty()) {
    if (!is_file(override_path)) fail(ErrorKind::Io, "no such model file: " + override_path);
    return absolute_path(override_path);
  }
  const fs::path file(card.file);
  if (file.is_absolute() || card.file.find("..") != std::string::npos)
    fail(ErrorKind::Corrupt, loaded.path + ": model.file must be a plain path relative to the card's folder");
  std::vector<fs::path> candidates = {fs::path(loaded.path).parent_path() / file};
  if (!environment("LOOKALIKE_MODELS_DIR").empty())
    candidates.push_back(fs::path(environment("LOOKALIKE_MODELS_DIR")) / file);
  for (const auto& candidate : candidates) {
    if (!is_file(candidate)) continue;
    std::error_code ec;
    const auto size = fs::file_size(candidate, ec);
    if (!ec && card.bytes != 0 && size != card.bytes)
      fail(ErrorKind::Corrupt, "model file " + candidate.string() + " is " + std::to_string(size) +
                                   " bytes, the card " + card.name + " says " + std::to_string(card.bytes) +
                                   " (a partial or different download?): run models/fetch.sh " + card.name + " again");
    return absolute_path(candidate);
  }
  std::string looked;
  for (const auto& c : candidates) looked += (looked.empty() ? "" : ", ") + c.lexically_normal().string();
  fail(ErrorKind::Io, "model file for card " + card.name + " not found (looked for " + looked +
                          "). Fetch it with models/fetch.sh " + card.name +
                          (card.url.empty() ? std::string() : " (from " + card.url + ")") + ", or pass --model FILE");
}

}  // namespace lookalike::cli
