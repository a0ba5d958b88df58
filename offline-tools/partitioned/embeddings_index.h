// `lookalike index --embeddings X.npy --items X.jsonl`: a collection from
// precomputed embeddings (partitioned/embeddings_input.h) instead of images.
// The kind follows the size as for images (flat, HNSW, partitioned; --kind
// overrides); vectors are read from the memory-mapped matrix as each bundle
// is built, so a million 512-d rows are never held in memory twice. There
// are no images, so no thumbnails or sample queries are written: items
// carry their own thumbnail paths or photo URLs.
#pragma once

#include "indexing/index_build.h"
#include "indexing/index_options.h"

namespace lookalike::cli {

// As run_index: throws lookalike::Error for wrong options or input, and
// leaves the site as it was unless everything succeeded.
IndexSummary run_index_from_embeddings(const IndexOptions& options);

}  // namespace lookalike::cli
