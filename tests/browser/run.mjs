// Runs the browser tests: builds the test collection with the native
// fixture program, assembles the site from the web build (web/dist) with
// scripts/build-site.sh, then runs tests/browser/*.test.mjs, which serve it
// with the native `lookalike serve`.
//
//   node tests/browser/run.mjs    (scripts/test.sh does this after building)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { sourceDir, workDir, siteRoot, SUB_PATH, CHROMIUM } from './harness.mjs';
import { LOOKALIKE } from './lookalike-serve.mjs';

function need(path, how) {
  if (!existsSync(path)) {
    console.error(`missing ${path}: ${how}`);
    process.exit(1);
  }
}
need(join(sourceDir, 'build/native/tests/browser/make_test_collection'), 'build the native preset');
need(LOOKALIKE, 'build the native preset (the tests serve the site with lookalike serve)');
need(join(sourceDir, 'web/dist/index.html'), 'build the web app (scripts/build-site.sh builds it)');
need(CHROMIUM, 'install Debian chromium (scripts/setup.sh does)');

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
  .filter((f) => f.endsWith('.test.mjs'))
  .sort()
  .map((f) => join(here, f));
const tests = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...files], {
  stdio: 'inherit',
  env: { ...process.env, LOOKALIKE_BROWSER_WORK: workDir },
});
process.exit(tests.status ?? 1);
