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

#include <string>
#include <vector>

#include "lookalike/model/model_card.h"

namespace lookalike::cli {

struct LoadedCard {
  ModelCard card;
  std::string path;  // absolute path of the card file
};

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

}  // namespace lookalike::cli
