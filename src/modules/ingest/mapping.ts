// Mapping a file's columns onto Hearth's fields: the target fields of each kind of record (as data, with labels and
// the names legacy systems give them), a suggested mapping from a file's headers, and saved mapping profiles.
// Pure: no database, no files.
import { DATE_FORMATS, type DateFormat } from './normalise.ts';
import { uniqueHeaders } from './read.ts';
import { checkFilter, type RowFilter } from './layout.ts';
import { watchImportKinds, type ImportKind, type TargetField } from '../../platform/records/load.ts';

/** A kind of record files can hold ("homes", "people", …): declared by the module that owns it (platform/records/load.ts). */
export type RecordKind = string;
export type { FieldType, TargetField } from '../../platform/records/load.ts';

/** A kind as ingest sees it: the module's declaration, with each date field's day, month and year fields added. */
export type KindDefinition = ImportKind;

/**
 * The kinds of record files can hold, by name, and their names in the order declared: kept in step with the modules
 * installed (watchImportKinds below), so they are empty until the modules are (src/modules/index.ts).
 */
export const KINDS: Record<RecordKind, KindDefinition> = {};
export const RECORD_KINDS: RecordKind[] = [];

// Day, month and year columns: every date field can also be mapped from three columns, combined into one date
// ("DOB Day" → "dateOfBirth.day", "Month of birth" → "dateOfBirth.month", "DOB_YYYY" → "dateOfBirth.year").
export const DATE_PARTS = ['day', 'month', 'year'] as const;
export type DatePart = typeof DATE_PARTS[number];
const PART_WORDS: Record<DatePart, string[]> = { day: ['day', 'dd'], month: ['month', 'mm', 'mon'], year: ['year', 'yyyy', 'yr'] };

function datePartFields(t: TargetField): TargetField[] {
  const names = [t.label, ...t.synonyms].map(normaliseHeader).filter((name) => name.length >= 3);
  return DATE_PARTS.map((part) => {
    const synonyms = new Set<string>();
    for (const name of names) {
      for (const word of PART_WORDS[part]) {
        if (/\bdate\b/.test(name)) synonyms.add(name.replace(/\bdate\b/, word)); // "date of birth" → "day of birth", "birth date" → "birth day"
        else synonyms.add(`${name} ${word}`); // "dob" → "dob day"
        if (/\bdate\b/.test(name)) synonyms.add(`${name} ${word}`); // "date of birth day"
      }
    }
    return { field: `${t.field}.${part}`, label: `${t.label}: ${part}`, type: 'date-part' as const, synonyms: [...synonyms] };
  });
}
const withDateParts = new Map<ImportKind, KindDefinition>();
watchImportKinds((declared) => {
  for (const kind of Object.keys(KINDS)) delete KINDS[kind];
  for (const def of declared) {
    if (!withDateParts.has(def)) {
      withDateParts.set(def, { ...def, fields: [...def.fields, ...def.fields.filter((t) => t.type === 'date').flatMap(datePartFields)] });
    }
    KINDS[def.kind] = withDateParts.get(def)!;
  }
  RECORD_KINDS.splice(0, RECORD_KINDS.length, ...declared.map((d) => d.kind));
});

/** For a date part field ("dateOfBirth.day"): the date field and the part; otherwise null. */
export function datePartOf(field: string): { field: string; part: DatePart } | null {
  const m = /^(.+)\.(day|month|year)$/.exec(field);
  return m ? { field: m[1]!, part: m[2] as DatePart } : null;
}

export function isRecordKind(value: unknown): value is RecordKind {
  return typeof value === 'string' && RECORD_KINDS.includes(value);
}

/** The kind's field with this name, or undefined (safe for names like "__proto__"). */
export function targetField(kind: RecordKind, field: string): TargetField | undefined {
  return KINDS[kind]?.fields.find((t) => t.field === field);
}

// Header normalisation --------------------------------------------------------------------------------------------

