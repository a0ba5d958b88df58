// Reading the site's collection files (written by `lookalike index`):
//   index/collections.json  {"schema":1,"default":"<name>","collections":[{"name","title","file"}]}
//   index/<name>.json       the collection: items (or where its item pages are), labels, bundles,
//                           models, defaults (the sidecar); a large collection's pages: item-pages.ts
// Their schema is the core's (core/include/lookalike/index/collection.h); the
// names and the item's attribution fields come from it (core-schema.ts).
// Everything is validated with messages that name the file and the field.
// Strings are kept as untrusted text; URLs are checked (safe-url.ts).
import {
  ATTRIBUTION_FIELDS,
  COLLECTION_SCHEMA,
  ELEMENT_TYPE_NAMES,
  INDEX_KIND_NAMES,
  ITEM_PAGE_PLACEHOLDER,
  METRIC_NAMES,
  type Attribution,
} from './core-schema';
import { httpUrlOrNull, sitePathOrNull } from './safe-url';
import type { ElementType, IndexKind, ItemView, MetricName } from './protocol';

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

export interface SidecarItem extends ItemView {
  /** Position of the label in Sidecar.labels, −1 when none. */
  labelIndex: number;
}

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

/** A bundle the page may open with; the first usable of Sidecar.defaults is chosen. */
export interface DefaultChoice {
  feature: string;
  metric: MetricName;
}

/** Where a large collection's items are (core/include/lookalike/index/item_pages.h). */
export interface ItemPages {
  /** Ids per page: page p holds the items with ids in [p * size, (p + 1) * size). */
  size: number;
  count: number;
  /** Relative to index/, ITEM_PAGE_PLACEHOLDER standing for the page's number. */
  files: string;
  /** Relative to index/: every item's label as runs of ids. */
  labels: string;
}

export interface Sidecar {
  name: string;
  title: string;
  created: string | null;
  licenceNote: string | null;
  labels: string[];
  /** The items, or null when they are in pages (itemPages). */
  items: SidecarItem[] | null;
  itemPages: ItemPages | null;
  itemCount: number;
  bundles: BundleEntry[];
  /** Model card paths relative to the site. */
  modelCards: string[];
  /** Per model card path: the card of its text tower (relative to the site), when it has one. */
  textCards: Map<string, string>;
  samples: SampleEntry[];
  /** Best first, one per feature (recorded by `lookalike index`; else the first bundle of each feature). */
  defaults: DefaultChoice[];
}

export class SidecarError extends Error {}

export type Json = unknown;
type JsonObject = Record<string, Json>;

function isObject(value: Json): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class Reader {
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
    if (root['schema'] !== COLLECTION_SCHEMA)
      this.fail(
        'schema',
        `must be ${COLLECTION_SCHEMA} (this page reads schema ${COLLECTION_SCHEMA}, found ${JSON.stringify(root['schema'])})`,
      );
  }
}

/** The item's "source": text fields as untrusted strings; links that are not http(s) are dropped, never shown. */
function readAttribution(r: Reader, value: Json, field: string): Attribution {
  const source = value === undefined || value === null ? {} : r.object(value, field);
  const entries = ATTRIBUTION_FIELDS.map(({ key, isLink }) => [
    key,
    isLink ? httpUrlOrNull(source[key]) : r.optionalString(source[key], `${field}.${key}`),
  ]);
  return Object.fromEntries(entries) as Attribution;
}

/** The recorded defaults, each naming a listed bundle; without them, the first bundle of each feature as listed. */
function readDefaults(r: Reader, value: Json, bundles: BundleEntry[]): DefaultChoice[] {
  if (value === undefined || value === null) {
    const firsts = new Map<string, DefaultChoice>();
    for (const b of bundles)
      if (!firsts.has(b.feature)) firsts.set(b.feature, { feature: b.feature, metric: b.metric });
    return [...firsts.values()];
  }
  return r.array(value, 'defaults').map((entry, i): DefaultChoice => {
    const o = r.object(entry, `defaults[${i}]`);
    const choice = {
      feature: r.string(o['feature'], `defaults[${i}].feature`),
      metric: r.oneOf(o['metric'], `defaults[${i}].metric`, METRIC_NAMES),
    };
    if (!bundles.some((b) => b.feature === choice.feature && b.metric === choice.metric))
      r.fail(`defaults[${i}]`, `names feature ${choice.feature} with metric ${choice.metric}, which no bundle has`);
    return choice;
  });
}

/**
 * One item of the document's "items" or of an item page: `labelOf` gives the
 * position of its label (or fails), `seen` the ids read so far.
 */
