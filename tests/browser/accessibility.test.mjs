// The page passes axe-core's checks (accessibility.mjs) with no serious or
// critical violation in the states a visitor sees: ready and waiting for an
// image, showing results (the result buttons: their names contain their
// visible text), showing an error, and at a phone's width. Lesser findings
// are printed as diagnostics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAccessible } from './accessibility.mjs';
import { sharePage, uploadQuery, TIMEOUT } from './harness.mjs';

let site;
let page;

sharePage((opened) => {
  site = opened;
  page = opened.page;
});

function report(t, violations) {
  for (const v of violations) t.diagnostic(`${v.id} (${v.impact}, ${v.nodes.length} nodes): ${v.help}`);
}

test('ready, before any query', { timeout: TIMEOUT }, async (t) => {
  report(t, await assertAccessible(page, 'the ready page'));
});

test('with results', { timeout: TIMEOUT }, async (t) => {
  const r = await uploadQuery(page, 'stripes.png');
  assert.equal(r.kind, 'result', r.message);
  report(t, await assertAccessible(page, 'the page with results'));
});

test('with an error message', { timeout: TIMEOUT }, async (t) => {
  const r = await uploadQuery(page, 'truncated.jpg');
  assert.equal(r.kind, 'error', 'truncated.jpg gives an error');
  report(t, await assertAccessible(page, 'the page with an error'));
});

test('at a phone-width screen, with results', { timeout: TIMEOUT }, async (t) => {
  await page.setViewportSize({ width: 360, height: 780 });
  try {
    await uploadQuery(page, 'stripes.png');
    report(t, await assertAccessible(page, 'the page at 360 px with results'));
  } finally {
    await page.setViewportSize({ width: 1280, height: 900 });
  }
});

test('no uncaught errors or unexpected console errors', () => {
  assert.deepEqual(site.console.unexpected(), []);
});
