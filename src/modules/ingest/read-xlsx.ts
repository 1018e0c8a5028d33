// Reading landlords' Excel workbooks (.xlsx) the way read.ts reads CSV: streamed, one row at a time with its Excel
// row number, every value as text without losing information.
//
// The zip is read by random access from its central directory (yauzl), so the order of the parts inside it does not
// matter: the shared-text table is read first, then the sheet is streamed through a SAX parser (saxes). Before anything
// is decompressed the directory is checked against XLSX_LIMITS (a zip bomb is refused from its directory alone), and
// while inflating no part may grow past the size its directory declared (a lying directory is refused too).
// As a last guard, every <row> element in the sheet must be accounted for (header, row yielded or empty row skipped),
// or the read fails: a row is never dropped silently.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import yauzl from 'yauzl';
import { SaxesParser } from 'saxes';
import { LIMITS, uniqueHeaders, type FileRow, type FileReadError } from './read.ts';
import { detectHeader, HEADER_SCAN_ROWS } from './layout.ts';

export interface XlsxInfo {
  sheets: string[];
  sheet: string;
  headers: string[];
  /** The row the column names came from, when not simply the first row with values (title rows above it passed over, or
   * set), a row of field codes under it, and why. */
  headerRow?: number;
  codeRow?: number;
  headerReason?: string;
}

export interface XlsxOptions {
  /** The sheet to read (case-insensitive); default: the first visible sheet with data. */
  sheet?: string;
  /** The file's name as the user knows it, for messages (uploads are stored under a temporary name). */
  fileName?: string;
  /** Compressed bytes of the sheet consumed so far, scaled to the file's size; called per chunk read (~64 KB). */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** The row holding the column names (Excel's number); default: found by looking (layout.ts detectHeader). */
  headerRow?: number;
}

export const XLSX_LIMITS = {
  /** Total size of everything in the zip once decompressed, as its central directory declares it. */
  maxUncompressedBytes: 500 * 1024 * 1024,
  maxEntries: 10_000,
  /** Largest decompressed/compressed ratio for any entry over 1 MB decompressed (real sheets are well under 50). */
  maxCompressionRatio: 200,
};

const RATIO_FLOOR_BYTES = 1024 * 1024;
/** Excel's last column is XFD. */
const MAX_EXCEL_COLUMNS = 16_384;

function fail(file: string, message: string, row?: number): FileReadError {
  return Object.assign(new Error(`${file}${row ? `, row ${row}` : ''}: ${message}`), { file, row });
}

function damaged(file: string, why: string, row?: number): FileReadError {
  return fail(file, `is damaged and cannot be read (${why}); open it in Excel and save it again`, row);
}

function isFileReadError(err: unknown): err is FileReadError {
  return err instanceof Error && typeof (err as Partial<FileReadError>).file === 'string';
}

// ---------------------------------------------------------------------------------------------------------------
// The zip

interface Book {
  /** Name for messages. */
  name: string;
  size: number;
  zip: yauzl.ZipFile;
  /** Entries by lower-cased name (part names in a workbook are case-insensitive). */
  entries: Map<string, yauzl.Entry>;
}

async function readHead(file: string, name: string): Promise<{ size: number; head: Buffer }> {
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(file, 'r');
    const { size } = await handle.stat();
    const head = Buffer.alloc(8);
    const { bytesRead } = await handle.read(head, 0, 8, 0);
    return { size, head: head.subarray(0, bytesRead) };
  } catch (err) {
    // The error's own message names the (temporary) path: give the code only.
    const code = (err as NodeJS.ErrnoException).code;
    throw fail(name, code === 'ENOENT' ? 'the file does not exist' : `cannot be opened (${code ?? 'unknown error'})`);
  } finally {
    await handle?.close();
  }
}

