// npm run bench:hub — the national hub's figures (issue 16, "Measured"), on PostgreSQL, through the hub's own code:
//   1. federation: 1,600 landlords' HHDS change feeds (RPDE pages of 500–1,000 items, made on the fly by a feed server in
//      a worker thread: bench/hub-feeds.ts, bench/hub-generate.ts), 4.7 million homes, registered as hub sources and
//      pulled with pollDueSources as the poller pulls them (100 sources a poll, 4 publishers side by side, each from
//      its cursor) until every feed is read to its end; then 1% of homes change (four in five updated, one in five
//      deleted) and the same polls catch up;
//   2. the hub's database size with that data, table by table (before anything is pushed);
//   3. push: signed batches of 1,000 home records through POST /hub/api/v1/batches of the running app (client
//      pushBatch), one at a time and four at a time;
//   4. the public site with the data, over HTTP: a landlord's page for 200 landlords at random, and each national
//      page, p50 / p95 (after the first request, which makes the summaries the pages read: shown apart).
//   --landlords N (1600)  --homes N (4700000)  --quick (50 landlords, 150,000 homes)  --seed N (42)
//   --batches N (200; 20 in --quick)  push batches at each concurrency   --pages N (200)  landlord pages timed
//   DATABASE_URL  PostgreSQL server (default postgres://postgres@127.0.0.1:5432/test): a throwaway database is made on it
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../src/config.ts';
import { openStore, type Store } from '../src/platform/db/store.ts';
import { buildApp } from '../src/app.ts';
import { upsertPublisher } from '../src/modules/hub/intake.ts';
import { registerSource } from '../src/modules/hub/sources/registry.ts';
import { pollDueSources } from '../src/modules/hub/sources/poller.ts';
import type { PullResult } from '../src/modules/hub/sources/state.ts';
import { createKey } from '../src/modules/hub/push/credentials.ts';
import { pushBatch } from '../src/modules/hub/push/client.ts';
import { PUBLIC_MEASURES } from '../src/modules/hub/public/disclosure.ts';
import { loadLocalAuthorities, readLocalAuthorities } from '../src/modules/hub/public/local-authorities.ts';
import { changesOf, homeRecord, makeHubPlan, measuresRecords, type FeedLandlord } from './hub-generate.ts';
import type { FeedsCommand, FeedsData, FeedsMessage } from './hub-feeds.ts';
import { withDatabase } from './database.ts';

const { values: args } = parseArgs({
  options: {
    landlords: { type: 'string' },
    homes: { type: 'string' },
    quick: { type: 'boolean', default: false },
    seed: { type: 'string', default: '42' },
    batches: { type: 'string' },
    pages: { type: 'string', default: '200' },
  },
});
const LANDLORDS = Number(args.landlords ?? (args.quick ? 50 : 1_600));
const HOMES = Number(args.homes ?? (args.quick ? 150_000 : 4_700_000));
const BATCHES = Number(args.batches ?? (args.quick ? 20 : 200));
const PAGES = Number(args.pages);
const seed = Number(args.seed);
for (const [name, v] of Object.entries({ landlords: LANDLORDS, homes: HOMES, batches: BATCHES, pages: PAGES })) {
  if (!Number.isSafeInteger(v) || v < 1) throw new Error(`--${name} must be a whole number, 1 or more (it is ${v})`);
}
if (LANDLORDS > 8_999) throw new Error('--landlords must be at most 8,999 (registrations L1000 to L9999)');
const serverUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
/** The poller's defaults (sources/poller.ts): sources claimed a poll, publishers pulled side by side. */
const POLL = { limit: 100, concurrency: 4 };
const PUSH_RECORDS = 1_000;
const PUSH_PUBLISHERS = 20;

const fmt = (n: number) => Math.round(n).toLocaleString('en-GB');
const log = (s: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${s}`);
const pct = (xs: readonly number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!; };
const ms = (x: number) => `${x.toFixed(x < 10 ? 1 : 0)} ms`;
const secs = (x: number) => `${(x / 1000).toFixed(1)} s`;
const bytes = (n: number) => (n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(2)} GB` : n >= 1024 ** 2 ? `${(n / 1024 ** 2).toFixed(1)} MB` : `${(n / 1024).toFixed(0)} kB`);

