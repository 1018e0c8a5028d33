// The hub's read-only SQL views for BI tools (drizzle/0019_hub_bi_views.sql, docs/hub-bi.md): the figures a BI tool
// reads are the published ones, and the hub_reader role reads the views and nothing else.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { harness, type Harness } from '../support/harness.ts';
import { receive, upsertPublisher } from '../../src/modules/hub/intake.ts';
import { EXAMPLE_HOME, EXAMPLE_MEASURES } from '../../src/modules/hub/standard/examples.ts';

let h: Harness;
before(async () => { h = await harness(); });
after(async () => { await h.close(); });

test('the views give what was published, with rates in their units', async () => {
  const p = `V${String((process.pid * 17 + Date.now()) % 10000).padStart(4, '0')}`;
  await h.store.system((db) => upsertPublisher(db, { publisher: p, name: 'View Homes', kind: 'local-authority' }));
  await h.store.system((db) => receive(db, { publisher: p, id: 'v', via: 'push', body: 'v', records: [EXAMPLE_HOME, { ...EXAMPLE_HOME, landlordReference: 'HM-2', block: undefined }, { ...EXAMPLE_MEASURES, landlord: p }] }));
  const rows = async (q: ReturnType<typeof sql>) => (await h.store.system((db) => db.execute(q))).rows as Record<string, unknown>[];
  const [pub] = await rows(sql`SELECT name, homes, higher_risk_blocks FROM hub.bi_publishers WHERE publisher = ${p}`);
  assert.deepEqual([pub!.name, Number(pub!.homes), Number(pub!.higher_risk_blocks)], ['View Homes', 2, 1]);
  const measures = await rows(sql`SELECT measure, value::float AS value, unit FROM hub.bi_measures WHERE publisher = ${p} AND measure IN ('tp01', 'nm01_1', 'dm_open') ORDER BY measure`);
  assert.deepEqual(measures, [{ measure: 'dm_open', value: null, unit: 'count' }, { measure: 'nm01_1', value: 32.21, unit: 'per 1,000 homes' }, { measure: 'tp01', value: 73.9, unit: '%' }]);
  const [area] = await rows(sql`SELECT local_authority, tenure_group, homes FROM hub.bi_homes_by_area WHERE publisher = ${p}`);
  assert.deepEqual([area!.local_authority, area!.tenure_group, Number(area!.homes)], ['E08000035', 'LCRA', 2]);
});

test('hub_reader reads the views and nothing else', async () => {
  const may = async (privilege: string, object: string) => ((await h.store.system((db) =>
    db.execute(sql`SELECT has_table_privilege('hub_reader', ${object}, ${privilege}) AS ok`))).rows[0] as { ok: boolean }).ok;
  for (const v of ['hub.bi_publishers', 'hub.bi_measures', 'hub.bi_homes_by_area', 'hub.bi_blocks']) {
    assert.equal(await may('SELECT', v), true, v);
    assert.equal(await may('INSERT', v), false, v);
  }
  for (const t of ['hub.credentials', 'hub.homes', 'hub.batches', 'public.people', 'public.asb_cases']) assert.equal(await may('SELECT', t), false, t);
});
