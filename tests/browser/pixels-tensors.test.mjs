// Pixels and tensors in the browser: the WASM module the page runs, loaded
// in headless Chromium, decodes every reference input (every format the core
// decodes, darknet's photos, two 12-megapixel phone-like JPEGs) to exactly
// the native build's pixels, at full size and reduced for each feature's and
// card's decode need, and makes exactly the native model tensors (each from
// the decode for its card's need, as the CLI and the page's worker do);
// features agree as in the Node tests (within 1e-5 relative: vectorised
// sums may add in another order). The native side is wasm_parity_reference,
// the same program the Node tests of tests/wasm compare against.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sourceDir, workDir, openSite, TIMEOUT } from './harness.mjs';

const root = join(workDir, 'pixels-tensors');
const reference = join(root, 'site/reference');

function prepare() {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(join(root, 'site/module'), { recursive: true });
  const program = join(sourceDir, 'build/native/tests/wasm/wasm_parity_reference');
  const written = spawnSync(program, [reference], { encoding: 'utf8' });
  if (written.status !== 0) throw new Error(`${program} failed:\n${written.stderr}${written.stdout}`);
  for (const file of ['lookalike_wasm.mjs', 'lookalike_wasm.wasm'])
    copyFileSync(join(sourceDir, 'build/wasm/wasm', file), join(root, 'site/module', file));
  writeFileSync(
    join(root, 'site/index.html'),
    '<!doctype html><link rel="icon" href="data:,"><title>pixels and tensors</title>',
  );
  return JSON.parse(readFileSync(join(reference, 'manifest.json'), 'utf8'));
}

/** Runs in the page: every comparison, returning what was compared and what differed. */
async function compareInPage(base) {
  const { default: create } = await import(`${base}module/lookalike_wasm.mjs`);
  const fetched = async (path) => new Uint8Array(await (await fetch(`${base}reference/${path}`)).arrayBuffer());
  const floats = async (path) => new Float32Array((await fetched(path)).buffer);
  const m = await create({ wasmBinary: await (await fetch(`${base}module/lookalike_wasm.wasm`)).arrayBuffer() });
  const manifest = JSON.parse(new TextDecoder().decode(await fetched('manifest.json')));
  const firstDifference = (a, b) => {
    if (a.length !== b.length) return Math.min(a.length, b.length);
    for (let i = 0; i < a.length; ++i) if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return i;
    return -1;
  };
  const differences = [];
  const counts = { pixels: 0, reducedPixels: 0, tensors: 0, features: 0, largeTensors: 0 };
  const decoded = (bytes, options) => {
    const r = m.decodeImage(bytes, options);
    if (!r.ok) throw new Error(r.error);
    return r.value;
  };
  for (const entry of manifest.images.filter((e) => e.ok)) {
    const bytes = await fetched(entry.file);
    if (!entry.large) {
      const d = decoded(bytes);
      const at = firstDifference(d.image.rgb(), await fetched(entry.rgb));
      if (at >= 0) differences.push(`${entry.name}: full-size pixels differ at byte ${at}`);
      d.image.delete();
      ++counts.pixels;
    }
    for (const native of entry.decodes) {
      const d = decoded(bytes, { need: native.need });
      const what = `${entry.name} with need ${JSON.stringify(native.need)}`;
      if (d.reduction !== native.reduction || d.width !== native.width || d.height !== native.height)
        differences.push(`${what}: ${d.width}×${d.height} (1/${d.reduction}), native ${native.width}×${native.height}`);
      const at = firstDifference(d.image.rgb(), await fetched(native.rgb));
      if (at >= 0) differences.push(`${what}: pixels differ at byte ${at}`);
      d.image.delete();
      ++counts.reducedPixels;
    }
    for (const [name, json] of Object.entries(manifest.cards)) {
      const card = m.parseModelCard(json);
      const d = decoded(bytes, { need: card.value.decodeNeed });
      const input = m.preprocessForModel(json, d.image);
      d.image.delete();
      if (!input.ok) {
        differences.push(`${entry.name} ${name}: ${input.error}`);
        continue;
      }
      const at = firstDifference(input.value.tensor, await floats(entry.tensors[name]));
      if (at >= 0) differences.push(`${entry.name} ${name}: tensor differs at ${at}`);
      ++counts.tensors;
      if (entry.large) ++counts.largeTensors;
    }
    for (const spec of manifest.features) {
      const info = m.featureInfo(spec);
      const d = decoded(bytes, { need: info.value.decodeNeed });
      const feature = m.computeFeature(spec, d.image);
      d.image.delete();
      const native = await floats(entry.features[spec]);
      const vector = feature.ok ? feature.value.vector : new Float32Array(0);
      const far =
        vector.length !== native.length ||
        vector.some((v, i) => Math.abs(v - native[i]) > 1e-5 * Math.max(1, Math.abs(native[i])));
      if (far) differences.push(`${entry.name} ${spec}: feature differs from native`);
      ++counts.features;
    }
  }
  return { differences, counts, skipped: manifest.skipped, userAgent: navigator.userAgent };
}

let run = null;
/** The reference and the page's comparison, once for both tests. */
function comparison() {
  run ??= (async () => {
    const manifest = prepare();
    const site = await openSite({ isolate: false, root: join(root, 'site'), prefix: '/' });
    try {
      await site.page.goto(site.server.url);
      const result = await site.page.evaluate(compareInPage, site.server.url);
      return { manifest, result, consoleErrors: site.console.unexpected() };
    } finally {
      await site.close();
    }
  })();
  return run;
}

test(
  'in Chromium, the WASM module decodes and preprocesses exactly as the native build',
  { timeout: TIMEOUT * 3 },
  async (t) => {
    const { manifest, result, consoleErrors } = await comparison();
    t.diagnostic(`${result.userAgent}: ${JSON.stringify(result.counts)}`);
    for (const note of result.skipped) t.diagnostic(`reference skipped: ${note}`);
    assert.deepEqual(result.differences, []);
    const decodable = manifest.images.filter((e) => e.ok);
    assert.ok(decodable.length >= 15, 'every format of the reference');
    assert.equal(result.counts.pixels, decodable.filter((e) => !e.large).length);
    assert.equal(result.counts.tensors, decodable.length * Object.keys(manifest.cards).length);
    assert.equal(result.counts.features, decodable.length * manifest.features.length);
    assert.ok(result.counts.reducedPixels >= decodable.length);
    assert.deepEqual(consoleErrors, []);
  },
);

const darknetMissing = (() => {
  try {
    readFileSync('/usr/share/darknet/data/dog.jpg');
    return false;
  } catch {
    return "Debian's darknet photos (/usr/share/darknet/data) are not installed; the 12-megapixel photos are made of them";
  }
})();

test(
  'in Chromium, 12-megapixel photos give the native tensors, decoded reduced',
  { skip: darknetMissing, timeout: TIMEOUT * 3 },
  async () => {
    const { manifest, result } = await comparison();
    const large = manifest.images.filter((e) => e.ok && e.large);
    assert.equal(large.length, 2);
    assert.ok(
      large.every((e) => e.decodes.some((d) => d.reduction > 1)),
      'decoded reduced for some need',
    );
    assert.equal(result.counts.largeTensors, 2 * Object.keys(manifest.cards).length);
  },
);
