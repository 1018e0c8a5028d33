import { pgTable, text, timestamp, jsonb, primaryKey, index, uuid } from 'drizzle-orm/pg-core';
import { organisationId, recordId } from '../db/columns.ts';

/**
 * Where each record came from, in the HACT "Reference" shape: the identifier a source system allocated.
 * A record seen in several systems has one row per system. (source system, source id) is unique per kind,
 * which is what ingestion upserts on.
 */
export const sourceReferences = pgTable('source_references', {
  organisationId: organisationId(),
  entityKind: text('entity_kind').notNull(), // 'home' | 'block' | 'estate' | 'person' | 'tenancy' | 'person-alert'
  sourceSystem: text('source_system').notNull(),
  sourceId: text('source_id').notNull(),
  recordId: uuid('record_id').notNull(),
  description: text('description'),
  /**
   * The values this source last gave for the record (field → value, as loaded), so each value can be traced to
   * the source it came from and two sources that disagree can be shown side by side.
   */
  sourceValues: jsonb('source_values').$type<Record<string, unknown>>(),
  /** The import that last brought this reference, if any. */
  lastImportId: uuid('last_import_id'),
  firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull().defaultNow(),
  lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.entityKind, t.sourceSystem, t.sourceId] }),
  index('source_references_record_idx').on(t.organisationId, t.recordId),
]);

/**
 * Each field an import changed on an existing record: old value, new value, which import, when. Written by bulk upserts
 * (platform/records/bulk.ts) and loaders; read for a record's history (provenance/changes.ts).
 */
export const recordChanges = pgTable('record_changes', {
  organisationId: organisationId(),
  id: recordId(),
  entityKind: text('entity_kind').notNull(),
  recordId: uuid('record_id').notNull(),
  field: text('field').notNull(),
  oldValue: text('old_value'),
  newValue: text('new_value'),
  importId: uuid('import_id').notNull(),
  changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.id] }),
  index('record_changes_record_idx').on(t.organisationId, t.recordId),
  index('record_changes_import_idx').on(t.organisationId, t.importId),
]);
