// The data set of bench/hub.ts: landlords (sizes skewed as the sector is), and each landlord's HHDS change feed as
// RPDE pages, made on the fly. Everything follows from (seed, landlord index, home number), so the feed server
// (bench/hub-feeds.ts, a worker thread) and the bench's checks agree without sharing state. Pure: no I/O here.
//
// A landlord's feed, in (modified, id) order (modified values are unique, so modified alone orders it):
//   version 0 (the initial federation): home n at modified n + 1, then its measures records (two TSM years, LCRA, and
//     LCHO when it has enough shared-ownership homes) at modified homes + 1, homes + 2 …;
//   version 1 (after 1% of homes change): the changed homes leave their old place and come after everything else, at
//     modified CHANGED_AT + k: four in five updated (bedrooms and rent type), one in five deleted.
import { apportion } from './national-generate.ts';
import type { DeletionRecord, HomeRecord, MeasuresRecord } from '../src/modules/hub/standard/schema.ts';

export interface LocalAuthorityRef { code: string; regionCode: string }

export interface FeedLandlord {
  index: number;
  registration: string;
  name: string;
  kind: 'private-registered-provider' | 'local-authority';
  region: string;
  localAuthorities: string[];
  homes: number;
  /** Items per feed page: 500 to 1,000. */
  pageSize: number;
  uprnBase: number;
  /** Share of homes in blocks of flats. */
  blockShare: number;
}

export interface HubPlan { seed: number; landlords: FeedLandlord[] }

/** Modified of the first changed item in version 1: after any landlord's initial items. */
export const CHANGED_AT = 1_000_000_000;
/** Homes changed in version 1, per 10,000. */
export const CHANGE_PER_10000 = 100;

export function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}
/** A hash of several whole numbers, 0 to 2^32 − 1. */
export const hash = (...xs: number[]) => xs.reduce((h, x) => mix32(h ^ Math.imul(x + 0x9e3779b9, 0x27d4eb2f)), 0x1234567);
/** A number in [0, 1) from a hash. */
const unit = (...xs: number[]) => hash(...xs) / 4_294_967_296;

const STEMS = ['Ash', 'Beech', 'Cedar', 'Elm', 'Hazel', 'Oak', 'Rowan', 'Willow', 'Moor', 'Vale', 'Brook', 'Heath', 'Stone', 'Fern', 'Holly', 'Lark'];
const ENDINGS = ['field', 'wood', 'dale', 'gate', 'ton', 'bridge', 'ford', 'ley', 'mere', 'side'];

/**
 * Landlords as the sector has them (the national bench's shape): most hold 500–3,000 homes, about one in eleven
 * 3,000–30,000, one in eighty 30,000–60,000 — then scaled so they sum to `homes`. Each has 1 to 6 local authorities
 * in one region (more for bigger landlords).
 */
