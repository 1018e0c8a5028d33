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
