// A large collection's layout in the page: a collection indexed with the
// real `lookalike index --kind partitioned --item-layout paged` (200
// pictures the page has never seen as queries), searched in the page, which
// loads the header and then fetches only the lists each query probes (Range
// requests to `lookalike serve`), and only the item pages of the results it
// shows (the label runs on the first label filter). The page gives `lookalike
// query`'s ids in the same order, its scores and its labels, for every query
// file, both metrics, "more like this" and a label filter; a host that
// ignores Range or compresses the lists, a damaged list and a damaged item
// page are reported in the page instead of wrong results.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  answerTo,
  choose,
  queriesDir,
  queryWith,
  setControl,
  SUB_PATH,
  uploadQuery,
  withPage,
  workDir,
  TIMEOUT,
} from './harness.mjs';
import { buildSite, indexCollection, queryHits, runLookalike } from './lookalike-cli.mjs';
import { assertSameHits } from '../support/ranking.mjs';

const dir = join(workDir, 'partitioned');
const data = join(dir, 'data');
const served = join(dir, 'served');
const FEATURE = 'colour-texture';
const QUERIES = ['stripes.png', 'reds-exif6.jpg', 'checks.bmp', 'gradient.tga'];

/** `lookalike query … --json`: the native answer. */
function nativeAnswer(args) {
  const out = JSON.parse(runLookalike(['query', '--site', data, '--feature', FEATURE, '--json', ...args]));
  return { ...queryHits(out), kind: out.kind };
}

function assertPageMatches(results, native, what) {
  assert.equal(results.kind, 'result', `${what}: ${results.message}`);
  assertSameHits(
    results.hits.map((h) => h.id),
    results.hits.map((h) => h.score),
    native,
    what,
  );
  // The records come from the item pages, as query reads them.
  assert.deepEqual(
    results.hits.map((h) => h.label),
    native.labels,
    `${what}: labels`,
  );
}

rmSync(dir, { recursive: true, force: true });
indexCollection(join(workDir, 'collection/partitioned-images'), data, 'many', [
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
  '--item-layout',
  'paged',
]);
buildSite(data, join(served, SUB_PATH));
const document = JSON.parse(readFileSync(join(data, 'index/many.json'), 'utf8'));
const dataFiles = document.bundles.map((b) => b.file);

test('the page answers as lookalike query, fetching only the lists it probes', { timeout: 10 * TIMEOUT }, () => {
  assert.equal(document.items, undefined, 'the collection document holds no items');
  assert.equal(document.item_pages.count, 2);
  return withPage({ root: served }, async (site) => {
    const { page } = site;
    assert.ok(
      !site.server.requests.some((p) => p.includes('/index/many.items/') || p.endsWith('many.labels.json')),
      'no item page or label file before a query',
    );
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
    assert.ok(
      site.server.requests.some((p) => p.endsWith('/index/many.items/0.json')),
      'the results fetched their item pages',
    );
    assert.ok(!site.server.requests.some((p) => p.endsWith('many.labels.json')), 'labels only when filtering');

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
    assert.ok(
      site.server.requests.some((p) => p.endsWith('/index/many.labels.json')),
      'the label runs fetched',
    );
  });
});

/** The page's answer to stripes.png, the first query, on the site openPage(options) opens. */
function firstAnswer(options) {
  return withPage(options, (site) => uploadQuery(site.page, 'stripes.png'));
}

test(
  'a host that ignores Range requests is named in the page, not shown as results',
  { timeout: TIMEOUT * 3 },
  async () => {
    // The Node server answers every request with the whole file (200).
    const answer = await firstAnswer({ root: served, isolate: false });
    assert.equal(answer.kind, 'error');
    assert.match(answer.message, /ignored the Range request/);
  },
);

test('a host that compresses the lists is named in the page', { timeout: TIMEOUT * 3 }, async () => {
  const { startStaticServer } = await import('./static-server.mjs');
  const answer = await firstAnswer({
    root: served,
    isolate: false,
    server: (o) => startStaticServer({ ...o, gzip: ['.bin'] }),
  });
  assert.equal(answer.kind, 'error');
  assert.match(answer.message, /compress(es|ed) .*Content-Encoding: gzip/);
});

/** A copy of the served site with `files` (relative to its index/) changed by `damage`. */
function damagedCopy(name, files, damage) {
  const root = join(dir, name);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  cpSync(served, root, { recursive: true });
  for (const file of files) {
    const path = join(root, SUB_PATH, 'index', file);
    writeFileSync(path, damage(readFileSync(path)));
  }
  return root;
}

test('a damaged item page is named in the page, not shown as results', { timeout: TIMEOUT * 3 }, async () => {
  // Each page claims to be another: whichever pages the results are on.
  const root = damagedCopy('damaged-items', ['many.items/0.json', 'many.items/1.json'], (bytes) =>
    Buffer.from(bytes.toString('utf8').replace(/"page":\s*(\d)/, (_, p) => `"page":${1 - Number(p)}`)),
  );
  const answer = await firstAnswer({ root });
  assert.equal(answer.kind, 'error');
  assert.match(answer.message, /index\/many\.items\/(\d)\.json.*page.*is not \1/);
});

test('a damaged list gives the core message and no results', { timeout: TIMEOUT * 3 }, async () => {
  const root = damagedCopy('damaged', [dataFiles[0].replace(/\.lkp$/, '.0000.bin')], (bytes) => {
    for (let i = 0; i < bytes.length; i += 97) bytes[i] ^= 0x5a;
    return bytes;
  });
  const answer = await firstAnswer({ root });
  assert.equal(answer.kind, 'error');
  assert.match(answer.message, /list \d+ .*checksum mismatch/);
});
