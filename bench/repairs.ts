// npm run bench:repairs — a landlord's repairs day in the database (issue 14): 2,000 open work orders, 60 operatives in
// 8 trades, on the demo landlord's homes (with their coordinates). Measures
//   1. slot availability for one request (the slots a job can still be booked into, within its priority's target and
//      the operatives' capacity): p50 / p95 over BENCH_ROUNDS requests, through the repairs service as a page calls it;
//   2. the plan of the busiest booked day (the routing engine, with the writes of the plan);
//   3. a stress day: all 2,000 jobs on one day, planned (most cannot fit: the figure is the time, and how many fit).
// Prints the figures per engine. The targets: availability p95 < 150 ms on PostgreSQL; a plan in ≤ 30 s.
//   BENCH_DATABASE_URL  PostgreSQL server (default postgres://postgres@127.0.0.1:5432/test); a throwaway database is used
//   BENCH_ENGINES (postgres)  BENCH_JOBS (2000)  BENCH_OPERATIVES (60)  BENCH_ROUNDS (200)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../src/config.ts';
import { openStore, type Store } from '../src/platform/db/store.ts';
import { systemActor } from '../src/platform/auth/actor.ts';
import type { Ctx } from '../src/platform/records/context.ts';
import { generateDemo } from '../src/modules/demo/generate.ts';
import { raiseWorkOrder, workOrderAvailability, bookWorkOrder, DEFAULT_REPAIR_SETTINGS } from '../src/modules/repairs/index.ts';
import { createOperative, buildPlan } from '../src/modules/scheduling/index.ts';
import { seededRandom } from '../src/platform/random.ts';
import '../src/modules/install-all.ts';
import { withDatabase } from './database.ts';

const engines = (process.env.BENCH_ENGINES ?? 'postgres').split(',');
const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const JOBS = Number(process.env.BENCH_JOBS ?? 2000);
const OPERATIVES = Number(process.env.BENCH_OPERATIVES ?? 60);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);
const TRADES = ['plumbing', 'electrical', 'carpentry', 'damp-and-mould', 'roofing', 'plastering', 'glazing', 'general'];

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const results: Record<string, unknown>[] = [];

async function as<T>(store: Store, org: string, work: (ctx: Ctx) => Promise<T>): Promise<T> {
  return store.withOrg(org, (tx) => work({ actor: systemActor(org, 'bench'), tx }));
}

