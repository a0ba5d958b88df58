// The browser engines the page is tested in, and how each is started:
// Debian's Chromium over the DevTools protocol and Debian's Firefox ESR over
// WebDriver BiDi, both driven by puppeteer-core with a fresh profile and
// headless. Tests, benchmarks and scripts start browsers only through
// launchBrowser(), and read pages only through the TestPage it returns, so
// whatever runs in one engine runs in the other.
//
// Which engine a test process uses: LOOKALIKE_BROWSER (chromium | firefox,
// default chromium); tests/browser/run.mjs runs the suite once per engine.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { TestPage } from './test-page.mjs';

export const ENGINES = {
  chromium: {
    title: 'Chromium',
    executablePath: '/usr/bin/chromium',
    debianPackage: 'chromium',
    browser: 'chrome',
    protocol: 'cdp',
    // DESIGN.md's flags: no GPU, no sandbox (root in a container), nothing
    // that talks to the network behind the test's back.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    prefs: {},
    browserReports: [],
  },
  firefox: {
    title: 'Firefox ESR',
    executablePath: '/usr/bin/firefox-esr',
    debianPackage: 'firefox-esr',
    browser: 'firefox',
    protocol: 'webDriverBiDi',
    args: [],
    // Nothing that talks to the network behind the test's back.
    prefs: {
      'app.update.enabled': false,
      'browser.safebrowsing.downloads.remote.enabled': false,
      'datareporting.healthreport.uploadEnabled': false,
      'network.captive-portal-service.enabled': false,
      'network.connectivity-service.enabled': false,
    },
    // What Firefox itself reports as a page error though no script failed: an
    // image it cannot display (the page's preview of a corrupt file, which
    // the page reports in its own words).
    browserReports: [/^Image corrupt or truncated\.$/],
  },
};

export const ENGINE_NAMES = Object.keys(ENGINES);

/** The engine this process tests (LOOKALIKE_BROWSER), checked. */
export function currentEngine() {
  const name = process.env.LOOKALIKE_BROWSER || 'chromium';
  if (!ENGINES[name]) throw new Error(`LOOKALIKE_BROWSER=${name}: not one of ${ENGINE_NAMES.join(', ')}`);
  return name;
}

/**
 * Starts `engine` headless with a fresh profile and one page.
 *
 * `chromiumArgs` and `firefoxPrefs` reach only their own engine (e.g. a fake
 * camera is a flag in one and a preference in the other).
 * @returns {Promise<{engine: string, browser: import('puppeteer-core').Browser, page: TestPage, context: object, profile: string, close: () => Promise<void>}>}
 */
export async function launchBrowser({
  engine = currentEngine(),
  viewport = { width: 1280, height: 900 },
  chromiumArgs = [],
  firefoxPrefs = {},
} = {}) {
  const spec = ENGINES[engine];
  if (!spec) throw new Error(`unknown browser engine ${engine} (${ENGINE_NAMES.join(', ')})`);
  const profile = mkdtempSync(join(tmpdir(), `lookalike-${engine}-`));
  const browser = await puppeteer.launch({
    browser: spec.browser,
    protocol: spec.protocol,
    executablePath: spec.executablePath,
    headless: true,
    userDataDir: profile,
    args: [...spec.args, ...(engine === 'chromium' ? chromiumArgs : [])],
    extraPrefsFirefox: { ...spec.prefs, ...(engine === 'firefox' ? firefoxPrefs : {}) },
    defaultViewport: viewport,
    // The tests bound their own waits (harness TIMEOUT); a slow shared machine must not fail the launch.
    timeout: 120_000,
    protocolTimeout: 300_000,
  });
  const first = (await browser.pages())[0] ?? (await browser.newPage());
  await first.setViewport(viewport);
  const pages = [new TestPage(first, engine)];
  const context = {
    /** The pages opened in this browser. */
    pages: () => pages,
    async newPage() {
      const page = new TestPage(await browser.newPage(), engine);
      await page.setViewportSize(viewport);
      pages.push(page);
      return page;
    },
    /** Runs `script` in every page of this browser before the page's own scripts, from the next navigation on. */
    async addInitScript(script, arg) {
      for (const page of pages) await page.raw.evaluateOnNewDocument(script, arg);
    },
    async setOffline(offline) {
      for (const page of pages) await page.raw.setOfflineMode(offline);
    },
    close: () => close(),
  };
  let closed = false;
  async function close() {
    if (closed) return;
    closed = true;
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
  return { engine, browser, page: pages[0], context, profile, close };
}
