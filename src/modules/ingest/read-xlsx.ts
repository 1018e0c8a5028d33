// Reading landlords' Excel workbooks (.xlsx) the way read.ts reads CSV: streamed, one row at a time with its Excel
// row number, every value as text without losing information. Before anything is decompressed the zip's central
// directory is checked against XLSX_LIMITS, so a zip bomb is refused from its directory alone.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import { LIMITS, uniqueHeaders, type FileRow, type FileReadError } from './read.ts';

export interface XlsxInfo { sheets: string[]; sheet: string; headers: string[] }

export const XLSX_LIMITS = {
  /** Total size of everything in the zip once decompressed, as its central directory declares it. */
  maxUncompressedBytes: 500 * 1024 * 1024,
  maxEntries: 10_000,
  /** Largest decompressed/compressed ratio for any entry over 1 MB decompressed (real sheets are well under 50). */
  maxCompressionRatio: 200,
};

const RATIO_FLOOR_BYTES = 1024 * 1024;
const MAX_WORKBOOK_XML = 10 * 1024 * 1024;

function fail(file: string, message: string, row?: number): FileReadError {
  return Object.assign(new Error(`${file}${row ? `, row ${row}` : ''}: ${message}`), { file, row });
}

interface ZipEntry { name: string; method: number; compressedSize: number; uncompressedSize: number; localOffset: number }

async function readAt(handle: fs.promises.FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buf, 0, length, position);
  return buf.subarray(0, bytesRead);
}

/** The zip's central directory, checked against XLSX_LIMITS. Reads only the directory: nothing is decompressed. */
async function readZipDirectory(handle: fs.promises.FileHandle, name: string): Promise<ZipEntry[]> {
  const { size } = await handle.stat();
  const damaged = (why: string) => fail(name, `is damaged and cannot be read (${why}); open it in Excel and save it again`);
  const head = await readAt(handle, 0, 8);
  if (head.length === 0) throw fail(name, 'the file is empty');
  if (head.readUInt32BE(0) === 0xd0cf11e0) {
    throw fail(name, 'is an old Excel 97-2003 .xls file or a password-protected workbook; save it as an unprotected .xlsx file and try again');
  }
  if (head.length < 4 || head.readUInt32LE(0) !== 0x04034b50) throw fail(name, 'is not an Excel .xlsx file (it is not a zip archive)');

  // End of central directory record: 22 bytes plus a comment of up to 65,535 bytes, at the very end of the file.
  const tailStart = Math.max(0, size - (22 + 65_535));
  const tail = await readAt(handle, tailStart, size - tailStart);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) if (tail.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  if (eocd < 0) throw damaged('the zip directory is missing; the file may be cut short');
  let count = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    // Zip64: the locator sits just before the end record and points at the zip64 end record.
    const locatorAt = tailStart + eocd - 20;
    const locator = locatorAt >= 0 ? await readAt(handle, locatorAt, 20) : Buffer.alloc(0);
    if (locator.length < 20 || locator.readUInt32LE(0) !== 0x07064b50) throw damaged('its zip64 directory is missing');
    const rec = await readAt(handle, Number(locator.readBigUInt64LE(8)), 56);
    if (rec.length < 56 || rec.readUInt32LE(0) !== 0x06064b50) throw damaged('its zip64 directory is missing');
    count = Number(rec.readBigUInt64LE(32));
    cdSize = Number(rec.readBigUInt64LE(40));
    cdOffset = Number(rec.readBigUInt64LE(48));
  }
  if (count > XLSX_LIMITS.maxEntries) {
    throw fail(name, `holds ${count.toLocaleString('en-GB')} files inside; at most ${XLSX_LIMITS.maxEntries.toLocaleString('en-GB')} are allowed: refused`);
  }
  if (cdOffset + cdSize > size || cdSize > count * (46 + 3 * 65_535)) throw damaged('its zip directory is cut short');

  const cd = await readAt(handle, cdOffset, cdSize);
  const entries: ZipEntry[] = [];
  let total = 0;
  let p = 0;
  for (let n = 0; n < count; n++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== 0x02014b50) throw damaged('its zip directory is cut short');
    const nameLen = cd.readUInt16LE(p + 28);
    const extraLen = cd.readUInt16LE(p + 30);
    const commentLen = cd.readUInt16LE(p + 32);
    if (p + 46 + nameLen + extraLen > cd.length) throw damaged('its zip directory is cut short');
    const entry: ZipEntry = {
      name: cd.toString('utf8', p + 46, p + 46 + nameLen),
      method: cd.readUInt16LE(p + 10),
      compressedSize: cd.readUInt32LE(p + 20),
      uncompressedSize: cd.readUInt32LE(p + 24),
      localOffset: cd.readUInt32LE(p + 42),
    };
    // Zip64 extra field (id 1): 8-byte values, present only for the fields that are 0xffffffff above.
    for (let x = p + 46 + nameLen; x + 4 <= p + 46 + nameLen + extraLen;) {
      const id = cd.readUInt16LE(x);
      const len = cd.readUInt16LE(x + 2);
      if (id === 1) {
        let y = x + 4;
        const next = () => { const v = y + 8 <= x + 4 + len ? Number(cd.readBigUInt64LE(y)) : NaN; y += 8; return v; };
        if (entry.uncompressedSize === 0xffffffff) entry.uncompressedSize = next();
        if (entry.compressedSize === 0xffffffff) entry.compressedSize = next();
        if (entry.localOffset === 0xffffffff) entry.localOffset = next();
      }
      x += 4 + len;
    }
    if (![entry.uncompressedSize, entry.compressedSize, entry.localOffset].every(Number.isFinite)) throw damaged('its zip directory is inconsistent');
    total += entry.uncompressedSize;
    if (total > XLSX_LIMITS.maxUncompressedBytes) {
      throw fail(name, `would expand to more than ${XLSX_LIMITS.maxUncompressedBytes / 1024 / 1024} MB: refused`);
    }
    if (entry.uncompressedSize > RATIO_FLOOR_BYTES && entry.uncompressedSize > entry.compressedSize * XLSX_LIMITS.maxCompressionRatio) {
      throw fail(name, `contains a part ("${entry.name}") compressed more than ${XLSX_LIMITS.maxCompressionRatio} to 1, as zip bombs are: refused`);
    }
    entries.push(entry);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** One small entry's content, inflated with a hard cap on output (the directory's sizes are not trusted). */
