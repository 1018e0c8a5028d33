import { pgTable, text, date, primaryKey, foreignKey, index, uuid, integer, timestamp, boolean, jsonb, uniqueIndex, check } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { bytea, recordColumns } from '../../platform/db/columns.ts';
import { homes, blocks } from '../homes/schema.ts';
import { people } from '../people/schema.ts';
import { tenancies } from '../tenancies/schema.ts';

/**
 * An anti-social behaviour case: one log of a problem (TSM NM01 counts cases, not reports). Its priority is the highest
 * of its categories' unless re-prioritised with a reason; its risk is the complainant's latest assessment.
 */
export const asbCases = pgTable('asb_cases', {
  ...recordColumns(),
  /** ASB-2026-000001, per landlord and year. */
  reference: text('reference').notNull(),
  /** open, closed. */
  status: text('status').notNull(),
  summary: text('summary').notNull(),
  /** The landlord's category codes (settings), one or more. */
  categories: jsonb('categories').$type<string[]>().notNull(),
  priorityCode: text('priority_code').notNull(),
  /** Why the priority is not its categories' (null when it is). */
  priorityReason: text('priority_reason'),
  hate: boolean('hate').notNull().default(false),
  /** For a hate incident: the protected characteristics it was motivated by. */
  protectedCharacteristics: jsonb('protected_characteristics').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  /** standard, medium, high: the complainant's latest risk assessment (null before the first). */
  riskLevel: text('risk_level'),
  /** The case officer (a staff account); the team also has the officers added to it. */
  officerUserId: uuid('officer_user_id'),
  teamUserIds: jsonb('team_user_ids').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  openedAt: timestamp('opened_at', { withTimezone: true }).notNull(),
  closedAt: timestamp('closed_at', { withTimezone: true }),
  closingReason: text('closing_reason'),
  /** The complainant's satisfaction at close (the survey's answers). */
  satisfaction: jsonb('satisfaction').$type<Record<string, unknown>>(),
  /** The person alerts the case raised (people module's ids), ended when the case closes. */
  alertIds: jsonb('alert_ids').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  /** When the ASB Case Review threshold was met (null: not met). */
  caseReviewFlaggedAt: timestamp('case_review_flagged_at', { withTimezone: true }),
  /** The version of the landlord's ASB settings it was opened with. */
  settingsVersion: integer('settings_version').notNull(),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.id] }),
  uniqueIndex('asb_cases_reference_idx').on(t.organisationId, t.reference),
  index('asb_cases_open_idx').on(t.organisationId, t.status, t.openedAt),
  check('asb_cases_status_check', sql`${t.status} in ('open', 'closed')`),
]);

/** Someone in a case: a person of the landlord's record when known, a group, or unknown. */
export const asbParties = pgTable('asb_parties', {
  ...recordColumns(),
  caseId: uuid('case_id').notNull(),
  /** complainant, alleged-perpetrator, witness. */
  role: text('role').notNull(),
  /** person, group, unknown. */
  kind: text('kind').notNull(),
  personId: uuid('person_id'),
  /** A group's or an unmatched person's name or description, as reported. */
  name: text('name'),
  notes: text('notes'),
  /** An imported party's identity in the standalone system it came from (its id, or a digest of what named it). */
  sourceKey: text('source_key'),
  /** What an imported row said of someone it could not link to one of the landlord's people (name, date of birth, address), kept for review. */
  personNamed: jsonb('person_named').$type<Record<string, string>>(),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.id] }),
  foreignKey({ columns: [t.organisationId, t.caseId], foreignColumns: [asbCases.organisationId, asbCases.id] }),
  foreignKey({ columns: [t.organisationId, t.personId], foreignColumns: [people.organisationId, people.id] }),
  index('asb_parties_case_idx').on(t.organisationId, t.caseId),
  index('asb_parties_person_idx').on(t.organisationId, t.personId).where(sql`${t.personId} is not null`),
  uniqueIndex('asb_parties_source_idx').on(t.organisationId, t.sourceKey).where(sql`${t.sourceKey} is not null`),
  check('asb_parties_role_check', sql`${t.role} in ('complainant', 'alleged-perpetrator', 'witness')`),
  check('asb_parties_kind_check', sql`${t.kind} in ('person', 'group', 'unknown') and (${t.kind} <> 'person' or ${t.personId} is not null)`),
]);

