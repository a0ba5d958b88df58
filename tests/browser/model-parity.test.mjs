// Model parity between the page and the offline tools (issue 7, acceptance 1):
// for the committed tiny model and for MobileNetV2 int8 (when ../shared/models
// holds it), on darknet's seven photos and generated pictures, the page's
// embedding of each file (in each browser engine, ONNX Runtime Web, WASM backend) and the
// CLI's (`lookalike embed`, ONNX Runtime native) have cosine ≥ 0.9999, and the
// page's top 10 equals `lookalike query`'s on the same index, ids in order.
// EXIF-rotated JPEGs give the embedding of their upright twin on both sides.
// Both with 2 threads (cross-origin isolated, `lookalike serve`) and 1 (a
// host without isolation).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerTo, ENGINE, TIMEOUT, setControl, expectedOrtThreads } from './harness.mjs';
import {
  assertCliAnswer,
  cosine,
  darknetMissing,
  K,
  METRIC,
  MIN_COSINE,
  MODELS,
  parityImages,
  withParityPage,
} from './parity-site.mjs';

/** Runs every query file through the page and checks it against the CLI; returns the measured agreement. */
async function checkAgainstCli(model, { isolate }) {
  const { queries, upright } = parityImages();
  const seen = new Map();
  let minCosine = 1,
    maxScoreDiff = 0,
    identical = 0;
  const orientationChecks = [];
  await withParityPage(model, { isolate }, async ({ site, browser, page }) => {
    assert.equal(await page.inputValue('#feature-select'), site.feature, 'the model is the default feature');
    await setControl(page, '#metric-select', METRIC);
    const threads = await expectedOrtThreads(page, { isolated: isolate });
    const facts = await page.textContent('#facts');
    // Chromium runs here without a GPU (--disable-gpu), Firefox ESR offers no
    // WebGPU at all: the page says so and uses WASM.
    const why = ENGINE === 'chromium' ? 'WebGPU has no adapter here' : 'this browser offers no WebGPU';
    assert.match(facts, new RegExp(`ONNX Runtimewasm backend, ${threads} threads? \\(${why}`), facts);
    assert.equal(await page.getAttribute('#facts', 'data-ort-backend'), 'wasm');

    for (const q of queries) {
      const r = await answerTo(page, () => page.setInputFiles('#file-input', q.path));
      const got = await assertCliAnswer(page, r, site.cli.get(q.name), `${model.card} ${q.name} (${q.what})`);
      minCosine = Math.min(minCosine, got.cosine);
      maxScoreDiff = Math.max(maxScoreDiff, got.maxScoreDiff);
      if (got.identical) ++identical;
      seen.set(q.name, { vector: got.vector, notes: r.notes });
      // A phone-size photo is decoded reduced for the card, and the timing line says at what size.
      if (q.name.startsWith('phone-12mp'))
        assert.match(r.timing, /decode [\d.]+ ms \(at \d+×\d+ of (4032×3024|3024×4032)\)/, `${q.name}: ${r.timing}`);
    }

    // EXIF orientation: the rotated JPEG is embedded as its upright twin, on both sides, and not as stored.
    for (const pair of upright) {
      const rotated = seen.get(pair.rotated),
        straight = seen.get(pair.upright),
        stored = seen.get(pair.stored);
      assert.match(rotated.notes, new RegExp(`turned upright \\(EXIF orientation ${pair.orientation}\\)`));
      const onPage = cosine(rotated.vector, straight.vector);
      const onCli = cosine(site.cli.get(pair.rotated).vector, site.cli.get(pair.upright).vector);
      assert.ok(
        onPage >= MIN_COSINE && onCli >= MIN_COSINE,
        `${pair.rotated}: cosine to its upright twin ${onPage} (page), ${onCli} (CLI)`,
      );
      const sideways = cosine(rotated.vector, stored.vector);
      assert.ok(
        sideways < onPage,
        `${pair.rotated}: closer to the file as stored (${sideways}) than to its upright twin (${onPage})`,
      );
      orientationChecks.push({ file: pair.rotated, upright: onPage, stored: sideways });
    }
    assert.deepEqual(browser.console.unexpected(), []);
  });
  return { minCosine, maxScoreDiff, identical, files: queries.length, orientation: orientationChecks };
}

for (const model of MODELS) {
  for (const isolate of [true, false]) {
    const how = isolate ? 'cross-origin isolated (threads)' : 'not isolated (1 thread)';
    test(
      `${model.card}: the page's embeddings and top ${K} equal the CLI's, ${how}`,
      { timeout: 12 * TIMEOUT, skip: model.missing ?? false },
      async (t) => {
        const darknet = darknetMissing();
        if (darknet) t.diagnostic(`without darknet's photos: ${darknet}`);
        const { minCosine, maxScoreDiff, identical, files, orientation } = await checkAgainstCli(model, { isolate });
        t.diagnostic(
          `${model.card}, ${how}: ${files} files (${identical} embeddings bit-identical), minimum cosine page/CLI ${minCosine.toFixed(9)} (1 − ${(1 - minCosine).toExponential(1)}), ` +
            `largest top-${K} score difference ${maxScoreDiff.toExponential(2)}`,
        );
        for (const o of orientation)
          t.diagnostic(
            `${o.file}: cosine to its upright twin ${o.upright.toFixed(9)}, to the file as stored ${o.stored.toFixed(6)}`,
          );
      },
    );
  }
}
