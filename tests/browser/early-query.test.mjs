// An image chosen while the collection is still loading is kept, the page
// says it will be searched, and it is searched as soon as the collection is
// ready, without choosing it again. The index bundle's download is held
// back by the server until the image has been chosen, so the order is sure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expected, openSite, readResults, queriesDir, TIMEOUT } from './harness.mjs';
import { assertSameHits } from '../support/ranking.mjs';
import { join } from 'node:path';

const reference = expected();

test('an image chosen before the collection is ready is searched once it is', { timeout: 3 * TIMEOUT }, async () => {
  let release;
  const released = new Promise((resolve) => (release = resolve));
  const site = await openSite({ isolate: false, gate: (path) => (path.endsWith('.lkx') ? released : undefined) });
  const { page } = site;
  try {
    await page.goto(site.server.url);
    await page.waitForFunction(() => document.querySelector('#ready-state')?.getAttribute('data-state') === 'loading');
    await page.setInputFiles('#file-input', join(queriesDir, 'stripes.png'));
    await page.waitForFunction(() => /still loading/.test(document.querySelector('#message')?.textContent ?? ''));
    assert.match(
      await page.textContent('#message'),
      /The collection is still loading: your image will be searched as soon as it is ready\./,
    );
    assert.equal(await page.getAttribute('#ready-state', 'data-state'), 'loading', 'the index is still held back');
    assert.match(await page.textContent('#query-caption'), /stripes\.png/, 'the chosen image is shown meanwhile');

    release();
    await page.waitForFunction(() => document.body.dataset.lastResult !== undefined, null, { timeout: TIMEOUT });
    const results = await readResults(page);
    const { feature, metric } = await page.evaluate(() => ({
      feature: document.querySelector('#feature-select').value,
      metric: document.querySelector('#metric-select').value,
    }));
    assert.equal(results.message, '', 'the waiting message is gone');
    assert.equal(results.hits.length, 10);
    assertSameHits(
      results.hits.map((h) => h.id),
      results.hits.map((h) => h.score),
      reference.queries['stripes.png'][`${feature} ${metric}`].k10,
      `stripes.png ${feature} ${metric}, chosen before ready`,
    );
    assert.equal(site.server.requests.filter((p) => p.endsWith('.lkx')).length, 1, 'the index was downloaded once');
    assert.deepEqual(site.console.unexpected(), []);
  } finally {
    release();
    await site.close();
  }
});
