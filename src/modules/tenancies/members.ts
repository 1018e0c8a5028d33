// Changes to who is in a tenancy, as staff record them: someone joins (a joint tenant or a household member) or
// leaves. Each is an update of the tenancy at the version the officer read (If-Match: a change made meanwhile by
// someone else is refused, nothing overwritten), audited and with its event (the tenancy service's member changes),
// and an audit entry of its own saying who joined or left and from when, for the timelines of the person and home.
import { and, asc, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Ctx } from '../../platform/records/context.ts';
import { can } from '../../platform/auth/roles.ts';
import { audit } from '../../platform/audit/service.ts';
import { auditEvents } from '../../platform/audit/schema.ts';
import { forbidden, invalid } from '../../platform/http/problem.ts';
import { tenancies } from './schema.ts';
import { tenancyService, type Tenancy, type TenancyMember, type TenancyWithMembers } from './service.ts';
import type { MemberRole } from './codes.ts';

export const MEMBER_AUDIT_ACTIONS = ['tenancy-member-joined', 'tenancy-member-left'] as const;

/** A member as they join: not the lead tenant (a new lead is a new tenancy or a succession). */
export interface Joining { personId: string; role: Exclude<MemberRole, 'lead'>; relationship?: string | null; startDate: string }

const isCurrentMember = (m: TenancyMember, today: string) => !m.endDate || m.endDate >= today;

/** Someone joins the tenancy from `startDate` (on or after the tenancy's start). Someone who left may join again. */
export async function addMember(ctx: Ctx, tenancyId: string, version: number, joining: Joining, today: string): Promise<TenancyWithMembers> {
  const tenancy = await tenancyService.get(ctx, tenancyId);
  const existing = tenancy.members.find((m) => m.personId === joining.personId);
  if (existing && isCurrentMember(existing, today)) throw invalid('/personId', 'is already in this tenancy');
  if (joining.startDate < tenancy.startDate) throw invalid('/startDate', 'must be on or after the day the tenancy started');
  if (tenancy.endDate && joining.startDate > tenancy.endDate) throw invalid('/startDate', 'must be on or before the day the tenancy ended');
  const member: TenancyMember = { personId: joining.personId, role: joining.role, relationship: joining.relationship ?? null, startDate: joining.startDate, endDate: null };
  const members = [...tenancy.members.filter((m) => m.personId !== joining.personId), member];
  const updated = await tenancyService.update(ctx, tenancyId, version, { members });
  await audit(ctx.tx, ctx.actor, { action: 'tenancy-member-joined', entityKind: 'tenancy', entityId: tenancyId,
    detail: { personId: joining.personId, role: joining.role, date: joining.startDate } });
  return updated;
}

/** Someone leaves the tenancy on `endDate` (not before they joined). The lead tenant cannot leave this way. */
export async function endMember(ctx: Ctx, tenancyId: string, version: number, personId: string, endDate: string): Promise<TenancyWithMembers> {
  const tenancy = await tenancyService.get(ctx, tenancyId);
  const member = tenancy.members.find((m) => m.personId === personId);
  if (!member) throw invalid('/personId', 'is not in this tenancy');
  if (member.role === 'lead') throw invalid('/personId', LEAD_CANNOT_LEAVE);
  if (member.endDate) throw invalid('/endDate', 'has already been recorded: they have left this tenancy');
  const from = member.startDate ?? tenancy.startDate;
  if (endDate < from) throw invalid('/endDate', 'must be on or after the day they joined the tenancy');
  const members = tenancy.members.map((m) => (m.personId === personId ? { ...m, endDate } : m));
  const updated = await tenancyService.update(ctx, tenancyId, version, { members });
  await audit(ctx.tx, ctx.actor, { action: 'tenancy-member-left', entityKind: 'tenancy', entityId: tenancyId,
    detail: { personId, role: member.role, date: endDate } });
  return updated;
}

export const LEAD_CANNOT_LEAVE = 'The lead tenant cannot be removed from the tenancy here. To end their tenancy, or for someone to succeed to it, end the tenancy or record the succession instead';

/** A change to who is in a tenancy, as recorded in Hearth: who recorded it and when, who joined or left, from when. */
export interface MemberChange {
  at: Date;
  by: string;
  tenancyId: string;
  change: 'joined' | 'left';
  personId: string;
  role: MemberRole;
  /** The day they joined or left. */
  date: string;
}

