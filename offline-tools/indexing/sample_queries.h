// Sample queries for the page (the sidecar's "samples"): a few images of the
// collection, spread over its labels, written as JPEGs under site/samples/
// so that a visitor can try a search without an image of their own.
#pragma once

#include <cstddef>
#include <filesystem>
#include <vector>

#include "common/staged_files.h"
#include "dataset/manifest.h"
#include "indexing/index_plan.h"
#include "lookalike/index/collection.h"

namespace lookalike::cli {

constexpr int kSampleSide = 512;  // large enough to query with, small enough to download at once

// Up to `count` of the items, taking labels in turn (sorted; the lowest id
// first within a label).
std::vector<const PlannedItem*> pick_samples(const std::vector<PlannedItem>& items, std::size_t count);

// Stages site/samples/<id>.jpg for each picked item: the image decoded and
// upright (EXIF applied), scaled to fit kSampleSide. An unchanged item whose
// sample file exists keeps it. An image that cannot be decoded any more is
// left out with a warning.
std::vector<CollectionSample> stage_samples(const std::vector<const PlannedItem*>& picked, const Manifest& manifest,
                                            const std::filesystem::path& site, StagedFiles& staged);

}  // namespace lookalike::cli
