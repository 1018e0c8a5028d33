// Columns every Hearth record carries. Every table is keyed by organisation first, so rows of one landlord
// sit together and the table can be distributed by organisation_id on a sharded PostgreSQL (see docs/architecture.md).
import { customType, integer, timestamp, uuid } from 'drizzle-orm/pg-core';

export const organisationId = () => uuid('organisation_id').notNull();
export const recordId = () => uuid('id').notNull();
export const version = () => integer('version').notNull().default(1);
export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
export const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

export const recordColumns = () => ({
  organisationId: organisationId(),
  id: recordId(),
  version: version(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** Bytes (photos, documents) kept in the database with their record, so a backup of the database is a backup of them. */
export const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});
