// The collection's searchable indexes, one index bundle (.lkx, flat or HNSW)
// per feature × metric, downloaded on first use (the default one at start),
// read by the WASM module's SearchIndex.load (which validates every byte) and
// kept for the session. A bundle that disagrees with its sidecar entry, holds
// items the sidecar lacks, or was built with another version of its feature
// is refused with the reason.
import type { BundleEntry, Sidecar } from '../shared/sidecar';
import type { MetricName } from '../shared/protocol';
import { isModelSpec } from '../shared/feature-titles';
import { evictCached, fetchBytes, type DownloadProgress } from './cached-fetch';
import type { LookalikeModule, SearchIndex } from './wasm-runtime';

export class IndexError extends Error {}

export interface LoadedIndex {
  entry: BundleEntry;
  index: SearchIndex;
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
    const label = `index ${entry.file}`;
    const download = () =>
      fetchBytes(url, {
        what: `the index ${entry.file}`,
        policy: 'cache-first',
        expectedBytes: entry.bytes,
        onProgress: this.progress(`index:${entry.file}`, label, entry.bytes),
      });
    const first = await download();
    let loaded = this.m.SearchIndex.load(first.bytes);
    if (!loaded.ok) {
      // An unusable bundle is never kept; one that came from the cache (a
      // damaged copy) is downloaded again before giving up.
      await evictCached(url);
      if (first.fromCache) {
        loaded = this.m.SearchIndex.load((await download()).bytes);
        if (!loaded.ok) await evictCached(url);
      }
    }
    if (!loaded.ok) throw new IndexError(`the index ${entry.file} cannot be used: ${loaded.error}`);
    const index = loaded.value;
    try {
      this.check(entry, index);
      if (this.sidecar.labels.length > 0) {
        const result = index.setLabels(this.ids, this.labels);
        if (!result.ok) throw new IndexError(`${entry.file}: ${result.error}`);
      }
    } catch (error) {
      index.delete();
      throw error;
    }
    return { entry, index };
  }

  private check(entry: BundleEntry, index: SearchIndex): void {
    const info = index.info();
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
    const ids = index.ids();
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
