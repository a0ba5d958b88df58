// The Kubernetes manifests' contract (deploy/kubernetes/): an Indexed Job
// whose pods all mount one volume and run `lookalike embed` with the shard
// count in LOOKALIKE_SHARDS equal to its completions, and a merge Job running
// `lookalike index` on the shards. Their commands are then run here, one
// process per completion index with the variables Kubernetes would set
// (JOB_COMPLETION_INDEX, the manifests' env, $(VAR) expanded), on a volume
// folder of generated photos and the committed tiny model; the merged site's
// index/ must equal the one `lookalike index` makes of the photos.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const lookalike = process.env.LOOKALIKE_CLI;
const tinyCard = join(root, 'models/test/tiny-embed.json');
let failures = 0;
const check = (what, ok, detail = '') => {
  console.log(`${ok ? 'ok' : 'FAIL'}: ${what}${ok || !detail ? '' : ` (${detail})`}`);
  if (!ok) failures += 1;
};
const skip = (why) => {
  console.log(`SKIP: ${why}`);
  process.exit(77);
};

if (!lookalike) skip('LOOKALIKE_CLI does not name the lookalike binary');
let YAML;
try {
  YAML = (await import('yaml')).default;
} catch {
  skip("the npm package 'yaml' is not installed (scripts/setup.sh runs npm ci)");
}

const manifest = (file) => YAML.parse(readFileSync(join(root, 'deploy/kubernetes', file), 'utf8'));
const embedJob = manifest('embed-job.yaml');
const mergeJob = manifest('merge-job.yaml');
const container = (job) => job.spec.template.spec.containers[0];
const envOf = (job) => Object.fromEntries(container(job).env.map((e) => [e.name, e.value]));

// The contract.
const embedEnv = envOf(embedJob);
check('embed-job is an Indexed Job', embedJob.kind === 'Job' && embedJob.spec.completionMode === 'Indexed');
check(
  'LOOKALIKE_SHARDS equals completions',
  embedEnv.LOOKALIKE_SHARDS === String(embedJob.spec.completions),
  `${embedEnv.LOOKALIKE_SHARDS} vs ${embedJob.spec.completions}`,
);
check('pods are not restarted in place', embedJob.spec.template.spec.restartPolicy === 'Never');
const embedCommand = container(embedJob).command;
check('the pod runs lookalike embed', embedCommand[0] === 'lookalike' && embedCommand.includes('embed'));
check('the shard is not on the command line (JOB_COMPLETION_INDEX gives it)', !embedCommand.includes('--shard'));
for (const job of [embedJob, mergeJob]) {
  const mounts = container(job).volumeMounts.map((m) => m.mountPath);
  const volumes = job.spec.template.spec.volumes;
  check(
    `${job.metadata.name}: one shared volume (a claim) mounted at /data`,
    mounts.includes('/data') && volumes.every((v) => v.persistentVolumeClaim?.claimName === 'lookalike-data'),
  );
  for (const [name, value] of Object.entries(envOf(job)))
    if (String(value).startsWith('/'))
      check(`${job.metadata.name}: ${name} is on the volume`, value.startsWith('/data/'));
}
const mergeEnv = envOf(mergeJob);
const mergeCommand = container(mergeJob).command;
check(
  'the merge runs lookalike index on the shards',
  mergeCommand.includes('index') && mergeCommand.includes('$(LOOKALIKE_OUT)'),
);
check('the merge reads the folder the shards are written to', mergeEnv.LOOKALIKE_OUT === embedEnv.LOOKALIKE_OUT);
check("the merge uses the shards' card", mergeEnv.LOOKALIKE_CARD === embedEnv.LOOKALIKE_CARD);

