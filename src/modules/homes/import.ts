// Loading homes from files (with the blocks and estates they name), and finding the home a row from another file
// names — by property reference, UPRN or exact address — for the modules that link to homes.
import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { inList, wanted, type Db } from '../../platform/db/store.ts';
import { bulkUpsert, type BulkColumn } from '../../platform/records/bulk.ts';
import { translateCode, unknownCode, type Fields, type KindLoader, type LoadContext, type LoadResult, type LoadRow, type RowProblem } from '../../platform/records/load.ts';
import { PROPERTY_TYPES } from './codes.ts';
import { homeSearchText } from './service.ts';

const PROPERTY_TYPE_SYNONYMS: Record<string, string[]> = {
  house: ['h', 'hse', 'terraced house', 'semi detached house', 'detached house', 'end terrace', 'mid terrace', 'terrace', 'semi detached', 'detached', 'town house', 'townhouse', 'cottage'],
  flat: ['f', 'flt', 'apartment', 'apt', 'flat purpose built', 'purpose built flat', 'converted flat', 'studio flat', 'studio', 'flat in block', 'tower block flat'],
  maisonette: ['m', 'mais', 'maison', 'duplex'],
  bungalow: ['b', 'bung', 'bungalo', 'semi detached bungalow', 'detached bungalow'],
  bedsit: ['bedsitter', 'bed sit', 'bedsitting room'],
  room: ['room', 'shared room', 'hmo room', 'room in shared house', 'room in hmo', 'hostel room'],
  other: ['other', 'misc', 'miscellaneous'],
};

/** Home columns and the fields they come from. */
const HOME_COLUMNS: (BulkColumn & { from: string })[] = [
  { column: 'uprn', type: 'text', field: 'uprn', from: 'uprn' },
  { column: 'reference', type: 'text', field: 'reference', from: 'reference' },
  { column: 'sub_building', type: 'text', field: 'subBuilding', from: 'subBuilding' },
  { column: 'building_name', type: 'text', field: 'buildingName', from: 'buildingName' },
  { column: 'building_number', type: 'text', field: 'buildingNumber', from: 'buildingNumber' },
  { column: 'street', type: 'text', field: 'street', from: 'street' },
  { column: 'locality', type: 'text', field: 'locality', from: 'locality' },
  { column: 'town', type: 'text', field: 'town', from: 'town' },
  { column: 'postcode', type: 'text', field: 'postcode', from: 'postcode' },
  { column: 'property_type', type: 'text', field: 'propertyType', from: 'propertyType' },
  { column: 'bedrooms', type: 'integer', field: 'bedrooms', from: 'bedrooms' },
  { column: 'floor', type: 'integer', field: 'floor', from: 'floor' },
  { column: 'block_id', type: 'uuid', field: 'blockId', from: 'blockName' },
  { column: 'estate_id', type: 'uuid', field: 'estateId', from: 'estateName' },
];
const ADDRESS_FIELDS = ['subBuilding', 'buildingName', 'buildingNumber', 'street', 'locality', 'town'] as const;
const LINE_FIELDS = ['addressLine1', 'addressLine2', 'addressLine3', 'addressLine4'] as const;

const SUB_BUILDING = /^(flat|apartment|apt|unit|room|maisonette|studio|suite)\b\.?\s*\S+/i;
const NUMBERED = /^(\d+[a-z]?(?:\s*-\s*\d+[a-z]?)?)\s*,?\s+(\D.*)$/i;

/**
 * Structured address fields from "address line" columns, where a file has only those: "Flat 12" is the flat, "3 High
 * Street" the number and street, a line before the street with no number the building name, lines after it the
 * locality and town. Structured columns the file does have always win.
 */
export function addressFromLines(fields: Fields): Partial<Record<(typeof ADDRESS_FIELDS)[number], string>> {
  const out: Partial<Record<(typeof ADDRESS_FIELDS)[number], string>> = {};
  const parts = LINE_FIELDS.flatMap((f) => (typeof fields[f] === 'string' ? String(fields[f]).split(/\s*,\s*/) : [])).map((s) => s.trim()).filter(Boolean);
  const after: string[] = [];
  for (const part of parts) {
    if (!out.street && !out.subBuilding && SUB_BUILDING.test(part)) out.subBuilding = part;
    else if (!out.street && NUMBERED.test(part)) {
      const [, number, street] = NUMBERED.exec(part)!;
      out.buildingNumber = number!.replace(/\s+/g, '');
      out.street = street!;
    } else if (!out.street && !out.buildingName) out.buildingName = part;
    else if (!out.street) out.street = part;
    else after.push(part);
  }
  if (after.length === 1) out.town = after[0]!;
  else if (after.length >= 2) { out.locality = after.slice(0, -1).join(', '); out.town = after.at(-1)!; }
  return out;
}

