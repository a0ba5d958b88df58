// What the model parity tests share: for one model card, a site built the
// way users build one — `lookalike index --feature model:<card>` over a
// collection of pictures made by make_parity_images (darknet's seven photos
// with copies of them, and generated pictures), assembled with the web build
// by scripts/build-site.sh — and the CLI's answers for every query file: its
// embedding (`lookalike embed`, ONNX Runtime native) and its top 10
// (`lookalike query --json`, the same bundle the page searches).
//
// Queries: darknet's seven photos (/usr/share/darknet/data) and the files
// make_parity_images wrote (every format the core decodes, large, small,
// narrow, EXIF-rotated JPEGs with upright PNG twins).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { sourceDir, SUB_PATH, withPage, workDir } from './harness.mjs';
import { buildSite, indexCollection, queryHits, runCommand, runLookalike } from './lookalike-cli.mjs';
import { cosine } from '../support/vectors.mjs';

export const DARKNET_DIR = '/usr/share/darknet/data';
export const DARKNET_PHOTOS = ['dog', 'eagle', 'giraffe', 'horses', 'kite', 'person', 'scream'].map((n) => `${n}.jpg`);
export const SHARED_DIR = process.env.LOOKALIKE_SHARED_DIR ?? join(sourceDir, '../shared');
/** The acceptance bar: the browser's embedding against the CLI's, per file. */
export const MIN_COSINE = 0.9999;
export const METRIC = 'cosine';
export const K = 10;
/** Cosine scores of the page's and the CLI's top K: two vectors within MIN_COSINE give scores within 1e-4. */
export const SCORE_TOLERANCE = 1e-4;

/**
 * MobileNetV2's card names a file derived from the zoo's (models/mobilenetv2_derive.py):
 * models/fetch.sh makes it from ../shared/models into build/models (once; later runs find it verified).
 * Returns null when it is there, else what is missing.
 */
function deriveMobileNet() {
  const source = join(SHARED_DIR, 'models/mobilenetv2-12-int8.onnx');
  if (!existsSync(source)) return `${source} is missing (the shared models folder; set LOOKALIKE_SHARED_DIR)`;
  const result = spawnSync(
    join(sourceDir, 'models/fetch.sh'),
    ['--from', join(SHARED_DIR, 'models'), '--dest', join(sourceDir, 'build/models'), 'mobilenetv2-int8'],
    { encoding: 'utf8' },
  );
  return result.status === 0
    ? null
    : `models/fetch.sh could not derive the card's file from ${source}:\n${result.stderr}`;
}

/** The models the parity tests run; `missing` says why one cannot run here. */
export const MODELS = [
  { card: 'tiny-embed', cardFile: join(sourceDir, 'models/test/tiny-embed.json'), modelFile: null, missing: null },
  {
    card: 'mobilenetv2-int8',
    cardFile: join(sourceDir, 'models/mobilenetv2-int8.json'),
    modelFile: join(sourceDir, 'build/models/mobilenetv2-12-int8-embed-float-add.onnx'),
    missing: deriveMobileNet(),
  },
];

export function darknetMissing() {
  const absent = DARKNET_PHOTOS.filter((f) => !existsSync(join(DARKNET_DIR, f)));
  return absent.length
    ? `${DARKNET_DIR} lacks ${absent.join(', ')} (Debian's darknet package; scripts/setup.sh installs it)`
    : null;
}

/** Reads a float32 [N, D] .npy file (what `lookalike embed` writes). */
export function readNpy(path) {
  const bytes = readFileSync(path);
  if (bytes.toString('latin1', 0, 6) !== '\x93NUMPY') throw new Error(`${path} is not a .npy file`);
  const major = bytes[6];
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const start = (major === 1 ? 10 : 12) + headerLength;
  const header = bytes.toString('latin1', major === 1 ? 10 : 12, start);
  if (!/'descr':\s*'<f4'/.test(header) || /'fortran_order':\s*True/.test(header))
    throw new Error(`${path}: not little-endian float32 C order: ${header}`);
  const shape = /'shape':\s*\((\d+),\s*(\d+)\)/.exec(header);
  if (!shape) throw new Error(`${path}: no 2-d shape in ${header}`);
  const [rows, dim] = [Number(shape[1]), Number(shape[2])];
  const data = new Float32Array(
    bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + start + rows * dim * 4),
  );
  return Array.from({ length: rows }, (_, r) => data.subarray(r * dim, (r + 1) * dim));
}

export { cosine };

let images = null;

/** make_parity_images, once per run: the collection and the query files. */
export function parityImages() {
  if (images) return images;
  const dir = join(workDir, 'parity');
  mkdirSync(dir, { recursive: true });
  runCommand(
    join(sourceDir, 'build/native/tests/browser/make_parity_images'),
    [dir, DARKNET_DIR],
    'make_parity_images',
  );
  const listing = JSON.parse(readFileSync(join(dir, 'queries.json'), 'utf8'));
  const queries = listing.queries.map((q) => ({ name: q.file, path: join(dir, 'queries', q.file), what: q.what }));
  if (listing.darknet)
    queries.unshift(...DARKNET_PHOTOS.map((f) => ({ name: f, path: join(DARKNET_DIR, f), what: "darknet's photo" })));
  images = {
    dir,
    collection: join(dir, 'collection'),
    queries,
    upright: listing.upright,
    darknet: listing.darknet,
    count: listing.collection,
  };
  return images;
}

const sites = new Map();

