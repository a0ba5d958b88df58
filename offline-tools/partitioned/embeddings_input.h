// Precomputed embeddings as the input of `lookalike index`: a float32 .npy
// matrix (one row per item; memory-mapped, vectors/npy_matrix.h) and a JSON
// Lines file describing the rows in order, one item record per line
// (core/include/lookalike/index/item_record.h: path or URL, label,
// attribution). Row r becomes the collection's item r. No thumbnails are
// made (there are no images to read): the page shows each result's
// source.url. This is what a sharded embedding job writes per shard
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
// a malformed line or a row count that differs from the matrix's,
// Error(Unsupported) for another .npy layout.
EmbeddingsInput load_embeddings_input(const std::filesystem::path& npy, const std::filesystem::path& jsonl);

}  // namespace lookalike::cli
