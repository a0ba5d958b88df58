// One item as a line of JSON Lines (items.jsonl beside precomputed
// embeddings, one line per row): the image, its label, the hash of its bytes
// and its attribution, all at the top level of one object:
//
//   {"path":"beach/53412345678.jpg","label":"beach","sha256":"9f86d0…","width":500,"height":375,
//    "url":"https://…","page":"https://…","owner":"Jane Doe","title":"Low tide",
//    "licence":"CC BY 2.0","licence_url":"https://…","photo_id":"53412345678","term":"beach"}
//
// path is relative to the file's folder ('/'-separated), absolute, or a URL.
// Only path is required; the attribution's keys and leniency are
// attribution_json.h's, so a line of crawl.jsonl reads as an item record too
// (without a label).
//
// A sharded embedding job (shard-…/items.jsonl) adds what validating the
// image learned, so that duplicates are decided across all shards at merge
// exactly as `lookalike prep` decides them in one run:
//
//   "format":"jpeg","bytes":38211,"pixel_hash":"<32 hex>","phash":"<16 hex>","luma":117
#pragma once

#include <cstdint>
#include <string>

#include "lookalike/index/attribution.h"

namespace lookalike {

struct ItemRecord {
  Attribution source;  // source.path: where the image is
  std::string label;
  std::string sha256;                   // of the file's bytes, 64 lowercase hex digits; empty when unknown
  std::uint32_t width = 0, height = 0;  // of the upright image; 0 = unknown
  // Validation (empty / 0 / -1 = unknown): as manifest.json's images have them.
  std::string format;       // "jpeg", "png", … (image_format.h's keys)
  std::uint64_t bytes = 0;  // of the file
  std::string pixel_hash;   // 32 lowercase hex digits: XXH3-128 of the decoded pixels
  std::string phash;        // 16 lowercase hex digits: 64-bit perceptual hash
  int luma = -1;            // mean luminance 0..255
};

// One line of JSON, without the newline; empty fields are left out. Invalid
// UTF-8 in crawled text becomes U+FFFD rather than an error.
std::string item_record_to_json(const ItemRecord& record);

// Throws Error(Corrupt) saying what is wrong: not JSON, not an object, no
// path, a label or sha256 that is not text, a size that is not an integer
// in [0, 2^20], a byte count that is not a non-negative integer, a luma
// outside 0..255.
ItemRecord parse_item_record(const std::string& json_line);

}  // namespace lookalike
