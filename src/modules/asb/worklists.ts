// The ASB officer's sections of the home page (issue 15): actions on their cases that are overdue, those due today or
// the next working day, and new reports still to acknowledge. Each counts from the same list as the page its link
// opens (actionList, /asb/actions), so a section's total and that page agree; each case listed is audited as read.
import type { WorklistItem, WorklistSection } from '../../platform/modules.ts';
import type { Ctx } from '../../platform/records/context.ts';
import { actionList, type ActionListItem, type ActionListQuery } from './work.ts';

/** The tag beside an action, on the home page and the actions page. */
export const ACTION_TAGS = {
  overdue: { text: 'Overdue', colour: 'red' },
  'due-soon': { text: 'Due soon', colour: 'orange' },
  'to-do': { text: 'To do', colour: 'blue' },
} as const satisfies Record<ActionListItem['state'], WorklistItem['tag']>;

/** The actions page's address for a filter: what each section links to. */
export function actionsHref(q: Pick<ActionListQuery, 'due' | 'mine' | 'kind'>): string {
  const params = new URLSearchParams({ due: q.due === 'all-open' || !q.due ? 'all' : q.due });
  if (q.kind) params.set('kind', q.kind);
  if (q.mine) params.set('mine', '1');
  return `/asb/actions?${params.toString()}`;
}

function actionSection(id: string, title: string, empty: string, position: number, filter: Pick<ActionListQuery, 'due' | 'mine' | 'kind'>): WorklistSection {
  return {
    id, title, empty, position, href: actionsHref(filter), roles: ['asb-officer'],
    async items(ctx: Ctx, { limit }) {
      const list = await actionList(ctx, { ...filter, limit: Math.max(limit, 1) });
      return {
        total: list.total,
        items: list.items.slice(0, limit).map((i) => ({
          href: `/asb/cases/${i.case.id}`, text: `${i.case.reference}: ${i.action.label}`, hint: i.words, tag: ACTION_TAGS[i.state],
        })),
      };
    },
  };
}

// The officer's own cases (theirs, or a team they are in): the home page is their work, the actions page has the rest.
export const asbWorklists: readonly WorklistSection[] = [
  actionSection('asb-actions-overdue', 'ASB actions overdue', 'No actions on your ASB cases are overdue', 20, { due: 'overdue', mine: true }),
  actionSection('asb-actions-due-soon', 'ASB actions due soon', 'No actions on your ASB cases are due today or the next working day', 21, { due: 'due-soon', mine: true }),
  actionSection('asb-to-acknowledge', 'New ASB reports to acknowledge', 'Every report on your ASB cases has been acknowledged', 22, { due: 'all-open', mine: true, kind: 'acknowledge' }),
];
