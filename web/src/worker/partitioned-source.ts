// A partitioned index (docs/FORMAT.md) as the page searches it: the header
// (centroids, where every list lives) downloaded when the index is first
// used, then for each query only the lists its search wants, each one
// Range request (several in flight), validated by the module (length,
// checksum, contents) and kept in the module within a memory budget; the
// Cache Storage keeps them for offline use. The search itself is the core's
// (PartitionedIndex / PartitionedQuery), as `lookalike query` runs it.
import type { BundleEntry } from '../shared/sidecar';
import type { SearchIndexInfo } from '../shared/protocol';
import { commonIndexView } from './index-view';
import { fetchRange } from './ranged-fetch';
import type { LookalikeModule, PartitionedIndex, PartitionedSearchOptions, Result, SearchHits } from './wasm-runtime';

/**
 * Lists asked for at once: a query's whole probe set by default. Over HTTP/2
 * (GitHub Pages and most hosts) they share one connection and arrive in one
 * round trip; over HTTP/1.1 (lookalike serve) the browser sends six at a
 * time and queues the rest, as this code did itself before.
 */
const LISTS_IN_FLIGHT = 64;
/** The list memory the page allows itself unless the site's URL asks for another (?list-budget=MB). */
export const DEFAULT_LIST_BUDGET_MB = 128;
/** Items whose list is remembered for "more like this" (the ids of recent results). */
const REMEMBERED_ITEMS = 10000;

export interface SearchStats {
  listsFetched: number;
  bytesFetched: number;
  listsScored: number;
}

export class PartitionedSource {
  /** The list of recently returned items, for "more like this". */
  private readonly listOf = new Map<number, number>();
  lastStats: SearchStats = { listsFetched: 0, bytesFetched: 0, listsScored: 0 };

  constructor(
    private readonly index: PartitionedIndex,
    private readonly entry: BundleEntry,
    /** Absolute URL of the header file; data files are named after it. */
    private readonly headerUrl: string,
    private readonly version: string,
  ) {}

  static open(m: LookalikeModule, headerBytes: Uint8Array, entry: BundleEntry, headerUrl: string, version: string) {
    const loaded = m.PartitionedIndex.load(headerBytes);
    return loaded.ok
      ? { ok: true as const, source: new PartitionedSource(loaded.value, entry, headerUrl, version) }
      : loaded;
  }

  get raw(): PartitionedIndex {
    return this.index;
  }

  view(): SearchIndexInfo {
    const info = this.index.info();
    return {
      ...commonIndexView(info),
      kind: 'partitioned',
      element: 'int8',
      floatVectors: false,
      hnsw: null,
      partitioned: { lists: info.lists, nprobe: info.defaultNprobe },
    };
  }

  async search(vector: Float32Array, options: PartitionedSearchOptions): Promise<Result<SearchHits>> {
    const started = this.index.startSearch(vector, options);
    if (!started.ok) return started;
    const query = started.value;
    const stats: SearchStats = { listsFetched: 0, bytesFetched: 0, listsScored: 0 };
    try {
      for (;;) {
        const advanced = query.advance();
        if (!advanced.ok) return advanced;
        if (advanced.value.length === 0 && query.done()) break;
        await this.fetchLists(Array.from(advanced.value), query, stats);
      }
      const hits = query.hits();
      if (!hits.ok) return hits;
      stats.listsScored = query.stats().listsScored;
      this.lastStats = stats;
      hits.value.ids.forEach((id, i) => this.remember(id, hits.value.lists[i]!));
      return { ok: true, value: { ids: hits.value.ids, scores: hits.value.scores } };
    } finally {
      query.delete();
    }
  }

  /** "More like this": the item's stored vector (through its list), the item left out. */
  async searchById(id: number, options: PartitionedSearchOptions): Promise<Result<SearchHits>> {
    const list = this.listOf.get(id);
    if (list === undefined)
      return { ok: false, kind: 'invalid-argument', error: `item ${id} was not among this index's recent results` };
    if (!this.index.hasList(list)) {
      const added = this.index.addList(list, await this.listBytes(list));
      if (!added.ok) return added;
    }
    const stored = this.index.storedVector(id, list);
    if (!stored.ok) return stored;
    return this.search(stored.value, { ...options, exclude: id });
  }

  delete(): void {
    this.index.delete();
  }

  private remember(id: number, list: number): void {
    this.listOf.delete(id);
    this.listOf.set(id, list);
    if (this.listOf.size > REMEMBERED_ITEMS) this.listOf.delete(this.listOf.keys().next().value!);
  }

  private dataFileUrl(file: number): string {
    const name = this.entry.file.replace(/\.lkp$/, '') + `.${String(file).padStart(4, '0')}.bin`;
    return new URL(`${name.split('/').pop()}?v=${this.version}`, this.headerUrl).href;
  }

  private async listBytes(list: number): Promise<Uint8Array> {
    const range = this.index.listRange(list);
    if (!range.ok) throw new Error(range.error);
    const { file, offset, bytes } = range.value;
    const name = this.dataFileUrl(file);
    return (await fetchRange(name, offset, bytes, `list ${list} of ${this.entry.file}`)).bytes;
  }

  /** Fetches the lists, a few at a time, adding each and letting the search score it at once. */
  private async fetchLists(lists: number[], query: { advance(): Result<Uint32Array> }, stats: SearchStats) {
    let next = 0;
    const worker = async () => {
      while (next < lists.length) {
        const list = lists[next++]!;
        const bytes = await this.listBytes(list);
        stats.listsFetched += 1;
        stats.bytesFetched += bytes.length;
        const added = this.index.addList(list, bytes);
        if (!added.ok) throw new Error(`list ${list} of ${this.entry.file}: ${added.error}`);
        const advanced = query.advance();
        if (!advanced.ok) throw new Error(advanced.error);
      }
    };
    await Promise.all(Array.from({ length: Math.min(LISTS_IN_FLIGHT, lists.length) }, worker));
  }
}