function withAddress(ctx: LoadContext, fields: Fields): Fields {
  if (!LINE_FIELDS.some((f) => ctx.mapped.has(f))) return fields;
  const parsed = addressFromLines(fields);
  const out = { ...fields };
  for (const f of ADDRESS_FIELDS) if (!ctx.mapped.has(f) && parsed[f] !== undefined) out[f] = parsed[f];
  return out;
}

/** Which address fields a load writes: the mapped ones, and those address lines fill. */
function addressMapped(ctx: LoadContext, field: string): boolean {
  return ctx.mapped.has(field) || ((ADDRESS_FIELDS as readonly string[]).includes(field) && LINE_FIELDS.some((f) => ctx.mapped.has(f)));
}

const nameKey = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

/** Find or create the estates and blocks a batch names (by name, any case), filling in building facts they lack. */
async function placesFor(tx: Db, ctx: LoadContext, rows: { fields: Fields; review: RowProblem[] }[]) {
  const estateIds = new Map<string, string>();
  const blockIds = new Map<string, string>();
  const estateNames = [...new Set(rows.map((r) => r.fields.estateName).filter((v): v is string => typeof v === 'string'))];
  const blockNames = [...new Set(rows.map((r) => r.fields.blockName).filter((v): v is string => typeof v === 'string'))];
  if (estateNames.length) {
    const found = await tx.execute(sql`select id, name from estates where organisation_id = ${ctx.organisationId}
      and lower(name) in ${inList(estateNames.map(nameKey))}`);
    for (const r of found.rows as { id: string; name: string }[]) estateIds.set(nameKey(r.name), r.id);
    for (const name of estateNames) {
      if (estateIds.has(nameKey(name))) continue;
      const id = uuidv7();
      await tx.execute(sql`insert into estates (organisation_id, id, name) values (${ctx.organisationId}, ${id}, ${name})`);
      await tx.execute(sql`insert into source_references (organisation_id, entity_kind, source_system, source_id, record_id, last_import_id)
        values (${ctx.organisationId}, 'estate', ${ctx.sourceSystem}, ${'estate:' + nameKey(name)}, ${id}, ${ctx.importId}) on conflict do nothing`);
      estateIds.set(nameKey(name), id);
    }
  }
  if (blockNames.length) {
    type BlockRow = { id: string; name: string; storeys: number | null; height_metres: string | null; year_built: number | null; estate_id: string | null };
    const found = await tx.execute(sql`select id, name, storeys, height_metres, year_built, estate_id from blocks
      where organisation_id = ${ctx.organisationId} and lower(name) in ${inList(blockNames.map(nameKey))}`);
    const blocks = new Map<string, BlockRow>();
    for (const r of found.rows as BlockRow[]) blocks.set(nameKey(r.name), r);
    for (const row of rows) {
      const name = row.fields.blockName;
      if (typeof name !== 'string') continue;
      const key = nameKey(name);
      const f = row.fields;
      const estateId = typeof f.estateName === 'string' ? estateIds.get(nameKey(f.estateName)) ?? null : null;
      const facts = { storeys: f.storeys ?? null, height: f.heightMetres ?? null, yearBuilt: f.yearBuilt ?? null };
      let block = blocks.get(key);
      if (!block) {
        block = { id: uuidv7(), name, storeys: facts.storeys as number | null, height_metres: facts.height === null ? null : String(facts.height),
          year_built: facts.yearBuilt as number | null, estate_id: estateId };
        await tx.execute(sql`insert into blocks (organisation_id, id, name, estate_id, street, town, postcode, storeys, height_metres, height_source, height_method, year_built)
          values (${ctx.organisationId}, ${block.id}, ${name}, ${estateId}, ${f.street ?? null}, ${f.town ?? null}, ${f.postcode ?? null}, ${facts.storeys},
          ${facts.height}, ${facts.height === null ? null : ctx.sourceSystem}, ${null}, ${facts.yearBuilt})`);
        await tx.execute(sql`insert into source_references (organisation_id, entity_kind, source_system, source_id, record_id, last_import_id)
          values (${ctx.organisationId}, 'block', ${ctx.sourceSystem}, ${'block:' + key}, ${block.id}, ${ctx.importId}) on conflict do nothing`);
        blocks.set(key, block);
      } else {
        // Building facts: filled in where the block has none; a different value is for review, never overwritten.
        const fill: string[] = [];
        const check = (field: string, column: keyof BlockRow, value: unknown, label: string) => {
          if (value === null || value === undefined) return;
          const had = block![column];
          if (had === null) { fill.push(column); (block as Record<string, unknown>)[column] = column === 'height_metres' ? String(value) : value; return; }
          if (Number(had) !== Number(value)) {
            row.review.push({ column: ctx.columnOf(field), value: String(value), rule: 'conflict-in-file',
              message: `${ctx.columnOf(field) ?? field}: block "${name}" already has ${label} ${had}; this row says ${value}. The block keeps ${had}; correct whichever is wrong` });
          }
        };
        check('storeys', 'storeys', facts.storeys, 'storeys');
        check('heightMetres', 'height_metres', facts.height, 'a height of');
        check('yearBuilt', 'year_built', facts.yearBuilt, 'year built');
        if (fill.length) {
          await tx.execute(sql`update blocks set storeys = ${block.storeys}, height_metres = ${block.height_metres},
            height_source = coalesce(height_source, case when ${block.height_metres}::numeric is null then null else ${ctx.sourceSystem} end),
            year_built = ${block.year_built}, version = version + 1, updated_at = now()
            where organisation_id = ${ctx.organisationId} and id = ${block.id}`);
        }
      }
      blockIds.set(key, block.id);
    }
  }
  return { estateIds, blockIds };
}

