// Comparing search results of two builds (WASM and native), shared by the
// WASM Node tests and the browser tests.
//
// Against the native kernel set that pairs its sums exactly as WASM SIMD128
// does (SSE2), results must be identical. Against kernels that add in
// another order (AVX2, which the tools pick at run time): scores within 1e-5
// relative (cosine and correlation, bounded by 1, also within 1e-6 absolute:
// values like 1e-17 are zero to either side), and ids in the same order
// except that items whose native scores tie within that tolerance may swap.
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

/** ids and scores exactly as expected ({ids, scores} from the native reference). */
export function assertIdentical(ids, scores, expected, what) {
  assert.deepEqual(Array.from(ids), expected.ids, `${what}: ids in order`);
  assert.deepEqual(Array.from(scores), expected.scores, `${what}: scores bit-identical`);
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
  for (let start = 0; start < ids.length;) {
    let end = start + 1;
    while (end < ids.length && closeScore(metric, expected.scores[end], expected.scores[start])) ++end;
    const mine = ids.slice(start, end).sort((a, b) => a - b);
    const theirs = expected.ids.slice(start, end).sort((a, b) => a - b);
    if (!(end === ids.length && truncated)) assert.deepEqual(mine, theirs, `${what}: ids at ranks ${start + 1}..${end}`);
    if (ids.slice(start, end).join() !== expected.ids.slice(start, end).join()) ++swaps;
    start = end;
  }
  return swaps;
}
