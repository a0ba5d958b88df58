// One open collection: its sidecar, its indexes, its model cards, and the
// summary the page's controls are built from.
import type { CollectionsIndex, Sidecar, SidecarItem } from '../shared/sidecar';
import type {
  BackendPreference,
  CollectionSummary,
  FeatureChoice,
  ItemView,
  SampleView,
  TextSearchInfo,
} from '../shared/protocol';
import { METRIC_PREFERENCE } from '../shared/core-schema';
import { featureTitle, isModelSpec } from '../shared/feature-titles';
import { fetchBytes, bytesToText, type DownloadProgress } from './cached-fetch';
import { IndexStore } from './index-store';
import { itemCatalog, type ItemCatalog } from './item-catalog';
import { ModelRunner } from './model-runner';
import { TextModelRunner } from './text-model-runner';
import type { DecodeNeed, LookalikeModule } from './wasm-runtime';
import type { ModelCardInfo, TextModelCardInfo } from '@lookalike-wasm/lookalike_wasm.mjs';

export type ProgressFactory = (key: string, label: string, total: number | null) => DownloadProgress;

interface ModelCardRef {
  url: string;
  card: ModelCardInfo | null;
  problem: string | null;
}

/** A text tower the collection lists for a model card (its `text_card`). */
interface TextCardRef {
  url: string;
  json: string;
  card: TextModelCardInfo | null;
  /** The feature it answers text for: its image card's. */
  feature: string | null;
  problem: string | null;
}

const MAX_DEFAULT_SAMPLES = 8;

export class CollectionSession {
  readonly store: IndexStore;
  readonly catalog: ItemCatalog;
  private readonly models = new Map<string, Promise<ModelRunner>>();
  private cards: ModelCardRef[] = [];
  private textCards: TextCardRef[] = [];
  private textRunner: Promise<TextModelRunner> | null = null;
  private readonly failures = new Map<string, string>();
  private samples: { title: string; path: string }[] = [];

  constructor(
    readonly m: LookalikeModule,
    readonly siteUrl: string,
    readonly index: CollectionsIndex,
    readonly sidecar: Sidecar,
    sidecarUrl: string,
    private readonly progress: ProgressFactory,
    private readonly backend: BackendPreference = 'auto',
    listBudgetMB?: number,
  ) {
    this.catalog = itemCatalog(sidecar, sidecarUrl, progress);
    this.store = new IndexStore(m, sidecar, sidecarUrl, progress, this.catalog, listBudgetMB);
    this.samples = sidecar.samples.length
      ? sidecar.samples.map((s) => ({ title: s.title, path: s.file }))
      : this.defaultSamples();
  }

  /** Fetches the model cards the collection lists (small JSON files), keeping going when one fails. */
  async readModelCards(): Promise<void> {
    this.cards = await Promise.all(
      this.sidecar.modelCards.map(async (path): Promise<ModelCardRef> => {
        const url = new URL(path, this.siteUrl).href;
        try {
          const { bytes } = await fetchBytes(url, { what: `the model card ${path}`, policy: 'network-first' });
          const parsed = this.m.parseModelCard(bytesToText(bytes));
          return parsed.ok
            ? { url, card: parsed.value, problem: null }
            : { url, card: null, problem: `${path}: ${parsed.error}` };
        } catch (error) {
          return { url, card: null, problem: (error as Error).message };
        }
      }),
    );
  }

  /** Fetches the text towers' cards the collection lists (after readModelCards). */
  async readTextCards(): Promise<void> {
    this.textCards = await Promise.all(
      [...this.sidecar.textCards].map(async ([imagePath, path]): Promise<TextCardRef> => {
        const url = new URL(path, this.siteUrl).href;
        const image = this.cards[this.sidecar.modelCards.indexOf(imagePath)]?.card ?? null;
        const ref: TextCardRef = { url, json: '', card: null, feature: image?.featureSpec ?? null, problem: null };
        try {
          ref.json = bytesToText(
            (await fetchBytes(url, { what: `the text model card ${path}`, policy: 'network-first' })).bytes,
          );
        } catch (error) {
          return { ...ref, problem: (error as Error).message };
        }
        const parsed = this.m.parseTextModelCard(ref.json);
        if (!parsed.ok) return { ...ref, problem: `${path}: ${parsed.error}` };
        if (image && parsed.value.featureSpec !== image.featureSpec)
          return { ...ref, problem: `${path} pairs with ${parsed.value.pairsWith}, not with ${image.name}` };
        return { ...ref, card: parsed.value };
      }),
    );
  }

