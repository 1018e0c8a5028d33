// Issue 13: the data lead's worklist section "Imports with problems": recent imports that finished with rows not
// loaded or warnings, or that stopped, each linking to its result with what went wrong in words; only the actor's
// organisation; not clean imports, unfinished ones or old ones.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { harness, landlord, type Harness } from '../support/harness.ts';
import { ingestFile } from '../../src/modules/ingest/cli.ts';
import { ingestModule } from '../../src/modules/ingest/index.ts';
import { systemActor } from '../../src/platform/auth/actor.ts';
import type { Role } from '../../src/platform/auth/roles.ts';

let h: Harness;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-imports-worklist-'));
before(async () => { h = await harness(); });
after(async () => { await h?.close(); fs.rmSync(dir, { recursive: true, force: true }); });

const section = () => {
  const s = ingestModule.worklists?.find((w) => w.id === 'ingest-imports-with-problems');
  assert.ok(s, 'the ingest manifest declares the section');
  return s;
};

/** An import as it stands after loading, written straight to its table (the counts are what the section reads). */
async function anImport(org: string, fileName: string, o: { status?: string; rejected?: number; duplicates?: number; warnings?: number; daysAgo?: number } = {}) {
  const id = uuidv7();
  await h.store.withOrg(org, (tx) => tx.execute(sql`insert into imports (organisation_id, id, source_system, kind, file_name, file_sha256, file_bytes, profile, status,
      rows_read, created, rejected, duplicates, warnings, created_by, created_at, finished_at)
    values (${org}, ${id}, 'old-housing', 'people', ${fileName}, ${id}, 100, ${JSON.stringify({ sourceSystem: 'old-housing', kind: 'people', columns: {} })}::jsonb, ${o.status ?? 'completed'},
      20, 20 - ${(o.rejected ?? 0) + (o.duplicates ?? 0)}, ${o.rejected ?? 0}, ${o.duplicates ?? 0}, ${o.warnings ?? 0}, 'Test',
      now() - make_interval(days => ${o.daysAgo ?? 0}, mins => ${fileName.length}), ${o.status === 'running' ? null : sql`now() - make_interval(days => ${o.daysAgo ?? 0}, mins => ${fileName.length})`})`));
  return id;
}

const items = (org: string, role: Role, limit = 5) =>
  h.store.withOrg(org, (tx) => section().items({ actor: { ...systemActor(org), kind: 'user', role }, tx }, { limit, scope: { homeIds: null } }));

test('the section is the data lead’s and the administrator’s, and links to the imports', () => {
  const s = section();
  assert.deepEqual([...s.roles].sort(), ['administrator', 'data-lead']);
  assert.equal(s.title, 'Imports with problems');
  assert.equal(s.href, '/imports');
  assert.ok(!s.byPatch);
});

test('recent imports with rows not loaded, warnings or that stopped: the latest first, in words, with the total', async () => {
  const org = await landlord(h);
  const other = await landlord(h);
  // A real import with a row not loaded (no reference) and a warning (a phone number that is not one).
  const file = path.join(dir, 'tenants.csv');
  fs.writeFileSync(file, 'Person Ref,Forename,Surname,Phone\nP1,Ann,Lee,07700 900123\n,Bob,Ray,07700 900124\nP3,Cy,Day,not a phone\n');
  const real = await ingestFile(h.store, { organisationId: org.id, file, sourceSystem: 'old-housing', kind: 'people' });
  const [counts] = (await h.store.withOrg(org.id, (tx) => tx.execute(sql`select rejected, warnings, status from imports where id = ${real.importId}`))).rows as { rejected: number; warnings: number; status: string }[];
  assert.deepEqual(counts, { rejected: 1, warnings: 1, status: 'completed' });

  const rejected = await anImport(org.id, 'a.csv', { rejected: 12, warnings: 3 });
  const duplicates = await anImport(org.id, 'bb.csv', { duplicates: 1 });
  const stopped = await anImport(org.id, 'ccc.csv', { status: 'failed', rejected: 2 });
  await anImport(org.id, 'clean.csv');
  await anImport(org.id, 'running.csv', { status: 'running', rejected: 4 });
  await anImport(org.id, 'old.csv', { rejected: 5, daysAgo: 40 });
  await anImport(other.id, 'theirs.csv', { rejected: 9 });

  const { total, items: list } = await items(org.id, 'data-lead');
  assert.equal(total, 4);
  assert.deepEqual(list.map((i) => i.href), [`/imports/${real.importId}`, `/imports/${rejected}`, `/imports/${duplicates}`, `/imports/${stopped}`]);
  assert.deepEqual(list.map((i) => i.hint), ['1 row not loaded, 1 warning', '12 rows not loaded, 3 warnings', '1 row not loaded', 'Stopped before the end, 2 rows not loaded']);
  assert.equal(list[0]!.text, 'tenants.csv from old-housing');
  assert.deepEqual(list[3]!.tag, { text: 'Stopped', colour: 'red' });
  assert.equal(list[0]!.tag, undefined);

  const first = await items(org.id, 'administrator', 2);
  assert.equal(first.total, 4, 'the total whatever the limit');
  assert.equal(first.items.length, 2);

  await assert.rejects(items(org.id, 'analyst'), /load files/, 'a role that may not see imports is refused');
  const none = await items((await landlord(h)).id, 'data-lead');
  assert.deepEqual(none, { total: 0, items: [] });
});
