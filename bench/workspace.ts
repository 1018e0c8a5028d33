// npm run bench:workspace — how long the staff workspace's pages take to draw (issue 13) on the demo landlord, on
// PostgreSQL and on PGlite: each role's home page (its worklists, the housing officer's limited to their patch), every
// open hazard report (/hazards), search within "my patch", a person's page (linked records, timeline) and the alerts
// to review. Pages are asked for one after another through the app (no network), signed in as each role; prints the
// median, 95th percentile and slowest, in milliseconds.
//   BENCH_DATABASE_URL  PostgreSQL server (default postgres://postgres@127.0.0.1:5432/test); a throwaway database is used
//   BENCH_HOMES (5000)  BENCH_ROUNDS (30)  BENCH_ENGINES (postgres,pglite)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../src/config.ts';
import { openStore } from '../src/platform/db/store.ts';
import { buildApp } from '../src/app.ts';
import { generateDemo } from '../src/modules/demo/generate.ts';
import { DEMO_USERS, DEMO_PASSWORD } from '../src/modules/demo/index.ts';
import { assignDemoPatches } from '../src/modules/patches/index.ts';
import '../src/modules/install-all.ts';
import { withDatabase } from './database.ts';

const homes = Number(process.env.BENCH_HOMES ?? 5000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 30);
const engines = (process.env.BENCH_ENGINES ?? 'postgres,pglite').split(',');
const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const rows: Record<string, unknown>[] = [];

/** Each page's times on one engine: a PostgreSQL database at `databaseUrl`, or PGlite in a temporary folder (''). */
async function measure(engine: string, databaseUrl: string) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-bench-'));
  const config = { ...loadConfig({ ...process.env, DATABASE_URL: databaseUrl, HEARTH_DATA_DIR: path.join(tmp, 'data') }), logLevel: 'error', signInPerMinute: 10_000 };
  const store = await openStore(config);
  await store.migrate();
  const demo = await generateDemo(store, { homes, seed: 42 });
  const { app, auth } = await buildApp(config, store);
  for (const u of DEMO_USERS) await auth.addUser({ ...u, organisationId: demo.organisationId, password: DEMO_PASSWORD });
  await assignDemoPatches(store);
  const cookies = new Map<string, string>();
  for (const u of DEMO_USERS) cookies.set(u.role, `hearth_session=${(await auth.signIn(u.email, DEMO_PASSWORD))!.token}`);
  const person = await store.system(async (tx) => ((await tx.execute(sql`
    select m.person_id as id from tenancy_members m join person_alerts a on a.person_id = m.person_id order by 1 limit 1`)).rows[0] as { id: string }).id);

  const pages: [string, string, string][] = [
    ...DEMO_USERS.map((u): [string, string, string] => [`home page: ${u.role}`, u.role, '/']),
    ['every open hazard report', 'compliance-lead', '/hazards?status=open'],
    ['search "smith", my patch', 'housing-officer', '/search?q=smith&patch=mine'],
    ['search "smith", everywhere', 'housing-officer', '/search?q=smith'],
    ['a person (linked records, timeline)', 'housing-officer', `/people/${person}`],
    ['alerts to review, my patch', 'housing-officer', '/people/alerts/to-review'],
  ];
  for (const [name, role, url] of pages) {
    const inject = () => app.inject({ method: 'GET', url, headers: { cookie: cookies.get(role)! } });
    const first = await inject();
    if (first.statusCode !== 200) throw new Error(`${url} as ${role}: ${first.statusCode} ${first.body.slice(0, 300)}`);
    const times: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const t0 = performance.now();
      await inject();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    rows.push({ engine, page: name, 'p50 ms': Math.round(percentile(times, 50)), 'p95 ms': Math.round(percentile(times, 95)), 'max ms': Math.round(times.at(-1)!) });
  }
  await app.close();
  await store.close();
  fs.rmSync(tmp, { recursive: true, force: true });
}

for (const engine of engines) {
  if (engine === 'postgres') await withDatabase(serverUrl, (url) => measure(engine, url));
  else await measure(engine, '');
}

console.log(`\nStaff workspace pages — demo landlord of ${homes} homes, ${os.cpus().length} CPUs, Node ${process.version}, ${rounds} requests each, one at a time`);
console.table(rows);
console.log(JSON.stringify(rows));
