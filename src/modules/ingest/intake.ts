// Starting an import, one way for the CLI, the API and the upload page (beginImport): reading the file's suggestion
// and a sample, settling the kind, choosing the mapping (given, saved for the source, or suggested), and checking it
// fits, date formats included, so a mapping that cannot work is refused before an import exists, whichever way in.
import { Problem } from '../../platform/http/problem.ts';
import type { Ctx } from '../../platform/records/context.ts';
import { analyseDateColumn, DATE_FORMATS, type DateColumnAnalysis, type DateFormat } from './normalise.ts';
import { columnKeys, isRecordKind, KINDS, RECORD_KINDS, targetField, validateProfile, type MappingProfile, type ProfileIssue, type RecordKind } from './mapping.ts';
import { suggestForFile, type FileSuggestion } from './suggest.ts';
import { readRows } from './rows.ts';
import type { FileRow } from './read.ts';
import { loaderFor } from './loaders.ts';
import { savedProfile, saveProfile, SOURCE_SYSTEM, sourceSystemKey, startImport, type Import } from './service.ts';

export const SAMPLE_ROWS = 2000;

/** Kinds Hearth can load today (a kind without a loader can be suggested, not loaded). */
export function loadableKinds(): RecordKind[] {
  return RECORD_KINDS.filter((k) => { try { loaderFor(k); return true; } catch { return false; } });
}

/** "Northgate Housing " → "northgate-housing": the form of a source system name that Hearth keeps. */
export function normaliseSourceSystem(raw: unknown): string {
  return sourceSystemKey(String(raw ?? '').slice(0, 200));
}

export function sourceSystemError(sourceSystem: string): string | null {
  if (!sourceSystem) return 'Enter the name of the system the file came from';
  if (!SOURCE_SYSTEM.test(sourceSystem)) return 'The system name can only use letters, numbers, dots, dashes and underscores (up to 63), such as northgate-housing';
  return null;
}

export class UnreadableFile extends Problem {
  /** The reader's own message, naming the file (the CLI shows it as it was). */
  readonly original: string;
  constructor(message: string, original = message) {
    super(422, 'The file cannot be read', message, [{ field: '/file', message }]);
    this.original = original;
  }
}

/** The suggestion for an upload; a file Hearth cannot read is an UnreadableFile naming why. */
export async function suggestUpload(file: string, options: { fileName: string; kind?: RecordKind; sourceSystem: string; sheet?: string; headerRow?: number; jsonPath?: string }): Promise<FileSuggestion> {
  try {
    return await suggestForFile(file, options);
  } catch (err) {
    throw new UnreadableFile(withoutName((err as Error).message, options.fileName), (err as Error).message);
  }
}

const withoutName = (message: string, fileName: string) => (message.startsWith(`${fileName}: `) ? message.slice(fileName.length + 2) : message);

/** The first rows of a file (for examples and date formats), with its headers. */
export async function sampleFile(file: string, fileName: string, sheet?: string, limit = SAMPLE_ROWS,
  layout: { headerRow?: number; jsonPath?: string } = {}): Promise<{ headers: string[]; rows: FileRow[] }> {
  let headers: string[] = [];
  const rows: FileRow[] = [];
  try {
    for await (const r of readRows(file, { fileName, sheet, ...layout, onInfo: (i) => { headers = i.headers; } })) {
      rows.push(r);
      if (rows.length >= limit) break;
    }
  } catch (err) {
    throw new UnreadableFile(withoutName((err as Error).message, fileName), (err as Error).message);
  }
  return { headers, rows };
}

/** Up to `n` different non-empty values of each column, to show beside its header. */
export function examples(headers: readonly string[], rows: readonly FileRow[], n = 3): string[][] {
  return headers.map((h) => {
    const seen = new Set<string>();
    for (const r of rows) {
      const v = (r.values[h] ?? '').trim();
      if (v) seen.add(v.length > 40 ? v.slice(0, 39) + '…' : v);
      if (seen.size >= n) break;
    }
    return [...seen];
  });
}

export interface DateColumn {
  index: number;
  header: string;
  field: string;
  analysis: DateColumnAnalysis;
  /** The format the import will use: the mapping's, else the one the values show, else null (must be chosen). */
  format: DateFormat | null;
}

const concrete = (f: string): f is DateFormat => Object.hasOwn(DATE_FORMATS, f);

