// Phone-size photos in the browser, measured in one run in headless Chromium:
//
//  1. the page: a 1, 2 and 12 megapixel JPEG (baseline; progressive with
//     EXIF orientation 6) chosen as the query, with colour-texture and with
//     MobileNetV2 int8 (when its file is there): the worker's own decode and
//     preprocess times (the page's timing line), median of --queries runs,
//     and the size the photo was decoded at;
//  2. the WASM module alone in the same browser: decode + preprocess with
//     the decode need (reduced) against a full-size decode followed by the
//     same preprocessing, and their ratio; with --baseline-wasm DIR, also an
//     older build of the module (e.g. one that decodes every JPEG at full
//     size with stb_image) for the before/after figure.
//
//   node bench/decode_latency_web.mjs [--queries 7] [--photo FILE] [--baseline-wasm DIR]
//
// Photos from build/native/bench/decode_bench --write (its --photo: a real
// large photo, e.g. Debian mate-backgrounds' Elephants_5640x3172.jpg; else a
// mosaic of darknet's photos). The collection is darknet's seven photos,
// indexed with `lookalike index`. Needs build/native, build/wasm, web/dist;
// MobileNetV2 from models/fetch.sh --from ../shared/models --dest build/models mobilenetv2-int8.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOOKALIKE } from '../tests/browser/lookalike-serve.mjs';
import { openPage, openSite, setControl, answerTo } from '../tests/browser/harness.mjs';
import { buildSite, indexCollection } from '../tests/browser/lookalike-cli.mjs';
import { captureWorkerResults, lastWorkerResult } from '../tests/browser/parity-site.mjs';
import { benchArguments, median, requireFiles, run } from './web-bench-support.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = benchArguments();
const queries = Number(args.queries ?? 7);
const darknet = '/usr/share/darknet/data';
const mobilenetFile = join(root, 'build/models/mobilenetv2-12-int8-embed-float-add.onnx');
const decodeBench = join(root, 'build/native/bench/decode_bench');

requireFiles([
  [LOOKALIKE, 'build the native preset'],
  [decodeBench, 'build the native preset'],
  [join(root, 'build/wasm/wasm/lookalike_wasm.wasm'), 'build the wasm preset'],
  [join(root, 'web/dist/index.html'), 'build the web app (source scripts/lib.sh; build_web)'],
  [join(darknet, 'dog.jpg'), "install Debian's darknet package"],
]);
const fixed = (x) => x.toFixed(1);

