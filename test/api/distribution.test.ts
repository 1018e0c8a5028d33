// Hearth on Citus, sharded by landlord (src/platform/db/distribution.ts, docs/scaling.md): the live schema the
// migrations make keeps Citus's rules — every primary and unique key of an organisation's table holds organisation_id,
// foreign keys between them join on it, every other table is a listed global (reference) table — and the checker
// itself finds each kind of break. Also what Citus needs of the statements and of the store: no volatile function in
// an upsert's update, the organisation set with SET LOCAL inside a transaction for reads as well as writes.
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { harness, landlord, type Harness } from '../support/harness.ts';
import { distributionStatements, GLOBAL_TABLES, modulePlans, publicPlan, ruleBreaks, type DistributionPlan } from '../../src/platform/db/distribution.ts';
import { openStore, valueRows } from '../../src/platform/db/store.ts';
import { MODULES } from '../../src/modules/index.ts';

let h: Harness;
before(async () => { h = await harness(); });
after(async () => { await h.close(); });

const plans = modulePlans(MODULES);

test("the live schema follows Citus's rules: every organisation's table is distributed by organisation_id, the rest are listed global tables", async () => {
  const plan = await h.store.system((db) => publicPlan(db));
  assert.deepEqual(await h.store.system((db) => ruleBreaks(db, plan)), []);
  for (const p of plans) assert.deepEqual(await h.store.system((db) => ruleBreaks(db, p)), [], `${p.schema}'s plan`);
  assert.deepEqual([...plan.reference].sort(), [...GLOBAL_TABLES].sort());
  for (const t of ['homes', 'people', 'repairs', 'asb_cases', 'audit_events', 'events', 'damp_mould_signals', 'person_clusters']) {
    assert.ok(plan.distributed.includes(t), `${t} is distributed`);
  }
  // Parents first: every foreign key between distributed tables points at a table that comes earlier.
  assert.ok(plan.distributed.indexOf('homes') > plan.distributed.indexOf('blocks'), 'blocks before homes');
  assert.ok(plan.distributed.indexOf('asb_actions') > plan.distributed.indexOf('asb_cases'), 'asb_cases before asb_actions');
  assert.ok(plan.reference.indexOf('users') > plan.reference.indexOf('organisations'), 'organisations before users');
});

test('the checker finds a unique key without organisation_id, an unplanned global table and a foreign key off organisation_id', async () => {
  // In a transaction that the throw rolls back, so the schema other tests see is untouched.
  const found = await h.store.system(async (db) => {
    // WHERE false: the index holds no row, so other test files' homes (one shared database) never make it fail to build.
    await db.execute(sql`CREATE UNIQUE INDEX homes_uprn_alone ON homes (uprn) WHERE false`);
    await db.execute(sql`CREATE TABLE stray_codes (code text PRIMARY KEY)`);
    // A foreign key on the id alone (NOT VALID: other test files' rows, in one shared database, are not checked).
    await db.execute(sql`CREATE UNIQUE INDEX homes_id_alone ON homes (id)`);
    await db.execute(sql`ALTER TABLE repairs ADD CONSTRAINT repairs_wrongly_keyed FOREIGN KEY (home_id) REFERENCES homes (id) NOT VALID`);
    const breaks = await ruleBreaks(db, await publicPlan(db));
    throw Object.assign(new Error('rollback'), { breaks });
  }).catch((e: { breaks?: Awaited<ReturnType<typeof ruleBreaks>> }) => e.breaks ?? []);
  const rules = found.map((b) => `${b.table}: ${b.rule}`);
  assert.ok(rules.some((r) => /^homes: unique key homes_uprn_alone \(uprn\) lacks organisation_id/.test(r)), rules.join('\n'));
  assert.ok(rules.some((r) => /^stray_codes: is neither distributed by organisation_id nor a reference table/.test(r)), rules.join('\n'));
  assert.ok(rules.some((r) => /^repairs: foreign key repairs_wrongly_keyed to homes does not join organisation_id to organisation_id/.test(r)), rules.join('\n'));
  const plan = await h.store.system((db) => publicPlan(db));
  assert.deepEqual(await h.store.system((db) => ruleBreaks(db, plan)), [], 'the changes were rolled back');
});

test('the statements make reference tables first, then co-locate every distributed table with one anchor, which a later run keeps', () => {
  const plan: DistributionPlan = { schema: 'public', column: 'organisation_id', reference: ['organisations', 'users'], distributed: ['blocks', 'homes', 'repairs'] };
  assert.deepEqual(distributionStatements([plan]), [
    "SELECT create_reference_table('public.organisations');",
    "SELECT create_reference_table('public.users');",
    "SELECT create_distributed_table('public.blocks', 'organisation_id');",
    "SELECT create_distributed_table('public.homes', 'organisation_id', colocate_with => 'public.blocks');",
    "SELECT create_distributed_table('public.repairs', 'organisation_id', colocate_with => 'public.blocks');",
  ]);
  // A table a later migration adds sorts first: it joins the group of the tables Citus already has.
  const later = { ...plan, distributed: ['aaa_new', ...plan.distributed] };
  const statements = distributionStatements([later], new Set(['public.organisations', 'public.users', 'public.blocks', 'public.homes', 'public.repairs']));
  assert.equal(statements.find((s) => s.includes('aaa_new')), "SELECT create_distributed_table('public.aaa_new', 'organisation_id', colocate_with => 'public.blocks');");
});

