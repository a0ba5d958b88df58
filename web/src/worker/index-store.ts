// The collection's searchable indexes, one per feature × metric: an index
// bundle (.lkx, flat or HNSW) downloaded whole and read by the WASM module's
// SearchIndex.load (which validates every byte), or a partitioned index
// (.lkp header, lists fetched per query: partitioned-source.ts). Each is
// loaded on first use (the default one at start) and kept for the session.
// An index that disagrees with its sidecar entry, holds items the collection
// lacks, or was built with another version of its feature is refused with
// the reason. An index of a feature the page cannot compute (vectors made
// elsewhere) answers vector queries and "more like this"; image queries
// say why they cannot (collection-session.ts).
import type { BundleEntry, Sidecar } from '../shared/sidecar';
import type { MetricName, SearchIndexInfo } from '../shared/protocol';
import { isModelSpec } from '../shared/feature-titles';
import { evictCached, fetchBytes, type DownloadProgress } from './cached-fetch';
import type { ItemCatalog } from './item-catalog';
import { commonIndexView } from './index-view';
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
  /** The module's index that takes every item's label. */
  labelTarget(): { setLabels(ids: Uint32Array, labels: Int32Array): Result<null> };
  delete(): void;
}

function bundleSearchable(index: SearchIndex): Searchable {
  return {
    view: () => {
      const info = index.info();
      return {
        ...commonIndexView(info),
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
    labelTarget: () => index,
    delete: () => index.delete(),
  };
}

function partitionedSearchable(source: PartitionedSource): Searchable {
  return {
    view: () => source.view(),
    search: (vector, options) => source.search(vector, options),
    searchById: (id, options) => source.searchById(id, options),
    lastFetch: () => source.lastStats,
    labelTarget: () => source.raw,
    delete: () => source.delete(),
  };
}

export interface LoadedIndex {
  entry: BundleEntry;
  index: Searchable;
  /** Set once the module knows every item's label (for the label filter). */
  labelled: Promise<void> | null;
}

type ProgressFactory = (key: string, label: string, total: number | null) => DownloadProgress;

/** The sidecar's entry for a feature × metric, if it has one. */
function bundleEntry(sidecar: Sidecar, feature: string, metric: MetricName): BundleEntry | undefined {
  return sidecar.bundles.find((b) => b.feature === feature && b.metric === metric);
}

/** Where an index file is, with the version that keeps cached copies current. */
function indexLocation(sidecar: Sidecar, sidecarUrl: string, entry: BundleEntry): { url: string; version: string } {
  const version = encodeURIComponent(`${sidecar.created ?? ''}-${entry.bytes ?? ''}`);
  return { url: new URL(`${entry.file}?v=${version}`, sidecarUrl).href, version };
}

/** An index bundle, or a partitioned index's header (its lists come per query). */
function downloadIndex(sidecar: Sidecar, sidecarUrl: string, entry: BundleEntry, progress: ProgressFactory) {
  const partitioned = entry.kind === 'partitioned';
  return fetchBytes(indexLocation(sidecar, sidecarUrl, entry).url, {
    what: `the index ${entry.file}`,
    policy: 'cache-first',
    // A partitioned index's `bytes` counts its data files too; only the header comes now.
    expectedBytes: partitioned ? null : entry.bytes,
    onProgress: progress(`index:${entry.file}`, `index ${entry.file}`, partitioned ? null : entry.bytes),
  });
}

export class IndexStore {
  private readonly loaded = new Map<string, Promise<LoadedIndex>>();

  constructor(
    private readonly m: LookalikeModule,
    private readonly sidecar: Sidecar,
    /** Absolute URL of the sidecar: bundle files are relative to its folder (index/). */
    private readonly sidecarUrl: string,
    private readonly progress: ProgressFactory,
    private readonly catalog: ItemCatalog,
    /** The list memory a partitioned index may hold in the module. */
    private readonly listBudgetMB: number = DEFAULT_LIST_BUDGET_MB,
  ) {}

  entry(feature: string, metric: MetricName): BundleEntry | undefined {
    return bundleEntry(this.sidecar, feature, metric);
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

  /**
   * The index for feature × metric with every item's label set in the module:
   * a large collection's labels are fetched on the first label filter.
   */
  async withLabels(feature: string, metric: MetricName): Promise<LoadedIndex> {
    const loaded = await this.get(feature, metric);
    if (!loaded.labelled) {
      loaded.labelled = this.catalog.labels().then(({ ids, labels }) => {
        const raw = loaded.index.labelTarget();
        const result = raw.setLabels(ids, labels);
        if (!result.ok) throw new IndexError(`${loaded.entry.file}: ${result.error}`);
      });
      loaded.labelled.catch(() => (loaded.labelled = null));
    }
    await loaded.labelled;
    return loaded;
  }

  dispose(): void {
    for (const pending of this.loaded.values())
      pending.then(
        ({ index }) => index.delete(),
        () => undefined,
      );
    this.loaded.clear();
  }

  /**
   * Starts downloading the index the collection opens with (its first
   * recorded default) while the WebAssembly module is still loading; the
   * store's own download of it then shares this one.
   */
  static prefetchDefault(sidecar: Sidecar, sidecarUrl: string, progress: ProgressFactory): void {
    const first = sidecar.defaults[0];
    const entry = first && bundleEntry(sidecar, first.feature, first.metric);
    if (entry) downloadIndex(sidecar, sidecarUrl, entry, progress).catch(() => undefined); // reported when used
  }

  private async load(entry: BundleEntry): Promise<LoadedIndex> {
    const { url, version } = indexLocation(this.sidecar, this.sidecarUrl, entry);
    const partitioned = entry.kind === 'partitioned';
    const download = () => downloadIndex(this.sidecar, this.sidecarUrl, entry, this.progress);
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
    const result: LoadedIndex = { entry, index: searchable, labelled: null };
    try {
      const problems = this.check(entry, searchable.view());
      // Results are shown with the collection's items: every id must be one
      // (a partitioned index's ids are in its lists, each checked as it arrives).
      if (bundle) problems.push(...(await this.unknownIds(bundle)));
      if (problems.length) throw new IndexError(`the index ${entry.file} does not match: ${problems.join('; ')}`);
      if (source) {
        const budget = source.raw.setCacheBudget(Math.round(this.listBudgetMB * 2 ** 20));
        if (!budget.ok) throw new IndexError(`${entry.file}: ${budget.error}`);
      }
      // Labels at hand are set now; a large collection's when first filtered by.
      if (this.catalog.labelsAtHand && this.sidecar.labels.length > 0) {
        const { ids, labels } = await this.catalog.labels();
        const set = searchable.labelTarget().setLabels(ids, labels);
        if (!set.ok) throw new IndexError(`${entry.file}: ${set.error}`);
        result.labelled = Promise.resolve();
      }
    } catch (error) {
      searchable.delete();
      throw error;
    }
    return result;
  }

  /** Ids of the bundle that are not items of the collection (a large collection's label runs list its ids). */
  private async unknownIds(bundle: SearchIndex): Promise<string[]> {
    const ids = bundle.ids();
    if (!ids.ok) return [ids.error];
    const known = (await this.catalog.labels()).ids; // ascending
    const has = (id: number) => {
      let lo = 0;
      let hi = known.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (known[mid]! < id) lo = mid + 1;
        else hi = mid;
      }
      return lo < known.length && known[lo] === id;
    };
    const unknown = ids.value.filter((id) => !has(id));
    return unknown.length ? [`${unknown.length} of its ids are not items of the collection (e.g. ${unknown[0]})`] : [];
  }

  private check(entry: BundleEntry, info: SearchIndexInfo): string[] {
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
    // The page must compute the query's feature exactly as the index was built
    // (a feature it cannot compute at all is searched by vector and item only).
    const feature = isModelSpec(entry.feature) ? null : this.m.featureInfo(entry.feature);
    if (feature?.ok) {
      if (feature.value.version !== info.featureVersion)
        problems.push(
          `it was built with ${entry.feature} version ${info.featureVersion}, this page computes version ${feature.value.version}: rebuild the index`,
        );
      else if (feature.value.dim !== info.dim)
        problems.push(`the feature has dimension ${feature.value.dim}, the index ${info.dim}`);
    }
    return problems;
  }
}
