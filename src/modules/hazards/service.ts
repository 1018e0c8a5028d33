// Hazard reports under Awaab's Law: report a hazard in a home, record what happened to it (investigated, summary sent,
// made safe, further works started, closed, notes), and the clocks each report runs against. Reports are written
// through the record service (kind 'hazard-report'), so other modules hear of them; other modules call this service,
// never these tables.
import { and, asc, eq, like, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { Ctx } from '../../platform/records/context.ts';
import { defineRecords, type ListQuery, type WithReferences } from '../../platform/records/service.ts';
import { can } from '../../platform/auth/roles.ts';
import { notFound, Problem, type FieldError } from '../../platform/http/problem.ts';
import { formatAddress, homeRecords } from '../homes/index.ts';
import { hazardEvents, hazardReports } from './schema.ts';
import { ukDate, type ClockId, type HazardSeverity } from './awaab.ts';
import { lastTwelveMonths } from '../../platform/uk-time.ts';
import { awaabCoverage, hhsrsHazard, isHhsrsCode, type AwaabCoverage } from './hhsrs.ts';
import { CLOCK_IDS, STATUS_TAGS, deadlineKey, hazardClocks, type HazardClock, type HazardClocks, type HazardClockStatus } from './clocks.ts';
import { longDateTime } from './dates.ts';
import { openReportsByClock } from './list.ts';

export type HazardReportRow = typeof hazardReports.$inferSelect;
export type HazardEventRow = typeof hazardEvents.$inferSelect;

export const SEVERITIES = ['emergency', 'significant'] as const;
export const MILESTONES = ['investigated', 'summary-sent', 'made-safe', 'further-works-started', 'closed'] as const;
export const EVENT_KINDS = [...MILESTONES, 'note'] as const;
export const OUTCOMES = ['confirmed', 'not-confirmed'] as const;
export type Milestone = (typeof MILESTONES)[number];
export type EventKind = (typeof EVENT_KINDS)[number];

export const EVENT_LABELS: Record<EventKind | 'reported', string> = {
  reported: 'Reported',
  investigated: 'Investigation ended',
  'summary-sent': 'Written summary sent to the tenant',
  'made-safe': 'Made safe',
  'further-works-started': 'Further works started',
  closed: 'Closed',
  note: 'Note',
};

/** The report column each milestone fills in. */
type MilestoneColumn = 'investigatedAt' | 'summarySentAt' | 'madeSafeAt' | 'furtherWorksStartedAt' | 'closedAt';
const MILESTONE_COLUMN: Record<Milestone, MilestoneColumn> = {
  investigated: 'investigatedAt', 'summary-sent': 'summarySentAt', 'made-safe': 'madeSafeAt', 'further-works-started': 'furtherWorksStartedAt', closed: 'closedAt',
};
/** For a significant hazard these clocks run from the end of the investigation, so it comes first. */
const AFTER_INVESTIGATION: readonly string[] = ['summary-sent', 'made-safe', 'further-works-started'];

/** What can be recorded next: milestones not yet recorded (for a significant hazard, those that run from the
 * investigation only once it is recorded), and notes. */
export function nextEvents(r: Pick<HazardReportRow, 'severity' | MilestoneColumn>): EventKind[] {
  const open = MILESTONES.filter((k) => !r[MILESTONE_COLUMN[k]] && !(r.severity === 'significant' && !r.investigatedAt && AFTER_INVESTIGATION.includes(k)));
  return [...open, 'note'];
}

const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

export const hazardRecords = defineRecords<HazardReportRow>({
  kind: 'hazard-report', label: 'hazard report', table: hazardReports, read: 'records:read', write: 'hazards:write',
  filters: (q: ListQuery) => [
    str(q.homeId) ? eq(hazardReports.homeId, str(q.homeId)!) : undefined,
    str(q.status) ? eq(hazardReports.status, str(q.status)!) : undefined,
  ],
});

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
/** Clocks differ: "now" from a client a little ahead of the server is still now. */
const CLOCK_SKEW_MS = 60_000;
const MINUTE_MS = 60_000;

/** A time from the API (ISO timestamp with Z or an offset) or a page (a Date); undefined when it is neither. */
function timeOf(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value !== 'string' || !TIMESTAMP.test(value)) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function invalidFields(errors: FieldError[]): Problem {
  return new Problem(400, 'Invalid request', errors.map((e) => `${e.field.replace(/^\//, '')}: ${e.message}`).join('; '), errors);
}

/** What a role that may only read hazard reports is told, with what it can do instead. */
export const cannotWrite = () => new Problem(403, 'You cannot log hazard reports',
  'Your role can read hazard reports but not log them or record what happened to them. Ask a housing officer or compliance lead to do it for you, or ask an administrator to change your role.');

function requireWrite(ctx: Ctx) {
  if (!can(ctx.actor.role, 'hazards:write')) throw cannotWrite();
}

export interface ReportHazardInput {
  homeId: string;
  /** An HHSRS hazard code (hhsrs.ts). */
  hazard: string;
  severity: string;
  /**
   * When the landlord was told; an ISO timestamp with Z or an offset, or a Date. Required: the clocks start from it,
   * so a missing time is an error, never taken to be now (issue 13, defect 1).
   */
  reportedAt: string | Date;
  reportedBy?: string | null;
  location?: string | null;
  description: string;
}

/** Every problem with a new report, each naming its field (the API and the form show them all at once). */
export function checkReport(input: Partial<ReportHazardInput>, now: Date): FieldError[] {
  const errors: FieldError[] = [];
  if (!input.hazard || !isHhsrsCode(input.hazard)) errors.push({ field: '/hazard', message: 'must be one of the 29 HHSRS hazard codes, such as damp-and-mould' });
  if (!SEVERITIES.includes(input.severity as HazardSeverity)) errors.push({ field: '/severity', message: 'must be emergency or significant' });
  if (input.reportedAt == null || input.reportedAt === '') {
    errors.push({ field: '/reportedAt', message: 'is required: when the landlord was told, such as 2026-06-01T10:00:00+01:00' });
  } else {
    const at = timeOf(input.reportedAt);
    if (!at) errors.push({ field: '/reportedAt', message: 'must be a date and time with Z or an offset, such as 2026-06-01T10:00:00+01:00' });
    else if (at.getTime() > now.getTime() + CLOCK_SKEW_MS) errors.push({ field: '/reportedAt', message: 'must not be in the future' });
  }
  if (!str(input.description)) errors.push({ field: '/description', message: 'is required: what the hazard is, in the words of whoever reported it' });
  else if (input.description!.length > 20_000) errors.push({ field: '/description', message: 'must be at most 20000 characters' });
  for (const field of ['reportedBy', 'location'] as const) {
    if ((input[field]?.length ?? 0) > 200) errors.push({ field: `/${field}`, message: 'must be at most 200 characters' });
  }
  return errors;
}

/**
 * The next reference for the year the hazard was reported (UK date): HZ-2026-000001, HZ-2026-000002, … per
 * organisation. A transaction-scoped lock per organisation makes two reports at once take different numbers.
 */
async function nextReference(ctx: Ctx, reportedAt: Date): Promise<string> {
  const year = ukDate(reportedAt).slice(0, 4);
  await ctx.tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`hazard-reference:${ctx.actor.organisationId}`}))`);
  const [row] = await ctx.tx.select({ last: sql<string | null>`max(${hazardReports.reference})` }).from(hazardReports)
    .where(and(eq(hazardReports.organisationId, ctx.actor.organisationId), like(hazardReports.reference, `HZ-${year}-%`)));
  const next = row?.last ? Number(row.last.slice(`HZ-${year}-`.length)) + 1 : 1;
  return `HZ-${year}-${String(next).padStart(6, '0')}`;
}

/** Report a hazard in a home of the caller's organisation; records the 'reported' event with it. */
export async function reportHazard(ctx: Ctx, input: ReportHazardInput, now = new Date()): Promise<WithReferences<HazardReportRow>> {
  requireWrite(ctx);
  const errors = checkReport(input, now);
  if (errors.length) throw invalidFields(errors);
  await homeRecords.get(ctx, input.homeId); // 404 unless the home is the caller's organisation's
  const reportedAt = timeOf(input.reportedAt)!; // checkReport: present and a real time
  const row = await hazardRecords.create(ctx, {
    homeId: input.homeId, reference: await nextReference(ctx, reportedAt), hazard: input.hazard, severity: input.severity, reportedAt,
    reportedBy: str(input.reportedBy) ?? null, location: str(input.location) ?? null, description: input.description.trim(),
  });
  await ctx.tx.insert(hazardEvents).values({
    organisationId: ctx.actor.organisationId, id: uuidv7(), hazardReportId: row.id, kind: 'reported', occurredAt: reportedAt, recordedBy: ctx.actor.name,
  });
  return row;
}

export interface RecordEventInput {
  kind: string;
  /** When it happened: an ISO timestamp with Z or an offset, or a Date. */
  occurredAt: string | Date;
  /** For 'investigated': confirmed or not-confirmed. */
  outcome?: string | null;
  note?: string | null;
}

const sameTime = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

/**
 * Record what happened to a report. A milestone is recorded once: the same milestone sent again with the same time
 * (and outcome) is a no-op returning the first (created: false); with a different time it is a 409. A note sent twice
 * with the same time and words is recorded once. Milestones update the report through the record service.
 */
export async function recordEvent(ctx: Ctx, reportId: string, input: RecordEventInput, now = new Date()): Promise<{ event: HazardEventRow; created: boolean }> {
  requireWrite(ctx);
  const org = ctx.actor.organisationId;
  const [report] = await ctx.tx.select().from(hazardReports)
    .where(and(eq(hazardReports.organisationId, org), eq(hazardReports.id, reportId))).for('update');
  if (!report) throw notFound('hazard report');

  const kind = input.kind as EventKind;
  const errors: FieldError[] = [];
  if (!EVENT_KINDS.includes(kind)) errors.push({ field: '/kind', message: `must be one of: ${EVENT_KINDS.join(', ')}` });
  const outcome = str(input.outcome) ?? null;
  if (kind === 'investigated' && !OUTCOMES.includes(outcome as never)) errors.push({ field: '/outcome', message: 'is required for investigated: confirmed or not-confirmed' });
  if (kind !== 'investigated' && outcome !== null) errors.push({ field: '/outcome', message: 'is only for investigated' });
  const note = str(input.note) ?? null;
  if (kind === 'note' && !note) errors.push({ field: '/note', message: 'is required for a note' });
  if (note && note.length > 20_000) errors.push({ field: '/note', message: 'must be at most 20000 characters' });
  const occurredAt = timeOf(input.occurredAt);
  if (!occurredAt) errors.push({ field: '/occurredAt', message: 'must be a date and time with Z or an offset, such as 2026-06-01T10:00:00+01:00' });
  else if (occurredAt.getTime() > now.getTime() + CLOCK_SKEW_MS) errors.push({ field: '/occurredAt', message: 'must not be in the future' });
  // To the minute: a form gives hours and minutes, so "the same minute as the report" is not before it.
  else if (occurredAt.getTime() < Math.floor(report.reportedAt.getTime() / MINUTE_MS) * MINUTE_MS) {
    errors.push({ field: '/occurredAt', message: `must not be before the hazard was reported (${longDateTime(report.reportedAt)})` });
  }
  if (errors.length) throw invalidFields(errors);

  const same = await ctx.tx.select().from(hazardEvents)
    .where(and(eq(hazardEvents.organisationId, org), eq(hazardEvents.hazardReportId, reportId), eq(hazardEvents.kind, kind)));
  if (kind === 'note') {
    const twin = same.find((e) => sameTime(e.occurredAt, occurredAt!) && e.note === note);
    if (twin) return { event: twin, created: false };
  } else if (same[0]) {
    const first = same[0];
    if (sameTime(first.occurredAt, occurredAt!) && first.outcome === outcome) return { event: first, created: false };
    const was = `${longDateTime(first.occurredAt)}${first.outcome ? ` (${first.outcome})` : ''}`;
    throw new Problem(409, 'Already recorded', `${EVENT_LABELS[kind]} is already recorded for ${report.reference}: ${was}. A milestone is recorded once; add a note to say what was wrong with it.`,
      [{ field: '/occurredAt', message: `${EVENT_LABELS[kind].toLowerCase()} is already recorded as ${was}` }]);
  }
  if (report.severity === 'significant' && AFTER_INVESTIGATION.includes(kind)) {
    if (!report.investigatedAt) {
      throw new Problem(409, 'Investigation first', `Record the end of the investigation of ${report.reference} first: for a significant hazard, the written summary, making safe and further works run from it.`,
        [{ field: '/kind', message: 'needs the investigation recorded first' }]);
    }
    if (kind === 'summary-sent' && occurredAt!.getTime() < report.investigatedAt.getTime()) {
      throw invalidFields([{ field: '/occurredAt', message: `must not be before the investigation ended (${longDateTime(report.investigatedAt)})` }]);
    }
  }

  const [event] = await ctx.tx.insert(hazardEvents).values({
    organisationId: org, id: uuidv7(), hazardReportId: reportId, kind, occurredAt: occurredAt!, recordedBy: ctx.actor.name, outcome, note,
  }).returning();
  if (kind !== 'note') {
    const patch: Record<string, unknown> = { [MILESTONE_COLUMN[kind]]: occurredAt };
    if (kind === 'investigated') patch.investigationOutcome = outcome;
    if (kind === 'closed') patch.status = 'closed';
    await hazardRecords.update(ctx, reportId, report.version, patch);
  }
  return { event: event!, created: true };
}

/** What assessHazard needs from a stored report. */
function factsOf(r: HazardReportRow) {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    reportedAt: r.reportedAt.toISOString(), severity: r.severity as HazardSeverity, investigatedAt: iso(r.investigatedAt),
    investigationOutcome: r.investigationOutcome, summarySentAt: iso(r.summarySentAt), madeSafeAt: iso(r.madeSafeAt), furtherWorksStartedAt: iso(r.furtherWorksStartedAt),
  };
}

export interface HazardReportView extends HazardClocks {
  report: WithReferences<HazardReportRow>;
  hazardLabel: string;
  awaab: AwaabCoverage;
  home: { id: string; address: string };
  /** Oldest first. */
  events: HazardEventRow[];
}

/** A report with its events and every clock as of `now`. */
export async function hazardReport(ctx: Ctx, id: string, now: Date | string = new Date()): Promise<HazardReportView> {
  const report = await hazardRecords.get(ctx, id);
  const events = await ctx.tx.select().from(hazardEvents)
    .where(and(eq(hazardEvents.organisationId, ctx.actor.organisationId), eq(hazardEvents.hazardReportId, id)))
    .orderBy(asc(hazardEvents.occurredAt), asc(hazardEvents.recordedAt), asc(hazardEvents.id));
  const [home] = await homeRecords.getMany(ctx, [report.homeId]);
  return {
    report, events, hazardLabel: hhsrsHazard(report.hazard)?.label ?? report.hazard, awaab: awaabCoverage(report.hazard, report.severity as HazardSeverity),
    home: { id: report.homeId, address: home ? formatAddress(home) : '' }, ...hazardClocks(factsOf(report), now),
  };
}

export interface HomeHazard extends HazardReportRow {
  hazardLabel: string;
  /** 'closed', else the most pressing clock status. */
  state: HazardClockStatus | 'closed';
  tag: { text: string; classes: string };
}

/** A home's hazard reports, newest first, each with its state for a list. */
export async function hazardsOfHome(ctx: Ctx, homeId: string, now = new Date()): Promise<HomeHazard[]> {
  const rows = await hazardRecords.find(ctx, eq(hazardReports.homeId, homeId));
  return rows.sort((a, b) => b.reportedAt.getTime() - a.reportedAt.getTime()).map((r) => {
    const state = r.status === 'closed' ? 'closed' : hazardClocks(factsOf(r), now).worst;
    return { ...r, hazardLabel: hhsrsHazard(r.hazard)?.label ?? r.hazard, state, tag: STATUS_TAGS[state] };
  });
}

export interface ClockListEntry {
  id: string;
  reference: string;
  homeId: string;
  homeAddress: string;
  hazard: string;
  hazardLabel: string;
  severity: string;
  reportedAt: string;
  /** The clocks that put the report on the list (overdue ones, or due-soon ones), soonest deadline first. */
  clocks: HazardClock[];
  self: string;
}

export interface BreachCounts {
  /** Clocks breached (done late) or overdue (not done, past the deadline), over every report, open or closed. */
  total: number;
  byClock: Record<ClockId, number>;
}

export interface ClockLists {
  asOf: string;
  /** Open reports with a clock past its deadline, most overdue first. */
  overdue: ClockListEntry[];
  /** Open reports with nothing overdue and a clock due within one working day, soonest first. */
  dueSoon: ClockListEntry[];
  breaches: BreachCounts;
}

/** Every report of the organisation with its clocks as of `now`. */
async function assessAll(ctx: Ctx, now: Date) {
  const rows = await hazardRecords.find(ctx, sql`true`, 1_000_000);
  return rows.map((r) => ({ row: r, assessed: hazardClocks(factsOf(r), now) }));
}

const isBreach = (c: HazardClock) => c.status === 'breached' || c.status === 'overdue';

/** Clocks breached or overdue over these reports, per clock. */
function breachCounts(all: { assessed: { clocks: HazardClock[] } }[]): BreachCounts {
  const byClock = Object.fromEntries(CLOCK_IDS.map((id) => [id, 0])) as Record<ClockId, number>;
  for (const { assessed } of all) for (const c of assessed.clocks) if (isBreach(c)) byClock[c.id]++;
  return { total: Object.values(byClock).reduce((a, b) => a + b, 0), byClock };
}

/** The due-soon and overdue lists and the breach counts, as of `now`. */
export async function clockLists(ctx: Ctx, now: Date = new Date()): Promise<ClockLists> {
  const all = await assessAll(ctx, now);
  const open = all.filter((x) => x.row.status === 'open');
  const pick = (status: HazardClockStatus) => open
    .map(({ row, assessed }) => ({ row, clocks: assessed.clocks.filter((c) => c.status === status).sort((a, b) => deadlineKey(a).localeCompare(deadlineKey(b))) }))
    .filter((x) => x.clocks.length)
    .sort((a, b) => deadlineKey(a.clocks[0]!).localeCompare(deadlineKey(b.clocks[0]!)));
  const overdue = pick('overdue');
  const overdueIds = new Set(overdue.map((x) => x.row.id));
  const dueSoon = pick('due-soon').filter((x) => !overdueIds.has(x.row.id));
  const homes = new Map((await homeRecords.getMany(ctx, [...new Set([...overdue, ...dueSoon].map((x) => x.row.homeId))])).map((h) => [h.id, formatAddress(h)]));
  const entry = ({ row, clocks }: { row: HazardReportRow; clocks: HazardClock[] }): ClockListEntry => ({
    id: row.id, reference: row.reference, homeId: row.homeId, homeAddress: homes.get(row.homeId) ?? '', hazard: row.hazard,
    hazardLabel: hhsrsHazard(row.hazard)?.label ?? row.hazard, severity: row.severity, reportedAt: row.reportedAt.toISOString(), clocks, self: `/hazards/${row.id}`,
  });
  return {
    asOf: now.toISOString(), overdue: overdue.map(entry), dueSoon: dueSoon.map(entry),
    breaches: breachCounts(all),
  };
}

export interface HazardSummary {
  asOf: string;
  open: number;
  /** Open reports with a clock overdue. */
  overdue: number;
  /** Open reports with nothing overdue and a clock due within one working day. */
  dueSoon: number;
  /** Clocks breached or overdue whose deadline falls in this calendar year (UK). */
  breachesThisYear: number;
  /** Reports by the UK month they were reported, the last 12 months (this one last), months with none included. */
  byMonth: { month: string; reported: number }[];
  /** Clocks breached or overdue over every report, open or closed (as in the clock lists). */
  breaches: BreachCounts;
}

/** Counts for a dashboard, as of `now`. */
export async function hazardSummary(ctx: Ctx, now: Date = new Date()): Promise<HazardSummary> {
  const all = await assessAll(ctx, now);
  const year = ukDate(now).slice(0, 4);
  // The same count as the list each figure links to (/hazards?status=open, …&clock=overdue, …&clock=due-soon).
  const open = await openReportsByClock(ctx, now);
  let breachesThisYear = 0;
  for (const { assessed } of all) {
    for (const c of assessed.clocks) {
      const deadlineDay = c.deadlineKind === 'date' ? c.deadline : c.deadline && ukDate(new Date(c.deadline));
      if (isBreach(c) && deadlineDay?.startsWith(year)) breachesThisYear++;
    }
  }
  const months = lastTwelveMonths(ukDate(now));
  const counts = new Map(months.map((k) => [k, 0]));
  for (const { row } of all) {
    const k = ukDate(row.reportedAt).slice(0, 7);
    if (counts.has(k)) counts.set(k, counts.get(k)! + 1);
  }
  return { asOf: now.toISOString(), open: open.open, overdue: open.overdue, dueSoon: open['due-soon'], breachesThisYear, byMonth: months.map((month) => ({ month, reported: counts.get(month)! })),
    breaches: breachCounts(all) };
}

/** Damp and mould, for a period (UK dates, both included), as the national hub's measures count it (issue 16). */
export interface DampMouldMeasures {
  /** Damp and mould hazard reports open at the end of the period (reported by then, not closed by then). */
  openCases: number;
  /** Awaab's Law deadlines of damp and mould reports that fell due in the period: met, and missed (done late, or not done). */
  clocksMet: number;
  clocksMissed: number;
}

/**
 * Counts only (no report, home or words), for a landlord's published measures. `now`: the clocks' point of view;
 * a deadline still running at `now` is neither met nor missed yet.
 */
export async function dampMouldMeasures(ctx: Ctx, period: { from: string; to: string }, now: Date = new Date()): Promise<DampMouldMeasures> {
  const rows = await hazardRecords.find(ctx, eq(hazardReports.hazard, 'damp-and-mould'), 1_000_000);
  let openCases = 0;
  let clocksMet = 0;
  let clocksMissed = 0;
  for (const r of rows) {
    const reported = ukDate(r.reportedAt);
    const closed = r.closedAt ? ukDate(r.closedAt) : null;
    if (reported <= period.to && (closed === null || closed > period.to)) openCases++;
    for (const c of hazardClocks(factsOf(r), now).clocks) {
      const day = c.deadlineKind === 'date' ? c.deadline : c.deadline && ukDate(new Date(c.deadline));
      if (!day || day < period.from || day > period.to) continue;
      if (c.status === 'met') clocksMet++;
      else if (c.status === 'breached' || c.status === 'overdue') clocksMissed++;
    }
  }
  return { openCases, clocksMet, clocksMissed };
}