// The commands, run here: /data is a temporary folder, the card the tiny one.
const work = mkdtempSync(join(tmpdir(), 'lookalike-k8s-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const volume = join(work, 'data');
const onVolume = (value) => String(value).replace(/^\/data(?=\/|$)/, volume);

// A 24-bit BMP of smooth colour blobs (stb_image reads BMP, so no encoder is needed here).
function bmp(width, height, seed) {
  const row = Math.ceil((width * 3) / 4) * 4;
  const out = Buffer.alloc(54 + row * height);
  out.write('BM', 0);
  out.writeUInt32LE(out.length, 2);
  out.writeUInt32LE(54, 10);
  out.writeUInt32LE(40, 14);
  out.writeInt32LE(width, 18);
  out.writeInt32LE(height, 22);
  out.writeUInt16LE(1, 26);
  out.writeUInt16LE(24, 28);
  out.writeUInt32LE(row * height, 34);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < 3; c++) {
        const v = 128 + 100 * Math.sin((x * (c + 1) + seed * 37) / (17 + seed)) * Math.cos((y + seed * 11 * c) / 23);
        out[54 + y * row + x * 3 + c] = Math.max(0, Math.min(255, Math.round(v)));
      }
  return out;
}
const photos = onVolume(embedEnv.LOOKALIKE_SOURCES);
for (const [l, label] of ['cats', 'dogs'].entries()) {
  mkdirSync(join(photos, label), { recursive: true });
  for (let i = 0; i < 5; i++) writeFileSync(join(photos, label, `${i}.bmp`), bmp(120 + 4 * i, 96, 1 + l * 5 + i));
}
mkdirSync(onVolume(embedEnv.LOOKALIKE_MODELS_DIR), { recursive: true });

const expand = (args, env) => args.map((a) => String(a).replace(/\$\(([A-Z_][A-Z0-9_]*)\)/g, (_, name) => env[name]));
const podEnvironment = (jobEnv, extra) => {
  const env = { ...process.env, SOURCE_DATE_EPOCH: '1700000000', ...extra };
  for (const [name, value] of Object.entries(jobEnv)) env[name] = onVolume(value);
  env.LOOKALIKE_CARD = tinyCard; // the model is data: the tiny one here
  env.LOOKALIKE_THREADS = '1';
  for (const name of ['SLURM_ARRAY_TASK_ID', 'SLURM_ARRAY_TASK_COUNT', 'SLURM_ARRAY_TASK_MIN', 'SLURM_ARRAY_TASK_MAX'])
    delete env[name];
  return env;
};
const run = (args, env) => {
  try {
    return {
      code: 0,
      out: execFileSync(lookalike, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
    };
  } catch (e) {
    return { code: e.status ?? 1, out: `${e.stdout}${e.stderr}` };
  }
};

for (let index = 0; index < embedJob.spec.completions; index++) {
  const env = podEnvironment(embedEnv, { JOB_COMPLETION_INDEX: String(index) });
  const pod = run(expand(embedCommand.slice(1), env), env);
  check(`pod ${index} (JOB_COMPLETION_INDEX=${index}) succeeds`, pod.code === 0, pod.out);
}
const shards = readdirSync(onVolume(embedEnv.LOOKALIKE_OUT)).sort();
const expected = [0, 1, 2, 3].map((i) => `shard-0000${i}-of-00004`);
check('each pod wrote its shard folder', JSON.stringify(shards) === JSON.stringify(expected), shards.join(' '));

const mergeEnvironment = podEnvironment(mergeEnv, {});
const merged = run(expand(mergeCommand.slice(1), mergeEnvironment), mergeEnvironment);
check("the merge Job's command succeeds", merged.code === 0, merged.out);
const single = join(work, 'single');
const one = run(
  ['index', photos, '--site', single, '--feature', `model:${tinyCard}`, '--reproducible', '--model-threads', '1'],
  podEnvironment({}, {}),
);
check('one machine indexes the same photos', one.code === 0, one.out);
const site = onVolume(mergeEnv.LOOKALIKE_SITE);
const files = (dir) => readdirSync(join(dir, 'index')).sort();
check('the same index files', JSON.stringify(files(site)) === JSON.stringify(files(single)));
for (const file of files(single))
  check(
    `index/${file} is byte-identical`,
    readFileSync(join(site, 'index', file)).equals(readFileSync(join(single, 'index', file))),
  );

if (failures) {
  console.log(`${failures} check(s) failed`);
  process.exit(1);
}
console.log('all checks passed');
