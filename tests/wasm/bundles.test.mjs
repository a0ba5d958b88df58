// Index bundles written by the native build, read by the WASM module: every
// kind (flat, HNSW) × element type (float32, int8, int8 with float copies) ×
// metric over clustered synthetic vectors, with removed items, non-positional
// ids, both label filter paths (exact scan, filtered graph walk) and the ef
// option. The WASM search returns the native VectorIndex's ids in the same
// order with scores within 1e-5; truncated and corrupt bundles give the
// native loader's message (never an abort) and the module keeps working.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  loadModule,
  manifest,
  readBytes,
  syntheticQueries,
  ok,
  failed,
  assertSameHits,
  loadBundle,
} from './support.mjs';

const m = await loadModule();
const reference = manifest();
const { synthetic, dim, query } = syntheticQueries();

function open(entry) {
  const index = loadBundle(m, entry.file);
  ok(index.setLabels(synthetic.ids, synthetic.labels), 'setLabels');
  return index;
}

test('buildInfo names the bundle format version the module reads', () => {
  assert.equal(m.buildInfo().bundleVersion, 1);
});

for (const entry of reference.bundles) {
  test(`bundle ${entry.name}: info, ids, searches and "more like this" as native`, () => {
    const index = open(entry);
    try {
      const info = index.info();
      assert.equal(info.featureSpec, 'synthetic:clusters=400');
      assert.equal(info.featureVersion, 3, 'the feature version recorded in the bundle');
      assert.equal(info.metric, entry.metric);
      assert.equal(info.dim, dim);
      assert.equal(info.kind, entry.kind);
      assert.equal(info.element, entry.element);
      assert.equal(info.floatVectors, entry.floatVectors);
      assert.equal(info.count, entry.count);
      assert.deepEqual(info.hnsw, entry.kind === 'hnsw' ? { m: 6, efConstruction: 32, efSearch: 10 } : null);
      const removed = new Set(entry.removed);
      const live = synthetic.ids.filter((id) => !removed.has(id)).sort((a, b) => a - b);
      assert.deepEqual(Array.from(ok(index.ids())), live, 'live ids, ascending');
      for (const s of entry.searches) {
        const options = { k: s.k, ...(s.ef ? { ef: s.ef } : {}), ...(s.label >= 0 ? { label: s.label } : {}) };
        const what = `${entry.name} query ${s.query} ${s.case}`;
        const hits = ok(index.search(query(s.query), options), what);
        assertSameHits(hits, s.hits, what);
        assert.ok(!Array.from(hits.ids).some((id) => removed.has(id)), `${what}: no removed item`);
      }
      for (const b of entry.byId) {
        const what = `${entry.name} more like ${b.id}${b.label >= 0 ? ` label ${b.label}` : ''}`;
        const hits = ok(index.searchById(b.id, { k: 10, ...(b.label >= 0 ? { label: b.label } : {}) }), what);
        assert.ok(!Array.from(hits.ids).includes(b.id), `${what}: the item itself is left out`);
        assertSameHits(hits, b.hits, what);
      }
      const gone = entry.removed[0];
      assert.match(
        failed(index.searchById(gone)).error,
        new RegExp(`id ${gone} is not in the index`),
        'a removed item has no stored vector',
      );
    } finally {
      index.delete();
    }
  });
}

test("truncated and corrupt bundles give the native loader's message, and the module keeps working", () => {
  assert.ok(reference.brokenBundles.length >= 6);
  for (let round = 0; round < 20; ++round) {
    for (const broken of reference.brokenBundles) {
      const result = failed(m.SearchIndex.load(readBytes(broken.file)), `loading ${broken.name}`);
      assert.equal(result.kind, broken.kind, `${broken.name}: kind`);
      assert.equal(result.error, broken.error, `${broken.name}: message`);
    }
  }
  assert.match(reference.brokenBundles.find((b) => b.name === 'truncated to half').error, /truncated/);
  assert.equal(reference.brokenBundles.find((b) => b.name === 'a newer format version').kind, 'unsupported');
  // ...and a good bundle still loads and answers as native.
  const entry = reference.bundles.find((b) => b.kind === 'hnsw' && b.element === 'float32' && b.metric === 'cosine');
  const index = open(entry);
  try {
    const s = entry.searches[0];
    assertSameHits(ok(index.search(query(s.query), { k: s.k })), s.hits, 'after the failures');
  } finally {
    index.delete();
  }
});

test('load takes an ArrayBuffer or any view, and refuses other values with a message', () => {
  const entry = reference.bundles.find((b) => b.kind === 'flat' && b.element === 'float32' && b.metric === 'l2');
  const bytes = readBytes(entry.file);
  // A view at an offset into a larger buffer (as a fetched chunk may be).
  const padded = new Uint8Array(bytes.length + 7);
  padded.set(bytes, 3);
  for (const source of [
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    padded.subarray(3, 3 + bytes.length),
    new DataView(padded.buffer, 3, bytes.length),
  ]) {
    const index = ok(m.SearchIndex.load(source));
    assert.equal(index.info().count, entry.count);
    index.delete();
  }
  for (const bad of [42, 'bundle', null, [1, 2, 3]])
    assert.match(failed(m.SearchIndex.load(bad)).error, /bundle must be an ArrayBuffer or a typed array/);
});