/** Opens the zip and checks its central directory against XLSX_LIMITS. Nothing is decompressed. */
async function openZip(file: string, name: string): Promise<Book> {
  const { size, head } = await readHead(file, name);
  if (head.length === 0) throw fail(name, 'the file is empty');
  if (head.length >= 4 && head.readUInt32BE(0) === 0xd0cf11e0) {
    throw fail(name, 'is an old Excel 97-2003 .xls file or a password-protected workbook; save it as an unprotected .xlsx file and try again');
  }
  // A zip starts with a local file header (PK\3\4), or is empty (PK\5\6).
  if (head.length < 4 || head[0] !== 0x50 || head[1] !== 0x4b || !((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6))) {
    throw fail(name, 'is not an Excel .xlsx file (it is not a zip archive)');
  }
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false });
  } catch (err) {
    const msg = (err as Error).message;
    throw damaged(name, /end of central directory record signature not found/i.test(msg) ? 'the zip directory is missing; the file may be cut short' : msg);
  }
  try {
    if (zip.entryCount > XLSX_LIMITS.maxEntries) {
      throw fail(name, `holds ${zip.entryCount.toLocaleString('en-GB')} files inside; at most ${XLSX_LIMITS.maxEntries.toLocaleString('en-GB')} are allowed: refused`);
    }
    const entries = new Map<string, yauzl.Entry>();
    let total = 0;
    for await (const entry of zip.eachEntry()) {
      total += entry.uncompressedSize;
      if (total > XLSX_LIMITS.maxUncompressedBytes) {
        throw fail(name, `would expand to more than ${XLSX_LIMITS.maxUncompressedBytes / 1024 / 1024} MB: refused`);
      }
      if (entry.uncompressedSize > RATIO_FLOOR_BYTES && entry.uncompressedSize > entry.compressedSize * XLSX_LIMITS.maxCompressionRatio) {
        throw fail(name, `contains a part ("${entry.fileName}") compressed more than ${XLSX_LIMITS.maxCompressionRatio} to 1, as zip bombs are: refused`);
      }
      if (!entry.fileName.endsWith('/')) entries.set(entry.fileName.toLowerCase(), entry);
    }
    return { name, size, zip, entries };
  } catch (err) {
    zip.close();
    if (isFileReadError(err)) throw err;
    throw damaged(name, `its zip directory is inconsistent: ${(err as Error).message}`);
  }
}

/**
 * One part's bytes, inflated as they stream. The part may not grow past the size the zip directory declared (whose
 * total was checked against the limit), and its checksum must match: a damaged or lying part is an error.
 * `onCompressed` receives the compressed bytes read, for progress.
 */
async function* partBytes(book: Book, entry: yauzl.Entry, onCompressed?: (bytes: number) => void): AsyncGenerator<Buffer> {
  const { name } = book;
  if (entry.isEncrypted()) throw fail(name, 'is password-protected; remove the password in Excel, save it again and try again');
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
    throw fail(name, `uses a zip compression method (${entry.compressionMethod}) Excel does not write; open it in Excel and save it again`);
  }
  let raw: Readable;
  try {
    raw = await book.zip.openReadStreamPromise(entry, { decodeFileData: false });
  } catch (err) {
    throw damaged(name, `"${entry.fileName}": ${(err as Error).message}`);
  }
  const inflate = entry.compressionMethod === 8 ? zlib.createInflateRaw({ chunkSize: 64 * 1024 }) : undefined;
  if (onCompressed) raw.on('data', (chunk: Buffer) => onCompressed(chunk.length));
  let source: Readable = raw;
  if (inflate) {
    raw.on('error', (err) => inflate.destroy(err));
    source = raw.pipe(inflate);
  }
  let size = 0;
  let crc = 0;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > entry.uncompressedSize) {
        throw fail(name, `contains a part ("${entry.fileName}") that expands to more than its zip directory says, as zip bombs do: refused`);
      }
      crc = zlib.crc32(chunk, crc);
      yield chunk;
    }
  } catch (err) {
    if (isFileReadError(err)) throw err;
    throw damaged(name, `"${entry.fileName}": ${(err as Error).message}`);
  } finally {
    if (inflate) { raw.unpipe(inflate); inflate.destroy(); }
    raw.destroy();
  }
  if (size !== entry.uncompressedSize) throw damaged(name, `"${entry.fileName}" is shorter than its zip directory says`);
  if (crc !== entry.crc32) throw damaged(name, `"${entry.fileName}" fails its checksum`);
}

