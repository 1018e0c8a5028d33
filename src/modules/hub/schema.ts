// The hub's own tables (issue 16; decision 0026), in their own PostgreSQL schema, `hub`. Every table that holds a
// publisher's data is keyed by the publisher (its Regulator of Social Housing registration number) first: the
// distribution column Citus needs in every primary and unique key, so the hub shards by landlord (docs/hub-scaling.md;
// rules.test.ts checks the live schema against the rules). Code lists are small global tables (Citus reference tables).
//
// What is stored is only what the Hearth Housing Data Standard allows (no personal field exists in it), so the hub's
// tables are not under the organisation row-level security of Hearth's own records: a publisher's isolation is that it
// may only write under its own registration, which the three ways in check (push: its credentials; feeds and files:
// the registration they were registered for).
import { pgSchema, pgTable, text, timestamp, jsonb, primaryKey, index, integer, boolean, bigint, doublePrecision, date, uuid, foreignKey, check } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { organisationId } from '../../platform/db/columns.ts';

export const hub = pgSchema('hub');

/** A landlord that publishes to the hub: the hub's tenant. */
export const hubPublishers = hub.table('publishers', {
  /** Regulator of Social Housing registration number (L1234, 4567 …): the distribution column of every hub table. */
  publisher: text('publisher').notNull().primaryKey(),
  name: text('name').notNull(),
  /** private-registered-provider, local-authority. */
  kind: text('kind').notNull(),
  /** The ONS code of the region of its registered office (for its place in regional figures when it has no homes yet). */
  region: text('region'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [check('hub_publishers_kind_check', sql`${t.kind} in ('private-registered-provider', 'local-authority')`)]);

/** A publisher's key for pushing batches: Standard Webhooks signatures with its secret. */
export const hubCredentials = hub.table('credentials', {
  publisher: text('publisher').notNull(),
  /** Sent with each push (hub-key header) so the hub knows which secret to check the signature with. */
  keyId: text('key_id').notNull(),
  /** whsec_<base64>: shown once when made. */
  secret: text('secret').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
}, (t) => [
  primaryKey({ columns: [t.publisher, t.keyId] }),
  foreignKey({ name: 'hub_credentials_publisher_fk', columns: [t.publisher], foreignColumns: [hubPublishers.publisher] }).onDelete('cascade'),
]);

/**
 * A registered source the hub pulls: an RPDE change feed (kind feed), or a published file (kind file: the standard's
 * CSV or a JSON batch), fetched when it changes.
 */
export const hubSources = hub.table('sources', {
  publisher: text('publisher').notNull(),
  id: uuid('id').notNull(),
  /** feed, file. */
  kind: text('kind').notNull(),
  url: text('url').notNull(),
  /** For a file: homes or measures (the CSV profile's files), or batch (JSON). */
  fileKind: text('file_kind'),
  /** A feed's cursor: the last item read (RPDE modified and id). */
  cursorModified: bigint('cursor_modified', { mode: 'number' }),
  cursorId: text('cursor_id'),
  /** A feed's next page to ask for. */
  nextUrl: text('next_url'),
  /** A file's validators, sent back so an unchanged file is not fetched again. */
  etag: text('etag'),
  lastModified: text('last_modified'),
  /** ok, failing, paused (refused: backwards, loop, too large). */
  status: text('status').notNull().default('ok'),
  lastCheckedAt: timestamp('last_checked_at', { withTimezone: true }),
  lastChangedAt: timestamp('last_changed_at', { withTimezone: true }),
  lastError: text('last_error'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.publisher, t.id] }),
  foreignKey({ name: 'hub_sources_publisher_fk', columns: [t.publisher], foreignColumns: [hubPublishers.publisher] }).onDelete('cascade'),
  check('hub_sources_kind_check', sql`${t.kind} in ('feed', 'file')`),
]);

