// Every hazard report of the organisation as one list (issue 13, defect 2): filtered by status, by where its clocks
// stand, by estate, by the user's patch and by reference. The dashboard's figures, the list at /hazards, the worklists
// and search all count and find reports here, so a figure and the list it links to cannot disagree.
import { and, desc, eq, ilike, sql, type SQL } from 'drizzle-orm';
import type { Ctx } from '../../platform/records/context.ts';
import { can } from '../../platform/auth/roles.ts';
import { forbidden } from '../../platform/http/problem.ts';
import { escapeLike } from '../../platform/db/like.ts';
import { formatAddress, homeIdsOnEstates, homeRecords } from '../homes/index.ts';
import { hazardReports } from './schema.ts';
import { hhsrsHazard } from './hhsrs.ts';
import { deadlineKey, hazardClocks, STATUS_TAGS, type HazardClock } from './clocks.ts';
import type { HazardSeverity } from './awaab.ts';

export const LIST_STATUSES = ['open', 'closed', 'all'] as const;
export type ListStatus = (typeof LIST_STATUSES)[number];

/**
 * Where a report's Awaab's Law clocks stand, one of four (every report is in exactly one):
 * overdue  — open, a deadline passed and the step not done;
 * due-soon — open, nothing overdue, a deadline today or the next working day;
 * on-time  — open, a clock still running and none overdue or due soon;
 * stopped  — closed, or every clock done (in time or late) or not applicable.
 */
export const CLOCK_STATES = ['overdue', 'due-soon', 'on-time', 'stopped'] as const;
export type ClockState = (typeof CLOCK_STATES)[number];

export const CLOCK_STATE_LABELS: Record<ClockState, string> = {
  overdue: 'Past a deadline', 'due-soon': 'Due soon', 'on-time': 'On time', stopped: 'Clocks stopped',
};
export const CLOCK_STATE_TAGS: Record<ClockState, { text: string; classes: string; colour: 'red' | 'yellow' | 'green' | 'grey' }> = {
  overdue: { text: 'Overdue', classes: 'govuk-tag--red', colour: 'red' },
  'due-soon': { text: 'Due soon', classes: 'govuk-tag--yellow', colour: 'yellow' },
  'on-time': { text: 'On time', classes: 'govuk-tag--green', colour: 'green' },
  stopped: { text: 'Clocks stopped', classes: 'govuk-tag--grey', colour: 'grey' },
};
export const REPORT_STATUS_TAGS: Record<'open' | 'closed', { text: string; classes: string }> = {
  open: { text: 'Open', classes: 'govuk-tag--blue' },
  closed: STATUS_TAGS.closed,
};

type ReportFacts = Pick<typeof hazardReports.$inferSelect, 'id' | 'reference' | 'homeId' | 'hazard' | 'severity' | 'status' | 'reportedAt'
  | 'investigatedAt' | 'investigationOutcome' | 'summarySentAt' | 'madeSafeAt' | 'furtherWorksStartedAt'>;

/** Where a report's clocks stand (CLOCK_STATES), given its clocks as of now. */
export function clockStateOf(status: string, clocks: readonly HazardClock[]): ClockState {
  if (status === 'closed') return 'stopped';
  if (clocks.some((c) => c.status === 'overdue')) return 'overdue';
  if (clocks.some((c) => c.status === 'due-soon')) return 'due-soon';
  if (clocks.some((c) => c.status === 'due' || c.status === 'not-started')) return 'on-time';
  return 'stopped';
}

export interface HazardListFilter {
  /** Default open. */
  status?: ListStatus;
  clock?: ClockState;
  /** Only reports about homes on this estate. */
  estateId?: string;
  /** Only reports about these homes (the user's patch); null or absent for everywhere. */
  homeIds?: readonly string[] | null;
  /** A reference, or its start ("HZ-2026-0001"), any case. */
  q?: string;
}

