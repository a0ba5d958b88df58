// Checks that a call throws lookalike::Error of one kind whose message
// contains a text: the shape of most "bad input is refused, saying why"
// cases.
#pragma once

#include <catch2/catch.hpp>

#include <string>

#include "lookalike/common/error.h"

namespace lookalike::testing {

template <class Call>
void expect_error(ErrorKind kind, Call call, const std::string& text) {
  try {
    call();
    FAIL_CHECK("no error although " << text << " was expected");
  } catch (const Error& e) {
    CHECK(e.kind() == kind);
    CHECK_THAT(std::string(e.what()), Catch::Contains(text));
  }
}

}  // namespace lookalike::testing
