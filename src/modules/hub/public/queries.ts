// The public site's reads of the hub's tables, kept fast at national size (1,600 landlords, 4.7 million homes):
// - a landlord's page reads only that landlord's rows (every hub key starts with the publisher: one index range, one
//   Citus shard);
// - national figures (medians, league tables, damp and mould by size, higher-risk buildings by area) come from two
//   summaries made once and kept in memory: the homes and blocks of each landlord in each local authority (one pass
//   over hub.homes and hub.blocks) and each period's published figures (hub.measure_values of one period, a row per
//   landlord, tenure group and measure). Each is remade when `changed()` is called after a batch, and otherwise at
//   most every 5 minutes (the pages' max-age), in the background while the last one is served.
// docs/hub-public-site.md describes the summary table that replaces the first when several servers share a hub.
import { sql } from 'drizzle-orm';
import type { Db, Store } from '../../../platform/db/store.ts';
import {
  PUBLIC_MEASURES, PUBLIC_MEASURE, TENURE_VIEWS, dateText, median, publishLandlord, rawFigures, type PublishedFigure, type RawFigure, type TenureView,
} from './disclosure.ts';

export interface AreaCount {
  publisher: string;
  localAuthority: string;
  homes: number;
  lcraHomes: number;
  lchoHomes: number;
  blocks: number;
  higherRiskBlocks: number;
}

export interface PublisherSummary {
  publisher: string;
  name: string;
  kind: string;
  /** Its region: the one it gave the hub, else where most of its homes are. */
  regionCode: string | null;
  regionName: string | null;
  homes: number;
}

export interface LocalAuthorityRow { code: string; name: string; regionCode: string; regionName: string }
export interface Period { from: string; to: string; key: string }

export const periodKey = (from: string, to: string) => `${from}_${to}`;
/** "2025 to 2026" for a TSM year, else "1 April 2025 to 30 June 2025". */
export function periodWords(from: string, to: string): string {
  const f = new Date(`${from}T00:00:00Z`);
  const t = new Date(`${to}T00:00:00Z`);
  if (from.endsWith('-04-01') && to.endsWith('-03-31') && t.getUTCFullYear() === f.getUTCFullYear() + 1) return `April ${f.getUTCFullYear()} to March ${t.getUTCFullYear()}`;
  const d = (x: Date) => x.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  return `${d(f)} to ${d(t)}`;
}

/** Homes and blocks per landlord and local authority (all landlords, or one), as intake.ts keeps them in hub.area_counts. */
export async function areaCounts(db: Db, publisher?: string): Promise<AreaCount[]> {
  const only = publisher === undefined ? sql`` : sql`WHERE publisher = ${publisher}`;
  const rows = (await db.execute(sql`SELECT publisher, local_authority AS la, homes, lcra_homes AS lcra, lcho_homes AS lcho, blocks,
    higher_risk_blocks AS hrb FROM hub.area_counts ${only}`)).rows as Record<string, unknown>[];
  return rows.map((r) => ({
    publisher: String(r.publisher), localAuthority: String(r.la), homes: Number(r.homes), lcraHomes: Number(r.lcra), lchoHomes: Number(r.lcho),
    blocks: Number(r.blocks), higherRiskBlocks: Number(r.hrb),
  }));
}

const MEASURE_ROWS = (where: ReturnType<typeof sql>) => sql`SELECT publisher, period_from::text AS period_from, period_to::text AS period_to,
  tenure_group, measure, numerator, denominator FROM hub.measure_values WHERE ${where}`;

/** Every public figure of one landlord, all its periods (its rows only). */
export async function landlordFigures(db: Db, publisher: string): Promise<PublishedFigure[]> {
  const rows = (await db.execute(MEASURE_ROWS(sql`publisher = ${publisher}`))).rows as unknown as Parameters<typeof rawFigures>[0];
  return publishLandlord(rawFigures(rows));
}

/** Landlords whose name or registration number has the words (case and spacing ignored), best matches first. */
export async function searchPublishers(db: Db, q: string, limit = 50): Promise<{ publisher: string; name: string }[]> {
  const words = q.trim().toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8);
  if (!words.length) return [];
  const conditions = words.map((w) => sql`(lower(name) LIKE ${`%${likeEscape(w)}%`} OR lower(publisher) = ${w})`);
  const rows = (await db.execute(sql`SELECT publisher, name FROM hub.publishers WHERE ${sql.join(conditions, sql` AND `)}
    ORDER BY (lower(publisher) = ${words.join(' ')}) DESC, (lower(name) LIKE ${`${likeEscape(words.join(' '))}%`}) DESC, name LIMIT ${limit}`)).rows;
  return rows as { publisher: string; name: string }[];
}

