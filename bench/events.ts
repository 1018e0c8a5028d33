// npm run bench:events — what the transactional outbox costs and how fast its events move (issue 12), on PostgreSQL.
//   1. Write throughput: the same homes import with the outbox and without it (HEARTH_BENCH_WITHOUT_OUTBOX=1), each
//      in its own process and database, twice in alternating order; the cost is the difference of the best runs.
//   2. Sequencing and delivery: the import's events are given positions, then read by a subscriber that does nothing.
//   3. Latency: writes paced at 1,000 a second while the relay runs (one home per transaction, then ten); time from a
//      write's commit to its subscriber handling it, p50 and p99, and the rate reached.
//   BENCH_ROWS=100000 (default)   DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test)
//   BENCH_RATE=1000  BENCH_WRITERS=16  BENCH_SECONDS=5
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { generate } from './homes-file.ts';
import { withDatabase } from './database.ts';
import { openStore } from '../src/platform/db/store.ts';
import { createOrganisation } from '../src/modules/organisations/service.ts';
import { homeRecords } from '../src/modules/homes/service.ts';
import { systemActor } from '../src/platform/auth/actor.ts';
import { deliver, sequence, type Subscriber } from '../src/platform/events/relay.ts';
import '../src/modules/install-all.ts'; // the modules installed, as the app installs them

const root = path.resolve(import.meta.dirname, '..');
const rows = Number(process.env.BENCH_ROWS ?? 100_000);
const serverUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const fmt = (n: number) => Math.round(n).toLocaleString('en-GB');

const dir = path.join(root, '.cache', 'bench');
fs.mkdirSync(dir, { recursive: true });
const file = path.join(dir, `homes-v2-${rows}.csv`);
if (!fs.existsSync(file)) generate(file, rows);


