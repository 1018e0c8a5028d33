// One way in for every file Hearth reads: CSV (and TSV/TXT), JSON/NDJSON and Excel .xlsx all come out as the same
// stream of rows { row, values, problem? }, with the headers known before the first row and progress in bytes.
// The format comes from the file's original name: uploads are stored under a temporary name with no extension.
import fs from 'node:fs';
import path from 'node:path';
import { readCsv, readJson, type FileRow, type FileReadError } from './read.ts';
import { readXlsx } from './read-xlsx.ts';

export type FileFormat = 'csv' | 'json' | 'xlsx';

export interface FileInfo {
  format: FileFormat;
  headers: string[];
  /** CSV: the detected encoding and delimiter. */
  encoding?: string;
  delimiter?: string;
  /** XLSX: the sheet read and all the workbook's sheets. */
  sheet?: string;
  sheets?: string[];
  /** CSV and XLSX: the row the headers came from (title rows above it are passed over), a row of field codes under it, and why. */
  headerRow?: number;
  codeRow?: number;
  headerReason?: string;
  /** JSON: where the records were found in a document that wraps them ("results"); "" for an array or NDJSON. */
  jsonPath?: string;
}

export interface ReadOptions {
  /** The file's original name, for messages and to tell its format; defaults to the path's base name. */
  fileName?: string;
  /** XLSX: the sheet to read (default: the first visible sheet with data). */
  sheet?: string;
  /** Called once the headers are known, before the first row. */
  onInfo?: (info: FileInfo) => void;
  /** CSV and XLSX: the row holding the headers, when set (mapping "headerRow", --header-row); otherwise found by looking. */
  headerRow?: number;
  /** JSON: the path to the records in a wrapping document (mapping "jsonPath"); otherwise found by looking. */
  jsonPath?: string;
  /** Bytes of the file consumed so far and its size: rising, about every 64 KB, ending at the size. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

/** For JSON the headers are the keys seen in this many first rows (later keys still appear in the rows' values). */
export const JSON_HEADER_ROWS = 1000;

const PROGRESS_STEP = 64 * 1024;

function fail(file: string, message: string): FileReadError {
  return Object.assign(new Error(`${file}: ${message}`), { file });
}

const FORMATS: Record<string, FileFormat> = {
  '.csv': 'csv', '.tsv': 'csv', '.txt': 'csv', '': 'csv',
  '.json': 'json', '.ndjson': 'json', '.jsonl': 'json',
  '.xlsx': 'xlsx', '.xlsm': 'xlsx', '.xltx': 'xlsx', '.xltm': 'xlsx',
};

/** The format, from the (original) file name's extension; a clear error for types Hearth cannot read. */
export function fileFormat(fileName: string): FileFormat {
  const name = path.basename(fileName);
  const ext = path.extname(name).toLowerCase();
  const format = FORMATS[ext];
  if (format) return format;
  if (ext === '.xls') throw fail(name, 'is an old Excel 97-2003 .xls file, which Hearth cannot read; open it in Excel and save it as .xlsx or CSV');
  if (['.xlsb', '.ods', '.numbers'].includes(ext)) throw fail(name, `Hearth cannot read ${ext} spreadsheets; save it as .xlsx or CSV`);
  throw fail(name, `unknown file type "${ext}"; Hearth reads .csv, .tsv, .txt, .json, .ndjson and .xlsx files`);
}

/** Progress made rising-only and at most every PROGRESS_STEP bytes; `end` reports the total once. */
function progressReporter(onProgress: ReadOptions['onProgress'], total: number) {
  let last = -1;
  let lastSent = -1;
  return {
    report(bytes: number) {
      if (!onProgress || bytes <= last) return;
      last = bytes;
      if (bytes - lastSent >= PROGRESS_STEP || (bytes >= total && lastSent < total)) { lastSent = bytes; onProgress(bytes, total); }
    },
    end() {
      if (onProgress && lastSent < total) { lastSent = last = total; onProgress(total, total); }
    },
  };
}

/**
 * Stream a file's rows, whatever its format (see fileFormat). Row numbers are those a spreadsheet would show (CSV:
 * the header is row 1; NDJSON: the line; XLSX: Excel's own row number). Errors name `fileName`, never the path.
 */
export async function* readRows(file: string, options: ReadOptions = {}): AsyncGenerator<FileRow> {
  const fileName = options.fileName ?? path.basename(file);
  const format = fileFormat(fileName);
  if (options.sheet && format !== 'xlsx') throw fail(fileName, `is not an Excel workbook, so it has no sheets to choose from (asked for sheet "${options.sheet}")`);
  let size: number;
  try {
    const stat = await fs.promises.stat(file);
    if (!stat.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    size = stat.size;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw fail(fileName, code === 'ENOENT' ? 'the file does not exist' : `cannot be opened (${code ?? (err as Error).message})`);
  }
  const progress = progressReporter(options.onProgress, size);
  const onProgress = options.onProgress ? (bytes: number) => progress.report(bytes) : undefined;
  const onInfo = options.onInfo;

  if (format === 'csv') {
    // The header row is told only when it is not simply the first row (titles above it, codes under it, or set).
    yield* readCsv(file, (i) => onInfo?.({ format, headers: i.headers, encoding: i.encoding, delimiter: i.delimiter,
      ...(i.headerRow !== 1 || i.codeRow || options.headerRow ? { headerRow: i.headerRow, headerReason: i.headerReason } : {}),
      ...(i.codeRow ? { codeRow: i.codeRow } : {}) }), { fileName, onProgress, headerRow: options.headerRow });
  } else if (format === 'xlsx') {
    yield* readXlsx(file, { fileName, sheet: options.sheet, onProgress, headerRow: options.headerRow }, (i) => onInfo?.({ format, headers: i.headers, sheet: i.sheet,
      sheets: i.sheets, ...(i.headerRow === undefined ? {} : { headerRow: i.headerRow, headerReason: i.headerReason }), ...(i.codeRow ? { codeRow: i.codeRow } : {}) }));
  } else {
    // JSON has no header row: the headers are the keys of the first rows, in order of first appearance.
    let jsonPath = '';
    const rows = readJson(file, { fileName, onProgress, jsonPath: options.jsonPath, onJsonPath: (p) => { jsonPath = p; } });
    try {
      const buffered: FileRow[] = [];
      const keys = new Set<string>();
      let next = await rows.next();
      while (!next.done && buffered.length < JSON_HEADER_ROWS) {
        buffered.push(next.value);
        for (const k of Object.keys(next.value.values)) keys.add(k);
        next = await rows.next();
      }
      onInfo?.({ format, headers: [...keys], ...(jsonPath ? { jsonPath } : {}) });
      yield* buffered;
      if (!next.done) {
        yield next.value;
        yield* rows;
      }
    } finally {
      await rows.return(undefined); // the reader's file is closed even when the caller stops early
    }
  }
  progress.end();
}