/** A header as lower-case words: "PostCode" / "POST_CODE" / "Post-Code " → "post code"; "Height (m)" → "height m". */
export function normaliseHeader(header: string): string {
  let h = header.normalize('NFKC').normalize('NFD').replace(/\p{M}/gu, '');
  if (/\p{Ll}/u.test(h)) h = h.replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2'); // camelCase, unless the whole header is capitals
  return h.toLowerCase().replace(/&/g, ' and ').replace(/#/g, ' no ').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}
const compact = (words: string) => words.replace(/ /g, '');

/**
 * A unique key per column, as a mapping profile names them: exactly the header names the file reader gives rows
 * (read.ts uniqueHeaders), so a profile, a suggestion and a row agree. A repeated header gets " (2)", " (3)" (the
 * second "Notes" column is "Notes (2)"; repeats are found ignoring case); an empty header is "Column 5" (1-based).
 */
export function columnKeys(headers: readonly string[]): string[] {
  return uniqueHeaders(headers.map((h) => (typeof h === 'string' ? h : '')));
}

// Suggesting a mapping -------------------------------------------------------------------------------------------

export type MatchKind = 'exact' | 'synonym' | 'fuzzy';
export interface Candidate {
  field: string;
  confidence: number;
  match: MatchKind;
  reason: string;
}
export interface ColumnSuggestion {
  /** 0-based column position. */
  index: number;
  header: string;
  /** The key a mapping profile uses for this column (see columnKeys). */
  key: string;
  /** The suggested field, or null: leave the column out. */
  field: string | null;
  confidence: number;
  match: MatchKind | null;
  /** Why, in plain English. */
  reason: string;
  /** Other fields the column could be, best first (up to 3). */
  candidates: Candidate[];
}

// Words that say whose or which record a column belongs to, not what it is: "Tenant Surname", "Property Postcode".
const NOISE_WORDS = new Set(['tenant', 'tenants', 'customer', 'customers', 'client', 'person', 'persons', 'resident', 'contact', 'main', 'lead',
  'primary', 'current', 'property', 'prop', 'home', 'dwelling', 'unit', 'asset', 'repair', 'job', 'tenancy', 'alert', 'note', 'the', 'of', 'for', 's']);
// What a header must not shrink to once noise is dropped: too general to say which field ("Lead Tenant Ref" is not the tenancy's reference).
const GENERIC = new Set(['ref', 'reference', 'id', 'no', 'number', 'code', 'type', 'date', 'name', 'key', '']);

interface Entry { field: string; match: 'exact' | 'synonym'; order: number; written: string }

const indexes = new Map<RecordKind, { byCompact: Map<string, Entry[]>; fuzzy: { compact: string; entry: Entry }[] }>();
function indexFor(kind: RecordKind) {
  let index = indexes.get(kind);
  if (index) return index;
  const byCompact = new Map<string, Entry[]>();
  const fuzzy: { compact: string; entry: Entry }[] = [];
  KINDS[kind].fields.forEach((t, order) => {
    const names: [string, 'exact' | 'synonym'][] = [[t.field, 'exact'], [t.label, 'exact'], ...t.synonyms.map((s) => [s, 'synonym'] as [string, 'synonym'])];
    for (const [written, match] of names) {
      const c = compact(normaliseHeader(written));
      if (!c) continue;
      const list = byCompact.get(c) ?? [];
      if (!list.some((e) => e.field === t.field)) {
        const entry = { field: t.field, match, order, written };
        list.push(entry);
        fuzzy.push({ compact: c, entry });
      }
      byCompact.set(c, list);
    }
  });
  index = { byCompact, fuzzy };
  indexes.set(kind, index);
  return index;
}

/** Optimal string alignment distance (Levenshtein plus swapped neighbours: "Postocde" is 1 from "postcode"). */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur.push(d);
      best = Math.min(best, d);
    }
    if (best > limit) return limit + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length]!;
}

const label = (kind: RecordKind, field: string) => targetField(kind, field)?.label ?? field;
const q = (s: string) => `"${s.length > 60 ? s.slice(0, 57) + '…' : s}"`;
const digitsOf = (s: string) => s.replace(/\D/g, '');

