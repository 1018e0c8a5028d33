import { pgTable, text, timestamp, jsonb, primaryKey, index, uuid } from 'drizzle-orm/pg-core';
import { organisationId, recordId } from '../db/columns.ts';

/** Append-only: the application role may insert and read, never update or delete. */
export const auditEvents = pgTable('audit_events', {
  organisationId: organisationId(),
  id: recordId(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  actorKind: text('actor_kind').notNull(), // 'user' | 'token' | 'system'
  actorId: text('actor_id').notNull(),
  actorName: text('actor_name').notNull(),
  action: text('action').notNull(), // 'create' | 'update' | 'read-sensitive' | 'sign-in' | ...
  entityKind: text('entity_kind').notNull(),
  entityId: uuid('entity_id'),
  detail: jsonb('detail'),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.id] }),
  index('audit_events_entity_idx').on(t.organisationId, t.entityKind, t.entityId),
  index('audit_events_at_idx').on(t.organisationId, t.at),
]);
