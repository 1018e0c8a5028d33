// Reading landlords' files as they are: streamed, whatever their delimiter, quoting, byte-order mark or encoding
// (UTF-8 or Windows-1252), so memory stays flat however large the file. Yields one row at a time with its row
// number, for error reports that name the row. Structural problems (a ragged row, an over-long field) become row
// problems, not a crash; a file that cannot be read at all is one clear error.
import fs from 'node:fs';
import { Transform } from 'node:stream';
import { TextDecoder } from 'node:util';
import { parse } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { detectHeader, findRecords, HEADER_SCAN_ROWS } from './layout.ts';
import { findRecordList, JsonDocumentError, readRecords, startsOneDocument, textPosition } from './json-stream.ts';

export interface FileRow {
  /** 1-based row number in the file as a spreadsheet shows it (the header is row 1). */
  row: number;
  values: Record<string, string>;
  /** A structural problem with this row (e.g. wrong number of fields); the values may be partial. */
  problem?: string;
}

export interface FileReadError extends Error { file: string; row?: number }

export const LIMITS = {
  /** Largest single field or record, in characters: a 10 MB line is an error, not an out-of-memory. */
  maxRecordChars: 1_000_000,
  maxColumns: 500,
};

function fail(file: string, message: string, row?: number): FileReadError {
  return Object.assign(new Error(`${file}${row ? `, row ${row}` : ''}: ${message}`), { file, row });
}

export type TextEncoding = 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be';

/**
 * UTF-16 when the file starts with its byte-order mark (Excel's "Unicode text" and some housing systems' exports);
 * UTF-8 (with or without BOM) when the sample decodes as UTF-8; otherwise Windows-1252, the usual legacy export.
 */
export function detectEncoding(sample: Buffer): TextEncoding {
  if (sample[0] === 0xff && sample[1] === 0xfe) return 'utf-16le';
  if (sample[0] === 0xfe && sample[1] === 0xff) return 'utf-16be';
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8';
  try {
    // A multi-byte character cut off at the end of the sample is not a reason to give up on UTF-8.
    new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, lastCompleteUtf8(sample)));
    return 'utf-8';
  } catch {
    return 'windows-1252';
  }
}

function lastCompleteUtf8(b: Buffer): number {
  let i = b.length;
  for (let back = 0; back < 4 && i > 0; back++) {
    const byte = b[i - 1]!;
    if ((byte & 0xc0) !== 0x80) return byte >= 0xc0 ? i - 1 : i; // a lead byte at the end starts an incomplete char
    i--;
  }
  return b.length;
}

/** The delimiter that splits the first lines most consistently: comma, semicolon, tab or pipe. */
export function detectDelimiter(text: string): string {
  const lines = text.split(/\r?\n/).filter((l) => l.trim()).slice(0, 20);
  let best = ',';
  let bestScore = -1;
  for (const d of [',', ';', '\t', '|']) {
    const counts = lines.map((l) => countOutsideQuotes(l, d));
    if (!counts.length || counts[0] === 0) continue;
    const consistent = counts.filter((c) => c === counts[0]).length / counts.length;
    const score = consistent * 1000 + counts[0]!;
    if (score > bestScore) { bestScore = score; best = d; }
  }
  return best;
}

function countOutsideQuotes(line: string, d: string): number {
  let n = 0;
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === d && !quoted) n++;
  }
  return n;
}

/** Header names made usable: trimmed, never empty, and unique ("Name", "Name (2)"), so no column is lost. */
export function uniqueHeaders(raw: string[]): string[] {
  const seen = new Map<string, number>();
  return raw.map((h, i) => {
    // A NUL is shown as ␀: a header is stored (the import's headers, its mapping) and PostgreSQL cannot hold U+0000.
    const base = h.replace(/^\uFEFF/, '').replaceAll('\u0000', '\u2400').trim() || `Column ${i + 1}`;
    const n = (seen.get(base.toLowerCase()) ?? 0) + 1;
    seen.set(base.toLowerCase(), n);
    return n === 1 ? base : `${base} (${n})`;
  });
}