/**
 * The site for one model (built once per run) and the CLI's answers:
 * {served (the folder to serve; the page is under SUB_PATH), data, feature,
 *  cli: Map(name → {vector, ids, scores})}.
 */
export function paritySite(model) {
  if (sites.has(model.card)) return sites.get(model.card);
  const { collection, queries } = parityImages();
  const dir = join(workDir, 'parity', model.card);
  const data = join(dir, 'data');
  const served = join(dir, 'served');
  const feature = `model:${model.card}`;
  const modelArgs = model.modelFile ? ['--model', model.modelFile] : [];
  indexCollection(collection, data, 'parity', [
    '--title',
    `Parity (${model.card})`,
    '--feature',
    `model:${model.cardFile}`,
    ...modelArgs,
  ]);
  buildSite(data, join(served, 'repo'));

  // The CLI's embeddings, all query files in one run (batches of 16).
  const npy = join(dir, 'cli-embeddings.npy');
  runLookalike(
    ['-q', 'embed', ...queries.map((q) => q.path), '--card', model.cardFile, ...modelArgs, '-o', npy],
    'lookalike embed',
  );
  const rows = readNpy(npy);
  const listed = JSON.parse(readFileSync(npy.replace(/\.npy$/, '.json'), 'utf8'));
  if (listed.failed.length) throw new Error(`lookalike embed failed on ${JSON.stringify(listed.failed)}`);
  const vectorOf = new Map(listed.items.map((item) => [item.path, rows[item.row]]));

  const cli = new Map();
  for (const q of queries) {
    const vector = vectorOf.get(q.path);
    if (!vector) throw new Error(`lookalike embed did not list ${q.path}`);
    // The top 10 as the CLI finds it on the site's bundle (which embeds the file again, with batch 1).
    const answer = queryHits(
      JSON.parse(
        runLookalike(
          ['-q', '--json', 'query', q.path, '--site', data, '--feature', feature, '--metric', METRIC, '-k', String(K)],
          `lookalike query ${q.name}`,
        ),
      ),
    );
    cli.set(q.name, { vector, ids: answer.ids, scores: answer.scores });
  }
  const site = { served, data, feature, cli };
  sites.set(model.card, site);
  return site;
}

/**
 * The parity site of `model` served (isolated or not; `chromiumArgs` for
 * Chromium), its page at the collection (`backend`: the page's ?backend=)
 * and ready, recording the worker's results; runs `body({site, browser,
 * page})` (site: paritySite's, browser: openSite's) and closes it.
 */
export function withParityPage(model, { isolate = true, backend = null, chromiumArgs = [] }, body) {
  const site = paritySite(model);
  return withPage(
    {
      isolate,
      root: site.served,
      prefix: SUB_PATH,
      chromiumArgs,
      search: `?collection=parity${backend ? `&backend=${backend}` : ''}`,
      beforeLoad: (browser) => captureWorkerResults(browser.context),
    },
    (browser) => body({ site, browser, page: browser.page }),
  );
}

/**
 * Records every `result` the page's worker sends (the harness reads the DOM;
 * the query vector travels only in the message). Call before page.goto.
 */
export async function captureWorkerResults(context) {
  await context.addInitScript(() => {
    const Native = window.Worker;
    window.__lookalikeResults = [];
    window.Worker = class extends Native {
      constructor(...args) {
        super(...args);
        this.addEventListener('message', (event) => {
          if (event.data?.type === 'result') window.__lookalikeResults.push(event.data);
        });
      }
    };
  });
}

/**
 * The page's answer `r` (a result) against the CLI's `want` ({vector, ids,
 * scores}): the worker's query vector has cosine ≥ MIN_COSINE with the
 * CLI's, the top K ids are the CLI's in order, each score within
 * SCORE_TOLERANCE (unless `scores: false`). Returns the measures: {vector,
 * cosine, identical (the vectors bit-identical), maxScoreDiff}.
 */
export async function assertCliAnswer(page, r, want, what, { scores = true } = {}) {
  assert.equal(r.kind, 'result', `${what}: ${r.message}`);
  const worker = await lastWorkerResult(page);
  assert.ok(worker?.vector, `${what}: the worker's result carries the query vector`);
  const c = cosine(worker.vector, want.vector);
  assert.ok(c >= MIN_COSINE, `${what}: cosine ${c} between the page's and the CLI's embedding`);
  assert.deepEqual(
    r.hits.map((h) => h.id),
    want.ids,
    `${what}: the page's top ${K} against lookalike query's`,
  );
  let maxScoreDiff = 0;
  r.hits.forEach((h, i) => {
    const diff = Math.abs(h.score - want.scores[i]);
    maxScoreDiff = Math.max(maxScoreDiff, diff);
    if (scores) assert.ok(diff <= SCORE_TOLERANCE, `${what}: score at rank ${i + 1} ${h.score}, CLI ${want.scores[i]}`);
  });
  return {
    vector: worker.vector,
    cosine: c,
    identical: worker.vector.every((v, i) => v === want.vector[i]),
    maxScoreDiff,
  };
}

/** The worker's result message for the page's newest answer (data-last-result), with its vector as an array. */
export async function lastWorkerResult(page) {
  return page.evaluate(() => {
    const id = Number(document.body.dataset.lastResult);
    const r = window.__lookalikeResults.find((x) => x.requestId === id);
    return r
      ? {
          requestId: r.requestId,
          vector: r.queryVector ? Array.from(r.queryVector) : null,
          timings: r.timings,
          notes: r.notes,
          ids: r.hits.map((h) => h.id),
          scores: r.hits.map((h) => h.score),
        }
      : null;
  });
}
