// Value normalisers for ingesting legacy files: pure functions, no database, no clock.
// Each takes one raw cell (a string from CSV, or a number from a spreadsheet's numeric cell) and returns either the
// normalised value (with a note when something was repaired) or a failure naming the rule and saying, in plain
// English a data lead understands, what is wrong and what to do. They repair only what can be repaired exactly;
// anything else is reported, never guessed.
import { isValid as isValidPostcode, toNormalised } from 'postcode';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

export type Raw = string | number | null | undefined;

export interface Accepted<T> {
  ok: true;
  value: T;
  /** Set when the value was changed in a way the data lead may want to know about. */
  note?: string;
}
export interface Rejected {
  ok: false;
  /** A stable rule name (see NORMALISE_RULES), for counting and for the rejected-rows CSV. */
  rule: NormaliseRule;
  /** Plain English for a data lead: what is wrong with this value and what to do. */
  message: string;
}
export type Normalised<T> = Accepted<T> | Rejected;

/** Every rule a normaliser can fail with, and what it means (the table in docs/ingest.md). */
export const NORMALISE_RULES = {
  'not-text': 'The cell holds something other than text or a number.',
  'postcode-invalid': 'Not a valid UK postcode.',
  'uprn-scientific-notation': 'A UPRN damaged by a spreadsheet showing it in scientific notation; digits are lost.',
  'uprn-not-integer': 'A UPRN with a fraction; UPRNs are whole numbers.',
  'uprn-leading-zero': 'A UPRN starting with 0; real UPRNs never do.',
  'uprn-too-long': 'More than 12 digits; UPRNs have at most 12.',
  'uprn-not-digits': 'Characters other than digits.',
  'name-control-characters': 'A name containing control characters (tabs, line breaks, invisible codes).',
  'name-digits': 'A name containing digits.',
  'name-no-letters': 'A name with no letters at all.',
  'name-placeholder': 'A placeholder such as "Unknown" or "N/A" instead of a name.',
  'name-too-long': 'A name longer than 200 characters.',
  'date-format-unresolved': "The column's date format is not settled (ambiguous, mixed or unknown).",
  'date-wrong-format': 'A date not written in the format of its column.',
  'date-two-digit-year': 'A two-digit year where the column format expects four digits.',
  'date-impossible': 'A date that does not exist, such as 31/02/2020.',
  'date-out-of-range': 'A year before 1800 or after 2199.',
  'date-excel-1900-bug': 'Excel serial 60: 29 February 1900, a day that never existed.',
  'date-excel-serial-range': 'An Excel serial number below 1.',
  'date-two-readings': 'A date in a column written two ways that reads as two different dates (05/06/1980: 5 June or 6 May?); loaded with the reading most of the column has, listed for review.',
  'date-incomplete': 'A date given in day, month and year columns with one or two of them empty.',
  'phone-scientific-notation': 'A phone number damaged by a spreadsheet showing it in scientific notation.',
  'phone-several': 'More than one phone number in one cell.',
  'phone-invalid': 'Not a phone number.',
  'phone-wrong-length': 'Too many or too few digits for a phone number in its country.',
  'phone-unallocated': 'Not in a range of numbers in use (a digit may be missing, extra or wrong).',
  'email-several': 'More than one email address in one cell.',
  'email-invalid': 'Not an email address.',
  'email-too-long': 'Longer than 254 characters, the most an email address can have.',
} as const;
export type NormaliseRule = keyof typeof NORMALISE_RULES;

const accept = <T>(value: T, note?: string): Accepted<T> => (note ? { ok: true, value, note } : { ok: true, value });
const reject = (rule: NormaliseRule, message: string): Rejected => ({ ok: false, rule, message });