  /** The text tower text queries use: the first, in the order of the collection's defaults, of a usable model. */
  private textCardRef(): TextCardRef | null {
    const order = [...this.sidecar.defaults.map((d) => d.feature), ...this.sidecar.bundles.map((b) => b.feature)];
    for (const feature of order) {
      const ref = this.textCards.find((t) => t.feature === feature);
      if (ref) return ref;
    }
    return this.textCards[0] ?? null;
  }

  textSearch(): TextSearchInfo | null {
    const ref = this.textCardRef();
    if (!ref) return null;
    const problem =
      ref.problem ?? (ref.feature ? this.featureProblem(ref.feature) : 'its model is not in this collection');
    return {
      feature: ref.feature ?? '',
      model: ref.card?.name ?? '',
      downloadBytes: (ref.card?.bytes ?? 0) + (ref.card?.tokenizerBytes ?? 0),
      unavailable: problem,
    };
  }

  /** The text tower, loading its vocabulary, ONNX Runtime and the model on first use. */
  textModel(): Promise<TextModelRunner> {
    if (!this.textRunner) {
      const ref = this.textCardRef();
      const problem = this.textSearch()?.unavailable;
      if (!ref?.card || problem)
        return Promise.reject(new Error(problem ?? 'this collection has no text tower: it takes images only'));
      this.textRunner = TextModelRunner.load(this.m, ref.url, ref.json, ref.card, this.progress);
      this.textRunner.catch(() => (this.textRunner = null));
    }
    return this.textRunner;
  }

  /** The records of the items `ids` (a large collection fetches the pages they are on). */
  items(ids: Iterable<number>): Promise<Map<number, SidecarItem>> {
    return this.catalog.items(ids);
  }

  async item(id: number): Promise<ItemView | null> {
    return (await this.catalog.items([id])).get(id) ?? null;
  }

  sample(index: number): { title: string; url: string } | undefined {
    const s = this.samples[index];
    return s && { title: s.title, url: new URL(s.path, this.siteUrl).href };
  }

  labelIndex(label: string | null): number {
    if (label === null) return -1;
    const i = this.sidecar.labels.indexOf(label);
    if (i < 0) throw new Error(`this collection has no label "${label}"`);
    return i;
  }

  modelCardFor(spec: string): ModelCardRef | undefined {
    return this.cards.find((c) => c.card?.featureSpec === spec);
  }

  /** What a feature needs of the query image: the query is decoded with it, as the CLI decodes it for that feature. */
  decodeNeed(spec: string): DecodeNeed {
    if (isModelSpec(spec)) {
      const card = this.modelCardFor(spec)?.card;
      if (!card) throw new Error(this.featureProblem(spec) ?? `no model card for ${spec}`);
      return card.decodeNeed;
    }
    const info = this.m.featureInfo(spec);
    if (!info.ok) throw new Error(this.imageQueryProblem(spec) ?? info.error);
    return info.value.decodeNeed;
  }

  /**
   * Why images cannot be searched with a feature that is otherwise usable:
   * vectors made elsewhere (precomputed embeddings of a feature this page
   * does not compute), which answer vector queries and "more like this".
   */
  imageQueryProblem(spec: string): string | null {
    if (isModelSpec(spec)) return null;
    const info = this.m.featureInfo(spec);
    return info.ok
      ? null
      : `this page cannot compute ${spec} for an image (${info.error}); it searches it by vector and by item ` +
          '("more like this") only';
  }

  /** The model runner for a model feature, loading ONNX Runtime and the model on first use. */
  model(spec: string): Promise<ModelRunner> {
    let runner = this.models.get(spec);
    if (!runner) {
      const ref = this.modelCardFor(spec);
      if (!ref) return Promise.reject(new Error(this.featureProblem(spec) ?? `no model card for ${spec}`));
      runner = ModelRunner.load(this.m, ref.url, this.progress, this.backend);
      runner.catch(() => this.models.delete(spec));
      this.models.set(spec, runner);
    }
    return runner;
  }

