// Model latency in the browser against onnxruntime-node, and the browser's
// whole query against its inference alone, measured in one run:
//
//  1. per image, batch 1, for MobileNetV2 int8 and the ViT-B/32-shaped model:
//     onnxruntime-node (bench/ort_bare_loop.mjs: a bare loop over the same
//     preprocessed tensors the page makes, 1 and 2 intra-op threads), and
//     ONNX Runtime Web in headless Chromium (the page's worker, WASM backend:
//     1 thread on a host without cross-origin isolation, 2 threads when
//     isolated, as `lookalike serve` serves it);
//  2. in the same page runs, the whole query as a user sees it: from the
//     file input's change event (file chosen) to the frame that shows the
//     results (their scores; Element Timing's renderTime), and to the frame
//     that shows the thumbnails in the viewport, against the worker's
//     inference time (ONNX Runtime's run alone) for the same query. Target:
//     ≤ 1.15×. The rest is broken down: decode, preprocess, search (the
//     worker's own timings), the file read, messages, the page's result
//     handler, and rendering (handler done → frame shown).
//
// The page is 1280×2000 CSS pixels, so that the results grid is in view.
//
//   node bench/model_latency_web.mjs [--queries 20] [--warmup 3] [--items 100] [--models mobilenet,vit]
//
// Needs build/native (lookalike), build/wasm, the web build (web/dist), the
// MobileNetV2 file (models/fetch.sh --from ../shared/models --dest build/models
// mobilenetv2-int8) and the ViT (/usr/bin/python3 models/export_vit_b32_random.py,
// into build/models). Images: ../shared/datasets/wang1k; the collection is
// the first --items of them (spread over the classes), the queries the next
// ones. Everything is built in a temporary folder, removed at the end.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join, resolve, dirname, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOOKALIKE } from '../tests/browser/lookalike-serve.mjs';
import { buildSite, indexCollection } from '../tests/browser/lookalike-cli.mjs';
import {
  benchArguments,
  median,
  nextRun,
  openBenchPage,
  requireFiles,
  run,
  wangCollection,
} from './web-bench-support.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = benchArguments();
const queryCount = Number(args.queries ?? 20);
const warmup = Number(args.warmup ?? 3);
const itemCount = Number(args.items ?? 100);
const wanted = String(args.models ?? 'mobilenet,vit').split(',');
const shared = process.env.LOOKALIKE_SHARED_DIR ?? join(root, '../shared');
const wang = join(shared, 'datasets/wang1k');

const MODELS = [
  {
    key: 'mobilenet',
    title: 'MobileNetV2 int8',
    card: join(root, 'models/mobilenetv2-int8.json'),
    file: join(root, 'build/models/mobilenetv2-12-int8-embed-float-add.onnx'),
    input: 'input',
    output: 'embedding',
    how: `models/fetch.sh --from ${join(shared, 'models')} --dest build/models mobilenetv2-int8`,
  },
  {
    key: 'vit',
    title: 'ViT-B/32-shaped (random weights)',
    card: join(root, 'build/models/vit-b32-random.json'),
    file: join(root, 'build/models/vit-b32-random.onnx'),
    input: 'pixel_values',
    output: 'image_embeds',
    how: '/usr/bin/python3 models/export_vit_b32_random.py',
  },
].filter((m) => wanted.includes(m.key));

requireFiles([
  [LOOKALIKE, 'build the native preset'],
  [join(root, 'build/wasm/wasm/lookalike_wasm.wasm'), 'build the wasm preset'],
  [join(root, 'web/dist/index.html'), 'build the web app (source scripts/lib.sh; build_web)'],
  [wang, 'the shared WANG images'],
  ...MODELS.flatMap((m) => [
    [m.card, m.how],
    [m.file, m.how],
  ]),
]);

// ---- images: the collection (first items of each class) and the queries (the next ones) ----
const work = mkdtempSync(join(tmpdir(), 'lookalike-bench-model-web-'));
const collection = join(work, 'collection');
const { classes, byClass, perClass } = wangCollection(wang, itemCount, collection);
const queries = [];
for (let j = perClass; queries.length < warmup + queryCount; ++j)
  for (let i = 0; i < classes.length && queries.length < warmup + queryCount; ++i)
    if (byClass[i][j]) queries.push(byClass[i][j]);

