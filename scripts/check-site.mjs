// Checks an assembled site: the web app is there, every file the collection
// sidecars name exists (bundles with the size they claim, a partitioned
// index's header and data files, thumbnails, samples, model cards and their
// model files, text towers' cards with their models and vocabularies), and
// the site fits GitHub Pages: no file over 64 MB (hosts and git refuse large
// files, browsers cache them badly) and at most 1 GB in all (Pages' site limit).
//
//   node scripts/check-site.mjs SITE_DIR
//
// Prints each problem and exits 1 when the site is incomplete; a site with no
// collection yet is allowed (the page says so) with a warning.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
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
      // A partitioned index is its header <stem>.lkp and data files <stem>.NNNN.bin.
      const stem = (bundle.file ?? '').replace(/\.lkp$/, '');
      const files = [
        bundle.file,
        ...Array.from({ length: bundle.data_files ?? 0 }, (_, i) => `${stem}.${String(i).padStart(4, '0')}.bin`),
      ];
      let bytes = 0;
      for (const file of files) {
        const path = join(site, 'index', file ?? '');
        if (!relative(file) || !existsSync(path)) problems.push(`${ref.name}: index file index/${file} is missing`);
        else bytes += statSync(path).size;
      }
      if (bundle.bytes != null && bundle.bytes > 0 && bytes !== bundle.bytes)
        problems.push(
          `${ref.name}: index/${bundle.file} is ${bytes} bytes in all, the collection says ${bundle.bytes}`,
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

// GitHub Pages' limits: files over 64 MB are refused by the pipeline that
// publishes a site kept in git (and 100 MB by git hosting itself), a site
// over 1 GB is refused.
const MAX_FILE = 64 * 2 ** 20;
const MAX_SITE = 2 ** 30;
let total = 0;
const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
function walk(dir, prefix) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const name = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) walk(path, name);
    else if (entry.isFile()) {
      const size = statSync(path).size;
      total += size;
      if (size > MAX_FILE)
        problems.push(
          `${name} is ${mb(size)}, over the 64 MB a file of the site may have: ` +
            (name.endsWith('.lkx')
              ? 'index this collection as a partitioned index (lookalike index --kind partitioned), whose files stay under 64 MB'
              : name.endsWith('.onnx')
                ? 'use a smaller or quantised model (models/README.md)'
                : 'split it or leave it out of the site'),
        );
    }
  }
}
walk(site, '');
if (total > MAX_SITE)
  problems.push(
    `the site is ${mb(total)}, over GitHub Pages' 1 GB: index fewer features or metrics, ` +
      'use --element int8 or a partitioned index, or smaller thumbnails',
  );

for (const w of warnings) console.warn(`warning: ${w}`);
for (const p of problems) console.error(`problem: ${p}`);
process.exit(problems.length ? 1 : 0);
