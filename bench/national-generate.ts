// The national data set for bench/national.ts: the plan (1,600 landlords and their sizes), and each landlord's rows as
// COPY text — estates, blocks and homes; repairs and the damp and mould signals found in them. Everything about a
// landlord follows from (seed, landlord number), so a stopped run can carry on where it was and a re-run makes the
// same rows. Pure: no I/O here (bench/national-worker.ts does the COPY).
import { seededRandom } from '../src/platform/random.ts';
import { homeSearchText } from '../src/modules/homes/service.ts';
import { detectDampMould } from '../src/modules/hazards/damp-detector.ts';
import { REGIONS, THEMES, ESTATE_STEMS, ESTATE_ENDINGS, ESTATE_KINDS, BLOCK_SUFFIX, STREET_SUFFIXES, HEIGHT_SOURCES, INWARD_LETTERS, type Region } from '../src/modules/demo/places.ts';
import { repairText, type TextKind } from './national-text.ts';
import '../src/modules/install-all.ts'; // the modules installed, as the app installs them

export const NATIONAL = { landlords: 1_600, homes: 4_700_000, repairs: 30_000_000 };

export interface Landlord {
  index: number;
  id: string;
  name: string;
  kind: 'private-registered-provider' | 'local-authority';
  registrationNumber: string | null;
  homes: number;
  repairs: number;
  /** First UPRN of the landlord's homes (UPRNs are unique nationally). */
  uprnBase: number;
  /** Share of homes in blocks of flats, and of homes prone to damp (most damp and mould jobs are theirs). */
  blockShare: number;
  dampShare: number;
}

export interface Plan { seed: number; scale: number; asOf: string; landlords: Landlord[] }

// ---- ids ---------------------------------------------------------------------------------------------------------

export const KIND = { organisation: 0, estate: 1, block: 2, home: 3, repair: 4, signal: 5 } as const;

const hex = (x: number, n: number) => x.toString(16).padStart(n, '0');

function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * A UUID (version 7 layout) for record n of a kind in a landlord: ids increase with n, so each landlord's rows go
 * to the end of their part of every (organisation_id, id) index, as records made over time do.
 */
export function benchId(landlord: number, kind: number, n: number): string {
  const h = mix32(n ^ Math.imul(landlord, 0x9e3779b1) ^ (kind << 27));
  const g = mix32(h ^ 0x5bd1e995);
  return `0190${hex(landlord, 4)}-${kind.toString(16)}${hex(Math.floor(n / 1048576) & 0xfff, 3)}-7${hex((n >>> 8) & 0xfff, 3)}-` +
    `${hex(0x8000 | ((n & 0xff) << 4) | (h & 0xf), 4)}-${hex(g, 8)}${hex(h >>> 16, 4)}`;
}

// ---- the plan ----------------------------------------------------------------------------------------------------

/** Largest-remainder rounding of weights to whole numbers that sum to total, each at least min. */
export function apportion(weights: number[], total: number, min: number): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => Math.max(min, (w / sum) * total));
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) out[order[k]![1]]!++;
  for (let k = order.length - 1; left < 0; k = (k - 1 + order.length) % order.length) if (out[order[k]![1]]! > min) { out[order[k]![1]]!--; left++; }
  return out;
}

/**
 * Landlord sizes, skewed as the sector is: most hold 500–3,000 homes, about one in eleven 3,000–30,000, and about
 * one in eighty (20 of 1,600) 30,000–60,000. Drawn at evenly spaced quantiles (with a little jitter) so the shape is
 * the same at every scale, then scaled to the total.
 */