/** What arrived: one row per batch (pushed, a feed page, a file), its result and its first errors. Idempotency by id. */
export const hubBatches = hub.table('batches', {
  publisher: text('publisher').notNull(),
  /** The push's webhook-id, or the hub's own for pulled pages and files. */
  id: text('id').notNull(),
  /** push, feed, file, upload. */
  via: text('via').notNull(),
  sourceId: uuid('source_id'),
  /** SHA-256 of the body: the same id with another body is refused, not applied. */
  bodyHash: text('body_hash').notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  records: integer('records').notNull(),
  accepted: integer('accepted').notNull(),
  rejected: integer('rejected').notNull(),
  /** The first errors ({ index or row, field or column, message }). */
  errors: jsonb('errors').$type<{ index?: number; row?: number; field: string; message: string }[]>().notNull().default(sql`'[]'::jsonb`),
  /** Fields given, of the fields the standard has, over the accepted records (for completeness on the quality page). */
  fieldsGiven: integer('fields_given').notNull().default(0),
  fieldsPossible: integer('fields_possible').notNull().default(0),
}, (t) => [
  primaryKey({ columns: [t.publisher, t.id] }),
  index('hub_batches_received_idx').on(t.publisher, t.receivedAt),
  foreignKey({ name: 'hub_batches_publisher_fk', columns: [t.publisher], foreignColumns: [hubPublishers.publisher] }).onDelete('cascade'),
]);