/** Every field a header could be, best first. */
function candidatesFor(kind: RecordKind, header: string): (Candidate & { order: number })[] {
  const words = normaliseHeader(header);
  const c = compact(words);
  if (!c) return [];
  const { byCompact, fuzzy } = indexFor(kind);
  const out = new Map<string, Candidate & { order: number }>();
  const add = (cand: Candidate & { order: number }) => {
    const had = out.get(cand.field);
    if (!had || had.confidence < cand.confidence) out.set(cand.field, cand);
  };
  for (const e of byCompact.get(c) ?? []) {
    add(e.match === 'exact'
      ? { field: e.field, confidence: 1, match: 'exact', order: e.order, reason: `${q(header)} is the name of ${label(kind, e.field)}` }
      : { field: e.field, confidence: 0.95, match: 'synonym', order: e.order, reason: `${q(header)} is a usual name for ${label(kind, e.field)}` });
  }
  if (out.size === 0) {
    const kept = words.split(' ').filter((w) => !NOISE_WORDS.has(w));
    const dropped = words.split(' ').filter((w) => NOISE_WORDS.has(w));
    const rest = kept.join('');
    if (dropped.length && !GENERIC.has(rest)) {
      for (const e of byCompact.get(rest) ?? []) {
        add({ field: e.field, confidence: 0.85, match: 'synonym', order: e.order,
          reason: `${q(header)} reads as ${q(kept.join(' '))} (ignoring ${dropped.map((w) => q(w)).join(', ')}), a usual name for ${label(kind, e.field)}` });
      }
    }
  }
  if (out.size === 0 && c.length >= 5 && c.length <= 64) {
    for (const { compact: name, entry } of fuzzy) {
      if (name.length < 4 || digitsOf(name) !== digitsOf(c)) continue; // "Address 5" is not "Address 4"
      const d = editDistance(c, name, 2);
      if (d > 2) continue;
      const similarity = 1 - d / Math.max(c.length, name.length);
      if (similarity < 0.8) continue;
      add({ field: entry.field, confidence: Math.round(similarity * 0.9 * 100) / 100, match: 'fuzzy', order: entry.order,
        reason: `${q(header)} is close to ${q(entry.written)} (${d} letter${d === 1 ? '' : 's'} different), a name for ${label(kind, entry.field)}; check it` });
    }
  }
  return [...out.values()].sort((a, b) => b.confidence - a.confidence || a.order - b.order);
}

/**
 * Suggest which field each column holds. No two columns get the same field: the closer match wins (on a tie, the
 * column with fewer other choices, then the column further left), and the other column takes its next candidate or
 * is left unmapped with the reason.
 */
export function suggestMapping(kind: RecordKind, headers: readonly string[], rows?: readonly Record<string, string>[]): ColumnSuggestion[] {
  const keys = columnKeys(headers);
  const all = headers.map((h) => candidatesFor(kind, typeof h === 'string' ? h : ''));
  const generic = headers.map((h) => GENERIC.has(compact(normaliseHeader(typeof h === 'string' ? h : ''))));
  const quality = valueQuality(kind, keys, rows);
  const pairs = all.flatMap((cands, index) => cands.map((c) => ({ index, c })))
    // Equal matches are told apart by meaning: values that fill the column (and, for the record's own reference, are
    // all different) before blanks and repeats, then a header that says what it is ("propcode") before a bare "id",
    // then the column with fewer other choices ("Tel" before "Mobile", which can also be the mobile phone), and only
    // then the column further left.
    .sort((a, b) => b.c.confidence - a.c.confidence || quality(b.index, b.c.field) - quality(a.index, a.c.field)
      || Number(generic[a.index]) - Number(generic[b.index])
      || all[a.index]!.length - all[b.index]!.length || a.index - b.index || a.c.order - b.c.order);
  const chosen = new Map<number, Candidate>();
  const owner = new Map<string, number>();
  const assign = () => {
    chosen.clear(); owner.clear();
    for (const { index, c } of pairs) {
      if (chosen.has(index) || owner.has(c.field) || dropped.has(c.field)) continue;
      chosen.set(index, c);
      owner.set(c.field, index);
    }
  };
  // Day, month and year columns are suggested only as a complete set, and only for a date no column gives whole
  // ("Birthday" alone is not the day of a date of birth); otherwise those columns take their next candidate.
  const dropped = new Set<string>();
  for (;;) {
    assign();
    const partial = [...owner.keys()].map(datePartOf).filter((p): p is NonNullable<typeof p> => p !== null)
      .filter((p) => owner.has(p.field) || DATE_PARTS.some((x) => !owner.has(`${p.field}.${x}`)));
    if (!partial.length) break;
    for (const p of partial) for (const x of DATE_PARTS) dropped.add(`${p.field}.${x}`);
  }
  return headers.map((header, index) => {
    const h = typeof header === 'string' ? header : '';
    const candidates = all[index]!.filter((c) => !dropped.has(c.field)).map(({ field, confidence, match, reason }) => ({ field, confidence, match, reason }));
    const base = { index, header: h, key: keys[index]!, candidates: candidates.slice(0, 3) };
    const pick = chosen.get(index);
    if (pick) return { ...base, field: pick.field, confidence: pick.confidence, match: pick.match, reason: pick.reason };
    let reason: string;
    if (!compact(normaliseHeader(h))) reason = 'The column has no header, so it is left out; name it in the mapping if it holds data';
    else if (candidates.length === 0 && all[index]!.length) {
      const part = datePartOf(all[index]![0]!.field)!;
      reason = `${q(h)} reads as the ${part.part} of ${label(kind, part.field)}, but the file has no columns for the rest of that date, or has a column of whole dates; it is left out unless you map it`;
    } else if (candidates.length === 0) reason = `${q(h)} is not a name Hearth knows for any ${KINDS[kind].label.toLowerCase()} field; it is left out unless you map it`;
    else {
      const best = candidates[0]!;
      const winner = owner.get(best.field)!;
      const why = all[winner]!.find((x) => x.field === best.field)!.confidence > best.confidence ? 'more closely'
        : quality(winner, best.field) > quality(index, best.field) ? 'equally and its values are fuller (fewer blanks or repeats)'
          : generic[index] && !generic[winner] ? 'equally and its name says more clearly what it is'
            : all[winner]!.length < all[index]!.length ? 'equally and has no other field it could be' : 'equally and comes first';
      reason = `${q(h)} could be ${label(kind, best.field)}, but column ${winner + 1} (${q(keys[winner]!)}) matches it ${why}; a field takes one column, so this one is left out unless you map it`;
    }
    return { ...base, field: null, confidence: 0, match: null, reason };
  });
}