test("no upsert's update calls a volatile function (Citus refuses now() there: the excluded row's value is used)", () => {
  const offending: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (file.endsWith('.ts') && !file.endsWith('.test.ts')) {
        const text = fs.readFileSync(file, 'utf8');
        for (const m of text.matchAll(/onConflictDoUpdate\(\{[\s\S]*?\}\)|do update set[\s\S]*?(?:`|;)/gi)) {
          if (/\b(now|clock_timestamp|random|gen_random_uuid)\(\)/i.test(m[0])) offending.push(`${file}: ${m[0].slice(0, 120)}`);
        }
      }
    }
  };
  walk(path.resolve('src'));
  assert.deepEqual(offending, []);
});

test('valueRows binds every value with its column type, and refuses more than one statement takes', async () => {
  const rows = await h.store.system(async (db) => (await db.execute(sql`select * from (values ${valueRows([['a', 1, null], ["it's", 2, '2026-12-04']], ['text', 'int', 'date'])}) as v(t, n, d)`)).rows);
  assert.deepEqual(rows.map((r) => ({ ...r })), [{ t: 'a', n: 1, d: null }, { t: "it's", n: 2, d: '2026-12-04' }]);
  assert.throws(() => valueRows([], ['text']), /no rows/);
  assert.throws(() => valueRows(Array.from({ length: 20_000 }, () => [1, 2, 3, 4]), ['int', 'int', 'int', 'int']), /more than one statement takes/);
});

test('every statement of a read runs as hearth_app with the organisation set in its transaction, and leaves nothing behind', async () => {
  const l = await landlord(h);
  const other = await landlord(h);
  const seen = await h.store.readOrg(l.id, async (db) => {
    const first = (await db.execute(sql`select current_user as role, current_setting('hearth.org_id') as org`)).rows[0] as Record<string, unknown>;
    // SET LOCAL outside a transaction block has no effect: the setting is there because the statement is inside one.
    const second = (await db.execute(sql`select current_setting('hearth.org_id') as org, (select count(*)::int from organisations) as visible`)).rows[0] as Record<string, unknown>;
    return { first, second };
  });
  assert.deepEqual(seen.first, { role: 'hearth_app', org: l.id });
  assert.deepEqual(seen.second, { org: l.id, visible: 1 }, 'row-level security shows its own organisation only');
  // A statement that fails leaves its transaction aborted: the store ends it, and the next read on the connection works.
  await assert.rejects(h.store.readOrg(l.id, (db) => db.execute(sql`select 1 / (select count(*) - count(*) from organisations)`)),
    (err: Error & { cause?: Error }) => /division by zero/.test(String(err.cause?.message ?? err.message)));
  for (const org of [other.id, l.id, other.id]) {
    const row = (await h.store.readOrg(org, (db) => db.execute(sql`select current_setting('hearth.org_id') as org`))).rows[0] as { org: string };
    assert.equal(row.org, org, 'each read sees its own organisation, never the previous one');
  }
  // Outside a read nothing is left: the owner's next statement has no organisation and is not hearth_app.
  const after = (await h.store.system((db) => db.execute(sql`select current_user as role, current_setting('hearth.org_id', true) as org`))).rows[0] as { role: string; org: string | null };
  assert.notEqual(after.role, 'hearth_app');
  assert.ok(!after.org, `no organisation outside a read (got ${after.org})`);
});

test("a request connection that is not hearth_app (a pooler dropped its startup options) is refused, never used as the owner", { skip: !process.env.DATABASE_URL && 'needs a PostgreSQL server' }, async () => {
  // Options in the URL take the place of the store's own (role=hearth_app), as a pooler that drops them would: the
  // connection is the owner's login, as it is.
  const url = new URL(process.env.DATABASE_URL!);
  url.searchParams.set('options', '-c search_path=public');
  const other = await openStore({ databaseUrl: process.env.DATABASE_URL, appDatabaseUrl: url.toString(), dataDir: '' });
  try {
    const l = await landlord(h);
    await assert.rejects(other.readOrg(l.id, (db) => db.execute(sql`select count(*) from homes`)), /connection is \w+, not hearth_app/);
    await assert.rejects(other.withOrg(l.id, (db) => db.execute(sql`select count(*) from homes`)), /connection is \w+, not hearth_app/);
  } finally {
    await other.close();
  }
});
