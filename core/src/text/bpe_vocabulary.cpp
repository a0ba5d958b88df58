#include "text/bpe_vocabulary.h"

#include <nlohmann/json.hpp>

#include "lookalike/common/error.h"
#include "text/utf8.h"

namespace lookalike::text {
namespace {

using nlohmann::json;

[[noreturn]] void corrupt(const std::string& file, const std::string& problem) {
  fail(ErrorKind::Corrupt, file + ": " + problem);
}

// bytes_to_unicode keeps the printable bytes ('!'..'~', '¡'..'¬', '®'..'ÿ')
// as their own code point and moves the others, in byte order, to U+0100, U+0101, …
bool is_printable_byte(int b) { return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE; }

std::array<std::string, 256> make_byte_symbols() {
  std::array<std::string, 256> symbols;
  char32_t moved = 256;
  for (int b = 0; b < 256; ++b) append_utf8(symbols[b], is_printable_byte(b) ? char32_t(b) : moved++);
  return symbols;
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = text.find('\n', start);
    lines.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return lines;
    start = end + 1;
  }
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

// A merge line "first second" (Python's str.split(): any white space).
std::pair<std::string, std::string> merge_parts(std::string_view line, const std::string& file, std::size_t number) {
  std::vector<std::string_view> parts;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && is_space(line[i])) ++i;
    const std::size_t begin = i;
    while (i < line.size() && !is_space(line[i])) ++i;
    if (i > begin) parts.emplace_back(line.substr(begin, i - begin));
  }
  if (parts.size() != 2)
    corrupt(file, "line " + std::to_string(number) + " is not a merge of two symbols (\"" +
                      std::string(line.substr(0, 60)) + "\")");
  return {std::string(parts[0]), std::string(parts[1])};
}

// The merges of a merges file after its "#version" line: all of them, or the first `limit`.
std::vector<std::pair<std::string, std::string>> read_merges(std::string_view text, const std::string& file,
                                                             std::size_t limit) {
  if (text.size() >= 2 && static_cast<unsigned char>(text[0]) == 0x1F && static_cast<unsigned char>(text[1]) == 0x8B)
    fail(ErrorKind::InvalidArgument, file + " is gzip-compressed: decompress it first");
  decode_utf8(text, file.c_str());  // a merges file is UTF-8 text
  const std::vector<std::string_view> lines = split_lines(text);
  if (lines.front().find("#version") == std::string_view::npos)
    corrupt(file, "not a BPE merges file (its first line has no \"#version\")");
  std::vector<std::pair<std::string, std::string>> merges;
  for (std::size_t n = 1; n < lines.size() && merges.size() < limit; ++n) {
    if (lines[n].empty() && n + 1 == lines.size()) break;  // the final newline
    merges.push_back(merge_parts(lines[n], file, n + 1));
  }
  return merges;
}

void add_token(BpeVocabulary& v, const std::string& token, std::int32_t id) {
  if (std::size_t(id) >= v.tokens.size()) v.tokens.resize(std::size_t(id) + 1);
  v.tokens[std::size_t(id)] = token;
  v.ids[token] = id;  // a repeated token keeps its last id, as the reference's dict does
}

void set_ranks(BpeVocabulary& v, const std::vector<std::pair<std::string, std::string>>& merges) {
  v.merge_ranks.reserve(merges.size());
  for (std::size_t r = 0; r < merges.size(); ++r)
    v.merge_ranks[merges[r].first + " " + merges[r].second] = std::int32_t(r);  // a repeat keeps its last rank
}

// Checks a vocabulary read from Hugging Face files: every byte symbol (and
// its word-end form), every merge's parts and result, and both special tokens.
void check_complete(const BpeVocabulary& v, const std::vector<std::pair<std::string, std::string>>& merges,
                    const std::string& file) {
  const auto need = [&](const std::string& token, const std::string& why) {
    if (!v.ids.count(token)) corrupt(file, "the vocabulary has no token \"" + token + "\" (" + why + ")");
  };
  for (const std::string& symbol : v.byte_symbols) {
    need(symbol, "a byte symbol");
    need(symbol + std::string(kEndOfWord), "a byte symbol at a word's end");
  }
  for (std::size_t r = 0; r < merges.size(); ++r)
    need(merges[r].first + merges[r].second, "the result of merge " + std::to_string(r + 1));
  need(std::string(kStartOfText), "the start of a text");
  need(std::string(kEndOfText), "the end of a text");
}

void set_specials(BpeVocabulary& v) {
  v.start_of_text = v.ids.at(std::string(kStartOfText));
  v.end_of_text = v.ids.at(std::string(kEndOfText));
}

std::int32_t token_id(const json& value, const std::string& token, const std::string& file) {
  if (!value.is_number_integer() || value.get<long long>() < 0 || value.get<long long>() >= (1LL << 24))
    corrupt(file, "the id of \"" + token.substr(0, 40) + "\" must be an integer from 0 to 16777215");
  return value.get<std::int32_t>();
}

void read_vocab_object(BpeVocabulary& v, const json& vocab, const std::string& file) {
  if (!vocab.is_object() || vocab.empty()) corrupt(file, "the vocabulary must be a non-empty JSON object");
  v.ids.reserve(vocab.size());
  for (auto it = vocab.begin(); it != vocab.end(); ++it) add_token(v, it.key(), token_id(it.value(), it.key(), file));
}

