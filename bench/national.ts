// npm run bench:national — the insight issue's national-scale figures: 1,600 landlords, 4.7 million homes and
// 30 million repairs generated into PostgreSQL with COPY, the damp and mould flags kept up to date as the repairs
// arrive; then the higher-risk buildings register timed for a sample of landlords, the damp and mould homes count for
// every landlord, and the all-landlords hub count, each through the product's own code paths. docs/bench-national.md.
//   --scale F        fraction of the national size (default 1; 0.01 for a quick check)
//   --fresh          drop and recreate the database first
//   --skip-generate  time an already generated database again
//   --workers N      parallel COPY connections (default 2)    --sample N  landlords for the register (default 200)
//   --seed N (42)    --no-memo  run the detector on every description, without memoising by text
//   DATABASE_URL     default postgres://postgres@127.0.0.1:5432/hearth_national (its own database; created if missing)
import os from 'node:os';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { openStore, type Store } from '../src/platform/db/store.ts';
import { createOrganisation } from '../src/modules/organisations/service.ts';
import { higherRiskRegisterView } from '../src/modules/insight/api.ts';
import type { Ctx } from '../src/platform/records/context.ts';
import type { Actor } from '../src/platform/auth/actor.ts';
import { makePlan, NATIONAL, type Plan } from './national-generate.ts';
import { TEMPLATE_COUNTS } from './national-text.ts';
import type { WorkerData, WorkerMessage } from './national-worker.ts';
import '../src/modules/install-all.ts'; // the modules installed, as the app installs them

const { values: args } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    fresh: { type: 'boolean', default: false },
    'skip-generate': { type: 'boolean', default: false },
    workers: { type: 'string', default: '2' },
    sample: { type: 'string', default: '200' },
    seed: { type: 'string', default: '42' },
    'no-memo': { type: 'boolean', default: false },
  },
});
const scale = Number(args.scale);
const seed = Number(args.seed);
const workers = Math.max(1, Number(args.workers));
const sampleSize = Math.max(1, Number(args.sample));
if (!(scale > 0 && scale <= 2)) throw new Error('--scale must be more than 0 and at most 2');
const url = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/hearth_national';
const dbName = decodeURIComponent(new URL(url).pathname.slice(1));
if (!/^[a-z_][a-z0-9_]*$/.test(dbName)) throw new Error(`unexpected database name: ${dbName}`);

const fmt = (n: number) => Math.round(n).toLocaleString('en-GB');
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const mb = (bytes: number) => `${fmt(bytes / 1048576)} MB`;
const gb = (bytes: number) => `${(bytes / 1073741824).toFixed(2)} GB`;
const rssMB = () => Math.round(process.resourceUsage().maxRSS / 1024);
const log = (s: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${s}`);

// ---- the database --------------------------------------------------------------------------------------------------

async function ensureDatabase(): Promise<void> {
  const adminUrl = new URL(url);
  for (const name of ['postgres', 'test']) {
    adminUrl.pathname = `/${name}`;
    const admin = new pg.Client({ connectionString: adminUrl.toString() });
    try { await admin.connect(); } catch { continue; }
    try {
      if (args.fresh) await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName])).rowCount;
      if (!exists) {
        if (args['skip-generate']) throw new Error(`${dbName} does not exist: run without --skip-generate first`);
        await admin.query(`CREATE DATABASE ${dbName}`);
        log(`created database ${dbName}`);
      }
      return;
    } finally { await admin.end(); }
  }
  throw new Error('cannot connect to the postgres or test database to create the bench database');
}

const phases: { name: string; ms: number; rows?: number }[] = [];
async function phase<T>(name: string, work: () => Promise<T>, rows?: (t: T) => number): Promise<T> {
  const t0 = performance.now();
  log(`${name}…`);
  const out = await work();
  const ms = performance.now() - t0;
  phases.push({ name, ms, rows: rows?.(out) });
  log(`${name}: ${secs(ms)}`);
  return out;
}

const runStart = performance.now();
await phase('database (create, migrate)', async () => {
  await ensureDatabase();
  const store = await openStore({ databaseUrl: url, dataDir: '' });
  try { await store.migrate(); } finally { await store.close(); }
});

const db = new pg.Client({ connectionString: url });
await db.connect();
await db.query(`CREATE TABLE IF NOT EXISTS bench_national_meta (key text PRIMARY KEY, value text NOT NULL);
  CREATE TABLE IF NOT EXISTS bench_national_done (landlord integer NOT NULL, phase text NOT NULL, PRIMARY KEY (landlord, phase))`);
const getMeta = async <T>(key: string): Promise<T | undefined> => {
  const r = await db.query('SELECT value FROM bench_national_meta WHERE key = $1', [key]);
  return r.rowCount ? JSON.parse(r.rows[0].value) as T : undefined;
};
const setMeta = (key: string, value: unknown) => db.query(`INSERT INTO bench_national_meta (key, value) VALUES ($1, $2)
  ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [key, JSON.stringify(value)]);

