// Loading homes from files (with the blocks and estates they name), and finding the home a row from another file
// names — by property reference, UPRN or exact address — for the modules that link to homes.
import { getTableName, sql, type SQL } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { inList, wanted, type Db } from '../../platform/db/store.ts';
import { bulkColumn, bulkColumns, bulkUpsert } from '../../platform/records/bulk.ts';
import { recordsWritten } from '../../platform/records/events.ts';
import type { WrittenRecord } from '../../platform/events/outbox.ts';
import { keptColumns, translateCode, unknownCode, type Fields, type KindLoader, type LoadContext, type LoadResult, type LoadRow, type RowProblem } from '../../platform/records/load.ts';
import { PROPERTY_TYPES } from './codes.ts';
import { homeSearchText } from './service.ts';
import { parseAddressLines, expandStreet, LINE_FIELDS, addressLinesOf } from './address-lines.ts';
import type { Ctx } from '../../platform/records/context.ts';
import { can } from '../../platform/auth/roles.ts';
import { forbidden } from '../../platform/http/problem.ts';

/** Matching rows to homes reads the organisation's homes: the actor must be allowed to read records. */
function readable(ctx: Ctx): { tx: Db; organisationId: string } {
  if (!can(ctx.actor.role, 'records:read')) throw forbidden();
  return { tx: ctx.tx, organisationId: ctx.actor.organisationId };
}
import { blocks as blocksTable, estates as estatesTable, homes } from './schema.ts';

const PROPERTY_TYPE_SYNONYMS: Record<string, string[]> = {
  house: ['h', 'hse', 'terraced house', 'semi detached house', 'detached house', 'end terrace', 'mid terrace', 'terrace', 'semi detached', 'detached', 'town house', 'townhouse', 'cottage'],
  flat: ['f', 'flt', 'apartment', 'apt', 'flat purpose built', 'purpose built flat', 'converted flat', 'studio flat', 'studio', 'flat in block', 'tower block flat'],
  maisonette: ['m', 'mais', 'maison', 'duplex'],
  bungalow: ['b', 'bung', 'bungalo', 'semi detached bungalow', 'detached bungalow'],
  bedsit: ['bedsitter', 'bed sit', 'bedsitting room'],
  room: ['room', 'shared room', 'hmo room', 'room in shared house', 'room in hmo', 'hostel room'],
  other: ['other', 'misc', 'miscellaneous'],
};

/**
 * Home columns (names and types from the homes table, schema.ts), each filled from the file field of its name, except
 * the block and the estate: from the block and estate the row names.
 */
const HOME_COLUMNS = bulkColumns(homes, ['uprn', 'reference', 'subBuilding', 'buildingName', 'buildingNumber', 'street', 'locality', 'town',
  'postcode', 'addressLines', 'propertyType', 'bedrooms', 'floor', 'latitude', 'longitude', 'blockId', 'estateId'], { blockId: { from: 'blockName' }, estateId: { from: 'estateName' } });
const HOME_SEARCH_TEXT = [bulkColumn(homes, 'searchText')];
const ADDRESS_FIELDS = ['subBuilding', 'buildingName', 'buildingNumber', 'street', 'locality', 'town'] as const;

/**
 * The BS 7666 parts a row's address lines (or one address field) hold, parsed (address-lines.ts): filled in where the
 * file does not map the part itself (a mapped part always wins), the postcode too when the file has no postcode column.
 * The lines themselves are kept as written (homes.address_lines).
 */
export function addressFromLines(fields: Fields, given: ReadonlySet<string> = new Set()): Fields {
  const lines = addressLinesOf(fields);
  if (!lines.length) return {};
  const parsed = parseAddressLines(lines, typeof fields.postcode === 'string' ? fields.postcode : null);
  const out: Fields = {};
  for (const f of [...ADDRESS_FIELDS, 'postcode'] as const) if (!given.has(f) && parsed[f] !== null) out[f] = parsed[f];
  return out;
}

const linesMapped = (ctx: LoadContext) => LINE_FIELDS.some((f) => ctx.mapped.has(f));

function withAddress(ctx: LoadContext, fields: Fields): Fields {
  if (!linesMapped(ctx)) return fields;
  const lines = addressLinesOf(fields);
  // A part the row gives wins over the parsed one; a mapped column left blank on this row gives nothing (the postcode
  // written in the lines is kept when the Postcode column is empty).
  const given = new Set([...ctx.mapped].filter((f) => fields[f] !== null && fields[f] !== undefined && fields[f] !== ''));
  return { ...fields, ...addressFromLines(fields, given), addressLines: lines.length ? JSON.stringify(lines) : null };
}

