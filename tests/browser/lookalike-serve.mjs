// The site served as users serve it: `lookalike serve DIR --port 0` (the
// native CLI, 127.0.0.1, COOP/COEP/CORP, byte ranges, ETags), started as a
// child process. With -v it logs "GET <target> <status>" per request on
// stderr; those lines give the tests the requests the page made and the ones
// that found nothing.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const sourceDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const LOOKALIKE = process.env.LOOKALIKE_CLI ?? join(sourceDir, 'build/native/offline-tools/lookalike');

/**
 * Serves `root` as the document root; the page lives under `prefix`.
 * @returns {Promise<{url: string, origin: string, notFound: string[], requests: string[], log: string[], close: () => Promise<void>}>}
 */
export async function startLookalikeServe({ root, prefix = '/' }) {
  if (!existsSync(LOOKALIKE)) throw new Error(`${LOOKALIKE} is missing: build the native preset`);
  const child = spawn(LOOKALIKE, ['-v', 'serve', root, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const requests = [];
  const notFound = [];
  const log = [];
  createInterface({ input: child.stderr }).on('line', (line) => {
    log.push(line);
    const request = /^lookalike: (GET|HEAD) (\S+) (\d{3})$/.exec(line);
    if (!request) return;
    const path = decodeURIComponent(new URL(request[2], 'http://x').pathname);
    requests.push(path);
    if (request[3] === '404') notFound.push(path);
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const origin = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => resolve(line.trim().replace(/\/$/, '')));
    exited.then(({ code }) =>
      reject(new Error(`lookalike serve exited (${code}) before printing its URL:\n${log.join('\n')}`)),
    );
  });
  return {
    origin,
    url: `${origin}${prefix}`,
    requests,
    notFound,
    log,
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT'); // how the server is meant to stop
      const { code } = await exited;
      if (code !== 0 && code !== null) throw new Error(`lookalike serve exited with ${code}:\n${log.join('\n')}`);
    },
  };
}
