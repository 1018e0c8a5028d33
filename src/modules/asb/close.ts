// Closing an ASB case (issue 15): why it closed, the complainant's satisfaction survey, its open actions marked done
// "Closed with the case", and the alerts it raised ended through the people module, so other services stop acting
// on them. A closed case is a 409 to close again.
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Ctx } from '../../platform/records/context.ts';
import { audit } from '../../platform/audit/service.ts';
import { Problem, type FieldError } from '../../platform/http/problem.ts';
import { asbActions } from './schema.ts';
import { asbCaseRecords, type AsbCase } from './service.ts';
import { endCaseAlerts, needAsbWrite, openCaseRow } from './alerts.ts';

export const CLOSING_REASONS = {
  resolved: 'Resolved',
  'no-further-action': 'No further action',
  'not-asb': 'Not anti-social behaviour',
  'insufficient-evidence': 'Not enough evidence',
  'moved-away': 'Someone moved away',
  'referred-elsewhere': 'Referred to another service',
} as const;
export type ClosingReason = keyof typeof CLOSING_REASONS;

/** The complainant's satisfaction survey, asked at close. */
export interface SatisfactionSurvey {
  satisfiedWithHandling: boolean;
  /** 1 (very dissatisfied) to 5 (very satisfied). */
  rating: number;
  comment?: string | null;
}

export interface CloseInput {
  reason: ClosingReason;
  satisfaction?: SatisfactionSurvey | null;
}

export interface Closed {
  case: AsbCase;
  /** The actions that were open, now done "Closed with the case". */
  actionsClosed: number;
  /** The person alerts the case raised that closing ended. */
  alertsEnded: string[];
}

export const CLOSED_WITH_THE_CASE = 'Closed with the case';

function checkClose(input: CloseInput): FieldError[] {
  const errors: FieldError[] = [];
  if (typeof input.reason !== 'string' || !Object.hasOwn(CLOSING_REASONS, input.reason)) {
    errors.push({ field: '/reason', message: `must be one of ${Object.keys(CLOSING_REASONS).join(', ')}` });
  }
  const s = input.satisfaction;
  if (s != null) {
    if (typeof s.satisfiedWithHandling !== 'boolean') errors.push({ field: '/satisfaction/satisfiedWithHandling', message: 'must be true or false' });
    if (!Number.isInteger(s.rating) || s.rating < 1 || s.rating > 5) errors.push({ field: '/satisfaction/rating', message: 'must be a whole number from 1 to 5' });
    if (s.comment != null && (typeof s.comment !== 'string' || s.comment.length > 5000)) errors.push({ field: '/satisfaction/comment', message: 'must be text of 5000 characters or fewer' });
  }
  return errors;
}

/** Close an open case: its reason and survey kept, its open actions done, the alerts it raised ended. */
export async function closeCase(ctx: Ctx, caseId: string, input: CloseInput, now = new Date()): Promise<Closed> {
  needAsbWrite(ctx, 'close ASB cases');
  const errors = checkClose(input);
  if (errors.length) throw new Problem(400, 'Invalid request', errors.map((e) => `${e.field.slice(1)}: ${e.message}`).join('; '), errors);
  let c: AsbCase;
  try {
    c = await openCaseRow(ctx, caseId);
  } catch (err) {
    if (err instanceof Problem && err.status === 409) throw new Problem(409, 'Conflict', 'The case is already closed');
    throw err;
  }
  const done = await ctx.tx.update(asbActions).set({ doneAt: now, doneBy: ctx.actor.name, note: CLOSED_WITH_THE_CASE, version: sql`${asbActions.version} + 1`, updatedAt: now })
    .where(and(eq(asbActions.organisationId, c.organisationId), eq(asbActions.caseId, caseId), isNull(asbActions.doneAt)))
    .returning({ id: asbActions.id });
  const alertsEnded = await endCaseAlerts(ctx, c, now);
  const s = input.satisfaction;
  const satisfaction = s ? { satisfiedWithHandling: s.satisfiedWithHandling, rating: s.rating, comment: s.comment?.trim() || null } : null;
  const { sourceReferences: _refs, ...closed } = await asbCaseRecords.update(ctx, caseId, c.version, {
    status: 'closed', closedAt: now, closingReason: input.reason, satisfaction,
  });
  await audit(ctx.tx, ctx.actor, {
    action: 'asb-case-closed', entityKind: 'asb-case', entityId: caseId, detail: { reason: input.reason, actionsClosed: done.length, alertsEnded },
  });
  return { case: closed, actionsClosed: done.length, alertsEnded };
}
