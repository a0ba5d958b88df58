// CLIP's vocabulary for the Node and browser tests and the web benchmarks:
// not in the repository, but installed where models are installed
// (models/fetch.sh; scripts/setup.sh installs it from
// ../shared/models/clip-tokenizer into build/models), and found as the CLI
// finds it: `lookalike embed --list-cards --json` names the file each text
// card reads, or says where it looked and how to install it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const sourceDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const sharedDir = process.env.LOOKALIKE_SHARED_DIR ?? join(sourceDir, '../shared');

/**
 * The vocabulary the text card `card` reads (a card name the CLI finds; by
 * default the tiny test tower), with `cli` the lookalike binary: `{ path }`,
 * or `{ missing }` saying what is missing and how to install it, for a
 * test's skip.
 */
export function installedVocabulary(cli, card = 'tiny-text') {
  if (!existsSync(cli)) return { missing: `the native CLI is missing: ${cli} (build the native preset)` };
  const listed = spawnSync(cli, ['--json', 'embed', '--list-cards'], { encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`lookalike embed --list-cards failed:\n${listed.stderr}`);
  const entry = JSON.parse(listed.stdout).find((c) => c.name === card);
  if (!entry) throw new Error(`lookalike embed --list-cards lists no card ${card}`);
  if (entry.error) throw new Error(`the card ${card} is invalid: ${entry.error}`);
  if (entry.tokenizer_file) return { path: entry.tokenizer_file };
  return {
    missing:
      `CLIP's vocabulary is not installed: ${entry.missing.join('; ')}. For the tests: models/fetch.sh --text ` +
      `tiny-embed --from ${join(sharedDir, 'models/clip-tokenizer')} --dest ${join(sourceDir, 'build/models')} ` +
      `(scripts/setup.sh does this when ../shared is there), or without --from to download it`,
  };
}
