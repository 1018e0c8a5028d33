// What the public site may show of a landlord's measures (decision 0026; rules/suppression.ts does the arithmetic).
// One function, `publishLandlord`, makes every public figure of a landlord, so the pages, the league tables, the
// medians and the open data all show the same cells hidden: a number hidden on one and shown on another would give
// it away. For each period and measure, a landlord's counts are a small table (LCRA, LCHO and their total): counts of
// people (survey responses, complaints, ASB cases, damp and mould cases) from 1 to 9 read "fewer than 10", others are
// rounded to 5, and secondary suppression stops the total giving a hidden tenure group away; counts of homes are
// rounded to 5. A rate (a percentage, or per 1,000 homes) is worked out from the exact counts and hidden when its
// numerator is (or when it is a share of fewer than 10 people).
import { MEASURES, type MeasureKind } from '../standard/schema.ts';
import { PEOPLE_THRESHOLD, publishTable, roundToBase, suppressCount, type PublishedCount } from '../rules/suppression.ts';

export type TenureView = 'LCRA' | 'LCHO' | 'all';
export const TENURE_VIEWS: readonly TenureView[] = ['LCRA', 'LCHO', 'all'];
export const TENURE_VIEW_NAMES: Readonly<Record<TenureView, string>> = {
  LCRA: 'Low cost rental', LCHO: 'Low cost home ownership', all: 'All social homes',
};

export interface PublicMeasure {
  key: string;
  code: string;
  title: string;
  kind: MeasureKind | 'damp-rate' | 'damp-deadlines';
  /** How the rate reads: "%" or "per 1,000 homes". */
  unit: '%' | 'per 1,000 homes';
  /** The numerator (and for perception and CH02, the denominator) counts people. */
  numeratorPeople: boolean;
  denominatorPeople: boolean;
  numeratorWords: string;
  denominatorWords: string;
  /** Which way is better, for ranking: higher, lower, or neither (ranked highest first). */
  better: 'higher' | 'lower' | 'neither';
}

const PEOPLE_NUMERATOR = /^(nm01|ch01|ch02|tp)/;
const LOWER_BETTER = new Set(['rp01']);
const NEITHER = /^(nm01|ch01)/;

/** The measures the public site shows: the TSMs, then damp and mould (open cases per 1,000 homes; deadlines met). */
export const PUBLIC_MEASURES: readonly PublicMeasure[] = [
  ...MEASURES.map((m): PublicMeasure => ({
    key: m.key, code: m.code, title: m.title, kind: m.kind, unit: m.kind === 'rate' ? 'per 1,000 homes' : '%',
    numeratorPeople: PEOPLE_NUMERATOR.test(m.key), denominatorPeople: m.kind === 'perception' || m.key.startsWith('ch02'),
    numeratorWords: m.numerator, denominatorWords: m.denominator,
    better: LOWER_BETTER.has(m.key) ? 'lower' : NEITHER.test(m.key) ? 'neither' : 'higher',
  })),
  {
    key: 'dm_open', code: 'DM', title: 'Damp and mould cases open per 1,000 homes', kind: 'damp-rate', unit: 'per 1,000 homes',
    numeratorPeople: true, denominatorPeople: false, numeratorWords: 'Damp and mould hazard cases open at the end of the period',
    denominatorWords: 'Homes owned in the tenure group at the end of the period', better: 'lower',
  },
  {
    key: 'dm_met', code: 'DM', title: "Awaab's Law deadlines met", kind: 'damp-deadlines', unit: '%',
    numeratorPeople: true, denominatorPeople: true, numeratorWords: "Awaab's Law deadlines due in the period that were met",
    denominatorWords: "Awaab's Law deadlines due in the period", better: 'higher',
  },
];
export const PUBLIC_MEASURE = new Map(PUBLIC_MEASURES.map((m) => [m.key, m]));

/** A landlord's counts of one measure, period and tenure group, as hub.measure_values holds them (damp and mould folded in). */
export interface RawFigure {
  publisher: string;
  periodFrom: string;
  periodTo: string;
  tenureGroup: 'LCRA' | 'LCHO';
  measure: string;
  numerator: number;
  denominator: number | null;
}

export interface PublishedFigure {
  publisher: string;
  periodFrom: string;
  periodTo: string;
  measure: string;
  tenure: TenureView;
  numerator: PublishedCount;
  denominator: PublishedCount;
  /** The rate (a percentage, or per 1,000 homes), or null when hidden or not known. */
  rate: number | null;
}

/** A count of homes (or blocks) as published: rounded to 5; a few (1 or 2) read "fewer than 3" rather than 0. */
export function roundThings(n: number): PublishedCount {
  const shown = roundToBase(n);
  if (n > 0 && shown === 0) return { shown: null, words: 'fewer than 3' };
  return { shown, words: shown.toLocaleString('en-GB') };
}

/**
 * The measure_values rows of landlords, turned into the figures the public site uses: the TSMs as they are; damp
 * and mould as open cases over homes (the homes the record gives for RP01, NM01 or CH01) and deadlines met over
 * deadlines due (met + missed).
 */
