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
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { sourceDir, workDir } from './harness.mjs';
import { LOOKALIKE } from './lookalike-serve.mjs';

export const DARKNET_DIR = '/usr/share/darknet/data';
export const DARKNET_PHOTOS = ['dog', 'eagle', 'giraffe', 'horses', 'kite', 'person', 'scream'].map((n) => `${n}.jpg`);
export const SHARED_DIR = process.env.LOOKALIKE_SHARED_DIR ?? join(sourceDir, '../shared');
/** The acceptance bar: the browser's embedding against the CLI's, per file. */
export const MIN_COSINE = 0.9999;
export const METRIC = 'cosine';
export const K = 10;

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

function run(command, args, what) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (result.status !== 0)
    throw new Error(`${what} failed (${command} ${args.join(' ')}):\n${result.stderr}${result.stdout}`);
  return result.stdout;
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

export function cosine(a, b) {
  if (a.length !== b.length) throw new Error(`vectors of ${a.length} and ${b.length} values`);
  let dot = 0,
    aa = 0,
    bb = 0;
  for (let i = 0; i < a.length; ++i) {
    dot += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return dot / Math.sqrt(aa * bb);
}

let images = null;

/** make_parity_images, once per run: the collection and the query files. */
export function parityImages() {
  if (images) return images;
  const dir = join(workDir, 'parity');
  mkdirSync(dir, { recursive: true });
  run(join(sourceDir, 'build/native/tests/browser/make_parity_images'), [dir, DARKNET_DIR], 'make_parity_images');
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
  run(
    LOOKALIKE,
    [
      '-q',
      'index',
      collection,
      '--site',
      data,
      '--name',
      'parity',
      '--title',
      `Parity (${model.card})`,
      '--feature',
      `model:${model.cardFile}`,
      '--samples',
      '0',
      ...modelArgs,
    ],
    `lookalike index --feature model:${model.card}`,
  );
  run(
    join(sourceDir, 'scripts/build-site.sh'),
    ['--no-build', '--data', data, '--out', join(served, 'repo')],
    'scripts/build-site.sh',
  );

  // The CLI's embeddings, all query files in one run (batches of 16).
  const npy = join(dir, 'cli-embeddings.npy');
  run(
    LOOKALIKE,
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
    const answer = JSON.parse(
      run(
        LOOKALIKE,
        ['-q', '--json', 'query', q.path, '--site', data, '--feature', feature, '--metric', METRIC, '-k', String(K)],
        `lookalike query ${q.name}`,
      ),
    );
    cli.set(q.name, { vector, ids: answer.results.map((r) => r.id), scores: answer.results.map((r) => r.score) });
  }
  const site = { served, data, feature, cli };
  sites.set(model.card, site);
  return site;
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
