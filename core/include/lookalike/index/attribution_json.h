// Attribution (attribution.h) to and from a JSON object: the one writer and
// the one reader of its fields, for every file that holds them.
#pragma once

#include <functional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "lookalike/index/attribution.h"

namespace lookalike {

// Sets the fields of `a` in `object`: the non-empty ones, or all of them
// with keep_empty (crawl.jsonl lists every field, empty or not).
void put_attribution(nlohmann::json& object, const Attribution& a, bool keep_empty = false);

// Called with a field's key and what is wrong with its value; must throw.
using FieldProblem = std::function<void(const std::string& key, const std::string& problem)>;

// Reads the fields of `object` (other keys are ignored).
//
// Without `strict` it reads what other tools write as well: the spellings
// other crawlers and API versions use ("license", "ownername", "id" for
// photo_id, …) and numbers as text; any other value reads as unknown. For
// crawl.jsonl, items.jsonl and the manifest.
//
// With `strict` (the collection JSON, the page's contract) every field
// present must be a string; strict(key, "must be a string") otherwise.
Attribution read_attribution(const nlohmann::json& object, const FieldProblem& strict = nullptr);

}  // namespace lookalike
