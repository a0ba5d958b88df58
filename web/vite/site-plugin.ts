// Build-time pieces of the static site:
//  - the service worker's manifest (the list of app-shell files and a build
//    id), written into sw.js once the bundle is known;
//  - a Content-Security-Policy for the built page (not in dev, where Vite
//    injects styles inline);
//  - in dev, the collection data (index/, thumbs/, models/, samples/) served
//    from a site folder given by LOOKALIKE_SITE_DATA.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type { Plugin } from 'vite';

const MANIFEST_TOKEN = '__LOOKALIKE_SW_MANIFEST__';
const DATA_FOLDERS = ['index/', 'thumbs/', 'models/', 'samples/'];
// Large runtime binaries are cached by the page's worker on use (with
// progress), not fetched up front by the service worker.
const NOT_PRECACHED = /\.(wasm|map)$/;

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "img-src 'self' blob: data: http: https:",
  "style-src 'self'",
  "connect-src 'self' http: https: blob: data:",
  "media-src 'self' blob: mediastream:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.onnx': 'application/octet-stream',
  '.lkx': 'application/octet-stream',
};

export function sitePlugin(): Plugin {
  return {
    name: 'lookalike-site',

    transformIndexHtml: {
      order: 'post',
      handler(_html, context) {
        if (context.server) return [];
        return [
          {
            tag: 'meta',
            attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY },
            injectTo: 'head-prepend',
          },
        ];
      },
    },

    generateBundle(_options, bundle) {
      const files = Object.keys(bundle)
        .filter((name) => name !== 'sw.js' && !NOT_PRECACHED.test(name))
        .sort();
      const build = createHash('sha256').update(Object.keys(bundle).sort().join('\n')).digest('hex').slice(0, 16);
      const sw = bundle['sw.js'];
      if (!sw || sw.type !== 'chunk') throw new Error('lookalike-site: the build produced no sw.js chunk');
      const literal = JSON.stringify(JSON.stringify({ build, files }));
      const replaced = sw.code.replace(new RegExp(`(["'\`])${MANIFEST_TOKEN}\\1`), () => literal);
      if (replaced === sw.code) throw new Error('lookalike-site: the service worker lost its manifest placeholder');
      if (/^\s*import[\s{*]/m.test(replaced) || /\bexport\s*[{*]/.test(replaced))
        throw new Error(
          'lookalike-site: sw.js must be a self-contained classic script (it imports or exports something)',
        );
      sw.code = replaced;
    },

    configureServer(server) {
      const dataDir = process.env['LOOKALIKE_SITE_DATA'];
      if (!dataDir) return;
      server.middlewares.use((request, response, next) => {
        const path = decodeURIComponent((request.url ?? '').split('?')[0] ?? '').replace(/^\/+/, '');
        if (!DATA_FOLDERS.some((folder) => path.startsWith(folder))) return next();
        const file = normalize(join(dataDir, path));
        if (!file.startsWith(normalize(dataDir) + sep) || !existsSync(file) || !statSync(file).isFile()) return next();
        response.setHeader('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream');
        response.setHeader('Content-Length', String(statSync(file).size));
        createReadStream(file).pipe(response);
      });
    },
  };
}
