// Runs the WASM Node tests: writes the native reference outputs with
// build/native's wasm_parity_reference, then runs tests/wasm/*.test.mjs
// with node's test runner against build/wasm.
//
//   node tests/wasm/run.mjs            (scripts/test.sh does this after building both presets)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sourceDir, wasmDir, referenceDir } from './support.mjs';

const program = join(sourceDir, 'build/native/tests/wasm/wasm_parity_reference');
for (const [path, how] of [
  [program, 'build the native preset (cmake --build --preset native)'],
  [join(wasmDir, 'lookalike_wasm.mjs'), 'build the wasm preset (cmake --build --preset wasm)'],
]) {
  if (!existsSync(path)) {
    console.error(`missing ${path}: ${how}`);
    process.exit(1);
  }
}

const reference = spawnSync(program, [referenceDir], { stdio: 'inherit' });
if (reference.status !== 0) {
  console.error('writing the native reference outputs failed');
  process.exit(1);
}

const here = join(sourceDir, 'tests/wasm');
const files = readdirSync(here)
  .filter((f) => f.endsWith('.test.mjs'))
  .sort()
  .map((f) => join(here, f));
const tests = spawnSync(process.execPath, ['--test', ...files], {
  stdio: 'inherit',
  env: { ...process.env, LOOKALIKE_WASM_REFERENCE: referenceDir, LOOKALIKE_WASM_DIR: wasmDir },
});
process.exit(tests.status ?? 1);
