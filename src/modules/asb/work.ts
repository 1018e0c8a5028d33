// The ASB officer's work across cases (issue 15; docs/decisions/0025): the open actions to do (overdue, due soon, all;
// the officer's own cases or every case), completing one, the officer's own actions, linking two cases, and the cases
// as rows for a spreadsheet with complainants' and witnesses' identities kept to each case's team. Every read of case
// data is audited as the cases' service does: 'read-sensitive', once per case listed.
import { and, asc, eq, gte, isNull, lt, lte, sql, type SQL } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { Ctx } from '../../platform/records/context.ts';
import { can } from '../../platform/auth/roles.ts';
import { audit } from '../../platform/audit/service.ts';
import { forbidden, invalid, notFound, Problem, type FieldError } from '../../platform/http/problem.ts';
import { isCalendarDate } from '../../platform/http/formats.ts';
import { isSingleLine, SINGLE_LINE_MESSAGE } from '../../platform/http/schemas.ts';
import { endOfUkDay, govukDate, govukDateTime, ukDate } from '../../platform/uk-time.ts';
import { blockRecords, formatAddress, homeRecords } from '../homes/index.ts';
import { personRecords } from '../people/index.ts';
import { tenancyService } from '../tenancies/index.ts';
import { asbActions, asbCaseLinks, asbCasePlaces, asbCases, asbParties } from './schema.ts';
import { complainantUpdatesDue } from './rules/actions.ts';
import { dueBy } from './rules/dates.ts';
import { RISK_LEVEL_LABELS, RISK_LEVELS, type AsbSettings, type RiskLevel } from './rules/settings.ts';
import { asbSettingsVersion } from './settings-service.ts';
import { needAsbWrite, openCaseRow } from './alerts.ts';
import { inCaseTeam, presentParties, type AsbActionRow, type AsbCase, type PartyRole, type PartyView } from './service.ts';
import { isUuid } from '../../platform/uuid.ts';

/** The recurring update to the complainant: not in the landlord's plan, scheduled each time the complainant is contacted. */
export const UPDATE_COMPLAINANT = { kind: 'update-complainant', label: 'Update the complainant' } as const;
/** An action the officer added themselves. */
export const OWN_ACTION = 'own';
// Completing either contacts the complainant, so the next update falls due N working days on. "acknowledge" is the
// shipped plan's first contact; a landlord's own plan without it starts the updates with the first one done by hand.
const COMPLAINANT_CONTACTS = new Set(['acknowledge', UPDATE_COMPLAINANT.kind]);

export const ACTION_DUE = ['overdue', 'due-soon', 'all-open'] as const;
export type ActionDue = (typeof ACTION_DUE)[number];


function needRead(ctx: Ctx) {
  if (!can(ctx.actor.role, 'asb:read')) throw forbidden('Your role does not allow you to see ASB cases');
}

function throwAll(errors: FieldError[]) {
  if (errors.length) throw new Problem(400, 'Invalid request', errors.map((e) => `${e.field.slice(1)}: ${e.message}`).join('; '), errors);
}

// ---- The actions to do -------------------------------------------------------------------------------------------------

export interface ActionListQuery {
  /** overdue: past due; due-soon: due by the end of the next working day; all-open (default): every open action. */
  due?: ActionDue;
  /** Only cases where the actor is the officer or in the team. */
  mine?: boolean;
  /** Only actions of this kind ("acknowledge"). */
  kind?: string;
  limit: number;
  cursor?: string;
}

export interface ActionListItem {
  action: AsbActionRow;
  case: Pick<AsbCase, 'id' | 'reference' | 'summary' | 'priorityCode' | 'riskLevel' | 'hate'>;
  state: 'overdue' | 'due-soon' | 'to-do';
  /** "Due by the end of 9 June 2026" (the state is its tag's words). */
  words: string;
}

/** The end of the next working day: what "due soon" runs to (today's late actions are overdue, not due soon). */
export const dueSoonUntil = (now: Date) => dueBy({ amount: 1, unit: 'working-days' }, now);

/** When an action is due, in words: a working-day target runs to the end of a day, an hour target to its minute. */
export function dueWords(due: Date): string {
  const day = ukDate(due);
  return due.getTime() === endOfUkDay(day).getTime() ? `the end of ${govukDate(day)}` : govukDateTime(due);
}

export function actionState(due: Date, now: Date): ActionListItem['state'] {
  return due.getTime() < now.getTime() ? 'overdue' : due.getTime() <= dueSoonUntil(now).getTime() ? 'due-soon' : 'to-do';
}