/** The field that identifies a record of each kind in its source: its values should all be different. */

/**
 * How well a column's sampled values suit a field, 0–1 in hundredths (so near-equal columns still tie): the share of
 * rows with a value, times, for the record's own reference, the share of those values that are different. 0 for all
 * columns when there are no rows (headers only).
 */
function valueQuality(kind: RecordKind, keys: readonly string[], rows: readonly Record<string, string>[] | undefined) {
  const cache = new Map<string, number>();
  return (index: number, field: string): number => {
    if (!rows?.length) return 0;
    const identity = field === KINDS[kind]?.identity;
    const id = `${index}|${identity}`;
    let q = cache.get(id);
    if (q === undefined) {
      const values = rows.map((r) => (r[keys[index]!] ?? '').trim()).filter(Boolean);
      q = Math.round((values.length / rows.length) * (identity && values.length ? new Set(values).size / values.length : 1) * 100) / 100;
      cache.set(id, q);
    }
    return q;
  };
}

export interface KindGuess {
  /** The most likely kind, or null when no kind fits or two fit equally well. */
  kind: RecordKind | null;
  /** Score per kind: matched columns weighted by confidence, fields only that kind has counting double. */
  scores: Record<RecordKind, number>;
  reason: string;
}

/** Guess which kind of record a file holds from its headers. */
export function detectKind(headers: readonly string[]): KindGuess {
  const scores = {} as Record<RecordKind, number>;
  for (const kind of RECORD_KINDS) {
    const score = suggestMapping(kind, headers).reduce((sum, s) => {
      if (!s.field) return sum;
      // A bare "id" or "ref" is every kind's reference: it says nothing about which kind the file holds.
      const telling = targetField(kind, s.field)?.distinctive && !GENERIC.has(compact(normaliseHeader(s.header)));
      return sum + s.confidence * (telling ? 2 : 1);
    }, 0);
    scores[kind] = Math.round(score * 100) / 100;
  }
  // A kind whose required fields the headings cannot give (an ASB parties file needs its case's reference) cannot load
  // the file, however many of its other headings match: kinds that can are ranked first.
  const loadable = new Set(RECORD_KINDS.filter((kind) => {
    const mapped = new Set(suggestMapping(kind, headers).flatMap((s) => (s.field ? [s.field] : [])));
    return KINDS[kind].required.every((group) => group.some((f) => mapped.has(f)));
  }));
  const ranked = [...RECORD_KINDS].sort((a, b) => Number(loadable.has(b)) - Number(loadable.has(a)) || scores[b] - scores[a]);
  const [first, second] = [ranked[0]!, ranked[1]!];
  if (scores[first] === 0) return { kind: null, scores, reason: 'No column heading is one Hearth knows; choose the kind of record' };
  if (loadable.has(first) === loadable.has(second) && scores[first] - scores[second] < 0.5) {
    return { kind: null, scores, reason: `The column headings fit ${KINDS[first].label.toLowerCase()} and ${KINDS[second].label.toLowerCase()} about equally; choose the kind of record` };
  }
  // In words for the person loading the file (issue 13, defect 8): which headings gave it away, never the scores.
  const matched = suggestMapping(first, headers).filter((s) => s.field);
  const telling = [...matched.filter((s) => targetField(first, s.field!)?.distinctive), ...matched].map((s) => s.header)
    .filter((h, i, all) => all.indexOf(h) === i).slice(0, 2);
  const label = KINDS[first].label.toLowerCase();
  const what = /history$/.test(label) ? label : `a list of ${label}`;
  return { kind: first, scores, reason: `The column headings look like ${what}${telling.length ? ` (for example ${telling.map((h) => `'${h}'`).join(', ')})` : ''}` };
}

