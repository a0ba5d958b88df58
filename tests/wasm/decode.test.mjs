// Decoding in WASM gives exactly the native pixels, for every format the core
// decodes and for real photos, at full size and reduced for each feature's
// and card's decode need (12-megapixel photos included); refused inputs get
// the native error message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModule, manifest, readBytes, ok, failed, firstDifference } from './support.mjs';

const m = await loadModule();
const reference = manifest();

for (const entry of reference.images) {
  test(`decode ${entry.name} (${entry.note})`, () => {
    const result = m.decodeImage(readBytes(entry.file), { pixels: 'rgb' });
    if (!entry.ok) {
      failed(result, `decoding ${entry.name}`);
      assert.equal(result.kind, entry.kind);
      assert.equal(result.error, entry.error, 'the same message as the native build');
      return;
    }
    const d = ok(result, `decoding ${entry.name}`);
    try {
      assert.equal(d.reduction, 1);
      assert.equal(d.jpegScale, 1);
      assert.equal(d.width, entry.width);
      assert.equal(d.height, entry.height);
      assert.equal(d.format, entry.format.toLowerCase());
      assert.equal(d.orientation, entry.orientation);
      assert.equal(d.storedWidth, entry.storedWidth);
      assert.equal(d.storedHeight, entry.storedHeight);
      assert.equal(d.hadAlpha, entry.hadAlpha);
      assert.equal(d.channels, 3);
      if (entry.large) return; // its full-size pixels are not stored; its reduced decodes are compared below
      const native = readBytes(entry.rgb);
      assert.equal(firstDifference(d.pixels, native), -1, 'decoded pixels identical to native');
      assert.equal(firstDifference(d.image.rgb(), native), -1, 'RgbImage.rgb() identical to native');
      assert.equal(d.image.width, entry.width);
      assert.equal(d.image.height, entry.height);
    } finally {
      d.image.delete();
    }
  });
}

for (const entry of reference.images.filter((e) => e.ok)) {
  test(`decode ${entry.name} for each decode need (${entry.note})`, () => {
    for (const native of entry.decodes) {
      const d = ok(m.decodeImage(readBytes(entry.file), { need: native.need }), `decoding ${entry.name}`);
      try {
        const what = `${entry.name} with need ${JSON.stringify(native.need)}`;
        assert.equal(d.reduction, native.reduction, what);
        assert.equal(d.jpegScale, native.jpegScale, what);
        assert.deepEqual([d.width, d.height], [native.width, native.height], what);
        assert.equal(firstDifference(d.image.rgb(), readBytes(native.rgb)), -1, `${what}: pixels identical to native`);
      } finally {
        d.image.delete();
      }
    }
  });
}

test('a 12-megapixel photo is decoded reduced for a model card, as the card needs', () => {
  const phone = reference.images.find((e) => e.name === 'phone-12mp-progressive-exif6.jpg');
  if (!phone) return; // darknet's photos are missing: manifest.skipped says so
  const card = ok(m.parseModelCard(reference.cards['imagenet-crop']));
  assert.deepEqual(card.decodeNeed, { shorterSide: 512, longerSide: 0 });
  const d = ok(m.decodeImage(readBytes(phone.file), { need: card.decodeNeed }));
  try {
    // Up to 5 would keep 512 (ceil(3024 / 5) = 605); the DCT takes 4 of it, and
    // an area filter of 5 / 4 = 1 leaves nothing more.
    assert.equal(d.reduction, 4);
    assert.equal(d.jpegScale, 4);
    assert.deepEqual([d.width, d.height], [756, 1008]); // upright: portrait
    assert.deepEqual([d.storedWidth, d.storedHeight], [4032, 3024]);
  } finally {
    d.image.delete();
  }
});

test('rgba() adds an opaque alpha channel to the same pixels', () => {
  const entry = reference.images.find((e) => e.name === 'pattern-rgb.png');
  const d = ok(m.decodeImage(readBytes(entry.file), { pixels: 'rgba' }));
  try {
    const rgb = readBytes(entry.rgb);
    assert.equal(d.channels, 4);
    assert.equal(d.pixels.length, (rgb.length / 3) * 4);
    for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) {
      assert.equal(d.pixels[j], rgb[i]);
      assert.equal(d.pixels[j + 1], rgb[i + 1]);
      assert.equal(d.pixels[j + 2], rgb[i + 2]);
      assert.equal(d.pixels[j + 3], 255);
    }
  } finally {
    d.image.delete();
  }
});

