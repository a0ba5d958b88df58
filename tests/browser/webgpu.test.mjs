// The model's backend: WebGPU only when an adapter is there and a check
// inference agrees with WASM (web/src/worker/webgpu-backend.ts), otherwise
// WASM; the page says which and why. This machine has no GPU: Chromium's
// default test flags (--disable-gpu) give no adapter (model-parity.test.mjs
// checks that case), and --enable-unsafe-webgpu gives SwiftShader, a software
// Vulkan on the CPU. So WebGPU itself runs here only on SwiftShader, which
// the page skips unless ?backend=webgpu asks for it; on a real GPU the
// same code path runs, but that was not measured here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerTo, ENGINE, openSite, SUB_PATH, TIMEOUT, waitReady, setControl } from './harness.mjs';
import {
  captureWorkerResults,
  cosine,
  K,
  lastWorkerResult,
  METRIC,
  MIN_COSINE,
  MODELS,
  parityImages,
  paritySite,
} from './parity-site.mjs';

const tiny = MODELS.find((m) => m.card === 'tiny-embed');
const SOFTWARE_WEBGPU = ['--enable-unsafe-webgpu'];
const NO_ADAPTER = 'this Chromium offers no WebGPU adapter even with --enable-unsafe-webgpu (no SwiftShader Vulkan)';
// The software adapter is Chromium's (a flag); Firefox ESR offers no WebGPU
// here at all, which model-parity.test.mjs checks the page reports.
const NOT_THIS_ENGINE = ENGINE === 'chromium' ? null : `${ENGINE} has no software WebGPU adapter to test with`;

async function openParity(backend, chromiumArgs) {
  const site = paritySite(tiny);
  const browser = await openSite({ root: site.served, prefix: SUB_PATH, chromiumArgs });
  await captureWorkerResults(browser.context);
  await browser.page.goto(`${browser.server.url}?collection=parity${backend ? `&backend=${backend}` : ''}`);
  await waitReady(browser.page);
  return { site, browser, page: browser.page };
}

async function backendFacts(page) {
  return { backend: await page.getAttribute('#facts', 'data-ort-backend'), facts: await page.textContent('#facts') };
}

async function adapterOffered(page) {
  return page.evaluate(async () => Boolean(navigator.gpu && (await navigator.gpu.requestAdapter())));
}

test(
  'a software WebGPU adapter is not used by default: the page says so and runs on WASM',
  { timeout: 4 * TIMEOUT },
  async (t) => {
    if (NOT_THIS_ENGINE) return t.skip(NOT_THIS_ENGINE);
    const { browser, page } = await openParity(null, SOFTWARE_WEBGPU);
    try {
      if (!(await adapterOffered(page))) {
        t.skip(NO_ADAPTER);
        return;
      }
      const { backend, facts } = await backendFacts(page);
      assert.equal(backend, 'wasm', facts);
      assert.match(
        facts,
        /wasm backend, \d threads? \(the only WebGPU adapter is a software fallback \(.*swiftshader.*\); \?backend=webgpu would use it\)/i,
      );
      const r = await answerTo(page, () => page.setInputFiles('#file-input', parityImages().queries[0].path));
      assert.equal(r.kind, 'result', r.message);
      assert.deepEqual(browser.console.unexpected(), []);
    } finally {
      await browser.close();
    }
  },
);

test(
  "?backend=webgpu runs the model on WebGPU (SwiftShader here) after the check, with the CLI's embeddings and top 10",
  { timeout: 8 * TIMEOUT },
  async (t) => {
    if (NOT_THIS_ENGINE) return t.skip(NOT_THIS_ENGINE);
    const { site, browser, page } = await openParity('webgpu', SOFTWARE_WEBGPU);
    try {
      if (!(await adapterOffered(page))) {
        t.skip(NO_ADAPTER);
        return;
      }
      const { backend, facts } = await backendFacts(page);
      assert.equal(backend, 'webgpu', facts);
      assert.match(
        facts,
        /webgpu backend, \d threads? \(.*swiftshader.*; checked against WASM \(cosine [01]\.\d+\), [\d.]+ ms per image against [\d.]+ ms with WASM\)/i,
      );
      const progress = await page.$$eval('#progress-list li', (rows) => rows.map((r) => r.textContent));
      assert.ok(
        progress.some((p) => /ONNX Runtime \(WebGPU\)/.test(p)),
        `the WebGPU build's download is shown: ${progress}`,
      );
      await setControl(page, '#metric-select', METRIC);
      let minCosine = 1;
      for (const q of parityImages().queries) {
        const r = await answerTo(page, () => page.setInputFiles('#file-input', q.path));
        assert.equal(r.kind, 'result', `${q.name}: ${r.message}`);
        const worker = await lastWorkerResult(page);
        const expected = site.cli.get(q.name);
        const c = cosine(worker.vector, expected.vector);
        minCosine = Math.min(minCosine, c);
        assert.ok(c >= MIN_COSINE, `${q.name}: cosine ${c} between WebGPU's and the CLI's embedding`);
        assert.deepEqual(
          r.hits.map((h) => h.id),
          expected.ids,
          `${q.name}: top ${K} on WebGPU against lookalike query's`,
        );
      }
      t.diagnostic(
        `tiny-embed on WebGPU (SwiftShader): minimum cosine page/CLI ${minCosine.toFixed(9)} (1 − ${(1 - minCosine).toExponential(1)}); ${facts.match(/webgpu backend.*/)?.[0]}`,
      );
      assert.deepEqual(browser.console.unexpected(), []);
    } finally {
      await browser.close();
    }
  },
);

test('?backend=wasm never tries WebGPU', { timeout: 3 * TIMEOUT }, async () => {
  const { browser, page } = await openParity('wasm', SOFTWARE_WEBGPU);
  try {
    const { backend, facts } = await backendFacts(page);
    assert.equal(backend, 'wasm');
    assert.match(facts, /wasm backend, \d threads? \(WebGPU not tried \(\?backend=wasm\)\)/);
    const progress = await page.$$eval('#progress-list li', (rows) => rows.map((r) => r.textContent));
    assert.ok(!progress.some((p) => /WebGPU/.test(p)), `nothing of the WebGPU build is downloaded: ${progress}`);
  } finally {
    await browser.close();
  }
});
