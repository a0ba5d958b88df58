// The collection's items as the worker needs them: the records of the
// results it shows, and every item's label for the label filter. A small
// collection's document holds them all; a large one's are in pages
// (shared/item-pages.ts), fetched only for the results shown, kept in memory
// (a bounded number of pages) and in Cache Storage like every data file, and
// its label runs are fetched the first time a visitor filters by label.
import type { Sidecar, SidecarItem } from '../shared/sidecar';
import { itemPageFile, parseItemLabels, parseItemPage, type ItemLabels } from '../shared/item-pages';
import { bytesToText, evictCached, fetchBytes, type DownloadProgress } from './cached-fetch';

/** Pages kept in memory: 10 results touch at most 10; "more like this" and re-runs revisit them. */
const PAGES_KEPT = 256;
/** No page or label file may be larger (a damaged or hostile site): they are a few hundred kB at most. */
const MAX_FILE_BYTES = 256 * 2 ** 20;

export interface ItemCatalog {
  /** The items of `ids` that exist (fetching the pages they are on). */
  items(ids: Iterable<number>): Promise<Map<number, SidecarItem>>;
  /** Every item's id and label (fetching the label runs once). */
  labels(): Promise<ItemLabels>;
  /** True when labels() downloads nothing. */
  readonly labelsAtHand: boolean;
}

class InlineCatalog implements ItemCatalog {
  private readonly byId = new Map<number, SidecarItem>();
  private readonly all: ItemLabels;
  readonly labelsAtHand = true;

  constructor(items: SidecarItem[]) {
    for (const item of items) this.byId.set(item.id, item);
    const sorted = [...items].sort((a, b) => a.id - b.id);
    this.all = {
      ids: Uint32Array.from(sorted, (item) => item.id),
      labels: Int32Array.from(sorted, (item) => item.labelIndex),
    };
  }

  items(ids: Iterable<number>): Promise<Map<number, SidecarItem>> {
    const out = new Map<number, SidecarItem>();
    for (const id of ids) {
      const item = this.byId.get(id);
      if (item) out.set(id, item);
    }
    return Promise.resolve(out);
  }

  labels(): Promise<ItemLabels> {
    return Promise.resolve(this.all);
  }
}

class PagedCatalog implements ItemCatalog {
  private readonly pages = new Map<number, Promise<Map<number, SidecarItem>>>();
  private allLabels: Promise<ItemLabels> | null = null;
  readonly labelsAtHand = false;

  constructor(
    private readonly sidecar: Sidecar,
    /** Absolute URL of the collection document: its pages are relative to its folder (index/). */
    private readonly sidecarUrl: string,
    private readonly progress: (key: string, label: string, total: number | null) => DownloadProgress,
  ) {}

  async items(ids: Iterable<number>): Promise<Map<number, SidecarItem>> {
    const size = this.sidecar.itemPages!.size;
    const wanted = [...ids];
    const pages = [...new Set(wanted.map((id) => Math.floor(id / size)))].filter(
      (page) => page < this.sidecar.itemPages!.count,
    );
    const loaded = new Map(await Promise.all(pages.map(async (page) => [page, await this.page(page)] as const)));
    const out = new Map<number, SidecarItem>();
    for (const id of wanted) {
      const item = loaded.get(Math.floor(id / size))?.get(id);
      if (item) out.set(id, item);
    }
    return out;
  }

  labels(): Promise<ItemLabels> {
    if (!this.allLabels) {
      const file = this.sidecar.itemPages!.labels;
      this.allLabels = this.read(
        file,
        `the labels of ${this.sidecar.name}`,
        (text) => parseItemLabels(text, `index/${file}`, this.sidecar),
        true,
      );
      this.allLabels.catch(() => (this.allLabels = null));
    }
    return this.allLabels;
  }

  private page(page: number): Promise<Map<number, SidecarItem>> {
    let pending = this.pages.get(page);
    if (pending) {
      // Least recently used last out.
      this.pages.delete(page);
      this.pages.set(page, pending);
      return pending;
    }
    const file = itemPageFile(this.sidecar, page);
    pending = this.read(
      file,
      `the items of page ${page}`,
      (text) => {
        const items = parseItemPage(text, `index/${file}`, this.sidecar, page);
        return new Map(items.map((item) => [item.id, item]));
      },
      false,
    );
    pending.catch(() => this.pages.delete(page)); // a failure may pass (the network back)
    this.pages.set(page, pending);
    if (this.pages.size > PAGES_KEPT) this.pages.delete(this.pages.keys().next().value!);
    return pending;
  }

  /**
   * A file beside the document, cached under the collection's version; a
   * damaged copy is dropped. Pages (small, many) show no progress line.
   */
  private async read<T>(file: string, what: string, parse: (text: string) => T, showProgress: boolean): Promise<T> {
    const version = encodeURIComponent(this.sidecar.created ?? '');
    const url = new URL(`${file}?v=${version}`, this.sidecarUrl).href;
    const { bytes } = await fetchBytes(url, {
      what,
      policy: 'cache-first',
      maxBytes: MAX_FILE_BYTES,
      onProgress: showProgress ? this.progress(`collection:${file}`, what, null) : undefined,
    });
    try {
      return parse(bytesToText(bytes));
    } catch (error) {
      await evictCached(url);
      throw error;
    }
  }
}

export function itemCatalog(
  sidecar: Sidecar,
  sidecarUrl: string,
  progress: (key: string, label: string, total: number | null) => DownloadProgress,
): ItemCatalog {
  return sidecar.items ? new InlineCatalog(sidecar.items) : new PagedCatalog(sidecar, sidecarUrl, progress);
}
