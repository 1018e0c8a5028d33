// What a module implements to load its kind of record from files (src/modules/<m>/import.ts), and what the ingest
// pipeline gives it. The pipeline reads, maps and normalises rows; the module turns fields into its records
// (through bulkUpsert on its own tables), resolves the links it needs through other modules' services, and says
// for each row what happened.
import type { Db } from '../db/store.ts';
import type { BulkOutcome } from './bulk.ts';

export type FieldValue = string | number | null;
export type Fields = Record<string, FieldValue>;

export interface RowProblem {
  /** The file's column, or null when the problem is the row's. */
  column: string | null;
  value: string | null;
  rule: string;
  message: string;
  /** Set on a loaded row's problem whose value was left out of the record (the row's outcome may be 'review'). */
  outcome?: 'warning';
}

export interface LoadRow {
  row: number;
  fields: Fields;
  /**
   * Fields whose value the row gave but could not be used (left out with a warning): empty in `fields`, and a record
   * loaded before keeps its value for them (keptColumns).
   */
  leftOut?: ReadonlySet<string>;
}

/**
 * Which of a loader's bulk columns hold a field the row left out (by the field each column is filled from), for
 * BulkRow.keep: the record keeps its stored value there rather than being blanked by a bad value.
 */
export function keptColumns(columns: readonly { field: string; from?: string }[], leftOut: ReadonlySet<string> | undefined): number[] | undefined {
  if (!leftOut?.size) return undefined;
  const keep = columns.flatMap((c, i) => (leftOut.has(c.from ?? c.field) ? [i] : []));
  return keep.length ? keep : undefined;
}

export interface LoadContext {
  organisationId: string;
  sourceSystem: string;
  importId: string;
  /** Fields the file maps: only these are written, so a column the file lacks never blanks a value. */
  mapped: ReadonlySet<string>;
  /** The file column a field comes from, for problems that name it. */
  columnOf(field: string): string | null;
  /** Translations of codes as written in the source ("FLT") to Hearth's ("flat"), per field, from the mapping. */
  values: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export interface LoadResult {
  outcome: BulkOutcome | 'rejected';
  /** Why a row was rejected. */
  problems?: RowProblem[];
  /** For an accepted row: what a person should look at (a home that matched nothing). */
  review?: RowProblem[];
  /** For an accepted row: optional values left out of the record (an unknown code of an optional field, say). */
  warnings?: RowProblem[];
}

export interface KindLoader {
  /** The record's identity in its source (within-file duplicates share it), or null when the row lacks it. */
  key(fields: Fields): string | null;
  /** Fields a row cannot load without. */
  required: string[];
  /** When they depend on which fields the file maps (homes: the UPRN, when there is no property reference column). */
  requiredWhen?(mapped: ReadonlySet<string>): string[];
  /** Load a batch (keys distinct) in the caller's transaction; one result per row, in order. */
  load(tx: Db, ctx: LoadContext, rows: LoadRow[]): Promise<LoadResult[]>;
}

const squash = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, '');

/**
 * A code as written in a source → one of Hearth's codes: the mapping's own translation first, then the code itself,
 * its label, or a usual synonym (letters and digits only, any case). Undefined when none fits: never guessed.
 */
export function translateCode(written: string, codes: Readonly<Record<string, string>>, synonyms: Readonly<Record<string, readonly string[]>>,
  mappingValues?: Readonly<Record<string, string>>): string | undefined {
  if (mappingValues) {
    if (Object.hasOwn(mappingValues, written)) return mappingValues[written];
    const want = squash(written);
    for (const [from, to] of Object.entries(mappingValues)) if (squash(from) === want) return to;
  }
  const want = squash(written);
  for (const [code, label] of Object.entries(codes)) {
    if (squash(code) === want || squash(label) === want) return code;
  }
  for (const [code, names] of Object.entries(synonyms)) {
    if (names.some((s) => squash(s) === want)) return code;
  }
  return undefined;
}

/**
 * The problem for a code that translates to nothing: it names the codes Hearth knows and how to add a translation,
 * and never proposes one of them — a wrong example ("Fixed term" → "secure") would be copied in as if it were right.
 */
export function unknownCode(ctx: LoadContext, field: string, written: string, codes: Readonly<Record<string, string>>): RowProblem {
  const column = ctx.columnOf(field);
  return { column, value: written, rule: 'code-unknown',
    message: `${column ?? field}: "${written}" is not a code Hearth knows, and Hearth does not guess which it means. ` +
      `The codes are ${Object.entries(codes).map(([code, label]) => `${code} (${label})`).join(', ')}. ` +
      `To load it, say which one it is under "values" in the mapping: "values": { "${field}": { "${written}": "<one of the codes>" } }` };
}
