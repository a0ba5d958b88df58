// Reading the site's collection files (written by `lookalike index`):
//   index/collections.json  {"schema":1,"default":"<name>","collections":[{"name","title","file"}]}
//   index/<name>.json       the collection: items, labels, bundles, models (the sidecar)
// Everything is validated with messages that name the file and the field.
// Strings are kept as untrusted text; URLs are checked (safe-url.ts).
import { httpUrlOrNull, sitePathOrNull } from './safe-url';
import type { MetricName } from './protocol';

export interface CollectionRef {
  name: string;
  title: string;
  /** Path relative to index/. */
  file: string;
}

export interface CollectionsIndex {
  defaultName: string;
  collections: CollectionRef[];
}

export interface SidecarItem {
  id: number;
  label: string | null;
  /** Position of the label in Sidecar.labels, −1 when none. */
  labelIndex: number;
  thumbnail: string | null;
  width: number | null;
  height: number | null;
  title: string | null;
  owner: string | null;
  licence: string | null;
  licenceUrl: string | null;
  page: string | null;
}

export type IndexKind = 'flat' | 'hnsw' | 'partitioned';
export type ElementType = 'float32' | 'int8';

/**
 * One searchable index: an index bundle (docs/FORMAT.md) for one feature ×
 * metric. The bundle itself records the same facts; the page checks that
 * they agree (worker/index-store.ts).
 */
export interface BundleEntry {
  feature: string;
  slug: string;
  metric: MetricName;
  /** Relative to index/. */
  file: string;
  kind: IndexKind;
  element: ElementType;
  dim: number;
  count: number;
  /** File size for download progress; null when the sidecar says 0 (unknown). */
  bytes: number | null;
  /** Partitioned: its data files beside `file` (<stem>.0000.bin …); 0 for the other kinds. */
  dataFiles: number;
}

export interface SampleEntry {
  file: string;
  title: string;
}

export interface Sidecar {
  name: string;
  title: string;
  created: string | null;
  licenceNote: string | null;
  labels: string[];
  items: SidecarItem[];
  bundles: BundleEntry[];
  /** Model card paths relative to the site. */
  modelCards: string[];
  samples: SampleEntry[];
}

export class SidecarError extends Error {}

type Json = unknown;
type JsonObject = Record<string, Json>;

const METRICS: readonly MetricName[] = ['l1', 'l2', 'cosine', 'correlation'];
const KINDS: readonly IndexKind[] = ['flat', 'hnsw', 'partitioned'];
const ELEMENTS: readonly ElementType[] = ['float32', 'int8'];

function isObject(value: Json): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Reader {
  constructor(private readonly file: string) {}

  fail(field: string, expectation: string): never {
    throw new SidecarError(`${this.file}: ${field} ${expectation}`);
  }

  object(value: Json, field: string): JsonObject {
    if (!isObject(value)) this.fail(field, 'must be an object');
    return value;
  }

  array(value: Json, field: string): Json[] {
    if (!Array.isArray(value)) this.fail(field, 'must be an array');
    return value;
  }

  string(value: Json, field: string): string {
    if (typeof value !== 'string') this.fail(field, 'must be a string');
    return value;
  }

  optionalString(value: Json, field: string): string | null {
    if (value === undefined || value === null) return null;
    return this.string(value, field);
  }

  oneOf<T extends string>(value: Json, field: string, choices: readonly T[]): T {
    const text = this.string(value, field);
    if (!(choices as readonly string[]).includes(text))
      this.fail(field, `must be one of ${choices.map((c) => `"${c}"`).join(', ')}`);
    return text as T;
  }

  nonNegativeInteger(value: Json, field: string): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
      this.fail(field, 'must be a non-negative integer');
    return value;
  }

  optionalDimension(value: Json, field: string): number | null {
    if (value === undefined || value === null) return null;
    return this.nonNegativeInteger(value, field);
  }

  sitePath(value: Json, field: string): string {
    const path = sitePathOrNull(this.string(value, field));
    if (path === null) this.fail(field, 'must be a relative path inside the site (no scheme, no leading "/", no "..")');
    return path;
  }

  schema(root: JsonObject): void {
    if (root['schema'] !== 1)
      this.fail('schema', `must be 1 (this page reads schema 1, found ${JSON.stringify(root['schema'])})`);
  }
}

