// The repairs planner's sections of the home page (issue 14): work orders past their target, those due soon, and
// those still to be booked; and the operative's jobs today. Each counts from the same list as the page its link opens
// (workOrderList, myJobs), so a section's total and that page agree.
import type { WorklistItem, WorklistSection } from '../../platform/modules.ts';
import type { Ctx } from '../../platform/records/context.ts';
import { govukDateTime, ukDate } from '../../platform/uk-time.ts';
import { myJobs, workOrderList, type WorkOrderFilter, type WorkOrderListItem } from './work-orders.ts';
import { SLA_TAGS } from './work-order-pages.ts';

const line = (i: WorkOrderListItem) => `${i.workOrder.jobReference}: ${(i.workOrder.description ?? '').slice(0, 80)}${i.address ? `, ${i.address}` : ''}`;

function plannerSection(id: string, title: string, empty: string, position: number, href: string, filter: WorkOrderFilter): WorklistSection {
  return {
    id, title, empty, position, href, roles: ['repairs-planner'],
    async items(ctx: Ctx, { limit }) {
      const list = await workOrderList(ctx, { ...filter, limit: Math.max(limit, 1) });
      const items: WorklistItem[] = list.items.slice(0, limit).map((i) => ({
        href: `/repairs/work-orders/${i.workOrder.id}`, text: line(i),
        hint: i.sla.words || (i.workOrder.dueAt ? `Due by ${govukDateTime(i.workOrder.dueAt)}` : ''),
        tag: SLA_TAGS[i.sla.state],
      }));
      return { total: list.total, items };
    },
  };
}

export const repairWorklists: readonly WorklistSection[] = [
  plannerSection('repairs-overdue', 'Repairs past their target', 'No repairs are past their target', 30, '/repairs/work-orders?due=overdue', { due: 'overdue' }),
  plannerSection('repairs-due-soon', 'Repairs due soon', 'No repairs are due today or the next working day', 31, '/repairs/work-orders?due=due-soon', { due: 'due-soon' }),
  plannerSection('repairs-to-schedule', 'Repairs to schedule', 'Every open repair has a visit booked', 32, '/repairs/work-orders?visit=none', { toSchedule: true }),
  {
    id: 'operative-jobs-today', title: 'Your jobs today', roles: ['operative'], position: 10, href: '/my-jobs',
    empty: 'No jobs are planned for you today',
    async items(ctx: Ctx, { limit }) {
      const day = await myJobs(ctx, ukDate(new Date()));
      const open = day.jobs.filter((j) => j.appointment.status === 'booked');
      return {
        total: open.length,
        items: open.slice(0, limit).map((j) => ({
          href: `/my-jobs/${j.workOrder.id}`, text: `${j.address || j.workOrder.jobReference}: ${(j.workOrder.description ?? '').slice(0, 80)}`,
          ...(j.workOrder.operativeWords?.length ? { hint: `Safety: ${j.workOrder.operativeWords.join('; ')}` } : {}),
        })),
      };
    },
  },
];
