// Tenancies and their members. A tenancy's members are part of the tenancy: written and read with it.
import { and, eq, ilike, inArray, sql, type SQL } from 'drizzle-orm';
import { escapeLike } from '../../platform/db/like.ts';
import { aliased, jsonObjectOf } from '../../platform/db/table-fields.ts';
import { wanted } from '../../platform/db/store.ts';
import { can } from '../../platform/auth/roles.ts';
import { defineRecords, type CreateInput, type ListQuery, type WithReferences } from '../../platform/records/service.ts';
import type { Ctx } from '../../platform/records/context.ts';
import { forbidden, invalid } from '../../platform/http/problem.ts';
import { tenancies, tenancyMembers } from './schema.ts';
import type { MemberRole } from './codes.ts';

export type Tenancy = typeof tenancies.$inferSelect;
export interface TenancyMember { personId: string; role: MemberRole; relationship?: string | null; startDate?: string | null; endDate?: string | null }
export type TenancyWithMembers = WithReferences<Tenancy> & { members: TenancyMember[] };

const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

const records = defineRecords<Tenancy>({
  kind: 'tenancy', label: 'tenancy', table: tenancies, read: 'records:read', write: 'records:write', auditValues: true,
  filters: (q: ListQuery) => [
    str(q.reference) ? ilike(tenancies.reference, escapeLike(str(q.reference)!)) : undefined,
    str(q.homeId) ? eq(tenancies.homeId, str(q.homeId)!) : undefined,
  ],
});

function checkMembers(members: TenancyMember[]) {
  const seen = new Set<string>();
  members.forEach((m, i) => {
    if (seen.has(m.personId)) throw invalid(`/members/${i}/personId`, 'is listed twice');
    seen.add(m.personId);
  });
  if (members.length && !members.some((m) => m.role === 'lead' || m.role === 'joint')) {
    throw invalid('/members', 'must include a lead or joint tenant');
  }
  const leads = members.map((m, i) => (m.role === 'lead' ? i : -1)).filter((i) => i >= 0);
  if (leads.length > 1) throw invalid(`/members/${leads[1]}/role`, 'a tenancy has one lead tenant; make the others joint tenants');
}

function checkDates(t: { startDate?: string | null; endDate?: string | null }) {
  if (t.startDate && t.endDate && t.endDate < t.startDate) throw invalid('/endDate', 'must be on or after the start date');
}

async function membersOf(ctx: Ctx, ids: string[]): Promise<Map<string, TenancyMember[]>> {
  const out = new Map<string, TenancyMember[]>();
  if (!ids.length) return out;
  const rows = await ctx.tx.select().from(tenancyMembers)
    .where(and(eq(tenancyMembers.organisationId, ctx.actor.organisationId), inArray(tenancyMembers.tenancyId, ids)));
  for (const r of rows) {
    const list = out.get(r.tenancyId) ?? [];
    list.push({ personId: r.personId, role: r.role as MemberRole, relationship: r.relationship, startDate: r.startDate, endDate: r.endDate });
    out.set(r.tenancyId, list);
  }
  const order = { lead: 0, joint: 1, 'household-member': 2 } as const;
  for (const list of out.values()) list.sort((a, b) => order[a.role] - order[b.role]);
  return out;
}

async function withMembers<T extends { id: string }>(ctx: Ctx, rows: T[]): Promise<(T & { members: TenancyMember[] })[]> {
  const m = await membersOf(ctx, rows.map((r) => r.id));
  return rows.map((r) => ({ ...r, members: m.get(r.id) ?? [] }));
}

/** The same members, whatever their order and however absent fields are given. */
function sameMembers(a: readonly TenancyMember[], b: readonly TenancyMember[]): boolean {
  const key = (m: TenancyMember) => JSON.stringify([m.personId, m.role, m.relationship ?? null, m.startDate ?? null, m.endDate ?? null]);
  return JSON.stringify(a.map(key).sort()) === JSON.stringify(b.map(key).sort());
}

