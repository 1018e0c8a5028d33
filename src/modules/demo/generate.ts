// The synthetic demo landlord: estates, blocks (some of them higher-risk buildings, some with their height unknown),
// homes with UPRNs and BS 7666 addresses, households with tenancies and their history, person alerts, and three
// years of repairs and notes (damp and mould among them), all made up but shaped like a real English landlord's
// records. The same seed (and as-of day) gives the same landlord. Records are built as their tables' fields and each
// module that owns them writes its own (its manifest's `demo`, platform/demo.ts), bulk-loaded with COPY (Store.copy):
// one transaction up to 5,000 homes, then batches of at most 20,000 homes so memory stays bounded.
import { Faker, en_GB, en } from '@faker-js/faker';
import { isValid as isPostcode } from 'postcode';
import { v7 as uuidv7 } from 'uuid';
import type { Store } from '../../platform/db/store.ts';
import { demoCopier, type DemoCell, type DemoContext, type DemoRecord, type DemoWorld } from '../../platform/demo.ts';
import { installedModules } from '../../platform/modules.ts';
import { importFollowUps } from '../../platform/records/load.ts';
import { sourceReferences } from '../../platform/provenance/schema.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import { rescanDampSignals } from '../insight/index.ts';
import { demoHazardReports } from './hazards.ts';
import { homeSearchText, type PropertyType } from '../homes/index.ts';
import { personSearchText, type AlertCategory, type HactAlertCode, type CONFIDENTIALITY_LEVELS, type ContactPoint } from '../people/index.ts';
import type { EntityKind } from '../../platform/provenance/service.ts';
import type { MemberRole, TENANCY_TYPES, TENURES } from '../tenancies/index.ts';
import { BRITISH_GIVEN, BRITISH_SURNAMES, BRITISH_WEIGHT, OTHER_GROUPS, PREFERRED, type NameGroup, type Sex } from './names.ts';
import {
  BLOCK_SUFFIX, ESTATE_ENDINGS, ESTATE_KINDS, ESTATE_PEOPLE, ESTATE_STEMS, HEIGHT_SOURCES, INWARD_LETTERS, REGIONS,
  STREET_SUFFIXES, THEMES, type District, type Region,
} from './places.ts';
import { DAMP_NOTES, DAMP_REPAIRS, OPEN_STATUSES, PERSON_NOTES, PRIORITY_DAYS, RECALL, REPAIRS, TENANCY_NOTES, fitting, type NoteKind, type RepairKind } from './history.ts';

export type OrganisationKind = 'private-registered-provider' | 'local-authority';

export interface DemoOptions {
  homes: number;
  seed?: number;
  organisationId?: string;
  name?: string;
  /** Housing association (default) or council. */
  kind?: OrganisationKind;
  /** The day the records are "as of" (YYYY-MM-DD, default today, UTC): every date is on or before it. */
  asOf?: string;
  onProgress?: (done: number, total: number) => void;
}

export interface DemoSummary {
  organisationId: string;
  name: string;
  estates: number;
  blocks: number;
  homes: number;
  people: number;
  tenancies: number;
  alerts: number;
  repairs: number;
  notes: number;
  blocksOver18m: number;
  /** Repairs and notes that show damp or mould (damp_mould_signals). */
  dampSignals: number;
  /** Hazard reports made for the demo (Awaab's Law), in every state: due, due soon, overdue, met, late, not confirmed. */
  hazardReports: number;
  /** Records of people from the repairs contractor's contact list (DEMO_REPAIRS_SYSTEM); `people` counts them too. */
  repairsContacts: number;
  /** After record linkage (a full run at the end of the demo): people found with two or more records, and pairs of records waiting for a data lead. */
  linkedPeople: number;
  pairsForReview: number;
  millis: number;
}

/** The source system the demo records claim to come from (provenance). */
export const DEMO_SOURCE_SYSTEM = 'demo-housing-system';
/**
 * A second source of people, as landlords have: the repairs contractor's contact list. It holds some current tenants
 * again as the contractor wrote them down (a nickname, a typo in the family name, often no date of birth, another
 * mobile, no title), so record linkage has people to link across two systems and doubtful pairs for a data lead.
 */
export const DEMO_REPAIRS_SYSTEM = 'demo-repairs-system';
const DAY_MS = 86_400_000;

type TenancyType = keyof typeof TENANCY_TYPES;
type Tenure = keyof typeof TENURES;
type Confidentiality = keyof typeof CONFIDENTIALITY_LEVELS;

/**
 * The kinds of record the generator makes, each as its table's fields (drizzle names). The modules that own them write
 * them (their manifests' `demo`, platform/demo.ts): the demo never names another module's tables or columns.
 */
type WorldKind = 'organisations' | 'estates' | 'blocks' | 'homes' | 'people' | 'personAlerts' | 'tenancies' | 'tenancyMembers' | 'repairs' | 'notes';
const WORLD_KINDS: readonly WorldKind[] = ['organisations', 'estates', 'blocks', 'homes', 'people', 'personAlerts', 'tenancies', 'tenancyMembers', 'repairs', 'notes'];
type Batch = Record<WorldKind, Record<string, DemoCell>[]>;
const ENTITY_KINDS: EntityKind[] = ['block', 'estate', 'home', 'note', 'person', 'person-alert', 'repair', 'tenancy'];
const GROUP_WEIGHTS = BRITISH_WEIGHT + OTHER_GROUPS.reduce((s, g) => s + g.weight, 0);
const ALL_THEMES = Object.values(THEMES);
const INWARD = [...INWARD_LETTERS];

// ---------------------------------------------------------------------------------------------------------------
// Small helpers

/** Seeded randomness: faker's Mersenne Twister, with the few shapes this generator needs. */
function randomness(faker: Faker) {
  const next = () => faker.number.float();
  const r = {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    between: (min: number, max: number) => min + next() * (max - min),
    chance: (p: number) => next() < p,
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    weighted: <T>(options: readonly (readonly [T, number])[]): T => {
      let total = 0;
      for (const [, w] of options) total += w;
      let x = next() * total;
      for (const [v, w] of options) if ((x -= w) < 0) return v;
      return options[options.length - 1]![0];
    },
  };
  return r;
}
type Rng = ReturnType<typeof randomness>;

const isoDays = new Map<number, string>();
/** 'YYYY-MM-DD' of a day number (days since 1970-01-01), cached: the generator formats a few hundred thousand dates. */
function isoDay(day: number): string {
  let s = isoDays.get(day);
  if (s === undefined) {
    s = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (isoDays.size < 100_000) isoDays.set(day, s);
  }
  return s;
}
const pad = (n: number, width: number) => String(n).padStart(width, '0');
const round2 = (x: number) => Math.round(x * 100) / 100;

