// Insight's section of the compliance lead's home page (issue 13): blocks that cannot be ruled in or out of the
// higher-risk register until measured. Assessed by the register's own rule (higher-risk.ts), so the section's total
// is the dashboard's "Blocks to measure" and the register's "data needed" list.
import type { WorklistSection } from '../../platform/modules.ts';
import { blockFacts } from '../homes/index.ts';
import { assessBlock } from './higher-risk.ts';

const firstUpper = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export const insightWorklists: readonly WorklistSection[] = [{
  id: 'insight-blocks-to-measure',
  title: 'Blocks to measure',
  roles: ['compliance-lead'],
  position: 30,
  href: '/insight/higher-risk-buildings#data-needed',
  empty: 'No block needs measuring: every block is known to be higher-risk or not',
  async items(ctx, { limit }) {
    const needed = (await blockFacts(ctx)).map((b) => ({ b, a: assessBlock(b) })).filter((x) => x.a.status === 'data-needed');
    return {
      total: needed.length,
      items: needed.slice(0, limit).map(({ b, a }) => ({
        href: `/blocks/${b.id}`,
        text: b.estateName ? `${b.name}, ${b.estateName}` : b.name,
        hint: a.reasons[0] ? `${firstUpper(a.reasons[0])}.` : undefined,
      })),
    };
  },
}];