async function readEntry(handle: fs.promises.FileHandle, name: string, entry: ZipEntry, cap: number): Promise<Buffer> {
  const local = await readAt(handle, entry.localOffset, 30);
  if (local.length < 30 || local.readUInt32LE(0) !== 0x04034b50) throw fail(name, `is damaged and cannot be read ("${entry.name}" is missing); open it in Excel and save it again`);
  const data = await readAt(handle, entry.localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28), entry.compressedSize);
  try {
    if (entry.method === 0) return data.subarray(0, cap);
    if (entry.method === 8) return zlib.inflateRawSync(data, { maxOutputLength: cap });
  } catch (err) {
    throw fail(name, `is damaged and cannot be read ("${entry.name}": ${(err as Error).message}); open it in Excel and save it again`);
  }
  throw fail(name, `uses a zip compression method (${entry.method}) Excel does not write; open it in Excel and save it again`);
}

function decodeXml(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_m, e: string) => {
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (e[0] !== '#') return named[e.toLowerCase()]!;
    return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
  });
}

interface SheetEntry {
  name: string; hidden: boolean; sheetId?: string;
  /** Zip path of the sheet's XML, e.g. xl/worksheets/sheet1.xml. */
  part?: string;
  /** Whether exceljs will name the sheet itself (it only understands relative targets like worksheets/sheet1.xml). */
  namedByExcelJs: boolean;
}

