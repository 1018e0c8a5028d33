// "These records were just written": how a module keeps something of its own up to date from another module's records
// without reaching into their tables (insight keeps damp and mould flags from repairs, notes and hazard reports).
// Listeners run in the writer's transaction, so what they write commits or rolls back with the records themselves,
// and a re-run import or a retried request gives them the same records again: listeners must be idempotent.
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
