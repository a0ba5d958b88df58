// Loading progress (bytes per resource), the ready state, the per-query
// timing line, the collection facts, isolation and thread count.
import type {
  CollectionSummary,
  ProgressEvent,
  QueryDescription,
  RuntimeInfo,
  SearchIndexInfo,
  Timings,
} from '../shared/protocol';
import { byId, el, setText } from './dom';
import { formatBytes, formatMs } from './format';

export class StatusView {
  private readonly rows = new Map<string, { row: HTMLLIElement; bar: HTMLProgressElement; text: HTMLSpanElement }>();
  private runtime: RuntimeInfo | null = null;
  private collection: CollectionSummary | null = null;
  private index: SearchIndexInfo | null = null;
  /** The facts as last rendered ("term\tvalue" lines), so that a result for the same index leaves them alone. */
  private renderedFacts = '';

  progress(p: ProgressEvent): void {
    let row = this.rows.get(p.key);
    if (!row) {
      const bar = el('progress', { max: '1', 'aria-label': p.label });
      const text = el('span');
      const li = el('li', { 'data-resource': p.resource }, el('span', {}, p.label), bar, text);
      byId('progress-list').append(li);
      row = { row: li, bar, text };
      this.rows.set(p.key, row);
    }
    const total = p.total && p.total >= p.loaded ? p.total : null;
    if (total) {
      row.bar.max = total;
      row.bar.value = p.loaded;
    } else if (p.done) {
      row.bar.max = 1;
      row.bar.value = 1;
    } else {
      row.bar.removeAttribute('value'); // indeterminate
    }
    const amount = total ? `${formatBytes(p.loaded)} of ${formatBytes(total)}` : formatBytes(p.loaded);
    row.text.textContent = p.done ? `${formatBytes(p.loaded)}${p.fromCache ? ' (from cache)' : ''}` : amount;
    row.row.dataset['done'] = String(p.done);
  }

  state(state: 'loading' | 'ready' | 'failed', text: string): void {
    const element = byId('ready-state');
    element.dataset['state'] = state;
    element.textContent = text;
  }

  setRuntime(runtime: RuntimeInfo): void {
    this.runtime = runtime;
    this.renderFacts();
  }

  setCollection(collection: CollectionSummary): void {
    this.collection = collection;
    const note = byId('model-note');
    note.textContent = collection.modelNote ?? '';
    note.hidden = collection.modelNote === null;
    // Until a search reports its index, describe the default one from the collection.
    const choice = collection.features.find((f) => f.spec === collection.defaultFeature);
    this.index = choice
      ? {
          featureSpec: choice.spec,
          featureVersion: 0,
          metric: collection.defaultMetric,
          dim: choice.dim,
          count: collection.count,
          kind: choice.kind,
          element: choice.element,
          floatVectors: false,
          hnsw: null,
          partitioned: null,
        }
      : null;
    this.renderFacts();
  }

  setIndex(index: SearchIndexInfo): void {
    this.index = index;
    this.renderFacts();
  }

  /** The query's steps; a large photo's decode says the size it was decoded at (reduced for the feature). */
  timings(t: Timings, query: QueryDescription): void {
    const text = t.tokenize !== null;
    const decodedAt =
      query.reduction !== null && query.reduction > 1
        ? ` (at ${query.decodedWidth}×${query.decodedHeight} of ${query.width}×${query.height})`
        : '';
    const parts = [
      t.download !== null ? `download ${formatMs(t.download)}` : null,
      t.read !== null ? `read ${formatMs(t.read)}` : null,
      text ? `tokenize ${formatMs(t.tokenize)}` : `decode ${formatMs(t.decode)}${decodedAt}`,
      text ? null : `preprocess ${formatMs(t.preprocess)}`,
      `model ${formatMs(t.model)}`,
      `search ${formatMs(t.search)}`,
      t.items !== null ? `items ${formatMs(t.items)}` : null,
      `total ${formatMs(t.total)}`,
    ].filter(Boolean);
    setText(byId('timing'), parts.join(' · '));
  }

  notes(notes: string[]): void {
    setText(byId('notes'), notes.join(' · '));
  }

  private renderFacts(): void {
    const rows: [string, string][] = [];
    const add = (term: string, value: string) => rows.push([term, value]);
    if (this.collection) {
      add(
        'Collection',
        `${this.collection.title} — ${this.collection.count.toLocaleString('en')} items, ${this.collection.labels.length} labels`,
      );
    }
    if (this.index) {
      const i = this.index;
      const kind =
        i.kind === 'flat'
          ? 'flat (exact)'
          : i.kind === 'partitioned'
            ? `partitioned${i.partitioned ? ` (${i.partitioned.nprobe} of ${i.partitioned.lists} lists per query)` : ''}`
            : `HNSW${i.hnsw ? ` (M ${i.hnsw.m}, ef ${i.hnsw.efSearch})` : ''}`;
      const element = i.element === 'int8' && i.floatVectors ? 'int8 + float32 re-ranking' : i.element;
      add(
        'Index',
        `${i.featureSpec} · ${i.metric} · dimension ${i.dim} · ${kind} · ${element} · ${i.count.toLocaleString('en')} vectors`,
      );
    }
    if (this.runtime) {
      const r = this.runtime;
      add(
        'Engine',
        `lookalike ${r.wasmVersion} (WebAssembly, ${r.kernels}; reads index bundles version ${r.bundleVersion})`,
      );
      add(
        'Cross-origin isolated',
        self.crossOriginIsolated ? 'yes' : 'no (threads unavailable; GitHub Pages cannot enable them)',
      );
      const threads = `${r.ortThreads} thread${r.ortThreads === 1 ? '' : 's'}`;
      add(
        'ONNX Runtime',
        r.ortLoaded
          ? `${r.ortBackend} backend, ${threads}${r.ortBackendNote ? ` (${r.ortBackendNote})` : ''}`
          : `not loaded (would use ${threads})`,
      );
    }
    const facts = byId('facts');
    if (this.runtime) facts.dataset['ortBackend'] = this.runtime.ortBackend ?? '';
    const text = rows.map((row) => row.join('\t')).join('\n');
    if (text === this.renderedFacts) return;
    this.renderedFacts = text;
    facts.replaceChildren(...rows.flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]));
  }
}
