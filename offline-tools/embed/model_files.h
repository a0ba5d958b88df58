// Finding model cards and the ONNX files they name.
//
// A card is given as a path ("models/clip-vit-b32.json", anything with a
// slash or ending in .json) or as a name ("clip-vit-b32", also written
// "model:clip-vit-b32" as in feature specs), looked up as <name>.json and
// test/<name>.json in, first match wins:
//   $LOOKALIKE_MODELS_DIR
//   models/ in the executable's folder or any folder above it (a build tree)
//   <exe>/../share/lookalike/models (an installed binary)
//   the source tree's models/
//
// The card's model.file is relative to the card's folder; when it is not
// there, $LOOKALIKE_MODELS_DIR/<file> is tried (models/fetch.sh installs
// into that folder when the variable is set).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "lookalike/model/model_card.h"

namespace lookalike::cli {

// A card as read from its file (image cards here, text cards in text_model_files.h).
template <class Card>
struct LoadedCardFile {
  Card card;
  std::string path;  // absolute path of the card file
};
using LoadedCard = LoadedCardFile<ModelCard>;

// Throws Error(InvalidArgument) for an unknown name (listing known cards),
// Error(Io) for an unreadable file, and the card parser's errors (prefixed
// with the file) for an invalid card.
LoadedCard load_model_card(const std::string& name_or_path);

// The folders searched for card names, in order (existing ones only).
std::vector<std::string> model_card_folders();

// The names of the cards found in model_card_folders().
std::vector<std::string> known_model_cards();

// The ONNX file for a card: `override_path` when given (must exist), else the
// card's file as described above. Throws Error(Io) naming where it looked
// and how to fetch the file; Error(Corrupt) when the file's size differs
// from the card's model.bytes (a partial download).
std::string locate_model_file(const LoadedCard& card, const std::string& override_path = "");

// What image and text cards share (embed/text_model_files.h):

// The card file for a name or path, looked up as above. `known` lists the
// names offered in the message for an unknown one. Throws as load_model_card.
std::string find_card_file(const std::string& name_or_path, const std::vector<std::string>& known);

// A file a card names (`relative`, relative to the card's folder), looked for
// next to the card, then in $LOOKALIKE_MODELS_DIR, then in `more_folders`.
// `expected_bytes` (0: unchecked) catches partial downloads; `what` names
// the file in messages ("model file", "tokenizer file"), `how` says how to
// get it. Throws Error(Io) naming where it looked, Error(Corrupt) for a bad
// path or size.
std::string locate_card_file(const std::string& card_path, const std::string& card_name, const std::string& relative,
                             std::uint64_t expected_bytes, const std::string& what, const std::string& how,
                             const std::vector<std::string>& more_folders = {});

}  // namespace lookalike::cli
