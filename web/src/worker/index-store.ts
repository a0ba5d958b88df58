// The collection's searchable indexes, one per feature × metric: an index
// bundle (.lkx, flat or HNSW) downloaded whole and read by the WASM module's
// SearchIndex.load (which validates every byte), or a partitioned index
// (.lkp header, lists fetched per query: partitioned-source.ts). Each is
// loaded on first use (the default one at start) and kept for the session.
// An index that disagrees with its sidecar entry, holds items the sidecar
// lacks, or was built with another version of its feature is refused with
// the reason.
import type { BundleEntry, Sidecar } from '../shared/sidecar';
import type { MetricName, SearchIndexInfo } from '../shared/protocol';
import { isModelSpec } from '../shared/feature-titles';
import { evictCached, fetchBytes, type DownloadProgress } from './cached-fetch';
import { DEFAULT_LIST_BUDGET_MB, PartitionedSource, type SearchStats } from './partitioned-source';
import type { LookalikeModule, Result, SearchHits, SearchIndex, SearchOptions } from './wasm-runtime';

export class IndexError extends Error {}

/** What the worker searches, whatever the kind of index. */
export interface Searchable {
  view(): SearchIndexInfo;
  search(vector: Float32Array, options: SearchOptions): Promise<Result<SearchHits>>;
  /** "More like this": the item's stored vector, the item left out of the results. */
  searchById(id: number, options: SearchOptions): Promise<Result<SearchHits>>;
  /** What the last search downloaded (partitioned indexes), else null. */
  lastFetch(): SearchStats | null;
  delete(): void;
}

function bundleSearchable(index: SearchIndex): Searchable {
  return {
    view: () => {
      const info = index.info();
      return {
        featureSpec: info.featureSpec,
        featureVersion: info.featureVersion,
        metric: info.metric,
        dim: info.dim,
        count: info.count,
        kind: info.kind,
        element: info.element,
        floatVectors: info.floatVectors,
        hnsw: info.hnsw && { m: info.hnsw.m, efSearch: info.hnsw.efSearch },
        partitioned: null,
      };
    },
    search: (vector, options) => Promise.resolve(index.search(vector, options)),
    searchById: (id, options) => Promise.resolve(index.searchById(id, options)),
    lastFetch: () => null,
    delete: () => index.delete(),
  };
}

function partitionedSearchable(source: PartitionedSource): Searchable {
  return {
    view: () => source.view(),
    search: (vector, options) => source.search(vector, options),
    searchById: (id, options) => source.searchById(id, options),
    lastFetch: () => source.lastStats,
    delete: () => source.delete(),
  };
}

export interface LoadedIndex {
  entry: BundleEntry;
  index: Searchable;
}

export class IndexStore {
  private readonly loaded = new Map<string, Promise<LoadedIndex>>();
  private readonly ids: Uint32Array;
  private readonly labels: Int32Array;
  private readonly known: Set<number>;

  constructor(
    private readonly m: LookalikeModule,
    private readonly sidecar: Sidecar,
    /** Absolute URL of the sidecar: bundle files are relative to its folder (index/). */
    private readonly sidecarUrl: string,
    private readonly progress: (key: string, label: string, total: number | null) => DownloadProgress,
    /** The list memory a partitioned index may hold in the module. */
    private readonly listBudgetMB: number = DEFAULT_LIST_BUDGET_MB,
  ) {
    this.ids = Uint32Array.from(sidecar.items, (item) => item.id);
    this.labels = Int32Array.from(sidecar.items, (item) => item.labelIndex);
    this.known = new Set(this.ids);
  }

  entry(feature: string, metric: MetricName): BundleEntry | undefined {
    return this.sidecar.bundles.find((b) => b.feature === feature && b.metric === metric);
  }

  isLoaded(feature: string, metric: MetricName): boolean {
    return this.loaded.has(`${feature} ${metric}`);
  }

  /** The index for feature × metric, downloading it on first use. */
  get(feature: string, metric: MetricName): Promise<LoadedIndex> {
    const key = `${feature} ${metric}`;
    let pending = this.loaded.get(key);
    if (!pending) {
      const entry = this.entry(feature, metric);
      if (!entry)
        return Promise.reject(new IndexError(`this collection has no index for ${feature} with metric ${metric}`));
      pending = this.load(entry);
      // A failed download may succeed later (network back): do not keep the failure.
      pending.catch(() => this.loaded.delete(key));
      this.loaded.set(key, pending);
    }
    return pending;
  }

  dispose(): void {
    for (const pending of this.loaded.values())
      pending.then(
        ({ index }) => index.delete(),
        () => undefined,
      );
    this.loaded.clear();
  }

