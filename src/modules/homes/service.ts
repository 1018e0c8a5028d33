// Estates, blocks and homes: the landlord's stock. Other modules call this service, never these tables.
import { and, eq, or, sql, ilike, type SQL } from 'drizzle-orm';
import { isValid as isPostcode } from 'postcode';
import type { Ctx } from '../../platform/records/context.ts';
import { escapeLike } from '../../platform/db/like.ts';
import { aliased, jsonObjectOf, selectListOf, type Property } from '../../platform/db/table-fields.ts';
import { toNormalised } from 'postcode';
import { defineRecords, type ListQuery } from '../../platform/records/service.ts';
import { wanted } from '../../platform/db/store.ts';
import { can } from '../../platform/auth/roles.ts';
import { forbidden } from '../../platform/http/problem.ts';
import { estates, blocks, homes } from './schema.ts';

export type Estate = typeof estates.$inferSelect;
export type Block = typeof blocks.$inferSelect;
export type Home = typeof homes.$inferSelect;

/** Upper case with one space ("sw1a1aa" → "SW1A 1AA"); left as given if not a postcode (validation reports it). */
export function normalisePostcode(value: string | null | undefined): string | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const compact = value.replace(/\s+/g, '');
  return toNormalised(compact) ?? value.trim().toUpperCase();
}

export function formatAddress(a: { subBuilding?: string | null; buildingName?: string | null; buildingNumber?: string | null; street?: string | null; locality?: string | null; town?: string | null; postcode?: string | null; addressLines?: readonly string[] | null; lines?: readonly string[] | null }): string {
  // A person's address keeps its lines as `lines`; a home's as `addressLines`.
  const recorded = a.addressLines ?? a.lines;
  const line1 = [a.subBuilding, a.buildingName].filter(Boolean).join(', ');
  const line2 = [a.buildingNumber, a.street].filter(Boolean).join(' ');
  // A home known only by the lines its source recorded (nothing parsed from them): the lines as written.
  if (!line1 && !line2 && recorded?.length) {
    const lines = recorded.map((l) => l.trim()).filter(Boolean).join(', ');
    const postcodeIn = a.postcode && lines.replace(/\s/g, '').toUpperCase().includes(a.postcode.replace(/\s/g, ''));
    return [lines, postcodeIn ? null : a.postcode].filter(Boolean).join(', ');
  }
  return [line1, line2, a.locality, a.town, a.postcode].filter((p) => p && String(p).trim()).join(', ');
}

/** Lower-case address words, UPRN and reference: what staff type into search. */
export function homeSearchText(h: Partial<Home>): string {
  return [formatAddress(h), h.uprn, h.reference, h.postcode?.replace(/\s/g, '')].filter(Boolean).join(' ').toLowerCase();
}

const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

export const estateRecords = defineRecords<Estate>({
  kind: 'estate', label: 'estate', table: estates, read: 'records:read', write: 'records:write', auditValues: true,
  filters: (q: ListQuery) => [str(q.name) ? ilike(estates.name, `%${escapeLike(str(q.name)!)}%`) : undefined],
});

export const blockRecords = defineRecords<Block>({
  kind: 'block', label: 'block', table: blocks, read: 'records:read', write: 'records:write', auditValues: true,
  filters: (q: ListQuery) => [
    str(q.estateId) ? eq(blocks.estateId, str(q.estateId)!) : undefined,
    str(q.name) ? ilike(blocks.name, `%${escapeLike(str(q.name)!)}%`) : undefined,
    typeof q.minStoreys === 'number' ? sql`${blocks.storeys} >= ${q.minStoreys}` : undefined,
  ],
  prepare: (v) => ('postcode' in v ? { postcode: normalisePostcode(v.postcode) } : {}),
});

export const homeRecords = defineRecords<Home>({
  kind: 'home', label: 'home', table: homes, read: 'records:read', write: 'records:write', auditValues: true,
  filters: (q: ListQuery) => [
    str(q.uprn) ? eq(homes.uprn, str(q.uprn)!) : undefined,
    str(q.reference) ? eq(homes.reference, str(q.reference)!) : undefined,
    str(q.postcode) ? eq(homes.postcode, normalisePostcode(str(q.postcode))!) : undefined,
    str(q.blockId) ? eq(homes.blockId, str(q.blockId)!) : undefined,
    str(q.estateId) ? eq(homes.estateId, str(q.estateId)!) : undefined,
    str(q.propertyType) ? eq(homes.propertyType, str(q.propertyType)!) : undefined,
  ],
  prepare: (v) => {
    const postcode = 'postcode' in v ? normalisePostcode(v.postcode) : undefined;
    const merged = postcode === undefined ? v : { ...v, postcode };
    return { ...(postcode !== undefined ? { postcode } : {}), searchText: homeSearchText(merged) };
  },
});

