// A text model card: the JSON that makes an ONNX text tower usable for text
// queries. It names the image card whose embedding space it shares (a
// collection indexed with that image card answers text with this tower), the
// model file, the tokenizer's vocabulary, the model's inputs and how ids are
// padded, and the embedding output:
//
//   {
//     "schema": 1,
//     "tower": "text",
//     "name": "clip-vit-b32-text",
//     "pairs_with": "clip-vit-b32",
//     "description": "...",
//     "model": { "file": "clip-vit-b32-text.onnx", "url": "https://…", "sha256": "…", "bytes": 254058553 },
//     "tokenizer": { "kind": "clip-bpe", "file": "bpe_simple_vocab_16e6.txt.gz", "sha256": "…",
//                    "bytes": 1356917, "context_length": 77 },
//     "input": { "ids": "input_ids", "type": "int64", "padding": "none", "pad_id": 49407 },
//     "output": { "name": "text_embeds", "dim": 512, "l2_normalize": true }
//   }
//
// tokenizer.file is CLIP's vocabulary in any format ClipTokenizer reads
// (lookalike/text/clip_tokenizer.h), gzip-compressed or not, relative to the
// card's folder like model.file. input.attention_mask names the mask input
// of exports that take one (1 for each real token, 0 for padding).
// input.padding: "none" (a batch is padded to its longest text; one text
// is sent as it is) or "context" (every text padded to context_length, as
// OpenAI's clip.tokenize does); padding ids are pad_id. A text tower pools
// the <|endoftext|> position, so padding after it changes nothing but the
// cost. model.max_batch as in image cards. Unknown keys are ignored.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "lookalike/text/clip_tokenizer.h"

namespace lookalike {

enum class TokenIdType { Int64, Int32 };
enum class TextPadding { None, Context };

struct TextModelCard {
  std::string name;
  std::string description;
  std::string pairs_with;  // the image card's name: embeddings share its space

  std::string file, url, sha256;  // the ONNX file, relative to the card's folder
  std::uint64_t bytes = 0;
  int max_batch = 0;  // 0 = no limit

  std::string tokenizer_file, tokenizer_url, tokenizer_sha256;  // relative to the card's folder
  std::uint64_t tokenizer_bytes = 0;
  std::size_t context_length = kClipContextLength;

  std::string ids_name;
  std::string mask_name;  // empty: the model takes no attention mask
  TokenIdType ids_type = TokenIdType::Int64;
  TextPadding padding = TextPadding::None;
  std::int32_t pad_id = 0;

  std::string output_name;
  int output_dim = 0;
  bool l2_normalize = true;

  // The feature whose bundles this tower's embeddings search: "model:<pairs_with>".
  std::string feature_spec() const { return "model:" + pairs_with; }
};

// Parses and validates a text card. Throws Error(InvalidArgument) naming the
// field ("text model card: input.padding must be \"none\" or \"context\"").
TextModelCard parse_text_model_card(const std::string& json_text);

// True when the JSON is a text card ("tower": "text"); false for an image
// card or anything else (never throws).
bool is_text_model_card(const std::string& json_text);

// The model's input for a batch of tokenized texts, padded as the card says:
// batch × length ids (and the mask, 1 for tokens and 0 for padding), row by
// row. Throws Error(InvalidArgument) for an empty batch or a text longer
// than the context length.
struct TextModelInput {
  std::size_t batch = 0, length = 0;
  std::vector<std::int32_t> ids;
  std::vector<std::int32_t> mask;
};
TextModelInput text_model_input(const TextModelCard& card, const std::vector<TokenizedText>& texts);

}  // namespace lookalike
