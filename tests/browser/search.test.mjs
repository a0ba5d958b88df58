// End-to-end: the built site, served from a sub-path by `lookalike serve`
// (cross-origin isolated), in headless Chromium, searching real index
// bundles (flat and HNSW, float32 and int8). Query files give the native
// VectorIndex's ids in the native order with scores within 1e-5; switching
// feature, metric, k and label re-runs at once; "more like this" works by
// stored vector; failures are inline and the page stays usable; untrusted
// metadata is shown as text; no console errors. Every test sets the feature
// and metric it checks explicitly.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  answerTo,
  choose,
  ENGINE,
  expected,
  sharePage,
  queriesDir,
  queryWith,
  readResults,
  screenshotPath,
  setControl,
  uploadQuery,
  TIMEOUT,
  expectedOrtThreads,
} from './harness.mjs';
import { startStaticServer } from './static-server.mjs';
import { assertSameHits } from '../support/ranking.mjs';

const reference = expected();
// Firefox ESR, headless under WebDriver BiDi, delivers Enter to a focused
// button (keydown and keypress arrive, trusted) but does not activate it, as
// its window never has the focus there; a user's Enter does. Chromium tests
// the keyboard path.
const KEYS_ACTIVATE_BUTTONS = ENGINE !== 'firefox';
const NO_KEY_ACTIVATION =
  'Firefox under WebDriver BiDi does not activate a focused button on Enter (its window has no focus); Chromium tests it';
const colour = reference.colour;
const texture = reference.features.find((f) => f.startsWith('colour-texture'));
const pixels = reference.features.find((f) => f.startsWith('pixels:'));
const METRICS = ['l1', 'l2', 'cosine', 'correlation'];
let site;
let page;

/** The page's results equal the native answer: same ids, same order, scores within 1e-5. */
function assertNative(results, answer, what) {
  assert.equal(results.kind, 'result', `${what}: ${results.message}`);
  assert.ok(answer, `${what}: no native answer recorded`);
  const ids = results.hits.map((h) => h.id);
  assert.deepEqual(
    results.hits.map((h) => h.rank),
    ids.map((_, i) => i + 1),
    `${what}: ranks`,
  );
  assertSameHits(
    ids,
    results.hits.map((h) => h.score),
    answer,
    what,
  );
}

function answerFor(file, feature, metric, key = 'k10') {
  return reference.queries[file]?.[`${feature} ${metric}`]?.[key];
}

/** How the facts line describes a bundle of the test collection. */
function indexFacts(feature, metric) {
  const b = reference.bundles[`${feature} ${metric}`];
  const kind = b.kind === 'flat' ? 'flat \\(exact\\)' : `HNSW \\(M ${b.m}, ef ${b.efSearch}\\)`;
  return new RegExp(
    `${feature.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} · ${metric} · dimension ${b.dim} · ${kind} · ${b.element} · 30 vectors`,
  );
}

async function settings() {
  return page.evaluate(() => ({
    feature: document.querySelector('#feature-select').value,
    metric: document.querySelector('#metric-select').value,
    k: document.querySelector('#k-select').value,
    label: document.querySelector('#label-select').value,
  }));
}

sharePage((opened) => {
  site = opened;
  page = opened.page;
});

