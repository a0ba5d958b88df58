#include "eval/partitioned_ranker.h"

#include <unordered_map>

#include "common/cli_context.h"
#include "lookalike/common/parallel.h"
#include "lookalike/index/partitioned_index.h"
#include "partitioned/partitioned_build.h"

namespace lookalike::cli {

void PartitionedRanker::rank(const FeatureMatrix& matrix, Metric metric, const std::vector<std::uint32_t>& queries,
                             const std::vector<std::uint32_t>& database, std::size_t depth, unsigned threads,
                             const RankingVisitor& visit) const {
  IndexConfig config;
  config.feature_spec = matrix.spec;
  config.feature_version = std::uint32_t(matrix.version);
  config.metric = metric;
  config.dim = std::uint32_t(matrix.dim);
  config.kind = IndexKind::Partitioned;
  config.element = ElementType::Int8;
  std::vector<std::vector<std::uint8_t>> files;
  const PartitionedRows rows{database.size(), [&](std::size_t r) { return matrix.row(database[r]); },
                             [&](std::size_t r) { return database[r]; }};
  PartitionedChoices choices;
  choices.lists = settings_.lists;
  choices.nprobe = settings_.nprobe;
  const std::vector<std::uint8_t> header = build_partitioned_index(
      config, rows, choices, thread_count(threads),
      [&files](std::uint32_t file, const std::vector<std::uint8_t>& bytes) {
        files.resize(file + 1);
        files[file] = bytes;
      },
      nullptr);
  const PartitionedIndex index = PartitionedIndex::load_header(header.data(), header.size());
  std::vector<PartitionedList> lists;
  std::unordered_map<std::uint32_t, std::pair<std::uint32_t, std::size_t>> where;  // id → list, position
  for (std::uint32_t l = 0; l < index.list_count(); ++l) {
    const ListLocation& at = index.header().lists[l];
    lists.push_back(PartitionedList::parse(index, l, files[at.file].data() + at.offset, at.bytes));
    for (std::size_t i = 0; i < lists.back().count(); ++i) where[lists.back().id(i)] = {l, i};
  }
  files = {};

  parallel_for(queries.size(), thread_count(threads), [&](std::size_t q) {
    if (interrupted()) return;
    PartitionedSearchOptions options;
    options.k = depth == 0 ? database.size() : depth;
    std::vector<float> stored;
    const float* vector = matrix.row(queries[q]);
    const auto it = where.find(queries[q]);
    if (it != where.end()) {
      stored = lists[it->second.first].vector(it->second.second);
      vector = stored.data();
      options.exclude = queries[q];
    }
    PartitionedSearch search(index, vector, options);
    while (!search.done()) {
      const std::vector<std::uint32_t> wanted = search.wanted();
      for (const std::uint32_t l : wanted) search.score(lists[l]);
    }
    visit(q, search.hits());
  });
}

}  // namespace lookalike::cli
