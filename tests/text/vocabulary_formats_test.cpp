// The vocabulary files CLIP models ship: OpenAI's merges file, Hugging
// Face's tokenizer.json and vocab.json + merges.txt give the same ids. The
// Hugging Face files are written here from the merges file the way their
// exporters write them (no such file can be downloaded here); damaged files
// are refused with a message.
#include <catch2/catch.hpp>

#include <functional>

#include <nlohmann/json.hpp>

#include "lookalike/common/error.h"
#include "lookalike/text/clip_tokenizer.h"
#include "text/text_test_support.h"

using namespace lookalike;
using lookalike::testing::clip_merges_text;
using lookalike::testing::clip_tokenizer;

namespace {

// The first 48 894 merges, one per line, as in Hugging Face's merges.txt.
std::vector<std::string> clip_merges() {
  std::vector<std::string> merges;
  const std::string& text = clip_merges_text();
  std::size_t start = text.find('\n') + 1;
  while (merges.size() < 48894) {
    const std::size_t end = text.find('\n', start);
    merges.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return merges;
}

nlohmann::json vocab_json() {
  nlohmann::json vocab = nlohmann::json::object();
  const ClipTokenizer& t = clip_tokenizer();
  for (std::int32_t id = 0; id < std::int32_t(t.vocabulary_size()); ++id) vocab[t.token(id)] = id;
  return vocab;
}

std::string merges_txt() {
  std::string text = "#version: 0.2\n";
  for (const auto& m : clip_merges()) text += m + "\n";
  return text;
}

std::string tokenizer_json(bool merges_as_pairs) {
  nlohmann::json merges = nlohmann::json::array();
  for (const auto& m : clip_merges()) {
    const std::size_t space = m.find(' ');
    if (merges_as_pairs)
      merges.push_back({m.substr(0, space), m.substr(space + 1)});
    else
      merges.push_back(m);
  }
  nlohmann::json vocab = vocab_json();
  vocab.erase("<|startoftext|>");  // listed as added tokens instead, as exporters may
  vocab.erase("<|endoftext|>");
  const nlohmann::json root = {{"version", "1.0"},
                               {"added_tokens",
                                {{{"id", 49406}, {"content", "<|startoftext|>"}, {"special", true}},
                                 {{"id", 49407}, {"content", "<|endoftext|>"}, {"special", true}}}},
                               {"model",
                                {{"type", "BPE"},
                                 {"end_of_word_suffix", "</w>"},
                                 {"unk_token", "<|endoftext|>"},
                                 {"vocab", vocab},
                                 {"merges", merges}}}};
  return root.dump();
}

const std::vector<std::string> kTexts = {"a photo of a dog",
                                         "it's a cat's toy, isn't it?",
                                         "café crème brûlée",
                                         "日本の桜",
                                         "Москва зимой",
                                         "emoji 🐶🚗🌅",
                                         "price: $3.99 (50% off)",
                                         "&amp; &lt;b&gt;",
                                         "antidisestablishmentarianism"};

void same_ids(const ClipTokenizer& other) {
  CHECK(other.vocabulary_size() == 49408);
  CHECK(other.start_of_text() == 49406);
  CHECK(other.end_of_text() == 49407);
  for (const auto& text : kTexts) {
    INFO(text);
    CHECK(other.tokenize(text).ids == clip_tokenizer().tokenize(text).ids);
  }
}

ErrorKind kind_of(const std::function<void()>& f, std::string* message = nullptr) {
  try {
    f();
  } catch (const Error& e) {
    if (message) *message = e.what();
    return e.kind();
  }
  FAIL("no error");
  return ErrorKind::Io;
}

}  // namespace

TEST_CASE("tokenizer.json gives the merges file's ids", "[text][formats]") {
  same_ids(ClipTokenizer::from_tokenizer_json(tokenizer_json(false)));
  same_ids(ClipTokenizer::from_tokenizer_json(tokenizer_json(true)));  // newer exports: [first, second]
  same_ids(ClipTokenizer::from_file(tokenizer_json(true)));
}

TEST_CASE("vocab.json + merges.txt give the merges file's ids", "[text][formats]") {
  same_ids(ClipTokenizer::from_vocab_and_merges(vocab_json().dump(), merges_txt()));
  same_ids(ClipTokenizer::from_file(clip_merges_text()));
  same_ids(ClipTokenizer::from_file(merges_txt()));  // merges.txt alone is a merges file too
}

TEST_CASE("damaged or wrong vocabulary files are refused with a message", "[text][formats]") {
  std::string message;
  CHECK(kind_of([] { ClipTokenizer::from_file(std::string("\x1f\x8b\x08\x00", 4)); }, &message) ==
        ErrorKind::InvalidArgument);
  CHECK(message.find("gzip") != std::string::npos);

  CHECK(kind_of(
            [] {
              const std::string& all = clip_merges_text();
              ClipTokenizer::from_bpe_merges(all.substr(0, all.find('\n', 200000) + 1));
            },
            &message) == ErrorKind::Corrupt);
  CHECK(message.find("merges") != std::string::npos);

  CHECK(kind_of([] { ClipTokenizer::from_bpe_merges("hello\ni n\n"); }, &message) == ErrorKind::Corrupt);
  CHECK(message.find("#version") != std::string::npos);

  CHECK(kind_of([] { ClipTokenizer::from_bpe_merges("#version: 0.2\ni n x\n"); }, &message) == ErrorKind::Corrupt);
  CHECK(message.find("line 2") != std::string::npos);

  CHECK(kind_of([] { ClipTokenizer::from_bpe_merges(std::string("#version: 0.2\ni \xff\n")); }, &message) ==
        ErrorKind::InvalidArgument);
  CHECK(message.find("UTF-8") != std::string::npos);

  CHECK(kind_of([] { ClipTokenizer::from_tokenizer_json(tokenizer_json(false).substr(0, 5000)); }, &message) ==
        ErrorKind::Corrupt);
  CHECK(message.find("not valid JSON") != std::string::npos);

  CHECK(kind_of([] { ClipTokenizer::from_file(vocab_json().dump()); }, &message) == ErrorKind::InvalidArgument);
  CHECK(message.find("merges.txt") != std::string::npos);

  nlohmann::json wrong = nlohmann::json::parse(tokenizer_json(false));
  wrong["model"]["type"] = "WordPiece";
  CHECK(kind_of([&] { ClipTokenizer::from_tokenizer_json(wrong.dump()); }) == ErrorKind::Unsupported);

  nlohmann::json missing = nlohmann::json::parse(tokenizer_json(false));
  missing["model"]["vocab"].erase("a</w>");
  CHECK(kind_of([&] { ClipTokenizer::from_tokenizer_json(missing.dump()); }, &message) == ErrorKind::Corrupt);
  CHECK(message.find("a</w>") != std::string::npos);

  nlohmann::json no_end = nlohmann::json::parse(tokenizer_json(false));
  no_end["added_tokens"].erase(1);
  CHECK(kind_of([&] { ClipTokenizer::from_tokenizer_json(no_end.dump()); }, &message) == ErrorKind::Corrupt);
  CHECK(message.find("<|endoftext|>") != std::string::npos);
}