function fnv1a(text: string, basis: number): number {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** murmur3's 32-bit finaliser: a cheap, well-mixed hash of an integer. */
function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

const hex8 = (x: number) => x.toString(16).padStart(8, '0');

/**
 * Deterministic UUIDv7s: the timestamp is the as-of day (plus one millisecond per 4,096 ids) with a counter in
 * rand_a, so ids sort in the order records were generated and are unique within the landlord; rand_b mixes the
 * counter with a hash of the organisation id and seed, so two demo landlords do not share ids.
 */
function idMaker(organisationId: string, seed: number, asOfDay: number): () => string {
  const saltA = fnv1a(`${organisationId}:${seed}`, 0x811c9dc5);
  const saltB = fnv1a(`${seed}:${organisationId}`, 0x050c5d1f);
  const base = asOfDay * DAY_MS;
  let n = 0;
  return () => {
    const t = (base + Math.floor(n / 4096)).toString(16).padStart(12, '0');
    const a = (n % 4096).toString(16).padStart(3, '0');
    const b1 = hex8(mix32(n ^ saltA));
    const b2 = hex8(mix32((n + 0x9e3779b9) ^ saltB));
    n++;
    return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${a}-${(8 | (parseInt(b1[0]!, 16) & 3)).toString(16)}${b1.slice(1, 4)}-${b1.slice(4)}${b2}`;
  };
}

/** Lower-case ASCII for email local parts ("Wiśniewska" → "wisniewska", "O'Brien" → "obrien"). */
function ascii(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/ł/g, 'l').replace(/Ł/g, 'L').replace(/ı/g, 'i')
    .toLowerCase().replace(/[^a-z0-9]/g, '');
}

// ---------------------------------------------------------------------------------------------------------------
// Alerts: HACT v3.5 person alert codes with the draft UKHDS category that fits each, and who they can apply to.

interface AlertKind {
  code: HactAlertCode;
  category: AlertCategory;
  descriptions: string[];
  weight: number;
  confidentiality?: Confidentiality;
  who?: (p: PersonFacts) => boolean;
}

const CONFIDENTIALITY: Record<AlertCategory, Confidentiality> = {
  RISK: 'standard', COMM: 'standard', AGE: 'standard', MED: 'confidential', PREG: 'confidential', MH: 'confidential', SAF: 'highly-confidential',
};

const ADULT_ALERTS: AlertKind[] = [
  { code: '20-30', category: 'MED', weight: 30, descriptions: ['Asthma', 'COPD', 'Asthma; damp and mould affect breathing', 'Heart condition', 'Diabetes (insulin dependent)', 'Epilepsy', 'Sickle cell disease', 'Immune suppressed (cancer treatment)', 'Kidney dialysis at home'] },
  { code: '20-40', category: 'MED', weight: 10, descriptions: ['Limited mobility; allow time to answer the door', 'Uses a walking stick; ground-floor access needed', 'Arthritis; cannot manage stairs'] },
  { code: '20-50', category: 'MED', weight: 6, descriptions: ['Wheelchair user; level access needed', 'Wheelchair user; lift must be working'] },
  { code: '20-10', category: 'COMM', weight: 6, descriptions: ['Deaf; BSL user, book an interpreter', 'Hard of hearing; knock loudly and allow time', 'Deaf; contact by text message'] },
  { code: '20-20', category: 'COMM', weight: 5, descriptions: ['Registered blind; letters by phone call or audio', 'Partially sighted; large-print letters'] },
  { code: '20', category: 'MH', weight: 12, descriptions: ['Anxiety; phone before visiting', 'Depression; may not answer the door', 'Schizophrenia; stable, support worker involved', 'PTSD; avoid unannounced visits', 'Hoarding; fire risk'] },
  { code: '60', category: 'MH', weight: 3, who: (p) => p.age >= 60, descriptions: ['Dementia; lasting power of attorney held by daughter', 'Dementia; lasting power of attorney held by son', 'Lacks capacity; deputy appointed by the Court of Protection'] },
  { code: '10', category: 'RISK', weight: 7, descriptions: ['Verbal aggression towards staff', 'Threatened an operative', 'Aggressive dog at the property', 'Do not visit alone: violent partner'] },
  { code: '10-10', category: 'RISK', weight: 4, descriptions: ['Subject of an ASB case; visit in pairs', 'Injunction in place; visit in pairs'] },
  { code: '20-70', category: 'SAF', weight: 6, descriptions: ['Adult safeguarding referral open', 'Domestic abuse survivor; do not share address', 'Financial abuse concern', 'Self-neglect; refer to social care'] },
  { code: '50', category: 'SAF', weight: 3, who: (p) => p.sex === 'female', descriptions: ['Female operatives only', 'Female operatives only; history of domestic abuse'] },
  { code: '30', category: 'COMM', weight: 3, descriptions: ['Often misses appointments; phone the day before', 'Has missed several gas safety visits; confirm by text'] },
];
const ELDERLY_ALERT: AlertKind = { code: '20-60', category: 'AGE', weight: 1, descriptions: ['Frail; lives alone', 'Uses a walking frame; slow to answer the door', 'Early-stage dementia; family member to be present', 'Aged over 80; allow extra time', 'Falls risk'] };
const CHILD_ALERT: AlertKind = { code: '20-70', category: 'SAF', weight: 1, descriptions: ['Child protection plan in place', 'Child in need plan; social worker involved'] };

interface PersonFacts {
  id: string;
  age: number;
  sex: Sex;
  dobDay: number;
  group: NameGroup | null;
  given: string;
  family: string;
  preferred: string | null;
  contacts: ContactPoint[];
}

// ---------------------------------------------------------------------------------------------------------------

export async function generateDemo(store: Store, options: DemoOptions): Promise<DemoSummary> {
  const t0 = performance.now();
  const total = options.homes;
  if (!Number.isInteger(total) || total < 1) throw new Error('homes must be a whole number of at least 1');
  const seed = options.seed ?? 42;
  const kind: OrganisationKind = options.kind ?? 'private-registered-provider';
  const la = kind === 'local-authority';
  const asOf = options.asOf ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(asOf))) throw new Error('asOf must be a date, YYYY-MM-DD');
  const today = Math.floor(Date.parse(`${asOf}T00:00:00Z`) / DAY_MS);
  const organisationId = options.organisationId ?? uuidv7();

  const faker = new Faker({ locale: [en_GB, en] });
  faker.seed(seed);
  const rng: Rng = randomness(faker);
  const newId = idMaker(organisationId, seed, today);
  // Repairs and notes draw on their own random numbers and ids, so the rest of the landlord is the same with or without them.
  const historyFaker = new Faker({ locale: [en] });
  historyFaker.seed([seed, 0x6a6f62]);
  const hrng: Rng = randomness(historyFaker);
  const newHistoryId = idMaker(organisationId, seed ^ 0x6e6f7465, today);
  // The repairs contractor's contact list and the namesakes (see contactsOf): their own too.
  const linkFaker = new Faker({ locale: [en] });
  linkFaker.seed([seed, 0x726570]);
  const lrng: Rng = randomness(linkFaker);
  // (Dated the day before, so they sort apart from the landlord's own ids, in the order they were made.)
  const newContactId = idMaker(organisationId, seed ^ 0x72657073, today - 1);
  // Where homes are (latitude and longitude, for the travel between repairs): their own random numbers too, so the
  // rest of the landlord is the same as before homes had them.
  const geoFaker = new Faker({ locale: [en] });
  geoFaker.seed([seed, 0x67656f]);
  const grng: Rng = randomness(geoFaker);
  const streetNames = faker.definitions.location.street_name as string[];

  // The landlord's patch: one council area for a council, one to three for a housing association as it grows.
  const main = rng.int(0, REGIONS.length - 1);
  const regionCount = la ? 1 : total > 20_000 ? 3 : total > 3_000 ? 2 : 1;
  const regions: [Region, number][] = Array.from({ length: regionCount }, (_, i) => [REGIONS[(main + i * 3) % REGIONS.length]!, i === 0 ? 70 : 15]);
  const name = options.name ?? (la ? `${REGIONS[main]!.localAuthority} Housing (demo)` : 'Riverside Homes (demo)');
  const registrationNumber = la ? null : `L${pad(rng.int(1, 4999), 4)}`;

  const width = (n: number, min: number) => Math.max(min, String(n).length);
  const homeRefWidth = width(total, 6);
  const tenancyRefWidth = width(Math.ceil(total * 1.2), 7);
  const personRefWidth = width(Math.ceil(total * 3.5), 7);
  const jobRefWidth = width(Math.ceil(total * 1.5), 7);
  const noteRefWidth = width(Math.ceil(total * 0.5), 6);

  // Counters and uniqueness sets that live across batches.
  const counts = { estates: 0, blocks: 0, homes: 0, people: 0, tenancies: 0, alerts: 0, repairs: 0, notes: 0, blocksOver18m: 0 };
  let uprn = 10_000_000_000 + rng.int(0, 9_999_999);
  const uprnGap = Math.max(1, Math.min(40, Math.floor(80_000_000 / total)));
  const usedPostcodes = new Set<string>();
  const usedStreets = new Set<string>();
  const usedEstates = new Set<string>();
  const usedBlocks = new Set<string>();
  // Even a small demo shows a block of 18 m or more and a tall block whose height nobody has recorded.
  let tallMeasuredPlaced = total < 40;
  let tallUnknownPlaced = total < 40;

  // Staff who record alerts.
  const staff = Array.from({ length: 12 }, () => {
    const group = pickGroup();
    const sex: Sex = rng.chance(0.6) ? 'female' : 'male';
    const yob = 1960 + rng.int(0, 40);
    return `${givenName(group, sex, yob)} ${familyName(group, sex, surnamePair(group))}`;
  });

  // Rows of the batch being built, and who writes them (Hearth itself: its events say system:demo).
  const demoCtx: DemoContext = { actor: systemActor(organisationId, 'demo') };
  let batch = emptyBatch();
  batch.organisations.push({ id: organisationId, name, registrationNumber, kind });
  // One COPY transaction up to 5,000 homes; beyond that about ten batches (of at most 20,000 homes) so memory stays
  // bounded and progress moves. Each batch commits on its own: a failure part-way leaves the batches before it.
  const batchHomes = Math.min(20_000, Math.max(5_000, Math.ceil(total / 10)));
  let loaded = 0;
  options.onProgress?.(0, total);

  function emptyBatch(): Batch {
    return Object.fromEntries(WORLD_KINDS.map((k) => [k, []])) as unknown as Batch;
  }

  async function flush() {
    // Each installed module writes its own records of the batch (in the order installed, so every foreign key points
    // at rows written before it), with their "created" events; the platform's COPY writer takes the columns from each
    // module's table.
    const asked = new Set<string>();
    const world: DemoWorld = { organisationId, records: (k) => { asked.add(k); return (batch as Record<string, DemoRecord[]>)[k] ?? []; } };
    const writer = demoCopier(demoCtx);
    for (const m of installedModules()) m.demo?.(world, writer.copy, demoCtx);
    const unwritten = WORLD_KINDS.filter((k) => batch[k].length && !asked.has(k));
    if (unwritten.length) throw new Error(`demo: no installed module writes its ${unwritten.join(', ')}`);
    // Provenance rows (the platform's) grouped by kind, so they arrive in primary-key order.
    writer.copy(sourceReferences, ENTITY_KINDS.flatMap((k) => refs[k]));
    for (const k of ENTITY_KINDS) refs[k] = [];
    const tables = writer.tables();
    batch = emptyBatch();
    if (tables.length) await store.copy(tables, { trusted: true }); // rows made here; generate.test.ts checks their integrity
    loaded = counts.homes;
    options.onProgress?.(loaded, total);
  }

  const refs = Object.fromEntries(ENTITY_KINDS.map((k) => [k, [] as DemoRecord[]])) as Record<EntityKind, DemoRecord[]>;
  function reference(kindOf: EntityKind, id: string, sourceId: string, sourceSystem = DEMO_SOURCE_SYSTEM) {
    refs[kindOf].push({ organisationId, entityKind: kindOf, sourceSystem, sourceId, recordId: id, description: null });
  }

  // ---- names ----

  function pickGroup(): NameGroup | null {
    let x = rng.next() * GROUP_WEIGHTS;
    if ((x -= BRITISH_WEIGHT) < 0) return null;
    for (const g of OTHER_GROUPS) if ((x -= g.weight) < 0) return g;
    return OTHER_GROUPS[OTHER_GROUPS.length - 1]!;
  }

  function givenName(group: NameGroup | null, sex: Sex, birthYear: number): string {
    if (group) return rng.pick(group[sex]);
    let cohort = BRITISH_GIVEN[0]!;
    for (const c of BRITISH_GIVEN) if (birthYear >= c.from) cohort = c;
    return rng.pick(cohort[sex]);
  }

  function surnamePair(group: NameGroup | null): [string, string] {
    if (!group) {
      const s = rng.pick(BRITISH_SURNAMES);
      return [s, s];
    }
    return rng.pick(group.surnames);
  }

  function familyName(group: NameGroup | null, sex: Sex, pair: [string, string]): string {
    const special = sex === 'female' ? group?.femaleSurname : group?.maleSurname;
    if (special && rng.chance(special.p)) return special.name;
    return sex === 'female' ? pair[1] : pair[0];
  }

  // ---- places ----

  function pickRegion(): Region {
    return rng.weighted(regions);
  }

  function postcodeIn(outwards: string[]): string {
    for (let attempt = 0; ; attempt++) {
      const pc = `${rng.pick(outwards)} ${rng.int(0, 9)}${rng.pick(INWARD)}${rng.pick(INWARD)}`;
      if (!isPostcode(pc)) throw new Error(`demo generator made an invalid postcode: ${pc}`);
      if (!usedPostcodes.has(pc) || attempt > 30) {
        usedPostcodes.add(pc);
        return pc;
      }
    }
  }

  /** A name not yet used in the scope; after 25 tries, the fallback's variants of the last one (or, with none, a repeat). */
  function uniqueName(used: Set<string>, scope: string, make: () => string, fallback?: (base: string, n: number) => string): string {
    let candidate = '';
    for (let i = 0; i < 25; i++) {
      candidate = make();
      if (!used.has(`${scope}|${candidate}`)) break;
    }
    if (fallback) for (let n = 2; used.has(`${scope}|${candidate}`); n++) candidate = fallback(candidate, n);
    used.add(`${scope}|${candidate}`);
    return candidate;
  }

  interface Street { name: string; postcode: string; left: number; next: number; step: number; bungalows: boolean }
  interface Area { region: Region; district: District; estateId: string | null; theme: string[]; locality: string | null; streets: Street[]; centre: { latitude: number; longitude: number } }

  /** "Millfield", "Ashgrove": a stem and a different ending ("Hillhill" would not do). */
  function estateStem(): string {
    const stem = rng.pick(ESTATE_STEMS);
    let ending = rng.pick(ESTATE_ENDINGS);
    while (stem.toLowerCase().endsWith(ending) || ending.startsWith(stem.toLowerCase())) ending = rng.pick(ESTATE_ENDINGS);
    return stem + ending;
  }

  function newStreet(area: Area): Street {
    const streetName = uniqueName(usedStreets, `${area.region.key}/${area.district.name}`,
      () => (area.estateId && rng.chance(0.65) ? `${rng.pick(area.theme)} ${rng.pick(STREET_SUFFIXES)}` : rng.pick(streetNames)),
      (base, n) => (n === 2 ? `${base} North` : n === 3 ? `${base} South` : `${base.replace(/ (North|South)$/, '')} ${n - 2}`));
    const step = rng.chance(0.6) ? 2 : 1;
    return { name: streetName, postcode: postcodeIn(area.district.outward), left: rng.int(8, 25), next: rng.int(1, 2), step, bungalows: rng.chance(0.15) };
  }

  /** The next house number on a street, skipping some (sold under the right to buy, or never the landlord's). */
  function houseNumber(street: Street): { number: string; postcode: string } {
    if (street.left-- <= 0) {
      // A long street runs through several postcode units, in the same outward code.
      street.postcode = postcodeIn([street.postcode.split(' ')[0]!]);
      street.left = rng.int(8, 25);
    }
    const n = street.next;
    street.next += street.step * (rng.chance(0.55) ? 1 : rng.int(2, 4));
    return { number: rng.chance(0.02) ? `${n}A` : String(n), postcode: street.postcode };
  }

  // ---- people and households ----

  // Two people are never given one email address (two Lauren Morrises would otherwise share lauren.morris@example.net,
  // and linkage would take them for one person). Kept as hashes, so a landlord of millions stays small in memory; a
  // clash of hashes only adds a number that was not needed. No random numbers are drawn, so nothing else changes.
  const usedEmails = new Set<number>();
  function uniqueEmail(local: string, suffix: number | '', domain: string): string {
    let email = `${local}${suffix}@${domain}`;
    for (let n = typeof suffix === 'number' ? suffix + 100 : 2; usedEmails.has(fnv1a(email, 0x811c9dc5)); n++) email = `${local}${n}@${domain}`;
    usedEmails.add(fnv1a(email, 0x811c9dc5));
    return email;
  }

  function makePerson(o: { group: NameGroup | null; sex: Sex; age: number; surname: [string, string]; partnered?: boolean; region: Region; household?: Set<string> }): PersonFacts {
    const id = newId();
    const dobDay = Math.min(today - 1, today - Math.round(o.age * 365.25) - rng.int(0, 364));
    const birthYear = Number(isoDay(dobDay).slice(0, 4));
    const adult = o.age >= 18;
    // Two children of one household are not both called Jakub.
    let given = givenName(o.group, o.sex, birthYear);
    for (let i = 0; i < 6 && o.household?.has(given); i++) given = givenName(o.group, o.sex, birthYear);
    o.household?.add(given);
    let middle: string | null = null;
    if (rng.chance(o.group ? 0.12 : 0.3)) {
      const m = givenName(o.group, o.sex, birthYear);
      if (m !== given) middle = m;
    }
    const family = familyName(o.group, o.sex, o.surname);
    const preferred = PREFERRED[given] && adult && rng.chance(0.3) ? PREFERRED[given]! : null;
    let title: string | null = null;
    if (adult) {
      if (rng.chance(0.01)) title = 'Dr';
      else if (rng.chance(0.005)) title = 'Mx';
      else if (o.sex === 'male') title = 'Mr';
      else title = o.partnered ? rng.weighted([['Mrs', 70], ['Ms', 25], ['Miss', 5]] as const) : rng.weighted([['Ms', 45], ['Miss', o.age < 40 ? 40 : 10], ['Mrs', o.age >= 55 ? 40 : 10]] as const);
    }
    const contacts: ContactPoint[] = [];
    if (o.age >= 16) {
      const older = o.age >= 75;
      if (rng.chance(older ? 0.4 : o.age < 18 ? 0.4 : 0.85)) contacts.push({ system: 'phone', value: `+447700900${pad(rng.int(0, 999), 3)}`, use: 'mobile' });
      if (rng.chance(older ? 0.6 : 0.12)) contacts.push({ system: 'phone', value: `${o.region.landline}${pad(rng.int(0, 999), 3)}`, use: 'home' });
      if (adult && rng.chance(older ? 0.15 : 0.65)) {
        const g = ascii(given), f = ascii(family);
        const local = rng.weighted([[`${g}.${f}`, 4], [`${g}${f}`, 2], [`${g[0]}.${f}`, 1], [`${g}_${f}`, 1]] as const);
        contacts.push({ system: 'email', value: uniqueEmail(local, rng.chance(0.5) ? rng.int(1, 99) : '', rng.pick(['example.com', 'example.org', 'example.net'])) });
      }
    }
    const searchText = personSearchText({ givenName: given, middleNames: middle, familyName: family, preferredName: preferred, contactPoints: contacts });
    batch.people.push({ organisationId, id, version: 1, title, givenName: given, middleNames: middle, familyName: family,
      preferredName: preferred, dateOfBirth: isoDay(dobDay), contactPoints: JSON.stringify(contacts), address: null, homeId: null,
      searchText });
    counts.people++;
    reference('person', id, `PER${pad(counts.people, personRefWidth)}`);
    return { id, age: o.age, sex: o.sex, dobDay, group: o.group, given, family, preferred, contacts };
  }

  function addAlert(p: PersonFacts, a: AlertKind, earliest: number) {
    const id = newId();
    const from = Math.max(earliest, p.dobDay + 1, today - 8 * 365);
    let start = from >= today - 1 ? today - 1 : rng.int(from, today - 1);
    let review: number | null = null;
    let end: number | null = null;
    let description = rng.pick(a.descriptions);
    if (a.category === 'PREG') {
      start = today - rng.int(20, 200);
      const due = start + rng.int(200, 250);
      description = `Pregnant; due ${isoDay(due).slice(0, 7)}`;
      review = due + 42;
    } else {
      if (rng.chance(0.6)) review = start + rng.pick([91, 182, 365]);
      if (rng.chance(0.08) && start < today - 30) end = rng.int(start + 1, today - 1);
    }
    if (a.code === '40') description = `Interpreter needed: ${p.group ? rng.pick(p.group.languages) : 'Polish'}`;
    const confidentiality = a.confidentiality ?? (description.startsWith('Domestic abuse') ? 'highly-confidential' : CONFIDENTIALITY[a.category]);
    batch.personAlerts.push({ organisationId, id, version: 1, personId: p.id, hactCode: a.code, category: a.category, description, confidentiality,
      startDate: isoDay(start), reviewDate: review === null ? null : isoDay(review),
      endDate: end === null ? null : isoDay(end), recordedBy: rng.pick(staff),
      recordedAt: `${isoDay(start)} 09:${pad(rng.int(0, 59), 2)}:00+00` });
    counts.alerts++;
    reference('person-alert', id, `ALT${pad(counts.alerts, personRefWidth)}`);
  }

  /** About 8% of people have an alert; which one depends on age, sex and language. */
  function alertsFor(p: PersonFacts, since: number) {
    if (p.age < 18) {
      if (rng.chance(0.012)) addAlert(p, CHILD_ALERT, since);
      return;
    }
    if (p.age >= 75 && rng.chance(0.33)) addAlert(p, ELDERLY_ALERT, Math.max(since, p.dobDay + 75 * 365));
    if (p.group && p.group.languages.length && rng.chance(p.group.interpreter * (p.age >= 55 ? 2 : 1))) {
      addAlert(p, { code: '40', category: 'COMM', weight: 1, descriptions: [] }, since);
    }
    if (p.sex === 'female' && p.age <= 44 && rng.chance(0.02)) addAlert(p, { code: '20', category: 'PREG', weight: 1, descriptions: [] }, since);
    if (rng.chance(0.08)) {
      const kinds = ADULT_ALERTS.filter((k) => !k.who || k.who(p));
      addAlert(p, rng.weighted(kinds.map((k) => [k, k.weight] as const)), since);
    }
  }

  type Composition = 'single' | 'couple' | 'older-couple' | 'single-parent' | 'couple-kids' | 'adult-kids' | 'multigen';

  function composition(bedrooms: number): Composition {
    if (bedrooms <= 1) return rng.weighted([['single', 72], ['couple', 14], ['older-couple', 9], ['single-parent', 5]] as const);
    if (bedrooms === 2) return rng.weighted([['single', 28], ['couple', 13], ['older-couple', 8], ['single-parent', 26], ['couple-kids', 15], ['adult-kids', 5], ['multigen', 5]] as const);
    return rng.weighted([['single', 10], ['couple', 5], ['older-couple', 5], ['single-parent', 28], ['couple-kids', 34], ['adult-kids', 10], ['multigen', 8]] as const);
  }

  function leadAge(c: Composition): number {
    switch (c) {
      case 'single': {
        const [lo, hi] = rng.weighted([[[18, 24], 6], [[25, 34], 15], [[35, 44], 17], [[45, 54], 18], [[55, 64], 17], [[65, 74], 14], [[75, 84], 9], [[85, 96], 4]] as const);
        return rng.int(lo, hi);
      }
      case 'couple': return rng.int(20, 64);
      case 'older-couple': return rng.int(65, 92);
      case 'single-parent': return rng.int(19, 52);
      case 'couple-kids': return rng.int(22, 55);
      case 'adult-kids': return rng.int(40, 75);
      case 'multigen': return rng.int(28, 55);
    }
  }

  /** Years since the tenancy started: recent lets are common, long tenancies usual; never before the lead was 18. */
  function yearsHeld(age: number): number {
    const max = Math.max(0, Math.min(age - 18, 55));
    return Math.min(max, -Math.log(1 - rng.next()) * 10);
  }

  interface HomeFacts { id: string; propertyType: PropertyType; bedrooms: number; inBlock: boolean; region: Region; address: Record<string, string | null> }

  function terms(home: HomeFacts, start: number): [TenancyType, Tenure] {
    const startYear = Number(isoDay(start).slice(0, 4));
    const recent = today - start < 365;
    const afterAffordableRent = start >= Date.UTC(2011, 3, 1) / DAY_MS;
    if (home.inBlock && home.propertyType !== 'bedsit' && startYear >= 1981 && rng.chance(la ? 0.12 : 0.08)) return ['lease', 'leasehold'];
    if (la) {
      if (rng.chance(0.03)) return ['non-secure', 'temporary-accommodation'];
      if (recent && rng.chance(0.75)) return ['introductory', 'social-rent'];
      if (rng.chance(0.005)) return ['demoted', 'social-rent'];
      if (start >= Date.UTC(2012, 3, 1) / DAY_MS && rng.chance(0.12)) return ['flexible', 'social-rent'];
      return ['secure', afterAffordableRent && rng.chance(0.05) ? 'affordable-rent' : 'social-rent'];
    }
    if (home.propertyType === 'bedsit' && rng.chance(0.4)) return ['licence', 'supported-housing'];
    if (rng.chance(0.01)) return ['licence', 'temporary-accommodation'];
    if (!home.inBlock && startYear >= 1990 && rng.chance(0.025)) return ['lease', 'shared-ownership'];
    const tenure: Tenure = afterAffordableRent && rng.chance(0.3) ? 'affordable-rent' : 'social-rent';
    if (recent && rng.chance(0.7)) return ['starter', tenure];
    if (startYear >= 2005 && rng.chance(0.03)) return ['assured-shorthold', 'intermediate-rent'];
    if (rng.chance(0.003)) return ['demoted', tenure];
    // Housing association tenants who moved in before 15 January 1989 kept secure tenancies.
    return [start < Date.UTC(1989, 0, 15) / DAY_MS ? 'secure' : 'assured', tenure];
  }

  function tenancy(home: HomeFacts, start: number, end: number | null, members: { p: PersonFacts; role: MemberRole; relationship: string | null; from?: number }[]): string {
    const id = newId();
    const [type, tenure] = terms(home, start);
    counts.tenancies++;
    const ref = `TEN${pad(counts.tenancies, tenancyRefWidth)}`;
    batch.tenancies.push({ organisationId, id, version: 1, reference: ref, tenancyType: type, tenure, startDate: isoDay(start),
      endDate: end === null ? null : isoDay(end), homeId: home.id });
    reference('tenancy', id, ref);
    for (const m of members) {
      const from = Math.max(start, m.from ?? start, m.p.dobDay);
      batch.tenancyMembers.push({ organisationId, tenancyId: id, personId: m.p.id, role: m.role, relationship: m.relationship, startDate: isoDay(from),
        endDate: end === null ? null : isoDay(end) });
    }
    return id;
  }

  interface Occupancy { tenancyId: string; leadId: string; start: number }

  function household(home: HomeFacts): Occupancy {
    const region = home.region;
    const c = composition(home.bedrooms);
    const age = leadAge(c);
    const group = pickGroup();
    const surname = surnamePair(group);
    const partnered = c === 'couple' || c === 'older-couple' || c === 'couple-kids' || (c === 'multigen' && rng.chance(0.5));
    const leadSex: Sex = c === 'single-parent' ? (rng.chance(0.9) ? 'female' : 'male') : rng.chance(0.55) ? 'female' : 'male';
    const names = new Set<string>();
    const lead = makePerson({ group, sex: leadSex, age, surname, partnered, region, household: names });
    const start = today - Math.max(1, Math.round(yearsHeld(age) * 365.25));
    const members: { p: PersonFacts; role: MemberRole; relationship: string | null; from?: number }[] = [{ p: lead, role: 'lead', relationship: null }];
    const everyone: PersonFacts[] = [lead];
    let mother: PersonFacts | null = leadSex === 'female' ? lead : null;

    if (partnered) {
      const sex: Sex = rng.chance(0.96) ? (leadSex === 'female' ? 'male' : 'female') : leadSex;
      const relationship = rng.weighted([['spouse', 55], ['partner', 40], ['civil partner', sex === leadSex ? 60 : 5]] as const);
      const partnerGroup = rng.chance(0.9) ? group : pickGroup();
      const shared = relationship === 'spouse' ? rng.chance(0.8) : rng.chance(0.25);
      const partner = makePerson({ group: partnerGroup, sex, age: Math.max(18, age + rng.int(-6, 6)), surname: shared ? surname : surnamePair(partnerGroup), partnered: true, region, household: names });
      // A partner who was not an adult when the tenancy began joined it later.
      const adultFrom = partner.dobDay + Math.ceil(18 * 365.25);
      const from = adultFrom > start ? Math.min(today - 1, rng.int(adultFrom, Math.max(adultFrom, today - 1))) : rng.chance(0.3) ? rng.int(start, today - 1) : start;
      members.push({ p: partner, role: rng.chance(0.55) ? 'joint' : 'household-member', relationship, from });
      everyone.push(partner);
      if (sex === 'female') mother ??= partner;
    }

    const childCount = c === 'single-parent' || c === 'couple-kids' || (c === 'multigen' && rng.chance(0.6))
      ? (home.bedrooms <= 2 ? rng.weighted([[1, 70], [2, 30]] as const) : rng.weighted([[1, 15], [2, 45], [3, 27], [4, 10], [5, 3]] as const))
      : 0;
    // Children were born when their mother was 17 to 45 (or their father, bringing them up alone, 17 to 55).
    const parentAge = mother?.age ?? age;
    const youngest = Math.max(0, parentAge - (mother ? 45 : 55));
    const eldest = Math.min(17, parentAge - 17);
    const childSurname: [string, string] = c === 'single-parent' && rng.chance(0.3) ? surnamePair(group) : surname;
    for (let i = 0; i < childCount && youngest <= eldest; i++) {
      const sex: Sex = rng.chance(0.5) ? 'female' : 'male';
      const child = makePerson({ group, sex, age: rng.int(youngest, eldest), surname: childSurname, region, household: names });
      members.push({ p: child, role: 'household-member', relationship: sex === 'female' ? 'daughter' : 'son' });
      everyone.push(child);
    }
    if (c === 'adult-kids') {
      for (let i = rng.int(1, 2); i > 0; i--) {
        const sex: Sex = rng.chance(0.5) ? 'female' : 'male';
        const child = makePerson({ group, sex, age: rng.int(Math.max(18, age - 45), Math.max(18, Math.min(35, age - 18))), surname, region, household: names });
        members.push({ p: child, role: 'household-member', relationship: sex === 'female' ? 'daughter' : 'son' });
        everyone.push(child);
      }
    }
    if (c === 'multigen') {
      const sex: Sex = rng.chance(0.7) ? 'female' : 'male';
      const elder = makePerson({ group, sex, age: Math.min(98, age + rng.int(20, 35)), surname, region, partnered: true, household: names });
      members.push({ p: elder, role: 'household-member', relationship: sex === 'female' ? 'mother' : 'father', from: start + rng.int(0, Math.max(0, today - start - 1)) });
      everyone.push(elder);
    }
    const tenancyId = tenancy(home, start, null, members);
    contactsOf(home, tenancyId, start, members);
    for (const p of everyone) alertsFor(p, start);
    return { tenancyId, leadId: lead.id, start };
  }

  /** An ended tenancy: the household that lived in the home before. */
  function formerTenancy(home: HomeFacts, end: number) {
    const start = end - rng.int(365, 25 * 365);
    const ageAtEnd = rng.int(Math.max(25, 18 + Math.ceil((end - start) / 365)), 90);
    const age = Math.max(18, ageAtEnd + Math.floor((today - end) / 365.25));
    const group = pickGroup();
    const surname = surnamePair(group);
    const sex: Sex = rng.chance(0.55) ? 'female' : 'male';
    const joint = rng.chance(0.35);
    const lead = makePerson({ group, sex, age, surname, partnered: joint, region: home.region });
    const members: { p: PersonFacts; role: MemberRole; relationship: string | null }[] = [{ p: lead, role: 'lead', relationship: null }];
    if (joint) {
      const partner = makePerson({ group, sex: sex === 'female' ? 'male' : 'female', age: Math.max(18 + Math.ceil((today - start) / 365.25), age + rng.int(-5, 5)), surname, partnered: true, region: home.region });
      members.push({ p: partner, role: 'joint', relationship: 'spouse' });
    }
    tenancy(home, start, end, members);
  }

  /** The home's households; the current one, if any, is returned. */
  function occupy(home: HomeFacts): Occupancy | undefined {
    if (rng.chance(0.9)) {
      const current = household(home);
      if (rng.chance(0.04) && current.start > today - 40 * 365) formerTenancy(home, current.start - rng.int(7, 120));
      return current;
    } else if (rng.chance(0.7)) {
      formerTenancy(home, today - rng.int(1, 120));
    }
    return undefined;
  }

  // ---- the repairs contractor's contact list, and households where linkage must tell two people apart ----
  // Their own random numbers and ids (lrng), so the rest of the landlord is the same with or without them.

  let contactsMade = 0;
  let doubtfulMade = 0;
  const contactRefWidth = width(Math.ceil(total * 0.15), 6);
  /** Households (a lead of 45 or more, with a tenancy) chosen for an adult child of the same name, added at the end. */
  const namesakeCandidates: { lead: PersonFacts; tenancyId: string; home: HomeFacts; start: number }[] = [];
  const namesakes = Math.max(2, Math.min(12, Math.round(total / 1000)));

  const mobileOf = (p: PersonFacts) => p.contacts.find((c) => c.system === 'phone' && c.use === 'mobile')?.value ?? null;
  const newMobile = () => `+447700900${pad(lrng.int(0, 999), 3)}`;

  /** The family name with a slip of the keyboard: two letters swapped, one left out, or one doubled (never the first). */
  function typo(name: string): string {
    if (name.length < 4 || /[^A-Za-z]/.test(name)) return name;
    const i = lrng.int(1, name.length - 2);
    switch (lrng.pick(['swap', 'drop', 'double'] as const)) {
      case 'swap': return name[i] === name[i + 1] ? name.slice(0, i) + name.slice(i + 1) : name.slice(0, i) + name[i + 1] + name[i] + name.slice(i + 2);
      case 'drop': return name.slice(0, i) + name.slice(i + 1);
      case 'double': return name.slice(0, i + 1) + name[i] + name.slice(i + 1);
    }
  }

  /** A person as the contractor holds them: no title or middle names, the home's address, the variations given. */
  function addContact(home: HomeFacts, c: { given: string; family: string; dobDay: number | null; contacts: ContactPoint[] }) {
    const id = newContactId();
    contactsMade++;
    const address = Object.fromEntries(Object.entries(home.address).filter(([, v]) => v));
    batch.people.push({ organisationId, id, version: 1, title: null, givenName: c.given, middleNames: null, familyName: c.family,
      preferredName: null, dateOfBirth: c.dobDay === null ? null : isoDay(c.dobDay), contactPoints: JSON.stringify(c.contacts),
      address: JSON.stringify(address), homeId: home.id,
      searchText: personSearchText({ givenName: c.given, middleNames: null, familyName: c.family, preferredName: null, contactPoints: c.contacts }) });
    reference('person', id, `CT${pad(contactsMade, contactRefWidth)}`, DEMO_REPAIRS_SYSTEM);
  }

  /**
   * About one current tenant in twenty has reported a repair to the contractor, who keeps them as they gave their
   * details: mostly the same person plainly (linked without asking), sometimes with little enough in common that a
   * data lead must decide (another mobile, no date of birth, a birthday that does not agree).
   */
  function contactsOf(home: HomeFacts, tenancyId: string, start: number, members: { p: PersonFacts; role: MemberRole }[]) {
    const lead = members[0]!.p;
    if (lead.age >= 45 && lead.age <= 75 && namesakeCandidates.length < namesakes && lrng.chance(0.15)) namesakeCandidates.push({ lead, tenancyId, home, start });
    for (const { p, role } of members) {
      if (role === 'household-member' || p.age < 18 || !lrng.chance(0.05)) continue;
      // The first few are doubtful, so even a small demo has pairs for a data lead to decide.
      const variant = doubtfulMade < 3 ? 'doubtful' : lrng.weighted([['plain', 40], ['nickname', 20], ['typo', 20], ['no-birth-date', 12], ['doubtful', 8]] as const);
      if (variant === 'doubtful') doubtfulMade++;
      const mobile = mobileOf(p);
      const email = p.contacts.find((c) => c.system === 'email')?.value ?? null;
      const nickname = p.preferred ?? PREFERRED[p.given] ?? null;
      let given = p.given;
      let family = p.family;
      let dobDay: number | null = p.dobDay;
      let phone = mobile && lrng.chance(0.9) ? mobile : newMobile();
      switch (variant) {
        case 'plain': break;
        case 'nickname': given = nickname ?? given; break;
        case 'typo': family = typo(family); if (nickname && lrng.chance(0.3)) given = nickname; break;
        // Held by phone: no date of birth, so the same mobile is what finds them.
        case 'no-birth-date': dobDay = null; phone = mobile ?? phone; if (lrng.chance(0.4)) family = typo(family); break;
        // The same birthday, but another mobile, no email and a name only near theirs: the same person, or not?
        case 'doubtful':
          phone = newMobile();
          if (nickname) given = nickname;
          else family = typo(family);
          break;
      }
      const contacts: ContactPoint[] = [{ system: 'phone', value: phone, use: 'mobile' }];
      if (email && variant !== 'doubtful' && lrng.chance(0.4)) contacts.push({ system: 'email', value: email });
      addContact(home, { given, family, dobDay, contacts });
    }
  }

  /**
   * A few households where a parent and their grown-up child have the same name (Robert Smith, and Robert Smith
   * born 25 years later), sharing the home's landline; the contractor holds the parent. Linkage must keep the two apart.
   */
  function addNamesakes() {
    for (const { lead, tenancyId, home, start } of namesakeCandidates) {
      const childAge = lrng.int(Math.max(18, lead.age - 35), Math.max(18, lead.age - 20));
      const dobDay = Math.min(today - 1, today - Math.round(childAge * 365.25) - lrng.int(0, 364));
      const landline = `${home.region.landline}${pad(lrng.int(0, 999), 3)}`;
      const parentMobile = mobileOf(lead) ?? newMobile();
      const childContacts: ContactPoint[] = [{ system: 'phone', value: newMobile(), use: 'mobile' }, { system: 'phone', value: landline, use: 'home' }];
      const id = newContactId();
      counts.people++;
      batch.people.push({ organisationId, id, version: 1, title: lead.sex === 'male' ? 'Mr' : 'Ms', givenName: lead.given, middleNames: null,
        familyName: lead.family, preferredName: null, dateOfBirth: isoDay(dobDay), contactPoints: JSON.stringify(childContacts), address: null, homeId: null,
        searchText: personSearchText({ givenName: lead.given, middleNames: null, familyName: lead.family, preferredName: null, contactPoints: childContacts }) });
      reference('person', id, `PER${pad(counts.people, personRefWidth)}`);
      batch.tenancyMembers.push({ organisationId, tenancyId, personId: id, role: 'household-member', relationship: lead.sex === 'male' ? 'son' : 'daughter',
        startDate: isoDay(Math.max(start, dobDay)), endDate: null });
      // The contractor's record of the parent: their date of birth and mobile, and the home's landline (the child's too).
      addContact(home, { given: lead.given, family: lead.family, dobDay: lead.dobDay,
        contacts: [{ system: 'phone', value: parentMobile, use: 'mobile' }, { system: 'phone', value: landline, use: 'home' }] });
    }
  }

  // ---- repairs and notes: the last three years (their own random stream: see hrng) ----

  const HISTORY_DAYS = 3 * 365;
  const repairKinds = fitting(REPAIRS);
  const dampKinds = fitting(DAMP_REPAIRS);
  const tenancyNotes = fitting(TENANCY_NOTES);
  const where = (home: HomeFacts) => (home.inBlock ? 'flat' : 'house');

  function addRepair(home: HomeFacts, kind: RepairKind, reported: number, recall: boolean) {
    const id = newHistoryId();
    counts.repairs++;
    const ref = `JOB${pad(counts.repairs, jobRefWidth)}`;
    const days = PRIORITY_DAYS[kind.priority];
    const finished = reported + hrng.int(days.done[0], days.done[1]) + (hrng.chance(0.1) ? hrng.int(5, 30) : 0);
    let status: string;
    let completed: number | null = null;
    if (hrng.chance(0.04)) status = 'Cancelled';
    else if (finished > today) status = hrng.pick(OPEN_STATUSES);
    else if (hrng.chance(0.02)) status = 'No access';
    else {
      status = 'Completed';
      completed = finished;
    }
    let description = recall ? `${RECALL} ${kind.text}` : kind.text;
    if (completed !== null && kind.done && hrng.chance(0.35)) description += `\n${hrng.pick(kind.done)}`;
    const location = kind.location === 'Bedroom 2' && home.bedrooms < 2 ? 'Bedroom 1' : kind.location;
    batch.repairs.push({ organisationId, id, version: 1, jobReference: ref, homeId: home.id, homeNamed: null, reportedDate: isoDay(reported),
      priority: kind.priority, status, description, completedDate: completed === null ? null : isoDay(completed),
      targetDate: isoDay(reported + days.target), sorCode: kind.sor, trade: kind.trade, location });
    reference('repair', id, ref);
  }

  /** 0–4 jobs in three years, most homes none; a damp-prone home has several, mostly damp, mould and leaks. Returns the day damp was first reported. */
  function repairHistory(home: HomeFacts): number | null {
    const damp = hrng.chance(home.propertyType === 'flat' || home.propertyType === 'maisonette' ? 0.1 : 0.06);
    const n = damp ? hrng.weighted([[1, 30], [2, 35], [3, 25], [4, 10]] as const) : hrng.weighted([[0, 80], [1, 12], [2, 5], [3, 2], [4, 1]] as const);
    const days = Array.from({ length: n }, () => today - hrng.int(0, HISTORY_DAYS)).sort((x, y) => x - y);
    let dampSince: number | null = null;
    for (const day of days) {
      if (hrng.chance(damp ? 0.75 : 0.08)) {
        const kind = hrng.pick(dampKinds[where(home)]);
        addRepair(home, kind, day, dampSince !== null && /mould/i.test(kind.text) && hrng.chance(0.5));
        dampSince ??= day;
      } else {
        addRepair(home, hrng.pick(repairKinds[where(home)]), day, false);
      }
    }
    return damp ? dampSince : null;
  }

  function addNote(subjectKind: 'person' | 'home' | 'tenancy', subjectId: string, note: NoteKind, day: number) {
    const id = newHistoryId();
    counts.notes++;
    batch.notes.push({ organisationId, id, version: 1, subjectKind, personId: subjectKind === 'person' ? subjectId : null,
      homeId: subjectKind === 'home' ? subjectId : null, tenancyId: subjectKind === 'tenancy' ? subjectId : null,
      subjectNamed: null, noteType: note.type, author: hrng.pick(staff),
      notedAt: `${isoDay(day)} ${pad(hrng.int(8, 17), 2)}:${pad(hrng.int(0, 59), 2)}:00+00`, text: note.text });
    reference('note', id, `NTE${pad(counts.notes, noteRefWidth)}`);
  }

  /** Officers' notes: on some damp-prone homes, and on a few current tenancies and tenants. */
  function notesFor(home: HomeFacts, current: Occupancy | undefined, dampSince: number | null) {
    if (dampSince !== null && hrng.chance(0.4)) {
      const k = hrng.int(1, 2);
      let day = dampSince + hrng.int(0, 14);
      for (let i = hrng.int(0, DAMP_NOTES.length - k), end = i + k; i < end && day < today; i++, day += hrng.int(7, 90)) {
        addNote('home', home.id, DAMP_NOTES[i]!, day);
      }
    }
    if (!current) return;
    // Written on a day before the as-of day, so no note is timed later than now.
    const from = Math.min(today - 1, Math.max(current.start, today - HISTORY_DAYS));
    if (hrng.chance(0.05)) for (let i = hrng.chance(0.2) ? 2 : 1; i > 0; i--) addNote('tenancy', current.tenancyId, hrng.pick(tenancyNotes[where(home)]), hrng.int(from, today - 1));
    if (hrng.chance(0.03)) addNote('person', current.leadId, hrng.pick(PERSON_NOTES), hrng.int(from, today - 1));
  }

  // ---- homes ----

  /**
   * The middle of an estate (or a patch of street properties): its district lies 1.5 to 4.5 km from the town's centre
   * in a direction of its own (the same every time), and the estate within 700 m of the district's middle.
   */
  function areaCentre(region: Region, district: District): { latitude: number; longitude: number } {
    let hash = 0;
    for (const ch of `${region.key}/${district.name}`) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
    const angle = ((hash % 3600) / 3600) * 2 * Math.PI;
    const km = 1.5 + ((hash >>> 12) % 300) / 100;
    const east = km * Math.cos(angle) + grng.between(-0.7, 0.7), north = km * Math.sin(angle) + grng.between(-0.7, 0.7);
    return moved(region.centre, north, east);
  }

  /** A place `north` and `east` km from another. */
  function moved(from: { latitude: number; longitude: number }, north: number, east: number) {
    const latitude = from.latitude + north / 111.2;
    const longitude = from.longitude + east / (111.2 * Math.cos((from.latitude * Math.PI) / 180));
    return { latitude: Number(latitude.toFixed(6)), longitude: Number(longitude.toFixed(6)) };
  }

  // The flats of a block are at one place: the block's.
  const blockPlaces = new Map<string, { latitude: number; longitude: number }>();
  function placeOf(area: Area, blockId: string | null) {
    const known = blockId ? blockPlaces.get(blockId) : undefined;
    if (known) return known;
    const place = moved(area.centre, grng.between(-0.25, 0.25), grng.between(-0.25, 0.25));
    if (blockId) blockPlaces.set(blockId, place);
    return place;
  }

  function addHome(area: Area, h: { subBuilding: string | null; buildingName: string | null; buildingNumber: string | null; street: string; postcode: string; propertyType: PropertyType; bedrooms: number; floor: number | null; blockId: string | null }) {
    const id = newId();
    counts.homes++;
    uprn += rng.int(1, uprnGap);
    const uprnText = rng.chance(0.02) ? null : String(uprn);
    const ref = `PR${pad(counts.homes, homeRefWidth)}`;
    const address = { subBuilding: h.subBuilding, buildingName: h.buildingName, buildingNumber: h.buildingNumber, street: h.street, locality: area.locality, town: area.region.town, postcode: h.postcode };
    batch.homes.push({ organisationId, id, version: 1, uprn: uprnText, reference: ref, subBuilding: h.subBuilding,
      buildingName: h.buildingName, buildingNumber: h.buildingNumber, street: h.street, locality: area.locality,
      town: area.region.town, postcode: h.postcode, propertyType: h.propertyType, bedrooms: h.bedrooms, floor: h.floor,
      blockId: h.blockId, estateId: area.estateId, ...placeOf(area, h.blockId),
      searchText: homeSearchText({ ...address, uprn: uprnText, reference: ref }) });
    reference('home', id, ref);
    const home: HomeFacts = { id, propertyType: h.propertyType, bedrooms: h.bedrooms, inBlock: h.blockId !== null, region: area.region, address };
    const current = occupy(home);
    notesFor(home, current, repairHistory(home));
  }

  function yearIn([from, to]: readonly [number, number]): number {
    return rng.int(from, to);
  }

  function flatBedrooms(): number {
    return rng.weighted([[1, 45], [2, 40], [3, 13], [4, 2]] as const);
  }

  type BlockKind = 'tower' | 'medium' | 'lowrise' | 'small' | 'converted';

  /** A block and its flats; returns the number of homes in it. */
  function block(area: Area, kind: BlockKind, budget: number, force?: 'measured' | 'unknown'): number {
    let storeys: number;
    let perFloor: number;
    switch (kind) {
      case 'tower': storeys = 10 + Math.floor(rng.next() ** 2 * 16); perFloor = rng.int(4, 6); break;
      case 'medium': storeys = rng.int(6, 9); perFloor = rng.int(3, 5); break;
      case 'lowrise': storeys = rng.int(3, 5); perFloor = rng.int(2, 6); break;
      case 'small': storeys = rng.int(2, 3); perFloor = rng.int(2, 4); break;
      case 'converted': storeys = 3; perFloor = 1; break;
    }
    if (force) {
      storeys = force === 'measured' ? rng.int(8, 11) : rng.int(7, 9);
      perFloor = Math.max(1, Math.min(4, Math.floor(budget / storeys)));
    }
    let units = kind === 'converted' ? rng.int(2, 4) : storeys * perFloor;
    if (units > budget) {
      if ((kind === 'tower' || kind === 'medium') && Math.floor(budget / storeys) >= 2) perFloor = Math.floor(budget / storeys);
      else if (!force) storeys = Math.max(2, Math.min(storeys, Math.ceil(budget / perFloor)));
      units = Math.min(budget, storeys * perFloor);
    }
    if (units < 1) return 0;

    const id = newId();
    counts.blocks++;
    const street = area.streets.length && rng.chance(0.6) ? rng.pick(area.streets) : newStreet(area);
    if (!area.streets.includes(street)) area.streets.push(street);
    let blockName: string;
    let buildingNumber: string | null = null;
    let postcode: string;
    if (kind === 'converted') {
      const n = houseNumber(street);
      buildingNumber = n.number;
      postcode = n.postcode;
      blockName = `${n.number} ${street.name}`;
    } else {
      const suffixes = BLOCK_SUFFIX[storeys >= 10 ? 'tower' : storeys >= 6 ? 'medium' : storeys >= 3 ? 'lowrise' : 'small'];
      // Names repeat only when a district has run out of them (a landlord of hundreds of thousands of homes).
      blockName = uniqueName(usedBlocks, `${area.region.key}/${area.district.name}`,
        () => `${rng.pick(rng.chance(0.8) ? area.theme : rng.pick(ALL_THEMES))} ${rng.pick(suffixes)}`);
      postcode = units >= 12 ? postcodeIn(area.district.outward) : houseNumber(street).postcode;
    }

    // Height, as recorded: measured, estimated (storeys × 3 m), near the 18 m line, unknown, or storeys unknown too.
    let height: number | null = null;
    let method: 'measured' | 'estimated' | null = null;
    let source: string | null = null;
    let recordedStoreys: number | null = storeys;
    const r = rng.next();
    if (force === 'unknown' || (!force && r < 0.17)) {
      if (!force && r < 0.05) recordedStoreys = null;
    } else if (storeys >= 6 && storeys <= 8 && !force && rng.chance(0.35)) {
      height = round2(rng.between(17.5, 18.5));
      method = 'measured';
      source = rng.pick(HEIGHT_SOURCES.measured);
    } else if (force === 'measured' || rng.chance(0.6)) {
      height = round2((storeys - 1) * rng.between(2.7, 3.1) + rng.between(0, 0.6));
      method = 'measured';
      source = rng.pick(HEIGHT_SOURCES.measured);
    } else {
      height = storeys * 3;
      method = 'estimated';
      source = HEIGHT_SOURCES.estimated[0]!;
    }
    if (height !== null && height >= 18) counts.blocksOver18m++;
    const yearBuilt = rng.chance(0.03) ? null : kind === 'converted' ? rng.int(1890, 1914)
      : kind === 'tower' ? rng.int(1958, 1976)
      : kind === 'medium' ? (rng.chance(0.7) ? rng.int(1950, 1980) : rng.int(1995, 2020))
      : kind === 'small' ? rng.int(1960, 2020)
      : yearIn(rng.weighted([[[1919, 1939], 20], [[1945, 1979], 45], [[1980, 2020], 35]] as const));

    batch.blocks.push({ organisationId, id, version: 1, estateId: area.estateId, name: blockName, buildingNumber, street: street.name,
      locality: area.locality, town: area.region.town, postcode, storeys: recordedStoreys, heightMetres: height,
      heightSource: source, heightMethod: method, yearBuilt, residentialUnits: units });
    reference('block', id, `BLK${pad(counts.blocks, 6)}`);

    const maisonettes = (kind === 'lowrise' || kind === 'medium') && rng.chance(0.25);
    for (let i = 0; i < units; i++) {
      const floor = Math.min(storeys - 1, Math.floor(i / perFloor));
      let propertyType: PropertyType = 'flat';
      let bedrooms = flatBedrooms();
      if (maisonettes && floor % 2 === 0 && floor + 1 < storeys && rng.chance(0.6)) {
        propertyType = 'maisonette';
        bedrooms = rng.int(2, 3);
      } else if (rng.chance(0.03)) {
        propertyType = 'bedsit';
        bedrooms = 1;
      }
      addHome(area, {
        subBuilding: kind === 'converted' ? `Flat ${'ABCD'[i]}` : `Flat ${i + 1}`,
        buildingName: kind === 'converted' ? null : blockName,
        buildingNumber, street: street.name, postcode, propertyType, bedrooms, floor, blockId: id,
      });
    }
    return units;
  }

  function houses(area: Area, count: number) {
    let street: Street | null = null;
    let leftOnStreet = 0;
    for (let i = 0; i < count; i++) {
      if (!street || leftOnStreet-- <= 0) {
        street = newStreet(area);
        area.streets.push(street);
        leftOnStreet = rng.int(12, 45);
      }
      const n = houseNumber(street);
      const bungalow = street.bungalows ? rng.chance(0.85) : rng.chance(0.04);
      addHome(area, {
        subBuilding: null, buildingName: null, buildingNumber: n.number, street: street.name, postcode: n.postcode,
        propertyType: bungalow ? 'bungalow' : 'house',
        bedrooms: bungalow ? rng.weighted([[1, 40], [2, 60]] as const) : rng.weighted([[2, 30], [3, 55], [4, 12], [5, 3]] as const),
        floor: null, blockId: null,
      });
    }
  }

  /** About 150–300 homes: an estate (or, one time in eight, street properties with no estate). */
  function area(size: number, first: boolean) {
    const region = pickRegion();
    const district = rng.pick(region.districts);
    const isEstate = first || rng.chance(0.87);
    const themeName = rng.pick(Object.keys(THEMES));
    const theme = THEMES[themeName]!;
    let estateId: string | null = null;
    if (isEstate) {
      estateId = newId();
      counts.estates++;
      const estateName = uniqueName(usedEstates, region.key,
        () => (rng.chance(0.25) ? `${rng.pick(ESTATE_PEOPLE)} Estate` : `${estateStem()}${rng.pick(ESTATE_KINDS)}`),
        (base, n) => (n === 2 ? `${base} North` : n === 3 ? `${base} South` : `${base.replace(/ (North|South)$/, '')} Phase ${n - 2}`));
      batch.estates.push({ organisationId, id: estateId, version: 1, name: estateName, localAuthority: region.localAuthority });
      reference('estate', estateId, `EST${pad(counts.estates, 4)}`);
    }
    const a: Area = { region, district, estateId, theme, locality: rng.chance(region.localityShare) ? district.name : null, streets: [], centre: areaCentre(region, district) };

    const type = !isEstate ? 'dispersed' : first ? 'mixed' : rng.weighted([['flatted', 30], ['mixed', 45], ['houses', 25]] as const);
    const share = type === 'flatted' ? rng.between(0.8, 0.95) : type === 'mixed' ? rng.between(0.35, 0.6) : type === 'houses' ? rng.between(0, 0.15) : rng.between(0.1, 0.25);
    const kinds: readonly (readonly [BlockKind, number])[] = type === 'flatted' ? [['tower', 15], ['medium', 30], ['lowrise', 55]]
      : type === 'mixed' ? [['tower', 4], ['medium', 16], ['lowrise', 65], ['small', 15]]
      : type === 'houses' ? [['lowrise', 40], ['small', 60]]
      : [['converted', 70], ['small', 30]];
    let budget = Math.round(size * share);
    let placed = 0;
    if (first && size >= 40) {
      if (!tallMeasuredPlaced) {
        tallMeasuredPlaced = true;
        placed += block(a, 'medium', Math.max(budget - placed, 16), 'measured');
      }
      if (!tallUnknownPlaced) {
        tallUnknownPlaced = true;
        placed += block(a, 'medium', Math.max(budget - placed, 14), 'unknown');
      }
      budget = Math.max(budget, placed);
    }
    while (budget - placed >= 2) placed += block(a, rng.weighted(kinds), budget - placed);
    houses(a, size - placed);
  }

  // ---- the landlord ----

  let remaining = total;
  let first = true;
  while (remaining > 0) {
    let size = remaining <= 300 ? remaining : rng.int(150, 300);
    if (remaining - size > 0 && remaining - size < 100) size = remaining - 100;
    area(size, first);
    first = false;
    remaining -= size;
    if (counts.homes - loaded >= batchHomes) await flush();
  }
  addNamesakes();
  await flush();
  // The rows went in by COPY, past the listeners that keep damp and mould signals: work them out once now.
  const damp = await store.withOrg(organisationId, (tx) => rescanDampSignals({ actor: systemActor(organisationId, 'demo'), tx }));
  // Then a few hazard reports in every state, through the hazards service (their clocks run from real events).
  const hazardReports = await store.withOrg(organisationId, (tx) => demoHazardReports({ actor: systemActor(organisationId, 'demo'), tx }, asOf));

  // Last, record linkage as after an import of a second system's people (the import follow-ups: a full run, as
  // `hearth link`): the people found in both systems are linked, and the doubtful pairs wait for a data lead.
  const linkage = { linkedPeople: 0, pairsForReview: 0 };
  for (const f of importFollowUps('people')) {
    const r = await f.afterImport?.(store, organisationId, { id: 'demo', kind: 'people' }) as { ran?: string; error?: string; linkedPeople?: number; forReview?: number } | undefined;
    if (r?.ran === 'failed') throw new Error(`demo: ${f.label} failed: ${r.error}`);
    linkage.linkedPeople += r?.linkedPeople ?? 0;
    linkage.pairsForReview += r?.forReview ?? 0;
  }

  return { organisationId, name, ...counts, people: counts.people + contactsMade, repairsContacts: contactsMade, ...linkage, dampSignals: damp.signals, hazardReports,
    millis: Math.round(performance.now() - t0) };
}
