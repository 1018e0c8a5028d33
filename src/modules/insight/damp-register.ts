// The damp and mould register: every home with a sign of damp or mould (damp_mould_signals, kept up to date by
// damp-signals.ts), with the words that show it, where they were written and when. Homes where someone is at greater
// risk from damp come first — a health condition, a pregnancy, a young child or an older person in the household —
// for roles that may see person alerts; each alert read for it is audited by the people module. Other roles see the
// homes in order of the latest evidence, and are told why.
import { sql } from 'drizzle-orm';
import type { Ctx } from '../../platform/records/context.ts';
import type { Db } from '../../platform/db/store.ts';
import { lastTwelveMonths } from '../../platform/uk-time.ts';
import { can } from '../../platform/auth/roles.ts';
import { forbidden, invalid } from '../../platform/http/problem.ts';
import { audit } from '../../platform/audit/service.ts';
import { homePlaces, type HomePlace } from '../homes/index.ts';
import { alertService, peopleAtHomes, personRecords } from '../people/index.ts';
import { tenancyService } from '../tenancies/index.ts';
import { repairRecords } from '../repairs/index.ts';
import { noteRecords } from '../notes/index.ts';
import { CODE_EVIDENCE, ukDay, type SignalBasis, type SignalSource } from './damp-signals.ts';
import { dampMouldSignals, dampMouldTotals } from './schema.ts';

// ---- who is at greater risk from damp ----

/** HACT v3.5 alert codes that put a household at greater risk from damp: 20-30 illness, 20-60 elderly. */
export const RISK_HACT_CODES: readonly string[] = ['20-30', '20-60'];
/** UKHDS alert categories that do: medical or health condition, pregnancy, age (young child or older person). */
export const RISK_CATEGORIES: readonly string[] = ['MED', 'PREG', 'AGE'];
export const YOUNG_CHILD_UNDER = 5;
export const OLDER_PERSON_FROM = 75;

/** Reasons, in the order they are shown. */
const REASON_ORDER = ['Health condition', 'Pregnancy', 'Child under 5', 'Aged 75 or over', 'Older person', 'Young child or older person'];

/** What an alert says about risk from damp, in words for the list (never the alert's own description). */
export function alertReason(a: { hactCode: string; category: string }): string {
  if (a.category === 'PREG') return 'Pregnancy';
  if (a.hactCode === '20-30' || a.category === 'MED') return 'Health condition';
  if (a.hactCode === '20-60') return 'Older person';
  return 'Young child or older person';
}

/** Whole years from a date of birth to a day (both YYYY-MM-DD). */
export function ageOn(dateOfBirth: string, day: string): number {
  const years = Number(day.slice(0, 4)) - Number(dateOfBirth.slice(0, 4));
  return day.slice(5, 10) < dateOfBirth.slice(5, 10) ? years - 1 : years;
}

export function ageReason(dateOfBirth: string | null, today: string): string | null {
  if (!dateOfBirth) return null;
  const age = ageOn(dateOfBirth, today);
  if (age < 0) return null;
  if (age < YOUNG_CHILD_UNDER) return 'Child under 5';
  if (age >= OLDER_PERSON_FROM) return 'Aged 75 or over';
  return null;
}

const byReasonOrder = (a: string, b: string) => REASON_ORDER.indexOf(a) - REASON_ORDER.indexOf(b);

/**
 * For each home, why someone living there is at greater risk from damp (empty when nobody is): from the active
 * alerts of its current tenancy members and the people whose home it is, and their ages. Undefined when the actor's
 * role may not see alerts. Reads only the alerts that matter, each read audited.
 */