/** A value quoted for a message: control characters made visible, long values shortened. */
export function quote(value: string): string {
  // eslint-disable-next-line no-control-regex
  const visible = value.replace(/[\u0000-\u001f\u007f]/g, (c) => (c === '\t' ? '\\t' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
  const chars = Array.from(visible);
  return `"${chars.length > 60 ? chars.slice(0, 57).join('') + '…' : visible}"`;
}

// Zero-width spaces and joiners, word joiner, byte-order mark: invisible, and never meaningful in these values.
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff]/g;

/** The cell as trimmed text ('' when empty), or a failure when it is neither text nor a number. */
function text(raw: unknown, form: 'NFC' | 'NFKC'): string | Rejected {
  if (raw === null || raw === undefined) return '';
  if (typeof raw === 'number') return Number.isFinite(raw) ? String(raw) : reject('not-text', `${String(raw)} is not a value that can be loaded`);
  if (typeof raw !== 'string') return reject('not-text', `The cell holds ${typeof raw} data, not text or a number`);
  return raw.normalize(form).replace(INVISIBLE, '').trim();
}
const failed = (v: string | Rejected): v is Rejected => typeof v !== 'string';

// ---------------------------------------------------------------------------------------------------------------
// Postcodes

/**
 * A UK postcode, upper case with one space ("ls61aa" → "LS6 1AA"), validated by the 'postcode' library (the same one
 * homes/service.ts normalisePostcode uses, so both produce the same form). Empty → null.
 */
export function postcode(raw: Raw): Normalised<string | null> {
  const t = text(raw, 'NFKC');
  if (failed(t)) return t;
  if (t === '') return accept(null);
  const compact = t.replace(/\s+/g, '').toUpperCase();
  const normalised = compact.length <= 8 && isValidPostcode(compact) ? toNormalised(compact) : null;
  if (normalised) return accept(normalised);
  const hint = postcodeHint(compact);
  return reject('postcode-invalid', `${quote(t)} is not a valid UK postcode${hint ? `; check whether a letter and a digit are swapped (${hint} would be valid; not changed automatically)` : ''}`);
}

/** A valid postcode one letter-for-digit swap away (O/0, I/1 in the fixed positions of the inward code), as a hint only. */
function postcodeHint(compact: string): string | null {
  if (compact.length < 5 || compact.length > 7) return null;
  const outward = compact.slice(0, -3);
  const inward = compact.slice(-3);
  const digit: Record<string, string> = { O: '0', I: '1', L: '1', S: '5' };
  const letter: Record<string, string> = { '0': 'O', '1': 'I', '5': 'S', '8': 'B' };
  const fixed = (digit[inward[0]!] ?? inward[0]!) + [...inward.slice(1)].map((c) => letter[c] ?? c).join('');
  const candidate = outward + fixed;
  return candidate !== compact && isValidPostcode(candidate) ? toNormalised(candidate) : null;
}

// ---------------------------------------------------------------------------------------------------------------
// UPRNs

const SCIENTIFIC = /^[+-]?\d+(?:[.,]\d+)?e[+-]?\d+$/i;

/**
 * A UPRN as a string of 1–12 digits with no leading zero. Spreadsheet damage is repaired only when exact:
 * "100021.0" → "100021", "10 0021" → "100021", "100,021" (thousands separators) → "100021", a numeric cell 100021 →
 * "100021". Scientific notation ("1.0002E+11") has lost digits and is rejected. Empty → null.
 */
export function uprn(raw: Raw): Normalised<string | null> {
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return reject('not-text', `${String(raw)} is not a UPRN`);
    if (!Number.isInteger(raw)) return reject('uprn-not-integer', `${raw} is not a whole number; UPRNs are whole numbers of up to 12 digits`);
    if (raw <= 0) return reject('uprn-not-digits', `${raw} is not a UPRN; UPRNs are positive whole numbers of up to 12 digits`);
    if (raw > 999_999_999_999) return reject('uprn-too-long', `${raw.toLocaleString('en-GB', { useGrouping: false })} has more than 12 digits; a UPRN has at most 12`);
    return accept(String(raw)); // integers below 2^53 convert exactly
  }
  const t = text(raw, 'NFKC');
  if (failed(t)) return t;
  if (t === '') return accept(null);
  if (SCIENTIFIC.test(t.replace(/\s+/g, ''))) {
    return reject('uprn-scientific-notation', `${quote(t)} looks like a UPRN damaged by a spreadsheet (scientific notation loses digits); it cannot be repaired — export the column as text`);
  }
  let digits = t.replace(/\s+/g, '');
  const notes: string[] = [];
  if (/^\d{1,3}(,\d{3})+(\.0*)?$/.test(digits)) {
    digits = digits.replace(/,/g, '');
    notes.push('thousands separators removed');
  }
  const float = /^(\d+)\.(\d*)$/.exec(digits);
  if (float) {
    if (!/^0*$/.test(float[2]!)) return reject('uprn-not-integer', `${quote(t)} has a fraction; a UPRN is a whole number of up to 12 digits`);
    digits = float[1]!;
    notes.push(`spreadsheet decimal "${t.slice(t.indexOf('.'))}" removed`);
  }
  if (!/^\d+$/.test(digits)) return reject('uprn-not-digits', `${quote(t)} is not a UPRN; a UPRN is digits only (up to 12)`);
  if (digits.startsWith('0')) {
    return reject('uprn-leading-zero', `${quote(t)} starts with 0, which no UPRN does; if your system pads UPRNs with zeros, remove the padding in the export`);
  }
  if (digits.length > 12) return reject('uprn-too-long', `${quote(t)} has ${digits.length} digits; a UPRN has at most 12`);
  if (digits !== t && notes.length === 0) notes.push('spaces removed');
  return accept(digits, notes.length ? `${quote(t)} read as ${digits}: ${notes.join(', ')}` : undefined);
}

