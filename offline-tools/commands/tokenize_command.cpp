// `lookalike tokenize [--card CARD | --vocab FILE] TEXT…`: the token ids a
// CLIP text tower reads for each text (<|startoftext|> … <|endoftext|>, cut
// to the context length), from the core's tokenizer, the same code the page
// runs. Handy to check a model's vocabulary files, or what a query becomes.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <iostream>

#include "commands/command_setup.h"
#include "commands/commands.h"
#include "common/cli_context.h"
#include "common/log.h"
#include "common/text.h"
#include "embed/text_model_files.h"
#include "lookalike/common/error.h"

namespace lookalike::cli {
namespace {

constexpr const char* kDefaultTextCard = "clip-vit-b32-text";

struct TokenizeArguments {
  std::vector<std::string> texts;
  std::string card, vocab;
  std::size_t context_length = 0;  // 0: the card's, or CLIP's 77
  bool tokens = false;
};

constexpr CommandHelp kHelp{
    "tokenize", "Print the token ids a CLIP text tower reads for each text (one line per text)",
    "The ids are the core's CLIP tokenizer's, as the page computes them: <|startoftext|> (49406), the text's\n"
    "tokens, <|endoftext|> (49407), cut to the context length (77). No padding: that is the card's business.\n"
    "The vocabulary is a text card's (--card; default clip-vit-b32-text, whose vocabulary models/fetch.sh installs\n"
    "with its model) or a file (--vocab): bpe_simple_vocab_16e6.txt(.gz), tokenizer.json, or a merges.txt.\n"
    "With --json: [{\"text\": …, \"ids\": […], \"truncated\": …}, …].\n"
    "Example: lookalike tokenize \"a photo of a dog\" \"a red car at night\""};

void run(const TokenizeArguments& args) {
  if (!args.card.empty() && !args.vocab.empty()) fail(ErrorKind::InvalidArgument, "give --card or --vocab, not both");
  std::size_t context = args.context_length ? args.context_length : kClipContextLength;
  std::string source;
  const ClipTokenizer tokenizer = [&] {
    if (!args.vocab.empty()) {
      source = args.vocab;
      return load_tokenizer_file(args.vocab);
    }
    const LoadedTextCard card = load_text_model_card(args.card.empty() ? kDefaultTextCard : args.card);
    if (!args.context_length) context = card.card.context_length;
    source = locate_tokenizer_file(card) + " (the tokenizer of " + card.card.name + ")";
    return load_card_tokenizer(card);
  }();
  log_verbose("vocabulary: " + source + ", " + std::to_string(tokenizer.vocabulary_size()) + " tokens, context " +
              std::to_string(context));

  nlohmann::json out = nlohmann::json::array();
  for (const std::string& text : args.texts) {
    const TokenizedText t = tokenizer.tokenize(text, context);
    if (t.truncated)
      log_warning("\"" + printable(shortened(text, 40)) + "\" is longer than " + std::to_string(context) +
                  " tokens: cut, as the model reads it");
    nlohmann::json entry{{"text", text}, {"ids", t.ids}, {"truncated", t.truncated}};
    if (args.tokens) {
      nlohmann::json tokens = nlohmann::json::array();
      for (const std::int32_t id : t.ids) tokens.push_back(tokenizer.token(id));
      entry["tokens"] = tokens;
    }
    if (global_options().json) {
      out.push_back(std::move(entry));
      continue;
    }
    std::string line;
    for (std::size_t i = 0; i < t.ids.size(); ++i) {
      line += (i ? " " : "") + std::to_string(t.ids[i]);
      if (args.tokens) line += "(" + printable(tokenizer.token(t.ids[i])) + ")";
    }
    std::cout << line << "\n";
  }
  if (global_options().json) std::cout << out.dump(2) << "\n";
}

}  // namespace

void add_tokenize_command(CLI::App& app) {
  auto [command, args] = add_command<TokenizeArguments>(app, kHelp, run);
  command.add_option("texts", args.texts, "Texts to tokenize")->required();
  command.add_option("-c,--card", args.card, "Text model card (name or file) whose tokenizer to use");
  command.add_option("--vocab", args.vocab, "A vocabulary file instead of a card's")->check(CLI::ExistingFile);
  command.add_option("--context-length", args.context_length, "Ids per text at most (default: the card's, 77)")
      ->check(CLI::Range(2, 4096));
  command.add_flag("--tokens", args.tokens, "Print each id's token text too (byte symbols, </w> at a word's end)");
}

}  // namespace lookalike::cli