/** Every column the profile maps to a date field, with what its values show and the format that will be used. */
export function dateColumns(profile: MappingProfile, headers: readonly string[], rows: readonly FileRow[]): DateColumn[] {
  const keys = columnKeys(headers);
  const out: DateColumn[] = [];
  keys.forEach((key, index) => {
    const field = Object.hasOwn(profile.columns, key) ? profile.columns[key] : null;
    if (typeof field !== 'string' || targetField(profile.kind, field)?.type !== 'date') return;
    const analysis = analyseDateColumn(rows.map((r) => r.values[key]));
    const fixed = profile.dateFormats && Object.hasOwn(profile.dateFormats, key) ? profile.dateFormats[key] : undefined;
    const format = fixed && concrete(fixed) ? fixed : analysis.values === 0 ? 'iso' : concrete(analysis.format) ? analysis.format : null;
    out.push({ index, header: key, field, analysis, format });
  });
  return out;
}

/** Errors that stop a profile from loading this file: validateProfile's, and date columns whose format is unknown. */
export function mappingErrors(profile: MappingProfile, headers: readonly string[], rows: readonly FileRow[]): { errors: ProfileIssue[]; warnings: ProfileIssue[] } {
  const check = validateProfile(profile, headers);
  const errors = [...check.errors];
  if (check.ok) {
    for (const d of dateColumns(profile, headers, rows)) {
      // A mixed column loads date by date (a date that reads two ways is for review): nothing to choose.
      if (d.format || d.analysis.format === 'mixed') continue;
      errors.push({ code: 'date-format-invalid', header: d.header, field: d.field,
        message: `Choose how the dates in column "${d.header}" are written: ${d.analysis.message}` });
    }
  }
  return { errors, warnings: check.warnings };
}

export type MappingSource = 'given' | 'saved' | 'suggested';

/** The suggestion as the API returns it inside a 422, so a client can correct it and send it back as `mapping`. */
export function presentSuggestion(s: FileSuggestion, dates: DateColumn[]) {
  return {
    kind: s.kind,
    kindReason: s.kindGuess.reason,
    headers: s.headers,
    columns: s.columns.map((c) => ({ header: c.header, key: c.key, field: c.field, confidence: c.confidence, reason: c.reason })),
    dateColumns: dates.map((d) => ({ header: d.header, field: d.field, format: d.format, message: d.analysis.message })),
    mapping: s.profile,
  };
}

export class MappingDoesNotFit extends Problem {
  readonly suggestion: ReturnType<typeof presentSuggestion> | undefined;
  /** The problems as found (each naming its column), and the warnings beside them, for a caller that words them itself. */
  readonly source: MappingSource;
  readonly issues: ProfileIssue[];
  readonly warnings: ProfileIssue[];
  constructor(source: MappingSource, errors: ProfileIssue[], suggestion?: ReturnType<typeof presentSuggestion>, warnings: ProfileIssue[] = []) {
    const which = source === 'given' ? 'The mapping sent' : source === 'saved' ? 'The mapping saved for this source system' : 'The suggested mapping';
    super(422, 'The mapping does not fit the file', `${which} cannot load this file: ${errors.map((e) => e.message).join('; ')}`,
      errors.map((e) => ({ field: e.header ? `/mapping/columns/${e.header}` : e.field ? `/mapping/${e.field}` : '/mapping', message: e.message })));
    this.suggestion = suggestion;
    this.source = source;
    this.issues = errors;
    this.warnings = warnings;
  }
}

/**
 * The mapping to load a file with: the one given (a whole profile, or just its columns/dateFormats/values), else the
 * profile saved for this source and kind, else the suggestion. Throws MappingDoesNotFit naming every problem (with
 * the suggestion, to start a correction from).
 */
