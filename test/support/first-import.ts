// Issue 11's first import, shared by its "done when" test (first-import.test.ts) and the harder-noise variant
// (first-import-hard.test.ts): one seeded synthetic landlord (blocks, homes, households and other adults), the CSV
// helpers, the upload as a new user does it (POST /api/v1/imports, suggested mapping), and pairwise precision, recall
// and F1 of the people linked against the truth. Each test writes its own noise on top of the same truth.
import assert from 'node:assert/strict';
import { api, type Harness, type Landlord } from './harness.ts';
import { seededRandom } from '../../src/platform/random.ts';

export interface Rng { rand: () => number; pick: <T>(xs: readonly T[]) => T; chance: (p: number) => boolean }

/** mulberry32: a small seeded generator, so the files are the same on every run. */
export function rng(seed: number): Rng {
  const rand = seededRandom(seed);
  return { rand, pick: (xs) => xs[Math.floor(rand() * xs.length)]!, chance: (p) => rand() < p };
}

// Given names with a nickname where one is common, and whether a title is Mr or Ms/Mrs.
export const MEN: [string, string | null][] = [['Robert', 'Bob'], ['William', 'Bill'], ['James', 'Jim'], ['Thomas', 'Tom'], ['Daniel', 'Dan'], ['Michael', 'Mike'],
  ['Christopher', 'Chris'], ['Anthony', 'Tony'], ['Joseph', 'Joe'], ['Edward', 'Ed'], ['Imran', null], ['Kieran', null], ['Oliver', null], ['Rhys', null],
  ['Tariq', null], ['Victor', null], ['Gareth', null], ['Liam', null], ['Nathan', null], ['Samuel', 'Sam'], ['Harry', null], ['Callum', null]];
export const WOMEN: [string, string | null][] = [['Elizabeth', 'Liz'], ['Margaret', 'Maggie'], ['Catherine', 'Kate'], ['Susan', 'Sue'], ['Jennifer', 'Jenny'],
  ['Rebecca', 'Becky'], ['Aisha', null], ['Chloe', null], ['Emma', null], ['Grace', null], ['Jade', null], ['Lucy', null], ['Niamh', null], ['Priya', null],
  ['Sophie', null], ['Uma', null], ['Wendy', null], ['Yasmin', null], ['Amelia', null], ['Eleanor', null], ['Fatima', null], ['Hannah', null]];
export const FAMILY = ['Morgan', 'Okafor', 'Patel', 'Hughes', 'Evans', 'Khan', 'Walsh', 'Nowak', 'Campbell', 'Murphy', 'Ahmed', 'Taylor', 'Brown', 'Wilson',
  'Davies', 'Clarke', 'Lewis', 'Baker', 'Hall', 'Wood', 'Green', 'Price', 'Bell', 'Cooper', 'Ward', 'Kelly', 'Harris', 'Martin', 'Jackson', 'Thompson',
  'White', 'Robinson', 'Wright', 'Edwards', 'Turner', 'Hill', 'Scott', 'Mitchell', 'Carter', 'Phillips', 'Parker', 'Collins', 'Stewart', 'Bennett',
  'Cook', 'Rogers', 'Reid', 'Morris', 'Foster', 'Howard', 'Gray', 'Fraser', 'Hussain', 'Begum', 'Kowalski', 'Singh', 'Jones-Hart', 'Ellis', 'Shaw', 'Lloyd'];

export interface Block { ref: string; name: string; number: string; street: string; postcode: string; storeys: number; height: number | null; higherRisk: boolean }
// Three buildings called Attlee House and two called Bevan Court, on different streets: never to be merged.
export const BLOCKS: Block[] = [
  { ref: 'B01', name: 'Attlee House', number: '2', street: 'Moor Road', postcode: 'LS6 4AA', storeys: 8, height: 24, higherRisk: true },
  { ref: 'B02', name: 'Attlee House', number: '15', street: 'Church Lane', postcode: 'LS7 2BD', storeys: 4, height: 12, higherRisk: false },
  { ref: 'B03', name: 'Attlee House', number: '40', street: 'Stonegate Road', postcode: 'LS6 4HQ', storeys: 7, height: null, higherRisk: true },
  { ref: 'B04', name: 'Bevan Court', number: '1', street: 'Kirkstall Lane', postcode: 'LS5 3BE', storeys: 11, height: 33, higherRisk: true },
  { ref: 'B05', name: 'Bevan Court', number: '9', street: 'Chapel Street', postcode: 'LS13 2DW', storeys: 3, height: 9, higherRisk: false },
  { ref: 'B06', name: 'Morris Tower', number: '5', street: 'Town Street', postcode: 'LS12 3HN', storeys: 5, height: 15, higherRisk: false },
  { ref: 'B07', name: 'Keir Hardie House', number: '22', street: 'Beeston Road', postcode: 'LS11 6AB', storeys: 2, height: 6, higherRisk: false },
  { ref: 'B08', name: 'Nye Bevan House', number: '3', street: 'Cardigan Road', postcode: 'LS6 3BJ', storeys: 12, height: 36, higherRisk: true },
];
export interface Street { street: string; abbr: string; locality: string; postcode: string }
export const STREETS: Street[] = [
  { street: 'Hill Street', abbr: 'Hill St', locality: 'Headingley', postcode: 'LS6 1AB' },
  { street: 'Oak Avenue', abbr: 'Oak Ave', locality: 'Meanwood', postcode: 'LS6 2DE' },
  { street: 'Kirkstall Road', abbr: 'Kirkstall Rd', locality: 'Burley', postcode: 'LS4 2HG' },
  { street: 'Victoria Crescent', abbr: 'Victoria Cres', locality: 'Pudsey', postcode: 'LS28 7QN' },
  { street: 'Meanwood Close', abbr: 'Meanwood Cl', locality: 'Meanwood', postcode: 'LS7 4JL' },
  { street: 'Grange Gardens', abbr: 'Grange Gdns', locality: 'Chapel Allerton', postcode: 'LS7 3PQ' },
];

