// The page API the browser tests use, the same in every engine
// (engines.mjs): a thin layer over puppeteer-core's Page that waits for an
// element before reading or acting on it, as a user would, and takes test
// files by path or as {name, mimeType, buffer}. `raw` is puppeteer's Page
// for anything else (it works in both engines unless puppeteer says otherwise).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

/** How long an element may take to appear before a read or an action fails. */
const ELEMENT_TIMEOUT = 90_000;

export class TestPage {
  constructor(page, engine) {
    this.raw = page;
    this.engine = engine;
    this.keyboard = page.keyboard;
  }

  on(event, handler) {
    this.raw.on(event, handler);
    return this;
  }

  goto(url) {
    return this.raw.goto(url, { waitUntil: 'load', timeout: ELEMENT_TIMEOUT });
  }

  reload() {
    return this.raw.reload({ waitUntil: 'load', timeout: ELEMENT_TIMEOUT });
  }

  evaluate(fn, arg) {
    return this.raw.evaluate(fn, arg);
  }

  /** Waits until `fn(arg)` is truthy in the page; returns its value. */
  async waitForFunction(fn, arg, { timeout = ELEMENT_TIMEOUT } = {}) {
    const handle = await this.raw.waitForFunction(fn, { timeout, polling: 50 }, arg);
    const value = await handle.jsonValue();
    await handle.dispose();
    return value;
  }

  async element(selector) {
    const handle = await this.raw.waitForSelector(selector, { timeout: ELEMENT_TIMEOUT });
    if (!handle) throw new Error(`no element ${selector}`);
    return handle;
  }

  async $eval(selector, fn, arg) {
    await this.element(selector);
    return this.raw.$eval(selector, fn, arg);
  }

  $$eval(selector, fn, arg) {
    return this.raw.$$eval(selector, fn, arg);
  }

  textContent(selector) {
    return this.$eval(selector, (e) => e.textContent);
  }

  getAttribute(selector, name) {
    return this.$eval(selector, (e, n) => e.getAttribute(n), name);
  }

  inputValue(selector) {
    return this.$eval(selector, (e) => e.value);
  }

  /** Whether the element exists and takes space on the page (now, without waiting). */
  isVisible(selector) {
    return this.raw.evaluate((s) => {
      const e = document.querySelector(s);
      if (!e) return false;
      const style = getComputedStyle(e);
      const box = e.getBoundingClientRect();
      return style.visibility !== 'hidden' && style.display !== 'none' && box.width > 0 && box.height > 0;
    }, selector);
  }

  async isHidden(selector) {
    return !(await this.isVisible(selector));
  }

  /** Clicks the element once it is visible, enabled and still. */
  click(selector) {
    return this.raw.locator(selector).setTimeout(ELEMENT_TIMEOUT).click();
  }

  async focus(selector) {
    await this.element(selector);
    await this.raw.focus(selector);
  }

  fill(selector, text) {
    return this.raw.locator(selector).setTimeout(ELEMENT_TIMEOUT).fill(text);
  }

  async press(selector, key) {
    await this.focus(selector);
    await this.raw.keyboard.press(key);
  }

  /** Selects the option with this value; the page sees the same `input` and `change` events as from a user. */
  async selectOption(selector, value) {
    await this.element(selector);
    const selected = await this.raw.select(selector, value);
    if (!selected.includes(value)) throw new Error(`${selector} has no option ${value}`);
  }

  /**
   * Chooses a file in a file input: a path, or {name, mimeType, buffer}
   * (written to a temporary file of that name, which is what the page sees).
   */
  async setInputFiles(selector, file) {
    let path = file;
    if (typeof file !== 'string') {
      path = join(mkdtempSync(join(tmpdir(), 'lookalike-upload-')), basename(file.name));
      writeFileSync(path, file.buffer);
    }
    const input = await this.element(selector);
    await input.uploadFile(path);
    await input.dispose();
  }

  setViewportSize({ width, height }) {
    return this.raw.setViewport({ width, height });
  }

  screenshot(options) {
    return this.raw.screenshot(options);
  }
}
