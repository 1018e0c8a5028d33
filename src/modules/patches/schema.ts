import { pgTable, text, primaryKey, foreignKey, index, uuid, uniqueIndex } from 'drizzle-orm/pg-core';
import { recordColumns, organisationId } from '../../platform/db/columns.ts';
import { users } from '../../platform/auth/schema.ts';
import { estates, homes } from '../homes/schema.ts';

/** A housing officer's patch: the estates (and single homes) they look after. One officer has at most one patch. */
export const patches = pgTable('patches', {
  ...recordColumns(),
  name: text('name').notNull(),
  /** The officer whose patch it is (a staff account), or none while it is unassigned. */
  officerUserId: uuid('officer_user_id'),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.id] }),
  foreignKey({ columns: [t.organisationId, t.officerUserId], foreignColumns: [users.organisationId, users.id] }),
  uniqueIndex('patches_officer_idx').on(t.organisationId, t.officerUserId),
  uniqueIndex('patches_name_idx').on(t.organisationId, t.name),
]);

/** The estates a patch covers (every home on them). */
export const patchEstates = pgTable('patch_estates', {
  organisationId: organisationId(),
  patchId: uuid('patch_id').notNull(),
  estateId: uuid('estate_id').notNull(),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.patchId, t.estateId] }),
  foreignKey({ columns: [t.organisationId, t.patchId], foreignColumns: [patches.organisationId, patches.id] }).onDelete('cascade'),
  foreignKey({ columns: [t.organisationId, t.estateId], foreignColumns: [estates.organisationId, estates.id] }),
  index('patch_estates_estate_idx').on(t.organisationId, t.estateId),
]);

/** Single homes a patch covers beyond its estates (street properties). */
export const patchHomes = pgTable('patch_homes', {
  organisationId: organisationId(),
  patchId: uuid('patch_id').notNull(),
  homeId: uuid('home_id').notNull(),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.patchId, t.homeId] }),
  foreignKey({ columns: [t.organisationId, t.patchId], foreignColumns: [patches.organisationId, patches.id] }).onDelete('cascade'),
  foreignKey({ columns: [t.organisationId, t.homeId], foreignColumns: [homes.organisationId, homes.id] }),
  index('patch_homes_home_idx').on(t.organisationId, t.homeId),
]);
