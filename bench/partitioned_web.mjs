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
//   node bench/partitioned_web.mjs [--n 100000,1000000] [--metric cosine] [--queries 100]
//        [--network both|throttled|unthrottled] [--list-budget 128] [--json]
//
// Run bench/partitioned_bench first (it writes the data, the ground truth
// and the sites into bench/out); needs build/native, build/wasm and web/dist.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
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
const sizes = String(args.n ?? '100000,1000000').split(',');
const metric = args.metric ?? 'cosine';
const queryCount = Number(args.queries ?? 100);
const networks = { both: ['unthrottled', 'throttled'], throttled: ['throttled'], unthrottled: ['unthrottled'] }[
  args.network ?? 'both'
];
const listBudget = Number(args['list-budget'] ?? 128);
const json = process.argv.includes('--json');
const THROTTLE = { offline: false, latency: 40, downloadThroughput: 50e6 / 8, uploadThroughput: 50e6 / 8 };
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

/** The assembled site: the web app plus the collection partitioned_bench indexed. */
function assemble(n) {
  const data = join(out, `site-clustered-${n}-${metric}`);
  if (!existsSync(join(data, 'index')))
    throw new Error(`${data} is missing: run build/native/bench/partitioned_bench --n ${n} --metric ${metric} first`);
  const served = join(out, `served-${n}-${metric}`);
  if (!existsSync(join(served, 'index.html'))) {
    log(`assembling ${served}`);
    const r = spawnSync(join(root, 'scripts/build-site.sh'), ['--no-build', '--data', data, '--out', served], {
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`build-site.sh failed:\n${r.stderr}`);
  }
  return served;
}

function peakMemoryMB(pids) {
  let total = 0;
  for (const pid of pids) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      total += Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
    } catch {
      // the process ended
    }
  }
  return total;
}

async function measure(n, network) {
  const served = assemble(n);
  const base = `clustered-n${n}-d512-s1-q200`;
  const queries = readNpy(join(out, `${base}.queries.npy`));
  const truth = readTruth(join(out, `${base}.npy.${metric}.truth`), queries.rows);
  const count = Math.min(queryCount, queries.rows);
  const server = await startLookalikeServe({ root: served, prefix: '/' });
  const browser = await launchBrowser({ engine: 'chromium' });
  try {
    const { page } = browser;
    const cdp = await page.raw.createCDPSession();
    await cdp.send('Network.enable');
    if (network === 'throttled') await cdp.send('Network.emulateNetworkConditions', THROTTLE);
    let bytes = 0;
    let bytesAtFirst = null;
    cdp.on('Network.loadingFinished', (e) => (bytes += e.encodedDataLength));
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
    bytesAtFirst = bytes;
    log(`N = ${n} ${network}: first result after ${Math.round(firstMs)} ms, ${(bytesAtFirst / 1e6).toFixed(1)} MB`);
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
    const info = await cdp.send('SystemInfo.getProcessInfo').catch(() => ({ processInfo: [] }));
    const renderers = info.processInfo.filter((p) => p.type === 'renderer').map((p) => p.id);
    return {
      n: Number(n),
      network,
      bytesBeforeFirstMB: bytesAtFirst / 1e6,
      firstResultMs: firstMs,
      recall: recall / count,
      warmP50Ms: percentile(searchMs, 0.5),
      warmP99Ms: percentile(searchMs, 0.99),
      peakMemoryMB: peakMemoryMB(renderers),
      queries: count,
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

const rows = [];
for (const n of sizes) for (const network of networks) rows.push(await measure(n, network));
if (json) {
  console.log(JSON.stringify({ metric, listBudgetMB: listBudget, throttle: THROTTLE, rows }, null, 2));
} else {
  console.log(
    `Partitioned index in the page (headless Chromium, lookalike serve, ${metric}, list budget ${listBudget} MB):\n`,
  );
  console.log(
    '| N | network | MB before first result | first result s | recall@10 | warm p50 ms | warm p99 ms | page peak MB |',
  );
  console.log('|---:|---|---:|---:|---:|---:|---:|---:|');
  for (const r of rows)
    console.log(
      `| ${r.n} | ${r.network} | ${r.bytesBeforeFirstMB.toFixed(1)} | ${(r.firstResultMs / 1000).toFixed(2)} | ` +
        `${r.recall.toFixed(3)} | ${r.warmP50Ms.toFixed(1)} | ${r.warmP99Ms.toFixed(1)} | ${Math.round(r.peakMemoryMB)} |`,
    );
}
