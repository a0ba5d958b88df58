// Text tower latency in the browser against onnxruntime-node, and the
// page's whole text query against its inference alone, measured in one run:
//
//  1. per text, batch 1, for the CLIP ViT-B/32-shaped text tower with random
//     weights (models/export_clip_text_random.py: CLIP's text encoder graph,
//     63 M parameters): onnxruntime-node on the ids the page's tokenizer
//     makes (1 and 2 intra-op threads, a bare loop in this process), and
//     ONNX Runtime Web in headless Chromium (the page's worker, WASM backend:
//     1 thread on a host without cross-origin isolation, 2 threads when
//     isolated, as `lookalike serve` serves it);
//  2. in the same page runs, the whole text query: (a) in the worker, from
//     the request to its answer (tokenize, inference, normalisation, search,
//     messages aside), and (b) as the visitor sees it, from the text form's
//     submit (Enter) to the frame that shows the results (their scores;
//     Element Timing's renderTime), each against the same query's inference
//     (ONNX Runtime's run alone). Target: ≤ 1.15×.
//
// Texts are short captions (4 to 21 tokens), sent unpadded as the CLIP card
// says; one more line times a text of 77 tokens in Node.
//
//   node bench/text_latency_web.mjs [--queries 20] [--warmup 3] [--items 100]
//
// Needs build/native (lookalike), build/wasm, the web build (web/dist), the
// random towers (/usr/bin/python3 models/export_clip_text_random.py and
// models/export_vit_b32_random.py, into build/models: the site's image
// feature is the ViT-shaped tower the text tower pairs with), CLIP's
// vocabulary installed (models/fetch.sh --text tiny-embed --dest build/models;
// scripts/setup.sh installs it from ../shared) and ../shared/datasets/wang1k
// for the collection (its first --items images, spread over the classes). Everything is built in a temporary folder,
// removed at the end.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { LOOKALIKE } from '../tests/browser/lookalike-serve.mjs';
import { buildSite, indexCollection } from '../tests/browser/lookalike-cli.mjs';
import { installedVocabulary } from '../tests/support/installed-vocabulary.mjs';
import { benchArguments, median, nextRun, openBenchPage, requireFiles, wangCollection } from './web-bench-support.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = benchArguments();
const queryCount = Number(args.queries ?? 20);
const warmup = Number(args.warmup ?? 3);
const itemCount = Number(args.items ?? 100);
const shared = process.env.LOOKALIKE_SHARED_DIR ?? join(root, '../shared');
const wang = join(shared, 'datasets/wang1k');
const models = join(root, 'build/models');
const TEXT_CARD = join(models, 'clip-text-random.json');
const TEXT_MODEL = join(models, 'clip-text-random.onnx');
const IMAGE_CARD = join(models, 'vit-b32-random.json');

requireFiles([
  [LOOKALIKE, 'build the native preset'],
  [join(root, 'build/wasm/wasm/lookalike_wasm.wasm'), 'build the wasm preset'],
  [join(root, 'web/dist/index.html'), 'build the web app (source scripts/lib.sh; build_web)'],
  [wang, 'the shared WANG images'],
  [TEXT_MODEL, '/usr/bin/python3 models/export_clip_text_random.py'],
  [IMAGE_CARD, '/usr/bin/python3 models/export_vit_b32_random.py'],
]);
// The vocabulary the text card reads, where the CLI finds it (the site gets the same file).
const vocabulary = installedVocabulary(LOOKALIKE, 'clip-text-random');
if (vocabulary.missing) throw new Error(vocabulary.missing);

