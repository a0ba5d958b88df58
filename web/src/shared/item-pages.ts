// A large collection's items in pages and its label runs
// (core/include/lookalike/index/item_pages.h), read against the collection
// document they belong to, with messages that name the file and the field.
//   index/<name>.items/<p>.json   {"schema":1,"collection","page","items":[…]}: ids in [p·size, (p+1)·size)
//   index/<name>.labels.json      {"schema":1,"collection","item_count","runs":[[first, count, label], …]}
import { ITEM_PAGE_PLACEHOLDER } from './core-schema';
import { parseJson, readItem, Reader, type Sidecar, type SidecarItem } from './sidecar';

/** The file of page `page`, relative to index/. */
export function itemPageFile(sidecar: Sidecar, page: number): string {
  return sidecar.itemPages!.files.replace(ITEM_PAGE_PLACEHOLDER, String(page));
}

function belongs(r: Reader, root: Record<string, unknown>, sidecar: Sidecar): void {
  r.schema(root);
  const name = r.string(root['collection'], 'collection');
  if (name !== sidecar.name) r.fail('collection', `is "${name}", not "${sidecar.name}"`);
}

/** The items of page `page`, ascending ids, each on that page, each label one of the collection's. */
export function parseItemPage(text: string, file: string, sidecar: Sidecar, page: number): SidecarItem[] {
  const pages = sidecar.itemPages!;
  const r = new Reader(file);
  const root = r.object(parseJson(text, file), 'the top level');
  belongs(r, root, sidecar);
  if (root['page'] !== page) r.fail('page', `is not ${page}`);
  const first = page * pages.size;
  const entries = r.array(root['items'], 'items');
  if (entries.length > pages.size) r.fail('items', `holds more than the page's ${pages.size} ids`);
  const labels = new Map(sidecar.labels.map((label, i) => [label, i]));
  const seen = new Set<number>();
  let previous = -1;
  return entries.map((entry, i) => {
    const field = `items[${i}]`;
    const item = readItem(r, entry, field, seen, (label) => {
      return labels.get(label) ?? r.fail(`${field}.label`, `"${label}" is not in the collection's labels`);
    });
    if (item.id < first || item.id >= first + pages.size)
      r.fail(`${field}.id`, `${item.id} is not on page ${page} (ids ${first} to ${first + pages.size - 1})`);
    if (item.id < previous) r.fail(`${field}.id`, "is below the previous item's");
    previous = item.id;
    return item;
  });
}

/** Every item's id and label (a position in the collection's labels, −1 for none), ascending ids. */
export interface ItemLabels {
  ids: Uint32Array;
  labels: Int32Array;
}

export function parseItemLabels(text: string, file: string, sidecar: Sidecar): ItemLabels {
  const r = new Reader(file);
  const root = r.object(parseJson(text, file), 'the top level');
  belongs(r, root, sidecar);
  const count = r.nonNegativeInteger(root['item_count'], 'item_count');
  if (count !== sidecar.itemCount) r.fail('item_count', `is ${count}, the collection says ${sidecar.itemCount}`);
  const end = sidecar.itemPages!.size * sidecar.itemPages!.count;
  const runs = r.array(root['runs'], 'runs');
  if (runs.length > count) r.fail('runs', 'are more than the items');
  const out: ItemLabels = { ids: new Uint32Array(count), labels: new Int32Array(count) };
  let filled = 0;
  let nextFree = 0;
  runs.forEach((run, i) => {
    const field = `runs[${i}]`;
    if (!Array.isArray(run) || run.length !== 3 || !run.every((x) => Number.isInteger(x)))
      r.fail(field, 'must be [first id, count, label]');
    const [first, n, label] = run as [number, number, number];
    if (n < 1 || first < nextFree || first + n > end || filled + n > count)
      r.fail(field, `must cover new ids, ascending, within the collection's ${end} page ids and ${count} items`);
    if (label < -1 || label >= sidecar.labels.length)
      r.fail(field, `names label ${label}, not one of the collection's ${sidecar.labels.length}`);
    for (let id = first; id < first + n; ++id) {
      out.ids[filled] = id;
      out.labels[filled++] = label;
    }
    nextFree = first + n;
  });
  if (filled !== count) r.fail('runs', `hold ${filled} items, not ${count}`);
  return out;
}