export interface Home { ref: string; uprn: string; flat: string | null; block: Block | null; number: string; street: string; abbr: string; locality: string | null;
  postcode: string; type: string }
export interface Person { id: number; given: string; nick: string | null; family: string; male: boolean; dob: string; phone: string; home: Home }

export interface TruthOptions {
  blocks?: Block[]; streets?: Street[]; flatsPerBlock?: number; homes?: number;
  /** Households of two are drawn (half the time) until there are this many people. */
  couplesUntil?: number;
  /** Then adults on no tenancy (an adult child, a lodger) up to this many people in all. */
  people?: number;
  men?: [string, string | null][]; women?: [string, string | null][]; family?: string[];
  /** The phone number of the person with this index. */
  phone?: (index: number) => string;
}

/** The landlord as it really is: its homes, its tenants (households of one or two) and the adults on no tenancy. */
export function landlordTruth({ rand, pick, chance }: Rng, o: TruthOptions = {}) {
  const blocks = o.blocks ?? BLOCKS, streets = o.streets ?? STREETS, flatsPerBlock = o.flatsPerBlock ?? 5, homeCount = o.homes ?? 100;
  const couplesUntil = o.couplesUntil ?? 100, peopleCount = o.people ?? 150;
  const men = o.men ?? MEN, women = o.women ?? WOMEN, families = o.family ?? FAMILY;
  const phoneOf = o.phone ?? ((i: number) => `07700 900${String(i * 6 + 100).padStart(3, '0')}`);
  const homes: Home[] = [];
  for (const b of blocks) {
    for (let f = 1; f <= flatsPerBlock; f++) {
      homes.push({ ref: `P${String(homes.length + 1).padStart(4, '0')}`, uprn: String(72000100000 + homes.length), flat: `Flat ${f}`, block: b,
        number: b.number, street: b.street, abbr: b.street.replace(/ Road$/, ' Rd').replace(/ Street$/, ' St').replace(/ Lane$/, ' Ln'), locality: null, postcode: b.postcode, type: 'Flat' });
    }
  }
  for (let i = 0; homes.length < homeCount; i++) {
    const s = streets[i % streets.length]!;
    homes.push({ ref: `P${String(homes.length + 1).padStart(4, '0')}`, uprn: String(72000100000 + homes.length), flat: null, block: null,
      number: String(2 * Math.floor(i / streets.length) + 1 + (i % 2 ? 100 : 0)), street: s.street, abbr: s.abbr, locality: s.locality, postcode: s.postcode,
      type: pick(['House', 'House', 'Bungalow', 'Maisonette']) });
  }

  const people: Person[] = [];
  const usedNames = new Set<string>();
  for (const home of homes) {
    // A household of one or two adults; the second has a different initial, as a couple usually do, and often the same family name.
    const size = people.length < couplesUntil && chance(0.5) ? 2 : 1;
    let family = pick(families);
    let initial = '';
    for (let k = 0; k < size; k++) {
      const male = chance(0.5);
      let given: [string, string | null];
      do given = pick(male ? men : women); while (given[0][0] === initial || usedNames.has(`${given[0]} ${family}`));
      initial = given[0][0]!;
      usedNames.add(`${given[0]} ${family}`);
      const y = 1940 + Math.floor(rand() * 60);
      const d = `${y}-${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}`;
      people.push({ id: people.length, given: given[0], nick: given[1], family, male, dob: d, phone: phoneOf(people.length), home });
      if (chance(0.3)) family = pick(families);
    }
  }
  const householders = people.length;
  while (people.length < peopleCount) { // adults on no tenancy (an adult child, a lodger), known only to the ASB system
    const home = pick(homes);
    const male = chance(0.5);
    let g: [string, string | null];
    let family: string;
    do { g = pick(male ? men : women); family = pick(families); } while (usedNames.has(`${g[0]} ${family}`));
    usedNames.add(`${g[0]} ${family}`);
    people.push({ id: people.length, given: g[0], nick: g[1], family, male, dob: `19${80 + Math.floor(rand() * 19)}-0${1 + Math.floor(rand() * 9)}-${10 + Math.floor(rand() * 18)}`,
      phone: phoneOf(people.length), home });
  }
  return { blocks, homes, people, tenants: people.slice(0, householders), notTenants: people.slice(householders) };
}