export const homesLoader: KindLoader = {
  key: (f) => (typeof f.reference === 'string' ? f.reference : null),
  required: ['reference'],
  async load(tx, ctx, rows) {
    const results: LoadResult[] = [];
    const prepared: { row: LoadRow; fields: Fields; review: RowProblem[] }[] = [];
    for (const row of rows) {
      const fields = withAddress(ctx, row.fields);
      const review: RowProblem[] = [];
      const problems: RowProblem[] = [];
      if (typeof fields.propertyType === 'string') {
        const code = translateCode(fields.propertyType, PROPERTY_TYPES, PROPERTY_TYPE_SYNONYMS, ctx.values.propertyType);
        if (code) fields.propertyType = code;
        else problems.push(unknownCode(ctx, 'propertyType', fields.propertyType, PROPERTY_TYPES));
      }
      for (const [field, min, max] of [['bedrooms', 0, 20], ['floor', -5, 100], ['storeys', 1, 150], ['heightMetres', 1, 500], ['yearBuilt', 1500, 2100]] as const) {
        const v = fields[field];
        if (typeof v === 'number' && (v < min || v > max)) {
          problems.push({ column: ctx.columnOf(field), value: String(v), rule: 'value-out-of-range', message: `${ctx.columnOf(field) ?? field}: ${v} is outside ${min}–${max}` });
        }
      }
      if (problems.length) { results.push({ outcome: 'rejected', problems }); continue; }
      const home = { fields, review, row };
      prepared.push(home);
      results.push({ outcome: 'unchanged', review });
    }
    const { estateIds, blockIds } = await placesFor(tx, ctx, prepared);
    // Property type is NOT NULL: a file that does not map it gives new homes the default ("other"), written only when
    // the home is created, so a later extract never puts the default back over a type set since.
    const columns = HOME_COLUMNS.filter((c) => (c.column === 'property_type' ? true : addressMapped(ctx, c.from)))
      .map((c) => (c.column === 'property_type' && !ctx.mapped.has('propertyType') ? { ...c, insertOnly: true } : c));
    const bulkRows = prepared.map(({ row, fields }) => {
      const values: Fields = { ...fields,
        propertyType: fields.propertyType ?? 'other',
        blockName: typeof fields.blockName === 'string' ? blockIds.get(nameKey(fields.blockName)) ?? null : null,
        estateName: typeof fields.estateName === 'string' ? estateIds.get(nameKey(fields.estateName)) ?? null : null };
      const searchText = homeSearchText({
        uprn: str(values.uprn), reference: str(values.reference), subBuilding: str(values.subBuilding), buildingName: str(values.buildingName),
        buildingNumber: str(values.buildingNumber), street: str(values.street), locality: str(values.locality), town: str(values.town), postcode: str(values.postcode),
      });
      return { row: row.row, sourceId: fields.reference as string, values: [...columns.map((c) => (values[c.from] ?? null) as string | number | null), searchText] };
    });
    const out = await bulkUpsert(tx, { organisationId: ctx.organisationId, sourceSystem: ctx.sourceSystem, importId: ctx.importId, rows: bulkRows,
      spec: { kind: 'home', table: 'homes', columns, derived: [{ column: 'search_text', type: 'text', field: 'searchText' }] } });
    let i = 0;
    for (const r of results) if (r.outcome !== 'rejected') r.outcome = out.outcomes[i++]!;
    return results;
  },
};

