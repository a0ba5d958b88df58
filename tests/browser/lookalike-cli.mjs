// The native CLI as the browser tests and the web benchmarks run it to make
// sites and native answers: a command whose failure throws with its stderr,
// a collection indexed into a site's data folder, the site assembled from
// it by scripts/build-site.sh, and the hits `lookalike query --json` prints.
import { spawnSync } from 'node:child_process';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOOKALIKE } from './lookalike-serve.mjs';

const sourceDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Runs a program; its stdout, or an error saying `what` failed, with its stderr. */
export function runCommand(command, args, what = `${command} ${args.join(' ')}`, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 28, ...options });
  if (result.status !== 0) throw new Error(`${what} failed (${command} ${args.join(' ')}):\n${result.stderr}`);
  return result.stdout;
}

/** Runs `lookalike ARGS…`; its stdout. */
export function runLookalike(args, what = 'lookalike') {
  return runCommand(LOOKALIKE, args, what);
}

/**
 * `lookalike -q index IMAGES --site DATA --name NAME MORE… --samples 0`: a
 * collection in a site's data folder, without sample queries (the tests and
 * benchmarks bring their own queries).
 */
export function indexCollection(images, data, name, more = []) {
  runLookalike(['-q', 'index', images, '--site', data, '--name', name, ...more, '--samples', '0']);
}

/** scripts/build-site.sh: the web app and the collections of `data` assembled in `out` (the app is built already). */
export function buildSite(data, out) {
  runCommand(join(sourceDir, 'scripts/build-site.sh'), ['--no-build', '--data', data, '--out', out], 'build-site.sh', {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

/** The results in what `lookalike query --json` printed (parsed) as ids, scores and labels, in rank order. */
export function queryHits({ results }) {
  return {
    ids: results.map((h) => h.id),
    scores: results.map((h) => h.score),
    labels: results.map((h) => h.label),
  };
}
