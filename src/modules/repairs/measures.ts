// Repairs performance for a period: the Tenant Satisfaction Measure RP02 (repairs completed within target timescale),
// end-to-end days and first-time fix, with the same figures month by month for the insight dashboard's chart.
//
// RP02, as the Regulator of Social Housing's Tenant Satisfaction Measures technical requirements (April 2023) define it:
//   RP02 (1) proportion of non-emergency responsive repairs completed within the landlord's target timescale;
//   RP02 (2) proportion of emergency responsive repairs completed within the landlord's target timescale.
// Each is the repairs of its kind completed in the period (by completion date, whenever reported) that were completed
// within the landlord's own target timescale for their priority, over all repairs of that kind completed in the
// period; what counts as an emergency and what the targets are is the landlord's to set (here: the repair settings'
// priorities). Cancelled jobs were never completed and are not counted.
//
// Two kinds of row are repairs here (schema.ts): work orders raised in Hearth (workStatus set) and imported history
// (workStatus null). For a work order: completed = status complete, on the UK date of completedAt; emergency = its
// priority is marked emergency in the version of the repair settings it was triaged with; within target = completedAt
// on or before dueAt (the priority's target from when it was raised). For history:
// completed = completedDate; emergency = the priority's words say "emergency" or "immediate"; within target =
// completedDate on or before targetDate. A repair with no target recorded cannot be judged either way: it is counted
// apart ("no target recorded") and left out of both sides of the proportion, so the figure says what it rests on.
// A follow-on work order is a repair of its own (raised and completed against its own target).
import { and, asc, eq, gte, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import type { Ctx } from '../../platform/records/context.ts';
import { can } from '../../platform/auth/roles.ts';
import { forbidden, invalid } from '../../platform/http/problem.ts';
import { isCalendarDate } from '../../platform/http/formats.ts';
import { ukDate } from '../../platform/uk-time.ts';
import { repairs, repairSettings } from './schema.ts';
import type { RepairSettings } from './rules/settings.ts';
import { DEFAULT_REPAIR_SETTINGS } from './rules/default-settings.ts';

/** A calendar date, YYYY-MM-DD (UK). */
export type IsoDate = string;

/** Repairs of one kind completed in a period, judged against their target. */
export interface TargetMeasure {
  /** Completed within target: the numerator. */
  withinTarget: number;
  /** Completed after their target. */
  late: number;
  /** Completed with a target recorded: the denominator (withinTarget + late). */
  withTarget: number;
  /** Completed with no target recorded: not in the proportion. */
  noTarget: number;
  /** withinTarget / withTarget as a percentage to one decimal place; null when nothing had a target. */
  percent: number | null;
}

export interface MonthMeasure {
  /** YYYY-MM (UK) */
  month: string;
  emergency: TargetMeasure;
  nonEmergency: TargetMeasure;
}

export interface RepairMeasures {
  from: IsoDate;
  to: IsoDate;
  asOf: string;
  /** Repairs completed in the period: work orders raised in Hearth and imported history. */
  completed: { total: number; workOrders: number; imported: number };
  /** RP02 (2): emergency repairs completed within target. */
  emergency: TargetMeasure;
  /** RP02 (1): non-emergency repairs completed within target. */
  nonEmergency: TargetMeasure;
  /** Calendar days from the day reported to the day completed (UK dates; the same day is 0), over repairs with both. */
  endToEnd: { repairs: number; meanDays: number | null; medianDays: number | null; noReportedDate: number };
  /** Work orders raised in Hearth completed in the period, and those fixed at the first visit with no follow-on. */
  firstTimeFix: { workOrders: number; firstTimeFix: number; percent: number | null };
  /** The 12 months ending with the month of `to`, oldest first, months with none included. */
  byMonth: MonthMeasure[];
}

/** What is known of one completed repair, whichever kind of row it came from. */
interface Completed {
  day: IsoDate;
  emergency: boolean;
  /** null: no target recorded. */
  withinTarget: boolean | null;
  reportedDay: IsoDate | null;
  workOrder: boolean;
  firstTimeFix: boolean | null;
}

/** Imported history: the priority's own words decide (the source system's codes are not Hearth's settings). */
export const EMERGENCY_WORDS = /emergency|immediate/i;

const percent = (n: number, d: number) => (d ? Math.round((n / d) * 1000) / 10 : null);
const dayNumber = (d: IsoDate) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10))) / 86_400_000;
const DAY_MS = 86_400_000;

function months12(to: IsoDate): string[] {
  const y = Number(to.slice(0, 4));
  const m = Number(to.slice(5, 7));
  return Array.from({ length: 12 }, (_, i) => new Date(Date.UTC(y, m - 12 + i, 1)).toISOString().slice(0, 7));
}

function tally(rows: readonly Completed[]): TargetMeasure {
  const withinTarget = rows.filter((r) => r.withinTarget === true).length;
  const late = rows.filter((r) => r.withinTarget === false).length;
  return { withinTarget, late, withTarget: withinTarget + late, noTarget: rows.filter((r) => r.withinTarget === null).length, percent: percent(withinTarget, withinTarget + late) };
}

