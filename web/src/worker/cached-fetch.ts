// Downloads with byte progress, kept in the browser's Cache API so that a
// second visit starts from cache and works offline.
//
// Why the Cache API from the worker (and not only the service worker): on a
// first visit the service worker does not control the page yet, so the big
// downloads (WASM module, index bundles, model) would not be cached until a
// later visit; the worker caches them itself, the moment it has them. The
// service worker (src/sw/service-worker.ts) caches the app shell.
//
// Versioning: callers put a version in the URL (a content hash for build
// files, "?v=<collection created>-<bytes>" for data). Storing a URL removes
// the entries of the same path with another version, so the cache holds one
// copy of each file.

const DATA_CACHE = 'lookalike-data-v1';

export type CachePolicy = 'cache-first' | 'network-first' | 'network-only';

/**
 * How each policy uses the browser's HTTP cache. A cache-first file is kept
 * in Cache Storage (below): a second copy in the HTTP cache would take disk
 * twice and slow the download (a 4 MB index header arrives a quarter later
 * through it on a 50 Mbit/s line).
 */
const HTTP_CACHE: Record<CachePolicy, RequestCache> = {
  'cache-first': 'no-store',
  'network-first': 'no-cache',
  'network-only': 'default',
};

export interface DownloadProgress {
  (loaded: number, total: number | null, fromCache: boolean, done: boolean): void;
}

export interface Downloaded {
  bytes: Uint8Array;
  fromCache: boolean;
  contentType: string | null;
}

export class DownloadError extends Error {}

/** The page's data cache, or null where Cache Storage is unavailable. */
export async function openCache(): Promise<Cache | null> {
  try {
    return typeof caches === 'undefined' ? null : await caches.open(DATA_CACHE);
  } catch {
    return null; // e.g. an insecure context or storage disabled: no caching, still works
  }
}

/**
 * Stores a copy of `bytes` under `key`; resolves false (with a warning) when
 * it cannot: a full quota must not fail the download, the page works uncached.
 * Callers need not wait: the copy is taken at once.
 */
export async function keepCopy(
  cache: Cache,
  key: string,
  bytes: Uint8Array,
  contentType: string | null,
  what: string,
): Promise<boolean> {
  const headers: Record<string, string> = { 'content-length': String(bytes.length) };
  if (contentType) headers['content-type'] = contentType;
  try {
    await cache.put(key, new Response(bytes.slice().buffer, { headers }));
    return true;
  } catch (error) {
    console.warn(`lookalike: could not cache ${what}: ${(error as Error).message}`);
    return false;
  }
}

async function readBody(
  response: Response,
  total: number | null,
  fromCache: boolean,
  onProgress: DownloadProgress | undefined,
  maxBytes: number,
  what: string,
): Promise<Uint8Array> {
  if (!response.body) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    onProgress?.(bytes.length, total ?? bytes.length, fromCache, true);
    return bytes;
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  let lastReport = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    if (loaded > maxBytes) {
      await reader.cancel();
      throw new DownloadError(`${what} is larger than ${Math.round(maxBytes / 1e6)} MB; refusing it`);
    }
    const now = performance.now();
    if (now - lastReport > 80) {
      lastReport = now;
      onProgress?.(loaded, total, fromCache, false);
    }
  }
  const bytes = new Uint8Array(loaded);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  onProgress?.(loaded, total ?? loaded, fromCache, true);
  return bytes;
}

function headerTotal(response: Response): number | null {
  // A compressed transfer's Content-Length counts compressed bytes; the
  // stream yields more, so the length is only trusted when not encoded.
  const length = Number(response.headers.get('content-length'));
  return Number.isFinite(length) && length > 0 && !response.headers.get('content-encoding') ? length : null;
}

async function removeOtherVersions(cache: Cache, url: string): Promise<void> {
  const path = new URL(url);
  for (const request of await cache.keys()) {
    const other = new URL(request.url);
    if (other.origin === path.origin && other.pathname === path.pathname && other.href !== path.href)
      await cache.delete(request);
  }
}

export interface FetchOptions {
  what: string;
  policy: CachePolicy;
  expectedBytes?: number | null;
  onProgress?: DownloadProgress;
  maxBytes?: number;
}

/** Cache-first downloads under way, so that a file asked for twice at once is downloaded once. */
const inFlight = new Map<string, Promise<Downloaded>>();

/**
 * Fetches `url` (absolute) as bytes; throws DownloadError with a message naming `what`.
 * A cache-first fetch of a URL already being fetched that way shares that download
 * (the page starts some downloads early, before the code that uses them asks).
 */
export function fetchBytes(url: string, options: FetchOptions): Promise<Downloaded> {
  if (options.policy !== 'cache-first') return download(url, options);
  const pending = inFlight.get(url);
  if (pending) return pending;
  const started = download(url, options).finally(() => inFlight.delete(url));
  inFlight.set(url, started);
  return started;
}

async function download(url: string, options: FetchOptions): Promise<Downloaded> {
  const { what, policy, onProgress } = options;
  const maxBytes = options.maxBytes ?? 2 ** 31 - 1;
  const cache = policy === 'network-only' ? null : await openCache();

  const fromCache = async (): Promise<Downloaded | null> => {
    const hit = cache ? await cache.match(url) : undefined;
    if (!hit) return null;
    const bytes = await readBody(hit, options.expectedBytes ?? headerTotal(hit), true, onProgress, maxBytes, what);
    return { bytes, fromCache: true, contentType: hit.headers.get('content-type') };
  };

  if (policy === 'cache-first') {
    const cached = await fromCache();
    if (cached) return cached;
  }

  let response: Response;
  try {
    response = await fetch(url, { cache: HTTP_CACHE[policy] });
  } catch (error) {
    if (policy === 'network-first') {
      const cached = await fromCache();
      if (cached) return cached;
    }
    throw new DownloadError(
      `could not download ${what} (${url}): ${(error as Error).message || 'network error'} — are you offline?`,
    );
  }
  if (!response.ok) {
    if (policy === 'network-first' && response.status >= 500) {
      const cached = await fromCache();
      if (cached) return cached;
    }
    throw new DownloadError(
      `could not download ${what} (${url}): HTTP ${response.status} ${response.statusText}`.trim(),
    );
  }
  const total = options.expectedBytes ?? headerTotal(response);
  const bytes = await readBody(response, total, false, onProgress, maxBytes, what);
  const contentType = response.headers.get('content-type');
  // Kept for the next visit without holding up this one (a 4 MB index header
  // takes tens of milliseconds to write).
  if (cache) void keep(cache, url, bytes, contentType, what);
  return { bytes, fromCache: false, contentType };
}

/** A download's copy for the next visit, in place of any other version of the file. */
async function keep(cache: Cache, url: string, bytes: Uint8Array, contentType: string | null, what: string) {
  if (!(await keepCopy(cache, url, bytes, contentType, what))) return;
  try {
    await removeOtherVersions(cache, url);
  } catch (error) {
    console.warn(`lookalike: could not cache ${what}: ${(error as Error).message}`);
  }
}

/** Drops a cached copy of `url` (e.g. one that turned out unusable), so the next fetch goes to the network. */
export async function evictCached(url: string): Promise<void> {
  const cache = await openCache();
  try {
    await cache?.delete(url);
  } catch {
    // nothing cached, or storage unavailable: nothing to drop
  }
}

/** Decodes UTF-8 bytes as text. */
export function bytesToText(bytes: Uint8Array): string {
  return new TextDecoder('utf-8').decode(bytes);
}
