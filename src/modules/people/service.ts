// People, their contact points and their alerts. Alerts are sensitive: only roles with alerts:read see them,
// and every read of one is audited (by the shared record service, because the alert kind is marked sensitive).
import { and, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import { isoTimestamp } from '../../platform/db/json.ts';
import { auditReadsSql } from '../../platform/audit/service.ts';
import { defineRecords, type ListQuery } from '../../platform/records/service.ts';
import type { Ctx } from '../../platform/records/context.ts';
import { can } from '../../platform/auth/roles.ts';
import { invalid } from '../../platform/http/problem.ts';
import { escapeLike } from '../../platform/db/like.ts';
import { people, personAlerts } from './schema.ts';
import { CATEGORIES_FOR_HACT_CODE, HACT_ALERT_CODES, type AlertCategory, type HactAlertCode } from './codes.ts';

export type Person = typeof people.$inferSelect;
export type PersonAlert = typeof personAlerts.$inferSelect;

const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

export function fullName(p: Pick<Person, 'title' | 'givenName' | 'familyName'>): string {
  return [p.title, p.givenName, p.familyName].filter(Boolean).join(' ');
}

/** Lower-case names and contact values: what staff type into search. */
export function personSearchText(p: Partial<Person>): string {
  const contacts = (p.contactPoints ?? []).map((c) => c.value);
  return [p.givenName, p.middleNames, p.familyName, p.preferredName, ...contacts].filter(Boolean).join(' ').toLowerCase();
}

export const personRecords = defineRecords<Person>({
  kind: 'person', label: 'person', table: people, read: 'records:read', write: 'records:write',
  filters: (q: ListQuery) => [
    str(q.familyName) ? ilike(people.familyName, escapeLike(str(q.familyName)!)) : undefined,
    str(q.givenName) ? ilike(people.givenName, escapeLike(str(q.givenName)!)) : undefined,
    str(q.dateOfBirth) ? eq(people.dateOfBirth, str(q.dateOfBirth)!) : undefined,
  ],
  prepare: (v) => ({ searchText: personSearchText(v) }),
});

export const alertRecords = defineRecords<PersonAlert>({
  kind: 'person-alert', label: 'person alert', table: personAlerts, read: 'alerts:read', write: 'alerts:write', sensitive: true,
  filters: (q: ListQuery) => [
    str(q.personId) ? eq(personAlerts.personId, str(q.personId)!) : undefined,
    str(q.category) ? eq(personAlerts.category, str(q.category)!) : undefined,
    q.active === true ? or(sql`${personAlerts.endDate} is null`, sql`${personAlerts.endDate} >= current_date`) : undefined,
  ],
});

function checkAlertCodes(a: Partial<PersonAlert>) {
  const fits = CATEGORIES_FOR_HACT_CODE[a.hactCode as HactAlertCode];
  if (fits && a.category && !fits.includes(a.category as AlertCategory)) {
    throw invalid('/category', `${a.category} does not fit HACT code ${a.hactCode} (${HACT_ALERT_CODES[a.hactCode as HactAlertCode]}); use ${fits.join(' or ')}`);
  }
}

function checkAlertDates(a: Partial<PersonAlert>) {
  if (a.startDate && a.endDate && a.endDate < a.startDate) throw invalid('/endDate', 'must be on or after the start date');
  if (a.startDate && a.reviewDate && a.reviewDate < a.startDate) throw invalid('/reviewDate', 'must be on or after the start date');
}

export const alertService = {
  ...alertRecords,
  async create(ctx: Ctx, input: Parameters<typeof alertRecords.create>[1]) {
    checkAlertDates(input as Partial<PersonAlert>);
    checkAlertCodes(input as Partial<PersonAlert>);
    return alertRecords.create(ctx, { recordedBy: ctx.actor.name, ...input });
  },
  async update(ctx: Ctx, id: string, version: number, patch: Record<string, unknown>) {
    const row = await alertRecords.update(ctx, id, version, patch);
    checkAlertDates(row);
    checkAlertCodes(row);
    return row;
  },
  /** Active alerts of these people, or undefined when the actor's role may not see alerts. */
  async activeFor(ctx: Ctx, personIds: string[]): Promise<PersonAlert[] | undefined> {
    if (!can(ctx.actor.role, 'alerts:read')) return undefined;
    if (!personIds.length) return [];
    return alertRecords.find(ctx, and(inArray(personAlerts.personId, personIds),
      or(sql`${personAlerts.endDate} is null`, sql`${personAlerts.endDate} >= current_date`))!);
  },
  /**
   * Active alerts of these people that have one of these HACT codes or UKHDS categories (and only those, so no other
   * alert is read), each read audited; undefined when the actor's role may not see alerts.
   */
  async activeOfKinds(ctx: Ctx, personIds: readonly string[], kinds: { hactCodes: readonly string[]; categories: readonly string[] }): Promise<PersonAlert[] | undefined> {
    if (!can(ctx.actor.role, 'alerts:read')) return undefined;
    if (!personIds.length) return [];
    return alertRecords.find(ctx, and(sql`${personAlerts.personId} = any(${sql.param([...personIds])}::uuid[])`,
      or(sql`${personAlerts.hactCode} = any(${sql.param([...kinds.hactCodes])}::text[])`, sql`${personAlerts.category} = any(${sql.param([...kinds.categories])}::text[])`),
      or(sql`${personAlerts.endDate} is null`, sql`${personAlerts.endDate} >= current_date`))!, 1_000_000);
  },
};

/** People a source system says live at these homes (their home), for composed views; any number of homes, one statement. */
export async function peopleAtHomes(ctx: Ctx, homeIds: readonly string[]): Promise<Person[]> {
  if (!homeIds.length) return [];
  return personRecords.find(ctx, sql`${people.homeId} = any(${sql.param([...homeIds])}::uuid[])`, 1_000_000);
}

/** People whose names, email or phone contain every word of the term. */
export async function searchPeople(ctx: Ctx, term: string, limit = 20): Promise<Person[]> {
  const words = term.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 6);
  if (!words.length) return [];
  return personRecords.find(ctx, and(...words.map((w) => sql`${people.searchText} like ${'%' + escapeLike(w) + '%'}`))!, limit);
}

