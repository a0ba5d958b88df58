// CLIP's tokenizer: a text becomes the token ids a CLIP text tower reads,
// exactly as OpenAI's reference (clip/simple_tokenizer.py with
// clip.tokenize's framing) gives them, natively and in WebAssembly alike:
//
//   1. cleaning: HTML character references unescaped twice (as Python's
//      html.unescape), surrounding white space stripped, every run of white
//      space made one space, lower-cased (as Python's str.lower, with the
//      final sigma);
//   2. pre-tokenizing with the reference's pattern
//        <|startoftext|>|<|endoftext|>|'s|'t|'re|'ve|'m|'ll|'d|\p{L}+|\p{N}|[^\s\p{L}\p{N}]+
//      (case-insensitive, as the reference compiles it): letters in runs,
//      digits one by one, other symbols in runs; the Unicode classes come from
//      generated tables (scripts/make-text-tables.py), no regex library;
//   3. byte-level BPE: each piece's UTF-8 bytes as byte symbols, the last
//      marked "</w>", merged by rank;
//   4. framing: <|startoftext|>, the ids, <|endoftext|>; a longer result is
//      cut to the context length (77 for CLIP) with its last id set to
//      <|endoftext|>. No padding: that is the text model card's business.
//
// The reference also runs ftfy.fix_text, which repairs mojibake (and
// normalises to NFC, straightens curly quotes, splits ligatures); it is
// left out, as in the reference ids this is tested against: text typed
// into a page or a shell is not mojibake.
//
// The vocabulary comes from any of the files CLIP models ship with, given as
// their bytes (decompressed: the caller reads and gunzips files):
//   - OpenAI's bpe_simple_vocab_16e6.txt (the merges; ids follow from their
//     order, as the reference builds them: 256 byte symbols, the same with
//     "</w>", the first 48 894 merges, the two special tokens);
//   - Hugging Face's tokenizer.json (model.vocab, model.merges);
//   - Hugging Face's vocab.json + merges.txt.
// Every loader checks what it reads and throws Error(Corrupt) naming the
// problem; a tokenizer, once made, never fails on any valid UTF-8 text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace lookalike {

// The reference's context length (clip.tokenize's default).
constexpr std::size_t kClipContextLength = 77;

struct TokenizedText {
  std::vector<std::int32_t> ids;  // <|startoftext|> … <|endoftext|>, at most the context length
  bool truncated = false;         // the text's tokens did not fit
};

class ClipTokenizer {
 public:
  // OpenAI's merges file (bpe_simple_vocab_16e6.txt), decompressed.
  static ClipTokenizer from_bpe_merges(std::string_view merges_text);
  // Hugging Face's tokenizer.json (a BPE model with the "</w>" suffix).
  static ClipTokenizer from_tokenizer_json(std::string_view json_text);
  // Hugging Face's vocab.json and merges.txt.
  static ClipTokenizer from_vocab_and_merges(std::string_view vocab_json, std::string_view merges_text);
  // One file's bytes, its format recognised: a tokenizer.json or a merges
  // file. Throws Error(InvalidArgument) for gzip bytes (decompress first) and
  // for a vocab.json alone (it needs its merges.txt).
  static ClipTokenizer from_file(std::string_view bytes);

  ClipTokenizer(ClipTokenizer&&) noexcept;
  ClipTokenizer& operator=(ClipTokenizer&&) noexcept;
  ~ClipTokenizer();

  // The text's token ids, without the framing. Throws Error(InvalidArgument)
  // when `text` is not valid UTF-8 (saying where).
  std::vector<std::int32_t> encode(std::string_view text) const;
  // The framed ids the model reads (see above); context_length ≥ 2.
  TokenizedText tokenize(std::string_view text, std::size_t context_length = kClipContextLength) const;

  std::int32_t start_of_text() const;
  std::int32_t end_of_text() const;
  std::size_t vocabulary_size() const;  // the largest id + 1
  // A token's text as the vocabulary writes it (byte symbols, "</w>"), or
  // "" for an id the vocabulary lacks.
  std::string token(std::int32_t id) const;

 private:
  struct Vocabulary;
  explicit ClipTokenizer(std::unique_ptr<Vocabulary> vocabulary);
  std::unique_ptr<Vocabulary> vocabulary_;
};

// The text CLIP tokenizes (step 1 above), as UTF-8. Throws
// Error(InvalidArgument) for text that is not valid UTF-8.
std::string clean_clip_text(std::string_view text);

}  // namespace lookalike
