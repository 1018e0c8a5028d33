// BI over the hub's published measures for signed-in analysts (issue 16, part 6): the regulator's, government's and
// landlords' own. One measure at a time, filtered by period, tenure group, the landlord's region, kind, size band and
// name; each landlord's exact numerator, denominator and value (internal use: no disclosure control, so every page and
// file says "not for publication"), the median of the rows shown and the national median, a cross-tab of medians, and
// a CSV of exactly the rows shown. Hub tables have no organisation: they are read as the owner (store.system) once the
// page has checked the reader's permission, hub:insight.
import { sql } from 'drizzle-orm';
import type { Db } from '../../../platform/db/store.ts';
import type { Role } from '../../../platform/auth/roles.ts';
import { can, declarePermissions, type PermissionDeclaration } from '../../../platform/auth/roles.ts';
import { forbidden, Problem } from '../../../platform/http/problem.ts';
import { csvDocument } from '../../../platform/http/csv.ts';
import { MEASURES, TENURE_GROUPS } from '../standard/schema.ts';
import { roundedRatio } from '../rules/tsm-return.ts';

export const HUB_INSIGHT_PERMISSIONS: readonly PermissionDeclaration[] = [
  { name: 'hub:insight', description: "the hub's published measures with exact figures, cross-tabs, exports, saved views and subscriptions, and the TSM returns", roles: ['analyst', 'administrator', 'data-lead'] },
];
// Declared when loaded (as publishing/settings.ts does), so can() knows it wherever this file is used.
declarePermissions('hub', HUB_INSIGHT_PERMISSIONS);

export const NOT_FOR_PUBLICATION = 'Exact figures for internal analysis: not for publication';

/** The reader may use the hub's BI pages (401 when not signed in: the page runner sends them to sign in). */
export function requireInsight(actor: { role: Role } | null | undefined): void {
  if (!actor) throw new Problem(401, 'Unauthorised', 'Sign in');
  if (!can(actor.role, 'hub:insight')) throw forbidden('Your role does not allow you to see the national data. Ask an administrator for the analyst role.');
}

// ---- measures and filters ---------------------------------------------------------------------------------------

export type Unit = '%' | 'per 1,000 homes' | 'count';
export interface InsightMeasure { key: string; code: string; title: string; unit: Unit; places: number }

/** Every measure the hub holds values of: the TSMs, then damp and mould counts. */
export const INSIGHT_MEASURES: readonly InsightMeasure[] = [
  ...MEASURES.map((m): InsightMeasure => ({ key: m.key, code: m.code, title: m.title, unit: m.kind === 'rate' ? 'per 1,000 homes' : '%', places: m.kind === 'rate' ? 2 : 1 })),
  { key: 'dm_open', code: 'Damp and mould', title: 'Damp and mould cases open at the end of the period', unit: 'count', places: 0 },
  { key: 'dm_met', code: "Awaab's Law", title: "Awaab's Law deadlines met", unit: 'count', places: 0 },
  { key: 'dm_missed', code: "Awaab's Law", title: "Awaab's Law deadlines missed", unit: 'count', places: 0 },
];
const MEASURE = new Map(INSIGHT_MEASURES.map((m) => [m.key, m]));
export const measureOf = (key: string): InsightMeasure => MEASURE.get(key) ?? INSIGHT_MEASURES[0]!;

export const LANDLORD_KINDS = { 'private-registered-provider': 'Private registered provider', 'local-authority': 'Local authority' } as const;
export type LandlordKind = keyof typeof LANDLORD_KINDS;

/** Landlord size by homes published to the hub. */
export const SIZE_BANDS = [
  { key: 'small', label: 'Under 1,000 homes', min: 0, max: 999 },
  { key: 'medium', label: '1,000 to 9,999 homes', min: 1_000, max: 9_999 },
  { key: 'large', label: '10,000 homes or more', min: 10_000, max: Number.MAX_SAFE_INTEGER },
] as const;
export type SizeBand = (typeof SIZE_BANDS)[number]['key'];
export const sizeBandOf = (homes: number): SizeBand => SIZE_BANDS.find((b) => homes >= b.min && homes <= b.max)!.key;
const SIZE_LABEL = new Map<string, string>(SIZE_BANDS.map((b) => [b.key, b.label]));

