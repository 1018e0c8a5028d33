// UK (Europe/London) calendar dates and wall-clock times of instants, and the last 12 months, in one place: the
// deadlines of hazard reports, the day a sign of damp was observed and the dashboards' months all count in UK time,
// whatever the machine's own time zone.
const london = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});

/** What UK clocks show at an instant: the date (YYYY-MM-DD) and the time (hh:mm, 24-hour). */
export function ukWallClock(at: Date): { date: string; time: string } {
  const p = Object.fromEntries(london.formatToParts(at).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` };
}

/** The calendar date in the UK at an instant (YYYY-MM-DD). */
export function ukDate(at: Date): string {
  return ukWallClock(at).date;
}

/** The last 12 months as YYYY-MM, oldest first, ending with the month of `today` (a UK date; default: now). */
export function lastTwelveMonths(today = ukDate(new Date())): string[] {
  const [y, m] = today.split('-').map(Number) as [number, number];
  return Array.from({ length: 12 }, (_, i) => new Date(Date.UTC(y, m - 12 + i, 1)).toISOString().slice(0, 7));
}

const govukDateFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });

/** A calendar date as GOV.UK writes it: "9 June 2016" for 2016-06-09 (a timestamp's date part is used); as given if not a date. */
export function govukDate(iso: string): string {
  const d = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? iso : govukDateFormat.format(d);
}

/** A 24-hour hh:mm as GOV.UK writes it: "6pm", "6:30pm", "12:15am", "midday", "midnight". */
export function govukTime(time: string): string {
  if (time === '12:00') return 'midday';
  if (time === '00:00') return 'midnight';
  const [h, m] = time.split(':').map(Number) as [number, number];
  return `${h % 12 || 12}${m ? `:${String(m).padStart(2, '0')}` : ''}${h < 12 ? 'am' : 'pm'}`;
}

/** An instant as UK clocks show it, GOV.UK style: "2 December 2026 at 2:31pm"; a date alone (YYYY-MM-DD) as "2 December 2026". */
export function govukDateTime(at: string | Date): string {
  if (typeof at === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(at)) return govukDate(at);
  const d = at instanceof Date ? at : new Date(at);
  if (Number.isNaN(d.getTime())) return String(at);
  const { date, time } = ukWallClock(d);
  return `${govukDate(date)} at ${govukTime(time)}`;
}

/** The last millisecond of a UK calendar date, yyyy-mm-dd (midnight always exists in the UK: clocks change at 1am and 2am). */
export function endOfUkDay(date: string): Date {
  const next = new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  for (const offset of ['+01:00', '+00:00']) {
    const midnight = new Date(`${next}T00:00:00${offset}`);
    const shown = ukWallClock(midnight);
    if (shown.date === next && shown.time === '00:00') return new Date(midnight.getTime() - 1);
  }
  throw new RangeError(`no UK midnight found for ${next}`);
}
