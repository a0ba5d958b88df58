// A file a model card pins by size and sha256 (an ONNX model, a vocabulary):
// downloaded cache-first with progress, then checked; a copy that fails the
// check is dropped from the cache (the next visit downloads it again) and
// refused with a message naming the file.
import { evictCached, fetchBytes, type DownloadProgress } from './cached-fetch';

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes.slice().buffer));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

export interface PinnedFile {
  /** Absolute URL, without a version: the sha256 is added as one (?v=…). */
  url: string;
  /** How messages name it: "the model clip-vit-b32-text.onnx". */
  what: string;
  sha256: string;
  bytes: number;
  onProgress?: DownloadProgress;
}

/** The file's bytes; throws `fail(message)` when they are not the pinned ones. */
export async function fetchPinnedFile(file: PinnedFile, fail: (message: string) => Error): Promise<Uint8Array> {
  const url = file.sha256 ? `${file.url}?v=${file.sha256.slice(0, 16)}` : file.url;
  const got = await fetchBytes(url, {
    what: file.what,
    policy: 'cache-first',
    expectedBytes: file.bytes || null,
    onProgress: file.onProgress,
  });
  // A server that sends a .gz file with Content-Encoding: gzip has the
  // browser decompress it on the way: the bytes are no longer the pinned ones.
  // A file that fails a check leaves the cache too (fetchBytes kept a fresh download).
  if (/\.gz$/i.test(new URL(file.url).pathname) && !(got.bytes[0] === 0x1f && got.bytes[1] === 0x8b)) {
    await evictCached(url);
    throw fail(
      `${file.what} arrived decompressed: the server sends .gz files with "Content-Encoding: gzip"; it must serve them as they are`,
    );
  }
  if (file.sha256) {
    const hex = await sha256Hex(got.bytes);
    if (hex !== file.sha256) {
      await evictCached(url);
      throw fail(
        `${file.what} is damaged or not the one the card names (sha256 ${hex.slice(0, 12)}…, expected ${file.sha256.slice(0, 12)}…)`,
      );
    }
  }
  return got.bytes;
}
