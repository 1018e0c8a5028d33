// The national pages' tables, from the public summaries (queries.ts) and the published figures (disclosure.ts):
// higher-risk buildings by region and local authority, damp and mould by landlord size, and the TSM league tables.
import { publishTable, type PublishedCount } from '../rules/suppression.ts';
import { PUBLIC_MEASURE, roundThings, type PublishedFigure, type TenureView } from './disclosure.ts';
import type { Period, PublicData } from './queries.ts';

export interface AreaRow { code: string; name: string; regionName?: string; higherRisk: PublishedCount; blocks: PublishedCount; exactHigherRisk: number }

/** Blocks and higher-risk blocks (Building Safety Act 2022) by region, and by local authority (those with any block). */
export async function higherRiskByArea(data: PublicData): Promise<{ regions: AreaRow[]; localAuthorities: AreaRow[]; total: AreaRow }> {
  const [areas, las] = await Promise.all([data.areas(), data.localAuthorities()]);
  const byLa = new Map<string, { blocks: number; hr: number }>();
  for (const a of areas) {
    if (!a.blocks) continue;
    const t = byLa.get(a.localAuthority) ?? byLa.set(a.localAuthority, { blocks: 0, hr: 0 }).get(a.localAuthority)!;
    t.blocks += a.blocks;
    t.hr += a.higherRiskBlocks;
  }
  const byRegion = new Map<string, { name: string; blocks: number; hr: number }>();
  let blocks = 0;
  let hr = 0;
  const laRows: AreaRow[] = [];
  for (const [code, t] of byLa) {
    const la = las.get(code);
    const region = la ? { code: la.regionCode, name: la.regionName } : { code: 'unknown', name: 'Local authority not known' };
    const r = byRegion.get(region.code) ?? byRegion.set(region.code, { name: region.name, blocks: 0, hr: 0 }).get(region.code)!;
    r.blocks += t.blocks; r.hr += t.hr; blocks += t.blocks; hr += t.hr;
    laRows.push({ code, name: la?.name ?? code, regionName: region.name, higherRisk: roundThings(t.hr), blocks: roundThings(t.blocks), exactHigherRisk: t.hr });
  }
  const regions = [...byRegion].map(([code, r]) => ({ code, name: r.name, higherRisk: roundThings(r.hr), blocks: roundThings(r.blocks), exactHigherRisk: r.hr }))
    .sort((a, b) => a.name.localeCompare(b.name));
  laRows.sort((a, b) => b.exactHigherRisk - a.exactHigherRisk || a.name.localeCompare(b.name));
  return { regions, localAuthorities: laRows, total: { code: 'total', name: 'England and Wales', higherRisk: roundThings(hr), blocks: roundThings(blocks), exactHigherRisk: hr } };
}

export const SIZE_BANDS = [
  { key: 'small', name: 'Fewer than 1,000 homes', min: 0, max: 999 },
  { key: 'medium', name: '1,000 to 9,999 homes', min: 1_000, max: 9_999 },
  { key: 'large', name: '10,000 homes or more', min: 10_000, max: Infinity },
] as const;

export interface DampBySize {
  period: Period;
  bands: { name: string; landlords: number; homes: PublishedCount; open: PublishedCount; met: PublishedCount; due: PublishedCount; openRate: number | null; metRate: number | null }[];
  total: { landlords: number; homes: PublishedCount; open: PublishedCount; met: PublishedCount; due: PublishedCount; openRate: number | null; metRate: number | null };
}

/**
 * Damp and mould cases open, and Awaab's Law deadlines met of those due, by landlord size (homes published), all
 * social homes. Each column is a table of counts of people with its total, suppressed as one (publishTable), and a
 * rate is shown only where its numerator is. Landlords count once each, in their band.
 */