/**
 * The changes to who is in these tenancies recorded in Hearth (newest first, at most `limit`), optionally only those
 * about these people: for the timelines of a person and a home. One statement whatever the number of ids.
 */
export async function memberChanges(ctx: Ctx, about: { tenancyIds?: readonly string[]; personIds?: readonly string[] }, limit = 200): Promise<MemberChange[]> {
  if (!can(ctx.actor.role, 'records:read')) throw forbidden();
  const which: SQL[] = [];
  if (about.tenancyIds?.length) which.push(sql`${auditEvents.entityId} = any(${sql.param([...about.tenancyIds])}::uuid[])`);
  if (about.personIds?.length) which.push(sql`${auditEvents.detail}->>'personId' = any(${sql.param([...about.personIds])}::text[])`);
  if (!which.length) return [];
  const rows = await ctx.tx.select().from(auditEvents).where(and(eq(auditEvents.organisationId, ctx.actor.organisationId),
    eq(auditEvents.entityKind, 'tenancy'), inArray(auditEvents.action, [...MEMBER_AUDIT_ACTIONS]), or(...which)))
    .orderBy(desc(auditEvents.at), desc(auditEvents.id)).limit(limit);
  return rows.map((r) => {
    const d = (r.detail ?? {}) as { personId?: string; role?: MemberRole; date?: string };
    return { at: r.at, by: r.actorName, tenancyId: r.entityId!, change: r.action === 'tenancy-member-joined' ? 'joined' : 'left',
      personId: d.personId ?? '', role: d.role ?? 'household-member', date: d.date ?? '' };
  });
}

/** A tenancy starting or ending near today: the date that brings it here. */
export interface TenancyMoving { tenancy: Tenancy; change: 'starts' | 'ends'; date: string }

const addDays = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * Tenancies whose start or end falls from `before` days ago to `ahead` days on (a tenancy that does both is listed by
 * its start), the soonest first, `limit` from `offset`, and how many in all; `homeIds` null: every home.
 */
export async function tenanciesStartingOrEnding(ctx: Ctx, homeIds: readonly string[] | null, today: string,
  page: { limit: number; offset?: number }, window = { before: 7, ahead: 28 }): Promise<{ total: number; items: TenancyMoving[] }> {
  if (!can(ctx.actor.role, 'records:read')) throw forbidden();
  if (homeIds && !homeIds.length) return { total: 0, items: [] };
  const from = addDays(today, -window.before), to = addDays(today, window.ahead);
  const starts = sql`${tenancies.startDate} between ${from}::date and ${to}::date`;
  const ends = sql`${tenancies.endDate} between ${from}::date and ${to}::date`;
  const where = and(eq(tenancies.organisationId, ctx.actor.organisationId), or(starts, ends),
    homeIds ? sql`${tenancies.homeId} = any(${sql.param([...homeIds])}::uuid[])` : undefined);
  const when = sql`case when ${starts} then ${tenancies.startDate} else ${tenancies.endDate} end`;
  const [count] = await ctx.tx.select({ n: sql<number>`count(*)::int` }).from(tenancies).where(where);
  const rows = await ctx.tx.select().from(tenancies).where(where).orderBy(asc(when), asc(tenancies.reference), asc(tenancies.id))
    .limit(page.limit).offset(page.offset ?? 0);
  return {
    total: count?.n ?? 0,
    items: rows.map((t) => (t.startDate >= from && t.startDate <= to ? { tenancy: t, change: 'starts' as const, date: t.startDate } : { tenancy: t, change: 'ends' as const, date: t.endDate! })),
  };
}

/** The ids of the tenancies of these homes (any time), for worklists scoped to a patch. */
export async function tenancyIdsOfHomes(ctx: Ctx, homeIds: readonly string[]): Promise<string[]> {
  if (!can(ctx.actor.role, 'records:read')) throw forbidden();
  if (!homeIds.length) return [];
  const rows = await ctx.tx.select({ id: tenancies.id }).from(tenancies)
    .where(and(eq(tenancies.organisationId, ctx.actor.organisationId), sql`${tenancies.homeId} = any(${sql.param([...homeIds])}::uuid[])`));
  return rows.map((r) => r.id);
}