const work = mkdtempSync(join(tmpdir(), 'lookalike-bench-decode-web-'));
try {
  const photosDir = join(work, 'photos');
  run(decodeBench, ['--write', photosDir, ...(args.photo ? ['--photo', args.photo] : [])]);
  const photos = readdirSync(photosDir)
    .filter((f) => f.endsWith('.jpg'))
    .sort((a, b) => parseFloat(a) - parseFloat(b) || a.localeCompare(b));

  // ---- 1. the page ----
  const features = ['colour-texture'];
  const modelArgs = [];
  if (existsSync(mobilenetFile)) {
    features.push('model:mobilenetv2-int8');
    modelArgs.push('--feature', `model:${join(root, 'models/mobilenetv2-int8.json')}`, '--model', mobilenetFile);
  } else {
    console.log(`(MobileNetV2 left out: ${mobilenetFile} is missing)`);
  }
  const data = join(work, 'data');
  indexCollection(darknet, data, 'bench', ['--feature', 'colour-texture', ...modelArgs]);
  const served = join(work, 'served');
  buildSite(data, join(served, 'repo'));

  const site = await openPage({
    root: served,
    prefix: '/repo/',
    beforeLoad: (opened) => captureWorkerResults(opened.context),
  });
  const rows = [];
  try {
    for (const feature of features) {
      await setControl(site.page, '#feature-select', feature);
      const timings = new Map(photos.map((p) => [p, []]));
      // One warm-up round, then photos in turn (a file chosen twice in a row fires no change event).
      for (let round = -1; round < queries; ++round)
        for (const photo of photos) {
          const answer = await answerTo(site.page, () =>
            site.page.setInputFiles('#file-input', join(photosDir, photo)),
          );
          if (answer.kind !== 'result') throw new Error(`${photo} with ${feature}: ${answer.message}`);
          const r = await lastWorkerResult(site.page);
          if (round >= 0) timings.get(photo).push({ ...r.timings, caption: answer.timing });
        }
      for (const photo of photos) {
        const t = timings.get(photo);
        const decodedAt = /at (\d+×\d+) of/.exec(t[0].caption)?.[1] ?? 'full size';
        rows.push({
          photo,
          feature,
          decodedAt,
          decode: median(t.map((x) => x.decode)),
          preprocess: median(t.map((x) => x.preprocess)),
          both: median(t.map((x) => x.decode + x.preprocess)),
          model: t[0].model === null ? null : median(t.map((x) => x.model)),
        });
      }
    }
  } finally {
    await site.close();
  }

  // ---- 2. the module alone, reduced against full size (and an older build) ----
  const moduleSite = join(work, 'module-site');
  const builds = [{ name: 'this build', dir: join(root, 'build/wasm/wasm') }];
  if (args['baseline-wasm']) builds.push({ name: 'baseline', dir: resolve(args['baseline-wasm']) });
  for (const b of builds) {
    mkdirSync(join(moduleSite, b.name), { recursive: true });
    for (const f of ['lookalike_wasm.mjs', 'lookalike_wasm.wasm'])
      copyFileSync(join(b.dir, f), join(moduleSite, b.name, f));
  }
  mkdirSync(join(moduleSite, 'photos'));
  for (const p of photos) copyFileSync(join(photosDir, p), join(moduleSite, 'photos', p));
  copyFileSync(join(root, 'models/mobilenetv2-int8.json'), join(moduleSite, 'mobilenet.json'));
  writeFileSync(
    join(moduleSite, 'index.html'),
    '<!doctype html><link rel="icon" href="data:,"><title>decode bench</title>',
  );
  const moduleServer = await openSite({ isolate: false, root: moduleSite, prefix: '/' });
  let module;
  try {
    await moduleServer.page.goto(moduleServer.server.url);
    module = await moduleServer.page.evaluate(
      async ({ base, builds, photos, runs }) => {
        const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
        const card = await (await fetch(`${base}mobilenet.json`)).text();
        const out = [];
        for (const build of builds) {
          const { default: create } = await import(`${base}${encodeURIComponent(build)}/lookalike_wasm.mjs`);
          const wasm = await (await fetch(`${base}${encodeURIComponent(build)}/lookalike_wasm.wasm`)).arrayBuffer();
          const m = await create({ wasmBinary: wasm });
          const cardNeed = m.parseModelCard(card).value.decodeNeed;
          const featureNeed = m.featureInfo('colour-texture').value.decodeNeed;
          for (const photo of photos) {
            const bytes = new Uint8Array(await (await fetch(`${base}photos/${photo}`)).arrayBuffer());
            for (const [consumer, need, work] of [
              ['MobileNetV2 card', cardNeed, (image) => m.preprocessForModel(card, image)],
              ['colour-texture', featureNeed, (image) => m.computeFeature('colour-texture', image)],
            ])
              for (const reduced of need === undefined ? [false] : [false, true]) {
                const times = [];
                for (let r = -1; r < runs; ++r) {
                  const t0 = performance.now();
                  const d = m.decodeImage(bytes, reduced ? { need } : {});
                  if (!d.ok) throw new Error(`${photo}: ${d.error}`);
                  const t1 = performance.now();
                  const result = work(d.value.image);
                  const t2 = performance.now();
                  d.value.image.delete();
                  if (!result.ok) throw new Error(`${photo}: ${result.error}`);
                  if (r >= 0) times.push([t1 - t0, t2 - t1]);
                }
                out.push({
                  build,
                  photo,
                  consumer,
                  reduced,
                  decode: median(times.map((t) => t[0])),
                  preprocess: median(times.map((t) => t[1])),
                  both: median(times.map((t) => t[0] + t[1])),
                });
              }
          }
        }
        return { rows: out, userAgent: navigator.userAgent };
      },
      { base: moduleServer.server.url, builds: builds.map((b) => b.name), photos, runs: queries },
    );
  } finally {
    await moduleServer.close();
  }

  console.log(`${module.userAgent}; ${cpus().length} cores, load average ${loadavg()[0].toFixed(1)} at the end`);
  console.log(`\n### The page: worker's decode + preprocess per query (median of ${queries})\n`);
  console.log('| photo | feature | decoded at | decode ms | preprocess ms | decode + preprocess ms | model ms |');
  console.log('|---|---|---|---:|---:|---:|---:|');
  for (const r of rows)
    console.log(
      `| ${r.photo} | ${r.feature} | ${r.decodedAt} | ${fixed(r.decode)} | ${fixed(r.preprocess)} | ${fixed(r.both)} | ${r.model === null ? '—' : fixed(r.model)} |`,
    );
  console.log(`\n### The WASM module in Chromium: full-size decode against the decode need (median of ${queries})\n`);
  console.log(
    '| build | photo | consumer | full: decode + preprocess ms | reduced: decode + preprocess ms | speedup |',
  );
  console.log('|---|---|---|---:|---:|---:|');
  for (const full of module.rows.filter((r) => !r.reduced)) {
    const reduced = module.rows.find(
      (r) => r.reduced && r.build === full.build && r.photo === full.photo && r.consumer === full.consumer,
    );
    console.log(
      `| ${full.build} | ${full.photo} | ${full.consumer} | ${fixed(full.decode)} + ${fixed(full.preprocess)} = ${fixed(full.both)} | ` +
        (reduced
          ? `${fixed(reduced.decode)} + ${fixed(reduced.preprocess)} = ${fixed(reduced.both)} | ${(full.both / reduced.both).toFixed(1)}× |`
          : '— | — |'),
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
