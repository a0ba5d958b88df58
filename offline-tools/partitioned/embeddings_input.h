// Precomputed embeddings as the input of `lookalike index`: a float32 .npy
// matrix (one row per item; memory-mapped, vectors/npy_matrix.h) and a JSON
// Lines file describing the rows in order, one collection item per line in
// the collection's own item schema (core/include/lookalike/index/collection.h):
//
//   {"label": "beach", "source": {"path": "beach/1.jpg", "url": "https://…", "owner": "…", "licence": "CC BY 2.0"}}
//
// "id" may be left out (then the row number is the id); "thumbnail" names an
// image inside the site, or is left out (the page then shows source.url).
// This is what a sharded embedding job writes per shard
// (shard-…/{embeddings.npy, items.jsonl}).
#pragma once

#include <filesystem>
#include <vector>

#include "lookalike/index/collection.h"
#include "vectors/npy_matrix.h"

namespace lookalike::cli {

struct EmbeddingsInput {
  NpyMatrix matrix;
  std::vector<CollectionItem> items;  // one per matrix row, in order
};

// Throws Error(Io) for a missing file, Error(Corrupt) "<file>:<line>: …" for
// a malformed line, a repeated id or a row count that differs from the
// matrix's, Error(Unsupported) for another .npy layout.
EmbeddingsInput load_embeddings_input(const std::filesystem::path& npy, const std::filesystem::path& jsonl);

}  // namespace lookalike::cli
