import { pgTable, text, integer, bigint, timestamp, jsonb, primaryKey, index, uuid } from 'drizzle-orm/pg-core';
import { organisationId, recordId } from '../../platform/db/columns.ts';
import type { MappingProfile } from './mapping.ts';

/**
 * One load of one file. The counts always add up: rows_read = created + updated + unchanged + rejected + duplicates.
 * checkpoint_row is the last file row whose outcome is committed; it moves in the same transaction as the rows it
 * covers, so a crashed import resumes after it and ends as one clean run would.
 */
export const imports = pgTable('imports', {
  organisationId: organisationId(),
  id: recordId(),
  sourceSystem: text('source_system').notNull(),
  kind: text('kind').notNull(), // RecordKind
  fileName: text('file_name').notNull(),
  fileSha256: text('file_sha256').notNull(),
  fileBytes: bigint('file_bytes', { mode: 'number' }).notNull(),
  /** Where the uploaded file is kept until the import has finished (uploads and API); null for the CLI. */
  storedPath: text('stored_path'),
  sheet: text('sheet'),
  /** The file's column headers in order (for the rejected-rows download, which gives them back as they were). */
  headers: jsonb('headers').$type<string[]>().notNull().default([]),
  profile: jsonb('profile').$type<MappingProfile>().notNull(),
  status: text('status').notNull().default('queued'), // 'queued' | 'running' | 'completed' | 'failed'
  error: text('error'),
  rowsRead: integer('rows_read').notNull().default(0),
  created: integer('created').notNull().default(0),
  updated: integer('updated').notNull().default(0),
  unchanged: integer('unchanged').notNull().default(0),
  rejected: integer('rejected').notNull().default(0),
  duplicates: integer('duplicates').notNull().default(0),
  /** Accepted rows with something for a person to look at (a home that matched nothing, say). */
  forReview: integer('for_review').notNull().default(0),
  /** Loaded rows with an optional value that was left out (a bad phone number, say): named per row and field. */
  warnings: integer('warnings').notNull().default(0),
  /** Rows the mapping's row filter left out (not counted as read: they are not records of this kind). */
  filtered: integer('filtered').notNull().default(0),
  checkpointRow: integer('checkpoint_row').notNull().default(1),
  bytesDone: bigint('bytes_done', { mode: 'number' }).notNull().default(0),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  startedAt: timestamp('started_at', { withTimezone: true }),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
  /** When the after-import step (record linkage) finished; null while it is still owed for a completed import. */
  afterImportAt: timestamp('after_import_at', { withTimezone: true }),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.id] }),
  index('imports_created_idx').on(t.organisationId, t.createdAt),
]);

import type { RowProblem } from '../../platform/records/load.ts';
export type { RowProblem };

/**
 * Rows that did not load as they were: rejected (with every problem), duplicates within the file (naming the row
 * they repeat), and accepted rows left for review (a home that matched nothing). The row's values are kept as read,
 * so rejected rows can be downloaded, fixed and loaded again.
 */
export const importRowIssues = pgTable('import_row_issues', {
  organisationId: organisationId(),
  importId: uuid('import_id').notNull(),
  rowNumber: integer('row_number').notNull(),
  outcome: text('outcome').notNull(), // 'rejected' | 'duplicate' | 'review' | 'warning'
  values: jsonb('values').$type<Record<string, string>>().notNull(),
  problems: jsonb('problems').$type<RowProblem[]>().notNull(),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.importId, t.rowNumber] }),
  index('import_row_issues_outcome_idx').on(t.organisationId, t.importId, t.outcome),
]);

/** A confirmed mapping for one source system and kind of record, reused for its next file. */
export const mappingProfiles = pgTable('mapping_profiles', {
  organisationId: organisationId(),
  sourceSystem: text('source_system').notNull(),
  kind: text('kind').notNull(),
  profile: jsonb('profile').$type<MappingProfile>().notNull(),
  updatedBy: text('updated_by').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.organisationId, t.sourceSystem, t.kind] })]);
