// npm run bench:api — load on loopback against GET /api/v1/people/{id} (the person with tenancies, homes and
// alerts; alert reads audited) on PostgreSQL and on PGlite. Prints requests/s and latency percentiles.
//   BENCH_DATABASE_URL  PostgreSQL server (default postgres://postgres@127.0.0.1:5432/test); a throwaway database is used
//   BENCH_SECONDS (15)  BENCH_CONNECTIONS (32)  BENCH_HOMES (5000)  BENCH_ENGINES (postgres,pglite)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { openStore } from '../src/platform/db/store.ts';
import { buildApp } from '../src/app.ts';
import { generateDemo } from '../src/modules/demo/generate.ts';
import '../src/modules/install-all.ts'; // the demo is written by each installed module (their manifests' `demo`)
import { runLoad, loadTool } from './run-load.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 15);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const homes = Number(process.env.BENCH_HOMES ?? 5000);
const engines = (process.env.BENCH_ENGINES ?? 'postgres,pglite').split(',');
const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function throwawayDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const name = `hearth_bench_${Date.now()}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: async () => { await admin.query(`DROP DATABASE ${name} WITH (FORCE)`); await admin.end(); } };
}

const rows: Record<string, unknown>[] = [];
for (const engine of engines) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-bench-'));
  const db = engine === 'postgres' ? await throwawayDatabase() : undefined;
  const config = { ...loadConfig({ ...process.env, DATABASE_URL: db?.url ?? '', HEARTH_DATA_DIR: path.join(tmp, 'data') }), logLevel: 'error' };
  const store = await openStore(config);
  await store.migrate();
  const demo = await generateDemo(store, { homes, seed: 7 });
  const { app, auth } = await buildApp(config, store);
  const token = (await auth.addToken(demo.organisationId, 'bench', 'housing-officer')).token;
  // People who are tenancy members (so the response includes tenancy and home); every alert holder among them.
  const ids = await store.system(async (tx) => (await tx.execute(sql`
    select distinct m.person_id as id from tenancy_members m order by 1 limit 2000`)).rows.map((r) => (r as { id: string }).id));
  const withAlerts = await store.system(async (tx) => (await tx.execute(sql`
    select count(distinct m.person_id)::int as n from tenancy_members m join person_alerts a on a.person_id = m.person_id
    where m.person_id in (select distinct person_id from tenancy_members order by 1 limit 2000)`)).rows[0] as { n: number });
  const idsFile = path.join(tmp, 'ids.txt');
  fs.writeFileSync(idsFile, ids.join('\n'));
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  await runLoad(address, token, idsFile, 3, connections); // warm up: JIT, connection pool, caches
  const result = await runLoad(address, token, idsFile, seconds, connections);
  rows.push({ engine, homes: demo.homes, people: ids.length, peopleWithAlerts: withAlerts.n, connections, seconds, ...result });
  await app.close();
  await store.close();
  await db?.drop();
  fs.rmSync(tmp, { recursive: true, force: true });
}

console.log(`\nGET /api/v1/people/{id} — ${os.cpus().length} CPUs, Node ${process.version}, load from ${loadTool}, ${connections} connections, ${seconds} s`);
console.table(rows.map((r) => ({
  engine: r.engine, 'req/s': r.requestsPerSecond, 'p50 ms': r.p50, 'p90 ms': r.p90, 'p99 ms': r.p99, 'max ms': r.max,
  requests: r.total, 'non-2xx': r.non2xx, errors: r.errors,
})));
console.log(JSON.stringify(rows));
