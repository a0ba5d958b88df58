// Checks an assembled site: the web app is there, and every file the
// collection sidecars name exists (bundles with the size they claim,
// thumbnails, samples, model cards and their model files, text towers' cards
// with their models and vocabularies).
//
//   node scripts/check-site.mjs SITE_DIR
//
// Prints each problem and exits 1 when the site is incomplete; a site with no
// collection yet is allowed (the page says so) with a warning.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const site = process.argv[2];
if (!site) {
  console.error('usage: node scripts/check-site.mjs SITE_DIR');
  process.exit(2);
}
const problems = [];
const warnings = [];
const relative = (p) =>
  typeof p === 'string' &&
  p.length > 0 &&
  !/^[a-z][a-z0-9+.-]*:/i.test(p) &&
  !p.startsWith('/') &&
  !p.split('/').includes('..');

function readJson(path, what) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    problems.push(`${what}: ${error.message}`);
    return null;
  }
}

for (const file of ['index.html', 'sw.js'])
  if (!existsSync(join(site, file))) problems.push(`the web app is missing: ${file}`);

const collectionsPath = join(site, 'index/collections.json');
if (!existsSync(collectionsPath)) {
  warnings.push(
    'no collection: index/collections.json is missing (the page will say so); build one with `lookalike index`',
  );
} else {
  const collections = readJson(collectionsPath, 'index/collections.json');
  for (const ref of collections?.collections ?? []) {
    const file = ref.file ?? `${ref.name}.json`;
    if (!relative(file)) {
      problems.push(`collections.json: bad file name ${JSON.stringify(file)}`);
      continue;
    }
    const sidecar = readJson(join(site, 'index', file), `index/${file}`);
    if (!sidecar) continue;
    for (const bundle of sidecar.bundles ?? []) {
      const path = join(site, 'index', bundle.file ?? '');
      if (!relative(bundle.file) || !existsSync(path))
        problems.push(`${ref.name}: index file index/${bundle.file} is missing`);
      else if (bundle.bytes != null && statSync(path).size !== bundle.bytes)
        problems.push(
          `${ref.name}: index/${bundle.file} is ${statSync(path).size} bytes, the collection says ${bundle.bytes}`,
        );
    }
    let missingThumbs = 0;
    for (const item of sidecar.items ?? [])
      if (item.thumbnail && (!relative(item.thumbnail) || !existsSync(join(site, item.thumbnail)))) ++missingThumbs;
    if (missingThumbs) problems.push(`${ref.name}: ${missingThumbs} thumbnail(s) missing (e.g. under thumbs/)`);
    for (const sample of sidecar.samples ?? [])
      if (!relative(sample.file) || !existsSync(join(site, sample.file)))
        problems.push(`${ref.name}: sample ${sample.file} is missing`);
    // Each model card, and its text tower's card, with the files they name
    // (relative to the card): the model, and a text tower's vocabulary.
    const checkCard = (cardRef, files) => {
      const cardPath = join(site, cardRef ?? '');
      if (!relative(cardRef) || !existsSync(cardPath)) {
        problems.push(`${ref.name}: model card ${cardRef} is missing`);
        return;
      }
      const card = readJson(cardPath, cardRef);
      const dir = cardRef.includes('/') ? cardRef.slice(0, cardRef.lastIndexOf('/')) : '.';
      for (const [what, file] of files(card))
        if (file && !existsSync(join(site, dir, file)))
          problems.push(
            `${ref.name}: the ${what} ${dir}/${file} named by ${cardRef} is missing (fetch it: models/fetch.sh)`,
          );
    };
    for (const model of sidecar.models ?? []) {
      checkCard(model.card, (card) => [['model', card?.model?.file]]);
      if (model.text_card)
        checkCard(model.text_card, (card) => [
          ['text model', card?.model?.file],
          ['vocabulary', card?.tokenizer?.file],
        ]);
    }
  }
}

for (const w of warnings) console.warn(`warning: ${w}`);
for (const p of problems) console.error(`problem: ${p}`);
process.exit(problems.length ? 1 : 0);
