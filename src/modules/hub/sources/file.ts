// File drop (decision 0026; docs/hub-federation.md): a publisher's file at a URL, fetched when it changes (a
// conditional GET with the ETag and Last-Modified it gave last time), or uploaded. A file is the standard's homes.csv
// or measures.csv (the CSV profile), or a JSON batch (the push's envelope). The batch id is the hash of the body, so
// the same file published again under a new ETag is answered as a replay and applies nothing. A homes.csv is the
// publisher's whole stock: homes the hub holds for the publisher that the file does not name are withdrawn.
import { and, desc, eq, sql } from 'drizzle-orm';
import { parse } from 'csv-parse/sync';
import type { Db, Store } from '../../../platform/db/store.ts';
import { bodyHash, receive, type Receipt } from '../intake.ts';
import { hubBatches, hubSources } from '../schema.ts';
import { parseStandardCsv, type CsvKind } from '../standard/csv.ts';
import { validateBatch } from '../standard/validate.ts';
import { DEFAULT_TIMEOUT_MS, networkProblem, readLimited, TooLarge, utf8, type Fetch } from './http.ts';
import type { FileKind, Source } from './registry.ts';
import { emptyResult, markSource, type PullResult } from './state.ts';

/** Largest file fetched or uploaded, in bytes, unless the caller says otherwise (as HEARTH_UPLOAD_LIMIT). */
export const MAX_FILE_BYTES = 200 * 1024 * 1024;

export interface FilePullOptions {
  fetch?: Fetch;
  maxBytes?: number;
  timeoutMs?: number;
  now?: Date;
  /** Refuses a URL the hub must not fetch (throws with the reason). */
  checkUrl?: (url: string) => Promise<void>;
}

type BatchError = Receipt['errors'][number];

/** A file read as records, or refused whole with its errors (a header, envelope or publisher that is wrong). */
export interface ReadFile {
  records: unknown[];
  errors: BatchError[];
  /** Rows the file had that did not become records (counted as rejected). */
  rejected: number;
  /** The whole file was refused: nothing of it is applied, and a homes file withdraws nothing. */
  refused: boolean;
  /** For homes.csv: every landlord reference the file names, good rows and bad (the homes it keeps). */
  references?: Set<string>;
}

const LANDLORD_REFERENCE = 'landlord_reference';

/** Every landlord reference a homes.csv names, in any row (a bad row's home is not withdrawn for being mistyped). */
function namedReferences(text: string): Set<string> {
  const rows = parse(text, { bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, skip_records_with_error: true }) as string[][];
  const at = rows[0]?.findIndex((c) => c.trim() === LANDLORD_REFERENCE) ?? -1;
  return new Set(at < 0 ? [] : rows.slice(1).map((r) => (r[at] ?? '').trim()).filter(Boolean));
}

/** A file's text as the kind of file it is, for `publisher`. */
export function readStandardFile(kind: FileKind, text: string, publisher: string, now: Date): ReadFile {
  if (kind === 'batch') {
    let json: unknown;
    try { json = JSON.parse(text); } catch (err) {
      return { records: [], errors: [{ field: '', message: `The file is not JSON (${(err as Error).message}): a JSON batch is { "standard", "publisher", "records" }` }], rejected: 0, refused: true };
    }
    const counted = Array.isArray((json as { records?: unknown } | null)?.records) ? (json as { records: unknown[] }).records.length : 0;
    const checked = validateBatch(json, { now });
    if (!checked.ok) return { records: [], errors: checked.errors, rejected: counted, refused: true };
    if (checked.publisher !== publisher) {
      return {
        records: [], rejected: counted, refused: true,
        errors: [{ field: '/publisher', message: `publisher (${JSON.stringify(checked.publisher)}) is not the publisher this file is registered for (${JSON.stringify(publisher)}): a publisher sends only its own data` }],
      };
    }
    return { records: (json as { records: unknown[] }).records, errors: [], rejected: 0, refused: false };
  }
  const csv = parseStandardCsv(kind as CsvKind, text, { now });
  const errors = csv.errors.map((e) => ({ row: e.row, field: e.column, message: e.message }));
  const badRows = new Set(csv.errors.map((e) => e.row)).size;
  // A header that is refused refuses the file: no records, and an error on the header row (the first line with text).
  const firstLine = text.split(/\r?\n/).findIndex((l) => l.trim() !== '');
  const headerLine = firstLine < 0 ? 1 : firstLine + 1;
  const refused = csv.records.length === 0 && csv.errors.some((e) => e.row <= headerLine);
  return {
    records: csv.records, errors, rejected: refused ? csv.rows : Math.max(csv.rows - csv.records.length, badRows), refused,
    ...(kind === 'homes' && !refused ? { references: namedReferences(text) } : {}),
  };
}