/** Which address fields a load writes: the mapped ones, and those address lines fill (with the lines themselves). */
function addressMapped(ctx: LoadContext, field: string): boolean {
  return ctx.mapped.has(field) || ([...ADDRESS_FIELDS, 'postcode', 'addressLines'] as string[]).includes(field) && linesMapped(ctx);
}

const nameKey = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
const textOf = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);

/**
 * Which estate a row names: by the source's estate reference where the file has one, else by name (any case).
 * Estates have no reference column: the reference is the estate's source id in this source system.
 */
function estateKey(f: Fields): string | null {
  const ref = textOf(f.estateReference);
  if (ref) return 'ref:' + ref;
  const name = textOf(f.estateName);
  return name ? 'name:' + nameKey(name) : null;
}

/** Where a block stands, to tell apart buildings that share a name: its postcode, else its street. */
const placeKey = (postcode: unknown, street: unknown) => {
  const pc = textOf(postcode);
  const st = textOf(street);
  return pc ? 'pc:' + pc.replace(/\s+/g, '').toUpperCase() : st ? 'st:' + nameKey(st) : '';
};
/**
 * Which block a row names: by the landlord's block reference where the file has one, else by name within the postcode
 * (or the street when there is no postcode), else within the estate. Many buildings share a name ("Attlee House" on
 * three estates): two that stand at different addresses are never one block. A name with nothing to place it is a
 * block of this source alone (never one of another source's by name), and its rows are for review.
 */
function blockKey(f: Fields, estateIds: ReadonlyMap<string, string>, sourceSystem: string): string | null {
  const ref = textOf(f.blockReference);
  if (ref) return 'ref:' + ref;
  const name = textOf(f.blockName);
  if (!name) return null;
  const place = placeKey(f.postcode, f.street);
  if (place) return `name:${nameKey(name)}|${place}`;
  const estate = estateKey(f);
  const estateId = estate ? estateIds.get(estate) : undefined;
  return estateId ? `name:${nameKey(name)}|estate:${estateId}` : `name:${nameKey(name)}|source:${sourceSystem}`;
}
/** The key a stored block is found by, by name: as blockKey gives it for a row at the block's place. */
const storedBlockKeys = (b: { name: string; postcode: string | null; street: string | null; estate_id: string | null }): string[] => {
  const place = placeKey(b.postcode, b.street);
  if (place) return [`name:${nameKey(b.name)}|${place}`];
  return b.estate_id ? [`name:${nameKey(b.name)}|estate:${b.estate_id}`] : [];
};