  loadedModel(): Promise<ModelRunner> | null {
    return this.models.values().next().value ?? null;
  }

  /** A feature that failed to load (e.g. its model) is offered as unavailable, with the reason. */
  markUnavailable(spec: string, reason: string): void {
    this.failures.set(spec, reason);
  }

  featureProblem(spec: string): string | null {
    const failure = this.failures.get(spec);
    if (failure) return failure;
    if (!isModelSpec(spec)) return null; // computed here, or searched by vector and item only
    if (this.modelCardFor(spec)) return null;
    const problems = this.cards.filter((c) => c.problem).map((c) => c.problem);
    return (
      `the model card for ${spec.slice('model:'.length)} is not in this collection` +
      (problems.length ? ` (${problems.join('; ')})` : '')
    );
  }

  summary(): CollectionSummary {
    const byFeature = new Map<string, FeatureChoice>();
    for (const b of this.sidecar.bundles) {
      let choice = byFeature.get(b.feature);
      if (!choice) {
        choice = {
          spec: b.feature,
          title: featureTitle(b.feature),
          metrics: [],
          dim: b.dim,
          kind: b.kind,
          element: b.element,
          isModel: isModelSpec(b.feature),
          unavailable: this.featureProblem(b.feature),
          imageQueries: this.imageQueryProblem(b.feature),
        };
        byFeature.set(b.feature, choice);
      }
      choice.metrics.push(b.metric);
    }
    for (const choice of byFeature.values())
      choice.metrics.sort((a, b) => METRIC_PREFERENCE.indexOf(a) - METRIC_PREFERENCE.indexOf(b));
    const features = [...byFeature.values()];
    // The collection's first default that can be used here (a model that
    // cannot load is passed over); lookalike index recorded them, best first.
    const usable = this.sidecar.defaults.find((d) => byFeature.get(d.feature)?.unavailable === null);
    const fallback = features[0];
    const defaultFeature = usable?.feature ?? fallback?.spec ?? '';
    const defaultMetric = usable?.metric ?? fallback?.metrics[0] ?? 'cosine';
    const hasModel = features.some((f) => f.isModel && !f.unavailable);
    return {
      name: this.sidecar.name,
      title: this.sidecar.title,
      count: this.sidecar.itemCount,
      created: this.sidecar.created,
      licenceNote: this.sidecar.licenceNote,
      labels: this.sidecar.labels,
      features,
      defaultFeature,
      defaultMetric,
      samples: this.samples.map((s, index): SampleView => ({ index, title: s.title, image: s.path })),
      collections: this.index.collections.map((c) => ({ name: c.name, title: c.title })),
      textSearch: this.textSearch(),
      modelNote: hasModel
        ? null
        : features.some((f) => f.isModel)
          ? `The model of this collection cannot be used: ${features.find((f) => f.isModel)?.unavailable}`
          : 'No learned model in this collection: the page searches with traditional features only. ' +
            'To add one, index the collection with a model card as well (lookalike index --feature model:<card>) ' +
            'and publish the card and its ONNX file with the site; see the README.',
    };
  }

  dispose(): void {
    this.store.dispose();
    void this.textRunner?.then(
      (runner) => runner.release(),
      () => undefined,
    );
  }

  private defaultSamples(): { title: string; path: string }[] {
    // The first item of each label (up to 8), else the first items; a large
    // collection's items are not at hand (lookalike index records samples).
    const seen = new Set<string | null>();
    const picked: SidecarItem[] = [];
    for (const item of this.sidecar.items ?? []) {
      if (!item.thumbnail || seen.has(item.label)) continue;
      seen.add(item.label);
      picked.push(item);
      if (picked.length === MAX_DEFAULT_SAMPLES) break;
    }
    return picked.map((item) => ({
      title: item.source.title ?? item.label ?? `item ${item.id}`,
      path: item.thumbnail!,
    }));
  }
}