/** Local authorities whose name or ONS code has the words. */
export async function searchLocalAuthorities(db: Db, q: string, limit = 50): Promise<LocalAuthorityRow[]> {
  const words = q.trim().toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8);
  if (!words.length) return [];
  const conditions = words.map((w) => sql`(lower(name) LIKE ${`%${likeEscape(w)}%`} OR lower(code) = ${w})`);
  const rows = (await db.execute(sql`SELECT code, name, region_code AS "regionCode", region_name AS "regionName" FROM hub.local_authorities
    WHERE ${sql.join(conditions, sql` AND `)} ORDER BY (lower(name) LIKE ${`${likeEscape(words.join(' '))}%`}) DESC, name LIMIT ${limit}`)).rows;
  return rows as unknown as LocalAuthorityRow[];
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export interface PeriodFigures {
  period: Period;
  /** The exact counts the figures were made from: for national totals, which are published on their own; never shown. */
  raw: RawFigure[];
  /** Published figures of every landlord in the period, by measure. */
  byMeasure: Map<string, PublishedFigure[]>;
  /** Medians of the published rates, by `${measure}|${tenure}` (national) and `${measure}|${tenure}|${region}`. */
  medians: Map<string, { median: number | null; landlords: number }>;
}

interface Cached<T> { value?: T; at: number; loading?: Promise<T> }

/**
 * The public site's summaries of one hub database (one per store: `publicDataFor`). A summary that `changed()` (after
 * a batch) or age (`maxAgeMs`) made out of date is remade in the background while the old one is served.
 */
export class PublicData {
  readonly store: Store;
  readonly maxAgeMs: number;
  private readonly cache = new Map<string, Cached<unknown>>();
  constructor(store: Store, options: { maxAgeMs?: number } = {}) {
    this.store = store;
    this.maxAgeMs = options.maxAgeMs ?? 300_000;
  }

  /** Counts calls to changed(): a summary made while one came in is already out of date. */
  private generation = 0;

  /**
   * A batch changed what a publisher published: each summary is made again when next asked for, in the background
   * while the last one is served (so a busy hub's pages never wait for a national summary: seconds at 4.7M homes).
   */
  changed(_publisher?: string): void {
    this.generation++;
    for (const c of this.cache.values()) c.at = 0;
  }

  private async get<T>(key: string, make: () => Promise<T>): Promise<T> {
    let c = this.cache.get(key) as Cached<T> | undefined;
    if (!c) this.cache.set(key, c = { at: 0 });
    const fresh = Date.now() - c.at < this.maxAgeMs;
    if (c.value !== undefined && fresh) return c.value;
    if (!c.loading) {
      const entry = c;
      const generation = this.generation;
      entry.loading = make().then((v) => { entry.value = v; entry.at = generation === this.generation ? Date.now() : 0; return v; })
        .finally(() => { entry.loading = undefined; });
    }
    // Stale: serve the last one while the new one is made (a failure is left for the next request to retry).
    if (c.value !== undefined) { c.loading!.catch(() => undefined); return c.value; }
    return c.loading!;
  }

  areas(): Promise<AreaCount[]> {
    return this.get('areas', () => this.store.system((db) => areaCounts(db)));
  }

  localAuthorities(): Promise<Map<string, LocalAuthorityRow>> {
    return this.get('local-authorities', async () => {
      const rows = (await this.store.system((db) => db.execute(sql`SELECT code, name, region_code AS "regionCode", region_name AS "regionName"
        FROM hub.local_authorities`))).rows as unknown as LocalAuthorityRow[];
      return new Map(rows.map((r) => [r.code, r]));
    });
  }