/** Find or create the estates and blocks a batch names (see estateKey, blockKey), filling in building facts they lack. */
async function placesFor(tx: Db, ctx: LoadContext, rows: { fields: Fields; review: RowProblem[] }[]) {
  const estateIds = new Map<string, string>();
  const blockIds = new Map<string, string>();
  const estateRows = new Map<string, Fields>();
  // Estates and blocks made or filled in here are written like any record: one event each (the outbox, decision 0016),
  // so webhooks and the change feed see them. A block touched twice in a batch is one event naming both changes.
  const written = { estate: new Map<string, WrittenRecord>(), block: new Map<string, WrittenRecord>() };
  const wrote = (kind: 'estate' | 'block', id: string, created: boolean, changes: Record<string, [unknown, unknown]>) => {
    const had = written[kind].get(id);
    const data = (had?.data ?? { importId: ctx.importId, fields: [], changes: {} }) as { fields: string[]; changes: Record<string, [unknown, unknown]> };
    for (const [field, change] of Object.entries(changes)) { if (!data.fields.includes(field)) data.fields.push(field); data.changes[field] = change; }
    written[kind].set(id, { id, created: had?.created ?? created, data });
  };
  for (const r of rows) { const k = estateKey(r.fields); if (k && !estateRows.has(k)) estateRows.set(k, r.fields); }
  // Two imports of one landlord at once must not both create the same estate or block (PostgreSQL runs them side by
  // side): their look-up and creation run one import at a time, until this batch commits.
  if (rows.some((r) => textOf(r.fields.estateName) || textOf(r.fields.estateReference) || textOf(r.fields.blockName) || textOf(r.fields.blockReference))) {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'hearth.places:' + ctx.organisationId}))`);
  }
  if (estateRows.size) {
    const names = [...estateRows.keys()].filter((k) => k.startsWith('name:')).map((k) => k.slice(5));
    const refs = [...estateRows.keys()].filter((k) => k.startsWith('ref:')).map((k) => 'estate-ref:' + k.slice(4));
    if (names.length) {
      const found = await tx.execute(sql`select id, name from estates where organisation_id = ${ctx.organisationId} and lower(name) in ${inList(names)}`);
      for (const r of found.rows as { id: string; name: string }[]) estateIds.set('name:' + nameKey(r.name), r.id);
    }
    if (refs.length) {
      const found = await tx.execute(sql`select source_id, record_id from source_references where organisation_id = ${ctx.organisationId}
        and entity_kind = 'estate' and source_system = ${ctx.sourceSystem} and source_id in ${inList(refs)}`);
      for (const r of found.rows as { source_id: string; record_id: string }[]) estateIds.set('ref:' + r.source_id.slice('estate-ref:'.length), r.record_id);
    }
    for (const [key, f] of estateRows) {
      if (estateIds.has(key)) continue;
      const id = uuidv7();
      const name = textOf(f.estateName) ?? `Estate ${key.slice(4)}`;
      await tx.insert(estatesTable).values({ organisationId: ctx.organisationId, id, name });
      wrote('estate', id, true, { name: [null, name] });
      const sourceId = key.startsWith('ref:') ? 'estate-ref:' + key.slice(4) : 'estate:' + key.slice(5);
      await tx.execute(sql`insert into source_references (organisation_id, entity_kind, source_system, source_id, record_id, last_import_id)
        values (${ctx.organisationId}, 'estate', ${ctx.sourceSystem}, ${sourceId}, ${id}, ${ctx.importId}) on conflict do nothing`);
      estateIds.set(key, id);
    }
  }
  const keyOf = (f: Fields) => blockKey(f, estateIds, ctx.sourceSystem);
  const named = rows.filter((r) => keyOf(r.fields) !== null);
  if (named.length) {
    type BlockRow = { id: string; name: string; reference: string | null; postcode: string | null; street: string | null; storeys: number | null;
      height_metres: string | null; year_built: number | null; residential_units: number | null; estate_id: string | null; source_key: string | null };
    const refs = [...new Set(named.map((r) => textOf(r.fields.blockReference)).filter((v): v is string => v !== null))];
    const names = [...new Set(named.map((r) => textOf(r.fields.blockName)).filter((v): v is string => v !== null).map(nameKey))];
    const found = await tx.execute(sql`select b.id, b.name, b.reference, b.postcode, b.street, b.storeys, b.height_metres, b.year_built, b.residential_units,
        b.estate_id, sr.source_id as source_key
      from blocks b left join source_references sr on sr.organisation_id = b.organisation_id and sr.entity_kind = 'block'
        and sr.source_system = ${ctx.sourceSystem} and sr.record_id = b.id and sr.source_id like 'block:name:%|source:%'
      where b.organisation_id = ${ctx.organisationId} and (${refs.length ? sql`b.reference in ${inList(refs)}` : sql`false`}
        or ${names.length ? sql`lower(b.name) in ${inList(names)}` : sql`false`}) order by b.id`);
    const blocks = new Map<string, BlockRow>();
    for (const r of found.rows as BlockRow[]) {
      if (r.reference !== null) blocks.set('ref:' + r.reference, r);
      for (const k of storedBlockKeys(r)) if (!blocks.has(k)) blocks.set(k, r);
      if (r.source_key) blocks.set(r.source_key.slice('block:'.length), r);
    }
    for (const row of named) {
      const f = row.fields;
      const key = keyOf(f)!;
      const ref = textOf(f.blockReference);
      const name = textOf(f.blockName) ?? `Block ${ref}`;
      const estateKeyed = estateKey(f);
      const estateId = estateKeyed ? estateIds.get(estateKeyed) ?? null : null;
      const facts = { storeys: f.storeys ?? null, height: f.heightMetres ?? null, yearBuilt: f.yearBuilt ?? null, units: f.residentialUnits ?? null };
      if (key.includes('|source:')) {
        const column = ctx.columnOf('blockName');
        row.review.push({ column, value: name, rule: 'block-not-placed',
          message: `${column ?? 'blockName'}: block "${name}" has no postcode, street or estate on this row to tell it from other buildings of the same name; it is kept as a block of ${ctx.sourceSystem} alone, to be checked` });
      }
      let block = blocks.get(key);
      // A block first loaded without its reference, at the same name and place, is the same building: it takes the reference.
      const byName = keyOf({ ...f, blockReference: null, blockName: name })!;
      if (!block && ref && blocks.get(byName)?.reference === null) {
        block = blocks.get(byName)!;
        block.reference = ref;
        await tx.execute(sql`update blocks set reference = ${ref}, version = version + 1, updated_at = now() where organisation_id = ${ctx.organisationId} and id = ${block.id}`);
        wrote('block', block.id, false, { reference: [null, ref] });
        blocks.set(key, block);
      }
      if (!block) {
        block = { id: uuidv7(), name, reference: ref, postcode: textOf(f.postcode), street: textOf(f.street), storeys: facts.storeys as number | null,
          height_metres: facts.height === null ? null : String(facts.height), year_built: facts.yearBuilt as number | null,
          residential_units: facts.units as number | null, estate_id: estateId, source_key: null };
        // The block's fields, by property (the columns are the blocks table's): written, and named in its event.
        const made = { name, reference: ref, estateId, street: (f.street ?? null) as string | null, town: (f.town ?? null) as string | null,
          postcode: (f.postcode ?? null) as string | null, storeys: facts.storeys as number | null, heightMetres: facts.height as number | null,
          yearBuilt: facts.yearBuilt as number | null, residentialUnits: facts.units as number | null };
        await tx.insert(blocksTable).values({ organisationId: ctx.organisationId, id: block.id, ...made,
          heightSource: facts.height === null ? null : ctx.sourceSystem, heightMethod: null });
        wrote('block', block.id, true, Object.fromEntries(Object.entries(made)
          .filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => [k, [null, v]])));
        await tx.execute(sql`insert into source_references (organisation_id, entity_kind, source_system, source_id, record_id, last_import_id)
          values (${ctx.organisationId}, 'block', ${ctx.sourceSystem}, ${'block:' + key}, ${block.id}, ${ctx.importId}) on conflict do nothing`);
        blocks.set(key, block);
        if (!ref) blocks.set(byName, block);
      } else {
        // Building facts: filled in where the block has none; a different value is for review, never overwritten.
        const fill: string[] = [];
        const check = (field: string, column: keyof BlockRow, value: unknown, label: string) => {
          if (value === null || value === undefined) return;
          const had = block![column];
          if (had === null) { fill.push(column); (block as Record<string, unknown>)[column] = column === 'height_metres' ? String(value) : value; return; }
          if (Number(had) !== Number(value)) {
            const which = ref ? `block ${ref} ("${name}")` : `block "${name}"`;
            row.review.push({ column: ctx.columnOf(field), value: String(value), rule: 'conflict-in-file',
              message: `${ctx.columnOf(field) ?? field}: ${which} already has ${label} ${had}; this row says ${value}. The block keeps ${had}; correct whichever is wrong` });
          }
        };
        check('storeys', 'storeys', facts.storeys, 'storeys');
        check('heightMetres', 'height_metres', facts.height, 'a height of');
        check('yearBuilt', 'year_built', facts.yearBuilt, 'year built');
        check('residentialUnits', 'residential_units', facts.units, 'residential units');
        if (fill.length) {
          await tx.execute(sql`update blocks set storeys = ${block.storeys}, height_metres = ${block.height_metres},
            height_source = coalesce(height_source, case when ${block.height_metres}::numeric is null then null else ${ctx.sourceSystem} end),
            year_built = ${block.year_built}, residential_units = ${block.residential_units}, version = version + 1, updated_at = now()
            where organisation_id = ${ctx.organisationId} and id = ${block.id}`);
          const field = { storeys: 'storeys', height_metres: 'heightMetres', year_built: 'yearBuilt', residential_units: 'residentialUnits' } as Record<string, string>;
          wrote('block', block.id, false, Object.fromEntries(fill.map((c) => [field[c] ?? c, [null, block![c as keyof BlockRow]]])));
        }
      }
      blockIds.set(key, block.id);
    }
  }
  const origin = { actor: `import:${ctx.importId}`, correlationId: ctx.importId };
  for (const kind of ['estate', 'block'] as const) await recordsWritten(tx, kind, ctx.organisationId, [...written[kind].values()], origin);
  return { estateIds, blockIds };
}

/** Per import: whether this source holds homes keyed the other way (asked once, on the import's first batch). */
const otherWay = new Map<string, boolean>();
/**
 * Whether this source has homes keyed the other way from this file (by UPRN when the file has references, by
 * reference when it has none): one look per import, not per batch, so a first import of 300,000 homes pays nothing.
 * The rows of one import are all keyed one way, so the answer holds for the whole import.
 */
async function keyedTheOtherWay(tx: Db, ctx: LoadContext, byReference: boolean): Promise<boolean> {
  const known = otherWay.get(ctx.importId);
  if (known !== undefined) return known;
  const [row] = (await tx.execute(sql`select exists (select 1 from source_references sr
      join homes h on h.organisation_id = sr.organisation_id and h.id = sr.record_id
      where sr.organisation_id = ${ctx.organisationId} and sr.entity_kind = 'home' and sr.source_system = ${ctx.sourceSystem}
        and ${byReference ? sql`sr.source_id = h.uprn` : sql`sr.source_id is distinct from h.uprn`}) as found`)).rows as { found: boolean }[];
  if (otherWay.size > 1000) otherWay.clear();
  otherWay.set(ctx.importId, !!row?.found);
  return !!row?.found;
}

/**
 * A source that named its homes by UPRN (a first stock list keyed by UPRN alone) and now by property reference, or
 * the other way round: the same homes, never a second copy of each. A file keyed by reference takes over the
 * UPRN-keyed reference of the home with that UPRN (the reference becomes its source id); a file keyed by UPRN loads
 * into the home this source already gave that UPRN under its reference. Only where exactly one home of this source
 * has the UPRN.
 */
async function sameHomesOtherKey(tx: Db, ctx: LoadContext, rows: { sourceId: string }[], fields: Fields[]): Promise<void> {
  const byReference = ctx.mapped.has('reference');
  const uprns = [...new Set(fields.map((f) => (typeof f.uprn === 'string' ? f.uprn : null)).filter((u): u is string => !!u))];
  if (!uprns.length || !(await keyedTheOtherWay(tx, ctx, byReference))) return;
  // This source's references of homes with these UPRNs: the source id each home has here.
  const found = (await tx.execute(sql`select h.uprn, sr.source_id, count(*) over (partition by h.uprn)::int as homes from source_references sr
    join homes h on h.organisation_id = sr.organisation_id and h.id = sr.record_id
    where sr.organisation_id = ${ctx.organisationId} and sr.entity_kind = 'home' and sr.source_system = ${ctx.sourceSystem}
      and h.uprn = any(${sql.param(uprns)}::text[])`)).rows as { uprn: string; source_id: string; homes: number }[];
  const heldAs = new Map(found.filter((r) => r.homes === 1).map((r) => [r.uprn, r.source_id]));
  if (!heldAs.size) return;
  if (byReference) {
    const taken = new Set(found.map((r) => r.source_id));
    const times = new Map<unknown, number>();
    for (const f of fields) times.set(f.uprn, (times.get(f.uprn) ?? 0) + 1);
    const rekey = rows.flatMap((r, i) => {
      const uprn = fields[i]!.uprn;
      const was = typeof uprn === 'string' && times.get(uprn) === 1 ? heldAs.get(uprn) : undefined;
      // Keyed by its UPRN before (its source id is the UPRN), and the reference not already another home's here.
      return was !== undefined && was === uprn && was !== r.sourceId && !taken.has(r.sourceId) ? [{ from: was, to: r.sourceId }] : [];
    });
    if (!rekey.length) return;
    await tx.execute(sql`update source_references sr set source_id = u.to_id from unnest(${sql.param(rekey.map((k) => k.from))}::text[], ${sql.param(rekey.map((k) => k.to))}::text[]) as u(from_id, to_id)
      where sr.organisation_id = ${ctx.organisationId} and sr.entity_kind = 'home' and sr.source_system = ${ctx.sourceSystem} and sr.source_id = u.from_id`);
  } else {
    rows.forEach((r) => { const was = heldAs.get(r.sourceId); if (was !== undefined) r.sourceId = was; });
  }
}

export const homesLoader: KindLoader = {
  // A home is known in its source by its property reference, or by its UPRN when the file has no reference column
  // (a stock list or gazetteer extract identified by UPRN alone). Only mapped fields are in `f`.
  key: (f) => (typeof f[idField(f)] === 'string' ? f[idField(f)] as string : null),
  required: ['reference'],
  requiredWhen: (mapped) => [mapped.has('reference') || !mapped.has('uprn') ? 'reference' : 'uprn'],
  async load(tx, ctx, rows) {
    const results: LoadResult[] = [];
    const prepared: { row: LoadRow; fields: Fields; review: RowProblem[]; leftOut: Set<string> }[] = [];
    for (const row of rows) {
      const fields = withAddress(ctx, row.fields);
      const review: RowProblem[] = [];
      const leftOut = new Set(row.leftOut);
      // An unknown property type or a number that makes no sense is left out with a warning: it never costs the home.
      const warnings: RowProblem[] = [];
      if (typeof fields.propertyType === 'string') {
        const code = translateCode(fields.propertyType, PROPERTY_TYPES, PROPERTY_TYPE_SYNONYMS, ctx.values.propertyType);
        if (code) fields.propertyType = code;
        else {
          const p = unknownCode(ctx, 'propertyType', fields.propertyType, PROPERTY_TYPES);
          warnings.push({ ...p, outcome: 'warning', message: `${p.message}. Left out: the home is loaded with property type "other" until the mapping translates it` });
          fields.propertyType = null;
          leftOut.add('propertyType');
        }
      }
      for (const [field, min, max] of [['bedrooms', 0, 20], ['floor', -5, 100], ['storeys', 1, 150], ['heightMetres', 1, 500], ['yearBuilt', 1500, 2100], ['residentialUnits', 0, 10000]] as const) {
        const v = fields[field];
        if (typeof v === 'number' && (v < min || v > max)) {
          warnings.push({ column: ctx.columnOf(field), value: String(v), rule: 'value-out-of-range', outcome: 'warning',
            message: `${ctx.columnOf(field) ?? field}: ${v} is outside ${min}–${max}; left out of the record, and the row is loaded` });
          fields[field] = null;
          leftOut.add(field);
        }
      }
      const home = { fields, review, row, leftOut };
      prepared.push(home);
      results.push(warnings.length ? { outcome: 'unchanged', review, warnings } : { outcome: 'unchanged', review });
    }
    const { estateIds, blockIds } = await placesFor(tx, ctx, prepared);
    // Property type is NOT NULL: a file that does not map it gives new homes the default ("other"), written only when
    // the home is created, so a later extract never puts the default back over a type set since.
    const columns = HOME_COLUMNS.filter((c) => (c.field === 'propertyType' ? true
      : c.field === 'blockId' ? ctx.mapped.has('blockName') || ctx.mapped.has('blockReference')
        : c.field === 'estateId' ? ctx.mapped.has('estateName') || ctx.mapped.has('estateReference') : addressMapped(ctx, c.field)))
      .map((c) => (c.field === 'propertyType' && !ctx.mapped.has('propertyType') ? { ...c, insertOnly: true } : c));
    const bulkRows = prepared.map(({ row, fields, leftOut }) => {
      const values: Fields = { ...fields,
        propertyType: fields.propertyType ?? 'other',
        blockName: blockIds.get(blockKey(fields, estateIds, ctx.sourceSystem) ?? '') ?? null,
        estateName: estateIds.get(estateKey(fields) ?? '') ?? null };
      const searchText = homeSearchText({
        uprn: str(values.uprn), reference: str(values.reference), subBuilding: str(values.subBuilding), buildingName: str(values.buildingName),
        buildingNumber: str(values.buildingNumber), street: str(values.street), locality: str(values.locality), town: str(values.town), postcode: str(values.postcode),
      });
      return { row: row.row, sourceId: fields[ctx.mapped.has('reference') ? 'reference' : 'uprn'] as string, values: [...columns.map((c) => (values[c.from ?? c.field] ?? null) as string | number | null), searchText],
        keep: keptColumns(columns, leftOut) };
    });
    await sameHomesOtherKey(tx, ctx, bulkRows, prepared.map((p) => p.fields));
    const out = await bulkUpsert(tx, { organisationId: ctx.organisationId, sourceSystem: ctx.sourceSystem, importId: ctx.importId, rows: bulkRows,
      spec: { kind: 'home', table: getTableName(homes), eventValues: true, columns, derived: HOME_SEARCH_TEXT } });
    let i = 0;
    for (const r of results) if (r.outcome !== 'rejected') r.outcome = out.outcomes[i++]!;
    return results;
  },
};

const str = (v: unknown) => (typeof v === 'string' ? v : v === null || v === undefined ? null : String(v));
const idField = (f: Fields) => (Object.hasOwn(f, 'reference') || !Object.hasOwn(f, 'uprn') ? 'reference' : 'uprn');

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
  // An apostrophe joins its word ("St Mark's" is "St Marks", as many systems write it), other punctuation separates.
  return parts.filter((p): p is string => typeof p === 'string' && p.trim() !== '').join(' ').normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()
    .replace(/['’`]/g, '').replace(/[^a-z0-9]+/g, ' ').trim().split(' ').filter(Boolean).map((w) => ABBREVIATIONS[w] ?? w);
}

