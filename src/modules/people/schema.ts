import { pgTable, text, date, jsonb, primaryKey, foreignKey, index, uuid, timestamp } from 'drizzle-orm/pg-core';
import { recordColumns } from '../../platform/db/columns.ts';
import { homes } from '../homes/schema.ts';

export interface ContactPoint {
  system: 'phone' | 'email';
  value: string;
  use?: 'home' | 'mobile' | 'work';
}
export interface PostalAddress {
  subBuilding?: string;
  buildingName?: string;
  buildingNumber?: string;
  street?: string;
  locality?: string;
  town?: string;
  postcode?: string;
  /** The address as the source recorded it (its address lines, or one address field), kept beside the parts parsed from it. */
  lines?: string[];
}

export const people = pgTable('people', {
  ...recordColumns(),
  title: text('title'),
  /** The name as the source recorded it when it came as one field ("Full Name", "MORGAN, Robert"), before it was split. */
  nameAsRecorded: text('name_as_recorded'),
  givenName: text('given_name').notNull(),
  middleNames: text('middle_names'),
  familyName: text('family_name').notNull(),
  preferredName: text('preferred_name'),
  /** How to communicate with them, in staff's words ("Polish interpreter", "large print", "text, not calls"). */
  communicationNeeds: text('communication_needs'),
  dateOfBirth: date('date_of_birth', { mode: 'string' }),
  contactPoints: jsonb('contact_points').$type<ContactPoint[]>().notNull().default([]),
  address: jsonb('address').$type<PostalAddress | null>(),
  /** The home a source system says the person lives at (set by ingestion when it matches a known home). */
  homeId: uuid('home_id'),
  searchText: text('search_text').notNull().default(''),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.id] }),
  foreignKey({ columns: [t.organisationId, t.homeId], foreignColumns: [homes.organisationId, homes.id] }),
  index('people_family_name_idx').on(t.organisationId, t.familyName),
  index('people_home_idx').on(t.organisationId, t.homeId),
]);

/** A person alert (HACT v3.5 PersonAlertTypeCode with the draft UK Housing Data Standards category). Sensitive. */
export const personAlerts = pgTable('person_alerts', {
  ...recordColumns(),
  personId: uuid('person_id').notNull(),
  hactCode: text('hact_code').notNull(),
  category: text('category').notNull(),
  description: text('description'),
  confidentiality: text('confidentiality').notNull(),
  startDate: date('start_date', { mode: 'string' }).notNull(),
  reviewDate: date('review_date', { mode: 'string' }),
  endDate: date('end_date', { mode: 'string' }),
  recordedBy: text('recorded_by').notNull(),
  recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.organisationId, t.id] }),
  foreignKey({ columns: [t.organisationId, t.personId], foreignColumns: [people.organisationId, people.id] }),
  index('person_alerts_person_idx').on(t.organisationId, t.personId),
]);
