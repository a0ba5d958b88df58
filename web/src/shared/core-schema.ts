// Generated from the core by tests/schema/core_schema_ts.cpp: do not edit. A native test fails
// when this file and the core disagree; regenerate it with
//   build/native/tests/schema/core_schema_ts --write web/src/shared/core-schema.ts
import type { ElementType, IndexKind, MetricName } from '@lookalike-wasm/lookalike_wasm.mjs';

/** The schema version of the collection JSON and collections.json. */
export const COLLECTION_SCHEMA = 1;

/** In a paged collection's item_pages.files, what stands for a page's number (item_pages.h). */
export const ITEM_PAGE_PLACEHOLDER = '{page}';

/** Feature specs of model embeddings start with this: "model:<card>". */
export const MODEL_SPEC_PREFIX = 'model:';

const METRICS: Record<MetricName, true> = { l1: true, l2: true, cosine: true, correlation: true };
const INDEX_KINDS: Record<IndexKind, true> = { flat: true, hnsw: true, partitioned: true };
const ELEMENT_TYPES: Record<ElementType, true> = { float32: true, int8: true };

export const METRIC_NAMES = Object.keys(METRICS) as MetricName[];
export const INDEX_KIND_NAMES = Object.keys(INDEX_KINDS) as IndexKind[];
export const ELEMENT_TYPE_NAMES = Object.keys(ELEMENT_TYPES) as ElementType[];

/** The order in which the page offers a feature's metrics, most useful first. */
export const METRIC_PREFERENCE: readonly MetricName[] = ['cosine', 'correlation', 'l2', 'l1'];

/**
 * An item's source and attribution (core/include/lookalike/index/attribution.h): untrusted text,
 * inserted as text, never as HTML; null when unknown. Links are http(s) URLs or null.
 */
export interface Attribution {
  /** the image inside its source, relative and '/'-separated (or a URL) */
  path: string | null;
  /** the image file's URL where it was downloaded from (a link) */
  url: string | null;
  /** the photo's web page: where attribution links to (a link) */
  page: string | null;
  /** the author's display name */
  owner: string | null;
  /** the photo's title */
  title: string | null;
  /** the licence's short name ("CC BY 2.0"), "unknown" when none is known */
  licence: string | null;
  /** the licence's text (a link) */
  licence_url: string | null;
  /** the source's id of the photo */
  photo_id: string | null;
  /** the search term that found it */
  term: string | null;
}

/** The fields of Attribution in the core's order; links are shown only when they are http(s). */
export const ATTRIBUTION_FIELDS: readonly { key: keyof Attribution; isLink: boolean }[] = [
  { key: 'path', isLink: false },
  { key: 'url', isLink: true },
  { key: 'page', isLink: true },
  { key: 'owner', isLink: false },
  { key: 'title', isLink: false },
  { key: 'licence', isLink: false },
  { key: 'licence_url', isLink: true },
  { key: 'photo_id', isLink: false },
  { key: 'term', isLink: false },
];
