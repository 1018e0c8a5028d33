// Tools and outcomes of an ASB case (issue 15): a warning, an acceptable behaviour contract, mediation, a community
// protection notice, a civil injunction, a closure order, demotion or possession, each with its status and dates, and
// the party it is against. Bad input names the field, all of it at once.
import { and, eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { Ctx } from '../../platform/records/context.ts';
import { audit } from '../../platform/audit/service.ts';
import { notFound, Problem, type FieldError } from '../../platform/http/problem.ts';
import { isCalendarDate } from '../../platform/http/formats.ts';
import { ukDate } from '../../platform/uk-time.ts';
import { asbParties, asbTools } from './schema.ts';
import { needAsbWrite, openCaseRow } from './alerts.ts';
import { isUuid } from '../../platform/uuid.ts';

export const TOOL_KINDS = {
  warning: 'Warning',
  'acceptable-behaviour-contract': 'Acceptable behaviour contract',
  mediation: 'Mediation',
  'community-protection-notice': 'Community protection notice',
  'civil-injunction': 'Civil injunction',
  'closure-order': 'Closure order',
  demotion: 'Demotion of the tenancy',
  possession: 'Possession of the home',
} as const;
export type ToolKind = keyof typeof TOOL_KINDS;

export const TOOL_STATUSES = {
  proposed: 'Proposed',
  'in-place': 'In place',
  breached: 'Breached',
  ended: 'Ended',
  refused: 'Refused',
} as const;
export type ToolStatus = keyof typeof TOOL_STATUSES;

/**
 * Where a tool may go next. Ended and refused are final: a tool used again is a new one, so its history stays true.
 * A breached tool may be put back in place (a contract renewed after a breach) or ended.
 */
const NEXT: Record<ToolStatus, readonly ToolStatus[]> = {
  proposed: ['in-place', 'refused', 'ended'],
  'in-place': ['breached', 'ended'],
  breached: ['in-place', 'ended'],
  ended: [],
  refused: [],
};

export type AsbTool = typeof asbTools.$inferSelect;

/** The statuses a tool may move to from this one (none once ended or refused). */
export const nextToolStatuses = (from: string): readonly ToolStatus[] => NEXT[from as ToolStatus] ?? [];

export interface ToolInput {
  kind: ToolKind;
  /** Default: proposed. */
  status?: ToolStatus;
  startedOn?: string | null;
  endsOn?: string | null;
  /** A hearing or review date. */
  nextDateOn?: string | null;
  /** The party of this case it is against. */
  againstPartyId?: string | null;
  notes?: string | null;
}

export interface ToolStatusChange {
  /** When it changed (a UK date): the start when it goes in place, the end when it ends. Default: today. */
  on?: string | null;
  nextDateOn?: string | null;
  notes?: string | null;
}

const isKnown = <K extends string>(list: Readonly<Record<K, string>>, v: unknown): v is K => typeof v === 'string' && Object.hasOwn(list, v);

function throwAll(errors: FieldError[]) {
  if (errors.length) throw new Problem(400, 'Invalid request', errors.map((e) => `${e.field.slice(1)}: ${e.message}`).join('; '), errors);
}

function checkDate(errors: FieldError[], field: string, v: string | null | undefined) {
  if (v != null && (typeof v !== 'string' || !isCalendarDate(v))) errors.push({ field, message: 'must be a real date (YYYY-MM-DD)' });
}

function checkSpan(errors: FieldError[], startedOn: string | null | undefined, endsOn: string | null | undefined) {
  if (startedOn && endsOn && isCalendarDate(startedOn) && isCalendarDate(endsOn) && endsOn < startedOn) {
    errors.push({ field: '/endsOn', message: 'must be on or after the start date' });
  }
}

function checkNotes(errors: FieldError[], notes: string | null | undefined) {
  if (notes != null && (typeof notes !== 'string' || notes.length > 5000)) errors.push({ field: '/notes', message: 'must be text of 5000 characters or fewer' });
}

async function isPartyOf(ctx: Ctx, caseId: string, partyId: string): Promise<boolean> {
  if (!isUuid(partyId)) return false;
  const [row] = await ctx.tx.select({ id: asbParties.id }).from(asbParties)
    .where(and(eq(asbParties.organisationId, ctx.actor.organisationId), eq(asbParties.caseId, caseId), eq(asbParties.id, partyId)));
  return !!row;
}

/** Add a tool to an open case. */
export async function addTool(ctx: Ctx, caseId: string, input: ToolInput): Promise<AsbTool> {
  needAsbWrite(ctx, 'add tools to ASB cases');
  await openCaseRow(ctx, caseId);
  const errors: FieldError[] = [];
  if (!isKnown(TOOL_KINDS, input.kind)) errors.push({ field: '/kind', message: `must be one of ${Object.keys(TOOL_KINDS).join(', ')}` });
  const status = input.status ?? 'proposed';
  if (!isKnown(TOOL_STATUSES, status)) errors.push({ field: '/status', message: `must be one of ${Object.keys(TOOL_STATUSES).join(', ')}` });
  checkDate(errors, '/startedOn', input.startedOn);
  checkDate(errors, '/endsOn', input.endsOn);
  checkDate(errors, '/nextDateOn', input.nextDateOn);
  checkSpan(errors, input.startedOn, input.endsOn);
  checkNotes(errors, input.notes);
  if (input.againstPartyId != null && !(await isPartyOf(ctx, caseId, input.againstPartyId))) {
    errors.push({ field: '/againstPartyId', message: 'is not a party of this case' });
  }
  throwAll(errors);
  const [tool] = await ctx.tx.insert(asbTools).values({
    organisationId: ctx.actor.organisationId, id: uuidv7(), caseId, kind: input.kind, status,
    startedOn: input.startedOn ?? null, endsOn: input.endsOn ?? null, nextDateOn: input.nextDateOn ?? null,
    againstPartyId: input.againstPartyId ?? null, notes: input.notes?.trim() || null,
  }).returning();
  await audit(ctx.tx, ctx.actor, { action: 'asb-tool-added', entityKind: 'asb-case', entityId: caseId, detail: { toolId: tool!.id, kind: input.kind, status } });
  return tool!;
}

/**
 * Move a tool to a new status. Going in place sets its start (when not set), ending it sets its end, each to `on`
 * (default today, UK); a move the status cannot make (an ended tool put back in place) is a 409.
 */
export async function changeToolStatus(ctx: Ctx, caseId: string, toolId: string, status: ToolStatus, change: ToolStatusChange = {}, now = new Date()): Promise<AsbTool> {
  needAsbWrite(ctx, 'change tools of ASB cases');
  await openCaseRow(ctx, caseId);
  const [tool] = isUuid(toolId)
    ? await ctx.tx.select().from(asbTools).where(and(eq(asbTools.organisationId, ctx.actor.organisationId), eq(asbTools.caseId, caseId), eq(asbTools.id, toolId))).for('update')
    : [];
  if (!tool) throw notFound('tool of this ASB case');
  const errors: FieldError[] = [];
  if (!isKnown(TOOL_STATUSES, status)) errors.push({ field: '/status', message: `must be one of ${Object.keys(TOOL_STATUSES).join(', ')}` });
  checkDate(errors, '/on', change.on);
  checkDate(errors, '/nextDateOn', change.nextDateOn);
  checkNotes(errors, change.notes);
  throwAll(errors);
  const from = tool.status as ToolStatus;
  if (!NEXT[from]?.includes(status)) {
    throw new Problem(409, 'Conflict', `A tool that is ${TOOL_STATUSES[from]?.toLowerCase() ?? from} cannot become ${TOOL_STATUSES[status].toLowerCase()}${from === 'ended' || from === 'refused' ? ': add a new one instead' : ''}`);
  }
  const on = change.on ?? ukDate(now);
  const startedOn = status === 'in-place' ? tool.startedOn ?? on : tool.startedOn;
  // Ending sets the end it actually had (an order ended early no longer ends when planned); the rest keep theirs.
  const endsOn = status === 'ended' ? on : tool.endsOn;
  const dates: FieldError[] = [];
  checkSpan(dates, startedOn, endsOn);
  // An end before the start here comes from `on` (or today, when not sent): name the field the caller may send.
  throwAll(dates.map((e) => ({ ...e, field: '/on' })));
  const notes = change.notes?.trim() ? [tool.notes, change.notes.trim()].filter(Boolean).join('\n\n') : tool.notes;
  const [updated] = await ctx.tx.update(asbTools).set({
    status, startedOn, endsOn, nextDateOn: change.nextDateOn !== undefined ? change.nextDateOn : tool.nextDateOn, notes, version: tool.version + 1, updatedAt: now,
  }).where(and(eq(asbTools.organisationId, tool.organisationId), eq(asbTools.id, tool.id))).returning();
  await audit(ctx.tx, ctx.actor, { action: 'asb-tool-status-changed', entityKind: 'asb-case', entityId: caseId, detail: { toolId, from, to: status } });
  return updated!;
}
