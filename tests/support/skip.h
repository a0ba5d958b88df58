// A test that cannot run here (data, a tool or a CPU feature it needs is
// absent) says what is missing and ends its process with the exit code CTest
// reports as "Skipped" (SKIP_RETURN_CODE in tests/CMakeLists.txt): a check
// that did not run is never counted as passed.
//
// CTest runs every test case in a process of its own, so ending the process
// skips exactly that case. Call it before the test makes temporary files.
#pragma once

#include <string>

namespace lookalike::testing {

constexpr int kSkipExitCode = 77;

[[noreturn]] void skip_test(const std::string& why);

}  // namespace lookalike::testing
