// One file row → the record's fields: each mapped column's value normalised by its field's type, and every problem
// named (column, value, rule, plain-English message). Pure: no database.
import { KINDS, columnFields, datePartOf, targetField, type DatePart, type FieldType, type MappingProfile, type RecordKind } from './mapping.ts';
import * as n from './normalise.ts';
import { analyseDateColumn, type DateFormat, type DetectedDateFormat, type Raw } from './normalise.ts';
import type { FileRow } from './read.ts';
import type { RowProblem } from '../../platform/records/load.ts';
import { visibleNul } from '../../platform/http/validation.ts';

import type { FieldValue, Fields } from '../../platform/records/load.ts';
export type { FieldValue, Fields };

export interface ColumnPlan {
  header: string;
  field: string;
  type: FieldType;
  dateFormat?: DetectedDateFormat;
  /** A column of dates written in more than one format: its formats, the most usual first (normalise.ts mixedDate). */
  dateFormats?: DateFormat[];
}

/** A date mapped from day, month and year columns; `header` names the three, for messages. */
export interface CombinedDate {
  field: string;
  header: string;
  parts: Record<DatePart, string>;
}

export interface Plan {
  kind: RecordKind;
  columns: ColumnPlan[];
  /** Dates given in day, month and year columns. */
  combined: CombinedDate[];
  /** The fields mapped from some column: only these are written (a field the file does not have is left alone). */
  mapped: Set<string>;
  /** Year used to read two-digit years (dd/mm/yy): the import's year. */
  pivotYear: number;
}

/** Rules that the loader (not a single value's normaliser) applies, with what they mean (docs/ingest.md). */
export const ROW_RULES = {
  'row-malformed': 'The row has a different number of fields from the header (a stray delimiter or quote).',
  'row-empty': 'Every cell of the row is empty.',
  'nul-character': 'A value holding the NUL character (U+0000), which the database cannot store; shown as ␀ in reports.',
  'integer-invalid': 'Not a whole number.',
  'number-invalid': 'Not a number.',
  'required-missing': 'A value the record cannot exist without is empty.',
  'code-unknown': 'A code the mapping does not translate into one of Hearth\'s codes.',
  'code-conflict': 'Two codes that contradict each other (an alert category that does not fit its HACT code).',
  'value-out-of-range': 'A number outside the range that makes sense for the field.',
  'home-not-matched': 'The home it names (reference, UPRN or address) matches no home, or more than one.',
  'person-not-matched': 'The person it names matches no person loaded from this source.',
  'tenancy-not-matched': 'The tenancy it names matches no tenancy.',
  'duplicate-in-file': 'The same record (source id) appears earlier in the file; only the first is loaded.',
  'conflict-in-file': 'Rows of the same record disagree on a value they share (a tenancy\'s start date, say).',
  'block-not-placed': 'A block named with no postcode, street or estate to tell it from other buildings of the same name: kept as a block of this source alone, to be checked.',
} as const;

/** The file column (or columns, for a date from day, month and year) a field is read from. */
export function columnOf(plan: Plan, field: string): string | null {
  return plan.columns.find((c) => c.field === field)?.header ?? plan.combined.find((c) => c.field === field)?.header ?? null;
}

/** The field a problem's column is read into, or null for a problem of the whole row. */
export function fieldOf(plan: Plan, column: string | null): string | null {
  if (column === null) return null;
  return plan.columns.find((c) => c.header === column)?.field ?? plan.combined.find((c) => c.header === column)?.field ?? null;
}

/**
 * A row's problems parted into those that reject it and warnings: values of fields that do not identify the record,
 * which are left out (their field is already empty) while the row loads. A warning's message says so. When the row
 * is rejected anyway, every problem is given with the rejection.
 */
export function partProblems(plan: Plan, problems: RowProblem[], identifying: ReadonlySet<string>): { rejecting: RowProblem[]; warnings: RowProblem[] } {
  const rejecting: RowProblem[] = [];
  const warnings: RowProblem[] = [];
  for (const p of problems) {
    const field = p.rule === 'required-missing' ? null : fieldOf(plan, p.column);
    if (field === null || identifying.has(field)) rejecting.push(p);
    else warnings.push(p);
  }
  if (rejecting.length) return { rejecting: [...rejecting, ...warnings], warnings: [] };
  return { rejecting, warnings: warnings.map((p) => ({ ...p, outcome: 'warning', message: p.message + LEFT_OUT })) };
}