export interface InsightFilters {
  measure: string;
  /** "YYYY-MM-DD_YYYY-MM-DD", "all", or "" for the latest period the hub holds. */
  period: string;
  tenure: '' | 'LCRA' | 'LCHO';
  /** ONS region (or nation) code. */
  region: string;
  kind: '' | LandlordKind;
  size: '' | SizeBand;
  /** Part of a landlord's name or its registration number. */
  q: string;
}
export const FILTER_KEYS = ['measure', 'period', 'tenure', 'region', 'kind', 'size', 'q'] as const;

export interface FilterError { field: (typeof FILTER_KEYS)[number]; text: string }

const PERIOD = /^(\d{4}-\d{2}-\d{2})_(\d{4}-\d{2}-\d{2})$/;
const REGION = /^[EWSN]\d{8}$/;
const one = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '').trim();

/**
 * The filters from a query string (or a saved view), leniently: a value that is not one of the choices is left out,
 * with an error naming the field, so an odd link still shows a page.
 */
export function parseFilters(query: Record<string, unknown>): { filters: InsightFilters; errors: FilterError[] } {
  const errors: FilterError[] = [];
  const measure = one(query.measure);
  const period = one(query.period);
  const tenure = one(query.tenure);
  const region = one(query.region);
  const kind = one(query.kind);
  const size = one(query.size);
  const q = one(query.q).replace(/[\p{Cc}]/gu, '').slice(0, 100);
  const f: InsightFilters = { measure: INSIGHT_MEASURES[0]!.key, period: '', tenure: '', region: '', kind: '', size: '', q };
  if (measure && MEASURE.has(measure)) f.measure = measure;
  else if (measure) errors.push({ field: 'measure', text: `Measure: "${measure}" is not a measure the hub holds; showing ${measureOf(f.measure).code}` });
  if (period === 'all' || PERIOD.test(period)) f.period = period;
  else if (period) errors.push({ field: 'period', text: `Period: "${period}" is not a period; showing the latest` });
  if (tenure === 'LCRA' || tenure === 'LCHO') f.tenure = tenure;
  else if (tenure && tenure !== 'all') errors.push({ field: 'tenure', text: `Tenure group: "${tenure}" must be LCRA or LCHO; showing both` });
  if (REGION.test(region)) f.region = region;
  else if (region) errors.push({ field: 'region', text: `Region: "${region}" is not an ONS region code; showing every region` });
  if (kind in LANDLORD_KINDS) f.kind = kind as LandlordKind;
  else if (kind) errors.push({ field: 'kind', text: `Kind of landlord: "${kind}" is not one; showing every kind` });
  if (SIZE_LABEL.has(size)) f.size = size as SizeBand;
  else if (size) errors.push({ field: 'size', text: `Size: "${size}" is not a size band; showing every size` });
  return { filters: f, errors };
}

/** The filters as a query string (only those set), for links, saved views and the CSV. */
export function filtersQuery(f: InsightFilters): string {
  const p = new URLSearchParams();
  for (const k of FILTER_KEYS) if (f[k]) p.set(k, f[k]);
  return p.toString();
}

/** The filters as the saved view keeps them (only those set). */
export const filtersRecord = (f: InsightFilters): Record<string, string> => Object.fromEntries(FILTER_KEYS.filter((k) => f[k]).map((k) => [k, f[k]]));

// ---- reading the hub --------------------------------------------------------------------------------------------

export interface InsightRow {
  publisher: string;
  landlord: string;
  kind: string;
  regionCode: string | null;
  regionName: string | null;
  homes: number;
  size: SizeBand;
  periodFrom: string;
  periodTo: string;
  tenureGroup: string;
  measure: string;
  numerator: number;
  denominator: number | null;
  value: number | null;
  unit: Unit;
}

