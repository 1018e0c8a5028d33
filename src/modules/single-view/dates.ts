// Dates and times on the single-view pages as GOV.UK writes them: "9 June 2016", "2 December 2026 at 2:31pm", in UK
// time (Europe/London) whatever the machine's own time zone.
import { ukWallClock } from '../../platform/uk-time.ts';

const longDateFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });

/** "9 June 2016" for 2016-06-09. */
export function govukDate(date: string): string {
  const d = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? date : longDateFormat.format(d);
}

/** "2:31pm", "9am", "midday", "midnight" for a 24-hour hh:mm. */
function clockTime(time: string): string {
  if (time === '12:00') return 'midday';
  if (time === '00:00') return 'midnight';
  const [h, m] = time.split(':').map(Number) as [number, number];
  return `${h % 12 || 12}${m ? `:${String(m).padStart(2, '0')}` : ''}${h < 12 ? 'am' : 'pm'}`;
}

/** "2 December 2026 at 2:31pm" (UK time) for an instant; a date alone (YYYY-MM-DD) as "2 December 2026". */
export function govukWhen(at: string | Date): string {
  if (typeof at === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(at)) return govukDate(at);
  const d = at instanceof Date ? at : new Date(at);
  if (Number.isNaN(d.getTime())) return String(at);
  const { date, time } = ukWallClock(d);
  return `${govukDate(date)} at ${clockTime(time)}`;
}