async function riskReasons(ctx: Ctx, homeIds: string[]): Promise<Map<string, string[]> | undefined> {
  if (!can(ctx.actor.role, 'alerts:read')) return undefined;
  const out = new Map<string, string[]>(homeIds.map((id) => [id, []]));
  if (!homeIds.length) return out;
  const [residents, atHome] = await Promise.all([tenancyService.residentsOfHomes(ctx, homeIds), peopleAtHomes(ctx, homeIds)]);
  const homesOf = new Map<string, Set<string>>();
  const lives = (personId: string, homeId: string) => {
    const set = homesOf.get(personId) ?? new Set<string>();
    set.add(homeId);
    homesOf.set(personId, set);
  };
  for (const [homeId, people] of residents) for (const p of people) lives(p, homeId);
  for (const p of atHome) if (p.homeId) lives(p.id, p.homeId);
  const dob = new Map(atHome.map((p) => [p.id, p.dateOfBirth]));
  const missing = [...homesOf.keys()].filter((id) => !dob.has(id));
  for (const p of await personRecords.getMany(ctx, missing)) dob.set(p.id, p.dateOfBirth);
  const alerts = (await alertService.activeOfKinds(ctx, [...homesOf.keys()], { hactCodes: RISK_HACT_CODES, categories: RISK_CATEGORIES })) ?? [];
  const reasons = new Map<string, Set<string>>();
  const add = (personId: string, reason: string) => {
    for (const homeId of homesOf.get(personId) ?? []) {
      const set = reasons.get(homeId) ?? new Set<string>();
      set.add(reason);
      reasons.set(homeId, set);
    }
  };
  for (const a of alerts) add(a.personId, alertReason(a));
  const today = ukDay(new Date())!;
  for (const [personId, d] of dob) {
    const r = ageReason(d, today);
    if (r) add(personId, r);
  }
  for (const [homeId, set] of reasons) out.set(homeId, [...set].sort(byReasonOrder));
  return out;
}

// ---- the register ----

export interface RegisterSignal {
  sourceKind: SignalSource;
  sourceId: string;
  /** The landlord's own reference for the record: a repair's job number (null for notes and hazard reports). */
  reference: string | null;
  basis: SignalBasis[];
  kinds: string[];
  /** The evidence, one line each: a sentence quoted word for word, or (quote false) a code or hazard. */
  evidence: { text: string; quote: boolean }[];
  observedOn: string | null;
  /** Where to see the record: repairs and notes on the home's page, hazard reports on their own. */
  link: string;
}

export interface RegisterEntry {
  homeId: string;
  /** The landlord's own property reference. */
  homeReference: string | null;
  address: string;
  postcode: string | null;
  estateId: string | null;
  estateName: string | null;
  /** Newest first. */
  signals: RegisterSignal[];
  count: number;
  firstObserved: string | null;
  latestObserved: string | null;
  /** Why the home is on the list, in a sentence. */
  why: string;
  /** Null when the caller's role may not see alerts. */
  priority: { atGreaterRisk: boolean; reasons: string[] } | null;
}

export interface EstateCount { estateId: string | null; estateName: string; homes: number; signals: number }

export interface DampRegister {
  /** Homes on the register (in the estate, when filtered) and their signals. */
  homes: number;
  signals: number;
  limit: number;
  page: number;
  pages: number;
  nextCursor: string | null;
  order: 'priority' | 'latest-evidence';
  /** Said to a caller who cannot see the priority. */
  orderNote: string | null;
  /** The estate filter in force: an estate id, 'none' (homes on no estate), or null. */
  estate: string | null;
  /** Estates with homes on the register (before filtering), most homes first. */
  estates: EstateCount[];
  items: RegisterEntry[];
  /** Signs in repairs and notes whose home (or a note's tenancy or person) matched nothing yet: counted and listed apart (at most a page of them), linked when the home arrives. */
  unlinked: { count: number; items: UnlinkedSign[] };
}

/** A sign of damp or mould in a repair not yet linked to a home: what the repair named its home by, and the evidence. */
export interface UnlinkedSign extends Omit<RegisterSignal, 'link'> {
  /** What the source named the home by (property reference, UPRN, address), as the repair keeps it. */
  named: string | null;
  link: string;
}

