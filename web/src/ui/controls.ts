// The switches: feature, metric, k, label (and the collection when the site
// has several). Changing one re-runs the current query at once.
import { METRIC_TITLES, type CollectionSummary, type MetricName, type SearchSettings } from '../shared/protocol';
import { byId, clear, el } from './dom';

export class Controls {
  private readonly feature = byId<HTMLSelectElement>('feature-select');
  private readonly metric = byId<HTMLSelectElement>('metric-select');
  private readonly k = byId<HTMLSelectElement>('k-select');
  private readonly label = byId<HTMLSelectElement>('label-select');
  private readonly collection = byId<HTMLSelectElement>('collection-select');
  private summary: CollectionSummary | null = null;

  constructor(onChange: () => void, onCollection: (name: string) => void) {
    this.feature.addEventListener('change', () => {
      this.fillMetrics();
      onChange();
    });
    for (const select of [this.metric, this.k, this.label]) select.addEventListener('change', onChange);
    this.collection.addEventListener('change', () => onCollection(this.collection.value));
  }

  show(summary: CollectionSummary): void {
    this.summary = summary;
    clear(this.feature);
    for (const f of summary.features) {
      const note = f.unavailable ? ' (unavailable)' : f.imageQueries ? ' (search by item only)' : '';
      const option = el('option', { value: f.spec }, f.title + note);
      option.disabled = f.unavailable !== null;
      if (f.unavailable ?? f.imageQueries) option.title = (f.unavailable ?? f.imageQueries)!;
      this.feature.append(option);
    }
    this.feature.value = summary.defaultFeature;
    this.feature.disabled = summary.features.length === 0;
    this.fillMetrics(summary.defaultMetric);

    clear(this.label);
    this.label.append(el('option', { value: '' }, 'All labels'));
    summary.labels.forEach((label, i) => this.label.append(el('option', { value: String(i) }, label)));
    this.label.disabled = summary.labels.length === 0;

    clear(this.collection);
    for (const c of summary.collections) this.collection.append(el('option', { value: c.name }, c.title));
    this.collection.value = summary.name;
    byId('collection-control').hidden = summary.collections.length < 2;
  }

  /** Switches to a feature (keeping the metric when it has it), as a text query needs its model's. */
  selectFeature(spec: string): void {
    if (this.feature.value === spec) return;
    const option = Array.from(this.feature.options).find((o) => o.value === spec && !o.disabled);
    if (!option) return;
    this.feature.value = spec;
    this.fillMetrics();
  }

  settings(): SearchSettings | null {
    if (!this.summary || !this.feature.value) return null;
    const labelIndex = this.label.value === '' ? -1 : Number(this.label.value);
    return {
      feature: this.feature.value,
      metric: this.metric.value as MetricName,
      k: Number(this.k.value),
      label: labelIndex >= 0 ? (this.summary.labels[labelIndex] ?? null) : null,
    };
  }

  private fillMetrics(preferred?: MetricName): void {
    const choice = this.summary?.features.find((f) => f.spec === this.feature.value);
    const previous = preferred ?? (this.metric.value as MetricName);
    clear(this.metric);
    for (const metric of choice?.metrics ?? [])
      this.metric.append(el('option', { value: metric }, METRIC_TITLES[metric]));
    if (choice?.metrics.includes(previous)) this.metric.value = previous;
    this.metric.disabled = !choice || choice.metrics.length === 0;
  }
}
