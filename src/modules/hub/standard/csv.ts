// The standard's CSV profile, for landlords who publish files: one file per record type (homes.csv, measures.csv),
// one record per row, nested fields flattened into fixed column names derived from the schema (block.storeys →
// block_storeys, rp02_1.numerator → rp02_1_numerator). A file is a whole snapshot: a home left out of a new homes.csv
// is gone, so the profile has no deletions. Rows are checked by the same validator as pushed records; an error names
// the row (its line in the file, the header being line 1) and the column.
import { parse } from 'csv-parse/sync';
import type { TSchema } from 'typebox';
import { HomeSchema, MeasuresSchema, type StandardRecord } from './schema.ts';
import { personalMatch } from './personal.ts';
import { validateRecord } from './validate.ts';

export type CsvKind = 'homes' | 'measures';
export const CSV_FILES: Readonly<Record<CsvKind, string>> = { homes: 'homes.csv', measures: 'measures.csv' };
const RECORD_TYPE = { homes: 'home', measures: 'measures' } as const;
const SCHEMA: Record<CsvKind, TSchema> = { homes: HomeSchema, measures: MeasuresSchema };

export type CellType = 'integer' | 'number' | 'boolean' | 'text';
export interface CsvColumn {
  column: string;
  /** The field it fills, as a JSON pointer within the record. */
  pointer: string;
  type: CellType;
  /** Whether every row must give it (a field of an optional object, such as block_reference, is required only with it). */
  required: boolean;
  description: string;
}
export interface CsvRowError {
  /** 1-based line of the file the row starts on (the header is line 1). */
  row: number;
  /** The column, as the header names it ("" for the row or the file as a whole). */
  column: string;
  message: string;
}
export interface CsvResult { records: StandardRecord[]; errors: CsvRowError[]; rows: number }

type Json = Record<string, unknown>;
const snake = (key: string) => key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/** block + blockReference → block_reference (the child's own name already says "block"). */
function columnName(parent: string, key: string): string {
  const child = snake(key);
  if (!parent) return child;
  const last = parent.split('_').slice(-1)[0];
  return child.startsWith(`${last}_`) ? `${parent}${child.slice(last!.length)}` : `${parent}_${child}`;
}

function cellType(s: Json): CellType {
  if (s.type === 'integer') return 'integer';
  if (s.type === 'number') return 'number';
  if (s.type === 'boolean') return 'boolean';
  return 'text'; // strings, dates and code lists (unions of text literals)
}

function columnsOf(schema: Json, pointer = '', prefix = '', required = true): CsvColumn[] {
  const properties = schema.properties as Record<string, Json>;
  const needed = new Set((schema.required as string[] | undefined) ?? []);
  return Object.entries(properties).flatMap(([key, s]) => {
    if (pointer === '' && key === 'type') return []; // the file says which type its rows are
    const column = columnName(prefix, key);
    const isRequired = required && needed.has(key);
    if (s.type === 'object') return columnsOf(s, `${pointer}/${key}`, column, isRequired);
    return [{ column, pointer: `${pointer}/${key}`, type: cellType(s), required: isRequired, description: String(s.description ?? '') }];
  });
}

const COLUMNS: Record<CsvKind, CsvColumn[]> = {
  homes: columnsOf(SCHEMA.homes as unknown as Json),
  measures: columnsOf(SCHEMA.measures as unknown as Json),
};

/** The columns of a file of the profile, in the order a template lists them. */
export const csvColumns = (kind: CsvKind): readonly CsvColumn[] => COLUMNS[kind];

/** A cell as the value its field takes; left as text when it is not one, so the validator says what it should be. */
function valueOf(cell: string, type: CellType): unknown {
  if (type === 'integer' && /^[+-]?\d+$/.test(cell)) return Number(cell);
  if (type === 'number' && /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(cell)) return Number(cell);
  if (type === 'boolean' && /^(true|yes)$/i.test(cell)) return true;
  if (type === 'boolean' && /^(false|no)$/i.test(cell)) return false;
  return cell;
}

function setAt(record: Json, pointer: string, value: unknown) {
  const keys = pointer.split('/').slice(1);
  let at = record;
  for (const key of keys.slice(0, -1)) at = (at[key] ??= {}) as Json;
  at[keys[keys.length - 1]!] = value;
}

// A stray quote inside a cell is kept as part of its value (relax_quotes), so the cell's own check names it; a quote
// that is opened and never closed swallows the rest of the file, which can only be reported.
const QUOTE_PROBLEMS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'opens a quoted cell that is never closed, so the rest of the file cannot be read as rows (a quote inside a cell is written twice: "")',
};

