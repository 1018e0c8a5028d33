import { pgTable, text, date, timestamp, primaryKey, foreignKey, index, uuid, check } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { recordColumns } from '../../platform/db/columns.ts';
import { homes } from '../homes/schema.ts';
import { people } from '../people/schema.ts';
import { tenancies } from '../tenancies/schema.ts';

/**
 * A free-text note about a person, a home or a tenancy, every word kept (damp and mould questions search them).
 * Exactly one subject is set, or none when the note named a subject that matched nothing (kept for review in
 * subject_named, never attached to a guess).
 */
export const notes = pgTable('notes', {
  ...recordColumns(),
  subjectKind: text('subject_kind').notNull(), // 'person' | 'home' | 'tenancy'
  personId: uuid('person_id'),
  homeId: uuid('home_id'),
  tenancyId: uuid('tenancy_id'),
  subjectNamed: text('subject_named'),
  noteType: text('note_type'),
  author: text('author'),
  notedAt: timestamp('noted_at', { withTimezone: true }),
  text: text('text').notNull(),
  /** A note that asks for something to be done by a date (a worklist item until actioned). */
  actionDue: date('action_due', { mode: 'string' }),
  actionedAt: timestamp('actioned_at', { withTimezone: true }),
  actionedBy: text('actioned_by'),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.id] }),
  foreignKey({ columns: [t.organisationId, t.personId], foreignColumns: [people.organisationId, people.id] }),
  foreignKey({ columns: [t.organisationId, t.homeId], foreignColumns: [homes.organisationId, homes.id] }),
  foreignKey({ columns: [t.organisationId, t.tenancyId], foreignColumns: [tenancies.organisationId, tenancies.id] }),
  index('notes_person_idx').on(t.organisationId, t.personId),
  index('notes_home_idx').on(t.organisationId, t.homeId),
  index('notes_tenancy_idx').on(t.organisationId, t.tenancyId),
  index('notes_action_idx').on(t.organisationId, t.actionDue).where(sql`${t.actionDue} is not null and ${t.actionedAt} is null`),
  check('notes_one_subject', sql`num_nonnulls(${t.personId}, ${t.homeId}, ${t.tenancyId}) <= 1`),
]);