/** One part as text (UTF-8, or UTF-16 when it starts with a byte-order mark); invalid UTF-8 is an error, not "?". */
async function* partText(book: Book, entry: yauzl.Entry, onCompressed?: (bytes: number) => void): AsyncGenerator<string> {
  let decoder: TextDecoder | undefined;
  try {
    for await (const chunk of partBytes(book, entry, onCompressed)) {
      decoder ??= new TextDecoder(chunk[0] === 0xff && chunk[1] === 0xfe ? 'utf-16le' : chunk[0] === 0xfe && chunk[1] === 0xff ? 'utf-16be' : 'utf-8', { fatal: true });
      const text = decoder.decode(chunk, { stream: true });
      if (text) yield text;
    }
    const rest = decoder?.decode() ?? '';
    if (rest) yield rest;
  } catch (err) {
    if (isFileReadError(err)) throw err;
    throw damaged(book.name, `"${entry.fileName}" is not valid text: ${(err as Error).message}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// XML

interface XmlHandlers {
  open(name: string, attrs: Record<string, string>): void;
  text?(text: string): void;
  close?(name: string): void;
}

/** Element names without their namespace prefix (some writers use x:row, most none). */
function localName(qname: string): string {
  const i = qname.indexOf(':');
  return i < 0 ? qname : qname.slice(i + 1);
}

/** An attribute by local name, whatever its prefix (r:id, or another prefix bound to the same namespace). */
function attr(attrs: Record<string, string>, local: string): string | undefined {
  const direct = attrs[local];
  if (direct !== undefined) return direct;
  for (const k in attrs) if (k.endsWith(`:${local}`) && !k.startsWith('xmlns:')) return attrs[k];
  return undefined;
}

function xmlParser(h: XmlHandlers): SaxesParser {
  const p = new SaxesParser({ position: false });
  p.on('opentag', (t) => h.open(localName(t.name), t.attributes as Record<string, string>));
  if (h.text) { p.on('text', h.text); p.on('cdata', h.text); }
  const close = h.close;
  if (close) p.on('closetag', (t) => close(localName(t.name)));
  return p;
}

async function parsePart(book: Book, entry: yauzl.Entry, h: XmlHandlers): Promise<void> {
  const p = xmlParser(h);
  try {
    for await (const text of partText(book, entry)) p.write(text);
    p.close();
  } catch (err) {
    if (isFileReadError(err)) throw err;
    throw damaged(book.name, `"${entry.fileName}": ${(err as Error).message}`);
  }
}

/** Text in OOXML escapes characters XML cannot hold as _xHHHH_ (a literal "_x" is written _x005F_x). */
function decodeXString(s: string): string {
  if (!s.includes('_x')) return s;
  return s.replace(/_x([0-9a-fA-F]{4})_/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

// ---------------------------------------------------------------------------------------------------------------
// The workbook

interface SheetEntry {
  name: string;
  hidden: boolean;
  /** Zip path of the sheet's XML, e.g. xl/worksheets/sheet1.xml. */
  part?: string;
  /** A worksheet (rows and cells), not a chart sheet or dialog sheet. */
  isWorksheet: boolean;
}

interface Workbook extends Book {
  sheets: SheetEntry[];
  date1904: boolean;
  sharedStringsPart?: string;
  stylesPart?: string;
}

interface Relationship { type: string; target: string; external: boolean }

function resolvePart(fromDir: string, target: string): string {
  const t = target.replace(/\\/g, '/');
  return path.posix.normalize(t.startsWith('/') ? t.slice(1) : path.posix.join(fromDir, t)).replace(/^(\.\.\/)+/, '');
}

function findEntry(book: Book, part: string): yauzl.Entry | undefined {
  const found = book.entries.get(part.toLowerCase());
  if (found || !part.includes('%')) return found;
  try { return book.entries.get(decodeURIComponent(part).toLowerCase()); } catch { return undefined; }
}

/** Relationships of a part, by id; none when the part has no relationships file. */
async function readRelationships(book: Book, part: string): Promise<Map<string, Relationship>> {
  const relsPart = path.posix.join(path.posix.dirname(part), '_rels', `${path.posix.basename(part)}.rels`);
  const rels = new Map<string, Relationship>();
  const entry = findEntry(book, relsPart);
  if (!entry) return rels;
  await parsePart(book, entry, {
    open(name, a) {
      if (name !== 'Relationship' || a.Id === undefined || a.Target === undefined) return;
      rels.set(a.Id, { type: a.Type ?? '', target: a.Target, external: a.TargetMode === 'External' });
    },
  });
  return rels;
}

function relOfType(rels: Map<string, Relationship>, type: string): Relationship | undefined {
  for (const r of rels.values()) if (!r.external && r.type.endsWith(`/${type}`)) return r;
  return undefined;
}

/** Opens the workbook: its zip checked (see openZip), its sheets in the order Excel shows them. Close `zip` after. */
async function openWorkbook(file: string, name: string): Promise<Workbook> {
  const book = await openZip(file, name);
  try {
    // The package says where the workbook is (nearly always xl/workbook.xml).
    const rootRel = relOfType(await readRelationships(book, ''), 'officeDocument');
    const workbookPart = rootRel ? resolvePart('', rootRel.target) : 'xl/workbook.xml';
    const workbookEntry = findEntry(book, workbookPart) ?? findEntry(book, 'xl/workbook.xml');
    if (!workbookEntry) throw fail(name, 'is a zip archive but not an Excel .xlsx workbook (it has no workbook inside); save it from Excel as .xlsx');
    const dir = path.posix.dirname(workbookEntry.fileName);
    const rels = await readRelationships(book, workbookEntry.fileName);
    const sheets: SheetEntry[] = [];
    let date1904 = false;
    await parsePart(book, workbookEntry, {
      open(el, a) {
        if (el === 'workbookPr') date1904 = a.date1904 === '1' || a.date1904 === 'true';
        if (el !== 'sheet' || a.name === undefined) return;
        const rid = attr(a, 'id');
        const rel = rid === undefined ? undefined : rels.get(rid);
        sheets.push({
          name: a.name,
          hidden: a.state === 'hidden' || a.state === 'veryHidden',
          part: rel && !rel.external ? resolvePart(dir, rel.target) : undefined,
          isWorksheet: !rel || rel.type.endsWith('/worksheet'),
        });
      },
    });
    if (!sheets.length) throw fail(name, 'is an Excel workbook with no sheets');
    const shared = relOfType(rels, 'sharedStrings');
    const styles = relOfType(rels, 'styles');
    return {
      ...book, sheets, date1904,
      sharedStringsPart: resolvePart(dir, shared ? shared.target : 'sharedStrings.xml'),
      stylesPart: resolvePart(dir, styles ? styles.target : 'styles.xml'),
    };
  } catch (err) {
    book.zip.close();
    throw err;
  }
}

/** The shared-text table: each item's text, rich-text runs joined, phonetic guides (rPh) left out. */
async function readSharedStrings(book: Workbook): Promise<string[]> {
  const strings: string[] = [];
  const entry = book.sharedStringsPart === undefined ? undefined : findEntry(book, book.sharedStringsPart);
  if (!entry) return strings;
  let inItem = false;
  let phonetic = 0;
  let capture = false;
  let text = '';
  await parsePart(book, entry, {
    open(el) {
      if (el === 'si') { inItem = true; text = ''; } else if (el === 'rPh') phonetic++;
      else if (el === 't' && inItem && phonetic === 0) capture = true;
    },
    text(t) { if (capture) text += t; },
    close(el) {
      if (el === 't') capture = false;
      else if (el === 'rPh') phonetic--;
      else if (el === 'si') { strings.push(decodeXString(text)); inItem = false; }
    },
  });
  return strings;
}

/** Excel's built-in number formats that show dates or times (ids 14-22, 45-47 and the East Asian and Thai ones). */
function isBuiltInDateFormat(id: number): boolean {
  return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58) || (id >= 71 && id <= 81);
}

function isDateFormat(fmt: string | undefined): boolean {
  if (!fmt) return false;
  const bare = fmt.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, '').replace(/\\./g, '').replace(/[_*]./g, '').replace(/General/gi, '');
  return /[ymdhsb]/i.test(bare);
}

/** For each cell style (the cell's s attribute), whether its number format shows a date or time. */
async function readDateStyles(book: Workbook): Promise<boolean[]> {
  const entry = book.stylesPart === undefined ? undefined : findEntry(book, book.stylesPart);
  if (!entry) return [];
  const formats = new Map<number, string>();
  const xfFormats: number[] = [];
  let inCellXfs = false;
  await parsePart(book, entry, {
    open(el, a) {
      if (el === 'numFmt' && a.numFmtId !== undefined) formats.set(Number(a.numFmtId), a.formatCode ?? '');
      else if (el === 'cellXfs') inCellXfs = true;
      else if (el === 'xf' && inCellXfs) xfFormats.push(Number(a.numFmtId ?? 0));
    },
    close(el) { if (el === 'cellXfs') inCellXfs = false; },
  });
  return xfFormats.map((id) => (formats.has(id) ? isDateFormat(formats.get(id)) : isBuiltInDateFormat(id)));
}

/** The workbook's sheet names, in Excel's order (hidden sheets included). */
export async function listSheets(file: string, options: { fileName?: string } = {}): Promise<string[]> {
  const book = await openWorkbook(file, options.fileName ?? path.basename(file));
  book.zip.close();
  return book.sheets.map((s) => s.name);
}

// ---------------------------------------------------------------------------------------------------------------
// Values

function pad(n: number, width = 2): string { return String(n).padStart(width, '0'); }

/** YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SS when the cell also holds a time of day, so nothing is lost. */
function formatDate(d: Date): string {
  if (Number.isNaN(d.getTime())) return '';
  const t = new Date(Math.round(d.getTime() / 1000) * 1000); // Excel stores fractions of a day: round to the second
  const date = `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
  const secs = t.getUTCHours() * 3600 + t.getUTCMinutes() * 60 + t.getUTCSeconds();
  return secs === 0 ? date : `${date}T${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}`;
}

/** An Excel date serial (days since 1899-12-30, or since 1904-01-01 in a 1904-based workbook) as text. */
function serialText(serial: number, date1904: boolean): string {
  return formatDate(new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000)));
}