/** The file's first bytes. A file that cannot be opened is an error naming `name` (the error's own names the path). */
async function readSample(file: string, name: string, bytes = 64 * 1024): Promise<Buffer> {
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(file, 'r');
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw fail(name, code === 'ENOENT' ? 'the file does not exist' : `cannot be opened (${code ?? 'unknown error'})`);
  } finally {
    await handle?.close();
  }
}

export interface CsvInfo {
  encoding: TextEncoding;
  delimiter: string;
  headers: string[];
  /** The row the headers were read from (1 unless title rows sit above it), and a row of field codes under it, skipped. */
  headerRow: number;
  codeRow?: number;
  headerReason: string;
}

export interface ReadFileOptions {
  /** The file's name as the user knows it, for messages (uploads are stored under a temporary name). */
  fileName?: string;
  /** Bytes of the file read so far, and its size; called per chunk read (64 KB). */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** CSV: the row holding the headers (as a spreadsheet numbers it); found by looking when not given. */
  headerRow?: number;
  /** JSON: where the records are in a document that wraps them ("results", "data.items"); found by looking when not given. */
  jsonPath?: string;
  /** JSON: told where the records were found ("" for a plain array or NDJSON). */
  onJsonPath?: (path: string) => void;
}

/**
 * Which row of a CSV is the header: the first rows of the sample, parsed as the stream will parse them, go to
 * detectHeader (title rows above it, field codes under it). Row numbers are the spreadsheet's, as the stream counts them.
 */
function chooseHeader(text: string, delimiter: string, fixed: number | undefined): { headerRow: number; codeRow?: number; reason: string } {
  let records: { record: string[]; info: { records: number; empty_lines?: number } }[] = [];
  try {
    records = parseSync(text, { delimiter, bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, info: true, to: HEADER_SCAN_ROWS + 2 }) as unknown as typeof records;
  } catch {
    // The sample ends part-way through a record, or the file is malformed: the stream will say where; read row 1 as before.
  }
  const rowOf = (r: (typeof records)[number]) => r.info.records + (r.info.empty_lines ?? 0);
  const fixedIndex = fixed === undefined ? undefined : records.findIndex((r) => rowOf(r) >= fixed);
  if (!records.length || fixedIndex === -1) return { headerRow: fixed ?? 1, reason: fixed ? 'set as the header row' : 'the first row' };
  const choice = detectHeader(records.map((r) => r.record), fixedIndex);
  const header = records[choice.index]!;
  return { headerRow: fixed ?? rowOf(header), ...(choice.codeRow ? { codeRow: rowOf(records[choice.index + 1]!) } : {}), reason: choice.reason };
}

