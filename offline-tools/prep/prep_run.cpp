#include "prep/prep_run.h"

#include <optional>

#include "common/cli_context.h"
#include "common/files.h"
#include "common/progress.h"
#include "common/text.h"
#include "common/version.h"
#include "lookalike/common/error.h"
#include "lookalike/common/parallel.h"
#include "prep/image_check.h"
#include "prep/split.h"

namespace lookalike::cli {
namespace {

ManifestImage manifest_image(const SourceImage& source, const ImageCheck& c) {
  ManifestImage image;
  image.root = source.root;
  image.path = source.path;
  image.label = source.label;
  image.format = c.format;
  image.width = c.width;
  image.height = c.height;
  image.bytes = c.bytes;
  image.pixel_hash = c.pixel_hash;
  image.phash = c.perceptual.bits;
  image.luma = c.perceptual.luma;
  image.source = source.attribution;
  return image;
}

}  // namespace

namespace {

// Every image decoded and hashed; results land at their own index, so the
// outcome does not depend on the thread count or the order of completion.
std::vector<ImageCheck> check_images(const DatasetScan& scan, const PrepOptions& options) {
  std::vector<ImageCheck> checked(scan.images.size());
  std::optional<Progress> progress;
  if (options.show_progress && !scan.images.empty()) progress.emplace("checking images", scan.images.size());
  parallel_for(scan.images.size(), thread_count(options.threads), [&](std::size_t i) {
    if (interrupted()) return;
    checked[i] = check_image_file(scan.file(scan.images[i]), image_check_options(options));
    if (progress) progress->advance();
  });
  return checked;
}

// Usable images go on to the duplicate search (their indices in `usable`),
// the others into the manifest's rejected list.
std::vector<DuplicateCandidate> sort_out_unusable(const DatasetScan& scan, const std::vector<ImageCheck>& checked,
                                                  std::vector<std::size_t>& usable, PrepResult& result) {
  std::vector<DuplicateCandidate> candidates;
  for (std::size_t i = 0; i < scan.images.size(); ++i) {
    const ImageCheck& c = checked[i];
    const SourceImage& s = scan.images[i];
    if (!c.usable) {
      if (c.reason == "unreadable") ++result.unreadable;
      result.manifest.rejected.push_back({s.root, s.path, s.label, c.reason, c.message, c.bytes, s.attribution});
      continue;
    }
    usable.push_back(i);
    candidates.push_back({c.pixel_hash, c.perceptual, c.width, c.height, c.bytes});
  }
  return candidates;
}

// Duplicates set aside (listed with the image they duplicate), the kept
// images split into train and test.
void keep_and_split(const DatasetScan& scan, const std::vector<ImageCheck>& checked,
                    const std::vector<std::size_t>& usable, const std::vector<DuplicateDecision>& decisions,
                    const PrepOptions& options, Manifest& m) {
  std::vector<SplitItem> split_items;
  std::vector<std::size_t> kept;
  for (std::size_t u = 0; u < usable.size(); ++u) {
    const SourceImage& s = scan.images[usable[u]];
    if (decisions[u].kept) {
      kept.push_back(usable[u]);
      split_items.push_back({s.label, s.path, s.given_split});
      continue;
    }
    const SourceImage& of = scan.images[usable[decisions[u].of]];
    ManifestDuplicate d;
    d.image = manifest_image(s, checked[usable[u]]);
    d.kind = decisions[u].exact ? "exact" : "near";
    d.of_root = of.root;
    d.of_path = of.path;
    d.distance = decisions[u].distance;
    m.duplicates.push_back(std::move(d));
  }
  const auto splits = stratified_split(split_items, options.test_fraction, options.seed);
  for (std::size_t k = 0; k < kept.size(); ++k) {
    ManifestImage image = manifest_image(scan.images[kept[k]], checked[kept[k]]);
    image.split = splits[k];
    m.images.push_back(std::move(image));
  }
}

void check_prep_options(const PrepOptions& options) {
  if (options.min_size < 1) fail(ErrorKind::InvalidArgument, "--min-size must be at least 1");
  if (!(options.test_fraction >= 0.0 && options.test_fraction <= 1.0))
    fail(ErrorKind::InvalidArgument, "--test-fraction must be between 0 and 1");
}

// The result's frame before any image is decided: options, roots, scan problems.
PrepResult start_result(const DatasetScan& scan, const PrepOptions& options) {
  PrepResult result;
  result.warnings = scan.warnings;
  result.scanned = scan.images.size();
  Manifest& m = result.manifest;
  m.created = utc_timestamp();
  m.tool = tool_signature("prep");
  m.options = prep_options_json(options);
  m.roots = scan.roots;
  for (const auto& p : scan.problems)
    m.rejected.push_back({p.root, p.path, p.label, p.reason, p.message, 0, std::nullopt});
  return result;
}

}  // namespace

ImageCheckOptions image_check_options(const PrepOptions& options) { return {options.min_size, options.max_pixels}; }

nlohmann::json prep_options_json(const PrepOptions& options) {
  return {{"min_size", options.min_size},
          {"near_duplicates", options.near.enabled},
          {"near_threshold", options.near.max_distance},
          {"near_luma_tolerance", options.near.luma_tolerance},
          {"test_fraction", options.test_fraction},
          {"seed", options.seed},
          {"max_pixels", options.max_pixels}};
}

PrepOptions prep_options_from_json(const nlohmann::json& j, const std::string& where) {
  PrepOptions o;
  try {
    o.min_size = j.at("min_size").get<int>();
    o.near.enabled = j.at("near_duplicates").get<bool>();
    o.near.max_distance = j.at("near_threshold").get<int>();
    o.near.luma_tolerance = j.at("near_luma_tolerance").get<int>();
    o.test_fraction = j.at("test_fraction").get<double>();
    o.seed = j.at("seed").get<std::uint64_t>();
    o.max_pixels = j.at("max_pixels").get<std::uint64_t>();
  } catch (const nlohmann::json::exception& e) {
    fail(ErrorKind::Corrupt, where + ": prep options: " + e.what());
  }
  return o;
}

PrepResult decide_prep(const DatasetScan& scan, const std::vector<ImageCheck>& checked, const PrepOptions& options) {
  check_prep_options(options);
  PrepResult result = start_result(scan, options);
  std::vector<std::size_t> usable;
  const std::vector<DuplicateCandidate> candidates = sort_out_unusable(scan, checked, usable, result);
  keep_and_split(scan, checked, usable, find_duplicates(candidates, options.near), options, result.manifest);
  return result;
}

PrepResult run_prep(const PrepOptions& options) {
  check_prep_options(options);
  const DatasetScan scan = scan_dataset(options.sources);
  const std::vector<ImageCheck> checked = check_images(scan, options);
  if (interrupted()) {
    PrepResult result = start_result(scan, options);
    result.interrupted = true;
    return result;
  }
  return decide_prep(scan, checked, options);
}

}  // namespace lookalike::cli