// Captions of the kind people type, none alike (the warm-up ones first).
const CAPTIONS = [
  'a dog',
  'a red car at night',
  'mountains covered in snow',
  'a plate of food on a wooden table',
  'people walking on a beach at sunset',
  'an old stone building with columns',
  'a bus in a city street',
  'yellow flowers in a green field',
  'an elephant in the savanna',
  'a horse running in a meadow',
  'a dinosaur skeleton in a museum',
  'a close-up photo of a rose',
  'a crowd at a market in africa',
  'the sea with waves and rocks',
  'a city skyline at dusk with lights',
  'a bowl of fruit',
  'a child playing with a ball in the park',
  'a black and white photo of a church tower',
  'two horses on a hill under a cloudy sky',
  'a double-decker bus on a bridge over a river',
  'a snowy mountain lake reflecting the peaks on a clear winter morning',
  'a waterfall in a forest',
  'a market stall selling colourful spices',
];
if (CAPTIONS.length < warmup + queryCount) throw new Error(`--warmup + --queries > ${CAPTIONS.length} captions`);
const texts = CAPTIONS.slice(0, warmup + queryCount);

// ---- the collection: the first images of each WANG class ----
const work = mkdtempSync(join(tmpdir(), 'lookalike-bench-text-web-'));
const collection = join(work, 'collection');
const { classes, perClass } = wangCollection(wang, itemCount, collection);

// ---- the ids the page makes (the WASM module's tokenizer), and onnxruntime-node on them ----
const { default: createModule } = await import(join(root, 'build/wasm/wasm/lookalike_wasm.mjs'));
const wasm = await createModule({ wasmBinary: readFileSync(join(root, 'build/wasm/wasm/lookalike_wasm.wasm')) });
const tokenizer = wasm.ClipTokenizer.load(gunzipSync(readFileSync(vocabulary.path)));
if (!tokenizer.ok) throw new Error(tokenizer.error);
const idsOf = (text) => {
  const t = tokenizer.value.tokenize(text);
  if (!t.ok) throw new Error(t.error);
  return t.value.ids;
};

async function nodeLatency(threads, list = texts.slice(warmup)) {
  const require = createRequire(join(root, 'node_modules/x.cjs'));
  const ort = require(join(root, 'node_modules/onnxruntime-node'));
  const session = await ort.InferenceSession.create(TEXT_MODEL, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
    // As lookalike's worker runs models (onnx_worker.mjs).
    extra: { session: { disable_quant_qdq: '1', intra_op: { allow_spinning: '0' } } },
  });
  const feed = (ids) => ({ input_ids: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]) });
  await session.run(feed(idsOf(texts[0]))); // warm-up
  const times = [];
  for (const text of list) {
    const ids = idsOf(text);
    const t0 = performance.now();
    await session.run(feed(ids));
    times.push(performance.now() - t0);
  }
  await session.release();
  return median(times);
}

async function browserRuns(site, isolate) {
  const { page, close } = await openBenchPage(site, { isolate, trigger: 'text' });
  try {
    // Typing fetches the text model; the hint says when it is ready.
    await page.focus('#text-input');
    await page.keyboard.type('a');
    await page.waitForFunction(
      () => /ready|could not/.test(document.querySelector('#text-hint')?.textContent ?? ''),
      null,
      { timeout: 600_000 },
    );
    const hint = await page.textContent('#text-hint');
    if (!/ready/.test(hint)) throw new Error(`the text model did not load: ${hint}`);
    await page.selectOption('#metric-select', 'cosine');
    const runs = [];
    for (const [i, text] of texts.entries()) {
      await page.fill('#text-input', text);
      const before = await page.evaluate(() => window.__bench.runs.length);
      await page.press('#text-input', 'Enter');
      const r = await nextRun(page, before, `the query "${text}"`);
      if (i >= warmup) runs.push({ ...r, tokens: idsOf(text).length });
    }
    const facts = await page.textContent('#facts');
    return { runs, threads: Number(/backend, (\d+) thread/.exec(facts)?.[1] ?? 0) };
  } finally {
    await close();
  }
}