// ---------------------------------------------------------------------------------------------------------------
// Names

const NAME_PLACEHOLDERS = new Set(['unknown', 'not known', 'n/a', 'n.a.', 'tbc', 'tba', 'null', 'none', 'xxx', 'not applicable']);
const ROMAN = new Set(['ii', 'iii']);

/**
 * A name part (given name, family name, title): trimmed, spaces collapsed, and when it is written ALL IN CAPITALS or
 * all in lower case, put into name case ("O'NEILL" → "O'Neill", "mcdonald" → "McDonald", "SMITH-JONES" →
 * "Smith-Jones"). Names already in mixed case are kept exactly ("de Souza", "MacLeod", "Macey"). Empty → null.
 */
export function personName(raw: Raw): Normalised<string | null> {
  if (typeof raw === 'number') return reject('name-digits', `${raw} is a number, not a name; check the column mapping`);
  const t = text(raw, 'NFC');
  if (failed(t)) return t;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(t)) return reject('name-control-characters', `${quote(t)} contains line breaks or invisible control characters; correct the name in the source system`);
  const collapsed = t.replace(/\s+/g, ' ');
  if (collapsed === '') return accept(null);
  if (Array.from(collapsed).length > 200) return reject('name-too-long', `${quote(collapsed)} is longer than 200 characters, which no name is; check the column mapping`);
  if (/\p{Nd}/u.test(collapsed)) return reject('name-digits', `${quote(collapsed)} contains digits, which a name never does; check the column mapping`);
  if (!/\p{L}/u.test(collapsed)) return reject('name-no-letters', `${quote(collapsed)} has no letters, so it is not a name; leave the cell empty if the name is not known`);
  if (NAME_PLACEHOLDERS.has(collapsed.toLowerCase())) {
    return reject('name-placeholder', `${quote(collapsed)} is a placeholder, not a name; leave the cell empty if the name is not known`);
  }
  const hasUpper = /\p{Lu}/u.test(collapsed);
  const hasLower = /[\p{Ll}--[ß]]/v.test(collapsed);
  if (hasUpper && hasLower) return accept(collapsed, collapsed !== t ? 'extra spaces removed' : undefined);
  const cased = nameCase(collapsed);
  if (cased === collapsed) return accept(cased, collapsed !== t ? 'extra spaces removed' : undefined);
  return accept(cased, `changed from ${hasUpper ? 'capitals' : 'lower case'} to name case`);
}

