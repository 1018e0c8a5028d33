/**
 * Awaab's Law clocks for a hazard report: pure computation, no database.
 *
 * Rules (source: ../shared/domain.md, "Awaab's Law (in force 27 Oct 2025)", which
 * summarises the Hazards in Social Housing (Prescribed Requirements) (England)
 * Regulations 2025):
 *   Emergency hazard   — investigate within 24 hours; make safe within 24 hours.
 *   Significant hazard — investigate within 10 working days (of the report);
 *                        written summary to the tenant within 3 working days of the
 *                        investigation ending; make safe within 5 working days of the
 *                        investigation ending; further works start within 5 working
 *                        days, or physically within 12 weeks (of the investigation
 *                        ending — modelled as a second, outer deadline).
 *
 * Day counting: the day of the starting event (the report, or the end of the
 * investigation) is day 0 and is not counted; day 1 is the next working day, and the
 * clock runs to the end of day N. This is the usual legal reading of "within N days
 * of" an event (the day of the event is excluded, as in the "clear days" rule of
 * CPR 2.8), and it means a report made late in the day does not lose that day.
 * A working-day deadline is a calendar date: anything done on that date (UK time) is
 * in time. Timestamps are turned into dates in Europe/London, so a report at
 * 23:30Z on a BST evening counts from the next UK date.
 *
 * The 24-hour clocks run from the exact report time to the same time a day later.
 */
import { addWorkingDays, workingDaysBetween, type IsoDate } from './working-days.ts';
import { ukDate } from '../../platform/uk-time.ts';

export type HazardSeverity = 'emergency' | 'significant';

export interface HazardReport {
  /** When the landlord was told of the hazard: ISO timestamp with Z or an offset. */
  reportedAt: string;
  severity: HazardSeverity;
  /** When the investigation ended. */
  investigatedAt?: string | null;
  /** When the written summary was sent to the tenant. */
  summarySentAt?: string | null;
  /** When the home was made safe (relevant safety work done). */
  madeSafeAt?: string | null;
  /** When further (supplementary preventative) works physically started. */
  furtherWorksStartedAt?: string | null;
}

/**
 * met       — done in time
 * breached  — done, but after the deadline
 * overdue   — not done, and the deadline has passed
 * due-soon  — not done, deadline within 1 working day (today or the next working
 *             day); a 24-hour clock is always within 1 working day, so an open
 *             emergency clock is due-soon until it is overdue
 * due       — not done, deadline further off
 * not-started — the clock has not started because the event it runs from (the end
 *             of the investigation) has not happened yet, so there is no deadline
 */
export type ClockStatus = 'met' | 'breached' | 'overdue' | 'due-soon' | 'due' | 'not-started';

export type ClockId =
  | 'investigate'
  | 'make-safe'
  | 'written-summary'
  | 'further-works'
  | 'further-works-12-weeks';

export interface AwaabClock {
  id: ClockId;
  /** The rule, in words, with its source. */
  rule: string;
  /** What the clock runs from: a timestamp (24-hour clocks) or the day-0 date. Null if not started. */
  startsAt: string | null;
  /**
   * 'instant': deadline is an ISO timestamp (24-hour clocks).
   * 'date': deadline is an ISO date; the clock runs to the end of that UK day.
   */
  deadlineKind: 'instant' | 'date';
  deadline: string | null;
  completedAt: string | null;
  status: ClockStatus;
}

export interface AwaabAssessment {
  severity: HazardSeverity;
  asOf: string;
  clocks: AwaabClock[];
  /** The most pressing status across clocks (overdue > breached > due-soon > due > not-started > met). */
  worst: ClockStatus;
  /** Data that does not add up (e.g. an event before the report); the clocks are still computed. */
  warnings: string[];
}

const SOURCE = 'Hazards in Social Housing Regulations 2025';
const HOUR_MS = 3_600_000;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** Parse an ISO timestamp; it must say its offset, so it cannot be read in the server's zone. */
function parseTimestamp(value: string, field: string): Date {
  if (!TIMESTAMP.test(value)) {
    throw new RangeError(`${field} must be an ISO timestamp with Z or an offset: ${JSON.stringify(value)}`);
  }
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new RangeError(`${field} is not a valid time: ${value}`);
  return d;
}

/** The calendar date in the UK (Europe/London) at an instant. */
export { ukDate };