const LEFT_OUT = '; left out of the record, and the row is loaded';

/** A warning as one of the problems of a row its loader rejected after all. */
export function asRejection(p: RowProblem): RowProblem {
  return { column: p.column, value: p.value, rule: p.rule, message: p.message.endsWith(LEFT_OUT) ? p.message.slice(0, -LEFT_OUT.length) : p.message };
}

export class PlanError extends Error {}

/**
 * The columns to read and how, from a profile checked against the file's headers. Date columns without a format in
 * the profile take the format their values show (from the sample). A column written in more than one format is read
 * value by value (normalise.ts mixedDate: a date that reads two ways takes the column's usual reading and is for
 * review); only a column where every date could be read two ways (01/02/2020: 1 February or 2 January?) and nothing
 * says which stops the import, with a message saying which column and what to set — never guessed. Day, month and
 * year columns of one date are read together (CombinedDate).
 */
export function makePlan(profile: MappingProfile, headers: string[], sample: FileRow[], now = new Date()): Plan {
  const fields = columnFields(profile, headers);
  const columns: ColumnPlan[] = [];
  const parts = new Map<string, Partial<Record<DatePart, string>>>();
  const keys = headers;
  fields.forEach((field, i) => {
    if (!field) return;
    const part = datePartOf(field);
    if (part) { parts.set(part.field, { ...parts.get(part.field), [part.part]: keys[i]! }); return; }
    const type = targetField(profile.kind, field)!.type;
    const header = keys[i]!;
    const col: ColumnPlan = { header, field, type };
    if (type === 'date') {
      const fixed = profile.dateFormats && Object.hasOwn(profile.dateFormats, header) ? profile.dateFormats[header] : undefined;
      if (fixed) col.dateFormat = fixed as DateFormat;
      else {
        const analysis = analyseDateColumn(sample.map((r) => r.values[header]));
        if (analysis.values === 0) col.dateFormat = 'iso';
        else if (analysis.format === 'mixed' && analysis.ranked?.length) {
          col.dateFormat = analysis.ranked[0]!;
          col.dateFormats = analysis.ranked;
        } else if (analysis.format === 'ambiguous' || analysis.format === 'mixed' || analysis.format === 'unknown') {
          throw new PlanError(`Column "${header}" (${targetField(profile.kind, field)!.label}): ${analysis.message}. ` +
            `Choose how its dates are written when you check the columns (in a mapping file: "dateFormats": { "${header}": "dmy" } for dd/mm/yyyy).`);
        } else col.dateFormat = analysis.format;
      }
    }
    columns.push(col);
  });
  const combined = [...parts].filter(([, p]) => p.day && p.month && p.year)
    .map(([field, p]) => ({ field, header: `${p.day}, ${p.month}, ${p.year}`, parts: p as Record<DatePart, string> }));
  return { kind: profile.kind, columns, combined, mapped: new Set([...columns.map((c) => c.field), ...combined.map((c) => c.field)]), pivotYear: now.getUTCFullYear() };
}

export interface Converted {
  fields: Fields;
  problems: RowProblem[];
  /** For a person to check, though the row loads: a date that reads two ways. */
  review: RowProblem[];
}

const cut = (v: string) => (v.length > 500 ? v.slice(0, 497) + '…' : v);

type ValueResult = { value: FieldValue; review?: string } | { rule: string; message: string };

