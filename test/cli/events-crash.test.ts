// Issue 12, "kill -9 during a burst of writes": a process writing homes one transaction at a time, with the relay
// sequencing and a subscriber handling events in between, is killed (SIGKILL) part-way. After restart, every committed
// write has exactly one event, no event is without its write, and once the relay has caught up every event has been
// handled by the subscriber exactly once (its work and its position commit together). On PGlite (a data folder) and,
// when the suite runs there, on the PostgreSQL server (a throwaway database).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { createOrganisation } from '../../src/modules/organisations/service.ts';
import { drain } from '../../src/platform/events/relay.ts';
import { counting, prepare, storeFromEnv } from '../support/events-burst.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-events-crash-'));
const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups) await c();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function freshDatabase(): Promise<Record<string, string>> {
  const env = { HEARTH_DATA_DIR: path.join(dir, 'data'), DATABASE_URL: '' };
  if (!process.env.DATABASE_URL) return env;
  const pg = (await import('pg')).default;
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  const database = `hearth_t${process.pid}_events_crash`;
  await admin.query(`CREATE DATABASE ${database}`);
  cleanups.push(async () => { await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`); await admin.end(); });
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${database}`;
  return { ...env, DATABASE_URL: url.toString() };
}

test('killed (kill -9) in a burst of writes: every committed write has one event, and every event is handled once after restart', { timeout: 300_000 }, async () => {
  const env = await freshDatabase();
  Object.assign(process.env, env);
  let store = await storeFromEnv();
  await store.migrate();
  await prepare(store);
  const org = await createOrganisation(store, { name: 'Crash test landlord', kind: 'private-registered-provider' });
  await store.close();

  const child = spawn(process.execPath, [path.resolve(import.meta.dirname, '../support/events-burst.ts'), org.id], { env: { ...process.env, ...env } });
  let wrote = 0;
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      const m = [...String(d).matchAll(/wrote (\d+)/g)].at(-1);
      if (m) wrote = Number(m[1]);
      if (wrote >= 120) { child.kill('SIGKILL'); resolve(); }
    });
    child.on('exit', (code) => { if (wrote < 120) reject(new Error(`the writer stopped early (${code}): ${stderr}`)); });
  });
  assert.equal(await exited, 'SIGKILL');

  store = await storeFromEnv();
  try {
    await store.migrate();
    const count = async (q: ReturnType<typeof sql>) => Number(((await store.system((tx) => tx.execute(q))).rows[0] as { n: string | number }).n);
    const homes = await count(sql`select count(*) as n from homes where organisation_id = ${org.id}`);
    assert.ok(homes >= wrote, `${homes} homes committed, ${wrote} reported`);
    // Exactly one event per committed write, and none without its write.
    assert.equal(await count(sql`select count(*) as n from homes h where h.organisation_id = ${org.id}
      and (select count(*) from events e where e.organisation_id = h.organisation_id and e.subject = h.id and e.type = 'uk.hearth.home.created') <> 1`), 0);
    assert.equal(await count(sql`select count(*) as n from events e where e.organisation_id = ${org.id}
      and not exists (select 1 from homes h where h.organisation_id = e.organisation_id and h.id = e.subject)`), 0);
    const handledBefore = await count(sql`select count(*) as n from crash_test_processed`);
    assert.ok(handledBefore > 0, 'the subscriber had handled some events before the kill');
    await drain(store, [counting]);
    // Every event handled, each exactly once.
    assert.equal(await count(sql`select count(*) as n from events where organisation_id = ${org.id} and position is null`), 0);
    assert.equal(await count(sql`select count(*) as n from crash_test_processed`), await count(sql`select count(*) as n from events`));
    assert.equal(await count(sql`select count(*) as n from crash_test_processed where times <> 1`), 0);
    assert.equal(await count(sql`select count(*) as n from events e where not exists (select 1 from crash_test_processed p where p.event_id = e.id)`), 0);
  } finally {
    await store.close();
  }
});
