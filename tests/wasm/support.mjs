// Shared helpers of the WASM Node tests: loading the module the way a Node
// caller must (wasmBinary read with fs), reading the native reference
// outputs (written by run.mjs with build/native's wasm_parity_reference),
// and comparisons.
import { readFileSync, existsSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

export const sourceDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const wasmDir = process.env.LOOKALIKE_WASM_DIR ?? join(sourceDir, 'build/wasm/wasm');
export const referenceDir =
  process.env.LOOKALIKE_WASM_REFERENCE ?? join(sourceDir, 'build/native/tests/wasm/reference');

export async function loadModule() {
  const glue = join(wasmDir, 'lookalike_wasm.mjs');
  if (!existsSync(glue)) throw new Error(`${glue} is missing: build the wasm preset (cmake --build --preset wasm)`);
  const { default: create } = await import(glue);
  return create({ wasmBinary: readFileSync(join(wasmDir, 'lookalike_wasm.wasm')) });
}

let manifestCache = null;
export function manifest() {
  if (manifestCache) return manifestCache;
  const file = join(referenceDir, 'manifest.json');
  if (!existsSync(file))
    throw new Error(`${file} is missing: run tests/wasm/run.mjs, which writes it with the native build`);
  manifestCache = JSON.parse(readFileSync(file, 'utf8'));
  for (const note of manifestCache.skipped) console.log(`# skipped: ${note}`);
  return manifestCache;
}

export function readBytes(relative) {
  return new Uint8Array(readFileSync(join(referenceDir, relative)));
}

export function readFloats(relative) {
  const bytes = readFileSync(join(referenceDir, relative));
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/**
 * The synthetic vectors the native build indexed (manifest().synthetic) and
 * `query(q)`, the q-th of its query vectors.
 */
export function syntheticQueries() {
  const synthetic = manifest().synthetic;
  const queries = readFloats(synthetic.queries);
  const dim = synthetic.dim;
  return { synthetic, dim, query: (q) => queries.subarray(q * dim, (q + 1) * dim) };
}

/** Unwraps an ok result, failing the test with the module's message otherwise. */
export function ok(result, what = 'call') {
  if (!result.ok) assert.fail(`${what} failed: [${result.kind}] ${result.error}`);
  return result.value;
}

/** Asserts an error result and returns it. */
export function failed(result, what = 'call') {
  assert.equal(result.ok, false, `${what} unexpectedly succeeded`);
  assert.equal(typeof result.error, 'string');
  assert.ok(result.error.length > 0, `${what}: empty error message`);
  return result;
}

/** First index where two byte arrays differ, or -1. */
export function firstDifference(a, b) {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; ++i) if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return i;
  return -1;
}

export { RELATIVE_TOLERANCE, closeRelative } from '../support/ranking.mjs';
import { closeRelative, assertSameHits as assertSameIdsAndScores } from '../support/ranking.mjs';

export function assertCloseArrays(actual, expected, what) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < actual.length; ++i)
    if (!closeRelative(actual[i], expected[i]))
      assert.fail(`${what}: element ${i} is ${actual[i]}, native ${expected[i]} (beyond 1e-5 relative)`);
}

/** A WASM search answer ({ids, scores}) equals the native one (ranking.mjs's rule). */
export function assertSameHits(actual, expected, what) {
  assertSameIdsAndScores(actual.ids, actual.scores, expected, what);
}

/** Loads a bundle file of the reference folder, failing the test with the module's message. */
export function loadBundle(m, file) {
  return ok(m.SearchIndex.load(readBytes(file)), `loading ${file}`);
}