function convertValue(col: ColumnPlan, raw: Raw, pivotYear: number, label: string): ValueResult {
  const t = typeof raw === 'string' ? raw : raw === null || raw === undefined ? '' : String(raw);
  switch (col.type) {
    case 'text': {
      const v = t.trim();
      return { value: v === '' ? null : v };
    }
    case 'code': {
      const v = t.normalize('NFKC').trim().replace(/\s+/g, ' ');
      return { value: v === '' ? null : v };
    }
    case 'uprn': return result(n.uprn(raw));
    case 'postcode': return result(n.postcode(raw));
    case 'name': return result(n.personName(raw));
    case 'email': return result(n.email(raw));
    case 'phone': return result(n.phone(raw));
    case 'date': {
      if (!col.dateFormats) return result(n.parseDate(raw, col.dateFormat ?? 'unknown', { pivotYear }));
      const r = n.mixedDate(raw, col.dateFormats, { pivotYear });
      if (!r.ok) return { rule: r.rule, message: r.message };
      if (!r.alternatives || r.value === null) return { value: r.value };
      const others = r.alternatives.map((a) => `${n.longDate(a.value)} (${n.DATE_FORMATS[a.format]})`).join(' or ');
      return { value: r.value, review: `${n.quote(t)} reads two ways in a column whose dates are written both ways: ${label} is loaded as ` +
        `${n.longDate(r.value)} (${n.DATE_FORMATS[r.format!]}, as most of the column), but it could be ${others}; check it, and correct it in the source if need be` };
    }
    case 'date-part': throw new Error(`${col.field}: a day, month or year column is read with the others (CombinedDate)`);
    case 'integer': {
      const v = t.trim().replace(/,/g, '');
      if (v === '') return { value: null };
      if (!/^[+-]?\d+(\.0+)?$/.test(v) || !Number.isSafeInteger(Number(v))) return { rule: 'integer-invalid', message: `${n.quote(t)} is not a whole number` };
      return { value: Number(v) };
    }
    case 'number': {
      const v = t.trim().replace(/,/g, '').replace(/\s*m$/i, '');
      if (v === '') return { value: null };
      if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(v)) return { rule: 'number-invalid', message: `${n.quote(t)} is not a number` };
      return { value: Number(v) };
    }
  }
}

function result(r: n.Normalised<string | null>): { value: FieldValue } | { rule: string; message: string } {
  return r.ok ? { value: r.value } : { rule: r.rule, message: r.message };
}

/** A row's fields, normalised; problems name the column, the value as read, the rule and what to do. */
export function convertRow(plan: Plan, row: FileRow): Converted {
  const problems: RowProblem[] = [];
  const review: RowProblem[] = [];
  const fields: Fields = {};
  if (row.problem) problems.push({ column: null, value: null, rule: 'row-malformed', message: `Row ${row.row} ${row.problem}` });
  let anyValue = false;
  for (const v of Object.values(row.values)) if (v !== '' && v !== null && v !== undefined) { anyValue = true; break; }
  if (!anyValue) {
    problems.push({ column: null, value: null, rule: 'row-empty', message: `Row ${row.row} is empty` });
    return { fields, problems, review };
  }
  for (const col of plan.columns) {
    const raw = row.values[col.header];
    if (typeof raw === 'string' && raw.includes('\u0000')) {
      fields[col.field] = null;
      const shown = visibleNul(raw);
      problems.push({ column: col.header, value: cut(shown), rule: 'nul-character',
        message: `${col.header}: ${n.quote(shown)} holds the NUL character (U+0000, shown here as ␀), which Hearth cannot store; remove it in the source and load the file again` });
      continue;
    }
    const r = convertValue(col, raw, plan.pivotYear, targetField(plan.kind, col.field)?.label ?? col.field);
    if ('value' in r) {
      fields[col.field] = r.value;
      if (r.review) review.push({ column: col.header, value: cut(String(raw)), rule: 'date-two-readings', message: `${col.header}: ${r.review}` });
    } else {
      fields[col.field] = null;
      problems.push({ column: col.header, value: raw === undefined || raw === null ? null : cut(String(raw)), rule: r.rule, message: `${col.header}: ${r.message}` });
    }
  }
  for (const c of plan.combined) {
    const raws = [c.parts.day, c.parts.month, c.parts.year].map((h) => row.values[h]) as [Raw, Raw, Raw];
    const r = n.dateFromParts(...raws);
    fields[c.field] = r.ok ? r.value : null;
    if (!r.ok) {
      const label = targetField(plan.kind, c.field)?.label ?? c.field;
      problems.push({ column: c.header, value: cut(raws.map((v) => (v === null || v === undefined ? '' : visibleNul(String(v)))).join(' / ')), rule: r.rule,
        message: `${c.header} (${label}): ${r.message}` });
    }
  }
  return { fields, problems, review };
}

/** A problem for a field the kind needs (e.g. a person's family name) when it is empty. */
export function requireFields(plan: Plan, fields: Fields, names: string[]): RowProblem[] {
  const out: RowProblem[] = [];
  for (const name of names) {
    if (fields[name] !== null && fields[name] !== undefined && fields[name] !== '') continue;
    const header = columnOf(plan, name);
    const label = targetField(plan.kind, name)?.label ?? name;
    out.push({ column: header, value: null, rule: 'required-missing',
      message: header ? `${header}: ${label} is empty, and ${KINDS[plan.kind].label.toLowerCase()} need it` : `${label} is not in the file, and ${KINDS[plan.kind].label.toLowerCase()} need it` });
  }
  return out;
}
