#include "support/skip.h"

#include <cstdlib>
#include <iostream>

namespace lookalike::testing {

void skip_test(const std::string& why) {
  std::cout << std::flush;
  std::cerr << "SKIPPED: " << why << std::endl;
  std::exit(kSkipExitCode);
}

}  // namespace lookalike::testing
