import { pgTable, text, date, primaryKey, foreignKey, index, uuid } from 'drizzle-orm/pg-core';
import { recordColumns } from '../../platform/db/columns.ts';
import { homes } from '../homes/schema.ts';

/**
 * A repair job, as the repairs system recorded it. The description is kept word for word: it is what the damp and
 * mould questions search. A job whose home could not be matched keeps what it named (reference, UPRN, address) and
 * no home, until someone links it; it is never attached to a guess.
 */
export const repairs = pgTable('repairs', {
  ...recordColumns(),
  jobReference: text('job_reference').notNull(),
  homeId: uuid('home_id'),
  /** What the source named the home by, kept when it matched no home (for review and later linking). */
  homeNamed: text('home_named'),
  reportedDate: date('reported_date', { mode: 'string' }),
  priority: text('priority'),
  status: text('status'),
  description: text('description'),
  completedDate: date('completed_date', { mode: 'string' }),
  targetDate: date('target_date', { mode: 'string' }),
  sorCode: text('sor_code'),
  trade: text('trade'),
  location: text('location'),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.id] }),
  foreignKey({ columns: [t.organisationId, t.homeId], foreignColumns: [homes.organisationId, homes.id] }),
  index('repairs_home_idx').on(t.organisationId, t.homeId),
  index('repairs_job_reference_idx').on(t.organisationId, t.jobReference),
]);