export function makePlan(scale: number, seed: number, asOf: string): Plan {
  const n = Math.max(1, Math.round(NATIONAL.landlords * scale));
  const totalHomes = Math.max(n * 50, Math.round(NATIONAL.homes * scale));
  const totalRepairs = Math.round(NATIONAL.repairs * scale);
  const r = seededRandom(seed);
  const logUniform = (u: number, a: number, b: number) => a * Math.pow(b / a, u);
  const sizes: number[] = [];
  for (let i = 0; i < n; i++) {
    const q = Math.min(0.99999, (i + 0.25 + 0.5 * r()) / n);
    sizes.push(q < 0.9 ? logUniform(q / 0.9, 500, 3_000) : q < 0.9875 ? logUniform((q - 0.9) / 0.0875, 3_000, 30_000) : 30_000 + 30_000 * ((q - 0.9875) / 0.0125));
  }
  const homes = apportion(sizes, totalHomes, 20);
  const rates = homes.map(() => 4.5 + 4 * r()); // repairs per home over the years held: 4.5–8.5
  const repairs = apportion(homes.map((h, i) => h * rates[i]!), totalRepairs, 0);
  // Landlord numbers in a shuffled order, so ids and names say nothing about size.
  const slots = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) { const j = Math.floor(r() * (i + 1)); [slots[i], slots[j]] = [slots[j]!, slots[i]!]; }
  const names = new Set<string>();
  const landlords: Landlord[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const index = slots[i]!;
    const h = homes[i]!;
    const council = r() < (h >= 30_000 ? 0.5 : h >= 3_000 ? 0.4 : 0.05);
    const region = REGIONS[Math.floor(r() * REGIONS.length)]!;
    let name = council ? `${region.localAuthority.replace(/ Council$/, '')} Housing`
      : [`${pickR(r, ESTATE_STEMS)}${pickR(r, ESTATE_ENDINGS)} Homes`, `${pickR(r, ESTATE_STEMS)}${pickR(r, ESTATE_ENDINGS)} Housing Association`,
        `${pickR(r, pickR(r, Object.values(THEMES)))} Housing Trust`, `${region.town} and District Housing`, `${pickR(r, ESTATE_STEMS)} Valley Homes`][Math.floor(r() * 5)]!;
    for (let k = 2; names.has(name); k++) name = `${name.replace(/ \(\d+\)$/, '')} (${k})`;
    names.add(name);
    landlords[index] = {
      index, id: benchId(index, KIND.organisation, 0), name, kind: council ? 'local-authority' : 'private-registered-provider',
      registrationNumber: council ? null : `L${String(1000 + index).padStart(4, '0')}`,
      homes: h, repairs: repairs[i]!, uprnBase: 0,
      blockShare: Math.min(0.5, Math.max(0.04, (council ? 0.3 : 0.18) + (r() - 0.5) * 0.2)),
      dampShare: 0.05 + 0.15 * r(),
    };
  }
  let uprn = 100_000_000_000;
  for (const l of landlords) { l.uprnBase = uprn; uprn += l.homes + 1_000; }
  return { seed, scale, asOf, landlords };
}

function pickR<T>(r: () => number, xs: readonly T[]): T { return xs[Math.floor(r() * xs.length)]!; }

// ---- COPY text ---------------------------------------------------------------------------------------------------

/** One COPY text line. Every value made here is free of tabs, newlines and backslashes (checked where text varies). */
const line = (cells: (string | number | null)[]) => cells.map((c) => (c === null ? '\\N' : c)).join('\t');

export const COLUMNS = {
  estates: ['organisation_id', 'id', 'name', 'local_authority'],
  blocks: ['organisation_id', 'id', 'estate_id', 'name', 'building_number', 'street', 'locality', 'town', 'postcode', 'storeys', 'height_metres',
    'height_source', 'height_method', 'year_built', 'residential_units'],
  homes: ['organisation_id', 'id', 'uprn', 'reference', 'sub_building', 'building_name', 'building_number', 'street', 'locality', 'town', 'postcode',
    'property_type', 'bedrooms', 'floor', 'block_id', 'estate_id', 'search_text'],
  repairs: ['organisation_id', 'id', 'job_reference', 'home_id', 'reported_date', 'priority', 'status', 'description', 'completed_date', 'target_date',
    'sor_code', 'trade', 'location'],
  damp_mould_signals: ['organisation_id', 'id', 'home_id', 'source_kind', 'source_id', 'basis', 'kinds', 'evidence', 'observed_on'],
} as const;

// ---- estates, blocks and homes ------------------------------------------------------------------------------------

export interface HomesRows { estates: string[]; blocks: string[]; homes: string[]; stats: BlockStats }
export interface BlockStats { blocks: number; homesInBlocks: number; atLeast18m: number; atLeast7Storeys: number; noHeightNoStoreys: number; sixStoreysNoHeight: number; noHeight: number }

const round2 = (x: number) => Math.round(x * 100) / 100;
const INWARD = [...INWARD_LETTERS];