  private async load(entry: BundleEntry): Promise<LoadedIndex> {
    const version = encodeURIComponent(`${this.sidecar.created ?? ''}-${entry.bytes ?? ''}`);
    const url = new URL(`${entry.file}?v=${version}`, this.sidecarUrl).href;
    const partitioned = entry.kind === 'partitioned';
    const label = `index ${entry.file}`;
    const download = () =>
      fetchBytes(url, {
        what: `the index ${entry.file}`,
        policy: 'cache-first',
        // A partitioned index's `bytes` counts its data files too; only the header comes now.
        expectedBytes: partitioned ? null : entry.bytes,
        onProgress: this.progress(`index:${entry.file}`, label, partitioned ? null : entry.bytes),
      });
    const open = (bytes: Uint8Array) => {
      if (!partitioned) {
        const loaded = this.m.SearchIndex.load(bytes);
        return loaded.ok ? { ok: true as const, value: { bundle: loaded.value } } : loaded;
      }
      const opened = PartitionedSource.open(this.m, bytes, entry, url, version);
      return opened.ok ? { ok: true as const, value: { source: opened.source } } : opened;
    };
    const first = await download();
    let loaded = open(first.bytes);
    if (!loaded.ok) {
      // An unusable index is never kept; one that came from the cache (a
      // damaged copy) is downloaded again before giving up.
      await evictCached(url);
      if (first.fromCache) {
        loaded = open((await download()).bytes);
        if (!loaded.ok) await evictCached(url);
      }
    }
    if (!loaded.ok) throw new IndexError(`the index ${entry.file} cannot be used: ${loaded.error}`);
    const { bundle, source } = loaded.value as { bundle?: SearchIndex; source?: PartitionedSource };
    const searchable = bundle ? bundleSearchable(bundle) : partitionedSearchable(source!);
    try {
      this.check(entry, searchable.view(), bundle);
      const labelled = bundle ?? source!.raw;
      if (this.sidecar.labels.length > 0) {
        const result = labelled.setLabels(this.ids, this.labels);
        if (!result.ok) throw new IndexError(`${entry.file}: ${result.error}`);
      }
      if (source) {
        const budget = source.raw.setCacheBudget(Math.round(this.listBudgetMB * 2 ** 20));
        if (!budget.ok) throw new IndexError(`${entry.file}: ${budget.error}`);
      }
    } catch (error) {
      searchable.delete();
      throw error;
    }
    return { entry, index: searchable };
  }

  private check(entry: BundleEntry, info: SearchIndexInfo, bundle: SearchIndex | undefined): void {
    const problems: string[] = [];
    if (info.featureSpec !== entry.feature)
      problems.push(`its feature is ${info.featureSpec}, the collection says ${entry.feature}`);
    if (info.metric !== entry.metric)
      problems.push(`its metric is ${info.metric}, the collection says ${entry.metric}`);
    if (info.dim !== entry.dim) problems.push(`its dimension is ${info.dim}, the collection says ${entry.dim}`);
    if (info.count !== entry.count) problems.push(`it holds ${info.count} items, the collection says ${entry.count}`);
    if (info.kind !== entry.kind) problems.push(`it is a ${info.kind} index, the collection says ${entry.kind}`);
    if (info.element !== entry.element)
      problems.push(`its elements are ${info.element}, the collection says ${entry.element}`);
    // A partitioned index's ids are in its lists, checked as each arrives (results
    // whose id has no item show without metadata).
    const ids = bundle ? bundle.ids() : ({ ok: true, value: new Uint32Array(0) } as const);
    if (!ids.ok) problems.push(ids.error);
    else {
      // Results are shown with the sidecar's metadata: every id must have an item.
      const unknown = ids.value.filter((id) => !this.known.has(id));
      if (unknown.length)
        problems.push(`${unknown.length} of its ids are not items of the collection (e.g. ${unknown[0]})`);
    }
    if (!isModelSpec(entry.feature)) {
      // The page must compute the query's feature exactly as the index was built.
      const feature = this.m.featureInfo(entry.feature);
      if (!feature.ok) problems.push(`this page cannot compute its feature: ${feature.error}`);
      else if (feature.value.version !== info.featureVersion)
        problems.push(
          `it was built with ${entry.feature} version ${info.featureVersion}, this page computes version ${feature.value.version}: rebuild the index`,
        );
      else if (feature.value.dim !== info.dim)
        problems.push(`the feature has dimension ${feature.value.dim}, the index ${info.dim}`);
    }
    if (problems.length) throw new IndexError(`the index ${entry.file} does not match: ${problems.join('; ')}`);
  }
}
