// Federation (decision 0026; docs/hub-federation.md): the hub pulls a publisher's HHDS change feed, RPDE 1.0 with
// "modified timestamp and ID" ordering (the shape Hearth's own feeds serve: { next, items: [{ state, kind, id,
// modified, data }], license }), from the page after the last one it applied. Each page is one batch through the
// intake, and the page's records, the batch row and the source's cursor and next URL are written in one transaction,
// so a pull that dies resumes from the last page applied and never applies a page twice. A feed that goes backwards
// or loops, a page that is not RPDE, or one too large is refused whole: the source is paused with the reason.
import { and, eq } from 'drizzle-orm';
import type { Store } from '../../../platform/db/store.ts';
import { bodyHash, receive } from '../intake.ts';
import { hubSources } from '../schema.ts';
import { MAX_BATCH_RECORDS } from '../standard/schema.ts';
import { DEFAULT_TIMEOUT_MS, networkProblem, readLimited, TooLarge, utf8, type Fetch } from './http.ts';
import { urlProblem, type Source } from './registry.ts';
import { emptyResult, markSource, type PullResult } from './state.ts';

/** Largest feed page read, in bytes (RPDE pages are a few hundred items: 20 MB is far beyond any honest page). */
export const MAX_PAGE_BYTES = 20 * 1024 * 1024;
/** Pages one pull reads at most; the next pull goes on from there. */
export const MAX_PAGES = 200;

export interface FeedPullOptions {
  fetch?: Fetch;
  maxPages?: number;
  maxPageBytes?: number;
  timeoutMs?: number;
  now?: Date;
  /** Refuses a URL the hub must not fetch (throws with the reason): each page's, as `next` can point anywhere. */
  checkUrl?: (url: string) => Promise<void>;
}

export interface FeedItem {
  state: 'updated' | 'deleted';
  kind: string;
  id: string;
  modified: number;
  data?: unknown;
}

interface Position { modified: number; id: string }

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Ids compared as RPDE orders them: whole numbers by value, anything else by code point (as UUIDs sort in PostgreSQL). */
export function compareIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

export const comparePositions = (a: Position, b: Position) => (a.modified !== b.modified ? (a.modified < b.modified ? -1 : 1) : compareIds(a.id, b.id));

const show = (p: Position) => `(modified ${p.modified}, id ${JSON.stringify(p.id)})`;

/** A page as RPDE, or the first field that is not (named as items[3].modified). */
export function parseFeedPage(text: string, pageUrl: string): { next: string; items: FeedItem[] } | { problem: string } {
  let json: unknown;
  try { json = JSON.parse(text); } catch (err) { return { problem: `it is not JSON (${(err as Error).message})` }; }
  if (!isObject(json)) return { problem: 'it must be a JSON object with next and items' };
  if (typeof json.next !== 'string' || json.next === '') return { problem: `next is ${json.next === undefined ? 'missing' : 'not a URL'}: every page links to the next` };
  let next: string;
  try { next = new URL(json.next, pageUrl).href; } catch { return { problem: `next (${JSON.stringify(json.next.slice(0, 100))}) is not a URL` }; }
  const bad = urlProblem(next);
  if (bad) return { problem: `next (${JSON.stringify(json.next.slice(0, 100))}) ${bad}` };
  if (!Array.isArray(json.items)) return { problem: `items is ${json.items === undefined ? 'missing' : 'not a list'}: a page has a list of items (empty on the last page)` };
  if (json.items.length > MAX_BATCH_RECORDS) return { problem: `items has ${json.items.length} items: a page has at most ${MAX_BATCH_RECORDS.toLocaleString('en-GB')}` };
  const items: FeedItem[] = [];
  for (const [i, item] of (json.items as unknown[]).entries()) {
    const at = `items[${i}]`;
    if (!isObject(item)) return { problem: `${at} must be an object with state, kind, id and modified` };
    if (item.state !== 'updated' && item.state !== 'deleted') return { problem: `${at}.state must be "updated" or "deleted"` };
    if (typeof item.kind !== 'string' || item.kind === '') return { problem: `${at}.kind is ${item.kind === undefined ? 'missing' : 'not text'}: it says what the item is (home, measures)` };
    const id = typeof item.id === 'string' && item.id !== '' ? item.id : Number.isSafeInteger(item.id) ? String(item.id) : undefined;
    if (id === undefined) return { problem: `${at}.id is ${item.id === undefined ? 'missing' : 'not text or a whole number'}` };
    const m = item.modified;
    const modified = typeof m === 'number' ? m : typeof m === 'string' && /^\d{1,16}$/.test(m) ? Number(m) : NaN;
    if (!Number.isSafeInteger(modified) || modified < 0) return { problem: `${at}.modified is ${m === undefined ? 'missing' : 'not a whole number, 0 or more'}` };
    if (item.state === 'updated' && !isObject(item.data)) return { problem: `${at}.data is ${item.data === undefined ? 'missing' : 'not an object'}: an updated item carries its record` };
    items.push({ state: item.state, kind: item.kind, id, modified, ...(item.state === 'updated' ? { data: item.data } : {}) });
  }
  return { next, items };
}

/** Why a page's items do not follow the cursor in (modified, id) order (undefined when they do). */
export function orderProblem(items: readonly FeedItem[], cursor: Position | null): string | undefined {
  let before = cursor;
  for (const [i, item] of items.entries()) {
    if (before && comparePositions(item, before) <= 0) {
      return before === cursor
        ? `items[${i}] ${show(item)} is at or before the last item already read ${show(cursor)}: the feed went backwards`
        : `items[${i}] ${show(item)} is at or before items[${i - 1}] ${show(before)}: items must come in (modified, id) order`;
    }
    before = item;
  }
  return undefined;
}

