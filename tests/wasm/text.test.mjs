// CLIP's tokenizer and text cards in the WASM module: the installed
// vocabulary (tests/support/installed-vocabulary.mjs) decompressed as the
// page does it (DecompressionStream), the reference token ids of
// ../shared/models/clip-tokenizer, the same ids as the native CLI (`lookalike
// tokenize`) for texts of many scripts, text cards and padding, and errors as
// messages. Each test is skipped, saying so, when what it needs is absent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { installedVocabulary } from '../support/installed-vocabulary.mjs';
import { loadModule, ok, failed, sourceDir } from './support.mjs';

const m = await loadModule();
const sharedDir = process.env.LOOKALIKE_SHARED_DIR ?? join(sourceDir, '../shared');
const casesFile = join(sharedDir, 'models/clip-tokenizer/clip-token-cases.json');
const cli = join(sourceDir, 'build/native/offline-tools/lookalike');

/** The page's way: the .gz file through the platform's DecompressionStream. */
async function gunzip(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const installed = installedVocabulary(cli);
/** Every test here tokenizes: skipped, saying what is missing and how to install it, without the vocabulary. */
const noVocabulary = installed.missing ?? false;
const vocabulary = installed.path ? await gunzip(readFileSync(installed.path)) : null;
const tokenizer = vocabulary ? ok(m.ClipTokenizer.load(vocabulary), 'loading the vocabulary') : null;

function ids(text, length) {
  return Array.from(ok(tokenizer.tokenize(text, length), `tokenizing "${text}"`).ids);
}

test("the vocabulary is CLIP's", { skip: noVocabulary }, () => {
  assert.equal(tokenizer.vocabularySize(), 49408);
  assert.equal(tokenizer.startOfText(), 49406);
  assert.equal(tokenizer.endOfText(), 49407);
  assert.deepEqual(ids('a photo of a dog'), [49406, 320, 1125, 539, 320, 1929, 49407]);
});

test(
  'every reference case gives the reference ids',
  { skip: noVocabulary || (existsSync(casesFile) ? false : `the reference cases are missing: ${casesFile}`) },
  () => {
    const { cases } = JSON.parse(readFileSync(casesFile, 'utf8'));
    assert.ok(cases.length >= 62);
    let matched = 0;
    for (const c of cases) {
      const got = ok(tokenizer.tokenize(c.text));
      assert.deepEqual(Array.from(got.ids), c.ids, `"${c.text}"`);
      assert.equal(got.truncated, c.truncated, `"${c.text}" truncated`);
      ++matched;
    }
    assert.equal(matched, cases.length);
  },
);

// Texts mixing scripts, emoji, marks, entities and every kind of space, and
// pseudo-random strings over a wide range of code points (fixed seed).
function textsToCompare() {
  const texts = [
    'café crème brûlée',
    'ÀÉÎÕÜ àéîõü',
    'Ångström ÉCOLE straße',
    'ΣΑΣ ΟΔΟΣ αβγ δ',
    'Москва зимой',
    '日本の桜 北京 서울',
    'emoji 🐶🚗🌅 👍🏽 👨‍👩‍👧',
    '١٢٣ ५६ ½ ² Ⅻ',
    '&amp;lt; &notin &#x41; &#128; &bogus;',
    "it'ſ İstanbul a\u0345b",
    'tab\tnew\nline\u00a0nbsp\u2003em\u3000ideo\u001cfs',
    'zero\u200bwidth',
    '<|startoftext|> <|endoftext|>',
    'x'.repeat(500),
    'dog '.repeat(100),
  ];
  let state = 20261207;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) >>> 8;
  const pools = [
    [0x20, 0x7e],
    [0xa0, 0x24f],
    [0x370, 0x52f],
    [0x3040, 0x30ff],
    [0x4e00, 0x4fff],
    [0x1f300, 0x1f6ff],
    [0x300, 0x36f],
    [0x20, 0x2ffff],
  ];
  for (let t = 0; t < 300; ++t) {
    let s = '';
    for (let n = next() % 30; n > 0; --n) {
      const [lo, hi] = pools[next() % pools.length];
      const cp = lo + (next() % (hi - lo + 1));
      if (cp < 0xd800 || cp > 0xdfff) s += String.fromCodePoint(cp);
    }
    texts.push(s);
  }
  return texts;
}

test(
  'the same ids as the native tokenizer (lookalike tokenize) for texts of many scripts',
  { skip: noVocabulary },
  () => {
    const texts = textsToCompare();
    const native = spawnSync(cli, ['--json', '-q', 'tokenize', '--', ...texts], {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    assert.equal(native.status, 0, native.stderr);
    const answers = JSON.parse(native.stdout);
    assert.equal(answers.length, texts.length);
    texts.forEach((text, i) => {
      const got = ok(tokenizer.tokenize(text));
      assert.deepEqual(Array.from(got.ids), answers[i].ids, `text ${i}: ${JSON.stringify(text)}`);
      assert.equal(got.truncated, answers[i].truncated);
    });
  },
);

test('text cards parse and pad one text as the card says', { skip: noVocabulary }, () => {
  const card = readFileSync(join(sourceDir, 'models/clip-vit-b32-text.json'), 'utf8');
  const info = ok(m.parseTextModelCard(card));
  assert.equal(info.name, 'clip-vit-b32-text');
  assert.equal(info.pairsWith, 'clip-vit-b32');
  assert.equal(info.featureSpec, 'model:clip-vit-b32');
  assert.equal(info.tokenizerFile, 'bpe_simple_vocab_16e6.txt.gz');
  assert.equal(info.idsName, 'input_ids');
  assert.equal(info.maskName, '');
  assert.equal(info.idsType, 'int64');
  assert.equal(info.padding, 'none');
  assert.equal(info.contextLength, 77);
  assert.equal(info.outputDim, 512);
  const framed = ok(tokenizer.tokenize('a red car')).ids;
  const input = ok(m.textModelInput(card, framed));
  assert.deepEqual(input.dims, [1, framed.length]);
  assert.deepEqual(Array.from(input.ids), Array.from(framed));
  assert.ok(input.mask.every((v) => v === 1));
  const padded = ok(m.textModelInput(card.replace('"padding": "none"', '"padding": "context"'), framed));
  assert.deepEqual(padded.dims, [1, 77]);
  assert.equal(padded.ids[76], 49407);
  assert.equal(padded.mask[76], 0);
  failed(m.parseModelCard(card), 'a text card read as an image card');
  failed(m.parseTextModelCard(readFileSync(join(sourceDir, 'models/clip-vit-b32.json'), 'utf8')));
});

test('bad vocabularies and arguments give messages, and the module keeps working', { skip: noVocabulary }, () => {
  const gz = readFileSync(installed.path);
  assert.match(failed(m.ClipTokenizer.load(gz)).error, /gzip-compressed/);
  assert.equal(failed(m.ClipTokenizer.load(vocabulary.slice(0, 100000))).kind, 'corrupt');
  assert.match(failed(m.ClipTokenizer.load(new TextEncoder().encode('{"nope": 1}'))).error, /vocab\.json|model/);
  assert.match(failed(tokenizer.tokenize('x', 1)).error, /context length/);
  assert.match(failed(tokenizer.tokenize(42)).error, /text/);
  // A lone surrogate cannot be encoded as UTF-8: refused with a message, not garbage ids.
  assert.match(failed(tokenizer.tokenize('a\ud800b')).error, /UTF-8/);
  assert.equal(failed(m.textModelInput('{}', [1, 2])).kind, 'invalid-argument');
  assert.deepEqual(ids('still works'), [49406, 1170, 2322, 49407]);
});
