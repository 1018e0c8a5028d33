// The Awaab's Law clocks of a stored hazard report as Hearth shows them: assessHazard's clocks, with a label, the bank
// holidays each working-day deadline skipped, and "not applicable" for the clocks after an investigation that found
// no hazard. Pure: no database.
import { assessHazard, type AwaabClock, type ClockId, type ClockStatus, type HazardReport } from './awaab.ts';
import { holidaysSkipped, type SkippedHoliday } from './dates.ts';

export type HazardClockStatus = ClockStatus | 'not-applicable';

export const CLOCK_IDS: readonly ClockId[] = ['investigate', 'written-summary', 'make-safe', 'further-works', 'further-works-12-weeks'];

export const CLOCK_LABELS: Record<ClockId, string> = {
  investigate: 'Investigate',
  'written-summary': 'Written summary to the tenant',
  'make-safe': 'Make safe',
  'further-works': 'Start further works',
  'further-works-12-weeks': 'Start further works (12-week limit)',
};

export interface HazardClock extends Omit<AwaabClock, 'status'> {
  label: string;
  status: HazardClockStatus;
  /** Weekday bank holidays the working-day count passed over (empty for 24-hour and 12-week clocks). */
  skipped: SkippedHoliday[];
}

export interface HazardFacts extends HazardReport {
  /** 'confirmed' | 'not-confirmed': when the investigation found no hazard, the clocks after it do not apply (but the written summary of what it found still does). */
  investigationOutcome?: string | null;
}

export interface HazardClocks {
  asOf: string;
  clocks: HazardClock[];
  /** The most pressing status (overdue > breached > due-soon > due > not-started > met); not-applicable clocks ignored. */
  worst: ClockStatus;
  warnings: string[];
}

const URGENCY: ClockStatus[] = ['overdue', 'breached', 'due-soon', 'due', 'not-started', 'met'];

/** Every clock of a report as of `now`. */
export function hazardClocks(report: HazardFacts, now: string | Date): HazardClocks {
  const a = assessHazard(report, now);
  const notFound = report.investigationOutcome === 'not-confirmed' && !!report.investigatedAt && new Date(report.investigatedAt) <= new Date(a.asOf);
  const clocks = a.clocks.map((c): HazardClock => {
    const base = { ...c, label: CLOCK_LABELS[c.id] };
    // The tenant is told what the investigation found either way, so the written summary still applies.
    if (notFound && c.id !== 'investigate' && c.id !== 'written-summary') return { ...base, status: 'not-applicable', deadline: null, skipped: [] };
    const workingDays = c.deadlineKind === 'date' && c.id !== 'further-works-12-weeks' && c.startsAt && c.deadline;
    return { ...base, skipped: workingDays ? holidaysSkipped(c.startsAt!, c.deadline!) : [] };
  });
  const worst = URGENCY.find((s) => clocks.some((c) => c.status === s)) ?? 'met';
  return { asOf: a.asOf, clocks, worst, warnings: a.warnings };
}

/** A clock's deadline as a sortable instant-ish key: a date deadline runs to the end of its UK day. */
export function deadlineKey(c: Pick<AwaabClock, 'deadline' | 'deadlineKind'>): string {
  if (!c.deadline) return '9999';
  return c.deadlineKind === 'date' ? `${c.deadline}T23:59:59` : c.deadline;
}

/** How a status is shown: a GOV.UK tag's text and colour. */
export const STATUS_TAGS: Record<HazardClockStatus | 'closed', { text: string; classes: string }> = {
  overdue: { text: 'Overdue', classes: 'govuk-tag--red' },
  breached: { text: 'Done late', classes: 'govuk-tag--orange' },
  'due-soon': { text: 'Due soon', classes: 'govuk-tag--yellow' },
  due: { text: 'Due', classes: 'govuk-tag--blue' },
  'not-started': { text: 'Not started', classes: 'govuk-tag--grey' },
  met: { text: 'Met', classes: 'govuk-tag--green' },
  'not-applicable': { text: 'Not applicable', classes: 'govuk-tag--grey' },
  closed: { text: 'Closed', classes: 'govuk-tag--grey' },
};
