// A tiny static file server for the browser tests that need what `lookalike
// serve` deliberately does not do (the site itself is served by lookalike
// serve, lookalike-serve.mjs): a host WITHOUT cross-origin isolation
// headers, as GitHub Pages is (lookalike serve always sends COOP/COEP/CORP),
// and other origins' image servers that allow or forbid cross-origin reads
// (CORS), for the image-URL query. Serves a folder under a URL prefix and
// records the requests and those that found nothing.
import { createServer } from 'node:http';
import { createGzip } from 'node:zlib';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.bmp': 'image/bmp',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.onnx': 'application/octet-stream',
};

/**
 * Serves `root` as the document root; only paths under `prefix` are answered.
 * It never answers Range requests (it sends the whole file, as some hosts
 * do); `gzip` compresses every response of those extensions (as GitHub
 * Pages does for types it deems compressible). `gate(path)`, when given, may
 * return a promise: the answer waits for it (a test holds back a download to
 * act while the page is still loading).
 * @param {{root: string, prefix?: string, cors?: boolean, gzip?: string[], gate?: (path: string) => Promise<void> | undefined}} options
 * @returns {Promise<{url: string, origin: string, notFound: string[], requests: string[], close: () => Promise<void>}>}
 */
export async function startStaticServer({ root, prefix = '/', cors = false, gzip = [], gate }) {
  const notFound = [];
  const requests = [];
  const base = normalize(root);
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    requests.push(path);
    await gate?.(path);
    if (cors) response.setHeader('Access-Control-Allow-Origin', '*');
    response.setHeader('Cache-Control', 'no-cache');
    if (!path.startsWith(prefix) || (request.method !== 'GET' && request.method !== 'HEAD')) {
      notFound.push(path);
      response.writeHead(404).end('not found');
      return;
    }
    let file = normalize(join(base, path));
    if (file !== base && !file.startsWith(base + sep)) {
      response.writeHead(403).end('forbidden');
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file) || !statSync(file).isFile()) {
      notFound.push(path);
      response.writeHead(404).end('not found');
      return;
    }
    if (gzip.includes(extname(file))) {
      response.writeHead(200, {
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        'Content-Encoding': 'gzip',
      });
      if (request.method === 'HEAD') return response.end();
      createReadStream(file).pipe(createGzip()).pipe(response);
      return;
    }
    response.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Length': statSync(file).size,
    });
    if (request.method === 'HEAD') return response.end();
    createReadStream(file).pipe(response);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    url: `${origin}${prefix}`,
    notFound,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
