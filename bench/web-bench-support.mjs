// What the browser benchmarks share: their command line, running the tools,
// timeouts, medians, and the WANG collection they index.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { launchBrowser } from '../tests/browser/engines.mjs';
import { startLookalikeServe } from '../tests/browser/lookalike-serve.mjs';
import { startStaticServer } from '../tests/browser/static-server.mjs';
import { instrumentPage } from './page-timing.mjs';

/** `--name value` pairs of the command line as an object. */
export function benchArguments(argv = process.argv.slice(2)) {
  return Object.fromEntries(
    argv.reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
  );
}

/** Stops with what to do when a file a benchmark needs is missing: `needs` is [[path, how to make it], …]. */
export function requireFiles(needs) {
  for (const [path, how] of needs) if (!existsSync(path)) throw new Error(`${path} is missing: ${how}`);
}

/** Runs a program; its stdout, or an error with its stderr. */
export function run(command, commandArgs, options = {}) {
  const result = spawnSync(command, commandArgs, { encoding: 'utf8', maxBuffer: 1 << 28, ...options });
  if (result.status !== 0) throw new Error(`${command} ${commandArgs.join(' ')} failed:\n${result.stderr}`);
  return result.stdout;
}

export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * WANG's images by class (sorted by number), and a collection folder holding
 * the first `itemCount` of them, spread over the classes (class/<file>).
 */
export function wangCollection(wang, itemCount, collection) {
  const classes = readdirSync(wang, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const byClass = classes.map((c) =>
    readdirSync(join(wang, c))
      .filter((f) => /\.jpe?g$/i.test(f))
      .sort((a, b) => parseInt(a, 10) - parseInt(b, 10))
      .map((f) => join(wang, c, f)),
  );
  const perClass = Math.ceil(itemCount / classes.length);
  classes.forEach((c, i) => {
    mkdirSync(join(collection, c), { recursive: true });
    for (const f of byClass[i].slice(0, perClass)) copyFileSync(f, join(collection, c, basename(f)));
  });
  return { classes, byClass, perClass };
}

/**
 * The site (folder holding site/) served isolated (`lookalike serve`: threads)
 * or not (the Node server, as GitHub Pages), in a fresh headless Chromium of
 * 1280×2000 (the results in view) instrumented by page-timing.mjs for
 * `trigger` ('file' or 'text'), at the collection "bench" and ready.
 */
export async function openBenchPage(site, { isolate, trigger }) {
  const server = isolate
    ? await startLookalikeServe({ root: site, prefix: '/site/' })
    : await startStaticServer({ root: site, prefix: '/site/' });
  let browser;
  try {
    browser = await launchBrowser({ engine: 'chromium', viewport: { width: 1280, height: 2000 } });
  } catch (error) {
    await server.close();
    throw error;
  }
  const close = async () => {
    await browser.close();
    await server.close();
  };
  try {
    await browser.context.addInitScript(instrumentPage, { trigger });
    const { page } = browser;
    await page.goto(`${server.url}?collection=bench`);
    await page.waitForFunction(
      () =>
        document.body.dataset.ready === 'true' ||
        document.querySelector('#ready-state')?.getAttribute('data-state') === 'failed',
      null,
      { timeout: 600_000 },
    );
    if ((await page.getAttribute('#ready-state', 'data-state')) !== 'ready')
      throw new Error(`the page did not get ready: ${await page.textContent('#message')}`);
    return { page, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Waits for the run the page started after `before` runs, returning it (page-timing.mjs's record). */
export async function nextRun(page, before, what) {
  await withTimeout(
    page.evaluate((n) => window.__bench.settled(n), before),
    600_000,
    what,
  );
  return page.evaluate(() => {
    const b = window.__bench;
    if (b.current?.error) throw new Error(b.current.error);
    return b.runs[b.runs.length - 1];
  });
}
