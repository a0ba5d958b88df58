// The messages between the page (UI thread) and its one worker, which hosts
// the WASM module and ONNX Runtime Web. The UI thread does UI only: every
// download, decode, feature, model run and search happens in the worker.
//
// Requests carry a requestId; the worker answers each query request with
// exactly one `result` or `error` carrying that id. The UI shows only the
// answer to its latest request. Progress, readiness and status are events
// without an id. Requests are handled one at a time, in order.

import type { Attribution } from './core-schema';
import type { ElementType, HnswInfo, IndexInfo, IndexKind, MetricName } from '@lookalike-wasm/lookalike_wasm.mjs';

// The core's names are declared once, with the module's types.
export type { ElementType, IndexKind, MetricName };

export type BackendPreference = 'auto' | 'wasm' | 'webgpu';

/** What the user chose in the controls; re-running a query applies new settings. */
export interface SearchSettings {
  /** Canonical feature spec of a bundle in the collection ("colour:bins=8x4x4", "model:clip-vit-b32"). */
  feature: string;
  metric: MetricName;
  k: number;
  /** Restrict results to one label (a name from the collection's labels), or null for all. */
  label: string | null;
}

export type Request =
  /**
   * Load the module and the collection; `siteUrl` is the absolute URL of the site's root folder.
   * `backend`: the model's ONNX Runtime backend, from the page's ?backend= (default 'auto': WebGPU
   * when an adapter passes the check, else WASM; see worker/webgpu-backend.ts).
   */
  | { type: 'init'; siteUrl: string; collection?: string; backend?: BackendPreference; listBudgetMB?: number }
  /** Switch to another collection of collections.json. */
  | { type: 'open-collection'; name: string }
  /**
   * A query image as a Blob (file picker, drop, paste, camera). The worker
   * reads it: a Blob is sent as a reference, not copied, and the read then
   * runs beside the page's own work instead of waiting for the UI thread.
   */
  | { type: 'query-file'; requestId: number; file: Blob; name: string; settings: SearchSettings }
  /** A query image by URL (fetched by the worker; CORS applies). */
  | { type: 'query-url'; requestId: number; url: string; settings: SearchSettings }
  /** A sample query: a file of the site (relative URL). */
  | { type: 'query-sample'; requestId: number; sampleIndex: number; settings: SearchSettings }
  /**
   * A query vector computed elsewhere (programs and benchmarks, through the
   * page's `lookalike.queryVector`): searched as given, nothing decoded or
   * embedded; `feature` says what it is a vector of.
   */
  | { type: 'query-vector'; requestId: number; vector: Float32Array; feature: string; settings: SearchSettings }
  /** "More like this": the stored vector of an item, no re-embedding. */
  | { type: 'query-item'; requestId: number; itemId: number; settings: SearchSettings }
  /**
   * A text query, embedded by the collection's text tower (CollectionSummary.textSearch);
   * settings.feature must be that tower's feature.
   */
  | { type: 'query-text'; requestId: number; text: string; settings: SearchSettings }
  /** Start loading the text tower (the visitor began typing), so the first text query finds it ready. */
  | { type: 'load-text-model' }
  /** Run the current query again with new settings (switches). */
  | { type: 'rerun'; requestId: number; settings: SearchSettings };

export type ResourceKind = 'wasm' | 'collection' | 'index' | 'model' | 'runtime' | 'query';

export interface ProgressEvent {
  type: 'progress';
  /** Stable per download, so the UI updates one line per resource. */
  key: string;
  resource: ResourceKind;
  label: string;
  loaded: number;
  /** Bytes expected, when known (Content-Length or the sidecar's `bytes`). */
  total: number | null;
  fromCache: boolean;
  done: boolean;
}

/** One collection item as the UI shows it; every string is untrusted text. */
export interface ItemView {
  id: number;
  label: string | null;
  /** Relative URL of the thumbnail inside the site, or null. */
  thumbnail: string | null;
  width: number | null;
  height: number | null;
  /** Its links are http(s) URLs only (checked by the worker and again by the UI). */
  source: Attribution;
}

export interface FeatureChoice {
  spec: string;
  /** Human name: "Colour histogram (8×4×4 HSV)". */
  title: string;
  metrics: MetricName[];
  dim: number;
  kind: IndexKind;
  element: ElementType;
  isModel: boolean;
  /** Null when usable; otherwise why not (e.g. the model card is missing). */
  unavailable: string | null;
  /** Null when images can be searched with it; otherwise why not (vectors made elsewhere: vector and item queries only). */
  imageQueries: string | null;
}

export interface SampleView {
  index: number;
  title: string;
  /** Relative URL of the sample image inside the site. */
  image: string;
}

/** Text search: a model feature whose text tower the collection publishes. */
export interface TextSearchInfo {
  /** The model feature text queries search ("model:clip-vit-b32"). */
  feature: string;
  /** The text tower's card name. */
  model: string;
  /** Bytes the first text query downloads (the model and its vocabulary), unless cached. */
  downloadBytes: number;
  /** Null when usable; otherwise why text search is not offered. */
  unavailable: string | null;
}