/** A home as its landlord published it (the standard's home record). */
export const hubHomes = hub.table('homes', {
  publisher: text('publisher').notNull(),
  landlordReference: text('landlord_reference').notNull(),
  uprn: text('uprn'),
  localAuthority: text('local_authority').notNull(),
  rentType: text('rent_type').notNull(),
  /** LCRA, LCHO, or null (outside the TSMs' stock). */
  tenureGroup: text('tenure_group'),
  needsType: text('needs_type'),
  propertyType: text('property_type'),
  bedrooms: integer('bedrooms'),
  buildYear: integer('build_year'),
  blockReference: text('block_reference'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
}, (t) => [
  primaryKey({ columns: [t.publisher, t.landlordReference] }),
  index('hub_homes_uprn_idx').on(t.publisher, t.uprn),
  index('hub_homes_local_authority_idx').on(t.localAuthority, t.publisher),
  foreignKey({ name: 'hub_homes_publisher_fk', columns: [t.publisher], foreignColumns: [hubPublishers.publisher] }).onDelete('cascade'),
]);

/** A block (building), from the homes that name it: the latest home record's facts win. */
export const hubBlocks = hub.table('blocks', {
  publisher: text('publisher').notNull(),
  blockReference: text('block_reference').notNull(),
  localAuthority: text('local_authority').notNull(),
  storeys: integer('storeys'),
  heightMetres: doublePrecision('height_metres'),
  residentialUnits: integer('residential_units'),
  higherRisk: boolean('higher_risk'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
}, (t) => [
  primaryKey({ columns: [t.publisher, t.blockReference] }),
  foreignKey({ name: 'hub_blocks_publisher_fk', columns: [t.publisher], foreignColumns: [hubPublishers.publisher] }).onDelete('cascade'),
]);

/**
 * Homes and blocks per publisher and local authority, counted again for a publisher whenever a batch changes its homes
 * (intake.ts): what the national pages, BI and size bands read instead of counting 4.7 million homes per request.
 */
export const hubAreaCounts = hub.table('area_counts', {
  publisher: text('publisher').notNull(),
  localAuthority: text('local_authority').notNull(),
  homes: integer('homes').notNull(),
  lcraHomes: integer('lcra_homes').notNull(),
  lchoHomes: integer('lcho_homes').notNull(),
  blocks: integer('blocks').notNull(),
  higherRiskBlocks: integer('higher_risk_blocks').notNull(),
}, (t) => [
  primaryKey({ columns: [t.publisher, t.localAuthority] }),
  foreignKey({ name: 'hub_area_counts_publisher_fk', columns: [t.publisher], foreignColumns: [hubPublishers.publisher] }).onDelete('cascade'),
]);

/** A measures record (one landlord, period and tenure group), as published. */
export const hubMeasures = hub.table('measures', {
  publisher: text('publisher').notNull(),
  periodFrom: date('period_from').notNull(),
  periodTo: date('period_to').notNull(),
  /** LCRA, LCHO. */
  tenureGroup: text('tenure_group').notNull(),
  /** The standard's measures record, whole. */
  record: jsonb('record').$type<Record<string, unknown>>().notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
}, (t) => [
  primaryKey({ columns: [t.publisher, t.periodFrom, t.periodTo, t.tenureGroup] }),
  foreignKey({ name: 'hub_measures_publisher_fk', columns: [t.publisher], foreignColumns: [hubPublishers.publisher] }).onDelete('cascade'),
]);

/**
 * One measure of a measures record, flat (numerator and denominator; satisfied and responses for perception
 * measures; damp and mould counts as dm_open, dm_met, dm_missed with no denominator): what the public pages, the BI
 * views and the read-only SQL views aggregate.
 */
export const hubMeasureValues = hub.table('measure_values', {
  publisher: text('publisher').notNull(),
  periodFrom: date('period_from').notNull(),
  periodTo: date('period_to').notNull(),
  tenureGroup: text('tenure_group').notNull(),
  /** The standard's key: rp01, rp02_1 … tp12, dm_open, dm_met, dm_missed. */
  measure: text('measure').notNull(),
  numerator: bigint('numerator', { mode: 'number' }).notNull(),
  denominator: bigint('denominator', { mode: 'number' }),
}, (t) => [
  primaryKey({ columns: [t.publisher, t.periodFrom, t.periodTo, t.tenureGroup, t.measure] }),
  index('hub_measure_values_measure_idx').on(t.measure, t.periodTo),
  foreignKey({ name: 'hub_measure_values_measures_fk', columns: [t.publisher, t.periodFrom, t.periodTo, t.tenureGroup], foreignColumns: [hubMeasures.publisher, hubMeasures.periodFrom, hubMeasures.periodTo, hubMeasures.tenureGroup] }).onDelete('cascade'),
]);

/**
 * The organisations that run this hub (a Citus reference table: tiny, global): only their administrators may add
 * publishers, make keys and register sources. A Hearth that is also a hub holds landlords too, and a landlord's
 * administrator must not operate the hub. Set by `hearth hub operator --organisation ID` (and the demo).
 */
export const hubOperators = hub.table('operators', {
  organisationId: uuid('organisation_id').notNull().primaryKey(),
  addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Local authority districts (a code list: a Citus reference table): name and region, for search and regional figures. */
export const hubLocalAuthorities = hub.table('local_authorities', {
  /** ONS (GSS) code: E08000035. */
  code: text('code').notNull().primaryKey(),
  name: text('name').notNull(),
  /** ONS region code (E12000003) or the nation's (W92000004). */
  regionCode: text('region_code').notNull(),
  regionName: text('region_name').notNull(),
});

// ---- publishing from Hearth (organisation tables)
// A landlord's own Hearth publishing to a hub (publishing/): Hearth's ordinary organisation tables in the public
// schema (organisation first in every key, row-level security like every other), not the hub's.

/** One organisation's publishing: where to, as whom, what, and how the last push went. */
export const hubPublishing = pgTable('hub_publishing', {
  organisationId: organisationId(),
  enabled: boolean('enabled').notNull().default(false),
  /** The hub's push address (its batches endpoint). */
  hubUrl: text('hub_url'),
  /** The landlord's Regulator of Social Housing registration number, as the hub registered it. */
  publisher: text('publisher'),
  /** The hub's key id for the landlord's credentials, and the secret (whsec_…): never shown again once saved. */
  keyId: text('key_id'),
  secret: text('secret'),
  publishHomes: boolean('publish_homes').notNull().default(true),
  publishMeasures: boolean('publish_measures').notNull().default(true),
  /** ONS code given to homes whose estate records no local authority (null: such homes are not published). */
  defaultLocalAuthority: text('default_local_authority'),
  version: integer('version').notNull().default(1),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  /** Every home to be sent again (turned on, "Publish now"): the worker pages through them by id after this cursor. */
  fullSync: boolean('full_sync').notNull().default(false),
  fullSyncAfter: uuid('full_sync_after'),
  measuresPushedAt: timestamp('measures_pushed_at', { withTimezone: true }),
  /** The highest outbox position whose changes the hub has acknowledged. */
  lastPosition: bigint('last_position', { mode: 'number' }).notNull().default(0),
  lastPushAt: timestamp('last_push_at', { withTimezone: true }),
  lastAccepted: integer('last_accepted'),
  lastRejected: integer('last_rejected'),
  /** The hub's first errors of the last push ({ index, field, message }), and how many records failed validation here. */
  lastErrors: jsonb('last_errors').$type<{ index?: number; field: string; message: string }[]>().notNull().default(sql`'[]'::jsonb`),
  lastInvalid: integer('last_invalid'),
  /** Why the last attempt failed (the push did not reach the hub or was refused whole); null after a success. */
  lastFailure: text('last_failure'),
  lastFailureAt: timestamp('last_failure_at', { withTimezone: true }),
  failuresInARow: integer('failures_in_a_row').notNull().default(0),
  nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
}, (t) => [primaryKey({ columns: [t.organisationId] })]);

/** Records changed since the last push (from the outbox): estates, blocks, homes, tenancies, by id, at their latest position. */
export const hubPublishingChanges = pgTable('hub_publishing_changes', {
  organisationId: organisationId(),
  kind: text('kind').notNull(),
  recordId: uuid('record_id').notNull(),
  position: bigint('position', { mode: 'number' }).notNull(),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.kind, t.recordId] }),
  index('hub_publishing_changes_position_idx').on(t.organisationId, t.position),
]);

/** What the hub holds of each home (as acknowledged): its reference (for deletions) and a hash of the record sent. */
export const hubPublishedHomes = pgTable('hub_published_homes', {
  organisationId: organisationId(),
  homeId: uuid('home_id').notNull(),
  landlordReference: text('landlord_reference').notNull(),
  recordHash: text('record_hash').notNull(),
  publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.organisationId, t.homeId] })]);