function describeNamed(n: HomeNamed): string {
  const a = n.address ?? {};
  const address = [...ADDRESS_FIELDS.map((f) => a[f]), ...LINE_FIELDS.map((f) => a[f]), a.postcode].filter((v) => typeof v === 'string' && v).join(', ');
  return [n.reference ? `property reference ${n.reference}` : '', n.uprn ? `UPRN ${n.uprn}` : '', address].filter(Boolean).join('; ');
}

/**
 * What a record that matched no home named it by, read back from the label it keeps (describeNamed): the reference,
 * the UPRN, and the address as one line with its postcode, to match again when homes arrive (matchHomes: never a guess).
 */
export function namedFromLabel(label: string): HomeNamed {
  const out: HomeNamed = { address: {} };
  for (const part of label.split('; ')) {
    if (part.startsWith('property reference ')) out.reference = part.slice('property reference '.length);
    else if (/^UPRN \d+$/.test(part)) out.uprn = part.slice(5);
    else {
      const pieces = part.split(', ');
      const postcode = pieces.length > 1 && /^[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}$/.test(pieces.at(-1)!) ? pieces.pop()! : null;
      if (postcode) out.address!.postcode = postcode;
      if (pieces.length) out.address!.addressLine1 = pieces.join(', ');
    }
  }
  return out;
}