// The tensors the page makes for these files, made by the WASM module in Node (the same core code).
const { default: createModule } = await import(join(root, 'build/wasm/wasm/lookalike_wasm.mjs'));
const wasm = await createModule({ wasmBinary: readFileSync(join(root, 'build/wasm/wasm/lookalike_wasm.wasm')) });
function tensorsFile(model) {
  const cardJson = readFileSync(model.card, 'utf8');
  const parts = queries.slice(warmup).map((path) => {
    const decoded = wasm.decodeImage(new Uint8Array(readFileSync(path)));
    if (!decoded.ok) throw new Error(`${path}: ${decoded.error}`);
    const t = wasm.preprocessForModel(cardJson, decoded.value.image);
    decoded.value.image.delete();
    if (!t.ok) throw new Error(`${path}: ${t.error}`);
    return Buffer.from(
      t.value.tensor.buffer.slice(t.value.tensor.byteOffset, t.value.tensor.byteOffset + t.value.tensor.byteLength),
    );
  });
  const file = join(work, `${model.key}-tensors.f32`);
  writeFileSync(file, Buffer.concat(parts));
  return file;
}

function nodeLatency(model, threads) {
  const out = run(process.execPath, [
    join(root, 'bench/ort_bare_loop.mjs'),
    join(root, 'node_modules'),
    model.file,
    model.input,
    model.output,
    tensorsFile(model),
    String(queryCount),
    '224',
    '224',
    '1',
    String(threads),
  ]);
  return JSON.parse(out.trim().split('\n').pop()).ms_per_image;
}

async function browserRuns(model, site, isolate) {
  const { page, close } = await openBenchPage(site, { isolate, trigger: 'file' });
  try {
    const facts = await page.textContent('#facts');
    if (!/ONNX Runtime(wasm|webgpu) backend/.test(facts))
      throw new Error(`the model did not load: ${await page.textContent('#message')}`);
    await page.selectOption('#metric-select', 'cosine');
    const runs = [];
    for (const [i, file] of queries.entries()) {
      const before = await page.evaluate(() => window.__bench.runs.length);
      await page.setInputFiles('#file-input', file);
      const r = await nextRun(page, before, `the query ${basename(file)}`);
      if (i >= warmup) runs.push(r);
    }
    const threads = Number(/backend, (\d+) thread/.exec(facts)?.[1] ?? 0);
    return { runs, threads, backend: /ONNX Runtime(\w+) backend/.exec(facts)?.[1] ?? '?' };
  } finally {
    await close();
  }
}

