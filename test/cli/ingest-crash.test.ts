// Kill the import (SIGKILL, as kill -9) and run it again: the result equals one clean run — no row lost, none twice,
// the counts the same. On PGlite on disk, or on the PostgreSQL server when the suite runs there.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { openStore } from '../../src/platform/db/store.ts';

// The command's own process (not bin/hearth.js, which starts it), so a kill reaches the process doing the work.
const main = path.resolve(import.meta.dirname, '../../src/cli/main.ts');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-crash-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const onServer = !!process.env.DATABASE_URL;

function hearth(env: Record<string, string>, args: string[], killAfterMs?: number): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--max-semi-space-size=8', main, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = killAfterMs ? setTimeout(() => child.kill('SIGKILL'), killAfterMs) : undefined;
    child.on('exit', (code, signal) => { clearTimeout(timer); resolve({ code, signal, stdout, stderr }); });
  });
}

/** Homes with a few rows that reject and a duplicate, so every kind of outcome crosses batch boundaries. */
function writeHomes(file: string, n: number) {
  const lines = ['Prop Ref,UPRN,House No,Street,Town,Post Code,Prop Type,Beds,Block,Storeys'];
  for (let i = 1; i <= n; i++) {
    const pc = i % 97 === 0 ? 'NOT A POSTCODE' : `LS${1 + (i % 9)} ${1 + (i % 9)}AB`;
    const block = i % 4 === 0 ? `Block ${Math.floor(i / 100)}` : '';
    lines.push(`P${i},${100000000000 + i},${i},High Street,Leeds,${pc},${i % 4 === 0 ? 'Flat' : 'House'},${1 + (i % 3)},${block},${block ? 6 : ''}`);
    if (i % 500 === 0) lines.push(`P${i - 1},${100000000000 + i - 1},${i - 1},High Street,Leeds,LS1 1AB,House,2,,`); // duplicate of an earlier row
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

async function newOrganisation(env: Record<string, string>, name: string): Promise<string> {
  const r = await hearth(env, ['orgs', 'add', '--name', name, '--json']);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  return JSON.parse(r.stdout).id;
}

async function snapshot(env: Record<string, string>, organisationId: string) {
  const store = await openStore({ databaseUrl: env.DATABASE_URL || undefined, dataDir: env.HEARTH_DATA_DIR ?? '' } as never);
  try {
    return await store.withOrg(organisationId, async (tx) => {
      const homes = (await tx.execute(sql`select h.reference, h.uprn, h.postcode, h.property_type, h.bedrooms, b.name as block, b.storeys
        from homes h left join blocks b on b.organisation_id = h.organisation_id and b.id = h.block_id order by h.reference`)).rows;
      const refs = (await tx.execute(sql`select entity_kind, source_id from source_references order by 1, 2`)).rows;
      const blocks = (await tx.execute(sql`select name from blocks order by name`)).rows;
      const [imp] = (await tx.execute(sql`select status, rows_read, created, updated, unchanged, rejected, duplicates from imports order by created_at desc limit 1`)).rows;
      const issues = (await tx.execute(sql`select row_number, outcome from import_row_issues order by row_number`)).rows;
      return { homes, refs, blocks, imp, issues };
    });
  } finally {
    await store.close();
  }
}

test('kill -9 in the middle of a batch, then again at a random moment: the re-run equals one clean run', { timeout: 600_000 }, async () => {
  const file = path.join(dir, 'homes.csv');
  writeHomes(file, 6000);
  const base = onServer ? { DATABASE_URL: process.env.DATABASE_URL! } : { DATABASE_URL: '' };
  const cleanEnv = { ...base, HEARTH_DATA_DIR: path.join(dir, 'clean'), HEARTH_INGEST_BATCH: '700' };
  const crashEnv = { ...base, HEARTH_DATA_DIR: path.join(dir, 'crash'), HEARTH_INGEST_BATCH: '700' };
  const cleanOrg = await newOrganisation(cleanEnv, 'Clean run');
  const crashOrg = await newOrganisation(crashEnv, 'Crashed run');
  const load = (env: Record<string, string>, org: string) => ['ingest', file, '--source', 'legacy', '--entity', 'homes', '--organisation', org, '--json'];

  const clean = await hearth(cleanEnv, load(cleanEnv, cleanOrg));
  assert.equal(clean.code, 0, clean.stderr + clean.stdout);
  const cleanResult = JSON.parse(clean.stdout);

  // 1. Killed inside the 4th batch's transaction: three batches committed, the fourth's work done but not committed.
  const killed = await hearth({ ...crashEnv, HEARTH_TEST_KILL_AT_BATCH: '4' }, load(crashEnv, crashOrg));
  assert.equal(killed.signal, 'SIGKILL');
  const partial = await snapshot(crashEnv, crashOrg);
  assert.equal(partial.imp!.status, 'running');
  assert.ok(partial.homes.length > 0 && partial.homes.length < cleanResult.counts.created, `partly loaded: ${partial.homes.length}`);

  // 2. Run again, killed at a random moment (it resumes first), then a third time to the end.
  await hearth(crashEnv, load(crashEnv, crashOrg), 1500 + Math.floor(Math.random() * 1500));
  // On a fast machine it may finish before the kill (or be killed between committing the end and exiting); then the
  // import is complete (a third run would only run its owed after-import step, or say the file was loaded already):
  // compare what the second run left.
  const afterSecond = await snapshot(crashEnv, crashOrg);
  if (afterSecond.imp!.status !== 'completed') {
    const finished = await hearth(crashEnv, load(crashEnv, crashOrg));
    assert.equal(finished.code, 0, finished.stderr + finished.stdout);
    const resumed = JSON.parse(finished.stdout);
    assert.equal(resumed.resumed, true, 'the unfinished import of the same file is resumed, not started again');
    assert.deepEqual(resumed.counts, cleanResult.counts);
  }

  const a = await snapshot(cleanEnv, cleanOrg);
  const b = await snapshot(crashEnv, crashOrg);
  assert.equal(b.homes.length, cleanResult.counts.created);
  assert.deepEqual(b.homes, a.homes);
  assert.deepEqual(b.refs, a.refs);
  assert.deepEqual(b.blocks, a.blocks);
  assert.deepEqual(b.issues, a.issues);
  assert.deepEqual(b.imp, a.imp);
  const c = cleanResult.counts;
  assert.equal(c.created + c.updated + c.unchanged + c.rejected + c.duplicates, c.rowsRead);
  assert.ok(c.rejected > 0 && c.duplicates > 0);
});

/** An organisation's imports, the rows they left as issues, and its homes as linked (each cluster as its references). */
async function linkState(env: Record<string, string>, organisationId: string) {
  const store = await openStore({ databaseUrl: env.DATABASE_URL || undefined, dataDir: env.HEARTH_DATA_DIR ?? '' } as never);
  try {
    return await store.withOrg(organisationId, async (tx) => {
      const imports = (await tx.execute(sql`select id, status, after_import_at is not null as after_import_done, rows_read, created, rejected, duplicates
        from imports order by created_at`)).rows;
      const issues = (await tx.execute(sql`select import_id, row_number, outcome from import_row_issues order by import_id, row_number`)).rows;
      const clusters = (await tx.execute(sql`select string_agg(h.reference, ' ' order by h.reference) as homes, min(c.how) as how
        from home_clusters c join homes h on h.organisation_id = c.organisation_id and h.id = c.home_id group by c.cluster_id order by 1`)).rows;
      return { imports, issues, clusters };
    });
  } finally {
    await store.close();
  }
}

test('kill -9 after the import is marked completed, before linking: the re-run links the homes, with no second import and no issue twice', { timeout: 600_000 }, async () => {
  const file = path.join(dir, 'homes-linked.csv');
  writeHomes(file, 1500);
  const base = onServer ? { DATABASE_URL: process.env.DATABASE_URL! } : { DATABASE_URL: '' };
  const cleanEnv = { ...base, HEARTH_DATA_DIR: path.join(dir, 'linked-clean') };
  const crashEnv = { ...base, HEARTH_DATA_DIR: path.join(dir, 'linked-crash') };
  const cleanOrg = await newOrganisation(cleanEnv, 'Clean run');
  const crashOrg = await newOrganisation(crashEnv, 'Crashed after completing');
  const load = (org: string) => ['ingest', file, '--source', 'legacy', '--entity', 'homes', '--organisation', org, '--json'];

  const clean = await hearth(cleanEnv, load(cleanOrg));
  assert.equal(clean.code, 0, clean.stderr + clean.stdout);
  const a = await linkState(cleanEnv, cleanOrg);
  assert.equal(a.imports.length, 1);
  assert.ok(a.clusters.length > 0 && a.issues.length > 0);
  assert.equal(a.imports[0]!.after_import_done, true);

  // Killed (test hook: HEARTH_TEST_CRASH_AT) just after the import was marked completed, before record linkage ran.
  const killed = await hearth({ ...crashEnv, HEARTH_TEST_CRASH_AT: 'after-complete' }, load(crashOrg));
  assert.equal(killed.signal, 'SIGKILL', killed.stderr + killed.stdout);
  const left = await linkState(crashEnv, crashOrg);
  assert.equal(left.imports.length, 1);
  assert.equal(left.imports[0]!.status, 'completed');
  assert.equal(left.imports[0]!.after_import_done, false, 'the after-import step is owed');
  assert.equal(left.clusters.length, 0, 'no home linked yet');

  // The same command again finishes the owed step of that import instead of loading the file a second time.
  const rerun = await hearth(crashEnv, load(crashOrg));
  assert.equal(rerun.code, 0, rerun.stderr + rerun.stdout);
  const result = JSON.parse(rerun.stdout);
  assert.equal(result.importId, left.imports[0]!.id);
  assert.equal(result.linkage.ran, 'relink');
  assert.deepEqual(result.counts, JSON.parse(clean.stdout).counts);
  const b = await linkState(crashEnv, crashOrg);
  assert.equal(b.imports.length, 1, 'one import of the file');
  assert.equal(b.imports[0]!.after_import_done, true);
  const sameRows = (s: typeof a) => s.issues.map((i) => ({ ...i, import_id: undefined }));
  assert.deepEqual(sameRows(b), sameRows(a), 'the issue rows of one clean run, none twice');
  assert.deepEqual(b.clusters, a.clusters, 'homes linked as a clean run links them');

  // Nothing owed now: a third run says the file was loaded and writes nothing.
  const again = await hearth(crashEnv, load(crashOrg));
  assert.equal(again.code, 0, again.stderr + again.stdout);
  const third = JSON.parse(again.stdout);
  assert.equal(third.alreadyLoaded, true);
  assert.equal(third.importId, left.imports[0]!.id);
  assert.deepEqual(third.counts, result.counts);
  assert.deepEqual(await linkState(crashEnv, crashOrg), b);
});