// ---- the run ----
console.log(
  `text tower latency, web vs node: ${queryCount} timed text queries after ${warmup} warm-up, collection of ${perClass * classes.length} WANG images; ` +
    `${cpus().length} cores, load average ${loadavg()[0].toFixed(2)} at the start`,
);
const data = join(work, 'data');
const site = join(work, 'served');
console.log('indexing the collection with the ViT-shaped image tower and publishing the text tower …');
indexCollection(collection, data, 'bench', [
  '--feature',
  `model:${IMAGE_CARD}`,
  '--text-card',
  TEXT_CARD,
  '--metric',
  'cosine',
]);
buildSite(data, join(site, 'site'));
const tokens = texts.slice(warmup).map((t) => idsOf(t).length);
console.log(
  `tokens per text (with start and end): median ${median(tokens)}, ${Math.min(...tokens)} to ${Math.max(...tokens)}`,
);
const node1 = await nodeLatency(1);
const node2 = await nodeLatency(2);
const long = Array.from({ length: 6 }, (_, i) => `${CAPTIONS.join(' and ')} ${i}`); // cut to 77 tokens
const node77 = await nodeLatency(1, long);
console.log(
  `onnxruntime-node: ${node1.toFixed(1)} ms (1 thread), ${node2.toFixed(1)} ms (2 threads); a text of 77 tokens ${node77.toFixed(1)} ms (1 thread)`,
);
const web = {};
for (const isolate of [false, true]) {
  const r = await browserRuns(site, isolate);
  const part = (f) => median(r.runs.map(f));
  const row = {
    threads: r.threads,
    model: part((x) => x.timings.model),
    tokenize: part((x) => x.timings.tokenize),
    search: part((x) => x.timings.search),
    worker: part((x) => x.timings.total),
    ratioWorker: part((x) => x.timings.total / x.timings.model),
    messages: part((x) => x.resultAt - x.sentAt - x.timings.total),
    sent: part((x) => x.sentAt - x.chosen),
    toPaint: part((x) => x.painted - x.resultAt),
    shown: part((x) => x.painted - x.chosen),
    ratioShown: part((x) => (x.painted - x.chosen) / x.timings.model),
  };
  web[isolate ? 'isolated' : 'plain'] = row;
  console.log(
    `Chromium, ${isolate ? 'cross-origin isolated' : 'not isolated'} (${row.threads} thread${row.threads === 1 ? '' : 's'}): ` +
      `inference ${row.model.toFixed(1)} ms; worker ${row.worker.toFixed(1)} ms (${row.ratioWorker.toFixed(3)}×: tokenize ${row.tokenize.toFixed(2)}, ` +
      `search ${row.search.toFixed(2)}); submit → results painted ${row.shown.toFixed(1)} ms (${row.ratioShown.toFixed(2)}×: ` +
      `request sent +${row.sent.toFixed(1)}, messages ${row.messages.toFixed(1)}, result → painted ${row.toPaint.toFixed(1)})`,
  );
}

console.log(
  `\ntext tower latency per text, batch 1, unpadded (medians of ${queryCount}; the browser's is the worker's inference time)`,
);
console.log(
  '| model | onnxruntime-node, 1 thread | 2 threads | Chromium WASM, 1 thread (not isolated) | 2 threads (isolated) | Chromium / node, 1 thread | 2 threads |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|');
console.log(
  `| CLIP ViT-B/32-shaped text tower (random weights) | ${node1.toFixed(1)} ms | ${node2.toFixed(1)} ms | ${web.plain.model.toFixed(1)} ms | ` +
    `${web.isolated.model.toFixed(1)} ms (${web.isolated.threads} threads) | ${(web.plain.model / node1).toFixed(2)}× | ${(web.isolated.model / node2).toFixed(2)}× |`,
);
console.log(`\nthe page's text query against its inference (medians of ${queryCount}; per-query ratios)`);
console.log(
  '| threads | inference | tokenize | search | worker: request → answer | ratio | submit → results painted | ratio |',
);
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const w of [web.plain, web.isolated])
  console.log(
    `| ${w.threads} | ${w.model.toFixed(1)} ms | ${w.tokenize.toFixed(2)} ms | ${w.search.toFixed(2)} ms | ${w.worker.toFixed(1)} ms | ` +
      `**${w.ratioWorker.toFixed(3)}×** | ${w.shown.toFixed(1)} ms | ${w.ratioShown.toFixed(2)}× |`,
  );
console.log(`load average at the end ${loadavg()[0].toFixed(2)}`);
tokenizer.value.delete();
rmSync(work, { recursive: true, force: true });
