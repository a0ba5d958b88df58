// axe-core's accessibility checks, run inside the page under test (any
// engine). Every rule axe runs by default (WCAG 2.0–2.2 A and AA and best
// practices); a violation of impact "serious" or "critical" fails a test.
// Other tests can check the states they create with assertAccessible().
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const FAILING_IMPACTS = new Set(['serious', 'critical']);

/** Runs axe on the whole document; returns its violations (all impacts) in a compact form. */
export async function axeViolations(page) {
  // Evaluated as a script, not inserted as a <script> element: the page's own policy then does not apply.
  await page.evaluate(`if (!window.axe) { ${axeSource} }`);
  return page.evaluate(async () => {
    const results = await window.axe.run(document, { resultTypes: ['violations'] });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
    }));
  });
}

/** Fails, listing each rule, node and why, when the page has a serious or critical violation now. */
export async function assertAccessible(page, state) {
  const violations = await axeViolations(page);
  const failing = violations.filter((v) => FAILING_IMPACTS.has(v.impact));
  const describe = (v) =>
    `${v.id} (${v.impact}, ${v.nodes.length} node${v.nodes.length === 1 ? '' : 's'}): ${v.help}\n` +
    v.nodes.map((n) => `    ${n.target}: ${n.summary?.replace(/\n\s*/g, ' ')}`).join('\n');
  assert.deepEqual(failing.map(describe), [], `axe-core on ${state}`);
  return violations;
}