/** A value as the regulator rounds it: percentages to 1 place, rates per 1,000 to 2, counts as they are. */
export function valueOf(m: InsightMeasure, numerator: number, denominator: number | null): number | null {
  if (m.unit === 'count') return numerator;
  if (!denominator) return null;
  return roundedRatio(numerator, denominator, m.unit === '%' ? 100 : 1000, m.places);
}

/** The median (the mean of the middle two for an even number), to the measure's places; null of nothing. */
export function median(values: readonly number[], places = 2): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const m = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  const unit = 10 ** places;
  return Math.round(m * unit) / unit;
}

/** Each landlord's region (the one it gave the hub, else where most of its homes are) and homes published. */
const LANDLORDS = sql`WITH home_counts AS (SELECT publisher, sum(homes)::int AS homes FROM hub.area_counts GROUP BY publisher),
  area AS (SELECT a.publisher, la.region_code, la.region_name, sum(a.homes) AS n FROM hub.area_counts a
    JOIN hub.local_authorities la ON la.code = a.local_authority GROUP BY a.publisher, la.region_code, la.region_name),
  main AS (SELECT DISTINCT ON (publisher) publisher, region_code, region_name FROM area ORDER BY publisher, n DESC, region_code),
  regions AS (SELECT DISTINCT region_code, region_name FROM hub.local_authorities),
  landlords AS (SELECT p.publisher, p.name, p.kind, coalesce(r.region_code, m.region_code) AS region_code,
      coalesce(r.region_name, m.region_name) AS region_name, coalesce(h.homes, 0) AS homes
    FROM hub.publishers p LEFT JOIN home_counts h ON h.publisher = p.publisher LEFT JOIN main m ON m.publisher = p.publisher
    LEFT JOIN regions r ON r.region_code = p.region)`;

const sizeCondition = (size: string) => {
  const b = SIZE_BANDS.find((x) => x.key === size);
  if (!b) return sql``;
  return b.max === Number.MAX_SAFE_INTEGER ? sql`AND l.homes >= ${b.min}` : sql`AND l.homes BETWEEN ${b.min} AND ${b.max}`;
};

/** The filters about the landlord (alias l of LANDLORDS), each an AND. */
const landlordConditions = (s: Pick<Scope, 'region' | 'kind' | 'size' | 'q'>) => sql`
  ${s.region ? sql`AND l.region_code = ${s.region}` : sql``}
  ${s.kind ? sql`AND l.kind = ${s.kind}` : sql``}
  ${s.size ? sizeCondition(s.size) : sql``}
  ${s.q ? sql`AND (position(lower(${s.q}) in lower(l.name)) > 0 OR upper(l.publisher) = upper(${s.q}))` : sql``}`;

/** The latest period the hub holds values of this measure for ("from_to"), or null. */
export async function latestPeriod(db: Db, measure: string): Promise<string | null> {
  const r = (await db.execute(sql`SELECT period_from::text AS f, period_to::text AS t FROM hub.measure_values WHERE measure = ${measure}
    ORDER BY period_to DESC, period_from DESC LIMIT 1`)).rows as { f: string; t: string }[];
  return r[0] ? `${r[0].f}_${r[0].t}` : null;
}

interface Scope { measure: string; period: string; tenure: string; region?: string; kind?: string; size?: string; q?: string }

