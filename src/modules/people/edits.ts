// Everyday edits to a person (issue 13): contact details, correspondence address, preferred name and communication
// needs; person alerts added, reviewed and ended; the alerts due for review (a housing officer's worklist); and each
// edit as an event of the person's timeline, with who made it and when. Every write goes through the shared record
// service with the version the form was drawn from (If-Match), so two officers never overwrite each other, and is
// audited there. Alerts are sensitive: only roles with alerts:read see them, and every read is audited.
import { and, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import { toNormalised } from 'postcode';
import type { Ctx } from '../../platform/records/context.ts';
import { can } from '../../platform/auth/roles.ts';
import { audit } from '../../platform/audit/service.ts';
import { auditEvents } from '../../platform/audit/schema.ts';
import { forbidden, notFound } from '../../platform/http/problem.ts';
import { govukDate, ukDate } from '../../platform/uk-time.ts';
import { people, personAlerts, type ContactPoint, type PostalAddress } from './schema.ts';
import { alertService, fullName, personRecords, type Person, type PersonAlert } from './service.ts';
import { ALERT_CATEGORIES, type AlertCategory } from './codes.ts';

/** The phone numbers the contact details form edits, one of each use. */
export const PHONE_USES = ['home', 'mobile', 'work'] as const;
export type PhoneUse = (typeof PHONE_USES)[number];

export interface ContactDetails {
  phones: Partial<Record<PhoneUse, string>>;
  email?: string;
  /** The GOV.UK address pattern: up to two lines, a town and a postcode; null for none. */
  address: { line1: string; line2?: string; town?: string; postcode?: string } | null;
  preferredName?: string;
  communicationNeeds?: string;
}

/**
 * The contact points the form edits: the first phone of each use, and the first email. Any others (a second mobile,
 * a phone with no use) are kept as they are.
 */
function managedIndexes(points: readonly ContactPoint[]): Map<string, number> {
  const at = new Map<string, number>();
  points.forEach((c, i) => {
    const key = c.system === 'email' ? 'email' : c.use ? `phone:${c.use}` : '';
    if (key && !at.has(key)) at.set(key, i);
  });
  return at;
}

/** What the form shows of a stored person. */
export function contactDetailsOf(p: Person): ContactDetails {
  const points = p.contactPoints ?? [];
  const at = managedIndexes(points);
  const phones: ContactDetails['phones'] = {};
  for (const use of PHONE_USES) { const i = at.get(`phone:${use}`); if (i !== undefined) phones[use] = points[i]!.value; }
  const email = at.has('email') ? points[at.get('email')!]!.value : undefined;
  return { phones, ...(email ? { email } : {}), address: addressLinesOf(p.address), ...(p.preferredName ? { preferredName: p.preferredName } : {}),
    ...(p.communicationNeeds ? { communicationNeeds: p.communicationNeeds } : {}) };
}

/** A stored address in the form's two lines, town and postcode. */
function addressLinesOf(a: PostalAddress | null): ContactDetails['address'] {
  if (!a) return null;
  const parsed1 = [[a.subBuilding, a.buildingName].filter(Boolean).join(', '), [a.buildingNumber, a.street].filter(Boolean).join(' ')].filter(Boolean);
  const lines = parsed1.length ? [...parsed1, ...(a.locality ? [a.locality] : [])] : (a.lines ?? []).filter((l) => l.trim());
  const [line1 = '', ...rest] = lines;
  return { line1, ...(rest.length ? { line2: rest.join(', ') } : {}), ...(a.town ? { town: a.town } : {}), ...(a.postcode ? { postcode: a.postcode } : {}) };
}

/** The contact points and address to store for what the form gave, keeping the points it does not edit. */
function storedContactDetails(existing: Person, d: ContactDetails): { contactPoints: ContactPoint[]; address: PostalAddress | null } {
  const points = existing.contactPoints ?? [];
  const at = managedIndexes(points);
  const managed = new Set(at.values());
  const kept = points.filter((_, i) => !managed.has(i));
  const mine: ContactPoint[] = [
    ...PHONE_USES.filter((u) => d.phones[u]).map((use) => ({ system: 'phone' as const, value: d.phones[use]!, use })),
    ...(d.email ? [{ system: 'email' as const, value: d.email }] : []),
  ];
  // What the form drew from the stored address, unchanged, keeps the address as it was stored (its parsed parts).
  const before = addressLinesOf(existing.address);
  if (JSON.stringify(before) === JSON.stringify(d.address)) return { contactPoints: [...mine, ...kept], address: existing.address };
  const a = d.address;
  const address: PostalAddress | null = a ? {
    lines: [a.line1, ...(a.line2 ? [a.line2] : [])],
    ...(a.town ? { town: a.town } : {}), ...(a.postcode ? { postcode: toNormalised(a.postcode) ?? a.postcode.toUpperCase() } : {}),
  } : null;
  return { contactPoints: [...mine, ...kept], address };
}

/**
 * Change a person's contact details, correspondence address, preferred name and communication needs, if the person
 * is still at `version` (else a 412, and nothing is written).
 */
export async function updateContactDetails(ctx: Ctx, id: string, version: number, d: ContactDetails): Promise<Person> {
  const existing = await personRecords.get(ctx, id);
  const stored = storedContactDetails(existing, d);
  return personRecords.update(ctx, id, version, {
    ...stored, preferredName: d.preferredName ?? null, communicationNeeds: d.communicationNeeds ?? null,
  });
}

/** What a staff member did to a record: who, when, which fields (from the audit log, never the values). */
export interface Edit {
  at: Date;
  by: string;
  action: string;
  fields: string[];
}

/** The newest `limit` edits (updates) to a person by anyone but Hearth itself, newest first: "who changed it since". */
export async function recentEditsOfPerson(ctx: Ctx, id: string, limit: number): Promise<Edit[]> {
  if (!can(ctx.actor.role, 'records:read')) throw forbidden();
  const rows = await ctx.tx.select({ at: auditEvents.at, by: auditEvents.actorName, action: auditEvents.action, detail: auditEvents.detail }).from(auditEvents)
    .where(and(eq(auditEvents.organisationId, ctx.actor.organisationId), eq(auditEvents.entityKind, 'person'), eq(auditEvents.entityId, id),
      eq(auditEvents.action, 'update')))
    .orderBy(desc(auditEvents.at), desc(auditEvents.id)).limit(Math.max(1, Math.min(limit, 20)));
  return rows.map((r) => ({ at: r.at, by: r.by, action: r.action, fields: fieldsOf(r.detail) }));
}

const fieldsOf = (detail: unknown): string[] => {
  const f = (detail as { fields?: unknown } | null)?.fields;
  return Array.isArray(f) ? f.filter((x): x is string => typeof x === 'string') : [];
};

/** How staff name each field of a person and of an alert. */
export const FIELD_NAMES: Record<string, string> = {
  title: 'title', givenName: 'given name', middleNames: 'middle names', familyName: 'family name', preferredName: 'preferred name',
  communicationNeeds: 'communication needs', dateOfBirth: 'date of birth', contactPoints: 'phone numbers or email', address: 'correspondence address',
  homeId: 'home', hactCode: 'alert type', category: 'category', description: 'description', confidentiality: 'confidentiality',
  startDate: 'start date', reviewDate: 'review date', endDate: 'end date',
};

/** "phone numbers or email and correspondence address". */
export function fieldList(fields: readonly string[]): string {
  const names = [...new Set(fields.map((f) => FIELD_NAMES[f] ?? f))];
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

// ---- Alerts

/** An alert of this person (404 if it is another person's, or not in the actor's organisation); the read is audited. */
export async function alertOfPerson(ctx: Ctx, personId: string, alertId: string): Promise<PersonAlert> {
  const alert = await alertService.get(ctx, alertId);
  if (alert.personId !== personId) throw notFound('person alert');
  return alert;
}

/** Whether an alert is in force on a UK date: started (or starting) and not ended before it. */
export const isActive = (a: Pick<PersonAlert, 'endDate'>, today = ukDate(new Date())) => !a.endDate || a.endDate >= today;

/** How many days ahead an alert's review counts as due. */
export const REVIEW_WINDOW_DAYS = 14;

export interface AlertToReview {
  alert: PersonAlert;
  person: Pick<Person, 'id' | 'title' | 'givenName' | 'familyName' | 'homeId'>;
  overdue: boolean;
}

/**
 * Active alerts whose review date is past, today or within 14 days, soonest first, with whose they are; `personIds`
 * (the people of a patch's homes) limits them to those people, else `homeIds` to people recorded at those homes; null
 * for everyone. Each alert given back is audited
 * as read; only for roles with alerts:read.
 */
export async function alertsToReview(ctx: Ctx, options: { homeIds: readonly string[] | null; personIds?: readonly string[] | null; limit: number; offset?: number; today?: string }): Promise<{ total: number; items: AlertToReview[] }> {
  if (!can(ctx.actor.role, 'alerts:read')) throw forbidden('Your role does not allow you to see person alerts');
  const today = options.today ?? ukDate(new Date());
  const org = ctx.actor.organisationId;
  const where = and(eq(personAlerts.organisationId, org),
    sql`(${personAlerts.endDate} is null or ${personAlerts.endDate} >= ${today}::date)`,
    sql`${personAlerts.reviewDate} <= ${today}::date + ${REVIEW_WINDOW_DAYS}::int`,
    options.personIds ? sql`${personAlerts.personId} = any(${sql.param([...options.personIds])}::uuid[])`
      : options.homeIds ? sql`${people.homeId} = any(${sql.param([...options.homeIds])}::uuid[])` : undefined);
  const from = () => ctx.tx.select().from(personAlerts)
    .innerJoin(people, and(eq(people.organisationId, personAlerts.organisationId), eq(people.id, personAlerts.personId)));
  const [count] = await ctx.tx.select({ n: sql<number>`count(*)::int` }).from(personAlerts)
    .innerJoin(people, and(eq(people.organisationId, personAlerts.organisationId), eq(people.id, personAlerts.personId))).where(where);
  const total = count?.n ?? 0;
  if ((options.personIds ?? options.homeIds)?.length === 0) return { total: 0, items: [] };
  const rows = options.limit > 0
    ? await from().where(where).orderBy(personAlerts.reviewDate, personAlerts.id).limit(Math.min(options.limit, 200)).offset(Math.max(options.offset ?? 0, 0))
    : [];
  await audit(ctx.tx, ctx.actor, rows.map((r) => ({ action: 'read-sensitive', entityKind: 'person-alert', entityId: r.person_alerts.id })));
  return {
    total,
    items: rows.map(({ person_alerts: alert, people: p }) => ({
      alert, person: { id: p.id, title: p.title, givenName: p.givenName, familyName: p.familyName, homeId: p.homeId },
      overdue: !!alert.reviewDate && alert.reviewDate < today,
    })),
  };
}

export const categoryLabel = (c: string) => ALERT_CATEGORIES[c as AlertCategory] ?? 'Alert';


/** A worklist line for an alert to review. */
export function alertToReviewItem(r: AlertToReview) {
  return {
    href: `/people/${r.person.id}/alerts/${r.alert.id}`,
    text: `${fullName(r.person)} — ${categoryLabel(r.alert.category)}`,
    hint: `Review due ${govukDate(r.alert.reviewDate!)}`,
    ...(r.overdue ? { tag: { text: 'Overdue', colour: 'red' as const } } : {}),
  };
}

// ---- The timeline

export interface EditEvent {
  /** ISO timestamp. */
  at: string;
  kind: 'edit';
  title: string;
  detail: string | null;
  href?: string;
  /** Who made the change (the staff member's or API token's name). */
  by: string;
  personId: string;
}

/**
 * Every change staff (or an API token) made to these people and, for roles with alerts:read, to their alerts — each
 * with who and when, newest first, at most `limit` — for the Person page's timeline. Imports are not here: their
 * changes are record changes already. The alerts' words are never in the events; each alert named is audited as read.
 */
export async function editsOfPeople(ctx: Ctx, personIds: readonly string[], limit = 100): Promise<EditEvent[]> {
  if (!can(ctx.actor.role, 'records:read')) throw forbidden();
  if (!personIds.length) return [];
  const org = ctx.actor.organisationId;
  const ids = sql.param([...personIds]);
  const personRows = await ctx.tx.select({ at: auditEvents.at, by: auditEvents.actorName, action: auditEvents.action, detail: auditEvents.detail, personId: auditEvents.entityId })
    .from(auditEvents)
    .where(and(eq(auditEvents.organisationId, org), eq(auditEvents.entityKind, 'person'), eq(auditEvents.action, 'update'),
      ne(auditEvents.actorKind, 'system'), sql`${auditEvents.entityId} = any(${ids}::uuid[])`))
    .orderBy(desc(auditEvents.at), desc(auditEvents.id)).limit(limit);
  const events: EditEvent[] = personRows.filter((r) => fieldsOf(r.detail).length).map((r) => ({
    at: r.at.toISOString(), kind: 'edit', by: r.by, personId: r.personId!,
    title: `${r.by} changed the ${fieldList(fieldsOf(r.detail))}`, detail: null,
  }));
  if (can(ctx.actor.role, 'alerts:read')) {
    const alertRows = await ctx.tx.select({ at: auditEvents.at, by: auditEvents.actorName, action: auditEvents.action, detail: auditEvents.detail,
      alertId: personAlerts.id, personId: personAlerts.personId })
      .from(auditEvents)
      .innerJoin(personAlerts, and(eq(personAlerts.organisationId, auditEvents.organisationId), eq(personAlerts.id, auditEvents.entityId)))
      .where(and(eq(auditEvents.organisationId, org), eq(auditEvents.entityKind, 'person-alert'), inArray(auditEvents.action, ['create', 'update']),
        ne(auditEvents.actorKind, 'system'), sql`${personAlerts.personId} = any(${ids}::uuid[])`))
      .orderBy(desc(auditEvents.at), desc(auditEvents.id)).limit(limit);
    const shown = alertRows.filter((r) => r.action === 'create' || fieldsOf(r.detail).length);
    await audit(ctx.tx, ctx.actor, [...new Set(shown.map((r) => r.alertId))].map((id) => ({ action: 'read-sensitive', entityKind: 'person-alert', entityId: id })));
    for (const r of shown) {
      const fields = fieldsOf(r.detail);
      const what = r.action === 'create' ? 'added an alert' : fields.includes('endDate') ? 'ended an alert'
        : fields.includes('reviewDate') ? 'reviewed an alert' : `changed the ${fieldList(fields)} of an alert`;
      events.push({ at: r.at.toISOString(), kind: 'edit', by: r.by, personId: r.personId, title: `${r.by} ${what}`, detail: null,
        href: `/people/${r.personId}/alerts/${r.alertId}` });
    }
  }
  events.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return events.slice(0, limit);
}
