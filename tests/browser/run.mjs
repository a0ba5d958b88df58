// Runs the browser tests: builds the test collection with the native
// fixture program, assembles the site from the web build (web/dist) with
// scripts/build-site.sh, then runs tests/browser/*.test.mjs, which serve it
// with the native `lookalike serve`, once in each browser engine
// (engines.mjs: Chromium, then Firefox ESR).
//
//   node tests/browser/run.mjs                     (scripts/test.sh does this after building)
//   node tests/browser/run.mjs --engine firefox    one engine only
//   node tests/browser/run.mjs search.test.mjs     some test files only
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ENGINES, ENGINE_NAMES } from './engines.mjs';
import { sourceDir, workDir, siteRoot, SUB_PATH } from './harness.mjs';
import { LOOKALIKE } from './lookalike-serve.mjs';

const { values: options, positionals: only } = parseArgs({
  options: { engine: { type: 'string', multiple: true } },
  allowPositionals: true,
});
const engines = options.engine ?? ENGINE_NAMES;
for (const engine of engines)
  if (!ENGINES[engine]) {
    console.error(`--engine ${engine}: not one of ${ENGINE_NAMES.join(', ')}`);
    process.exit(2);
  }

function need(path, how) {
  if (!existsSync(path)) {
    console.error(`missing ${path}: ${how}`);
    process.exit(1);
  }
}
need(join(sourceDir, 'build/native/tests/browser/make_test_collection'), 'build the native preset');
need(LOOKALIKE, 'build the native preset (the tests serve the site with lookalike serve)');
need(join(sourceDir, 'web/dist/index.html'), 'build the web app (scripts/build-site.sh builds it)');
for (const engine of engines)
  need(ENGINES[engine].executablePath, `install Debian's ${ENGINES[engine].debianPackage} (scripts/setup.sh does)`);

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`${command} ${args.join(' ')} failed`);
    process.exit(1);
  }
}

rmSync(workDir, { recursive: true, force: true });
mkdirSync(workDir, { recursive: true });
run(join(sourceDir, 'build/native/tests/browser/make_test_collection'), [join(workDir, 'collection')]);
run(join(sourceDir, 'scripts/build-site.sh'), [
  '--no-build',
  '--data',
  join(workDir, 'collection/site'),
  '--out',
  join(siteRoot, SUB_PATH),
]);

const here = join(sourceDir, 'tests/browser');
const files = readdirSync(here)
  .filter((f) => f.endsWith('.test.mjs') && (only.length === 0 || only.includes(f)))
  .sort()
  .map((f) => join(here, f));
if (files.length === 0) {
  console.error(`no test file matches ${only.join(' ')}`);
  process.exit(2);
}
const failed = [];
for (const engine of engines) {
  console.log(`# browser tests in ${ENGINES[engine].title}`);
  const tests = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...files], {
    stdio: 'inherit',
    env: { ...process.env, LOOKALIKE_BROWSER_WORK: workDir, LOOKALIKE_BROWSER: engine },
  });
  if (tests.status !== 0) failed.push(ENGINES[engine].title);
}
if (failed.length) console.error(`browser tests failed in ${failed.join(' and ')}`);
process.exit(failed.length ? 1 : 0);
