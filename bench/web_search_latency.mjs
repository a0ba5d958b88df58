// Exact-search latency of the WASM module in headless Chromium against the
// native build on the same vectors and queries, in one run; prints the
// ratio (issue target: WASM within 2× of native).
//
//   node bench/web_search_latency.mjs [--dim 512] [--counts 10000,100000] [--metric cosine] [--queries 200]
//
// Needs build/native (bench/search_latency) and build/wasm. The vectors are
// random (seeded), unit-length for cosine. This measures exact (flat)
// search; HNSW latency and time-to-ready need index bundles (core/index)
// and are added to this program when they exist.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startStaticServer } from '../tests/browser/static-server.mjs';
import { CHROMIUM, CHROMIUM_FLAGS } from '../tests/browser/harness.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []));
const dim = Number(args.dim ?? 512);
const counts = String(args.counts ?? '10000,100000').split(',').map(Number);
const metric = args.metric ?? 'cosine';
const queryCount = Number(args.queries ?? 200);
const warmup = 20;
const k = 10;

function randomRows(n, seed) {
  // xorshift32 → uniform [-1, 1), rows normalised: a deterministic stand-in for embeddings.
  let s = seed >>> 0 || 1;
  const rows = new Float32Array(n * dim);
  for (let r = 0; r < n; ++r) {
    let norm = 0;
    for (let i = 0; i < dim; ++i) {
      s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
      const x = (s / 2 ** 32) * 2 - 1;
      rows[r * dim + i] = x;
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    for (let i = 0; i < dim; ++i) rows[r * dim + i] /= norm;
  }
  return rows;
}

const work = mkdtempSync(join(tmpdir(), 'lookalike-bench-'));
const native = join(root, 'build/native/bench/search_latency');
copyFileSync(join(root, 'build/wasm/wasm/lookalike_wasm.mjs'), join(work, 'lookalike_wasm.mjs'));
copyFileSync(join(root, 'build/wasm/wasm/lookalike_wasm.wasm'), join(work, 'lookalike_wasm.wasm'));
writeFileSync(join(work, 'bench.html'), `<!doctype html><meta charset="utf-8"><title>bench</title>
<script type="module">
import create from './lookalike_wasm.mjs';
window.runBench = async (vectorsFile, queriesFile, dim, metric, k, warmup) => {
  const m = await create({ wasmBinary: await (await fetch('./lookalike_wasm.wasm')).arrayBuffer() });
  const vectors = new Float32Array(await (await fetch(vectorsFile)).arrayBuffer());
  const queries = new Float32Array(await (await fetch(queriesFile)).arrayBuffer());
  const count = vectors.length / dim;
  const built = m.SearchIndex.fromVectors({ featureSpec: 'bench', metric, dim }, Uint32Array.from({ length: count }, (_, i) => i), vectors);
  if (!built.ok) throw new Error(built.error);
  const index = built.value;
  const times = [];
  let checksum = 0;
  for (let q = 0; q < queries.length / dim; ++q) {
    const query = queries.subarray(q * dim, (q + 1) * dim);
    const t0 = performance.now();
    const r = index.search(query, { k });
    const t1 = performance.now();
    if (!r.ok) throw new Error(r.error);
    if (q >= warmup) times.push((t1 - t0) * 1000);
    for (const id of r.value.ids) checksum += id;
  }
  index.delete();
  times.sort((a, b) => a - b);
  return { p50_us: times[times.length >> 1], mean_us: times.reduce((a, b) => a + b, 0) / times.length, queries: times.length,
    count, kernels: m.buildInfo().kernels, checksum };
};
window.benchReady = true;
</script>`);

const server = await startStaticServer({ root: work, prefix: '/', isolate: true });
const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'lookalike-bench-profile-')), {
  executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS,
});
try {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${server.url}bench.html`);
  await page.waitForFunction(() => window.benchReady === true);
  console.log(`exact search, d=${dim}, ${metric}, k=${k}, ${queryCount - warmup} timed queries (after ${warmup} warm-up)`);
  console.log('items     native p50    WASM p50 (Chromium)   ratio WASM/native');
  for (const count of counts) {
    const vectorsFile = `vectors-${count}.f32`;
    const queriesFile = `queries-${count}.f32`;
    writeFileSync(join(work, vectorsFile), randomRows(count, 12345 + count));
    writeFileSync(join(work, queriesFile), randomRows(queryCount, 777 + count));
    const run = spawnSync(native, [join(work, vectorsFile), join(work, queriesFile), String(dim), metric, String(k), String(warmup)], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`search_latency failed: ${run.stderr}`);
    const n = JSON.parse(run.stdout);
    const w = await page.evaluate(([v, q, d, mt, kk, wu]) => window.runBench(v, q, d, mt, kk, wu), [vectorsFile, queriesFile, dim, metric, k, warmup]);
    if (n.checksum !== w.checksum) throw new Error(`native and WASM returned different ids (checksums ${n.checksum} and ${w.checksum})`);
    console.log(`${String(count).padEnd(9)} ${`${n.p50_us.toFixed(0)} µs (${n.kernels})`.padEnd(13)} ${`${w.p50_us.toFixed(0)} µs (${w.kernels})`.padEnd(21)} ${(w.p50_us / n.p50_us).toFixed(2)}×`);
  }
} finally {
  await context.close();
  await server.close();
  rmSync(work, { recursive: true, force: true });
}
