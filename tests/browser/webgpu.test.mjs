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
import { answerTo, ENGINE, TIMEOUT, setControl } from './harness.mjs';
import { assertCliAnswer, METRIC, MODELS, parityImages, withParityPage } from './parity-site.mjs';

const tiny = MODELS.find((m) => m.card === 'tiny-embed');
const SOFTWARE_WEBGPU = ['--enable-unsafe-webgpu'];
const NO_ADAPTER = 'this Chromium offers no WebGPU adapter even with --enable-unsafe-webgpu (no SwiftShader Vulkan)';
// The software adapter is Chromium's (a flag); Firefox ESR offers no WebGPU
// here at all, which model-parity.test.mjs checks the page reports.
const NOT_THIS_ENGINE = ENGINE === 'chromium' ? null : `${ENGINE} has no software WebGPU adapter to test with`;

/** The tiny model's parity page with `backend` (null: the page's choice), on software WebGPU where Chromium offers it. */
const withSoftwareWebGpu = (backend, body) => withParityPage(tiny, { backend, chromiumArgs: SOFTWARE_WEBGPU }, body);

async function backendFacts(page) {
  return { backend: await page.getAttribute('#facts', 'data-ort-backend'), facts: await page.textContent('#facts') };
}

async function adapterOffered(page) {
  return page.evaluate(async () => Boolean(navigator.gpu && (await navigator.gpu.requestAdapter())));
}

/**
 * For the tests that need the software adapter: skips, saying why, in an
 * engine or a Chromium without it; else runs `body` on the page with
 * `backend`, given the backend the page reports and its facts.
 */
async function withSoftwareAdapter(t, backend, body) {
  if (NOT_THIS_ENGINE) return t.skip(NOT_THIS_ENGINE);
  return withSoftwareWebGpu(backend, async (opened) => {
    if (!(await adapterOffered(opened.page))) return t.skip(NO_ADAPTER);
    return body({ ...opened, ...(await backendFacts(opened.page)) });
  });
}

test(
  'a software WebGPU adapter is not used by default: the page says so and runs on WASM',
  { timeout: 4 * TIMEOUT },
  (t) =>
    withSoftwareAdapter(t, null, async ({ browser, page, backend, facts }) => {
      assert.equal(backend, 'wasm', facts);
      assert.match(
        facts,
        /wasm backend, \d threads? \(the only WebGPU adapter is a software fallback \(.*swiftshader.*\); \?backend=webgpu would use it\)/i,
      );
      const r = await answerTo(page, () => page.setInputFiles('#file-input', parityImages().queries[0].path));
      assert.equal(r.kind, 'result', r.message);
      assert.deepEqual(browser.console.unexpected(), []);
    }),
);

test(
  "?backend=webgpu runs the model on WebGPU (SwiftShader here) after the check, with the CLI's embeddings and top 10",
  { timeout: 8 * TIMEOUT },
  (t) =>
    withSoftwareAdapter(t, 'webgpu', async ({ site, browser, page, backend, facts }) => {
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
        // The scores of WebGPU's top K are not compared, only its ids.
        const got = await assertCliAnswer(page, r, site.cli.get(q.name), `${q.name} on WebGPU`, { scores: false });
        minCosine = Math.min(minCosine, got.cosine);
      }
      t.diagnostic(
        `tiny-embed on WebGPU (SwiftShader): minimum cosine page/CLI ${minCosine.toFixed(9)} (1 − ${(1 - minCosine).toExponential(1)}); ${facts.match(/webgpu backend.*/)?.[0]}`,
      );
      assert.deepEqual(browser.console.unexpected(), []);
    }),
);

test('?backend=wasm never tries WebGPU', { timeout: 3 * TIMEOUT }, () =>
  withSoftwareWebGpu('wasm', async ({ page }) => {
    const { backend, facts } = await backendFacts(page);
    assert.equal(backend, 'wasm');
    assert.match(facts, /wasm backend, \d threads? \(WebGPU not tried \(\?backend=wasm\)\)/);
    const progress = await page.$$eval('#progress-list li', (rows) => rows.map((r) => r.textContent));
    assert.ok(!progress.some((p) => /WebGPU/.test(p)), `nothing of the WebGPU build is downloaded: ${progress}`);
  }),
);
