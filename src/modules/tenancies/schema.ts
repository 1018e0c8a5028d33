import { pgTable, text, date, primaryKey, foreignKey, index, uuid } from 'drizzle-orm/pg-core';
import { recordColumns, organisationId } from '../../platform/db/columns.ts';
import { homes } from '../homes/schema.ts';
import { people } from '../people/schema.ts';

export const tenancies = pgTable('tenancies', {
  ...recordColumns(),
  reference: text('reference').notNull(),
  tenancyType: text('tenancy_type').notNull(),
  tenure: text('tenure').notNull(),
  startDate: date('start_date', { mode: 'string' }).notNull(),
  endDate: date('end_date', { mode: 'string' }),
  homeId: uuid('home_id').notNull(),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.id] }),
  foreignKey({ columns: [t.organisationId, t.homeId], foreignColumns: [homes.organisationId, homes.id] }),
  index('tenancies_home_idx').on(t.organisationId, t.homeId),
  index('tenancies_reference_idx').on(t.organisationId, t.reference),
]);

export const tenancyMembers = pgTable('tenancy_members', {
  organisationId: organisationId(),
  tenancyId: uuid('tenancy_id').notNull(),
  personId: uuid('person_id').notNull(),
  role: text('role').notNull(), // 'lead' | 'joint' | 'household-member'
  relationship: text('relationship'),
  startDate: date('start_date', { mode: 'string' }),
  endDate: date('end_date', { mode: 'string' }),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.tenancyId, t.personId] }),
  foreignKey({ columns: [t.organisationId, t.tenancyId], foreignColumns: [tenancies.organisationId, tenancies.id] }).onDelete('cascade'),
  foreignKey({ columns: [t.organisationId, t.personId], foreignColumns: [people.organisationId, people.id] }),
  index('tenancy_members_person_idx').on(t.organisationId, t.personId),
]);
