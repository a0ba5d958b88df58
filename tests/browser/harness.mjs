// What the browser tests share: the test site and its native answers (made
// by run.mjs), served by `lookalike serve` (or, for a host without
// cross-origin isolation, the Node server), a headless browser with a fresh
// profile in the engine under test (engines.mjs: Chromium or Firefox ESR),
// the page's state read from the DOM, and console checks.
import { after, before } from 'node:test';
import { cpSync, readFileSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { currentEngine, ENGINES, launchBrowser } from './engines.mjs';
import { startLookalikeServe } from './lookalike-serve.mjs';
import { startStaticServer } from './static-server.mjs';

export const sourceDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const workDir = process.env.LOOKALIKE_BROWSER_WORK ?? join(sourceDir, 'build/native/tests/browser/work');
/** The assembled site is served from this sub-path, as on GitHub Pages (https://user.github.io/repo/). */
export const SUB_PATH = '/repo/';
export const siteRoot = join(workDir, 'served'); // holds repo/ = the site
export const queriesDir = join(workDir, 'collection/queries');
export const outDir = process.env.LOOKALIKE_TEST_OUT ?? join(sourceDir, 'tests/out/browser');

export const TIMEOUT = 90_000;
/** The engine under test in this process (LOOKALIKE_BROWSER; run.mjs runs the suite in each). */
export const ENGINE = currentEngine();

/** The native answers (make_test_collection's expected.json). */
export function expected() {
  return JSON.parse(readFileSync(join(workDir, 'collection/expected.json'), 'utf8'));
}

/** Where a test's screenshot goes; one per engine (results.png in Chromium, results.firefox.png in Firefox). */
export function screenshotPath(name) {
  mkdirSync(outDir, { recursive: true });
  return join(outDir, ENGINE === 'chromium' ? name : name.replace(/(\.\w+)$/, `.${ENGINE}$1`));
}

/**
 * Serves the site and starts a browser with a fresh profile. The server is
 * `lookalike serve` (cross-origin isolated, as DESIGN.md has the page
 * served); `isolate: false` stands for a host such as GitHub Pages, which
 * sends no COOP/COEP: lookalike serve always sends them, so the Node server
 * (static-server.mjs) plays that host, and can hold answers back (`gate`,
 * see static-server.mjs). `server`, when given, starts another server
 * ({root, prefix} → the same interface). `chromiumArgs` and `firefoxPrefs`
 * reach only their own engine.
 */
export async function openSite({
  isolate = true,
  root = siteRoot,
  prefix = SUB_PATH,
  viewport = { width: 1280, height: 900 },
  chromiumArgs = [],
  firefoxPrefs = {},
  gate,
  server: startServer = null,
} = {}) {
  if (gate && (isolate || startServer))
    throw new Error('openSite: only the Node server (isolate: false) can hold answers back');
  const server = startServer
    ? await startServer({ root, prefix })
    : isolate
      ? await startLookalikeServe({ root, prefix })
      : await startStaticServer({ root, prefix, gate });
  let session;
  try {
    session = await launchBrowser({ viewport, chromiumArgs, firefoxPrefs });
  } catch (error) {
    await server.close();
    throw error;
  }
  const console = watchConsole(session.page);
  return {
    server,
    engine: session.engine,
    context: session.context,
    page: session.page,
    console,
    profile: session.profile,
    async close() {
      await session.close();
      await server.close();
    },
  };
}

/**
 * openSite, then its page (`search`: what follows the page's URL, e.g.
 * '?collection=x'), ready (`ready: false`: only loaded, ready or failed).
 * `beforeLoad(site)` runs before the page loads (init scripts). Closes the
 * site when the page does not get there.
 */
export async function openPage({ search = '', ready = true, beforeLoad = null, ...siteOptions } = {}) {
  const site = await openSite(siteOptions);
  try {
    if (beforeLoad) await beforeLoad(site);
    await site.page.goto(`${site.server.url}${search}`);
    if (ready) await waitReady(site.page);
    return site;
  } catch (error) {
    await site.close();
    throw error;
  }
}

/** openPage(options), then `body(site)`; closes the site whatever happens and returns what `body` returns. */
export async function withPage(options, body) {
  const site = await openPage(options);
  try {
    return await body(site);
  } finally {
    await site.close();
  }
}

/**
 * One ready page for all the tests of a file: opened before them
 * (openPage(options)), handed to `use(site)`, closed after them.
 */
export function sharePage(use, options = {}) {
  let site = null;
  before(
    async () => {
      site = await openPage(options);
      use(site);
    },
    { timeout: TIMEOUT },
  );
  after(async () => {
    await site?.close();
  });
}

/** A copy of the test site under its own root (for openSite's `root`), changed by `change(siteDir)`. */
export function siteVariant(name, change) {
  const root = join(workDir, 'variants', name);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  cpSync(join(siteRoot, SUB_PATH), join(root, SUB_PATH), { recursive: true });
  change(join(root, SUB_PATH));
  return root;
}

/** Waits until the page is ready or has failed; its state and message. */
export async function readyState(page) {
  await page.waitForFunction(
    () => ['ready', 'failed'].includes(document.querySelector('#ready-state')?.getAttribute('data-state')),
    null,
    { timeout: TIMEOUT },
  );
  return { state: await page.getAttribute('#ready-state', 'data-state'), message: await page.textContent('#message') };
}

/** Collects console errors and uncaught exceptions (page and its worker). */
export function watchConsole(page) {
  const errors = [];
  const allowed = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
  });
  const browserReports = ENGINES[page.engine].browserReports;
  page.on('pageerror', (error) => {
    if (!browserReports.some((pattern) => pattern.test(error.message))) errors.push(`uncaught: ${error.message}`);
  });
  // The page's workers log on their own (where the protocol reports workers: Chromium's does).
  page.on('workercreated', (worker) =>
    worker.on('console', (message) => {
      if (message.type() === 'error') errors.push(`worker console.error: ${message.text()}`);
    }),
  );
  return {
    errors,
    /** Errors expected during `action` (e.g. the browser's own CORS report) matching `pattern` are not counted. */
    async allowing(pattern, action) {
      allowed.push(pattern);
      try {
        return await action();
      } finally {
        allowed.splice(allowed.indexOf(pattern), 1);
        for (let i = errors.length - 1; i >= 0; --i) if (pattern.test(errors[i])) errors.splice(i, 1);
      }
    },
    unexpected() {
      return errors.filter((e) => !allowed.some((p) => p.test(e)));
    },
  };
}

