// Model preprocessing in WASM gives bit-identical tensors to the native
// build, for cards covering both resize modes, every filter, both crop
// roundings and both channel orders, each image decoded for the card's
// decode need as the CLI decodes it (12-megapixel photos reduced).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModule, manifest, readBytes, readFloats, ok, failed, firstDifference } from './support.mjs';

const m = await loadModule();
const reference = manifest();

for (const entry of reference.images.filter((e) => e.ok)) {
  test(`tensors of ${entry.name} are identical to native`, () => {
    for (const [cardName, cardJson] of Object.entries(reference.cards)) {
      const card = ok(m.parseModelCard(cardJson));
      const d = ok(m.decodeImage(readBytes(entry.file), { need: card.decodeNeed }));
      try {
        const input = ok(m.preprocessForModel(cardJson, d.image), `preprocess ${cardName}`);
        assert.deepEqual(input.dims, card.dims);
        assert.equal(input.inputName, card.inputName);
        const native = readFloats(entry.tensors[cardName]);
        assert.equal(input.tensor.length, 3 * card.dims[2] * card.dims[3]);
        const at = firstDifference(input.tensor, native);
        assert.equal(at, -1, `${cardName}: tensor differs at ${at}: ${input.tensor[at]} vs native ${native[at]}`);
      } finally {
        d.image.delete();
      }
    }
  });
}

test('parseModelCard reports the fields the worker needs', () => {
  const card = ok(m.parseModelCard(reference.cards['imagenet-crop']));
  assert.deepEqual(card.dims, [1, 3, 224, 224]);
  assert.equal(card.featureSpec, 'model:imagenet-crop');
  assert.equal(card.inputName, 'input');
  assert.equal(card.outputName, 'embedding');
  assert.equal(card.outputDim, 1280);
  assert.equal(card.l2Normalize, true);
  assert.equal(card.file, 'm.onnx');
  const bgr = ok(m.parseModelCard(reference.cards['bicubic-bgr']));
  assert.deepEqual(bgr.dims, [1, 3, 48, 64]);
  assert.equal(bgr.l2Normalize, false);
});

test('invalid model cards are refused with the field named', () => {
  assert.match(failed(m.parseModelCard('{')).error, /model card: not valid JSON/);
  assert.match(failed(m.parseModelCard('{"name":"x"}')).error, /model card: model is missing/);
  const broken = JSON.parse(reference.cards['imagenet-crop']);
  broken.input.mean = [0.5, 0.5];
  assert.match(failed(m.parseModelCard(JSON.stringify(broken))).error, /input\.mean must be an array of 3 numbers/);
  const d = ok(m.decodeImage(readBytes('inputs/tiny-1x1.png')));
  try {
    assert.match(failed(m.preprocessForModel(JSON.stringify(broken), d.image)).error, /input\.mean/);
  } finally {
    d.image.delete();
  }
  assert.match(failed(m.parseModelCard(42)).error, /model card must be a string/);
});
