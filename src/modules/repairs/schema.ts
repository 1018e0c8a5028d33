import { pgTable, text, date, primaryKey, foreignKey, index, uuid, integer, timestamp, boolean, jsonb, uniqueIndex, check } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { bytea, recordColumns } from '../../platform/db/columns.ts';
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
  // A work order raised in Hearth (issue 14) is a repair too, with these; an imported job leaves them empty.
  /** The work order's status (rules/work-status.ts): open, assigned, scheduled, in-progress, on-hold, complete, no-access, cancelled, variation-pending. Null for imported history. */
  workStatus: text('work_status'),
  /** The request it was raised from (a resident's or officer's report), if any. */
  requestId: uuid('request_id'),
  /** The work order it follows on from. */
  parentId: uuid('parent_id'),
  /** The priority's code in the landlord's repair settings (rules/settings.ts). */
  priorityCode: text('priority_code'),
  raisedAt: timestamp('raised_at', { withTimezone: true }),
  /** When the priority's target runs out (working days or hours from raisedAt). */
  dueAt: timestamp('due_at', { withTimezone: true }),
  completedAt: timestamp('completed_at', { withTimezone: true }),
  /** Estimated minutes on site. */
  minutes: integer('minutes'),
  holdReason: text('hold_reason'),
  /** What the operative did (on completion). */
  workDone: text('work_done'),
  /** Words for the operative from the household's alerts ("Visit in pairs"), never the alerts themselves. */
  operativeWords: jsonb('operative_words').$type<string[]>(),
  /** How to get in (key safe, parking), from the request or the planner. */
  accessNotes: text('access_notes'),
  /** Completed at the first visit, with no follow-on (null until complete). */
  firstTimeFix: boolean('first_time_fix'),
  /** The version of the repair settings (triage tree, priorities) it was triaged with. */
  settingsVersion: integer('settings_version'),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.id] }),
  foreignKey({ columns: [t.organisationId, t.homeId], foreignColumns: [homes.organisationId, homes.id] }),
  index('repairs_home_idx').on(t.organisationId, t.homeId),
  index('repairs_job_reference_idx').on(t.organisationId, t.jobReference),
  index('repairs_work_status_idx').on(t.organisationId, t.workStatus, t.dueAt).where(sql`${t.workStatus} is not null`),
  uniqueIndex('repairs_request_idx').on(t.organisationId, t.requestId).where(sql`${t.requestId} is not null and ${t.parentId} is null`),
]);

/**
 * A landlord's repair settings: the triage tree, priorities and their targets, alert rules, emergency screen and
 * appointment slots, as one versioned document (rules/settings.ts validates it). A new version is a new row; every
 * request keeps the version it was triaged with.
 */
export const repairSettings = pgTable('repair_settings', {
  organisationId: uuid('organisation_id').notNull(),
  version: integer('version').notNull(),
  document: jsonb('document').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  createdBy: text('created_by').notNull(),
}, (t) => [primaryKey({ columns: [t.organisationId, t.version] })]);

/**
 * What a resident (or an officer for them) reported: the home, the triage path through the tree and what it gave
 * (SOR code, priority), their words, when they are in and how to contact them. Found again by its reference and the
 * home's postcode.
 */
export const repairRequests = pgTable('repair_requests', {
  ...recordColumns(),
  reference: text('reference').notNull(),
  homeId: uuid('home_id').notNull(),
  communal: boolean('communal').notNull().default(false),
  settingsVersion: integer('settings_version').notNull(),
  triagePath: jsonb('triage_path').$type<string[]>().notNull(),
  sorCode: text('sor_code').notNull(),
  trade: text('trade').notNull(),
  /** The priority the tree gave, before diagnosis raised it. */
  triagePriority: text('triage_priority').notNull(),
  priorityCode: text('priority_code').notNull(),
  description: text('description').notNull(),
  location: text('location'),
  /** When they are in, in their words. */
  availability: text('availability'),
  contactName: text('contact_name'),
  contactPhone: text('contact_phone'),
  contactEmail: text('contact_email'),
  /** 'email' | 'text' | 'phone' */
  contactBy: text('contact_by'),
  /** 'online' | 'staff' | 'api' */
  channel: text('channel').notNull(),
  reportedAt: timestamp('reported_at', { withTimezone: true }).notNull(),
  /** Why the priority is what it is ("Signs of damp or mould: black mould"), in words. */
  reasons: jsonb('reasons').$type<string[]>().notNull().default([]),
  /** The hazard report raised for a damp or mould sign, for staff to confirm. */
  hazardReportId: uuid('hazard_report_id'),
  cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.id] }),
  foreignKey({ columns: [t.organisationId, t.homeId], foreignColumns: [homes.organisationId, homes.id] }),
  uniqueIndex('repair_requests_reference_idx').on(t.organisationId, t.reference),
  index('repair_requests_home_idx').on(t.organisationId, t.homeId, t.reportedAt),
  check('repair_requests_channel', sql`${t.channel} in ('online', 'staff', 'api')`),
]);

/** Photos of a repair, re-encoded without their metadata (rules/photos.ts): a resident's with the request, an operative's with the job. */
export const repairPhotos = pgTable('repair_photos', {
  organisationId: uuid('organisation_id').notNull(),
  id: uuid('id').notNull(),
  requestId: uuid('request_id'),
  repairId: uuid('repair_id'),
  contentType: text('content_type').notNull(),
  bytes: bytea('bytes').notNull(),
  width: integer('width').notNull(),
  height: integer('height').notNull(),
  /** 'resident' | 'staff' | 'operative' */
  takenBy: text('taken_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.id] }),
  index('repair_photos_request_idx').on(t.organisationId, t.requestId),
  index('repair_photos_repair_idx').on(t.organisationId, t.repairId),
]);

/** What happened to a work order: each status change (with its reason) and each note, as it happened. */
export const workOrderEvents = pgTable('work_order_events', {
  organisationId: uuid('organisation_id').notNull(),
  id: uuid('id').notNull(),
  repairId: uuid('repair_id').notNull(),
  /** 'status' | 'note' */
  kind: text('kind').notNull(),
  fromStatus: text('from_status'),
  toStatus: text('to_status'),
  reason: text('reason'),
  note: text('note'),
  actorName: text('actor_name').notNull(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.id] }),
  foreignKey({ columns: [t.organisationId, t.repairId], foreignColumns: [repairs.organisationId, repairs.id] }),
  index('work_order_events_repair_idx').on(t.organisationId, t.repairId, t.at),
]);