/**
 * The batch id for a body: its hash, so an unchanged file is a replay. The same body as the source's (or, for
 * uploads, the publisher's uploads') latest batch is that batch again; a body seen before but not latest (a file
 * put back to an earlier version) is applied again under its hash and the time, since it is news.
 */
async function batchId(db: Db, publisher: string, via: 'file' | 'upload', hash: string, sourceId: string | null, now: Date): Promise<string> {
  const [latest] = await db.select({ id: hubBatches.id, bodyHash: hubBatches.bodyHash }).from(hubBatches)
    .where(and(eq(hubBatches.publisher, publisher), sourceId ? eq(hubBatches.sourceId, sourceId) : eq(hubBatches.via, via)))
    .orderBy(desc(hubBatches.receivedAt)).limit(1);
  if (latest?.bodyHash === hash) return latest.id;
  const id = `${via}:${hash}`;
  const [seen] = await db.select({ id: hubBatches.id }).from(hubBatches).where(and(eq(hubBatches.publisher, publisher), eq(hubBatches.id, id)));
  return seen ? `${id}:${now.getTime()}` : id;
}

/** The homes the publisher has on the hub that a homes.csv does not name: withdrawn, as deletions after its rows. */
async function withdrawals(db: Db, publisher: string, named: Set<string>): Promise<unknown[]> {
  const held = (await db.execute(sql`SELECT landlord_reference FROM hub.homes WHERE publisher = ${publisher}
    AND NOT (landlord_reference = ANY(${sql.param([...named])}::text[]))`)).rows as { landlord_reference: string }[];
  return held.map((h) => ({ type: 'deletion', kind: 'home', landlordReference: h.landlord_reference, deleted: true }));
}

export interface FileReceipt extends Receipt {
  /** Homes withdrawn because a homes.csv no longer names them. */
  withdrawn: number;
  /** The file was refused whole (its errors say why); nothing was applied. */
  refused: boolean;
}

/** Take a file's body in for a publisher, in the caller's transaction: one batch, and a homes file's withdrawals. */
async function receiveFile(db: Db, a: { publisher: string; via: 'file' | 'upload'; sourceId: string | null; kind: FileKind; text: string; now: Date }): Promise<FileReceipt> {
  const hash = bodyHash(a.text);
  const id = await batchId(db, a.publisher, a.via, hash, a.sourceId, a.now);
  const read = readStandardFile(a.kind, a.text, a.publisher, a.now);
  // On a replay nothing is applied, so the withdrawals are not even looked for.
  const replay = (await db.select({ id: hubBatches.id }).from(hubBatches).where(and(eq(hubBatches.publisher, a.publisher), eq(hubBatches.id, id)))).length > 0;
  const gone = read.references && !replay ? await withdrawals(db, a.publisher, read.references) : [];
  const receipt = await receive(db, {
    publisher: a.publisher, id, via: a.via, sourceId: a.sourceId, body: { hash }, records: [...read.records, ...gone],
    earlierErrors: read.errors, earlierRejected: read.rejected, now: a.now,
  });
  return { ...receipt, withdrawn: receipt.replayed ? 0 : gone.length, refused: read.refused };
}

/** The kind of an uploaded file, from its name: homes.csv, measures.csv (any prefix) or .json. */
export function uploadKind(fileName: string): FileKind | undefined {
  const name = fileName.toLowerCase().replace(/^.*[\\/]/, '');
  if (name.endsWith('homes.csv')) return 'homes';
  if (name.endsWith('measures.csv')) return 'measures';
  if (name.endsWith('.json')) return 'batch';
  return undefined;
}

export class UploadRefused extends Error {}

