// A collection of vectors made elsewhere (`lookalike index --embeddings`
// with a feature the page cannot compute), partitioned, its items in pages
// and its results linked to the photos' own URLs (no thumbnails): the page
// searches it by vector (lookalike.queryVector) and by item ("more like
// this") as `lookalike query --item` does, shows each result from its URL
// with its attribution, and answers an image query with why it cannot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { answerTo, SUB_PATH, uploadQuery, withPage, workDir, TIMEOUT } from './harness.mjs';
import { buildSite, queryHits, runLookalike } from './lookalike-cli.mjs';
import { assertSameHits } from '../support/ranking.mjs';

const dir = join(workDir, 'vector-collection');
const data = join(dir, 'data');
const served = join(dir, 'served');
const FEATURE = 'vectors:test';
const N = 300;
const DIM = 16;
const photoUrl = (i) => `https://img.example/photos/${i}.jpg`;

/** N deterministic vectors in three groups (a float32 .npy) and one item record per row. */
function writeEmbeddings() {
  let state = 12345;
  const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  const rows = Array.from({ length: N }, (_, i) =>
    Array.from({ length: DIM }, (_, d) => (d % 3 === i % 3 ? 2 : 0) + random()),
  );
  const header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${N}, ${DIM}), }`;
  const padded = header.padEnd(Math.ceil((10 + header.length + 1) / 64) * 64 - 10 - 1) + '\n';
  const prefix = Buffer.alloc(10);
  prefix.write('\x93NUMPY', 0, 'latin1');
  prefix[6] = 1;
  prefix.writeUInt16LE(padded.length, 8);
  const npy = join(dir, 'vectors.npy');
  writeFileSync(
    npy,
    Buffer.concat([prefix, Buffer.from(padded, 'latin1'), Buffer.from(Float32Array.from(rows.flat()).buffer)]),
  );
  const items = join(dir, 'vectors.jsonl');
  writeFileSync(
    items,
    rows
      .map((_, i) =>
        JSON.stringify({
          path: photoUrl(i),
          url: photoUrl(i),
          label: ['red', 'green', 'blue'][i % 3],
          owner: `Owner ${i}`,
          title: `Photo ${i}`,
          licence: 'CC BY 2.0',
          page: `https://photos.example/${i}`,
        }),
      )
      .join('\n') + '\n',
  );
  return { npy, items, rows };
}

rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const { npy, items, rows } = writeEmbeddings();
runLookalike([
  '--quiet',
  'index',
  '--embeddings',
  npy,
  '--items',
  items,
  '--feature',
  FEATURE,
  '--metric',
  'cosine',
  '--kind',
  'partitioned',
  '--lists',
  '8',
  '--item-layout',
  'paged',
  '--site',
  data,
  '--name',
  'vectors',
]);
buildSite(data, join(served, SUB_PATH));

/** `lookalike query --item ID --json`: the native answer. */
function nativeItemAnswer(id) {
  return queryHits(
    JSON.parse(runLookalike(['query', '--site', data, '--item', String(id), '--metric', 'cosine', '--json'])),
  );
}

test(
  'vectors made elsewhere: searched by vector and by item, results shown from their own URLs, images refused with the reason',
  { timeout: 3 * TIMEOUT },
  async () => {
    const requested = [];
    const watchRequests = ({ page }) => page.raw.on('request', (request) => requested.push(request.url()));
    await withPage({ root: served, beforeLoad: watchRequests }, async (site) => {
      const { page } = site;
      assert.equal(await page.inputValue('#feature-select'), FEATURE);

      // A vector query: an item's own vector finds that item first.
      const target = 42;
      const byVector = await answerTo(page, () =>
        page.evaluate((v) => globalThis.lookalike.queryVector(v), rows[target]),
      );
      assert.equal(byVector.kind, 'result', byVector.message);
      assert.equal(byVector.hits[0].id, target);
      // Each result from its photo's URL (or, once that host fails, its name), with its attribution.
      for (const hit of byVector.hits) {
        if (hit.imgSrc !== null) assert.equal(hit.imgSrc, photoUrl(hit.id), `result ${hit.id}'s picture`);
        assert.match(hit.credit ?? '', new RegExp(`Owner ${hit.id}\\b`), `result ${hit.id}'s credit`);
        assert.equal(hit.label, ['red', 'green', 'blue'][hit.id % 3]);
      }

      assert.ok(
        requested.includes(photoUrl(target)),
        `the page asked the photo's host for ${photoUrl(target)} (it asked for ${requested.filter((u) => !u.startsWith(site.server.origin)).join(', ') || 'nothing else'})`,
      );

      // More like this: the first result's stored vector, as the CLI finds it.
      const first = byVector.hits[0].id;
      const more = await answerTo(page, () => page.click('#result-grid li.result:nth-child(1) button.more'));
      assert.equal(more.kind, 'result', more.message);
      const native = nativeItemAnswer(first);
      assertSameHits(
        more.hits.map((h) => h.id),
        more.hits.map((h) => h.score),
        native,
        `more like ${first}`,
      );

      // An image: the page cannot compute this feature, and says so.
      const image = await uploadQuery(page, 'stripes.png');
      assert.equal(image.kind, 'error');
      assert.match(image.message, /cannot compute vectors:test for an image/);
    });
  },
);