async function replaceMembers(ctx: Ctx, tenancyId: string, members: TenancyMember[]) {
  await ctx.tx.delete(tenancyMembers).where(and(eq(tenancyMembers.organisationId, ctx.actor.organisationId), eq(tenancyMembers.tenancyId, tenancyId)));
  if (members.length) {
    await ctx.tx.insert(tenancyMembers).values(members.map((m) => ({
      organisationId: ctx.actor.organisationId, tenancyId, personId: m.personId, role: m.role,
      relationship: m.relationship ?? null, startDate: m.startDate ?? null, endDate: m.endDate ?? null,
    })));
  }
}

export const tenancyService = {
  rules: records.rules,
  /** An Idempotency-Key replay of a create (platform/records/api.ts): as for any record. */
  replayed: records.replayed,
  async list(ctx: Ctx, q: ListQuery) {
    const page = await records.list(ctx, q);
    return { ...page, items: await withMembers(ctx, page.items) };
  },
  async get(ctx: Ctx, id: string): Promise<TenancyWithMembers> {
    return (await withMembers(ctx, [await records.get(ctx, id)]))[0]!;
  },
  /** Tenancies by id as `get` returns them (members, source references), for the change feed; missing ids are absent. */
  async getMany(ctx: Ctx, ids: readonly string[]): Promise<TenancyWithMembers[]> {
    return withMembers(ctx, await records.getManyWithReferences(ctx, ids));
  },
  async create(ctx: Ctx, input: CreateInput & { members?: TenancyMember[] }): Promise<TenancyWithMembers> {
    const { members = [], ...rest } = input;
    checkMembers(members);
    checkDates(rest as Tenancy);
    const row = await records.create(ctx, rest, { fields: members.length ? ['members'] : [] });
    await replaceMembers(ctx, row.id, members).catch((err) => { throw memberError(err); });
    return { ...row, members: (await membersOf(ctx, [row.id])).get(row.id) ?? [] };
  },
  async update(ctx: Ctx, id: string, version: number, patch: Record<string, unknown> & { members?: TenancyMember[] }): Promise<TenancyWithMembers> {
    const { members, ...rest } = patch;
    if (members) checkMembers(members);
    // Members are part of the tenancy: a change of members alone is a change of the tenancy (audited, with its event).
    // Read before the write: a concurrent change moves the version on, and the update then refuses (412).
    const membersChanged = members !== undefined && sameMembers((await membersOf(ctx, [id])).get(id) ?? [], members) === false;
    const row = await records.update(ctx, id, version, rest, { changed: membersChanged ? ['members'] : [] });
    checkDates(row);
    if (members) await replaceMembers(ctx, id, members).catch((err) => { throw memberError(err); });
    return (await withMembers(ctx, [row]))[0]!;
  },
  async findByReference(ctx: Ctx, reference: string): Promise<Tenancy[]> {
    return records.find(ctx, ilike(tenancies.reference, escapeLike(reference.trim())), 20);
  },
  async countCurrent(ctx: Ctx): Promise<number> {
    return records.count(ctx, sql`${tenancies.endDate} is null or ${tenancies.endDate} >= current_date`);
  },
  /** Tenancies a person is a member of, newest first, with that person's role. */
  async forPeople(ctx: Ctx, personIds: string[]): Promise<TenancyWithMembers[]> {
    if (!personIds.length) return [];
    const links = await ctx.tx.selectDistinct({ tenancyId: tenancyMembers.tenancyId }).from(tenancyMembers)
      .where(and(eq(tenancyMembers.organisationId, ctx.actor.organisationId), inArray(tenancyMembers.personId, personIds)));
    const rows = await records.getMany(ctx, links.map((l) => l.tenancyId));
    rows.sort((a, b) => b.startDate.localeCompare(a.startDate));
    return withMembers(ctx, rows.map((r) => ({ ...r, sourceReferences: [] })));
  },
  /**
   * Who lives in each of these homes today: the members of the home's current tenancies whose own membership is
   * current (people, by id). Homes with nobody are absent.
   */
  async residentsOfHomes(ctx: Ctx, homeIds: readonly string[]): Promise<Map<string, string[]>> {
    if (!can(ctx.actor.role, records.rules.read)) throw forbidden();
    const out = new Map<string, string[]>();
    if (!homeIds.length) return out;
    const rows = await ctx.tx.execute(sql`select t.home_id, json_agg(distinct m.person_id) as people
      from ${wanted(homeIds, 'uuid')} join tenancies t on t.organisation_id = ${ctx.actor.organisationId} and t.home_id = want.v
      join tenancy_members m on m.organisation_id = t.organisation_id and m.tenancy_id = t.id
      where t.start_date <= current_date and (t.end_date is null or t.end_date >= current_date)
        and (m.start_date is null or m.start_date <= current_date) and (m.end_date is null or m.end_date >= current_date)
      group by t.home_id`);
    for (const r of rows.rows as { home_id: string; people: string[] }[]) out.set(r.home_id, r.people);
    return out;
  },
  /** The home of each of these tenancies, by tenancy id; unknown ids are absent. */
  async homesOf(ctx: Ctx, tenancyIds: readonly string[]): Promise<Map<string, string>> {
    if (!tenancyIds.length) return new Map();
    const rows = await records.find(ctx, sql`${tenancies.id} = any(${sql.param([...tenancyIds])}::uuid[])`, tenancyIds.length);
    return new Map(rows.map((t) => [t.id, t.homeId]));
  },
  async forHome(ctx: Ctx, homeId: string): Promise<TenancyWithMembers[]> {
    const rows = await records.find(ctx, eq(tenancies.homeId, homeId));
    rows.sort((a, b) => b.startDate.localeCompare(a.startDate));
    return withMembers(ctx, rows.map((r) => ({ ...r, sourceReferences: [] })));
  },
};

