// One open collection: its sidecar, its indexes, its model cards, and the
// summary the page's controls are built from.
import type { CollectionsIndex, Sidecar, SidecarItem } from '../shared/sidecar';
import type { BackendPreference, CollectionSummary, FeatureChoice, ItemView, SampleView } from '../shared/protocol';
import { METRIC_PREFERENCE } from '../shared/core-schema';
import { featureTitle, isModelSpec } from '../shared/feature-titles';
import { fetchBytes, bytesToText, type DownloadProgress } from './cached-fetch';
import { IndexStore } from './index-store';
import { ModelRunner } from './model-runner';
import type { LookalikeModule } from './wasm-runtime';
import type { ModelCardInfo } from '@lookalike-wasm/lookalike_wasm.mjs';

export type ProgressFactory = (key: string, label: string, total: number | null) => DownloadProgress;

interface ModelCardRef {
  url: string;
  card: ModelCardInfo | null;
  problem: string | null;
}

const MAX_DEFAULT_SAMPLES = 8;

export class CollectionSession {
  readonly store: IndexStore;
  private readonly itemsById = new Map<number, SidecarItem>();
  private readonly models = new Map<string, Promise<ModelRunner>>();
  private cards: ModelCardRef[] = [];
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
  ) {
    this.store = new IndexStore(m, sidecar, sidecarUrl, progress);
    for (const item of sidecar.items) this.itemsById.set(item.id, item);
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

  item(id: number): SidecarItem | undefined {
    return this.itemsById.get(id);
  }

  itemView(id: number): ItemView | null {
    return this.itemsById.get(id) ?? null;
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
    if (!isModelSpec(spec)) {
      const info = this.m.featureInfo(spec);
      return info.ok ? null : `this page cannot compute ${spec}: ${info.error}`;
    }
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
      count: this.sidecar.items.length,
      created: this.sidecar.created,
      licenceNote: this.sidecar.licenceNote,
      labels: this.sidecar.labels,
      features,
      defaultFeature,
      defaultMetric,
      samples: this.samples.map((s, index): SampleView => ({ index, title: s.title, image: s.path })),
      collections: this.index.collections.map((c) => ({ name: c.name, title: c.title })),
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
  }

  private defaultSamples(): { title: string; path: string }[] {
    // The first item of each label (up to 8), else the first items.
    const seen = new Set<string | null>();
    const picked: SidecarItem[] = [];
    for (const item of this.sidecar.items) {
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