export interface ListedReport {
  id: string;
  reference: string;
  homeId: string;
  hazard: string;
  /** The HHSRS hazard's plain name. */
  hazardLabel: string;
  severity: string;
  status: 'open' | 'closed';
  reportedAt: Date;
  clockState: ClockState;
  /** The clocks that put it where it is (overdue or due-soon ones), soonest deadline first; else every clock. */
  clocks: HazardClock[];
}

const REFERENCE_CHARS = /[^A-Za-z0-9-]/g;

/** The reference search as typed, cut to what a reference can hold ("hz-2026-12" stays; spaces and the rest go). */
export const referenceTerm = (q: string | undefined) => (q ?? '').trim().replace(REFERENCE_CHARS, '').slice(0, 40);

/**
 * Every report matching the filter, as of `now`, each with where its clocks stand. Status, homes and reference are
 * asked of the database; the clocks are worked out here (awaab.ts). Unsorted.
 */
async function matching(ctx: Ctx, filter: HazardListFilter, now: Date): Promise<ListedReport[]> {
  if (!can(ctx.actor.role, 'records:read')) throw forbidden('Your role cannot read hazard reports. Ask an administrator to change your role');
  const where: (SQL | undefined)[] = [eq(hazardReports.organisationId, ctx.actor.organisationId)];
  const status = filter.status ?? 'open';
  if (status !== 'all') where.push(eq(hazardReports.status, status));
  let homeIds: readonly string[] | null = filter.homeIds ?? null;
  if (filter.estateId) {
    const onEstate = await homeIdsOnEstates(ctx, [filter.estateId]);
    homeIds = homeIds ? onEstate.filter((id) => new Set(homeIds).has(id)) : onEstate;
  }
  if (homeIds) where.push(sql`${hazardReports.homeId} = any(${sql.param([...homeIds])}::uuid[])`);
  const term = referenceTerm(filter.q);
  if (filter.q !== undefined && filter.q.trim() && !term) return [];
  if (term) where.push(ilike(hazardReports.reference, `${escapeLike(term)}%`));
  const rows: ReportFacts[] = await ctx.tx.select({
    id: hazardReports.id, reference: hazardReports.reference, homeId: hazardReports.homeId, hazard: hazardReports.hazard, severity: hazardReports.severity,
    status: hazardReports.status, reportedAt: hazardReports.reportedAt, investigatedAt: hazardReports.investigatedAt, investigationOutcome: hazardReports.investigationOutcome,
    summarySentAt: hazardReports.summarySentAt, madeSafeAt: hazardReports.madeSafeAt, furtherWorksStartedAt: hazardReports.furtherWorksStartedAt,
  }).from(hazardReports).where(and(...where));
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  const out: ListedReport[] = [];
  for (const r of rows) {
    const { clocks } = hazardClocks({
      reportedAt: r.reportedAt.toISOString(), severity: r.severity as HazardSeverity, investigatedAt: iso(r.investigatedAt), investigationOutcome: r.investigationOutcome,
      summarySentAt: iso(r.summarySentAt), madeSafeAt: iso(r.madeSafeAt), furtherWorksStartedAt: iso(r.furtherWorksStartedAt),
    }, now);
    const clockState = clockStateOf(r.status, clocks);
    if (filter.clock && filter.clock !== clockState) continue;
    const pressing = clockState === 'overdue' || clockState === 'due-soon'
      ? clocks.filter((c) => c.status === clockState).sort((a, b) => deadlineKey(a).localeCompare(deadlineKey(b))) : clocks;
    out.push({ id: r.id, reference: r.reference, homeId: r.homeId, hazard: r.hazard, hazardLabel: hhsrsHazard(r.hazard)?.label ?? r.hazard, severity: r.severity,
      status: r.status === 'closed' ? 'closed' : 'open', reportedAt: r.reportedAt, clockState, clocks: pressing });
  }
  return out;
}