/** The homes of a block (for the block's page). */
export const homesOfBlock = (ctx: Ctx, blockId: string): Promise<Home[]> => homeRecords.find(ctx, eq(homes.blockId, blockId));

/** Homes by UPRN, reference, postcode or words of the address. */
/** Homes matching what staff typed (a postcode, a UPRN or reference, address words); only these homes when `within` is given (a patch). */
export async function searchHomes(ctx: Ctx, term: string, limit = 20, within: readonly string[] | null = null): Promise<Home[]> {
  const t = term.trim();
  if (!t) return [];
  let where;
  if (isPostcode(t)) where = eq(homes.postcode, normalisePostcode(t)!);
  else if (/^\d{1,12}$/.test(t)) where = or(eq(homes.uprn, t), eq(homes.reference, t));
  else {
    const words = t.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 6);
    where = or(ilike(homes.reference, escapeLike(t)), and(...words.map((w) => sql`${homes.searchText} like ${'%' + escapeLike(w) + '%'}`)));
  }
  const inside = within ? sql`${homes.id} = any(${sql.param([...within])}::uuid[])` : undefined;
  return homeRecords.find(ctx, inside ? and(where!, inside)! : where!, limit);
}

export interface HomePlace {
  id: string;
  /** The address on one line (formatAddress). */
  address: string;
  postcode: string | null;
  /** The landlord's own property reference. */
  reference: string | null;
  /** The home's estate, else its block's; null when on none. */
  estateId: string | null;
  estateName: string | null;
}

/** A home's address parts (BS 7666), by property. */
const ADDRESS_PARTS = ['subBuilding', 'buildingName', 'buildingNumber', 'street', 'locality', 'town', 'postcode'] as const satisfies readonly Property<typeof homes>[];

/** The address and estate of each of these homes, for composed views (registers); any number of homes, one statement. */
export async function homePlaces(ctx: Ctx, homeIds: readonly string[]): Promise<Map<string, HomePlace>> {
  if (!can(ctx.actor.role, homeRecords.rules.read)) throw forbidden();
  const out = new Map<string, HomePlace>();
  if (!homeIds.length) return out;
  const rows = await ctx.tx.execute(sql`select ${selectListOf(homes, 'h', ['id', 'reference', ...ADDRESS_PARTS, 'addressLines'])},
      e.id as estate_id, e.name as estate_name
    from ${wanted(homeIds, 'uuid')} join homes h on h.organisation_id = ${ctx.actor.organisationId} and h.id = want.v
    left join blocks b on b.organisation_id = h.organisation_id and b.id = h.block_id
    left join estates e on e.organisation_id = h.organisation_id and e.id = coalesce(h.estate_id, b.estate_id)`);
  type Row = Pick<typeof homes.$inferSelect, 'id' | 'reference' | (typeof ADDRESS_PARTS)[number] | 'addressLines'> & { estate_id: string | null; estate_name: string | null };
  for (const r of rows.rows as Row[]) {
    out.set(r.id, {
      id: r.id, postcode: r.postcode ?? null, reference: r.reference ?? null, estateId: r.estate_id ?? null, estateName: r.estate_name ?? null,
      address: formatAddress(r),
    });
  }
  return out;
}

/** A home's address summary in composed views, by property (the columns come from the homes table). */
const HOME_SUMMARY_JSON = ['id', 'uprn', 'reference', 'subBuilding', 'buildingName', 'buildingNumber', 'street', 'town', 'postcode',
  'blockId'] as const satisfies readonly Property<typeof homes>[];

/** SQL: the home with this id as API JSON (address summary), for views composed into one statement. */
export function homeJsonSql(organisationId: SQL, homeId: SQL): SQL {
  return sql`(select ${jsonObjectOf(homes, 'h', HOME_SUMMARY_JSON)}
    from homes h where h.organisation_id = ${organisationId} and h.id = ${homeId})`;
}

/** SQL: the home's UPRN, postcode and address words (no postcode or town, lower case) as JSON, for record linkage. */
export function homeLinkFieldsSql(organisationId: SQL, homeId: SQL): SQL {
  const h = (p: Property<typeof homes>) => aliased(homes, 'h', p);
  return sql`(select ${jsonObjectOf(homes, 'h', ['uprn', 'postcode'],
    { address: sql`lower(concat_ws(' ', ${h('subBuilding')}, ${h('buildingName')}, ${h('buildingNumber')}, ${h('street')}))` })}
    from homes h where h.organisation_id = ${organisationId} and h.id = ${homeId})`;
}

/** The ids of the homes on these estates (a patch's homes). */
export async function homeIdsOnEstates(ctx: Ctx, estateIds: readonly string[]): Promise<string[]> {
  if (!estateIds.length) return [];
  const rows = await ctx.tx.select({ id: homes.id }).from(homes)
    .where(and(eq(homes.organisationId, ctx.actor.organisationId), sql`${homes.estateId} = any(${sql.param([...estateIds])}::uuid[])`));
  return rows.map((r) => r.id);
}
