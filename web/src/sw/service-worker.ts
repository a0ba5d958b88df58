// The service worker: keeps the app shell (HTML, scripts, styles, the WASM
// glue) so that a second visit starts from cache and works offline, and keeps
// thumbnails and samples as they are shown. The big data (WASM binary, index
// bundles, model) is cached by the page's worker itself through the Cache API
// (worker/cached-fetch.ts), because on a first visit this service worker does
// not control the page yet.
//
// Versioning: the shell cache is named after the build (a hash of every
// output file's name, which carry content hashes); a new build installs a
// new cache and deletes the old one when it activates.
/// <reference lib="webworker" />
export {};
declare const self: ServiceWorkerGlobalScope;

interface Manifest {
  build: string;
  files: string[];
}

// Replaced at build time by web/vite/site-plugin.ts with the list of output files.
const MANIFEST: Manifest = JSON.parse('__LOOKALIKE_SW_MANIFEST__') as Manifest;

const SHELL = `lookalike-shell-${MANIFEST.build}`;
const MEDIA = 'lookalike-media-v1';
const MEDIA_LIMIT = 4000;
const scope = new URL(self.registration.scope);

function inScope(url: URL): string | null {
  if (url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return null;
  return url.pathname.slice(scope.pathname.length);
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL);
      await cache.addAll(['./', ...MANIFEST.files].map((f) => new URL(f, scope).href));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys())
        if (name.startsWith('lookalike-shell-') && name !== SHELL) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

async function networkFirst(request: Request): Promise<Response> {
  const cache = await caches.open(SHELL);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(new URL('./', scope).href, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(new URL('./', scope).href);
    if (cached) return cached;
    throw error;
  }
}

async function storeMedia(cache: Cache, request: Request, response: Response): Promise<void> {
  await cache.put(request, response);
  const keys = await cache.keys();
  for (const old of keys.slice(0, Math.max(0, keys.length - MEDIA_LIMIT))) await cache.delete(old);
}

async function cacheFirst(event: FetchEvent, cacheName: string, store: boolean): Promise<Response> {
  const request = event.request;
  const cache = await caches.open(cacheName);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  // Stored after the page has its answer, so a thumbnail is painted as soon
  // as it arrives rather than after the cache write and the trimming (which
  // lists the whole cache): a results grid asks for ten or more at once.
  if (store && response.ok) event.waitUntil(storeMedia(cache, request, response.clone()).catch(() => undefined));
  return response;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const path = inScope(new URL(request.url));
  if (path === null) return;
  if (request.mode === 'navigate' || path === '' || path === 'index.html') {
    event.respondWith(networkFirst(request));
  } else if (MANIFEST.files.includes(path)) {
    event.respondWith(cacheFirst(event, SHELL, false));
  } else if (path.startsWith('thumbs/') || path.startsWith('samples/')) {
    event.respondWith(cacheFirst(event, MEDIA, true));
  }
  // Everything else (index/, models/, the WASM binaries) goes to the network;
  // the page's worker caches those itself.
});