export function landlordHomes(plan: Plan, l: Landlord): HomesRows {
  const r = seededRandom((plan.seed * 7919 + l.index * 104_729) >>> 0);
  const int = (a: number, b: number) => a + Math.floor(r() * (b - a + 1));
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const org = l.id;
  const estates: string[] = [], blocks: string[] = [], homes: string[] = [];
  const stats: BlockStats = { blocks: 0, homesInBlocks: 0, atLeast18m: 0, atLeast7Storeys: 0, noHeightNoStoreys: 0, sixStoreysNoHeight: 0, noHeight: 0 };
  const regions: Region[] = [REGIONS[l.index % REGIONS.length]!];
  if (l.homes > 3_000) regions.push(REGIONS[(l.index + 3) % REGIONS.length]!);
  if (l.homes > 20_000) regions.push(REGIONS[(l.index + 5) % REGIONS.length]!);
  let nEstate = 0, nBlock = 0, nHome = 0;
  const refWidth = Math.max(6, String(l.homes).length);
  const postcode = (outward: string[]) => `${pick(outward)} ${int(0, 9)}${pick(INWARD)}${pick(INWARD)}`;

  function addHome(h: { sub: string | null; building: string | null; number: string | null; street: string; locality: string | null; town: string;
    postcode: string; type: string; bedrooms: number; floor: number | null; blockId: string | null; estateId: string | null }) {
    const id = benchId(l.index, KIND.home, nHome);
    const uprn = String(l.uprnBase + nHome);
    const reference = `P${String(nHome + 1).padStart(refWidth, '0')}`;
    nHome++;
    const search = homeSearchText({ subBuilding: h.sub, buildingName: h.building, buildingNumber: h.number, street: h.street, locality: h.locality,
      town: h.town, postcode: h.postcode, uprn, reference });
    homes.push(line([org, id, uprn, reference, h.sub, h.building, h.number, h.street, h.locality, h.town, h.postcode, h.type, h.bedrooms, h.floor,
      h.blockId, h.estateId, search]));
  }

  while (nHome < l.homes) {
    const region = pick(regions);
    const district = pick(region.districts);
    const locality = r() < region.localityShare ? district.name : null;
    const size = Math.min(l.homes - nHome, int(120, 420));
    const theme = pick(Object.values(THEMES));
    let estateId: string | null = null;
    if (r() < 0.87) {
      estateId = benchId(l.index, KIND.estate, nEstate++);
      estates.push(line([org, estateId, `${pick(ESTATE_STEMS)}${pick(ESTATE_ENDINGS)}${pick(ESTATE_KINDS)}`, region.localAuthority]));
    }
    const street = () => `${pick(theme)} ${pick(STREET_SUFFIXES)}`;
    let inBlocks = Math.round(size * Math.min(0.95, Math.max(0, l.blockShare + (r() - 0.5) * 0.3)));
    let left = size;
    // Blocks: low-rise courts and houses converted to flats mostly; some medium-rise; a few towers.
    while (inBlocks > 0 && left > 0) {
      const budget = Math.min(inBlocks, left);
      const k = r();
      const kind = k < 0.025 ? 'tower' : k < 0.085 ? 'medium' : k < 0.62 ? 'lowrise' : k < 0.86 ? 'small' : 'converted';
      let storeys: number, perFloor: number;
      switch (kind) {
        case 'tower': storeys = 10 + Math.floor(r() ** 2 * 16); perFloor = int(4, 6); break;
        case 'medium': storeys = int(6, 9); perFloor = int(3, 5); break;
        case 'lowrise': storeys = int(3, 5); perFloor = int(2, 6); break;
        case 'small': storeys = int(2, 3); perFloor = int(2, 4); break;
        default: storeys = 3; perFloor = 1;
      }
      let units = kind === 'converted' ? int(2, 4) : storeys * perFloor;
      if (units > budget) {
        if ((kind === 'tower' || kind === 'medium') && Math.floor(budget / storeys) >= 2) perFloor = Math.floor(budget / storeys);
        else storeys = Math.max(2, Math.min(storeys, Math.ceil(budget / perFloor)));
        units = Math.min(budget, storeys * perFloor);
      }
      const blockId = benchId(l.index, KIND.block, nBlock++);
      const st = street();
      const number = kind === 'converted' ? String(int(1, 180)) : null;
      const name = kind === 'converted' ? `${number} ${st}` : `${pick(theme)} ${pick(BLOCK_SUFFIX[storeys >= 10 ? 'tower' : storeys >= 6 ? 'medium' : storeys >= 3 ? 'lowrise' : 'small'])}`;
      const pc = postcode(district.outward);
      // Height as recorded: measured, estimated (storeys × 3 m), near the 18 m line, unknown, or storeys unknown too.
      let height: number | null = null, method: string | null = null, source: string | null = null, recStoreys: number | null = storeys;
      const h = r();
      if (h < 0.17) { if (h < 0.05) recStoreys = null; }
      else if (storeys >= 6 && storeys <= 8 && r() < 0.35) { height = round2(17.5 + r()); method = 'measured'; source = pick(HEIGHT_SOURCES.measured); }
      else if (r() < 0.6) { height = round2((storeys - 1) * (2.7 + 0.4 * r()) + 0.6 * r()); method = 'measured'; source = pick(HEIGHT_SOURCES.measured); }
      else { height = storeys * 3; method = 'estimated'; source = HEIGHT_SOURCES.estimated[0]!; }
      const yearBuilt = r() < 0.03 ? null : kind === 'converted' ? int(1890, 1914) : kind === 'tower' ? int(1958, 1976) : int(1930, 2020);
      const recordedUnits = r() < 0.75 ? units : null;
      blocks.push(line([org, blockId, estateId, name, number, st, locality, region.town, pc, recStoreys, height, source, method, yearBuilt, recordedUnits]));
      stats.blocks++;
      stats.homesInBlocks += units;
      if (height !== null && height >= 18) stats.atLeast18m++;
      if (recStoreys !== null && recStoreys >= 7) stats.atLeast7Storeys++;
      if (height === null) { stats.noHeight++; if (recStoreys === null) stats.noHeightNoStoreys++; else if (recStoreys === 6) stats.sixStoreysNoHeight++; }
      for (let i = 0; i < units; i++) {
        const floor = Math.min(storeys - 1, Math.floor(i / perFloor));
        addHome({ sub: kind === 'converted' ? `Flat ${'ABCD'[i]}` : `Flat ${i + 1}`, building: kind === 'converted' ? null : name, number, street: st, locality,
          town: region.town, postcode: pc, type: r() < 0.03 ? 'bedsit' : 'flat', bedrooms: 1 + Math.floor(r() * r() * 3), floor, blockId, estateId });
      }
      inBlocks -= units;
      left -= units;
    }
    // Houses and bungalows along the area's streets, a postcode unit every 8–25 doors.
    let st = street(), num = int(1, 3), pc = postcode(district.outward), unit = int(8, 25), onStreet = int(12, 45);
    const bungalows = r() < 0.15;
    for (; left > 0; left--) {
      if (onStreet-- <= 0) { st = street(); num = int(1, 3); onStreet = int(12, 45); unit = 0; }
      if (unit-- <= 0) { pc = postcode(district.outward); unit = int(8, 25); }
      const bungalow = bungalows ? r() < 0.85 : r() < 0.04;
      addHome({ sub: null, building: null, number: r() < 0.02 ? `${num}A` : String(num), street: st, locality, town: region.town, postcode: pc,
        type: bungalow ? 'bungalow' : 'house', bedrooms: bungalow ? int(1, 2) : int(2, 4), floor: null, blockId: null, estateId });
      num += r() < 0.6 ? 2 : int(1, 4);
    }
  }
  return { estates, blocks, homes, stats };
}

