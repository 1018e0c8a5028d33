// The hub's one way to take records in (decision 0026): push, feed pages, files and uploads all come here with the
// publisher they are known to be. Every record is checked against the standard on its own; the good ones are applied
// in order (a home written, a home withdrawn, a landlord's measures for a period) and the bad ones kept as errors
// naming the record and field, so a few bad records never refuse the rest. Each arrival is one batch row keyed by
// (publisher, id): the same id again with the same body is answered from that row without applying anything; with
// another body it is refused (a replayed id cannot smuggle different data in).
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/store.ts';
import { validatePublished, type RecordError } from './standard/validate.ts';
import {
  MEASURES, TENURE_GROUP_OF_RENT_TYPE, type DeletionRecord, type HomeRecord, type MeasuresRecord, type RentType, type StandardRecord,
} from './standard/schema.ts';

/** Errors kept with a batch (the rest are counted). */
export const KEPT_ERRORS = 100;

export type Via = 'push' | 'feed' | 'file' | 'upload';

export interface Arrival {
  publisher: string;
  /** The batch's id: a push's webhook-id, a feed page's URL, a file's validator. */
  id: string;
  via: Via;
  sourceId?: string | null;
  /** The body as received (for its hash), or a hash already made. */
  body: string | { hash: string };
  /** The records, not yet checked. */
  records: readonly unknown[];
  /** Errors found before the records (a CSV's rows that did not parse), counted as rejected records. */
  earlierErrors?: readonly { row?: number; index?: number; field: string; message: string }[];
  /** Records counted in the file beyond `records` (rows the CSV could not make into records). */
  earlierRejected?: number;
  now?: Date;
}

export interface Receipt {
  id: string;
  records: number;
  accepted: number;
  rejected: number;
  errors: { index?: number; row?: number; field: string; message: string }[];
  /** The same id and body arrived before: nothing was applied this time. */
  replayed: boolean;
}

export class BatchConflict extends Error {
  readonly id: string;
  constructor(id: string) {
    super(`batch ${id} was received before with a different body: send new data under a new id`);
    this.id = id;
  }
}

export const bodyHash = (body: string) => createHash('sha256').update(body).digest('hex');

/** Optional fields of a home the standard has, for completeness. */
const HOME_OPTIONAL = ['uprn', 'needsType', 'propertyType', 'bedrooms', 'buildYear', 'block'] as const;
const MEASURE_PARTS = MEASURES.length + 2; // every measure, damp and mould, the survey

function completeness(records: readonly StandardRecord[]): { given: number; possible: number } {
  let given = 0;
  let possible = 0;
  for (const r of records) {
    if (r.type === 'home') {
      possible += HOME_OPTIONAL.length;
      given += HOME_OPTIONAL.filter((f) => r[f] !== undefined).length;
    } else if (r.type === 'measures') {
      possible += MEASURE_PARTS;
      const m = r as unknown as Record<string, unknown>;
      given += MEASURES.filter((d) => m[d.key] !== undefined).length + (r.dampAndMould ? 1 : 0) + (r.survey ? 1 : 0);
    }
  }
  return { given, possible };
}

/** The measure values of a measures record, flat. */
export function measureValues(m: MeasuresRecord): { measure: string; numerator: number; denominator: number | null }[] {
  const out: { measure: string; numerator: number; denominator: number | null }[] = [];
  const record = m as unknown as Record<string, { numerator?: number; denominator?: number; satisfied?: number; responses?: number } | undefined>;
  for (const d of MEASURES) {
    const v = record[d.key];
    if (!v) continue;
    out.push(d.kind === 'perception'
      ? { measure: d.key, numerator: v.satisfied!, denominator: v.responses! }
      : { measure: d.key, numerator: v.numerator!, denominator: v.denominator! });
  }
  if (m.dampAndMould) {
    out.push({ measure: 'dm_open', numerator: m.dampAndMould.openCases, denominator: null });
    out.push({ measure: 'dm_met', numerator: m.dampAndMould.clocksMet, denominator: null });
    out.push({ measure: 'dm_missed', numerator: m.dampAndMould.clocksMissed, denominator: null });
  }
  return out;
}

interface Plan {
  homes: Map<string, HomeRecord>;
  deletedReferences: Set<string>;
  deletedUprns: Set<string>;
  measures: Map<string, MeasuresRecord>;
}

/** The records' net effect, in order: a later record about the same home or measures wins. */
function plan(records: readonly StandardRecord[]): Plan {
  const p: Plan = { homes: new Map(), deletedReferences: new Set(), deletedUprns: new Set(), measures: new Map() };
  for (const r of records) {
    if (r.type === 'home') {
      p.deletedReferences.delete(r.landlordReference);
      p.homes.set(r.landlordReference, r);
    } else if (r.type === 'deletion') {
      const d = r as DeletionRecord;
      if (d.landlordReference !== undefined) {
        p.homes.delete(d.landlordReference);
        p.deletedReferences.add(d.landlordReference);
      }
      if (d.uprn !== undefined) {
        for (const [ref, h] of p.homes) if (h.uprn === d.uprn) p.homes.delete(ref);
        p.deletedUprns.add(d.uprn);
      }
    } else {
      p.measures.set(`${r.period.from}|${r.period.to}|${r.tenureGroup}`, r);
    }
  }
  return p;
}

