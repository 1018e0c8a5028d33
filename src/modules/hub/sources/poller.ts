// Pulling the registered sources on a schedule (docs/hub-federation.md). Each poll claims the sources that are due
// (not paused, and last checked longer ago than their interval) by setting their lastCheckedAt in one statement that
// takes the rows with FOR UPDATE SKIP LOCKED: a second poller at the same moment (another server on the same
// PostgreSQL) skips the rows being claimed, and once the claim commits they are no longer due, so each source is
// pulled by one poller. A feed page is in any case applied only if the source's cursor is still the one the pull
// started from. A publisher's sources are pulled one after another (a homes file and a feed of one landlord never
// write its homes at once); different publishers' side by side, a few at a time.
import { publicDataFor } from '../public/queries.ts';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Store } from '../../../platform/db/store.ts';
import { every } from '../../../platform/ticker.ts';
import { hubSources } from '../schema.ts';
import { pullFeed, type FeedPullOptions } from './feed.ts';
import { pullFile, type FilePullOptions } from './file.ts';
import type { Source } from './registry.ts';
import { emptyResult, type PullResult } from './state.ts';

/** How often each kind of source is pulled, in minutes: feeds near real time, files as 360Giving reloads them. */
export const DEFAULT_EVERY_MINUTES = { feed: 5, file: 60 } as const;

export interface PollOptions extends Omit<FeedPullOptions, 'now'>, Omit<FilePullOptions, 'now'> {
  now?: Date;
  /** Minutes between pulls of a source: one figure for both kinds, or each kind's. */
  everyMinutes?: number | { feed: number; file: number };
  /** Sources claimed in one poll at most (the rest wait for the next). */
  limit?: number;
  /** Publishers pulled side by side. */
  concurrency?: number;
  /** Only this publisher's sources (a "pull now" for one landlord). */
  publisher?: string;
}

/**
 * Claim the due sources: their lastCheckedAt set to now, so no other poller takes them. Without a publisher, those of
 * the publishers waiting longest, one publisher at a time: a claim (FOR UPDATE SKIP LOCKED) stays on one publisher's
 * shard on Citus, which cannot lock rows across shards (docs/scaling.md).
 */
export async function claimDueSources(store: Store, now: Date, everyMinutes: { feed: number; file: number }, limit: number, publisher?: string): Promise<Source[]> {
  if (publisher === undefined) {
    const waiting = await store.system(async (db) => ((await db.execute(sql`SELECT publisher FROM hub.sources
      WHERE status <> 'paused' AND (last_checked_at IS NULL OR last_checked_at <= ${now.toISOString()}::timestamptz
        - make_interval(mins => CASE kind WHEN 'feed' THEN ${everyMinutes.feed}::int ELSE ${everyMinutes.file}::int END))
      GROUP BY publisher ORDER BY bool_or(last_checked_at IS NULL) DESC, min(last_checked_at), publisher LIMIT ${limit}`)).rows as { publisher: string }[]));
    const claimed: Source[] = [];
    for (const w of waiting) {
      if (claimed.length >= limit) break;
      claimed.push(...await claimDueSources(store, now, everyMinutes, limit - claimed.length, w.publisher));
    }
    return claimed;
  }
  return store.system(async (db) => {
    const claimed = (await db.execute(sql`UPDATE hub.sources s SET last_checked_at = ${now.toISOString()}::timestamptz
      FROM (SELECT publisher, id FROM hub.sources
        WHERE status <> 'paused' AND publisher = ${publisher} AND (last_checked_at IS NULL OR last_checked_at <= ${now.toISOString()}::timestamptz
          - make_interval(mins => CASE kind WHEN 'feed' THEN ${everyMinutes.feed}::int ELSE ${everyMinutes.file}::int END))
        ORDER BY last_checked_at NULLS FIRST, publisher, id
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED) due
      WHERE s.publisher = due.publisher AND s.id = due.id
      RETURNING s.publisher, s.id`)).rows as { publisher: string; id: string }[];
    if (!claimed.length) return [];
    const byPublisher = new Map<string, string[]>();
    for (const c of claimed) byPublisher.set(c.publisher, [...(byPublisher.get(c.publisher) ?? []), c.id]);
    const rows: Source[] = [];
    for (const [publisher, ids] of byPublisher) {
      rows.push(...await db.select().from(hubSources).where(and(eq(hubSources.publisher, publisher), inArray(hubSources.id, ids))));
    }
    return rows.sort((a, b) => a.publisher.localeCompare(b.publisher) || a.createdAt.getTime() - b.createdAt.getTime());
  });
}

/** One source pulled; an unexpected error (the database, a bug) is reported as failing rather than stopping the poll. */
async function pullOne(store: Store, source: Source, options: PollOptions, now: Date): Promise<PullResult> {
  try {
    return source.kind === 'feed' ? await pullFeed(store, source, { ...options, now }) : await pullFile(store, source, { ...options, now });
  } catch (err) {
    return emptyResult(source, 'failing', `the pull stopped: ${(err as Error).message}`);
  }
}

/** Pull every due source once: each publisher's one after another, `concurrency` publishers at a time. */
export async function pollDueSources(store: Store, options: PollOptions = {}): Promise<PullResult[]> {
  const now = options.now ?? new Date();
  const every = options.everyMinutes ?? DEFAULT_EVERY_MINUTES;
  const minutes = typeof every === 'number' ? { feed: every, file: every } : every;
  const due = await claimDueSources(store, now, minutes, options.limit ?? 100, options.publisher);
  const queues = new Map<string, Source[]>();
  for (const s of due) queues.set(s.publisher, [...(queues.get(s.publisher) ?? []), s]);
  const pending = [...queues.values()];
  const results: PullResult[] = [];
  const lane = async () => {
    for (let sources = pending.shift(); sources; sources = pending.shift()) {
      for (const s of sources) results.push(await pullOne(store, s, options, now));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, pending.length)) }, lane));
  return results;
}

export interface PollerLog {
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

/**
 * The hub's poller while it serves (the module's `worker`): polls every `tickSeconds` (default 60), one poll at a time;
 * stop() waits for the poll in progress.
 */
export function startPoller(store: Store, options: Omit<PollOptions, 'now'> & { tickSeconds?: number; log?: PollerLog } = {}): { stop(): Promise<void> } {
  const { tickSeconds = 60, log, ...poll } = options;
  return every(tickSeconds * 1000, async () => {
    const results = await pollDueSources(store, poll);
    for (const r of results) {
      if (r.outcome === 'failing' || r.outcome === 'paused' || r.outcome === 'refused') {
        log?.warn({ publisher: r.publisher, source: r.sourceId, outcome: r.outcome, reason: r.reason }, 'hub source not taken in');
      } else if (r.batches) {
        publicDataFor(store).changed(r.publisher);
        log?.info({ publisher: r.publisher, source: r.sourceId, batches: r.batches, accepted: r.accepted, rejected: r.rejected }, 'hub source pulled');
      }
    }
  }, (err) => log?.error({ err }, 'hub poll failed'));
}