export async function dampBySize(data: PublicData, period: Period): Promise<DampBySize> {
  const [{ raw: figures }, publishers] = await Promise.all([data.period(period), data.publishers()]);
  const sums = SIZE_BANDS.map(() => ({ landlords: 0, homes: 0, open: 0, met: 0, due: 0 }));
  const band = (homes: number) => SIZE_BANDS.findIndex((b) => homes >= b.min && homes <= b.max);
  // The exact counts (both tenure groups): each band's total is worked out from them, then published.
  const raw = new Map<string, { open?: number; met?: number; due?: number }>();
  for (const f of figures) {
    if (f.measure !== 'dm_open' && f.measure !== 'dm_met') continue;
    const r = raw.get(f.publisher) ?? raw.set(f.publisher, {}).get(f.publisher)!;
    if (f.measure === 'dm_open') r.open = (r.open ?? 0) + f.numerator;
    else { r.met = (r.met ?? 0) + f.numerator; r.due = (r.due ?? 0) + (f.denominator ?? 0); }
  }
  for (const [publisher, r] of raw) {
    const homes = publishers.get(publisher)?.homes ?? 0;
    const s = sums[band(homes)]!;
    s.landlords++; s.homes += homes;
    s.open += r.open ?? 0; s.met += r.met ?? 0; s.due += r.due ?? 0;
  }
  const column = (k: 'open' | 'met' | 'due') => publishTable(sums.map((s) => [{ count: s[k], people: true }]));
  const open = column('open');
  const met = column('met');
  const due = column('due');
  const homesByBand = sums.map((s) => s.homes);
  const totalHomes = homesByBand.reduce((a, b) => a + b, 0);
  const rate = (n: PublishedCount, exactN: number, d: number, per: number) => (n.shown === null || d <= 0 ? null : (per * exactN) / d);
  const bands = SIZE_BANDS.map((b, i) => ({
    name: b.name, landlords: sums[i]!.landlords, homes: roundThings(sums[i]!.homes), open: open.cells[i]![0]!, met: met.cells[i]![0]!, due: due.cells[i]![0]!,
    openRate: rate(open.cells[i]![0]!, sums[i]!.open, sums[i]!.homes, 1000),
    metRate: due.cells[i]![0]!.shown === null ? null : rate(met.cells[i]![0]!, sums[i]!.met, sums[i]!.due, 100),
  }));
  const t = { open: sums.reduce((a, s) => a + s.open, 0), met: sums.reduce((a, s) => a + s.met, 0), due: sums.reduce((a, s) => a + s.due, 0) };
  return {
    period, bands,
    total: {
      landlords: sums.reduce((a, s) => a + s.landlords, 0), homes: roundThings(totalHomes), open: open.grandTotal, met: met.grandTotal, due: due.grandTotal,
      openRate: rate(open.grandTotal, t.open, totalHomes, 1000), metRate: due.grandTotal.shown === null ? null : rate(met.grandTotal, t.met, t.due, 100),
    },
  };
}

export interface LeagueRow { rank: number | null; publisher: string; name: string; figure: PublishedFigure }

/**
 * Landlords ranked on one measure and tenure group in a period: best first where the measure has a better way
 * (highest first where it has none), ties sharing a rank; landlords whose figure is not shown come last, unranked.
 */
export async function leagueTable(data: PublicData, period: Period, measure: string, tenure: TenureView): Promise<LeagueRow[]> {
  const m = PUBLIC_MEASURE.get(measure);
  if (!m) return [];
  const [{ byMeasure }, publishers] = await Promise.all([data.period(period), data.publishers()]);
  const rows = (byMeasure.get(measure) ?? []).filter((f) => f.tenure === tenure)
    .map((f) => ({ publisher: f.publisher, name: publishers.get(f.publisher)?.name ?? f.publisher, figure: f }));
  const sign = m.better === 'lower' ? 1 : -1;
  const shown = rows.filter((r) => r.figure.rate !== null).sort((a, b) => sign * (round1(a.figure.rate!) - round1(b.figure.rate!)) || a.name.localeCompare(b.name));
  const hidden = rows.filter((r) => r.figure.rate === null).sort((a, b) => a.name.localeCompare(b.name));
  const out: LeagueRow[] = [];
  shown.forEach((r, i) => {
    const prev = out[i - 1];
    const rank = prev && round1(prev.figure.rate!) === round1(r.figure.rate!) ? prev.rank : i + 1;
    out.push({ rank, ...r });
  });
  return [...out, ...hidden.map((r) => ({ rank: null, ...r }))];
}

const round1 = (n: number) => Math.round(n * 10) / 10;
