// People, their contact points and their alerts. Alerts are sensitive: only roles with alerts:read see them,
// and every read of one is audited (by the shared record service, because the alert kind is marked sensitive).
import { and, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import { auditReadsSql } from '../../platform/audit/service.ts';
import { defineRecords, type ListQuery } from '../../platform/records/service.ts';
import type { Ctx } from '../../platform/records/context.ts';
import { can } from '../../platform/auth/roles.ts';
import { invalid } from '../../platform/http/problem.ts';
import { escapeLike } from '../../platform/db/like.ts';
import { jsonObjectOf, selectListOf, type Property } from '../../platform/db/table-fields.ts';
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


// The fields of the JSON and rows composed in SQL below, by property: their columns come from the tables (schema.ts).
/** A person as the API gives it (without its source references): every stored field but the search text. */
const PERSON_JSON = ['id', 'organisationId', 'version', 'createdAt', 'updatedAt', 'title', 'givenName', 'middleNames', 'familyName',
  'nameAsRecorded', 'preferredName', 'dateOfBirth', 'contactPoints', 'address', 'homeId', 'communicationNeeds'] as const satisfies readonly Property<typeof people>[];
/** What a source record of a person says (linked records). */
const PERSON_VALUES = ['title', 'givenName', 'middleNames', 'familyName', 'preferredName', 'dateOfBirth', 'contactPoints', 'address',
  'homeId', 'communicationNeeds'] as const satisfies readonly Property<typeof people>[];
/** Record linkage's input row, named by property. */
const PERSON_LINKAGE = ['id', ...PERSON_VALUES] as const;
/** What personValuesJsonSql gives: its types are the people table's. */
export type PersonValues = Pick<typeof people.$inferSelect, (typeof PERSON_VALUES)[number]>;
/** A row of peopleForLinkageSql: its types are the people table's. */
export type PersonLinkageRow = Pick<typeof people.$inferSelect, (typeof PERSON_LINKAGE)[number]>;
/** An alert as the API gives it: every stored field. */
const ALERT_JSON = ['id', 'organisationId', 'version', 'createdAt', 'updatedAt', 'personId', 'hactCode', 'category', 'description',
  'confidentiality', 'startDate', 'reviewDate', 'endDate', 'recordedBy', 'recordedAt'] as const satisfies readonly Property<typeof personAlerts>[];

/** SQL: the person with this id as API JSON, with the given source references JSON, for composed views. */
export function personJsonSql(organisationId: SQL, personId: SQL, references: SQL): SQL {
  return sql`(select ${jsonObjectOf(people, 'p', PERSON_JSON, { sourceReferences: references })}
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
  return sql`select a.id, ${jsonObjectOf(personAlerts, 'a', ALERT_JSON)} as alert
    from person_alerts a where a.organisation_id = ${organisationId} and a.person_id in (${personIds})
      and (a.end_date is null or a.end_date >= current_date)
    order by a.start_date, a.id`;
}

/**
 * SQL: people as record-linkage input rows (id, names, date of birth, contact points, address, home id), each column named by
 * its property (givenName, homeId, …); `where` (on people p) narrows them.
 */
export function peopleForLinkageSql(organisationId: SQL, where?: SQL): SQL {
  return sql`select ${selectListOf(people, 'p', PERSON_LINKAGE)}
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
  return sql`(select ${jsonObjectOf(people, 'p', PERSON_VALUES)}
    from people p where p.organisation_id = ${organisationId} and p.id = ${personId})`;
}