// Mapping profiles -----------------------------------------------------------------------------------------------

/** A confirmed mapping for one source system's files, saved and reused (the JSON mapping file; docs/ingest.md). */
export interface MappingProfile {
  sourceSystem: string;
  kind: RecordKind;
  /** Column key (see columnKeys) → field, or null to leave the column out on purpose. */
  columns: Record<string, string | null>;
  /** Column key → date format, for date columns whose format is not to be detected per file. */
  dateFormats?: Record<string, DateFormat>;
  /** Field → { code as the source writes it → Hearth's code }, for codes Hearth does not recognise by itself. */
  values?: Record<string, Record<string, string>>;
  /** CSV: the row holding the column names, as a spreadsheet numbers it (title rows above it are not read). */
  headerRow?: number;
  /** JSON: where the records are in a document that wraps them: "results", "data.items". */
  jsonPath?: string;
  /** Keep only rows whose column holds one of the values ("RD*": any value starting RD); the rest are skipped, not rejected. */
  filter?: RowFilter | RowFilter[];
}

/** A profile from the suggestion, for the user to confirm or change. */
export function profileFromSuggestion(sourceSystem: string, kind: RecordKind, suggestion: readonly ColumnSuggestion[],
  dateFormats?: Record<string, DateFormat>): MappingProfile {
  const columns: Record<string, string | null> = {};
  for (const s of suggestion) Object.defineProperty(columns, s.key, { value: s.field, enumerable: true, writable: true, configurable: true });
  return dateFormats ? { sourceSystem, kind, columns, dateFormats } : { sourceSystem, kind, columns };
}