describe('the search page', { timeout: 10 * TIMEOUT }, () => {
  test('loads from a sub-path, shows progress with bytes, the index, isolation and threads', async () => {
    assert.match(await page.textContent('#ready-state'), /^Ready/);
    const progress = await page.$$eval('#progress-list li', (rows) =>
      rows.map((r) => ({
        resource: r.getAttribute('data-resource'),
        done: r.getAttribute('data-done'),
        text: r.textContent,
      })),
    );
    for (const resource of ['wasm', 'collection', 'index'])
      assert.ok(
        progress.some((p) => p.resource === resource && p.done === 'true' && /\d+(\.\d)? (B|KB|MB)/.test(p.text)),
        `progress with bytes for ${resource}: ${JSON.stringify(progress)}`,
      );
    const { feature, metric } = await settings();
    // The page's policy: the strongest classic feature when there is no model.
    assert.equal(feature, texture, 'the default feature is colour-texture');
    const facts = await page.textContent('#facts');
    assert.match(facts, /30 items, 5 labels/);
    assert.match(facts, indexFacts(feature, metric), 'kind, element type and dimension of the loaded index');
    assert.match(facts, /reads index bundles version 1/);
    assert.match(facts, /Cross-origin isolatedyes/);
    const threads = await expectedOrtThreads(page);
    assert.match(facts, new RegExp(`would use ${threads} thread`));
    assert.match(await page.textContent('#model-note'), /No learned model in this collection/);
    assert.deepEqual(site.server.notFound, [], 'every file the page asked for exists');
    assert.ok(
      site.server.requests.length > 0 && site.server.requests.every((path) => path.startsWith('/repo/')),
      `every request stays under the sub-path: ${site.server.requests}`,
    );
  });

  test('an uploaded query gives the native ids, order and scores, on flat and HNSW bundles', async () => {
    for (const feature of [colour, texture]) {
      const results = await queryWith(page, 'stripes.png', { feature, metric: 'cosine' });
      assert.equal(results.hits.length, 10);
      assertNative(results, answerFor('stripes.png', feature, 'cosine'), `stripes.png ${feature} cosine`);
      assert.match(
        results.timing,
        /decode [\d.]+ ms · preprocess [\d.]+ ms · model – · search [\d.]+ ms · total [\d.]+ ms/,
      );
      assert.match(results.caption, /stripes\.png — 264×120 PNG/);
      assert.match(await page.textContent('#facts'), indexFacts(feature, 'cosine'));
    }
    await page.screenshot({ path: screenshotPath('results.png'), fullPage: true });
  });

  test('switching feature and metric re-runs at once with the native answers', async () => {
    const seen = new Set();
    for (const feature of reference.features) {
      const options = await page.$$eval('#feature-select option', (o) => o.map((x) => x.value));
      assert.ok(options.includes(feature), `feature ${feature} offered`);
      const switched = await setControl(page, '#feature-select', feature);
      if (switched) assert.equal(switched.kind, 'result', switched.message);
      for (const metric of METRICS) {
        const r =
          (await setControl(page, '#metric-select', metric)) ??
          (await readResults(page).then((x) => ({ kind: 'result', ...x })));
        assert.deepEqual(
          { feature: (await settings()).feature, metric: (await settings()).metric },
          { feature, metric },
        );
        assertNative(r, answerFor('stripes.png', feature, metric), `${feature} ${metric}`);
        assert.match(
          r.summary,
          new RegExp(metric === 'l1' || metric === 'l2' ? 'lower is closer' : 'higher is closer'),
        );
        assert.match(await page.textContent('#facts'), indexFacts(feature, metric));
        seen.add(r.hits.map((h) => h.id).join());
      }
    }
    assert.ok(seen.size > 1, 'switching changes the results');
  });

  test('k and the label filter restrict the results', async () => {
    await setControl(page, '#feature-select', colour);
    await setControl(page, '#metric-select', 'l1');
    for (const k of ['5', '20']) {
      const r = await choose(page, '#k-select', k);
      assert.equal(r.hits.length, Number(k));
      assertNative(r, answerFor('stripes.png', colour, 'l1', `k${k}`), `k=${k}`);
    }
    await choose(page, '#k-select', '10');
    const labels = await page.$$eval('#label-select option', (o) => o.map((x) => x.textContent));
    assert.deepEqual(labels, ['All labels', ...reference.labels], 'label names shown as text, HTML included');
    for (const feature of [colour, pixels]) {
      await setControl(page, '#feature-select', feature);
      for (let label = 0; label < reference.labels.length; ++label) {
        const r = await choose(page, '#label-select', String(label));
        assert.ok(
          r.hits.every((h) => h.label === reference.labels[label]),
          `only label ${reference.labels[label]}`,
        );
        assertNative(r, answerFor('stripes.png', feature, 'l1', `label${label}`), `${feature} label ${label}`);
      }
      await choose(page, '#label-select', '');
    }
  });

  test('"more like this" searches from the stored vector', async () => {
    await setControl(page, '#feature-select', texture);
    await setControl(page, '#metric-select', 'cosine');
    const start = await uploadQuery(page, 'stripes.png');
    const first = start.hits[0];
    const r = await answerTo(page, () => page.click('#result-grid li.result:nth-child(1) button.more'));
    assert.match(r.caption, /^More like: /);
    assert.ok(!r.hits.some((h) => h.id === first.id), 'the item itself is not among its results');
    assert.equal(r.hits.length, 10, 'k results besides the item');
    assertNative(r, reference.moreLikeThis[String(first.id)][`${texture} cosine`], `more like ${first.id}`);
    const second = r.hits[1];
    const again = await answerTo(page, () => page.click('#result-grid li.result:nth-child(2) button.more'));
    assertNative(again, reference.moreLikeThis[String(second.id)][`${texture} cosine`], `more like ${second.id}`);
    // Switching re-runs "more like this" with the new metric and feature.
    const switched = await choose(page, '#metric-select', 'l1');
    assertNative(switched, reference.moreLikeThis[String(second.id)][`${texture} l1`], `more like ${second.id} l1`);
    const flat = await choose(page, '#feature-select', colour);
    assertNative(
      flat,
      reference.moreLikeThis[String(second.id)][`${colour} l1`],
      `more like ${second.id} ${colour} l1`,
    );
  });

  test('"more like this" by keyboard: Enter on a result', async (t) => {
    if (!KEYS_ACTIVATE_BUTTONS) {
      t.skip(NO_KEY_ACTIVATION);
      return;
    }
    await setControl(page, '#feature-select', texture);
    await setControl(page, '#metric-select', 'cosine');
    const start = await uploadQuery(page, 'stripes.png');
    const second = start.hits[1];
    const r = await answerTo(page, async () => {
      await page.focus('#result-grid li.result:nth-child(2) button.more');
      await page.keyboard.press('Enter');
    });
    assertNative(r, reference.moreLikeThis[String(second.id)][`${texture} cosine`], `more like ${second.id}`);
  });

  test('every format the core decodes gives the native answer', async () => {
    await setControl(page, '#feature-select', colour);
    await setControl(page, '#metric-select', 'correlation');
    for (const [file, info] of Object.entries(reference.queries)) {
      const r = await uploadQuery(page, file);
      assert.equal(r.kind, 'result', `${file}: ${r.message}`);
      assert.match(r.caption, new RegExp(`${info.width}×${info.height}`), `${file}: upright size`);
      assertNative(r, answerFor(file, colour, 'correlation'), file);
      if (info.orientation !== 1) assert.match(r.notes, new RegExp(`EXIF orientation ${info.orientation}`));
    }
  });

  test('a corrupt file shows an error inline, and the next query works', async () => {
    const bad = await uploadQuery(page, 'truncated.jpg');
    assert.equal(bad.kind, 'error');
    assert.match(bad.message, /truncated JPEG data/);
    assert.equal((await readResults(page)).hits.length, 0, 'no stale results under the error');
    const empty = await uploadQuery(page, { name: 'empty.png', mimeType: 'image/png', buffer: Buffer.alloc(0) });
    assert.equal(empty.kind, 'error');
    assert.match(empty.message, /empty/);
    const text = await uploadQuery(page, {
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('not an image'),
    });
    assert.equal(text.kind, 'error');
    assert.match(text.message, /not an image format this page can read/);
    const good = await queryWith(page, 'stripes.png', { feature: texture, metric: 'l2' });
    assert.equal(good.message, '', 'the error is gone');
    assert.equal(good.hits.length, 10);
    assertNative(good, answerFor('stripes.png', texture, 'l2'), 'the query after the errors');
  });

  test('formats the core lacks go through the browser decoder, and the page says so', async () => {
    const webp = await page.evaluate(async () => {
      const canvas = new OffscreenCanvas(96, 64);
      const context = canvas.getContext('2d');
      context.fillStyle = '#3050d0';
      context.fillRect(0, 0, 96, 64);
      context.fillStyle = '#f0f0f8';
      for (let x = 0; x < 96; x += 8) context.fillRect(x, 0, 4, 64);
      const blob = await canvas.convertToBlob({ type: 'image/webp', quality: 0.95 });
      return Array.from(new Uint8Array(await blob.arrayBuffer()));
    });
    const r = await uploadQuery(page, { name: 'stripes.webp', mimeType: 'image/webp', buffer: Buffer.from(webp) });
    assert.equal(r.kind, 'result', r.message);
    assert.match(r.caption, /96×64 WEBP \(decoded by the browser\)/);
    assert.match(r.notes, /decoded by the browser/);
    assert.equal(r.hits.length, 10);
    const heic = Buffer.from([0, 0, 0, 24, 0x66, 0x74, 0x79, 0x70, 0x68, 0x65, 0x69, 0x63, 0, 0, 0, 0]);
    const e = await uploadQuery(page, { name: 'photo.heic', mimeType: 'image/heic', buffer: heic });
    assert.equal(e.kind, 'error');
    assert.match(e.message, /cannot decode HEIC images/);
  });

  test('titles, owners, labels and links from the collection are shown as text, never as HTML', async () => {
    await setControl(page, '#label-select', '0'); // "reds": items 3 and 13 carry the HTML
    const r = await queryWith(page, 'reds-exif6.jpg', { feature: colour, metric: 'cosine' });
    assert.equal(r.kind, 'result', r.message);
    const item3 = r.hits.find((h) => h.id === 3);
    const item13 = r.hits.find((h) => h.id === 13);
    assert.ok(item3 && item13, 'both items are among the results');
    assert.equal(item3.title, '<img src=x onerror="document.body.dataset.xss=\'title\'">Picture');
    assert.equal(item3.imgAlt, item3.title, 'the alt text is the title, as text');
    assert.match(item13.credit, /by <script>document\.body\.dataset\.xss='owner'<\/script>/);
    assert.match(item13.credit, /<b>CC<\/b> BY/);
    assert.deepEqual(item13.links, [], 'javascript: links are not links');
    assert.ok(item3.links.every((href) => href.startsWith('https://')));
    assert.equal(await page.$$eval('#result-grid .meta img, #result-grid script, #result-grid b', (n) => n.length), 0);
    assert.equal(await page.evaluate(() => document.body.dataset.xss ?? null), null, 'no injected code ran');
    assert.match(await page.textContent('#collection-title'), /Test shapes <b>& colours<\/b>/);
    assert.match(await page.textContent('#licence-note'), /<script>alert\('note'\)<\/script> is text/);
    await choose(page, '#label-select', '');
  });

  test('an image URL is fetched when its site allows it, with a clear message when CORS forbids', async () => {
    // Other origins' image servers: the Node server, which can allow or forbid CORS (lookalike serve never sends CORS headers).
    const open = await startStaticServer({ root: queriesDir, prefix: '/', cors: true });
    const closed = await startStaticServer({ root: queriesDir, prefix: '/', cors: false });
    try {
      await setControl(page, '#feature-select', colour);
      await setControl(page, '#metric-select', 'cosine');
      const r = await answerTo(page, async () => {
        await page.fill('#url-input', `${open.url}stripes.png`);
        await page.press('#url-input', 'Enter');
      });
      assertNative(r, answerFor('stripes.png', colour, 'cosine'), 'stripes.png by URL');
      assert.match(r.timing, /^download [\d.]+ ms/);
      const refused = await site.console.allowing(/CORS|Failed to load resource|net::ERR_FAILED/, () =>
        answerTo(page, async () => {
          await page.fill('#url-input', `${closed.url}stripes.png`);
          await page.click('#url-form button');
        }),
      );
      assert.equal(refused.kind, 'error');
      assert.match(refused.message, /does not allow other pages to read its images \(CORS\)/);
      const missing = await site.console.allowing(/404|Failed to load resource/, () =>
        answerTo(page, async () => {
          await page.fill('#url-input', `${open.url}missing.png`);
          await page.click('#url-form button');
        }),
      );
      assert.match(missing.message, /HTTP 404/);
      const scheme = await answerTo(page, async () => {
        await page.fill('#url-input', 'ftp://example.org/a.png');
        await page.click('#url-form button');
      });
      assert.equal(scheme.kind, 'error');
    } finally {
      await open.close();
      await closed.close();
    }
  });

  /**
   * checks.bmp dropped on the drop zone (`how` 'drop') or pasted into the
   * page ('paste'), with colour-texture and correlation; the page's answer.
   */
  async function giveChecksBmp(how) {
    await setControl(page, '#feature-select', texture);
    await setControl(page, '#metric-select', 'correlation');
    const bytes = Array.from(readFileSync(join(queriesDir, 'checks.bmp')));
    return answerTo(page, () =>
      page.evaluate(
        ({ data, how }) => {
          const transfer = new DataTransfer();
          transfer.items.add(new File([new Uint8Array(data)], 'checks.bmp', { type: 'image/bmp' }));
          const init = { bubbles: true, cancelable: true };
          if (how === 'drop')
            document
              .querySelector('#drop-zone')
              .dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, ...init }));
          else document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, ...init }));
        },
        { data: bytes, how },
      ),
    );
  }

  test('a dropped image gives a query; a drop without one says so', async () => {
    const dropped = await giveChecksBmp('drop');
    assertNative(dropped, answerFor('checks.bmp', texture, 'correlation'), 'dropped checks.bmp');
    await page.evaluate(() => {
      document.body.dispatchEvent(
        new DragEvent('drop', { dataTransfer: new DataTransfer(), bubbles: true, cancelable: true }),
      );
    });
    await page.waitForFunction(() =>
      /Nothing to search in what was dropped/.test(document.querySelector('#message').textContent),
    );
  });

  test('a pasted image gives a query', async (t) => {
    const pasteCarriesFiles = await page.evaluate(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(['x'], 'x.bmp', { type: 'image/bmp' }));
      return new ClipboardEvent('paste', { clipboardData: transfer }).clipboardData?.files.length === 1;
    });
    if (!pasteCarriesFiles) {
      t.skip(`${ENGINE} makes page-made paste events without their data (and a test cannot fill the system clipboard)`);
      return;
    }
    const pasted = await giveChecksBmp('paste');
    assertNative(pasted, answerFor('checks.bmp', texture, 'correlation'), 'pasted checks.bmp');
  });

  test('a sample query runs the whole pipeline', async () => {
    await setControl(page, '#feature-select', colour);
    await setControl(page, '#metric-select', 'l1');
    const samples = await page.$$eval('#sample-list button', (b) => b.length);
    assert.equal(samples, 5, 'one sample per label');
    const r = await answerTo(page, () => page.click('#sample-list li:nth-child(2) button'));
    assert.equal(r.kind, 'result', r.message);
    assert.match(r.caption, /^sample: /);
    assert.equal(r.hits[0].label, 'stripes');
  });

  test('is usable by keyboard: the file input, the switches and the results take focus', async () => {
    await page.focus('#file-input');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'file-input');
    for (const id of ['feature-select', 'metric-select', 'k-select', 'label-select', 'url-input']) {
      await page.focus(`#${id}`);
      assert.equal(await page.evaluate(() => document.activeElement?.id), id);
    }
    const buttons = await page.$$eval('#result-grid button.more', (b) => b.map((x) => x.getAttribute('aria-label')));
    assert.ok(buttons.length > 0 && buttons.every((l) => /^Rank \d+: .+ — more like this$/.test(l)));
    const alts = await page.$$eval('#result-grid img, #sample-list img', (i) => i.map((x) => x.hasAttribute('alt')));
    assert.ok(alts.every(Boolean), 'every image has an alt attribute');
  });

  test('fits a phone-width screen', async () => {
    await page.setViewportSize({ width: 360, height: 780 });
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert.ok(overflow <= 0, `no horizontal scrolling at 360 px (overflow ${overflow} px)`);
    await page.screenshot({ path: screenshotPath('results-phone.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  test('no uncaught errors or unexpected console errors', () => {
    assert.deepEqual(site.console.unexpected(), []);
  });
});

test('the query files used here are the ones the native answers were made from', () => {
  for (const file of Object.keys(reference.queries)) assert.ok(readFileSync(join(queriesDir, file)).length > 0);
});