const newestFirst = (a: ListedReport, b: ListedReport) => b.reportedAt.getTime() - a.reportedAt.getTime() || b.reference.localeCompare(a.reference);
/** The report whose most pressing deadline comes first (most overdue, or soonest due), then the newest. */
const deadlineFirst = (a: ListedReport, b: ListedReport) => deadlineKey(a.clocks[0] ?? { deadline: null, deadlineKind: 'date' })
  .localeCompare(deadlineKey(b.clocks[0] ?? { deadline: null, deadlineKind: 'date' })) || newestFirst(a, b);

/**
 * How many reports match the filter, as of `now`: the one count behind the dashboard's figures ("Open hazard
 * reports" is countHazardReports(ctx, { status: 'open' })) and the list each links to.
 */
export async function countHazardReports(ctx: Ctx, filter: HazardListFilter = {}, now: Date = new Date()): Promise<number> {
  return (await matching(ctx, filter, now)).length;
}

/** How many open reports are in each clock state, as of `now` (the dashboard's figures, from the same list). */
export async function openReportsByClock(ctx: Ctx, now: Date = new Date()): Promise<{ open: number } & Record<ClockState, number>> {
  const all = await matching(ctx, { status: 'open' }, now);
  const by = Object.fromEntries(CLOCK_STATES.map((s) => [s, all.filter((r) => r.clockState === s).length])) as Record<ClockState, number>;
  return { open: all.length, ...by };
}

export const LIST_PAGE = 50;

export interface HazardListPage {
  asOf: string;
  total: number;
  page: number;
  pages: number;
  limit: number;
  items: (ListedReport & { homeAddress: string })[];
}

/**
 * One page of the reports matching the filter, as of `now`, with each home's address. `order`: newest first (the
 * list), or the most pressing deadline first (the worklists).
 */
export async function hazardReportList(ctx: Ctx, filter: HazardListFilter, options: { page?: number; limit?: number; order?: 'newest' | 'deadline' } = {},
  now: Date = new Date()): Promise<HazardListPage> {
  const all = (await matching(ctx, filter, now)).sort(options.order === 'deadline' ? deadlineFirst : newestFirst);
  const limit = Math.min(Math.max(options.limit ?? LIST_PAGE, 1), 500);
  const pages = Math.max(1, Math.ceil(all.length / limit));
  const page = Math.min(Math.max(Math.trunc(options.page ?? 1), 1), pages);
  const slice = all.slice((page - 1) * limit, page * limit);
  const homes = new Map((await homeRecords.getMany(ctx, [...new Set(slice.map((r) => r.homeId))])).map((h) => [h.id, formatAddress(h)]));
  return { asOf: now.toISOString(), total: all.length, page, pages, limit, items: slice.map((r) => ({ ...r, homeAddress: homes.get(r.homeId) ?? '' })) };
}

/**
 * Hazard reports whose reference is the term or starts with it (any case), newest first: for search. `hazard` is the
 * hazard's plain name.
 */
export async function searchHazardReports(ctx: Ctx, term: string, limit: number): Promise<{ id: string; reference: string; hazard: string; status: string; reportedAt: Date; homeId: string }[]> {
  if (!can(ctx.actor.role, 'records:read')) throw forbidden('Your role cannot read hazard reports. Ask an administrator to change your role');
  const q = referenceTerm(term);
  if (!q || limit < 1) return [];
  const rows = await ctx.tx.select({ id: hazardReports.id, reference: hazardReports.reference, hazard: hazardReports.hazard, status: hazardReports.status,
    reportedAt: hazardReports.reportedAt, homeId: hazardReports.homeId }).from(hazardReports)
    .where(and(eq(hazardReports.organisationId, ctx.actor.organisationId), ilike(hazardReports.reference, `${escapeLike(q)}%`)))
    .orderBy(sql`lower(${hazardReports.reference}) = ${q.toLowerCase()} desc`, desc(hazardReports.reportedAt), desc(hazardReports.reference))
    .limit(Math.min(limit, 500));
  return rows.map((r) => ({ ...r, hazard: hhsrsHazard(r.hazard)?.label ?? r.hazard, status: r.status === 'closed' ? 'closed' : 'open' }));
}
