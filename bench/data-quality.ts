// node bench/data-quality.ts — time the data quality report (the page's statements, and the whole-report CSV rows)
// on an existing database: the embedded one in HEARTH_DATA_DIR, or the PostgreSQL server in DATABASE_URL.
// Uses the organisation with the most homes. Make one first, e.g.:
//   HEARTH_DATA_DIR=/tmp/dq50k node src/cli/main.ts demo --homes 50000
//   HEARTH_DATA_DIR=/tmp/dq50k node bench/data-quality.ts
// BENCH_RUNS (3): the report is run this many times after one warm-up run; every run is printed.
import { sql } from 'drizzle-orm';
import { loadConfig } from '../src/config.ts';
import { openStore } from '../src/platform/db/store.ts';
import { systemActor } from '../src/platform/auth/actor.ts';
import { qualityReport, qualityRows } from '../src/modules/data-quality/service.ts';
import '../src/modules/install-all.ts'; // the modules installed, as the app installs them

const runs = Number(process.env.BENCH_RUNS ?? 3);
const config = loadConfig();
const store = await openStore(config);
try {
  const [org] = (await store.system((tx) => tx.execute(sql`select organisation_id as id, count(*)::int as homes from homes
    group by organisation_id order by count(*) desc limit 1`))).rows as { id: string; homes: number }[];
  if (!org) throw new Error('no homes in this database: run `hearth demo` first');
  const sizes = (await store.system((tx) => tx.execute(sql`select
    (select count(*) from blocks where organisation_id = ${org.id})::int as blocks,
    (select count(*) from people where organisation_id = ${org.id})::int as people,
    (select count(*) from tenancies where organisation_id = ${org.id})::int as tenancies`))).rows[0] as Record<string, number>;
  console.log(`${store.kind}: ${org.homes} homes, ${sizes.blocks} blocks, ${sizes.people} people, ${sizes.tenancies} tenancies`);
  const actor = systemActor(org.id);
  for (let i = 0; i <= runs; i++) {
    const report = await store.withOrg(org.id, (tx) => qualityReport({ actor, tx }));
    const t0 = performance.now();
    const rows = await store.withOrg(org.id, (tx) => qualityRows({ actor, tx }));
    const csvMillis = Math.round(performance.now() - t0);
    const m = report.millis;
    console.log(`${i === 0 ? 'warm-up' : `run ${i}  `}  report ${m.all} ms (homes ${m.homes}, blocks ${m.blocks}, people ${m.people}, tenancies ${m.tenancies})`
      + `  ·  CSV rows: ${rows.length} in ${csvMillis} ms`);
    if (i === runs) for (const c of report.checks) console.log(`  ${c.id.padEnd(40)} ${String(c.count).padStart(7)} of ${String(c.total).padStart(7)} ${c.of}`);
  }
} finally {
  await store.close();
}