/** Figures for the table at the end: [section, what, figure, target]. */
const figures: [string, string, string, string][] = [];
const figure = (section: string, what: string, value: string, target = '') => { figures.push([section, what, value, target]); log(`${what}: ${value}`); };

const las = readLocalAuthorities();
const plan = makeHubPlan(LANDLORDS, HOMES, seed, las);
const totalHomes = plan.landlords.reduce((s, l) => s + l.homes, 0);
const sizes = plan.landlords.map((l) => l.homes).sort((a, b) => b - a);
console.log(`bench:hub on PostgreSQL: ${fmt(plan.landlords.length)} landlords, ${fmt(totalHomes)} homes ` +
  `(largest ${fmt(sizes[0]!)}, median ${fmt(sizes[Math.floor(sizes.length / 2)]!)}, smallest ${fmt(sizes.at(-1)!)}; ${plan.landlords.filter((l) => l.homes >= 50_000).length} with 50,000 or more)`);

// ---- the feed server ---------------------------------------------------------------------------------------------
function startFeeds(): Promise<{ base: string; send(c: FeedsCommand): Promise<FeedsMessage>; stop(): Promise<void> }> {
  const worker = new Worker(new URL('./hub-feeds.ts', import.meta.url), { workerData: { plan } satisfies FeedsData });
  const waiting: ((m: FeedsMessage) => void)[] = [];
  return new Promise((resolve, reject) => {
    worker.on('error', reject);
    worker.on('message', (m: FeedsMessage) => {
      if (m.type === 'error') { console.error(`feed server: ${m.message}`); return; }
      if (m.type === 'listening') {
        resolve({
          base: `http://127.0.0.1:${m.port}`,
          send: (c) => new Promise((answer) => { waiting.push(answer); worker.postMessage(c); }),
          stop: async () => { worker.postMessage({ type: 'close' } satisfies FeedsCommand); await worker.terminate(); },
        });
        return;
      }
      waiting.shift()?.(m);
    });
  });
}

/** Poll as the poller does until every source has been read to the end of its feed; what was taken in. */
async function federate(store: Store, sources: number): Promise<{ ms: number; polls: number; pages: number; records: number; accepted: number; rejected: number }> {
  const done = new Set<string>();
  const t0 = performance.now();
  let polls = 0, pages = 0, records = 0, accepted = 0, rejected = 0, lastReport = t0;
  while (done.size < sources) {
    // everyMinutes 0: every source is due again at once (the real poller waits 5 minutes between pulls of a feed).
    const results: PullResult[] = await pollDueSources(store, { ...POLL, everyMinutes: 0 });
    polls++;
    for (const r of results) {
      if (r.outcome === 'failing' || r.outcome === 'paused' || r.outcome === 'refused') throw new Error(`source of ${r.publisher}: ${r.outcome}: ${r.reason}`);
      pages += r.batches; records += r.records; accepted += r.accepted; rejected += r.rejected;
      if (!r.more) done.add(r.sourceId);
    }
    if (performance.now() - lastReport > 30_000) {
      lastReport = performance.now();
      log(`  ${fmt(done.size)} of ${fmt(sources)} feeds read to the end; ${fmt(records)} records (${fmt(records / ((lastReport - t0) / 1000))}/s)`);
    }
  }
  return { ms: performance.now() - t0, polls, pages, records, accepted, rejected };
}

/** Timed GETs of each path in turn; the first request of all is returned apart (it makes the public summaries). */
async function timeGets(base: string, paths: readonly string[]): Promise<{ times: number[]; statuses: Map<number, number>; bytes: number }> {
  const times: number[] = [];
  const statuses = new Map<number, number>();
  let size = 0;
  for (const p of paths) {
    const t0 = performance.now();
    const res = await fetch(`${base}${p}`);
    const body = await res.arrayBuffer();
    times.push(performance.now() - t0);
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    size += body.byteLength;
    if (res.status !== 200) throw new Error(`GET ${p} answered ${res.status}: ${Buffer.from(body).toString('utf8').slice(0, 300)}`);
  }
  return { times, statuses, bytes: size / Math.max(1, paths.length) };
}

