/**
 * Working days in England and Wales.
 *
 * A working day is any day that is not a Saturday, a Sunday or a bank holiday in
 * England and Wales. The regulations behind Awaab's Law use the same idea (a day
 * that is not a weekend day, Christmas Day, Good Friday or an England bank holiday).
 *
 * Bank holidays come from the `date-holidays` package (country GB, region ENG),
 * which is maintained data shipped with the project, not a hand-typed list that
 * expires. It computes Easter-based holidays and substitute days (e.g. Boxing Day
 * 2026 falling on Saturday moves to Monday 28 Dec) for any year, and its data is
 * updated for one-off holidays (e.g. the 2022 Platinum Jubilee and the Queen's
 * funeral). England and Wales share the same bank holidays (region WLS gives the
 * same list), so ENG covers both. Only type 'public' is counted: that is how the
 * package marks bank holidays; 'observance' days such as Mother's Day are not
 * holidays.
 *
 * Dates are ISO calendar dates (yyyy-mm-dd). All arithmetic is on UTC midnights,
 * so the machine's time zone and clock changes cannot shift a date.
 */
import Holidays from 'date-holidays';

/** An ISO calendar date, yyyy-mm-dd. */
export type IsoDate = string;

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

let calendar: Holidays | undefined;
const holidaysByYear = new Map<number, Map<IsoDate, string>>();

/** Bank holidays in England and Wales for a year, date → name (substitute days included). */
export function bankHolidays(year: number): ReadonlyMap<IsoDate, string> {
  let days = holidaysByYear.get(year);
  if (!days) {
    calendar ??= new Holidays('GB', 'ENG', { types: ['public'] });
    days = new Map();
    for (const h of calendar.getHolidays(year)) {
      // h.date is the local calendar date as 'yyyy-mm-dd hh:mm:ss'; the date part
      // is what we want and carries no time zone.
      if (h.type === 'public') days.set(h.date.slice(0, 10), h.name);
    }
    holidaysByYear.set(year, days);
  }
  return days;
}

/** Parse yyyy-mm-dd into days since the Unix epoch; throws on a malformed or impossible date. */
function toDayNumber(date: IsoDate): number {
  const m = ISO_DATE.exec(date);
  if (!m) throw new RangeError(`not an ISO date (yyyy-mm-dd): ${JSON.stringify(date)}`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const day = ms / DAY_MS;
  if (fromDayNumber(day) !== date) throw new RangeError(`no such date: ${date}`);
  return day;
}

function fromDayNumber(day: number): IsoDate {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function isWorkingDayNumber(day: number): boolean {
  const d = new Date(day * DAY_MS);
  const weekday = d.getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  return !bankHolidays(d.getUTCFullYear()).has(fromDayNumber(day));
}

/** True when the date is not a Saturday, Sunday or England and Wales bank holiday. */
export function isWorkingDay(date: IsoDate): boolean {
  return isWorkingDayNumber(toDayNumber(date));
}

/**
 * The date n working days after `date` (before it when n is negative).
 *
 * Convention: `date` itself is day 0 and is never counted, whether or not it is a
 * working day; day 1 is the first working day after it. So a report on Thursday
 * with a 1-working-day limit is due by the end of Friday, and a report on Saturday
 * is due by the end of Monday. n = 0 returns `date` unchanged.
 */
export function addWorkingDays(date: IsoDate, n: number): IsoDate {
  if (!Number.isInteger(n)) throw new RangeError(`working days must be a whole number: ${n}`);
  let day = toDayNumber(date);
  const step = n < 0 ? -1 : 1;
  for (let left = Math.abs(n); left > 0; ) {
    day += step;
    if (isWorkingDayNumber(day)) left--;
  }
  return fromDayNumber(day);
}

/**
 * Working days from a to b under the same convention: the working days d with
 * a < d <= b (when b is before a: minus the count of working days d with
 * b < d <= a). So workingDaysBetween(a, addWorkingDays(a, n)) === n for n >= 0,
 * and a date and itself are 0 apart.
 */
export function workingDaysBetween(a: IsoDate, b: IsoDate): number {
  const from = toDayNumber(a);
  const to = toDayNumber(b);
  if (to < from) return -workingDaysBetween(b, a);
  let count = 0;
  for (let day = from + 1; day <= to; day++) if (isWorkingDayNumber(day)) count++;
  return count;
}
