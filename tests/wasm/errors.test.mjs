// Errors reach JavaScript as messages and never abort the module: after
// many failures of every entry point the module still works; programming
// errors (a wrong handle, a deleted handle, a wrong argument count) throw
// JavaScript Errors with a message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModule, readBytes, ok, failed } from './support.mjs';

const m = await loadModule();

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
    failed(m.SearchIndex.fromVectors({ featureSpec: 'x', metric: 'l2', dim: 3 }, [0], [1]));
    failed(m.SearchIndex.load(new Uint8Array(8)));
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

test('an allocation the module cannot satisfy is an error result, not an abort', () => {
  // 2.16 GB of floats cannot be copied into a module limited to 2 GiB: the
  // std::bad_alloc must come back as a message. (The JavaScript array is
  // never written, so it costs no real memory; the module fails before
  // touching any.)
  let big;
  try {
    big = new Float32Array(540_000_000);
  } catch {
    return; // this Node cannot reserve it either; nothing to check
  }
  const result = failed(m.SearchIndex.fromVectors({ featureSpec: 'x', metric: 'l2', dim: 4 }, [0], big));
  assert.equal(result.kind, 'too-large');
  assert.match(result.error, /out of memory/);
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