/** Stream a CSV file's rows. `onInfo` receives the detected encoding, delimiter and headers before the first row. */
export async function* readCsv(file: string, onInfo?: (info: CsvInfo) => void, options: ReadFileOptions = {}): AsyncGenerator<FileRow> {
  const name = options.fileName ?? file.split('/').pop()!;
  const sample = await readSample(file, name);
  if (sample.length === 0) throw fail(name, 'the file is empty');
  const encoding = detectEncoding(sample);
  const decoder = new TextDecoder(encoding);
  const text = decoder.decode(sample);
  // Binary data (a workbook renamed .csv, UTF-16 text) is full of NUL bytes; a stray one in a cell is its row's problem.
  if (text.split('\0').length - 1 > Math.max(1, text.length / 1000)) throw fail(name, 'this is not a text file (it contains binary data); save it as CSV and try again');
  const delimiter = detectDelimiter(text);
  const { headerRow, codeRow, reason } = chooseHeader(text, delimiter, options.headerRow);
  const onBytes = progressCounter(options.onProgress, options.onProgress ? (await fs.promises.stat(file)).size : 0);
  const input = fs.createReadStream(file);
  const parser = input
    .pipe(new DecodeStream(encoding, onBytes))
    .pipe(parse({
      delimiter, bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, info: true,
      max_record_size: LIMITS.maxRecordChars,
    }));
  let headers: string[] | undefined;
  try {
    for await (const rec of parser as AsyncIterable<{ record: string[]; info: { lines: number; records: number; empty_lines?: number } }>) {
      const fields = rec.record;
      // The row a spreadsheet shows: records so far (a quoted line break stays inside its row) plus skipped blank lines.
      const row = rec.info.records + (rec.info.empty_lines ?? 0);
      if (!headers) {
        if (row < headerRow) continue; // a title row above the header
        if (fields.length > LIMITS.maxColumns) throw fail(name, `the header has ${fields.length} columns; at most ${LIMITS.maxColumns} are supported`, row);
        headers = uniqueHeaders(fields);
        onInfo?.({ encoding, delimiter, headers, headerRow: row, ...(codeRow ? { codeRow } : {}), headerReason: reason });
        continue;
      }
      if (row === codeRow) continue; // field codes under the labels, not data
      const values: Record<string, string> = {};
      headers.forEach((h, i) => { values[h] = fields[i] ?? ''; });
      const problem = fields.length === headers.length ? undefined
        : `has ${fields.length} fields but the header has ${headers.length}${fields.length > headers.length ? ': the extra values were not read' : ''}`;
      yield problem ? { row, values, problem } : { row, values };
    }
  } catch (err) {
    if ((err as FileReadError).file) throw err;
    const e = err as { code?: string; lines?: number; message: string };
    const why = e.code === 'CSV_MAX_RECORD_SIZE' ? `a field is longer than ${LIMITS.maxRecordChars.toLocaleString('en-GB')} characters (is a quote missing?)`
      : e.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quoted field is never closed (a missing " character); rows from here on could not be read'
        : e.message;
    throw fail(name, why, e.lines);
  } finally {
    input.destroy(); // pipe() does not close the file when the caller stops early
  }
  if (!headers) throw fail(name, options.headerRow ? `the header row is set to row ${options.headerRow}, but the file has no row ${options.headerRow}` : 'the file has no header row');
}

/** Decodes bytes to text as they stream, keeping characters split across chunks whole. */
class DecodeStream extends Transform {
  private decoder: TextDecoder;
  private onBytes: ((bytes: number) => void) | undefined;
  constructor(encoding: string, onBytes?: (bytes: number) => void) {
    super({ decodeStrings: true });
    this.decoder = new TextDecoder(encoding);
    this.onBytes = onBytes;
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null, data?: string) => void) {
    this.onBytes?.(chunk.length);
    done(null, this.decoder.decode(chunk, { stream: true }));
  }
  override _flush(done: (err?: Error | null, data?: string) => void) {
    done(null, this.decoder.decode());
  }
}

/**
 * Stream NDJSON (one JSON object per line), a JSON array of objects, or a document that wraps one
 * ({"results": [...], "pageCount": 3}). Every value becomes text. A document is streamed too (json-stream.ts): memory
 * holds a record at a time, whatever the file's size.
 */
export async function* readJson(file: string, options: ReadFileOptions = {}): AsyncGenerator<FileRow> {
  const name = options.fileName ?? file.split('/').pop()!;
  const sample = (await readSample(file, name, 4096)).toString('utf8').trimStart();
  if (!sample) throw fail(name, 'the file is empty');
  const { size } = await fs.promises.stat(file);
  const jsonPath = options.jsonPath?.trim() || undefined;
  const list = sample.startsWith('[');
  if (list || (sample.startsWith('{') && (jsonPath || await isOneDocument(file)))) {
    yield* readDocument(file, name, size, jsonPath ?? (list ? '' : undefined), options);
    return;
  }
  options.onJsonPath?.('');
  const { createInterface } = await import('node:readline');
  const input = fs.createReadStream(file);
  const onBytes = progressCounter(options.onProgress, size);
  if (onBytes) input.on('data', (chunk) => onBytes(chunk.length));
  const lines = createInterface({ input, crlfDelay: Infinity });
  let row = 0;
  try {
    for await (const line of lines) {
      row++;
      if (!line.trim()) continue;
      if (line.length > LIMITS.maxRecordChars) { yield { row, values: {}, problem: `is longer than ${LIMITS.maxRecordChars.toLocaleString('en-GB')} characters` }; continue; }
      let item: unknown;
      try { item = JSON.parse(line); } catch (err) { yield { row, values: {}, problem: `is not valid JSON (${(err as Error).message})` }; continue; }
      yield toRow(row, item);
    }
  } finally {
    input.destroy(); // closing readline does not close the file when the caller stops early
  }
}

