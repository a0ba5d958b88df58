// The demo collection: images from Debian packages that may be republished,
// each with its attribution, laid out as a crawl (OUT/<label>/<file> and
// OUT/crawl.jsonl, one attribution record per line as
// core/include/lookalike/index/attribution.h defines it; "id" is
// "<package>/<file in the package's folder>") so that `lookalike prep` and
// `index` carry every image's author, licence and source into the site as
// they do for a Flickr crawl.
//
//   node scripts/demo-collection.mjs --out DIR [--system-root DIR] [--min-per-label N]
//
// Sources (SOURCES below), each checked against its package's copyright file
// (/usr/share/doc/<package>/copyright) before anything of it is used:
//   openclipart-png     clip art dedicated to the public domain; label = category folder
//   darknet             the sample photos; label "photos"
//   mate-backgrounds    desktop-background photos (DEP-5 copyright: author and
//                       licence per file); label "photos"
// A file is taken only when its copyright file names a licence that allows
// republishing (REPUBLISHABLE); anything else is left out and counted. A
// package that is not installed is skipped with a message. Files are linked,
// not copied. --system-root prefixes every system path (for tests).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, extname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';

/** Licences (as Debian's copyright files name them) under which an image may go on a public site, with their text's address. */
const REPUBLISHABLE = {
  'public-domain-dedication': {
    title: 'Public domain (Creative Commons Public Domain Dedication)',
    url: 'https://creativecommons.org/licenses/publicdomain/',
  },
  'GPL-2+': { title: 'GNU GPL 2.0 or later', url: 'https://www.gnu.org/licenses/old-licenses/gpl-2.0.html' },
  'GPL-3.0+ or MIT or WTFPL': { title: 'GPL-3.0+, MIT or WTFPL', url: 'https://opensource.org/license/mit' },
  'CC-BY-SA-3.0': { title: 'CC BY-SA 3.0', url: 'https://creativecommons.org/licenses/by-sa/3.0/' },
  'CC-BY-SA-4.0': { title: 'CC BY-SA 4.0', url: 'https://creativecommons.org/licenses/by-sa/4.0/' },
};

const IMAGE = /\.(png|jpe?g)$/i;

const SOURCES = [
  {
    package: 'openclipart-png',
    folder: 'usr/share/openclipart/png',
    // Not DEP-5: one dedication for the whole package, checked by its wording.
    licence: (copyright) => (/Public Domain Dedication/i.test(copyright) ? 'public-domain-dedication' : null),
    owner: () => 'Open Clip Art Library',
    page: 'https://openclipart.org/',
    // The category folder; "unsorted" is no category.
    label: (path) =>
      path.includes('/') && !path.startsWith('unsorted/') ? path.split('/')[0].replace(/_/g, ' ') : null,
  },
  {
    package: 'darknet',
    folder: 'usr/share/darknet/data',
    dep5: true,
    page: 'https://github.com/pjreddie/darknet',
    label: (path) => (!path.includes('/') && /\.jpg$/.test(path) ? 'photos' : null),
  },
  {
    package: 'mate-backgrounds',
    folder: 'usr/share/backgrounds/mate',
    dep5: true,
    page: 'https://git.mate-desktop.org/mate-backgrounds/',
    // Photos only, one size each (Elephants_3840x2160.jpg is Elephants.jpg again).
    label: (path) => (/\.jpg$/.test(path) && !/_\d+x\d+\.jpg$/.test(path) ? 'photos' : null),
  },
];

/** DEP-5 stanzas: {files: glob[], copyright: string, licence: string}, in file order (the last match wins). */
export function parseDep5(text) {
  const stanzas = [];
  for (const block of text.split(/\n\s*\n/)) {
    const fields = {};
    let current = null;
    for (const line of block.split('\n')) {
      const field = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
      if (field) fields[(current = field[1].toLowerCase())] = field[2];
      else if (current && /^\s/.test(line)) fields[current] += `\n${line.trim()}`;
    }
    if (fields.files)
      stanzas.push({
        files: fields.files.split(/\s+/).filter(Boolean),
        copyright: fields.copyright ?? '',
        licence: (fields.license ?? '').split('\n')[0].trim(),
      });
  }
  return stanzas;
}

function globMatches(glob, path) {
  const pattern = glob
    .replace(/^\.\//, '')
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${pattern}$`).test(path);
}

/** The owners a DEP-5 Copyright field names, without years and e-mail addresses. */
export function ownersOf(copyright) {
  return copyright
    .split('\n')
    .map((line) =>
      line
        .replace(/^(copyright\s*)?(©|\(c\))?\s*/i, '')
        .replace(/^[\d\s,–-]+/, '')
        .replace(/<[^>]*>|\([^)]*\)|https?:\/\/\S+/g, '')
        .replace(/[´`"]/g, '')
        .trim(),
    )
    .filter(Boolean)
    .join(', ');
}

