// The hazards module's sections of a role's home page (issue 13): open reports past an Awaab's Law deadline, and those
// with one due today or the next working day. Each counts from the same list as /hazards (list.ts), so a section's
// total and the list its link opens agree; a section honours the user's patch.
import type { WorklistItem, WorklistSection } from '../../platform/modules.ts';
import type { Ctx } from '../../platform/records/context.ts';
import { CLOCK_STATE_TAGS, hazardReportList, type ClockState } from './list.ts';
import type { HazardClock } from './clocks.ts';
import { longDate, longDateTime } from './dates.ts';

/** "Make safe: by the end of Thursday 8 January 2026" (or "… by Friday 2 January 2026 at 6pm" for a 24-hour clock). */
function deadlineText(c: HazardClock | undefined): string {
  if (!c?.deadline) return '';
  return `${c.label}: ${c.status === 'overdue' ? 'was due' : 'due'} ${c.deadlineKind === 'date' ? `by the end of ${longDate(c.deadline)}` : `by ${longDateTime(c.deadline)}`}`;
}

function section(id: string, clock: ClockState, title: string, empty: string, position: number): WorklistSection {
  return {
    id, title, empty, position, byPatch: true,
    roles: ['compliance-lead', 'housing-officer'],
    href: `/hazards?status=open&clock=${clock}`,
    async items(ctx: Ctx, { limit, scope }) {
      const list = await hazardReportList(ctx, { status: 'open', clock, homeIds: scope.homeIds }, { limit: Math.max(limit, 1), order: 'deadline' });
      const items: WorklistItem[] = list.items.slice(0, limit).map((r) => ({
        href: `/hazards/${r.id}`,
        text: `${r.reference}: ${r.hazardLabel}${r.homeAddress ? `, ${r.homeAddress}` : ''}`,
        hint: deadlineText(r.clocks[0]),
        tag: { text: CLOCK_STATE_TAGS[clock].text, colour: CLOCK_STATE_TAGS[clock].colour },
      }));
      return { total: list.total, items };
    },
  };
}

export const hazardWorklists: readonly WorklistSection[] = [
  section('hazards-overdue', 'overdue', 'Hazard reports past a deadline', 'No hazard reports are past a deadline', 20),
  section('hazards-due-soon', 'due-soon', 'Hazard reports due soon', 'No hazard reports have a deadline today or the next working day', 21),
];
