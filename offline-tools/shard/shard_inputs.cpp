#include "shard/shard_inputs.h"

#include "common/log.h"
#include "common/text.h"
#include "dataset/manifest.h"
#include "site/collection_items.h"

namespace lookalike::cli {

namespace fs = std::filesystem;

ShardInputs select_inputs(const std::vector<fs::path>& sources, const ShardSpec& shard) {
  ShardInputs in;
  in.scan = scan_dataset(sources);
  for (const auto& w : in.scan.warnings) log_warning(printable(w));
  const auto& roots = in.scan.roots;
  for (std::size_t i = 0; i < in.scan.images.size(); ++i) {
    const SourceImage& image = in.scan.images[i];
    if (shard.holds(source_key(roots, image.root, image.path))) in.images.push_back(i);
  }
  for (const SourceProblem& p : in.scan.problems)
    if (shard.holds(source_key(roots, p.root, p.path)))
      in.problems.push_back({p.root, p.path, p.label, p.reason, p.message, 0});
  return in;
}

ItemRecord item_record(const SourceImage& image, const fs::path& file, const ImageCheck& check,
                       const std::string& sha256) {
  ItemRecord r;
  if (image.attribution) r.source = *image.attribution;
  r.source.path = file.string();
  r.label = image.label;
  r.sha256 = sha256;
  r.width = std::uint32_t(check.width);
  r.height = std::uint32_t(check.height);
  r.format = check.format;
  r.bytes = check.bytes;
  r.pixel_hash = check.pixel_hash;
  r.phash = hex64(check.perceptual.bits);
  r.luma = check.perceptual.luma;
  return r;
}

void remove_partial_files(const fs::path& folder) {
  std::error_code ec;
  std::vector<fs::path> partial;
  for (fs::recursive_directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.find(".tmp-") != std::string::npos || (name.size() > 8 && name.substr(name.size() - 8) == ".partial"))
      partial.push_back(it->path());
  }
  for (const auto& file : partial) fs::remove(file, ec);
  if (!partial.empty()) log_verbose("removed " + std::to_string(partial.size()) + " partial file(s) of an earlier run");
}

}  // namespace lookalike::cli