/** A home, block or tenancy a case is about. */
export const asbCasePlaces = pgTable('asb_case_places', {
  ...recordColumns(),
  caseId: uuid('case_id').notNull(),
  homeId: uuid('home_id'),
  blockId: uuid('block_id'),
  tenancyId: uuid('tenancy_id'),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.id] }),
  foreignKey({ columns: [t.organisationId, t.caseId], foreignColumns: [asbCases.organisationId, asbCases.id] }),
  foreignKey({ columns: [t.organisationId, t.homeId], foreignColumns: [homes.organisationId, homes.id] }),
  foreignKey({ columns: [t.organisationId, t.blockId], foreignColumns: [blocks.organisationId, blocks.id] }),
  foreignKey({ columns: [t.organisationId, t.tenancyId], foreignColumns: [tenancies.organisationId, tenancies.id] }),
  index('asb_case_places_case_idx').on(t.organisationId, t.caseId),
  index('asb_case_places_home_idx').on(t.organisationId, t.homeId).where(sql`${t.homeId} is not null`),
  index('asb_case_places_block_idx').on(t.organisationId, t.blockId).where(sql`${t.blockId} is not null`),
  check('asb_case_places_one_check', sql`num_nonnulls(${t.homeId}, ${t.blockId}, ${t.tenancyId}) = 1`),
]);

/** What happened, once: a case has many. */
export const asbIncidents = pgTable('asb_incidents', {
  ...recordColumns(),
  caseId: uuid('case_id').notNull(),
  occurredOn: date('occurred_on', { mode: 'string' }).notNull(),
  /** HH:MM, when known. */
  occurredTime: text('occurred_time'),
  place: text('place'),
  description: text('description').notNull(),
  /** The party who reported it (null: reported by someone not a party, such as the police). */
  reportedByPartyId: uuid('reported_by_party_id'),
  reportedByName: text('reported_by_name'),
  /** phone, email, online, in-person, letter, police, other. */
  reportedVia: text('reported_via'),
  reportedAt: timestamp('reported_at', { withTimezone: true }).notNull(),
  /** An imported incident's identity in the standalone system it came from (its id, or a digest of its case, date and words). */
  sourceKey: text('source_key'),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.id] }),
  foreignKey({ columns: [t.organisationId, t.caseId], foreignColumns: [asbCases.organisationId, asbCases.id] }),
  index('asb_incidents_case_idx').on(t.organisationId, t.caseId, t.occurredOn),
  uniqueIndex('asb_incidents_source_idx').on(t.organisationId, t.sourceKey).where(sql`${t.sourceKey} is not null`),
]);

/** Evidence of an incident: a note, a photo or a document (bytes kept with it, as repairs' photos are). */
export const asbEvidence = pgTable('asb_evidence', {
  ...recordColumns(),
  incidentId: uuid('incident_id').notNull(),
  /** note, photo, document. */
  kind: text('kind').notNull(),
  text: text('text'),
  fileName: text('file_name'),
  contentType: text('content_type'),
  bytes: bytea('bytes'),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.id] }),
  foreignKey({ columns: [t.organisationId, t.incidentId], foreignColumns: [asbIncidents.organisationId, asbIncidents.id] }),
  index('asb_evidence_incident_idx').on(t.organisationId, t.incidentId),
]);

/** Two cases linked (the same problem seen from two households, a counter-allegation). */
export const asbCaseLinks = pgTable('asb_case_links', {
  ...recordColumns(),
  caseId: uuid('case_id').notNull(),
  linkedCaseId: uuid('linked_case_id').notNull(),
  reason: text('reason'),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.id] }),
  foreignKey({ columns: [t.organisationId, t.caseId], foreignColumns: [asbCases.organisationId, asbCases.id] }),
  foreignKey({ columns: [t.organisationId, t.linkedCaseId], foreignColumns: [asbCases.organisationId, asbCases.id] }),
  uniqueIndex('asb_case_links_pair_idx').on(t.organisationId, t.caseId, t.linkedCaseId),
  check('asb_case_links_self_check', sql`${t.caseId} <> ${t.linkedCaseId}`),
]);

