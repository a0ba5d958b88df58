// Traditional features in WASM agree with the native build within 1e-5
// relative (vectorised sums may add in another order), and L2 normalisation
// gives the native vectors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModule, manifest, readBytes, readFloats, ok, failed, assertCloseArrays } from './support.mjs';

const m = await loadModule();
const reference = manifest();

test('the module knows the same features and metrics as the native build', () => {
  const native = reference.features.map((spec) => spec.split(':')[0]);
  for (const name of m.featureNames()) assert.ok(native.includes(name), `${name} has native reference outputs`);
  assert.deepEqual(m.metricNames(), ['l1', 'l2', 'cosine', 'correlation']);
  assert.deepEqual(m.buildInfo().features, m.featureNames());
});

for (const entry of reference.images.filter((e) => e.ok)) {
  test(`features of ${entry.name} agree with native`, () => {
    for (const spec of reference.features) {
      const need = ok(m.featureInfo(spec)).decodeNeed;
      const d = ok(m.decodeImage(readBytes(entry.file), { need }));
      try {
        const feature = ok(m.computeFeature(spec, d.image), `computeFeature ${spec}`);
        assert.equal(feature.spec, spec, 'canonical spec');
        const native = readFloats(entry.features[spec]);
        assert.equal(feature.dim, native.length);
        assertCloseArrays(feature.vector, native, `${entry.name} ${spec}`);
        const normalised = ok(m.l2Normalize(feature.vector), 'l2Normalize');
        assertCloseArrays(normalised, readFloats(entry.normalised[spec]), `${entry.name} ${spec} normalised`);
      } finally {
        d.image.delete();
      }
    }
  });
}

test('featureInfo canonicalises specs and names the slug', () => {
  const info = ok(m.featureInfo('colour'));
  assert.equal(info.spec, 'colour:bins=8x4x4');
  assert.equal(info.slug, 'colour');
  assert.equal(info.dim, 128);
  assert.equal(ok(m.featureInfo('pixels:size=16')).slug, 'pixels-16');
  assert.equal(ok(m.featureInfo('pixels:size=16')).dim, 768);
  // What each feature needs of a decoded image (decode_need.h): its own working size.
  assert.deepEqual(info.decodeNeed, { shorterSide: 0, longerSide: 384 });
  assert.deepEqual(ok(m.featureInfo('pixels:size=16')).decodeNeed, { shorterSide: 16, longerSide: 384 });
  assert.deepEqual(ok(m.featureInfo('colour-texture')).decodeNeed, { shorterSide: 0, longerSide: 384 });
});

test('unknown features and bad parameters are refused with a reason', () => {
  const d = ok(m.decodeImage(readBytes('inputs/tiny-1x1.png')));
  try {
    assert.match(failed(m.computeFeature('sift', d.image)).error, /unknown feature "sift"/);
    assert.match(failed(m.computeFeature('pixels:size=0', d.image)).error, /size=0 is not an integer in \[1, 1024\]/);
    assert.match(failed(m.computeFeature('colour:bins=8x4', d.image)).error, /needs 3 values/);
    assert.match(failed(m.computeFeature('pixels:colour=1', d.image)).error, /has no parameter "colour"/);
    assert.match(failed(m.featureInfo('')).error, /empty feature name/);
  } finally {
    d.image.delete();
  }
});

test('metricValue gives the natural values', () => {
  assert.equal(ok(m.metricValue('l1', [1, 2, 3], [2, 2, 1])), 3);
  assert.equal(ok(m.metricValue('l2', new Float32Array([0, 3]), new Float32Array([4, 0]))), 5);
  assert.ok(Math.abs(ok(m.metricValue('cosine', [1, 0], [1, 1])) - Math.SQRT1_2) < 1e-7);
  assert.ok(Math.abs(ok(m.metricValue('correlation', [1, 2, 3], [2, 4, 6])) - 1) < 1e-7);
  assert.match(failed(m.metricValue('hamming', [1], [1])).error, /unknown metric "hamming"/);
  assert.match(failed(m.metricValue('l2', [1, 2], [1])).error, /differ in length/);
  assert.match(failed(m.metricValue('l2', [1, 'x'], [1, 2])).error, /a must be a Float32Array or an array of numbers/);
});
