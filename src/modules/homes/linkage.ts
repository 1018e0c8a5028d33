// What record linkage needs from the homes table: each home row as (id, source system, UPRN, postcode, normalised
// address words), for the whole organisation or for the homes near some others. The linkage module calls these; it
// never reads `homes` itself.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/store.ts';
import type { Ctx } from '../../platform/records/context.ts';
import { can } from '../../platform/auth/roles.ts';
import { forbidden } from '../../platform/http/problem.ts';
import { addressWords } from './import.ts';

/** Reading homes for linkage is reading the organisation's records: the actor must be allowed to. */
function readable(ctx: Ctx): { tx: Db; organisationId: string } {
  if (!can(ctx.actor.role, 'records:read')) throw forbidden();
  return { tx: ctx.tx, organisationId: ctx.actor.organisationId };
}

export interface HomeForLinkage {
  id: string;
  /** The source system of its most recently seen source reference ('hearth' when made in Hearth). */
  sourceSystem: string;
  /** The source system's identifier for it (the property reference), or the home's own reference. */
  sourceId: string;
  uprn: string | null;
  postcode: string | null;
  /** The address without locality, town or postcode, as normalised words (homes/import.ts addressWords). */
  words: string[];
}

interface Row {
  id: string; uprn: string | null; postcode: string | null; reference: string | null; sub_building: string | null; building_name: string | null;
  building_number: string | null; street: string | null; source_system: string | null; source_id: string | null;
}

async function read(tx: Db, organisationId: string, where: SQL): Promise<HomeForLinkage[]> {
  const rows = await tx.execute(sql`select h.id, h.uprn, h.postcode, h.reference, h.sub_building, h.building_name, h.building_number, h.street,
      sr.source_system, sr.source_id
    from homes h
    left join lateral (select s.source_system, s.source_id from source_references s
      where s.organisation_id = ${organisationId} and s.entity_kind = 'home' and s.record_id = h.id
      order by s.last_seen_at desc, s.source_system limit 1) sr on true
    where h.organisation_id = ${organisationId} and ${where} order by h.id`);
  return (rows.rows as unknown as Row[]).map((r) => ({
    id: r.id, sourceSystem: r.source_system ?? 'hearth', sourceId: r.source_id ?? r.reference ?? r.id,
    uprn: r.uprn?.trim() || null, postcode: r.postcode?.trim().toUpperCase() || null,
    words: addressWords([r.sub_building, r.building_name, r.building_number, r.street]),
  }));
}

/** Every home of the organisation, for a whole linkage run. */
export function homesForLinkage(ctx: Ctx): Promise<HomeForLinkage[]> {
  const { tx, organisationId } = readable(ctx);
  return read(tx, organisationId, sql`true`);
}

/** The homes with these ids, or sharing a UPRN or a postcode with them: everything that could link with them. */
export function homesNear(ctx: Ctx, near: { ids?: string[]; uprns?: string[]; postcodes?: string[] }): Promise<HomeForLinkage[]> {
  const { tx, organisationId } = readable(ctx);
  const ids = near.ids ?? [], uprns = near.uprns ?? [], postcodes = near.postcodes ?? [];
  return read(tx, organisationId, sql`(h.id = any(${sql.param(ids)}::uuid[]) or h.uprn = any(${sql.param(uprns)}::text[])
    or h.postcode = any(${sql.param(postcodes)}::text[]))`);
}

/** SQL: the number of the organisation's homes. */
export function homeCountSql(organisationId: SQL): SQL {
  return sql`(select count(*)::int from homes where organisation_id = ${organisationId})`;
}

/**
 * Whether every home of the organisation comes from one source system (homes made in Hearth, with no source
 * reference, count as the system 'hearth'). Then homes are linked by UPRN alone (the address rule links only across
 * systems), which linkHomesByUprnSql does in the database without reading every home into memory.
 */
export async function homesFromOneSystem(ctx: Ctx): Promise<boolean> {
  const { tx, organisationId } = readable(ctx);
  // Counts, not an anti-join: straight after a bulk load the tables have no statistics yet, and a join planned for
  // tiny tables would compare every home with every reference.
  const [row] = (await tx.execute(sql`select s.systems, s.referenced, (select count(*)::int from homes h where h.organisation_id = ${organisationId}) as homes
    from (select count(distinct source_system)::int as systems, count(distinct record_id)::int as referenced from source_references
      where organisation_id = ${organisationId} and entity_kind = 'home') s`)).rows as { systems: number; referenced: number; homes: number }[];
  return row!.systems + (row!.homes > row!.referenced ? 1 : 0) <= 1;
}

/**
 * SQL: (home_id, cluster_id, how) for every home of the organisation by the UPRN rule alone, as clusterHomes (linkage)
 * gives it for homes of one source system: homes sharing a (trimmed) UPRN are one cluster named by its smallest id
 * ('uprn'), every other home is alone. For the linkage module to store; only valid when homesFromOneSystem.
 */
export function homesByUprnSql(organisationId: string): SQL {
  // The organisation is a column and leads the window's partition, so on Citus an INSERT … SELECT of this runs on the
  // landlord's shard (docs/scaling.md).
  return sql`select g.organisation_id, g.id as home_id, first_value(g.id) over w as cluster_id,
      case when count(*) over w > 1 then 'uprn' else 'alone' end as how
    from (select h.organisation_id, h.id, coalesce(nullif(trim(h.uprn), ''), h.id::text) as k from homes h where h.organisation_id = ${organisationId}) g
    window w as (partition by g.organisation_id, g.k order by g.id rows between unbounded preceding and unbounded following)`;
}