// A cursor is the last row's due time and id (the list's order), opaque to the caller.
const encodeActionCursor = (a: { dueAt: Date; id: string }) => Buffer.from(`${a.dueAt.toISOString()}|${a.id}`, 'utf8').toString('base64url');
function decodeActionCursor(cursor: string): { dueAt: string; id: string } {
  const [dueAt, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!dueAt || !id || !isUuid(id) || Number.isNaN(Date.parse(dueAt)) || !/^\d{4}-\d{2}-\d{2}T/.test(dueAt)) throw invalid('/cursor', 'is not a cursor this list gave');
  return { dueAt, id };
}

/**
 * Open actions of open cases, the soonest due first, each with its case's reference and summary; the total of the whole
 * list, and a cursor for the next page. Each case listed is audited as read.
 */
export async function actionList(ctx: Ctx, q: ActionListQuery, now = new Date()): Promise<{ items: ActionListItem[]; total: number; nextCursor: string | null }> {
  needRead(ctx);
  const limit = Math.min(Math.max(Math.trunc(q.limit) || 1, 1), 200);
  const org = ctx.actor.organisationId;
  const where: SQL[] = [eq(asbActions.organisationId, org), isNull(asbActions.doneAt), eq(asbCases.status, 'open')];
  if (q.due === 'overdue') where.push(lt(asbActions.dueAt, now));
  if (q.due === 'due-soon') where.push(gte(asbActions.dueAt, now), lte(asbActions.dueAt, dueSoonUntil(now)));
  if (q.kind) where.push(eq(asbActions.kind, q.kind));
  if (q.mine) {
    // As text: an API token's actor id is compared too, and matches no officer.
    where.push(sql`(${asbCases.officerUserId}::text = ${ctx.actor.id} or ${asbCases.teamUserIds} @> jsonb_build_array(${ctx.actor.id}::text))`);
  }
  const joined = and(eq(asbCases.organisationId, asbActions.organisationId), eq(asbCases.id, asbActions.caseId));
  const [count] = await ctx.tx.select({ n: sql<number>`count(*)::int` }).from(asbActions).innerJoin(asbCases, joined).where(and(...where));
  const after = q.cursor ? decodeActionCursor(q.cursor) : undefined;
  if (after) where.push(sql`(${asbActions.dueAt}, ${asbActions.id}) > (${after.dueAt}::timestamptz, ${after.id}::uuid)`);
  const rows = await ctx.tx.select({
    action: asbActions,
    case: { id: asbCases.id, reference: asbCases.reference, summary: asbCases.summary, priorityCode: asbCases.priorityCode, riskLevel: asbCases.riskLevel, hate: asbCases.hate },
  }).from(asbActions).innerJoin(asbCases, joined).where(and(...where)).orderBy(asc(asbActions.dueAt), asc(asbActions.id)).limit(limit + 1);
  const page = rows.slice(0, limit);
  const caseIds = [...new Set(page.map((r) => r.case.id))];
  await audit(ctx.tx, ctx.actor, caseIds.map((id) => ({ action: 'read-sensitive', entityKind: 'asb-case', entityId: id, detail: { actions: true } })));
  return {
    total: count?.n ?? 0,
    nextCursor: rows.length > limit ? encodeActionCursor(page.at(-1)!.action) : null,
    items: page.map((r) => {
      const state = actionState(r.action.dueAt, now);
      return { action: r.action, case: r.case, state, words: `Due by ${dueWords(r.action.dueAt)}` };
    }),
  };
}

// ---- Completing and adding actions -------------------------------------------------------------------------------------

export interface CompleteActionInput {
  note?: string | null;
  /** The action's version as last read: a 412 if it changed since (not checked once it is done). */
  version?: number | null;
}

export interface CompletedAction {
  action: AsbActionRow;
  /** It was already done: nothing changed (completing twice is not an error: a double click, a retry). */
  alreadyDone: boolean;
  /** The next update to the complainant, when this action contacted them. */
  nextUpdate: AsbActionRow | null;
}

async function actionOf(ctx: Ctx, caseId: string, actionId: string): Promise<AsbActionRow> {
  const [row] = isUuid(actionId)
    ? await ctx.tx.select().from(asbActions)
      .where(and(eq(asbActions.organisationId, ctx.actor.organisationId), eq(asbActions.caseId, caseId), eq(asbActions.id, actionId))).for('update')
    : [];
  if (!row) throw notFound('action of this ASB case');
  return row;
}

/**
 * The next update to the complainant after contact at `at`: at least every N working days (fewer at higher risk, by
 * the case's settings). The case's open update moves to it, or one is added; none for a case without a complainant.
 */