/**
 * The ONNX Runtime thread count the page should report: up to 4 when it is
 * cross-origin isolated, 1 otherwise, and 1 in Firefox (web/src/worker/ort-runtime.ts says why).
 */
export async function expectedOrtThreads(page, { isolated = true } = {}) {
  if (!isolated || page.engine === 'firefox') return 1;
  return page.evaluate(() => Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1)));
}

export async function waitReady(page, { timeout = TIMEOUT } = {}) {
  try {
    await page.waitForFunction(
      () =>
        document.body.dataset.ready === 'true' ||
        document.querySelector('#ready-state')?.getAttribute('data-state') === 'failed',
      null,
      { timeout },
    );
  } catch (error) {
    // Say where the page stood: which downloads and steps had finished.
    const where = await page
      .evaluate(() =>
        ['#ready-state', '#message', '#progress-list', '#facts']
          .map((s) => `${s}: ${document.querySelector(s)?.textContent ?? '(none)'}`)
          .join('\n'),
      )
      .catch((e) => `(the page could not be read: ${e.message})`);
    throw new Error(`the page did not get ready within ${timeout / 1000} s: ${error.message}\n${where}`);
  }
  const state = await page.getAttribute('#ready-state', 'data-state');
  if (state !== 'ready') throw new Error(`the page did not get ready: ${await page.textContent('#message')}`);
}

async function answerMarks(page) {
  return page.evaluate(() => ({
    result: document.body.dataset.lastResult ?? '',
    error: document.body.dataset.lastError ?? '',
  }));
}

/** Runs `action` and waits for the page's next answer; returns {kind: 'result'|'error', ...}. */
export async function answerTo(page, action) {
  const before = await answerMarks(page);
  await action();
  await page.waitForFunction(
    (b) => (document.body.dataset.lastResult ?? '') !== b.result || (document.body.dataset.lastError ?? '') !== b.error,
    before,
    { timeout: TIMEOUT },
  );
  const after = await answerMarks(page);
  if (after.error !== before.error && Number(after.error) > Number(after.result || 0))
    return { kind: 'error', message: await page.textContent('#message') };
  return { kind: 'result', ...(await readResults(page)) };
}

export async function readResults(page) {
  return page.evaluate(() => ({
    hits: Array.from(document.querySelectorAll('#result-grid li.result'), (li) => ({
      id: Number(li.getAttribute('data-id')),
      score: Number(li.getAttribute('data-score')),
      rank: Number(li.getAttribute('data-rank')),
      title: li.querySelector('.title')?.textContent ?? null,
      label: li.querySelector('.label')?.textContent ?? null,
      credit: li.querySelector('.credit')?.textContent ?? null,
      links: Array.from(li.querySelectorAll('.meta a'), (a) => a.getAttribute('href')),
      imgAlt: li.querySelector('img')?.getAttribute('alt') ?? null,
      imgSrc: li.querySelector('img')?.getAttribute('src') ?? null,
    })),
    caption: document.querySelector('#query-caption')?.textContent ?? '',
    notes: document.querySelector('#notes')?.textContent ?? '',
    timing: document.querySelector('#timing')?.textContent ?? '',
    message: document.querySelector('#message')?.hidden ? '' : (document.querySelector('#message')?.textContent ?? ''),
    summary: document.querySelector('#results-summary')?.textContent ?? '',
  }));
}

export async function uploadQuery(page, file) {
  return answerTo(page, () =>
    page.setInputFiles('#file-input', typeof file === 'string' ? join(queriesDir, file) : file),
  );
}

export async function choose(page, select, value) {
  return answerTo(page, () => page.selectOption(select, value));
}

/**
 * Sets a control to `value` explicitly (tests never rely on which option a
 * list happens to start with). When the page has a query, a change re-runs
 * it: waits for that answer and returns it; returns null when nothing ran
 * (no query yet, or the value was already set).
 */
export async function setControl(page, select, value) {
  if ((await page.inputValue(select)) === value) return null;
  const asked = await page.evaluate(() => Boolean(document.body.dataset.lastResult || document.body.dataset.lastError));
  if (!asked) {
    await page.selectOption(select, value);
    return null;
  }
  return choose(page, select, value);
}

/** Sets feature and metric explicitly, then runs `file` as the query. */
export async function queryWith(page, file, { feature, metric }) {
  await setControl(page, '#feature-select', feature);
  if (metric) await setControl(page, '#metric-select', metric);
  return uploadQuery(page, file);
}
