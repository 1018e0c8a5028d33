// Organisation isolation: nothing of landlord B is visible to landlord A, through the API or the database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { harness, landlord, api, sample, type Harness, type Landlord } from '../support/harness.ts';

let h: Harness; let a: Landlord; let b: Landlord;
const bIds: Record<string, string> = {};

before(async () => {
  h = await harness();
  a = await landlord(h, 'Landlord A');
  b = await landlord(h, 'Landlord B');
  const B = b.as.administrator;
  bIds.estates = (await api(h, 'POST', '/api/v1/estates', B, { name: 'Millfield' })).body.id;
  bIds.blocks = (await api(h, 'POST', '/api/v1/blocks', B, sample.block({ estateId: bIds.estates }))).body.id;
  bIds.homes = (await api(h, 'POST', '/api/v1/homes', B, sample.home({ blockId: bIds.blocks }))).body.id;
  bIds.people = (await api(h, 'POST', '/api/v1/people', B, sample.person())).body.id;
  bIds.tenancies = (await api(h, 'POST', '/api/v1/tenancies', B, {
    reference: 'TEN-B-1', tenancyType: 'secure', tenure: 'social-rent', startDate: '2019-04-01', homeId: bIds.homes,
    members: [{ personId: bIds.people, role: 'lead' }],
  })).body.id;
  bIds.alerts = (await api(h, 'POST', '/api/v1/alerts', B, {
    personId: bIds.people, hactCode: '10', category: 'RISK', confidentiality: 'confidential', startDate: '2024-01-01',
  })).body.id;
  bIds.organisations = b.id;
  for (const [k, v] of Object.entries(bIds)) assert.match(v ?? '', /^[0-9a-f-]{36}$/, `set-up created a ${k}`);
});
after(() => h.close());

for (const kind of ['organisations', 'estates', 'blocks', 'homes', 'people', 'tenancies', 'alerts']) {
  test(`an analyst of landlord A gets 404 for landlord B's ${kind}`, async () => {
    const res = await api(h, 'GET', `/api/v1/${kind}/${bIds[kind]}`, a.as.analyst);
    // Alerts are forbidden to analysts whatever the organisation, so a 403 there says nothing about B.
    assert.equal(res.status, kind === 'alerts' ? 403 : 404);
    assert.doesNotMatch(JSON.stringify(res.body), new RegExp(bIds[kind]!));
  });

  test(`an administrator of landlord A gets 404 for landlord B's ${kind}, and cannot change it`, async () => {
    const get = await api(h, 'GET', `/api/v1/${kind}/${bIds[kind]}`, a.as.administrator);
    assert.equal(get.status, 404);
    const patch = await api(h, 'PATCH', `/api/v1/${kind}/${bIds[kind]}`, { ...a.as.administrator, 'if-match': '"1"' }, {});
    assert.equal(patch.status, 404);
  });

  test(`landlord A's list of ${kind} holds nothing of landlord B`, async () => {
    const res = await api(h, 'GET', `/api/v1/${kind}?limit=200`, a.as.administrator);
    assert.equal(res.status, 200);
    assert.ok(!res.body.items.some((r: { id: string }) => r.id === bIds[kind]));
  });
}

test("landlord B's own administrator does see its records (the 404s above are isolation, not absence)", async () => {
  for (const kind of ['organisations', 'estates', 'blocks', 'homes', 'people', 'tenancies', 'alerts']) {
    assert.equal((await api(h, 'GET', `/api/v1/${kind}/${bIds[kind]}`, b.as.administrator)).status, 200, kind);
  }
});

test('a record of A cannot point at a record of B (blockId of another landlord is rejected)', async () => {
  const res = await api(h, 'POST', '/api/v1/homes', a.as.administrator, sample.home({ blockId: bIds.blocks }));
  assert.equal(res.status, 400);
  assert.equal(res.body.errors[0].field, '/blockId');
});

test('row-level security hides B even from a query with no organisation filter', async () => {
  const tables = ['estates', 'blocks', 'homes', 'people', 'person_alerts', 'tenancies', 'tenancy_members', 'source_references', 'audit_events', 'organisations'];
  for (const t of tables) {
    const rows = await h.store.withOrg(a.id, async (tx) => (await tx.execute(sql.raw(`select * from "${t}"`))).rows as Record<string, unknown>[]);
    for (const r of rows) assert.equal(r.organisation_id ?? r.id, a.id, `${t} leaked a row of another organisation`);
  }
  const inserted = h.store.withOrg(a.id, (tx) => tx.execute(sql`insert into estates (organisation_id, id, name) values (${b.id}, gen_random_uuid(), 'Smuggled')`));
  await assert.rejects(inserted, (err: Error & { cause?: Error }) => /row-level security/.test(String(err.cause?.message ?? err.message)));
});

test('every table with an organisation_id has row-level security enabled', async () => {
  const rows = await h.store.system(async (tx) => (await tx.execute(sql`
    select c.relname, c.relrowsecurity from pg_class c join information_schema.columns col
      on col.table_name = c.relname and col.column_name = 'organisation_id' and col.table_schema = 'public'
    where c.relkind = 'r' and c.relnamespace = 'public'::regnamespace`)).rows as { relname: string; relrowsecurity: boolean }[]);
  assert.ok(rows.length >= 10);
  for (const r of rows) assert.equal(r.relrowsecurity, true, `${r.relname} has no row-level security`);
});

test('pooled connections reused across organisations, concurrently, never show one organisation the other', async () => {
  const seen = await Promise.all(Array.from({ length: 60 }, (_, i) => {
    const org = i % 2 ? a.id : b.id;
    const read = i % 3 ? h.store.readOrg.bind(h.store) : h.store.withOrg.bind(h.store);
    return read(org, async (tx) => ({ org, rows: (await tx.execute(sql`select organisation_id from estates union all select id from organisations`)).rows as { organisation_id: string }[] }));
  }));
  for (const s of seen) for (const r of s.rows) assert.equal(r.organisation_id, s.org);
  assert.ok(seen.some((s) => s.org === b.id && s.rows.length > 1));
});

test('migrating again while requests run (a second instance starting) neither fails them nor weakens isolation', async () => {
  const reads = Array.from({ length: 40 }, (_, i) => h.store.readOrg(i % 2 ? a.id : b.id, async (tx) =>
    (await tx.execute(sql`select organisation_id from estates union all select organisation_id from homes`)).rows as { organisation_id: string }[]));
  const [, ...results] = await Promise.all([h.store.migrate(), ...reads]);
  results.forEach((rows, i) => rows.forEach((r) => assert.equal(r.organisation_id, i % 2 ? a.id : b.id)));
  const policies = await h.store.system(async (tx) => (await tx.execute(sql`
    select count(*)::int as n from pg_policies where policyname = 'organisation_isolation'`)).rows[0] as { n: number });
  assert.ok(policies.n >= 10);
});
