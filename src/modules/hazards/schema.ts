import { pgTable, text, timestamp, primaryKey, foreignKey, index, uniqueIndex, uuid, check } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { recordColumns, organisationId, recordId } from '../../platform/db/columns.ts';
import { homes } from '../homes/schema.ts';

/**
 * A hazard reported in a home (Awaab's Law): what (an HHSRS hazard), how bad (emergency or significant), when the
 * landlord was told. The milestones the deadlines run to (investigated, summary sent, made safe, further works
 * started) are kept here as well as in hazard_events, so the due-soon and overdue lists read one row per report.
 */
export const hazardReports = pgTable('hazard_reports', {
  ...recordColumns(),
  homeId: uuid('home_id').notNull(),
  /** Human reference shown to staff and tenants ("HZ-2026-000123"); unique per organisation. */
  reference: text('reference').notNull(),
  /** HHSRS hazard code (src/modules/hazards/hhsrs.ts), e.g. 'damp-and-mould'. */
  hazard: text('hazard').notNull(),
  severity: text('severity').notNull(), // 'emergency' | 'significant'
  reportedAt: timestamp('reported_at', { withTimezone: true }).notNull(),
  /** Who told the landlord: tenant, staff member, contractor, and how. */
  reportedBy: text('reported_by'),
  description: text('description').notNull(),
  location: text('location'),
  status: text('status').notNull().default('open'), // 'open' | 'closed'
  investigatedAt: timestamp('investigated_at', { withTimezone: true }),
  /** What the investigation found: 'confirmed' | 'not-confirmed' (clocks after the investigation stop when not confirmed). */
  investigationOutcome: text('investigation_outcome'),
  summarySentAt: timestamp('summary_sent_at', { withTimezone: true }),
  madeSafeAt: timestamp('made_safe_at', { withTimezone: true }),
  furtherWorksStartedAt: timestamp('further_works_started_at', { withTimezone: true }),
  closedAt: timestamp('closed_at', { withTimezone: true }),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.id] }),
  foreignKey({ columns: [t.organisationId, t.homeId], foreignColumns: [homes.organisationId, homes.id] }),
  uniqueIndex('hazard_reports_reference_idx').on(t.organisationId, t.reference),
  index('hazard_reports_home_idx').on(t.organisationId, t.homeId),
  index('hazard_reports_open_idx').on(t.organisationId, t.status, t.reportedAt),
  check('hazard_reports_severity', sql`${t.severity} in ('emergency', 'significant')`),
  check('hazard_reports_status', sql`${t.status} in ('open', 'closed')`),
]);

/**
 * What happened to a hazard report, as it happened: reported, investigated, summary sent, made safe, further works
 * started, closed, or a note. Each milestone is recorded once per report (the unique index guards a retried form).
 */
export const hazardEvents = pgTable('hazard_events', {
  organisationId: organisationId(),
  id: recordId(),
  hazardReportId: uuid('hazard_report_id').notNull(),
  kind: text('kind').notNull(), // 'reported' | 'investigated' | 'summary-sent' | 'made-safe' | 'further-works-started' | 'closed' | 'note'
  /** When it happened (may be earlier than when it was recorded). */
  occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
  /** Who recorded it (the signed-in user's name, or the system). */
  recordedBy: text('recorded_by').notNull(),
  recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  /** For 'investigated': 'confirmed' | 'not-confirmed'. */
  outcome: text('outcome'),
  note: text('note'),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.id] }),
  foreignKey({ columns: [t.organisationId, t.hazardReportId], foreignColumns: [hazardReports.organisationId, hazardReports.id] }),
  index('hazard_events_report_idx').on(t.organisationId, t.hazardReportId, t.occurredAt),
  uniqueIndex('hazard_events_milestone_idx').on(t.organisationId, t.hazardReportId, t.kind).where(sql`${t.kind} <> 'note'`),
]);
