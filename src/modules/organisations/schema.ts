import { pgTable, text, uuid, integer, timestamp, index } from 'drizzle-orm/pg-core';

/** A landlord: a housing association (private registered provider) or a council housing service. */
export const organisations = pgTable('organisations', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  /** Regulator of Social Housing registration number (e.g. "L0001" or "4567"), when known. */
  registrationNumber: text('registration_number'),
  kind: text('kind').notNull(), // 'private-registered-provider' | 'local-authority'
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('organisations_name_idx').on(t.name)]);
