#include "site_bundle.h"

#include <fstream>
#include <stdexcept>

#include "lookalike/features/feature.h"

namespace lookalike::testing {

namespace fs = std::filesystem;

void write_site_file(const fs::path& path, const void* data, std::size_t size) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

void write_site_text(const fs::path& path, const std::string& text) { write_site_file(path, text.data(), text.size()); }

CollectionBundle write_site_bundle(const fs::path& index_dir, const std::string& file, const IndexConfig& config,
                                   const std::vector<std::uint32_t>& ids, const std::vector<float>& rows,
                                   VectorIndex* loaded) {
  VectorIndex index(config);
  // One thread: the graph is then the same on every run.
  index.add_many(ids.data(), rows.data(), ids.size(), 1);
  const std::vector<std::uint8_t> bytes = index.save();
  write_site_file(index_dir / file, bytes.data(), bytes.size());
  if (loaded) *loaded = VectorIndex::load(bytes.data(), bytes.size());
  CollectionBundle entry;
  entry.feature = config.feature_spec;
  entry.slug = feature_slug(config.feature_spec);
  entry.metric = config.metric;
  entry.file = file;
  entry.kind = config.kind;
  entry.element = config.element;
  entry.dim = config.dim;
  entry.count = index.size();
  entry.bytes = bytes.size();
  return entry;
}

}  // namespace lookalike::testing
