// The README's screenshot: the page searching a small realistic collection
// (Debian darknet's sample photos, views of them and generated patterns,
// made by tests/browser/make_demo_collection), assembled with
// scripts/build-site.sh, served by `lookalike serve` and shot in headless
// Chromium after a query that is none of the collection's images.
//
//   node scripts/readme-screenshot.mjs [--out docs/screenshot.png]
//
// Needs build/native (make_demo_collection, lookalike), build/wasm and the
// web build (web/dist). The whole page at 1000 px wide, written as a
// 256-colour PNG (scripts/png-palette.mjs) to stay small (under 300 KB).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../tests/browser/engines.mjs';
import { startLookalikeServe } from '../tests/browser/lookalike-serve.mjs';
import { waitReady } from '../tests/browser/harness.mjs';
import { paletteScreenshot } from './png-palette.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outIndex = process.argv.indexOf('--out');
const out = resolve(outIndex > 0 ? process.argv[outIndex + 1] : join(root, 'docs/screenshot.png'));
const maker = join(root, 'build/native/tests/browser/make_demo_collection');
for (const [path, how] of [
  [maker, 'build the native preset'],
  [join(root, 'web/dist/index.html'), 'build the web app (source scripts/lib.sh; build_web)'],
])
  if (!existsSync(path)) {
    console.error(`missing ${path}: ${how}`);
    process.exit(1);
  }

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const work = mkdtempSync(join(tmpdir(), 'lookalike-screenshot-'));
run(maker, [join(work, 'demo')]);
run(join(root, 'scripts/build-site.sh'), [
  '--no-build',
  '--data',
  join(work, 'demo/site'),
  '--out',
  join(work, 'served/lookalike'),
]);
const server = await startLookalikeServe({ root: join(work, 'served'), prefix: '/lookalike/' });
const browser = await launchBrowser({ engine: 'chromium', viewport: { width: 1000, height: 900 } });
try {
  const { page } = browser;
  await page.goto(server.url);
  await waitReady(page);
  await page.selectOption('#k-select', '10');
  await page.setInputFiles('#file-input', join(work, 'demo/query.jpg'));
  await page.waitForFunction(() => document.body.dataset.lastResult !== undefined, null, { timeout: 60_000 });
  await page.waitForFunction(
    () =>
      Array.from(document.querySelectorAll('#result-grid img, #query-image, #sample-list img')).every(
        (i) => i.complete && i.naturalWidth > 0,
      ),
    null,
    { timeout: 60_000 },
  );
  writeFileSync(out, paletteScreenshot(await page.screenshot({ fullPage: true })));
  console.log(`${out}: ${(statSync(out).size / 1024).toFixed(0)} KB — ${await page.textContent('#results-summary')}`);
} finally {
  await browser.close();
  await server.close();
  rmSync(work, { recursive: true, force: true });
}
