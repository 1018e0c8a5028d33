import { pgTable, text, timestamp, jsonb, primaryKey, integer } from 'drizzle-orm/pg-core';
import { organisationId } from '../db/columns.ts';

/** Stored first responses to POSTs that carried an Idempotency-Key, so a retry creates nothing twice. */
export const idempotencyKeys = pgTable('idempotency_keys', {
  organisationId: organisationId(),
  /** Who sent it ('user:<id>' or 'token:<id>'): a key is the caller's own, never shared across an organisation. */
  callerKey: text('caller_key').notNull().default(''),
  key: text('key').notNull(),
  requestHash: text('request_hash').notNull(),
  statusCode: integer('status_code').notNull(),
  headers: jsonb('headers').$type<Record<string, string>>().notNull(),
  body: jsonb('body').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.organisationId, t.callerKey, t.key] })]);