/** An uploaded file (via 'upload'): its kind from its name. Throws UploadRefused naming the file when it cannot be read. */
export async function receiveUpload(store: Store, publisher: string, fileName: string, body: string | Uint8Array,
  options: { now?: Date; maxBytes?: number } = {}): Promise<FileReceipt> {
  const kind = uploadKind(fileName);
  if (!kind) throw new UploadRefused(`${fileName} is not a file of the standard: upload homes.csv, measures.csv or a JSON batch (.json)`);
  const maxBytes = options.maxBytes ?? MAX_FILE_BYTES;
  const size = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  if (size > maxBytes) throw new UploadRefused(`${fileName} is ${size.toLocaleString('en-GB')} bytes, more than the limit of ${maxBytes.toLocaleString('en-GB')} bytes`);
  const text = typeof body === 'string' ? body.replace(/^\uFEFF/, '') : utf8(body);
  if (text === undefined) throw new UploadRefused(`${fileName} is not UTF-8 text: save it as CSV UTF-8 (or JSON) and upload it again`);
  const now = options.now ?? new Date();
  return store.system((db) => receiveFile(db, { publisher, via: 'upload', sourceId: null, kind, text, now }));
}

/** Fetch a file source if it changed, and take it in. */
export async function pullFile(store: Store, source: Source, options: FilePullOptions = {}): Promise<PullResult> {
  const fetch = options.fetch ?? globalThis.fetch;
  const maxBytes = options.maxBytes ?? MAX_FILE_BYTES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const now = options.now ?? new Date();
  if (source.kind !== 'file') throw new Error(`source ${source.id} is a ${source.kind} source, not a file`);
  if (source.status === 'paused') return emptyResult(source, 'paused', source.lastError ?? 'paused');
  const stop = async (status: 'failing' | 'paused', reason: string): Promise<PullResult> => {
    await markSource(store, source, status, reason, now);
    return emptyResult(source, status, reason);
  };
  const where = and(eq(hubSources.publisher, source.publisher), eq(hubSources.id, source.id));
  if (options.checkUrl) {
    try { await options.checkUrl(source.url); } catch (err) { return stop('paused', `The file ${source.url} may not be fetched: ${(err as Error).message}`); }
  }
  const headers: Record<string, string> = {};
  if (source.etag) headers['if-none-match'] = source.etag;
  if (source.lastModified) headers['if-modified-since'] = source.lastModified;
  let res: Response;
  let body: Uint8Array;
  try {
    res = await fetch(source.url, { headers, redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
    if (res.status === 304) {
      await res.body?.cancel().catch(() => undefined);
      await store.system((db) => db.update(hubSources).set({ lastCheckedAt: now }).where(where));
      return emptyResult(source, 'unchanged');
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      return stop('failing', `GET ${source.url} answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}: tried again at the next poll`);
    }
    body = await readLimited(res, maxBytes, `The file ${source.url}`);
  } catch (err) {
    if (err instanceof TooLarge) return stop('paused', err.message);
    return stop('failing', `GET ${source.url} failed: ${networkProblem(err, timeoutMs)}; tried again at the next poll`);
  }
  const validators = { etag: res.headers.get('etag'), lastModified: res.headers.get('last-modified') };
  const text = utf8(body);
  if (text === undefined) {
    const reason = `The file ${source.url} is not UTF-8 text: the standard's files are CSV UTF-8 or JSON`;
    await store.system((db) => db.update(hubSources).set({ ...validators, status: 'failing', lastError: reason, lastCheckedAt: now }).where(where));
    return emptyResult(source, 'refused', reason);
  }
  const kind = source.fileKind as FileKind;
  const receipt = await store.system(async (db) => {
    const r = await receiveFile(db, { publisher: source.publisher, via: 'file', sourceId: source.id, kind, text, now });
    const first = r.errors[0];
    const reason = r.refused && first ? `The file ${source.url} was refused: ${first.row !== undefined ? `row ${first.row}, ` : ''}${first.field ? `${first.field}: ` : ''}${first.message}` : null;
    // Validators are kept even for a refused file: it is not fetched again until it changes.
    await db.update(hubSources).set({
      ...validators, status: reason ? 'failing' : 'ok', lastError: reason, lastCheckedAt: now, ...(r.replayed ? {} : { lastChangedAt: now }),
    }).where(where);
    return { ...r, reason };
  });
  return {
    ...emptyResult(source, receipt.refused ? 'refused' : receipt.replayed ? 'replayed' : 'ok', receipt.reason ?? undefined),
    batches: receipt.replayed ? 0 : 1, records: receipt.records, accepted: receipt.accepted, rejected: receipt.rejected,
  };
}
