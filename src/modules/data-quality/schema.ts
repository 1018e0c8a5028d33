import { pgTable, text, date, integer, primaryKey } from 'drizzle-orm/pg-core';
import { organisationId } from '../../platform/db/columns.ts';

/**
 * What each data quality check counted on a day (the last run that day), so the data lead's worklist can show the
 * checks that got worse since the last time they were counted.
 */
export const qualitySnapshots = pgTable('quality_snapshots', {
  organisationId: organisationId(),
  checkId: text('check_id').notNull(),
  takenOn: date('taken_on', { mode: 'string' }).notNull(),
  count: integer('count').notNull(),
  total: integer('total').notNull(),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.checkId, t.takenOn] }),
]);