interface Generated {
  scale: number; seed: number; asOf: string; workers: number; memoise: boolean;
  /** Carried on from a stopped run: the times, block and detector figures cover only what this run made. */
  resumed: boolean;
  phases: { name: string; ms: number; rows?: number }[];
  totalMs: number; peakRssMB: number;
  counts: Record<string, number>;
  blocks: Record<string, number>;
  detector: { calls: number; memoHits: number; agreement: Record<string, [number, number]> };
  generateMs: number; copyMs: number;
}

const meta = await getMeta<{ scale: number; seed: number; asOf: string }>('plan');
if (meta && (meta.scale !== scale || meta.seed !== seed)) {
  if (args['skip-generate']) log(`note: database was generated with --scale ${meta.scale} --seed ${meta.seed}; timing that`);
  else throw new Error(`${dbName} holds --scale ${meta.scale} --seed ${meta.seed}; use --fresh to start again at --scale ${scale}`);
}
const plan: Plan = makePlan(meta?.scale ?? scale, meta?.seed ?? seed, meta?.asOf ?? new Date().toISOString().slice(0, 10));
if (!meta) await setMeta('plan', { scale, seed, asOf: plan.asOf });

// ---- generation ----------------------------------------------------------------------------------------------------

async function runWorkers(phaseName: 'homes' | 'repairs', onLandlord: (m: Extract<WorkerMessage, { type: 'landlord' }>) => void) {
  const done = new Set((await db.query('SELECT landlord FROM bench_national_done WHERE phase = $1', [phaseName])).rows.map((r) => r.landlord as number));
  const order = plan.landlords.filter((l) => !done.has(l.index))
    .sort((a, b) => (phaseName === 'homes' ? b.homes - a.homes : b.repairs - a.repairs)).map((l) => l.index);
  if (done.size) log(`${phaseName}: ${done.size} landlords already done, ${order.length} to go`);
  const next = new SharedArrayBuffer(4);
  const total = { rows: 0, landlords: 0, generateMs: 0, copyMs: 0 };
  const detectorStats = { calls: 0, memoHits: 0, agreement: { everyday: [0, 0], damp: [0, 0], hard: [0, 0] } as Record<string, [number, number]> };
  const t0 = performance.now();
  let lastLog = t0;
  await Promise.all(Array.from({ length: Math.min(workers, Math.max(1, order.length)) }, () => new Promise<void>((resolve, reject) => {
    const data: WorkerData = { url, plan, phase: phaseName, order, next, memoise: !args['no-memo'] };
    const w = new Worker(new URL('./national-worker.ts', import.meta.url), { workerData: data });
    w.on('message', (m: WorkerMessage) => {
      if (m.type === 'landlord') {
        total.landlords++;
        for (const v of Object.values(m.rows)) total.rows += v;
        onLandlord(m);
        const now = performance.now();
        if (now - lastLog > 15_000) {
          lastLog = now;
          log(`  ${phaseName}: ${fmt(total.landlords)}/${fmt(order.length)} landlords, ${fmt(total.rows)} rows, ${fmt(total.rows / ((now - t0) / 1000))} rows/s, peak RSS ${rssMB()} MB`);
        }
      } else if (m.type === 'finished') {
        total.generateMs += m.generateMs;
        total.copyMs += m.copyMs;
        detectorStats.calls += m.detector.calls;
        detectorStats.memoHits += m.detector.memoHits;
        for (const k of Object.keys(m.detector.agreement) as (keyof typeof m.detector.agreement)[]) {
          detectorStats.agreement[k]![0] += m.detector.agreement[k][0];
          detectorStats.agreement[k]![1] += m.detector.agreement[k][1];
        }
      } else reject(new Error(`worker: ${m.message}`));
    });
    w.on('error', reject);
    w.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker exited with ${code}`))));
  })));
  return { ...total, detector: detectorStats };
}

/**
 * The homes' trigram search index is built once after the load rather than row by row (as withSearchIndexesDeferred
 * in src/platform/db/store.ts does for an empty database), its definition kept in bench_national_meta so a stopped
 * run still gets it back.
 */
async function dropSearchIndexes() {
  let defs = await getMeta<{ name: string; def: string }[]>('gin');
  if (!defs) {
    defs = (await db.query(`SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'homes' AND indexdef LIKE '% USING gin %'`)).rows;
    await setMeta('gin', defs);
  }
  for (const d of defs) await db.query(`DROP INDEX IF EXISTS "${d.name}"`);
}
async function restoreSearchIndexes() {
  const defs = (await getMeta<{ name: string; def: string }[]>('gin')) ?? [];
  await db.query(`SET maintenance_work_mem = '1GB'`);
  for (const d of defs) {
    const exists = (await db.query('SELECT 1 FROM pg_indexes WHERE schemaname = $1 AND indexname = $2', ['public', d.name])).rowCount;
    if (!exists) await db.query(d.def);
  }
  await db.query('RESET maintenance_work_mem');
}

/**
 * Each landlord's damp and mould figures (damp_mould_counts), as the product's signal writers keep them after every
 * batch (insight/damp-signals.ts recountDampMould): here, once for every landlord, since the bench COPYs its signals.
 */
async function fillLandlordFigures() {
  await db.query(`INSERT INTO damp_mould_counts AS c (organisation_id, homes, signals)
    SELECT organisation_id, count(DISTINCT home_id)::int, count(*)::int FROM damp_mould_signals GROUP BY organisation_id
    ON CONFLICT (organisation_id) DO UPDATE SET homes = excluded.homes, signals = excluded.signals, counted_at = now()`);
}

let generated = await getMeta<Generated>('generated');
const doneBefore = Number((await db.query('SELECT count(*) AS n FROM bench_national_done')).rows[0].n);
const complete = generated !== undefined && doneBefore === 2 * plan.landlords.length;
if (complete && !args['skip-generate']) log(`${dbName} is already generated: timing only (--fresh to generate again)`);
if (!args['skip-generate'] && !complete) {
  const planHomes = plan.landlords.reduce((s, l) => s + l.homes, 0);
  const planRepairs = plan.landlords.reduce((s, l) => s + l.repairs, 0);
  const sizes = plan.landlords.map((l) => l.homes).sort((a, b) => a - b);
  log(`plan: ${fmt(plan.landlords.length)} landlords, ${fmt(planHomes)} homes, ${fmt(planRepairs)} repairs (scale ${plan.scale}, seed ${plan.seed}, as of ${plan.asOf}); ` +
    `landlord homes: min ${fmt(sizes[0]!)}, median ${fmt(sizes[Math.floor(sizes.length / 2)]!)}, p90 ${fmt(sizes[Math.floor(sizes.length * 0.9)]!)}, max ${fmt(sizes.at(-1)!)}; ` +
    `${workers} COPY connection${workers === 1 ? '' : 's'}, ${os.availableParallelism()} cores`);

  await phase('organisations (createOrganisation)', async () => {
    const have = new Set((await db.query('SELECT id FROM organisations')).rows.map((r) => r.id as string));
    const todo = plan.landlords.filter((l) => !have.has(l.id));
    const store = await openStore({ databaseUrl: url, dataDir: '' });
    try {
      // Through the product's own operator action, three at a time (the owner pool's size).
      let i = 0;
      await Promise.all([0, 1, 2].map(async () => {
        while (i < todo.length) {
          const l = todo[i++]!;
          await createOrganisation(store, { id: l.id, name: l.name, kind: l.kind, registrationNumber: l.registrationNumber });
        }
      }));
    } finally { await store.close(); }
    return todo.length;
  }, (n) => n);

  const blockTotals: Record<string, number> = {};
  const homesRun = await phase('estates, blocks, homes (COPY)', async () => {
    const homesDone = Number((await db.query(`SELECT count(*) AS n FROM bench_national_done WHERE phase = 'homes'`)).rows[0].n);
    if (homesDone < plan.landlords.length) await dropSearchIndexes();
    return runWorkers('homes', (m) => { for (const [k, v] of Object.entries(m.blockStats ?? {})) blockTotals[k] = (blockTotals[k] ?? 0) + v; });
  }, (r) => r.rows);
  await phase('homes search index (rebuilt after the load)', restoreSearchIndexes);
  const repairsRun = await phase('repairs + damp and mould signals (COPY, detector)', () => runWorkers('repairs', () => undefined), (r) => r.rows);
  await phase('damp and mould figures per landlord (as the signals\' writers keep them)', fillLandlordFigures);
  await phase('VACUUM ANALYZE', async () => { await db.query('VACUUM ANALYZE'); });

  const counts = await phase('checks (row counts)', async () => {
    const c: Record<string, number> = {};
    for (const t of ['organisations', 'estates', 'blocks', 'homes', 'repairs', 'damp_mould_signals']) {
      c[t] = Number((await db.query(`SELECT count(*) AS n FROM ${t}`)).rows[0].n);
    }
    c.repairsWithoutHome = Number((await db.query('SELECT count(*) AS n FROM repairs WHERE home_id IS NULL')).rows[0].n);
    c.homesWithDamp = Number((await db.query('SELECT count(DISTINCT (organisation_id, home_id)) AS n FROM damp_mould_signals')).rows[0].n);
    if (plan.scale <= 0.1) {
      c.duplicateJobReferences = Number((await db.query(`SELECT count(*) AS n FROM (SELECT 1 FROM repairs GROUP BY organisation_id, job_reference HAVING count(*) > 1) d`)).rows[0].n);
      c.sourceReferences = Number((await db.query('SELECT count(*) AS n FROM source_references')).rows[0].n);
    }
    return c;
  });
  if (counts.homes !== planHomes || counts.repairs !== planRepairs || counts.organisations !== plan.landlords.length) {
    throw new Error(`row counts do not match the plan: ${JSON.stringify(counts)}`);
  }
  generated = {
    scale: plan.scale, seed: plan.seed, asOf: plan.asOf, workers, memoise: !args['no-memo'], resumed: doneBefore > 0,
    phases: [...phases], totalMs: performance.now() - runStart, peakRssMB: rssMB(), counts, blocks: blockTotals, detector: repairsRun.detector,
    generateMs: homesRun.generateMs + repairsRun.generateMs, copyMs: homesRun.copyMs + repairsRun.copyMs,
  };
  await setMeta('generated', generated);
}
if (!generated) throw new Error('no generation figures in this database: run without --skip-generate');

// ---- timing through the product's code paths -------------------------------------------------------------------------

interface Timing { name: string; ms: number[]; note?: string; biggest?: number }
const reports: string[] = [];
const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!; };
async function timed<T>(work: () => Promise<T>): Promise<[number, T]> { const t0 = performance.now(); const out = await work(); return [performance.now() - t0, out]; }

const store: Store = await openStore({ databaseUrl: url, dataDir: '' });
// A compliance lead signed in to their landlord: what the API's run() gives the handler (src/app.ts).
const actor = (organisationId: string): Actor => ({ kind: 'user', id: 'bench-national', name: 'National bench', organisationId, role: 'compliance-lead' });
const asLandlord = <T>(organisationId: string, work: (ctx: Ctx) => Promise<T>) => store.withOrg(organisationId, (tx) => work({ actor: actor(organisationId), tx }));

// The damp and mould counts the product serves: one landlord's homes, and the dashboard's figures.
const { dampMouldHomeCount: dampCount, dampMouldCounts: dampCounts } = await import('../src/modules/insight/damp-register.ts');
const dampCountSource = 'dampMouldHomeCount(ctx) from src/modules/insight/damp-register.ts';

// A database generated before the per-landlord figures existed gets them now (the migration made the table).
if (Number((await db.query('SELECT count(*) AS n FROM damp_mould_counts')).rows[0].n) < plan.landlords.length) {
  await phase('damp and mould figures per landlord (as the signals\' writers keep them)', fillLandlordFigures);
}

const timings: Timing[] = [];
const bySize = [...plan.landlords].sort((a, b) => b.homes - a.homes);
const biggest = bySize[0]!;
await phase('timing', async () => {
  // The register for a sample: the five biggest landlords and the rest drawn evenly across sizes.
  const n = Math.min(sampleSize, bySize.length);
  const sample = [...bySize.slice(0, Math.min(5, n))];
  const rest = bySize.slice(sample.length);
  for (let i = 0; sample.length < n; i++) sample.push(rest[Math.floor((i * rest.length) / (n - Math.min(5, n)))]!);
  // One warm-up request on the smallest landlord first: it opens the pool's connection and sets its role, which a
  // running server has long done; it is not counted.
  const smallest = bySize.at(-1)!;
  await asLandlord(smallest.id, higherRiskRegisterView);
  await asLandlord(smallest.id, dampCount);
  let biggestRegister: Awaited<ReturnType<typeof higherRiskRegisterView>> | undefined;
  for (const pass of ['first', 'again']) {
    const ms: number[] = [];
    let big = 0;
    for (const l of sample) {
      const [t, view] = await timed(() => asLandlord(l.id, higherRiskRegisterView));
      ms.push(t);
      if (l === biggest) { biggestRegister = view; big = t; }
    }
    timings.push({ name: `higher-risk register, 1 landlord (${pass === 'first' ? 'first request' : 'repeated'})`, ms, biggest: big });
  }
  const c = biggestRegister!.counts;
  log(`biggest landlord (${fmt(biggest.homes)} homes): ${fmt(c.blocks)} blocks, ${fmt(c.higherRisk)} higher-risk, ${fmt(c.dataNeeded)} data needed`);

  const perLandlord = new Map<string, number>();
  for (const pass of ['first', 'again']) {
    const ms: number[] = [];
    let big = 0;
    for (const l of plan.landlords) {
      const [t, count] = await timed(() => asLandlord(l.id, dampCount));
      ms.push(t);
      perLandlord.set(l.id, count);
      if (l === biggest) big = t;
    }
    timings.push({ name: `damp and mould homes count, 1 landlord (${pass === 'first' ? 'first request' : 'repeated'})`, ms, biggest: big });
  }
  if (dampCounts) {
    const ms: number[] = [];
    let big = 0;
    for (const l of plan.landlords) {
      const [t] = await timed(() => asLandlord(l.id, dampCounts!));
      ms.push(t);
      if (l === biggest) big = t;
    }
    timings.push({ name: 'dampMouldCounts(ctx) (the dashboard figures), 1 landlord', ms, biggest: big });
  }
  // The hub: every landlord's figures, as kept per landlord by the signals' writers (dampMouldByLandlord), and, for
  // comparison, counted from every signal in one statement.
  const { dampMouldByLandlord } = await import('../src/modules/insight/damp-register.ts');
  const hub = async () => (await store.system((tx) => dampMouldByLandlord(tx))).map((r) => ({ organisation_id: r.organisationId, homes: r.homes }));
  const recount = async () => (await store.system((tx) => tx.execute(sql`select organisation_id, count(distinct home_id)::int as homes
    from damp_mould_signals group by organisation_id`))).rows as { organisation_id: string; homes: number }[];
  let rows: { organisation_id: string; homes: number }[] = [];
  for (const [name, query] of [['hub: every landlord\'s damp and mould homes (dampMouldByLandlord, kept per landlord)', hub],
    ['hub, counted from every signal in one statement (for comparison)', recount]] as const) {
    const ms: number[] = [];
    for (let i = 0; i < 11; i++) { const [t, r] = await timed(query); if (i > 0) ms.push(t); rows = r; }
    timings.push({ name, ms, note: '10 runs after one warm-up' });
    const total = rows.reduce((s, r) => s + r.homes, 0);
    const per = [...perLandlord.values()].reduce((s, v) => s + v, 0);
    if (total !== per) throw new Error(`${name}: total ${total} differs from the per-landlord total ${per}`);
  }
  const hubTotal = rows.reduce((s, r) => s + r.homes, 0);
  const perTotal = [...perLandlord.values()].reduce((s, v) => s + v, 0);
  if (hubTotal !== perTotal) throw new Error(`hub total ${hubTotal} differs from the per-landlord total ${perTotal}`);
  const big = perLandlord.get(biggest.id)!;
  log(`damp and mould homes: ${fmt(perTotal)} in all (biggest landlord ${fmt(big)} of ${fmt(biggest.homes)}); hub total agrees`);

  // The downloads: each register as the CSV a compliance lead takes away, for the biggest landlord and a median one.
  const { higherRiskCsv, dampRegisterCsv } = await import('../src/modules/insight/pages.ts');
  const { dampMouldRegister } = await import('../src/modules/insight/damp-register.ts');
  const median = bySize[Math.floor(bySize.length / 2)]!;
  for (const l of [biggest, median]) {
    const [hrb, hrbCsv] = await timed(() => asLandlord(l.id, async (ctx) => higherRiskCsv(await higherRiskRegisterView(ctx))));
    const [damp, dampCsv] = await timed(() => asLandlord(l.id, async (ctx) => dampRegisterCsv(await dampMouldRegister(ctx, { all: true }))));
    reports.push(`  ${l === biggest ? 'biggest' : 'median'} landlord (${fmt(l.homes)} homes): higher-risk buildings CSV ${hrb.toFixed(0)} ms (${fmt(hrbCsv.split('\r\n').length - 2)} rows), ` +
      `damp and mould CSV ${damp.toFixed(0)} ms (${fmt(dampCsv.split('\r\n').length - 2)} rows)`);
  }
});
await store.close();

// ---- sizes and the report ------------------------------------------------------------------------------------------

const dbSize = Number((await db.query('SELECT pg_database_size(current_database()) AS n')).rows[0].n);
const tables = (await db.query(`SELECT c.relname AS name, c.oid, pg_total_relation_size(c.oid) AS total, pg_relation_size(c.oid) AS heap,
    pg_indexes_size(c.oid) AS indexes, pg_total_relation_size(c.oid) - pg_relation_size(c.oid) - pg_indexes_size(c.oid) AS toast
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'
  ORDER BY pg_total_relation_size(c.oid) DESC LIMIT 6`)).rows as { name: string; oid: number; total: string; heap: string; indexes: string; toast: string }[];
const indexes = (await db.query(`SELECT t.relname AS table, i.relname AS name, pg_relation_size(i.oid) AS size FROM pg_index x
  JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid WHERE x.indrelid = ANY($1::oid[]) ORDER BY t.relname, pg_relation_size(i.oid) DESC`,
  [tables.slice(0, 4).map((t) => t.oid)])).rows as { table: string; name: string; size: string }[];
await db.end();

const g = generated;
const out: string[] = [];
out.push('', `National scale: ${fmt(g.counts.organisations!)} landlords, ${fmt(g.counts.homes!)} homes, ${fmt(g.counts.repairs!)} repairs ` +
  `(scale ${g.scale} of ${fmt(NATIONAL.landlords)} / ${fmt(NATIONAL.homes)} / ${fmt(NATIONAL.repairs)}), PostgreSQL ${dbName}`);
out.push('', 'Generation' + (phases.some((p) => p.name.startsWith('repairs')) ? '' : ' (figures stored by the run that generated this database)') +
  (g.resumed ? ' — carried on from a stopped run: times, block and detector figures cover only the landlords this run made' : ''));
for (const p of g.phases) out.push(`  ${p.name.padEnd(52)} ${secs(p.ms).padStart(9)}${p.rows ? `  ${fmt(p.rows).padStart(12)} rows  ${fmt(p.rows / (p.ms / 1000)).padStart(9)} rows/s` : ''}`);
const genTotal = g.phases.reduce((s, p) => s + p.ms, 0);
const copied = g.phases.reduce((s, p) => s + (p.rows ?? 0), 0);
out.push(`  ${'total'.padEnd(52)} ${secs(genTotal).padStart(9)}  ${fmt(copied).padStart(12)} rows  ${fmt(copied / (genTotal / 1000)).padStart(9)} rows/s overall`);
out.push(`  ${g.workers} COPY connection(s) in worker threads, synchronous_commit off; peak RSS ${g.peakRssMB} MB; ` +
  `making rows ${secs(g.generateMs)} and waiting on COPY ${secs(g.copyMs)} (summed over connections)`);
const d = g.detector;
const a = d.agreement;
out.push(`  detector: detectDampMould ran on ${fmt(d.calls)} descriptions` + (g.memoise ? `; the other ${fmt(d.memoHits)} ` +
  `(${((100 * d.memoHits) / (d.memoHits + d.calls)).toFixed(1)}%) repeated a text already read and were answered from the memo (by exact text, per connection)` : ' (no memo: every description)'));
const labelled = (k: string) => a[k]![0] + a[k]![1];
out.push(`  wording: ${fmt(labelled('damp'))} damp/mould/condensation jobs (${((100 * labelled('damp')) / g.counts.repairs!).toFixed(1)}%), ` +
  `${fmt(labelled('hard'))} hard negatives, ${fmt(labelled('everyday'))} everyday (${TEMPLATE_COUNTS.damp}/${TEMPLATE_COUNTS.hard}/${TEMPLATE_COUNTS.everyday} templates with rooms, openers, notes)`);
out.push(`  detector against the wording: damp flagged ${fmt(a.damp![1])} of ${fmt(labelled('damp'))}; hard negatives flagged ${fmt(a.hard![1])} of ${fmt(labelled('hard'))}; ` +
  `everyday flagged ${fmt(a.everyday![1])} of ${fmt(labelled('everyday'))}`);
out.push(`  rows: ${fmt(g.counts.estates!)} estates, ${fmt(g.counts.blocks!)} blocks, ${fmt(g.counts.homes!)} homes, ${fmt(g.counts.repairs!)} repairs ` +
  `(${fmt(g.counts.repairsWithoutHome!)} without a home), ${fmt(g.counts.damp_mould_signals!)} damp and mould signals in ${fmt(g.counts.homesWithDamp!)} homes` +
  (g.counts.duplicateJobReferences !== undefined ? `; duplicate job references per landlord: ${g.counts.duplicateJobReferences}; source_references rows: ${g.counts.sourceReferences}` : ''));
const b = g.blocks;
if (b.blocks) {
  out.push(`  blocks: ${fmt(b.blocks)} holding ${fmt(b.homesInBlocks!)} homes (${((100 * b.homesInBlocks!) / g.counts.homes!).toFixed(1)}%); ${fmt(b.atLeast18m!)} recorded at 18 m or more, ` +
    `${fmt(b.atLeast7Storeys!)} at 7 storeys or more; ${fmt(b.noHeight!)} with no height (${fmt(b.noHeightNoStoreys!)} with no storeys either, ${fmt(b.sixStoreysNoHeight!)} 6 storeys)`);
}

out.push('', `Database: ${gb(dbSize)} (pg_database_size)`);
out.push(`  ${'table'.padEnd(22)} ${'total'.padStart(10)} ${'heap'.padStart(10)} ${'indexes'.padStart(10)} ${'toast'.padStart(8)}`);
for (const t of tables) out.push(`  ${t.name.padEnd(22)} ${mb(Number(t.total)).padStart(10)} ${mb(Number(t.heap)).padStart(10)} ${mb(Number(t.indexes)).padStart(10)} ${mb(Number(t.toast)).padStart(8)}`);
for (const i of indexes) out.push(`    ${`${i.table}.${i.name}`.padEnd(52)} ${mb(Number(i.size)).padStart(10)}`);

out.push('', `Timing (through withOrg as the API's run() does, one request at a time; target p95 < 100 ms)`);
out.push(`  damp and mould count: ${dampCountSource}`);
out.push(`  ${'query'.padEnd(70)} ${'n'.padStart(5)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'p99'.padStart(8)} ${'max'.padStart(8)} ${'biggest'.padStart(8)}  target`);
for (const t of timings) {
  const p95 = pct(t.ms, 95);
  out.push(`  ${t.name.padEnd(70)} ${String(t.ms.length).padStart(5)} ${pct(t.ms, 50).toFixed(1).padStart(8)} ${p95.toFixed(1).padStart(8)} ${pct(t.ms, 99).toFixed(1).padStart(8)} ` +
    `${Math.max(...t.ms).toFixed(1).padStart(8)} ${(t.biggest === undefined ? '' : t.biggest.toFixed(1)).padStart(8)}  ${p95 < 100 ? 'met' : 'NOT met'}${t.note ? ` (${t.note})` : ''}`);
}
out.push(`  (ms; "biggest": the biggest landlord, ${fmt(biggest.homes)} homes, which the register's sample always includes; the counts cover all ` +
  `${fmt(plan.landlords.length)} landlords; "first request" is each landlord's first, "repeated" the same again)`);
out.push('', 'Reports (generated as the CSV downloads are, one request each)', ...reports);
console.log(out.join('\n'));
