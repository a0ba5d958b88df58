#include "lookalike/text/clip_tokenizer.h"

#include <climits>

#include "lookalike/common/error.h"
#include "text/bpe_vocabulary.h"
#include "text/clip_pre_tokenizer.h"
#include "text/clip_text_cleaning.h"
#include "text/utf8.h"

namespace lookalike {

struct ClipTokenizer::Vocabulary : text::BpeVocabulary {
  explicit Vocabulary(text::BpeVocabulary v) : text::BpeVocabulary(std::move(v)) {}
};

namespace {

// The reference's bpe(): the piece's byte symbols, the last one marked as a
// word's end, merged pair by pair, the lowest-ranked pair first, each merge
// applied to every occurrence from left to right.
std::vector<std::string> bpe(const text::BpeVocabulary& v, const std::string& bytes) {
  std::vector<std::string> word;
  word.reserve(bytes.size());
  for (const char byte : bytes) word.push_back(v.byte_symbols[static_cast<unsigned char>(byte)]);
  word.back() += text::kEndOfWord;
  std::string key;
  while (word.size() > 1) {
    std::int32_t best = INT32_MAX;
    std::size_t best_at = 0;
    for (std::size_t i = 0; i + 1 < word.size(); ++i) {
      key.assign(word[i]).append(" ").append(word[i + 1]);
      const auto it = v.merge_ranks.find(key);
      if (it != v.merge_ranks.end() && it->second < best) best = it->second, best_at = i;
    }
    if (best == INT32_MAX) break;
    const std::string first = word[best_at], second = word[best_at + 1];
    std::vector<std::string> merged;
    merged.reserve(word.size());
    for (std::size_t i = 0; i < word.size();) {
      if (i + 1 < word.size() && word[i] == first && word[i + 1] == second) {
        merged.push_back(first + second);
        i += 2;
      } else {
        merged.push_back(std::move(word[i++]));
      }
    }
    word = std::move(merged);
  }
  return word;
}

}  // namespace

ClipTokenizer::ClipTokenizer(std::unique_ptr<Vocabulary> vocabulary) : vocabulary_(std::move(vocabulary)) {}
ClipTokenizer::ClipTokenizer(ClipTokenizer&&) noexcept = default;
ClipTokenizer& ClipTokenizer::operator=(ClipTokenizer&&) noexcept = default;
ClipTokenizer::~ClipTokenizer() = default;

ClipTokenizer ClipTokenizer::from_bpe_merges(std::string_view merges_text) {
  return ClipTokenizer(std::make_unique<Vocabulary>(text::vocabulary_from_bpe_merges(merges_text)));
}

ClipTokenizer ClipTokenizer::from_tokenizer_json(std::string_view json_text) {
  return ClipTokenizer(std::make_unique<Vocabulary>(text::vocabulary_from_tokenizer_json(json_text)));
}

ClipTokenizer ClipTokenizer::from_vocab_and_merges(std::string_view vocab_json, std::string_view merges_text) {
  return ClipTokenizer(std::make_unique<Vocabulary>(text::vocabulary_from_vocab_and_merges(vocab_json, merges_text)));
}

ClipTokenizer ClipTokenizer::from_file(std::string_view bytes) {
  if (bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1F && static_cast<unsigned char>(bytes[1]) == 0x8B)
    fail(ErrorKind::InvalidArgument, "the vocabulary is gzip-compressed: decompress it first");
  const std::size_t first = bytes.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && bytes[first] == '{') return from_tokenizer_json(bytes);
  return from_bpe_merges(bytes);
}

std::vector<std::int32_t> ClipTokenizer::encode(std::string_view text) const {
  const Vocabulary& v = *vocabulary_;
  const std::u32string cleaned = text::clean_clip_code_points(text::decode_utf8(text));
  std::vector<std::int32_t> ids;
  for (const std::u32string_view piece : text::clip_pre_tokenize(cleaned)) {
    const std::string bytes = text::encode_utf8(piece);
    // The reference's bpe cache starts with the special tokens mapped to themselves.
    if (bytes == text::kStartOfText || bytes == text::kEndOfText) {
      ids.push_back(bytes == text::kStartOfText ? v.start_of_text : v.end_of_text);
      continue;
    }
    for (const std::string& token : bpe(v, bytes)) ids.push_back(v.ids.at(token));
  }
  return ids;
}

TokenizedText ClipTokenizer::tokenize(std::string_view text, std::size_t context_length) const {
  if (context_length < 2)
    fail(ErrorKind::InvalidArgument, "the context length must be at least 2 (the start and end tokens)");
  TokenizedText out;
  out.ids.push_back(start_of_text());
  const std::vector<std::int32_t> ids = encode(text);
  out.ids.insert(out.ids.end(), ids.begin(), ids.end());
  out.ids.push_back(end_of_text());
  // clip.tokenize(truncate=True): cut, and end with <|endoftext|> all the same.
  if (out.ids.size() > context_length) {
    out.ids.resize(context_length);
    out.ids.back() = end_of_text();
    out.truncated = true;
  }
  return out;
}

std::int32_t ClipTokenizer::start_of_text() const { return vocabulary_->start_of_text; }
std::int32_t ClipTokenizer::end_of_text() const { return vocabulary_->end_of_text; }
std::size_t ClipTokenizer::vocabulary_size() const { return vocabulary_->tokens.size(); }

std::string ClipTokenizer::token(std::int32_t id) const {
  return id >= 0 && std::size_t(id) < vocabulary_->tokens.size() ? vocabulary_->tokens[std::size_t(id)] : "";
}

}  // namespace lookalike