/** The line a record starts on, from the line it ends on and the line breaks in its raw text. */
const startLine = (endLine: number, raw: string) => endLine - (raw.replace(/^(\r?\n)+/, '').replace(/\r?\n$/, '').match(/\n/g)?.length ?? 0);

/**
 * A file of the CSV profile → the valid records and each bad row's errors. A header with a column the profile does
 * not have (it could carry anything, personal data included), a repeated column or a required column missing refuses
 * the whole file; otherwise bad rows are reported and the rest go through.
 */
export function parseStandardCsv(kind: CsvKind, text: string, options: { now?: Date } = {}): CsvResult {
  const file = CSV_FILES[kind];
  const errors: CsvRowError[] = [];
  const rows = parse(text, {
    bom: true, info: true, raw: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, skip_records_with_error: true,
    on_skip: (err, raw) => {
      const e = err as { code?: string; lines?: number; message?: string } | undefined;
      errors.push({ row: startLine(e?.lines ?? 1, raw ?? ''), column: '', message: `This row ${QUOTE_PROBLEMS[e?.code ?? ''] ?? `cannot be read as CSV (${e?.message ?? 'unknown problem'})`}` });
      return undefined;
    },
  }) as unknown as { record: string[]; info: { lines: number }; raw: string }[];

  const [header, ...body] = rows;
  if (!header) return { records: [], errors: [...errors, { row: 1, column: '', message: `${file} is empty: it needs a header row naming its columns` }], rows: 0 };
  const headerRow = startLine(header.info.lines, header.raw);
  const names = header.record.map((c) => c.trim());
  const known = new Map(COLUMNS[kind].map((c) => [c.column, c]));
  const headerErrors: CsvRowError[] = [];
  names.forEach((name, i) => {
    if (!known.has(name)) {
      const personal = personalMatch(name);
      headerErrors.push({ row: headerRow, column: name, message: name === ''
        ? `Column ${i + 1} has no name in the header: every column of ${file} is named`
        : `${name} is not a column of ${file}${personal ? `, and looks like personal data ("${personal}"), which the standard never carries` : ''}: remove it (the file is not read until it is)` });
    } else if (names.indexOf(name) !== i) {
      headerErrors.push({ row: headerRow, column: name, message: `${name} is in the header twice: each column once` });
    }
  });
  for (const c of COLUMNS[kind]) {
    if (c.required && !names.includes(c.column)) headerErrors.push({ row: headerRow, column: c.column, message: `${c.column} is missing from the header: ${file} needs it` });
  }
  if (headerErrors.length) return { records: [], errors: [...errors, ...headerErrors], rows: body.length };

  const columnOf = new Map(COLUMNS[kind].map((c) => [c.pointer, c.column]));
  // A field that is not one column (a record's survey, or the row itself) is named by its first column.
  const nameOf = (pointer: string) => columnOf.get(pointer)
    ?? (pointer === '' ? 'This row' : COLUMNS[kind].find((c) => c.pointer.startsWith(`${pointer}/`))?.column ?? pointer);
  const records: StandardRecord[] = [];
  for (const { record: cells, info, raw } of body) {
    const row = startLine(info.lines, raw);
    if (cells.length > names.length) {
      errors.push({ row, column: '', message: `This row has ${cells.length} cells but the header names ${names.length} columns: a cell outside every column is not read, so the row is left out` });
      continue;
    }
    const record: Json = { type: RECORD_TYPE[kind] };
    cells.forEach((cell, i) => {
      const value = cell.trim();
      if (value !== '') setAt(record, known.get(names[i]!)!.pointer, valueOf(value, known.get(names[i]!)!.type));
    });
    const r = validateRecord(record, { now: options.now, name: nameOf });
    if (r.record) records.push(r.record);
    else for (const e of r.errors) errors.push({ row, column: e.field === '' ? '' : nameOf(e.field), message: e.message });
  }
  errors.sort((a, b) => a.row - b.row);
  return { records, errors, rows: body.length };
}

/** Records as a file of the CSV profile (the columns csvColumns lists, in order; blank where a field is not given). */
export function standardCsv(kind: CsvKind, records: readonly StandardRecord[]): string {
  const columns = COLUMNS[kind];
  const at = (record: unknown, pointer: string): unknown =>
    pointer.split('/').slice(1).reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Json)[k] : undefined), record);
  const cell = (v: unknown) => {
    if (v === undefined || v === null) return '';
    const s = String(v);
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  const lines = [columns.map((c) => c.column).join(',')];
  for (const r of records) if (r.type === RECORD_TYPE[kind]) lines.push(columns.map((c) => cell(at(r, c.pointer))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