/**
 * A cell value as exceljs gives it (strings, numbers, booleans, dates, rich text, formulas, errors, hyperlinks), as
 * text, exactly as stored: never evaluated, never rounded. `numFmt` is the cell's number format, for formula results.
 */
export function cellText(value: unknown, numFmt?: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isNaN(value) ? '#ERROR' : String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return formatDate(value);
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if ('error' in v) return String(v.error ?? '');
    if (Array.isArray(v.richText)) return (v.richText as { text?: unknown }[]).map((r) => (r.text === null || r.text === undefined ? '' : String(r.text))).join('');
    if ('formula' in v || 'sharedFormula' in v) {
      const r = v.result;
      if (typeof r === 'number' && !Number.isNaN(r) && isDateFormat(numFmt)) return serialText(r, false);
      return cellText(r);
    }
    if ('text' in v) return cellText(v.text); // a hyperlink: its text, not its address
    if ('sharedString' in v) throw new Error('a shared text value could not be found');
  }
  return String(value);
}

/** Column letters → 0-based index; -1 when the reference has no letters. */
function columnIndex(ref: string): number {
  let n = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i) | 0x20; // lower-case
    if (c < 0x61 || c > 0x7a) break;
    n = n * 26 + (c - 0x60);
    if (n > MAX_EXCEL_COLUMNS) return MAX_EXCEL_COLUMNS; // caught by the caller as out of range
  }
  return i === 0 ? -1 : n - 1;
}