// ---- writing files ------------------------------------------------------------------------------------------------

/** One slip: a swapped, dropped or doubled letter inside the word. */
export const typo = (rand: () => number) => (s: string) => {
  const i = 1 + Math.floor(rand() * (s.length - 2));
  const k = Math.floor(rand() * 3);
  return k === 0 ? s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2) : k === 1 ? s.slice(0, i) + s.slice(i + 1) : s.slice(0, i) + s[i] + s.slice(i);
};
export const uk = (iso: string) => iso.split('-').reverse().join('/');
export const us = (iso: string) => { const [y, m, d] = iso.split('-'); return `${m}/${d}/${y}`; };
const cell = (v: string | null | undefined) => { const s = v ?? ''; return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s; };
export const csv = (rows: (string | null)[][]) => rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';

// ---- loading, as a new user does -----------------------------------------------------------------------------------

export type Issue = { row: number; problems: { rule: string; column: string | null; message: string }[] };

/** Uploads one file through POST /api/v1/imports with the suggested mapping, waits for it, and returns its counts and issues. */
export async function upload(h: Harness, L: Landlord, kind: string, sourceSystem: string, name: string, content: string) {
  const form = new FormData();
  form.append('sourceSystem', sourceSystem);
  form.append('kind', kind);
  form.append('file', new Blob([content], { type: 'text/csv' }), name);
  const request = new Request('http://hearth.test/', { method: 'POST', body: form });
  const res = await h.app.inject({ method: 'POST', url: '/api/v1/imports', headers: { ...L.as['data-lead'], 'content-type': request.headers.get('content-type')! },
    payload: Buffer.from(await request.arrayBuffer()) });
  assert.equal(res.statusCode, 202, `${name} is not refused: ${res.body}`);
  assert.equal(res.json().mappingSource, 'suggested', 'the suggested mapping, as a new user takes it');
  const id = res.json().id as string;
  for (;;) {
    const r = await api(h, 'GET', `/api/v1/imports/${id}`, L.as['data-lead']);
    if (r.body.status === 'completed' || r.body.status === 'failed') {
      assert.equal(r.body.status, 'completed', `${name}: ${r.body.error}`);
      const issues = async (outcome: string) => (await api(h, 'GET', `/api/v1/imports/${id}/issues?outcome=${outcome}&limit=100`, L.as['data-lead'])).body.items as Issue[];
      return { name, id, counts: r.body.counts, headerRow: r.body.mapping.headerRow as number | undefined, rejected: await issues('rejected'), review: await issues('review'),
        warned: await issues('warning') };
    }
    await new Promise((res) => setTimeout(res, 50));
  }
}
export type Loaded = Awaited<ReturnType<typeof upload>>;

// ---- measuring linkage ---------------------------------------------------------------------------------------------

/**
 * Pairwise precision, recall and F1 of the clusters found (record → cluster) against the truth (record → person),
 * over the records of `truthOf`; with the pairs missed and the pairs wrongly joined, to say why.
 */
export function pairwise(truthOf: ReadonlyMap<string, number>, clusterOf: ReadonlyMap<string, string>) {
  const records = [...truthOf.keys()];
  const pairs = (key: (k: string) => string) => {
    const n = new Map<string, number>();
    for (const k of records) n.set(key(k), (n.get(key(k)) ?? 0) + 1);
    return [...n.values()].reduce((t, c) => t + (c * (c - 1)) / 2, 0);
  };
  const truePairs = pairs((k) => String(truthOf.get(k)));
  const foundPairs = pairs((k) => clusterOf.get(k)!);
  const bothPairs = pairs((k) => `${truthOf.get(k)}|${clusterOf.get(k)}`);
  const precision = bothPairs / foundPairs;
  const recall = bothPairs / truePairs;
  const f1 = (2 * precision * recall) / (precision + recall);
  const missed: [string, string][] = [];
  const wrong: [string, string][] = [];
  for (let i = 0; i < records.length; i++) {
    for (let j = i + 1; j < records.length; j++) {
      const [a, b] = [records[i]!, records[j]!];
      const same = truthOf.get(a) === truthOf.get(b);
      const joined = clusterOf.get(a) === clusterOf.get(b);
      if (same && !joined) missed.push([a, b]);
      else if (!same && joined) wrong.push([a, b]);
    }
  }
  return { records: records.length, truePairs, foundPairs, bothPairs, precision, recall, f1, missed, wrong };
}
