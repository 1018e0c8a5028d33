// From the outbox to what reacts to it. Two steps, each safe to run in several processes at once:
//
// 1. sequence(): gives committed events their position, continuing from the highest given. An event is visible to
//    the sequencer only once its transaction has committed, and positions are given then, one sequencer at a time (an
//    advisory lock): so a position once given is never followed by a smaller one, and an event committed late gets a
//    larger position than anything already read: readers that go by position miss nothing. No transaction elsewhere
//    (a long import batch, another database on the server) holds sequencing back. Events are numbered in the order
//    they were appended (appended_at, the database's clock): of two writes to one record, the second appends its event
//    after it has the record's lock, so per record the order is the order of the writes.
// 2. deliver(): each subscriber reads the sequenced events after its own position, in order, and handles them;
//    its position moves on in the same transaction as its work, so an event is processed once, even after a crash
//    (at least once delivered, once processed). A handler that throws is retried (`attempts`); after that the event
//    goes on the dead-letter list (event_failures) and the subscriber moves on. A failing subscriber never fails or
//    slows a write: writes only append to the outbox.
import { and, asc, eq, gt, inArray, lte, sql, type SQL } from 'drizzle-orm';
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
  /**
   * An import waits for it before it says completed (drainInstalled in the pipeline): it keeps something Hearth's own
   * pages read right after an import (damp and mould signals, links between records). Subscribers that send events
   * out (webhooks, NATS) are not waited for: the relay sends them a moment later.
   */
  beforeImportCompletes?: boolean;
}

const SEQUENCE_LOCK = 72_001;
const SEQUENCE_BATCH = 10_000;

/** Sequence the committed events (see above); how many were given a position. */
export async function sequence(store: Store, limit = SEQUENCE_BATCH): Promise<number> {
  return store.system(async (tx) => {
    const locked = (await tx.execute(sql`select pg_try_advisory_xact_lock(${SEQUENCE_LOCK}) as ok`)).rows[0] as { ok: boolean };
    if (!locked.ok) return 0;
    const done = await tx.execute(sql`with next as (
        select organisation_id, id, row_number() over (order by appended_at, id) as n from events
        where position is null order by appended_at, id limit ${limit}),
      base as (select coalesce(max(position), 0) as top from events where position is not null)
      update events e set position = base.top + next.n, sequenced_at = statement_timestamp()
      from next, base where e.organisation_id = next.organisation_id and e.id = next.id returning e.position`);
    return done.rows.length;
  });
}

/** Does a list of event types (exact types, or prefixes ending in ".") take an event of `type`? Subscribers and webhook endpoints choose alike. */
export const matchesEventType = (types: readonly string[], type: string) => types.some((t) => type === t || (t.endsWith('.') && type.startsWith(t)));
const wants = (s: Subscriber, type: string) => matchesEventType(s.types, type);