function median(values: readonly number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

type EmergencyFlags = Map<string, boolean>;

const flagsOf = (document: unknown): EmergencyFlags => new Map(
  ((document as Partial<RepairSettings> | null)?.priorities ?? []).map((p) => [p.code, p.emergency === true]));

/**
 * Which priority codes are emergencies, in each version of the landlord's repair settings (version 0: the shipped
 * default), so a work order is judged by the settings it was triaged with. Read here rather than through
 * settings-service.ts: the measures are for every role that reads records (analysts, compliance leads), which the
 * settings' own readers are not, and only the priorities' flags are used.
 */
async function emergencyFlags(ctx: Ctx): Promise<{ byVersion: Map<number, EmergencyFlags>; current: EmergencyFlags }> {
  const rows = await ctx.tx.select({ version: repairSettings.version, document: repairSettings.document }).from(repairSettings)
    .where(eq(repairSettings.organisationId, ctx.actor.organisationId)).orderBy(asc(repairSettings.version));
  const byVersion = new Map<number, EmergencyFlags>([[0, flagsOf(DEFAULT_REPAIR_SETTINGS)], ...rows.map((r) => [r.version, flagsOf(r.document)] as const)]);
  return { byVersion, current: byVersion.get(rows.at(-1)?.version ?? 0)! };
}

function checkPeriod(from: string, to: string) {
  if (!isCalendarDate(from)) throw invalid('/from', 'must be a date (YYYY-MM-DD)');
  if (!isCalendarDate(to)) throw invalid('/to', 'must be a date (YYYY-MM-DD)');
  if (to < from) throw invalid('/to', 'must be on or after from');
}

/**
 * RP02 and the other repairs measures for repairs completed from `from` to `to` (UK dates, both included), with the
 * monthly figures for the 12 months ending with the month of `to`.
 */
export async function repairMeasures(ctx: Ctx, period: { from: IsoDate; to: IsoDate; now?: Date }): Promise<RepairMeasures> {
  if (!can(ctx.actor.role, 'records:read')) throw forbidden();
  const { from, to } = period;
  checkPeriod(from, to);
  const months = months12(to);
  const first = `${months[0]}-01` < from ? `${months[0]}-01` : from;
  const flags = await emergencyFlags(ctx);

  // A UK date's instants lie within a day either side of the same UTC date; the exact UK date is checked below.
  const fromInstant = new Date(dayNumber(first) * DAY_MS - DAY_MS);
  const toInstant = new Date(dayNumber(to) * DAY_MS + 2 * DAY_MS);
  const rows = await ctx.tx.select({
    workStatus: repairs.workStatus, status: repairs.status, priority: repairs.priority, priorityCode: repairs.priorityCode,
    reportedDate: repairs.reportedDate, completedDate: repairs.completedDate, targetDate: repairs.targetDate,
    raisedAt: repairs.raisedAt, dueAt: repairs.dueAt, completedAt: repairs.completedAt, firstTimeFix: repairs.firstTimeFix, settingsVersion: repairs.settingsVersion,
  }).from(repairs).where(and(eq(repairs.organisationId, ctx.actor.organisationId), or(
    and(eq(repairs.workStatus, 'complete'), isNotNull(repairs.completedAt), gte(repairs.completedAt, fromInstant), lte(repairs.completedAt, toInstant)),
    and(isNull(repairs.workStatus), gte(repairs.completedDate, first), lte(repairs.completedDate, to),
      // An imported job marked cancelled was never done, whatever date its source put beside it.
      sql`coalesce(${repairs.status}, '') not ilike '%cancel%'`),
  )));

  const completed: Completed[] = rows.map((r) => {
    if (r.workStatus !== null) {
      // The settings it was triaged with; a code they do not hold is judged by its words, as history is.
      const known = (r.settingsVersion !== null ? flags.byVersion.get(r.settingsVersion) : undefined) ?? flags.current;
      const code = r.priorityCode ?? '';
      const emergency = known.get(code) ?? EMERGENCY_WORDS.test(code);
      return {
        day: ukDate(r.completedAt!), emergency, withinTarget: r.dueAt ? r.completedAt!.getTime() <= r.dueAt.getTime() : null,
        reportedDay: r.reportedDate ?? (r.raisedAt ? ukDate(r.raisedAt) : null), workOrder: true, firstTimeFix: r.firstTimeFix,
      };
    }
    return {
      day: r.completedDate!, emergency: EMERGENCY_WORDS.test(r.priority ?? ''), withinTarget: r.targetDate ? r.completedDate! <= r.targetDate : null,
      reportedDay: r.reportedDate, workOrder: false, firstTimeFix: null,
    };
  });

  const inPeriod = completed.filter((c) => c.day >= from && c.day <= to);
  const days = inPeriod.filter((c) => c.reportedDay !== null).map((c) => dayNumber(c.day) - dayNumber(c.reportedDay!));
  const workOrders = inPeriod.filter((c) => c.workOrder);
  const fixed = workOrders.filter((c) => c.firstTimeFix === true).length;
  const mean = days.length ? Math.round((days.reduce((a, b) => a + b, 0) / days.length) * 10) / 10 : null;
  return {
    from, to, asOf: (period.now ?? new Date()).toISOString(),
    completed: { total: inPeriod.length, workOrders: workOrders.length, imported: inPeriod.length - workOrders.length },
    emergency: tally(inPeriod.filter((c) => c.emergency)),
    nonEmergency: tally(inPeriod.filter((c) => !c.emergency)),
    endToEnd: { repairs: days.length, meanDays: mean, medianDays: median(days), noReportedDate: inPeriod.length - days.length },
    firstTimeFix: { workOrders: workOrders.length, firstTimeFix: fixed, percent: percent(fixed, workOrders.length) },
    byMonth: months.map((month) => {
      const of = completed.filter((c) => c.day.startsWith(month) && c.day <= to);
      return { month, emergency: tally(of.filter((c) => c.emergency)), nonEmergency: tally(of.filter((c) => !c.emergency)) };
    }),
  };
}
