import { pgTable, text, timestamp, jsonb, primaryKey, index, uniqueIndex, uuid, integer, foreignKey } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { recordColumns } from '../../platform/db/columns.ts';

/** A secret that signs deliveries (Standard Webhooks: `whsec_` + base64). During rotation the old one signs too, until it expires. */
export interface WebhookSecret {
  id: string;
  /** whsec_<base64 of 24–64 random bytes>. Shown once, when made. */
  secret: string;
  createdAt: string;
  /** Set when a newer secret replaced it: deliveries are signed with both until then. */
  expiresAt?: string | null;
}

/** An organisation's webhook endpoint: where its events of the chosen types are delivered. */
export const webhookEndpoints = pgTable('webhook_endpoints', {
  ...recordColumns(),
  url: text('url').notNull(),
  description: text('description'),
  /** CloudEvents types or prefixes ending in "." ("uk.hearth.home.", "uk.hearth.repair.created"). */
  eventTypes: jsonb('event_types').$type<string[]>().notNull(),
  secrets: jsonb('secrets').$type<WebhookSecret[]>().notNull(),
  /** 'active' | 'disabled' (by an administrator, or after failing for about a day). */
  status: text('status').notNull().default('active'),
  disabledReason: text('disabled_reason'),
  /** Deliveries in a row that failed for good; reset by a success. */
  failuresInARow: integer('failures_in_a_row').notNull().default(0),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.id] }),
]);

/** Each attempt to deliver one event to one endpoint: the delivery log, and the queue of retries. */
export const webhookDeliveries = pgTable('webhook_deliveries', {
  organisationId: uuid('organisation_id').notNull(),
  id: uuid('id').notNull(),
  endpointId: uuid('endpoint_id').notNull(),
  eventId: uuid('event_id').notNull(),
  eventType: text('event_type').notNull(),
  /** 'pending' (to try, at next_attempt_at) | 'delivered' | 'failed' (given up) */
  status: text('status').notNull().default('pending'),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
  lastStatusCode: integer('last_status_code'),
  lastError: text('last_error'),
  lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }),
  deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.id] }),
  foreignKey({ columns: [t.organisationId, t.endpointId], foreignColumns: [webhookEndpoints.organisationId, webhookEndpoints.id] }).onDelete('cascade'),
  index('webhook_deliveries_due_idx').on(t.nextAttemptAt).where(sql`status = 'pending'`),
  index('webhook_deliveries_endpoint_idx').on(t.organisationId, t.endpointId, t.createdAt),
  // One delivery per event per endpoint, however often the fan-out runs.
  uniqueIndex('webhook_deliveries_event_idx').on(t.organisationId, t.endpointId, t.eventId),
]);