const str = (v: unknown) => (typeof v === 'string' ? v : v === null || v === undefined ? null : String(v));

// Finding homes ---------------------------------------------------------------------------------------------------

export interface HomeNamed {
  reference?: string | null;
  uprn?: string | null;
  /** Address fields as the row gives them (structured or lines). */
  address?: Fields;
}
export interface HomeMatch {
  homeId: string | null;
  how?: 'reference' | 'uprn' | 'address';
  /** When homeId is null and something was named: why it did not match. */
  reason?: string;
  /** What the row named, for review ("ref P123, UPRN 1000…, 3 High Street, LS6 1AA"). */
  named: string;
}

const ABBREVIATIONS: Record<string, string> = { st: 'street', rd: 'road', ave: 'avenue', av: 'avenue', ln: 'lane', cl: 'close', ct: 'court', cres: 'crescent',
  dr: 'drive', gdns: 'gardens', gr: 'grove', hse: 'house', pl: 'place', sq: 'square', ter: 'terrace', terr: 'terrace', apt: 'flat', apartment: 'flat', blk: 'block' };
/** An address's words for exact comparison: lower case, accents and punctuation gone, usual abbreviations spelt out. */
export function addressWords(parts: (string | null | undefined)[]): string[] {
  return parts.filter((p): p is string => typeof p === 'string' && p.trim() !== '').join(' ').normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ').trim().split(' ').filter(Boolean).map((w) => ABBREVIATIONS[w] ?? w);
}

function describeNamed(n: HomeNamed): string {
  const a = n.address ?? {};
  const address = [...ADDRESS_FIELDS.map((f) => a[f]), ...LINE_FIELDS.map((f) => a[f]), a.postcode].filter((v) => typeof v === 'string' && v).join(', ');
  return [n.reference ? `property reference ${n.reference}` : '', n.uprn ? `UPRN ${n.uprn}` : '', address].filter(Boolean).join('; ');
}

/** What a row of another kind (person, tenancy, repair, note) names its home by: reference, UPRN, address fields. */
export function homeNamed(f: Fields): HomeNamed {
  const address: Fields = {};
  for (const k of [...ADDRESS_FIELDS, 'postcode', ...LINE_FIELDS]) if (typeof f[k] === 'string' && f[k]) address[k] = f[k];
  const text = (v: unknown) => (typeof v === 'string' && v ? v : null);
  return { reference: text(f.homeReference), uprn: text(f.uprn), address };
}

/** The review problem for a row whose home matched nothing (the record still loads, without the link). */
export function homeNotMatched(ctx: LoadContext, named: string, reason: string | undefined): RowProblem {
  const column = ctx.columnOf('homeReference') ?? ctx.columnOf('uprn') ?? ctx.columnOf('postcode') ?? ctx.columnOf('addressLine1');
  return { column, value: named, rule: 'home-not-matched', message: `The home (${named}) was not matched${reason ? `: ${reason}` : ''}; nothing was attached to a guess. Load the homes first, or correct the reference` };
}

/**
 * The home each row names: by the landlord's property reference, else UPRN, else the exact address within its
 * postcode (the same words, once abbreviations are spelt out; building number and flat must agree). Nothing is
 * matched on a guess: no candidate, or more than one, is no match, with the reason.
 */