export interface CollectionSummary {
  name: string;
  title: string;
  count: number;
  created: string | null;
  licenceNote: string | null;
  labels: string[];
  features: FeatureChoice[];
  defaultFeature: string;
  defaultMetric: MetricName;
  samples: SampleView[];
  /** Other collections of collections.json (name, title). */
  collections: { name: string; title: string }[];
  /** Why no model feature is offered, or null when one is. */
  modelNote: string | null;
  /** Text search, when a model of the collection has a text tower; null otherwise (no text box). */
  textSearch: TextSearchInfo | null;
}

export interface RuntimeInfo {
  wasmVersion: string;
  kernels: string;
  /** The index bundle format version the module reads. */
  bundleVersion: number;
  coreFormats: string[];
  crossOriginIsolated: boolean;
  /** Threads ONNX Runtime Web uses (or would use once a model loads). */
  ortThreads: number;
  ortLoaded: boolean;
  /** The backend the model runs on, once loaded. */
  ortBackend: 'wasm' | 'webgpu' | null;
  /** Why that backend: WebGPU's adapter and check result, or why WebGPU is not used. */
  ortBackendNote: string | null;
}

export interface Hit {
  rank: number;
  id: number;
  /** The metric's natural value: distance (smaller is closer) or similarity (larger is closer). */
  score: number;
  item: ItemView | null;
}

export interface Timings {
  /** Milliseconds; null when the step did not run (cached, or no model). */
  download: number | null;
  /** Reading a chosen, dropped or pasted file. */
  read: number | null;
  /** A text query's tokenizing (null for images). */
  tokenize: number | null;
  decode: number | null;
  preprocess: number | null;
  model: number | null;
  search: number | null;
  /** Fetching the results' item records (a large collection's pages); null when none were fetched. */
  items: number | null;
  total: number;
}

export interface QueryDescription {
  kind: 'image' | 'item' | 'text' | 'vector';
  /** File name, URL, sample or item title; a text query's text. */
  name: string;
  /** A text query's token count (with the start and end tokens), else null. */
  tokens: number | null;
  /** The photo's size, upright. */
  width: number | null;
  height: number | null;
  /** The size it was decoded at for this feature: a large photo is reduced (by `reduction`) to what the feature needs. */
  decodedWidth: number | null;
  decodedHeight: number | null;
  reduction: number | null;
  format: string | null;
  /** 'core' (the same decoder as the offline tools) or 'browser' (WebP, AVIF, HEIC). */
  decodedBy: 'core' | 'browser' | null;
  orientation: number | null;
  item: ItemView | null;
}

/** The loaded index as the page shows it: the module's IndexInfo (of a bundle or a partitioned index). */
export type SearchIndexInfo = Omit<IndexInfo, 'hnsw'> & {
  /** HNSW parameters (known once the bundle is loaded); null for flat and partitioned indexes. */
  hnsw: Pick<HnswInfo, 'm' | 'efSearch'> | null;
  /** A partitioned index's lists and the lists a query probes; null for the other kinds. */
  partitioned: { lists: number; nprobe: number } | null;
};

export type Event =
  | ProgressEvent
  /** `index`: the default index as loaded, when it loaded. */
  | { type: 'ready'; collection: CollectionSummary; runtime: RuntimeInfo; index: SearchIndexInfo | null }
  | { type: 'runtime'; runtime: RuntimeInfo }
  /** Initialisation failed; the page stays up and says why. */
  | { type: 'fatal'; message: string }
  /** The text tower: loading (downloads show as progress), ready, or failed with the reason. */
  | { type: 'text-model'; state: 'loading' | 'ready' | 'failed'; message: string | null }
  | {
      type: 'result';
      requestId: number;
      query: QueryDescription;
      settings: SearchSettings;
      index: SearchIndexInfo;
      hits: Hit[];
      timings: Timings;
      notes: string[];
      /**
       * The vector searched with: the query image's feature, or its model
       * embedding (L2-normalised when the card says so), as the offline tools
       * compute it for the same file; a text query's text embedding, as
       * `lookalike query --text` computes it; null for "more like this".
       */
      queryVector: Float32Array | null;
    }
  | { type: 'error'; requestId: number | null; stage: ErrorStage; message: string };

export type ErrorStage = 'input' | 'download' | 'decode' | 'feature' | 'model' | 'index' | 'search' | 'collection';

/** Higher is closer for similarities; lower for distances. */
export function higherIsCloser(metric: MetricName): boolean {
  return metric === 'cosine' || metric === 'correlation';
}

export const METRIC_TITLES: Record<MetricName, string> = {
  l1: 'L1 distance',
  l2: 'L2 distance',
  cosine: 'Cosine similarity',
  correlation: 'Correlation',
};
