// The README's screenshot: the page searching the demo collection that
// scripts/demo.sh builds (Debian's clip art and photos), served by
// `lookalike serve` from a sub-path and shot in headless Chromium after a
// query with a photo.
//
//   scripts/demo.sh --no-serve
//   node scripts/readme-screenshot.mjs [--site demo/site] [--query FILE] [--out docs/screenshot.png]
//
// The whole page at 1000 px wide, written as a 256-colour PNG
// (scripts/png-palette.mjs) to stay small (under 300 KB).
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { launchBrowser } from '../tests/browser/engines.mjs';
import { startLookalikeServe } from '../tests/browser/lookalike-serve.mjs';
import { waitReady } from '../tests/browser/harness.mjs';
import { paletteScreenshot } from './png-palette.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    site: { type: 'string', default: join(root, 'demo/site') },
    query: { type: 'string', default: '/usr/share/darknet/data/dog.jpg' },
    out: { type: 'string', default: join(root, 'docs/screenshot.png') },
  },
});
const site = resolve(values.site);
const out = resolve(values.out);
for (const [path, how] of [
  [join(site, 'index.html'), 'build the demo site first: scripts/demo.sh --no-serve'],
  [values.query, 'give a query image with --query FILE'],
])
  if (!existsSync(path)) {
    console.error(`missing ${path}: ${how}`);
    process.exit(1);
  }

// Served from a sub-path (the site folder's name), as on GitHub Pages.
const server = await startLookalikeServe({ root: dirname(site), prefix: `/${basename(site)}/` });
const browser = await launchBrowser({ engine: 'chromium', viewport: { width: 1000, height: 900 } });
try {
  const { page } = browser;
  await page.goto(server.url);
  await waitReady(page);
  await page.selectOption('#k-select', '10');
  await page.setInputFiles('#file-input', values.query);
  await page.waitForFunction(() => document.body.dataset.lastResult !== undefined, null, { timeout: 120_000 });
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
}
