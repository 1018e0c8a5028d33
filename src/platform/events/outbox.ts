// The transactional outbox: every write of a record appends one event, in the transaction that made the write, so an
// event exists exactly when its write committed (never one without the other, whatever crashes). Events follow
// CloudEvents 1.0 (cloudEvent below). What reacts to them (subscribers, webhooks, the change feed) reads them later,
// in the order the sequencer gives (relay.ts), so a failing reader can never fail or slow the write.
import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { copyInto, valueRows, type Db } from '../db/store.ts';
import type { Actor } from '../auth/actor.ts';

export interface WrittenRecord {
  id: string;
  created: boolean;
  /**
   * What changed: `fields` (names), and `changes` (field → [old, new]) only for kinds that are facts about places; a
   * person's details, alerts and notes never leave in an event, as in the audit log (decision 0013).
   */
  data?: Record<string, unknown>;
}

export interface WriteOrigin {
  /** 'user:<id>', 'token:<id>', 'system:<what>', 'import:<id>'. */
  actor: string;
  correlationId?: string | null;
}

export const originOf = (actor: Actor, correlationId?: string | null): WriteOrigin =>
  ({ actor: actor.kind === 'system' ? `system:${actor.name}` : `${actor.kind}:${actor.id}`, correlationId: correlationId ?? null });

/** Above this many events a batch goes in with COPY (an import's batch); fewer (an API write) with one INSERT. */
const COPY_FROM = 50;

/** For `npm run bench:events` only: the same writes without their events, to measure what the outbox costs. */
const benchWithoutOutbox = process.env.HEARTH_BENCH_WITHOUT_OUTBOX === '1';

/** Append one event per written record, in the writer's transaction. */
export async function appendEvents(tx: Db, kind: string, organisationId: string, written: readonly WrittenRecord[], origin: WriteOrigin): Promise<void> {
  if (!written.length || benchWithoutOutbox) return;
  const rows = written.map((w) => [organisationId, uuidv7(), `uk.hearth.${kind}.${w.created ? 'created' : 'updated'}`, kind, w.id, origin.actor,
    origin.correlationId ?? null, JSON.stringify(w.data ?? {})] as (string | null)[]);
  if (rows.length >= COPY_FROM) {
    await copyInto(tx, 'events', ['organisation_id', 'id', 'type', 'entity_kind', 'subject', 'actor', 'correlation_id', 'data'], rows, { asOwner: true });
    return;
  }
  await tx.execute(sql`insert into events (organisation_id, id, type, entity_kind, subject, actor, correlation_id, data)
    values ${valueRows(rows, ['uuid', 'uuid', 'text', 'text', 'uuid', 'text', 'text', 'jsonb'])}`);
}

export interface StoredEvent {
  organisationId: string;
  id: string;
  type: string;
  entityKind: string;
  subject: string;
  time: Date | string;
  actor: string;
  correlationId: string | null;
  data: unknown;
  position: number;
}

/** An event as CloudEvents 1.0 JSON (structured mode), with Hearth's extension attributes. */
export function cloudEvent(e: StoredEvent) {
  return {
    specversion: '1.0', id: e.id, source: `/organisations/${e.organisationId}`, type: e.type, subject: e.subject,
    time: new Date(e.time).toISOString(), datacontenttype: 'application/json',
    organisation: e.organisationId, actor: e.actor, ...(e.correlationId ? { correlationid: e.correlationId } : {}), sequence: String(e.position),
    data: e.data,
  };
}