export async function chooseMapping(ctx: Ctx, input: {
  given?: unknown; sourceSystem: string; kind: RecordKind; suggestion: FileSuggestion; headers: string[]; rows: FileRow[];
  /** The layout the caller set (a header row typed in), which wins over a given mapping's and what reading found. */
  layout?: { headerRow?: number; jsonPath?: string };
}): Promise<{ profile: MappingProfile; source: MappingSource; warnings: ProfileIssue[] }> {
  let source: MappingSource;
  let base: Partial<MappingProfile> | null;
  if (input.given !== undefined) {
    source = 'given';
    if (typeof input.given !== 'object' || input.given === null || Array.isArray(input.given)) {
      throw new MappingDoesNotFit('given', [{ code: 'not-an-object', message: 'The mapping is not a JSON object like { "columns": { "Post Code": "postcode" } }' }]);
    }
    const given = input.given as Partial<MappingProfile>;
    if (given.kind !== undefined && given.kind !== input.kind) {
      throw new MappingDoesNotFit('given', [{ code: 'unknown-kind', message: `The mapping is for ${String(given.kind)}, but the file is being loaded as ${input.kind}` }]);
    }
    base = given;
  } else {
    const saved = await savedProfile(ctx, input.sourceSystem, input.kind);
    source = saved ? 'saved' : 'suggested';
    base = saved ?? input.suggestion.profile;
  }
  // The file's layout as it was read (header row, JSON path) goes with the import: a mapping sent may set it, a saved
  // one was for an earlier file.
  const { headerRow: _h, jsonPath: _j, ...columnsOnly } = base ?? {};
  const set = { ...(source === 'given' ? base : {}), ...setOnly(input.layout) };
  const profile = { ...(source === 'given' ? base : columnsOnly), ...fileLayout(input.suggestion, set),
    sourceSystem: input.sourceSystem, kind: input.kind } as MappingProfile;
  const { errors, warnings } = mappingErrors(profile, input.headers, input.rows);
  if (errors.length) {
    const suggested = input.suggestion.profile ?? { sourceSystem: input.sourceSystem, kind: input.kind, columns: {} };
    throw new MappingDoesNotFit(source, errors, presentSuggestion(input.suggestion, dateColumns(suggested, input.headers, input.rows)), warnings);
  }
  return { profile, source, warnings };
}

/** The header row (when not simply row 1) and JSON path a file was read with, for its import's profile; set ones win. */
export function fileLayout(s: FileSuggestion, set?: Partial<MappingProfile> | null): Pick<MappingProfile, 'headerRow' | 'jsonPath'> {
  const headerRow = set?.headerRow ?? (s.headerRow && s.headerRow !== 1 ? s.headerRow : undefined);
  const jsonPath = set?.jsonPath ?? s.jsonPath;
  return { ...(headerRow ? { headerRow } : {}), ...(jsonPath ? { jsonPath } : {}) };
}

/** A header row typed into a form or sent to the API: a row number, or an error naming the field. */
export function headerRowOrError(raw: unknown): { value?: number; error?: string } {
  const text = String(raw ?? '').trim();
  if (!text) return {};
  const n = Number(text);
  if (!/^\d{1,4}$/.test(text) || n < 1 || n > 1000) return { error: 'The row with the column names must be a number from 1 to 1000, like 4' };
  return { value: n };
}

export function kindOrError(kind: unknown): RecordKind | undefined {
  if (kind === undefined || kind === '' || kind === 'detect') return undefined;
  if (!isRecordKind(kind)) {
    throw new Problem(422, 'Unknown kind', `kind: must be one of ${RECORD_KINDS.join(', ')}, or left out to work it out from the file`,
      [{ field: '/kind', message: `must be one of ${RECORD_KINDS.join(', ')}` }]);
  }
  return kind;
}

export const kindLabel = (kind: RecordKind) => KINDS[kind].label;

/** The kind of record could not be settled: none asked and none told from the file, or one Hearth cannot load yet. */
export class KindNotSettled extends Problem {
  /** Why no kind (from the file's headers), or undefined when the kind is known but not loadable. */
  readonly reason: string | undefined;
  readonly kind: RecordKind | undefined;
  constructor(kind: RecordKind | undefined, reason?: string) {
    if (!kind) {
      super(422, 'Kind of record needed', `kind: ${reason}; send kind (${RECORD_KINDS.join(', ')})`, [{ field: '/kind', message: reason ?? 'needed' }]);
    } else {
      super(422, 'Kind of record not loadable yet', `kind: Hearth cannot load ${kind} from files yet (it can load ${loadableKinds().join(', ')})`,
        [{ field: '/kind', message: `${kind} cannot be loaded yet` }]);
    }
    this.kind = kind;
    this.reason = reason;
  }
}

export interface ImportFile {
  path: string;
  fileName: string;
  sourceSystem: string;
  /** The kind asked for; else the given mapping's; else worked out from the file. */
  kind?: RecordKind;
  given?: unknown;
  sheet?: string;
  /** Layout the caller set (a header row typed in); a given mapping's layout is used when this leaves it out. */
  layout?: { headerRow?: number; jsonPath?: string };
}

