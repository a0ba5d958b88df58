// Fetching a query image by URL. Another site's image can be read only when
// that site allows it (CORS); browsers report a refusal as a bare network
// error, so the message explains both possibilities and the way out.
import { DownloadError, fetchBytes, type DownloadProgress } from './cached-fetch';

export const MAX_QUERY_BYTES = 100 * 1024 * 1024;

export function parseQueryUrl(text: string, base: string): URL {
  let url: URL;
  try {
    url = new URL(text.trim(), base);
  } catch {
    throw new DownloadError(`"${text}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new DownloadError(`only http and https image URLs can be fetched, not ${url.protocol}`);
  return url;
}

export async function fetchRemoteImage(
  url: URL,
  onProgress: DownloadProgress,
): Promise<{ bytes: Uint8Array; mime: string }> {
  try {
    const { bytes, contentType } = await fetchBytes(url.href, {
      what: 'the image',
      policy: 'network-only',
      onProgress,
      maxBytes: MAX_QUERY_BYTES,
    });
    return { bytes, mime: contentType ?? '' };
  } catch (error) {
    if (error instanceof DownloadError && / HTTP \d+/.test(error.message)) throw error;
    if (error instanceof DownloadError && /larger than/.test(error.message)) throw error;
    throw new DownloadError(
      `could not read ${url.href}: the site does not allow other pages to read its images (CORS), ` +
        'or it cannot be reached. Save the image and drop the file here instead.',
    );
  }
}
