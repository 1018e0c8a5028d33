// UK (Europe/London) dates and times for hazard reports: a date and time as a form gives them to an instant and back,
// dates and times written as GOV.UK writes them ("Monday 4 January 2027", "6:30pm"), and the bank holidays a
// working-day deadline skips. Pure: no database, and the machine's time zone plays no part.
import { bankHolidays, type IsoDate } from './working-days.ts';
import { ukWallClock } from '../../platform/uk-time.ts';

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
export function clockTime(time: string): string {
  if (time === '12:00') return 'midday';
  if (time === '00:00') return 'midnight';
  const [h, m] = time.split(':').map(Number) as [number, number];
  return `${h % 12 || 12}${m ? `:${String(m).padStart(2, '0')}` : ''}${h < 12 ? 'am' : 'pm'}`;
}

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

/** A time as people type it ("14:30", "14.30", "2:30pm", "9am", "midday", "midnight") as hh:mm (24-hour); null if not a time. */
export function parseTime(text: string): string | null {
  const t = text.trim().toLowerCase().replace(/\s+/g, '');
  if (t === 'midday' || t === 'noon' || t === '12noon') return '12:00';
  if (t === 'midnight' || t === '12midnight') return '00:00';
  const m = /^(\d{1,2})(?:[:.](\d{2}))?(am|pm)?$/.exec(t);
  if (!m) return null;
  let h = Number(m[1]);
  const min = Number(m[2] ?? 0);
  if (min > 59) return null;
  if (m[3]) {
    if (h < 1 || h > 12) return null;
    h = (h % 12) + (m[3] === 'pm' ? 12 : 0);
  } else if (m[2] === undefined || h > 23) return null; // "14" alone is not a time; "14:00" is
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
}

/** Day, month and year as typed into a GOV.UK date input, as an ISO date; null unless it is a real date. */
export function parseDateParts(day: string, month: string, year: string): IsoDate | null {
  // Year 0000 (1 BC in ISO 8601) is not a date PostgreSQL can read.
  if (![day, month].every((x) => /^\d{1,2}$/.test(x.trim())) || !/^\d{4}$/.test(year.trim()) || year.trim() === '0000') return null;
  const iso = `${year.trim()}-${month.trim().padStart(2, '0')}-${day.trim().padStart(2, '0')}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso ? iso : null;
}