function imagesUnder(root) {
  const found = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      // A link is the same picture filed a second time (under another category): taken once, where it lives.
      if (entry.isSymbolicLink() || entry.name.startsWith('.')) continue;
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && IMAGE.test(entry.name)) found.push(relative(root, path));
    }
  };
  walk(root);
  return found;
}

/** The attribution of `path` (relative to the source folder) from its copyright file, or a reason to leave it out. */
function attribution(source, path, copyright, stanzas) {
  if (!source.dep5) {
    const licence = source.licence(copyright);
    return licence ? { licence, owner: source.owner(path) } : { skip: 'its copyright file names no known dedication' };
  }
  const stanza = stanzas.findLast((s) => s.files.some((glob) => globMatches(glob, path)));
  if (!stanza) return { skip: 'its copyright file does not cover it' };
  if (!REPUBLISHABLE[stanza.licence]) return { skip: `licence ${stanza.licence || '(none)'} is not one to republish` };
  return { licence: stanza.licence, owner: ownersOf(stanza.copyright) };
}

function title(path) {
  return basename(path, extname(path))
    .replace(/[_-]+/g, ' ')
    .replace(/\s+\d+$/, '')
    .trim();
}

function collectSource(source, systemRoot, out, records, counts) {
  const folder = join(systemRoot, source.folder);
  const copyrightFile = join(systemRoot, 'usr/share/doc', source.package, 'copyright');
  if (!existsSync(folder) || !existsSync(copyrightFile)) {
    console.error(`demo-collection: ${source.package} is not installed (no ${folder}); its images are left out`);
    return;
  }
  const copyright = readFileSync(copyrightFile, 'utf8');
  const stanzas = source.dep5 ? parseDep5(copyright) : [];
  for (const path of imagesUnder(folder)) {
    const label = source.label(path);
    if (!label) continue;
    const a = attribution(source, path, copyright, stanzas);
    if (a.skip) {
      counts.skipped.push(`${source.package}/${path}: ${a.skip}`);
      continue;
    }
    const name = `${source.package}--${path.replace(/\//g, '--')}`;
    mkdirSync(join(out, label), { recursive: true });
    symlinkSync(join(folder, path), join(out, label, name));
    const licence = REPUBLISHABLE[a.licence];
    records.push({
      id: `${source.package}/${path}`,
      path: `${label}/${name}`,
      term: label,
      title: title(path),
      owner: a.owner,
      licence: licence.title,
      licence_url: licence.url,
      page: source.page,
    });
    counts.byLabel.set(label, (counts.byLabel.get(label) ?? 0) + 1);
  }
}

function main() {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      'system-root': { type: 'string', default: '/' },
      'min-per-label': { type: 'string', default: '20' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values.out) {
    console.log('usage: node scripts/demo-collection.mjs --out DIR [--system-root DIR] [--min-per-label N]');
    process.exit(values.help ? 0 : 2);
  }
  const minPerLabel = Number(values['min-per-label']);
  if (!Number.isInteger(minPerLabel) || minPerLabel < 1) {
    console.error(`demo-collection: --min-per-label must be a positive number, not ${values['min-per-label']}`);
    process.exit(2);
  }
  rmSync(values.out, { recursive: true, force: true });
  mkdirSync(values.out, { recursive: true });
  const records = [];
  const counts = { byLabel: new Map(), skipped: [] };
  for (const source of SOURCES) collectSource(source, values['system-root'], values.out, records, counts);

  // A label with a handful of images is no category to search by: left out.
  const small = [...counts.byLabel].filter(([, n]) => n < minPerLabel).map(([label]) => label);
  for (const label of small) rmSync(join(values.out, label), { recursive: true, force: true });
  const kept = records.filter((r) => !small.includes(r.term));
  if (kept.length === 0) {
    console.error('demo-collection: no image found: install openclipart-png (and darknet, mate-backgrounds)');
    process.exit(4);
  }
  writeFileSync(join(values.out, 'crawl.jsonl'), kept.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const labels = [...counts.byLabel].filter(([label]) => !small.includes(label));
  console.error(
    `demo-collection: ${kept.length} images in ${labels.length} labels (${labels.map(([l, n]) => `${l} ${n}`).join(', ')})` +
      (small.length ? `; left out labels with fewer than ${minPerLabel} images: ${small.join(', ')}` : '') +
      (counts.skipped.length ? `; ${counts.skipped.length} images left out for their licence` : ''),
  );
  for (const line of counts.skipped.slice(0, 10)) console.error(`  left out: ${line}`);
}

if (process.argv[1] && basename(process.argv[1]) === 'demo-collection.mjs') main();
