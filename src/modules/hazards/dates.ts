// UK (Europe/London) dates and times for hazard reports: a date and time to an instant and back (a form's day, month,
// year and time boxes are read by the web layer's forms, src/web/forms/dates.ts), dates and times written as GOV.UK
// writes them ("Monday 4 January 2027", "6:30pm"), and the bank holidays a working-day deadline skips. Pure: no database, and the machine's time zone plays no part.
import { bankHolidays, type IsoDate } from './working-days.ts';
import { govukTime, ukWallClock } from '../../platform/uk-time.ts';

export { ukWallClock };

/**
 * The instant at which UK clocks show this date and time (hh:mm, 24-hour), or null when the date or time is not real
 * or the time does not exist (the hour skipped when clocks go forward). A time that happens twice (when clocks go
 * back) is the first, in British Summer Time.
 */
export function ukInstant(date: IsoDate, time: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^\d{2}:\d{2}$/.test(time)) return null;
  for (const offset of ['+01:00', '+00:00']) {
    const at = new Date(`${date}T${time}:00${offset}`);
    if (Number.isNaN(at.getTime())) return null;
    const shown = ukWallClock(at);
    if (shown.date === date && shown.time === time) return at;
  }
  return null;
}

const longDateFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });

/** "Monday 4 January 2027" for 2027-01-04. */
export function longDate(date: IsoDate): string {
  const p = Object.fromEntries(longDateFormat.formatToParts(new Date(`${date}T00:00:00Z`)).map((x) => [x.type, x.value]));
  return `${p.weekday} ${p.day} ${p.month} ${p.year}`;
}

/** "6pm", "6:30pm", "12:15am", "midday", "midnight" for a 24-hour hh:mm. */
export const clockTime = govukTime;

/** "Friday 25 December 2026 at 6pm": an instant as UK clocks show it. */
export function longDateTime(at: Date | string): string {
  const { date, time } = ukWallClock(typeof at === 'string' ? new Date(at) : at);
  return `${longDate(date)} at ${clockTime(time)}`;
}

export interface SkippedHoliday { date: IsoDate; name: string }

/** The bank holidays on weekdays after `from` up to and including `to`: the days a working-day count skipped. */
export function holidaysSkipped(from: IsoDate, to: IsoDate): SkippedHoliday[] {
  const out: SkippedHoliday[] = [];
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year++) {
    for (const [date, name] of bankHolidays(year)) {
      const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
      if (date > from && date <= to && weekday !== 0 && weekday !== 6) out.push({ date, name });
    }
  }
  return out.sort((a, b) => a.date.localeCompare(b.date));
}

/** "skips Christmas Day and Boxing Day (substitute day)"; empty when nothing was skipped. */
export function skipsText(skipped: SkippedHoliday[]): string {
  if (!skipped.length) return '';
  const names = skipped.map((s) => s.name);
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return `skips ${list}`;
}
