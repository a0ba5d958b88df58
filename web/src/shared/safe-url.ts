// Checks for URLs that come from untrusted metadata (crawled sidecars):
// links must be http(s); site files must be relative paths inside the site.

/** The URL if it is an absolute http(s) URL, else null (javascript:, data:, junk). */
export function httpUrlOrNull(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > 4096) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * The path if it is a relative path of the site ("thumbs/12.jpg"): no
 * scheme, no leading slash (which would escape a sub-path deployment), no
 * "..", no backslashes; else null.
 */
export function sitePathOrNull(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > 1024) return null;
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(value) || value.startsWith('/') || value.includes('\\')) return null;
  if (value.split('/').some((part) => part === '..')) return null;
  return value;
}
