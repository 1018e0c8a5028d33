import { pgTable, text, date, timestamp, integer, primaryKey, index, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { organisationId, recordId } from '../../platform/db/columns.ts';

/**
 * A sign of damp or mould in a home, kept up to date as records arrive (src/modules/insight/damp-signals.ts listens
 * for repairs, notes and hazard reports being written): one row per source record that shows it, with the words
 * that show it. The damp and mould register and its counts read this table, never the free text again.
 */
export const dampMouldSignals = pgTable('damp_mould_signals', {
  organisationId: organisationId(),
  id: recordId(),
  /** Null while the repair or note it came from is not linked to a home ("signs not yet linked to a home"). */
  homeId: uuid('home_id'),
  /** The record that shows it: 'repair' | 'note' | 'hazard-report'. */
  sourceKind: text('source_kind').notNull(),
  sourceId: uuid('source_id').notNull(),
  /** How it was found: 'text' (the detector read the words), 'code' (a damp and mould repair code or trade), 'hazard' (an HHSRS damp and mould hazard report); comma-separated when several. */
  basis: text('basis').notNull(),
  /** What the detector saw: damp, mould, condensation, leak-damp, smell, rot (comma-separated). */
  kinds: text('kinds').notNull(),
  /** The evidence, word for word: the sentence that shows it, or the code. */
  evidence: text('evidence').notNull(),
  /** When it was observed: the repair's reported date, the note's date, the hazard's report date. */
  observedOn: date('observed_on', { mode: 'string' }),
  detectedAt: timestamp('detected_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.id] }),
  uniqueIndex('damp_mould_signals_source_idx').on(t.organisationId, t.sourceKind, t.sourceId),
  index('damp_mould_signals_home_idx').on(t.organisationId, t.homeId, t.observedOn),
]);

/**
 * Each landlord's damp and mould figures, recounted from damp_mould_signals whenever its signals are written (in the
 * same transaction, one landlord at a time), so the national hub reads one row per landlord instead of every signal.
 */
export const dampMouldTotals = pgTable('damp_mould_counts', {
  organisationId: uuid('organisation_id').notNull().primaryKey(),
  homes: integer('homes').notNull(),
  signals: integer('signals').notNull(),
  countedAt: timestamp('counted_at', { withTimezone: true }).notNull().defaultNow(),
});
