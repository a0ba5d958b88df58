// The page on other hosts and with broken data: a host without COOP/COEP
// (GitHub Pages) works single-threaded and says so; a site without a
// collection, with a truncated index file or a broken sidecar shows a
// precise message and stays up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readdirSync, rmSync, truncateSync, writeFileSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { choose, openSite, siteRoot, SUB_PATH, uploadQuery, waitReady, workDir, TIMEOUT } from './harness.mjs';

/** A copy of the test site under its own root, changed by `change(siteDir)`. */
function variant(name, change) {
  const root = join(workDir, 'variants', name);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  cpSync(join(siteRoot, SUB_PATH), join(root, SUB_PATH), { recursive: true });
  change(join(root, SUB_PATH));
  return root;
}

async function readyState(page) {
  await page.waitForFunction(() => ['ready', 'failed'].includes(document.querySelector('#ready-state')?.getAttribute('data-state')),
    null, { timeout: TIMEOUT });
  return { state: await page.getAttribute('#ready-state', 'data-state'), message: await page.textContent('#message') };
}

test('without cross-origin isolation (GitHub Pages) the page works with one thread and says so', { timeout: 3 * TIMEOUT }, async () => {
  const site = await openSite({ isolate: false });
  try {
    await site.page.goto(site.server.url);
    await waitReady(site.page);
    const facts = await site.page.textContent('#facts');
    assert.match(facts, /Cross-origin isolatedno/);
    assert.match(facts, /would use 1 thread\)/);
    const r = await uploadQuery(site.page, 'stripes.png');
    assert.equal(r.kind, 'result', r.message);
    assert.equal(r.hits.length, 10);
    assert.deepEqual(site.console.unexpected(), []);
  } finally {
    await site.close();
  }
});

test('a site without a collection says how to make one', { timeout: 3 * TIMEOUT }, async () => {
  const root = variant('no-collection', (dir) => rmSync(join(dir, 'index'), { recursive: true }));
  const site = await openSite({ root });
  try {
    await site.page.goto(site.server.url);
    const { state, message } = await readyState(site.page);
    assert.equal(state, 'failed');
    assert.match(message, /this site has no collection yet \(index\/collections\.json is missing\)/);
    assert.equal(await site.page.isVisible('#drop-zone'), true, 'the page is still there');
    assert.deepEqual(site.console.unexpected().filter((e) => !/404/.test(e)), []);
  } finally {
    await site.close();
  }
});

test('a truncated index file is reported, and the other features still work', { timeout: 3 * TIMEOUT }, async () => {
  const root = variant('truncated-index', (dir) => {
    const file = join(dir, 'index/test.colour.f32');
    truncateSync(file, statSync(file).size - 100);
  });
  const site = await openSite({ root });
  try {
    await site.page.goto(site.server.url);
    const { state, message } = await readyState(site.page);
    assert.equal(state, 'ready', 'the page is usable');
    assert.match(message, /test\.colour\.f32 is \d+ bytes, expected \d+ .*truncated or corrupt/);
    const failed = await uploadQuery(site.page, 'stripes.png');
    assert.equal(failed.kind, 'error');
    assert.match(failed.message, /truncated or corrupt/);
    const pixels = await site.page.$$eval('#feature-select option', (o) => o.map((x) => x.value).find((v) => v.startsWith('pixels')));
    const r = await choose(site.page, '#feature-select', pixels);
    assert.equal(r.kind, 'result', r.message);
    assert.equal(r.hits.length, 10);
  } finally {
    await site.close();
  }
});

test('a broken collection file is reported with its name and the field', { timeout: 3 * TIMEOUT }, async () => {
  const root = variant('broken-sidecar', (dir) => {
    const path = join(dir, 'index/test.json');
    const sidecar = JSON.parse(readFileSync(path, 'utf8'));
    sidecar.items[4].id = sidecar.items[2].id;
    writeFileSync(path, JSON.stringify(sidecar));
  });
  const site = await openSite({ root });
  try {
    await site.page.goto(site.server.url);
    const { state, message } = await readyState(site.page);
    assert.equal(state, 'failed');
    assert.match(message, /index\/test\.json: items\[4\]\.id repeats id 23/);
    assert.deepEqual(site.console.unexpected(), []);
  } finally {
    await site.close();
  }
});

test('a missing WebAssembly module is reported and the page stays up', { timeout: 3 * TIMEOUT }, async () => {
  const root = variant('no-wasm', (dir) => {
    for (const file of readdirSync(join(dir, 'assets'))) if (/^lookalike_wasm-.*\.wasm$/.test(file)) rmSync(join(dir, 'assets', file));
  });
  const site = await openSite({ root });
  try {
    await site.page.goto(site.server.url);
    const { state, message } = await readyState(site.page);
    assert.equal(state, 'failed');
    assert.match(message, /The search engine could not start: could not download the WebAssembly module .*HTTP 404/);
    assert.deepEqual(site.console.unexpected().filter((e) => !/404/.test(e)), []);
  } finally {
    await site.close();
  }
});

test('an index file missing from the site is reported when chosen, and the page stays usable', { timeout: 3 * TIMEOUT }, async () => {
  const root = variant('missing-index', (dir) => rmSync(join(dir, 'index/test.pixels.f32')));
  const site = await openSite({ root });
  try {
    await site.page.goto(site.server.url);
    await waitReady(site.page);
    const first = await uploadQuery(site.page, 'stripes.png');
    assert.equal(first.kind, 'result', first.message);
    const pixels = await site.page.$$eval('#feature-select option', (o) => o.map((x) => x.value).find((v) => v.startsWith('pixels')));
    const failed = await site.console.allowing(/404/, () => choose(site.page, '#feature-select', pixels));
    assert.equal(failed.kind, 'error');
    assert.match(failed.message, /could not download the index test\.pixels\.f32 .*HTTP 404/);
    const colour = await site.page.$$eval('#feature-select option', (o) => o.map((x) => x.value).find((v) => v.startsWith('colour')));
    const back = await choose(site.page, '#feature-select', colour);
    assert.equal(back.kind, 'result', back.message);
    assert.deepEqual(back.hits.map((h) => h.id), first.hits.map((h) => h.id));
  } finally {
    await site.close();
  }
});

test('an index built with another version of its feature is refused with the reason', { timeout: 3 * TIMEOUT }, async () => {
  const root = variant('feature-version', (dir) => {
    const path = join(dir, 'index/test.json');
    const sidecar = JSON.parse(readFileSync(path, 'utf8'));
    for (const bundle of sidecar.bundles) if (bundle.feature.startsWith('colour')) bundle.feature_version = 7;
    writeFileSync(path, JSON.stringify(sidecar));
  });
  const site = await openSite({ root });
  try {
    await site.page.goto(site.server.url);
    const { state, message } = await readyState(site.page);
    assert.equal(state, 'ready');
    assert.match(message, /it was built with colour:bins=8x4x4 version 7, this page computes version 1: rebuild the index/);
  } finally {
    await site.close();
  }
});
