// Search in the browser against native search, on the same index bundles, in
// one run: the WASM module in headless Chromium and the native build
// (bench/search_latency) load the very same .lkx files and run the very same
// queries, one at a time; the program checks that both return the same ids
// in the same order and prints p50 latencies and their ratio (issue target:
// WASM within 2× of native for HNSW). Then the time from navigation to
// "ready" of the real page for a collection of --site-count items (an HNSW
// bundle of the same kind plus its sidecar; every item shares one tiny
// thumbnail), on a first visit (nothing cached) and a second (from cache).
//
//   node bench/web_search_latency.mjs [--counts 10000,100000] [--kinds hnsw,flat] [--dim 512]
//        [--metric cosine] [--queries 220] [--warmup 20] [--ef 0] [--site-count 10000]
//
// Needs build/native (bench/search_latency, offline-tools/lookalike), build/wasm
// and the web build (web/dist). Everything is served by `lookalike serve`
// (cross-origin isolated, so performance.now() has 5 µs resolution). Data:
// clustered synthetic vectors (tests/support/clustered_vectors.h), about 20
// per cluster; HNSW m = 16, ef_construction = 200, ef_search 64 (the defaults).
import { copyFileSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../tests/browser/engines.mjs';
import { buildSite } from '../tests/browser/lookalike-cli.mjs';
import { startLookalikeServe } from '../tests/browser/lookalike-serve.mjs';
import { benchArguments, requireFiles, run } from './web-bench-support.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = benchArguments();
const counts = String(args.counts ?? '10000,100000').split(',');
const kinds = String(args.kinds ?? 'hnsw,flat').split(',');
const dim = String(args.dim ?? 512);
const metric = args.metric ?? 'cosine';
const queries = String(args.queries ?? 220);
const warmup = Number(args.warmup ?? 20);
const ef = Number(args.ef ?? 0);
const siteCount = String(args['site-count'] ?? 10000);
const k = 10;

const native = join(root, 'build/native/bench/search_latency');
requireFiles([
  [native, 'build the native preset'],
  [join(root, 'build/wasm/wasm/lookalike_wasm.wasm'), 'build the wasm preset'],
  [join(root, 'web/dist/index.html'), 'build the web app (source scripts/lib.sh; build_web)'],
]);

const work = mkdtempSync(join(tmpdir(), 'lookalike-bench-'));
const siteCountIncluded = counts.includes(siteCount) && kinds.includes('hnsw');
console.log(`building bundles (${kinds.join(', ')} × ${counts.join(', ')} items, d = ${dim}, ${metric}) in ${work} …`);
run(native, [
  'make',
  work,
  '--counts',
  [...new Set([...counts, ...(siteCountIncluded ? [] : [siteCount])])].join(','),
  '--kinds',
  [...new Set([...kinds, 'hnsw'])].join(','),
  '--dim',
  dim,
  '--metric',
  metric,
  '--queries',
  queries,
]);
copyFileSync(join(root, 'build/wasm/wasm/lookalike_wasm.mjs'), join(work, 'lookalike_wasm.mjs'));
copyFileSync(join(root, 'build/wasm/wasm/lookalike_wasm.wasm'), join(work, 'lookalike_wasm.wasm'));
writeFileSync(
  join(work, 'bench.html'),
  `<!doctype html><meta charset="utf-8"><title>bench</title>
<script type="module">
import create from './lookalike_wasm.mjs';
const m = await create({ wasmBinary: await (await fetch('./lookalike_wasm.wasm')).arrayBuffer() });
window.runBench = async (bundleFile, queriesFile, k, ef, warmup) => {
  const bytes = new Uint8Array(await (await fetch(bundleFile)).arrayBuffer());
  const queries = new Float32Array(await (await fetch(queriesFile)).arrayBuffer());
  const t0 = performance.now();
  const loaded = m.SearchIndex.load(bytes);
  const loadMs = performance.now() - t0;
  if (!loaded.ok) throw new Error(loaded.error);
  const index = loaded.value;
  const dim = index.info().dim;
  const times = [];
  let checksum = 1469598103934665603n; // FNV-1a over the ids in rank order, as the native program
  for (let q = 0; q < queries.length / dim; ++q) {
    const query = queries.subarray(q * dim, (q + 1) * dim);
    const t1 = performance.now();
    const r = index.search(query, { k, ef });
    const t2 = performance.now();
    if (!r.ok) throw new Error(r.error);
    if (q >= warmup) times.push((t2 - t1) * 1000);
    for (const id of r.value.ids) checksum = ((checksum ^ BigInt(id)) * 1099511628211n) & 0xffffffffffffffffn;
  }
  const info = index.info();
  index.delete();
  times.sort((a, b) => a - b);
  return { p50_us: times[times.length >> 1], mean_us: times.reduce((a, b) => a + b, 0) / times.length, queries: times.length,
    count: info.count, kernels: m.buildInfo().kernels, checksum: checksum.toString(16).padStart(16, '0'), loadMs,
    memoryMiB: (performance.memory?.usedJSHeapSize ?? 0) / 2 ** 20 };
};
window.benchReady = true;
</script>`,
);

const server = await startLookalikeServe({ root: work });
const rows = [];
let browser = await launchBrowser({ engine: 'chromium' });
try {
  const { page } = browser;
  await page.goto(`${server.url}bench.html`);
  await page.waitForFunction(() => window.benchReady === true, null, { timeout: 120_000 });
  for (const kind of kinds)
    for (const count of counts) {
      const bundle = `${kind}-${count}.lkx`;
      const queriesFile = `queries-${count}.f32`;
      const n = JSON.parse(
        run(native, [
          'search',
          join(work, bundle),
          join(work, queriesFile),
          '--k',
          String(k),
          '--ef',
          String(ef),
          '--warmup',
          String(warmup),
        ]),
      );
      const w = await page.evaluate(
        ([b, q, kk, e, wu]) => window.runBench(b, q, kk, e, wu),
        [bundle, queriesFile, k, ef, warmup],
      );
      if (n.checksum !== w.checksum)
        throw new Error(
          `${bundle}: native and WASM returned different ids (checksums ${n.checksum} and ${w.checksum})`,
        );
      rows.push({ kind, count, n, w });
      console.log(
        `${kind} ${count}: native ${n.p50_us.toFixed(1)} µs, WASM ${w.p50_us.toFixed(1)} µs (load ${w.loadMs.toFixed(0)} ms) — same ids`,
      );
    }
} finally {
  await browser.close();
}

// Time to ready: the real page, a fresh profile (first visit), then a reload (second visit, from cache).
const data = join(work, 'site-data');
const served = join(work, 'served');
mkdirSync(served, { recursive: true });
run(native, ['site', data, join(work, `hnsw-${siteCount}.lkx`)]);
buildSite(data, join(served, 'site'));
const siteServer = await startLookalikeServe({ root: served, prefix: '/site/' });
const ready = [];
browser = await launchBrowser({ engine: 'chromium' });
try {
  const { page } = browser;
  for (const visit of ['first visit (nothing cached)', 'second visit (from cache)']) {
    if (ready.length === 0) await page.goto(siteServer.url);
    else await page.reload();
    await page.waitForFunction(
      () =>
        performance.getEntriesByName('lookalike-ready').length > 0 ||
        document.querySelector('#ready-state')?.getAttribute('data-state') === 'failed',
      null,
      { timeout: 300_000 },
    );
    const state = await page.evaluate(() => ({
      ms: performance.getEntriesByName('lookalike-ready')[0]?.startTime ?? null,
      message: document.querySelector('#message')?.hidden ? '' : document.querySelector('#message')?.textContent,
      facts: document.querySelector('#facts')?.textContent,
    }));
    if (state.ms === null || state.message) throw new Error(`the page did not get ready: ${state.message}`);
    ready.push({ visit, ms: state.ms });
    console.log(`time to ready, ${visit}: ${state.ms.toFixed(0)} ms (${state.facts})`);
    if (ready.length === 1)
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000 });
  }
} finally {
  await browser.close();
  await siteServer.close();
  await server.close();
}

console.log(
  `\nsearch, d = ${dim}, ${metric}, k = ${k}, ef = ${ef || 'the bundle default (64)'}, ${rows[0]?.n.queries} timed queries after ${warmup} warm-up`,
);
console.log('| index | items | native p50 | WASM p50 (Chromium) | WASM / native | WASM bundle load |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const { kind, count, n, w } of rows)
  console.log(
    `| ${kind} | ${count} | ${n.p50_us.toFixed(0)} µs (${n.kernels}) | ${w.p50_us.toFixed(0)} µs (${w.kernels}) | ${(w.p50_us / n.p50_us).toFixed(2)}× | ${w.loadMs.toFixed(0)} ms |`,
  );
console.log(
  `\ntime from navigation to ready, ${siteCount}-item collection (HNSW bundle, d = ${dim}), served by lookalike serve on 127.0.0.1`,
);
for (const r of ready) console.log(`| ${r.visit} | ${r.ms.toFixed(0)} ms |`);
rmSync(work, { recursive: true, force: true });
