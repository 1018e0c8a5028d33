// Anti-social behaviour cases (issue 15; docs/decisions/0025): open a case (its priority, hate flag, reference and
// action plan from the landlord's settings), find similar open cases, add incidents (and flag the ASB Case Review
// threshold when met), assess the complainant's risk, read a case and list them. Every function takes a Ctx and
// checks asb:read (reading) or asb:write (writing). Cases, parties and incidents are written through the shared record
// service, so each has its audit row and its outbox event (sensitive kinds: the events never leave Hearth).
import { and, asc, desc, eq, gt, sql, type SQL } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { Ctx } from '../../platform/records/context.ts';
import { can, type Permission } from '../../platform/auth/roles.ts';
import { audit } from '../../platform/audit/service.ts';
import { forbidden, notFound, Problem, type FieldError } from '../../platform/http/problem.ts';
import { decodeCursor, encodeCursor } from '../../platform/http/cursor.ts';
import { isCalendarDate } from '../../platform/http/formats.ts';
import { defineRecords } from '../../platform/records/service.ts';
import { ukDate } from '../../platform/uk-time.ts';
import { blockRecords, formatAddress, homeRecords, homesOfBlock, type Home } from '../homes/index.ts';
import { personRecords } from '../people/index.ts';
import { tenancyService } from '../tenancies/index.ts';
import {
  asbActions, asbCasePlaces, asbCaseReviews, asbCases, asbIncidents, asbParties, asbRiskAssessments,
} from './schema.ts';
import { casePriority, isHateCase } from './rules/classify.ts';
import { assessRisk, type RiskAnswer } from './rules/risk.ts';
import { actionPlan, complainantUpdatesDue } from './rules/actions.ts';
import { caseReviewThreshold, type AsbReport, type CaseReviewResult } from './rules/case-review.ts';
import { RISK_LEVELS, type AsbSettings, type RiskLevel } from './rules/settings.ts';
import { asbSettingsVersion, currentAsbSettings } from './settings-service.ts';
import { isUuid } from '../../platform/uuid.ts';

export type AsbCase = typeof asbCases.$inferSelect;
export type AsbParty = typeof asbParties.$inferSelect;
export type AsbIncident = typeof asbIncidents.$inferSelect;
export type AsbCasePlace = typeof asbCasePlaces.$inferSelect;
export type AsbActionRow = typeof asbActions.$inferSelect;
export type AsbRiskAssessment = typeof asbRiskAssessments.$inferSelect;
export type AsbCaseReview = typeof asbCaseReviews.$inferSelect;

export const PARTY_ROLES = ['complainant', 'alleged-perpetrator', 'witness'] as const;
export type PartyRole = (typeof PARTY_ROLES)[number];
export const PARTY_KINDS = ['person', 'group', 'unknown'] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];
export const REPORTED_VIA = ['phone', 'email', 'online', 'in-person', 'letter', 'police', 'other'] as const;
export type ReportedVia = (typeof REPORTED_VIA)[number];
export const CASE_STATUSES = ['open', 'closed'] as const;

// The record services of the three sensitive kinds. Reads through them are audited as read-sensitive; this module's
// own reads below go to its tables and audit once per case read (getCase, listCases, similarCases).
export const asbCaseRecords = defineRecords<AsbCase>({ kind: 'asb-case', label: 'ASB case', table: asbCases, read: 'asb:read', write: 'asb:write', sensitive: true });
export const asbPartyRecords = defineRecords<AsbParty>({ kind: 'asb-party', label: 'ASB case party', table: asbParties, read: 'asb:read', write: 'asb:write', sensitive: true });
export const asbIncidentRecords = defineRecords<AsbIncident>({ kind: 'asb-incident', label: 'ASB incident', table: asbIncidents, read: 'asb:read', write: 'asb:write', sensitive: true });

// ---- Who may do what -------------------------------------------------------------------------------------------------

function need(ctx: Ctx, permission: Permission, what: string) {
  if (!can(ctx.actor.role, permission)) throw forbidden(`Your role does not allow you to ${what}`);
}

/**
 * The case's team sees who complained and who witnessed: its officer, the officers added to it, and managers
 * (asb:manage). Anyone else with asb:read sees "Witness 1" (docs/decisions/0025).
 */
export function inCaseTeam(ctx: Ctx, c: Pick<AsbCase, 'officerUserId' | 'teamUserIds'>): boolean {
  if (can(ctx.actor.role, 'asb:manage')) return true;
  return c.officerUserId === ctx.actor.id || (c.teamUserIds ?? []).includes(ctx.actor.id);
}