export function readItem(
  r: Reader,
  entry: Json,
  field: string,
  seen: Set<number>,
  labelOf: (label: string) => number,
): SidecarItem {
  const o = r.object(entry, field);
  const id = r.nonNegativeInteger(o['id'], `${field}.id`);
  if (id > 0xffffffff) r.fail(`${field}.id`, 'must be below 2^32');
  if (seen.has(id)) r.fail(`${field}.id`, `repeats id ${id}`);
  seen.add(id);
  const label = r.optionalString(o['label'], `${field}.label`);
  return {
    id,
    label,
    labelIndex: label === null ? -1 : labelOf(label),
    thumbnail:
      o['thumbnail'] === undefined || o['thumbnail'] === null ? null : r.sitePath(o['thumbnail'], `${field}.thumbnail`),
    width: r.optionalDimension(o['width'], `${field}.width`),
    height: r.optionalDimension(o['height'], `${field}.height`),
    source: readAttribution(r, o['source'], `${field}.source`),
  };
}

function readItemPages(r: Reader, value: Json): ItemPages {
  const o = r.object(value, 'item_pages');
  const size = r.nonNegativeInteger(o['size'], 'item_pages.size');
  if (size === 0) r.fail('item_pages.size', 'must be at least 1');
  const files = r.string(o['files'], 'item_pages.files');
  if (
    files.split(ITEM_PAGE_PLACEHOLDER).length !== 2 ||
    sitePathOrNull(files.replace(ITEM_PAGE_PLACEHOLDER, '0')) === null
  )
    r.fail('item_pages.files', `must be a relative path inside the site with one "${ITEM_PAGE_PLACEHOLDER}"`);
  return {
    size,
    count: r.nonNegativeInteger(o['count'], 'item_pages.count'),
    files,
    labels: r.sitePath(o['labels'], 'item_pages.labels'),
  };
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
  let items: SidecarItem[] | null = null;
  let itemPages: ItemPages | null = null;
  let itemCount: number;
  if (root['item_pages'] !== undefined) {
    if (root['items'] !== undefined) r.fail('items', 'and item_pages are both given');
    itemPages = readItemPages(r, root['item_pages']);
    itemCount = r.nonNegativeInteger(root['item_count'], 'item_count');
    if (itemCount > itemPages.size * itemPages.count)
      r.fail('item_count', `is more than its ${itemPages.count} pages of ${itemPages.size} hold`);
  } else {
    // Labels an item names and the list lacks are added: older files did not list them.
    const seen = new Set<number>();
    const labelOf = (name: string): number => {
      if (!labelIndex.has(name)) {
        labelIndex.set(name, labels.length);
        labels.push(name);
      }
      return labelIndex.get(name)!;
    };
    items = r.array(root['items'], 'items').map((entry, i) => readItem(r, entry, `items[${i}]`, seen, labelOf));
    itemCount = items.length;
  }

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
        metric: r.oneOf(o['metric'], `${field}.metric`, METRIC_NAMES),
        file: r.sitePath(o['file'], `${field}.file`),
        kind: r.oneOf<IndexKind>(o['kind'], `${field}.kind`, INDEX_KIND_NAMES),
        element: r.oneOf<ElementType>(o['element'], `${field}.element`, ELEMENT_TYPE_NAMES),
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

  const models = root['models'] === undefined ? [] : r.array(root['models'], 'models');
  const modelCards: string[] = [];
  const textCards = new Map<string, string>();
  models.forEach((entry, i) => {
    const o = r.object(entry, `models[${i}]`);
    const card = r.sitePath(o['card'], `models[${i}].card`);
    modelCards.push(card);
    if (o['text_card'] !== undefined && o['text_card'] !== null)
      textCards.set(card, r.sitePath(o['text_card'], `models[${i}].text_card`));
  });

  const samples = (root['samples'] === undefined ? [] : r.array(root['samples'], 'samples')).map(
    (entry, i): SampleEntry => {
      const o = r.object(entry, `samples[${i}]`);
      const path = r.sitePath(o['file'], `samples[${i}].file`);
      return { file: path, title: r.optionalString(o['title'], `samples[${i}].title`) ?? path };
    },
  );

  return {
    name,
    defaults: readDefaults(r, root['defaults'], bundles),
    title: r.optionalString(root['title'], 'title') ?? name,
    created: r.optionalString(root['created'], 'created'),
    licenceNote: r.optionalString(root['licence_note'], 'licence_note'),
    labels,
    items,
    itemPages,
    itemCount,
    bundles,
    modelCards,
    textCards,
    samples,
  };
}