async function apply(db: Db, publisher: string, p: Plan, at: Date): Promise<void> {
  const now = at.toISOString();
  const keep = [...p.homes.keys()];
  if (p.deletedUprns.size) {
    await db.execute(sql`DELETE FROM hub.homes WHERE publisher = ${publisher} AND uprn = ANY(${sql.param([...p.deletedUprns])}::text[])
      AND NOT (landlord_reference = ANY(${sql.param(keep)}::text[]))`);
  }
  if (p.deletedReferences.size) {
    await db.execute(sql`DELETE FROM hub.homes WHERE publisher = ${publisher} AND landlord_reference = ANY(${sql.param([...p.deletedReferences])}::text[])`);
  }
  if (p.homes.size) {
    const rows = [...p.homes.values()].map((h) => ({
      r: h.landlordReference, u: h.uprn ?? null, la: h.localAuthority, rt: h.rentType, tg: TENURE_GROUP_OF_RENT_TYPE[h.rentType as RentType],
      nt: h.needsType ?? null, pt: h.propertyType ?? null, b: h.bedrooms ?? null, y: h.buildYear ?? null, br: h.block?.blockReference ?? null,
    }));
    await db.execute(sql`INSERT INTO hub.homes (publisher, landlord_reference, uprn, local_authority, rent_type, tenure_group, needs_type,
        property_type, bedrooms, build_year, block_reference, updated_at)
      SELECT ${publisher}, r, u, la, rt, tg, nt, pt, b, y, br, ${now}::timestamptz
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(r text, u text, la text, rt text, tg text, nt text, pt text, b int, y int, br text)
      ON CONFLICT (publisher, landlord_reference) DO UPDATE SET uprn = excluded.uprn, local_authority = excluded.local_authority,
        rent_type = excluded.rent_type, tenure_group = excluded.tenure_group, needs_type = excluded.needs_type,
        property_type = excluded.property_type, bedrooms = excluded.bedrooms, build_year = excluded.build_year,
        block_reference = excluded.block_reference, updated_at = excluded.updated_at`);
    const blocks = new Map<string, { b: string; la: string; s: number | null; h: number | null; u: number | null; hr: boolean | null }>();
    for (const h of p.homes.values()) {
      if (!h.block) continue;
      blocks.set(h.block.blockReference, {
        b: h.block.blockReference, la: h.localAuthority, s: h.block.storeys ?? null, h: h.block.heightMetres ?? null,
        u: h.block.residentialUnits ?? null, hr: h.block.higherRisk ?? null,
      });
    }
    if (blocks.size) {
      await db.execute(sql`INSERT INTO hub.blocks (publisher, block_reference, local_authority, storeys, height_metres, residential_units, higher_risk, updated_at)
        SELECT ${publisher}, b, la, s, h, u, hr, ${now}::timestamptz
        FROM jsonb_to_recordset(${JSON.stringify([...blocks.values()])}::jsonb) AS x(b text, la text, s int, h double precision, u int, hr boolean)
        ON CONFLICT (publisher, block_reference) DO UPDATE SET local_authority = excluded.local_authority, storeys = excluded.storeys,
          height_metres = excluded.height_metres, residential_units = excluded.residential_units, higher_risk = excluded.higher_risk,
          updated_at = excluded.updated_at`);
    }
  }
  if (p.deletedReferences.size || p.deletedUprns.size) {
    // A block no home of the publisher names any more is gone with its last home.
    await db.execute(sql`DELETE FROM hub.blocks b WHERE b.publisher = ${publisher} AND NOT EXISTS (
      SELECT 1 FROM hub.homes h WHERE h.publisher = ${publisher} AND h.block_reference = b.block_reference)`);
  }
  if (p.homes.size || p.deletedReferences.size || p.deletedUprns.size) await countAreas(db, publisher);
  for (const m of p.measures.values()) {
    await db.execute(sql`INSERT INTO hub.measures (publisher, period_from, period_to, tenure_group, record, updated_at)
      VALUES (${publisher}, ${m.period.from}, ${m.period.to}, ${m.tenureGroup}, ${JSON.stringify(m)}::jsonb, ${now}::timestamptz)
      ON CONFLICT (publisher, period_from, period_to, tenure_group) DO UPDATE SET record = excluded.record, updated_at = excluded.updated_at`);
    await db.execute(sql`DELETE FROM hub.measure_values WHERE publisher = ${publisher} AND period_from = ${m.period.from}
      AND period_to = ${m.period.to} AND tenure_group = ${m.tenureGroup}`);
    const values = measureValues(m);
    if (values.length) {
      await db.execute(sql`INSERT INTO hub.measure_values (publisher, period_from, period_to, tenure_group, measure, numerator, denominator)
        SELECT ${publisher}, ${m.period.from}::date, ${m.period.to}::date, ${m.tenureGroup}, measure, numerator, denominator
        FROM jsonb_to_recordset(${JSON.stringify(values)}::jsonb) AS x(measure text, numerator bigint, denominator bigint)`);
    }
  }
}