export interface RegisterQuery {
  limit?: number;
  /** An opaque cursor from nextCursor (the API), or a page number from 1 (pages); the cursor wins. */
  cursor?: string;
  page?: number;
  /** An estate id, or 'none' for homes on no estate. */
  estate?: string;
  /** Every home on one page (the CSV). */
  all?: boolean;
}

export const REGISTER_PAGE = 50;
export const REGISTER_MAX_PAGE = 200;
export const PRIORITY_NEEDS_ALERTS = 'Homes where someone is at greater risk from damp are listed first only for roles that can see person alerts. Your role cannot, so homes are in order of their latest evidence.';

const encodeOffset = (n: number) => Buffer.from(`o:${n}`, 'utf8').toString('base64url');
function decodeOffset(cursor: string): number {
  const m = /^o:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw invalid('/cursor', 'is not a cursor this API returned');
  return Number(m[1]);
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "Damp or mould in the words of 2 repairs and 1 note; a damp and mould repair code on 1 job; 1 HHSRS damp and mould hazard report". */
export function whyOnList(signals: Pick<RegisterSignal, 'sourceKind' | 'basis'>[]): string {
  const words = { repair: 0, note: 0, 'hazard-report': 0 };
  let codes = 0, hazards = 0;
  for (const s of signals) {
    if (s.basis.includes('text')) words[s.sourceKind]++;
    if (s.basis.includes('code')) codes++;
    if (s.basis.includes('hazard')) hazards++;
  }
  const named = [words.repair && plural(words.repair, 'repair'), words.note && plural(words.note, 'note'), words['hazard-report'] && plural(words['hazard-report'], 'hazard report')]
    .filter((x): x is string => !!x);
  const parts = [
    named.length && `Damp or mould in the words of ${named.length > 1 ? `${named.slice(0, -1).join(', ')} and ${named[named.length - 1]}` : named[0]}`,
    codes && `a damp and mould repair code or trade on ${plural(codes, 'job')}`,
    hazards && `${plural(hazards, 'HHSRS damp and mould hazard report')}`,
  ].filter((x): x is string => !!x);
  const text = parts.join('; ');
  return text.charAt(0).toUpperCase() + text.slice(1) + '.';
}

const linkOf = (kind: SignalSource, sourceId: string, homeId: string) => (kind === 'hazard-report' ? `/hazards/${sourceId}` : `/homes/${homeId}`);

/** The register, a page at a time, in priority order (or latest evidence first for roles that cannot see alerts). */
export async function dampMouldRegister(ctx: Ctx, q: RegisterQuery = {}): Promise<DampRegister> {
  if (!can(ctx.actor.role, 'records:read')) throw forbidden();
  const org = ctx.actor.organisationId;
  const t = dampMouldSignals;
  const limit = Math.min(Math.max(Math.trunc(q.limit ?? REGISTER_PAGE), 1), REGISTER_MAX_PAGE);
  const homes = (await ctx.tx.execute(sql`select ${t.homeId} as home_id, count(*)::int as n, min(${t.observedOn})::text as first, max(${t.observedOn})::text as latest
    from ${t} where ${t.organisationId} = ${org} and ${t.homeId} is not null group by ${t.homeId}`)).rows as { home_id: string; n: number; first: string | null; latest: string | null }[];
  const places = await homePlaces(ctx, homes.map((h) => h.home_id));
  const placeOf = (id: string): HomePlace => places.get(id) ?? { id, address: 'Home not found', postcode: null, reference: null, estateId: null, estateName: null };

  // Estates with homes on the register, for the filter.
  const estates = new Map<string, EstateCount>();
  for (const h of homes) {
    const p = placeOf(h.home_id);
    const key = p.estateId ?? 'none';
    const e = estates.get(key) ?? { estateId: p.estateId, estateName: p.estateName ?? 'Not on an estate', homes: 0, signals: 0 };
    e.homes++;
    e.signals += Number(h.n);
    estates.set(key, e);
  }
  const estate = q.estate?.trim() || null;
  const listed = estate ? homes.filter((h) => (placeOf(h.home_id).estateId ?? 'none') === estate) : homes;

  const risk = await riskReasons(ctx, listed.map((h) => h.home_id));
  const latestFirst = (a: { latest: string | null; home_id: string }, b: { latest: string | null; home_id: string }) =>
    (a.latest === b.latest ? 0 : a.latest === null ? 1 : b.latest === null ? -1 : b.latest.localeCompare(a.latest)) || a.home_id.localeCompare(b.home_id);
  const atRisk = (id: string) => (risk?.get(id)?.length ?? 0) > 0;
  listed.sort((a, b) => (risk ? Number(atRisk(b.home_id)) - Number(atRisk(a.home_id)) : 0) || latestFirst(a, b));

  const size = q.all ? Math.max(listed.length, 1) : limit;
  const offset = q.all ? 0 : q.cursor ? decodeOffset(q.cursor) : (Math.max(Math.trunc(q.page ?? 1), 1) - 1) * size;
  const pageHomes = listed.slice(offset, offset + size);
  const signals = new Map<string, RegisterSignal[]>();
  if (pageHomes.length) {
    const rows = (await ctx.tx.execute(sql`select ${t.homeId} as home_id, ${t.sourceKind} as source_kind, ${t.sourceId} as source_id, ${t.basis} as basis,
        ${t.kinds} as kinds, ${t.evidence} as evidence, ${t.observedOn}::text as observed_on
      from ${t} where ${t.organisationId} = ${org} and ${t.homeId} = any(${sql.param(pageHomes.map((h) => h.home_id))}::uuid[])
      order by ${t.observedOn} desc nulls last, ${t.sourceKind}, ${t.sourceId}`)).rows as Record<string, string | null>[];
    const jobs = await jobNumbers(ctx, rows);
    for (const r of rows) {
      const list = signals.get(r.home_id!) ?? [];
      list.push({
        sourceKind: r.source_kind as SignalSource, sourceId: r.source_id!, reference: jobs.get(r.source_id!)?.jobReference ?? null,
        basis: r.basis!.split(',').filter(Boolean) as SignalBasis[],
        kinds: r.kinds!.split(',').filter(Boolean), observedOn: r.observed_on ?? null, link: linkOf(r.source_kind as SignalSource, r.source_id!, r.home_id!),
        evidence: r.evidence!.split('\n').filter(Boolean).map((text) => ({ text, quote: !CODE_EVIDENCE.test(text) })),
      });
      signals.set(r.home_id!, list);
    }
  }
  const items = pageHomes.map((h): RegisterEntry => {
    const p = placeOf(h.home_id);
    const list = signals.get(h.home_id) ?? [];
    const reasons = risk?.get(h.home_id) ?? [];
    return {
      homeId: h.home_id, homeReference: p.reference, address: p.address, postcode: p.postcode, estateId: p.estateId, estateName: p.estateName,
      signals: list, count: Number(h.n), firstObserved: h.first, latestObserved: h.latest, why: whyOnList(list),
      priority: risk ? { atGreaterRisk: reasons.length > 0, reasons } : null,
    };
  });
  return {
    homes: listed.length, signals: listed.reduce((n, h) => n + Number(h.n), 0), limit: size,
    page: Math.floor(offset / size) + 1, pages: Math.max(Math.ceil(listed.length / size), 1),
    nextCursor: offset + size < listed.length ? encodeOffset(offset + size) : null,
    order: risk ? 'priority' : 'latest-evidence', orderNote: risk ? null : PRIORITY_NEEDS_ALERTS,
    estate, estates: [...estates.values()].sort((a, b) => b.homes - a.homes || a.estateName.localeCompare(b.estateName)),
    items,
    unlinked: await unlinkedSigns(ctx, q.all ? undefined : REGISTER_MAX_PAGE),
  };
}

/** The job number and what it named its home by, of each repair among these signal rows (one read through the repairs module). */
async function jobNumbers(ctx: Ctx, rows: Record<string, string | null>[]) {
  const ids = rows.filter((r) => r.source_kind === 'repair').map((r) => r.source_id!);
  return new Map((ids.length ? await repairRecords.getMany(ctx, ids) : []).map((j) => [j.id, j]));
}

/**
 * Signs of damp or mould whose repair or note is not linked to a home yet (what it named matched nothing when it was
 * loaded): how many, and the newest of them (`limit`; all when undefined), each with the job number and what it named.
 */
export async function unlinkedSigns(ctx: Ctx, limit?: number): Promise<{ count: number; items: UnlinkedSign[] }> {
  if (!can(ctx.actor.role, 'records:read')) throw forbidden();
  const t = dampMouldSignals;
  const org = ctx.actor.organisationId;
  const rows = (await ctx.tx.execute(sql`select ${t.sourceKind} as source_kind, ${t.sourceId} as source_id, ${t.basis} as basis, ${t.kinds} as kinds,
      ${t.evidence} as evidence, ${t.observedOn}::text as observed_on, count(*) over ()::int as total
    from ${t} where ${t.organisationId} = ${org} and ${t.homeId} is null
    order by ${t.observedOn} desc nulls last, ${t.sourceKind}, ${t.sourceId} ${limit === undefined ? sql`` : sql`limit ${limit}`}`)).rows as Record<string, string | null>[];
  const jobs = await jobNumbers(ctx, rows);
  const noteIds = rows.filter((r) => r.source_kind === 'note').map((r) => r.source_id!);
  const notes = new Map((noteIds.length ? await noteRecords.getMany(ctx, noteIds) : []).map((n) => [n.id, n]));
  return {
    count: Number(rows[0]?.total ?? 0),
    items: rows.map((r) => ({
      sourceKind: r.source_kind as SignalSource, sourceId: r.source_id!, reference: jobs.get(r.source_id!)?.jobReference ?? null,
      named: jobs.get(r.source_id!)?.homeNamed ?? notes.get(r.source_id!)?.subjectNamed ?? null, basis: r.basis!.split(',').filter(Boolean) as SignalBasis[], kinds: r.kinds!.split(',').filter(Boolean),
      observedOn: r.observed_on ?? null, evidence: r.evidence!.split('\n').filter(Boolean).map((text) => ({ text, quote: !CODE_EVIDENCE.test(text) })),
      link: `/api/v1/${r.source_kind === 'note' ? 'notes' : 'repairs'}/${r.source_id}`,
    })),
  };
}

/** Record that the register left Hearth as a file (CSV, the CLI). */
export async function auditRegisterExport(ctx: Ctx, r: Pick<DampRegister, 'estate'> & { items: unknown[] }, format: string): Promise<void> {
  await audit(ctx.tx, ctx.actor, { action: 'export', entityKind: 'damp-and-mould-register', detail: { format, homes: r.items.length, estate: r.estate } });
}

// ---- counts, for dashboards and the national hub ----

export interface DampMouldCounts {
  /** Homes with at least one sign of damp or mould, and the signs. */
  homes: number;
  signals: number;
  /** Signals found by each basis (a signal found two ways counts in both). */
  byBasis: Record<SignalBasis, number>;
  /** The last 12 months by the month the sign was observed (UK), oldest first, this month last; months with none included. */
  byMonth: { month: string; signals: number; homes: number }[];
  /** Homes and signals per estate, most homes first ('Not on an estate' for homes on none). */
  byEstate: EstateCount[];
}

export { lastTwelveMonths };

/**
 * Counts of the register: two statements on damp_mould_signals (per home, by its organisation index; per month, by
 * its home index) and one call to the homes module for the estates.
 */
export async function dampMouldCounts(ctx: Ctx): Promise<DampMouldCounts> {
  if (!can(ctx.actor.role, 'records:read')) throw forbidden();
  const org = ctx.actor.organisationId;
  const t = dampMouldSignals;
  const months = lastTwelveMonths();
  const perHome = (await ctx.tx.execute(sql`select ${t.homeId} as home_id, count(*)::int as n,
      count(*) filter (where ${t.basis} like '%text%')::int as text, count(*) filter (where ${t.basis} like '%code%')::int as code,
      count(*) filter (where ${t.basis} like '%hazard%')::int as hazard
    from ${t} where ${t.organisationId} = ${org} and ${t.homeId} is not null group by ${t.homeId}`)).rows as { home_id: string; n: number; text: number; code: number; hazard: number }[];
  const perMonth = (await ctx.tx.execute(sql`select to_char(${t.observedOn}, 'YYYY-MM') as month, count(*)::int as signals, count(distinct ${t.homeId})::int as homes
    from ${t} where ${t.organisationId} = ${org} and ${t.homeId} is not null and ${t.observedOn} >= ${`${months[0]}-01`}::date group by 1`)).rows as { month: string; signals: number; homes: number }[];
  const places = await homePlaces(ctx, perHome.map((h) => h.home_id));
  const byBasis = { text: 0, code: 0, hazard: 0 };
  const estates = new Map<string, EstateCount>();
  let signals = 0;
  for (const h of perHome) {
    signals += Number(h.n);
    byBasis.text += Number(h.text); byBasis.code += Number(h.code); byBasis.hazard += Number(h.hazard);
    const p = places.get(h.home_id);
    const key = p?.estateId ?? 'none';
    const e = estates.get(key) ?? { estateId: p?.estateId ?? null, estateName: p?.estateName ?? 'Not on an estate', homes: 0, signals: 0 };
    e.homes++;
    e.signals += Number(h.n);
    estates.set(key, e);
  }
  const monthly = new Map(perMonth.map((r) => [r.month, r]));
  return {
    homes: perHome.length, signals, byBasis,
    byMonth: months.map((month) => ({ month, signals: Number(monthly.get(month)?.signals ?? 0), homes: Number(monthly.get(month)?.homes ?? 0) })),
    byEstate: [...estates.values()].sort((a, b) => b.homes - a.homes || a.estateName.localeCompare(b.estateName)),
  };
}

/** How many homes have a sign of damp or mould: one index-only count. */
export async function dampMouldHomeCount(ctx: Ctx): Promise<number> {
  if (!can(ctx.actor.role, 'records:read')) throw forbidden();
  const t = dampMouldSignals;
  const [row] = (await ctx.tx.execute(sql`select count(distinct ${t.homeId})::int as n from ${t} where ${t.organisationId} = ${ctx.actor.organisationId}`)).rows as { n: number }[];
  return Number(row?.n ?? 0);
}

/**
 * The national view: every landlord's homes with damp and mould and their signs, one row per landlord, as kept by the
 * signals' writers (damp_mould_counts). For the hub, across organisations: run in a system transaction.
 */
export async function dampMouldByLandlord(tx: Db): Promise<{ organisationId: string; homes: number; signals: number }[]> {
  const t = dampMouldTotals;
  return (await tx.select({ organisationId: t.organisationId, homes: t.homes, signals: t.signals }).from(t).orderBy(t.organisationId));
}

/** The homes with signs of damp or mould, those with the newest sign first (the demo puts its hazard reports there). */
export async function homesWithDampSigns(ctx: Ctx, limit: number): Promise<string[]> {
  return (await ctx.tx.execute(sql`select home_id from damp_mould_signals where organisation_id = ${ctx.actor.organisationId}
    group by home_id order by max(observed_on) desc nulls last, home_id limit ${limit}`)).rows.map((r) => (r as { home_id: string }).home_id);
}
