// How close lookalike's model input is to the reference libraries', in what
// the model makes of it: MobileNetV2 int8 quantizes its input, so small
// tensor differences show in its embedding. For each photo, the embedding of
// lookalike's tensor (the WASM module: decoded for the card's need and
// preprocessed as the page and the CLI do) against the embedding of the
// tensor Pillow makes (tests/models/pillow_preprocess.py, Debian's
// python3-pil, torchvision's steps), as a cosine; and the tensors' mean
// difference in pixel levels. With --baseline-wasm DIR, the same for an older
// build of the module, for the before/after figure.
//
//   node bench/pillow_cosine.mjs [--baseline-wasm DIR] [--photos DIR]
//
// Photos: darknet's seven (/usr/share/darknet/data) and the *.jpg of --photos
// (e.g. bench/decode_bench --write DIR: phone-size photos, decoded reduced).
// Needs build/wasm, the MobileNetV2 file (models/fetch.sh --from
// ../shared/models --dest build/models mobilenetv2-int8), /usr/bin/python3
// with PIL, and onnxruntime-node (npm ci).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cosine } from '../tests/support/vectors.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = Object.fromEntries(
  process.argv
    .slice(2)
    .reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const cardPath = join(root, 'models/mobilenetv2-int8.json');
const modelFile = join(root, 'build/models/mobilenetv2-12-int8-embed-float-add.onnx');
for (const [path, how] of [
  [modelFile, 'models/fetch.sh --from ../shared/models --dest build/models mobilenetv2-int8'],
  [join(root, 'build/wasm/wasm/lookalike_wasm.mjs'), 'build the wasm preset'],
  ['/usr/share/darknet/data/dog.jpg', "install Debian's darknet package"],
])
  if (!existsSync(path)) throw new Error(`${path} is missing: ${how}`);

const photos = ['dog', 'eagle', 'giraffe', 'horses', 'kite', 'person', 'scream'].map(
  (n) => `/usr/share/darknet/data/${n}.jpg`,
);
if (args.photos)
  for (const f of readdirSync(args.photos).sort()) if (f.endsWith('.jpg')) photos.push(join(args.photos, f));

const cardJson = readFileSync(cardPath, 'utf8');
const card = JSON.parse(cardJson).input;
const plane = card.width * card.height;

const work = mkdtempSync(join(tmpdir(), 'lookalike-pillow-cosine-'));
try {
  const python = spawnSync(
    '/usr/bin/python3',
    [join(root, 'tests/models/pillow_preprocess.py'), cardPath, work, ...photos],
    {
      encoding: 'utf8',
    },
  );
  if (python.status !== 0) throw new Error(`pillow_preprocess.py failed:\n${python.stderr}`);
  const pillow = photos.map((_, i) => new Float32Array(readFileSync(join(work, `${i}.f32`)).buffer.slice(0)));

  const require = createRequire(join(root, 'node_modules', 'x.cjs'));
  const ort = require('onnxruntime-node');
  // As the CLI's worker and the page create it (models/README.md: QDQ groups kept apart).
  const session = await ort.InferenceSession.create(modelFile, {
    intraOpNumThreads: 1,
    extra: { session: { disable_quant_qdq: '1' } },
  });
  const embed = async (tensor) =>
    (await session.run({ input: new ort.Tensor('float32', tensor, [1, 3, card.height, card.width]) }, ['embedding']))
      .embedding.data;
  const levels = (a, b) => {
    let sum = 0;
    for (let i = 0; i < a.length; ++i) sum += Math.abs(a[i] - b[i]) * card.std[Math.floor(i / plane)] * 255;
    return sum / a.length;
  };
  const pillowEmbeddings = [];
  for (const t of pillow) pillowEmbeddings.push(await embed(t));

  const builds = [{ name: 'this build', dir: join(root, 'build/wasm/wasm') }];
  if (args['baseline-wasm']) builds.push({ name: 'baseline', dir: resolve(args['baseline-wasm']) });
  console.log('| build | photo | size | decoded at | tensor vs Pillow (mean levels) | embedding cosine vs Pillow |');
  console.log('|---|---|---|---|---:|---:|');
  for (const build of builds) {
    const { default: create } = await import(join(build.dir, 'lookalike_wasm.mjs'));
    const m = await create({ wasmBinary: readFileSync(join(build.dir, 'lookalike_wasm.wasm')) });
    const need = m.parseModelCard(cardJson).value.decodeNeed; // undefined for a build without decode needs
    for (let i = 0; i < photos.length; ++i) {
      const d = m.decodeImage(new Uint8Array(readFileSync(photos[i])), need ? { need } : {});
      if (!d.ok) throw new Error(`${photos[i]}: ${d.error}`);
      const size = `${d.value.storedWidth}×${d.value.storedHeight}`;
      const at = `${d.value.width}×${d.value.height}`;
      const input = m.preprocessForModel(cardJson, d.value.image);
      d.value.image.delete();
      const ours = await embed(input.value.tensor);
      console.log(
        `| ${build.name} | ${photos[i].split('/').pop()} | ${size} | ${at} | ${levels(input.value.tensor, pillow[i]).toFixed(2)} | ${cosine(ours, pillowEmbeddings[i]).toFixed(4)} |`,
      );
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