/**
 * SQL: the tenancies a person is a member of, newest first, as API JSON with the person's role and the home
 * (whose JSON the homes module supplies), for views composed into one statement. `personIds`: one person's id, or a
 * SELECT of the ids of the records linked as one person (a tenancy two of them belong to is listed once, with the
 * senior role).
 */
export function tenanciesOfPersonJsonSql(organisationId: SQL, personIds: SQL, homeJson: (homeId: SQL) => SQL): SQL {
  return sql`(select coalesce(json_agg(${jsonObjectOf(tenancies, 't', ['id', 'reference', 'tenancyType', 'tenure', 'startDate', 'endDate'],
    { role: sql`m.role`, home: homeJson(aliased(tenancies, 't', 'homeId')) })}
    order by t.start_date desc), '[]'::json)
    from (select distinct on (m.tenancy_id) m.tenancy_id, m.role from tenancy_members m
      where m.organisation_id = ${organisationId} and m.person_id in (${personIds})
      order by m.tenancy_id, array_position(array['lead', 'joint', 'household-member'], m.role)) m
    join tenancies t on t.organisation_id = ${organisationId} and t.id = m.tenancy_id)`;
}

function memberError(err: unknown) {
  const e = (err as { cause?: { code?: string } }).cause ?? (err as { code?: string });
  if (e?.code === '23503') return invalid('/members', 'names a person who does not exist');
  return err;
}

/**
 * The tenure of each of these homes (by home id): that of its current tenancy, else its latest one (a home between
 * lets keeps the tenure it was last let on). Homes never let are absent. Codes only: no tenancy, no person.
 */
export async function tenuresOfHomes(ctx: Ctx, homeIds: readonly string[], today: string): Promise<Map<string, string>> {
  if (!can(ctx.actor.role, records.rules.read)) throw forbidden();
  const out = new Map<string, string>();
  if (!homeIds.length) return out;
  const rows = await ctx.tx.execute(sql`select distinct on (t.home_id) t.home_id, t.tenure from tenancies t
    where t.organisation_id = ${ctx.actor.organisationId} and t.home_id = any(${sql.param([...homeIds])}::uuid[])
    order by t.home_id, (t.start_date <= ${today}::date and (t.end_date is null or t.end_date >= ${today}::date)) desc, t.start_date desc, t.id desc`);
  for (const r of rows.rows as { home_id: string; tenure: string }[]) out.set(r.home_id, r.tenure);
  return out;
}