/** Name case for a value written in one case: capital at the start of each word and hyphenated part, after O'/D'-style prefixes, and in Mc. */
function nameCase(value: string): string {
  const words = value.toLowerCase().split(' ');
  return words.map((word) => {
    if (ROMAN.has(word)) return word.toUpperCase();
    return word.split('-').map((part) => {
      const mc = /^mc(\p{L})(.*)$/u.exec(part); // mcdonald → McDonald (Mac is left alone: Macey, Mackie, Machin)
      if (mc) return `Mc${mc[1]!.toUpperCase()}${mc[2]}`;
      return part.split(/(?<=^\p{L}['’])/u).map(capitalise).join(''); // o'neill → O'Neill, d'arcy → D'Arcy
    }).join('-');
  }).join(' ');
}

function capitalise(s: string): string {
  const chars = Array.from(s);
  const i = chars.findIndex((c) => /\p{L}/u.test(c));
  if (i < 0) return s;
  chars[i] = chars[i]!.toUpperCase();
  // "J.R." → "J.R.": a capital after each full stop inside the word too
  return chars.map((c, j) => (j > 0 && chars[j - 1] === '.' ? c.toUpperCase() : c)).join('');
}

// ---------------------------------------------------------------------------------------------------------------
// Dates

/** A column's date format. The "-yy" formats have two-digit years and need a century window (ParseDateOptions). */
export type DateFormat = 'iso' | 'dmy' | 'mdy' | 'dmy-yy' | 'mdy-yy' | 'excel-serial' | 'excel-serial-1904';
/** What detection can conclude: a format, or why there is none. */
export type DetectedDateFormat = DateFormat | 'ambiguous' | 'mixed' | 'unknown';
export const DATE_FORMATS: Record<DateFormat, string> = {
  iso: 'yyyy-mm-dd',
  dmy: 'dd/mm/yyyy',
  mdy: 'mm/dd/yyyy',
  'dmy-yy': 'dd/mm/yy',
  'mdy-yy': 'mm/dd/yy',
  'excel-serial': 'Excel serial number (1900 date system)',
  'excel-serial-1904': 'Excel serial number (1904 date system, old Mac Excel)',
};
const isDateFormat = (f: string): f is DateFormat => Object.hasOwn(DATE_FORMATS, f);

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_NAMES = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
function monthNumber(name: string): number | null {
  const n = name.toLowerCase().replace(/\.$/, '');
  const i = n === 'sept' ? 8 : n.length === 3 ? MONTHS.indexOf(n) : MONTH_NAMES.indexOf(n);
  return i < 0 ? null : i + 1;
}

const TIME = String.raw`(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?: ?[AP]M)?(?:Z|[+-]\d{2}:?\d{2})?)?`;
const YMD = new RegExp(String.raw`^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})${TIME}$`, 'i');
const NUMERIC = new RegExp(String.raw`^(\d{1,2})([-/.])(\d{1,2})\2(\d{2}|\d{4})${TIME}$`, 'i');
const DAY_MONTHNAME = new RegExp(String.raw`^(\d{1,2})(?:st|nd|rd|th)?[-/. ]([a-z]{3,9}\.?)[-/. ,]+(\d{2}|\d{4})${TIME}$`, 'i');
const MONTHNAME_DAY = new RegExp(String.raw`^([a-z]{3,9}\.?)[ ](\d{1,2})(?:st|nd|rd|th)?,? (\d{2}|\d{4})${TIME}$`, 'i');
const SERIAL = /^\d{1,7}(?:\.\d+)?$/;

interface Reading { y: number; m: number; d: number; yy: boolean; time: boolean }

/** The ways one value can be read: each fitting format with its date parts (before checking the date exists). */
function readings(value: string): Partial<Record<DateFormat, Reading>> {
  const out: Partial<Record<DateFormat, Reading>> = {};
  const time = (h?: string, mi?: string, s?: string) => h !== undefined && !(Number(h) === 0 && Number(mi) === 0 && Number(s ?? 0) === 0);
  let m = YMD.exec(value);
  if (m) out.iso = { y: +m[1]!, m: +m[3]!, d: +m[4]!, yy: false, time: time(m[5], m[6], m[7]) };
  m = NUMERIC.exec(value);
  if (m) {
    const yy = m[4]!.length === 2;
    const r = { y: +m[4]!, yy, time: time(m[5], m[6], m[7]) };
    out[yy ? 'dmy-yy' : 'dmy'] = { ...r, d: +m[1]!, m: +m[3]! };
    out[yy ? 'mdy-yy' : 'mdy'] = { ...r, m: +m[1]!, d: +m[3]! };
  }
  m = DAY_MONTHNAME.exec(value);
  if (m && monthNumber(m[2]!)) {
    const yy = m[3]!.length === 2;
    out[yy ? 'dmy-yy' : 'dmy'] = { y: +m[3]!, m: monthNumber(m[2]!)!, d: +m[1]!, yy, time: time(m[4], m[5], m[6]) };
  }
  m = MONTHNAME_DAY.exec(value);
  if (m && monthNumber(m[1]!)) {
    const yy = m[3]!.length === 2;
    out[yy ? 'mdy-yy' : 'mdy'] = { y: +m[3]!, m: monthNumber(m[1]!)!, d: +m[2]!, yy, time: time(m[4], m[5], m[6]) };
  }
  return out;
}

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const daysInMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const MONTH_LABEL = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** The ISO date for y-m-d, or why it does not exist. */
function calendarDate(y: number, m: number, d: number, shown: string): Normalised<string> {
  if (y < 1800 || y > 2199) return reject('date-out-of-range', `${quote(shown)} is in the year ${y}, outside 1800–2199; if it stands for "not known", leave the cell empty`);
  if (m < 1 || m > 12) return reject('date-impossible', `${quote(shown)} is not a real date: there is no month ${m}`);
  const dim = daysInMonth(y, m);
  if (d < 1 || d > dim) return reject('date-impossible', `${quote(shown)} is not a real date: ${MONTH_LABEL[m - 1]} ${y} has ${dim} days`);
  return accept(`${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
}

/** Excel serial → ISO date. 1900 system: serial 1 is 1 Jan 1900 and serial 60 is Excel's non-existent 29 Feb 1900. */
function excelDate(serial: number, system: 1900 | 1904, shown: string): Normalised<string> {
  const whole = Math.floor(serial);
  if (system === 1900 && whole === 60) {
    return reject('date-excel-1900-bug', `${quote(shown)} is Excel's 29 February 1900, a day that never existed (a bug kept in Excel); correct the date in the source`);
  }
  if (whole < (system === 1900 ? 1 : 0)) return reject('date-excel-serial-range', `${quote(shown)} is below the first Excel date; it is not a date`);
  const epoch = system === 1904 ? Date.UTC(1904, 0, 1) : whole < 60 ? Date.UTC(1899, 11, 31) : Date.UTC(1899, 11, 30);
  const ms = epoch + whole * DAY;
  const year = new Date(ms).getUTCFullYear();
  if (year > 2199) return reject('date-out-of-range', `${quote(shown)} as an Excel date is in the year ${year}, after 2199`);
  return accept(iso(ms), serial !== whole ? `time of day in ${quote(shown)} dropped` : undefined);
}

export interface ParseDateOptions {
  /**
   * For the "-yy" formats: the latest year a two-digit year can mean. A two-digit year is read as the latest year
   * ending in those digits that is not after this one (pivotYear 2026: "26" → 2026, "27" → 1927). Choose per field:
   * the import's year for dates of birth, later for dates that can be in the future.
   */
  pivotYear?: number;
}

/**
 * A date written in the column's format, as ISO 'YYYY-MM-DD'. Empty → null. A time of day after the date is dropped
 * (with a note unless it is midnight); the date is taken as written, with no time-zone conversion.
 */
export function parseDate(raw: Raw, format: DetectedDateFormat, options: ParseDateOptions = {}): Normalised<string | null> {
  const t = text(raw, 'NFKC');
  if (failed(t)) return t;
  if (t === '') return accept(null);
  const shown = t;
  if (!isDateFormat(format)) {
    return reject('date-format-unresolved', `${quote(shown)} cannot be read because how this column's dates are written is not settled; choose how they are written (for example dd/mm/yyyy) when you check the columns`);
  }
  const expected = DATE_FORMATS[format];
  if (format === 'excel-serial' || format === 'excel-serial-1904') {
    if (!SERIAL.test(t)) return reject('date-wrong-format', `${quote(shown)} is not an Excel date number like the rest of this column`);
    return excelDate(Number(t), format === 'excel-serial' ? 1900 : 1904, shown);
  }
  if (typeof raw === 'number') return reject('date-wrong-format', `${quote(shown)} is a number, not a date written ${expected}; if it is an Excel date, choose "${DATE_FORMATS['excel-serial']}" for how the column's dates are written when you check the columns`);
  const all = readings(t);
  const yyFormat = format === 'dmy-yy' || format === 'mdy-yy';
  let r = all[format];
  if (!r) {
    const fourDigit = format === 'dmy-yy' ? 'dmy' : format === 'mdy-yy' ? 'mdy' : null;
    const twoDigit = format === 'dmy' ? 'dmy-yy' : format === 'mdy' ? 'mdy-yy' : null;
    if (twoDigit && all[twoDigit]) {
      return reject('date-two-digit-year', `${quote(shown)} has a two-digit year, so the century is not known; export the dates with four-digit years, or choose ${DATE_FORMATS[twoDigit]} for how the column's dates are written when you check the columns`);
    }
    if (fourDigit && all[fourDigit]) r = all[fourDigit]; // a four-digit year in a two-digit column is unambiguous
    else return reject('date-wrong-format', `${quote(shown)} is not a date written ${expected} like the rest of this column`);
  }
  let year = r.y;
  if (r.yy) {
    if (!yyFormat) return reject('date-two-digit-year', `${quote(shown)} has a two-digit year, so the century is not known`);
    const pivot = options.pivotYear;
    if (pivot === undefined || !Number.isInteger(pivot)) throw new TypeError(`parseDate: format ${format} needs options.pivotYear`);
    year = pivot - ((((pivot % 100) - r.y) % 100) + 100) % 100;
  }
  const result = calendarDate(year, r.m, r.d, shown);
  if (!result.ok) return result;
  const notes = [r.yy ? `two-digit year read as ${year}` : '', r.time ? 'time of day dropped' : ''].filter(Boolean);
  return accept(result.value, notes.length ? notes.join('; ') : undefined);
}

export interface DateColumnAnalysis {
  format: DetectedDateFormat;
  /** Formats every readable value fits. */
  candidates: DateFormat[];
  /** Non-empty values looked at; values that fit no format (not dates, or impossible dates) are counted, not voted. */
  values: number;
  unreadable: number;
  /** Up to three values that fit no format. */
  unreadableExamples: string[];
  /**
   * For a mixed column: the formats its values are written in, the most usual first (by values that read only that
   * way, then by values that fit it). Each value is read in the first of these that fits it (mixedDate).
   */
  ranked?: DateFormat[];
  /** Plain English for the data lead. */
  message: string;
}

/**
 * Decide a column's date format from its values. Every readable value must fit the format; values that fit no
 * format at all are counted as unreadable (each is then rejected by parseDate). When every value reads both as
 * dd/mm and as mm/dd the answer is 'ambiguous': a UK reading is never assumed.
 */
export function analyseDateColumn(values: readonly Raw[]): DateColumnAnalysis {
  const counts = new Map<DateFormat, number>();
  const settled = new Map<DateFormat, number>();
  let seen = 0;
  let readable = 0;
  let sameEitherWay = true;
  let allYears = true;
  const unreadableExamples: string[] = [];
  for (const raw of values) {
    const t = text(raw, 'NFKC');
    if (failed(t) || t === '') continue;
    seen++;
    const fits: DateFormat[] = [];
    for (const [f, r] of Object.entries(readings(t)) as [DateFormat, Reading][]) {
      const year = r.yy ? 2000 : r.y; // a leap year, so 29/02/yy is not ruled out here
      if (calendarDate(year, r.m, r.d, t).ok) fits.push(f);
      if ((f === 'dmy' || f === 'dmy-yy') && r.d !== r.m) sameEitherWay = false;
    }
    if (SERIAL.test(t)) {
      const n = Number(t);
      if (n >= 1 && n <= 60_000 && Math.floor(n) !== 60) fits.push('excel-serial');
      if (!(Number.isInteger(n) && n >= 1800 && n <= 2100)) allYears = false;
    } else allYears = false;
    if (fits.length === 0) {
      if (unreadableExamples.length < 3) unreadableExamples.push(t);
      continue;
    }
    readable++;
    for (const f of fits) counts.set(f, (counts.get(f) ?? 0) + 1);
    if (fits.length === 1) settled.set(fits[0]!, (settled.get(fits[0]!) ?? 0) + 1);
  }
  const candidates = [...counts].filter(([, n]) => n === readable).map(([f]) => f);
  const unreadable = seen - readable;
  const base = { candidates, values: seen, unreadable, unreadableExamples };
  const tail = unreadable ? `; ${unreadable} value${unreadable === 1 ? '' : 's'} could not be read as a date (e.g. ${unreadableExamples.map(quote).join(', ')}) and will be rejected` : '';
  if (readable === 0) {
    return { ...base, format: 'unknown', message: seen ? `No value reads as a date (e.g. ${unreadableExamples.map(quote).join(', ')})` : 'The column is empty' };
  }
  if (allYears) return { ...base, format: 'unknown', message: 'The values look like years, not dates; map the column to a year field or export full dates' };
  const has = (f: DateFormat) => candidates.includes(f);
  if ((has('dmy') && has('mdy')) || (has('dmy-yy') && has('mdy-yy'))) {
    const yy = has('dmy-yy') ? '-yy' : '';
    if (sameEitherWay) {
      return { ...base, format: `dmy${yy}` as DateFormat, message: `Every date has the same day and month number, so it reads the same as dd/mm or mm/dd${tail}` };
    }
    return { ...base, format: 'ambiguous', message: `Every date could be day/month or month/day (no day is above 12), so the format cannot be told from the data; choose day first or month first${tail}` };
  }
  if (candidates.length === 1) {
    const f = candidates[0]!;
    const yyNote = f.endsWith('-yy') ? '; the years have two digits, so each is read as the latest such year that is not in the future' : '';
    return { ...base, format: f, message: `Dates are written ${DATE_FORMATS[f]}${yyNote}${tail}` };
  }
  const fitting = [...counts].sort((a, b) => b[1] - a[1]).map(([f, n]) => `${n} as ${DATE_FORMATS[f]}`);
  // Day/month order before month/day on a tie: only where nothing in the column says which, and such dates are for review.
  const order = Object.keys(DATE_FORMATS) as DateFormat[];
  const ranked = [...counts.keys()].sort((a, b) => (settled.get(b) ?? 0) - (settled.get(a) ?? 0) || counts.get(b)! - counts.get(a)! || order.indexOf(a) - order.indexOf(b));
  return { ...base, format: 'mixed', ranked, message: `The dates are not all written the same way (${fitting.join(', ')}); each is read the way it can be, ` +
    `and one that reads two ways is read as ${DATE_FORMATS[ranked[0]!]} (as most of the column) and listed for review${tail}` };
}

/** An ISO date as people write it: "1975-07-04" → "4 July 1975". */
export function longDate(isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  return `${d} ${MONTH_LABEL[m - 1]} ${y}`;
}

export interface MixedDate extends Accepted<string | null> {
  /** The format it was read in (absent when empty). */
  format?: DateFormat;
  /** Other dates the value reads as in the column's other formats: the row is for review. */
  alternatives?: { format: DateFormat; value: string }[];
}

/**
 * A value of a column whose dates are written in more than one format (analyseDateColumn's `ranked`): read in the
 * first format that reads it; when a later format reads it as a different date, those dates are given as
 * alternatives (for review). A value no format reads gets the most telling failure (an impossible date rather than
 * "not written like the column").
 */
export function mixedDate(raw: Raw, ranked: readonly DateFormat[], options: ParseDateOptions = {}): MixedDate | Rejected {
  const results = ranked.map((format) => ({ format, r: parseDate(raw, format, options) }));
  const read = results.filter((x) => x.r.ok && x.r.value !== null) as { format: DateFormat; r: Accepted<string> }[];
  if (!read.length) {
    const failure = results.find((x) => !x.r.ok && x.r.rule !== 'date-wrong-format') ?? results.find((x) => !x.r.ok);
    if (!failure) return accept(null);
    if (failure.r.ok || failure.r.rule !== 'date-wrong-format') return failure.r;
    const t = text(raw, 'NFKC');
    return reject('date-wrong-format', `${quote(failed(t) ? String(raw) : t)} is not a date written ${ranked.map((f) => DATE_FORMATS[f]).join(' or ')} like the rest of this column`);
  }
  const [first, ...rest] = read;
  const alternatives = rest.filter((x, i) => x.r.value !== first!.r.value && !rest.slice(0, i).some((y) => y.r.value === x.r.value))
    .map((x) => ({ format: x.format, value: x.r.value }));
  const out: MixedDate = { ...first!.r, format: first!.format };
  if (alternatives.length) out.alternatives = alternatives;
  return out;
}

/**
 * A date given in three cells (day, month, year columns), as ISO 'YYYY-MM-DD'. The month may be a number or a name
 * ("11", "Nov", "November"); the year needs four digits. All three empty → null; one or two empty is a problem.
 */
export function dateFromParts(day: Raw, month: Raw, year: Raw): Normalised<string | null> {
  const parts = [text(day, 'NFKC'), text(month, 'NFKC'), text(year, 'NFKC')];
  for (const p of parts) if (failed(p)) return p;
  const [d, m, y] = parts as string[];
  const shown = [d, m, y].join(' ');
  if (!d && !m && !y) return accept(null);
  if (!d || !m || !y) {
    const missing = [!d ? 'day' : '', !m ? 'month' : '', !y ? 'year' : ''].filter(Boolean).join(' and ');
    return reject('date-incomplete', `${quote(shown.trim())} has no ${missing}; give all three, or leave all three empty`);
  }
  const dayNumber = /^(\d{1,2})(?:st|nd|rd|th)?$/i.exec(d!);
  const monthNumberOf = /^\d{1,2}$/.test(m!) ? Number(m) : monthNumber(m!);
  if (!dayNumber || monthNumberOf === null) return reject('date-wrong-format', `${quote(shown)} is not a day, a month and a year (such as 2, 11 or Nov, 1980)`);
  if (/^\d{2}$/.test(y!)) return reject('date-two-digit-year', `${quote(shown)} has a two-digit year, so the century is not known; export the years with four digits`);
  if (!/^\d{4}$/.test(y!)) return reject('date-wrong-format', `${quote(shown)}: ${quote(y!)} is not a year written with four digits`);
  return calendarDate(Number(y), monthNumberOf, Number(dayNumber[1]), shown);
}

/** The format of a column of dates (see analyseDateColumn for the evidence and a message). */
export function detectDateFormat(values: readonly Raw[]): DetectedDateFormat {
  return analyseDateColumn(values).format;
}

// ---------------------------------------------------------------------------------------------------------------
// Phone numbers

// Ofcom's ranges for drama and fiction: not in service, but they are how test and training data is written
// (the demo landlord uses them). 07700 900xxx and 01632 960xxx are not in libphonenumber's valid ranges.
const DRAMA_RANGES = [/^\+447700900\d{3}$/, /^\+441632960\d{3}$/];

const countryName = (callingCode: string) => (callingCode === '44' ? 'UK' : `+${callingCode}`);

export interface PhoneAccepted extends Accepted<string | null> {
  /** An extension written after the number ("ext 204"); E.164 has no place for it, so it is given separately. */
  extension?: string;
}

/** A phone number in E.164 ("07700 900123" → "+447700900123"), UK unless it says otherwise. Empty → null. */
export function phone(raw: Raw, defaultCountry: CountryCode = 'GB'): PhoneAccepted | Rejected {
  if (typeof raw === 'number' && !Number.isInteger(raw)) {
    return reject('phone-scientific-notation', `${raw} is a number with a fraction, not a phone number; export the column as text`);
  }
  const t = text(raw, 'NFKC');
  if (failed(t)) return t;
  if (t === '') return accept(null);
  if (t.length > 60) return reject('phone-invalid', `${quote(t)} is too long to be a phone number`);
  if (SCIENTIFIC.test(t.replace(/\s+/g, ''))) {
    return reject('phone-scientific-notation', `${quote(t)} looks like a phone number damaged by a spreadsheet (scientific notation loses digits); export the column as text`);
  }
  const parts = t.split(/[;,/|&]|\bor\b|\band\b/i).filter((p) => (p.match(/\d/g) ?? []).length >= 6);
  if (parts.length > 1) return reject('phone-several', `${quote(t)} holds ${parts.length} phone numbers in one cell; put each in its own column`);
  const parsed = parsePhoneNumberFromString(t, { defaultCountry });
  if (!parsed) return reject('phone-invalid', `${quote(t)} is not a phone number`);
  if (!parsed.isPossible()) {
    return reject('phone-wrong-length', `${quote(t)} has too many or too few digits for a ${countryName(parsed.countryCallingCode)} phone number`);
  }
  const notes: string[] = [];
  if (!parsed.isValid()) {
    if (!DRAMA_RANGES.some((r) => r.test(parsed.number))) {
      return reject('phone-unallocated', `${quote(t)} is not a number in use: no ${countryName(parsed.countryCallingCode)} number starts like this and has this many digits; a digit may be missing, extra or wrong`);
    }
    notes.push('a number Ofcom reserves for drama, not a real line');
  }
  const compact = t.replace(/[\s()-]/g, '');
  if (/^[1-9]\d{9}$/.test(compact) && parsed.countryCallingCode === '44') notes.push('leading 0 restored (spreadsheets drop it)');
  else if (/^44\d{10}$/.test(compact)) notes.push('read as a UK number written with 44 but no +');
  const rest = t.replace(/(?:ext|extn|extension|x)\.?\s*\d+\s*$/i, '');
  if (/\p{L}/u.test(rest)) notes.push(`text around the number ignored: ${quote(t)}`);
  const result: PhoneAccepted = accept(parsed.number, notes.length ? notes.join('; ') : undefined);
  if (parsed.ext) result.extension = parsed.ext;
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// Email addresses

const LOCAL_PART = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
const DOMAIN_LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;

/**
 * An email address: trimmed, "mailto:" removed, the domain in lower case (the part before @ is kept as written:
 * mail systems may treat its case as meaningful). Needs a sensible shape: one @, no spaces, a domain with a dot.
 */
export function email(raw: Raw): Normalised<string | null> {
  if (typeof raw === 'number') return reject('email-invalid', `${raw} is a number, not an email address; check the column mapping`);
  const t0 = text(raw, 'NFC');
  if (failed(t0)) return t0;
  if (t0 === '') return accept(null);
  if (t0.length > 254 + 7) return reject('email-too-long', `${quote(t0)} is longer than 254 characters, the most an email address can have`);
  const mailto = /^mailto:/i.test(t0);
  const t = mailto ? t0.slice(7).trim() : t0;
  if ((t.match(/@/g) ?? []).length > 1 && /[\s,;]/.test(t)) return reject('email-several', `${quote(t0)} holds more than one email address; put each in its own column`);
  if (t.length > 254) return reject('email-too-long', `${quote(t0)} is longer than 254 characters, the most an email address can have`);
  const at = t.lastIndexOf('@');
  const local = t.slice(0, at);
  const domain = t.slice(at + 1).toLowerCase();
  const labels = domain.split('.');
  const tld = labels.at(-1) ?? '';
  const shapeOk = at > 0 && local.length <= 64 && LOCAL_PART.test(local) && domain.length <= 253 && labels.length >= 2 &&
    labels.every((l) => DOMAIN_LABEL.test(l)) && (/^\p{L}{2,63}$/u.test(tld) || /^xn--[a-z0-9-]{1,59}$/.test(tld));
  if (!shapeOk) return reject('email-invalid', `${quote(t0)} is not an email address (expected something like name@example.org)`);
  const value = `${local}@${domain}`;
  const notes = [mailto ? '"mailto:" removed' : '', domain !== t.slice(at + 1) ? 'domain put in lower case' : ''].filter(Boolean);
  return accept(value, notes.length ? notes.join('; ') : undefined);
}

// CSV export: spreadsheet formulas are neutralised where every download is written (platform/http/csv.ts).
export { neutraliseFormula } from '../../platform/http/csv.ts';