export function rawFigures(rows: readonly { publisher: string; period_from: string; period_to: string; tenure_group: string; measure: string; numerator: number | string; denominator: number | string | null }[]): RawFigure[] {
  const out: RawFigure[] = [];
  const records = new Map<string, { base: Omit<RawFigure, 'measure' | 'numerator' | 'denominator'>; values: Map<string, { n: number; d: number | null }> }>();
  for (const r of rows) {
    const periodFrom = dateText(r.period_from);
    const periodTo = dateText(r.period_to);
    const key = `${r.publisher}|${periodFrom}|${periodTo}|${r.tenure_group}`;
    let rec = records.get(key);
    if (!rec) records.set(key, rec = { base: { publisher: r.publisher, periodFrom, periodTo, tenureGroup: r.tenure_group as 'LCRA' | 'LCHO' }, values: new Map() });
    rec.values.set(r.measure, { n: Number(r.numerator), d: r.denominator === null ? null : Number(r.denominator) });
  }
  for (const { base, values } of records.values()) {
    for (const [measure, v] of values) {
      if (measure.startsWith('dm_')) continue;
      out.push({ ...base, measure, numerator: v.n, denominator: v.d });
    }
    const open = values.get('dm_open');
    if (open) {
      const homes = ['rp01', 'nm01_1', 'nm01_2', 'ch01_1', 'ch01_2'].map((k) => values.get(k)?.d).find((d) => d != null) ?? null;
      out.push({ ...base, measure: 'dm_open', numerator: open.n, denominator: homes });
    }
    const met = values.get('dm_met');
    const missed = values.get('dm_missed');
    if (met && missed) out.push({ ...base, measure: 'dm_met', numerator: met.n, denominator: met.n + missed.n });
  }
  return out;
}

export const dateText = (d: unknown): string => (d instanceof Date ? d.toISOString().slice(0, 10) : String(d).slice(0, 10));

const rateOf = (m: PublicMeasure, n: number, d: number | null): number | null => {
  if (d === null || d <= 0) return null;
  return m.unit === '%' ? (100 * n) / d : (1000 * n) / d;
};

/**
 * Every public figure of one landlord's measures (all its periods): LCRA, LCHO and their total ("all") per period and
 * measure, each count shown, rounded or hidden, and the rate hidden with its numerator.
 */
export function publishLandlord(raw: readonly RawFigure[]): PublishedFigure[] {
  const groups = new Map<string, RawFigure[]>();
  for (const r of raw) {
    const key = `${r.publisher}|${r.periodFrom}|${r.periodTo}|${r.measure}`;
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(r);
  }
  const out: PublishedFigure[] = [];
  for (const rows of groups.values()) {
    const m = PUBLIC_MEASURE.get(rows[0]!.measure);
    if (!m) continue;
    const lcra = rows.find((r) => r.tenureGroup === 'LCRA');
    const lcho = rows.find((r) => r.tenureGroup === 'LCHO');
    const present = [lcra, lcho];
    // One row per count (numerator, denominator), one column per tenure group: the row totals are "all".
    const table = (part: 'numerator' | 'denominator', people: boolean) => {
      const counts = present.map((r) => r?.[part] ?? 0);
      const below = counts.filter((v) => people && v > 0 && v < PEOPLE_THRESHOLD).length;
      if (below === 1 && counts.some((v) => v === 0)) {
        // The other group has none (or published none): the total is the hidden count itself, hidden the same way.
        const [lcraCount, lchoCount] = counts.map((v) => suppressCount(v, { people }));
        return { LCRA: lcraCount!, LCHO: lchoCount!, all: suppressCount(counts[0]! + counts[1]!, { people }) };
      }
      if (below === 1) {
        // One tenure group below the threshold: it and the total are hidden, so the other group (what most readers
        // look at, low cost rental) is still shown. Hiding the other group instead would leave the total to show.
        const [lcraCount, lchoCount] = counts.map((v) => suppressCount(v, { people }));
        return { LCRA: lcraCount!, LCHO: lchoCount!, all: { shown: null, words: 'suppressed', reason: 'secondary' } as PublishedCount };
      }
      const t = publishTable([counts.map((count) => ({ count, people }))]);
      return { LCRA: t.cells[0]![0]!, LCHO: t.cells[0]![1]!, all: t.rowTotals[0]! };
    };
    const things = (n: number | null | undefined): PublishedCount => (n == null ? { shown: null, words: 'not given' } : roundThings(n));
    const nums = m.numeratorPeople ? table('numerator', true) : null;
    const dens = m.denominatorPeople ? table('denominator', true) : null;
    const hasDen = present.every((r) => !r || r.denominator !== null);
    const base = { publisher: rows[0]!.publisher, periodFrom: rows[0]!.periodFrom, periodTo: rows[0]!.periodTo, measure: m.key };
    for (const tenure of TENURE_VIEWS) {
      const parts = tenure === 'all' ? present.filter((r): r is RawFigure => !!r) : [tenure === 'LCRA' ? lcra : lcho].filter((r): r is RawFigure => !!r);
      if (!parts.length) continue;
      const n = parts.reduce((s, r) => s + r.numerator, 0);
      const d = hasDen ? parts.reduce((s, r) => s + (r.denominator ?? 0), 0) : null;
      const numerator = nums ? nums[tenure] : things(n);
      const denominator = dens ? dens[tenure] : things(d);
      const hidden = numerator.shown === null && numerator.words !== 'fewer than 3' || (m.denominatorPeople && denominator.shown === null);
      out.push({ ...base, tenure, numerator, denominator, rate: hidden ? null : rateOf(m, n, d) });
    }
  }
  return out;
}

/** The median as PostgreSQL's percentile_cont(0.5) gives it: the middle value, or half-way between the two middle ones. */
export function median(values: readonly number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = (s.length - 1) / 2;
  return (s[Math.floor(mid)]! + s[Math.ceil(mid)]!) / 2;
}

/** A rate as the pages print it: "87.5%" or "12.3 per 1,000 homes". */
export function rateWords(m: PublicMeasure, rate: number | null): string {
  if (rate === null) return 'not shown';
  const n = rate.toLocaleString('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return m.unit === '%' ? `${n}%` : `${n} per 1,000 homes`;
}
