// A publisher's feed quality (issue 16 parts 2 and 8), as the Open Referral UK validator shows a feed's: validity (the
// share of records accepted over the last 30 days and in the last batch, and the commonest errors by field and
// message), completeness (fields given of the fields the standard has, from each batch's count; each optional field
// of the homes held; which of the standard's measures the latest period has) and timeliness (when data last arrived,
// how long ago, and each registered source's state with its reason). Read as the owner (hub tables have no
// organisation). Nothing here counts people, so no disclosure control applies; errors name only the standard's fields
// and the validator's words (which repeat a value only when it is a short single word: standard/validate.ts), never a
// record's contents.
import { sql } from 'drizzle-orm';
import type { Db } from '../../../platform/db/store.ts';
import { MEASURES } from '../standard/schema.ts';
import { listSources } from '../sources/registry.ts';

/** The window of the headline figures. */
export const QUALITY_DAYS = 30;
/** Error groups shown on a publisher's page. */
export const COMMON_ERRORS = 10;
/** Publishers a page of /hub/quality. */
export const QUALITY_PAGE_SIZE = 50;

export interface ErrorGroup {
  /** A JSON pointer (/block/storeys) for a record's field, a CSV column name for a row's, '' for a whole record or file. */
  field: string;
  message: string;
  count: number;
  /** The latest occurrence: the record's position in its batch (1-based) or the file's row, and when it arrived. */
  example: { record: number | null; row: number | null; receivedAt: Date; via: string };
}

export interface FieldShare { key: string; name: string; given: number; share: number | null }

export interface MeasurePresence {
  key: string;
  code: string;
  title: string;
  /** By tenure group published for the period: whether the measure was given. */
  given: Record<string, boolean>;
}

export interface SourceQuality {
  id: string;
  kind: string;
  fileKind: string | null;
  /** The URL without its query (which might hold a publisher's token), for a public page. */
  where: string;
  status: string;
  reason: string | null;
  lastCheckedAt: Date | null;
  lastChangedAt: Date | null;
}

export interface PublisherQuality {
  publisher: { publisher: string; name: string; kind: string; region: string | null };
  since: Date;
  validity: {
    records30: number; accepted30: number; share30: number | null;
    lastBatch: { id: string; via: string; receivedAt: Date; records: number; accepted: number; rejected: number; share: number | null } | null;
    /** Errors kept over the window (each batch keeps its first 100) and the commonest, grouped. */
    errorsKept: number;
    groups: ErrorGroup[];
  };
  completeness: {
    given30: number; possible30: number; share30: number | null;
    homes: number;
    fields: FieldShare[];
    period: { from: string; to: string } | null;
    tenureGroups: string[];
    measures: MeasurePresence[];
    /** Measures given of those possible, over the tenure groups published for the latest period. */
    measuresGiven: number; measuresPossible: number;
  };
  timeliness: {
    lastReceived: Date | null;
    /** Minutes since the last batch (null when nothing has arrived). */
    lagMinutes: number | null;
    batches: number;
    sources: SourceQuality[];
  };
}

const n = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const share = (part: number, whole: number) => (whole > 0 ? part / whole : null);
const dateOf = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));

/** The optional fields of a home the page reports, with the column each is held in. */
const HOME_FIELDS = [
  { key: 'uprn', name: 'UPRN', column: 'uprn' },
  { key: 'propertyType', name: 'Property type', column: 'property_type' },
  { key: 'bedrooms', name: 'Bedrooms', column: 'bedrooms' },
  { key: 'buildYear', name: 'Build year', column: 'build_year' },
  { key: 'needsType', name: 'Needs type', column: 'needs_type' },
  { key: 'block', name: 'Block (building)', column: 'block_reference' },
] as const;

/** Every measure a measures record can give: the TSMs, damp and mould, and the perception survey. */
export const STANDARD_MEASURE_PARTS: readonly { key: string; code: string; title: string }[] = [
  ...MEASURES.map((m) => ({ key: m.key, code: m.code, title: m.title })),
  { key: 'dampAndMould', code: 'Damp and mould', title: "Damp and mould cases open and Awaab's Law deadlines met and missed" },
  { key: 'survey', code: 'Survey', title: 'The perception survey: method, sample size and fieldwork dates' },
];

