#include <catch2/catch.hpp>

#include "lookalike/eval/measures.h"

using namespace lookalike;

TEST_CASE("precision, recall and AP on a hand-worked ranking") {
  // Ranks 1..5: relevant, not, relevant, not, not; 3 relevant items exist.
  const std::vector<bool> r{true, false, true, false, false};
  CHECK(precision_at_k(r, 1) == Approx(1.0));
  CHECK(precision_at_k(r, 2) == Approx(0.5));
  CHECK(precision_at_k(r, 3) == Approx(2.0 / 3.0));
  CHECK(precision_at_k(r, 5) == Approx(0.4));
  CHECK(precision_at_k(r, 10) == Approx(0.2));  // missing ranks are misses
  CHECK(recall_at_k(r, 1, 3) == Approx(1.0 / 3.0));
  CHECK(recall_at_k(r, 5, 3) == Approx(2.0 / 3.0));
  // AP = (1/1 + 2/3) / 3: the third relevant item is never retrieved.
  CHECK(average_precision(r, 3) == Approx((1.0 + 2.0 / 3.0) / 3.0));
  CHECK(average_precision({false, true, true}, 2) == Approx((0.5 + 2.0 / 3.0) / 2.0));
  CHECK(average_precision({true, true}, 2) == Approx(1.0));
  CHECK(average_precision({false, false}, 0) == 0.0);
  CHECK(mean({0.5, 1.0, 0.0}) == Approx(0.5));
}

TEST_CASE("leave-one-out drops the query itself") {
  const std::vector<int> labels{0, 0, 1, 0, 1};
  // Query 0 ranks itself first, as any exact search does.
  const std::vector<Hit> ranking{{0, 0.f}, {2, 1.f}, {3, 2.f}, {1, 3.f}, {4, 4.f}};
  const std::vector<bool> r = leave_one_out_relevance(ranking, 0, labels);
  CHECK(r == std::vector<bool>{false, true, true, false});
  // Two other items share label 0.
  CHECK(average_precision(r, 2) == Approx((1.0 / 2.0 + 2.0 / 3.0) / 2.0));
  CHECK(precision_at_k(r, 1) == 0.0);
}
