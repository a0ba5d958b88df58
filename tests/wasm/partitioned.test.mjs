// Partitioned indexes written by the native build, searched by the WASM
// module as the page searches them: the header first, then each list the
// search wants, read from the data file by its range and handed to addList.
// Same ids in the same order and scores within 1e-5 as the native search,
// for every metric, a wider probe, a selective label filter (which probes
// on) and "more like this" through an item's list. A damaged answer (wrong
// length, changed bytes, another list's bytes) and a damaged header give the
// core's message, never an abort; the list cache stays within its budget.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModule, manifest, readBytes, syntheticQueries, ok, failed, assertSameHits } from './support.mjs';

const m = await loadModule();
const reference = manifest();
const { synthetic, dim, query } = syntheticQueries();

function listBytes(entry, index, list) {
  const range = ok(index.listRange(list), `listRange ${list}`);
  const file = readBytes(entry.files[range.file]);
  return file.subarray(range.offset, range.offset + range.bytes);
}

/** An error result of this kind; returns its message. */
function refused(result, kind) {
  failed(result, kind);
  assert.equal(result.kind, kind, result.error);
  return result.error;
}

/** The page's loop: advance, fetch what is missing, add each and advance again, until done. */
function runSearch(entry, index, vector, options) {
  const search = ok(index.startSearch(vector, options), 'startSearch');
  try {
    for (let rounds = 0; ; ++rounds) {
      assert.ok(rounds <= 100, 'the search ends');
      const missing = ok(search.advance(), 'advance');
      if (missing.length === 0 && search.done()) break;
      for (const list of missing) {
        ok(index.addList(list, listBytes(entry, index, list)), `addList ${list}`);
        ok(search.advance(), 'advance');
      }
    }
    return { hits: ok(search.hits(), 'hits'), stats: search.stats() };
  } finally {
    search.delete();
  }
}

function open(entry) {
  const index = ok(m.PartitionedIndex.load(readBytes(entry.header)), `loading ${entry.header}`);
  ok(index.setLabels(synthetic.ids, reference.partitionedLabels), 'setLabels');
  return index;
}

for (const entry of reference.partitioned) {
  test(`partitioned ${entry.metric}: the native ids and scores, list by list`, () => {
    const index = open(entry);
    try {
      const info = index.info();
      assert.equal(info.kind, 'partitioned');
      assert.equal(info.metric, entry.metric);
      assert.equal(info.dim, dim);
      assert.equal(info.lists, entry.lists);
      assert.equal(info.dataFiles, entry.files.length);
      assert.equal(info.defaultNprobe, 3);
      for (const s of entry.searches) {
        const what = `${entry.metric} query ${s.query} ${s.case}`;
        const options = { k: 10 };
        if (s.nprobe) options.nprobe = s.nprobe;
        if (s.label >= 0) options.label = s.label;
        let vector = query(s.query);
        if (s.case === 'byId') {
          ok(index.addList(s.list, listBytes(entry, index, s.list)), 'addList');
          vector = ok(index.storedVector(s.id, s.list), 'storedVector');
          options.exclude = s.id;
        }
        const { hits, stats } = runSearch(entry, index, vector, options);
        assertSameHits(hits, s.hits, what);
        assert.deepEqual(Array.from(hits.lists), s.lists, `${what}: lists of the hits`);
        assert.equal(stats.listsScored, s.listsScored, `${what}: lists scored`);
        if (s.case === 'byId') assert.ok(!Array.from(hits.ids).includes(s.id), `${what}: the item is left out`);
      }
    } finally {
      index.delete();
    }
  });
}

test('a damaged or wrong answer for a list is refused with the core message', () => {
  const entry = reference.partitioned[0];
  const index = open(entry);
  try {
    const good = listBytes(entry, index, 2);
    assert.match(
      refused(index.addList(2, good.subarray(0, good.length - 1)), 'corrupt'),
      /list 2 is \d+ bytes, the header says/,
    );
    const changed = good.slice();
    changed[changed.length - 1] ^= 1;
    assert.match(refused(index.addList(2, changed), 'corrupt'), /checksum mismatch/);
    assert.match(refused(index.addList(3, listBytes(entry, index, 2)), 'corrupt'), /list 3/);
    assert.match(refused(index.addList(entry.lists, good), 'invalid-argument'), /does not exist/);
    assert.equal(index.hasList(2), false, 'nothing refused is kept');
    ok(index.addList(2, good), 'the right bytes still load');
    assert.equal(index.hasList(2), true);
  } finally {
    index.delete();
  }
});

test('a damaged header is refused with the core message', () => {
  const bytes = readBytes(reference.partitioned[0].header);
  assert.match(refused(m.PartitionedIndex.load(bytes.subarray(0, bytes.length - 3)), 'corrupt'), /truncated\?/);
  const changed = bytes.slice();
  changed[100] ^= 0x40;
  assert.match(refused(m.PartitionedIndex.load(changed), 'corrupt'), /partitioned index header/);
  assert.match(refused(m.PartitionedIndex.load(new Uint8Array(10)), 'corrupt'), /signature/);
});

test('the list cache never holds more than its budget', () => {
  const entry = reference.partitioned[1];
  const index = open(entry);
  try {
    let largest = 0;
    for (let list = 0; list < entry.lists; ++list) largest = Math.max(largest, ok(index.listRange(list)).bytes);
    ok(index.setCacheBudget(Math.round(3.5 * largest)), 'setCacheBudget');
    for (let list = 0; list < entry.lists; ++list) {
      ok(index.addList(list, listBytes(entry, index, list)), `addList ${list}`);
      const cache = index.cacheInfo();
      assert.ok(
        cache.bytes <= cache.budget,
        `after list ${list}: ${cache.bytes} bytes for a budget of ${cache.budget}`,
      );
    }
    // A search still completes when its lists do not all fit: each is scored as it arrives.
    const { hits } = runSearch(entry, index, query(0), { k: 10, nprobe: 6 });
    assertSameHits(hits, entry.searches.find((s) => s.query === 0 && s.case === 'nprobe6').hits, 'small budget');
  } finally {
    index.delete();
  }
});
