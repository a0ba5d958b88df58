// Text search in the page against the CLI (issue 13): on the tiny model's
// parity site, whose index published the tiny text tower that pairs with it
// (models/test/tiny-text.json), every text typed into the page's text box
// gives the CLI's embedding (`lookalike embed --text`: cosine ≥ 0.9999) and
// the CLI's top 10 (`lookalike query --text`, ids in order), with 2 threads
// (isolated) and 1; the switches re-run a text query, "more like this" works
// from its results; the text model is fetched only once the visitor types.
// A collection whose model has no text tower shows no text box, and a
// damaged text model gives a message, not a crash. The text box in each of
// these states passes axe-core's checks (accessibility.mjs). The tests of
// the text tower are skipped, saying how to install it, when CLIP's
// vocabulary is not installed (the index then publishes no text tower).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertAccessible } from './accessibility.mjs';
import { answerTo, SUB_PATH, TIMEOUT, setControl, withPage, workDir } from './harness.mjs';
import { queryHits, runLookalike } from './lookalike-cli.mjs';
import { LOOKALIKE } from './lookalike-serve.mjs';
import { installedVocabulary } from '../support/installed-vocabulary.mjs';
import { assertCliAnswer, K, METRIC, MODELS, paritySite, readNpy, withParityPage } from './parity-site.mjs';

const TINY = MODELS.find((m) => m.card === 'tiny-embed');
/** The tiny text tower reads CLIP's vocabulary: why the text tests cannot run here, or false. */
const NO_VOCABULARY = installedVocabulary(LOOKALIKE).missing ?? false;
// Texts of several scripts and shapes, an HTML reference, one past 77 tokens.
const TEXTS = [
  'a red car at night',
  'A photo of a DOG.',
  'café crème brûlée',
  'Москва зимой',
  '日本の桜',
  'emoji 🐶🚗🌅',
  "it's a cat's toy, isn't it?",
  '&amp; rock &lt;b&gt;n&lt;/b&gt; roll',
  'price: $3.99 (50% off)',
  'the beach '.repeat(40).trim(),
];

let answers = null;
/** The CLI's answers on the parity site: per text, its vector, token ids, top 10 by cosine and by l2. */
function cliAnswers() {
  if (answers) return answers;
  const site = paritySite(TINY);
  const npy = join(workDir, 'text-embeddings.npy');
  runLookalike(
    [
      '-q',
      'embed',
      '--card',
      join(site.data, 'models/tiny-text.json'),
      ...TEXTS.flatMap((t) => ['--text', t]),
      '-o',
      npy,
    ],
    'lookalike embed --text',
  );
  const rows = readNpy(npy);
  answers = new Map(
    TEXTS.map((text, i) => {
      const top = (metric) =>
        JSON.parse(
          runLookalike(
            ['-q', '--json', 'query', '--site', site.data, '--text', text, '--metric', metric, '-k', String(K)],
            `query --text ${text}`,
          ),
        );
      const cosine = top(METRIC);
      const l2 = top('l2');
      return [
        text,
        {
          vector: rows[i],
          tokens: cosine.query.token_ids,
          ...queryHits(cosine),
          l2Ids: queryHits(l2).ids,
        },
      ];
    }),
  );
  return answers;
}

/** Types `text` at the end of the field, key by key, as a visitor does. */
async function typeInto(page, selector, text) {
  await page.focus(selector);
  await page.keyboard.type(text);
}

async function typeAndSearch(page, text) {
  await page.fill('#text-input', text);
  return answerTo(page, () => page.press('#text-input', 'Enter'));
}