// ---- repairs and damp and mould signals ---------------------------------------------------------------------------

export interface DetectorStats {
  calls: number;
  memoHits: number;
  /** [label][flagged]: how the detector's decision compares with what the wording was written to say. */
  agreement: Record<TextKind, [notFlagged: number, flagged: number]>;
}

export function newDetectorStats(): DetectorStats {
  return { calls: 0, memoHits: 0, agreement: { everyday: [0, 0], damp: [0, 0], hard: [0, 0] } };
}

interface Found { kinds: string; evidence: string }

/** A text's sentences as [start, end) ranges, trimmed: a sentence ends at . ! or ? before a space or the end. */
function sentenceRanges(text: string): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  const push = (from: number, to: number) => {
    while (from < to && text[from] === ' ') from++;
    while (to > from && text[to - 1] === ' ') to--;
    if (to > from) out.push([from, to]);
  };
  for (const m of text.matchAll(/[.!?]+(?=\s|$)/g)) {
    push(start, m.index + m[0].length);
    start = m.index + m[0].length;
  }
  push(start, text.length);
  return out;
}
const MEMO_LIMIT = 400_000;

/**
 * The product's detector on one description, memoised by the exact text (a repairs system repeats its wording
 * a great deal; the memo is emptied when it reaches MEMO_LIMIT texts, so memory stays bounded).
 */
