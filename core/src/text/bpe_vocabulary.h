// A byte-level BPE vocabulary as CLIP uses it, read from one of the files
// CLIP models ship (see lookalike/text/clip_tokenizer.h): the byte symbols,
// token ids, merge ranks and the two special tokens. Every reader checks
// what it reads and throws Error(Corrupt) naming the file and the problem.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace lookalike::text {

// CLIP's special tokens and word-end marker.
constexpr std::string_view kStartOfText = "<|startoftext|>";
constexpr std::string_view kEndOfText = "<|endoftext|>";
constexpr std::string_view kEndOfWord = "</w>";
// The reference reads this many merges of bpe_simple_vocab_16e6.txt
// (49152 − 256 − 2: with 2 × 256 byte symbols and 2 special tokens, 49 408 ids).
constexpr std::size_t kClipMergeCount = 49152 - 256 - 2;

struct BpeVocabulary {
  // The text each byte stands for in tokens (GPT-2's and CLIP's
  // bytes_to_unicode: printable bytes as themselves, the others moved up
  // past U+0100), as UTF-8.
  std::array<std::string, 256> byte_symbols;
  std::unordered_map<std::string, std::int32_t> ids;
  std::vector<std::string> tokens;  // by id; "" where no token has the id
  // "first second" → rank (0 merges first).
  std::unordered_map<std::string, std::int32_t> merge_ranks;
  std::int32_t start_of_text = -1, end_of_text = -1;
};

// bytes_to_unicode's order: the byte whose symbol is the n-th token.
std::array<std::uint8_t, 256> byte_symbol_order();

BpeVocabulary vocabulary_from_bpe_merges(std::string_view merges_text);
BpeVocabulary vocabulary_from_tokenizer_json(std::string_view json_text);
BpeVocabulary vocabulary_from_vocab_and_merges(std::string_view vocab_json, std::string_view merges_text);

}  // namespace lookalike::text