await withDatabase(serverUrl, async (url) => {
  const config = { ...loadConfig({ ...process.env, DATABASE_URL: url }), logLevel: 'warn' as const };
  const store = await openStore(config);
  const feeds = await startFeeds();
  try {
    await store.migrate();
    await store.system((db) => loadLocalAuthorities(db));

    // ---- 1. federation ---------------------------------------------------------------------------------------------
    log(`registering ${fmt(plan.landlords.length)} publishers and their feeds`);
    await store.system(async (db) => {
      for (const l of plan.landlords) {
        await upsertPublisher(db, { publisher: l.registration, name: l.name, kind: l.kind, region: l.region });
        await registerSource(db, { publisher: l.registration, kind: 'feed', url: `${feeds.base}/feeds/${l.registration}` });
      }
    });
    const expectedMeasures = plan.landlords.reduce((s, l) => s + measuresRecords(seed, l).length, 0);
    log(`initial federation: ${fmt(totalHomes)} homes and ${fmt(expectedMeasures)} measures records`);
    const initial = await federate(store, plan.landlords.length);
    const served0 = await feeds.send({ type: 'stats' }) as Extract<FeedsMessage, { type: 'stats' }>;
    const count = async () => (await store.system((db) => db.execute(sql`SELECT (SELECT count(*) FROM hub.homes)::int AS homes,
      (SELECT count(*) FROM hub.blocks)::int AS blocks, (SELECT count(*) FROM hub.measures)::int AS measures`))).rows[0] as { homes: number; blocks: number; measures: number };
    const after0 = await count();
    if (after0.homes !== totalHomes || after0.measures !== expectedMeasures || initial.rejected) {
      throw new Error(`after the initial federation the hub holds ${after0.homes} homes and ${after0.measures} measures records (expected ${totalHomes} and ${expectedMeasures}); ${initial.rejected} records rejected`);
    }
    figure('Federation', 'initial federation, all feeds', `${secs(initial.ms)} (${fmt(initial.records / (initial.ms / 1000))} records/s; ${fmt(initial.pages)} pages, ${fmt(initial.polls)} polls)`);
    figure('Federation', '  homes per second', fmt(totalHomes / (initial.ms / 1000)));
    figure('Federation', '  feed server busy (worker thread)', `${secs(served0.busyMs)} for ${fmt(served0.pages)} pages, ${bytes(served0.bytes)}`);

    const changes = plan.landlords.map((l) => changesOf(seed, l));
    const updated = changes.reduce((s, c) => s + c.filter((x) => x.how === 'updated').length, 0);
    const deleted = changes.reduce((s, c) => s + c.filter((x) => x.how === 'deleted').length, 0);
    await feeds.send({ type: 'version', version: 1 });
    const mark = new Date();
    log(`catch-up: ${fmt(updated)} homes updated and ${fmt(deleted)} deleted (${((updated + deleted) / totalHomes * 100).toFixed(2)}% of homes)`);
    const catchUp = await federate(store, plan.landlords.length);
    const after1 = await count();
    const changedRows = Number((await store.system((db) => db.execute(sql`SELECT count(*)::int AS n FROM hub.homes WHERE updated_at >= ${mark.toISOString()}::timestamptz`))).rows[0]!.n);
    if (after1.homes !== totalHomes - deleted || catchUp.accepted !== updated + deleted || changedRows !== updated) {
      throw new Error(`after the catch-up the hub holds ${after1.homes} homes (expected ${totalHomes - deleted}); ${catchUp.accepted} records accepted (expected ${updated + deleted}); ${changedRows} homes newer than the initial load (expected ${updated})`);
    }
    figure('Federation', 'catch-up after 1% of homes change', `${secs(catchUp.ms)} (${fmt(updated)} updated, ${fmt(deleted)} deleted; ${fmt(catchUp.pages)} pages)`);

    await store.exec('VACUUM ANALYZE hub.homes, hub.blocks, hub.measures, hub.measure_values, hub.batches, hub.sources, hub.publishers');

    // ---- 2. database size (with the federated data, before anything is pushed) ----------------------------------------
    const sizesRows = (await store.system((db) => db.execute(sql`SELECT c.relname AS name, pg_total_relation_size(c.oid)::bigint AS total,
      pg_relation_size(c.oid)::bigint AS heap, pg_indexes_size(c.oid)::bigint AS indexes, (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM hub.%I', c.relname), false, true, '')))[1]::text::bigint AS rows
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'hub' AND c.relkind IN ('r', 'p')
      ORDER BY pg_total_relation_size(c.oid) DESC`))).rows as { name: string; total: string; heap: string; indexes: string; rows: string }[];
    let hubTotal = 0;
    for (const r of sizesRows) {
      hubTotal += Number(r.total);
      if (Number(r.total) >= 64 * 1024) figure('Database', `hub.${r.name} (${fmt(Number(r.rows))} rows)`, `${bytes(Number(r.total))} (table ${bytes(Number(r.heap))}, indexes ${bytes(Number(r.indexes))})`);
    }
    figure('Database', 'hub schema, all tables', bytes(hubTotal));
    const db = (await store.system((d) => d.execute(sql`SELECT pg_database_size(current_database())::bigint AS n`))).rows[0] as { n: string };
    figure('Database', 'whole database (with Hearth\'s empty tables)', bytes(Number(db.n)));

    // ---- the app --------------------------------------------------------------------------------------------------
    const { app } = await buildApp(config, store);
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      // ---- 3. push --------------------------------------------------------------------------------------------------
      const pushers: { publisher: string; keyId: string; secret: string }[] = [];
      await store.system(async (db) => {
        for (let i = 0; i < PUSH_PUBLISHERS; i++) {
          const publisher = `PB${1000 + i}`;
          await upsertPublisher(db, { publisher, name: `Push Bench Homes ${i + 1}`, kind: 'private-registered-provider' });
          pushers.push({ publisher, ...await createKey(db, publisher) });
        }
      });
      const pushLandlord = (i: number): FeedLandlord => ({ ...plan.landlords[i % plan.landlords.length]!, homes: 1_000_000, registration: pushers[i % PUSH_PUBLISHERS]!.publisher });
      let batchNo = 0;
      /** Batch bodies made before the clock starts: 1,000 new homes each, publishers in turn. */
      const makeBatches = (n: number) => Array.from({ length: n }, () => {
        const i = batchNo++;
        const who = pushers[i % PUSH_PUBLISHERS]!;
        const l = pushLandlord(i);
        const start = Math.floor(i / PUSH_PUBLISHERS) * PUSH_RECORDS;
        const records = Array.from({ length: PUSH_RECORDS }, (_, k) => homeRecord(seed, l, start + k));
        return { who, body: JSON.stringify({ standard: '1.0', publisher: who.publisher, records }) };
      });
      for (const concurrency of [1, 4]) {
        const batches = makeBatches(BATCHES);
        let next = 0, accepted = 0;
        const times: number[] = [];
        const t0 = performance.now();
        await Promise.all(Array.from({ length: concurrency }, async () => {
          for (let b = batches[next++]; b; b = batches[next++]) {
            const s = performance.now();
            const receipt = await pushBatch({ url: base, publisher: b.who.publisher, keyId: b.who.keyId, secret: b.who.secret, batch: b.body });
            times.push(performance.now() - s);
            if (receipt.rejected || receipt.replayed) throw new Error(`push of ${b.who.publisher}: ${receipt.rejected} rejected, replayed ${receipt.replayed}: ${JSON.stringify(receipt.errors.slice(0, 3))}`);
            accepted += receipt.accepted;
          }
        }));
        const took = performance.now() - t0;
        figure('Push', `push, ${concurrency} at a time (${fmt(BATCHES)} batches of ${fmt(PUSH_RECORDS)})`,
          `${(BATCHES / (took / 1000)).toFixed(1)} batches/s, ${fmt(accepted / (took / 1000))} records/s; a batch p50 ${ms(pct(times, 50))}, p95 ${ms(pct(times, 95))}`);
      }

      // ---- 4. the public site ---------------------------------------------------------------------------------------
      const pick = (i: number) => plan.landlords[Math.floor((((i * 2_654_435_761) >>> 0) / 4_294_967_296) * plan.landlords.length)]!.registration;
      const landlordPaths = Array.from({ length: PAGES }, (_, i) => `/hub/landlords/${pick(i + seed)}`);
      const first = await timeGets(base, [landlordPaths[0]!]);
      figure('Public site', 'first request (summaries made: at start, or after a batch)', ms(first.times[0]!));
      const landlordPage = await timeGets(base, landlordPaths);
      figure('Public site', `landlord page (${fmt(PAGES)} landlords at random)`, `p50 ${ms(pct(landlordPage.times, 50))}, p95 ${ms(pct(landlordPage.times, 95))} (${bytes(landlordPage.bytes)} a page)`, 'p95 < 200 ms');
      const biggest = [...plan.landlords].sort((a, b) => b.homes - a.homes)[0]!;
      const big = await timeGets(base, Array.from({ length: 20 }, () => `/hub/landlords/${biggest.registration}`));
      figure('Public site', `  the largest landlord (${fmt(biggest.homes)} homes), 20 times`, `p50 ${ms(pct(big.times, 50))}, p95 ${ms(pct(big.times, 95))}`, 'p95 < 200 ms');
      const laPaths = Array.from({ length: 50 }, (_, i) => `/hub/local-authorities/${plan.landlords[(i * 37) % plan.landlords.length]!.localAuthorities[0]}`);
      const laPage = await timeGets(base, laPaths);
      figure('Public site', 'local authority page (50)', `p50 ${ms(pct(laPage.times, 50))}, p95 ${ms(pct(laPage.times, 95))}`);
      const tsmPaths = PUBLIC_MEASURES.flatMap((m) => [`/hub/national/tsm?measure=${m.key}&tenure=LCRA`, `/hub/national/tsm?measure=${m.key}&tenure=LCHO`]);
      const national: [string, string[]][] = [
        ['national: higher-risk buildings by area', Array.from({ length: 50 }, () => '/hub/national/higher-risk-buildings')],
        ['national: damp and mould by landlord size', Array.from({ length: 50 }, () => '/hub/national/damp-and-mould')],
        [`national: TSM league tables (${tsmPaths.length} measure and tenure choices)`, Array.from({ length: Math.max(50, tsmPaths.length) }, (_, i) => tsmPaths[i % tsmPaths.length]!)],
      ];
      const allNational: number[] = [];
      for (const [what, paths] of national) {
        const r = await timeGets(base, paths);
        allNational.push(...r.times);
        figure('Public site', what, `p50 ${ms(pct(r.times, 50))}, p95 ${ms(pct(r.times, 95))} (${bytes(r.bytes)} a page)`, 'p95 < 500 ms');
      }
      figure('Public site', 'national pages, all', `p50 ${ms(pct(allNational, 50))}, p95 ${ms(pct(allNational, 95))}`, 'p95 < 500 ms');
    } finally {
      await app.close();
    }

  } finally {
    await feeds.stop();
    await store.close();
  }
});

// ---- the table -------------------------------------------------------------------------------------------------------
console.log(`\nbench:hub — ${fmt(plan.landlords.length)} landlords, ${fmt(totalHomes)} homes, PostgreSQL`);
const w = [Math.max(...figures.map((f) => f[1].length)), Math.max(...figures.map((f) => f[2].length))];
let section = '';
for (const [s, what, value, target] of figures) {
  if (s !== section) { console.log(`\n${s}`); section = s; }
  console.log(`  ${what.padEnd(w[0]!)}  ${value.padEnd(w[1]!)}  ${target}`);
}