async function scheduleNextUpdate(ctx: Ctx, c: AsbCase, at: Date): Promise<AsbActionRow | null> {
  const org = ctx.actor.organisationId;
  const [complainant] = await ctx.tx.select({ id: asbParties.id }).from(asbParties)
    .where(and(eq(asbParties.organisationId, org), eq(asbParties.caseId, c.id), eq(asbParties.role, 'complainant'))).limit(1);
  if (!complainant) return null;
  const { settings } = await asbSettingsVersion(ctx, c.settingsVersion);
  const risk: RiskLevel = (RISK_LEVELS as readonly string[]).includes(c.riskLevel ?? '') ? c.riskLevel as RiskLevel : 'standard';
  const { due } = complainantUpdatesDue(settings, { risk, lastUpdateAt: at }, at);
  const [open] = await ctx.tx.select().from(asbActions)
    .where(and(eq(asbActions.organisationId, org), eq(asbActions.caseId, c.id), eq(asbActions.kind, UPDATE_COMPLAINANT.kind), isNull(asbActions.doneAt)))
    .orderBy(asc(asbActions.dueAt)).limit(1).for('update');
  if (open) {
    const [moved] = await ctx.tx.update(asbActions).set({ dueAt: due, version: sql`${asbActions.version} + 1`, updatedAt: at })
      .where(and(eq(asbActions.organisationId, org), eq(asbActions.id, open.id))).returning();
    return moved!;
  }
  const [added] = await ctx.tx.insert(asbActions).values({ organisationId: org, id: uuidv7(), caseId: c.id, kind: UPDATE_COMPLAINANT.kind, label: UPDATE_COMPLAINANT.label, dueAt: due }).returning();
  return added!;
}

/**
 * Mark an action of an open case done (by the actor, now, with a note). Done already: returned as it is, nothing
 * changed. When it contacted the complainant (acknowledging, or an update), the next update is scheduled.
 */
export async function completeAction(ctx: Ctx, caseId: string, actionId: string, input: CompleteActionInput = {}, now = new Date()): Promise<CompletedAction> {
  needAsbWrite(ctx, 'complete actions of ASB cases');
  const errors: FieldError[] = [];
  if (input.note != null && (typeof input.note !== 'string' || input.note.length > 5000)) errors.push({ field: '/note', message: 'must be text of 5000 characters or fewer' });
  if (input.version != null && (!Number.isInteger(input.version) || input.version < 1)) errors.push({ field: '/version', message: 'must be a whole number from 1' });
  throwAll(errors);
  const c = await openCaseRow(ctx, caseId);
  const action = await actionOf(ctx, caseId, actionId);
  if (action.doneAt) return { action, alreadyDone: true, nextUpdate: null };
  if (input.version != null && input.version !== action.version) {
    throw new Problem(412, 'Precondition failed', `The action has changed since you read it (version ${action.version}, you sent ${input.version}). Read it again.`);
  }
  const [done] = await ctx.tx.update(asbActions).set({
    doneAt: now, doneBy: ctx.actor.name, note: input.note?.trim() || null, version: sql`${asbActions.version} + 1`, updatedAt: now,
  }).where(and(eq(asbActions.organisationId, action.organisationId), eq(asbActions.id, action.id))).returning();
  const nextUpdate = COMPLAINANT_CONTACTS.has(action.kind) ? await scheduleNextUpdate(ctx, c, now) : null;
  await audit(ctx.tx, ctx.actor, {
    action: 'asb-action-done', entityKind: 'asb-case', entityId: caseId, detail: { actionId, kind: action.kind, nextUpdateId: nextUpdate?.id ?? null },
  });
  return { action: done!, alreadyDone: false, nextUpdate };
}

export interface OwnActionInput {
  label: string;
  /** The UK date it is due by (the end of that day): today or later. */
  dueOn: string;
}

/** An action of the officer's own on an open case ("Ring the police liaison officer"), due by the end of a day. */
export async function addAction(ctx: Ctx, caseId: string, input: OwnActionInput, now = new Date()): Promise<AsbActionRow> {
  needAsbWrite(ctx, 'add actions to ASB cases');
  await openCaseRow(ctx, caseId);
  const errors: FieldError[] = [];
  const label = typeof input.label === 'string' ? input.label.trim() : '';
  if (!label) errors.push({ field: '/label', message: 'is required: what is to be done' });
  else if (label.length > 200) errors.push({ field: '/label', message: 'must be 200 characters or fewer' });
  else if (!isSingleLine(label)) errors.push({ field: '/label', message: SINGLE_LINE_MESSAGE });
  if (typeof input.dueOn !== 'string' || !isCalendarDate(input.dueOn)) errors.push({ field: '/dueOn', message: 'must be a real date (YYYY-MM-DD)' });
  else if (input.dueOn < ukDate(now)) errors.push({ field: '/dueOn', message: 'must be today or later' });
  throwAll(errors);
  const [added] = await ctx.tx.insert(asbActions).values({
    organisationId: ctx.actor.organisationId, id: uuidv7(), caseId, kind: OWN_ACTION, label, dueAt: endOfUkDay(input.dueOn),
  }).returning();
  await audit(ctx.tx, ctx.actor, { action: 'asb-action-added', entityKind: 'asb-case', entityId: caseId, detail: { actionId: added!.id } });
  return added!;
}