async function select(db: Db, s: Scope): Promise<InsightRow[]> {
  const m = measureOf(s.measure);
  const p = PERIOD.exec(s.period);
  const rows = (await db.execute(sql`${LANDLORDS}
    SELECT l.publisher, l.name, l.kind, l.region_code, l.region_name, l.homes, v.period_from::text AS period_from, v.period_to::text AS period_to,
      v.tenure_group, v.numerator, v.denominator
    FROM hub.measure_values v JOIN landlords l ON l.publisher = v.publisher
    WHERE v.measure = ${m.key}
      ${p ? sql`AND v.period_from = ${p[1]!}::date AND v.period_to = ${p[2]!}::date` : sql``}
      ${s.tenure ? sql`AND v.tenure_group = ${s.tenure}` : sql``}
      ${landlordConditions(s)}
    ORDER BY lower(l.name), l.publisher, v.period_to DESC, v.period_from DESC, v.tenure_group DESC`)).rows as {
      publisher: string; name: string; kind: string; region_code: string | null; region_name: string | null; homes: number;
      period_from: string; period_to: string; tenure_group: string; numerator: string | number; denominator: string | number | null;
    }[];
  return rows.map((r) => {
    const numerator = Number(r.numerator);
    const denominator = r.denominator === null ? null : Number(r.denominator);
    const homes = Number(r.homes);
    return {
      publisher: r.publisher, landlord: r.name, kind: r.kind, regionCode: r.region_code, regionName: r.region_name, homes, size: sizeBandOf(homes),
      periodFrom: r.period_from, periodTo: r.period_to, tenureGroup: r.tenure_group, measure: m.key, numerator, denominator,
      value: valueOf(m, numerator, denominator), unit: m.unit,
    };
  });
}

export interface InsightResult {
  filters: InsightFilters;
  /** The period shown ("from_to"), resolved from "" to the latest; "all" for every period. */
  period: string;
  measure: InsightMeasure;
  rows: InsightRow[];
  /** Median of the values shown. */
  median: number | null;
  /** Median over every landlord for the same measure, period and tenure group (no other filter). */
  nationalMedian: number | null;
  nationalLandlords: number;
}

const values = (rows: readonly InsightRow[]) => rows.map((r) => r.value).filter((v): v is number => v !== null);

/** The filtered rows, their median and the national median. */
export async function insightRows(db: Db, f: InsightFilters): Promise<InsightResult> {
  const measure = measureOf(f.measure);
  const period = f.period || (await latestPeriod(db, measure.key)) || 'all';
  const rows = await select(db, { ...f, period });
  const national = await select(db, { measure: f.measure, period, tenure: f.tenure });
  return {
    filters: f, period, measure, rows, median: median(values(rows), measure.places),
    nationalMedian: median(values(national), measure.places), nationalLandlords: new Set(national.map((r) => r.publisher)).size,
  };
}

// ---- cross-tab ----------------------------------------------------------------------------------------------------

export type CrossRows = 'region' | 'size';
export type CrossColumns = 'tenure' | 'period';
export interface CrossTab {
  rowsBy: CrossRows;
  columnsBy: CrossColumns;
  measure: InsightMeasure;
  columns: { key: string; label: string }[];
  rows: { key: string; label: string; cells: { median: number | null; landlords: number }[] }[];
  /** Every row together, per column. */
  total: { median: number | null; landlords: number }[];
}

