// Finding text model cards (lookalike/model/text_model_card.h), the ONNX
// files and vocabularies they name, and the text cards that pair with an
// image card. Cards are looked up as image cards are (model_files.h); a
// card's tokenizer file is looked for next to the card, in
// $LOOKALIKE_MODELS_DIR, then in every models folder (model_card_folders():
// build/models of a build tree among them), so one installed copy of CLIP's
// vocabulary (bpe_simple_vocab_16e6.txt.gz, which models/fetch.sh installs
// with a text card's model) serves every CLIP card.
#pragma once

#include <string>
#include <vector>

#include "embed/model_files.h"
#include "lookalike/model/text_model_card.h"
#include "lookalike/text/clip_tokenizer.h"

namespace lookalike::cli {

using LoadedTextCard = LoadedCardFile<TextModelCard>;

// Throws as load_model_card; an image card given here is refused saying so.
LoadedTextCard load_text_model_card(const std::string& name_or_path);

// The names of the text cards found in model_card_folders().
std::vector<std::string> known_text_model_cards();

// The text cards in model_card_folders() (then in `more_folders`) that name
// `image_card` in pairs_with, in that order and by name within a folder;
// invalid cards are skipped, and a name found twice counts once (the first).
std::vector<LoadedTextCard> text_cards_pairing_with(const std::string& image_card,
                                                    const std::vector<std::string>& more_folders = {});

// The ONNX file (`override_path` when given) and the tokenizer file of a text card.
std::string locate_text_model_file(const LoadedTextCard& card, const std::string& override_path = "");
std::string locate_tokenizer_file(const LoadedTextCard& card);

// A vocabulary file in any format ClipTokenizer reads, gunzipped when it is
// gzip. When `sha256` is given the file must have it (Error(Corrupt)).
ClipTokenizer load_tokenizer_file(const std::string& path, const std::string& sha256 = "");
// The card's tokenizer: located, checked against the card's sha256, read.
ClipTokenizer load_card_tokenizer(const LoadedTextCard& card);

}  // namespace lookalike::cli
