// The hub in the demo (issue 16): three landlords publish to the hub this Hearth runs, each a different way in, beside
// sixty more whose files make the national figures worth comparing with.
//   - The demo landlord publishes from its own Hearth: its publishing settings point at this server's hub with a key
//     the hub made, and the publishing worker pushes its homes and measures, signed, once the server runs.
//   - Northbrook Housing Association (demo) publishes an RPDE change feed, which the hub registers and federates. Its
//     feed is served by this server at /hub/demo/feeds/L4417 (outside production only): in real life it is the landlord's.
//   - Eastgate District Council (demo) drops files: its homes.csv and measures.csv, uploaded.
//   - Sixty generated landlords' JSON batches, uploaded: enough for medians, league tables and suppression to show.
// Everything is synthetic and deterministic (a seed): no real landlord's figures.
import { sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { Store } from '../../platform/db/store.ts';
import type { TypedFastify } from '../../platform/http/typed.ts';
import type { PageDeps } from '../../platform/modules.ts';
import { seededRandom } from '../../platform/random.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import { upsertPublisher } from './intake.ts';
import { createKey } from './push/credentials.ts';
import { makeHubOperator } from './operator/service.ts';
import { registerSource } from './sources/registry.ts';
import { receiveUpload } from './sources/file.ts';
import { standardCsv } from './standard/csv.ts';
import { readLocalAuthorities } from './public/local-authorities.ts';
import { getPublishing, savePublishing } from './publishing/settings.ts';
import type { HomeRecord, MeasuresRecord, RentType, StandardRecord } from './standard/schema.ts';

export const DEMO_FEED_PUBLISHER = { publisher: 'L4417', name: 'Northbrook Housing Association (demo)', kind: 'private-registered-provider', homes: 900, region: 'E12000002' } as const;
export const DEMO_FILE_PUBLISHER = { publisher: '00KF', name: 'Eastgate District Council (demo)', kind: 'local-authority', homes: 700, region: 'E12000006' } as const;
export const DEMO_FEED_PATH = '/hub/demo/feeds';
const GENERATED = 60;
const YEARS = [2024, 2025, 2026];
const PAGE = 250;

type Rng = () => number;
const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;

const FIRST = ['Ash', 'Beacon', 'Brook', 'Castle', 'Dale', 'Elm', 'Fern', 'Glen', 'Harbour', 'Heath', 'Kestrel', 'Lark', 'Meadow', 'Moor',
  'Oak', 'Pennine', 'Quay', 'Ridge', 'Severn', 'Thames', 'Vale', 'Weald', 'Willow', 'Wren', 'Yew', 'Cedar', 'Holly', 'Marsh', 'Orchard', 'Stone'];
const LAST = ['Homes', 'Housing', 'Housing Association', 'Living', 'Housing Trust', 'Community Housing'];

interface Landlord { publisher: string; name: string; kind: 'private-registered-provider' | 'local-authority'; homes: number; region: string }

/** A landlord's homes (a few blocks, some higher-risk) in its region's districts, and its measures for each year. */
export function demoRecords(l: Landlord, seed: number): { homes: HomeRecord[]; measures: MeasuresRecord[] } {
  const rng = seededRandom(seed);
  const districts = readLocalAuthorities().filter((la) => la.regionCode === l.region).map((la) => la.code);
  const mine = Array.from({ length: Math.min(3, districts.length) }, () => pick(rng, districts));
  const homes: HomeRecord[] = [];
  let block = 0;
  let inBlock = 0;
  let blockFacts: NonNullable<HomeRecord['block']> | undefined;
  for (let i = 1; i <= l.homes; i++) {
    if (inBlock === 0 && rng() < 0.06) {
      block++;
      const storeys = rng() < 0.3 ? int(rng, 7, 22) : int(rng, 3, 6);
      inBlock = storeys * int(rng, 2, 6);
      const heightMetres = Math.round(storeys * 2.9 * 10) / 10;
      blockFacts = { blockReference: `${l.publisher}-B${String(block).padStart(3, '0')}`, storeys, heightMetres, residentialUnits: inBlock, higherRisk: heightMetres >= 18 || storeys >= 7 };
    }
    const rent: RentType = rng() < 0.08 ? 'shared-ownership' : rng() < 0.25 ? 'affordable-rent' : 'social-rent';
    const home: HomeRecord = {
      type: 'home', landlordReference: `${l.publisher}-${String(i).padStart(5, '0')}`, localAuthority: pick(rng, mine), rentType: rent,
      propertyType: inBlock > 0 ? 'flat' : pick(rng, ['house', 'house', 'bungalow', 'maisonette'] as const), bedrooms: int(rng, 1, 4),
      buildYear: int(rng, 1930, 2022),
    };
    if (rng() < 0.9) home.uprn = String(100_000_000 + Math.floor(rng() * 900_000_000));
    if (inBlock > 0 && blockFacts) { home.block = blockFacts; inBlock--; }
    homes.push(home);
  }
  const measures: MeasuresRecord[] = [];
  for (const year of YEARS) {
    for (const tenureGroup of ['LCRA', 'LCHO'] as const) {
      const n = homes.filter((h) => (tenureGroup === 'LCHO') === (h.rentType === 'shared-ownership')).length;
      if (!n) continue;
      const part = (share: number, of: number) => Math.min(of, Math.max(0, Math.round(of * share)));
      const satisfied = (responses: number, base: number) => ({ satisfied: part(base + (rng() - 0.5) * 0.2, responses), responses });
      const sample = Math.max(1, Math.min(n, Math.round(n * (0.08 + rng() * 0.1))));
      const base = 0.6 + rng() * 0.25;
      const repairs = Math.round(n * (2 + rng()));
      const emergency = Math.round(repairs * 0.2);
      const complaints = Math.round(n * (0.02 + rng() * 0.05));
      measures.push({
        type: 'measures', landlord: l.publisher, period: { from: `${year}-04-01`, to: `${year + 1}-03-31` }, tenureGroup,
        dampAndMould: { openCases: Math.round(n * rng() * 0.02), clocksMet: Math.round(n * 0.05), clocksMissed: Math.round(n * rng() * 0.006) },
        rp01: { numerator: part(rng() * 0.05, n), denominator: n },
        rp02_1: { numerator: part(0.8 + rng() * 0.17, repairs - emergency), denominator: Math.max(1, repairs - emergency) },
        rp02_2: { numerator: part(0.9 + rng() * 0.09, emergency), denominator: Math.max(1, emergency) },
        nm01_1: { numerator: Math.round(n * rng() * 0.05), denominator: n },
        ch01_1: { numerator: complaints, denominator: n },
        ch02_1: { numerator: part(0.8 + rng() * 0.19, complaints), denominator: Math.max(1, complaints) },
        bs01: { numerator: part(0.97 + rng() * 0.03, n), denominator: n },
        tp01: satisfied(sample, base), tp02: satisfied(Math.round(sample * 0.8), base), tp05: satisfied(sample, base + 0.05),
        tp12: satisfied(Math.round(sample * 0.5), base - 0.1),
        survey: { method: pick(rng, ['postal', 'online', 'telephone', 'mixed'] as const), sampleSize: sample, population: n, fieldworkFrom: `${year}-09-01`, fieldworkTo: `${year + 1}-02-28` },
      });
    }
  }
  return { homes, measures };
}

/** The generated landlords: names, registration numbers, sizes (a few large, most small) and regions. */
export function generatedLandlords(seed = 7): Landlord[] {
  const rng = seededRandom(seed);
  const regions = [...new Set(readLocalAuthorities().filter((la) => la.code.startsWith('E')).map((la) => la.regionCode))];
  const used = new Set<string>([DEMO_FEED_PUBLISHER.publisher, DEMO_FILE_PUBLISHER.publisher]);
  const out: Landlord[] = [];
  for (let i = 0; out.length < GENERATED; i++) {
    const publisher = `L${String(int(rng, 1000, 9999))}`;
    const name = `${FIRST[i % FIRST.length]!}${i >= FIRST.length ? ` ${pick(rng, ['North', 'South', 'West', 'East', 'Central'])}` : ''} ${pick(rng, LAST)} (demo)`;
    if (used.has(publisher)) continue;
    used.add(publisher);
    const homes = rng() < 0.1 ? int(rng, 1_500, 3_000) : rng() < 0.4 ? int(rng, 300, 1_500) : int(rng, 20, 300);
    out.push({ publisher, name, kind: 'private-registered-provider', homes, region: pick(rng, regions) });
  }
  return out;
}

/** The Northbrook feed's items in feed order: each home, then each measures record. */
function feedItems() {
  const { homes, measures } = demoRecords(DEMO_FEED_PUBLISHER, 4417);
  const records: StandardRecord[] = [...homes, ...measures];
  return records.map((data, i) => ({
    state: 'updated' as const,
    kind: data.type,
    id: data.type === 'home' ? data.landlordReference : data.type === 'measures' ? `measures-${data.period.from}-${data.tenureGroup}` : `x${i}`,
    modified: i + 1,
    data,
  }));
}

/** The demo feed (RPDE 1.0, modified and id order), outside production only. */
export function hubDemoRoutes(app: TypedFastify, deps: PageDeps) {
  if (deps.config.production) return;
  let items: ReturnType<typeof feedItems> | undefined;
  app.get(`${DEMO_FEED_PATH}/${DEMO_FEED_PUBLISHER.publisher}`, { schema: { hide: true } }, async (req: FastifyRequest) => {
    items ??= feedItems();
    const q = req.query as { afterTimestamp?: string };
    const after = Number(q.afterTimestamp ?? 0) || 0;
    const page = items.filter((it) => it.modified > after).slice(0, PAGE);
    const base = `${req.protocol}://${req.host}${DEMO_FEED_PATH}/${DEMO_FEED_PUBLISHER.publisher}`;
    const last = page.at(-1);
    return {
      next: last ? `${base}?afterTimestamp=${last.modified}&afterId=${encodeURIComponent(last.id)}` : (after ? `${base}?afterTimestamp=${after}&afterId=${encodeURIComponent(String((req.query as { afterId?: string }).afterId ?? ''))}` : base),
      items: page,
      license: 'https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/',
    };
  });
}

export interface HubDemoSummary { publishers: number; homes: number }

/**
 * Load the hub's demo (once: a hub that has publishers already is left as it is). `hubUrl` is this server's own
 * address (the demo landlord pushes to it and the hub pulls the demo feed from it); `landlord` the demo landlord.
 */
export async function seedHubDemo(store: Store, o: { hubUrl: string; landlord?: { organisationId: string; name: string; registration: string | null; kind: string } }): Promise<HubDemoSummary | undefined> {
  const existing = (await store.system((db) => db.execute(sql`SELECT count(*)::int AS n FROM hub.publishers`))).rows[0] as { n: number };
  if (existing.n > 0) return undefined;
  let homes = 0;
  // 1. The demo landlord, publishing from its Hearth by signed push.
  if (o.landlord) {
    const registration = o.landlord.registration ?? '00DA';
    const landlord = o.landlord;
    const key = await store.system(async (db) => {
      await upsertPublisher(db, { publisher: registration, name: landlord.name, kind: landlord.kind === 'local-authority' ? 'local-authority' : 'private-registered-provider' });
      return createKey(db, registration);
    });
    // The demo's hub is run by the demo landlord's Hearth: its administrator manages the hub's publishers.
    await store.system((db) => makeHubOperator(db, landlord.organisationId));
    await store.withOrg(landlord.organisationId, async (tx) => {
      const ctx = { actor: systemActor(landlord.organisationId, 'Hearth demo'), tx };
      const current = await getPublishing(ctx);
      await savePublishing(ctx, {
        enabled: true, hubUrl: o.hubUrl, publisher: registration, keyId: key.keyId, secret: key.secret, publishHomes: true, publishMeasures: true,
      }, current.version);
    });
  }
  // 2. Northbrook: its feed registered; the poller federates it within a minute of the start.
  await store.system(async (db) => {
    await upsertPublisher(db, DEMO_FEED_PUBLISHER);
    await registerSource(db, { publisher: DEMO_FEED_PUBLISHER.publisher, kind: 'feed', url: `${o.hubUrl}${DEMO_FEED_PATH}/${DEMO_FEED_PUBLISHER.publisher}` });
  });
  // 3. Eastgate: its two files, uploaded.
  await store.system((db) => upsertPublisher(db, DEMO_FILE_PUBLISHER));
  const eastgate = demoRecords(DEMO_FILE_PUBLISHER, 1006);
  await receiveUpload(store, DEMO_FILE_PUBLISHER.publisher, 'homes.csv', standardCsv('homes', eastgate.homes));
  await receiveUpload(store, DEMO_FILE_PUBLISHER.publisher, 'measures.csv', standardCsv('measures', eastgate.measures));
  homes += eastgate.homes.length;
  // 4. The generated landlords' JSON batches.
  const generated = generatedLandlords();
  for (const [i, l] of generated.entries()) {
    await store.system((db) => upsertPublisher(db, l));
    const r = demoRecords(l, 10_000 + i);
    await receiveUpload(store, l.publisher, 'batch.json', JSON.stringify({ standard: '1.0', publisher: l.publisher, records: [...r.homes, ...r.measures] }));
    homes += r.homes.length;
  }
  return { publishers: generated.length + 2 + (o.landlord ? 1 : 0), homes };
}