/** SQL: the person with this id as API JSON, with the given source references JSON, for composed views. */
export function personJsonSql(organisationId: SQL, personId: SQL, references: SQL): SQL {
  return sql`(select json_build_object('id', p.id, 'organisationId', p.organisation_id, 'version', p.version,
    'createdAt', ${isoTimestamp(sql`p.created_at`)}, 'updatedAt', ${isoTimestamp(sql`p.updated_at`)},
    'title', p.title, 'givenName', p.given_name, 'middleNames', p.middle_names, 'familyName', p.family_name,
    'nameAsRecorded', p.name_as_recorded,
    'preferredName', p.preferred_name, 'dateOfBirth', p.date_of_birth, 'contactPoints', p.contact_points, 'address', p.address,
    'homeId', p.home_id, 'sourceReferences', ${references})
    from people p where p.organisation_id = ${organisationId} and p.id = ${personId})`;
}

/**
 * SQL: a SELECT of the active alerts of a person as API JSON rows (columns id, alert), for composed views. `personIds`:
 * one person's id, or a SELECT of the ids of the records linked as one person.
 */
/**
 * SQL: the CTEs `alerts` (active alerts of these people, as activeAlertsSql) and `audited` (a read-sensitive audit row
 * for each, by `actor`), to start a `with` of one statement. The only way another module reads alerts in SQL: the
 * audit of each alert read is the people module's, on every path, never added by the caller.
 */
export function auditedActiveAlertsCtes(organisationId: SQL, personIds: SQL, actor: Parameters<typeof auditReadsSql>[0]): SQL {
  return sql`alerts as (${activeAlertsSql(organisationId, personIds)}), audited as (${auditReadsSql(actor, 'person-alert', 'alerts')})`;
}

function activeAlertsSql(organisationId: SQL, personIds: SQL): SQL {
  return sql`select a.id, json_build_object('id', a.id, 'organisationId', a.organisation_id, 'version', a.version,
    'createdAt', ${isoTimestamp(sql`a.created_at`)}, 'updatedAt', ${isoTimestamp(sql`a.updated_at`)},
    'personId', a.person_id, 'hactCode', a.hact_code, 'category', a.category, 'description', a.description,
    'confidentiality', a.confidentiality, 'startDate', a.start_date, 'reviewDate', a.review_date, 'endDate', a.end_date,
    'recordedBy', a.recorded_by, 'recordedAt', ${isoTimestamp(sql`a.recorded_at`)}) as alert
    from person_alerts a where a.organisation_id = ${organisationId} and a.person_id in (${personIds})
      and (a.end_date is null or a.end_date >= current_date)
    order by a.start_date, a.id`;
}

/** SQL: people as record-linkage input rows (id, names, date of birth, contact points, address, home_id); `where` narrows them. */
export function peopleForLinkageSql(organisationId: SQL, where?: SQL): SQL {
  return sql`select p.id, p.title, p.given_name, p.middle_names, p.family_name, p.preferred_name, p.date_of_birth, p.contact_points, p.address, p.home_id
    from people p where p.organisation_id = ${organisationId}${where ? sql` and ${where}` : sql``}`;
}

/** SQL (a condition on people p): the given ids. */
export const peopleWithIds = (ids: string[]): SQL => sql`p.id = any(${sql.param(ids)}::uuid[])`;

/** SQL (a condition on people p): people who share a date of birth, a family name (any case) or a home with these; for linkage blocking. */
export function peopleSharingSql(with_: { datesOfBirth: string[]; familyNames: string[]; homeIds: string[] }): SQL {
  return sql`(p.date_of_birth = any(${sql.param(with_.datesOfBirth)}::date[]) or lower(p.family_name) = any(${sql.param(with_.familyNames.map((n) => n.toLowerCase()))}::text[])
    or p.home_id = any(${sql.param(with_.homeIds)}::uuid[]))`;
}

/** SQL: a person's values (what a source record says) as JSON, for composed views such as linked records. */
export function personValuesJsonSql(organisationId: SQL, personId: SQL): SQL {
  return sql`(select json_build_object('title', p.title, 'givenName', p.given_name, 'middleNames', p.middle_names, 'familyName', p.family_name,
    'preferredName', p.preferred_name, 'dateOfBirth', p.date_of_birth, 'contactPoints', p.contact_points, 'address', p.address, 'homeId', p.home_id)
    from people p where p.organisation_id = ${organisationId} and p.id = ${personId})`;
}