export function makeHubPlan(landlords: number, homes: number, seed: number, las: readonly LocalAuthorityRef[]): HubPlan {
  const n = Math.max(1, landlords);
  const sizes: number[] = [];
  for (let i = 0; i < n; i++) {
    const q = Math.min(0.99999, (i + 0.25 + 0.5 * unit(seed, i, 1)) / n);
    const logUniform = (u: number, a: number, b: number) => a * Math.pow(b / a, u);
    sizes.push(q < 0.9 ? logUniform(q / 0.9, 500, 3_000) : q < 0.9875 ? logUniform((q - 0.9) / 0.0875, 3_000, 30_000) : 30_000 + 30_000 * ((q - 0.9875) / 0.0125));
  }
  const counts = apportion(sizes, Math.max(homes, n * 20), 20);
  const regions = new Map<string, string[]>();
  for (const la of las) regions.set(la.regionCode, [...(regions.get(la.regionCode) ?? []), la.code]);
  const regionList = [...regions.keys()].sort();
  // Landlord numbers in a shuffled order, so registrations say nothing about size.
  const slots = Array.from({ length: n }, (_, i) => i).sort((a, b) => hash(seed, a, 2) - hash(seed, b, 2) || a - b);
  let uprn = 100_000_000_000;
  const out: FeedLandlord[] = [];
  for (let i = 0; i < n; i++) {
    const index = slots[i]!;
    const h = counts[i]!;
    const council = unit(seed, index, 3) < (h >= 30_000 ? 0.5 : h >= 3_000 ? 0.4 : 0.05);
    const region = regionList[hash(seed, index, 4) % regionList.length]!;
    const inRegion = regions.get(region)!;
    const howMany = Math.min(inRegion.length, h > 20_000 ? 6 : h > 3_000 ? 3 : h > 1_500 ? 2 : 1);
    const start = hash(seed, index, 5) % inRegion.length;
    const localAuthorities = Array.from({ length: howMany }, (_, k) => inRegion[(start + k) % inRegion.length]!);
    out.push({
      index, registration: `${council ? 'LA' : 'L'}${String(1000 + index).padStart(4, '0')}`,
      name: `${STEMS[hash(seed, index, 6) % STEMS.length]}${ENDINGS[hash(seed, index, 7) % ENDINGS.length]} ${council ? 'Council Housing' : 'Homes'} ${index + 1}`,
      kind: council ? 'local-authority' : 'private-registered-provider', region, localAuthorities, homes: h,
      pageSize: 500 + (hash(seed, index, 8) % 501), uprnBase: uprn, blockShare: (council ? 0.3 : 0.18) + (unit(seed, index, 9) - 0.5) * 0.2,
    });
    uprn += h + 1_000;
  }
  out.sort((a, b) => a.index - b.index);
  return { seed, landlords: out };
}

// ---- homes -------------------------------------------------------------------------------------------------------

const reference = (n: number) => `P${String(n + 1).padStart(7, '0')}`;

/** Whether home n changes in version 1, and how: undefined, 'updated' or 'deleted'. */
export function changeOf(seed: number, l: FeedLandlord, n: number): 'updated' | 'deleted' | undefined {
  const h = hash(seed, l.index, n, 11);
  if (h % 10_000 >= CHANGE_PER_10000) return undefined;
  return (h >>> 16) % 5 === 0 ? 'deleted' : 'updated';
}

/** The homes that change in version 1, in order: their number and how. */
export function changesOf(seed: number, l: FeedLandlord): { n: number; how: 'updated' | 'deleted' }[] {
  const out: { n: number; how: 'updated' | 'deleted' }[] = [];
  for (let n = 0; n < l.homes; n++) {
    const how = changeOf(seed, l, n);
    if (how) out.push({ n, how });
  }
  return out;
}

const RENT = [[700, 'social-rent'], [880, 'affordable-rent'], [940, 'shared-ownership'], [950, 'other-lcho'], [970, 'intermediate-rent'],
  [980, 'market-rent'], [995, 'leasehold'], [1000, 'other']] as const;

