// The camera query, with the browser's fake camera (a generated test
// pattern) and its permission prompt answered yes: the photo is captured as PNG,
// decoded by the core and searched; cancelling closes the camera.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerTo, openSite, waitReady, TIMEOUT } from './harness.mjs';

test('a photo from the camera is searched', { timeout: 3 * TIMEOUT }, async () => {
  const site = await openSite({
    chromiumArgs: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
    firefoxPrefs: { 'media.navigator.streams.fake': true, 'media.navigator.permission.disabled': true },
  });
  const { page } = site;
  try {
    await page.goto(site.server.url);
    await waitReady(page);
    assert.equal(await page.isVisible('#camera-button'), true, 'the camera button is offered');
    await page.click('#camera-button');
    await page.waitForFunction(
      () => document.querySelector('#camera-dialog').open && document.querySelector('#camera-video').videoWidth > 0,
      null,
      { timeout: TIMEOUT },
    );
    const r = await answerTo(page, () => page.click('#camera-capture'));
    assert.equal(r.kind, 'result', r.message);
    assert.match(r.caption, /^camera photo — \d+×\d+ PNG/);
    assert.equal(r.hits.length, 10);
    assert.equal(await page.evaluate(() => document.querySelector('#camera-dialog').open), false, 'the dialog closed');
    assert.equal(
      await page.evaluate(() => document.querySelector('#camera-video').srcObject),
      null,
      'the camera is off',
    );
    await page.click('#camera-button');
    await page.waitForFunction(
      () => document.querySelector('#camera-dialog').open && document.querySelector('#camera-video').videoWidth > 0,
      null,
      { timeout: TIMEOUT },
    );
    await page.click('#camera-cancel');
    assert.equal(await page.evaluate(() => document.querySelector('#camera-dialog').open), false);
    assert.deepEqual(site.console.unexpected(), []);
  } finally {
    await site.close();
  }
});
