#include "prep/prep_run.h"

#include <optional>

#include "common/cli_context.h"
#include "common/files.h"
#include "common/progress.h"
#include "common/text.h"
#include "lookalike/common/error.h"
#include "lookalike/common/parallel.h"
#include "lookalike/image/decode.h"
#include "prep/perceptual_hash.h"
#include "prep/pixel_hash.h"
#include "prep/split.h"

#ifndef LOOKALIKE_VERSION
#define LOOKALIKE_VERSION "0.0.0"
#endif

namespace lookalike::cli {
namespace {

// What the parallel pass learns about one file.
struct Checked {
  bool usable = false;
  std::string reason, message;  // when not usable
  std::uint64_t bytes = 0;
  std::string format;
  int width = 0, height = 0;
  std::string pixel_hash;
  PerceptualHash perceptual;
};

std::string reason_for(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Unsupported: return "unsupported";
    case ErrorKind::TooLarge: return "too-large";
    case ErrorKind::Io: return "unreadable";
    case ErrorKind::Corrupt:
    case ErrorKind::InvalidArgument: break;
  }
  return "corrupt";
}

Checked check_image(const fs::path& file, const PrepOptions& options) {
  Checked c;
  std::vector<std::uint8_t> bytes;
  try {
    bytes = read_file(file);
  } catch (const Error& e) {
    c.reason = "unreadable";
    c.message = e.what();
    return c;
  }
  c.bytes = bytes.size();
  DecodeOptions decode_options;
  decode_options.max_pixels = options.max_pixels;
  try {
    const DecodedImage decoded = decode_image(bytes.data(), bytes.size(), decode_options);
    c.format = format_key(decoded.format);
    c.width = decoded.image.width;
    c.height = decoded.image.height;
    if (std::min(c.width, c.height) < options.min_size) {
      c.reason = "too-small";
      c.message = std::to_string(c.width) + "x" + std::to_string(c.height) + " is below the minimum of " +
                  std::to_string(options.min_size) + " px on the shortest side";
      return c;
    }
    c.pixel_hash = pixel_hash(decoded.image);
    c.perceptual = perceptual_hash(decoded.image);
    c.usable = true;
  } catch (const Error& e) {
    c.reason = reason_for(e.kind());
    c.message = e.what();
  }
  return c;
}

ManifestImage manifest_image(const SourceImage& source, const Checked& c) {
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
std::vector<Checked> check_images(const DatasetScan& scan, const PrepOptions& options) {
  std::vector<Checked> checked(scan.images.size());
  std::optional<Progress> progress;
  if (options.show_progress && !scan.images.empty()) progress.emplace("checking images", scan.images.size());
  parallel_for(scan.images.size(), thread_count(options.threads), [&](std::size_t i) {
    if (interrupted()) return;
    checked[i] = check_image(scan.file(scan.images[i]), options);
    if (progress) progress->advance();
  });
  return checked;
}

// Usable images go on to the duplicate search (their indices in `usable`),
// the others into the manifest's rejected list.
std::vector<DuplicateCandidate> sort_out_unusable(const DatasetScan& scan, const std::vector<Checked>& checked,
                                                  std::vector<std::size_t>& usable, PrepResult& result) {
  std::vector<DuplicateCandidate> candidates;
  for (std::size_t i = 0; i < scan.images.size(); ++i) {
    const Checked& c = checked[i];
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
void keep_and_split(const DatasetScan& scan, const std::vector<Checked>& checked,
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

}  // namespace

PrepResult run_prep(const PrepOptions& options) {
  if (options.min_size < 1) fail(ErrorKind::InvalidArgument, "--min-size must be at least 1");
  if (!(options.test_fraction >= 0.0 && options.test_fraction <= 1.0))
    fail(ErrorKind::InvalidArgument, "--test-fraction must be between 0 and 1");

  const DatasetScan scan = scan_dataset(options.sources);
  PrepResult result;
  result.warnings = scan.warnings;
  result.scanned = scan.images.size();
  Manifest& m = result.manifest;
  m.created = utc_timestamp();
  m.tool = std::string("lookalike ") + LOOKALIKE_VERSION + " prep";
  m.options = {{"min_size", options.min_size},
               {"near_duplicates", options.near.enabled},
               {"near_threshold", options.near.max_distance},
               {"near_luma_tolerance", options.near.luma_tolerance},
               {"test_fraction", options.test_fraction},
               {"seed", options.seed},
               {"max_pixels", options.max_pixels}};
  m.roots = scan.roots;
  for (const auto& p : scan.problems)
    m.rejected.push_back({p.root, p.path, p.label, p.reason, p.message, 0, std::nullopt});

  const std::vector<Checked> checked = check_images(scan, options);
  if (interrupted()) {
    result.interrupted = true;
    return result;
  }
  std::vector<std::size_t> usable;
  const std::vector<DuplicateCandidate> candidates = sort_out_unusable(scan, checked, usable, result);
  keep_and_split(scan, checked, usable, find_duplicates(candidates, options.near), options, m);
  return result;
}

}  // namespace lookalike::cli