/** Home n of a landlord, as version 0 publishes it (or, `updated`, as version 1 does). */
export function homeRecord(seed: number, l: FeedLandlord, n: number, updated = false): HomeRecord {
  const h = hash(seed, l.index, n, 21);
  const g = Math.floor(n / 200);
  const gh = hash(seed, l.index, g, 22);
  const la = l.localAuthorities[gh % l.localAuthorities.length]!;
  const share = Math.min(0.95, Math.max(0, l.blockShare + (((gh >>> 8) % 1000) / 1000 - 0.5) * 0.3));
  const inBlocks = Math.round(200 * share);
  const i = n % 200;
  let rentType: string = RENT.find(([upTo]) => h % 1000 < upTo)![1];
  if (updated) rentType = rentType === 'social-rent' ? 'affordable-rent' : rentType === 'affordable-rent' ? 'social-rent' : rentType;
  const record: HomeRecord = { type: 'home', landlordReference: reference(n), localAuthority: la, rentType: rentType as HomeRecord['rentType'] };
  if ((h >>> 10) % 100 < 95) record.uprn = String(l.uprnBase + n);
  if (rentType === 'social-rent' || rentType === 'affordable-rent') {
    const k = (h >>> 4) % 100;
    record.needsType = k < 88 ? 'general-needs' : k < 95 ? 'supported-housing' : 'housing-for-older-people';
  }
  if (i < inBlocks) {
    const k = (gh >>> 16) % 1000;
    const kind = k < 40 ? 'tower' : k < 140 ? 'medium' : 'lowrise';
    const storeys = kind === 'tower' ? 10 + ((gh >>> 3) % 16) : kind === 'medium' ? 6 + ((gh >>> 3) % 4) : 3 + ((gh >>> 3) % 3);
    const perFloor = kind === 'tower' ? 4 + ((gh >>> 5) % 3) : 2 + ((gh >>> 5) % 4);
    const units = storeys * perFloor;
    const b = Math.floor(i / units);
    const bh = hash(seed, l.index, g, b, 23);
    const heightMetres = Math.round((storeys * 2.9 - 0.4 + (bh % 10) / 10) * 10) / 10;
    const withHeight = bh % 10 !== 0;
    record.block = {
      blockReference: `B${g}-${b}`, storeys, residentialUnits: units,
      ...(withHeight ? { heightMetres } : {}),
      higherRisk: storeys >= 7 || (withHeight && heightMetres >= 18),
    };
    record.propertyType = (h >>> 7) % 10 === 0 ? 'maisonette' : 'flat';
    record.bedrooms = 1 + ((h >>> 12) % 3);
  } else {
    const k = (h >>> 7) % 100;
    record.propertyType = k < 78 ? 'house' : k < 93 ? 'bungalow' : 'other';
    record.bedrooms = 2 + ((h >>> 12) % 3);
  }
  if (updated) record.bedrooms = (record.bedrooms ?? 1) % 5 + 1;
  record.buildYear = 1919 + ((h >>> 20) % 106);
  return record;
}

// ---- measures ----------------------------------------------------------------------------------------------------

export const PERIODS = [{ from: '2024-04-01', to: '2025-03-31' }, { from: '2025-04-01', to: '2026-03-31' }] as const;
const SURVEY_METHODS = ['postal', 'online', 'telephone', 'face-to-face', 'mixed'] as const;

