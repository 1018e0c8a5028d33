// What the ASB pages show of a case beyond getCase (issue 15): its tools and outcomes, the person alerts it raised (read
// through the people module's alert service, never its tables), and each listed case's next open action. Read beside
// getCase or listCases, which audit the case read; the alerts' own reads are audited by the people module.
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { Ctx } from '../../platform/records/context.ts';
import { can } from '../../platform/auth/roles.ts';
import { forbidden } from '../../platform/http/problem.ts';
import { alertService, type PersonAlert } from '../people/index.ts';
import { asbActions, asbTools } from './schema.ts';
import type { AsbCase } from './service.ts';
import type { AsbTool } from './tools.ts';
import { isUuid } from '../../platform/uuid.ts';


function needRead(ctx: Ctx) {
  if (!can(ctx.actor.role, 'asb:read')) throw forbidden('Your role does not allow you to see ASB cases');
}

/** The case's tools, in the order they were added. */
export async function caseTools(ctx: Ctx, caseId: string): Promise<AsbTool[]> {
  needRead(ctx);
  if (!isUuid(caseId)) return [];
  return ctx.tx.select().from(asbTools)
    .where(and(eq(asbTools.organisationId, ctx.actor.organisationId), eq(asbTools.caseId, caseId))).orderBy(asc(asbTools.id));
}

/**
 * The person alerts the case raised, oldest first, as the people module holds them now (an ended one has its end date).
 * Null when the actor's role may not read person alerts.
 */
export async function caseAlerts(ctx: Ctx, c: Pick<AsbCase, 'alertIds'>): Promise<PersonAlert[] | null> {
  needRead(ctx);
  if (!can(ctx.actor.role, 'alerts:read')) return null;
  const ids = (c.alertIds ?? []).filter((id) => isUuid(id));
  const alerts = await alertService.getMany(ctx, ids);
  return alerts.sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id));
}

/** Each case's next open action (the soonest due), for the list of cases. */
export async function nextOpenActions(ctx: Ctx, caseIds: readonly string[]): Promise<Map<string, { label: string; dueAt: Date }>> {
  needRead(ctx);
  const ids = caseIds.filter((id) => isUuid(id));
  if (!ids.length) return new Map();
  const rows = await ctx.tx.select({ caseId: asbActions.caseId, label: asbActions.label, dueAt: asbActions.dueAt }).from(asbActions)
    .where(and(eq(asbActions.organisationId, ctx.actor.organisationId), inArray(asbActions.caseId, ids), isNull(asbActions.doneAt)))
    .orderBy(asc(asbActions.dueAt), asc(asbActions.id));
  const next = new Map<string, { label: string; dueAt: Date }>();
  for (const r of rows) if (!next.has(r.caseId)) next.set(r.caseId, { label: r.label, dueAt: r.dueAt });
  return next;
}
