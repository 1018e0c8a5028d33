// What a module implements to load its kind of record from files (src/modules/<m>/import.ts), and what the ingest
// pipeline gives it. The pipeline reads, maps and normalises rows; the module turns fields into its records
// (through bulkUpsert on its own tables), resolves the links it needs through other modules' services, and says
// for each row what happened.
import type { Db, Store } from '../db/store.ts';
import type { BulkOutcome } from './bulk.ts';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';

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

// The kinds of record files can hold --------------------------------------------------------------------------------
// Each module declares the kinds it loads (its manifest's `importKinds`: fields, required groups, loader), installed
// at start; the ingest module reads them from here, so a new kind needs no change to ingest.

/** How a field's values are normalised (ingest/normalise.ts); 'text' and 'code' are kept as written, trimmed. */
export type FieldType = 'text' | 'code' | 'uprn' | 'postcode' | 'name' | 'date' | 'phone' | 'email' | 'integer' | 'number' | 'date-part';

export interface TargetField {
  field: string;
  label: string;
  type: FieldType;
  /** Header names legacy systems use for it, in any case and punctuation ("POST_CODE" matches "post code"). */
  synonyms: readonly string[];
  /** Points towards this kind of record when detecting what a file holds. */
  distinctive?: boolean;
}

/** A field a file's column can be mapped to. */
export const importField = (field: string, label: string, type: FieldType, synonyms: string[], distinctive = false): TargetField =>
  distinctive ? { field, label, type, synonyms, distinctive } : { field, label, type, synonyms };

export interface ImportKind {
  /** As a mapping, the API and `hearth ingest --entity` name it: "homes", "people", …. */
  kind: string;
  label: string;
  fields: readonly TargetField[];
  /** Each group needs at least one of its fields mapped, or the file cannot be loaded. */
  required: readonly (readonly string[])[];
  /** Missing these is allowed, but reported: the records will be incomplete. */
  recommended: readonly string[];
  /** The field that identifies a record in its source (its values should be distinct). */
  identity: string;
  /**
   * What identifies a record, besides the fields its loader cannot do without: a bad value here rejects the row. A bad
   * value anywhere else (a phone number, bedrooms, an optional code) is left out of the record with a warning, and
   * the row loads.
   */
  identifying: readonly string[];
  /**
   * Where it is listed among the kinds (lower first; the order of choices, messages, and of kinds that fit a file
   * equally well): homes 10, people 20, tenancies 30, alerts 40, repairs 50, notes 60. Default 1000.
   */
  position?: number;
  /**
   * Where its fields go (issue 12, one description per field): its table, whose property of the same name is the
   * field's column (name and type from schema.ts), and every other field with what becomes of it: the column it feeds
   * (a home's references → people.homeId, phone numbers → people.contactPoints, a block's storeys → blocks.storeys) or
   * why it is not stored ("the source's id: source_references"). src/modules/import-fields.test.ts checks every field
   * is one or the other.
   */
  stores?: { table: PgTable; otherwise: Readonly<Record<string, PgColumn | string>> };
  /**
   * Its rows hold sensitive data (person alerts, ASB cases): every read of an import's problem rows, which keep the
   * file's values, is audited as a read of sensitive data.
   */
  sensitive?: boolean;
  loader: KindLoader;
}

/**
 * Work another module does once an import of some kinds has completed (record linkage: a full run when one is due),
 * after the installed subscribers have handled the import's events. Its result is reported under `name`. What a
 * module does with each batch's records is a subscriber to their events (platform/events), not a follow-up.
 */
export interface ImportFollowUp<R = unknown> {
  name: string;
  /** In a few words, for messages: "record linkage". */
  label: string;
  kinds: readonly string[];
  afterImport?(store: Store, organisationId: string, imp: { id: string; kind: string }, log?: ImportLog): Promise<R | undefined>;
  /** Whether the result means the step must be tried again (the import keeps it owed). */
  failed?(result: R): boolean;
  /** The result in a sentence, for `hearth ingest`. */
  describe?(result: R, kind: string): string;
}
export interface ImportLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

const IMPORT_KINDS = new Map<string, { def: ImportKind; by: string }>();
const FOLLOW_UPS = new Map<string, { def: ImportFollowUp; by: string }>();
const watchers: ((kinds: readonly ImportKind[]) => void)[] = [];

/** Declare kinds of record files can hold (a module's, when it is installed). Again: a no-op; a clash: an error. */
export function declareImportKinds(by: string, kinds: readonly ImportKind[], followUps: readonly ImportFollowUp[] = []): void {
  for (const k of kinds) {
    const known = IMPORT_KINDS.get(k.kind);
    if (known && known.by !== by) throw new Error(`import kind ${k.kind} is declared by both ${known.by} and ${by}`);
    IMPORT_KINDS.set(k.kind, { def: k, by });
  }
  for (const f of followUps) {
    const known = FOLLOW_UPS.get(f.name);
    if (known && known.by !== by) throw new Error(`import follow-up ${f.name} is declared by both ${known.by} and ${by}`);
    FOLLOW_UPS.set(f.name, { def: f, by });
  }
  if (kinds.length) for (const w of watchers) w(importKinds());
}

/** The declared kinds, by position (then in the order their modules were installed). */
export const importKinds = (): ImportKind[] => [...IMPORT_KINDS.values()].map((k) => k.def)
  .sort((a, b) => (a.position ?? 1000) - (b.position ?? 1000));
export const importFollowUps = (kind: string): ImportFollowUp[] => [...FOLLOW_UPS.values()].map((f) => f.def).filter((f) => f.kinds.includes(kind));

/** Call `watcher` with every declared kind now and whenever more are declared (ingest keeps its own view of them). */
export function watchImportKinds(watcher: (kinds: readonly ImportKind[]) => void): void {
  watchers.push(watcher);
  watcher(importKinds());
}