/**
 * For modules that keep records whose home matched nothing (with a describeNamed label): when these homes have just
 * been written, a condition on a label column that it names one of them (by reference, UPRN or postcode), for a
 * set-based lookup of the records waiting for them; null when the homes give nothing to look for.
 */
export async function namingTheseHomes(ctx: Ctx, homeIds: readonly string[]): Promise<((label: SQL) => SQL) | null> {
  const { tx, organisationId } = readable(ctx);
  const rows = (await tx.execute(sql`select reference, uprn, postcode from homes where organisation_id = ${organisationId}
    and id = any(${sql.param([...homeIds])}::uuid[])`)).rows as { reference: string | null; uprn: string | null; postcode: string | null }[];
  const of = (k: 'reference' | 'uprn' | 'postcode') => [...new Set(rows.flatMap((r) => (r[k] ? [r[k]!] : [])))];
  const [refs, uprns, postcodes] = [of('reference'), of('uprn'), of('postcode')];
  if (!refs.length && !uprns.length && !postcodes.length) return null;
  return (label) => sql`(substring(${label} from '^property reference ([^;]+)') = any(${sql.param(refs)}::text[])
    or substring(${label} from '(?:^|; )UPRN ([0-9]+)') = any(${sql.param(uprns)}::text[])
    or substring(${label} from ', ([^,;]+)$') = any(${sql.param(postcodes)}::text[]))`;
}

