// Errors reach JavaScript as messages and never abort the module: after
// many failures of every entry point the module still works; programming
// errors (a wrong handle, a deleted handle, a wrong argument count) throw
// JavaScript Errors with a message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModule, manifest, readBytes, ok, failed } from './support.mjs';

const m = await loadModule();
const reference = manifest();

test('every entry point answers bad data with an error result, and the module keeps working', () => {
  const good = readBytes('inputs/pattern-rgb.png');
  for (let round = 0; round < 50; ++round) {
    failed(m.decodeImage(readBytes('inputs/truncated.jpg')));
    failed(m.decodeImage(new Uint8Array(0)));
    failed(m.decodeImage(readBytes('inputs/huge-header.png')));
    failed(m.sniffFormat(42));
    failed(m.imageFromPixels(new Uint8Array(3), 5, 5, 3));
    failed(m.featureInfo('nonsense'));
    failed(m.parseModelCard('[]'));
    failed(m.l2Normalize('x'));
    failed(m.metricValue('l9', [], []));
    for (const broken of reference.brokenBundles) failed(m.SearchIndex.load(readBytes(broken.file)));
  }
  const d = ok(m.decodeImage(good));
  try {
    assert.equal(ok(m.computeFeature('colour', d.image)).dim, 128);
  } finally {
    d.image.delete();
  }
});

test('results carry a kind the page can act on', () => {
  assert.equal(m.decodeImage(readBytes('inputs/header.webp')).kind, 'unsupported');
  assert.equal(m.decodeImage(readBytes('inputs/truncated.png')).kind, 'corrupt');
  assert.equal(m.decodeImage(readBytes('inputs/huge-header.png')).kind, 'too-large');
  assert.equal(m.featureInfo('nonsense').kind, 'invalid-argument');
});

test("arrays too large for the module's memory are an error result, not an abort", () => {
  // Neither JavaScript array is ever written, so they cost no real memory;
  // the module refuses them before allocating anything. (An allocation that
  // fails anyway, e.g. when a browser refuses to grow the memory, comes back
  // as a 'too-large' "out of memory" result from js_result.h.)
  let ids;
  let bundle;
  try {
    ids = new Uint32Array(540_000_000);
    bundle = new Uint8Array(2_160_000_000);
  } catch {
    return; // this Node cannot reserve them either; nothing to check
  }
  const index = ok(m.SearchIndex.load(readBytes(reference.bundles[0].file)));
  try {
    const result = failed(index.setLabels(ids, ids));
    assert.equal(result.kind, 'too-large');
    assert.equal(result.error, "ids is 2160000000 bytes, more than this module's memory (2048 MiB) can hold");
  } finally {
    index.delete();
  }
  const tooBig = failed(m.SearchIndex.load(bundle));
  assert.equal(tooBig.kind, 'too-large');
  assert.equal(tooBig.error, "bundle is 2160000000 bytes, more than this module's memory (2048 MiB) can hold");
  const d = ok(m.decodeImage(readBytes('inputs/pattern-rgb.png')));
  d.image.delete();
});

test('programming errors throw JavaScript errors with a message', () => {
  const d = ok(m.decodeImage(readBytes('inputs/tiny-1x1.png')));
  assert.throws(() => m.computeFeature('colour', {}), /Cannot pass .* as a RgbImage/);
  d.image.delete();
  assert.throws(() => m.computeFeature('colour', d.image), /deleted object/);
  assert.throws(() => m.featureInfo(), /called with 0 arguments/);
  // ...and the module still works afterwards.
  const again = ok(m.decodeImage(readBytes('inputs/tiny-1x1.png')));
  assert.equal(ok(m.computeFeature('pixels:size=2', again.image)).dim, 12);
  again.image.delete();
});