/** 12 weeks as calendar days from a date (UTC arithmetic, no zone effects). */
function addCalendarDays(date: IsoDate, days: number): IsoDate {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

interface Event {
  raw: string;
  at: Date;
}

function event(value: string | null | undefined, field: string, now: Date): Event | null {
  if (value == null) return null;
  const at = parseTimestamp(value, field);
  // As of `now`, something recorded as happening later has not happened yet.
  return at.getTime() <= now.getTime() ? { raw: value, at } : null;
}

function hourClock(id: ClockId, rule: string, from: Event, hours: number, done: Event | null, now: Date): AwaabClock {
  const deadline = new Date(from.at.getTime() + hours * HOUR_MS);
  let status: ClockStatus;
  if (done) status = done.at.getTime() <= deadline.getTime() ? 'met' : 'breached';
  else if (now.getTime() > deadline.getTime()) status = 'overdue';
  // Whole window is under one working day: see ClockStatus.
  else status = 'due-soon';
  return {
    id,
    rule,
    startsAt: from.raw,
    deadlineKind: 'instant',
    deadline: deadline.toISOString(),
    completedAt: done?.raw ?? null,
    status,
  };
}

function dateClock(id: ClockId, rule: string, from: Event | null, deadlineFrom: (day0: IsoDate) => IsoDate, done: Event | null, now: Date): AwaabClock {
  const base = { id, rule, deadlineKind: 'date' as const, completedAt: done?.raw ?? null };
  if (!from) return { ...base, startsAt: null, deadline: null, status: 'not-started' };
  const day0 = ukDate(from.at);
  const deadline = deadlineFrom(day0);
  let status: ClockStatus;
  if (done) status = ukDate(done.at) <= deadline ? 'met' : 'breached';
  else {
    const today = ukDate(now);
    if (today > deadline) status = 'overdue';
    else status = workingDaysBetween(today, deadline) <= 1 ? 'due-soon' : 'due';
  }
  return { ...base, startsAt: day0, deadline, status };
}

const URGENCY: ClockStatus[] = ['overdue', 'breached', 'due-soon', 'due', 'not-started', 'met'];

/** Compute every Awaab's Law clock for a hazard report as of `now` (an ISO timestamp or Date). */
export function assessHazard(report: HazardReport, now: string | Date): AwaabAssessment {
  const asOf = typeof now === 'string' ? parseTimestamp(now, 'now') : now;
  const reported: Event = { raw: report.reportedAt, at: parseTimestamp(report.reportedAt, 'reportedAt') };
  const investigated = event(report.investigatedAt, 'investigatedAt', asOf);
  const summarySent = event(report.summarySentAt, 'summarySentAt', asOf);
  const madeSafe = event(report.madeSafeAt, 'madeSafeAt', asOf);
  const furtherStarted = event(report.furtherWorksStartedAt, 'furtherWorksStartedAt', asOf);

  const warnings: string[] = [];
  const named = { investigatedAt: investigated, summarySentAt: summarySent, madeSafeAt: madeSafe, furtherWorksStartedAt: furtherStarted };
  for (const [field, e] of Object.entries(named)) {
    if (e && e.at.getTime() < reported.at.getTime()) warnings.push(`${field} is before reportedAt`);
  }

  const clocks: AwaabClock[] = [];
  if (report.severity === 'emergency') {
    clocks.push(
      hourClock('investigate', `Emergency hazard: investigate within 24 hours of the report (${SOURCE}).`, reported, 24, investigated, asOf),
      hourClock('make-safe', `Emergency hazard: make safe within 24 hours of the report (${SOURCE}).`, reported, 24, madeSafe, asOf),
    );
  } else if (report.severity === 'significant') {
    if (!investigated) {
      for (const [field, e] of Object.entries({ summarySentAt: summarySent, madeSafeAt: madeSafe, furtherWorksStartedAt: furtherStarted })) {
        if (e) warnings.push(`${field} is recorded but investigatedAt is not, so its clock has not started`);
      }
    }
    clocks.push(
      dateClock('investigate', `Significant hazard: investigate within 10 working days of the report (${SOURCE}).`, reported, (d) => addWorkingDays(d, 10), investigated, asOf),
      dateClock('written-summary', `Significant hazard: written summary to the tenant within 3 working days of the investigation ending (${SOURCE}).`, investigated, (d) => addWorkingDays(d, 3), summarySent, asOf),
      dateClock('make-safe', `Significant hazard: make safe within 5 working days of the investigation ending (${SOURCE}).`, investigated, (d) => addWorkingDays(d, 5), madeSafe, asOf),
      dateClock('further-works', `Significant hazard: further works start within 5 working days of the investigation ending (${SOURCE}).`, investigated, (d) => addWorkingDays(d, 5), furtherStarted, asOf),
      dateClock(
        'further-works-12-weeks',
        `Significant hazard: where further works cannot start within 5 working days, they must physically start within 12 weeks (84 calendar days) of the investigation ending (${SOURCE}).`,
        investigated,
        (d) => addCalendarDays(d, 84),
        furtherStarted,
        asOf,
      ),
    );
  } else {
    throw new RangeError(`unknown severity: ${String(report.severity)}`);
  }

  const worst = URGENCY.find((s) => clocks.some((c) => c.status === s)) ?? 'met';
  return { severity: report.severity, asOf: asOf.toISOString(), clocks, worst, warnings };
}
