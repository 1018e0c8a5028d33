import { pgTable, text, uuid, integer, timestamp, boolean, jsonb, date, numeric, primaryKey, index, uniqueIndex, check } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { recordColumns } from '../../platform/db/columns.ts';

/** When an operative works: days of the week (1 Monday … 7 Sunday) and the hours of each, as wall-clock London times. */
export interface WorkingPattern {
  days: number[];
  start: string; // "08:00"
  end: string; // "17:00"
}

/**
 * Someone who does the work: their trades, when they work, where they start and finish the day, and the staff account
 * they sign in with to see their jobs (role operative), if any.
 */
export const operatives = pgTable('operatives', {
  ...recordColumns(),
  name: text('name').notNull(),
  /** The staff account they sign in with (users.id), to see their own jobs. */
  userId: uuid('user_id'),
  trades: jsonb('trades').$type<string[]>().notNull(),
  pattern: jsonb('pattern').$type<WorkingPattern>().notNull(),
  basePostcode: text('base_postcode'),
  baseLatitude: numeric('base_latitude', { precision: 9, scale: 6, mode: 'number' }),
  baseLongitude: numeric('base_longitude', { precision: 9, scale: 6, mode: 'number' }),
  active: boolean('active').notNull().default(true),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.id] }),
  uniqueIndex('operatives_user_idx').on(t.organisationId, t.userId).where(sql`${t.userId} is not null`),
]);

/**
 * A booked visit for a job: the day and slot promised to the resident, and (once a plan is built) the operative, the
 * order of the visit in their day and when they should arrive. The job is another module's record (kind and id); what
 * the plan needs of it is kept here: its home and place, trade, minutes on site and a label for the planner.
 */
export const appointments = pgTable('appointments', {
  ...recordColumns(),
  /** What is being visited for: 'repair'. */
  jobKind: text('job_kind').notNull(),
  jobId: uuid('job_id').notNull(),
  /** The job's reference, for people ("RJ-2026-000123"). */
  jobReference: text('job_reference').notNull(),
  homeId: uuid('home_id'),
  latitude: numeric('latitude', { precision: 9, scale: 6, mode: 'number' }),
  longitude: numeric('longitude', { precision: 9, scale: 6, mode: 'number' }),
  trade: text('trade').notNull(),
  minutes: integer('minutes').notNull(),
  /** The London calendar date of the visit. */
  date: date('date', { mode: 'string' }).notNull(),
  /** The slot's code in the landlord's settings ("AM", "PM"). */
  slot: text('slot').notNull(),
  windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
  windowEnd: timestamp('window_end', { withTimezone: true }).notNull(),
  /** 'booked' | 'cancelled' | 'rebooked' (moved to another appointment) | 'attended' */
  status: text('status').notNull(),
  operativeId: uuid('operative_id'),
  sequence: integer('sequence'),
  plannedStart: timestamp('planned_start', { withTimezone: true }),
  /** Where the job is seen in Hearth ("/repairs/work-orders/…"), for the planner's and operative's links. */
  href: text('href').notNull(),
  /** Words for the planner's list and the operative's day ("Damp and mould · 12 Acacia Road"). */
  label: text('label').notNull(),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.id] }),
  uniqueIndex('appointments_job_booked_idx').on(t.organisationId, t.jobKind, t.jobId).where(sql`${t.status} = 'booked'`),
  index('appointments_day_idx').on(t.organisationId, t.date, t.slot, t.status),
  index('appointments_operative_idx').on(t.organisationId, t.operativeId, t.date),
  check('appointments_status', sql`${t.status} in ('booked', 'cancelled', 'rebooked', 'attended')`),
]);

/** A day's plan: built by the routing engine from the day's booked appointments; the latest build is the plan. */
export const dayPlans = pgTable('day_plans', {
  organisationId: uuid('organisation_id').notNull(),
  date: date('date', { mode: 'string' }).notNull(),
  builtAt: timestamp('built_at', { withTimezone: true }).notNull().defaultNow(),
  builtBy: text('built_by').notNull(),
  jobs: integer('jobs').notNull(),
  unassigned: integer('unassigned').notNull(),
  operativesUsed: integer('operatives_used').notNull(),
  travelMinutes: integer('travel_minutes').notNull(),
  latenessMinutes: integer('lateness_minutes').notNull(),
  milliseconds: integer('milliseconds').notNull(),
  /** The jobs it could not place, and why, for the planner. */
  notPlaced: jsonb('not_placed').$type<{ appointmentId: string; reason: string }[]>().notNull().default([]),
}, (t) => [primaryKey({ columns: [t.organisationId, t.date] })]);