/** A landlord's measures records: each TSM year for LCRA, and for LCHO when it has 100 or more such homes. */
export function measuresRecords(seed: number, l: FeedLandlord): MeasuresRecord[] {
  const lcho = Math.round(l.homes * 0.07);
  const lcra = Math.round(l.homes * 0.88);
  const out: MeasuresRecord[] = [];
  for (const [p, period] of PERIODS.entries()) {
    for (const [tenureGroup, stock] of [['LCRA', lcra], ['LCHO', lcho]] as const) {
      if (stock < (tenureGroup === 'LCRA' ? 1 : 100)) continue;
      let k = 0;
      const u = (a: number, b: number) => a + (b - a) * unit(seed, l.index, p, tenureGroup === 'LCRA' ? 0 : 1, k++);
      const of = (whole: number, a: number, b: number) => Math.min(whole, Math.round(whole * u(a, b)));
      const pair = (denominator: number, a: number, b: number) => (denominator >= 1 ? { numerator: of(denominator, a, b), denominator } : undefined);
      const m: MeasuresRecord = { type: 'measures', landlord: l.registration, period: { ...period }, tenureGroup };
      const open = Math.round(stock * u(0.002, 0.02));
      const met = Math.round(open * u(3, 10));
      m.dampAndMould = { openCases: open, clocksMet: met, clocksMissed: Math.round(met * u(0, 0.12)) };
      const set = (key: string, v: { numerator: number; denominator: number } | undefined) => { if (v) (m as unknown as Record<string, unknown>)[key] = v; };
      set('rp01', pair(stock, 0, 0.08));
      set('rp02_1', pair(Math.round(stock * u(2, 4)), 0.7, 0.98));
      set('rp02_2', pair(Math.round(stock * u(0.2, 0.6)), 0.85, 1));
      const asb = Math.round(stock * u(0.01, 0.05));
      set('nm01_1', { numerator: asb, denominator: stock });
      set('nm01_2', { numerator: Math.round(asb * u(0, 0.05)), denominator: stock });
      set('bs01', pair(Math.round(stock * 0.9), 0.97, 1));
      set('bs02', pair(Math.round(stock * u(0.05, 0.3)), 0.97, 1));
      set('bs03', pair(Math.round(stock * 0.4), 0.97, 1));
      set('bs04', pair(Math.round(stock * 0.2), 0.97, 1));
      set('bs05', pair(Math.round(stock * 0.05), 0.97, 1));
      const stage1 = Math.round(stock * u(0.01, 0.08));
      const stage2 = Math.round(stage1 * u(0.05, 0.2));
      set('ch01_1', { numerator: stage1, denominator: stock });
      set('ch01_2', { numerator: stage2, denominator: stock });
      set('ch02_1', pair(stage1, 0.8, 1));
      set('ch02_2', pair(stage2, 0.8, 1));
      const sampleSize = Math.min(stock, Math.round(250 + stock * u(0.02, 0.05)));
      if (sampleSize >= 1) {
        for (const key of ['tp01', 'tp02', 'tp03', 'tp04', 'tp05', 'tp06', 'tp07', 'tp08', 'tp09', 'tp10', 'tp11', 'tp12']) {
          const responses = Math.round(sampleSize * (key === 'tp10' || key === 'tp12' ? u(0.4, 0.7) : key === 'tp09' ? u(0.2, 0.4) : u(0.85, 1)));
          (m as unknown as Record<string, unknown>)[key] = { satisfied: of(responses, 0.5, 0.88), responses };
        }
        m.survey = {
          method: SURVEY_METHODS[hash(seed, l.index, p, 31) % SURVEY_METHODS.length]!, sampleSize, population: stock,
          fieldworkFrom: `${period.from.slice(0, 4)}-09-01`, fieldworkTo: `${period.to.slice(0, 4)}-02-28`,
        };
      }
      out.push(m);
    }
  }
  return out;
}

// ---- the feed ----------------------------------------------------------------------------------------------------

export interface FeedPageItem { state: 'updated' | 'deleted'; kind: string; id: string; modified: number; data?: HomeRecord | MeasuresRecord | DeletionRecord }

/**
 * The page of a landlord's feed after `after` (a modified value; -1 for the first page): up to pageSize items, in
 * order. `changes` are changesOf(seed, l), needed in version 1 only.
 */
export function feedPage(seed: number, l: FeedLandlord, version: 0 | 1, after: number, changes: readonly { n: number; how: 'updated' | 'deleted' }[] = []): FeedPageItem[] {
  const items: FeedPageItem[] = [];
  const full = () => items.length >= l.pageSize;
  const changed = version === 1 ? new Map(changes.map((c) => [c.n, c.how])) : undefined;
  // Homes at modified n + 1.
  for (let n = Math.max(0, after); n < l.homes && !full(); n++) {
    if (changed?.has(n)) continue;
    items.push({ state: 'updated', kind: 'home', id: reference(n), modified: n + 1, data: homeRecord(seed, l, n) });
  }
  // Measures at modified homes + 1 + k.
  const measures = measuresRecords(seed, l);
  for (let k = Math.max(0, after - l.homes); k < measures.length && !full(); k++) {
    const m = measures[k]!;
    items.push({ state: 'updated', kind: 'measures', id: `M-${m.period.from}-${m.tenureGroup}`, modified: l.homes + 1 + k, data: m });
  }
  // Version 1: the changed homes at CHANGED_AT + k.
  if (version === 1) {
    for (let k = Math.max(0, after - CHANGED_AT + 1); k < changes.length && !full(); k++) {
      const c = changes[k]!;
      items.push(c.how === 'deleted'
        ? { state: 'deleted', kind: 'home', id: reference(c.n), modified: CHANGED_AT + k }
        : { state: 'updated', kind: 'home', id: reference(c.n), modified: CHANGED_AT + k, data: homeRecord(seed, l, c.n, true) });
    }
  }
  return items;
}
