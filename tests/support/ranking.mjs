// Comparing search results of two builds (WASM and native), shared by the
// WASM Node tests and the browser tests.
//
// When both run the same search code on the same bundle and the same query
// vector (assertSameHits): the same ids in the same order, scores within
// 1e-5 relative. When the query vectors themselves may differ by rounding
// (a model embedding from ONNX Runtime Web against a native reference,
// assertSameRanking): scores within 1e-5 relative (cosine and correlation,
// bounded by 1, also within 1e-6 absolute: values like 1e-17 are zero to
// either side), and ids in the same order except that items whose native
// scores tie within that tolerance may swap.
import assert from 'node:assert/strict';

export const RELATIVE_TOLERANCE = 1e-5;

/** |a − b| ≤ 1e-5 · max(|a|, |b|): equal within rounding (exact zeros must match exactly). */
export function closeRelative(a, b, tolerance = RELATIVE_TOLERANCE) {
  if (a === b) return true;
  return Math.abs(a - b) <= tolerance * Math.max(Math.abs(a), Math.abs(b));
}

export function closeScore(metric, a, b) {
  if (closeRelative(a, b)) return true;
  return (metric === 'cosine' || metric === 'correlation') && Math.abs(a - b) <= 1e-6;
}

/**
 * The same ranking up to ties within tolerance. `truncated`: the list was cut
 * at k, so its last tie group may hold different (equally close) members.
 * Returns how many tie groups are ordered differently.
 */
export function assertSameRanking(ids, scores, expected, metric, truncated, what) {
  ids = Array.from(ids);
  assert.equal(ids.length, expected.ids.length, `${what}: number of results`);
  Array.from(scores).forEach((score, i) => {
    if (!closeScore(metric, score, expected.scores[i]))
      assert.fail(`${what}: score at rank ${i + 1} is ${score}, native ${expected.scores[i]} (beyond 1e-5 relative)`);
  });
  let swaps = 0;
  for (let start = 0; start < ids.length; ) {
    let end = start + 1;
    while (end < ids.length && closeScore(metric, expected.scores[end], expected.scores[start])) ++end;
    const mine = ids.slice(start, end).sort((a, b) => a - b);
    const theirs = expected.ids.slice(start, end).sort((a, b) => a - b);
    if (!(end === ids.length && truncated))
      assert.deepEqual(mine, theirs, `${what}: ids at ranks ${start + 1}..${end}`);
    if (ids.slice(start, end).join() !== expected.ids.slice(start, end).join()) ++swaps;
    start = end;
  }
  return swaps;
}

/**
 * The acceptance rule between two builds that run the same search code on
 * the same bundle: the same ids in the same order, every score within 1e-5
 * relative.
 */
export function assertSameHits(ids, scores, expected, what) {
  assert.deepEqual(Array.from(ids), expected.ids, `${what}: ids in order`);
  Array.from(scores).forEach((score, i) => {
    if (!closeRelative(score, expected.scores[i]))
      assert.fail(`${what}: score at rank ${i + 1} is ${score}, native ${expected.scores[i]} (beyond 1e-5 relative)`);
  });
}