/** Count the publisher's homes and blocks per local authority again (hub.area_counts): its own rows only, one shard. */
export async function countAreas(db: Db, publisher: string): Promise<void> {
  await db.execute(sql`DELETE FROM hub.area_counts WHERE publisher = ${publisher}`);
  await db.execute(sql`INSERT INTO hub.area_counts (publisher, local_authority, homes, lcra_homes, lcho_homes, blocks, higher_risk_blocks)
    WITH h AS (SELECT local_authority, count(*) AS homes,
        count(*) FILTER (WHERE tenure_group = 'LCRA') AS lcra, count(*) FILTER (WHERE tenure_group = 'LCHO') AS lcho
      FROM hub.homes WHERE publisher = ${publisher} GROUP BY local_authority),
    b AS (SELECT local_authority, count(*) AS blocks, count(*) FILTER (WHERE higher_risk) AS hrb
      FROM hub.blocks WHERE publisher = ${publisher} GROUP BY local_authority)
    SELECT ${publisher}, coalesce(h.local_authority, b.local_authority), coalesce(h.homes, 0), coalesce(h.lcra, 0), coalesce(h.lcho, 0),
      coalesce(b.blocks, 0), coalesce(b.hrb, 0)
    FROM h FULL JOIN b ON b.local_authority = h.local_authority`);
}

/**
 * Take one arrival in, in the caller's transaction (as the owner: hub tables have no organisation). The batch row is
 * written first, so a second arrival of the same id waits for the first and then finds it.
 */
export async function receive(db: Db, a: Arrival): Promise<Receipt> {
  const at = a.now ?? new Date();
  const hash = typeof a.body === 'string' ? bodyHash(a.body) : a.body.hash;
  const inserted = await db.execute(sql`INSERT INTO hub.batches (publisher, id, via, source_id, body_hash, received_at, records, accepted, rejected)
    VALUES (${a.publisher}, ${a.id}, ${a.via}, ${a.sourceId ?? null}, ${hash}, ${at.toISOString()}::timestamptz, 0, 0, 0)
    ON CONFLICT (publisher, id) DO NOTHING RETURNING id`);
  if (!inserted.rows.length) {
    const before = (await db.execute(sql`SELECT body_hash, records, accepted, rejected, errors FROM hub.batches
      WHERE publisher = ${a.publisher} AND id = ${a.id}`)).rows[0] as { body_hash: string; records: number; accepted: number; rejected: number; errors: Receipt['errors'] };
    if (before.body_hash !== hash) throw new BatchConflict(a.id);
    return { id: a.id, records: before.records, accepted: before.accepted, rejected: before.rejected, errors: before.errors, replayed: true };
  }
  const { valid, errors } = validatePublished(a.records, a.publisher, { now: at });
  await apply(db, a.publisher, plan(valid), at);
  const all: Receipt['errors'] = [...(a.earlierErrors ?? []), ...errors.map((e: RecordError) => ({ index: e.index, field: e.field, message: e.message }))];
  const rejectedRecords = new Set(errors.map((e) => e.index)).size + (a.earlierRejected ?? 0);
  const records = a.records.length + (a.earlierRejected ?? 0);
  const { given, possible } = completeness(valid);
  await db.execute(sql`UPDATE hub.batches SET records = ${records}, accepted = ${valid.length}, rejected = ${rejectedRecords},
    errors = ${JSON.stringify(all.slice(0, KEPT_ERRORS))}::jsonb, fields_given = ${given}, fields_possible = ${possible}
    WHERE publisher = ${a.publisher} AND id = ${a.id}`);
  return { id: a.id, records, accepted: valid.length, rejected: rejectedRecords, errors: all, replayed: false };
}

/** Register a publisher (or rename it): the hub's tenant. */
export async function upsertPublisher(db: Db, p: { publisher: string; name: string; kind: 'private-registered-provider' | 'local-authority'; region?: string | null }): Promise<void> {
  await db.execute(sql`INSERT INTO hub.publishers (publisher, name, kind, region) VALUES (${p.publisher}, ${p.name}, ${p.kind}, ${p.region ?? null})
    ON CONFLICT (publisher) DO UPDATE SET name = excluded.name, kind = excluded.kind, region = excluded.region`);
}