test('EXIF orientation is applied unless asked not to', () => {
  const entry = reference.images.find((e) => e.name === 'exif-6.jpg');
  const upright = ok(m.decodeImage(readBytes(entry.file)));
  const stored = ok(m.decodeImage(readBytes(entry.file), { applyExifOrientation: false }));
  try {
    assert.equal(upright.orientation, 6);
    assert.deepEqual([upright.width, upright.height], [stored.height, stored.width]);
    assert.deepEqual([stored.width, stored.height], [entry.storedWidth, entry.storedHeight]);
  } finally {
    upright.image.delete();
    stored.image.delete();
  }
});

test('imageFromPixels composites straight RGBA onto white exactly like the decoder', () => {
  const { file, width, height, decoded } = reference.rgba;
  const entry = reference.images.find((e) => e.name === decoded);
  const image = ok(m.imageFromPixels(readBytes(file), width, height, 4), 'imageFromPixels');
  try {
    assert.equal(firstDifference(image.rgb(), readBytes(entry.rgb)), -1);
  } finally {
    image.delete();
  }
  const rgb = readBytes(entry.rgb);
  const copy = ok(m.imageFromPixels(rgb, width, height, 3));
  try {
    assert.equal(firstDifference(copy.rgb(), rgb), -1, '3 channels are taken as they are');
  } finally {
    copy.delete();
  }
});

test('imageFromPixels refuses inconsistent sizes and channel counts', () => {
  assert.match(failed(m.imageFromPixels(new Uint8Array(11), 2, 2, 3)).error, /holds 11 bytes, expected 12/);
  assert.match(failed(m.imageFromPixels(new Uint8Array(8), 2, 2, 2)).error, /channels must be 3 \(RGB\) or 4 \(RGBA\)/);
  assert.match(failed(m.imageFromPixels(new Uint8Array(0), 0, 5, 3)).error, /out of range/);
  assert.match(failed(m.imageFromPixels('pixels', 1, 1, 3)).error, /pixels must be an ArrayBuffer or a typed array/);
});

test('sniffFormat names formats, including those only the browser decodes', () => {
  for (const entry of reference.images) {
    const sniffed = ok(m.sniffFormat(readBytes(entry.file)));
    if (entry.ok) {
      assert.equal(sniffed.format, entry.format.toLowerCase());
      assert.equal(sniffed.coreDecodes, true);
    }
  }
  const webp = ok(m.sniffFormat(readBytes('inputs/header.webp')));
  assert.deepEqual(webp, { format: 'webp', coreDecodes: false });
  const heic = ok(m.sniffFormat(readBytes('inputs/header.heic')));
  assert.deepEqual(heic, { format: 'heic', coreDecodes: false });
});

test('bytes may be an ArrayBuffer, a typed array or a view into a larger buffer', () => {
  const entry = reference.images.find((e) => e.name === 'pattern-rgb.png');
  const bytes = readBytes(entry.file);
  const padded = new Uint8Array(bytes.length + 16);
  padded.set(bytes, 7);
  const variants = [
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
    padded.subarray(7, 7 + bytes.length),
    new DataView(padded.buffer, 7, bytes.length),
  ];
  for (const variant of variants) {
    const d = ok(m.decodeImage(variant, { pixels: 'rgb' }));
    assert.equal(firstDifference(d.pixels, readBytes(entry.rgb)), -1);
    d.image.delete();
  }
});

test('decode options are checked', () => {
  const bytes = readBytes('inputs/pattern-rgb.png');
  assert.match(failed(m.decodeImage(bytes, { pixels: 'bgr' })).error, /option pixels must be "none", "rgb" or "rgba"/);
  assert.match(failed(m.decodeImage(bytes, { maxPixels: 'many' })).error, /option maxPixels must be a number/);
  assert.match(failed(m.decodeImage(bytes, { maxPixels: 100 })).error, /over the limit/);
  assert.match(failed(m.decodeImage(bytes, 'fast')).error, /options must be an object/);
  assert.match(failed(m.decodeImage(bytes, { need: 5 })).error, /option need must be an object/);
  assert.match(failed(m.decodeImage(bytes, { need: { shorterSide: -1 } })).error, /option shorterSide must be within/);
});