// ---- hub insight: saved views and subscriptions (organisation tables)
// A signed-in analyst's saved filters of the hub's measures (insight/), and their subscriptions: Hearth's ordinary
// organisation tables in the public schema (organisation first in every key, row-level security), each row one user's.

/** One user's saved filters of /hub-insight, by name. */
export const hubInsightViews = pgTable('hub_insight_views', {
  organisationId: organisationId(),
  id: uuid('id').notNull(),
  /** The user who saved it: only they see, open, subscribe to or delete it. */
  userId: uuid('user_id').notNull(),
  name: text('name').notNull(),
  /** The filters, as insight/service.ts normalises them ({ measure, period, tenure, region, kind, size, q }). */
  filters: jsonb('filters').$type<Record<string, string>>().notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.id] }),
  index('hub_insight_views_user_idx').on(t.organisationId, t.userId, t.name),
]);

/** A saved view its user is subscribed to: emailed a link to its CSV when new data reaches the hub. */
export const hubInsightSubscriptions = pgTable('hub_insight_subscriptions', {
  organisationId: organisationId(),
  viewId: uuid('view_id').notNull(),
  userId: uuid('user_id').notNull(),
  /** The latest batch (received_at) the subscriber has been told about: a batch after it is new data. */
  sentThrough: timestamp('sent_through', { withTimezone: true }),
  lastSentAt: timestamp('last_sent_at', { withTimezone: true }),
  /** Where the CSV's link points (the address the user subscribed at), when the worker is given none. */
  origin: text('origin'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.viewId] }),
  foreignKey({ name: 'hub_insight_subscriptions_view_fk', columns: [t.organisationId, t.viewId], foreignColumns: [hubInsightViews.organisationId, hubInsightViews.id] }).onDelete('cascade'),
]);
