// Search in WASM over bundles the native build wrote: for every feature ×
// metric, a flat bundle of the collection images' native features, queried
// with features the WASM module computed itself from its own decoded pixels
// (the page's path), gives the native VectorIndex's ids in the same order and
// scores within 1e-5, with and without a label filter, and "more like this"
// from the stored vector leaves the item out as natively; argument checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModule, manifest, readBytes, ok, failed, assertSameHits, loadBundle } from './support.mjs';

const m = await loadModule();
const reference = manifest();
const byName = new Map(reference.images.map((e) => [e.name, e]));

// Features of every collection image, computed by WASM from WASM-decoded
// pixels, each decoded for its feature's need as the page decodes a query.
const rows = new Map(); // spec -> Float32Array[] in collection order
for (const name of reference.collection) {
  for (const spec of reference.features) {
    const d = ok(m.decodeImage(readBytes(byName.get(name).file), { need: ok(m.featureInfo(spec)).decodeNeed }));
    if (!rows.has(spec)) rows.set(spec, []);
    rows.get(spec).push(ok(m.computeFeature(spec, d.image)).vector);
    d.image.delete();
  }
}
const n = reference.collection.length;
const ids = Uint32Array.from({ length: n }, (_, i) => i);
const labels = Int32Array.from({ length: n }, (_, i) => i % 3);

function openCollectionBundle(file) {
  const index = loadBundle(m, file);
  ok(index.setLabels(ids, labels), 'setLabels');
  return index;
}

const groups = new Map();
for (const s of reference.searches) {
  if (!groups.has(s.file)) groups.set(s.file, []);
  groups.get(s.file).push(s);
}

for (const [file, searches] of groups) {
  const { feature, metric } = searches[0];
  test(`search ${feature} ${metric} (flat bundle): native ids and order, scores within 1e-5`, () => {
    const index = openCollectionBundle(file);
    try {
      const info = index.info();
      assert.deepEqual(
        {
          featureSpec: info.featureSpec,
          metric: info.metric,
          count: info.count,
          kind: info.kind,
          element: info.element,
          hnsw: info.hnsw,
        },
        { featureSpec: feature, metric, count: n, kind: 'flat', element: 'float32', hnsw: null },
      );
      assert.equal(info.dim, rows.get(feature)[0].length);
      for (const s of searches) {
        const options = { k: s.k, ...(s.label >= 0 ? { label: s.label } : {}) };
        const what = `query ${reference.collection[s.query]} (${s.case})`;
        assertSameHits(ok(index.search(rows.get(feature)[s.query], options), what), s.hits, what);
        const byId = ok(index.searchById(s.query, options), `${what} by id`);
        assert.ok(!Array.from(byId.ids).includes(s.query), `${what}: "more like this" leaves the item out`);
        assertSameHits(byId, s.byId, `${what} by id`);
      }
    } finally {
      index.delete();
    }
  });
}

const someBundle = reference.collectionBundles.find((b) => b.metric === 'l2').file;

test('storedVector returns the vector as stored, and unknown ids are refused', () => {
  const cosine = reference.collectionBundles.find((b) => b.metric === 'cosine' && b.feature === reference.features[1]);
  const index = openCollectionBundle(cosine.file);
  try {
    // Cosine bundles store unit vectors: the WASM-computed feature, normalised.
    const stored = ok(index.storedVector(2));
    const normalised = ok(m.l2Normalize(rows.get(cosine.feature)[2]));
    assert.equal(stored.length, normalised.length);
    for (let i = 0; i < stored.length; ++i) assert.ok(Math.abs(stored[i] - normalised[i]) <= 1e-6, `element ${i}`);
    assert.match(failed(index.storedVector(n + 100)).error, new RegExp(`id ${n + 100} is not in the index`));
    assert.match(failed(index.searchById(n + 100)).error, /is not in the index/);
    assert.match(failed(index.searchById(-1)).error, /item id must be an integer/);
    assert.match(failed(index.searchById('2')).error, /item id must be a number/);
    assert.deepEqual(Array.from(ok(index.ids())), Array.from(ids));
  } finally {
    index.delete();
  }
});

test('search arguments are checked', () => {
  const index = loadBundle(m, someBundle);
  const spec = index.info().featureSpec;
  const query = rows.get(spec)[0];
  try {
    assert.equal(ok(index.search(query)).ids.length, Math.min(10, n), 'k defaults to 10');
    assert.match(failed(index.search(query, { label: 0 })).error, /no item labels were given/);
    ok(index.setLabels(ids, labels));
    assert.match(failed(index.search(query.subarray(1))).error, /query has \d+ values but the index .* has dimension/);
    assert.match(failed(index.search(query, { k: 0 })).error, /option k must be within \[1, 100000\]/);
    assert.match(failed(index.search(query, { k: 'ten' })).error, /option k must be a number/);
    assert.match(failed(index.search(query, { ef: 2.5 })).error, /option ef must be an integer/);
    assert.match(failed(index.search(query, { label: 1.5 })).error, /option label must be an integer/);
    const nan = Float32Array.from(query);
    nan[0] = NaN;
    assert.match(failed(index.search(nan)).error, /non-finite/);
    assert.equal(ok(index.search(query, { label: 7 })).ids.length, 0, 'a label nobody has gives no results');
    assert.match(failed(index.setLabels([0, 1], [0])).error, /2 item ids but 1 labels/);
    assert.match(failed(index.setLabels([0], [-2])).error, /label of item 0 is -2/);
  } finally {
    index.delete();
  }
});