/**
 * The records of a JSON document, streamed: those at `jsonPath` ("" for a document that is a list), else in the
 * largest list of objects within it (found by reading the file once first, keeping only counts). Row n is the nth
 * record. A record that is not an object is that row's problem; a document that breaks off is an error naming where,
 * after the rows before it.
 */
async function* readDocument(file: string, name: string, size: number, jsonPath: string | undefined, options: ReadFileOptions): AsyncGenerator<FileRow> {
  let path: string[];
  try {
    path = jsonPath === undefined ? await findRecordList(file) : jsonPath ? jsonPath.split('.') : [];
  } catch (err) {
    throw await documentError(file, name, err);
  }
  options.onJsonPath?.(path.join('.'));
  const onBytes = progressCounter(options.onProgress, size);
  try {
    for await (const { record, value } of readRecords(file, path, onBytes)) yield toRow(record, value);
  } catch (err) {
    throw await documentError(file, name, err);
  }
}

/** A document's error, naming the file, the record and the line (and column) where it broke. */
async function documentError(file: string, name: string, err: unknown): Promise<unknown> {
  if (!(err instanceof JsonDocumentError)) return err;
  if (err.offset === undefined) return fail(name, err.message);
  const { line, column } = await textPosition(file, err.offset);
  const record = err.record === undefined ? '' : `, ${err.after ? 'after' : 'in'} record ${err.record.toLocaleString('en-GB')}`;
  const broken = fail(name, `is not valid JSON at line ${line.toLocaleString('en-GB')}, column ${column.toLocaleString('en-GB')}${record}: ${err.message}`);
  if (err.record !== undefined && !err.after) broken.row = err.record;
  return broken;
}

/**
 * A file starting with "{" is NDJSON, unless it is one document: its first line is longer than any record (a
 * document on one line), or is a whole document that wraps a list of records and the only line, or is not a whole
 * value but starts one that the next line goes on with (pretty-printed). Reads at most two lines.
 */
async function isOneDocument(file: string): Promise<boolean> {
  const [first, second] = await firstLines(file, 2, LIMITS.maxRecordChars);
  if (!first) return false;
  if (first.cut) return true;
  try {
    const item: unknown = JSON.parse(first.text);
    if (second) return false;
    const found = findRecords(item);
    return !('error' in found) && found.path !== '';
  } catch {
    return second !== undefined && startsOneDocument(`${first.text}\n${second.text}`); // else NDJSON with a broken line
  }
}

/** The first `n` non-blank lines, each cut at `max` characters; a cut line ends the reading. */
async function firstLines(file: string, n: number, max: number): Promise<{ text: string; cut: boolean }[]> {
  const lines: { text: string; cut: boolean }[] = [];
  const decoder = new TextDecoder('utf-8');
  let current = '';
  const input = fs.createReadStream(file);
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      const parts = decoder.decode(chunk, { stream: true }).split('\n');
      for (const [i, part] of parts.entries()) {
        current += part;
        if (current.length > max) { lines.push({ text: current.slice(0, max), cut: true }); return lines; }
        if (i === parts.length - 1) break; // the line goes on in the next chunk
        if (current.trim()) lines.push({ text: current.replace(/^\uFEFF/, ''), cut: false });
        if (lines.length === n) return lines;
        current = '';
      }
    }
    current += decoder.decode();
    if (current.trim() && lines.length < n) lines.push({ text: current.replace(/^\uFEFF/, ''), cut: false });
    return lines;
  } finally {
    input.destroy();
  }
}

/** A callback adding up bytes read and reporting the running total; none when no progress is wanted. */
function progressCounter(onProgress: ReadFileOptions['onProgress'], total: number): ((bytes: number) => void) | undefined {
  if (!onProgress) return undefined;
  let read = 0;
  return (bytes) => { read += bytes; onProgress(Math.min(read, total), total); };
}

function toRow(row: number, item: unknown): FileRow {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return { row, values: {}, problem: 'is not a JSON object' };
  const values: Record<string, string> = {};
  // Keys are the headers: a NUL in one is shown as ␀, as in uniqueHeaders.
  for (const [k, v] of Object.entries(item)) values[k.replaceAll('\u0000', '\u2400')] = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return { row, values };
}
