// Runs axe-core inside the page. The pages send a strict Content-Security-Policy,
// so the context used for these checks must be created with bypassCSP: true.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export function formatViolations(violations) {
  return violations.map((v) => {
    const nodes = v.nodes.map((n) => `    - ${JSON.stringify(n.target)} ${n.failureSummary ? n.failureSummary.replace(/\s+/g, ' ') : ''}`);
    return `  ${v.id} (${v.impact}): ${v.help}\n${nodes.join('\n')}`;
  }).join('\n');
}

/** Asserts that axe finds no violations on the page as it is now. */
export async function assertNoAxeViolations(page, label) {
  const already = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!already) await page.addScriptTag({ content: axeSource });
  const results = await page.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return { violations: r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    })) };
  }, AXE_TAGS);
  const { violations } = results;
  if (violations.length > 0) {
    assert.fail(`axe found ${violations.length} violation(s) on ${label} (${page.url()}):\n`
      + formatViolations(violations));
  }
}
