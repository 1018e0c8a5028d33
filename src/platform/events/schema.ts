import { pgTable, text, timestamp, jsonb, primaryKey, index, uuid, bigint, integer, customType } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { organisationId } from '../db/columns.ts';

/** PostgreSQL's 64-bit transaction id: which transaction wrote an event, to sequence events only once it has committed. */
const xid8 = customType<{ data: string }>({ dataType: () => 'xid8' });

/**
 * The outbox: one row per write of a record, appended in the transaction that made the write (CloudEvents 1.0 fields).
 * `position` is given by the sequencer (platform/events/relay.ts) once the writing transaction and every one before
 * it have committed, so positions are gap-free and never go back: subscribers, webhooks and the change feed read in
 * that order.
 */
export const events = pgTable('events', {
  organisationId: organisationId(),
  /** CloudEvents id (UUID v7). */
  id: uuid('id').notNull(),
  /** CloudEvents type: uk.hearth.<kind>.<created|updated>. */
  type: text('type').notNull(),
  entityKind: text('entity_kind').notNull(),
  /** CloudEvents subject: the record's id. */
  subject: uuid('subject').notNull(),
  time: timestamp('time', { withTimezone: true }).notNull().defaultNow(),
  /** Who made the write: 'user:<id>', 'token:<id>', 'system:<what>'. */
  actor: text('actor').notNull(),
  /** The request or import the write was part of. */
  correlationId: text('correlation_id'),
  /** What changed: field names, with old and new values only for kinds that are facts about places. */
  data: jsonb('data').notNull(),
  txid: xid8('txid').notNull().default(sql`pg_current_xact_id()`),
  /**
   * When the event was appended, by the database's clock (clock_timestamp(), not the transaction's start): the
   * sequencer's order. A writer appends a record's event after it has the record's row lock, so of two writes to one
   * record the later one is always appended later, whichever transaction began first (decision 0016).
   */
  appendedAt: timestamp('appended_at', { withTimezone: true }).notNull().default(sql`clock_timestamp()`),
  position: bigint('position', { mode: 'number' }),
  sequencedAt: timestamp('sequenced_at', { withTimezone: true }),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.id] }),
  // The indexes on position hold sequenced events only: an event is written with no position, so writing it (the
  // write path) updates none of them; the sequencer adds it to them when it gives the position. Every query over
  // them says position > … (so position is not null) or is max(position).
  index('events_position_idx').on(t.position).where(sql`position is not null`),
  index('events_unsequenced_idx').on(t.appendedAt, t.id).where(sql`position is null`),
  index('events_subject_idx').on(t.organisationId, t.entityKind, t.subject, t.position).where(sql`position is not null`),
  // The change feed: one organisation's events of one kind, in order.
  index('events_feed_idx').on(t.organisationId, t.entityKind, t.position).where(sql`position is not null`),
]);

/** Where each subscriber has got to in the sequenced events (all organisations: subscribers are the platform's). */
export const eventSubscribers = pgTable('event_subscribers', {
  name: text('name').primaryKey(),
  position: bigint('position', { mode: 'number' }).notNull().default(0),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Events a subscriber could not handle after its retries: the dead letter list an administrator sees and replays.
 * The subscriber moves on past them, so one bad event never holds up the rest.
 */
export const eventFailures = pgTable('event_failures', {
  organisationId: organisationId(),
  eventId: uuid('event_id').notNull(),
  subscriber: text('subscriber').notNull(),
  attempts: integer('attempts').notNull(),
  error: text('error').notNull(),
  failedAt: timestamp('failed_at', { withTimezone: true }).notNull().defaultNow(),
  /** Set when replayed successfully. */
  resolvedAt: timestamp('resolved_at', { withTimezone: true }),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.eventId, t.subscriber] }),
]);
