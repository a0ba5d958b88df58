// CLIP's vocabulary for the tests that tokenize: not in the repository, but
// installed where models are installed (models/fetch.sh; scripts/setup.sh
// installs it from ../shared/models/clip-tokenizer into build/models).
// Tests link lookalike_tools to use this (it locates the file as the CLI does).
#pragma once

#include <string>

namespace lookalike::testing {

// The vocabulary the tiny text card (models/test/tiny-text.json) names, found
// as the CLI finds a card's tokenizer file (next to the card,
// $LOOKALIKE_MODELS_DIR, the models folders of the build tree and source
// tree). When it is not installed the test is skipped with a message saying
// what is missing and how to install it; a file of the wrong size fails the
// test (Error(Corrupt)), as it would fail a user.
std::string installed_clip_vocabulary();

}  // namespace lookalike::testing