  publishers(): Promise<Map<string, PublisherSummary>> {
    return this.get('publishers', async () => {
      const [rows, areas, las] = await Promise.all([
        this.store.system((db) => db.execute(sql`SELECT publisher, name, kind, region FROM hub.publishers`)).then((r) => r.rows as { publisher: string; name: string; kind: string; region: string | null }[]),
        this.areas(), this.localAuthorities(),
      ]);
      const regionNames = new Map([...las.values()].map((l) => [l.regionCode, l.regionName]));
      const homes = new Map<string, number>();
      const byRegion = new Map<string, Map<string, number>>();
      for (const a of areas) {
        homes.set(a.publisher, (homes.get(a.publisher) ?? 0) + a.homes);
        const region = las.get(a.localAuthority)?.regionCode;
        if (!region) continue;
        const m = byRegion.get(a.publisher) ?? byRegion.set(a.publisher, new Map()).get(a.publisher)!;
        m.set(region, (m.get(region) ?? 0) + a.homes);
      }
      return new Map(rows.map((p) => {
        const most = [...(byRegion.get(p.publisher) ?? new Map<string, number>())].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null;
        const regionCode = p.region && regionNames.has(p.region) ? p.region : most;
        return [p.publisher, { publisher: p.publisher, name: p.name, kind: p.kind, regionCode, regionName: regionCode ? regionNames.get(regionCode) ?? null : null, homes: homes.get(p.publisher) ?? 0 }];
      }));
    });
  }

  /** The periods landlords have published measures for, latest first. */
  periods(): Promise<Period[]> {
    return this.get('periods', async () => {
      const rows = (await this.store.system((db) => db.execute(sql`SELECT DISTINCT period_from::text AS f, period_to::text AS t FROM hub.measures
        ORDER BY t DESC, f DESC`))).rows as { f: string; t: string }[];
      return rows.map((r) => ({ from: dateText(r.f), to: dateText(r.t), key: periodKey(dateText(r.f), dateText(r.t)) }));
    });
  }

  /** Every landlord's published figures for one period, and the national and regional medians. */
  period(p: Period): Promise<PeriodFigures> {
    return this.get(`period:${p.key}`, async () => {
      const [rows, publishers] = await Promise.all([
        this.store.system((db) => db.execute(MEASURE_ROWS(sql`period_from = ${p.from}::date AND period_to = ${p.to}::date`))).then((r) => r.rows as unknown as Parameters<typeof rawFigures>[0]),
        this.publishers(),
      ]);
      // publishLandlord works per landlord and period, so one call over all of them gives each landlord's own figures.
      const raw = rawFigures(rows);
      const figures = publishLandlord(raw);
      const byMeasure = new Map<string, PublishedFigure[]>();
      for (const f of figures) (byMeasure.get(f.measure) ?? byMeasure.set(f.measure, []).get(f.measure)!).push(f);
      const medians = new Map<string, { median: number | null; landlords: number }>();
      for (const m of PUBLIC_MEASURES) {
        for (const tenure of TENURE_VIEWS) {
          const shown = (byMeasure.get(m.key) ?? []).filter((f) => f.tenure === tenure && f.rate !== null);
          medians.set(`${m.key}|${tenure}`, { median: median(shown.map((f) => f.rate!)), landlords: shown.length });
          const regions = new Map<string, number[]>();
          for (const f of shown) {
            const r = publishers.get(f.publisher)?.regionCode;
            if (r) (regions.get(r) ?? regions.set(r, []).get(r)!).push(f.rate!);
          }
          for (const [r, v] of regions) medians.set(`${m.key}|${tenure}|${r}`, { median: median(v), landlords: v.length });
        }
      }
      return { period: p, raw, byMeasure, medians };
    });
  }
}

const instances = new WeakMap<Store, PublicData>();
/** The one PublicData of a store: the pages read it, and whatever applies a batch calls `changed(publisher)` on it. */
export function publicDataFor(store: Store): PublicData {
  let d = instances.get(store);
  if (!d) instances.set(store, d = new PublicData(store));
  return d;
}

/** A landlord's figure of one measure and tenure group in one period, if it published one. */
export const figureOf = (figures: readonly PublishedFigure[], measure: string, tenure: TenureView, p: Period) =>
  figures.find((f) => f.measure === measure && f.tenure === tenure && f.periodFrom === p.from && f.periodTo === p.to);

export { PUBLIC_MEASURE };

export interface ChangelogEntry { receivedAt: Date; publisher: string; name: string; accepted: number }

/** What changed in the data, newest first: each batch that added or changed records (for the open data's changelog). */
export async function changelog(db: Db, limit = 30): Promise<ChangelogEntry[]> {
  const rows = (await db.execute(sql`SELECT b.received_at, b.publisher, p.name, b.accepted FROM hub.batches b
    JOIN hub.publishers p ON p.publisher = b.publisher WHERE b.accepted > 0 ORDER BY b.received_at DESC LIMIT ${limit}`)).rows as Record<string, unknown>[];
  return rows.map((r) => ({ receivedAt: new Date(String(r.received_at)), publisher: String(r.publisher), name: String(r.name), accepted: Number(r.accepted) }));
}
