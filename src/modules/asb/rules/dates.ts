// Dates for ASB rules: when a target falls due, and the end of a period "beginning with" a day.
//
// Working-day targets count as the hazards clocks and repair targets do (hazards' addWorkingDays): the day a case was
// opened is day 0, and the target runs to the END of the Nth working day after it in UK time, England and Wales bank
// holidays excluded. Hour targets run from the moment it was opened, around the clock.
//
// Periods follow the wording of the Anti-social Behaviour, Crime and Policing Act 2014, s.104: "within the period of
// one month beginning with the date on which the behaviour is alleged to have occurred". A period beginning with a day
// includes that day, so one month beginning with 10 January ends at the end of 9 February; where the next month has no
// corresponding day (one month beginning with 31 January) the period ends on that month's last day.
import { addWorkingDays } from '../../hazards/index.ts';
import { endOfUkDay, ukDate } from '../../../platform/uk-time.ts';
import type { Target } from './settings.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Checks a yyyy-mm-dd date is real, and returns its parts; throws otherwise (callers pass stored dates). */
function parts(date: string): [number, number, number] {
  const m = ISO_DATE.exec(date);
  const ymd: [number, number, number] | null = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
  if (!ymd || toIso(Date.UTC(ymd[0], ymd[1] - 1, ymd[2])) !== date) throw new RangeError(`not a real date (yyyy-mm-dd): ${JSON.stringify(date)}`);
  return ymd;
}

const toIso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The calendar date n days after a yyyy-mm-dd date (before it when n is negative). */
export function addDays(date: string, n: number): string {
  const [y, m, d] = parts(date);
  return toIso(Date.UTC(y, m - 1, d) + n * DAY_MS);
}

/** The last day of a period of `amount` days or months beginning with `start` (which is its first day). */
export function periodEnd(start: string, amount: number, unit: 'days' | 'months'): string {
  if (unit === 'days') return addDays(start, amount - 1);
  const [y, m, d] = parts(start);
  const lastOfTarget = new Date(Date.UTC(y, m - 1 + amount + 1, 0)).getUTCDate();
  // The corresponding day exists: the period ends the day before it. It does not: it ends with that month.
  return d <= lastOfTarget ? toIso(Date.UTC(y, m - 1 + amount, d) - DAY_MS) : toIso(Date.UTC(y, m - 1 + amount, lastOfTarget));
}

export { endOfUkDay };

/** When a target that started at `from` falls due. */
export function dueBy(target: Target, from: Date): Date {
  if (target.unit === 'hours') return new Date(from.getTime() + target.amount * HOUR_MS);
  return endOfUkDay(addWorkingDays(ukDate(from), target.amount));
}

/** A target in words: "24 hours", "1 working day", "5 working days". */
export function targetWords(target: Target): string {
  const unit = target.unit === 'hours' ? 'hour' : 'working day';
  return `${target.amount} ${unit}${target.amount === 1 ? '' : 's'}`;
}