// ---- the run ----
console.log(
  `model latency, web vs node: ${queryCount} timed queries after ${warmup} warm-up, collection of ${perClass * classes.length} WANG images; ` +
    `${cpus().length} cores, load average ${loadavg()[0].toFixed(2)} at the start`,
);
const results = [];
for (const model of MODELS) {
  const data = join(work, `${model.key}-data`);
  const site = join(work, `${model.key}-served`);
  console.log(`\n${model.title}: indexing the collection with lookalike index …`);
  indexCollection(collection, data, 'bench', [
    '--title',
    `bench ${model.key}`,
    '--feature',
    `model:${model.card}`,
    '--model',
    model.file,
    '--metric',
    'cosine',
  ]);
  buildSite(data, join(site, 'site'));
  const node1 = nodeLatency(model, 1);
  const node2 = nodeLatency(model, 2);
  console.log(`  onnxruntime-node: ${node1.toFixed(1)} ms (1 thread), ${node2.toFixed(1)} ms (2 threads)`);
  const web = {};
  for (const isolate of [false, true]) {
    const r = await browserRuns(model, site, isolate);
    const part = (f) => median(r.runs.map(f));
    const row = {
      threads: r.threads,
      backend: r.backend,
      model: part((x) => x.timings.model),
      decode: part((x) => x.timings.decode),
      preprocess: part((x) => x.timings.preprocess),
      search: part((x) => x.timings.search),
      worker: part((x) => x.timings.total),
      // The worker reads the file (timings.read): "file read + messages" is all
      // but the worker's decode, model and search work.
      toWorker: part((x) => x.resultAt - x.chosen - x.timings.total + x.timings.read),
      toPaint: part((x) => x.painted - x.resultAt),
      handler: part((x) => x.domAt - x.resultAt),
      rendering: part((x) => x.painted - x.domAt),
      sent: part((x) => x.sentAt - x.chosen),
      fileRead: part((x) => x.timings.read),
      other: part(
        (x) =>
          x.timings.total -
          x.timings.read -
          x.timings.decode -
          x.timings.preprocess -
          x.timings.model -
          x.timings.search,
      ),
      messages: part((x) => x.resultAt - x.sentAt - x.timings.total),
      grid: part((x) => x.painted - x.chosen),
      thumbs: part((x) => x.thumbsPainted - x.chosen),
      ratioGrid: part((x) => (x.painted - x.chosen) / x.timings.model),
      ratioThumbs: part((x) => (x.thumbsPainted - x.chosen) / x.timings.model),
      thumbnails: part((x) => x.thumbnails),
    };
    web[isolate ? 'isolated' : 'plain'] = row;
    console.log(
      `  Chromium, ${isolate ? 'cross-origin isolated' : 'not isolated'} (${row.backend}, ${row.threads} thread${row.threads === 1 ? '' : 's'}): ` +
        `inference ${row.model.toFixed(1)} ms; whole query ${row.grid.toFixed(1)} ms to the results (${row.ratioGrid.toFixed(2)}×), ` +
        `${row.thumbs.toFixed(1)} ms to their thumbnails (${row.ratioThumbs.toFixed(2)}×); decode ${row.decode.toFixed(1)}, ` +
        `preprocess ${row.preprocess.toFixed(1)}, search ${row.search.toFixed(2)}, worker total ${row.worker.toFixed(1)}, ` +
        `request sent +${row.sent.toFixed(1)}, file read in the worker ${row.fileRead.toFixed(1)}, other worker work ${row.other.toFixed(1)}, ` +
        `messages ${row.messages.toFixed(1)}, file read + messages ${row.toWorker.toFixed(1)}, ` +
        `result → painted ${row.toPaint.toFixed(1)} ms (handler ${row.handler.toFixed(1)}, rendering ${row.rendering.toFixed(1)})`,
    );
  }
  results.push({ model, node1, node2, web });
}

console.log(
  `\nmodel latency per image, batch 1 (medians of ${queryCount}; the browser's is the worker's inference time)`,
);
console.log(
  '| model | onnxruntime-node, 1 thread | 2 threads | Chromium WASM, 1 thread (not isolated) | 2 threads (isolated) | Chromium / node, 1 thread | 2 threads |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const { model, node1, node2, web } of results)
  console.log(
    `| ${model.title} | ${node1.toFixed(1)} ms | ${node2.toFixed(1)} ms | ${web.plain.model.toFixed(1)} ms | ` +
      `${web.isolated.model.toFixed(1)} ms (${web.isolated.threads} threads) | ${(web.plain.model / node1).toFixed(2)}× | ${(web.isolated.model / node2).toFixed(2)}× |`,
  );
console.log(
  `\nthe browser's whole query, file chosen → painted, against its inference (medians of ${queryCount}; per-query ratios)`,
);
console.log(
  '| model | threads | inference | decode | preprocess | search | file read + messages | result → painted | results painted | ratio | thumbnails painted | ratio |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const { model, web } of results)
  for (const w of [web.plain, web.isolated])
    console.log(
      `| ${model.title} | ${w.threads} | ${w.model.toFixed(1)} ms | ${w.decode.toFixed(1)} ms | ${w.preprocess.toFixed(1)} ms | ` +
        `${w.search.toFixed(2)} ms | ${w.toWorker.toFixed(1)} ms | ${w.toPaint.toFixed(1)} ms | ${w.grid.toFixed(1)} ms | **${w.ratioGrid.toFixed(2)}×** | ` +
        `${w.thumbs.toFixed(1)} ms (${w.thumbnails}) | ${w.ratioThumbs.toFixed(2)}× |`,
    );
console.log(`load average at the end ${loadavg()[0].toFixed(2)}`);
rmSync(work, { recursive: true, force: true });