/** A risk assessment of the complainant (rules/risk.ts), on opening and reviewed on each incident. */
export const asbRiskAssessments = pgTable('asb_risk_assessments', {
  ...recordColumns(),
  caseId: uuid('case_id').notNull(),
  incidentId: uuid('incident_id'),
  answers: jsonb('answers').$type<Record<string, boolean | number>>().notNull(),
  score: integer('score').notNull(),
  level: text('level').notNull(),
  assessedAt: timestamp('assessed_at', { withTimezone: true }).notNull(),
  assessedBy: text('assessed_by').notNull(),
  settingsVersion: integer('settings_version').notNull(),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.id] }),
  foreignKey({ columns: [t.organisationId, t.caseId], foreignColumns: [asbCases.organisationId, asbCases.id] }),
  index('asb_risk_assessments_case_idx').on(t.organisationId, t.caseId, t.assessedAt),
]);

/** An action of the case's plan (rules/actions.ts): acknowledge, interview, visit, review, update the complainant, or the officer's own. */
export const asbActions = pgTable('asb_actions', {
  ...recordColumns(),
  caseId: uuid('case_id').notNull(),
  kind: text('kind').notNull(),
  label: text('label').notNull(),
  dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
  doneAt: timestamp('done_at', { withTimezone: true }),
  doneBy: text('done_by'),
  note: text('note'),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.id] }),
  foreignKey({ columns: [t.organisationId, t.caseId], foreignColumns: [asbCases.organisationId, asbCases.id] }),
  index('asb_actions_due_idx').on(t.organisationId, t.dueAt).where(sql`${t.doneAt} is null`),
  index('asb_actions_case_idx').on(t.organisationId, t.caseId),
]);

/** A tool or outcome: warning, acceptable behaviour contract, mediation, CPN, injunction, closure order, demotion, possession. */
export const asbTools = pgTable('asb_tools', {
  ...recordColumns(),
  caseId: uuid('case_id').notNull(),
  kind: text('kind').notNull(),
  /** proposed, in-place, breached, ended, refused. */
  status: text('status').notNull(),
  startedOn: date('started_on', { mode: 'string' }),
  endsOn: date('ends_on', { mode: 'string' }),
  /** A hearing or review date. */
  nextDateOn: date('next_date_on', { mode: 'string' }),
  againstPartyId: uuid('against_party_id'),
  notes: text('notes'),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.id] }),
  foreignKey({ columns: [t.organisationId, t.caseId], foreignColumns: [asbCases.organisationId, asbCases.id] }),
  index('asb_tools_case_idx').on(t.organisationId, t.caseId),
]);

/** An ASB Case Review (formerly the community trigger): the threshold met, the review held, its outcome. */
export const asbCaseReviews = pgTable('asb_case_reviews', {
  ...recordColumns(),
  caseId: uuid('case_id').notNull(),
  triggeredAt: timestamp('triggered_at', { withTimezone: true }).notNull(),
  /** The rule met and the incidents that qualified (rules/case-review.ts), as it was found. */
  finding: jsonb('finding').$type<Record<string, unknown>>().notNull(),
  reviewOn: date('review_on', { mode: 'string' }),
  outcome: text('outcome'),
  recommendations: text('recommendations'),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.id] }),
  foreignKey({ columns: [t.organisationId, t.caseId], foreignColumns: [asbCases.organisationId, asbCases.id] }),
  index('asb_case_reviews_case_idx').on(t.organisationId, t.caseId),
]);

/** The landlord's ASB settings (rules/settings.ts), a new version each time they change; none saved: the default is version 0. */
export const asbSettings = pgTable('asb_settings', {
  organisationId: uuid('organisation_id').notNull(),
  version: integer('version').notNull(),
  settings: jsonb('settings').$type<Record<string, unknown>>().notNull(),
  savedAt: timestamp('saved_at', { withTimezone: true }).notNull().defaultNow(),
  savedBy: text('saved_by').notNull(),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.version] }),
]);