export async function matchHomes(tx: Db, organisationId: string, named: HomeNamed[]): Promise<HomeMatch[]> {
  const refs = [...new Set(named.map((n) => n.reference).filter((v): v is string => !!v))];
  const uprns = [...new Set(named.map((n) => n.uprn).filter((v): v is string => !!v))];
  const postcodes = [...new Set(named.map((n) => (typeof n.address?.postcode === 'string' ? n.address.postcode : null)).filter((v): v is string => !!v))];
  const byRef = new Map<string, string[]>();
  const byUprn = new Map<string, string[]>();
  const byPostcode = new Map<string, { id: string; words: string[]; number: string | null; sub: string[] }[]>();
  if (refs.length) {
    for (const r of (await tx.execute(sql`select h.id, h.reference from ${wanted(refs)} cross join lateral (select id, reference from homes where organisation_id = ${organisationId} and reference = want.v offset 0) h`)).rows as { id: string; reference: string }[]) {
      byRef.set(r.reference, [...(byRef.get(r.reference) ?? []), r.id]);
    }
  }
  if (uprns.length) {
    for (const r of (await tx.execute(sql`select h.id, h.uprn from ${wanted(uprns)} cross join lateral (select id, uprn from homes where organisation_id = ${organisationId} and uprn = want.v offset 0) h`)).rows as { id: string; uprn: string }[]) {
      byUprn.set(r.uprn, [...(byUprn.get(r.uprn) ?? []), r.id]);
    }
  }
  if (postcodes.length) {
    const rows = (await tx.execute(sql`select h.* from ${wanted(postcodes)} cross join lateral (select id, postcode, sub_building, building_name, building_number, street from homes
      where organisation_id = ${organisationId} and postcode = want.v offset 0) h`)).rows as { id: string; postcode: string; sub_building: string | null; building_name: string | null; building_number: string | null; street: string | null }[];
    for (const h of rows) {
      const list = byPostcode.get(h.postcode) ?? [];
      list.push({ id: h.id, words: addressWords([h.sub_building, h.building_name, h.building_number, h.street]), number: h.building_number?.toLowerCase().replace(/\s+/g, '') ?? null, sub: addressWords([h.sub_building]) });
      byPostcode.set(h.postcode, list);
    }
  }
  return named.map((n) => {
    const label = describeNamed(n);
    const one = (ids: string[] | undefined, how: HomeMatch['how'], what: string): HomeMatch | undefined => {
      if (!ids?.length) return undefined;
      if (ids.length > 1) return { homeId: null, named: label, reason: `${ids.length} homes have ${what}` };
      return { homeId: ids[0]!, how, named: label };
    };
    if (n.reference) { const m = one(byRef.get(n.reference), 'reference', `property reference ${n.reference}`); if (m) return m; }
    if (n.uprn) { const m = one(byUprn.get(n.uprn), 'uprn', `UPRN ${n.uprn}`); if (m) return m; }
    const a = n.address;
    const pc = typeof a?.postcode === 'string' ? a.postcode : null;
    if (a && pc) {
      const structured = ADDRESS_FIELDS.slice(0, 4).some((f) => typeof a[f] === 'string' && a[f]);
      const parts = structured ? { subBuilding: a.subBuilding, buildingName: a.buildingName, buildingNumber: a.buildingNumber, street: a.street } as Fields : addressFromLines(a);
      const words = new Set(addressWords([parts.subBuilding as string, parts.buildingName as string, parts.buildingNumber as string, parts.street as string]));
      const sub = addressWords([parts.subBuilding as string]);
      const number = typeof parts.buildingNumber === 'string' ? parts.buildingNumber.toLowerCase().replace(/\s+/g, '') : null;
      const candidates = (byPostcode.get(pc) ?? []).filter((h) => h.words.length > 0 && h.words.every((w) => words.has(w)) && h.words.length === words.size
        && (h.number ?? null) === (number ?? null) && h.sub.join(' ') === sub.join(' '));
      if (candidates.length === 1) return { homeId: candidates[0]!.id, how: 'address', named: label };
      if (candidates.length > 1) return { homeId: null, named: label, reason: `${candidates.length} homes in ${pc} have this address` };
      return { homeId: null, named: label, reason: byPostcode.has(pc) ? `no home in ${pc} has exactly this address` : `no known home is in ${pc}` };
    }
    if (!label) return { homeId: null, named: '' };
    return { homeId: null, named: label, reason: n.reference || n.uprn ? 'no home has this property reference or UPRN' : 'the address has no postcode to match it within' };
  });
}
