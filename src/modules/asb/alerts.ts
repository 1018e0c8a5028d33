// Alerts that cross silos (issue 15; docs/decisions/0025): an ASB case raises a person alert through the people module's
// alert service (never its tables), in safe words only, so other services (repairs' operatives) know how to visit
// without learning anything of the case. The case keeps the alert's id to end it when the case closes (close.ts).
import { and, eq } from 'drizzle-orm';
import type { Ctx } from '../../platform/records/context.ts';
import { can } from '../../platform/auth/roles.ts';
import { audit } from '../../platform/audit/service.ts';
import { forbidden, invalid, notFound, Problem } from '../../platform/http/problem.ts';
import { isCalendarDate } from '../../platform/http/formats.ts';
import { ukDate } from '../../platform/uk-time.ts';
import { alertService, type AlertCategory, type HactAlertCode, type PersonAlert } from '../people/index.ts';
import { asbCases, asbParties } from './schema.ts';
import { asbCaseRecords, type AsbCase } from './service.ts';
import { isUuid } from '../../platform/uuid.ts';

/**
 * What a case may ask of other services, and how each is recorded. Only these words reach the people module: the
 * alert's description is the phrase, never the case's reference, category or what happened.
 * - do-not-visit-alone → HACT 10 (do not visit alone), category RISK; repairs' default rule "Risk to staff" turns it
 *   into "Visit in pairs". Not 10-10 ("do not visit alone: ASB"): that code would tell every reader of the person's
 *   alerts that they are in an ASB case.
 * "Call before visiting" is not offered yet: every HACT code whose repairs rule gives those words records a fact the
 * case does not know (safeguarding, illness, disability, age, capacity), so it needs a landlord's own alert code and a
 * rule for it in the repair settings (docs/decisions/0025).
 */
export const ALERT_WORDS = {
  'do-not-visit-alone': { label: 'Do not visit alone', hactCode: '10', category: 'RISK' },
} as const satisfies Record<string, { label: string; hactCode: HactAlertCode; category: AlertCategory }>;
export type AlertWords = keyof typeof ALERT_WORDS;

export interface CaseAlertInput {
  personId: string;
  words: AlertWords;
  /** When the alert should be reviewed (a UK date after today). */
  reviewOn: string;
}


/** The case row, for work on it: 404 if not the landlord's, 409 once closed. Locked, so two writes to it queue. */
export async function openCaseRow(ctx: Ctx, caseId: string): Promise<AsbCase> {
  const [row] = await ctx.tx.select().from(asbCases)
    .where(and(eq(asbCases.organisationId, ctx.actor.organisationId), eq(asbCases.id, caseId))).for('update');
  if (!row) throw notFound('ASB case');
  if (row.status !== 'open') throw new Problem(409, 'Conflict', 'The case is closed: a new report about the same problem opens a new case, linked to this one');
  return row;
}

export function needAsbWrite(ctx: Ctx, what: string): void {
  if (!can(ctx.actor.role, 'asb:write')) throw forbidden(`Your role does not allow you to ${what}`);
}

/** Whether this person is a party of the case (a person party; groups and unknown parties cannot carry an alert). */
async function isPartyPerson(ctx: Ctx, caseId: string, personId: string): Promise<boolean> {
  if (!isUuid(personId)) return false;
  const [row] = await ctx.tx.select({ id: asbParties.id }).from(asbParties).where(and(
    eq(asbParties.organisationId, ctx.actor.organisationId), eq(asbParties.caseId, caseId), eq(asbParties.personId, personId)));
  return !!row;
}

/**
 * Raise a person alert for a party of an open case, in safe words, through the people module; the case keeps its id.
 * Needs asb:write (and the people module checks alerts:write). Bad input names the field.
 */
export async function raiseCaseAlert(ctx: Ctx, caseId: string, input: CaseAlertInput, now = new Date()): Promise<PersonAlert> {
  needAsbWrite(ctx, 'raise alerts from ASB cases');
  const c = await openCaseRow(ctx, caseId);
  const words = Object.hasOwn(ALERT_WORDS, input.words) ? ALERT_WORDS[input.words] : undefined;
  if (!words) throw invalid('/words', `must be one of ${Object.keys(ALERT_WORDS).join(', ')}`);
  const today = ukDate(now);
  if (typeof input.reviewOn !== 'string' || !isCalendarDate(input.reviewOn)) throw invalid('/reviewOn', 'must be a real date (YYYY-MM-DD)');
  if (input.reviewOn <= today) throw invalid('/reviewOn', 'must be a date in the future: when the alert should be looked at again');
  if (typeof input.personId !== 'string' || !(await isPartyPerson(ctx, caseId, input.personId))) {
    throw invalid('/personId', 'is not a person who is a party of this case');
  }
  const alert = await alertService.create(ctx, {
    personId: input.personId, hactCode: words.hactCode, category: words.category, description: words.label,
    confidentiality: 'standard', startDate: today, reviewDate: input.reviewOn, endDate: null,
  });
  // The row is locked (openCaseRow), so its version is still the one read.
  await asbCaseRecords.update(ctx, c.id, c.version, { alertIds: [...(c.alertIds ?? []), alert.id] });
  await audit(ctx.tx, ctx.actor, { action: 'asb-alert-raised', entityKind: 'asb-case', entityId: caseId, detail: { alertId: alert.id } });
  const { sourceReferences: _refs, ...row } = alert;
  return row;
}

/**
 * End the alerts a case raised, through the people module. The people module counts an alert as active up to and
 * including its end date, so the end date is the day before today (it stops applying at once); an alert raised today
 * can end no earlier than its start, so it applies until midnight. Alerts already ended by then are left alone.
 */
export async function endCaseAlerts(ctx: Ctx, c: Pick<AsbCase, 'alertIds'>, now: Date): Promise<string[]> {
  const ids = (c.alertIds ?? []).filter((id) => isUuid(id));
  if (!ids.length) return [];
  const yesterday = ukDate(new Date(now.getTime() - 86_400_000));
  const ended: string[] = [];
  for (const a of await alertService.getMany(ctx, ids)) {
    const endDate = a.startDate > yesterday ? a.startDate : yesterday;
    if (a.endDate && a.endDate <= endDate) continue;
    await alertService.update(ctx, a.id, a.version, { endDate });
    ended.push(a.id);
  }
  return ended;
}