/** Periods as words: "1 April 2025 to 31 March 2026". */
export function periodWords(key: string): string {
  const p = PERIOD.exec(key);
  if (!p) return 'All periods';
  const d = (s: string) => new Date(`${s}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  return `${d(p[1]!)} to ${d(p[2]!)}`;
}

/** Medians and numbers of landlords: rows by region or size band, columns by tenure group or period (the latest 8). */
export async function crossTab(db: Db, f: InsightFilters, rowsBy: CrossRows, columnsBy: CrossColumns): Promise<CrossTab> {
  const measure = measureOf(f.measure);
  const period = columnsBy === 'period' ? 'all' : f.period || (await latestPeriod(db, measure.key)) || 'all';
  const rows = await select(db, { ...f, period, tenure: columnsBy === 'tenure' ? '' : f.tenure });
  const columns = columnsBy === 'tenure'
    ? TENURE_GROUPS_LIST.map((t) => ({ key: t, label: t }))
    : [...new Set(rows.map((r) => `${r.periodFrom}_${r.periodTo}`))].sort((a, b) => b.slice(11).localeCompare(a.slice(11)) || b.localeCompare(a)).slice(0, 8)
      .map((k) => ({ key: k, label: periodWords(k) }));
  const colOf = (r: InsightRow) => (columnsBy === 'tenure' ? r.tenureGroup : `${r.periodFrom}_${r.periodTo}`);
  const rowKeys = rowsBy === 'size'
    ? SIZE_BANDS.map((b) => ({ key: b.key as string, label: b.label as string }))
    : [...new Map(rows.map((r) => [r.regionCode ?? '', r.regionName ?? 'Region not known'])).entries()]
      .map(([key, label]) => ({ key, label })).sort((a, b) => (a.key === '' ? 1 : b.key === '' ? -1 : a.label.localeCompare(b.label)));
  const rowOf = (r: InsightRow) => (rowsBy === 'size' ? r.size : r.regionCode ?? '');
  const cell = (list: InsightRow[]) => ({ median: median(values(list), measure.places), landlords: new Set(list.map((r) => r.publisher)).size });
  return {
    rowsBy, columnsBy, measure, columns,
    rows: rowKeys.map((k) => ({ ...k, cells: columns.map((c) => cell(rows.filter((r) => rowOf(r) === k.key && colOf(r) === c.key))) })),
    total: columns.map((c) => cell(rows.filter((r) => colOf(r) === c.key))),
  };
}
const TENURE_GROUPS_LIST = Object.keys(TENURE_GROUPS) as (keyof typeof TENURE_GROUPS)[];

// ---- choices for the filter form ----------------------------------------------------------------------------------

export interface FilterChoices {
  periods: { key: string; label: string }[];
  regions: { code: string; name: string }[];
}

export async function filterChoices(db: Db): Promise<FilterChoices> {
  const periods = (await db.execute(sql`SELECT DISTINCT period_from::text AS f, period_to::text AS t FROM hub.measure_values
    ORDER BY t DESC, f DESC LIMIT 200`)).rows as { f: string; t: string }[];
  const regions = (await db.execute(sql`SELECT DISTINCT region_code AS code, region_name AS name FROM hub.local_authorities ORDER BY name`)).rows as { code: string; name: string }[];
  return { periods: periods.map((p) => ({ key: `${p.f}_${p.t}`, label: periodWords(`${p.f}_${p.t}`) })), regions };
}

// ---- the CSV ------------------------------------------------------------------------------------------------------

export const INSIGHT_CSV_COLUMNS = ['registration number', 'landlord', 'kind', 'region', 'homes published', 'size band', 'period from', 'period to',
  'tenure group', 'measure', 'measure code', 'numerator', 'denominator', 'value', 'unit'] as const;

/** Exactly the rows shown, one line each. */
export function insightCsv(rows: readonly InsightRow[]): string {
  return csvDocument([[...INSIGHT_CSV_COLUMNS], ...rows.map((r) => {
    const m = measureOf(r.measure);
    return [r.publisher, r.landlord, r.kind, r.regionName, r.homes, SIZE_LABEL.get(r.size), r.periodFrom, r.periodTo, r.tenureGroup, m.key, m.code,
      r.numerator, r.denominator, r.value, r.unit];
  })]);
}

/** The latest batch with accepted records the hub has received from the landlords the filters choose (new data for a view). */
export async function latestArrivalFor(db: Db, f: InsightFilters): Promise<Date | null> {
  const r = (await db.execute(sql`${LANDLORDS} SELECT max(b.received_at) AS at FROM hub.batches b JOIN landlords l ON l.publisher = b.publisher
    WHERE b.accepted > 0 ${landlordConditions(f)}`)).rows as { at: string | Date | null }[];
  return r[0]?.at ? new Date(r[0].at) : null;
}

/** The latest batch with accepted records the hub has received from anyone. */
export async function latestArrival(db: Db): Promise<Date | null> {
  const r = (await db.execute(sql`SELECT max(received_at) AS at FROM hub.batches WHERE accepted > 0`)).rows as { at: string | Date | null }[];
  return r[0]?.at ? new Date(r[0].at) : null;
}
