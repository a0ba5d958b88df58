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

std::string find_card_file(const std::string& name_or_path, const std::vector<std::string>& known) {
  std::string spec = name_or_path;
  if (is_model_spec(spec)) spec = model_spec_card(spec);
  if (spec.empty())
    fail(ErrorKind::InvalidArgument, "no model card given (a name such as clip-vit-b32, or a card file)");
  const bool looks_like_path =
      spec.find('/') != std::string::npos || (spec.size() > 5 && spec.substr(spec.size() - 5) == ".json");
  if (looks_like_path) {
    if (!is_file(spec)) fail(ErrorKind::Io, "no such model card file: " + spec);
    return absolute_path(spec);
  }
  for (const auto& folder : model_card_folders())
    for (const fs::path& candidate :
         {fs::path(folder) / (spec + ".json"), fs::path(folder) / "test" / (spec + ".json")})
      if (is_file(candidate)) return absolute_path(candidate);
  std::string names;
  for (const auto& n : known) names += (names.empty() ? "" : ", ") + n;
  fail(ErrorKind::InvalidArgument,
       "unknown model card \"" + spec + "\" (known: " + (names.empty() ? "none found" : names) +
           "; or give the path of a card file; LOOKALIKE_MODELS_DIR adds a folder of cards)");
}

LoadedCard load_model_card(const std::string& name_or_path) {
  LoadedCard loaded;
  loaded.path = find_card_file(name_or_path, known_model_cards());
  const std::string text = read_text_file(loaded.path);
  try {
    loaded.card = parse_model_card(text);
  } catch (const Error& e) {
    fail(e.kind() == ErrorKind::InvalidArgument ? ErrorKind::Corrupt : e.kind(), loaded.path + ": " + e.what());
  }
  return loaded;
}

std::string locate_card_file(const std::string& card_path, const std::string& card_name, const std::string& relative,
                             std::uint64_t expected_bytes, const std::string& what, const std::string& how,
                             const std::vector<std::string>& more_folders) {
  const fs::path file(relative);
  if (file.is_absolute() || relative.find("..") != std::string::npos)
    fail(ErrorKind::Corrupt, card_path + ": the " + what + " must be a plain path relative to the card's folder");
  std::vector<fs::path> candidates = {fs::path(card_path).parent_path() / file};
  if (!environment("LOOKALIKE_MODELS_DIR").empty())
    candidates.push_back(fs::path(environment("LOOKALIKE_MODELS_DIR")) / file);
  for (const auto& folder : more_folders) candidates.push_back(fs::path(folder) / file);
  for (const auto& candidate : candidates) {
    if (!is_file(candidate)) continue;
    std::error_code ec;
    const auto size = fs::file_size(candidate, ec);
    if (!ec && expected_bytes != 0 && size != expected_bytes)
      fail(ErrorKind::Corrupt, what + " " + candidate.string() + " is " + std::to_string(size) + " bytes, the card " +
                                   card_name + " says " + std::to_string(expected_bytes) +
                                   " (a partial or different download?): " + how);
    return absolute_path(candidate);
  }
  std::string looked;
  for (const auto& c : candidates) looked += (looked.empty() ? "" : ", ") + c.lexically_normal().string();
  fail(ErrorKind::Io, what + " for card " + card_name + " not found (looked for " + looked + "). " + how);
}

std::string locate_model_file(const LoadedCard& loaded, const std::string& override_path) {
  const ModelCard& card = loaded.card;
  if (!override_path.empty()) {
    if (!is_file(override_path)) fail(ErrorKind::Io, "no such model file: " + override_path);
    return absolute_path(override_path);
  }
  return locate_card_file(loaded.path, card.name, card.file, card.bytes, "model file",
                          "Fetch it with models/fetch.sh " + card.name +
                              (card.url.empty() ? std::string() : " (from " + card.url + ")") +
                              ", or pass --model FILE");
}

}  // namespace lookalike::cli