/** Checks the zip (see readZipDirectory) and returns the workbook's sheets in the order Excel shows them. */
async function inspectWorkbook(file: string): Promise<SheetEntry[]> {
  const name = path.basename(file);
  let handle: fs.promises.FileHandle;
  try { handle = await fs.promises.open(file, 'r'); } catch (err) { throw fail(name, `cannot be opened (${(err as Error).message})`); }
  try {
    const entries = await readZipDirectory(handle, name);
    const workbook = entries.find((e) => e.name === 'xl/workbook.xml');
    if (!workbook) throw fail(name, 'is a zip archive but not an Excel .xlsx workbook (it has no workbook inside); save it from Excel as .xlsx');
    if (workbook.uncompressedSize > MAX_WORKBOOK_XML) throw fail(name, 'has a workbook description too large to be real: refused');
    const xml = (await readEntry(handle, name, workbook, MAX_WORKBOOK_XML)).toString('utf8');
    // Sheet id → part, from the workbook's relationships (targets may be relative to xl/ or absolute).
    // exceljs 4.4.0's streaming reader silently loses sheets when there is no shared-text part: refuse clearly.
    if (!entries.some((e) => e.name === 'xl/sharedStrings.xml')) {
      throw fail(name, 'was saved in a form that cannot be read here (it has no shared text table); open it in Excel, save it again as .xlsx and try again');
    }
    const targets = new Map<string, string>();
    const relsEntry = entries.find((e) => e.name === 'xl/_rels/workbook.xml.rels');
    if (relsEntry && relsEntry.uncompressedSize <= MAX_WORKBOOK_XML) {
      const rels = (await readEntry(handle, name, relsEntry, MAX_WORKBOOK_XML)).toString('utf8');
      for (const m of rels.matchAll(/<(?:\w+:)?Relationship\b([^>]*)>/g)) {
        const id = /\bId="([^"]*)"/.exec(m[1]!)?.[1];
        const target = /\bTarget="([^"]*)"/.exec(m[1]!)?.[1];
        if (id && target) targets.set(id, decodeXml(target));
      }
    }
    const sheets: SheetEntry[] = [];
    for (const m of xml.matchAll(/<(?:\w+:)?sheet\b([^>]*)>/g)) {
      const attrs = m[1]!;
      const sheetName = /\bname="([^"]*)"/.exec(attrs)?.[1];
      if (sheetName === undefined) continue;
      const rid = /\br:id="([^"]*)"/.exec(attrs)?.[1];
      const target = rid ? targets.get(rid) : undefined;
      sheets.push({
        name: decodeXml(sheetName),
        hidden: /\bstate="(hidden|veryHidden)"/.test(attrs),
        sheetId: /\bsheetId="([^"]*)"/.exec(attrs)?.[1],
        part: target === undefined ? undefined : target.startsWith('/') ? target.slice(1) : `xl/${target}`,
        namedByExcelJs: target !== undefined && /^worksheets\/sheet\d+\.xml$/.test(target),
      });
    }
    if (!sheets.length) throw fail(name, 'is an Excel workbook with no sheets');
    return sheets;
  } finally {
    await handle.close();
  }
}

/** The workbook's sheet names, in Excel's order (hidden sheets included). */
export async function listSheets(file: string): Promise<string[]> {
  return (await inspectWorkbook(file)).map((s) => s.name);
}

function isDateFormat(fmt: string | undefined): boolean {
  if (!fmt) return false;
  return /[ymdhsb]/i.test(fmt.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, '').replace(/General/gi, ''));
}

function pad(n: number, width = 2): string { return String(n).padStart(width, '0'); }

/** YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SS when the cell also holds a time of day, so nothing is lost. */
function formatDate(d: Date): string {
  if (Number.isNaN(d.getTime())) return '';
  const t = new Date(Math.round(d.getTime() / 1000) * 1000); // Excel stores fractions of a day: round to the second
  const date = `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
  const secs = t.getUTCHours() * 3600 + t.getUTCMinutes() * 60 + t.getUTCSeconds();
  return secs === 0 ? date : `${date}T${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}`;
}

/** A cell's value as text, exactly as stored: never evaluated, never rounded. */
export function cellText(value: unknown, numFmt?: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  // NaN: a formula whose saved result is an Excel error; the streaming reader keeps no error text for formulas.
  if (typeof value === 'number') return Number.isNaN(value) ? '#ERROR' : String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return formatDate(value);
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if ('error' in v) return String(v.error ?? '');
    if (Array.isArray(v.richText)) return (v.richText as { text?: unknown }[]).map((r) => (r.text === null || r.text === undefined ? '' : String(r.text))).join('');
    if ('formula' in v || 'sharedFormula' in v) {
      // The result Excel saved. The streaming reader gives formula results as numbers even when the cell is
      // formatted as a date, so apply the cell's date format here.
      const r = v.result;
      if (typeof r === 'number' && !Number.isNaN(r) && isDateFormat(numFmt)) return formatDate(new Date(Math.round((r - 25569) * 86_400_000)));
      return cellText(r);
    }
    if ('text' in v) return cellText(v.text); // a hyperlink: its text, not its address
    if ('sharedString' in v) throw new Error('a shared text value could not be found');
  }
  return String(value);
}

interface RowLike { number: number; values: unknown; getCell(col: number): { numFmt?: string; result?: unknown } }

/** The row's cells as text, 1-based column index → text, trimmed of trailing empty cells. */
function rowTexts(row: RowLike): string[] {
  const raw = Array.isArray(row.values) ? (row.values as unknown[]) : [];
  const out: string[] = [];
  for (let col = 1; col < raw.length; col++) {
    const v = raw[col];
    if (v !== null && typeof v === 'object' && ('formula' in v || 'sharedFormula' in v)) {
      // row.values drops a NaN result (how the streaming reader records an error result), so ask the cell.
      const cell = row.getCell(col);
      out.push(cellText({ formula: '', result: cell.result }, cell.numFmt));
    } else {
      out.push(cellText(v));
    }
  }
  while (out.length && out[out.length - 1] === '') out.pop();
  return out;
}

/**
 * Stream one sheet's rows (default: the first visible sheet with data). The first non-empty row is the header;
 * row numbers are Excel's. `onInfo` receives the sheet names, the sheet read and its headers before the first row.
 */
export async function* readXlsx(file: string, options: { sheet?: string } = {}, onInfo?: (info: XlsxInfo) => void): AsyncGenerator<FileRow> {
  const name = path.basename(file);
  const sheets = await inspectWorkbook(file);
  const names = sheets.map((s) => s.name);
  let candidates: SheetEntry[];
  if (options.sheet !== undefined) {
    const wanted = options.sheet.trim().toLowerCase();
    const found = names.find((s) => s.toLowerCase() === wanted);
    if (found === undefined) throw fail(name, `has no sheet called "${options.sheet}"; its sheets are ${names.map((s) => `"${s}"`).join(', ')}`);
    candidates = sheets.filter((s) => s.name === found);
  } else {
    candidates = [...sheets.filter((s) => !s.hidden), ...sheets.filter((s) => s.hidden)];
  }

  // Each candidate is one streaming pass; only sheets before the first with data cost an extra pass.
  for (const candidate of candidates) {
    const sheet = candidate.name;
    const input = fs.createReadStream(file);
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
      sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', worksheets: 'emit',
    });
    let headers: string[] | undefined;
    let lastRow = 0;
    try {
      for await (const worksheet of reader) {
        // exceljs names a sheet (and sets its sheetId) only when its relationship target is relative
        // ("worksheets/sheet1.xml"); for absolute targets it leaves id = the part's number and name "Sheet<n>".
        const ws = worksheet as unknown as { name?: string; id?: unknown };
        const isIt = candidate.namedByExcelJs
          ? ws.name === sheet && String(ws.id) === candidate.sheetId
          : candidate.part === `xl/worksheets/sheet${String(ws.id)}.xml`;
        if (!isIt) continue;
        for await (const row of worksheet as AsyncIterable<RowLike>) {
          lastRow = row.number;
          const fields = rowTexts(row);
          if (!fields.length) continue;
          if (!headers) {
            if (fields.length > LIMITS.maxColumns) throw fail(name, `the header on sheet "${sheet}" has ${fields.length} columns; at most ${LIMITS.maxColumns} are supported`, row.number);
            headers = uniqueHeaders(fields);
            onInfo?.({ sheets: names, sheet, headers });
            continue;
          }
          const values: Record<string, string> = {};
          headers.forEach((h, i) => { values[h] = fields[i] ?? ''; });
          yield fields.length > headers.length
            ? { row: row.number, values, problem: `has ${fields.length} fields but the header has ${headers.length}: the extra values were not read` }
            : { row: row.number, values };
        }
        break;
      }
    } catch (err) {
      if ((err as FileReadError).file) throw err;
      throw fail(name, `could not be read as an Excel workbook (${(err as Error).message})`, lastRow || undefined);
    } finally {
      input.destroy();
    }
    if (headers) return;
    if (options.sheet !== undefined) throw fail(name, `the sheet "${sheet}" is empty (it has no header row)`);
  }
  throw fail(name, 'has no data on any sheet (no header row found)');
}