export interface ReadImportFile { suggestion: FileSuggestion; sample: { headers: string[]; rows: FileRow[] }; kind: RecordKind }

/**
 * Read a file to be imported: its suggestion (headers, layout) and a sample of rows, and its kind, settled as asked,
 * else the given mapping's, else guessed. Throws UnreadableFile, or KindNotSettled when the kind is unknown or not loadable.
 * Needs no transaction: the API reads before its idempotent transaction, the page before showing the mapping.
 */
export async function readImportFile(input: ImportFile): Promise<ReadImportFile> {
  const givenKind = (input.given as { kind?: unknown } | undefined)?.kind;
  const kindWanted = input.kind ?? (isRecordKind(givenKind) ? givenKind : undefined);
  const layout = { ...givenLayout(input.given), ...setOnly(input.layout) };
  const suggestion = await suggestUpload(input.path, { fileName: input.fileName, kind: kindWanted, sourceSystem: input.sourceSystem, sheet: input.sheet, ...layout });
  const kind = suggestion.kind;
  if (!kind) throw new KindNotSettled(undefined, suggestion.kindGuess.reason);
  if (!loadableKinds().includes(kind)) throw new KindNotSettled(kind);
  const sample = await sampleFile(input.path, input.fileName, input.sheet, undefined, layout);
  return { suggestion, sample, kind };
}

export interface BeginImport extends ImportFile {
  /** Kept with the import when Hearth stored the file (uploads), so the worker removes it after. */
  stored: boolean;
  /** Save the given mapping for this source and kind (not when the file had been loaded already). */
  save?: boolean;
  reuseCompleted?: boolean;
  /** The file as readImportFile read it, when the caller read it already. */
  read?: ReadImportFile;
}

export interface BegunImport {
  import: Import;
  resumed: boolean;
  completed?: boolean;
  kind: RecordKind;
  profile: MappingProfile;
  mappingSource: MappingSource;
  warnings: ProfileIssue[];
  suggestion: FileSuggestion;
}

/**
 * Start an import, the same way from the CLI, the API and the upload page: read the file, settle its kind and
 * mapping, check the mapping against the headers and the sample rows (an ambiguous date column is refused
 * everywhere), start the import (or find the unfinished one) and save the given mapping when asked. Throws
 * UnreadableFile, KindNotSettled or MappingDoesNotFit, before anything is written.
 */
export async function beginImport(ctx: Ctx, input: BeginImport): Promise<BegunImport> {
  const { suggestion, sample, kind } = input.read ?? await readImportFile(input);
  const mapping = await chooseMapping(ctx, { given: input.given, sourceSystem: input.sourceSystem, kind, suggestion, headers: suggestion.headers, rows: sample.rows, layout: input.layout });
  const started = await startImport(ctx, {
    sourceSystem: input.sourceSystem, kind, fileName: input.fileName, path: input.path, stored: input.stored, profile: mapping.profile,
    headers: suggestion.headers, sheet: input.sheet, reuseCompleted: input.reuseCompleted,
  });
  if (mapping.source === 'given' && (input.save ?? true) && !started.completed) await saveProfile(ctx, mapping.profile);
  return { ...started, kind, profile: mapping.profile, mappingSource: mapping.source, warnings: mapping.warnings, suggestion };
}

/** A layout's settings that are set (a header row left out does not hide a mapping's). */
const setOnly = (l: { headerRow?: number; jsonPath?: string } | undefined) => ({
  ...(l?.headerRow !== undefined ? { headerRow: l.headerRow } : {}), ...(l?.jsonPath !== undefined ? { jsonPath: l.jsonPath } : {}) });

/** The layout settings of a mapping sent with a file, when they are usable (validateProfile names them otherwise). */
export function givenLayout(given: unknown): { headerRow?: number; jsonPath?: string } {
  if (typeof given !== 'object' || given === null) return {};
  const { headerRow, jsonPath } = given as { headerRow?: unknown; jsonPath?: unknown };
  return { ...(Number.isInteger(headerRow) && (headerRow as number) >= 1 && (headerRow as number) <= 1000 ? { headerRow: headerRow as number } : {}),
    ...(typeof jsonPath === 'string' && jsonPath.trim() ? { jsonPath } : {}) };
}
