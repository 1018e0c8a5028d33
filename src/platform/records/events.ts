// "These records were just written": every write appends its events to the outbox here (platform/events), and what
// reacts to it should be a subscriber to those events (a module's manifest `subscribers`: damp and mould signals,
// record linkage, webhooks), which runs after the write commits, with retries and a dead-letter list, and never
// fails the write (docs/decisions/0020). In-process listeners remain for the few reactions that must be part of the
// write itself: repairs and notes waiting for their home are linked to it in the same transaction. A listener runs in
// the writer's transaction, so its failure fails the write; a re-run import or a retried request gives it the same
// records again: listeners must be idempotent.
import type { Db } from '../db/store.ts';
import { assertEntityKind, type EntityKind } from '../provenance/service.ts';
import { appendEvents, type WriteOrigin, type WrittenRecord } from '../events/outbox.ts';

export type RecordsWrittenListener = (tx: Db, organisationId: string, ids: readonly string[]) => Promise<void>;

const listeners = new Map<EntityKind, RecordsWrittenListener[]>();

/** Call `listener` whenever records of `kind` are created or changed (one call per batch). */
export function onRecordsWritten(kind: EntityKind, listener: RecordsWrittenListener): void {
  const list = listeners.get(kind) ?? [];
  if (!list.includes(listener)) list.push(listener);
  listeners.set(kind, list);
}

/**
 * These records were created or changed, in the transaction that wrote them: one event each in the outbox
 * (platform/events), then the in-process listeners of `kind`.
 */
export async function recordsWritten(tx: Db, kind: EntityKind, organisationId: string, written: readonly WrittenRecord[], origin: WriteOrigin): Promise<void> {
  if (!written.length) return;
  assertEntityKind(kind);
  await appendEvents(tx, kind, organisationId, written, origin);
  const ids = written.map((w) => w.id);
  for (const listener of listeners.get(kind) ?? []) await listener(tx, organisationId, ids);
}