/**
 * An item as the standard's record: an updated item's data is the record (home or measures); a deleted home is a
 * deletion by landlordReference, the item's id. The standard withdraws only homes, so a deleted item of another kind
 * becomes a deletion the validator refuses, naming its kind.
 */
export function itemRecord(item: FeedItem): unknown {
  if (item.state === 'updated') return item.data;
  return { type: 'deletion', kind: item.kind, landlordReference: item.id, deleted: true };
}

/** Read the source's feed from where it stopped, page by page, up to maxPages. */
export async function pullFeed(store: Store, source: Source, options: FeedPullOptions = {}): Promise<PullResult> {
  const fetch = options.fetch ?? globalThis.fetch;
  const maxPages = options.maxPages ?? MAX_PAGES;
  const maxBytes = options.maxPageBytes ?? MAX_PAGE_BYTES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const now = options.now ?? new Date();
  if (source.kind !== 'feed') throw new Error(`source ${source.id} is a ${source.kind} source, not a feed`);
  if (source.status === 'paused') return emptyResult(source, 'paused', source.lastError ?? 'paused');
  const result = emptyResult(source, 'unchanged');
  const stop = async (status: 'failing' | 'paused', reason: string): Promise<PullResult> => {
    await markSource(store, source, status, reason, now);
    return { ...result, outcome: status, reason };
  };

  // What the source row says now; each page is applied only if it still says so (another pull has not moved it).
  let expected = { nextUrl: source.nextUrl, cursorModified: source.cursorModified, cursorId: source.cursorId };
  let cursor: Position | null = source.cursorModified !== null && source.cursorId !== null ? { modified: source.cursorModified, id: source.cursorId } : null;
  let url = source.nextUrl ?? source.url;
  const read = new Set<string>();
  for (let pages = 0; ; pages++) {
    if (pages >= maxPages) return { ...result, more: true };
    if (options.checkUrl) {
      try { await options.checkUrl(url); } catch (err) { return stop('paused', `The page ${url} may not be fetched: ${(err as Error).message}`); }
    }
    let body: Uint8Array;
    try {
      const res = await fetch(url, { headers: { accept: 'application/json' }, redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
      if (!res.ok) {
        await res.body?.cancel().catch(() => undefined);
        return stop('failing', `GET ${url} answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}: tried again at the next poll`);
      }
      body = await readLimited(res, maxBytes, `The page ${url}`);
    } catch (err) {
      if (err instanceof TooLarge) return stop('paused', err.message);
      return stop('failing', `GET ${url} failed: ${networkProblem(err, timeoutMs)}; tried again at the next poll`);
    }
    const text = utf8(body);
    if (text === undefined) return stop('paused', `The page ${url} is not an RPDE page: it is not UTF-8 text`);
    const page = parseFeedPage(text, url);
    if ('problem' in page) return stop('paused', `The page ${url} is not an RPDE page: ${page.problem}. Nothing of it was applied`);
    const disorder = orderProblem(page.items, cursor);
    if (disorder) return stop('paused', `The page ${url} was refused: ${disorder}. Nothing of it was applied`);
    read.add(url);
    if (page.items.length && read.has(page.next)) {
      return stop('paused', page.next === url
        ? `The page ${url} was refused: it has ${page.items.length} items and its next is the page itself (only the last page, with no items, links to itself): the feed loops. Nothing of it was applied`
        : `The page ${url} was refused: its next (${page.next}) is a page already read in this pull, and items keep coming: the feed loops. Nothing of it was applied`);
    }

    const last = page.items.at(-1);
    const after = last ? { cursorModified: last.modified, cursorId: last.id } : { cursorModified: expected.cursorModified, cursorId: expected.cursorId };
    const applied = await store.system(async (db) => {
      const [row] = await db.select({ nextUrl: hubSources.nextUrl, cursorModified: hubSources.cursorModified, cursorId: hubSources.cursorId, status: hubSources.status })
        .from(hubSources).where(and(eq(hubSources.publisher, source.publisher), eq(hubSources.id, source.id))).for('update');
      if (!row || row.status === 'paused' || row.nextUrl !== expected.nextUrl || row.cursorModified !== expected.cursorModified || row.cursorId !== expected.cursorId) return undefined;
      const receipt = page.items.length
        ? await receive(db, {
          publisher: source.publisher, id: `feed:${bodyHash(`${url}\n${text}`)}`, via: 'feed', sourceId: source.id, body: text,
          records: page.items.map(itemRecord), now,
        })
        : undefined;
      await db.update(hubSources).set({
        ...after, nextUrl: page.next, status: 'ok', lastError: null, lastCheckedAt: now, ...(receipt && !receipt.replayed ? { lastChangedAt: now } : {}),
      }).where(and(eq(hubSources.publisher, source.publisher), eq(hubSources.id, source.id)));
      return { receipt };
    });
    if (!applied) return { ...result, outcome: 'moved', reason: 'another pull of this source applied this page first' };
    if (applied.receipt) {
      result.outcome = 'ok';
      result.batches += 1;
      result.records += applied.receipt.records;
      result.accepted += applied.receipt.accepted;
      result.rejected += applied.receipt.rejected;
    }
    if (!page.items.length) return result; // the last page: ask it again at the next poll
    expected = { nextUrl: page.next, ...after };
    cursor = { modified: after.cursorModified!, id: after.cursorId! };
    url = page.next;
  }
}
