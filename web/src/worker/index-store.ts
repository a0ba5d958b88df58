// The collection's searchable indexes, one per feature × metric, loaded on
// first use (the default one at start) and kept for the session.
//
// A bundle entry of format "lkx" is an index bundle read by
// SearchIndex.load — WAITS FOR core/index: until the bundle reader is part
// of the WASM build, such entries fail with the module's message. Entries of
// format "raw-f32" (tests, until `lookalike index` writes bundles) are rows
// of float32 in item order, searched exactly (SearchIndex.fromVectors).
import type { BundleEntry, Sidecar } from '../shared/sidecar';
import type { MetricName } from '../shared/protocol';
import { isModelSpec } from '../shared/feature-titles';
import { fetchBytes, type DownloadProgress } from './cached-fetch';
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

  constructor(
    private readonly m: LookalikeModule,
    private readonly sidecar: Sidecar,
    /** Absolute URL of the sidecar: bundle files are relative to its folder (index/). */
    private readonly sidecarUrl: string,
    private readonly progress: (key: string, label: string, total: number | null) => DownloadProgress,
  ) {
    this.ids = Uint32Array.from(sidecar.items, (item) => item.id);
    this.labels = Int32Array.from(sidecar.items, (item) => item.labelIndex);
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
      if (!entry) return Promise.reject(new IndexError(`this collection has no index for ${feature} with metric ${metric}`));
      pending = this.load(entry);
      // A failed download may succeed later (network back): do not keep the failure.
      pending.catch(() => this.loaded.delete(key));
      this.loaded.set(key, pending);
    }
    return pending;
  }

  dispose(): void {
    for (const pending of this.loaded.values()) pending.then(({ index }) => index.delete(), () => undefined);
    this.loaded.clear();
  }

  private async load(entry: BundleEntry): Promise<LoadedIndex> {
    const version = encodeURIComponent(`${this.sidecar.created ?? ''}-${entry.bytes ?? ''}`);
    const url = new URL(`${entry.file}?v=${version}`, this.sidecarUrl).href;
    const label = `index ${entry.file}`;
    const { bytes } = await fetchBytes(url, {
      what: `the index ${entry.file}`, policy: 'cache-first', expectedBytes: entry.bytes,
      onProgress: this.progress(`index:${entry.file}`, label, entry.bytes),
    });
    const index = entry.format === 'raw-f32' ? this.fromRawVectors(entry, bytes) : this.fromBundle(entry, bytes);
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

  private fromBundle(entry: BundleEntry, bytes: Uint8Array): SearchIndex {
    const result = this.m.SearchIndex.load(bytes);
    if (!result.ok) throw new IndexError(`the index ${entry.file} cannot be used: ${result.error}`);
    return result.value;
  }

  private fromRawVectors(entry: BundleEntry, bytes: Uint8Array): SearchIndex {
    const expected = entry.count * entry.dim * 4;
    if (entry.count !== this.ids.length)
      throw new IndexError(`${entry.file}: lists ${entry.count} vectors for ${this.ids.length} items`);
    if (bytes.length !== expected)
      throw new IndexError(`${entry.file} is ${bytes.length} bytes, expected ${expected} (${entry.count} × ${entry.dim} float32): truncated or corrupt`);
    // Little-endian float32, as every browser's typed arrays are.
    const vectors = new Float32Array(bytes.buffer, bytes.byteOffset, entry.count * entry.dim);
    const result = this.m.SearchIndex.fromVectors(
      { featureSpec: entry.feature, featureVersion: entry.featureVersion, metric: entry.metric, dim: entry.dim }, this.ids, vectors);
    if (!result.ok) throw new IndexError(`the vectors ${entry.file} cannot be used: ${result.error}`);
    return result.value;
  }

  private check(entry: BundleEntry, index: SearchIndex): void {
    const info = index.info();
    const problems: string[] = [];
    if (info.featureSpec !== entry.feature) problems.push(`its feature is ${info.featureSpec}, the collection says ${entry.feature}`);
    if (info.metric !== entry.metric) problems.push(`its metric is ${info.metric}, the collection says ${entry.metric}`);
    if (info.dim !== entry.dim) problems.push(`its dimension is ${info.dim}, the collection says ${entry.dim}`);
    if (info.count !== entry.count) problems.push(`it holds ${info.count} items, the collection says ${entry.count}`);
    if (!isModelSpec(entry.feature)) {
      // The page must compute the query's feature exactly as the index was built.
      const feature = this.m.featureInfo(entry.feature);
      if (!feature.ok) problems.push(`this page cannot compute its feature: ${feature.error}`);
      else if (feature.value.version !== info.featureVersion)
        problems.push(`it was built with ${entry.feature} version ${info.featureVersion}, this page computes version ${feature.value.version}: rebuild the index`);
      else if (feature.value.dim !== info.dim) problems.push(`the feature has dimension ${feature.value.dim}, the index ${info.dim}`);
    }
    if (problems.length) throw new IndexError(`the index ${entry.file} does not match: ${problems.join('; ')}`);
  }
}