export function detector(stats: DetectorStats, memoise: boolean) {
  const memo = new Map<string, Found | null>();
  return (text: string): Found | null => {
    if (memoise) {
      const hit = memo.get(text);
      if (hit !== undefined) { stats.memoHits++; return hit; }
    }
    stats.calls++;
    if (/[\t\n\r\\]/.test(text)) throw new Error(`description needs COPY escaping: ${JSON.stringify(text)}`);
    const res = detectDampMould(text);
    let found: Found | null = null;
    if (res.flagged) {
      // As the product's listener stores it (textShows in src/modules/insight/damp-signals.ts): the kinds seen, and
      // each sentence that shows them, word for word, one per line (\\n is COPY's escaped line break).
      const ranges = sentenceRanges(text);
      const picked = new Set<number>();
      for (const e of res.evidence) {
        const i = ranges.findIndex(([from, to]) => e.start < to && e.end > from);
        if (i >= 0) picked.add(i);
      }
      found = {
        kinds: [...new Set(res.evidence.map((e) => e.kind))].join(','),
        evidence: [...picked].sort((a, b) => a - b).map((i) => text.slice(ranges[i]![0], ranges[i]![1])).join('\\n'),
      };
    }
    if (memoise) {
      if (memo.size >= MEMO_LIMIT) memo.clear();
      memo.set(text, found);
    }
    return found;
  };
}

const PRIORITY_DAYS = { Emergency: [1, 0, 1], Urgent: [7, 1, 10], Routine: [28, 5, 45], Planned: [90, 20, 120] } as const;
const OPEN = ['Reported', 'Assigned', 'In progress', 'Awaiting parts', 'Awaiting access'];
const DAY = 86_400_000;
const isoDays = new Map<number, string>();
function iso(day: number): string {
  let s = isoDays.get(day);
  if (s === undefined) { s = new Date(day * DAY).toISOString().slice(0, 10); isoDays.set(day, s); }
  return s;
}

export interface RepairChunk { repairs: string[]; signals: string[] }

/**
 * A landlord's repairs, chunk by chunk (so memory stays bounded), each with the damp and mould signal rows the
 * detector finds in it: the flags kept up to date as the data arrives, as the product's records-written listener
 * does on import. About 5–8% of jobs are about damp, mould or condensation, most of them in the homes prone to it;
 * about 2% are hard negatives.
 */
export function* landlordRepairs(plan: Plan, l: Landlord, detect: (text: string) => Found | null, stats: DetectorStats, chunk = 25_000): Generator<RepairChunk> {
  const r = seededRandom((plan.seed * 31337 + l.index * 7_654_321 + 17) >>> 0);
  const today = Math.floor(Date.parse(`${plan.asOf}T00:00:00Z`) / DAY);
  const org = l.id;
  const salt = Math.imul(l.index + 1, 0x27d4eb2d);
  const dampThreshold = Math.floor(l.dampShare * 1_000_000);
  const jobWidth = Math.max(7, String(l.repairs).length);
  const prefix = ['J', 'R', 'WO', 'JOB-'][l.index % 4]!;
  let repairs: string[] = [], signals: string[] = [];
  let nSignal = 0;
  for (let n = 0; n < l.repairs; n++) {
    const home = Math.floor(r() * l.homes);
    const prone = mix32(home ^ salt) % 1_000_000 < dampThreshold;
    const x = r();
    const label: TextKind = x < (prone ? 0.32 : 0.028) ? 'damp' : x > 0.98 ? 'hard' : 'everyday';
    const job = repairText(r, label);
    const reported = today - Math.floor(r() * r() * 6 * 365); // six years of history, more of it recent
    const [targetDays, doneMin, doneMax] = PRIORITY_DAYS[job.priority];
    const age = today - reported;
    let status: string, completed: string | null = null;
    const s = r();
    if (age < doneMax && s < 0.6) status = OPEN[Math.floor(r() * OPEN.length)]!;
    else if (s < 0.95) { status = 'Completed'; completed = iso(Math.min(today, reported + doneMin + Math.floor(r() * (doneMax - doneMin + 1)))); }
    else status = s < 0.98 ? 'Cancelled' : 'No access';
    const id = benchId(l.index, KIND.repair, n);
    const homeId = benchId(l.index, KIND.home, home);
    const reportedOn = iso(reported);
    repairs.push(line([org, id, `${prefix}${String(n + 1).padStart(jobWidth, '0')}`, homeId, reportedOn, job.priority, status, job.text, completed,
      iso(reported + targetDays), job.sor, job.trade, job.location]));
    const found = detect(job.text);
    stats.agreement[label][found ? 1 : 0]++;
    if (found) signals.push(line([org, benchId(l.index, KIND.signal, nSignal++), homeId, 'repair', id, 'text', found.kinds, found.evidence, reportedOn]));
    if (repairs.length >= chunk) {
      yield { repairs, signals };
      repairs = [];
      signals = [];
    }
  }
  if (repairs.length) yield { repairs, signals };
}
