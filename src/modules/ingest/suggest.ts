// `hearth ingest FILE --suggest`: look at a file without loading it — which kind of record it holds, which Hearth
// field each column is, and whether its date columns can be read without guessing.
import path from 'node:path';
import type { FileRow } from './read.ts';
import { readRows, fileFormat, type FileFormat, type FileInfo } from './rows.ts';
import { detectKind, suggestMapping, profileFromSuggestion, targetField, isRecordKind, KINDS, RECORD_KINDS,
  type RecordKind, type ColumnSuggestion, type KindGuess, type MappingProfile } from './mapping.ts';
import { analyseDateColumn, type DateColumnAnalysis, type DateFormat } from './normalise.ts';

export interface FileSuggestion {
  file: string;
  format: FileFormat;
  /** XLSX: the sheet looked at, and all the workbook's sheets. */
  sheet?: string;
  sheets?: string[];
  /** CSV: the row the column names were read from (title rows above it passed over), a row of field codes under it
   * (not data), and why that row. */
  headerRow?: number;
  codeRow?: number;
  headerReason?: string;
  /** JSON: where the records were found in a document that wraps them ("results"). */
  jsonPath?: string;
  /** The kind used for the mapping: the one asked for, else the one detected. */
  kind: RecordKind | null;
  kindGuess: KindGuess;
  headers: string[];
  rowsSampled: number;
  /** Rows in the sample with a structural problem (ragged, not JSON), first few. */
  rowProblems: { row: number; problem: string }[];
  columns: ColumnSuggestion[];
  dateColumns: { header: string; field: string; analysis: DateColumnAnalysis }[];
  /** A mapping profile to confirm or edit (docs/ingest.md), when the kind is known. */
  profile: MappingProfile | null;
}

export interface SuggestOptions {
  kind?: RecordKind;
  sourceSystem?: string;
  sampleRows?: number;
  /** The file's original name (uploads are stored without one): tells its format, and names it in messages. */
  fileName?: string;
  /** XLSX: the sheet to look at (default: the first visible sheet with data). */
  sheet?: string;
  /** CSV: the row holding the column names (default: found by looking). JSON: where the records are (default: found). */
  headerRow?: number;
  jsonPath?: string;
}

export async function suggestForFile(file: string, options: SuggestOptions = {}): Promise<FileSuggestion> {
  const fileName = options.fileName ?? path.basename(file);
  const format = fileFormat(fileName);
  const sampleRows = options.sampleRows ?? 2000;
  const rows: FileRow[] = [];
  let info: FileInfo | undefined;
  for await (const r of readRows(file, { fileName, sheet: options.sheet, headerRow: options.headerRow, jsonPath: options.jsonPath, onInfo: (i) => { info = i; } })) {
    rows.push(r);
    if (rows.length >= sampleRows) break;
  }
  let headers = info?.headers ?? [];
  // JSON has no header row: also take keys first seen in the rest of the sample.
  if (format === 'json') headers = [...new Set([...headers, ...rows.flatMap((r) => Object.keys(r.values))])];
  const kindGuess = detectKind(headers);
  if (options.kind && !isRecordKind(options.kind)) throw new Error(`--entity must be one of ${Object.keys(KINDS).join(', ')}`);
  const kind = options.kind ?? kindGuess.kind;
  const columns = kind ? suggestMapping(kind, headers, rows.map((r) => r.values)) : [];
  const dateColumns = kind
    ? columns.filter((c) => c.field && targetField(kind, c.field)?.type === 'date')
      .map((c) => ({ header: c.header, field: c.field!, analysis: analyseDateColumn(rows.map((r) => r.values[c.header])) }))
    : [];
  const dateFormats: Record<string, DateFormat> = {};
  for (const d of dateColumns) {
    const f = d.analysis.format;
    if (f !== 'ambiguous' && f !== 'mixed' && f !== 'unknown') dateFormats[columns.find((c) => c.header === d.header)!.key] = f;
  }
  return {
    file: fileName, format, ...(info?.sheet === undefined ? {} : { sheet: info.sheet, sheets: info.sheets }),
    ...(info?.headerRow === undefined ? {} : { headerRow: info.headerRow, headerReason: info.headerReason }),
    ...(info?.codeRow === undefined ? {} : { codeRow: info.codeRow }), ...(info?.jsonPath ? { jsonPath: info.jsonPath } : {}),
    kind, kindGuess, headers, rowsSampled: rows.length,
    rowProblems: rows.filter((r) => r.problem).slice(0, 5).map((r) => ({ row: r.row, problem: r.problem! })),
    columns, dateColumns,
    profile: kind ? withLayout(profileFromSuggestion(options.sourceSystem ?? 'unnamed-source', kind, columns, Object.keys(dateFormats).length ? dateFormats : undefined), info) : null,
  };
}

/** The layout found goes into the profile, so the import records it and its next run reads the file the same way. */
function withLayout(profile: MappingProfile, info: FileInfo | undefined): MappingProfile {
  return { ...profile, ...(info?.headerRow && info.headerRow !== 1 ? { headerRow: info.headerRow } : {}), ...(info?.jsonPath ? { jsonPath: info.jsonPath } : {}) };
}

/** Where the column names came from, in a sentence (title rows, field codes, a JSON wrapper); null for an ordinary file. */
export function describeLayout(s: { headerRow?: number; codeRow?: number; headerReason?: string; jsonPath?: string }): string | null {
  if (s.jsonPath) return `The records are in "${s.jsonPath}" of the JSON document.`;
  if (!s.headerRow || (s.headerRow === 1 && !s.codeRow)) return null;
  return `The header is row ${s.headerRow}${s.headerReason ? ` (${s.headerReason})` : ''}; data rows keep the spreadsheet's row numbers. ` +
    'Set another with "headerRow" in the mapping or --header-row.';
}

/** The suggestion as a data lead reads it in a terminal. */
export function describeSuggestion(s: FileSuggestion): string {
  const sheet = s.sheet === undefined ? '' : `, sheet "${s.sheet}"`;
  const lines = [`${s.file}${sheet}: ${s.rowsSampled.toLocaleString('en-GB')} rows looked at, ${s.headers.length} columns.`];
  const others = (s.sheets ?? []).filter((n) => n !== s.sheet);
  if (others.length) lines.push(`The workbook's other sheets: ${others.map((n) => `"${n}"`).join(', ')}.`);
  const layout = describeLayout(s);
  if (layout) lines.push(layout);
  lines.push(s.kindGuess.reason + '.');
  if (!s.kind) {
    lines.push(`Choose the kind of record with --entity (${RECORD_KINDS.join(', ')}).`);
    return lines.join('\n');
  }
  lines.push('', `Suggested mapping for ${KINDS[s.kind].label.toLowerCase()}:`);
  const width = Math.min(30, Math.max(...s.columns.map((c) => c.header.length)));
  for (const c of s.columns) {
    const target = c.field ? `${c.field} (${Math.round(c.confidence * 100)}%, ${c.match})` : 'not loaded';
    lines.push(`  ${c.header.padEnd(width)} → ${target}${c.field ? '' : ` — ${c.reason}`}`);
  }
  for (const d of s.dateColumns) lines.push('', `Dates in "${d.header}": ${d.analysis.message}`);
  for (const p of s.rowProblems) lines.push(`Row ${p.row} ${p.problem}.`);
  lines.push('', 'Save this as a mapping file to confirm or change it: add --write-mapping FILE (format: docs/ingest.md).');
  return lines.join('\n');
}