function columnName(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

// ---------------------------------------------------------------------------------------------------------------
// Rows

interface SheetRow {
  /** Excel's row number. */
  num: number;
  /** Cell texts by 0-based column; sparse (empty cells are absent). */
  cells: string[];
  /** 1 + the column of the last non-empty cell; 0 for an empty row. */
  width: number;
  problem?: string;
}

interface SheetContext {
  book: Workbook;
  sheet: SheetEntry;
  entry: yauzl.Entry;
  shared: string[];
  dateStyles: boolean[];
  /** Count of <row> elements seen, for the final check that every one was accounted for. */
  rowElements: number;
}

/** What the text being read belongs to. */
const CAPTURE_NONE = 0;
const CAPTURE_VALUE = 1;
const CAPTURE_INLINE = 2;

/** A sheet's rows as they stream, with their cells as text, in batches (one per chunk of the sheet read). */
async function* sheetRows(ctx: SheetContext, onCompressed?: (bytes: number) => void): AsyncGenerator<SheetRow[]> {
  const { book, shared, dateStyles } = ctx;
  const { name, date1904 } = book;
  let pending: SheetRow[] = [];
  let inData = false;
  let row: SheetRow | undefined;
  let lastRowNum = 0;
  // The cell being read.
  let col = -1;
  let type = 'n';
  let style = 0;
  let value = '';
  let hasValue = false;
  let inline = '';
  let inInline = false;
  let hasInline = false;
  let phonetic = 0;
  let capture: number = CAPTURE_NONE;

  const cellValue = (): string => {
    switch (type) {
      case 's': {
        if (!hasValue || value.trim() === '') return '';
        const s = shared[Number(value)];
        if (s === undefined) throw damaged(name, `a cell refers to shared text number ${value}, which the workbook does not have`, row?.num);
        return s;
      }
      case 'inlineStr': return decodeXString(hasInline ? inline : value);
      case 'str': return decodeXString(value);
      case 'b': { const b = value.trim(); return b === '' ? '' : b === '0' || b === 'false' ? 'FALSE' : 'TRUE'; }
      case 'e': return value;
      case 'd': return value.replace(/T00:00:00(\.0+)?Z?$/, ''); // ISO 8601 as stored; a bare date when there is no time
      default: {
        if (value === '') return '';
        const n = Number(value);
        if (!Number.isFinite(n)) return value;
        return dateStyles[style] ? serialText(n, date1904) : String(n);
      }
    }
  };

  const parser = xmlParser({
    open(el, a) {
      switch (el) {
        case 'sheetData': inData = true; break;
        case 'row': {
          if (!inData) break;
          ctx.rowElements++;
          const r = a.r;
          const num = r === undefined ? lastRowNum + 1 : Number(r);
          if (!Number.isInteger(num) || num < 1) throw damaged(name, `a row has the number "${r}"`);
          if (num <= lastRowNum) throw damaged(name, `its rows are out of order (row ${num} comes after row ${lastRowNum})`);
          lastRowNum = num;
          row = { num, cells: [], width: 0 };
          col = -1;
          break;
        }
        case 'c': {
          if (!row) break;
          const ref = a.r;
          const at = ref === undefined ? -1 : columnIndex(ref);
          col = at < 0 ? col + 1 : at;
          if (col >= MAX_EXCEL_COLUMNS) throw damaged(name, `a cell ("${ref ?? ''}") is beyond Excel's last column`, row.num);
          type = a.t ?? 'n';
          style = a.s === undefined ? 0 : Number(a.s);
          value = ''; hasValue = false; inline = ''; inInline = false; hasInline = false;
          break;
        }
        case 'v': if (row) { capture = CAPTURE_VALUE; hasValue = true; } break;
        case 'is': inInline = true; hasInline = true; break;
        case 'rPh': phonetic++; break;
        case 't': if (inInline && phonetic === 0) capture = CAPTURE_INLINE; break;
      }
    },
    text(t) {
      if (capture === CAPTURE_VALUE) value += t;
      else if (capture === CAPTURE_INLINE) inline += t;
    },
    close(el) {
      switch (el) {
        case 'v': case 't': capture = CAPTURE_NONE; break;
        case 'rPh': phonetic--; break;
        case 'is': inInline = false; break;
        case 'c': {
          if (!row) break;
          const text = cellValue();
          if (text === '') break;
          if (row.cells[col] !== undefined) {
            const clash = `has two values for column ${columnName(col)}; only the last was read`;
            row.problem = row.problem ? `${row.problem}; ${clash}` : clash;
          }
          row.cells[col] = text;
          if (col >= row.width) row.width = col + 1;
          break;
        }
        case 'row': if (row) { pending.push(row); row = undefined; } break;
        case 'sheetData': inData = false; break;
      }
    },
  });

  try {
    for await (const text of partText(book, ctx.entry, onCompressed)) {
      parser.write(text);
      if (pending.length) { yield pending; pending = []; }
    }
    parser.close();
    if (pending.length) yield pending;
  } catch (err) {
    if (isFileReadError(err)) throw err;
    throw damaged(name, `sheet "${ctx.sheet.name}": ${(err as Error).message}`, row?.num ?? (lastRowNum || undefined));
  }
}

/**
 * Stream one sheet's rows (default: the first visible sheet with data). The first non-empty row is the header;
 * row numbers are Excel's (empty rows are skipped, never renumbered). `onInfo` receives the sheet names, the sheet
 * read and its headers before the first row.
 */
export async function* readXlsx(file: string, options: XlsxOptions = {}, onInfo?: (info: XlsxInfo) => void): AsyncGenerator<FileRow> {
  const name = options.fileName ?? path.basename(file);
  const book = await openWorkbook(file, name);
  try {
    const names = book.sheets.map((s) => s.name);
    let candidates: SheetEntry[];
    if (options.sheet !== undefined) {
      const wanted = options.sheet.trim().toLowerCase();
      const found = book.sheets.find((s) => s.name.toLowerCase() === wanted);
      if (!found) throw fail(name, `has no sheet called "${options.sheet}"; its sheets are ${names.map((s) => `"${s}"`).join(', ')}`);
      if (!found.isWorksheet) throw fail(name, `the sheet "${found.name}" is a chart, not a table of rows`);
      candidates = [found];
    } else {
      candidates = [...book.sheets.filter((s) => !s.hidden), ...book.sheets.filter((s) => s.hidden)].filter((s) => s.isWorksheet);
    }

    let shared: string[] | undefined;
    let dateStyles: boolean[] | undefined;
    for (const sheet of candidates) {
      const entry = sheet.part === undefined ? undefined : findEntry(book, sheet.part);
      if (!entry) throw damaged(name, `the sheet "${sheet.name}" is missing from it`);
      // The shared text and the styles first, whatever their place in the zip.
      shared ??= await readSharedStrings(book);
      dateStyles ??= await readDateStyles(book);

      const ctx: SheetContext = { book, sheet, entry, shared, dateStyles, rowElements: 0 };
      let headers: string[] | undefined;
      let empty = 0;
      let yielded = 0;
      let consumed = 0;
      const onProgress = options.onProgress;
      const onCompressed = onProgress && entry.compressedSize > 0 ? (bytes: number) => {
        consumed += bytes;
        // Only the sheet being read reports: an empty sheet passed over would send the bar to 100% and back.
        if (headers) onProgress(Math.min(book.size, Math.floor((consumed / entry.compressedSize) * book.size)), book.size);
      } : undefined;

      // The first rows wait until the header is chosen among them: title rows above it are passed over, a row of field
      // codes under it is not data (layout.ts). Row numbers stay Excel's.
      let waiting: SheetRow[] | undefined = [];
      let skipped = 0;
      let codeRow: number | undefined;
      const choose = (rows: SheetRow[]): SheetRow[] => {
        const fixed = options.headerRow === undefined ? undefined : rows.findIndex((r) => r.num >= options.headerRow!);
        if (fixed === -1) throw fail(name, `the header row is set to row ${options.headerRow}, but sheet "${sheet.name}" has no row ${options.headerRow} with values`);
        const cellsOf = (r: SheetRow) => Array.from({ length: r.width }, (_, i) => r.cells[i] ?? '');
        const choice = detectHeader(rows.map(cellsOf), fixed);
        const r = rows[choice.index]!;
        if (r.width > LIMITS.maxColumns) throw fail(name, `the header on sheet "${sheet.name}" has ${r.width} columns; at most ${LIMITS.maxColumns} are supported`, r.num);
        headers = uniqueHeaders(cellsOf(r));
        if (r.problem) throw fail(name, `the header on sheet "${sheet.name}" ${r.problem}`, r.num);
        skipped = choice.index + (choice.codeRow ? 1 : 0);
        if (choice.codeRow) codeRow = rows[choice.index + 1]!.num;
        const told = choice.index > 0 || choice.codeRow || fixed !== undefined;
        onInfo?.({ sheets: names, sheet: sheet.name, headers, ...(told ? { headerRow: r.num, headerReason: choice.reason } : {}), ...(codeRow ? { codeRow } : {}) });
        return rows.slice(choice.index + 1 + (choice.codeRow ? 1 : 0));
      };
      const rowOf = (r: SheetRow): FileRow => {
        const values: Record<string, string> = {};
        const h = headers!;
        for (let i = 0; i < h.length; i++) values[h[i]!] = r.cells[i] ?? '';
        let problem = r.problem;
        if (r.width > h.length) {
          const extra = `has ${r.width} fields but the header has ${h.length}: the extra values were not read`;
          problem = problem ? `${extra}; ${problem}` : extra;
        }
        yielded++;
        return problem ? { row: r.num, values, problem } : { row: r.num, values };
      };
      for await (const batch of sheetRows(ctx, onCompressed)) for (const r of batch) {
        if (r.width === 0) { empty++; continue; }
        if (waiting) {
          waiting.push(r);
          if (waiting.length < HEADER_SCAN_ROWS + 2) continue;
          const rest = choose(waiting);
          waiting = undefined;
          for (const x of rest) yield rowOf(x);
          continue;
        }
        yield rowOf(r);
      }
      if (waiting?.length) {
        const rest = choose(waiting);
        waiting = undefined;
        for (const x of rest) yield rowOf(x);
      }
      // Belt and braces: every <row> is the header, a title or code row passed over, a row yielded or an empty row skipped.
      const accounted = (headers ? 1 + skipped : 0) + yielded + empty;
      if (accounted !== ctx.rowElements) {
        throw fail(name, `sheet "${sheet.name}" has ${ctx.rowElements} rows but ${accounted} were accounted for; the file could not be read reliably`);
      }
      if (headers) {
        onProgress?.(book.size, book.size);
        return;
      }
      if (options.sheet !== undefined) throw fail(name, `the sheet "${sheet.name}" is empty (it has no header row)`);
    }
    throw fail(name, 'has no data on any sheet (no header row found)');
  } finally {
    book.zip.close();
  }
}
