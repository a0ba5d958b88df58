// One byte range of a file, by an HTTP Range request, checked so that a host
// that breaks Range never turns into wrong results: the answer must be
// "206 Partial Content" for exactly the bytes asked for, uncompressed. A
// host that ignores Range (200 with the whole file) or compresses the
// response (Content-Encoding: a ranged answer of a compressed stream is not
// the file's bytes; GitHub Pages does this for types it deems compressible)
// is reported as such, with what to change. Never relies on HEAD or on a
// file's total length: the caller knows every range from the index header.
//
// Answers are kept in the Cache Storage the page already uses (as a whole
// response under a key naming the range, since 206 responses cannot be
// stored), so a list fetched once is there offline.
import { DownloadError, keepCopy, openCache } from './cached-fetch';

export class HostError extends Error {}

export interface RangeResult {
  bytes: Uint8Array;
  fromCache: boolean;
}

function cacheKey(url: string, offset: number, length: number): string {
  const key = new URL(url);
  key.searchParams.set('range', `${offset}-${offset + length - 1}`);
  return key.href;
}

/** Checks an answer to a Range request; throws HostError or DownloadError saying what is wrong. */
export function checkRangeAnswer(response: Response, offset: number, length: number, what: string): void {
  const end = offset + length - 1;
  const encoding = response.headers.get('content-encoding');
  if (encoding && encoding.toLowerCase() !== 'identity')
    throw new HostError(
      `the host compressed ${what} (Content-Encoding: ${encoding}), so a byte range of it is not the index's bytes: ` +
        'serve the .bin files uncompressed (as application/octet-stream)',
    );
  if (response.status === 200)
    throw new HostError(
      `the host ignored the Range request for ${what} and sent the whole file: this site needs a host that answers ` +
        'Range requests (GitHub Pages and lookalike serve do)',
    );
  if (response.status !== 206)
    throw new DownloadError(`could not download ${what}: HTTP ${response.status} ${response.statusText}`.trim());
  const range = response.headers.get('content-range');
  const match = range ? /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(range.trim()) : null;
  if (range !== null && (!match || Number(match[1]) !== offset || Number(match[2]) !== end))
    throw new HostError(`the host answered bytes ${range} of ${what} when asked for bytes ${offset}-${end}`);
}

/**
 * Why a Range request failed outright: browsers refuse some answers (e.g.
 * Chromium one with Content-Encoding to a request that asked for a range),
 * so a failed request is followed by a HEAD of the same file, only to name
 * the host's problem; its length is never used.
 */
async function diagnose(url: string, what: string, error: unknown): Promise<Error> {
  try {
    const head = await fetch(url, { method: 'HEAD' });
    const encoding = head.headers.get('content-encoding');
    if (head.ok && encoding && encoding.toLowerCase() !== 'identity')
      return new HostError(
        `the host compresses ${what} (Content-Encoding: ${encoding}), so the browser cannot read byte ranges of it: ` +
          'serve the .bin files uncompressed (as application/octet-stream)',
      );
  } catch {
    // the network itself is gone: say so below
  }
  return new DownloadError(
    `could not download ${what}: ${(error as Error).message || 'network error'} — are you offline?`,
  );
}

/** The bytes [offset, offset + length) of `url`, from the cache or the network. */
export async function fetchRange(url: string, offset: number, length: number, what: string): Promise<RangeResult> {
  if (length === 0) return { bytes: new Uint8Array(0), fromCache: true };
  const cache = await openCache();
  const key = cacheKey(url, offset, length);
  const hit = cache ? await cache.match(key) : undefined;
  if (hit) {
    const bytes = new Uint8Array(await hit.arrayBuffer());
    if (bytes.length === length) return { bytes, fromCache: true };
    await cache?.delete(key);
  }
  let response: Response;
  try {
    // no-store: the browser's HTTP cache holds one lock per URL, so ranges of
    // one data file asked for at once through it would arrive one after
    // another (a round trip each); answers are kept in Cache Storage instead.
    response = await fetch(url, { cache: 'no-store', headers: { Range: `bytes=${offset}-${offset + length - 1}` } });
  } catch (error) {
    throw await diagnose(url, what, error);
  }
  checkRangeAnswer(response, offset, length, what);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length !== length)
    throw new HostError(`the host sent ${bytes.length} bytes of ${what} when asked for ${length}`);
  // Kept for offline use without holding up the search: a write to Cache
  // Storage takes milliseconds, and the next list waits for this one's fetch.
  if (cache) void keepCopy(cache, key, bytes, null, what);
  return { bytes, fromCache: false };
}