export function parseJson(text: string, file: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch (error) {
    throw new SidecarError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

export function parseCollectionsIndex(text: string, file = 'index/collections.json'): CollectionsIndex {
  const r = new Reader(file);
  const root = r.object(parseJson(text, file), 'the top level');
  r.schema(root);
  const collections = r.array(root['collections'], 'collections').map((entry, i): CollectionRef => {
    const o = r.object(entry, `collections[${i}]`);
    const name = r.string(o['name'], `collections[${i}].name`);
    return {
      name,
      title: r.optionalString(o['title'], `collections[${i}].title`) ?? name,
      file: r.sitePath(o['file'] ?? `${name}.json`, `collections[${i}].file`),
    };
  });
  if (collections.length === 0) r.fail('collections', 'is empty: the site holds no collection');
  const defaultName = r.optionalString(root['default'], 'default') ?? collections[0]!.name;
  if (!collections.some((c) => c.name === defaultName))
    r.fail('default', `names "${defaultName}", which is not in collections`);
  return { defaultName, collections };
}

export function parseSidecar(text: string, file: string): Sidecar {
  const r = new Reader(file);
  const root = r.object(parseJson(text, file), 'the top level');
  r.schema(root);
  const name = r.string(root['name'], 'name');
  const labels: string[] =
    root['labels'] === undefined ? [] : r.array(root['labels'], 'labels').map((l, i) => r.string(l, `labels[${i}]`));
  const labelIndex = new Map(labels.map((label, i) => [label, i]));

  const seen = new Set<number>();
  const items = r.array(root['items'], 'items').map((entry, i): SidecarItem => {
    const field = `items[${i}]`;
    const o = r.object(entry, field);
    const id = r.nonNegativeInteger(o['id'], `${field}.id`);
    if (id > 0xffffffff) r.fail(`${field}.id`, 'must be below 2^32');
    if (seen.has(id)) r.fail(`${field}.id`, `repeats id ${id}`);
    seen.add(id);
    const label = r.optionalString(o['label'], `${field}.label`);
    if (label !== null && !labelIndex.has(label)) {
      labelIndex.set(label, labels.length);
      labels.push(label);
    }
    const source = o['source'] === undefined || o['source'] === null ? {} : r.object(o['source'], `${field}.source`);
    return {
      id,
      label,
      labelIndex: label === null ? -1 : labelIndex.get(label)!,
      thumbnail:
        o['thumbnail'] === undefined || o['thumbnail'] === null
          ? null
          : r.sitePath(o['thumbnail'], `${field}.thumbnail`),
      width: r.optionalDimension(o['width'], `${field}.width`),
      height: r.optionalDimension(o['height'], `${field}.height`),
      title: r.optionalString(source['title'], `${field}.source.title`),
      owner: r.optionalString(source['owner'], `${field}.source.owner`),
      licence: r.optionalString(source['licence'], `${field}.source.licence`),
      // Links that are not http(s) are dropped, never shown.
      licenceUrl: httpUrlOrNull(source['licence_url']),
      page: httpUrlOrNull(source['page']) ?? httpUrlOrNull(source['url']),
    };
  });

  const bundles = (root['bundles'] === undefined ? [] : r.array(root['bundles'], 'bundles')).map(
    (entry, i): BundleEntry => {
      const field = `bundles[${i}]`;
      const o = r.object(entry, field);
      const dim = r.nonNegativeInteger(o['dim'], `${field}.dim`);
      if (dim === 0) r.fail(`${field}.dim`, 'must be positive');
      const bytes = r.nonNegativeInteger(o['bytes'], `${field}.bytes`);
      return {
        feature: r.string(o['feature'], `${field}.feature`),
        slug: r.string(o['slug'], `${field}.slug`),
        metric: r.oneOf(o['metric'], `${field}.metric`, METRICS),
        file: r.sitePath(o['file'], `${field}.file`),
        kind: r.oneOf(o['kind'], `${field}.kind`, KINDS),
        element: r.oneOf(o['element'], `${field}.element`, ELEMENTS),
        dim,
        count: r.nonNegativeInteger(o['count'], `${field}.count`),
        bytes: bytes > 0 ? bytes : null,
        dataFiles: o['data_files'] === undefined ? 0 : r.nonNegativeInteger(o['data_files'], `${field}.data_files`),
      };
    },
  );
  const pairs = new Set<string>();
  for (const b of bundles) {
    const key = `${b.feature} ${b.metric}`;
    if (pairs.has(key)) r.fail('bundles', `list feature ${b.feature} with metric ${b.metric} twice`);
    pairs.add(key);
  }

  const modelCards = (root['models'] === undefined ? [] : r.array(root['models'], 'models')).map((entry, i) =>
    r.sitePath(r.object(entry, `models[${i}]`)['card'], `models[${i}].card`),
  );

  const samples = (root['samples'] === undefined ? [] : r.array(root['samples'], 'samples')).map(
    (entry, i): SampleEntry => {
      const o = r.object(entry, `samples[${i}]`);
      const path = r.sitePath(o['file'], `samples[${i}].file`);
      return { file: path, title: r.optionalString(o['title'], `samples[${i}].title`) ?? path };
    },
  );

  return {
    name,
    title: r.optionalString(root['title'], 'title') ?? name,
    created: r.optionalString(root['created'], 'created'),
    licenceNote: r.optionalString(root['licence_note'], 'licence_note'),
    labels,
    items,
    bundles,
    modelCards,
    samples,
  };
}