async function checkTexts({ isolate }) {
  const expected = cliAnswers();
  let minCosine = 1,
    identical = 0;
  await withParityPage(TINY, { isolate }, async ({ browser, page }) => {
    // What the page (and its worker) asked the server for.
    const downloads = browser.server.requests;
    assert.equal(await page.isVisible('#text-form'), true, 'the text box is shown: the model has a text tower');
    const hint = await page.textContent('#text-hint');
    assert.match(hint, /text model \(1\.4 MB\) downloads when you start typing/, hint); // 74 kB model + 1.36 MB vocabulary
    assert.ok(!downloads.some((u) => /tiny-text\.onnx|bpe_simple_vocab/.test(u)), 'nothing of the text model yet');
    if (isolate) await assertAccessible(page, 'the ready page with its text box');

    // The first keystroke fetches the text model; the hint says when it is ready.
    await typeInto(page, '#text-input', 'a');
    await page.waitForFunction(() => /ready/.test(document.querySelector('#text-hint')?.textContent ?? ''), null, {
      timeout: TIMEOUT,
    });
    assert.ok(downloads.some((u) => /tiny-text\.onnx/.test(u)) && downloads.some((u) => /bpe_simple_vocab/.test(u)));
    if (isolate) await assertAccessible(page, 'the text box with its model loaded');

    await setControl(page, '#metric-select', METRIC);
    for (const text of TEXTS) {
      const r = await typeAndSearch(page, text);
      const want = expected.get(text);
      const got = await assertCliAnswer(page, r, want, `"${text}"`);
      minCosine = Math.min(minCosine, got.cosine);
      if (got.identical) ++identical;
      assert.match(r.caption, new RegExp(`\\(${want.tokens.length} tokens\\)$`), `"${text}": ${r.caption}`);
      assert.match(r.timing, /tokenize .* model .* search/, r.timing);
    }

    if (isolate) await assertAccessible(page, 'the results of a text query');

    // Switches re-run the text query; "more like this" searches from a result.
    const last = TEXTS[0];
    await typeAndSearch(page, last);
    const l2 = await setControl(page, '#metric-select', 'l2');
    assert.equal(l2?.kind, 'result', l2?.message);
    assert.deepEqual(
      l2.hits.map((h) => h.id),
      expected.get(last).l2Ids,
      "the text re-run with l2 is the CLI's",
    );
    const more = await answerTo(page, () => page.click('#result-grid li.result:first-child button.more'));
    assert.equal(more.kind, 'result', more.message);
    assert.match(more.caption, /^More like:/);
    assert.deepEqual(browser.console.unexpected(), []);
  });
  return { minCosine, identical };
}

for (const isolate of [true, false]) {
  const how = isolate ? 'cross-origin isolated (threads where the engine uses them)' : 'not isolated (1 thread)';
  test(
    `text queries: the page's embeddings and top ${K} equal the CLI's, ${how}`,
    { timeout: 6 * TIMEOUT, skip: NO_VOCABULARY },
    async (t) => {
      const { minCosine, identical } = await checkTexts({ isolate });
      t.diagnostic(
        `${TEXTS.length} texts (${identical} embeddings bit-identical), ${how}: minimum cosine page/CLI ${minCosine.toFixed(9)} (1 − ${(1 - minCosine).toExponential(1)})`,
      );
    },
  );
}

test('a collection whose model has no text tower shows no text box', { timeout: 2 * TIMEOUT }, () =>
  // The standard test collection's model (tiny-gap) has no text card.
  withPage({}, async (browser) => {
    assert.equal(await browser.page.isVisible('#text-form'), false);
    assert.match(await browser.page.textContent('#ready-state'), /choose an image\.$/);
    assert.deepEqual(browser.console.unexpected(), []);
  }),
);

test(
  'a damaged text model gives a message, and image search goes on',
  { timeout: 3 * TIMEOUT, skip: NO_VOCABULARY },
  async () => {
    const site = paritySite(TINY);
    const damaged = join(workDir, 'text-damaged');
    cpSync(site.served, damaged, { recursive: true });
    const model = join(damaged, 'repo/models/tiny-text.onnx');
    const bytes = readFileSync(model);
    bytes[bytes.length >> 1] ^= 0xff;
    writeFileSync(model, bytes);
    await withPage({ root: damaged, prefix: SUB_PATH, search: '?collection=parity' }, async ({ page }) => {
      await typeInto(page, '#text-input', 'a dog');
      await page.waitForFunction(
        () => /could not be loaded/.test(document.querySelector('#text-hint')?.textContent ?? ''),
        null,
        {
          timeout: TIMEOUT,
        },
      );
      assert.match(
        await page.textContent('#text-hint'),
        /damaged or not the one the card names \(sha256.*Search to try again/,
      );
      await assertAccessible(page, 'the text box saying its model could not be loaded');
      await typeInto(page, '#text-input', ' dog'); // typing on does not fetch the broken file again; a search does
      const r = await answerTo(page, () => page.press('#text-input', 'Enter'));
      assert.equal(r.kind, 'error');
      assert.match(r.message, /the text model could not be loaded: the text model tiny-text\.onnx is damaged/);
      // The page is still usable: an image query answers.
      const image = await answerTo(page, () => page.setInputFiles('#file-input', '/usr/share/darknet/data/dog.jpg'));
      assert.equal(image.kind, 'result', image.message);
    });
  },
);
