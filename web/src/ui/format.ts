// Numbers as the page shows them.

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function formatMs(ms: number | null): string {
  if (ms === null) return '–';
  return ms < 10 ? `${ms.toFixed(2)} ms` : `${ms.toFixed(1)} ms`;
}

/** A score in its natural value, with enough digits to tell neighbours apart. */
export function formatScore(score: number): string {
  if (!Number.isFinite(score)) return String(score);
  const magnitude = Math.abs(score);
  if (magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e6)) return score.toExponential(3);
  return score
    .toPrecision(magnitude >= 1 ? 6 : 4)
    .replace(/(\.\d*?)0+$/, '$1')
    .replace(/\.$/, '');
}
