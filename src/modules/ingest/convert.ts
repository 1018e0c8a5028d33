// One file row → the record's fields: each mapped column's value normalised by its field's type, and every problem
// named (column, value, rule, plain-English message). Pure: no database.
import { KINDS, columnFields, targetField, type FieldType, type MappingProfile, type RecordKind } from './mapping.ts';
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
}

export interface Plan {
  kind: RecordKind;
  columns: ColumnPlan[];
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
} as const;

export class PlanError extends Error {}

/**
 * The columns to read and how, from a profile checked against the file's headers. Date columns without a format in
 * the profile take the format their values show (from the sample); one that could be read two ways (01/02/2020:
 * 1 February or 2 January?) stops the import with a message saying which column and what to set — never guessed.
 */
export function makePlan(profile: MappingProfile, headers: string[], sample: FileRow[], now = new Date()): Plan {
  const fields = columnFields(profile, headers);
  const columns: ColumnPlan[] = [];
  const keys = headers;
  fields.forEach((field, i) => {
    if (!field) return;
    const type = targetField(profile.kind, field)!.type;
    const header = keys[i]!;
    const col: ColumnPlan = { header, field, type };
    if (type === 'date') {
      const fixed = profile.dateFormats && Object.hasOwn(profile.dateFormats, header) ? profile.dateFormats[header] : undefined;
      if (fixed) col.dateFormat = fixed as DateFormat;
      else {
        const analysis = analyseDateColumn(sample.map((r) => r.values[header]));
        if (analysis.values === 0) col.dateFormat = 'iso';
        else if (analysis.format === 'ambiguous' || analysis.format === 'mixed' || analysis.format === 'unknown') {
          throw new PlanError(`Column "${header}" (${targetField(profile.kind, field)!.label}): ${analysis.message}. ` +
            `Set its format in the mapping ("dateFormats": { "${header}": "dmy" } for dd/mm/yyyy; formats: iso, dmy, mdy, dmy-yy, mdy-yy, excel-serial).`);
        } else col.dateFormat = analysis.format;
      }
    }
    columns.push(col);
  });
  return { kind: profile.kind, columns, mapped: new Set(columns.map((c) => c.field)), pivotYear: now.getUTCFullYear() };
}

export interface Converted {
  fields: Fields;
  problems: RowProblem[];
}

const cut = (v: string) => (v.length > 500 ? v.slice(0, 497) + '…' : v);

function convertValue(col: ColumnPlan, raw: Raw, pivotYear: number): { value: FieldValue } | { rule: string; message: string } {
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
    case 'date': return result(n.parseDate(raw, col.dateFormat ?? 'unknown', { pivotYear }));
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
  const fields: Fields = {};
  if (row.problem) problems.push({ column: null, value: null, rule: 'row-malformed', message: `Row ${row.row} ${row.problem}` });
  let anyValue = false;
  for (const v of Object.values(row.values)) if (v !== '' && v !== null && v !== undefined) { anyValue = true; break; }
  if (!anyValue) {
    problems.push({ column: null, value: null, rule: 'row-empty', message: `Row ${row.row} is empty` });
    return { fields, problems };
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
    const r = convertValue(col, raw, plan.pivotYear);
    if ('value' in r) fields[col.field] = r.value;
    else {
      fields[col.field] = null;
      problems.push({ column: col.header, value: raw === undefined || raw === null ? null : cut(String(raw)), rule: r.rule, message: `${col.header}: ${r.message}` });
    }
  }
  return { fields, problems };
}

/** A problem for a field the kind needs (e.g. a person's family name) when it is empty. */
export function requireFields(plan: Plan, fields: Fields, names: string[]): RowProblem[] {
  const out: RowProblem[] = [];
  for (const name of names) {
    if (fields[name] !== null && fields[name] !== undefined && fields[name] !== '') continue;
    const col = plan.columns.find((c) => c.field === name);
    const label = targetField(plan.kind, name)?.label ?? name;
    out.push({ column: col?.header ?? null, value: null, rule: 'required-missing',
      message: col ? `${col.header}: ${label} is empty, and ${KINDS[plan.kind].label.toLowerCase()} need it` : `${label} is not in the file, and ${KINDS[plan.kind].label.toLowerCase()} need it` });
  }
  return out;
}
