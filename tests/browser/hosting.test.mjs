// The page on other hosts and with broken data: a host without COOP/COEP
// (GitHub Pages) works single-threaded and says so; a site without a
// collection, with a truncated or corrupt index bundle, a bundle that
// disagrees with its sidecar, or a broken sidecar shows a precise message
// and stays up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readdirSync, rmSync, truncateSync, writeFileSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  choose,
  expected,
  queryWith,
  readyState,
  setControl,
  siteVariant,
  uploadQuery,
  withPage,
  workDir,
  TIMEOUT,
} from './harness.mjs';

const reference = expected();
const colour = reference.colour;
const texture = reference.features.find((f) => f.startsWith('colour-texture'));
const pixels = reference.features.find((f) => f.startsWith('pixels:'));

/** `r` is a result with the native top 10 ids of `file` for `featureMetric` ('<feature> <metric>'), in order. */
function assertNativeTop10(r, file, featureMetric) {
  assert.equal(r.kind, 'result', r.message);
  assert.deepEqual(
    r.hits.map((h) => h.id),
    reference.queries[file][featureMetric].k10.ids,
  );
}

/** The test site's collection document (index/test.json) in `dir`, changed by `edit(sidecar)`. */
function editSidecar(dir, edit) {
  const path = join(dir, 'index/test.json');
  const sidecar = JSON.parse(readFileSync(path, 'utf8'));
  edit(sidecar);
  writeFileSync(path, JSON.stringify(sidecar));
}

test(
  'without cross-origin isolation (GitHub Pages) the page works with one thread and says so',
  { timeout: 3 * TIMEOUT },
  () =>
    withPage({ isolate: false }, async (site) => {
      const facts = await site.page.textContent('#facts');
      assert.match(facts, /Cross-origin isolatedno/);
      assert.match(facts, /would use 1 thread\)/);
      const r = await queryWith(site.page, 'stripes.png', { feature: texture, metric: 'cosine' });
      assertNativeTop10(r, 'stripes.png', `${texture} cosine`);
      assert.deepEqual(site.console.unexpected(), []);
    }),
);

test('a site without a collection says how to make one', { timeout: 3 * TIMEOUT }, () => {
  const root = siteVariant('no-collection', (dir) => rmSync(join(dir, 'index'), { recursive: true }));
  return withPage({ root, ready: false }, async (site) => {
    const { state, message } = await readyState(site.page);
    assert.equal(state, 'failed');
    assert.match(message, /this site has no collection yet \(index\/collections\.json is missing\)/);
    assert.equal(await site.page.isVisible('#drop-zone'), true, 'the page is still there');
    assert.deepEqual(
      site.console.unexpected().filter((e) => !/404/.test(e)),
      [],
    );
  });
});

test('a truncated index bundle is reported, and the other features still work', { timeout: 3 * TIMEOUT }, () => {
  // The default feature's bundle, so the page meets it while getting ready.
  const file = 'test.colour-texture.cosine.lkx';
  const root = siteVariant('truncated-index', (dir) => {
    const path = join(dir, 'index', file);
    truncateSync(path, statSync(path).size - 100);
  });
  return withPage({ root, ready: false }, async (site) => {
    const { state, message } = await readyState(site.page);
    assert.equal(state, 'ready', 'the page is usable');
    assert.equal(await site.page.inputValue('#feature-select'), texture);
    assert.match(
      message,
      new RegExp(
        `the index ${file.replace(/\./g, '\\.')} cannot be used: index bundle: .* runs past the end of the \\d+-byte bundle: truncated\\?`,
      ),
    );
    const failed = await uploadQuery(site.page, 'stripes.png');
    assert.equal(failed.kind, 'error');
    assert.match(failed.message, /truncated\?/);
    const r = await choose(site.page, '#feature-select', pixels);
    assert.equal(r.kind, 'result', r.message);
    assert.equal(r.hits.length, 10);
    assert.deepEqual(site.console.unexpected(), []);
  });
});

test(
  'a corrupt index bundle is reported when chosen, and a following good query works',
  { timeout: 3 * TIMEOUT },
  () => {
    const file = 'test.colour.l2.lkx';
    const root = siteVariant('corrupt-index', (dir) => {
      const path = join(dir, 'index', file);
      const bytes = readFileSync(path);
      bytes[bytes.length - 40] ^= 0x01; // one bit of a vector: the section checksum no longer matches
      writeFileSync(path, bytes);
    });
    return withPage({ root }, async (site) => {
      await setControl(site.page, '#feature-select', colour);
      await setControl(site.page, '#metric-select', 'l2');
      const bad = await uploadQuery(site.page, 'stripes.png');
      assert.equal(bad.kind, 'error');
      assert.match(
        bad.message,
        new RegExp(
          `the index ${file.replace(/\./g, '\\.')} cannot be used: index bundle: float vectors section checksum mismatch`,
        ),
      );
      const good = await choose(site.page, '#metric-select', 'l1');
      assertNativeTop10(good, 'stripes.png', `${colour} l1`);
      assert.deepEqual(site.console.unexpected(), []);
    });
  },
);

