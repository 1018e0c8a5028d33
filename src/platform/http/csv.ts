// CSV for spreadsheets, written once for every download: each field has spreadsheet formulas neutralised (OWASP CSV
// injection, including after a ';' or ',' inside the field) and is quoted when it holds a comma, semicolon, tab, quote
// or line break (so a spreadsheet that splits on ';' keeps it whole too); a document starts with a byte order mark (so
// Excel reads UTF-8) and ends lines with CRLF; a filename is made safe from a landlord's name.
import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';

// OWASP CSV injection: = + - @ tab and carriage return start a formula; the full-width forms are read the same way
// by some spreadsheets, and leading spaces, line breaks or a quote do not stop all of them.
const FORMULA_START = /^[\s"]*[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/;
// A spreadsheet may split a cell where Hearth's CSV does not: on ';' (many European locales), ',', a tab or a line
// break (a reader that ignores the quotes). A formula can start after any of them.
const SEPARATOR = /([,;\t\r\n])/;
// A plain negative number ("-3.5") is read as that number: nothing in it can run, so it is left readable.
const PLAIN_NEGATIVE = /^\s*-\d+(?:\.\d+)?\s*$/;
const startsFormula = (part: string) => FORMULA_START.test(part) && !PLAIN_NEGATIVE.test(part);

/**
 * A cell made safe to open in a spreadsheet: a value that would start a formula is prefixed with a single quote, so
 * "=cmd|' /C calc'!A0" is shown as text, and so is each part after a separator ("a;=1+1" → "a;'=1+1"). Numbers are
 * written as they are, and so is a negative number written as text ("-3.5"); "+44 7700 900123" is prefixed (a
 * spreadsheet would otherwise take it for a formula) and so shown as the text it is.
 */
export function neutraliseFormula(cell: unknown): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number' || typeof cell === 'bigint' || typeof cell === 'boolean') return String(cell);
  const s = typeof cell === 'string' ? cell : String(cell);
  const parts = s.split(SEPARATOR); // text, separator, text, …
  const inner = parts.map((part, i) => (i >= 2 && i % 2 === 0 && startsFormula(part) ? `'${part}` : part)).join('');
  return startsFormula(s) ? `'${inner}` : inner;
}

export function csvField(value: unknown): string {
  const s = neutraliseFormula(value);
  return /[",;\t\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV line (with its CRLF). */
export function csvLine(cells: readonly unknown[]): string {
  return cells.map(csvField).join(',') + '\r\n';
}

/** A whole CSV document: byte order mark, then each row. */
export function csvDocument(rows: readonly (readonly unknown[])[]): string {
  return '\uFEFF' + rows.map(csvLine).join('');
}

/** A name as part of a download's filename ("Riverside Homes (demo)" → "riverside-homes-demo"). */
export function filenameSlug(s: string): string {
  return s.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'landlord';
}

/** "<what>-<landlord>-<parts…>-<today>.csv": a download's name, each part made safe. */
export function csvFilename(what: string, organisationName: string, ...parts: (string | undefined)[]): string {
  return [what, filenameSlug(organisationName), ...parts.filter((p): p is string => !!p).map(filenameSlug), new Date().toISOString().slice(0, 10)].join('-') + '.csv';
}

/** Send a CSV (a document, or a stream of one) as a download that is never cached. */
export function sendCsv(reply: FastifyReply, filename: string, body: string | Readable): FastifyReply {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .header('cache-control', 'no-store')
    .send(body);
}