json parse_json(std::string_view text, const std::string& file) {
  if (text.size() >= 2 && static_cast<unsigned char>(text[0]) == 0x1F && static_cast<unsigned char>(text[1]) == 0x8B)
    fail(ErrorKind::InvalidArgument, file + " is gzip-compressed: decompress it first");
  try {
    return json::parse(text.begin(), text.end());
  } catch (const json::exception& e) {
    corrupt(file, std::string("not valid JSON: ") + e.what());
  }
}

}  // namespace

std::array<std::uint8_t, 256> byte_symbol_order() {
  std::array<std::uint8_t, 256> order{};
  std::size_t n = 0;
  for (const bool printable : {true, false})
    for (int b = 0; b < 256; ++b)
      if (is_printable_byte(b) == printable) order[n++] = std::uint8_t(b);
  return order;
}

BpeVocabulary vocabulary_from_bpe_merges(std::string_view merges_text) {
  const std::string file = "the BPE merges file";
  const auto merges = read_merges(merges_text, file, kClipMergeCount);
  if (merges.size() < kClipMergeCount)
    corrupt(file, "it has " + std::to_string(merges.size()) + " merges; CLIP's vocabulary is built from the first " +
                      std::to_string(kClipMergeCount));
  BpeVocabulary v;
  v.byte_symbols = make_byte_symbols();
  // The reference's order: byte symbols in bytes_to_unicode's order, the
  // same with "</w>", each merge's result, then the two special tokens.
  const std::array<std::uint8_t, 256> order = byte_symbol_order();
  std::int32_t id = 0;
  for (const std::uint8_t b : order) add_token(v, v.byte_symbols[b], id++);
  for (const std::uint8_t b : order) add_token(v, v.byte_symbols[b] + std::string(kEndOfWord), id++);
  for (std::size_t r = 0; r < merges.size(); ++r) {
    if (!v.ids.count(merges[r].first) || !v.ids.count(merges[r].second))
      corrupt(file, "merge " + std::to_string(r + 1) + " (\"" + merges[r].first + " " + merges[r].second +
                        "\") joins a symbol no earlier line makes");
    add_token(v, merges[r].first + merges[r].second, id++);
  }
  add_token(v, std::string(kStartOfText), id++);
  add_token(v, std::string(kEndOfText), id++);
  set_ranks(v, merges);
  set_specials(v);
  return v;
}

BpeVocabulary vocabulary_from_tokenizer_json(std::string_view json_text) {
  const std::string file = "tokenizer.json";
  const json root = parse_json(json_text, file);
  const bool has_model = root.is_object() && root.contains("model") && root["model"].is_object();
  if (!has_model && root.is_object() && !root.empty() && root.begin()->is_number_integer())
    fail(ErrorKind::InvalidArgument,
         "this JSON file is a bare token → id map (a vocab.json): give its merges.txt as well");
  if (!has_model) corrupt(file, "no \"model\" object: not a Hugging Face tokenizer.json");
  const json& model = root["model"];
  if (model.value("type", std::string("BPE")) != "BPE")
    fail(ErrorKind::Unsupported, file + ": the model is " + model["type"].dump() + ", not the BPE CLIP uses");
  if (model.contains("end_of_word_suffix") && model["end_of_word_suffix"] != std::string(kEndOfWord))
    fail(ErrorKind::Unsupported, file + ": the word-end suffix is " + model["end_of_word_suffix"].dump() +
                                     ", CLIP's is \"</w>\": not a CLIP tokenizer");
  BpeVocabulary v;
  v.byte_symbols = make_byte_symbols();
  read_vocab_object(v, model.value("vocab", json()), file);
  // Special tokens may be listed apart from the vocabulary.
  if (root.contains("added_tokens") && root["added_tokens"].is_array())
    for (const json& t : root["added_tokens"])
      if (t.is_object() && t.contains("content") && t["content"].is_string() && t.contains("id"))
        add_token(v, t["content"].get<std::string>(), token_id(t["id"], t["content"].get<std::string>(), file));
  const json merges_json = model.value("merges", json());
  if (!merges_json.is_array()) corrupt(file, "model.merges must be an array");
  std::vector<std::pair<std::string, std::string>> merges;
  merges.reserve(merges_json.size());
  for (std::size_t r = 0; r < merges_json.size(); ++r) {
    const json& m = merges_json[r];
    if (m.is_string())  // "first second" (older files)
      merges.push_back(merge_parts(m.get<std::string>(), file + " model.merges", r + 1));
    else if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string())  // ["first", "second"]
      merges.emplace_back(m[0].get<std::string>(), m[1].get<std::string>());
    else
      corrupt(file, "model.merges[" + std::to_string(r) + "] is neither \"a b\" nor [\"a\", \"b\"]");
  }
  check_complete(v, merges, file);
  set_ranks(v, merges);
  set_specials(v);
  return v;
}

BpeVocabulary vocabulary_from_vocab_and_merges(std::string_view vocab_json, std::string_view merges_text) {
  BpeVocabulary v;
  v.byte_symbols = make_byte_symbols();
  read_vocab_object(v, parse_json(vocab_json, "vocab.json"), "vocab.json");
  const auto merges = read_merges(merges_text, "merges.txt", std::size_t(-1));
  check_complete(v, merges, "vocab.json + merges.txt");
  set_ranks(v, merges);
  set_specials(v);
  return v;
}

}  // namespace lookalike::text
