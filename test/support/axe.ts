// The accessibility check every browser test makes: axe with every rule it has (WCAG 2.2 A and AA and its best
// practices, such as all content in landmarks), 0 violations of any impact, with a report that says where.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

export async function expectAccessible(page: Page, name: string): Promise<void> {
  const result = await new AxeBuilder({ page }).analyze();
  const report = result.violations.map((v) =>
    `  ✖ [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n` +
    v.nodes.slice(0, 5).map((n) => `      at ${n.target.join(' ')}\n        ${(n.failureSummary ?? '').replace(/\n/g, '\n        ')}`).join('\n'),
  ).join('\n');
  assert.equal(result.violations.length, 0, `axe found ${result.violations.length} violation(s) on ${name}:\n${report}`);
}