// ---- Linked cases ------------------------------------------------------------------------------------------------------

/**
 * Link two of the landlord's cases (the same problem seen from two households, a counter-allegation), both ways round.
 * Linking a pair already linked, in either order, changes nothing: `linked` is false.
 */
export async function linkCases(ctx: Ctx, caseId: string, linkedCaseId: string, reason?: string | null): Promise<{ linked: boolean }> {
  needAsbWrite(ctx, 'link ASB cases');
  const errors: FieldError[] = [];
  if (caseId === linkedCaseId) errors.push({ field: '/linkedCaseId', message: 'must be another case: a case is not linked to itself' });
  const why = typeof reason === 'string' ? reason.trim() : '';
  if (reason != null && typeof reason !== 'string') errors.push({ field: '/reason', message: 'must be text' });
  else if (why.length > 500) errors.push({ field: '/reason', message: 'must be 500 characters or fewer' });
  else if (!isSingleLine(why)) errors.push({ field: '/reason', message: SINGLE_LINE_MESSAGE });
  throwAll(errors);
  const org = ctx.actor.organisationId;
  const ids = [caseId, linkedCaseId].filter((id) => isUuid(id));
  const found = new Set((ids.length ? await ctx.tx.select({ id: asbCases.id }).from(asbCases)
    .where(and(eq(asbCases.organisationId, org), sql`${asbCases.id} = any(${sql.param(ids)}::uuid[])`)) : []).map((r) => r.id));
  if (!found.has(caseId)) throw notFound('ASB case');
  if (!found.has(linkedCaseId)) throw notFound('ASB case to link to');
  const inserted = await ctx.tx.insert(asbCaseLinks).values([
    { organisationId: org, id: uuidv7(), caseId, linkedCaseId, reason: why || null },
    { organisationId: org, id: uuidv7(), caseId: linkedCaseId, linkedCaseId: caseId, reason: why || null },
  ]).onConflictDoNothing().returning({ id: asbCaseLinks.id });
  if (!inserted.length) return { linked: false };
  await audit(ctx.tx, ctx.actor, { action: 'asb-cases-linked', entityKind: 'asb-case', entityId: caseId, detail: { linkedCaseId } });
  return { linked: true };
}

// ---- The cases as rows for a spreadsheet -------------------------------------------------------------------------------

export interface CaseExportRow {
  reference: string;
  status: string;
  summary: string;
  /** UK dates. */
  openedOn: string;
  closedOn: string | null;
  categories: string[];
  priority: string;
  risk: string;
  hate: boolean;
  protectedCharacteristics: string[];
  /** Addresses of its homes, names of its blocks, its tenancies' references and addresses. */
  places: string[];
  /** Names as the reader may see them ("Witness 1" outside the case's team). */
  complainants: string[];
  witnesses: string[];
  allegedPerpetrators: string[];
  /** Whether complainants' and witnesses' names are shown. */
  identitiesShown: boolean;
}

const EXPORT_BATCH = 500;

function byCase<T extends { caseId: string }>(rows: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const list = out.get(r.caseId);
    if (list) list.push(r);
    else out.set(r.caseId, [r]);
  }
  return out;
}

/**
 * Every case (or the open or closed ones), oldest opened first, with its codes in the landlord's words (of the settings
 * it was opened with), its places and its parties as the reader may see them. Each case exported is audited as read.
 */
