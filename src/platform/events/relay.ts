// From the outbox to what reacts to it. Two steps, each safe to run in several processes at once:
//
// 1. sequence(): gives committed events their position, continuing from the highest given. An event is visible to
//    the sequencer only once its transaction has committed, and positions are given then, one sequencer at a time (an
//    advisory lock): so a position once given is never followed by a smaller one, and an event committed late gets a
//    larger position than anything already read: readers that go by position miss nothing. No transaction elsewhere
//    (a long import batch, another database on the server) holds sequencing back.
// 2. deliver(): each subscriber reads the sequenced events after its own position, in order, and handles them;
//    its position moves on in the same transaction as its work, so an event is processed once, even after a crash
//    (at least once delivered, once processed). A handler that throws is retried (`attempts`); after that the event
//    goes on the dead-letter list (event_failures) and the subscriber moves on. A failing subscriber never fails or
//    slows a write: writes only append to the outbox.
import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Db, Store } from '../db/store.ts';
import { eventFailures, eventSubscribers, events } from './schema.ts';
import type { StoredEvent } from './outbox.ts';
import { every } from '../ticker.ts';

/** A subscriber declared by a module: which event types it wants (prefixes: 'uk.hearth.repair.'), and its handler. */
export interface Subscriber {
  /** Stable name: its position is kept under it. */
  name: string;
  types: readonly string[];
  /** Handle a batch of events, in order, in the subscriber's transaction (as the database owner: events of many organisations). */
  handle(tx: Db, batch: StoredEvent[]): Promise<void>;
  /** Tries per batch, then per event, before an event is dead-lettered. */
  attempts?: number;
  /**
   * 'wait' for a subscriber whose failures mean its destination is down (a message broker), not that an event is bad:
   * a failing batch leaves its position where it was, so the events wait in the outbox and the next tick tries again;
   * nothing is dead-lettered. Default 'dead-letter' (above).
   */
  onFailure?: 'dead-letter' | 'wait';
}

const SEQUENCE_LOCK = 72_001;
const SEQUENCE_BATCH = 10_000;

/** Sequence the committed events (see above); how many were given a position. */
export async function sequence(store: Store, limit = SEQUENCE_BATCH): Promise<number> {
  return store.system(async (tx) => {
    const locked = (await tx.execute(sql`select pg_try_advisory_xact_lock(${SEQUENCE_LOCK}) as ok`)).rows[0] as { ok: boolean };
    if (!locked.ok) return 0;
    const done = await tx.execute(sql`with next as (
        select organisation_id, id, row_number() over (order by txid, id) as n from events
        where position is null order by txid, id limit ${limit}),
      base as (select coalesce(max(position), 0) as top from events where position is not null)
      update events e set position = base.top + next.n, sequenced_at = clock_timestamp()
      from next, base where e.organisation_id = next.organisation_id and e.id = next.id returning e.position`);
    return done.rows.length;
  });
}

const wants = (s: Subscriber, type: string) => s.types.some((t) => type === t || (t.endsWith('.') && type.startsWith(t)));

const rowToEvent = (r: typeof events.$inferSelect): StoredEvent => ({
  organisationId: r.organisationId, id: r.id, type: r.type, entityKind: r.entityKind, subject: r.subject, time: r.time, actor: r.actor,
  correlationId: r.correlationId, data: r.data, position: r.position!,
});

/**
 * Give one subscriber the sequenced events after its position (up to `limit`), in order. Returns how many events it
 * moved past (handled or dead-lettered).
 */
export async function deliver(store: Store, s: Subscriber, limit = 1000): Promise<number> {
  const attempts = s.attempts ?? 3;
  return store.system(async (tx) => {
    await tx.insert(eventSubscribers).values({ name: s.name }).onConflictDoNothing();
    // The subscriber's row lock: one delivery of a subscriber at a time, across processes.
    const [me] = await tx.select().from(eventSubscribers).where(eq(eventSubscribers.name, s.name)).for('update', { skipLocked: true });
    if (!me) return 0;
    const rows = await tx.select().from(events).where(and(gt(events.position, me.position))).orderBy(asc(events.position)).limit(limit);
    if (!rows.length) return 0;
    const batch = rows.map(rowToEvent).filter((e) => wants(s, e.type));
    const last = rows[rows.length - 1]!.position!;
    if (batch.length && s.onFailure === 'wait') {
      if (!(await attempt(tx, () => s.handle(tx, batch)))) return 0;
    } else if (batch.length) await handleWithRetries(tx, s, batch, attempts);
    await tx.update(eventSubscribers).set({ position: last, updatedAt: sql`now()` }).where(eq(eventSubscribers.name, s.name));
    return rows.length;
  });
}