/** SQL: the event types a subscriber wants (exact types, or prefixes ending in "."), as `wants` decides them. */
function typesWanted(s: Subscriber): SQL {
  const exact = s.types.filter((t) => !t.endsWith('.'));
  const prefixes = s.types.filter((t) => t.endsWith('.'));
  const any = [
    ...(exact.length ? [sql`${events.type} = any(${sql.param(exact)}::text[])`] : []),
    ...prefixes.map((p) => sql`starts_with(${events.type}, ${p})`),
  ];
  return any.length ? sql`(${sql.join(any, sql` or `)})` : sql`false`;
}

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
    // Positions are gap-free and final once given, so the next `limit` positions are a window the subscriber moves
    // past whole, reading only the events of the types it wants (a subscriber to repairs reads none of a homes import's).
    const [{ top }] = (await tx.execute(sql`select coalesce(max(position), 0)::bigint as top from events`)).rows as [{ top: string | number }];
    const end = Math.min(me.position + limit, Number(top));
    if (end <= me.position) return 0;
    const rows = await tx.select().from(events)
      .where(and(gt(events.position, me.position), lte(events.position, end), typesWanted(s)))
      .orderBy(asc(events.position));
    const batch = rows.map(rowToEvent).filter((e) => wants(s, e.type));
    if (batch.length && s.onFailure === 'wait') {
      if (!(await attempt(tx, () => s.handle(tx, batch)))) return 0;
    } else if (batch.length) await handleWithRetries(tx, s, batch, attempts);
    await tx.update(eventSubscribers).set({ position: end, updatedAt: sql`now()` }).where(eq(eventSubscribers.name, s.name));
    return end - me.position;
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
          set: { attempts: sql`${eventFailures.attempts} + ${attempts}`, error: describe(error), failedAt: sql`excluded.failed_at`, resolvedAt: null } });
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Wait until every event committed before this call has been sequenced and handled by each of `subscribers` (or
 * dead-lettered): what a caller that needs a subscriber's effect right after a write uses (the import job before its
 * after-import step, `hearth ingest`, tests). Unlike drain(), it does not stop when another process holds the
 * sequencer's lock or a subscriber's row (a server's relay, another test file on one PostgreSQL database): it waits for
 * that process to get there. Subscribers that wait for their destination (onFailure 'wait') are tried once, not waited for.
 */
export async function settle(store: Store, subscribers: readonly Subscriber[]): Promise<void> {
  // The events committed before now: those visible in this snapshot.
  const [{ snap }] = (await store.system((tx) => tx.execute(sql`select pg_current_snapshot()::text as snap`))).rows as [{ snap: string }];
  for (let i = 0; ; i++) {
    await sequence(store);
    const [{ waiting }] = (await store.system((tx) => tx.execute(sql`select exists (select 1 from events
      where position is null and pg_visible_in_snapshot(txid, ${snap}::pg_snapshot)) as waiting`))).rows as [{ waiting: boolean }];
    if (!waiting) break;
    await sleep(Math.min(5 * i, 100));
  }
  const [{ top }] = (await store.system((tx) => tx.execute(sql`select coalesce(max(position), 0)::bigint as top from events`))).rows as [{ top: string | number }];
  const target = Number(top);
  const positionOf = async (s: Subscriber) => (await store.system((tx) => tx.select({ position: eventSubscribers.position })
    .from(eventSubscribers).where(eq(eventSubscribers.name, s.name))))[0]?.position ?? 0;
  for (const s of subscribers) {
    // Up to the target only: events written since are not this caller's to wait for.
    for (let i = 0; (await positionOf(s)) < target; i++) {
      // Windows of 10,000 positions: catching up after an import is a few large transactions, not many small ones.
      if ((await deliver(store, s, 10_000)) > 0) continue;
      if (s.onFailure === 'wait') break;
      await sleep(Math.min(5 * i, 100)); // another process is delivering to it: wait for it to commit
    }
  }
}

/** Subscribers run their work for one organisation through the store's asOrganisation (in the relay's transaction). */
export { asOrganisation } from '../db/store.ts';

/** How long events stay at least: the change feed keeps a deleted item 7 days (RPDE; decision 0018). */
export const KEEP_EVENTS_DAYS = 7;

/**
 * Event retention (decisions 0016, 0018): delete the events no reader needs any more. An event goes only when all of
 * these hold:
 * - every one of `subscribers` (those the relay runs) has passed it: its position is at or below the slowest one's
 *   (one that has never run is at 0, and holds everything back). A row left in event_subscribers by a subscriber no
 *   longer run holds nothing back, or the outbox would grow for ever; no subscriber has it on its open dead-letter
 *   list (replay reads it);
 * - it was sequenced more than 7 days ago, the change feed's deletion window (webhook retries end within about 28
 *   hours, so no delivery still waits for it);
 * - the change feed no longer shows it: a later sequenced event of the same record exists, or the record's latest
 *   event is a `.deleted` one, itself more than 7 days old;
 * - it is not the highest position: the sequencer continues from it, so positions never start again.
 * Unsequenced events are never touched. Returns how many were deleted; `limit` bounds one statement's work.
 */
export async function purgeEvents(store: Store, subscribers: readonly Pick<Subscriber, 'name'>[], options: { keepDays?: number; limit?: number } = {}): Promise<number> {
  const days = options.keepDays ?? KEEP_EVENTS_DAYS;
  const limit = options.limit ?? 50_000;
  const names = [...new Set(subscribers.map((s) => s.name))];
  return store.system(async (tx) => {
    // With no subscribers, only the change feed's rules keep events.
    const slowest = names.length
      ? sql`(select min(coalesce(s.position, 0)) from unnest(${sql.param(names)}::text[]) as n(name) left join event_subscribers s on s.name = n.name)`
      : sql`(select coalesce(max(position), 0) from events)`;
    const done = await tx.execute(sql`with bound as (
        select ${slowest} as slowest, (select coalesce(max(position), 0) from events) as top),
      old as (
        select e.organisation_id, e.id from events e, bound
        where e.position is not null and e.position <= bound.slowest and e.position < bound.top
          and e.sequenced_at < now() - make_interval(days => ${days})
          and not exists (select 1 from event_failures f where f.organisation_id = e.organisation_id and f.event_id = e.id and f.resolved_at is null)
          and (e.type like '%.deleted' or exists (select 1 from events l where l.organisation_id = e.organisation_id
            and l.entity_kind = e.entity_kind and l.subject = e.subject and l.position > e.position))
        order by e.position limit ${limit})
      delete from events e using old where e.organisation_id = old.organisation_id and e.id = old.id returning e.id`);
    return done.rows.length;
  });
}

const HOUR = 3_600_000;

/**
 * One tick of the relay: sequence and deliver until caught up, then purge old events, at most once every
 * `purgeEveryMs` (an hour). `now` is the clock (tests give their own).
 */
export function relayTicker(store: Store, subscribers: readonly Subscriber[], options: { purgeEveryMs?: number; now?: () => number } = {}) {
  const every = options.purgeEveryMs ?? HOUR;
  const now = options.now ?? Date.now;
  let lastPurge: number | undefined;
  return async (): Promise<{ sequenced: number; purged: number | null }> => {
    const sequenced = await drain(store, subscribers);
    if (lastPurge !== undefined && now() - lastPurge < every) return { sequenced, purged: null };
    lastPurge = now();
    return { sequenced, purged: await purgeEvents(store, subscribers) };
  };
}

/**
 * The relay in a running server: every `everyMs`, sequence new events and deliver them to the subscribers, and at
 * most hourly purge the events no reader needs (purgeEvents). One tick at a time; an error is logged and the next
 * tick tries again (nothing is lost: positions only move on commit).
 */
export function startRelay(store: Store, subscribers: readonly Subscriber[], log: { error(obj: object, msg: string): void }, everyMs = 1000): { stop(): Promise<void> } {
  return every(everyMs, relayTicker(store, subscribers), (err) => log.error({ err }, 'the event relay failed; it tries again'));
}
