// The registry of sources the hub pulls (decision 0026; docs/hub-federation.md): a publisher's RPDE change feed, or a
// file it publishes at a URL (the standard's homes.csv or measures.csv, or a JSON batch). A source belongs to one
// publisher, and whatever it serves is taken in under that publisher's registration alone: that is how a pulled
// source is kept from writing another landlord's data. Hub tables are written as the owner (store.system).
import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq } from 'drizzle-orm';
import type { Db } from '../../../platform/db/store.ts';
import { hubBatches, hubPublishers, hubSources } from '../schema.ts';

export const SOURCE_KINDS = ['feed', 'file'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];
/** What a file source serves: the CSV profile's homes.csv or measures.csv, or a JSON batch. */
export const FILE_KINDS = ['homes', 'measures', 'batch'] as const;
export type FileKind = (typeof FILE_KINDS)[number];
export type SourceStatusCode = 'ok' | 'failing' | 'paused';

export type Source = typeof hubSources.$inferSelect;

/** A registration refused, with the field and why in words. */
export class SourceRefused extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
  }
}

export interface NewSource {
  publisher: string;
  kind: SourceKind;
  url: string;
  fileKind?: FileKind | null;
}

/** Why a URL cannot be a source (undefined when it can): http(s), no user name or password, no #fragment. */
export function urlProblem(text: string): string | undefined {
  let url: URL;
  try { url = new URL(text); } catch { return 'must be a full URL such as https://example.org/hhds/feed'; }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `must use https or http, not ${url.protocol.replace(/:$/, '')}`;
  if (url.username || url.password) return 'must not hold a user name or password';
  if (url.hash) return 'must not have a #fragment';
  return undefined;
}

/**
 * Register a source for a publisher. `checkUrl` (optional) refuses a URL the hub must not fetch (a private address:
 * pass the webhooks' destination check) by throwing with the reason.
 */
export async function registerSource(db: Db, s: NewSource, options: { checkUrl?: (url: string) => Promise<void> } = {}): Promise<Source> {
  if (!(SOURCE_KINDS as readonly string[]).includes(s.kind)) throw new SourceRefused('kind', `must be one of: ${SOURCE_KINDS.join(', ')}`);
  const problem = urlProblem(s.url);
  if (problem) throw new SourceRefused('url', problem);
  const url = new URL(s.url).href;
  if (s.kind === 'file' && !(FILE_KINDS as readonly string[]).includes(s.fileKind ?? '')) {
    throw new SourceRefused('fileKind', `is ${s.fileKind ? `"${s.fileKind}"` : 'missing'}: a file source serves one of ${FILE_KINDS.join(', ')} (homes.csv, measures.csv or a JSON batch)`);
  }
  if (s.kind === 'feed' && s.fileKind) throw new SourceRefused('fileKind', 'is only for a file source: a feed says what each item is');
  if (options.checkUrl) {
    try { await options.checkUrl(url); } catch (err) { throw new SourceRefused('url', (err as Error).message); }
  }
  const [known] = await db.select({ publisher: hubPublishers.publisher }).from(hubPublishers).where(eq(hubPublishers.publisher, s.publisher));
  if (!known) throw new SourceRefused('publisher', `${JSON.stringify(s.publisher)} is not a publisher of this hub: register the publisher first`);
  const [same] = await db.select({ id: hubSources.id }).from(hubSources)
    .where(and(eq(hubSources.publisher, s.publisher), eq(hubSources.url, url)));
  if (same) throw new SourceRefused('url', `${url} is already registered for ${s.publisher} (source ${same.id})`);
  const [row] = await db.insert(hubSources).values({
    publisher: s.publisher, id: randomUUID(), kind: s.kind, url, fileKind: s.kind === 'file' ? s.fileKind! : null, status: 'ok',
  }).returning();
  return row!;
}

/** The registered sources, of one publisher or all, oldest first. */
export async function listSources(db: Db, publisher?: string): Promise<Source[]> {
  const q = db.select().from(hubSources);
  return publisher === undefined
    ? q.orderBy(asc(hubSources.publisher), asc(hubSources.createdAt), asc(hubSources.id))
    : q.where(eq(hubSources.publisher, publisher)).orderBy(asc(hubSources.createdAt), asc(hubSources.id));
}

export async function getSource(db: Db, publisher: string, id: string): Promise<Source | undefined> {
  const [row] = await db.select().from(hubSources).where(and(eq(hubSources.publisher, publisher), eq(hubSources.id, id)));
  return row;
}

export interface SourceStatus {
  source: Source;
  /** The last batch taken in from the source: when, how many records, the first errors. */
  lastBatch: { id: string; receivedAt: Date; records: number; accepted: number; rejected: number; errors: typeof hubBatches.$inferSelect['errors'] } | null;
  /** Minutes since the source was last checked (null before its first check). */
  minutesSinceChecked: number | null;
}

/** A source's state for its publisher's status page: ok, failing or paused with the reason, and its last batch. */
export async function sourceStatus(db: Db, publisher: string, id: string, now = new Date()): Promise<SourceStatus | undefined> {
  const source = await getSource(db, publisher, id);
  if (!source) return undefined;
  const [b] = await db.select({
    id: hubBatches.id, receivedAt: hubBatches.receivedAt, records: hubBatches.records, accepted: hubBatches.accepted,
    rejected: hubBatches.rejected, errors: hubBatches.errors,
  }).from(hubBatches).where(and(eq(hubBatches.publisher, publisher), eq(hubBatches.sourceId, id)))
    .orderBy(desc(hubBatches.receivedAt)).limit(1);
  const checked = source.lastCheckedAt;
  return { source, lastBatch: b ?? null, minutesSinceChecked: checked ? Math.floor((now.getTime() - checked.getTime()) / 60_000) : null };
}

/** Take a source off the registry (its batches and the records it brought stay). */
export async function unregisterSource(db: Db, publisher: string, id: string): Promise<boolean> {
  const gone = await db.delete(hubSources).where(and(eq(hubSources.publisher, publisher), eq(hubSources.id, id))).returning({ id: hubSources.id });
  return gone.length > 0;
}

/** Stop pulling a source until it is resumed. */
export async function pauseSource(db: Db, publisher: string, id: string, reason: string): Promise<boolean> {
  const rows = await db.update(hubSources).set({ status: 'paused', lastError: reason })
    .where(and(eq(hubSources.publisher, publisher), eq(hubSources.id, id))).returning({ id: hubSources.id });
  return rows.length > 0;
}

/**
 * Pull a paused (or failing) source again. `restart`: forget a feed's cursor and a file's validators, so the next pull
 * reads the feed from its first page and the file whole (after a publisher rebuilt its feed, say).
 */
export async function resumeSource(db: Db, publisher: string, id: string, options: { restart?: boolean } = {}): Promise<boolean> {
  const reset = options.restart ? { cursorModified: null, cursorId: null, nextUrl: null, etag: null, lastModified: null } : {};
  const rows = await db.update(hubSources).set({ status: 'ok', lastError: null, lastCheckedAt: null, ...reset })
    .where(and(eq(hubSources.publisher, publisher), eq(hubSources.id, id))).returning({ id: hubSources.id });
  return rows.length > 0;
}