// ---- Input -------------------------------------------------------------------------------------------------------------

export interface PartyInput { role: PartyRole; kind: PartyKind; personId?: string | null; name?: string | null; notes?: string | null }
/** A home, a block or a tenancy: exactly one of the three. */
export interface PlaceInput { homeId?: string | null; blockId?: string | null; tenancyId?: string | null }
export interface IncidentInput {
  occurredOn: string;
  occurredTime?: string | null;
  place?: string | null;
  description: string;
  reportedVia?: ReportedVia | null;
  /** The name of a reporter who is not a party (the police officer, a councillor). */
  reportedByName?: string | null;
}
export interface FirstIncidentInput extends IncidentInput {
  /** The index in `parties` of the party who reported it. */
  reportedByPartyIndex?: number | null;
}
export interface NextIncidentInput extends IncidentInput {
  /** The party of this case who reported it. */
  reportedByPartyId?: string | null;
}
export interface OpenCaseInput {
  summary: string;
  categories: string[];
  /** An officer's choice of priority, with why. */
  priority?: { code: string; reason: string } | null;
  protectedCharacteristics?: string[];
  parties: PartyInput[];
  places: PlaceInput[];
  incident: FirstIncidentInput;
  /** The case officer; default: the actor, when a member of staff. */
  officerUserId?: string | null;
}