/** The home each describeNamed label names now, by the exact rules of matchHomes (null: still none, or several). */
export async function homesOfLabels(ctx: Ctx, labels: string[]): Promise<(string | null)[]> {
  return (await matchHomes(ctx, labels.map(namedFromLabel))).map((m) => m.homeId);
}

/** What a row of another kind (person, tenancy, repair, note) names its home by: reference, UPRN, address fields. */
export function homeNamed(f: Fields): HomeNamed {
  const address: Fields = {};
  for (const k of [...ADDRESS_FIELDS, 'postcode', ...LINE_FIELDS]) if (typeof f[k] === 'string' && f[k]) address[k] = f[k];
  // A postcode written at the end of the lines, when the file has no postcode column.
  if (!address.postcode) { const pc = addressFromLines(address).postcode; if (typeof pc === 'string') address.postcode = pc; }
  const text = (v: unknown) => (typeof v === 'string' && v ? v : null);
  return { reference: text(f.homeReference), uprn: text(f.uprn), address };
}

/** The fields a row names its home by. */
const HOME_NAMING_FIELDS: readonly string[] = ['homeReference', 'uprn', ...ADDRESS_FIELDS, 'postcode', ...LINE_FIELDS];

/**
 * A row that matched no home because a value naming it was left out (a postcode that is not one, say): a record
 * loaded before keeps its link to its home (linkFields: its home id, what it named) rather than losing it to a
 * partial address. For BulkRow.keep, through keptColumns.
 */
