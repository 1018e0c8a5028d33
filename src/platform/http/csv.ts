// CSV for spreadsheets, written once for every download: each field has spreadsheet formulas neutralised (OWASP CSV
// injection, including after a ';' or ',' inside the field) and is quoted when it holds a comma, semicolon, tab, quote
// or line break (so a spreadsheet that splits on ';' keeps it whole too); a document starts with a byte order mark (so
// Excel reads UTF-8) and ends lines with CRLF; a filename is made safe from a landlord's name.
import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { neutraliseFormula } from '../../modules/ingest/normalise.ts';

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