async function measure(engine: string, databaseUrl: string) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-bench-'));
  const config = { ...loadConfig({ ...process.env, DATABASE_URL: databaseUrl, HEARTH_DATA_DIR: path.join(tmp, 'data') }), logLevel: 'error' };
  const store = await openStore(config);
  await store.migrate();
  const demo = await generateDemo(store, { homes: 5000, seed: 42 });
  const org = demo.organisationId;
  const random = seededRandom(7);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;

  // 60 operatives (beside the demo's own), one or two trades each, every trade covered, Monday to Friday.
  const homes = await store.system(async (tx) => (await tx.execute(sql`
    select id, latitude::float8 as lat, longitude::float8 as lon from homes where organisation_id = ${org} and latitude is not null order by id`)).rows as { id: string; lat: number; lon: number }[]);
  if (!homes.length) throw new Error('the demo homes have no coordinates');
  await as(store, org, async (ctx) => {
    for (let i = 0; i < OPERATIVES; i++) {
      const base = pick(homes);
      const trades = [TRADES[i % TRADES.length]!, ...(random() < 0.5 ? [pick(TRADES)] : [])];
      await createOperative(ctx, { name: `Bench operative ${i + 1}`, trades: [...new Set(trades)], pattern: { days: [1, 2, 3, 4, 5], start: '08:00', end: '17:00' },
        baseLatitude: base.lat, baseLongitude: base.lon });
    }
  });

  // 2,000 open work orders (routine and urgent, so their targets reach a few weeks out), each booked into its first free slot.
  const priorities = ['routine', 'routine', 'routine', 'urgent'];
  const ids: string[] = [];
  const t0 = performance.now();
  let booked = 0;
  for (let i = 0; i < JOBS; i++) {
    const home = pick(homes);
    const trade = pick(TRADES);
    const id = await as(store, org, async (ctx) => {
      const wo = await raiseWorkOrder(ctx, { homeId: home.id, sorCode: 'BENCH01', trade, priorityCode: pick(priorities),
        description: `Bench job ${i + 1}`, minutes: 30 + Math.floor(random() * 4) * 20 }, undefined, { version: 0, settings: DEFAULT_REPAIR_SETTINGS });
      return wo.id;
    });
    ids.push(id);
    const slots = await as(store, org, (ctx) => workOrderAvailability(ctx, id));
    if (slots.length) {
      const s = slots[Math.floor(random() * Math.min(slots.length, 20))]!;
      await as(store, org, (ctx) => bookWorkOrder(ctx, id, { date: s.date, slot: s.slot }));
      booked++;
    }
  }
  const seeded = (performance.now() - t0) / 1000;

  // 1. Availability for one request, as the resident's slot page and the planner's Book page ask for it.
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const id = ids[Math.floor(random() * ids.length)]!;
    const s = performance.now();
    await as(store, org, (ctx) => workOrderAvailability(ctx, id));
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);

  // 2. The busiest booked day's plan.
  const busiest = await store.system(async (tx) => (await tx.execute(sql`
    select date::text as date, count(*)::int as n from appointments where organisation_id = ${org} and status = 'booked'
    group by date order by n desc, date limit 1`)).rows[0] as { date: string; n: number });
  const p0 = performance.now();
  const plan = await as(store, org, (ctx) => buildPlan(ctx, busiest.date));
  const planSeconds = (performance.now() - p0) / 1000;

  // 3. The stress day: every job on one date (moved there in SQL, beyond the slots' capacity on purpose), planned.
  const stressDate = busiest.date;
  await store.system((tx) => tx.execute(sql`update appointments set date = ${stressDate}::date,
      window_start = (${stressDate}::date + (case when slot = 'AM' then time '08:00' else time '12:00' end)) at time zone 'Europe/London',
      window_end = (${stressDate}::date + (case when slot = 'AM' then time '13:00' else time '18:00' end)) at time zone 'Europe/London'
    where organisation_id = ${org} and status = 'booked'`));
  const s0 = performance.now();
  const stress = await as(store, org, (ctx) => buildPlan(ctx, stressDate));
  const stressSeconds = (performance.now() - s0) / 1000;

  results.push({
    engine, 'work orders': JOBS, booked, operatives: OPERATIVES, 'seeding s': seeded.toFixed(1),
    'availability p50 ms': percentile(times, 50).toFixed(1), 'availability p95 ms': percentile(times, 95).toFixed(1), 'availability max ms': times.at(-1)!.toFixed(1),
    'busiest day': `${busiest.date} (${busiest.n} jobs)`, 'plan s': planSeconds.toFixed(1), 'plan: placed / used operatives / travel min': `${plan.jobs - plan.unassigned} / ${plan.operativesUsed} / ${plan.travelMinutes}`,
    'stress day jobs': stress.jobs, 'stress plan s': stressSeconds.toFixed(1), 'stress: placed / used operatives': `${stress.jobs - stress.unassigned} / ${stress.operativesUsed}`,
  });
  await store.close();
  fs.rmSync(tmp, { recursive: true, force: true });
}

for (const engine of engines) {
  if (engine === 'postgres') await withDatabase(serverUrl, (url) => measure(engine, url));
  else await measure(engine, '');
}
console.log(`\nRepairs day — ${JOBS} work orders, ${OPERATIVES} operatives in ${TRADES.length} trades, demo landlord of 5,000 homes, ${os.cpus().length} CPUs, Node ${process.version}`);
for (const r of results) console.log(r);
console.log(JSON.stringify(results));
