// Retrieval quality measures over one ranked result list, given as the
// relevance of each rank (true = same class as the query).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "lookalike/search/hit.h"

namespace lookalike {

// Relevant results among the first k, divided by k (a list shorter than k
// counts its missing ranks as misses, the standard definition).
double precision_at_k(const std::vector<bool>& relevance, std::size_t k);

// Relevant results among the first k, divided by all relevant items.
double recall_at_k(const std::vector<bool>& relevance, std::size_t k, std::size_t total_relevant);

// Mean of precision@rank over the ranks holding a relevant item, divided by
// all relevant items (relevant items never retrieved contribute 0).
double average_precision(const std::vector<bool>& relevance, std::size_t total_relevant);

double mean(const std::vector<double>& values);

// Leave-one-out relevance: the ranking with the query itself removed (a query
// never counts itself), each remaining hit marked by whether its label equals
// the query's. `labels` is indexed by id.
std::vector<bool> leave_one_out_relevance(const std::vector<Hit>& ranking, std::uint32_t query_id,
                                          const std::vector<int>& labels);

}  // namespace lookalike