/** Where a source is, for a public page: scheme, host and path only. */
export function sourceWhere(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '';
  }
}

/** A reason in words with every URL's query left out (a source's address may carry a token in its query). */
export function withoutQueries(reason: string | null): string | null {
  return reason === null ? null : reason.replace(/(https?:\/\/[^\s?#]+)[?#][^\s]*/g, '$1');
}

/** A publisher's quality at `now`, or undefined for a publisher the hub does not have. */
export async function publisherQuality(db: Db, registration: string, now = new Date()): Promise<PublisherQuality | undefined> {
  const p = (await db.execute(sql`SELECT publisher, name, kind, region FROM hub.publishers WHERE publisher = ${registration}`)).rows[0] as
    { publisher: string; name: string; kind: string; region: string | null } | undefined;
  if (!p) return undefined;
  const since = new Date(now.getTime() - QUALITY_DAYS * 86_400_000);
  const cutoff = since.toISOString();

  const agg = (await db.execute(sql`SELECT count(*) AS batches, max(received_at) AS last_received,
      sum(records) FILTER (WHERE received_at >= ${cutoff}::timestamptz) AS records30,
      sum(accepted) FILTER (WHERE received_at >= ${cutoff}::timestamptz) AS accepted30,
      sum(fields_given) FILTER (WHERE received_at >= ${cutoff}::timestamptz) AS given30,
      sum(fields_possible) FILTER (WHERE received_at >= ${cutoff}::timestamptz) AS possible30
    FROM hub.batches WHERE publisher = ${registration}`)).rows[0] as Record<string, unknown>;

  const last = (await db.execute(sql`SELECT id, via, received_at, records, accepted, rejected FROM hub.batches
    WHERE publisher = ${registration} ORDER BY received_at DESC, id DESC LIMIT 1`)).rows[0] as
    { id: string; via: string; received_at: string; records: number; accepted: number; rejected: number } | undefined;

  // The example of each group: its first occurrence in the latest batch that has it.
  const errorRows = (await db.execute(sql`SELECT coalesce(e.err->>'field', '') AS field, coalesce(e.err->>'message', '') AS message, count(*) AS n,
      (array_agg(jsonb_build_object('index', e.err->'index', 'row', e.err->'row', 'at', b.received_at, 'via', b.via) ORDER BY b.received_at DESC, b.id DESC, e.pos))[1] AS example
    FROM hub.batches b, jsonb_array_elements(b.errors) WITH ORDINALITY AS e(err, pos)
    WHERE b.publisher = ${registration} AND b.received_at >= ${cutoff}::timestamptz
    GROUP BY 1, 2 ORDER BY count(*) DESC, 1, 2`)).rows as { field: string; message: string; n: unknown; example: unknown }[];

  const homes = (await db.execute(sql`SELECT count(*) AS homes, count(uprn) AS uprn, count(property_type) AS property_type, count(bedrooms) AS bedrooms,
      count(build_year) AS build_year, count(needs_type) AS needs_type, count(block_reference) AS block_reference
    FROM hub.homes WHERE publisher = ${registration}`)).rows[0] as Record<string, unknown>;

  const period = (await db.execute(sql`SELECT period_from::text AS "from", period_to::text AS "to" FROM hub.measures WHERE publisher = ${registration}
    ORDER BY period_to DESC, period_from DESC LIMIT 1`)).rows[0] as { from: string; to: string } | undefined;
  const given = new Map<string, Set<string>>();
  if (period) {
    const recs = (await db.execute(sql`SELECT tenure_group, record FROM hub.measures WHERE publisher = ${registration}
      AND period_from = ${period.from}::date AND period_to = ${period.to}::date ORDER BY tenure_group`)).rows as { tenure_group: string; record: unknown }[];
    for (const r of recs) {
      const record = (typeof r.record === 'string' ? JSON.parse(r.record) : r.record) as Record<string, unknown>;
      given.set(r.tenure_group, new Set(STANDARD_MEASURE_PARTS.filter((m) => record[m.key] !== undefined && record[m.key] !== null).map((m) => m.key)));
    }
  }
  const tenureGroups = [...given.keys()];
  const measures = STANDARD_MEASURE_PARTS.map((m) => ({ ...m, given: Object.fromEntries(tenureGroups.map((t) => [t, given.get(t)!.has(m.key)])) }));
  const measuresGiven = tenureGroups.reduce((s, t) => s + given.get(t)!.size, 0);

  const sources = await listSources(db, registration);
  const lastReceived = dateOf(agg.last_received);
  const homesTotal = n(homes.homes);
  const records30 = n(agg.records30);
  const accepted30 = n(agg.accepted30);
  const given30 = n(agg.given30);
  const possible30 = n(agg.possible30);
  return {
    publisher: p,
    since,
    validity: {
      records30, accepted30, share30: share(accepted30, records30),
      lastBatch: last ? {
        id: last.id, via: last.via, receivedAt: new Date(last.received_at), records: n(last.records), accepted: n(last.accepted), rejected: n(last.rejected),
        share: share(n(last.accepted), n(last.records)),
      } : null,
      errorsKept: errorRows.reduce((s, r) => s + n(r.n), 0),
      groups: errorRows.slice(0, COMMON_ERRORS).map((r) => {
        const ex = (typeof r.example === 'string' ? JSON.parse(r.example) : r.example) as { index: number | null; row: number | null; at: string; via: string };
        return {
          field: r.field, message: r.message, count: n(r.n),
          example: { record: typeof ex.index === 'number' ? ex.index + 1 : null, row: typeof ex.row === 'number' ? ex.row : null, receivedAt: new Date(ex.at), via: ex.via },
        };
      }),
    },
    completeness: {
      given30, possible30, share30: share(given30, possible30),
      homes: homesTotal,
      fields: HOME_FIELDS.map((f) => ({ key: f.key, name: f.name, given: n(homes[f.column]), share: share(n(homes[f.column]), homesTotal) })),
      period: period ?? null,
      tenureGroups,
      measures,
      measuresGiven,
      measuresPossible: tenureGroups.length * STANDARD_MEASURE_PARTS.length,
    },
    timeliness: {
      lastReceived,
      lagMinutes: lastReceived ? Math.max(0, Math.floor((now.getTime() - lastReceived.getTime()) / 60_000)) : null,
      batches: n(agg.batches),
      sources: sources.map((s) => ({
        id: s.id, kind: s.kind, fileKind: s.fileKind, where: sourceWhere(s.url), status: s.status, reason: withoutQueries(s.lastError),
        lastCheckedAt: s.lastCheckedAt, lastChangedAt: s.lastChangedAt,
      })),
    },
  };
}

export const QUALITY_SORTS = ['name', 'validity', 'completeness', 'timeliness'] as const;
export type QualitySort = (typeof QUALITY_SORTS)[number];
export type SortDirection = 'asc' | 'desc';
/** The direction a column sorts in first: best first (highest share, most recent), names A to Z. */
export const DEFAULT_DIRECTION: Readonly<Record<QualitySort, SortDirection>> = { name: 'asc', validity: 'desc', completeness: 'desc', timeliness: 'desc' };

export interface QualityRow {
  publisher: string;
  name: string;
  validity: number | null;
  completeness: number | null;
  lastReceived: Date | null;
  lagMinutes: number | null;
  sources: number;
  failing: number;
  paused: number;
}

/** Every publisher's three scores (over the last 30 days), a page at a time, sorted. */
export async function qualityTable(db: Db, options: { sort?: QualitySort; direction?: SortDirection; page?: number; pageSize?: number; now?: Date } = {}):
  Promise<{ rows: QualityRow[]; total: number }> {
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - QUALITY_DAYS * 86_400_000).toISOString();
  const sort = options.sort ?? 'name';
  const direction = options.direction ?? DEFAULT_DIRECTION[sort];
  const size = options.pageSize ?? QUALITY_PAGE_SIZE;
  const offset = Math.max(0, ((options.page ?? 1) - 1) * size);
  const dir = direction === 'asc' ? sql`ASC` : sql`DESC`;
  // Publishers with no figure come last whichever way a score is sorted; ties by name, then registration.
  const order = sort === 'name' ? sql`p.name ${dir}, p.publisher`
    : sort === 'validity' ? sql`validity ${dir} NULLS LAST, p.name, p.publisher`
      : sort === 'completeness' ? sql`completeness ${dir} NULLS LAST, p.name, p.publisher`
        : sql`last_received ${dir} NULLS LAST, p.name, p.publisher`;
  const rows = (await db.execute(sql`WITH agg AS (
      SELECT publisher, max(received_at) AS last_received,
        sum(records) FILTER (WHERE received_at >= ${cutoff}::timestamptz) AS r30, sum(accepted) FILTER (WHERE received_at >= ${cutoff}::timestamptz) AS a30,
        sum(fields_given) FILTER (WHERE received_at >= ${cutoff}::timestamptz) AS g30, sum(fields_possible) FILTER (WHERE received_at >= ${cutoff}::timestamptz) AS p30
      FROM hub.batches GROUP BY publisher),
    src AS (SELECT publisher, count(*) AS n, count(*) FILTER (WHERE status = 'failing') AS failing, count(*) FILTER (WHERE status = 'paused') AS paused
      FROM hub.sources GROUP BY publisher)
    SELECT p.publisher, p.name, agg.last_received,
      CASE WHEN agg.r30 > 0 THEN agg.a30::float8 / agg.r30 END AS validity,
      CASE WHEN agg.p30 > 0 THEN agg.g30::float8 / agg.p30 END AS completeness,
      coalesce(src.n, 0) AS sources, coalesce(src.failing, 0) AS failing, coalesce(src.paused, 0) AS paused,
      count(*) OVER () AS total
    FROM hub.publishers p LEFT JOIN agg ON agg.publisher = p.publisher LEFT JOIN src ON src.publisher = p.publisher
    ORDER BY ${order} LIMIT ${size} OFFSET ${offset}`)).rows as Record<string, unknown>[];
  let total = n(rows[0]?.total);
  if (!rows.length && offset > 0) total = n((await db.execute(sql`SELECT count(*) AS n FROM hub.publishers`)).rows[0]?.n);
  return {
    total,
    rows: rows.map((r) => {
      const lastReceived = dateOf(r.last_received);
      return {
        publisher: String(r.publisher), name: String(r.name),
        validity: r.validity === null ? null : Number(r.validity), completeness: r.completeness === null ? null : Number(r.completeness),
        lastReceived, lagMinutes: lastReceived ? Math.max(0, Math.floor((now.getTime() - lastReceived.getTime()) / 60_000)) : null,
        sources: n(r.sources), failing: n(r.failing), paused: n(r.paused),
      };
    }),
  };
}

/** "45 minutes", "3 hours", "12 days": how long ago, in words. */
export function lagWords(minutes: number | null): string {
  if (minutes === null) return 'Nothing received yet';
  const plural = (v: number, unit: string) => `${v.toLocaleString('en-GB')} ${unit}${v === 1 ? '' : 's'}`;
  if (minutes < 1) return 'Less than a minute';
  if (minutes < 120) return plural(minutes, 'minute');
  if (minutes < 48 * 60) return plural(Math.floor(minutes / 60), 'hour');
  return plural(Math.floor(minutes / 1440), 'day');
}

/** A share as "97.5%", or words when there is nothing to share out. */
export function percentWords(value: number | null, none = 'No records'): string {
  if (value === null) return none;
  const pct = Math.floor(value * 1000) / 10; // floored: 99.95% of records is not "100%"
  return `${pct.toLocaleString('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 })}%`;
}
