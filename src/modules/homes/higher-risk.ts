// The building facts the higher-risk buildings register needs, read from this module's own tables in one statement:
// each block with its height, storeys, units, year built, address and the homes Hearth holds in it.
import { sql } from 'drizzle-orm';
import { can } from '../../platform/auth/roles.ts';
import { forbidden } from '../../platform/http/problem.ts';
import type { Ctx } from '../../platform/records/context.ts';

export interface BlockFacts {
  id: string;
  /** The landlord's own block reference. */
  reference: string | null;
  name: string;
  estateName: string | null;
  storeys: number | null;
  heightMetres: number | null;
  heightMethod: string | null;
  residentialUnits: number | null;
  yearBuilt: number | null;
  buildingNumber: string | null;
  street: string | null;
  town: string | null;
  postcode: string | null;
  /** Homes Hearth holds in the block. */
  homes: number;
  homeIds: string[];
}

/** Every block of the organisation, or only the one named. */
export async function blockFacts(ctx: Ctx, blockId?: string): Promise<BlockFacts[]> {
  if (!can(ctx.actor.role, 'records:read')) throw forbidden();
  // The estate's name by a subquery, not an outer join: on Citus over PostgreSQL 15 and 16 a query with an outer join
  // and subqueries cannot be planned under row-level security (docs/scaling.md).
  const rows = await ctx.tx.execute(sql`select b.id, b.reference, b.name, b.storeys, b.height_metres, b.height_method, b.residential_units,
      b.year_built, b.building_number, b.street, b.town, b.postcode,
      (select e.name from estates e where e.organisation_id = ${ctx.actor.organisationId} and e.id = b.estate_id) as estate_name,
      (select coalesce(json_agg(h.id), '[]'::json) from homes h where h.organisation_id = ${ctx.actor.organisationId} and h.block_id = b.id) as home_ids
    from blocks b
    where b.organisation_id = ${ctx.actor.organisationId}${blockId === undefined ? sql`` : sql` and b.id = ${blockId}`} order by b.name, b.id`);
  return (rows.rows as Record<string, unknown>[]).map((r) => ({
    id: r.id as string, reference: (r.reference as string | null) ?? null, name: r.name as string, estateName: (r.estate_name as string | null) ?? null,
    storeys: r.storeys === null ? null : Number(r.storeys), heightMetres: r.height_metres === null ? null : Number(r.height_metres),
    heightMethod: (r.height_method as string | null) ?? null, residentialUnits: r.residential_units === null ? null : Number(r.residential_units),
    yearBuilt: r.year_built === null ? null : Number(r.year_built), buildingNumber: (r.building_number as string | null) ?? null,
    street: (r.street as string | null) ?? null, town: (r.town as string | null) ?? null, postcode: (r.postcode as string | null) ?? null,
    homes: (r.home_ids as string[]).length, homeIds: r.home_ids as string[],
  }));
}