export async function exportCases(ctx: Ctx, q: { status?: 'open' | 'closed' } = {}): Promise<CaseExportRow[]> {
  needRead(ctx);
  const org = ctx.actor.organisationId;
  const settingsOf = new Map<number, AsbSettings>();
  const out: CaseExportRow[] = [];
  let after: string | undefined;
  for (;;) {
    const cases = await ctx.tx.select().from(asbCases).where(and(eq(asbCases.organisationId, org), q.status ? eq(asbCases.status, q.status) : undefined,
      after ? sql`${asbCases.id} > ${after}::uuid` : undefined)).orderBy(asc(asbCases.id)).limit(EXPORT_BATCH);
    if (!cases.length) break;
    after = cases.at(-1)!.id;
    const ids = sql`${sql.param(cases.map((c) => c.id))}::uuid[]`;
    // One after another: the statements share the transaction's one connection.
    const parties = await ctx.tx.select().from(asbParties).where(and(eq(asbParties.organisationId, org), sql`${asbParties.caseId} = any(${ids})`)).orderBy(asc(asbParties.id));
    const places = await ctx.tx.select().from(asbCasePlaces).where(and(eq(asbCasePlaces.organisationId, org), sql`${asbCasePlaces.caseId} = any(${ids})`)).orderBy(asc(asbCasePlaces.id));
    const shown = new Map(cases.map((c) => [c.id, inCaseTeam(ctx, c)]));
    const views = new Map<string, PartyView[]>();
    const partiesOf = byCase(parties);
    for (const c of cases) views.set(c.id, presentParties(partiesOf.get(c.id) ?? [], shown.get(c.id)!));
    const personIds = [...new Set([...views.values()].flat().flatMap((p) => (!p.hidden && p.personId ? [p.personId] : [])))];
    const people = new Map((await personRecords.getMany(ctx, personIds)).map((p) => [p.id, `${p.givenName} ${p.familyName}`]));
    const tenancies = new Map((await tenancyService.getMany(ctx, [...new Set(places.flatMap((p) => (p.tenancyId ? [p.tenancyId] : [])))])).map((t) => [t.id, t]));
    const homeIds = [...new Set([...places.flatMap((p) => (p.homeId ? [p.homeId] : [])), ...[...tenancies.values()].map((t) => t.homeId)])];
    const homes = new Map((await homeRecords.getMany(ctx, homeIds)).map((h) => [h.id, formatAddress(h)]));
    const placesOf = byCase(places);
    const blocks = new Map((await blockRecords.getMany(ctx, [...new Set(places.flatMap((p) => (p.blockId ? [p.blockId] : [])))])).map((b) => [b.id, b.name ?? 'A block']));
    for (const c of cases) {
      let s = settingsOf.get(c.settingsVersion);
      if (!s) settingsOf.set(c.settingsVersion, s = (await asbSettingsVersion(ctx, c.settingsVersion)).settings);
      const named = (p: PartyView) => (p.hidden ? p.name! : (p.personId ? people.get(p.personId) : undefined) ?? p.name ?? (p.kind === 'group' ? 'A group' : 'Not known'));
      const of = (role: PartyRole) => views.get(c.id)!.filter((p) => p.role === role).map(named);
      out.push({
        reference: c.reference, status: c.status, summary: c.summary, openedOn: ukDate(c.openedAt), closedOn: c.closedAt ? ukDate(c.closedAt) : null,
        categories: c.categories.map((code) => s.categories.find((x) => x.code === code)?.label ?? code),
        priority: s.priorities.find((p) => p.code === c.priorityCode)?.label ?? c.priorityCode,
        risk: c.riskLevel && c.riskLevel in RISK_LEVEL_LABELS ? RISK_LEVEL_LABELS[c.riskLevel as RiskLevel] : 'Not assessed',
        hate: c.hate, protectedCharacteristics: c.protectedCharacteristics.map((code) => s.protectedCharacteristics.find((x) => x.code === code)?.label ?? code),
        places: (placesOf.get(c.id) ?? []).map((p) => {
          if (p.homeId) return homes.get(p.homeId) ?? 'A home';
          if (p.blockId) return blocks.get(p.blockId) ?? 'A block';
          const t = p.tenancyId ? tenancies.get(p.tenancyId) : undefined;
          return t ? `Tenancy ${t.reference}${homes.has(t.homeId) ? ` at ${homes.get(t.homeId)}` : ''}` : 'A tenancy';
        }),
        complainants: of('complainant'), witnesses: of('witness'), allegedPerpetrators: of('alleged-perpetrator'), identitiesShown: shown.get(c.id)!,
      });
    }
    await audit(ctx.tx, ctx.actor, cases.map((c) => ({ action: 'read-sensitive', entityKind: 'asb-case', entityId: c.id, detail: { export: true, identitiesShown: shown.get(c.id)! } })));
    if (cases.length < EXPORT_BATCH) break;
  }
  await audit(ctx.tx, ctx.actor, { action: 'export', entityKind: 'asb-case', detail: { cases: out.length, status: q.status ?? 'all' } });
  return out;
}
