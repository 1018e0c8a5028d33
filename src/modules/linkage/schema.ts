// Record linkage storage: which person rows (one per source record) are one real person (a cluster), the pairs
// waiting for a data lead's decision (and the decisions made), and each organisation's trained model.
import { pgTable, text, uuid, timestamp, jsonb, primaryKey, index, doublePrecision, check, foreignKey } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { organisationId } from '../../platform/db/columns.ts';
import { people } from '../people/schema.ts';
import { homes } from '../homes/schema.ts';
import type { FieldComparison } from './types.ts';

/**
 * Each person row's cluster. Every person row has one once linkage has run (a row on its own is a cluster of one,
 * how 'alone'). cluster_id is the id of the cluster's golden record: the smallest person id in it, so the API
 * and the export name one real person by one stable id.
 */
export const personClusters = pgTable('person_clusters', {
  organisationId: organisationId(),
  personId: uuid('person_id').notNull(),
  clusterId: uuid('cluster_id').notNull(),
  how: text('how').notNull(), // 'auto' | 'accepted' | 'alone'
  linkedAt: timestamp('linked_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.personId] }),
  foreignKey({ columns: [t.organisationId, t.personId], foreignColumns: [people.organisationId, people.id] }).onDelete('cascade'),
  index('person_clusters_cluster_idx').on(t.organisationId, t.clusterId),
  check('person_clusters_how', sql`${t.how} in ('auto', 'accepted', 'alone')`),
]);

/**
 * Each home row's cluster: the rows (one per source system and reference) that are one real home. Linked by the same
 * UPRN ('uprn'), or, where one or both have none, by the same normalised address within the same postcode
 * ('address'); never two different UPRNs, never on an ambiguous address. cluster_id is the smallest home id in it.
 */
export const homeClusters = pgTable('home_clusters', {
  organisationId: organisationId(),
  homeId: uuid('home_id').notNull(),
  clusterId: uuid('cluster_id').notNull(),
  how: text('how').notNull(), // 'uprn' | 'address' | 'alone'
  linkedAt: timestamp('linked_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.homeId] }),
  foreignKey({ columns: [t.organisationId, t.homeId], foreignColumns: [homes.organisationId, homes.id] }).onDelete('cascade'),
  index('home_clusters_cluster_idx').on(t.organisationId, t.clusterId),
  check('home_clusters_how', sql`${t.how} in ('uprn', 'address', 'alone')`),
]);

/** Pairs for review and the decisions on them (a rejected pair is never linked automatically again). a_id < b_id. */
export const linkReviews = pgTable('link_reviews', {
  organisationId: organisationId(),
  aId: uuid('a_id').notNull(),
  bId: uuid('b_id').notNull(),
  weight: doublePrecision('weight').notNull(),
  probability: doublePrecision('probability').notNull(),
  comparisons: jsonb('comparisons').$type<FieldComparison[]>().notNull(),
  status: text('status').notNull().default('pending'), // 'pending' | 'accepted' | 'rejected'
  decidedBy: text('decided_by'),
  decidedAt: timestamp('decided_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.aId, t.bId] }),
  foreignKey({ columns: [t.organisationId, t.aId], foreignColumns: [people.organisationId, people.id] }).onDelete('cascade'),
  foreignKey({ columns: [t.organisationId, t.bId], foreignColumns: [people.organisationId, people.id] }).onDelete('cascade'),
  index('link_reviews_status_idx').on(t.organisationId, t.status, t.probability),
  check('link_reviews_order', sql`${t.aId} < ${t.bId}`),
  check('link_reviews_status', sql`${t.status} in ('pending', 'accepted', 'rejected')`),
]);

/** The organisation's trained linkage model, its last run's figures, and the source ranking for golden records. */
export const linkModels = pgTable('link_models', {
  organisationId: organisationId().primaryKey(),
  model: jsonb('model').$type<unknown>(),
  trainedAt: timestamp('trained_at', { withTimezone: true }),
  stats: jsonb('stats').$type<Record<string, unknown>>(),
  /** Source systems, most trusted first (null: housing systems first, then by number of records). */
  sourceRanking: jsonb('source_ranking').$type<string[] | null>(),
});
