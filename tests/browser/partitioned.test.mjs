// A partitioned index in the page: a collection indexed with the real
// `lookalike index --kind partitioned` (200 pictures the page has never
// seen as queries), searched in the page, which loads the header and then
// fetches only the lists each query probes (Range requests to `lookalike
// serve`). The page gives `lookalike query`'s ids in the same order and its
// scores, for every query file, both metrics, "more like this" and a label
// filter; a host that ignores Range or compresses the lists, and a damaged
// list, are reported in the page instead of wrong results.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  answerTo,
  choose,
  openSite,
  queriesDir,
  queryWith,
  setControl,
  sourceDir,
  SUB_PATH,
  uploadQuery,
  waitReady,
  workDir,
  TIMEOUT,
} from './harness.mjs';
import { LOOKALIKE } from './lookalike-serve.mjs';
import { assertSameHits } from '../support/ranking.mjs';

const dir = join(workDir, 'partitioned');
const data = join(dir, 'data');
const served = join(dir, 'served');
const FEATURE = 'colour-texture';
const QUERIES = ['stripes.png', 'reds-exif6.jpg', 'checks.bmp', 'gradient.tga'];

function run(args) {
  const r = spawnSync(LOOKALIKE, args, { encoding: 'utf8' });
  assert.equal(r.status, 0, `lookalike ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** `lookalike query … --json`: the native answer. */
function nativeAnswer(args) {
  const out = JSON.parse(run(['query', '--site', data, '--feature', FEATURE, '--json', ...args]));
  return { ids: out.results.map((h) => h.id), scores: out.results.map((h) => h.score), kind: out.kind };
}

function assertPageMatches(results, native, what) {
  assert.equal(results.kind, 'result', `${what}: ${results.message}`);
  assertSameHits(
    results.hits.map((h) => h.id),
    results.hits.map((h) => h.score),
    native,
    what,
  );
}

rmSync(dir, { recursive: true, force: true });
run([
  '--quiet',
  'index',
  join(workDir, 'collection/partitioned-images'),
  '--site',
  data,
  '--name',
  'many',
  '--title',
  'Many pictures',
  '--kind',
  'partitioned',
  '--feature',
  FEATURE,
  '--metric',
  'cosine,l1',
  '--lists',
  '16',
  '--nprobe',
  '4',
  '--samples',
  '0',
]);
const build = spawnSync(
  join(sourceDir, 'scripts/build-site.sh'),
  ['--no-build', '--data', data, '--out', join(served, SUB_PATH)],
  {
    encoding: 'utf8',
  },
);
assert.equal(build.status, 0, build.stderr);
const dataFiles = JSON.parse(readFileSync(join(data, 'index/many.json'), 'utf8')).bundles.map((b) => b.file);

test('the page answers as lookalike query, fetching only the lists it probes', { timeout: 10 * TIMEOUT }, async () => {
  const site = await openSite({ root: served });
  const { page } = site;
  try {
    await page.goto(site.server.url);
    await waitReady(page);
    for (const metric of ['cosine', 'l1']) {
      for (const file of QUERIES) {
        const results = await queryWith(page, file, { feature: await page.inputValue('#feature-select'), metric });
        const native = nativeAnswer([join(queriesDir, file), '--metric', metric]);
        assert.equal(native.kind, 'partitioned');
        assertPageMatches(results, native, `${file} ${metric}`);
        assert.match(await page.textContent('#facts'), /partitioned \(4 of 16 lists per query\)/);
      }
    }
    // Only ranges of the data files were asked for, never a whole one.
    const lists = site.server.requests.filter((p) => p.endsWith('.bin'));
    assert.ok(lists.length > 0, 'lists were fetched');

    // More like this: the first result's stored vector, through its list.
    await setControl(page, '#metric-select', 'cosine');
    const start = await uploadQuery(page, 'stripes.png');
    const first = start.hits[0].id;
    const more = await answerTo(page, () => page.click('#result-grid li.result:nth-child(1) button.more'));
    assertPageMatches(more, nativeAnswer(['--item', String(first), '--metric', 'cosine']), `more like ${first}`);

    // A label filter: only that label, as the CLI finds them.
    const label = (await page.$$eval('#label-select option', (o) => o.map((x) => x.value))).find((v) => v !== '');
    await uploadQuery(page, 'checks.bmp');
    const filtered = await choose(page, '#label-select', label);
    const labelName = await page.$eval(`#label-select option[value="${label}"]`, (o) => o.textContent);
    assert.ok(
      filtered.hits.every((h) => h.label === labelName),
      'only that label',
    );
    assertPageMatches(
      filtered,
      nativeAnswer([join(queriesDir, 'checks.bmp'), '--metric', 'cosine', '--label', labelName]),
      'label filter',
    );
  } finally {
    await site.close();
  }
});

async function firstAnswer(site) {
  const { page } = site;
  await page.goto(site.server.url);
  await waitReady(page);
  return uploadQuery(page, 'stripes.png');
}

test(
  'a host that ignores Range requests is named in the page, not shown as results',
  { timeout: TIMEOUT * 3 },
  async () => {
    // The Node server answers every request with the whole file (200).
    const site = await openSite({ root: served, isolate: false });
    try {
      const answer = await firstAnswer(site);
      assert.equal(answer.kind, 'error');
      assert.match(answer.message, /ignored the Range request/);
    } finally {
      await site.close();
    }
  },
);

test('a host that compresses the lists is named in the page', { timeout: TIMEOUT * 3 }, async () => {
  const { startStaticServer } = await import('./static-server.mjs');
  const site = await openSite({
    root: served,
    isolate: false,
    server: (o) => startStaticServer({ ...o, gzip: ['.bin'] }),
  });
  try {
    const answer = await firstAnswer(site);
    assert.equal(answer.kind, 'error');
    assert.match(answer.message, /compress(es|ed) .*Content-Encoding: gzip/);
  } finally {
    await site.close();
  }
});

test('a damaged list gives the core message and no results', { timeout: TIMEOUT * 3 }, async () => {
  const root = join(dir, 'damaged');
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  cpSync(served, root, { recursive: true });
  const binary = join(root, SUB_PATH, 'index', dataFiles[0].replace(/\.lkp$/, '.0000.bin'));
  const bytes = readFileSync(binary);
  for (let i = 0; i < bytes.length; i += 97) bytes[i] ^= 0x5a;
  writeFileSync(binary, bytes);
  const site = await openSite({ root });
  try {
    const answer = await firstAnswer(site);
    assert.equal(answer.kind, 'error');
    assert.match(answer.message, /list \d+ .*checksum mismatch/);
  } finally {
    await site.close();
  }
});