test('a bundle that disagrees with its sidecar entry is refused with the reasons', { timeout: 3 * TIMEOUT }, () => {
  const root = siteVariant('mismatched-index', (dir) =>
    editSidecar(dir, (sidecar) => {
      const entry = sidecar.bundles.find((b) => b.file === 'test.colour-texture.cosine.lkx');
      entry.kind = 'flat';
      entry.count = 31;
      sidecar.items.pop(); // an item the bundle still holds
    }),
  );
  return withPage({ root, ready: false }, async (site) => {
    const { state, message } = await readyState(site.page);
    assert.equal(state, 'ready');
    assert.match(
      message,
      /the index test\.colour-texture\.cosine\.lkx does not match: it holds 30 items, the collection says 31; it is a hnsw index, the collection says flat; 1 of its ids are not items of the collection \(e\.g\. 293\)/,
    );
  });
});

test('a broken collection file is reported with its name and the field', { timeout: 3 * TIMEOUT }, () => {
  const root = siteVariant('broken-sidecar', (dir) =>
    editSidecar(dir, (sidecar) => {
      sidecar.items[4].id = sidecar.items[2].id;
    }),
  );
  return withPage({ root, ready: false }, async (site) => {
    const { state, message } = await readyState(site.page);
    assert.equal(state, 'failed');
    assert.match(message, /index\/test\.json: items\[4\]\.id repeats id 23/);
    assert.deepEqual(site.console.unexpected(), []);
  });
});

test('a missing WebAssembly module is reported and the page stays up', { timeout: 3 * TIMEOUT }, () => {
  const root = siteVariant('no-wasm', (dir) => {
    for (const file of readdirSync(join(dir, 'assets')))
      if (/^lookalike_wasm-.*\.wasm$/.test(file)) rmSync(join(dir, 'assets', file));
  });
  return withPage({ root, ready: false }, async (site) => {
    const { state, message } = await readyState(site.page);
    assert.equal(state, 'failed');
    assert.match(message, /The search engine could not start: could not download the WebAssembly module .*HTTP 404/);
    assert.deepEqual(
      site.console.unexpected().filter((e) => !/404/.test(e)),
      [],
    );
  });
});

test(
  'an index file missing from the site is reported when chosen, and the page stays usable',
  { timeout: 3 * TIMEOUT },
  () => {
    const root = siteVariant('missing-index', (dir) => rmSync(join(dir, 'index/test.pixels.cosine.lkx')));
    return withPage({ root }, async (site) => {
      const first = await queryWith(site.page, 'stripes.png', { feature: colour, metric: 'cosine' });
      assert.equal(first.kind, 'result', first.message);
      const failed = await site.console.allowing(/404/, () => choose(site.page, '#feature-select', pixels));
      assert.equal(failed.kind, 'error');
      assert.match(failed.message, /could not download the index test\.pixels\.cosine\.lkx .*HTTP 404/);
      assert.deepEqual(
        site.server.notFound.map((p) => p.replace(/.*\//, '')),
        ['test.pixels.cosine.lkx'],
      );
      const back = await choose(site.page, '#feature-select', colour);
      assert.equal(back.kind, 'result', back.message);
      assert.deepEqual(
        back.hits.map((h) => h.id),
        first.hits.map((h) => h.id),
      );
    });
  },
);

test('an index built with another version of its feature is refused with the reason', { timeout: 3 * TIMEOUT }, () => {
  // make_test_collection wrote the colour cosine bundle as an indexer with
  // version 7 of the feature would (the same size: only the header differs).
  const root = siteVariant('feature-version', (dir) => {
    copyFileSync(
      join(workDir, 'collection/variants/test.colour.cosine.v7.lkx'),
      join(dir, 'index/test.colour.cosine.lkx'),
    );
  });
  return withPage({ root }, async (site) => {
    const refused = await queryWith(site.page, 'stripes.png', { feature: colour, metric: 'cosine' });
    assert.equal(refused.kind, 'error');
    assert.match(
      refused.message,
      /it was built with colour:bins=8x4x4 version 7, this page computes version 1: rebuild the index/,
    );
    const other = await choose(site.page, '#metric-select', 'l1');
    assert.equal(other.kind, 'result', other.message);
  });
});