export interface ProfileIssue {
  code: 'not-an-object' | 'source-system-missing' | 'unknown-kind' | 'columns-missing' | 'unknown-field' | 'field-mapped-twice' |
    'missing-required' | 'missing-recommended' | 'header-not-in-file' | 'header-not-in-profile' | 'date-format-invalid' |
    'date-format-not-date-field' | 'duplicate-header' | 'unknown-setting' | 'values-invalid' | 'layout-invalid' | 'date-parts-incomplete';
  header?: string;
  field?: string;
  message: string;
}
export interface ProfileCheck {
  /** True when there are no errors: the file can be loaded with this profile (warnings are worth reading). */
  ok: boolean;
  errors: ProfileIssue[];
  warnings: ProfileIssue[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Settings about the file's layout rather than its columns (layout.ts): the header row, a JSON path, a row filter. */
const LAYOUT_SETTINGS = ['headerRow', 'jsonPath', 'filter'];
function layoutErrors(profile: Record<string, unknown>, headers: readonly string[]): ProfileIssue[] {
  const out: ProfileIssue[] = [];
  const { headerRow, jsonPath, filter } = profile;
  if (headerRow !== undefined && !(Number.isInteger(headerRow) && (headerRow as number) >= 1 && (headerRow as number) <= 1000)) {
    out.push({ code: 'layout-invalid', message: `"headerRow" must be the number of the row holding the column names, 1 to 1000 (it is ${JSON.stringify(headerRow)})` });
  }
  if (jsonPath !== undefined && (typeof jsonPath !== 'string' || !/^[^.\s]+(\.[^.\s]+)*$/.test(jsonPath))) {
    out.push({ code: 'layout-invalid', message: `"jsonPath" must name where the records are in a JSON document, such as "results" or "data.items" (it is ${JSON.stringify(jsonPath)})` });
  }
  if (filter !== undefined) for (const message of checkFilter(filter, columnKeys(headers))) out.push({ code: 'layout-invalid', message });
  return out;
}

/**
 * Check a mapping profile (typically parsed from a JSON mapping file, so anything) against a file's headers: unknown
 * kinds and fields, a field mapped from two columns, required fields with no column, columns the profile does not
 * mention (they would be left out) and columns it names that the file lacks.
 */
export function validateProfile(profile: unknown, headers: readonly string[]): ProfileCheck {
  const errors: ProfileIssue[] = [];
  const warnings: ProfileIssue[] = [];
  const done = () => ({ ok: errors.length === 0, errors, warnings });
  if (!isRecord(profile)) {
    errors.push({ code: 'not-an-object', message: 'The mapping is not a JSON object like { "sourceSystem": …, "kind": …, "columns": { … } }' });
    return done();
  }
  for (const k of Object.keys(profile)) {
    if (!['sourceSystem', 'kind', 'columns', 'dateFormats', 'values', ...LAYOUT_SETTINGS].includes(k)) {
      warnings.push({ code: 'unknown-setting', message: `The mapping has a setting ${q(k)} that Hearth does not use (expected sourceSystem, kind, columns, dateFormats, values, headerRow, jsonPath, filter); it is ignored` });
    }
  }
  errors.push(...layoutErrors(profile, headers));
  if (typeof profile.sourceSystem !== 'string' || !profile.sourceSystem.trim()) {
    errors.push({ code: 'source-system-missing', message: 'The mapping needs "sourceSystem": the name of the system the file came from, so records can be matched on the next import' });
  }
  if (!isRecordKind(profile.kind)) {
    errors.push({ code: 'unknown-kind', message: `${q(String(profile.kind))} is not a kind of record Hearth loads; use one of ${RECORD_KINDS.join(', ')}` });
    return done();
  }
  const kind = profile.kind;
  const columns = profile.columns;
  if (!isRecord(columns)) {
    errors.push({ code: 'columns-missing', message: 'The mapping needs "columns": an object from each column header to a field name, or null to leave it out' });
    return done();
  }

  const keys = columnKeys(headers);
  const inFile = new Set(keys);
  const repeated = new Map<string, string[]>();
  headers.forEach((h, i) => {
    const written = typeof h === 'string' ? h.replace(/^\uFEFF/, '').trim() : '';
    if (written) repeated.set(written.toLowerCase(), [...(repeated.get(written.toLowerCase()) ?? []), keys[i]!]);
  });
  for (const named of repeated.values()) {
    if (named.length > 1) {
      warnings.push({ code: 'duplicate-header', header: named[0]!, message: `The file has ${named.length} columns headed ${q(named[0]!)}; the mapping names them ${named.map(q).join(', ')}` });
    }
  }

  const fieldColumns = new Map<string, string[]>();
  for (const [header, field] of Object.entries(columns)) {
    if (!inFile.has(header)) {
      warnings.push({ code: 'header-not-in-file', header, message: `The mapping names a column ${q(header)} that this file does not have` });
    }
    if (field === null) continue;
    if (typeof field !== 'string' || !targetField(kind, field)) {
      const known = KINDS[kind].fields.map((t) => t.field).join(', ');
      errors.push({ code: 'unknown-field', header, field: String(field), message: `Column ${q(header)} is mapped to ${q(String(field))}, which is not a field of ${KINDS[kind].label.toLowerCase()} (fields: ${known})` });
      continue;
    }
    if (inFile.has(header)) fieldColumns.set(field, [...(fieldColumns.get(field) ?? []), header]);
  }
  for (const [field, hs] of fieldColumns) {
    if (hs.length > 1) {
      errors.push({ code: 'field-mapped-twice', field, message: `${label(kind, field)} is mapped from ${hs.length} columns (${hs.map(q).join(', ')}); a field takes one column` });
    }
  }
  // A date from day, month and year columns needs all three, and not a whole-date column as well.
  for (const t of KINDS[kind].fields.filter((x) => x.type === 'date')) {
    const parts = DATE_PARTS.filter((p) => fieldColumns.has(`${t.field}.${p}`));
    if (!parts.length) continue;
    const columnsOf = parts.map((p) => fieldColumns.get(`${t.field}.${p}`)![0]!);
    if (parts.length < 3) {
      const missing = DATE_PARTS.filter((p) => !parts.includes(p));
      errors.push({ code: 'date-parts-incomplete', field: t.field, message: `${t.label} is mapped from ${columnsOf.map(q).join(', ')} (${parts.join(', ')}) but no column gives its ${missing.join(' and ')}; map all three (${DATE_PARTS.map((p) => q(`${t.field}.${p}`)).join(', ')}), or map one column of whole dates to ${q(t.field)}` });
    } else if (fieldColumns.has(t.field)) {
      errors.push({ code: 'field-mapped-twice', field: t.field, message: `${t.label} is mapped from ${q(fieldColumns.get(t.field)![0]!)} and from day, month and year columns (${columnsOf.map(q).join(', ')}); map one or the other` });
    } else fieldColumns.set(t.field, columnsOf);
  }
  for (const key of keys) {
    if (!Object.hasOwn(columns, key)) {
      warnings.push({ code: 'header-not-in-profile', header: key, message: `Column ${q(key)} is not in the mapping, so it will not be loaded; map it to a field, or to null to leave it out on purpose` });
    }
  }
  const def = KINDS[kind];
  for (const group of def.required) {
    if (!group.some((field) => fieldColumns.has(field))) {
      const names = group.map((field) => label(kind, field));
      errors.push({ code: 'missing-required', field: group[0]!, message: group.length === 1
        ? `No column is mapped to ${names[0]}, which ${def.label.toLowerCase()} need`
        : `No column is mapped to any of ${names.join(', ')}; ${def.label.toLowerCase()} need at least one` });
    }
  }
  for (const field of def.recommended) {
    if (!fieldColumns.has(field)) {
      warnings.push({ code: 'missing-recommended', field, message: `No column is mapped to ${label(kind, field)}; the records will load without it and show as incomplete` });
    }
  }

  const values = profile.values;
  if (values !== undefined) {
    if (!isRecord(values) || !Object.values(values).every((m) => isRecord(m) && Object.values(m).every((v) => typeof v === 'string'))) {
      errors.push({ code: 'values-invalid', message: '"values" must be an object from field name to { "code as written": "Hearth code" }' });
    } else {
      for (const field of Object.keys(values)) {
        if (!targetField(kind, field)) errors.push({ code: 'values-invalid', field, message: `"values" names ${q(field)}, which is not a field of ${def0(kind)}` });
      }
    }
  }
  const dateFormats = profile.dateFormats;
  if (dateFormats !== undefined) {
    if (!isRecord(dateFormats)) {
      errors.push({ code: 'date-format-invalid', message: '"dateFormats" must be an object from column header to a date format' });
    } else {
      for (const [header, format] of Object.entries(dateFormats)) {
        if (typeof format !== 'string' || !Object.hasOwn(DATE_FORMATS, format)) {
          errors.push({ code: 'date-format-invalid', header, message: `The date format ${q(String(format))} for column ${q(header)} is not one Hearth reads; use one of ${Object.keys(DATE_FORMATS).join(', ')}` });
          continue;
        }
        const field = Object.hasOwn(columns, header) ? columns[header] : undefined;
        if (typeof field !== 'string' || targetField(kind, field)?.type !== 'date') {
          warnings.push({ code: 'date-format-not-date-field', header, message: `A date format is given for column ${q(header)}, which is not mapped to a date field; it is ignored` });
        }
      }
    }
  }
  return done();
}

/** The field for each column of the file (by position), from a profile that validateProfile accepted. */
const def0 = (kind: RecordKind) => KINDS[kind].label.toLowerCase();

export function columnFields(profile: MappingProfile, headers: readonly string[]): (string | null)[] {
  return columnKeys(headers).map((key) => {
    const field = Object.hasOwn(profile.columns, key) ? profile.columns[key] : null;
    return typeof field === 'string' && targetField(profile.kind, field) ? field : null;
  });
}