export function keepingHomeLink(leftOut: ReadonlySet<string> | undefined, matched: boolean, linkFields: readonly string[]): ReadonlySet<string> | undefined {
  if (!leftOut?.size || matched || !HOME_NAMING_FIELDS.some((f) => leftOut.has(f))) return leftOut;
  return new Set([...leftOut, ...linkFields]);
}

/** The review problem for a row whose home matched nothing (the record still loads, without the link). */
export function homeNotMatched(ctx: LoadContext, named: string, reason: string | undefined): RowProblem {
  const column = ctx.columnOf('homeReference') ?? ctx.columnOf('uprn') ?? ctx.columnOf('postcode') ?? ctx.columnOf('addressLine1');
  return { column, value: named, rule: 'home-not-matched', message: `The home (${named}) was not matched${reason ? `: ${reason}` : ''}; nothing was attached to a guess. Load the homes first, or correct the reference` };
}

const SAON_WORDS = new Set(['flat', 'flt', 'unit', 'room', 'rm', 'no']);
interface AddressKey { number: string; sub: string; street: string; name: string; words: Set<string> }
/** What two addresses in one postcode are compared by: flat (without "Flat"), number, street, building name, all words. */
function addressKey(p: { subBuilding?: unknown; buildingName?: unknown; buildingNumber?: unknown; street?: unknown }): AddressKey {
  const t = (v: unknown) => (typeof v === 'string' ? v : null);
  const street = t(p.street);
  return {
    number: (t(p.buildingNumber) ?? '').toLowerCase().replace(/\s+/g, ''),
    sub: addressWords([t(p.subBuilding)]).filter((w) => !SAON_WORDS.has(w)).join(' '),
    street: addressWords([street ? expandStreet(street) : null]).join(' '),
    name: addressWords([t(p.buildingName)]).join(' '),
    words: new Set(addressWords([t(p.subBuilding), t(p.buildingName), t(p.buildingNumber), street ? expandStreet(street) : null]).filter((w) => !SAON_WORDS.has(w))),
  };
}
/** Share of words in common (Jaccard): how alike two addresses are beyond the parts that must agree. */
function similarity(a: Set<string>, b: Set<string>): number {
  let common = 0;
  for (const w of a) if (b.has(w)) common++;
  return common / (a.size + b.size - common || 1);
}
/** Least word similarity for an address match, and how far ahead of the next the best candidate must be. */
const MATCH_AT = 0.5;
const CLEAR_BY = 0.2;

