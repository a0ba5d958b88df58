// Writes web/src/shared/core-schema.ts from the core itself: the names of
// metrics, index kinds and element types, the page's metric preference, the
// model feature prefix, the collection schema version, the placeholder of
// a paged collection's page files and the fields of an
// item's Attribution. The page reads the core's files through it, so the
// TypeScript side is written once and follows the core.
//
//   core_schema_ts                  print it
//   core_schema_ts --write FILE     write it
//   core_schema_ts --check FILE     exit 1, saying how to regenerate, when FILE differs
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "lookalike/index/attribution.h"
#include "lookalike/index/collection.h"
#include "lookalike/index/index_config.h"
#include "lookalike/index/item_pages.h"
#include "lookalike/metrics/metric.h"
#include "lookalike/model/model_card.h"

namespace {

using namespace lookalike;

constexpr const char* kRegenerate = "build/native/tests/schema/core_schema_ts --write web/src/shared/core-schema.ts";

std::string quoted(const std::string& s) { return "'" + s + "'"; }

// A TypeScript object literal mapping every name of a union to true: it
// compiles only when the module's types (wasm/lookalike_wasm.d.ts) name
// exactly the core's names.
std::string name_set(const char* constant, const char* type, const std::vector<std::string>& names) {
  std::string out = "const " + std::string(constant) + ": Record<" + type + ", true> = {";
  for (std::size_t i = 0; i < names.size(); ++i) out += (i ? ", " : " ") + names[i] + ": true";
  return out + " };\n";
}

std::string attribution_interface() {
  std::string out =
      "/**\n"
      " * An item's source and attribution (core/include/lookalike/index/attribution.h): untrusted text,\n"
      " * inserted as text, never as HTML; null when unknown. Links are http(s) URLs or null.\n"
      " */\n"
      "export interface Attribution {\n";
  for (const AttributionField& f : attribution_fields())
    out +=
        "  /** " + std::string(f.meaning) + (f.is_link ? " (a link)" : "") + " */\n  " + f.key + ": string | null;\n";
  out += "}\n\n/** The fields of Attribution in the core's order; links are shown only when they are http(s). */\n";
  out += "export const ATTRIBUTION_FIELDS: readonly { key: keyof Attribution; isLink: boolean }[] = [\n";
  for (const AttributionField& f : attribution_fields())
    out += "  { key: " + quoted(f.key) + ", isLink: " + (f.is_link ? "true" : "false") + " },\n";
  return out + "];\n";
}

std::string schema_ts() {
  std::ostringstream out;
  out << "// Generated from the core by tests/schema/core_schema_ts.cpp: do not edit. A native test fails\n"
      << "// when this file and the core disagree; regenerate it with\n"
      << "//   " << kRegenerate << "\n"
      << "import type { ElementType, IndexKind, MetricName } from '@lookalike-wasm/lookalike_wasm.mjs';\n\n"
      << "/** The schema version of the collection JSON and collections.json. */\n"
      << "export const COLLECTION_SCHEMA = " << kCollectionSchema << ";\n\n"
      << "/** In a paged collection's item_pages.files, what stands for a page's number (item_pages.h). */\n"
      << "export const ITEM_PAGE_PLACEHOLDER = " << quoted(kItemPagePlaceholder) << ";\n\n"
      << "/** Feature specs of model embeddings start with this: \"model:<card>\". */\n"
      << "export const MODEL_SPEC_PREFIX = " << quoted(kModelSpecPrefix) << ";\n\n"
      << name_set("METRICS", "MetricName", metric_names()) << name_set("INDEX_KINDS", "IndexKind", index_kind_names())
      << name_set("ELEMENT_TYPES", "ElementType", element_type_names()) << "\n"
      << "export const METRIC_NAMES = Object.keys(METRICS) as MetricName[];\n"
      << "export const INDEX_KIND_NAMES = Object.keys(INDEX_KINDS) as IndexKind[];\n"
      << "export const ELEMENT_TYPE_NAMES = Object.keys(ELEMENT_TYPES) as ElementType[];\n\n"
      << "/** The order in which the page offers a feature's metrics, most useful first. */\n"
      << "export const METRIC_PREFERENCE: readonly MetricName[] = [";
  for (std::size_t i = 0; i < kMetricPreference.size(); ++i)
    out << (i ? ", " : "") << quoted(metric_name(kMetricPreference[i]));
  out << "];\n\n" << attribution_interface();
  return out.str();
}

int check(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream current;
  current << in.rdbuf();
  if (in && current.str() == schema_ts()) return 0;
  std::cerr << file << (in ? " differs from the core's schema" : " cannot be read") << ": regenerate it with\n  "
            << kRegenerate << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode.empty() && argc == 1) {
    std::cout << schema_ts();
    return 0;
  }
  if (argc == 3 && mode == "--check") return check(argv[2]);
  if (argc == 3 && mode == "--write") {
    std::ofstream out(argv[2], std::ios::binary);
    out << schema_ts();
    if (out.flush()) return 0;
    std::cerr << "cannot write " << argv[2] << "\n";
    return 1;
  }
  std::cerr << "usage: core_schema_ts [--check FILE | --write FILE]\n";
  return 2;
}
