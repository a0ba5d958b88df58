// The model path in the browser, with a tiny ONNX model (the mean of each
// channel, made by make_test_collection): switching to a collection with a
// model loads ONNX Runtime Web and the model with progress, uses threads when
// the page is cross-origin isolated, embeds the query (core preprocessing →
// ONNX Runtime → core L2 normalisation) and finds the native answers. A model
// whose checksum or output name does not match is reported and the page
// falls back to a classic feature.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  answerTo,
  choose,
  expected,
  siteVariant,
  uploadQuery,
  withPage,
  TIMEOUT,
  expectedOrtThreads,
} from './harness.mjs';
import { assertSameHits, assertSameRanking } from '../support/ranking.mjs';

const reference = expected();
const model = reference.modelFeature;
const colour = reference.colour;

/** The site in `root` with the model collection chosen (?collection=test-model). */
const modelPage = (root) => ({ root, search: '?collection=test-model' });

function editCard(dir, edit) {
  const path = join(dir, 'models/tiny-gap.json');
  const card = JSON.parse(readFileSync(path, 'utf8'));
  edit(card, dir);
  writeFileSync(path, JSON.stringify(card));
}

async function readyCount(page) {
  return Number(await page.evaluate(() => document.body.dataset.readyCount ?? 0));
}

/** Switches to the model collection with the collection switch and waits until it is ready. */
async function openModelCollection(page) {
  const before = await readyCount(page);
  await page.selectOption('#collection-select', 'test-model');
  await page.waitForFunction((n) => Number(document.body.dataset.readyCount ?? 0) > n, before, { timeout: TIMEOUT });
}

function assertModelAnswer(results, file, metric) {
  // The browser embeds with ONNX Runtime (float sums), the native reference
  // with double sums: the same ranking, scores within 1e-5.
  const answer = reference.queries[file][`${model} ${metric}`].k10;
  assertSameRanking(
    results.hits.map((h) => h.id),
    results.hits.map((h) => h.score),
    answer,
    metric,
    true,
    `${file} ${model} ${metric}`,
  );
}

test(
  'a collection with a model: ONNX Runtime Web and the model load with progress and the query is embedded',
  { timeout: 6 * TIMEOUT },
  () =>
    withPage({}, async (site) => {
      const { page } = site;
      await openModelCollection(page);
      assert.equal(await page.inputValue('#feature-select'), model, 'the model is the default feature');
      const progress = await page.$$eval('#progress-list li', (rows) =>
        rows.map((r) => ({
          resource: r.getAttribute('data-resource'),
          done: r.getAttribute('data-done'),
          text: r.textContent,
        })),
      );
      for (const resource of ['model', 'runtime'])
        assert.ok(
          progress.some((p) => p.resource === resource && p.done === 'true' && /\d (B|KB|MB)/.test(p.text)),
          `${resource}: ${JSON.stringify(progress)}`,
        );
      const threads = await expectedOrtThreads(page);
      assert.match(await page.textContent('#facts'), new RegExp(`ONNX Runtimewasm backend, ${threads} thread`));
      assert.equal(await page.isVisible('#model-note'), false, 'no "add a model" note');

      const r = await uploadQuery(page, 'stripes.png');
      assert.equal(r.kind, 'result', r.message);
      assert.match(r.timing, /model [\d.]+ ms/);
      assertModelAnswer(r, 'stripes.png', await page.inputValue('#metric-select'));
      for (const metric of ['l1', 'l2', 'correlation', 'cosine']) {
        const m = await choose(page, '#metric-select', metric);
        assert.equal(m.kind, 'result', m.message);
        assertModelAnswer(m, 'stripes.png', metric);
      }
      for (const file of ['reds-exif6.jpg', 'checks.bmp']) {
        const q = await uploadQuery(page, file);
        assertModelAnswer(q, file, 'cosine');
      }
      // The classic feature of the same collection still gives the exact native answer.
      const c = await choose(page, '#feature-select', colour);
      assert.equal(await page.inputValue('#metric-select'), 'cosine');
      assertSameHits(
        c.hits.map((h) => h.id),
        c.hits.map((h) => h.score),
        reference.queries['checks.bmp'][`${colour} cosine`].k10,
        'colour',
      );
      // "More like this" with the model's stored vectors.
      await choose(page, '#feature-select', model);
      const more = await answerTo(page, () => page.click('#result-grid li.result:nth-child(1) button.more'));
      assert.equal(more.kind, 'result', more.message);
      assert.equal(more.hits.length, 10);
      assert.deepEqual(site.console.unexpected(), []);
    }),
);

test('without cross-origin isolation ONNX Runtime runs on one thread', { timeout: 3 * TIMEOUT }, () =>
  withPage({ isolate: false, search: '?collection=test-model' }, async (site) => {
    assert.match(await site.page.textContent('#facts'), /ONNX Runtimewasm backend, 1 thread\b/);
    const r = await uploadQuery(site.page, 'stripes.png');
    assertModelAnswer(r, 'stripes.png', await site.page.inputValue('#metric-select'));
  }),
);

test(
  'a model whose sha256 matches its card is used; a damaged one is refused and the page falls back',
  { timeout: 4 * TIMEOUT },
  async () => {
    const good = siteVariant('model-sha-good', (dir) =>
      editCard(dir, (card) => {
        card.model.sha256 = createHash('sha256')
          .update(readFileSync(join(dir, 'models/tiny-gap.onnx')))
          .digest('hex');
      }),
    );
    await withPage(modelPage(good), async (site) => {
      assert.equal(await site.page.inputValue('#feature-select'), model);
      assert.equal(await site.page.isHidden('#message'), true);
    });

    const bad = siteVariant('model-sha-bad', (dir) =>
      editCard(dir, (card) => {
        card.model.sha256 = '0'.repeat(64);
      }),
    );
    await withPage(modelPage(bad), async (broken) => {
      assert.match(
        await broken.page.textContent('#message'),
        /the model tiny-gap\.onnx is damaged or not the one the card names/,
      );
      assert.equal(await broken.page.inputValue('#feature-select'), colour, 'falls back to the classic feature');
      const option = await broken.page.$eval(`#feature-select option[value="${model}"]`, (o) => ({
        disabled: o.disabled,
        text: o.textContent,
      }));
      assert.deepEqual(option, { disabled: true, text: `Model: tiny-gap (unavailable)` });
      const r = await uploadQuery(broken.page, 'stripes.png');
      assert.equal(r.kind, 'result', r.message);
    });
  },
);

test("a card naming an output the model lacks is reported with the model's names", { timeout: 3 * TIMEOUT }, () => {
  const root = siteVariant('model-wrong-output', (dir) =>
    editCard(dir, (card) => {
      card.output.name = 'features';
    }),
  );
  return withPage(modelPage(root), async (site) => {
    assert.match(
      await site.page.textContent('#message'),
      /the card names input "pixels" and output "features", but the model has inputs pixels; outputs embedding/,
    );
  });
});
