// A partitioned index in the real page, in headless Chromium, served by
// `lookalike serve`: the collections partitioned_bench built (bench/out),
// queried with vectors through the page (lookalike.queryVector: no model is
// downloaded or run), on a cold first visit and then warm, with the network
// unthrottled and throttled to 50 Mbit/s and 40 ms round trip (Chrome
// DevTools Protocol Network.emulateNetworkConditions).
//
// For each collection and network: bytes downloaded before the first result
// (page, WASM module, collection JSON, index header and lists: every
// response's encoded length as the browser counted it), time from
// navigation to the first result, recall@10 of the page's answers against
// exact search, warm search latency p50/p99 (the worker's search time: the
// lists already held or in Cache Storage, no model), and the peak memory of
// the page (the renderer processes' peak resident set).
//
//   node bench/partitioned_web.mjs [--n 100000,1000000|none] [--real NAME,…] [--metric cosine]
//        [--queries 100] [--network both|throttled|unthrottled] [--list-budget 128] [--json]
//
// Run bench/partitioned_bench first (it writes the data, the ground truth
// and the sites into bench/out; --real NAME measures the collection its
// --real NAME=embeddings.npy made); needs build/native, build/wasm and
// web/dist. The collections hold vectors made elsewhere ("vectors:…"), which
// the page searches by vector and by item only.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../tests/browser/engines.mjs';
import { startLookalikeServe } from '../tests/browser/lookalike-serve.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'bench/out');
const args = Object.fromEntries(
  process.argv
    .slice(2)
    .reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const sizes = args.n === 'none' ? [] : String(args.n ?? '100000,1000000').split(',');
const reals = args.real ? String(args.real).split(',') : [];
const metric = args.metric ?? 'cosine';
const queryCount = Number(args.queries ?? 100);
const networks = { both: ['unthrottled', 'throttled'], throttled: ['throttled'], unthrottled: ['unthrottled'] }[
  args.network ?? 'both'
];
const listBudget = Number(args['list-budget'] ?? 128);
const json = process.argv.includes('--json');
// 50 Mbit/s each way, 40 ms round trip: Chrome DevTools Protocol network
// emulation (Network.emulateNetworkConditionsByRule, which replaced
// Network.emulateNetworkConditions), applied to the page and to its worker.
const THROTTLE = { download: 50e6 / 8, upload: 50e6 / 8, latency: 40 };
const THROTTLE_RULE = {
  matchedNetworkConditions: [
    {
      urlPattern: '',
      offline: false,
      latency: THROTTLE.latency,
      downloadThroughput: THROTTLE.download,
      uploadThroughput: THROTTLE.upload,
    },
  ],
};
const log = (text) => process.stderr.write(`[partitioned_web] ${text}\n`);

function readNpy(path) {
  const bytes = readFileSync(path);
  const headerLength = bytes.readUInt16LE(8);
  const header = bytes.subarray(10, 10 + headerLength).toString('latin1');
  const [rows, cols] = /'shape':\s*\((\d+),\s*(\d+)/.exec(header).slice(1).map(Number);
  const data = new Float32Array(bytes.buffer.slice(bytes.byteOffset + 10 + headerLength), 0, rows * cols);
  return { rows, cols, row: (i) => data.subarray(i * cols, (i + 1) * cols) };
}

function readTruth(path, rows) {
  const ids = new Uint32Array(readFileSync(path).buffer.slice(0));
  return Array.from({ length: rows }, (_, q) => new Set(ids.subarray(q * 10, q * 10 + 10)));
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

/**
 * The collections to measure: partitioned_bench's synthetic ones (--n) and
 * its real ones (--real NAME, as given to partitioned_bench's --real), each
 * with its site, its held-out queries and their exact top 10.
 */
function collections() {
  const synthetic = sizes.map((n) => ({
    name: `clustered-${n}`,
    base: `clustered-n${n}-d512-s1-q200`,
    how: `build/native/bench/partitioned_bench --n ${n} --metric ${metric}`,
  }));
  const real = reals.map((name) => ({
    name,
    base: `${name}-q200`,
    how: `build/native/bench/partitioned_bench --real ${name}=EMBEDDINGS.npy --metric ${metric}`,
  }));
  return [...synthetic, ...real];
}

/** What a response is, by its URL: the page (HTML, scripts, styles), the WASM binary, collection files, index data. */
function kindOf(url) {
  const path = new URL(url).pathname;
  if (path.endsWith('.wasm')) return 'wasm';
  if (/\/index\/.*\.(lkp|lkx|bin)$/.test(path)) return 'index';
  if (/\/index\/.*\.json$/.test(path)) return 'collection';
  return 'page';
}

/** The number of items, from the collection document partitioned_bench's index wrote. */
function itemCount(collection) {
  const doc = JSON.parse(
    readFileSync(join(out, `site-${collection.name}-${metric}`, 'index', `${collection.name}.json`), 'utf8'),
  );
  return doc.item_count ?? doc.items.length;
}

/** The assembled site: the current web build plus the collection partitioned_bench indexed. */
function assemble(collection) {
  const data = join(out, `site-${collection.name}-${metric}`);
  if (!existsSync(join(data, 'index'))) throw new Error(`${data} is missing: run ${collection.how} first`);
  const served = join(out, `served-${collection.name}-${metric}`);
  log(`assembling ${served}`);
  rmSync(served, { recursive: true, force: true });
  const r = spawnSync(join(root, 'scripts/build-site.sh'), ['--no-build', '--data', data, '--out', served], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`build-site.sh failed:\n${r.stderr}`);
  return served;
}

/**
 * The peak resident set (VmHWM) of each renderer process, in MB, largest
 * first: the first is the page's (with its worker); others are Chromium's
 * spare renderer and the blank page's before navigation moved to an isolated
 * process, reported beside it.
 */
function rendererPeaksMB(pids) {
  const peaks = [];
  for (const pid of pids) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      peaks.push(Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024);
    } catch {
      // the process ended
    }
  }
  return peaks.sort((a, b) => b - a);
}

async function measure(collection, served, network) {
  const base = collection.base;
  const queries = readNpy(join(out, `${base}.queries.npy`));
  const truth = readTruth(join(out, `${base}.npy.${metric}.truth`), queries.rows);
  const count = Math.min(queryCount, queries.rows);
  const server = await startLookalikeServe({ root: served, prefix: '/' });
  const browser = await launchBrowser({ engine: 'chromium' });
  try {
    const { page } = browser;
    // Every response's encoded length, by what it is (page, WASM, collection
    // files, index data), from the page's session and its worker's (which
    // fetches the WASM module, the collection and the index).
    const kinds = new Map();
    const bytes = { page: 0, wasm: 0, collection: 0, index: 0 };
    const countBytes = (session) => {
      session.on('Network.responseReceived', (e) => kinds.set(e.requestId, kindOf(e.response.url)));
      session.on('Network.loadingFinished', (e) => (bytes[kinds.get(e.requestId) ?? 'page'] += e.encodedDataLength));
    };
    countBytes(page.raw._client());
    page.raw.on('workercreated', (worker) => {
      countBytes(worker.client);
      // On the wire before the worker is resumed, so that its first fetch is
      // throttled too (puppeteer also applies the page's conditions to it,
      // one round trip later).
      if (network === 'throttled') worker.client.send('Network.emulateNetworkConditionsByRule', THROTTLE_RULE);
    });
    if (network === 'throttled') await page.raw.emulateNetworkConditions(THROTTLE);
    const total = () => Object.values(bytes).reduce((a, b) => a + b, 0);
    let bytesAtFirst = null;
    const answer = async (vector) => {
      const marks = () =>
        page.evaluate(() => ({
          result: document.body.dataset.lastResult ?? '',
          error: document.body.dataset.lastError ?? '',
        }));
      const before = await marks();
      await page.evaluate((v) => globalThis.lookalike.queryVector(v), Array.from(vector));
      await page.waitForFunction(
        (b) =>
          (document.body.dataset.lastResult ?? '') !== b.result || (document.body.dataset.lastError ?? '') !== b.error,
        before,
        { timeout: 600_000 },
      );
      const after = await marks();
      return page.evaluate(
        (failed) => ({
          error: failed ? document.querySelector('#message')?.textContent : null,
          ids: Array.from(document.querySelectorAll('#result-grid li.result'), (li) => Number(li.dataset.id)),
          timing: document.querySelector('#timing')?.textContent ?? '',
        }),
        after.error !== before.error,
      );
    };
    const started = performance.now();
    await page.goto(`${server.url}?list-budget=${listBudget}`);
    await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 600_000 });
    const first = await answer(queries.row(0));
    const firstMs = performance.now() - started;
    if (first.error) throw new Error(`the page answered: ${first.error}`);
    await new Promise((r) => setTimeout(r, 200)); // late loadingFinished events
    bytesAtFirst = { ...bytes };
    log(
      `${collection.name} ${network}: first result after ${Math.round(firstMs)} ms, ${(total() / 1e6).toFixed(1)} MB ` +
        JSON.stringify(bytesAtFirst),
    );
    let recall = 0;
    for (let q = 0; q < count; ++q) {
      const r = await answer(queries.row(q)); // the cold pass: fetches what each query probes
      if (r.error) throw new Error(`query ${q}: ${r.error}`);
      recall += r.ids.filter((id) => truth[q].has(id)).length / 10;
    }
    const searchMs = [];
    for (let q = 0; q < count; ++q) {
      const r = await answer(queries.row(q));
      searchMs.push(Number(/search ([\d.]+) ms/.exec(r.timing)?.[1]));
    }
    // The renderer processes (the page and its worker): a browser-level session.
    const system = await browser.browser.target().createCDPSession();
    const info = await system.send('SystemInfo.getProcessInfo');
    const renderers = info.processInfo.filter((p) => p.type === 'renderer').map((p) => p.id);
    if (!renderers.length) throw new Error('no renderer process found for the memory figure');
    return {
      collection: collection.name,
      n: itemCount(collection),
      network,
      bytesBeforeFirstMB: Object.values(bytesAtFirst).reduce((a, b) => a + b, 0) / 1e6,
      bytesBeforeFirstByKindMB: Object.fromEntries(Object.entries(bytesAtFirst).map(([k, v]) => [k, v / 1e6])),
      firstResultMs: firstMs,
      recall: recall / count,
      warmP50Ms: percentile(searchMs, 0.5),
      warmP99Ms: percentile(searchMs, 0.99),
      peakMemoryMB: rendererPeaksMB(renderers)[0],
      otherRenderersPeakMB: rendererPeaksMB(renderers).slice(1),
      queries: count,
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

const rows = [];
for (const collection of collections()) {
  const served = assemble(collection);
  for (const network of networks) rows.push(await measure(collection, served, network));
}
if (json) {
  console.log(JSON.stringify({ metric, listBudgetMB: listBudget, throttle: THROTTLE, rows }, null, 2));
} else {
  console.log(
    `Partitioned index in the page (headless Chromium, lookalike serve, ${metric}, list budget ${listBudget} MB):\n`,
  );
  console.log(
    '| collection | N | network | MB before first result (page · WASM · collection · index) | first result s | recall@10 | warm p50 ms | warm p99 ms | page peak MB |',
  );
  console.log('|---|---:|---|---|---:|---:|---:|---:|---:|');
  const mb = (v) => v.toFixed(1);
  for (const r of rows)
    console.log(
      `| ${r.collection} | ${r.n} | ${r.network} | ${mb(r.bytesBeforeFirstMB)} (${Object.values(r.bytesBeforeFirstByKindMB).map(mb).join(' · ')}) | ` +
        `${(r.firstResultMs / 1000).toFixed(2)} | ` +
        `${r.recall.toFixed(3)} | ${r.warmP50Ms.toFixed(1)} | ${r.warmP99Ms.toFixed(1)} | ${Math.round(r.peakMemoryMB)} |`,
    );
}
