// The GOV.UK date input (day, month and year boxes) and a time as people type it: reading them, and the GOV.UK error
// rules (https://design-system.service.gov.uk/components/date-input/): nothing entered, a part missing, not a real
// date, not in the past or future. Pure: the machine's time zone plays no part ("today" is the UK's).
import { ukDate } from '../../platform/uk-time.ts';

/** Day, month and year as typed into a GOV.UK date input, as an ISO date; null unless it is a real date. */
export function parseDateParts(day: string, month: string, year: string): string | null {
  // Year 0000 (1 BC in ISO 8601) is not a date PostgreSQL can read.
  if (![day, month].every((x) => /^\d{1,2}$/.test(x.trim())) || !/^\d{4}$/.test(year.trim()) || year.trim() === '0000') return null;
  const iso = `${year.trim()}-${month.trim().padStart(2, '0')}-${day.trim().padStart(2, '0')}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso ? iso : null;
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

export type DatePart = 'day' | 'month' | 'year';
/** Which dates a date input accepts, besides any real date. */
export type DateWhen = 'past' | 'today-or-past' | 'future' | 'today-or-future';

/** The date input's messages, GOV.UK style. `label` names the date in the generated ones ("Date of birth must …"). */
export interface DateMessages {
  label: string;
  /** Nothing entered: "Enter your date of birth". */
  required?: string;
  /** "Date of birth must be a real date". */
  notReal?: string;
  /** "Date of birth must be in the past" (or "today or in the past", "in the future", …). */
  when?: string;
}

export type DateInputResult =
  | { kind: 'empty' }
  | { kind: 'date'; date: string }
  | { kind: 'error'; text: string; part: DatePart };

const joinParts = (parts: DatePart[]) => (parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`);

/**
 * Read a date input's three parts by the GOV.UK rules. The error names the first part to fix (its box is what the
 * error summary links to). `today`: the UK's date, for past and future.
 */
export function readDateInput(parts: Record<DatePart, string>, messages: DateMessages, when?: DateWhen, today = ukDate(new Date())): DateInputResult {
  const trimmed = { day: parts.day.trim(), month: parts.month.trim(), year: parts.year.trim() };
  const missing = (['day', 'month', 'year'] as const).filter((p) => !trimmed[p]);
  if (missing.length === 3) return { kind: 'empty' };
  if (missing.length) return { kind: 'error', text: `${messages.label} must include a ${joinParts(missing)}`, part: missing[0]! };
  const date = parseDateParts(trimmed.day, trimmed.month, trimmed.year);
  // Not a real date: the whole input is in error, so the summary links to its first box (the day).
  if (!date) return { kind: 'error', text: messages.notReal ?? `${messages.label} must be a real date`, part: 'day' };
  const ok = when === 'past' ? date < today : when === 'today-or-past' ? date <= today : when === 'future' ? date > today : when === 'today-or-future' ? date >= today : true;
  if (!ok) {
    const words = when === 'past' ? 'in the past' : when === 'today-or-past' ? 'today or in the past' : when === 'future' ? 'in the future' : 'today or in the future';
    return { kind: 'error', text: messages.when ?? `${messages.label} must be ${words}`, part: 'day' };
  }
  return { kind: 'date', date };
}

/** A date input's boxes, filled from an ISO date (for a form drawn from a record): "7", "1", "2026". */
export function dateParts(date: string | null | undefined): Record<DatePart, string> {
  if (!date || !/^\d{4}-\d{2}-\d{2}/.test(date)) return { day: '', month: '', year: '' };
  return { day: String(Number(date.slice(8, 10))), month: String(Number(date.slice(5, 7))), year: date.slice(0, 4) };
}