function importRun(url: string, withOutbox: boolean): { whole: number; load: number; afterSeconds: number } {
  const r = spawnSync(process.execPath, ['--max-semi-space-size=8', path.join(root, 'bench/ingest-run.ts'), file],
    { env: { ...process.env, DATABASE_URL: url, HEARTH_BENCH_WITHOUT_OUTBOX: withOutbox ? '' : '1' }, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`import failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { seconds: number; loadSeconds: number; counts: { created: number } };
  if (out.counts.created !== rows) throw new Error(`expected ${rows} created, got ${out.counts.created}`);
  return { whole: rows / out.seconds, load: rows / out.loadSeconds, afterSeconds: out.seconds - out.loadSeconds };
}

console.log(`bench:events on PostgreSQL, ${fmt(rows)} homes per import`);
// 1. Write throughput, with and without the outbox (alternating, best of two each): to the last batch's commit (the
//    write path: rows and their events), and the whole import (which then waits for the subscribers Hearth's pages
//    read, damp signals and linkage, before it says completed; without the outbox there are no events to wait for).
type Run = ReturnType<typeof importRun>;
const runs = { with: [] as Run[], without: [] as Run[] };
for (const order of [[true, false], [false, true]]) {
  for (const withOutbox of order) runs[withOutbox ? 'with' : 'without'].push(await withDatabase(serverUrl, async (url) => importRun(url, withOutbox)));
}
const best = (list: Run[], k: 'whole' | 'load') => Math.max(...list.map((r) => r[k]));
for (const k of ['load', 'whole'] as const) {
  const [w, wo] = [best(runs.with, k), best(runs.without, k)];
  const what = k === 'load' ? 'write path (to the last batch committed)' : 'whole import (to completed)';
  console.log(`${what}: without the outbox ${fmt(wo)} rows/s (runs ${runs.without.map((r) => fmt(r[k])).join(', ')}), with ${fmt(w)} rows/s `
    + `(runs ${runs.with.map((r) => fmt(r[k])).join(', ')}); cost ${(100 * (1 - w / wo)).toFixed(1)}%${k === 'load' ? ' (target: at most 15%)' : ''}`);
}
console.log(`waiting for the subscribers before completed (with the outbox): ${runs.with.map((r) => r.afterSeconds.toFixed(1)).join(', ')} s`);

// 2 and 3, in one database.
await withDatabase(serverUrl, async (url) => {
  const store = await openStore({ databaseUrl: url, dataDir: '' });
  await store.migrate();
  const org = await createOrganisation(store, { name: 'Bench landlord', kind: 'private-registered-provider' });
  const { ingestFile } = await import('../src/modules/ingest/cli.ts');
  await ingestFile(store, { organisationId: org.id, file, sourceSystem: 'bench-housing', kind: 'homes' });
  // The import may have sequenced its events already (it drains the relay when it completes): number them again.
  await store.system((tx) => tx.execute(sql`update events set position = null, sequenced_at = null`));
  let t0 = performance.now();
  let sequenced = 0;
  for (let n = await sequence(store); n > 0; n = await sequence(store)) sequenced += n;
  console.log(`sequencing                  ${fmt(sequenced / ((performance.now() - t0) / 1000))} events/s (${fmt(sequenced)} events)`);
  let seen = 0;
  const counting: Subscriber = { name: 'bench-count', types: ['uk.hearth.'], handle: async (_tx, batch) => { seen += batch.length; } };
  t0 = performance.now();
  while (await deliver(store, counting, 5000) > 0) { /* caught up */ }
  console.log(`delivery to a subscriber    ${fmt(seen / ((performance.now() - t0) / 1000))} events/s`);

  // 3. Latency at a paced 1,000 writes a second (BENCH_RATE): `writers` concurrent writers, each committing `perTx`
  //    homes per transaction through the record service (as the API writes them), paced so that together they write at
  //    the rate; the relay sequences and delivers every 10 ms. First one home per transaction (the API's shape), then
  //    10 per transaction (a form or job that writes several), so the figure at the rate is reported even when this
  //    machine cannot commit 1,000 single-record transactions a second.
  const actor = systemActor(org.id, 'bench');
  const rate = Number(process.env.BENCH_RATE ?? 1000);
  const seconds = Number(process.env.BENCH_SECONDS ?? 5);
  let runs = 0;
  async function latencyRun(writers: number, perTx: number) {
    const committed = new Map<string, number>();
    const latencies: number[] = [];
    const timing: Subscriber = { name: `bench-latency-${++runs}`, types: ['uk.hearth.home.created'], handle: async (_tx, batch) => {
      const now = performance.now();
      for (const e of batch) { const at = committed.get(e.subject); if (at !== undefined) latencies.push(now - at); }
    } };
    while (await deliver(store, timing, 5000) > 0) { /* skip the events before this run */ }
    let written = 0;
    const began = performance.now();
    const until = began + seconds * 1000;
    const everyMs = (1000 * writers * perTx) / rate;
    const writer = async (w: number) => {
      for (let i = 0, next = began + (w * everyMs) / writers; performance.now() < until; i++, next += everyMs) {
        const wait = next - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const ids = await store.withOrg(org.id, async (tx) => {
          const made: string[] = [];
          for (let k = 0; k < perTx; k++) {
            made.push((await homeRecords.create({ actor, tx }, { propertyType: 'house', buildingNumber: `${i}-${k}`, street: `Bench Street ${runs}-${w}`, town: 'Leeds', postcode: 'LS6 1AA' })).id);
          }
          return made;
        });
        const at = performance.now();
        for (const id of ids) committed.set(id, at);
        written += ids.length;
      }
    };
    let relaying = true;
    const relay = (async () => {
      while (relaying) {
        await sequence(store);
        await deliver(store, timing, 5000);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    await Promise.all(Array.from({ length: writers }, (_, w) => writer(w)));
    const tookS = (performance.now() - began) / 1000;
    await new Promise((r) => setTimeout(r, 500));
    relaying = false;
    await relay;
    while ((await sequence(store)) > 0 || (await deliver(store, timing, 5000)) > 0) { /* drain */ }
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
    console.log(`latency, ${writers} writers × ${perTx} home${perTx > 1 ? 's' : ''} per transaction, paced at ${fmt(rate)}/s: ${fmt(written / tookS)} writes/s reached `
      + `(${fmt(written)} in ${tookS.toFixed(1)} s), ${fmt(latencies.length)} delivered; commit → subscriber p50 ${pct(50).toFixed(1)} ms, p99 ${pct(99).toFixed(1)} ms`);
  }
  await latencyRun(Number(process.env.BENCH_WRITERS ?? 16), 1);
  await latencyRun(Number(process.env.BENCH_WRITERS ?? 16), 10);
  await store.close();
});
