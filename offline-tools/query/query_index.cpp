#include "query/query_index.h"

#include "lookalike/common/error.h"
#include "site/bundle_files.h"

namespace lookalike::cli {
namespace {

PartitionedSearchOptions partitioned_options(const QueryOptions& o) {
  PartitionedSearchOptions p;
  p.k = o.search.k;
  p.nprobe = o.nprobe;
  p.rerank = o.rerank;
  p.accept = o.search.accept;
  return p;
}

}  // namespace

QueryIndex QueryIndex::open(const std::filesystem::path& file) {
  QueryIndex index;
  if (file.extension() == ".lkp")
    index.files_.emplace(PartitionedFiles::open(file));
  else
    index.bundle_.emplace(load_bundle_file(file));
  return index;
}

const IndexConfig& QueryIndex::config() const { return files_ ? files_->index().config() : bundle_->config(); }

std::size_t QueryIndex::size() const { return files_ ? files_->index().size() : bundle_->size(); }

std::uint32_t QueryIndex::default_nprobe() const { return files_ ? files_->index().header().default_nprobe : 0; }

bool QueryIndex::contains(std::uint32_t id) const {
  return files_ ? files_->list_of(id).has_value() : bundle_->contains(id);
}

std::vector<Hit> QueryIndex::search(const float* query, const QueryOptions& options) const {
  if (!files_) return bundle_->search(query, options.search);
  return files_->search(query, partitioned_options(options)).hits();
}

std::vector<Hit> QueryIndex::search_by_id(std::uint32_t id, const QueryOptions& options) const {
  if (!files_) return bundle_->search_by_id(id, options.search);
  const std::optional<std::uint32_t> list = files_->list_of(id);
  if (!list) fail(ErrorKind::InvalidArgument, "id " + std::to_string(id) + " is not in the index");
  const std::shared_ptr<const PartitionedList> l = files_->list(*list);
  const std::vector<float> vector = l->vector(*l->find(id));
  PartitionedSearchOptions p = partitioned_options(options);
  p.exclude = id;
  return files_->search(vector.data(), p).hits();
}

}  // namespace lookalike::cli