/** Problems found in a request, each naming its field; thrown together as one 400. */
class Errors {
  readonly list: FieldError[] = [];
  add(field: string, message: string) { this.list.push({ field, message }); }
  throwAny() {
    if (this.list.length) throw new Problem(400, 'Invalid request', this.list.map((e) => `${e.field.slice(1)}: ${e.message}`).join('; '), this.list);
  }
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
// Only well-formed ids go to the database (a malformed one is simply not found, and named as such).
const wellFormed = (ids: readonly string[]) => [...new Set(ids)].filter((id) => isUuid(id));

/** An incident's own fields: a real date not after today (UK), a time of day, words within limits. */
function checkIncident(e: Errors, at: string, i: IncidentInput, now: Date) {
  if (typeof i.occurredOn !== 'string' || !isCalendarDate(i.occurredOn)) e.add(`${at}/occurredOn`, 'must be a real date (YYYY-MM-DD)');
  else if (i.occurredOn > ukDate(now)) e.add(`${at}/occurredOn`, 'must be today or in the past: an incident cannot be reported before it happens');
  if (i.occurredTime != null && !TIME.test(i.occurredTime)) e.add(`${at}/occurredTime`, 'must be a time of day as HH:MM, like 21:30');
  if (typeof i.description !== 'string' || !i.description.trim()) e.add(`${at}/description`, 'is required: what happened, in the words of whoever reported it');
  if (i.reportedVia != null && !(REPORTED_VIA as readonly string[]).includes(i.reportedVia)) e.add(`${at}/reportedVia`, `must be one of ${REPORTED_VIA.join(', ')}`);
}

/** The classification against the settings: known categories, characteristics and priority. */
function checkClassification(e: Errors, s: AsbSettings, input: OpenCaseInput) {
  const categories = new Set(s.categories.map((c) => c.code));
  if (!input.categories?.length) e.add('/categories', 'must name at least one category');
  input.categories?.forEach((code, i) => {
    if (!categories.has(code)) e.add(`/categories/${i}`, `"${code}" is not one of the landlord's categories: ${[...categories].join(', ')}`);
  });
  const characteristics = new Set(s.protectedCharacteristics.map((c) => c.code));
  (input.protectedCharacteristics ?? []).forEach((code, i) => {
    if (!characteristics.has(code)) e.add(`/protectedCharacteristics/${i}`, `"${code}" is not one of the protected characteristics: ${[...characteristics].join(', ')}`);
  });
  // A hate category needs what the hostility was about: TSM NM01 counts hate incidents by it.
  const hateCategory = s.categories.find((c) => c.hate && input.categories?.includes(c.code));
  if (hateCategory && !(input.protectedCharacteristics ?? []).length) {
    e.add('/protectedCharacteristics', `must name at least one protected characteristic: the case is a ${hateCategory.label.toLowerCase()}`);
  }
  if (input.priority) {
    if (!s.priorities.some((p) => p.code === input.priority!.code)) e.add('/priority/code', `must be one of the landlord's priorities: ${s.priorities.map((p) => p.code).join(', ')}`);
    if (!input.priority.reason?.trim()) e.add('/priority/reason', 'is required: why the case needs a different priority from its categories\'');
  }
}

/** The parties: a person of the landlord's record (checked with the people module), a group or someone unknown. */
async function checkParties(ctx: Ctx, e: Errors, parties: readonly PartyInput[]) {
  parties.forEach((p, i) => {
    if (!(PARTY_ROLES as readonly string[]).includes(p.role)) e.add(`/parties/${i}/role`, `must be one of ${PARTY_ROLES.join(', ')}`);
    if (!(PARTY_KINDS as readonly string[]).includes(p.kind)) e.add(`/parties/${i}/kind`, `must be one of ${PARTY_KINDS.join(', ')}`);
    if (p.kind === 'person' && !p.personId) e.add(`/parties/${i}/personId`, 'is required for a person: one of your people, or say the party is unknown and give a name');
    if (p.kind !== 'person' && p.personId) e.add(`/parties/${i}/personId`, 'is only for a party who is a person');
    if (p.kind === 'group' && !p.name?.trim()) e.add(`/parties/${i}/name`, 'is required for a group: what it is called or how it was described');
  });
  const ids = wellFormed(parties.map((p) => p.personId).filter((id): id is string => !!id));
  const known = new Set((await personRecords.getMany(ctx, ids)).map((p) => p.id));
  parties.forEach((p, i) => {
    if (p.personId && !known.has(p.personId)) e.add(`/parties/${i}/personId`, 'is not one of your people');
  });
}

/** The places: each exactly one home, block or tenancy of the landlord (checked with their modules). */
async function checkPlaces(ctx: Ctx, e: Errors, places: readonly PlaceInput[]) {
  const ids = (key: keyof PlaceInput) => wellFormed(places.flatMap((p) => (p[key] ? [p[key]] : [])));
  // One after another: the statements share the transaction's one connection.
  const homesFound = await homeRecords.getMany(ctx, ids('homeId'));
  const blocksFound = await blockRecords.getMany(ctx, ids('blockId'));
  const tenanciesFound = await tenancyService.getMany(ctx, ids('tenancyId'));
  const found = { homeId: new Set(homesFound.map((h) => h.id)), blockId: new Set(blocksFound.map((b) => b.id)), tenancyId: new Set(tenanciesFound.map((t) => t.id)) };
  const what = { homeId: 'home', blockId: 'block', tenancyId: 'tenancy' } as const;
  places.forEach((p, i) => {
    const keys = (Object.keys(what) as (keyof PlaceInput)[]).filter((k) => p[k]);
    if (keys.length !== 1) { e.add(`/places/${i}`, 'must be exactly one of homeId, blockId or tenancyId'); return; }
    const key = keys[0]!;
    if (!found[key].has(p[key]!)) e.add(`/places/${i}/${key}`, `is not a ${what[key]} of your organisation`);
  });
}

// ---- Opening a case --------------------------------------------------------------------------------------------------

/**
 * The next case reference for the year it was opened (UK date): ASB-2026-000001, … per landlord. A transaction-scoped
 * lock per landlord makes two cases opened at once take different numbers.
 */
async function nextReference(ctx: Ctx, at: Date): Promise<string> {
  const year = ukDate(at).slice(0, 4);
  await ctx.tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`asb-case-reference:${ctx.actor.organisationId}`}))`);
  const [r] = await ctx.tx.select({ last: sql<string | null>`max(${asbCases.reference})` }).from(asbCases)
    .where(and(eq(asbCases.organisationId, ctx.actor.organisationId), sql`${asbCases.reference} ~ ${`^ASB-${year}-[0-9]{6}$`}`));
  const next = r?.last ? Number(r.last.slice(`ASB-${year}-`.length)) + 1 : 1;
  return `ASB-${year}-${String(next).padStart(6, '0')}`;
}

const trimmed = (s: string | null | undefined) => s?.trim() || null;

async function insertIncident(ctx: Ctx, caseId: string, i: IncidentInput, reportedByPartyId: string | null, now: Date): Promise<AsbIncident> {
  return asbIncidentRecords.create(ctx, {
    caseId, occurredOn: i.occurredOn, occurredTime: i.occurredTime ?? null, place: trimmed(i.place), description: i.description.trim(),
    reportedByPartyId, reportedByName: trimmed(i.reportedByName), reportedVia: i.reportedVia ?? null, reportedAt: now,
  });
}

/** Open a case with its parties, places and first incident; its priority, hate flag and action plan from the settings. */
export async function openCase(ctx: Ctx, input: OpenCaseInput, now = new Date()): Promise<CaseView> {
  need(ctx, 'asb:write', 'open ASB cases');
  const { version, settings } = await currentAsbSettings(ctx);
  const e = new Errors();
  if (typeof input.summary !== 'string' || !input.summary.trim()) e.add('/summary', 'is required: the problem in a line');
  checkClassification(e, settings, input);
  checkIncident(e, '/incident', input.incident, now);
  const by = input.incident.reportedByPartyIndex;
  if (by != null && (!Number.isInteger(by) || by < 0 || by >= input.parties.length)) {
    e.add('/incident/reportedByPartyIndex', input.parties.length ? `must be the index of one of the parties (0 to ${input.parties.length - 1})` : 'must be left out: the case has no parties');
  }
  if (!input.places?.length && !input.parties?.length) e.add('/places', 'must name at least one home, block or tenancy, or a party');
  await checkParties(ctx, e, input.parties ?? []);
  await checkPlaces(ctx, e, input.places ?? []);
  e.throwAny();

  const override = input.priority ? { priority: input.priority.code, reason: input.priority.reason } : undefined;
  const priority = casePriority(settings, input.categories, override);
  const characteristics = [...new Set(input.protectedCharacteristics ?? [])];
  const officerUserId = input.officerUserId ?? (ctx.actor.kind === 'user' ? ctx.actor.id : null);
  const created = await asbCaseRecords.create(ctx, {
    reference: await nextReference(ctx, now), status: 'open', summary: input.summary.trim(), categories: [...new Set(input.categories)],
    priorityCode: priority.priority, priorityReason: priority.reason ?? null, hate: isHateCase(settings, input.categories, characteristics),
    protectedCharacteristics: characteristics, riskLevel: null, officerUserId, teamUserIds: [], openedAt: now, settingsVersion: version,
  });
  const parties: AsbParty[] = [];
  for (const p of input.parties) {
    parties.push(await asbPartyRecords.create(ctx, {
      caseId: created.id, role: p.role, kind: p.kind, personId: p.personId ?? null, name: trimmed(p.name), notes: trimmed(p.notes),
    }));
  }
  const org = ctx.actor.organisationId;
  if (input.places.length) {
    await ctx.tx.insert(asbCasePlaces).values(input.places.map((p) => ({
      organisationId: org, id: uuidv7(), caseId: created.id,
      homeId: p.homeId || null, blockId: p.blockId || null, tenancyId: p.tenancyId || null,
    })));
  }
  await insertIncident(ctx, created.id, input.incident, by != null ? parties[by]!.id : null, now);
  // Risk is 'standard' until the complainant is assessed; an assessment brings actions forward (assessCaseRisk).
  const plan = actionPlan(settings, { priority: priority.priority, risk: 'standard', openedAt: now });
  await ctx.tx.insert(asbActions).values(plan.map((a) => ({ organisationId: org, id: uuidv7(), caseId: created.id, kind: a.code, label: a.label, dueAt: a.due })));
  return caseView(ctx, created.id);
}

// ---- Reading ---------------------------------------------------------------------------------------------------------

export interface PartyView { id: string; role: PartyRole; kind: PartyKind; personId: string | null; name: string | null; notes: string | null; hidden: boolean }
export interface CaseView {
  case: AsbCase;
  parties: PartyView[];
  places: AsbCasePlace[];
  incidents: AsbIncident[];
  actions: AsbActionRow[];
  /** The latest risk assessment, if any. */
  risk: AsbRiskAssessment | null;
  caseReviews: AsbCaseReview[];
  /** Whether complainants' and witnesses' identities are shown (the actor is in the case's team). */
  identitiesShown: boolean;
}

const ROLE_WORDS: Record<PartyRole, string> = { complainant: 'Complainant', 'alleged-perpetrator': 'Alleged perpetrator', witness: 'Witness' };

/** Complainants and witnesses as "Complainant 1", "Witness 1", numbered in the order they were added. */
export function presentParties(parties: readonly AsbParty[], show: boolean): PartyView[] {
  const counts = new Map<string, number>();
  return parties.map((p) => {
    const role = p.role as PartyRole;
    const hide = !show && role !== 'alleged-perpetrator';
    const n = (counts.get(role) ?? 0) + 1;
    counts.set(role, n);
    return hide
      ? { id: p.id, role, kind: p.kind as PartyKind, personId: null, name: `${ROLE_WORDS[role]} ${n}`, notes: null, hidden: true }
      : { id: p.id, role, kind: p.kind as PartyKind, personId: p.personId, name: p.name, notes: p.notes, hidden: false };
  });
}

async function caseRow(ctx: Ctx, id: string): Promise<AsbCase> {
  const [row] = await ctx.tx.select().from(asbCases).where(and(eq(asbCases.organisationId, ctx.actor.organisationId), eq(asbCases.id, id)));
  if (!row) throw notFound('ASB case');
  return row;
}

const ofCase = <T extends typeof asbParties | typeof asbIncidents | typeof asbCasePlaces | typeof asbActions | typeof asbCaseReviews | typeof asbRiskAssessments>(ctx: Ctx, t: T, caseId: string): SQL =>
  and(eq(t.organisationId, ctx.actor.organisationId), eq(t.caseId, caseId))!;

/** The case and everything of it, identities as the actor may see them; not audited (the callers audit). */
async function caseView(ctx: Ctx, id: string): Promise<CaseView> {
  const c = await caseRow(ctx, id);
  // One after another: the statements share the transaction's one connection.
  const parties = await ctx.tx.select().from(asbParties).where(ofCase(ctx, asbParties, id)).orderBy(asc(asbParties.id));
  const places = await ctx.tx.select().from(asbCasePlaces).where(ofCase(ctx, asbCasePlaces, id)).orderBy(asc(asbCasePlaces.id));
  const incidents = await ctx.tx.select().from(asbIncidents).where(ofCase(ctx, asbIncidents, id)).orderBy(asc(asbIncidents.occurredOn), asc(asbIncidents.id));
  const actions = await ctx.tx.select().from(asbActions).where(ofCase(ctx, asbActions, id)).orderBy(asc(asbActions.dueAt), asc(asbActions.id));
  const risks = await ctx.tx.select().from(asbRiskAssessments).where(ofCase(ctx, asbRiskAssessments, id))
    .orderBy(desc(asbRiskAssessments.assessedAt), desc(asbRiskAssessments.id)).limit(1);
  const caseReviews = await ctx.tx.select().from(asbCaseReviews).where(ofCase(ctx, asbCaseReviews, id)).orderBy(asc(asbCaseReviews.triggeredAt));
  const show = inCaseTeam(ctx, c);
  // A reporter's name given outside the parties identifies them as much as a party's does.
  const shownIncidents = show ? incidents : incidents.map((i) => ({ ...i, reportedByName: null }));
  return { case: c, parties: presentParties(parties, show), places, incidents: shownIncidents, actions, risk: risks[0] ?? null, caseReviews, identitiesShown: show };
}

/** A case with its parties, places, incidents, actions, risk and case reviews. Every read is audited. */
export async function getCase(ctx: Ctx, id: string): Promise<CaseView> {
  need(ctx, 'asb:read', 'see ASB cases');
  const view = await caseView(ctx, id);
  await audit(ctx.tx, ctx.actor, { action: 'read-sensitive', entityKind: 'asb-case', entityId: id, detail: { identitiesShown: view.identitiesShown } });
  return view;
}

export interface CaseSummary {
  id: string; reference: string; status: string; summary: string; categories: string[]; priorityCode: string; hate: boolean;
  riskLevel: string | null; officerUserId: string | null; openedAt: Date; caseReviewFlaggedAt: Date | null;
}
const summaryOf = (c: AsbCase): CaseSummary => ({
  id: c.id, reference: c.reference, status: c.status, summary: c.summary, categories: c.categories, priorityCode: c.priorityCode, hate: c.hate,
  riskLevel: c.riskLevel, officerUserId: c.officerUserId, openedAt: c.openedAt, caseReviewFlaggedAt: c.caseReviewFlaggedAt,
});

/** Cases in the order they were opened (ids are time-ordered), without parties; each case listed is audited as read. */
export async function listCases(ctx: Ctx, q: { status?: 'open' | 'closed'; limit: number; cursor?: string }): Promise<{ items: CaseSummary[]; nextCursor: string | null }> {
  need(ctx, 'asb:read', 'see ASB cases');
  const limit = Math.min(Math.max(q.limit, 1), 200);
  const after = decodeCursor(q.cursor);
  const where = [eq(asbCases.organisationId, ctx.actor.organisationId)];
  if (q.status) where.push(eq(asbCases.status, q.status));
  if (after) where.push(gt(asbCases.id, after));
  const rows = await ctx.tx.select().from(asbCases).where(and(...where)).orderBy(asc(asbCases.id)).limit(limit + 1);
  const page = rows.slice(0, limit);
  await audit(ctx.tx, ctx.actor, page.map((c) => ({ action: 'read-sensitive', entityKind: 'asb-case', entityId: c.id, detail: { list: true } })));
  return { items: page.map(summaryOf), nextCursor: rows.length > limit ? encodeCursor(page.at(-1)!.id) : null };
}

// ---- Similar cases ---------------------------------------------------------------------------------------------------

export interface SimilarCase extends CaseSummary { reasons: string[] }

const uuids = (ids: readonly string[]) => sql`${sql.param([...ids])}::uuid[]`;

/**
 * Open cases at the same homes or blocks (a block's homes included, and a home's block), or with one of these people
 * as a party, each with why it matched ("same block: Bronte House"). The person is not named in the reason.
 */
export async function similarCases(ctx: Ctx, keys: { homeIds?: readonly string[]; blockIds?: readonly string[]; personIds?: readonly string[] }, exceptCaseId?: string): Promise<SimilarCase[]> {
  need(ctx, 'asb:read', 'see ASB cases');
  const homeIds = [...new Set(keys.homeIds ?? [])];
  const personIds = [...new Set(keys.personIds ?? [])];
  const givenHomes = await homeRecords.getMany(ctx, homeIds);
  // The blocks asked about, and the blocks of the homes asked about: a case at the block is a case at the home's door.
  const blockIds = [...new Set([...(keys.blockIds ?? []), ...givenHomes.flatMap((h) => (h.blockId ? [h.blockId] : []))])];
  const blocks = new Map((await blockRecords.getMany(ctx, blockIds)).map((b) => [b.id, b.name ?? 'a block']));
  const homesInBlocks = new Map<string, string>(); // home id → its block's id
  for (const blockId of blocks.keys()) for (const h of await homesOfBlock(ctx, blockId)) homesInBlocks.set(h.id, blockId);
  const givenHomeById = new Map<string, Home>(givenHomes.map((h) => [h.id, h]));
  const allHomes = [...new Set([...givenHomeById.keys(), ...homesInBlocks.keys()])];
  const org = ctx.actor.organisationId;
  const open = and(eq(asbCases.organisationId, org), eq(asbCases.status, 'open'), exceptCaseId ? sql`${asbCases.id} <> ${exceptCaseId}` : undefined);

  const reasons = new Map<string, string[]>();
  const because = (caseId: string, why: string) => {
    const list = reasons.get(caseId) ?? [];
    if (!list.includes(why)) list.push(why);
    reasons.set(caseId, list);
  };
  if (allHomes.length || blocks.size) {
    const places = await ctx.tx.select({ caseId: asbCasePlaces.caseId, homeId: asbCasePlaces.homeId, blockId: asbCasePlaces.blockId }).from(asbCasePlaces)
      .innerJoin(asbCases, and(eq(asbCases.organisationId, asbCasePlaces.organisationId), eq(asbCases.id, asbCasePlaces.caseId)))
      .where(and(open, sql`(${asbCasePlaces.homeId} = any(${uuids(allHomes)}) or ${asbCasePlaces.blockId} = any(${uuids([...blocks.keys()])}))`));
    for (const p of places) {
      const home = p.homeId ? givenHomeById.get(p.homeId) : undefined;
      // The same home says more than the same block, so a case at the home is not also named for its block.
      if (home) { because(p.caseId, `same home: ${formatAddress(home)}`); continue; }
      const blockId = p.blockId ?? (p.homeId ? homesInBlocks.get(p.homeId) : undefined);
      if (blockId && blocks.has(blockId)) because(p.caseId, `same block: ${blocks.get(blockId)}`);
    }
  }
  if (personIds.length) {
    const parties = await ctx.tx.select({ caseId: asbParties.caseId, role: asbParties.role }).from(asbParties)
      .innerJoin(asbCases, and(eq(asbCases.organisationId, asbParties.organisationId), eq(asbCases.id, asbParties.caseId)))
      .where(and(open, sql`${asbParties.personId} = any(${uuids(personIds)})`));
    for (const p of parties) because(p.caseId, `same person, as ${ROLE_WORDS[p.role as PartyRole].toLowerCase()}`);
  }
  if (!reasons.size) return [];
  const cases = await ctx.tx.select().from(asbCases).where(and(open, sql`${asbCases.id} = any(${uuids([...reasons.keys()])})`)).orderBy(asc(asbCases.id));
  await audit(ctx.tx, ctx.actor, cases.map((c) => ({ action: 'read-sensitive', entityKind: 'asb-case', entityId: c.id, detail: { similar: true } })));
  return cases.map((c) => ({ ...summaryOf(c), reasons: reasons.get(c.id)! }));
}

// ---- Incidents and the ASB Case Review threshold ---------------------------------------------------------------------

export interface CaseReviewState {
  met: boolean;
  /** When the case was flagged (now, or earlier). */
  flaggedAt: Date | null;
  /** Whether this check flagged it. */
  newlyFlagged: boolean;
  results: CaseReviewResult[];
}

async function openCaseForWork(ctx: Ctx, id: string): Promise<AsbCase> {
  const c = await caseRow(ctx, id);
  if (c.status !== 'open') throw new Problem(409, 'Conflict', 'The case is closed: a new report about the same problem opens a new case, linked to this one');
  return c;
}

/**
 * Checks the case's incidents against the landlord's case review rules (each incident is a report, by the party who
 * made it); the first time the threshold is met, flags the case and records a case review with the finding.
 */
async function checkCaseReview(ctx: Ctx, c: AsbCase, settings: AsbSettings, now: Date): Promise<CaseReviewState> {
  const incidents = await ctx.tx.select().from(asbIncidents).where(ofCase(ctx, asbIncidents, c.id));
  const reports: AsbReport[] = incidents.map((i) => ({ id: i.id, reporterId: i.reportedByPartyId, incidentOn: i.occurredOn, reportedAt: i.reportedAt }));
  const { met, results } = caseReviewThreshold(settings, reports, now);
  if (!met || c.caseReviewFlaggedAt) return { met, flaggedAt: c.caseReviewFlaggedAt, newlyFlagged: false, results };
  await asbCaseRecords.update(ctx, c.id, c.version, { caseReviewFlaggedAt: now });
  await ctx.tx.insert(asbCaseReviews).values({
    organisationId: ctx.actor.organisationId, id: uuidv7(), caseId: c.id, triggeredAt: now,
    finding: { met, results: results.map((r) => ({ ...r })) } as Record<string, unknown>,
  });
  return { met, flaggedAt: now, newlyFlagged: true, results };
}

/** Add an incident to an open case; returns it and the case review check after it. */
export async function addIncident(ctx: Ctx, caseId: string, input: NextIncidentInput, now = new Date()): Promise<{ incident: AsbIncident; caseReview: CaseReviewState }> {
  need(ctx, 'asb:write', 'add incidents to ASB cases');
  const c = await openCaseForWork(ctx, caseId);
  const e = new Errors();
  checkIncident(e, '', input, now);
  if (input.reportedByPartyId) {
    const [party] = await ctx.tx.select({ id: asbParties.id }).from(asbParties).where(and(ofCase(ctx, asbParties, caseId), eq(asbParties.id, input.reportedByPartyId)));
    if (!party) e.add('/reportedByPartyId', 'is not a party of this case');
  }
  e.throwAny();
  const incident = await insertIncident(ctx, caseId, input, input.reportedByPartyId ?? null, now);
  const { settings } = await asbSettingsVersion(ctx, c.settingsVersion);
  return { incident, caseReview: await checkCaseReview(ctx, c, settings, now) };
}

/**
 * Adds a report's parties to an open case (a report added to a case it repeats): a person already a party in the same
 * role is not added twice (the existing party is returned in its place); groups and people not known are added as
 * given. Returns the parties in the order given.
 */
export async function addParties(ctx: Ctx, caseId: string, parties: readonly PartyInput[]): Promise<AsbParty[]> {
  need(ctx, 'asb:write', 'add people to ASB cases');
  await openCaseForWork(ctx, caseId);
  const e = new Errors();
  await checkParties(ctx, e, parties);
  e.throwAny();
  const existing = await ctx.tx.select().from(asbParties).where(ofCase(ctx, asbParties, caseId));
  const out: AsbParty[] = [];
  for (const p of parties) {
    const same = p.personId ? existing.find((x) => x.personId === p.personId && x.role === p.role) : undefined;
    if (same) { out.push(same); continue; }
    const created = await asbPartyRecords.create(ctx, { caseId, role: p.role, kind: p.kind, personId: p.personId ?? null, name: trimmed(p.name), notes: trimmed(p.notes) });
    existing.push(created);
    out.push(created);
  }
  return out;
}

// ---- Risk ------------------------------------------------------------------------------------------------------------

export interface RiskOutcome {
  assessment: AsbRiskAssessment;
  words: string;
  /** The open actions brought forward by a higher risk level: their kind and new due time. */
  rescheduled: { actionId: string; kind: string; from: Date; to: Date }[];
}

const rank = (level: string | null) => (level === null ? -1 : RISK_LEVELS.indexOf(level as RiskLevel));

/**
 * Assess the complainant's risk against the case's risk matrix, store it and set the case's risk level. When the level
 * rises, the open actions that its tighter targets make due sooner are rescheduled to the sooner time (the plan keeps
 * one row per action, so nothing is duplicated; done actions are left as they were).
 */
export async function assessCaseRisk(ctx: Ctx, caseId: string, answers: Readonly<Record<string, RiskAnswer>>, incidentId: string | null = null, now = new Date()): Promise<RiskOutcome> {
  need(ctx, 'asb:write', 'assess risk on ASB cases');
  const c = await openCaseForWork(ctx, caseId);
  const { settings } = await asbSettingsVersion(ctx, c.settingsVersion);
  const result = assessRisk(settings, answers);
  if (!result.ok) {
    const errors = result.errors.map((x) => ({ field: `/answers/${x.questionId}`, message: x.message }));
    throw new Problem(400, 'Invalid request', errors.map((x) => `${x.field.slice(1)}: ${x.message}`).join('; '), errors);
  }
  if (incidentId) {
    const [incident] = await ctx.tx.select({ id: asbIncidents.id }).from(asbIncidents).where(and(ofCase(ctx, asbIncidents, caseId), eq(asbIncidents.id, incidentId)));
    if (!incident) throw new Problem(400, 'Invalid request', 'incidentId: is not an incident of this case', [{ field: '/incidentId', message: 'is not an incident of this case' }]);
  }
  const { level, score } = result.assessment;
  const [assessment] = await ctx.tx.insert(asbRiskAssessments).values({
    organisationId: ctx.actor.organisationId, id: uuidv7(), caseId, incidentId, answers: { ...answers }, score, level,
    assessedAt: now, assessedBy: ctx.actor.name, settingsVersion: c.settingsVersion,
  }).returning();
  if (c.riskLevel !== level) await asbCaseRecords.update(ctx, caseId, c.version, { riskLevel: level });
  const rescheduled = rank(level) > rank(c.riskLevel) ? await bringActionsForward(ctx, c, settings, level) : [];
  await audit(ctx.tx, ctx.actor, { action: 'asb-risk-assessed', entityKind: 'asb-case', entityId: caseId, detail: { rescheduled: rescheduled.length } });
  return { assessment: assessment!, words: result.assessment.words, rescheduled };
}

/** The case's open actions whose target at this risk level is sooner than their due time: moved to the sooner time. */
async function bringActionsForward(ctx: Ctx, c: AsbCase, settings: AsbSettings, level: RiskLevel): Promise<RiskOutcome['rescheduled']> {
  const plan = new Map(actionPlan(settings, { priority: c.priorityCode, risk: level, openedAt: c.openedAt }).map((a) => [a.code, a.due]));
  const open = await ctx.tx.select().from(asbActions).where(and(ofCase(ctx, asbActions, c.id), sql`${asbActions.doneAt} is null`));
  // The recurring update to the complainant (work.ts) is not in the plan: it falls due N working days after the last
  // contact (acknowledging, or the last update), N tighter at this level where the landlord set it.
  if (open.some((a) => a.kind === 'update-complainant')) {
    const [last] = await ctx.tx.select({ at: sql<Date | null>`max(${asbActions.doneAt})` }).from(asbActions)
      .where(and(ofCase(ctx, asbActions, c.id), sql`${asbActions.kind} in ('acknowledge', 'update-complainant')`));
    const lastUpdateAt = last?.at ? new Date(last.at) : c.openedAt;
    plan.set('update-complainant', complainantUpdatesDue(settings, { risk: level, lastUpdateAt }, lastUpdateAt).due);
  }
  const moved: RiskOutcome['rescheduled'] = [];
  for (const a of open) {
    const due = plan.get(a.kind);
    if (!due || due.getTime() >= a.dueAt.getTime()) continue;
    await ctx.tx.update(asbActions).set({ dueAt: due, version: sql`${asbActions.version} + 1`, updatedAt: sql`now()` })
      .where(and(eq(asbActions.organisationId, a.organisationId), eq(asbActions.id, a.id)));
    moved.push({ actionId: a.id, kind: a.kind, from: a.dueAt, to: due });
  }
  return moved;
}