/** The batch in a savepoint; if it fails, event by event, each tried `attempts` times, then dead-lettered. */
async function handleWithRetries(tx: Db, s: Subscriber, batch: StoredEvent[], attempts: number): Promise<void> {
  if (await attempt(tx, () => s.handle(tx, batch))) return;
  for (const e of batch) {
    let error: unknown;
    for (let i = 0; i < attempts; i++) {
      error = undefined;
      if (await attempt(tx, () => s.handle(tx, [e]), (err) => { error = err; })) break;
    }
    if (error !== undefined) {
      await tx.insert(eventFailures).values({ organisationId: e.organisationId, eventId: e.id, subscriber: s.name, attempts, error: describe(error) })
        .onConflictDoUpdate({ target: [eventFailures.organisationId, eventFailures.eventId, eventFailures.subscriber],
          set: { attempts: sql`${eventFailures.attempts} + ${attempts}`, error: describe(error), failedAt: sql`now()`, resolvedAt: null } });
    }
  }
}

/** Run work in a savepoint: its writes are undone if it throws. */
async function attempt(tx: Db, work: () => Promise<void>, onError?: (err: unknown) => void): Promise<boolean> {
  await tx.execute(sql`savepoint subscriber_attempt`);
  try {
    await work();
    await tx.execute(sql`release savepoint subscriber_attempt`);
    return true;
  } catch (err) {
    await tx.execute(sql`rollback to savepoint subscriber_attempt`);
    onError?.(err);
    return false;
  }
}

const describe = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 2000);

/** Dead letters of one organisation, newest first: what an administrator sees. */
export async function deadLetters(tx: Db, organisationId: string) {
  return tx.select().from(eventFailures).where(and(eq(eventFailures.organisationId, organisationId), sql`${eventFailures.resolvedAt} is null`))
    .orderBy(sql`${eventFailures.failedAt} desc`).limit(500);
}

/** Hand dead-lettered events of an organisation to their subscriber again; those it now handles are marked resolved. */
export async function replay(store: Store, subscribers: readonly Subscriber[], organisationId: string): Promise<{ replayed: number; failed: number }> {
  const byName = new Map(subscribers.map((s) => [s.name, s]));
  return store.system(async (tx) => {
    const open = await tx.select().from(eventFailures).where(and(eq(eventFailures.organisationId, organisationId), sql`${eventFailures.resolvedAt} is null`));
    let replayed = 0;
    let failed = 0;
    const found = open.length ? await tx.select().from(events).where(and(eq(events.organisationId, organisationId), inArray(events.id, open.map((f) => f.eventId)))) : [];
    const byId = new Map(found.map((r) => [r.id, rowToEvent(r)]));
    for (const f of open) {
      const s = byName.get(f.subscriber);
      const e = byId.get(f.eventId);
      if (!s || !e) continue;
      let error: unknown;
      if (await attempt(tx, () => s.handle(tx, [e]), (err) => { error = err; })) {
        replayed++;
        await tx.update(eventFailures).set({ resolvedAt: sql`now()` }).where(and(eq(eventFailures.organisationId, organisationId), eq(eventFailures.eventId, f.eventId), eq(eventFailures.subscriber, f.subscriber)));
      } else {
        failed++;
        await tx.update(eventFailures).set({ attempts: f.attempts + 1, error: describe(error), failedAt: sql`now()` })
          .where(and(eq(eventFailures.organisationId, organisationId), eq(eventFailures.eventId, f.eventId), eq(eventFailures.subscriber, f.subscriber)));
      }
    }
    return { replayed, failed };
  });
}

/**
 * Sequence, then deliver to every subscriber, until nothing is left (for tests, the CLI, and each tick of the relay).
 * Returns how many events were sequenced.
 */
export async function drain(store: Store, subscribers: readonly Subscriber[]): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await sequence(store);
    total += n;
    for (const s of subscribers) while ((await deliver(store, s)) > 0) { /* until caught up */ }
    if (n === 0) return total;
  }
}

/**
 * The relay in a running server: every `everyMs`, sequence new events and deliver them to the subscribers. One
 * tick at a time; an error is logged and the next tick tries again (nothing is lost: positions only move on commit).
 */
export function startRelay(store: Store, subscribers: readonly Subscriber[], log: { error(obj: object, msg: string): void }, everyMs = 1000): { stop(): Promise<void> } {
  return every(everyMs, () => drain(store, subscribers), (err) => log.error({ err }, 'the event relay failed; it tries again'));
}
