#include "lookalike/model/text_model_card.h"

#include <algorithm>

#include "lookalike/common/error.h"
#include "model/card_fields.h"

namespace lookalike {
namespace {

using card_fields::CardReader;
using card_fields::json;

void read_tokenizer(const CardReader& r, const json& root, TextModelCard& card) {
  const json& tokenizer = r.object(root, "", "tokenizer");
  const std::string kind = tokenizer.contains("kind") ? r.text(tokenizer, "tokenizer.", "kind") : "clip-bpe";
  if (kind != "clip-bpe") r.bad("tokenizer.kind", "must be \"clip-bpe\" (CLIP's byte-level BPE; the only one)");
  const card_fields::FileFields file = card_fields::read_file_fields(r, tokenizer, "tokenizer.");
  card.tokenizer_file = file.file;
  card.tokenizer_url = file.url;
  card.tokenizer_sha256 = file.sha256;
  card.tokenizer_bytes = file.bytes;
  if (tokenizer.contains("context_length"))
    card.context_length = std::size_t(r.positive_int(tokenizer, "tokenizer.", "context_length", 4096));
  if (card.context_length < 2) r.bad("tokenizer.context_length", "must be at least 2");
}

void read_input(const CardReader& r, const json& root, TextModelCard& card) {
  const json& input = r.object(root, "", "input");
  card.ids_name = r.text(input, "input.", "ids");
  card.mask_name = r.text(input, "input.", "attention_mask", false);
  card.ids_type = r.choice(input, "input.", "type", {{"int64", TokenIdType::Int64}, {"int32", TokenIdType::Int32}},
                           TokenIdType::Int64);
  card.padding = r.choice(input, "input.", "padding", {{"none", TextPadding::None}, {"context", TextPadding::Context}},
                          TextPadding::None);
  if (input.contains("pad_id")) {
    const json& pad = input["pad_id"];
    if (!pad.is_number_integer() || pad.get<long long>() < 0 || pad.get<long long>() > (1LL << 24))
      r.bad("input.pad_id", "must be an integer from 0 to 16777216");
    card.pad_id = pad.get<std::int32_t>();
  }
  if (!card.mask_name.empty() && card.mask_name == card.ids_name)
    r.bad("input.attention_mask", "must name another input than input.ids");
}

}  // namespace

bool is_text_model_card(const std::string& json_text) {
  const json root = json::parse(json_text, nullptr, false);
  return root.is_object() && root.contains("tower") && root["tower"] == "text";
}

TextModelCard parse_text_model_card(const std::string& json_text) {
  const CardReader r("text model card");
  const json root = r.parse(json_text);
  if (r.text(root, "", "tower", false) != "text")
    r.bad("tower", "must be \"text\" (this reads text towers' cards; an image encoder's card has no \"tower\")");

  TextModelCard card;
  card.name = r.name(root, "", "name");
  card.description = r.text(root, "", "description", false);
  card.pairs_with = r.name(root, "", "pairs_with");

  card_fields::read_model_file(r, root, card);
  read_tokenizer(r, root, card);
  read_input(r, root, card);
  card_fields::read_output(r, root, card);
  return card;
}

TextModelInput text_model_input(const TextModelCard& card, const std::vector<TokenizedText>& texts) {
  if (texts.empty()) fail(ErrorKind::InvalidArgument, "no text to embed (an empty batch)");
  TextModelInput input;
  input.batch = texts.size();
  for (const TokenizedText& t : texts) {
    if (t.ids.empty() || t.ids.size() > card.context_length)
      fail(ErrorKind::InvalidArgument, "a tokenized text has " + std::to_string(t.ids.size()) +
                                           " ids; the text model " + card.name + " reads 1 to " +
                                           std::to_string(card.context_length));
    input.length = std::max(input.length, t.ids.size());
  }
  if (card.padding == TextPadding::Context) input.length = card.context_length;
  input.ids.assign(input.batch * input.length, card.pad_id);
  input.mask.assign(input.batch * input.length, 0);
  for (std::size_t row = 0; row < texts.size(); ++row) {
    const auto& ids = texts[row].ids;
    std::copy(ids.begin(), ids.end(), input.ids.begin() + std::ptrdiff_t(row * input.length));
    std::fill_n(input.mask.begin() + std::ptrdiff_t(row * input.length), ids.size(), 1);
  }
  return input;
}

}  // namespace lookalike
