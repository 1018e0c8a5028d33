// The first start's demo load killed (SIGKILL, as kill -9) while its search indexes are dropped, and indexes lost
// or left invalid however it happened: `hearth migrate` (run by every start and command) puts every index the
// migrations define back, and the next start loads the whole demo from clean. Each test has a database of its own
// (a data folder on PGlite, a throwaway database on the PostgreSQL server when the suite runs there): the demo
// loads only into an empty database, and dropping indexes must not touch other test files' data.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { openStore, type Store } from '../../src/platform/db/store.ts';
import { drainInstalled } from '../../src/platform/events/installed.ts';
import '../../src/modules/install-all.ts'; // the subscribers the relay runs

// The command's own process (not bin/hearth.js, which starts it), so a kill reaches the process doing the work.
const main = path.resolve(import.meta.dirname, '../../src/cli/main.ts');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-demo-crash-'));
const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups) await c();
  fs.rmSync(dir, { recursive: true, force: true });
});
const onServer = !!process.env.DATABASE_URL;

type Env = Record<string, string>;

/** An empty database of the test's own, as the environment the `hearth` command reads. */
async function freshDatabase(name: string): Promise<Env> {
  const env = { HEARTH_DATA_DIR: path.join(dir, name), DATABASE_URL: '', PORT: '0', HEARTH_DEMO: 'false' };
  if (!onServer) return env;
  const pg = (await import('pg')).default;
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  const database = `hearth_t${process.pid}_${name.replace(/\W/g, '_')}`;
  await admin.query(`CREATE DATABASE ${database}`);
  cleanups.push(async () => { await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`); await admin.end(); });
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${database}`;
  return { ...env, DATABASE_URL: url.toString() };
}

function hearth(env: Env, args: string[], options: { stopWhenReady?: boolean } = {}): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [main, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      // `hearth start` serves until stopped: stop it as an operator would, once it has said all it says at start.
      if (options.stopWhenReady && stdout.includes('API docs:')) child.kill('SIGTERM');
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

async function withStore<T>(env: Env, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore({ databaseUrl: env.DATABASE_URL || undefined, dataDir: env.HEARTH_DATA_DIR! });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** The database's own indexes (not those of primary keys and unique constraints), each with whether it is valid. */
const indexes = (store: Store) => store.raw(`select c.relname as name, i.indisvalid as valid
  from pg_index i join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace
  where n.nspname = 'public' and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid and k.contype in ('p', 'u', 'x'))`)
  .then((r) => (r.rows as { name: string; valid: boolean }[]).sort((a, b) => (a.name < b.name ? -1 : 1))); // in code-point order, whatever the collation

/** Rows in every table of the database. */
async function tableCounts(store: Store): Promise<Record<string, number>> {
  const tables = (await store.raw(`select tablename from pg_tables where schemaname = 'public' order by 1`)).rows.map((r) => r.tablename as string);
  const counts: Record<string, number> = {};
  for (const t of tables) counts[t] = Number((await store.raw(`select count(*) as n from "${t}"`)).rows[0]!.n);
  return counts;
}

test('hearth migrate puts back every index that is missing or left invalid, and says which', { timeout: 300_000 }, async () => {
  const env = await freshDatabase('indexes');
  const first = await hearth(env, ['migrate', '--json']);
  assert.equal(first.code, 0, first.stderr + first.stdout);
  const all = await withStore(env, indexes);
  const names = all.map((i) => i.name);
  assert.ok(names.includes('homes_search_trgm_idx') && names.includes('people_search_trgm_idx') && names.length > 30, names.join(', '));
  assert.ok(all.every((i) => i.valid));

  // As a killed load or a killed CREATE INDEX CONCURRENTLY would leave them: every index gone but one, and that one invalid.
  await withStore(env, async (store) => {
    await store.exec(`DROP INDEX ${names.filter((n) => n !== 'homes_reference_idx').map((n) => `"${n}"`).join(', ')}`);
    await store.exec(`UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'public.homes_reference_idx'::regclass`);
  });
  const broken = await withStore(env, indexes);
  assert.deepEqual(broken, [{ name: 'homes_reference_idx', valid: false }]);

  const repaired = await hearth(env, ['migrate', '--json']);
  assert.equal(repaired.code, 0, repaired.stderr + repaired.stdout);
  assert.deepEqual(JSON.parse(repaired.stdout).restoredIndexes, names);
  assert.deepEqual(await withStore(env, indexes), all);

  const again = await hearth(env, ['migrate', '--json']);
  assert.deepEqual(JSON.parse(again.stdout).restoredIndexes, [], 'nothing missing: nothing to do');
});

test('a first start killed during its demo load, search indexes dropped, starts again from clean: the whole demo, its accounts and every index', { timeout: 600_000 }, async () => {
  const demo = { HEARTH_DEMO: 'true', HEARTH_DEMO_HOMES: '300' };
  const cleanEnv = { ...(await freshDatabase('demo-clean')), ...demo };
  const crashEnv = { ...(await freshDatabase('demo-crash')), ...demo };

  const clean = await hearth(cleanEnv, ['start'], { stopWhenReady: true });
  assert.match(clean.stdout, /Loaded a demo landlord with 300 homes/, clean.stderr + clean.stdout);
  // Where the event relay had got to when the server stopped depends on whether it ticked (damp signals of the demo's
  // hazard reports come through it): each database is caught up first, then compared.
  const caughtUp = async (store: Store) => { await drainInstalled(store); return { counts: await tableCounts(store), indexes: await indexes(store) }; };
  const want = await withStore(cleanEnv, caughtUp);
  assert.equal(want.counts.homes, 300);
  assert.equal(want.counts.users, 8);

  // Killed (test hook: HEARTH_TEST_CRASH_AT) with the demo's rows in and its search indexes not yet rebuilt.
  const killed = await hearth({ ...crashEnv, HEARTH_TEST_CRASH_AT: 'demo-loaded' }, ['start'], { stopWhenReady: true });
  assert.equal(killed.signal, 'SIGKILL', killed.stderr + killed.stdout);

  const restarted = await hearth(crashEnv, ['start'], { stopWhenReady: true });
  assert.match(restarted.stdout, /Hearth is running at/, restarted.stderr + restarted.stdout);
  const got = await withStore(crashEnv, caughtUp);
  assert.deepEqual(got.indexes, want.indexes, 'every index there and valid');
  // The relay's own positions are not the demo's data.
  const data = (c: Record<string, number>) => Object.fromEntries(Object.entries(c).filter(([t]) => t !== 'event_subscribers'));
  assert.deepEqual(data(got.counts), data(want.counts), 'the whole demo once, with its staff accounts');
});
