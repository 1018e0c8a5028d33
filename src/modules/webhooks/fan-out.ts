// From events to deliveries: the relay's 'webhooks' subscriber. For each event it queues one pending delivery per
// active endpoint of the event's own organisation whose event types match; never another organisation's. The relay
// moves its position on in the same transaction, and the unique index on (organisation, endpoint, event) makes a
// batch handed over again (after a crash, or a replay) queue nothing twice. Sending is the worker's (worker.ts).
import { and, eq, inArray, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { valueRows, type Db } from '../../platform/db/store.ts';
import type { StoredEvent } from '../../platform/events/outbox.ts';
import type { Subscriber } from '../../platform/events/relay.ts';
import { webhookEndpoints } from './schema.ts';
import { ALL_EVENTS, wantsType } from './codes.ts';
import { isSensitiveKind } from '../../platform/provenance/service.ts';

const CHUNK = 5000;

/** Queue the deliveries for a batch of events (any organisations), in the relay's transaction. How many were queued. */
export async function queueDeliveries(tx: Db, batch: readonly StoredEvent[]): Promise<number> {
  const organisations = [...new Set(batch.map((e) => e.organisationId))];
  if (!organisations.length) return 0;
  // The relay's transaction is the owner's (events of every organisation), so each query names the organisation.
  const endpoints = await tx.select({ organisationId: webhookEndpoints.organisationId, id: webhookEndpoints.id, eventTypes: webhookEndpoints.eventTypes })
    .from(webhookEndpoints).where(and(inArray(webhookEndpoints.organisationId, organisations), eq(webhookEndpoints.status, 'active')));
  if (!endpoints.length) return 0;
  const byOrganisation = Map.groupBy(endpoints, (e) => e.organisationId);
  const rows: [string, string, string, string, string][] = [];
  for (const e of batch) {
    // Never a sensitive kind's event (person alerts), even for "every event": see eventTypesOf.
    if (isSensitiveKind(e.entityKind)) continue;
    for (const endpoint of byOrganisation.get(e.organisationId) ?? []) {
      if (wantsType(endpoint.eventTypes, e.type)) rows.push([e.organisationId, uuidv7(), endpoint.id, e.id, e.type]);
    }
  }
  let queued = 0;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const done = await tx.execute(sql`insert into webhook_deliveries (organisation_id, id, endpoint_id, event_id, event_type)
      values ${valueRows(chunk, ['uuid', 'uuid', 'uuid', 'uuid', 'text'])}
      on conflict do nothing returning id`);
    queued += done.rows.length;
  }
  return queued;
}

/** The relay subscriber (src/main.ts gives it to startRelay). */
export const webhookFanOut: Subscriber = {
  name: 'webhooks',
  types: [ALL_EVENTS],
  handle: async (tx, batch) => { await queueDeliveries(tx, batch); },
};