/**
 * The home each row names: by the landlord's property reference, else UPRN, else its address within its postcode
 * (parsed from address lines when the row has no parts): the flat, the building number and the street (or, without a
 * street, the building name) must agree, and the words of the whole address must be alike (MATCH_AT), so "Flat 2,
 * Bronte Hse, 12 Moor Rd" finds "Flat 2, 12 Moor Road". Nothing is matched on a guess: no candidate, or no one
 * candidate clearly ahead of the others, is no match, with the reason.
 */
export async function matchHomes(ctx: Ctx, named: HomeNamed[]): Promise<HomeMatch[]> {
  const { tx, organisationId } = readable(ctx);
  const refs = [...new Set(named.map((n) => n.reference).filter((v): v is string => !!v))];
  const uprns = [...new Set(named.map((n) => n.uprn).filter((v): v is string => !!v))];
  const postcodes = [...new Set(named.map((n) => (typeof n.address?.postcode === 'string' ? n.address.postcode : null)).filter((v): v is string => !!v))];
  const byRef = new Map<string, string[]>();
  const byUprn = new Map<string, string[]>();
  const byPostcode = new Map<string, ({ id: string; runOn: string[] } & AddressKey)[]>();
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
    const rows = (await tx.execute(sql`select h.* from ${wanted(postcodes)} cross join lateral (select id, postcode, sub_building, building_name, building_number, street, locality, town,
      address_lines from homes where organisation_id = ${organisationId} and postcode = want.v offset 0) h`)).rows as { id: string; postcode: string; sub_building: string | null;
        building_name: string | null; building_number: string | null; street: string | null; locality: string | null; town: string | null; address_lines: string[] | string | null }[];
    for (const h of rows) {
      const list = byPostcode.get(h.postcode) ?? [];
      let parts: Fields = { subBuilding: h.sub_building, buildingName: h.building_name, buildingNumber: h.building_number, street: h.street };
      // A home with only its lines (written before they were parsed) is compared by what they hold.
      const lines = typeof h.address_lines === 'string' ? JSON.parse(h.address_lines) as string[] : h.address_lines;
      if (!h.sub_building && !h.building_name && !h.building_number && !h.street && lines?.length) parts = parseAddressLines(lines) as unknown as Fields;
      const key = addressKey(parts);
      // The street as a line without commas may run on into the home's locality or town: "9 Hill St Headingley".
      const runOn = key.street ? [[h.locality], [h.town], [h.locality, h.town]].map((p) => addressWords(p).join(' ')).filter(Boolean).map((p) => `${key.street} ${p}`) : [];
      if (key.words.size) list.push({ id: h.id, runOn, ...key });
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
      const row = addressKey(structured ? a : addressFromLines(a));
      const scored = row.words.size === 0 ? [] : (byPostcode.get(pc) ?? [])
        .filter((h) => h.number === row.number && h.sub === row.sub && (row.street && h.street ? h.street === row.street || h.runOn.includes(row.street) : !!row.name && h.name === row.name))
        .map((h) => ({ id: h.id, score: similarity(row.words, h.words) })).filter((x) => x.score >= MATCH_AT).sort((x, y) => y.score - x.score);
      if (scored.length === 1 || (scored.length > 1 && scored[0]!.score - scored[1]!.score >= CLEAR_BY)) return { homeId: scored[0]!.id, how: 'address', named: label };
      if (scored.length > 1) return { homeId: null, named: label, reason: `${scored.length} homes in ${pc} have an address like this` };
      return { homeId: null, named: label, reason: byPostcode.has(pc) ? `no home in ${pc} has this flat, number and street` : `no known home is in ${pc}` };
    }
    if (!label) return { homeId: null, named: '' };
    return { homeId: null, named: label, reason: n.reference || n.uprn ? 'no home has this property reference or UPRN' : 'the address has no postcode to match it within' };
  });
}
