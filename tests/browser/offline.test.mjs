// A second visit starts from cache and works offline: the service worker
// serves the app shell, the page's worker serves the WASM module, the
// collection and the index from the Cache API, and thumbnails seen before
// come from the service worker's media cache. The server is stopped for the
// second visit, so nothing can come from the network.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSite, uploadQuery, waitReady, TIMEOUT } from './harness.mjs';

// The grid asks for its thumbnails just after the frame that shows the
// results: each one must have its address and have finished loading.
const thumbnailsLoaded = () =>
  Array.from(document.querySelectorAll('#result-grid img')).every((i) => i.getAttribute('src') && i.complete);

test('a second visit starts from cache and searches offline', { timeout: 4 * TIMEOUT }, async () => {
  const site = await openSite();
  const { page, context } = site;
  try {
    await page.goto(site.server.url);
    await waitReady(page);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: TIMEOUT });
    assert.match(await page.textContent('#offline-state'), /Offline use: ready/);
    const first = await uploadQuery(page, 'stripes.png');
    assert.equal(first.kind, 'result', first.message);
    await page.waitForFunction(thumbnailsLoaded, null, { timeout: TIMEOUT });

    await site.server.close();
    await context.setOffline(true);
    await page.reload();
    await waitReady(page);
    const progress = await page.$$eval('#progress-list li', (rows) => rows.map((r) => r.textContent));
    assert.ok(
      progress.some((p) => /WebAssembly module.*\(from cache\)/.test(p)),
      `module from cache: ${progress}`,
    );
    assert.ok(
      progress.some((p) => /index .*\(from cache\)/.test(p)),
      `index from cache: ${progress}`,
    );
    const second = await uploadQuery(page, 'stripes.png');
    assert.equal(second.kind, 'result', second.message);
    assert.deepEqual(
      second.hits.map((h) => h.id),
      first.hits.map((h) => h.id),
    );
    assert.deepEqual(
      second.hits.map((h) => h.score),
      first.hits.map((h) => h.score),
    );
    await page.waitForFunction(thumbnailsLoaded, null, { timeout: TIMEOUT });
    const broken = await page.$$eval('#result-grid img', (imgs) =>
      imgs.filter((i) => i.naturalWidth === 0).map((i) => i.getAttribute('src')),
    );
    assert.deepEqual(broken, [], 'thumbnails seen before are shown offline');
    assert.deepEqual(
      site.console.unexpected().filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(e)),
      [],
    );
  } finally {
    await context.close();
  }
});
